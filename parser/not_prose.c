/*
 * not_prose.c — what in a note's body is not prose, for mentions.c's pass:
 * the note model's spans, sorted and merged, and what the model does not
 * know (Markdown links, URLs, math, inline HTML tags), recognised where
 * the pass meets it. Everything that searches ahead (a closing ']' or
 * '$') remembers its answer, so that a line of a thousand unclosed '['
 * stays linear.
 */
#include "not_prose.h"

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

static bool want_nl(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == '\n' || t[at] == '\r';
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

uint32_t not_prose_line_end(struct not_prose *np, uint32_t p)
{
	return find(np, &np->nl, p, np->len, want_nl);
}

uint32_t not_prose_close_paren(struct not_prose *np, uint32_t p, uint32_t limit)
{
	return find(np, &np->paren, p, limit, want_par);
}

const struct not_prose_skip *not_prose_skip_at(struct not_prose *np, uint32_t p)
{
	while (np->si < np->skip.len && np->skip.items[np->si].end <= p)
		np->si++;
	if (np->si < np->skip.len && np->skip.items[np->si].start <= p)
		return &np->skip.items[np->si];
	return NULL;
}

uint32_t not_prose_next_skip(const struct not_prose *np)
{
	return np->si < np->skip.len ? np->skip.items[np->si].start : np->len;
}

/* A URL starting at p: "scheme://", "www." or "mailto:". */
static bool url_at(const struct not_prose *np, uint32_t p, uint32_t le)
{
	if (ascii_prefix_nocase(np->t, p, le, "www.") || ascii_prefix_nocase(np->t, p, le, "mailto:"))
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
				   t[p + 1] == '!')) {
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

static void add_skip(struct not_prose *np, struct span s, bool link)
{
	if (s.len) {
		struct not_prose_skip k = { s.start, span_end(s), link };
		array_push(&np->skip, k);
	}
}

void not_prose_init(struct not_prose *np, const struct note *n)
{
	*np = (struct not_prose){ .t = n->text, .len = n->len };
	for (uint32_t i = 0; i < n->headings.len; i++)
		add_skip(np, n->headings.items[i].line, false);
	for (uint32_t i = 0; i < n->zones.len; i++)
		add_skip(np, n->zones.items[i].span, false);
	for (uint32_t i = 0; i < n->links.len; i++)
		add_skip(np, n->links.items[i].span, true);
	for (uint32_t i = 0; i < n->tags.len; i++)
		add_skip(np, n->tags.items[i].span, false);
	for (uint32_t i = 0; i < n->blocks.len; i++)
		add_skip(np, n->blocks.items[i].span, false);
	if (!np->skip.len)
		return;
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
