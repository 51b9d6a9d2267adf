/*
 * fuzz_position.c — byte offsets <-> LSP positions (position.c) on any
 * bytes, in both encodings, against a slow reference written from the
 * contract in position.h:
 *
 *  - lines break at "\n", "\r\n" and a lone "\r";
 *  - a character is a valid UTF-8 sequence (utf8_seq_len) or one byte;
 *    it is 1 UTF-16 unit (2 if 4 bytes long) or its byte length in UTF-8;
 *  - an offset inside a character counts as the character's start, one
 *    inside a line break as the end of the line, one past len as len.
 *
 * Checked for each offset: the line map, position_from_offset against the
 * reference, monotonicity, and that position_to_offset of the result is
 * <= the offset, on a character boundary, and equal to it when the offset
 * is a boundary outside a line break. Positions taken from the input bytes
 * (past the end of lines and of the text) are checked the other way. All
 * of it with every line start, with a compact map (every POS_STRIDE-th
 * start; the text is walked in between), and with no starts at all.
 */
#include "fuzz.h"
#include "position.h"

#include <string.h>

/* from_offset and to_offset cost O(line length): at most this many
 * offsets and lines are checked per input, so a long line stays fast. */
#define MAX_CHECKED 128

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Reference tables, one entry per offset 0..len. */
struct ref {
	uint32_t *line;      /* line of the offset */
	uint32_t *units[2];  /* expected character, by encoding */
	uint8_t *boundary;   /* a character starts here (or it is a line's end) */
	uint8_t *in_break;   /* the offset is strictly inside a line break */
	uint32_t *starts;    /* line starts */
	uint32_t n_lines;
};

static void ref_build(struct ref *r, const char *text, uint32_t len)
{
	r->line = calloc(len + 1, sizeof(uint32_t));
	r->units[POS_UTF16] = calloc(len + 1, sizeof(uint32_t));
	r->units[POS_UTF8] = calloc(len + 1, sizeof(uint32_t));
	r->boundary = calloc(len + 1, 1);
	r->in_break = calloc(len + 1, 1);
	r->starts = calloc(len + 2, sizeof(uint32_t));
	CHECK(r->line && r->units[0] && r->units[1] && r->boundary && r->in_break && r->starts);
	uint32_t line = 0, u16 = 0, u8 = 0;
	r->starts[0] = 0;
	uint32_t i = 0;
	while (i < len) {
		if (text[i] == '\n' || text[i] == '\r') {
			uint32_t brk = text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
			for (uint32_t k = 0; k < brk; k++) {
				r->line[i + k] = line;
				r->units[POS_UTF16][i + k] = u16;
				r->units[POS_UTF8][i + k] = u8;
				r->in_break[i + k] = k > 0;
			}
			r->boundary[i] = 1;
			i += brk;
			line++;
			r->starts[line] = i;
			u16 = u8 = 0;
			continue;
		}
		size_t n = utf8_seq_len((const unsigned char *)text + i, len - i);
		if (n == 0)
			n = 1;
		for (uint32_t k = 0; k < n; k++) {
			r->line[i + k] = line;
			r->units[POS_UTF16][i + k] = u16;
			r->units[POS_UTF8][i + k] = u8;
		}
		r->boundary[i] = 1;
		u16 += n == 4 ? 2 : 1;
		u8 += (uint32_t)n;
		i += (uint32_t)n;
	}
	r->line[len] = line;
	r->units[POS_UTF16][len] = u16;
	r->units[POS_UTF8][len] = u8;
	r->boundary[len] = 1;
	r->n_lines = line + 1;
}

static void ref_free(struct ref *r)
{
	free(r->line);
	free(r->units[0]);
	free(r->units[1]);
	free(r->boundary);
	free(r->in_break);
	free(r->starts);
}

static bool pos_le(struct lsp_pos a, struct lsp_pos b)
{
	return a.line < b.line || (a.line == b.line && a.character <= b.character);
}

static void check_offset(const char *text, uint32_t len, const struct line_map *map,
			 const struct ref *r, uint32_t o, enum pos_encoding enc,
			 struct lsp_pos *prev, bool *have_prev)
{
	struct lsp_pos p = position_from_offset(text, len, map, o, enc);
	CHECK(p.line == r->line[o]);
	CHECK(p.character == r->units[enc][o]);
	if (*have_prev)
		CHECK(pos_le(*prev, p));
	*prev = p;
	*have_prev = true;

