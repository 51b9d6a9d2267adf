/* fuzzy.c — subsequence scoring for completion. */
#include "fuzzy.h"

#include <string.h>

uint64_t fuzzy_mask(struct slice key)
{
	uint64_t m = 0;
	for (size_t i = 0; i < key.len; i++) {
		unsigned char c = (unsigned char)key.ptr[i];
		if (c >= 'a' && c <= 'z')
			m |= 1ull << (c - 'a');
		else if (c >= '0' && c <= '9')
			m |= 1ull << (26 + c - '0');
		else if (c != ' ')
			m |= 1ull << 36;
	}
	return m;
}

static bool word_start(struct slice s, size_t i)
{
	if (i == 0)
		return true;
	unsigned char p = (unsigned char)s.ptr[i - 1];
	return p == ' ' || p == '-' || p == '_' || p == '/' || p == '(' || p == '.' ||
	       p == ',' || p == ':' || p == '[';
}

enum {
	SCORE_MATCH = 1,
	BONUS_WORD_START = 8,
	BONUS_CONSECUTIVE = 5,
	BONUS_FIRST_CHAR = 6,
	PENALTY_GAP_MAX = 3,
	BONUS_PREFIX = 40,
	BONUS_EXACT = 80,
};

/* Greedy forward match of query starting at candidate[from]. */
static int score_from(struct slice q, struct slice c, size_t from)
{
	int score = 0;
	size_t ci = from, last = (size_t)-1;
	for (size_t qi = 0; qi < q.len; qi++) {
		/* Prefer the next word start holding this letter, when it comes
		 * before any ordinary occurrence would let a run continue. */
		size_t hit = qi == 0 ? from : (size_t)-1;
		for (size_t k = ci; k < c.len && qi > 0; k++) {
			if (c.ptr[k] != q.ptr[qi])
				continue;
			if (hit == (size_t)-1)
				hit = k;
			if (k == last + 1 || word_start(c, k)) {
				hit = k;
				break;
			}
		}
		if (hit == (size_t)-1)
			return -1;
		score += SCORE_MATCH;
		if (word_start(c, hit))
			score += BONUS_WORD_START;
		if (last != (size_t)-1 && hit == last + 1)
			score += BONUS_CONSECUTIVE;
		else if (last != (size_t)-1) {
			size_t gap = hit - last - 1;
			score -= gap < PENALTY_GAP_MAX ? (int)gap : PENALTY_GAP_MAX;
		}
		if (qi == 0 && hit == 0)
			score += BONUS_FIRST_CHAR;
		last = hit;
		ci = hit + 1;
	}
	return score;
}

int fuzzy_score(struct slice q, struct slice c)
{
	if (q.len == 0)
		return 0;
	if (q.len > c.len)
		return -1;
	int best = -1;
	/* Try every start where the first letter sits at a word start, and
	 * the first occurrence: the best alignment is almost always one. */
	bool tried_first = false;
	for (size_t i = 0; i + q.len <= c.len; i++) {
		if (c.ptr[i] != q.ptr[0])
			continue;
		if (tried_first && !word_start(c, i))
			continue;
		tried_first = true;
		int s = score_from(q, c, i);
		if (s > best)
			best = s;
	}
	if (best < 0)
		return -1;
	if (memcmp(c.ptr, q.ptr, q.len) == 0)
		best += q.len == c.len ? BONUS_EXACT : BONUS_PREFIX;
	return best;
}
