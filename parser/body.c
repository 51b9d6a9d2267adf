/*
 * body.c — a note's Markdown body: cmark parses it (twice when blanking its
 * comments could change its blocks), and each block goes where it belongs.
 */
#include "body.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "bytes.h"
#include "cmark_arena.h"
#include "comments.h"
#include "inline.h"

static int zone_cmp(const void *a, const void *b)
{
	const struct zone *x = a, *y = b;
	return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

void body_parse(struct note *n)
{
	struct ctx c = { 0 };
	c.n = n;
	c.src = n->text;
	/* cmark skips a leading BOM, which would shift line 1's columns. */
	uint32_t md = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	lines_build(&c.lines, n->text, md, n->len);

	/* cmark turns each NUL into a three-byte U+FFFD; a one-byte stand-in
	 * that no Markdown construct uses keeps its columns byte-exact. */
	char *copy = NULL;
	if (memchr(n->text + md, '\0', n->len - md)) {
		copy = xstrndup(n->text, n->len);
		for (uint32_t i = md; i < n->len; i++)
			if (!copy[i])
				copy[i] = 0x1A;
		c.src = copy;
	}
	/* Every tree of this note is freed at once, at the end. */
	struct cmark_arena arena;
	cmark_arena_begin(&arena);
	cmark_node *doc = cmark_arena_parse(&arena, c.src + md, n->len - md);
	blocks_flatten(&c, doc);

	/* Comments: where they are depends on the code cmark finds, and the
	 * blocks the note has depend on the text without them, so a note
	 * with comments is parsed twice, unless blanking them cannot change
	 * its blocks (comments_keep_blocks: most comments in real notes). */
	if (comments_may_exist(n->text, md, n->len)) {
		struct leaf_array leaves = { 0 };
		comments_find(&c, md, &leaves);
		if (c.comments.len) {
			if (!copy) {
				copy = xstrndup(n->text, n->len);
				c.src = copy;
			}
			comments_blank(&c, copy);
			if (!comments_keep_blocks(&c, &leaves)) {
				c.blocks.len = 0;
				doc = cmark_arena_parse(&arena, c.src + md, n->len - md);
				blocks_flatten(&c, doc);
			}
		}
		array_free(&leaves);
	}

	for (uint32_t i = 0; i < c.blocks.len; i++) {
		const struct block *b = &c.blocks.items[i];
		switch (b->type) {
		case CMARK_NODE_HEADING:
			blocks_add_heading(&c, i);
			break;
		case CMARK_NODE_PARAGRAPH: {
			struct span s = blocks_paragraph_span(&c, i);
			inline_scan(n, c.src, s, s);
			break;
		}
		case CMARK_NODE_ITEM:
			blocks_add_item(&c, i);
			break;
		case CMARK_NODE_CODE_BLOCK:
			blocks_add_zone(&c, i, ZONE_CODE_BLOCK);
			break;
		case CMARK_NODE_HTML_BLOCK:
			/* One that is all comment is gone in the second
			 * parse, and so in the first (comments_keep_blocks). */
			if (!c.comments.len ||
			    !blocks_in_comment(&c, lines_pos(&c.lines, b->start_line, b->start_col)))
				blocks_add_zone(&c, i, ZONE_HTML);
			break;
		default:
			break;
		}
	}
	for (uint32_t i = 0; i < c.comments.len; i++) {
		struct zone z = { c.comments.items[i], ZONE_COMMENT };
		array_push(&n->zones, z);
	}
	/* Document order is start order but for the comments appended;
	 * this guards the invariant note_in_zone's binary search relies on. */
	for (uint32_t i = 1; i < n->zones.len; i++) {
		if (n->zones.items[i].span.start < n->zones.items[i - 1].span.start) {
			qsort(n->zones.items, n->zones.len, sizeof(*n->zones.items), zone_cmp);
			break;
		}
	}
	if (c.comments.len)
		comments_disjoint_zones(n);

	cmark_arena_end(&arena);
	free(copy);
	array_free(&c.comments);
	array_free(&c.blocks);
	array_free(&c.lines.start);
	array_free(&c.lines.end);
}
