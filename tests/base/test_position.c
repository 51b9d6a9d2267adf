/*
 * test_position.c — a compact line map (every POS_STRIDE-th line start,
 * the text walked in between) and a map with no starts answer exactly as
 * a full one, on random texts made of every kind of line break and
 * character width; a span's two positions are each offset's; and a
 * compact map packed and unpacked (the index cache's) is the same map,
 * and one whose bytes lie is refused.
 */
#include "binio.h"
#include "harness.h"
#include "position.h"

#include <stdlib.h>
#include <string.h>

static const char *const pieces[] = { "a", "bc", " ", "\xC3\xA9", "\xE2\x82\xAC",
				      "\xF0\x9F\x98\x80", "\n", "\r", "\r\n", "\n\n", "\xFF" };

int main(void)
{
	srand(5);
	uint32_t mismatches = 0, checked = 0;
	char text[512];
	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		int n = rand() % 120;
		for (int k = 0; k < n; k++) {
			const char *p = pieces[rand() % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		text[len] = '\0';
		struct line_map full, compact, none = { 0 };
		line_map_init(&full, text, len);
		line_map_init_compact(&compact, text, len);
		INT_EQ(compact.n, full.n > POS_STRIDE ? (full.n - 1) / POS_STRIDE + 1 : 0);
		const struct line_map *maps[] = { &compact, &none };
		for (int m = 0; m < 2; m++) {
			for (int e = 0; e < 2; e++) {
				enum pos_encoding enc = e ? POS_UTF8 : POS_UTF16;
				for (uint32_t o = 0; o <= len + 1; o++) {
					struct lsp_pos a = position_from_offset(text, len, &full, o, enc);
					struct lsp_pos b = position_from_offset(text, len, maps[m], o, enc);
					mismatches += a.line != b.line || a.character != b.character;
					checked++;
				}
				for (uint32_t l = 0; l <= full.n + 1; l++) {
					uint32_t chars[] = { 0, 1, 2, 3, 5, 40, UINT32_MAX };
					for (size_t c = 0; c < sizeof(chars) / sizeof(chars[0]); c++) {
						struct lsp_pos p = { l, chars[c] };
						mismatches += position_to_offset(text, len, &full, p, enc) !=
							      position_to_offset(text, len, maps[m], p, enc);
						checked++;
					}
				}
				/* A span: both ends, within a line or across lines,
				 * inside a character or past the end. */
				for (uint32_t o = 0; o <= len + 1; o++) {
					uint32_t widths[] = { 0, 1, 2, 3, 7, 30 };
					for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
						struct span sp = { o, widths[w] };
						struct lsp_pos s0, s1;
						position_span(text, len, maps[m], sp, enc, &s0, &s1);
						struct lsp_pos a = position_from_offset(text, len, &full, o, enc);
						struct lsp_pos b = position_from_offset(text, len, &full,
											span_end(sp), enc);
						mismatches += a.line != s0.line || a.character != s0.character ||
							      b.line != s1.line || b.character != s1.character;
						checked++;
					}
				}
				struct lsp_pos far = { UINT32_MAX, 0 };
				mismatches += position_to_offset(text, len, maps[m], far, enc) != len;
			}
		}
		line_map_fini(&full);
		line_map_fini(&compact);
	}
	INT_EQ(mismatches, 0);
	OK(checked > 100000);

	/* 100 lines: the starts of lines 0, 16, ..., 96. */
	char t[201];
	for (int i = 0; i < 200; i++)
		t[i] = i % 2 ? '\n' : 'x';
	t[200] = '\0';
	struct line_map m;
	line_map_init_compact(&m, t, 200);
	INT_EQ(m.n, 7);
	INT_EQ(m.starts[1], 32);
	INT_EQ(m.starts[6], 192);

	/* Packed and back; a long line's marks with it. */
	char *long_text = malloc(300000);
	for (int i = 0; i < 300000; i++)
		long_text[i] = i < 200 ? t[i] : i % 7 ? 'y' : ' ';
	long_text[299999] = '\n';
	struct line_map lm;
	line_map_init_compact(&lm, long_text, 300000);
	OK(lm.n_marks > 0);
	/* Spans on the long line, counted on from their start past its marks. */
	uint32_t span_bad = 0;
	for (uint32_t o = 150; o < 300000; o += 4099) {
		struct lsp_pos s0, s1;
		position_span(long_text, 300000, &lm, (struct span){ o, 5000 }, POS_UTF16, &s0, &s1);
		struct lsp_pos b = position_from_offset(long_text, 300000, &lm, o + 5000, POS_UTF16);
		span_bad += b.line != s1.line || b.character != s1.character;
	}
	INT_EQ(span_bad, 0);
	const struct line_map *maps2[] = { &m, &lm };
	const size_t lens[] = { 200, 300000 };
	for (int k = 0; k < 2; k++) {
		struct strbuf b = { 0 };
		strbuf_init(&b);
		line_map_pack(maps2[k], &b);
		struct binio_reader r = binio_over(b.ptr, b.len);
		struct line_map back;
		OK(line_map_unpack(&r, lens[k], &back));
		OK(!r.bad && r.at == b.len);
		INT_EQ(back.n, maps2[k]->n);
		INT_EQ(back.n_marks, maps2[k]->n_marks);
		OK(back.n == 0 ||
		   memcmp(back.starts, maps2[k]->starts, back.n * sizeof(uint32_t)) == 0);
		OK(back.n_marks == 0 ||
		   memcmp(back.marks, maps2[k]->marks, back.n_marks * sizeof(struct line_mark)) == 0);
		line_map_fini(&back);
		/* For a shorter text its starts lie past the end: refused. */
		r = binio_over(b.ptr, b.len);
		OK(!line_map_unpack(&r, lens[k] / 4, &back) && r.bad);
		/* Every prefix refused. */
		bool all = true;
		for (size_t cut = 0; cut < b.len && cut < 4096; cut++) {
			r = binio_over(b.ptr, cut);
			all = all && !line_map_unpack(&r, lens[k], &back);
		}
		OK(all);
		strbuf_fini(&b);
	}
	line_map_fini(&lm);
	free(long_text);
	line_map_fini(&m);
	return harness_done("test_position");
}
