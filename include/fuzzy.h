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

#endif
