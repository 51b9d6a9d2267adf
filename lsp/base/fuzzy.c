/* fuzzy.c — subsequence scoring for completion. */
#include "fuzzy.h"

#include <string.h>

static uint64_t bit(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 1ull << (c - 'a');
	if (c >= '0' && c <= '9')
		return 1ull << (26 + c - '0');
	return c != ' ' ? 1ull << 36 : 0;
}

uint64_t fuzzy_mask(struct slice key)
{
	uint64_t m = 0;
	for (size_t i = 0; i < key.len; i++)
		m |= bit((unsigned char)key.ptr[i]);
	return m;
}

static bool separator(char p)
{
	return p == ' ' || p == '-' || p == '_' || p == '/' || p == '(' || p == '.' ||
	       p == ',' || p == ':' || p == '[';
}

static bool word_start(struct slice s, size_t i)
{
	return i == 0 || separator(s.ptr[i - 1]);
}

uint64_t fuzzy_word_mask(struct slice key)
{
	uint64_t m = 0;
	for (size_t i = 0; i < key.len; i++)
		if (word_start(key, i))
			m |= bit((unsigned char)key.ptr[i]);
	return m;
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

int fuzzy_prefix_score(struct slice q, bool exact)
{
	if (q.len == 0)
		return 0;
	/* Matching a candidate that starts with it, the greedy walk takes the
	 * query's own letters one after the other: the score depends on the
	 * query alone. */
	return score_from(q, q, 0) + (exact ? BONUS_EXACT : BONUS_PREFIX);
}

static bool may_start_word(char c, uint64_t word_mask)
{
	uint64_t b = bit((unsigned char)c);
	return b ? (b & word_mask) != 0 : true; /* a space has no bit */
}

int fuzzy_bound(struct slice q, uint64_t word_mask, bool first)
{
	if (q.len == 0)
		return 0;
	/* As score_from could at best: the first letter at a word start (and
	 * at the very start, if it is the candidate's first); each next one
	 * at a word start or continuing a run, both only after a separator
	 * (a letter at a word start right after the previous one follows a
	 * separator), no more gaps than that, and no prefix bonus. */
	int best = SCORE_MATCH + (first ? BONUS_FIRST_CHAR : 0) +
		   (may_start_word(q.ptr[0], word_mask) ? BONUS_WORD_START : 0);
	for (size_t i = 1; i < q.len; i++) {
		best += SCORE_MATCH;
		if (!may_start_word(q.ptr[i], word_mask))
			best += BONUS_CONSECUTIVE;
		else if (separator(q.ptr[i - 1]))
			best += BONUS_WORD_START + BONUS_CONSECUTIVE;
		else
			best += BONUS_WORD_START - 1; /* a gap of at least one */
	}
	return best;
}

int fuzzy_score(struct slice q, struct slice c)
{
	if (q.len == 0)
		return 0;
	if (q.len > c.len)
		return -1;
	/* A candidate that starts with the query is scored by that alignment,
	 * whatever another might give: a prefix is the strongest sign, and
	 * completion can then rank the prefix matches of a large vault
	 * without looking at their text. */
	if (memcmp(c.ptr, q.ptr, q.len) == 0)
		return fuzzy_prefix_score(q, q.len == c.len);
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
	return best;
}
