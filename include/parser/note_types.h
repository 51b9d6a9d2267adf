/*
 * note_types.h — the note model's types: what a parsed note holds (note.h
 * has its functions). Every position is a byte offset into note->text.
 *
 * A header of its own so that the parser's files that fill a note
 * (frontmatter.c, blocks.c, comments.c, inline.c) need not include note.h,
 * whose note_parse calls them.
 */
#ifndef VAULT_NOTE_TYPES_H
#define VAULT_NOTE_TYPES_H

#include "util.h"
#include "yaml_tree.h"

struct heading {
	uint8_t level;     /* 1..6 */
	struct span line;  /* the whole heading line(s), without the newline */
	struct span title; /* the heading's text: no '#'s, trimmed */
	char *text;        /* the title as a string (inline markup kept); a
			      setext title's line breaks become one space, NULs
			      and invalid UTF-8 become U+FFFD */
};

/*
 * A list item (bullet, numbered or task): a candidate fact.
 * span covers the item's first paragraph (from its first character after the
 * list marker to the end of the paragraph's last line, without trailing
 * blanks or the newline); its line (note_item_line) runs from the start of
 * the marker's line to the end of that paragraph, so that a quick fix can
 * delete the item's own text (nested items and later paragraphs are not
 * included).
 * An item whose first block is not a paragraph ("- ", "- ```", "- - x") has
 * span.len == 0 at the end of its marker and its blanks, and its line is
 * the marker's line; skip such items when looking for facts.
 */
struct list_item {
	struct span span;
	uint32_t line_start; /* of the marker's line: note_item_line has the rest */
};
/* 12 bytes: a vault of 100,000 notes holds six million of them. What
 * follows from the text and the span is computed, not stored. */

enum wikilink_flags {
	WIKILINK_EMBED = 1 << 0,  /* ![[...]] */
	WIKILINK_CLOSED = 1 << 1, /* has its closing ]] (unclosed links run to the end of the line) */
};

/*
 * [[target#heading#sub|display]], [[target#^block]], [[#heading]], ![[embed]].
 * Inside a table cell "\|" separates the display. The parts' spans
 * (wikilink_target, _subpath, _display) are byte ranges without their
 * delimiters; a part that is absent has len 0 and start at the position
 * it would have had. Each part starts where the one before it ends, past
 * its delimiter, so only the lengths are kept: 20 bytes a link.
 */
struct wikilink {
	struct span span;     /* whole link: from '!' or the first '[' to after ']]' */
	uint32_t target_len;  /* may be 0 for [[#heading]] */
	uint32_t subpath_len; /* after the first '#', before '|': "H1#H2" or "^block" */
	uint8_t flags;
	bool has_subpath;     /* a '#' was written */
	bool has_display;     /* a '|' was written */
	bool escaped_bar;     /* ... as "\|", in a table cell */
};

static inline struct span wikilink_target(const struct wikilink *l)
{
	return (struct span){ l->span.start + 2 + ((l->flags & WIKILINK_EMBED) ? 1 : 0),
			      l->target_len };
}

static inline struct span wikilink_subpath(const struct wikilink *l)
{
	struct span t = wikilink_target(l);
	return (struct span){ t.start + t.len + (l->has_subpath ? 1 : 0), l->subpath_len };
}

/* After '|', to the closing "]]" (or the link's end if unclosed). */
static inline struct span wikilink_display(const struct wikilink *l)
{
	uint32_t end = l->span.start + l->span.len - ((l->flags & WIKILINK_CLOSED) ? 2 : 0);
	if (!l->has_display)
		return (struct span){ end, 0 };
	struct span s = wikilink_subpath(l);
	uint32_t start = s.start + s.len + (l->escaped_bar ? 2 : 1);
	return (struct span){ start, end - start };
}

/*
 * "^id" at the end of a line (trailing blanks aside), outside code, links and
 * comments. The caret follows a blank, the line's start, or any character
 * but an ASCII letter or digit: "![[chart.png]]^fig-3" and "text.^ab12" name
 * their block as Obsidian reads them, while "x^2" and "mc^2" stay
 * exponents.
 */
struct block_id {
	struct span span;     /* "^id" including the caret */
	struct span id;       /* "id" without the caret */
	struct span block;    /* the line(s) of the block the id names */
};

struct tag {
	struct span span;     /* "#tag/nested" including '#' */
};

enum zone_kind { ZONE_CODE_BLOCK, ZONE_CODE_SPAN, ZONE_HTML, ZONE_COMMENT };

/*
 * A region where no link, tag or block id is recognised. ZONE_COMMENT is an
 * Obsidian comment, "%%" to the next "%%" (or the end of the note if none),
 * or an HTML comment, "<!--" to the next "-->"; an HTML comment left open
 * runs to the end of its block when it starts an HTML block (at a line's
 * start, as CommonMark reads it) and is plain text elsewhere. The delimiters
 * mean nothing inside code, nor inside the other kind of comment. What a
 * comment holds is not part of the note: no headings, list items, links,
 * tags or block ids come from it, it is dropped from list items' text, and
 * note_mojibake skips it.
 */
struct zone {
	struct span span;
	uint8_t kind;         /* enum zone_kind */
};

struct note_error {
	bool present;
	uint32_t offset;      /* byte offset of the problem in note->text */
	char *message;
};

struct note {
	char *text;           /* owned copy of the file, NUL-terminated */
	uint32_t len;

	/* Frontmatter: the YAML between the opening and closing '---' lines.
	 * fm_span covers both delimiter lines; body starts after it. */
	bool has_frontmatter;
	struct span fm_span;
	uint32_t body;
	struct yaml_node *frontmatter; /* a mapping, or NULL if absent/invalid */
	struct note_error fm_error;    /* invalid YAML, or a frontmatter that never closes */

	/* Convenience views of well-known frontmatter keys (point into the tree,
	 * or NULL): aliases/alias and tags as lists, everything else as scalars. */
	ARRAY(const struct yaml_node *) aliases; /* scalar nodes */
	ARRAY(const struct yaml_node *) fm_tags; /* scalar nodes */
	const struct yaml_node *type;
	const struct yaml_node *name;
	const struct yaml_node *title;

	ARRAY(struct heading) headings;
	ARRAY(struct list_item) items;
	/* Links and block ids are in source order: sorted by span.start, no
	 * two overlapping. Callers binary-search them for the ones in a range. */
	ARRAY(struct wikilink) links;
	ARRAY(struct block_id) blocks;
	ARRAY(struct tag) tags;       /* inline #tags in the body */
	ARRAY(struct zone) zones;     /* sorted by start */
};

#endif
