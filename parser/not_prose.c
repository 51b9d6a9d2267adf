/*
 * not_prose.c — what in a note's body is not prose, for mentions.c's and
 * prose.c's passes:
 * the note model's spans, sorted and merged, and what the model does not
 * know (Markdown links, URLs, math, inline HTML tags), recognised where
 * the pass meets it. Everything that searches ahead (a closing ']' or
 * '$') remembers its answer, so that a line of a thousand unclosed '['
 * stays linear.
 */
#include "not_prose.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"

/* The first byte at or after p (before limit) for which `want` holds, or
 * limit; m remembers the answer for later searches. */
static uint32_t find(const struct not_prose *np, struct not_prose_memo *m, uint32_t p,
		     uint32_t limit, bool (*want)(const char *t, uint32_t at, uint32_t limit))
{
	if (m->valid && p >= m->from && p <= m->at && m->at <= limit)
		return m->at;
	uint32_t q = p;
	while (q < limit && !want(np->t, q, limit))
		q++;
	*m = (struct not_prose_memo){ p, q, true };
	return q;
}

static bool want_sq(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == ']';
}
static bool want_par(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == ')';
}
static bool want_gt(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == '>';
}
static bool want_dollar(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == '$';
}
static bool want_dollars(const char *t, uint32_t at, uint32_t limit)
{
	return t[at] == '$' && at + 1 < limit && t[at + 1] == '$';
}

/* The first byte ch at or after p, or the text's end, by memchr; m
 * remembers it. */
static uint32_t next_byte(const struct not_prose *np, struct not_prose_memo *m, uint32_t p,
			  char ch)
{
	if (!m->valid || p < m->from || p > m->at) {
		const char *q = memchr(np->t + p, ch, np->len - p);
		*m = (struct not_prose_memo){ p, q ? (uint32_t)(q - np->t) : np->len, true };
	}
	return m->at;
}

/* Every line's end is asked for: '\n' and '\r' are each found by memchr
 * and remembered, so a note without '\r' is searched for one once. */
uint32_t not_prose_line_end(struct not_prose *np, uint32_t p)
{
	uint32_t nl = next_byte(np, &np->nl, p, '\n'), cr = next_byte(np, &np->cr, p, '\r');
	return nl < cr ? nl : cr;
}

uint32_t not_prose_close_paren(struct not_prose *np, uint32_t p, uint32_t limit)
{
	return find(np, &np->paren, p, limit, want_par);
}

/* A URL starting at p: "scheme://", "www." or "mailto:". */
static bool url_at(const struct not_prose *np, uint32_t p, uint32_t le)
{
	char first = (char)(np->t[p] | 0x20);
	if ((first == 'w' && ascii_prefix_nocase(np->t, p, le, "www.")) ||
	    (first == 'm' && ascii_prefix_nocase(np->t, p, le, "mailto:")))
		return true;
	uint32_t q = p;
	while (q < le && q - p < 32 &&
	       ((np->t[q] >= 'a' && np->t[q] <= 'z') || (np->t[q] >= 'A' && np->t[q] <= 'Z') ||
		(np->t[q] >= '0' && np->t[q] <= '9') || np->t[q] == '+' || np->t[q] == '.' ||
		np->t[q] == '-'))
		q++;
	return q > p && le - q >= 3 && memcmp(np->t + q, "://", 3) == 0;
}

