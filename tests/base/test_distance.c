/*
 * test_distance.c — the two bounded edit distances against a plain
 * dynamic programme, on fixed cases and on random strings over small
 * alphabets (so that close strings are common).
 */
#include "distance.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static uint32_t reference(const char *a, size_t n, const char *b, size_t m)
{
	static uint32_t d[80][80];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (uint32_t)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (uint32_t)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			uint32_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			d[i][j] = v;
		}
	}
	return d[n][m];
}

static uint32_t capped(uint32_t d, uint32_t limit)
{
	return d <= limit ? d : limit + 1;
}

static void check(const char *a, const char *b, uint32_t limit, uint32_t want)
{
	struct slice sa = slice_from_cstr(a), sb = slice_from_cstr(b);
	struct distance_pattern p;
	distance_pattern_init(&p, sa);
	INT_EQ(distance_bounded(sa, sb, limit), want);
	INT_EQ(distance_to(&p, sb, limit), want);
}

int main(void)
{
	check("marek", "mareck", 1, 1);
	check("mareck", "marek nowak", 3, 4);
	check("", "", 1, 0);
	check("", "ab", 1, 2);
	check("ab", "", 3, 2);
	check("kitten", "sitting", 3, 3);
	check("kitten", "sitting", 2, 3);
	check("ragnar eiriksson", "ragnar eriksson", 3, 1);
	check("zoe olafsdottir", "zoe olafsdotir", 1, 1);

	/* 64 bytes is the widest bit-parallel pattern; 65 falls back. */
	char a[81], b[81];
	srand(7);
	for (int round = 0; round < 200000; round++) {
		size_t n = (size_t)(round % 7 == 0 ? 60 + rand() % 10 : rand() % 24);
		long lm = (long)n + rand() % 9 - 4;
		size_t m = (size_t)(lm < 0 ? 0 : lm > 70 ? 70 : lm);
		int alphabet = 2 + rand() % 4;
		for (size_t i = 0; i < n; i++)
			a[i] = (char)('a' + rand() % alphabet);
		/* b: a few edits of a, or unrelated. */
		for (size_t j = 0; j < m; j++)
			b[j] = j < n && rand() % 4 ? a[j] : (char)('a' + rand() % alphabet);
		a[n] = b[m] = '\0';
		uint32_t limit = (uint32_t)(rand() % 5);
		uint32_t want = capped(reference(a, n, b, m), limit);
		struct slice sa = { a, n }, sb = { b, m };
		struct distance_pattern p;
		distance_pattern_init(&p, sa);
		uint32_t x = distance_bounded(sa, sb, limit), y = distance_to(&p, sb, limit);
		if (x != want || y != want) {
			fprintf(stderr, "'%s' '%s' limit %u: want %u, bounded %u, bit-parallel %u\n",
				a, b, limit, want, x, y);
			OK(0);
			break;
		}
	}
	OK(1);
	return harness_done("test_distance");
}
