/*
 * trigrams.h — an inverted index from byte trigrams to the strings that
 * hold them: the candidates for a bounded edit distance, without comparing
 * a query with every string.
 *
 * Why it is exact (no string within the distance is ever missed): split
 * the query into limit + 1 pieces. Each edit touches at most one piece, so
 * a string within `limit` edits holds at least one piece unchanged, and
 * with it every trigram of that piece. One trigram per piece (the rarest)
 * is enough to list every such string; with more pieces than limit + 1,
 * a string must hold the trigrams of pieces - limit of them. Trigrams are hashed into buckets;
 * a collision only adds candidates, which the caller's exact distance
 * then rejects.
 */
#ifndef VAULT_TRIGRAMS_H
#define VAULT_TRIGRAMS_H

#include "util.h"

struct trigrams;

struct trigrams *trigrams_new(void);
void trigrams_free(struct trigrams *t);

/* Indexes n strings, string i being get(ctx, i); replaces what was
 * indexed before. The strings are read during the call only. */
void trigrams_build(struct trigrams *t, uint32_t n,
		    struct slice (*get)(void *ctx, uint32_t i), void *ctx);

/*
 * The strings with an index in [lo, hi) that may be within `limit` edits
 * of q: a superset of those that are, each once, in no particular order,
 * in *ids (valid until the next call) and *n. Returns false when q is too
 * short to split into limit + 1 trigrams (q.len < 3 * (limit + 1)), or
 * limit is over 64: then no string is excluded. (Index strings by
 * length, and [lo, hi) is a length band.)
 */
bool trigrams_candidates(struct trigrams *t, struct slice q, uint32_t limit, uint32_t lo,
			 uint32_t hi, const uint32_t **ids, uint32_t *n);

#endif
