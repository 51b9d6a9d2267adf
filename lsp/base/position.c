/* position.c — byte offsets <-> LSP (line, character). */
#include "position.h"
#include "binio.h"

#include <stdlib.h>
#include <string.h>

typedef ARRAY(struct line_mark) mark_array;

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

/* The marks of the long line `line` = [start, end): one at the first
 * character boundary at or after every LINE_MARK_BYTES bytes. */
static void mark_line(const char *text, size_t len, uint32_t line, uint32_t start,
		      uint32_t end, mark_array *marks)
{
	uint32_t utf16 = 0, chars = 0, next = start + LINE_MARK_BYTES;
	for (size_t i = start; i < end;) {
		if (i >= next) {
			array_push(marks, ((struct line_mark){ (uint32_t)i, line, start, end, utf16,
								chars }));
			next = (uint32_t)i + LINE_MARK_BYTES;
		}
		size_t bytes;
		utf16 += char_units(text, len, i, POS_UTF16, &bytes);
		chars++;
		i += bytes;
	}
}

/* The starts of lines 0, stride, 2 * stride, ..., and the marks of every
 * long line. */
static void build(struct line_map *map, const char *text, size_t len, uint32_t stride)
{
	ARRAY(uint32_t) starts = { 0 };
	mark_array marks = { 0 };
	array_push(&starts, 0);
	uint32_t line = 0, start = 0;
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
		if (i - start > LINE_MARK_BYTES)
			mark_line(text, len, line, start, (uint32_t)i, &marks);
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		start = (uint32_t)(i + 1);
		if (++line % stride == 0)
			array_push(&starts, start);
	}
	if (len - start > LINE_MARK_BYTES)
		mark_line(text, len, line, start, (uint32_t)len, &marks);
	/* Kept for every note of the vault: no growth slack. */
	array_shrink(&starts);
	array_shrink(&marks);
	map->starts = starts.items;
	map->n = starts.len;
	map->stride = stride;
	map->marks = marks.items;
	map->n_marks = marks.len;
	if (map->n == 1 && stride > 1) {
		/* Line 0 starts at 0: nothing to keep. */
		free(map->starts);
		map->starts = NULL;
		map->n = 0;
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

_Static_assert(sizeof(struct line_mark) == 6 * sizeof(uint32_t), "a mark: six words, no padding");

void line_map_pack(const struct line_map *map, struct strbuf *out)
{
	binio_put_u32(out, map->stride);
	binio_put_u32(out, map->n);
	strbuf_put(out, (const char *)map->starts, (size_t)map->n * sizeof(uint32_t));
	binio_put_u32(out, map->n_marks);
	strbuf_put(out, (const char *)map->marks, (size_t)map->n_marks * sizeof(struct line_mark));
}

bool line_map_unpack(struct binio_reader *r, size_t len, struct line_map *out)
{
	memset(out, 0, sizeof(*out));
	uint32_t stride = binio_u32(r), n = binio_u32(r);
	const void *starts = binio_take(r, (size_t)n * sizeof(uint32_t));
	uint32_t n_marks = binio_u32(r);
	const void *marks = binio_take(r, (size_t)n_marks * sizeof(struct line_mark));
	/* Only compact maps are kept (a full one needs every start). */
	if (r->bad || stride != POS_STRIDE) {
		binio_fail(r);
		return false;
	}
	out->stride = stride;
	if (n) {
		out->starts = xmalloc((size_t)n * sizeof(uint32_t));
		memcpy(out->starts, starts, (size_t)n * sizeof(uint32_t));
		out->n = n;
	}
	if (n_marks) {
		out->marks = xmalloc((size_t)n_marks * sizeof(struct line_mark));
		memcpy(out->marks, marks, (size_t)n_marks * sizeof(struct line_mark));
		out->n_marks = n_marks;
	}
	bool ok = !n || out->starts[0] == 0;
	for (uint32_t i = 0; ok && i < n; i++)
		ok = out->starts[i] <= len && (!i || out->starts[i - 1] <= out->starts[i]);
	for (uint32_t i = 0; ok && i < n_marks; i++) {
		const struct line_mark *m = &out->marks[i];
		ok = m->start <= m->offset && m->offset <= m->end && m->end <= len &&
		     (!i || (out->marks[i - 1].offset <= m->offset && out->marks[i - 1].line <= m->line));
	}
	if (!ok) {
		binio_fail(r);
		line_map_fini(out);
	}
	return ok;
}

void line_map_fini(struct line_map *map)
{
	free(map->starts);
	free(map->marks);
	map->starts = NULL;
	map->marks = NULL;
	map->n = map->n_marks = 0;
}

/* The last mark at or before offset, or NULL. */
static const struct line_mark *mark_at(const struct line_map *map, uint32_t offset)
{
	uint32_t lo = 0, hi = map->n_marks;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (map->marks[mid].offset <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &map->marks[lo - 1] : NULL;
}

/* The first mark of a line after `line`: an index into marks. */
static uint32_t marks_after(const struct line_map *map, uint32_t line)
{
	uint32_t lo = 0, hi = map->n_marks;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (map->marks[mid].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A line: its index, where it starts, and where its content ends (before
 * its line break). */
struct line {
	uint32_t index, start, end;
};

/* The start of the line after the break at brk ("\r\n" is one break). */
static size_t after_break(const char *text, size_t len, size_t brk)
{
	if (brk < len && text[brk] == '\r' && brk + 1 < len && text[brk + 1] == '\n')
		return brk + 2;
	return brk < len ? brk + 1 : len;
}

/* The first line break at or after from: its offset, or len if none. */
static size_t next_break(const char *text, size_t len, size_t from)
{
	const char *nl = memchr(text + from, '\n', len - from);
	size_t limit = nl ? (size_t)(nl - text) : len;
	const char *cr = memchr(text + from, '\r', limit - from);
	return cr ? (size_t)(cr - text) : limit;
}

/* Between the starts of a compact map, lines are found by walking the
 * text from line `from` (whose end is known if it comes from a mark): to
 * the line holding offset `want`, or (by_index) to line number `want`, or
 * to the last line if there are fewer. */
static struct line walk_to(const char *text, size_t len, struct line from, bool end_known,
			   bool by_index, uint32_t want)
{
	struct line l = from;
	for (;;) {
		if (!end_known)
			l.end = (uint32_t)next_break(text, len, l.start);
		end_known = false;
		size_t after = after_break(text, len, l.end);
		if (l.end == len || (by_index ? l.index == want : after > want))
			return l;
		l.index++;
		l.start = (uint32_t)after;
	}
}

/* End of line `line`'s content, before its line break (stride 1). */
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
	const struct line_mark *m = mark_at(map, offset);
	bool marked = m && m->line >= from.index;
	if (marked)
		from = (struct line){ m->line, m->start, m->end };
	return walk_to(text, len, from, marked, false, offset);
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
	uint32_t j = marks_after(map, index); /* past the last mark of a line <= index */
	const struct line_mark *m = j ? &map->marks[j - 1] : NULL;
	bool marked = m && m->line >= from.index;
	if (marked)
		from = (struct line){ m->line, m->start, m->end };
	*out = walk_to(text, len, from, marked, true, index);
	return out->index == index;
}

/* From the start of line l (or its nearest mark) to offset <= l.end: UTF-16
 * units, bytes and characters. */
struct counts {
	uint32_t utf16, utf8, chars;
};

static struct counts count_to(const char *text, size_t len, const struct line_map *map,
			      struct line l, uint32_t offset)
{
	struct counts c = { 0, 0, 0 };
	size_t i = l.start;
	const struct line_mark *m = mark_at(map, offset);
	if (m && m->start == l.start) {
		c.utf16 = m->utf16;
		c.chars = m->chars;
		i = m->offset;
	}
	while (i < offset) {
		size_t bytes;
		uint32_t u = char_units(text, len, i, POS_UTF16, &bytes);
		if (i + bytes > offset)
			break; /* offset inside a sequence: count its start */
		c.utf16 += u;
		c.chars++;
		i += bytes;
	}
	c.utf8 = (uint32_t)(i - l.start);
	return c;
}

/* The line of offset (clamped to len), and offset clamped to its end. */
static struct line locate(const char *text, size_t len, const struct line_map *map,
			  uint32_t *offset)
{
	if (*offset > len)
		*offset = (uint32_t)len;
	struct line l = line_at(text, len, map, *offset);
	if (*offset > l.end)
		*offset = l.end;
	return l;
}

struct lsp_pos position_from_offset(const char *text, size_t len,
				    const struct line_map *map, uint32_t offset,
				    enum pos_encoding enc)
{
	struct line l = locate(text, len, map, &offset);
	struct counts c = count_to(text, len, map, l, offset);
	return (struct lsp_pos){ l.index, enc == POS_UTF8 ? c.utf8 : c.utf16 };
}

void position_span(const char *text, size_t len, const struct line_map *map, struct span span,
		   enum pos_encoding enc, struct lsp_pos *start, struct lsp_pos *end)
{
	uint32_t a = span.start, b = span.start + span.len;
	struct line l = locate(text, len, map, &a);
	struct counts c = count_to(text, len, map, l, a);
	*start = (struct lsp_pos){ l.index, enc == POS_UTF8 ? c.utf8 : c.utf16 };
	if (b < a || b > l.end) {
		*end = position_from_offset(text, len, map, b, enc);
		return;
	}
	/* Most ranges end on the line they start on: counted on from the
	 * start, as count_to would from the line's (the same characters). */
	size_t i = l.start + c.utf8;
	while (i < b) {
		size_t bytes;
		uint32_t u = char_units(text, len, i, POS_UTF16, &bytes);
		if (i + bytes > b)
			break;
		c.utf16 += u;
		i += bytes;
	}
	*end = (struct lsp_pos){ l.index, enc == POS_UTF8 ? (uint32_t)(i - l.start) : c.utf16 };
}

uint32_t position_chars(const char *text, size_t len, const struct line_map *map,
			uint32_t offset)
{
	struct line l = locate(text, len, map, &offset);
	return count_to(text, len, map, l, offset).chars;
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
	/* Start from the line's last mark not past pos.character. */
	uint32_t first = l.index ? marks_after(map, l.index - 1) : 0;
	uint32_t lo = first, hi = marks_after(map, l.index);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct line_mark *k = &map->marks[mid];
		uint32_t u = enc == POS_UTF8 ? k->offset - l.start : k->utf16;
		if (u <= pos.character)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > first) {
		const struct line_mark *k = &map->marks[lo - 1];
		i = k->offset;
		units = enc == POS_UTF8 ? k->offset - l.start : k->utf16;
	}
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
