/*
 * lines.c — the table of a note's line starts and ends that turns cmark's
 * (line, column) positions into byte offsets.
 */
#include "lines.h"

#include "bytes.h"

#include <string.h>

/* Line feeds alone, found by memchr: what almost every note has. */
static void build_lf(struct lines *l, const char *t, uint32_t from, uint32_t len)
{
	uint32_t ls = from;
	const char *p = t + from, *end = t + len;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		uint32_t i = (uint32_t)(p - t);
		array_push(&l->start, ls);
		array_push(&l->end, i);
		ls = i + 1;
		p++;
	}
	array_push(&l->start, ls);
	array_push(&l->end, len);
}

void lines_build(struct lines *l, const char *t, uint32_t from, uint32_t len)
{
	if (from >= len || !memchr(t + from, '\r', len - from)) {
		build_lf(l, t, from, len);
		return;
	}
	uint32_t ls = from;
	for (uint32_t i = from; i < len; i++) {
		if (t[i] != '\n' && t[i] != '\r')
			continue;
		array_push(&l->start, ls);
		array_push(&l->end, i);
		if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
			i++;
		ls = i + 1;
	}
	array_push(&l->start, ls);
	array_push(&l->end, len);
}

int lines_count(const struct lines *l)
{
	return (int)l->start.len;
}

static uint32_t line_idx(const struct lines *l, int line)
{
	if (line < 1)
		return 0;
	if ((uint32_t)line > l->start.len)
		return l->start.len - 1;
	return (uint32_t)line - 1;
}

uint32_t lines_start(const struct lines *l, int line)
{
	return l->start.items[line_idx(l, line)];
}

uint32_t lines_end(const struct lines *l, int line)
{
	return l->end.items[line_idx(l, line)];
}

/* cmark columns are 1-based byte columns; never trust them past the line. */
uint32_t lines_pos(const struct lines *l, int line, int col)
{
	uint32_t s = lines_start(l, line), e = lines_end(l, line);
	if (col < 1)
		return s;
	if ((uint32_t)(col - 1) > e - s)
		return e;
	return s + (uint32_t)(col - 1);
}

bool lines_is_blank(const char *t, const struct lines *l, int line)
{
	for (uint32_t i = lines_start(l, line); i < lines_end(l, line); i++)
		if (!is_blank(t[i]))
			return false;
	return true;
}
