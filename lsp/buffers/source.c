/*
 * source.c — the text of one buffer as the tree-sitter parsers read it:
 * the copy, its line indexes, the guards against the block scanner's
 * flaws, and the one call that parses it within a time limit.
 */
#include "source.h"

#include <stdlib.h>
#include <string.h>

static void index_lines(struct source *s)
{
	s->lines.len = 0;
	array_push(&s->lines, 0);
	const char *p = s->text, *end = s->text + s->len;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		p++;
		array_push(&s->lines, (uint32_t)(p - s->text));
	}
	s->breaks.len = 0;
	array_push(&s->breaks, 0);
	for (uint32_t i = 0; i < s->len; i++) {
		if (s->text[i] == '\r' && i + 1 < s->len && s->text[i + 1] == '\n')
			i++;
		if (s->text[i] == '\n' || s->text[i] == '\r')
			array_push(&s->breaks, i + 1);
	}
}

/*
 * Guards against two flaws of the block grammar's scanner (0.3.2), by
 * giving the parsers a copy of the text with a few bytes replaced by 'x'
 * (same length, so every offset holds). Ordinary notes are never touched.
 * Each decision depends on one line alone, which lets an edit be widened
 * to whole lines instead of re-parsing everything.
 *
 * 1. Nesting. It serializes its stack of open blocks, 4 bytes each, into
 *    tree-sitter's 1024-byte buffer without a bound check, and counts
 *    matched blocks in a uint8_t: at ~255 nested containers it writes out
 *    of bounds and crashes the server. Only a line's container prefix opens
 *    or continues blocks ('>' one each, a list marker one each, at least
 *    two columns of indentation per continued list item), so an upper
 *    bound is cheap per line. The byte where it would pass NEST_LIMIT ends
 *    the prefix; the rest of the line is paragraph text.
 *
 * 2. Runs of '*' or '_' (spaces and tabs between them allowed). At each one
 *    it scans the rest of the run for a thematic break: quadratic, 10k of
 *    them take 1-2 s and 40k half a minute. Every RUN_LIMIT bytes such a
 *    run is broken, unless it is a whole line (a thematic break, which is
 *    recognized in one scan).
 *
 * 3. NUL bytes. The scanner takes a NUL for the end of the input: the rest
 *    of its block becomes an ERROR node ("- a\n\0\n- b" loses the item
 *    b), and ts_tree_get_changed_ranges over such trees is worse than
 *    quadratic (an edit among 10k list items with NUL lines: 21 s; 20k:
 *    85 s). CommonMark reads a NUL as U+FFFD, an ordinary character, and
 *    so does the 'x' put in its place.
 */
#define NEST_LIMIT 128
#define RUN_LIMIT 256


static bool is_eol_or_space(const char *t, uint32_t i, uint32_t end)
{
	return i >= end || t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
	       t[i] == '\r';
}

/* The offset in line [start, end) where its container prefix passes
 * NEST_LIMIT blocks, or UINT32_MAX. Weights are in half blocks: a '>' or a
 * list marker is 2, a column of indentation 1. */
static uint32_t over_deep_at(const char *t, uint32_t start, uint32_t end)
{
	uint32_t half = 0, col = 0;
	for (uint32_t i = start; i < end;) {
		uint32_t w = 2, next = i + 1;
		char c = t[i];
		if (c == ' ') {
			w = 1;
		} else if (c == '\t') {
			w = 4 - col % 4;
		} else if (c == '-' || c == '*' || c == '+') {
			if (!is_eol_or_space(t, i + 1, end))
				return UINT32_MAX;
		} else if (c >= '0' && c <= '9') {
			uint32_t j = i;
			while (j < end && j - i < 10 && t[j] >= '0' && t[j] <= '9')
				j++;
			if (j >= end || (t[j] != '.' && t[j] != ')') ||
			    !is_eol_or_space(t, j + 1, end))
				return UINT32_MAX;
			next = j + 1;
		} else if (c != '>') {
			return UINT32_MAX; /* end of the prefix */
		}
		if (half + w > 2 * NEST_LIMIT) {
			/* A blank line opens nothing, however long. */
			for (uint32_t k = i; k < end; k++)
				if (!source_is_space(t[k]))
					return i;
			return UINT32_MAX;
		}
		half += w;
		col += c == '\t' ? w : next - i;
		i = next;
	}
	return UINT32_MAX;
}

