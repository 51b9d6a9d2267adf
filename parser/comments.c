/*
 * comments.c — Obsidian and HTML comments: finding them, blanking them
 * for cmark, and knowing when blanking them leaves the blocks as they were.
 */
#include "comments.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "inline.h"

/* The first "needle" (n bytes) in t[from, len), or len. Linear: each
 * memchr moves past the byte it stopped at. */
static uint32_t find_from(const char *t, uint32_t from, uint32_t len, const char *needle, size_t n)
{
	while (from + n <= len) {
		const char *p = memchr(t + from, needle[0], len - from - (n - 1));
		if (!p)
			break;
		uint32_t at = (uint32_t)(p - t);
		if (memcmp(p, needle, n) == 0)
			return at;
		from = at + 1;
	}
	return len;
}

/* Might t[from, len) hold a comment? The only cost a note without one pays. */
bool comments_may_exist(const char *t, uint32_t from, uint32_t len)
{
	return find_from(t, from, len, "%%", 2) < len || find_from(t, from, len, "<!--", 4) < len;
}

/*
 * Finds the comments of the body [from, n->len) into c->comments, reading
 * the blocks cmark made of the text as written: "%%" to the next "%%" (or
 * the end), "<!--" to the next "-->". Whichever opens first wins, so inside
 * a comment nothing but its own closer counts. An opener inside a code
 * block or code span is text; a code block or span that opens inside a
 * comment is not code (its opening fence or backticks are commented out).
 * An unclosed "<!--" that starts an HTML block runs, as in CommonMark, to
 * that block's end (the end of the note or of its container); anywhere
 * else it is text, as an unclosed inline HTML comment is.
 *
 * The code cmark found in the text as written may differ from the code of
 * the text with its comments blanked, which is what everything else reads:
 * a fence whose opening line is commented out leaves its closing fence to
 * open a new one. We take the first reading for where comments are, and
 * body_parse keeps the zones disjoint whatever the second one says.
 *
 * Linear: every byte is looked at a bounded number of times, and a search
 * for "-->" that failed is never repeated (100,000 unclosed "<!--").
 */
void comments_find(struct ctx *c, uint32_t from, struct leaf_array *leaves)
{
	struct note *n = c->n;
	const char *t = n->text;
	uint32_t len = n->len;
	/* Code as cmark reads the text as written: code blocks, and the code
	 * spans of paragraphs and headings, in document order, so sorted.
	 * Borrowed from note->zones, which is empty until the real pass. */
	ARRAY(struct span) html = { 0 }; /* HTML blocks, for an unclosed "<!--" */
	for (uint32_t i = 0; i < c->blocks.len; i++) {
		const struct block *b = &c->blocks.items[i];
		if (b->type == CMARK_NODE_CODE_BLOCK) {
			blocks_add_zone(c, i, ZONE_CODE_BLOCK);
		} else if (b->type == CMARK_NODE_HTML_BLOCK) {
			struct span z = blocks_zone(c, i, ZONE_HTML);
			array_push(&html, z);
			struct leaf leaf = { z, false, true,
					     cmark_node_get_type(cmark_node_parent(b->node)) ==
						     CMARK_NODE_DOCUMENT };
			array_push(leaves, leaf);
		} else if (b->type == CMARK_NODE_PARAGRAPH || b->type == CMARK_NODE_HEADING) {
			uint32_t s = lines_pos(&c->lines, b->start_line, b->start_col);
			uint32_t e = lines_end(&c->lines, blocks_last_line(c, i, true));
			inline_code_spans(n, t, make_span(s, e));
			struct leaf leaf = {
				make_span(s, e),
				b->type == CMARK_NODE_PARAGRAPH,
				false,
				b->type == CMARK_NODE_PARAGRAPH &&
					cmark_node_get_type(cmark_node_parent(b->node)) == CMARK_NODE_DOCUMENT,
			};
			array_push(leaves, leaf);
		}
	}
	const struct zone *code = n->zones.items;
	uint32_t ncode = n->zones.len, zi = 0, hi = 0;
	uint32_t resume = from;              /* where the last comment ended */
	uint32_t no_close = UINT32_MAX;      /* no "-->" at or after this */
	for (uint32_t i = from; i + 1 < len;) {
		char ch = t[i];
		if (ch != '%' && ch != '<') {
			i++;
			continue;
		}
		while (zi < ncode && span_end(code[zi].span) <= i)
			zi++;
		if (zi < ncode && code[zi].span.start <= i && code[zi].span.start >= resume) {
			i = span_end(code[zi].span);
			continue;
		}
		uint32_t end = UINT32_MAX;
		if (ch == '%' && t[i + 1] == '%') {
			uint32_t close = find_from(t, i + 2, len, "%%", 2);
			end = close < len ? close + 2 : len;
		} else if (ch == '<' && len - i >= 4 && memcmp(t + i, "<!--", 4) == 0) {
			/* From i + 2, so "<!-->" and "<!--->" close at once,
			 * as CommonMark 0.31 and HTML have it. */
			if (i + 2 < no_close) {
				uint32_t close = find_from(t, i + 2, len, "-->", 3);
				if (close < len)
					end = close + 3;
				else
					no_close = i + 2;
			}
			if (end == UINT32_MAX) {
				while (hi < html.len && html.items[hi].start < i)
					hi++;
				if (hi < html.len && html.items[hi].start == i)
					end = span_end(html.items[hi]);
			}
		}
		if (end == UINT32_MAX) {
			i++;
			continue;
		}
		array_push(&c->comments, make_span(i, end));
		resume = i = end;
	}
	n->zones.len = 0;
	array_free(&html);
}

