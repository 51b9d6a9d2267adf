/*
 * distance.h — bounded Levenshtein distances between byte strings, for
 * did-you-mean: is this name within `limit` edits of what was typed?
 *
 * Both functions give the same answers: the distance when it is at most
 * limit, else limit + 1 (also whenever b is longer than 255 bytes, or the
 * lengths differ by more than limit).
 */
#ifndef VAULT_DISTANCE_H
#define VAULT_DISTANCE_H

#include "util.h"

/* The band |i - j| <= limit of the dynamic programme, for any lengths. */
uint32_t distance_bounded(struct slice a, struct slice b, uint32_t limit);

/*
 * One string compared with many: its bit masks are built once, then each
 * comparison costs a few word operations per byte of the other string
 * (Myers' bit-parallel algorithm, in Hyyrö's formulation for the global
 * distance). Patterns longer than 64 bytes fall back to distance_bounded.
 */
struct distance_pattern {
	struct slice a;
	uint64_t peq[256]; /* bit i set in peq[c]: a[i] == c */
};

void distance_pattern_init(struct distance_pattern *p, struct slice a);
/* distance_bounded(p->a, b, limit), faster. */
uint32_t distance_to(const struct distance_pattern *p, struct slice b, uint32_t limit);

#endif
