/* trigrams.c — the byte-trigram index behind did-you-mean (trigrams.h). */
#include "trigrams.h"

#include <stdlib.h>
#include <string.h>

/* Pieces beyond limit + 1 (when the query is long enough). */
#define MAX_EXTRA_PIECES 2

struct gram_list;

struct trigrams {
	uint32_t bits;          /* log2 of the bucket count */
	uint32_t *start;        /* bucket b's strings: ids[start[b] .. start[b + 1]) */
	uint32_t *ids;          /* ascending within a bucket */
	uint32_t n;             /* strings indexed */
	uint32_t *stamp;        /* per string: the query that listed it last */
	uint8_t *count;         /* per string: in how many of that query's lists */
	uint32_t epoch;
	ARRAY(uint32_t) out;
	ARRAY(struct gram_list) grams; /* a query's, by position */
	ARRAY(size_t) picks;           /* the positions it uses */
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
	array_free(&t->grams);
	array_free(&t->picks);
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

/* Queries up to this long choose their pieces by dynamic programming;
 * longer ones (rare: link targets are names) cut equal pieces. */
#define DP_MAX_LEN 48
#define DP_MAX_PIECES 16

/* In-band list of the trigram at each position of the query. */
struct gram_list {
	uint32_t from, to;
};

/*
 * Where to cut q into `pieces` pieces of at least 3 bytes, and which
 * trigram of each to use: the cut that lists the fewest strings in all.
 * Equal pieces would often leave one with only common trigrams ("son",
 * "er "), and its list would be most of the candidates. Writes the chosen
 * positions to pick[0 .. pieces).
 */
static void choose_pieces(const struct gram_list *g, size_t len, uint32_t pieces, size_t *pick)
{
	if (len > DP_MAX_LEN || pieces > DP_MAX_PIECES) {
		for (uint32_t p = 0; p < pieces; p++) {
			size_t s = len * p / pieces, e = len * (p + 1) / pieces;
			pick[p] = s;
			for (size_t k = s; k + 3 <= e; k++)
				if (g[k].to - g[k].from < g[pick[p]].to - g[pick[p]].from)
					pick[p] = k;
		}
		return;
	}
	/* cost[p][e]: the fewest strings listed by p pieces covering q[0, e);
	 * cut[p][e] and gram[p][e]: where the last of them starts, and its
	 * trigram. */
	uint64_t cost[DP_MAX_PIECES + 1][DP_MAX_LEN + 1];
	uint8_t cut[DP_MAX_PIECES + 1][DP_MAX_LEN + 1], gram[DP_MAX_PIECES + 1][DP_MAX_LEN + 1];
	for (size_t e = 0; e <= len; e++)
		cost[0][e] = e ? UINT64_MAX : 0;
	for (uint32_t p = 1; p <= pieces; p++) {
		for (size_t e = 0; e <= len; e++) {
			cost[p][e] = UINT64_MAX;
			/* The last piece is [s, e): its best trigram starts in
			 * [s, e - 3], found as s moves left. */
			uint32_t best = UINT32_MAX;
			size_t best_k = 0;
			for (size_t s = e >= 3 ? e - 3 + 1 : 0; s-- > 0;) {
				uint32_t c = g[s].to - g[s].from;
				if (c < best) {
					best = c;
					best_k = s;
				}
				if (cost[p - 1][s] == UINT64_MAX)
					continue;
				uint64_t total = cost[p - 1][s] + best;
				if (total < cost[p][e]) {
					cost[p][e] = total;
					cut[p][e] = (uint8_t)s;
					gram[p][e] = (uint8_t)best_k;
				}
			}
		}
	}
	size_t e = len;
	for (uint32_t p = pieces; p > 0; p--) {
		pick[p - 1] = gram[p][e];
		e = cut[p][e];
	}
}

bool trigrams_candidates(struct trigrams *t, struct slice q, uint32_t limit, uint32_t lo,
			 uint32_t hi, const uint32_t **ids, uint32_t *n)
{
	/* (count[] holds up to 255 pieces: a limit that large would exclude
	 * nothing anyway.) */
	if (!t->start || limit > 64 || q.len < 3 * ((size_t)limit + 1))
		return false;
	/* More pieces than edits: a string within limit edits then holds
	 * the trigram of at least pieces - limit of them. A few more pieces
	 * cut the candidates sharply; each must keep a trigram. */
	uint32_t pieces = (uint32_t)(q.len / 3 < limit + MAX_EXTRA_PIECES + 1 ? q.len / 3
				     : limit + MAX_EXTRA_PIECES + 1);
	uint32_t need = pieces - limit;
	if (hi > t->n)
		hi = t->n;
	t->grams.len = 0;
	for (size_t k = 0; k + 3 <= q.len; k++) {
		struct gram_list g;
		in_range(t, bucket(t, q.ptr + k), lo, hi, &g.from, &g.to);
		array_push(&t->grams, g);
	}
	t->picks.len = 0;
	array_grow(&t->picks, pieces);
	choose_pieces(t->grams.items, q.len, pieces, t->picks.items);

	if (++t->epoch == 0) {
		memset(t->stamp, 0, (t->n ? t->n : 1) * sizeof(uint32_t));
		t->epoch = 1;
	}
	t->out.len = 0;
	for (uint32_t p = 0; p < pieces; p++) {
		/* Two pieces may pick one bucket: a string then counts twice,
		 * which only adds candidates. */
		const struct gram_list *g = &t->grams.items[t->picks.items[p]];
		for (uint32_t k = g->from; k < g->to; k++) {
			uint32_t id = t->ids[k];
			if (t->stamp[id] != t->epoch) {
				t->stamp[id] = t->epoch;
				t->count[id] = 0;
			}
			if (++t->count[id] == need)
				array_push(&t->out, id);
		}
	}
	*ids = t->out.items;
	*n = t->out.len;
	return true;
}