/*
 * Would the text with its comments blanked have the blocks cmark made of
 * it as written? Then body_parse need not parse it again. Every comment
 * must lie in a paragraph or heading of that parse (leaves), and each
 * leaf's lines, comments blanked, must
 *  - all keep text, each line with a comment keeping a letter (or a
 *    non-ASCII character): "a %%x%% b", "- fact <!-- A -->". Such a line
 *    stays what it was, a continuation line starting as it did
 *    (comments_blank turns a comment followed by text into letter-like
 *    bytes). A leaf whose lines could turn into something else once a
 *    comment is gone is left to the second parse: one holding '<' (an HTML
 *    block, "<span> %%x%%"), "]:" (a link reference definition, which cmark
 *    takes out of the paragraph it starts) or "```" (a fence, once the
 *    backtick that kept "```a %%`%%" from opening one is gone), or a line
 *    with a comment and no letter, which could be "===", "---" or "1." (a
 *    setext underline, a thematic break, a list item);
 *  - or so, but for a paragraph's last lines, which go blank
 *    ("- fact\n%% aside %%"): the paragraph ends before them, and what
 *    follows already started a block of its own;
 *  - or all go blank, in a paragraph or HTML block not inside a list or
 *    quote ("%% private %%" or "<!-- generated -->" on its own lines;
 *    body_parse then skips the block): the block is gone, and the
 *    blocks around it are the same provided the next line with text starts
 *    at the margin (an indented one could join an indented code block
 *    before it) and not with '[' (a link reference definition makes no
 *    block, so the paragraph was what bounded the block before it: see
 *    blocks_last_line).
 * Checked against the second parse on millions of random notes. Every leaf
 * with a comment is walked once, and the search for the next line with
 * text is not repeated for hidden paragraphs in a row.
 */
