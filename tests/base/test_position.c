/*
 * test_position.c — a compact line map (every POS_STRIDE-th line start,
 * the text walked in between) and a map with no starts answer exactly as
 * a full one, on random texts made of every kind of line break and
 * character width.
 */
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
	line_map_fini(&m);
	return harness_done("test_position");
}
