/* position.c — byte offsets <-> LSP (line, character). */
#include "position.h"

#include <stdlib.h>
#include <string.h>

/* The starts of lines 0, stride, 2 * stride, ... */
static void build(struct line_map *map, const char *text, size_t len, uint32_t stride)
{
	ARRAY(uint32_t) starts = { 0 };
	array_push(&starts, 0);
	uint32_t line = 0;
	/* Most texts have no '\r': then memchr finds the lines. */
	bool cr = memchr(text, '\r', len) != NULL;
	for (size_t i = 0; i < len; i++) {
		if (!cr) {
			const char *nl = memchr(text + i, '\n', len - i);
			if (!nl)
				break;
			i = (size_t)(nl - text);
		} else if (text[i] != '\n' && text[i] != '\r') {
			continue;
		}
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		if (++line % stride == 0)
			array_push(&starts, (uint32_t)(i + 1));
	}
	/* Kept for every note of the vault: no growth slack. */
	array_shrink(&starts);
	map->starts = starts.items;
	map->n = starts.len;
	map->stride = stride;
	if (map->n == 1 && stride > 1) {
		/* Line 0 starts at 0: nothing to keep. */
		line_map_fini(map);
		map->stride = stride;
	}
}

void line_map_init(struct line_map *map, const char *text, size_t len)
{
	build(map, text, len, 1);
}

void line_map_init_compact(struct line_map *map, const char *text, size_t len)
{
	build(map, text, len, POS_STRIDE);
}

void line_map_fini(struct line_map *map)
{
	free(map->starts);
	map->starts = NULL;
	map->n = 0;
}

/* A line: its index, where it starts, and where its content ends (before
 * its line break). */
struct line {
	uint32_t index, start, end;
};

/* The first line break at or after from: its offset (len if none), and in
 * *after the start of the next line ("\r\n" is one break). */
static size_t next_break(const char *text, size_t len, size_t from, size_t *after)
{
	const char *nl = memchr(text + from, '\n', len - from);
	size_t limit = nl ? (size_t)(nl - text) : len;
	const char *cr = memchr(text + from, '\r', limit - from);
	if (cr) {
		size_t at = (size_t)(cr - text);
		*after = at + 1 < len && text[at + 1] == '\n' ? at + 2 : at + 1;
		return at;
	}
	*after = limit < len ? limit + 1 : len;
	return limit;
}

/* Between the starts of a compact map, lines are found by walking the
 * text from line `from`: to the line holding offset `want`, or (by_index)
 * to line number `want`, or to the last line if there are fewer. */
static struct line walk_to(const char *text, size_t len, struct line from, bool by_index,
			   uint32_t want)
{
	struct line l = from;
	for (;;) {
		size_t after;
		size_t brk = next_break(text, len, l.start, &after);
		l.end = (uint32_t)brk;
		if (brk == len || (by_index ? l.index == want : after > want))
			return l;
		l.index++;
		l.start = (uint32_t)after;
	}
}

/* End of line `line`'s content, before its line break. */
static uint32_t line_end(const char *text, size_t len,
			 const struct line_map *map, uint32_t line)
{
	uint32_t end = line + 1 < map->n ? map->starts[line + 1] : (uint32_t)len;
	if (end > map->starts[line] && text[end - 1] == '\n')
		end--;
	if (end > map->starts[line] && text[end - 1] == '\r')
		end--;
	return end;
}

/* The line holding offset: the last start <= offset. */
static struct line line_at(const char *text, size_t len, const struct line_map *map,
			   uint32_t offset)
{
	uint32_t lo = 0, hi = map->n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (map->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	if (map->stride == 1)
		return (struct line){ lo, map->starts[lo], line_end(text, len, map, lo) };
	struct line from = { lo * map->stride, map->starts ? map->starts[lo] : 0, 0 };
	return walk_to(text, len, from, false, offset);
}

/* Line number `index`, if the text has it. */
static bool line_number(const char *text, size_t len, const struct line_map *map,
			uint32_t index, struct line *out)
{
	if (map->stride == 1) {
		if (index >= map->n)
			return false;
		*out = (struct line){ index, map->starts[index], line_end(text, len, map, index) };
		return true;
	}
	uint32_t k = map->stride ? index / map->stride : 0;
	if (k >= map->n)
		k = map->n ? map->n - 1 : 0;
	struct line from = { k * map->stride, map->starts ? map->starts[k] : 0, 0 };
	*out = walk_to(text, len, from, true, index);
	return out->index == index;
}

/* Width in code units of the character at text[i], and its byte length. */
static uint32_t char_units(const char *text, size_t len, size_t i,
			   enum pos_encoding enc, size_t *bytes)
{
	size_t n = utf8_seq_len((const unsigned char *)text + i, len - i);
	if (n == 0) {
		*bytes = 1;
		return 1;
	}
	*bytes = n;
	if (enc == POS_UTF8)
		return (uint32_t)n;
	return n == 4 ? 2 : 1;
}

struct lsp_pos position_from_offset(const char *text, size_t len,
				    const struct line_map *map, uint32_t offset,
				    enum pos_encoding enc)
{
	if (offset > len)
		offset = (uint32_t)len;
	struct line l = line_at(text, len, map, offset);
	if (offset > l.end)
		offset = l.end;
	uint32_t units = 0;
	size_t i = l.start;
	while (i < offset) {
		size_t bytes;
		uint32_t u = char_units(text, len, i, enc, &bytes);
		if (i + bytes > offset)
			break; /* offset inside a sequence: count its start */
		units += u;
		i += bytes;
	}
	return (struct lsp_pos){ l.index, units };
}

uint32_t position_to_offset(const char *text, size_t len,
			    const struct line_map *map, struct lsp_pos pos,
			    enum pos_encoding enc)
{
	struct line l;
	if (!line_number(text, len, map, pos.line, &l))
		return (uint32_t)len;
	size_t i = l.start;
	uint32_t units = 0;
	while (i < l.end) {
		size_t bytes;
		uint32_t u = char_units(text, len, i, enc, &bytes);
		if (units + u > pos.character)
			break;
		units += u;
		i += bytes;
	}
	return (uint32_t)i;
}

uint32_t utf8_count_chars(const char *text, size_t len)
{
	uint32_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t bytes = utf8_seq_len((const unsigned char *)text + i, len - i);
		i += bytes ? bytes : 1;
		n++;
	}
	return n;
}
