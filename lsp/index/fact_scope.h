/*
 * fact_scope.h — which list items of a note are facts, and which facts may
 * be compared with which.
 *
 * A *subject note* — a person, customer or project card, a meeting (kind
 * person, customer, project, company, meeting or people; or a frontmatter
 * people key such as participants:, or a card's company:, role:, email:,
 * phone: or organization:, with a value) — holds the facts of one
 * subject, appended over time by people and by the pipeline: any two of
 * its facts may repeat each other, whatever section they sit in.
 *
 * Every other note (documentation, changelogs, step lists, templates)
 * repeats itself on purpose: the same bullet under "# 802.11b" and
 * "# 802.11g", the same steps under **Desktop** and **Mobile**. There a
 * fact is compared only with facts of the same *context*: the same
 * headings above it (by text, so a section pasted twice is one context),
 * the same paragraph introducing its list, the same parent item. Numbered
 * items there are steps of a procedure, not facts.
 *
 * Nowhere is a bullet that is only links (a link list) a fact, and
 * templates (kind template) hold no facts at all.
 */
#ifndef VAULT_FACT_SCOPE_H
#define VAULT_FACT_SCOPE_H

#include "workspace.h"

struct fact_scope {
	bool subject;        /* a subject note (above) */
	uint32_t n;          /* = note->items.len */
	bool *fact;          /* per item: may be a fact at all */
	uint32_t *context;   /* per item: facts are compared within one context
				(all 0 in a subject note) */
	uint32_t *code;      /* per item: hash of its code spans and $math$ as
				written, 0 when it has none: "`a != b`" and
				"`a = b`" are different facts */
	uint32_t *links_at;  /* per item: its link targets are
				links[links_at[i] .. links_at[i + 1]), sorted */
	uint32_t *links;
};

/* The scope of note id's items. */
void fact_scope_init(struct fact_scope *s, const struct workspace *ws, uint32_t id);
void fact_scope_fini(struct fact_scope *s);

/* Do the links of item a all lead where links of item b lead? True when a
 * has no links. Two facts linking different notes never repeat each
 * other: a duplicate needs equal sets (subset both ways), a subsumed fact
 * a subset of the longer fact's. */
bool fact_scope_links_within(const struct fact_scope *s, uint32_t a, uint32_t b);

/* Is this note a subject note? */
bool fact_scope_is_subject(const struct workspace *ws, const struct ws_note *wn);

#endif
