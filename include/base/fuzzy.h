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

#endif
