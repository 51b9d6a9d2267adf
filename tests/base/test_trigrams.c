/*
 * test_trigrams.c — the trigram index never misses a string within the
 * edit limit: its candidates, on random names over a small alphabet,
 * against a brute-force scan; each once, inside the band.
 */
#include "distance.h"
#include "harness.h"
#include "trigrams.h"

#include <stdlib.h>
#include <string.h>

#define N 3000

static char names[N][24];

static struct slice get(void *ctx, uint32_t i)
{
	(void)ctx;
	return slice_from_cstr(names[i]);
}

static int by_length(const void *a, const void *b)
{
	size_t x = strlen(a), y = strlen(b);
	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	srand(11);
	for (int i = 0; i < N; i++) {
		int len = 1 + rand() % 22;
		for (int k = 0; k < len; k++)
			names[i][k] = (char)(k % 5 == 4 ? ' ' : 'a' + rand() % 6);
		names[i][len] = '\0';
	}
	qsort(names, N, sizeof(names[0]), by_length);

	struct trigrams *t = trigrams_new();
	const uint32_t *ids;
	uint32_t n;
	/* Nothing indexed yet: nothing can be excluded. */
	OK(!trigrams_candidates(t, SLICE_LIT("abcdefgh"), 1, 0, 0, &ids, &n));
	trigrams_build(t, N, get, NULL);
	OK(!trigrams_candidates(t, SLICE_LIT("abcde"), 1, 0, N, &ids, &n));

	uint32_t missed = 0, repeated = 0, outside = 0, queries = 0, close = 0;
	static uint32_t sorted[N];
	char q[32];
	for (int round = 0; round < 3000; round++) {
		/* A query: a name with up to limit + 1 random edits. */
		uint32_t limit = 1 + (uint32_t)(rand() % 3);
		memcpy(q, names[rand() % N], sizeof(names[0]));
		size_t len = strlen(q);
		for (int e = rand() % (int)(limit + 2); e > 0; e--) {
			size_t at = len ? (size_t)rand() % len : 0;
			int op = rand() % 3;
			if (op == 0 && len) { /* delete */
				memmove(q + at, q + at + 1, len - at);
				len--;
			} else if (op == 1 && len) { /* substitute */
				q[at] = (char)('a' + rand() % 6);
			} else if (len < 30) { /* insert */
				memmove(q + at + 1, q + at, len - at + 1);
				q[at] = (char)('a' + rand() % 6);
				len++;
			}
		}
		/* Sometimes only part of the strings (a length band). */
		bool part = rand() % 4 == 0;
		uint32_t lo = part ? (uint32_t)(rand() % N) : 0;
		uint32_t hi = part ? lo + (uint32_t)(rand() % (N - lo + 1)) : N;
		struct slice sq = { q, len };
		if (!trigrams_candidates(t, sq, limit, lo, hi, &ids, &n)) {
			OK(len < 3 * (limit + 1));
			continue;
		}
		queries++;
		memcpy(sorted, ids, n * sizeof(uint32_t));
		qsort(sorted, n, sizeof(uint32_t), cmp_u32);
		for (uint32_t k = 0; k < n; k++) {
			repeated += k && sorted[k] == sorted[k - 1];
			outside += sorted[k] < lo || sorted[k] >= hi;
		}
		struct distance_pattern p;
		distance_pattern_init(&p, sq);
		uint32_t k = 0;
		for (uint32_t i = lo; i < hi; i++) {
			if (distance_to(&p, slice_from_cstr(names[i]), limit) > limit)
				continue;
			close++;
			while (k < n && sorted[k] < i)
				k++;
			missed += !(k < n && sorted[k] == i);
		}
	}
	OK(queries > 1000);
	printf("%u queries, %u close names\n", queries, close);
	OK(close > queries / 2); /* the test finds what it tests */
	INT_EQ(missed, 0);
	INT_EQ(repeated, 0);
	INT_EQ(outside, 0);
	trigrams_free(t);
	trigrams_free(NULL);
	return harness_done("test_trigrams");
}
