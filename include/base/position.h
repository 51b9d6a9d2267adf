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

/* A point inside a long line where the counts are known: the line's first
 * character boundary at or after every LINE_MARK_BYTES bytes. */
#define LINE_MARK_BYTES 1024u
struct line_mark {
	uint32_t offset;       /* a character boundary */
	uint32_t line;         /* the line's index, */
	uint32_t start, end;   /* start and end (before its break) */
	uint32_t utf16, chars; /* UTF-16 units and characters from the line's start */
};

/*
 * Start offsets of the lines of a text: of every line (stride 1), or of
 * every stride-th line (a compact map: lines in between are found by
 * walking the text from the nearest start), or of none (starts == NULL:
 * walked from the top). starts[0] == 0.
 *
 * Lines longer than LINE_MARK_BYTES also get marks (sorted by offset), so
 * that a conversion on a 5 MB line counts, and a compact map walks, from
 * the nearest mark rather than from the line's start: a line with 100,000
 * links then costs linear time to publish, not quadratic.
 */
struct line_map {
	uint32_t *starts;
	uint32_t n;         /* entries in starts */
	uint32_t stride;    /* starts[k] is the start of line k * stride */
	struct line_mark *marks;
	uint32_t n_marks;
};

void line_map_init(struct line_map *map, const char *text, size_t len);
/* Every POS_STRIDE-th line: the line starts of every note of a vault are
 * megabytes, and walking 15 lines costs less than a microsecond. A text of
 * at most POS_STRIDE lines gets no starts at all. */
#define POS_STRIDE 16
void line_map_init_compact(struct line_map *map, const char *text, size_t len);
void line_map_fini(struct line_map *map);

/* A map to bytes and back, for the index cache (scanning a vault's text
 * for line starts again is a fifth of reading it back): unpacked, every
 * start and mark is checked to lie within a text of len bytes, in order,
 * so that no bytes make a map that reads outside its text. */
struct binio_reader;
void line_map_pack(const struct line_map *map, struct strbuf *out);
bool line_map_unpack(struct binio_reader *r, size_t len, struct line_map *out);

/* offset is clamped to len. An offset inside a UTF-8 sequence counts as
 * its start. */
struct lsp_pos position_from_offset(const char *text, size_t len,
				    const struct line_map *map, uint32_t offset,
				    enum pos_encoding enc);

/* The positions of span's start and end, as position_from_offset gives
 * them: the end of a span within one line counted on from its start. */
void position_span(const char *text, size_t len, const struct line_map *map, struct span span,
		   enum pos_encoding enc, struct lsp_pos *start, struct lsp_pos *end);

/* A line past the end gives len; a character past the end of its line gives
 * the line's end (before its line break); a character in the middle of a
 * surrogate pair or UTF-8 sequence gives the character's start. */
uint32_t position_to_offset(const char *text, size_t len,
			    const struct line_map *map, struct lsp_pos pos,
			    enum pos_encoding enc);

/* Characters (code points; an invalid byte counts as one) from the start
 * of offset's line to offset, clamped and rounded as position_from_offset
 * does: the 0-based column `vault-lsp check` prints. */
uint32_t position_chars(const char *text, size_t len, const struct line_map *map,
			uint32_t offset);

/* Number of characters in text[0..len), counted as position_chars does. */
uint32_t utf8_count_chars(const char *text, size_t len);

/* Text plus its line map: what is needed to convert positions. */
struct text_view {
	const char *text;
	size_t len;
	const struct line_map *lines;
};

#endif