	uint32_t back = position_to_offset(text, len, map, p, enc);
	CHECK(back <= o);
	CHECK(r->boundary[back]);
	if (r->boundary[o] && !r->in_break[o])
		CHECK(back == o);
	struct lsp_pos again = position_from_offset(text, len, map, back, enc);
	CHECK(again.line == p.line && again.character == p.character);
}

/* A position from the input: anything, often past the end. */
static void check_position(const char *text, uint32_t len, const struct line_map *map,
			   const struct ref *r, struct lsp_pos p, enum pos_encoding enc)
{
	uint32_t o = position_to_offset(text, len, map, p, enc);
	CHECK(o <= len);
	CHECK(r->boundary[o]);
	CHECK(!r->in_break[o]);
	if (p.line >= r->n_lines) {
		CHECK(o == len);
		return;
	}
	CHECK(r->line[o] == p.line);
	/* The offset found is the last character start at or before p. */
	CHECK(r->units[enc][o] <= p.character);
	struct lsp_pos q = position_from_offset(text, len, map, o, enc);
	CHECK(pos_le(q, p));
}

/* Everything above with one map: a full one, or a compact one. */
static void check_map(const uint8_t *data, size_t size, const struct line_map *map,
		      const struct ref *r)
{
	const char *text = (const char *)data;
	uint32_t len = (uint32_t)size;

	/* Every offset of a short input; a stride over a long one, with its
	 * first and last offsets. */
	uint32_t stride = len < MAX_CHECKED ? 1 : len / MAX_CHECKED + 1;
	for (int e = 0; e < 2; e++) {
		enum pos_encoding enc = e ? POS_UTF8 : POS_UTF16;
		struct lsp_pos prev = { 0, 0 };
		bool have_prev = false;
		for (uint32_t o = 0; o <= len; o += stride)
			check_offset(text, len, map, r, o, enc, &prev, &have_prev);
		check_offset(text, len, map, r, len, enc, &prev, &have_prev);
		/* Clamped past the end. */
		struct lsp_pos end = position_from_offset(text, len, map, len + 1, enc);
		CHECK(end.line == r->line[len] && end.character == r->units[enc][len]);
		end = position_from_offset(text, len, map, UINT32_MAX, enc);
		CHECK(end.line == r->line[len] && end.character == r->units[enc][len]);
	}

	/* Positions read from the input itself, four bytes at a time. */
	for (size_t i = 0; i + 4 <= size && i < 4 * 256; i += 4) {
		struct lsp_pos p = { data[i] % (r->n_lines + 2),
				     (uint32_t)data[i + 1] | (uint32_t)data[i + 2] << 8 };
		if (data[i + 3] & 1)
			p.character = UINT32_MAX - data[i + 3];
		check_position(text, len, map, r, p, data[i + 3] & 2 ? POS_UTF8 : POS_UTF16);
	}
	/* The last line and the start and end of every line. */
	for (uint32_t l = 0; l < r->n_lines && l < MAX_CHECKED; l++) {
		for (int e = 0; e < 2; e++) {
			check_position(text, len, map, r, (struct lsp_pos){ l, 0 }, (enum pos_encoding)e);
			check_position(text, len, map, r, (struct lsp_pos){ l, UINT32_MAX }, (enum pos_encoding)e);
		}
	}
	check_position(text, len, map, r, (struct lsp_pos){ UINT32_MAX, 0 }, POS_UTF8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > UINT32_MAX - 2)
		return 0;
	const char *text = (const char *)data;
	uint32_t len = (uint32_t)size;
	struct ref r;
	ref_build(&r, text, len);

	struct line_map map;
	line_map_init(&map, text, len);
	CHECK(map.n == r.n_lines);
	for (uint32_t i = 0; i < map.n; i++)
		CHECK(map.starts[i] == r.starts[i]);
	check_map(data, size, &map, &r);
	line_map_fini(&map);

	/* The starts of every POS_STRIDE-th line (notes of the index), and
	 * none at all. */
	struct line_map compact;
	line_map_init_compact(&compact, text, len);
	check_map(data, size, &compact, &r);
	line_map_fini(&compact);
	struct line_map walk = { 0 };
	check_map(data, size, &walk, &r);

	ref_free(&r);
	return 0;
}
