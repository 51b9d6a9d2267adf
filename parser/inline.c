/*
 * inline.c — wikilinks, embeds, tags, block ids and code spans in the text of
 * one leaf block.
 *
 * cmark knows none of Obsidian's syntax, and its inline source positions are
 * unreliable, so we scan the block's raw bytes ourselves. Every pass moves
 * forward only (or binary-searches), so a line of 100,000 "[[" or a 5 MB
 * paragraph costs linear time.
 */
#include "inline.h"

#include <stdlib.h>
#include <string.h>

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A run of backticks, a code span opener or closer candidate. */
struct run {
	uint32_t pos, len;
	bool escaped; /* preceded by an odd number of backslashes */
};

/* Sort key for "the next run of exactly this length after run i". */
struct run_key {
	uint32_t len, idx;
};

static int run_key_cmp(const void *a, const void *b)
{
	const struct run_key *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Index of the first run after run `after` whose length is exactly len. */
static int64_t next_run(const struct run_key *keys, uint32_t n, uint32_t len, uint32_t after)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (keys[mid].len < len || (keys[mid].len == len && keys[mid].idx <= after))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && keys[lo].len == len)
		return keys[lo].idx;
	return -1;
}

/*
 * Code spans per CommonMark: a backtick string opens, the next string of the
 * same length closes, and an opener without a closer is literal text. A
 * backslash escapes an opener's first backtick but means nothing inside a
 * span, so it cannot protect a closer. A naive "search for the closer" is
 * quadratic on "` `` ``` ...", hence the sorted index of runs.
 */
static void find_code_spans(struct note *note, const char *t, uint32_t start, uint32_t end)
{
	ARRAY(struct run) runs = { 0 };
	for (uint32_t i = start; i < end; i++) {
		if (t[i] != '`')
			continue;
		uint32_t j = i;
		while (j < end && t[j] == '`')
			j++;
		uint32_t bs = 0;
		while (i - bs > start && t[i - bs - 1] == '\\')
			bs++;
		struct run r = { i, j - i, bs % 2 == 1 };
		array_push(&runs, r);
		i = j - 1;
	}
	if (runs.len < 2) {
		array_free(&runs);
		return;
	}
	struct run_key *keys = xmalloc(runs.len * sizeof(*keys));
	for (uint32_t i = 0; i < runs.len; i++)
		keys[i] = (struct run_key){ runs.items[i].len, i };
	qsort(keys, runs.len, sizeof(*keys), run_key_cmp);

	for (uint32_t i = 0; i < runs.len; i++) {
		struct run r = runs.items[i];
		if (r.escaped) {
			r.pos++;
			r.len--;
		}
		if (r.len == 0)
			continue;
		int64_t j = next_run(keys, runs.len, r.len, i);
		if (j < 0)
			continue;
		struct zone z = { { r.pos, runs.items[j].pos + r.len - r.pos }, ZONE_CODE_SPAN };
		array_push(&note->zones, z);
		i = (uint32_t)j;
	}
	free(keys);
	array_free(&runs);
}

/*
 * Splits the inside of [[...]] at the first '|' ("\|" in a table cell, the
 * backslash belonging to neither side) and the target at the first '#'.
 */
static void push_link(struct note *note, const char *t, uint32_t start, uint32_t open,
		      uint32_t inner_end, uint32_t end, bool closed)
{
	uint32_t s = open + 2, e = inner_end;
	uint32_t bar = UINT32_MAX, sep = e;
	const char *p = memchr(t + s, '|', e - s);
	if (p) {
		bar = (uint32_t)(p - t);
		sep = bar > s && t[bar - 1] == '\\' ? bar - 1 : bar;
	}
	p = memchr(t + s, '#', sep - s);
	uint32_t hash = p ? (uint32_t)(p - t) : UINT32_MAX;

	struct wikilink l = { 0 };
	l.span = (struct span){ start, end - start };
	l.flags = (start < open ? WIKILINK_EMBED : 0) | (closed ? WIKILINK_CLOSED : 0);
	if (hash != UINT32_MAX) {
		l.target_len = hash - s;
		l.subpath_len = sep - hash - 1;
		l.has_subpath = true;
	} else {
		l.target_len = sep - s;
	}
	l.has_display = bar != UINT32_MAX;
	l.escaped_bar = l.has_display && sep < bar;
	array_push(&note->links, l);
}

/*
 * Links within one line piece [a, b) that holds no code span. A "[[" looks
 * for its "]]" up to the piece's end but stops at the next "[[": in
 * "[[a [[b]]" the inner link wins and "[[a " is an unclosed link, which is
 * what an editor needs while the user is still typing. Every byte is looked
 * at a bounded number of times, whatever the mix of brackets.
 */
static void scan_links(struct note *note, const char *t, uint32_t a, uint32_t b)
{
	uint32_t i = a;
	while (i + 1 < b) {
		const char *p = memchr(t + i, '[', b - i - 1);
		if (!p)
			break;
		uint32_t open = (uint32_t)(p - t);
		if (t[open + 1] != '[') {
			i = open + 1;
			continue;
		}
		/* In a longer run of '[' the last two open: "[[[a]]]" links
		 * to "a", like "[[x [[a]]" does. */
		while (open + 2 < b && t[open + 2] == '[')
			open++;
		uint32_t q = open + 2;
		while (q + 1 < b && !(t[q] == ']' && t[q + 1] == ']') &&
		       !(t[q] == '[' && t[q + 1] == '['))
			q++;
		uint32_t inner_end, end;
		bool closed = false;
		if (q + 1 < b && t[q] == ']') {
			inner_end = q;
			end = q + 2;
			closed = true;
		} else if (q + 1 < b) {
			/* Stop before the next link, its embed '!' included. */
			inner_end = end = q > open + 2 && t[q - 1] == '!' ? q - 1 : q;
		} else {
			inner_end = end = b;
		}
		uint32_t start = open > a && t[open - 1] == '!' ? open - 1 : open;
		push_link(note, t, start, open, inner_end, end, closed);
		i = end;
	}
}