bool comments_keep_blocks(const struct ctx *c, const struct leaf_array *leaves)
{
	const char *t = c->n->text;
	uint32_t len = c->n->len, li = 0;
	uint32_t margin_from = 0, margin_line = 0; /* the last search for text */
	for (uint32_t k = 0; k < c->comments.len;) {
		struct span z = c->comments.items[k];
		while (li < leaves->len && span_end(leaves->items[li].span) <= z.start)
			li++;
		if (li == leaves->len || leaves->items[li].span.start > z.start)
			return false;
		struct leaf leaf = leaves->items[li];
		uint32_t le = span_end(leaf.span);
		/* Line by line: a line is visible (text outside comments) or
		 * hidden (comments and blanks only: blank once blanked). */
		bool any_visible = false, seen_hidden = false;
		bool visible = false, word = false, trap = false, commented = false;
		uint32_t cend = 0; /* the end of the comment j is in */
		for (uint32_t j = leaf.span.start;; j++) {
			if (j < le && k < c->comments.len && c->comments.items[k].start == j) {
				struct span y = c->comments.items[k++];
				if (span_end(y) > le)
					return false;
				cend = span_end(y);
			}
			if (j < le && t[j] == '\n' && j > leaf.span.start && t[j - 1] == '\r')
				continue;
			if (j >= le || t[j] == '\n' || t[j] == '\r') {
				if (visible) {
					/* Text after a line gone blank would start
					 * a new block; a line with a comment must
					 * keep a letter; no line may hold a trap. */
					if (seen_hidden || trap || (commented && !word))
						return false;
					any_visible = true;
				} else if (commented) {
					seen_hidden = true;
				}
				visible = word = trap = false;
				commented = j < cend;
				if (j >= le)
					break;
				continue;
			}
			if (j < cend) {
				commented = true;
				continue;
			}
			unsigned char ch = (unsigned char)t[j];
			if (is_blank((char)ch))
				continue;
			visible = true;
			if (ch == '<' || (ch == ']' && j + 1 < len && t[j + 1] == ':') ||
			    (ch == '`' && j + 2 < len && t[j + 1] == '`' && t[j + 2] == '`'))
				trap = true;
			if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80)
				word = true;
		}
		if (any_visible) {
			/* Hidden last lines end a paragraph early, as the
			 * blank line they become does; a setext heading's
			 * would lose its underline. */
			if ((seen_hidden && !leaf.paragraph) || leaf.html)
				return false;
			continue;
		}
		if (!leaf.top)
			return false;
		/* The next line with text, in the blanked text: later hidden
		 * paragraphs are blank there too. */
		if (le >= margin_from) {
			uint32_t j = le, ls = le;
			while (j < len && (is_blank(c->src[j]) || c->src[j] == '\n' || c->src[j] == '\r')) {
				if (c->src[j] == '\n' || c->src[j] == '\r')
					ls = j + 1;
				j++;
			}
			margin_from = j;
			margin_line = j < len ? ls : j;
		}
		if (margin_from < len && (margin_from != margin_line || c->src[margin_from] == '['))
			return false;
	}
	return true;
}

/*
 * Blanks the comments in src (a copy of the note's text): what cmark and the
 * inline scanner read then has no trace of them, at the same offsets. Line
 * breaks stay, so a comment spanning lines leaves blank lines and the blocks
 * around it keep their lines. Comment bytes become spaces, except where
 * text follows the comment on its line: there they become a 0x01 byte that
 * cmark takes for a letter, since spaces would indent the text after them
 * ("%%a%% text" is not an indented code block, nor "- %%a%% x" an item
 * holding one). Callers trim comments off blocks' edges (trim_hidden).
 */
void comments_blank(const struct ctx *c, char *src)
{
	const char *t = c->n->text;
	uint32_t len = c->n->len;
	/* Right to left, so "is there text after it on its line" is known
	 * from the gap to the next comment and that comment's own answer:
	 * linear for 100,000 comments on one line. */
	bool next_followed = false;
	uint32_t next_start = len;
	for (uint32_t k = c->comments.len; k-- > 0;) {
		struct span z = c->comments.items[k];
		uint32_t e = span_end(z);
		bool followed = false;
		for (uint32_t j = e; j < len; j++) {
			if (j == next_start) {
				followed = next_followed;
				break;
			}
			if (t[j] == '\n' || t[j] == '\r')
				break;
			if (!is_blank(t[j])) {
				followed = true;
				break;
			}
		}
		/* Only the comment's last line can have text after it. */
		uint32_t last_line = e;
		while (last_line > z.start && t[last_line - 1] != '\n' && t[last_line - 1] != '\r')
			last_line--;
		for (uint32_t j = z.start; j < e; j++)
			if (t[j] != '\n' && t[j] != '\r')
				src[j] = followed && j >= last_line ? 0x01 : ' ';
		/* For the comment before: text after it on its line is text
		 * after this one, if this one is on that line. */
		next_followed = followed && last_line == z.start;
		next_start = z.start;
	}
}

/* Zones sorted by start and disjoint, as note_in_zone needs. Comments are
 * found in the text as written and code in the text without them (see
 * comments_find): in the rare note where the two disagree, a zone inside
 * another is dropped and one reaching past another's end is cut. */
void comments_disjoint_zones(struct note *n)
{
	uint32_t w = 0;
	for (uint32_t i = 0; i < n->zones.len; i++) {
		struct zone z = n->zones.items[i];
		if (w) {
			uint32_t prev_end = span_end(n->zones.items[w - 1].span);
			if (span_end(z.span) <= prev_end)
				continue;
			if (z.span.start < prev_end)
				z.span = make_span(prev_end, span_end(z.span));
		}
		n->zones.items[w++] = z;
	}
	n->zones.len = w;
}
