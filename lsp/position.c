/* position.c — byte offsets <-> LSP (line, character). */
#include "position.h"

#include <stdlib.h>

void line_map_init(struct line_map *map, const char *text, size_t len)
{
	ARRAY(uint32_t) starts = { 0 };
	array_push(&starts, 0);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			array_push(&starts, (uint32_t)(i + 1));
		} else if (text[i] == '\r') {
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
			array_push(&starts, (uint32_t)(i + 1));
		}
	}
	/* Kept for every note of the vault: no growth slack. */
	array_shrink(&starts);
	map->starts = starts.items;
	map->n = starts.len;
}

void line_map_fini(struct line_map *map)
{
	free(map->starts);
	map->starts = NULL;
	map->n = 0;
}

/* The line holding offset: the last start <= offset. */
static uint32_t line_of(const struct line_map *map, uint32_t offset)
{
	uint32_t lo = 0, hi = map->n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (map->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
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
	uint32_t line = line_of(map, offset);
	uint32_t end = line_end(text, len, map, line);
	if (offset > end)
		offset = end;
	uint32_t units = 0;
	size_t i = map->starts[line];
	while (i < offset) {
		size_t bytes;
		uint32_t u = char_units(text, len, i, enc, &bytes);
		if (i + bytes > offset)
			break; /* offset inside a sequence: count its start */
		units += u;
		i += bytes;
	}
	return (struct lsp_pos){ line, units };
}

uint32_t position_to_offset(const char *text, size_t len,
			    const struct line_map *map, struct lsp_pos pos,
			    enum pos_encoding enc)
{
	if (pos.line >= map->n)
		return (uint32_t)len;
	uint32_t end = line_end(text, len, map, pos.line);
	size_t i = map->starts[pos.line];
	uint32_t units = 0;
	while (i < end) {
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
