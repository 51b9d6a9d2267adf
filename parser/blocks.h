/*
 * blocks.h — private to parser/: cmark's blocks of a note's body, and the
 * state body.c, blocks.c and comments.c share while they read them.
 */
#ifndef VAULT_BLOCKS_H
#define VAULT_BLOCKS_H

#include <cmark.h>

#include "lines.h"
#include "note_types.h"

struct block {
	cmark_node *node;
	cmark_node_type type;
	int start_line, start_col, end_line;
};

/* The paragraphs and headings of a first parse, in document order
 * (ARRAY() is anonymous: this one is passed). */
struct leaf {
	struct span span;
	bool paragraph;     /* else a heading, or an HTML block */
	bool html;
	bool top;           /* a paragraph or HTML block not inside a list or quote */
};
struct leaf_array {
	struct leaf *items;
	uint32_t len, cap;
};

struct ctx {
	struct note *n;
	/* What cmark and the inline scanner read: note->text, or a copy of
	 * the same length with NULs and comments replaced (body_parse). */
	const char *src;
	struct lines lines;
	ARRAY(struct block) blocks;
	ARRAY(struct span) comments; /* sorted, disjoint */
};

/* True when offset lies in a comment: a binary search, only asked of
 * notes that have comments and only at a block's edges. */
bool blocks_in_comment(const struct ctx *c, uint32_t offset);

/* Appends to c->blocks all block nodes of doc in document order, without
 * recursion (10,000 nested lists must not blow the stack) and without
 * visiting inline nodes. */
void blocks_flatten(struct ctx *c, cmark_node *doc);

/* The last line of leaf block i (cmark's end lines are wrong in places:
 * see blocks.c). trust_end keeps cmark's end line when it is earlier. */
int blocks_last_line(const struct ctx *c, uint32_t i, bool trust_end);

/* Paragraph i: from its first character to its last, trailing blanks and
 * comments off. */
struct span blocks_paragraph_span(const struct ctx *c, uint32_t i);

/* Block i (a code or HTML block) as a zone of that kind: its span, and
 * appended to the note's zones. */
struct span blocks_zone(const struct ctx *c, uint32_t i, enum zone_kind kind);
void blocks_add_zone(struct ctx *c, uint32_t i, enum zone_kind kind);

/* Heading i, and list item i, appended to the note (a heading's links,
 * tags and block ids with it). */
void blocks_add_heading(struct ctx *c, uint32_t i);
void blocks_add_item(struct ctx *c, uint32_t i);

#endif
