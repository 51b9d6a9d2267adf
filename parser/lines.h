/*
 * lines.h — private to parser/: cmark's (line, column) positions to byte
 * offsets, through a table of where each line starts and ends.
 */
#ifndef VAULT_LINES_H
#define VAULT_LINES_H

#include "util.h"

/*
 * Line k (cmark's 1-based numbering) of the Markdown text starts at
 * start[k-1] and its content ends at end[k-1], before the line ending.
 * cmark ends lines at "\n", "\r\n" and a lone "\r", and so must we.
 */
struct lines {
	ARRAY(uint32_t) start;
	ARRAY(uint32_t) end;
};

/* The table of t[from, len), the Markdown text of a note. */
void lines_build(struct lines *l, const char *t, uint32_t from, uint32_t len);
int lines_count(const struct lines *l);
/* Where line `line` starts, and where its content ends (before its line
 * ending). A line out of range reads as the nearest one. */
uint32_t lines_start(const struct lines *l, int line);
uint32_t lines_end(const struct lines *l, int line);
/* The offset of cmark's column col (1-based, in bytes) of line `line`,
 * kept within the line. */
uint32_t lines_pos(const struct lines *l, int line, int col);
/* True when line `line` of t holds only blanks. */
bool lines_is_blank(const char *t, const struct lines *l, int line);

#endif
