/*
 * code_action_impl.h — the private header of the quick fixes: what
 * code_action.c shares with the files that build more of them
 * (merge_cards.c), the request's context and the pieces of a
 * WorkspaceEdit; and what those files give it back.
 */
#ifndef VAULT_CODE_ACTION_IMPL_H
#define VAULT_CODE_ACTION_IMPL_H

#include "diagnose.h"
#include "feature.h"

struct action_ctx {
	struct feature_ctx *ctx;
	struct workspace *ws;
	const struct document *doc;   /* the open document the action is for */
	const struct ws_note *wn;     /* its note (same text) */
	uint32_t id;
	bool document_changes;        /* client takes documentChanges */
	bool can_create;              /* ... and CreateFile operations */
	bool can_delete;              /* ... and DeleteFile operations */
	json_t *out;                  /* the array of CodeActions */
	/* The note's links by (start, index), to find a diagnostic's link
	 * without a scan per diagnostic: a note with 100,000 broken links
	 * took 20 s to answer with a scan. Built on first use. */
	struct link_ref { uint32_t start, index; } *by_start;
};

/* A TextEdit on a note, in the negotiated encoding. */
json_t *text_edit(const struct action_ctx *a, const struct ws_note *wn, struct span span,
		  const char *text);
/* Adds edits of one note to a WorkspaceEdit (steals edits): documentChanges
 * with the open document's version, or changes. */
void add_edits(const struct action_ctx *a, json_t *wedit, const struct ws_note *wn, json_t *edits);
/* Appends a quickfix CodeAction for diagnostic d to a->out (steals wedit). */
void add_action(const struct action_ctx *a, const char *title, const struct diagnostic *d,
		json_t *wedit, bool preferred);
/* YAML for a scalar: plain when that is safe, else double-quoted. */
void yaml_scalar(const char *s, struct strbuf *out);
/* The one edit that adds n_alias aliases (in order) to a note's
 * frontmatter, leaving the rest of its YAML as written. n_alias >= 1. */
json_t *alias_edit(const struct action_ctx *a, const struct ws_note *t, const char *const *alias,
		   uint32_t n_alias);

/* ---- merge_cards.c ---- */

/*
 * duplicate-card: adds to a->out one action per other card d names
 * ("Merge Contacts/X.md into People/X.md"), each one WorkspaceEdit that
 * keeps a->wn and:
 *  - adds to it what only the other card has: frontmatter fields it lacks
 *    (lines as written), facts it does not already have (the same
 *    normalised words, facts_normalise, or all of them in a row in one of
 *    its facts), paragraphs whose words it does not already hold, and
 *    sections it lacks (a shared section's new items go at its end);
 *  - makes the other card's names (stem, title, name:, aliases) its
 *    aliases, in one edit;
 *  - points every link to the other card at it;
 *  - deletes the other card (a DeleteFile needing confirmation) when the
 *    client takes that; else the title says to delete it by hand.
 */
void merge_cards_fixes(const struct action_ctx *a, const struct diagnostic *d);

/* ---- link_mentions.c ---- */

/* Does a request's context.only (NULL: anything) take refactor.rewrite,
 * the kind of the actions below? */
bool link_mentions_wanted(const json_t *only);
/* Adds to a->out "Link to X" for each unlinked mention of another note X
 * that [start, end] touches in a->wn, and in a note with unlinked
 * mentions, "Link all N unlinked mentions of X" (resolved later, by
 * link_mentions_resolve, when the client can). */
void link_mentions_actions(struct action_ctx *a, uint32_t start, uint32_t end, const json_t *only);

#endif
