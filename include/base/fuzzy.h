/*
 * fuzzy.h — fuzzy matching of what the user typed against names, both
 * already turned into search keys (names_search_key): a subsequence match
 * with bonuses for a prefix, word starts and runs of consecutive letters.
 */
#ifndef VAULT_FUZZY_H
#define VAULT_FUZZY_H

#include "util.h"

/* A bit per letter or digit present (and one for anything else): a
 * candidate can match only if it has every bit of the query. */
uint64_t fuzzy_mask(struct slice key);

/* The score of query against candidate: -1 if the query is not a
 * subsequence of it, else higher is better. An empty query scores 0. */
int fuzzy_score(struct slice query, struct slice candidate);

/* The score of query against any candidate that starts with it (exact:
 * that is all of it). */
int fuzzy_prefix_score(struct slice query, bool exact);

/* The bits of fuzzy_mask for the letters that start a word of key. */
uint64_t fuzzy_word_mask(struct slice key);

/* The highest score query can get against a candidate that does not start
 * with it, whose word starts have word_mask (~0: unknown) and whose first
 * letter is the query's (first). With ~0 and true, it is below every
 * prefix match's score while the query is shorter than 6 bytes. */
int fuzzy_bound(struct slice query, uint64_t word_mask, bool first);

/* A bit per pair of bytes that starts a word of key (hashed: a bit may
 * stand for several pairs). */
uint64_t fuzzy_pair_mask(struct slice key);

/* A bit per pair of a byte one or two before a word start and the byte
 * at it (hashed). */
uint64_t fuzzy_jump_mask(struct slice key);

/* fuzzy_bound, tighter where the pairs that start words are known: a
 * query's letter continues a run from a word start only where the two
 * start a word. Prepared once per query, then asked per candidate. */
#define FUZZY_PLAN_MAX 32
struct fuzzy_plan {
	struct slice q;
	uint32_t n;                     /* 0: longer than FUZZY_PLAN_MAX */
	uint64_t bit[FUZZY_PLAN_MAX];   /* each letter's bit of fuzzy_mask */
	uint64_t pair[FUZZY_PLAN_MAX];  /* of it and the letter before, in fuzzy_pair_mask */
	uint64_t jump[FUZZY_PLAN_MAX];  /* the same in fuzzy_jump_mask */
	bool after_sep[FUZZY_PLAN_MAX]; /* the letter before is a separator */
};
void fuzzy_plan_init(struct fuzzy_plan *plan, struct slice query);
/* The highest score the query can get against a candidate that does not
 * start with it, with these fuzzy_word_mask, fuzzy_pair_mask and
 * fuzzy_jump_mask, whose first letter is the query's (first); never above
 * fuzzy_bound. */
int fuzzy_plan_bound(const struct fuzzy_plan *plan, uint64_t word_mask, uint64_t pair_mask,
		     uint64_t jump_mask, bool first);

#endif
