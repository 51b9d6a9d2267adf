/* position.c — byte offsets <-> LSP (line, character). */
#include "position.h"

#include <stdlib.h>

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

/* The marks of a long line [start, end): one at the first character
 * boundary at or after every LINE_MARK_BYTES bytes. */
static void mark_line(const char *text, size_t len, uint32_t start, uint32_t end,
		      struct line_map *map, uint32_t *cap)
{
	uint32_t utf16 = 0, chars = 0, next = start + LINE_MARK_BYTES;
	for (size_t i = start; i < end;) {
		if (i >= next) {
			if (map->n_marks == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				map->marks = xrealloc(map->marks, *cap * sizeof(*map->marks));
			}
			map->marks[map->n_marks++] = (struct line_mark){ (uint32_t)i, utf16, chars };
			next = (uint32_t)i + LINE_MARK_BYTES;
		}
		size_t bytes;
		utf16 += char_units(text, len, i, POS_UTF16, &bytes);
		chars++;
		i += bytes;
	}
}

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
	map->starts = starts.items;
	map->n = starts.len;
	map->marks = NULL;
	map->n_marks = 0;
	uint32_t cap = 0;
	for (uint32_t l = 0; l < map->n; l++) {
		uint32_t end = line_end(text, len, map, l);
		if (end - map->starts[l] > LINE_MARK_BYTES)
			mark_line(text, len, map->starts[l], end, map, &cap);
	}
}

void line_map_fini(struct line_map *map)
{
	free(map->starts);
	free(map->marks);
	map->starts = NULL;
	map->marks = NULL;
	map->n = map->n_marks = 0;
}

/* The last mark of line `line` at or before offset (by offset), or NULL. */
static const struct line_mark *mark_before(const struct line_map *map, uint32_t line,
					   uint32_t offset)
{
	uint32_t lo = 0, hi = map->n_marks; /* first mark past offset */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (map->marks[mid].offset <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || map->marks[lo - 1].offset <= map->starts[line])
		return NULL;
	return &map->marks[lo - 1];
}

/* Walks line `line` from its start, or the nearest mark, to offset (at
 * most its end): UTF-16 units, bytes and characters from the line's start. */
struct counts { uint32_t utf16, utf8, chars; };

static struct counts count_to(const char *text, size_t len, const struct line_map *map,
			      uint32_t line, uint32_t offset)
{
	uint32_t start = map->starts[line];
	struct counts c = { 0, 0, 0 };
	size_t i = start;
	const struct line_mark *m = mark_before(map, line, offset);
	if (m) {
		c = (struct counts){ m->utf16, m->offset - start, m->chars };
		i = m->offset;
	}
	while (i < offset) {
		size_t bytes;
		uint32_t u = char_units(text, len, i, POS_UTF16, &bytes);
		if (i + bytes > offset)
			break; /* offset inside a sequence: count its start */
		c.utf16 += u;
		c.utf8 += (uint32_t)bytes;
		c.chars++;
		i += bytes;
	}
	return c;
}

/* The line of offset (clamped to len), and offset clamped to its end. */
static uint32_t locate(size_t len, const char *text, const struct line_map *map,
		       uint32_t *offset)
{
	if (*offset > len)
		*offset = (uint32_t)len;
	uint32_t line = line_of(map, *offset);
	uint32_t end = line_end(text, len, map, line);
	if (*offset > end)
		*offset = end;
	return line;
}

struct lsp_pos position_from_offset(const char *text, size_t len,
				    const struct line_map *map, uint32_t offset,
				    enum pos_encoding enc)
{
	uint32_t line = locate(len, text, map, &offset);
	struct counts c = count_to(text, len, map, line, offset);
	return (struct lsp_pos){ line, enc == POS_UTF8 ? c.utf8 : c.utf16 };
}

uint32_t position_chars(const char *text, size_t len, const struct line_map *map,
			uint32_t offset)
{
	uint32_t line = locate(len, text, map, &offset);
	return count_to(text, len, map, line, offset).chars;
}

uint32_t position_to_offset(const char *text, size_t len,
			    const struct line_map *map, struct lsp_pos pos,
			    enum pos_encoding enc)
{
	if (pos.line >= map->n)
		return (uint32_t)len;
	uint32_t start = map->starts[pos.line];
	uint32_t end = line_end(text, len, map, pos.line);
	size_t i = start;
	uint32_t units = 0;
	/* Start from the line's last mark not past pos.character. */
	const struct line_mark *m = mark_before(map, pos.line, end);
	if (m) {
		uint32_t lo = 0, hi = (uint32_t)(m - map->marks) + 1; /* marks up to m */
		while (lo < hi) { /* first mark of the line past the character */
			uint32_t mid = lo + (hi - lo) / 2;
			const struct line_mark *k = &map->marks[mid];
			uint32_t u = enc == POS_UTF8 ? k->offset - start : k->utf16;
			if (k->offset <= start || u <= pos.character)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && map->marks[lo - 1].offset > start) {
			const struct line_mark *k = &map->marks[lo - 1];
			i = k->offset;
			units = enc == POS_UTF8 ? k->offset - start : k->utf16;
		}
	}
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
