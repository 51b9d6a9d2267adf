/*
 * references.h — the graph read backwards: every place in the vault that
 * names a note, one of its headings or blocks, or a name no note has.
 *
 * A reference is one of
 *   - a wikilink or embed in a body (whatever its form: path, ".md",
 *     display text, alias), resolved as the index resolves it;
 *   - a frontmatter value that names a note: under a people key
 *     (participants: [A, B]) or written as a link under any key
 *     (owner: "[[X]]");
 *   - a name on a With line ("**With**: Ragnar, Kari") that is exactly a
 *     note's name or alias;
 *   - a Markdown link to a note ("[notes](Meetings/Sync.md)", a path
 *     ending in ".md", percent-encoded or in <...>), outside code,
 *     comments and HTML.
 * The frontmatter values, With-line names and Markdown links are kept in an index of their
 * own, built on first use and kept current as notes change; links use the
 * backlinks the workspace keeps anyway. A tag's references are where it,
 * or a tag nested under it, is written (tags.h). A probable variant of a person's
 * name (identity.h) is not a reference: adding it as an alias (the
 * name-variant quick fix) makes it one.
 */
#ifndef VAULT_REFERENCES_H
#define VAULT_REFERENCES_H

#include "workspace.h"

/* What references point at. */
struct ref_target {
	int32_t note;      /* the note, or -1: a name no note has */
	int32_t heading;   /* an index into its headings, or -1 */
	int32_t block;     /* an index into its blocks, or -1; both -1: the
			    * note as a whole, its headings and blocks included */
	/* note < 0: the name as written in a link ("Nobody", "Folder/Nobody"),
	 * or with tag set, a tag ("type/person", '#' optional) */
	struct slice name;
	bool tag;          /* every place the tag or one nested under it is
			    * written (tags.h) */
};

enum ref_kind {
	REF_LINK,          /* link is its index in the note's links */
	REF_FRONTMATTER,   /* a frontmatter value, span without its quotes */
	REF_WITH,          /* a name on a With line */
	REF_TAG,           /* a #tag, or a frontmatter tags: value */
	REF_MDLINK,        /* a Markdown link to a note, "[x](Folder/X.md)": the
			    * span is its path as written (percent-encoded or
			    * not), without "#subpath" */
};


struct ref {
	uint32_t note;     /* the note it is in */
	struct span span;  /* a link's whole span, or the value or name */
	uint8_t kind;      /* enum ref_kind */
	int32_t link;      /* REF_LINK: index into note->links, else -1 */
};

struct ref_list { struct ref *items; uint32_t len, cap; };

/*
 * What the position at byte `offset` of note `id` refers to, for "find
 * references" there: the target of a link, of a frontmatter value that
 * names a note or of a With-line name; a heading (its title heading, the
 * level-1 heading that is the note's name, means the note); a block id;
 * else (its name:, an alias entry, anywhere with nothing else under it)
 * the note itself. False when the position names nothing that resolves
 * or could (a prose word, a link with an empty target). out->name
 * borrows the note's text.
 */
bool references_target_at(struct workspace *ws, uint32_t id, uint32_t offset,
			   struct ref_target *out);

/* Where the target is declared: *note (-1 for a name no note has) and the
 * span there (the heading line, the block id, the title heading, or the
 * top of the note). */
void references_declaration(struct workspace *ws, const struct ref_target *t, int32_t *note,
			    struct span *span);

/* Every reference to t in the vault, sorted by path, then position.
 * Appends to out. */
void references_find(struct workspace *ws, const struct ref_target *t, struct ref_list *out);

/* The references to t in note id only, in position order (for
 * documentHighlight). Appends to out. */
void references_in_note(struct workspace *ws, const struct ref_target *t, uint32_t id,
			struct ref_list *out);

/* How many references t has: references_find's length, counted without
 * building the list. */
uint32_t references_count(struct workspace *ws, const struct ref_target *t);

#endif
