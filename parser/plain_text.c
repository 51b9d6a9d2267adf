/*
 * plain_text.c — inline Markdown to plain text: cmark renders it, but for
 * the lines that are their own text, which most facts are.
 */
#include "plain_text.h"
#include "cmark_arena.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"

/*
 * Does cmark render this as itself? One line (no soft or hard breaks),
 * valid UTF-8 (what cmark does with invalid bytes is left to cmark), no
 * control characters (NULs included),
 * none of the characters that start inline markup (cmark's special
 * characters: backslash escapes, code, entities, emphasis, links, images,
 * autolinks and HTML), and a first character that cannot open a block
 * (heading, quote, list, thematic break, fence, HTML, link reference
 * definition, indented code). Most facts are such lines, and cmark's parse
 * is most of the cost of their text. Trailing blanks are the caller's.
 */
/* The bytes a plain line may not hold (1): the control characters, DEL,
 * and ! & * < [ \\ ] _ `; and those beyond ASCII (2), which it holds only
 * as valid UTF-8. A table: this runs on every byte of every fact. */
static const uint8_t not_plain[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
	0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, /* 20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, /* 50 */
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* 70 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 80 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 90 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* A0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* B0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* C0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* D0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* E0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* F0 */
};

static bool is_plain_line(const char *s, size_t len)
{
	if (!len)
		return true;
	unsigned char c0 = (unsigned char)s[0];
	if (strchr("#>-+*_`~<[=|", c0) || (c0 >= '0' && c0 <= '9') || is_blank((char)c0))
		return false;
	uint8_t seen = 0;
	for (size_t i = 0; i < len; i++) {
		uint8_t k = not_plain[(unsigned char)s[i]];
		if (k == 1)
			return false;
		seen |= k;
	}
	return !seen || utf8_valid(s, len);
}

/* cmark 0.30 has no plain-text renderer: the text is what its text, code
 * and break nodes hold (a link's or image's text is its children; URLs and
 * raw HTML say nothing). */
static void render_with_cmark(const char *src, size_t len, struct strbuf *out)
{
	struct cmark_arena arena;
	cmark_arena_begin(&arena);
	cmark_node *doc = cmark_arena_parse(&arena, src, len);
	cmark_iter *iter = cmark_iter_new(doc);
	size_t first = out->len;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(iter);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			strbuf_puts(out, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (out->len > first)
				strbuf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(iter);
	cmark_arena_end(&arena);
}

/* Renders out[first..] to plain text where it is. */
void plain_text_in_place(struct strbuf *out, size_t first)
{
	if (!is_plain_line(out->ptr + first, out->len - first)) {
		char *src = xstrndup(out->ptr + first, out->len - first);
		size_t len = out->len - first;
		/* NULs would be U+FFFD in cmark's output anyway. (A line
		 * with one is not plain: it comes here.) */
		for (size_t i = 0; i < len; i++)
			if (src[i] == '\0')
				src[i] = ' ';
		out->len = first;
		out->ptr[first] = '\0';
		render_with_cmark(src, len, out);
		free(src);
	}
	while (out->len > first && out->ptr[out->len - 1] == ' ')
		out->ptr[--out->len] = '\0';
}
