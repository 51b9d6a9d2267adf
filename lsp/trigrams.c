/* trigrams.c — the byte-trigram index behind did-you-mean (trigrams.h). */
#include "trigrams.h"

#include <stdlib.h>
#include <string.h>

/* Pieces beyond limit + 1 (when the query is long enough). */
#define MAX_EXTRA_PIECES 2

struct trigrams {
	uint32_t bits;          /* log2 of the bucket count */
	uint32_t *start;        /* bucket b's strings: ids[start[b] .. start[b + 1]) */
	uint32_t *ids;          /* ascending within a bucket */
	uint32_t n;             /* strings indexed */
	uint32_t *stamp;        /* per string: the query that listed it last */
	uint8_t *count;         /* per string: in how many of that query's lists */
	uint32_t epoch;
	ARRAY(uint32_t) out;
};

struct trigrams *trigrams_new(void)
{
	return xcalloc(1, sizeof(struct trigrams));
}

static void release(struct trigrams *t)
{
	free(t->start);
	free(t->ids);
	free(t->stamp);
	free(t->count);
	t->start = t->ids = t->stamp = NULL;
	t->count = NULL;
}

void trigrams_free(struct trigrams *t)
{
	if (!t)
		return;
	release(t);
	array_free(&t->out);
	free(t);
}

static uint32_t bucket(const struct trigrams *t, const char *p)
{
	uint32_t v = (uint32_t)(unsigned char)p[0] | (uint32_t)(unsigned char)p[1] << 8 |
		     (uint32_t)(unsigned char)p[2] << 16;
	return (v * 2654435761u) >> (32 - t->bits);
}

void trigrams_build(struct trigrams *t, uint32_t n,
		    struct slice (*get)(void *ctx, uint32_t i), void *ctx)
{
	release(t);
	size_t total = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct slice s = get(ctx, i);
		total += s.len > 2 ? s.len - 2 : 0;
	}
	/* Names are built from few words, so distinct trigrams are far fewer
	 * than occurrences: a bucket per eight occurrences is plenty. */
	t->bits = 12;
	while (t->bits < 18 && (1u << t->bits) < total / 8)
		t->bits++;
	uint32_t buckets = 1u << t->bits;
	t->start = xcalloc(buckets + 1, sizeof(uint32_t));
	/* last[b] = 1 + the last string counted in bucket b: a string lists
	 * each of its buckets once. */
	uint32_t *last = xcalloc(buckets, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		struct slice s = get(ctx, i);
		for (size_t k = 0; k + 3 <= s.len; k++) {
			uint32_t b = bucket(t, s.ptr + k);
			if (last[b] != i + 1) {
				last[b] = i + 1;
				t->start[b + 1]++;
			}
		}
	}
	for (uint32_t b = 0; b < buckets; b++)
		t->start[b + 1] += t->start[b];
	t->ids = xmalloc((t->start[buckets] ? t->start[buckets] : 1) * sizeof(uint32_t));
	/* Fill each bucket from its start, strings in ascending order. */
	uint32_t *fill = xmalloc(buckets * sizeof(uint32_t));
	memcpy(fill, t->start, buckets * sizeof(uint32_t));
	memset(last, 0, buckets * sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		struct slice s = get(ctx, i);
		for (size_t k = 0; k + 3 <= s.len; k++) {
			uint32_t b = bucket(t, s.ptr + k);
			if (last[b] != i + 1) {
				last[b] = i + 1;
				t->ids[fill[b]++] = i;
			}
		}
	}
	free(fill);
	free(last);
	t->n = n;
	t->stamp = xcalloc(n ? n : 1, sizeof(uint32_t));
	t->count = xcalloc(n ? n : 1, 1);
	t->epoch = 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The part of bucket b's list with ids in [lo, hi) (lists are ascending). */
static void in_range(const struct trigrams *t, uint32_t b, uint32_t lo, uint32_t hi,
		     uint32_t *from, uint32_t *to)
{
	const uint32_t *ids = t->ids;
	uint32_t a = t->start[b], z = t->start[b + 1];
	uint32_t l = a, r = z;
	while (l < r) {
		uint32_t m = l + (r - l) / 2;
		if (ids[m] < lo)
			l = m + 1;
		else
			r = m;
	}
	*from = l;
	r = z;
	while (l < r) {
		uint32_t m = l + (r - l) / 2;
		if (ids[m] < hi)
			l = m + 1;
		else
			r = m;
	}
	*to = l;
}

bool trigrams_candidates(struct trigrams *t, struct slice q, uint32_t limit, uint32_t lo,
			 uint32_t hi, const uint32_t **ids, uint32_t *n)
{
	if (!t->start || q.len < 3 * ((size_t)limit + 1))
		return false;
	/* More pieces than edits: a string within limit edits then holds
	 * the trigram of at least pieces - limit of them. A few more pieces
	 * cut the candidates sharply; each must keep a trigram. */
	uint32_t pieces = (uint32_t)(q.len / 3 < limit + MAX_EXTRA_PIECES + 1 ? q.len / 3
				     : limit + MAX_EXTRA_PIECES + 1);
	uint32_t need = pieces - limit;
	if (hi > t->n)
		hi = t->n;
	if (++t->epoch == 0) {
		memset(t->stamp, 0, (t->n ? t->n : 1) * sizeof(uint32_t));
		t->epoch = 1;
	}
	t->out.len = 0;
	for (uint32_t p = 0; p < pieces; p++) {
		size_t s = q.len * p / pieces, e = q.len * (p + 1) / pieces;
		/* The piece's rarest trigram lists the fewest strings. */
		uint32_t best_from = 0, best_to = 0, best_len = UINT32_MAX;
		for (size_t k = s; k + 3 <= e; k++) {
			uint32_t from, to;
			in_range(t, bucket(t, q.ptr + k), lo, hi, &from, &to);
			if (to - from < best_len) {
				best_len = to - from;
				best_from = from;
				best_to = to;
			}
		}
		/* Two pieces may pick one bucket: a string then counts twice,
		 * which only adds candidates. */
		for (uint32_t k = best_from; k < best_to; k++) {
			uint32_t id = t->ids[k];
			if (t->stamp[id] != t->epoch) {
				t->stamp[id] = t->epoch;
				t->count[id] = 0;
			}
			if (++t->count[id] == need)
				array_push(&t->out, id);
		}
	}
	if (t->out.len > 1)
		qsort(t->out.items, t->out.len, sizeof(uint32_t), cmp_u32);
	*ids = t->out.items;
	*n = t->out.len;
	return true;
}