static bool is_tag_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/' || c >= 0x80;
}

/* A tag starts a word: after whitespace, the block's start, or '(' — but not
 * the '(' of a Markdown link's destination, "[text](#heading)". */
static bool tag_may_start(const char *t, uint32_t block_start, uint32_t j)
{
	if (j == block_start || j == 0)
		return true;
	char c = t[j - 1];
	if (c == ' ' || c == '\t' || is_eol(c))
		return true;
	return c == '(' && !(j >= 2 && t[j - 2] == ']');
}

/* Tags in [a, b), skipping the links found in it (note->links from li on). */
static void scan_tags(struct note *note, const char *t, uint32_t block_start, uint32_t a,
		      uint32_t b, uint32_t li)
{
	for (uint32_t j = a; j < b; j++) {
		const char *p = memchr(t + j, '#', b - j);
		if (!p)
			break;
		j = (uint32_t)(p - t);
		while (li < note->links.len && span_end(note->links.items[li].span) <= j)
			li++;
		if (li < note->links.len && note->links.items[li].span.start <= j) {
			j = span_end(note->links.items[li].span) - 1;
			continue;
		}
		if (!tag_may_start(t, block_start, j))
			continue;
		uint32_t k = j + 1;
		bool word = false;
		while (k < b && is_tag_char((unsigned char)t[k])) {
			if (t[k] < '0' || t[k] > '9')
				word = true;
			k++;
		}
		if (!word)
			continue;
		struct tag tag = { { j, k - j } };
		array_push(&note->tags, tag);
		j = k - 1;
	}
}

static bool is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

/* True when offset lies in one of the sorted, disjoint zones[lo..hi). */
static bool in_zones(const struct note *note, uint32_t lo, uint32_t hi, uint32_t offset)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (note->zones.items[mid].span.start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && offset < span_end(note->zones.items[lo - 1].span);
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * "^id" ending the line [ls, le) (trailing blanks allowed), outside this
 * block's code spans (zones from z0) and outside the line's links
 * (note->links from l0). The caret may be glued to what precedes it, as
 * Obsidian allows ("![[chart.png]]^fig-3", "text.^ab12"), but not to an
 * ASCII letter or digit: "x^2" and "mc^2" at a line's end are exponents,
 * and a false id would be offered by completion as a block to link to.
 * (A non-ASCII byte does not stop it: "…^id", "✅^id".)
 */
static void scan_block_id(struct note *note, const char *t, uint32_t ls, uint32_t le,
			  uint32_t z0, uint32_t l0, struct span block)
{
	uint32_t e = le;
	while (e > ls && is_blank(t[e - 1]))
		e--;
	uint32_t k = e;
	while (k > ls && is_id_char(t[k - 1]))
		k--;
	if (k == e || k == ls || t[k - 1] != '^')
		return;
	uint32_t caret = k - 1;
	if (caret > ls && is_alnum(t[caret - 1]))
		return;
	if (in_zones(note, z0, note->zones.len, caret))
		return;
	/* Links are sorted and disjoint: only the line's last one can
	 * reach its end. A link that ends where the caret starts
	 * ("[[a]]^id") leaves the id alone. */
	if (note->links.len > l0 && caret < span_end(note->links.items[note->links.len - 1].span))
		return;
	struct block_id b = { { caret, e - caret }, { k, e - k }, block };
	array_push(&note->blocks, b);
}

void inline_code_spans(struct note *note, const char *t, struct span range)
{
	uint32_t end = span_end(range) < note->len ? span_end(range) : note->len;
	if (range.start < end)
		find_code_spans(note, t, range.start, end);
}

void inline_scan(struct note *note, const char *t, struct span range, struct span block)
{
	uint32_t start = range.start, end = span_end(range);
	if (end > note->len)
		end = note->len;
	if (start >= end)
		return;
	uint32_t z0 = note->zones.len;
	find_code_spans(note, t, start, end);

	uint32_t zi = z0, ls = start;
	for (;;) {
		uint32_t le = ls;
		while (le < end && !is_eol(t[le]))
			le++;
		uint32_t l0 = note->links.len;
		/* The line minus its code spans, which may start or end
		 * on another line of the block. */
		uint32_t pos = ls;
		while (pos < le) {
			while (zi < note->zones.len && span_end(note->zones.items[zi].span) <= pos)
				zi++;
			if (zi < note->zones.len && note->zones.items[zi].span.start <= pos) {
				pos = span_end(note->zones.items[zi].span);
				continue;
			}
			uint32_t pe = le;
			if (zi < note->zones.len && note->zones.items[zi].span.start < le)
				pe = note->zones.items[zi].span.start;
			uint32_t li = note->links.len;
			scan_links(note, t, pos, pe);
			scan_tags(note, t, start, pos, pe, li);
			pos = pe;
		}
		scan_block_id(note, t, ls, le, z0, l0, block);
		if (le >= end)
			break;
		ls = le + (t[le] == '\r' && le + 1 < end && t[le + 1] == '\n' ? 2 : 1);
	}
}
