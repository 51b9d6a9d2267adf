/*
 * tags.h — every tag of the vault: inline "#tag"s and frontmatter tags:
 * values, compared as Obsidian compares them (case-insensitively), with
 * nested tags counted under their parents ("#a/b" is under "#a" too).
 *
 * The index is built on the first call of any tags_* function that takes
 * a workspace, and kept up to date note by note from then on, so that
 * only a user of tags pays for it.
 *
 * A tag is named without its '#' and without trailing '/': "#Type/Person"
 * and the frontmatter value "type/person" (with or without '#') are the
 * same tag, "type/person", nested under "type".
 */
#ifndef VAULT_TAGS_H
#define VAULT_TAGS_H

#include "rank.h"
#include "workspace.h"

struct tag_info {
	struct slice name;    /* as first written, without '#': "Type/Person" */
	struct slice key;     /* folded (names_fold): "type/person" */
	uint32_t notes;       /* notes holding it or a tag nested under it */
	uint32_t direct;      /* notes holding the tag itself */
};

/* Tag ids run from 0 to tags_bound() - 1; an id stays the tag's for the
 * workspace's life. tags_get is false for a tag no note holds any more,
 * and its slices are valid until the next change to the workspace. */
uint32_t tags_bound(struct workspace *ws);
bool tags_get(struct workspace *ws, uint32_t id, struct tag_info *out);
/* The id of a tag as written ('#' and trailing '/' optional, any case),
 * or -1 when no note holds it or a tag nested under it. */
int32_t tags_find(struct workspace *ws, struct slice tag);

/* The tags nested under tag id at any depth, most notes first (then by
 * key). Caller frees out->items. */
void tags_nested(struct workspace *ws, uint32_t id, struct id_list *out);

/* One place a tag is written: an inline tag (its span includes the '#')
 * or a value of a frontmatter tags: list (the tag as written there, with
 * its '#' if it has one). */
struct tag_occurrence {
	uint32_t note;
	struct span span;
};
struct tag_occurrences {
	struct tag_occurrence *items;
	uint32_t len, cap;
};

/*
 * Every place tag (as for tags_find) is written, and with include_nested
 * every place a tag nested under it is ("#a" finds "#a/b"), appended to out
 * sorted by the note's absolute path (ws_note.abs, byte order), then by
 * span.start. A note that writes the tag twice gives two occurrences.
 * What textDocument/references on a tag answers. Caller frees out->items.
 */
void tags_occurrences(struct workspace *ws, struct slice tag, bool include_nested,
		      struct tag_occurrences *out);

/* One place tag id itself is written (not a nested one): the first in
 * the note of least id holding it. False when none is. */
bool tags_place(struct workspace *ws, uint32_t id, struct tag_occurrence *out);

/*
 * Offers every tag some note holds itself (tags only implied by a nested
 * one are left out), fuzzy-matched against query (names_search_key of
 * both), to top: key 1 (no note name uses it), note the tag id, kind_rank
 * 2, alias true, label the tag's name, and order `order` — or with
 * by_count, an order that puts the tags of most notes first among equal
 * scores (for completion, where tags are ranked alone).
 */
void tags_rank(struct workspace *ws, struct slice query, uint32_t order, bool by_count,
	       struct rank_top *top);

/*
 * The tags a frontmatter tags: (or tag:) scalar holds: one or several,
 * separated by spaces or commas, each with or without '#'. tags_fm_next
 * finds the next one in v at or after *at (start at 0; it moves *at
 * past it), skipping what is not a tag; tok is its span in the note's
 * text, '#' included if written. tags_fm_at: the frontmatter tag under
 * offset (a position at its end counts), if any.
 */
bool tags_fm_next(const struct note *n, const struct yaml_node *v, uint32_t *at, struct span *tok);
bool tags_fm_at(const struct note *n, uint32_t offset, struct span *tok);

#endif
