/*
 * position.h — the one place where byte offsets become LSP positions and
 * back. Everything inside the server is a byte offset; the protocol speaks
 * (line, character) where character counts UTF-16 code units (the default)
 * or bytes (when "utf-8" was negotiated).
 *
 * Line breaks are "\n", "\r\n" and a lone "\r", as LSP defines them.
 * Invalid UTF-8 counts one unit per byte.
 */
#ifndef VAULT_POSITION_H
#define VAULT_POSITION_H

#include "util.h"

enum pos_encoding { POS_UTF16, POS_UTF8 };

struct lsp_pos {
	uint32_t line, character;
};

/*
 * Start offsets of the lines of a text: of every line (stride 1), or of
 * every stride-th line (a compact map: lines in between are found by
 * walking the text from the nearest start), or of none (starts == NULL:
 * walked from the top). starts[0] == 0.
 */
struct line_map {
	uint32_t *starts;
	uint32_t n;         /* entries in starts */
	uint32_t stride;    /* starts[k] is the start of line k * stride */
};

void line_map_init(struct line_map *map, const char *text, size_t len);
/* Every POS_STRIDE-th line: the line starts of every note of a vault are
 * megabytes, and walking 15 lines costs less than a microsecond. A text of
 * at most POS_STRIDE lines gets no starts at all. */
#define POS_STRIDE 16
void line_map_init_compact(struct line_map *map, const char *text, size_t len);
void line_map_fini(struct line_map *map);

/* offset is clamped to len. An offset inside a UTF-8 sequence counts as
 * its start. */
struct lsp_pos position_from_offset(const char *text, size_t len,
				    const struct line_map *map, uint32_t offset,
				    enum pos_encoding enc);

/* A line past the end gives len; a character past the end of its line gives
 * the line's end (before its line break); a character in the middle of a
 * surrogate pair or UTF-8 sequence gives the character's start. */
uint32_t position_to_offset(const char *text, size_t len,
			    const struct line_map *map, struct lsp_pos pos,
			    enum pos_encoding enc);

/* Number of code units of enc in text[0..len) (for columns in the CLI use
 * POS_UTF8 and count code points with utf8_count_chars instead). */
uint32_t utf8_count_chars(const char *text, size_t len);

#endif