uint32_t not_prose_special_end(struct not_prose *np, uint32_t p, uint32_t le, bool *link)
{
	const char *t = np->t;
	*link = false;
	char ch = t[p];
	if (ch == '[') {
		uint32_t q = find(np, &np->close_sq, p + 1, le, want_sq);
		if (q >= le || q + 1 >= le)
			return p;
		if (t[q + 1] == '(') {
			uint32_t r = find(np, &np->close_par, q + 2, le, want_par);
			if (r < le) {
				*link = true;
				return r + 1;
			}
		} else if (t[q + 1] == '[') {
			uint32_t r = find(np, &np->close_sq2, q + 2, le, want_sq);
			if (r < le) {
				*link = true;
				return r + 1;
			}
		} else if (t[q + 1] == ':') {
			*link = true;
			return le;
		}
		return p;
	}
	if (ch == '<') {
		if (p + 1 < le && ((t[p + 1] >= 'a' && t[p + 1] <= 'z') ||
				   (t[p + 1] >= 'A' && t[p + 1] <= 'Z') || t[p + 1] == '/' ||
				   t[p + 1] == '!' ||
				   (np->tag_digit && t[p + 1] >= '0' && t[p + 1] <= '9'))) {
			uint32_t q = find(np, &np->close_gt, p + 1, le, want_gt);
			if (q < le)
				return q + 1;
		}
		return p;
	}
	if (ch == '$') {
		if (p + 1 < np->len && t[p + 1] == '$') {
			uint32_t q = find(np, &np->dollars, p + 2, np->len, want_dollars);
			return q < np->len ? q + 2 : p;
		}
		if (p + 1 < le && !is_blank(t[p + 1])) {
			uint32_t q = find(np, &np->dollar, p + 1, le, want_dollar);
			if (q < le && !is_blank(t[q - 1]) &&
			    !(q + 1 < le && t[q + 1] >= '0' && t[q + 1] <= '9'))
				return q + 1;
		}
		return p;
	}
	if (url_at(np, p, le)) {
		uint32_t q = p;
		while (q < le && !is_blank(t[q]))
			q++;
		return q;
	}
	return p;
}

/* ---------------------------------------------------------------------- */

static int skip_cmp(const void *a, const void *b)
{
	const struct not_prose_skip *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* One of the note's lists of what is not prose, read in place: the span
 * of its next item is at `at`, the one after stride bytes further. */
struct skip_src {
	const char *at;
	size_t stride;
	uint32_t left;
	bool link;
};

#define SKIP_SRC(list, type, field, is_link)                                              \
	{ (list).len ? (const char *)(list).items + offsetof(type, field) : NULL, sizeof(type), \
	  (list).len, (is_link) }

static struct span src_span(const struct skip_src *s)
{
	struct span sp;
	memcpy(&sp, s->at, sizeof(sp));
	return sp;
}

/* The parser makes each list in text order, so they are merged, not
 * sorted: qsort was a tenth of the pass. The order is checked all the
 * same, and sorted if a list was not. */
void not_prose_init(struct not_prose *np, const struct note *n, unsigned flags)
{
	*np = (struct not_prose){ .t = n->text, .len = n->len,
				  .tag_digit = flags & NOT_PROSE_TAG_DIGIT };
	struct skip_src src[] = {
		SKIP_SRC(n->headings, struct heading, line, false),
		SKIP_SRC(n->zones, struct zone, span, false),
		SKIP_SRC(n->links, struct wikilink, span, true),
		SKIP_SRC(n->tags, struct tag, span, false),
		SKIP_SRC(n->blocks, struct block_id, span, false),
	};
	if (!(flags & NOT_PROSE_HEADINGS))
		src[0].left = 0;
	uint32_t total = 0;
	for (size_t i = 0; i < sizeof(src) / sizeof(*src); i++)
		total += src[i].left;
	if (!total)
		return;
	array_reserve(&np->skip, total);
	bool sorted = true;
	for (;;) {
		struct skip_src *best = NULL;
		struct span bs = { 0, 0 };
		for (size_t i = 0; i < sizeof(src) / sizeof(*src); i++) {
			if (!src[i].left)
				continue;
			struct span sp = src_span(&src[i]);
			if (!best || sp.start < bs.start) {
				best = &src[i];
				bs = sp;
			}
		}
		if (!best)
			break;
		best->at += best->stride;
		best->left--;
		if (!bs.len)
			continue;
		struct not_prose_skip k = { bs.start, span_end(bs), best->link };
		if (np->skip.len && k.start < np->skip.items[np->skip.len - 1].start)
			sorted = false;
		np->skip.items[np->skip.len++] = k;
	}
	if (!np->skip.len)
		return;
	if (!sorted)
		qsort(np->skip.items, np->skip.len, sizeof(*np->skip.items), skip_cmp);
	uint32_t w = 0;
	for (uint32_t i = 1; i < np->skip.len; i++) {
		struct not_prose_skip *last = &np->skip.items[w], *k = &np->skip.items[i];
		if (k->start < last->end) {
			if (k->end > last->end)
				last->end = k->end;
			last->link |= k->link;
		} else {
			np->skip.items[++w] = *k;
		}
	}
	np->skip.len = w + 1;
}

void not_prose_fini(struct not_prose *np)
{
	array_free(&np->skip);
}