static void guard_byte(struct source *s, uint32_t at)
{
	if (!s->guarded)
		s->guarded = xstrndup(s->text, s->len);
	s->guarded[at] = 'x';
}

/* Breaks the over-long runs of '*' or '_' in line [start, end). */
static void guard_runs(struct source *s, uint32_t start, uint32_t end)
{
	const char *t = s->text;
	uint32_t content = start; /* the first byte that is not indentation */
	while (content < end && (t[content] == ' ' || t[content] == '\t'))
		content++;
	for (uint32_t i = content; i < end; i++) {
		char c = t[i];
		if (c != '*' && c != '_')
			continue;
		uint32_t j = i + 1;
		while (j < end && (t[j] == c || t[j] == ' ' || t[j] == '\t'))
			j++;
		bool whole_line = i == content &&
				  (j == end || t[j] == '\n' || t[j] == '\r');
		if (j - i > RUN_LIMIT && !whole_line)
			for (uint32_t k = i + RUN_LIMIT; k < j; k += RUN_LIMIT)
				guard_byte(s, k);
		i = j - 1;
	}
}

/* Sets s->guarded: NULL when no line needs a guard. */
static void guard_text(struct source *s)
{
	free(s->guarded);
	s->guarded = NULL;
	for (uint32_t l = 0; l < s->lines.len; l++) {
		uint32_t start = s->lines.items[l];
		uint32_t end = l + 1 < s->lines.len ? s->lines.items[l + 1]
						     : s->len;
		uint32_t cut = over_deep_at(s->text, start, end);
		if (cut != UINT32_MAX)
			guard_byte(s, cut);
		guard_runs(s, start, end);
	}
	for (const char *p = memchr(s->text, '\0', s->len); p;
	     p = memchr(p + 1, '\0', s->len - (uint32_t)(p + 1 - s->text)))
		guard_byte(s, (uint32_t)(p - s->text));
}

void source_set(struct source *s, const char *text, size_t len)
{
	if (len >= UINT32_MAX || !text)
		len = 0;
	free(s->text);
	s->text = xstrndup(text ? text : "", len);
	s->len = (uint32_t)len;
	index_lines(s);
	guard_text(s);
}

uint32_t source_line_of(const struct source *s, uint32_t off)
{
	uint32_t lo = 0, hi = s->lines.len;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->lines.items[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

uint32_t source_break_of(const struct source *s, uint32_t off)
{
	uint32_t lo = 0, hi = s->breaks.len;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->breaks.items[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

TSPoint source_point_at(const struct source *s, uint32_t off)
{
	uint32_t row = source_line_of(s, off);
	return (TSPoint){ row, off - s->lines.items[row] };
}

TSTree *source_parse(const struct source *s, TSParser *p, TSTree *old,
		     uint64_t timeout_micros)
{
	/* Whole seconds, at least one (0 would mean "no limit"). */
	uint64_t seconds = (timeout_micros + 999999u) / 1000000u;
	ts_parser_set_timeout_micros(p, (seconds ? seconds : 1) * 1000000u);
	TSTree *t = ts_parser_parse_string(p, old,
					   s->guarded ? s->guarded : s->text,
					   s->len);
	if (!t)
		ts_parser_reset(p);
	return t;
}

uint32_t source_last_content_byte(const struct source *s, uint32_t from,
				  uint32_t to, struct trim_cache *cache)
{
	if (!cache->valid || cache->to != to) {
		uint32_t e = to;
		while (e > 0 && source_is_space(s->text[e - 1]))
			e--;
		uint32_t last = e;
		/* Keep trailing spaces of that line: part of the block. */
		while (last < to && s->text[last] != '\n' && s->text[last] != '\r')
			last++;
		*cache = (struct trim_cache){ to, e, last ? last - 1 : 0, true };
	}
	return cache->content <= from ? from : cache->last;
}

void source_fini(struct source *s)
{
	array_free(&s->lines);
	array_free(&s->breaks);
	free(s->guarded);
	free(s->text);
}
