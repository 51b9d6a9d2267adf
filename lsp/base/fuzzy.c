/* fuzzy.c — subsequence scoring for completion. */
#include "fuzzy.h"

#include <string.h>

/* Punctuation that names hold, a bit each: one bit for all of it made
 * every dated title ("2024-01-02 - ...") a candidate for "(no". */
static const char punct[] = "-_/().,:[]'&+#@!?\"";

static uint64_t bit(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 1ull << (c - 'a');
	if (c >= '0' && c <= '9')
		return 1ull << (26 + c - '0');
	if (c == ' ')
		return 0;
	if (c >= 0x80) /* bytes of other scripts, in 8 classes */
		return 1ull << (56 + (c & 7));
	const char *at = c ? strchr(punct, c) : NULL;
	return 1ull << (at ? 37 + (at - punct) : 36);
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
			const char *at = memchr(c.ptr + k, q.ptr[qi], c.len - k);
			if (!at)
				break;
			k = (size_t)(at - c.ptr);
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

/* The pair's bit: a hash of its two bytes. */
static uint64_t pair_bit(unsigned char a, unsigned char b)
{
	return 1ull << ((((uint32_t)a * 0x9E3779B1u) ^ ((uint32_t)b * 0x85EBCA77u)) >> 26);
}

uint64_t fuzzy_pair_mask(struct slice key)
{
	uint64_t m = 0;
	for (size_t i = 0; i + 1 < key.len; i++)
		if (word_start(key, i))
			m |= pair_bit((unsigned char)key.ptr[i], (unsigned char)key.ptr[i + 1]);
	return m;
}

/* A letter one or two bytes before a word start, and that word's first:
 * a jump between the two skips one or two bytes, any other at least 3. */
static uint64_t jump_bit(unsigned char a, unsigned char b)
{
	return 1ull << ((((uint32_t)a * 0x85EBCA77u) ^ ((uint32_t)b * 0xC2B2AE3Du)) >> 26);
}

uint64_t fuzzy_jump_mask(struct slice key)
{
	uint64_t m = 0;
	for (size_t j = 2; j < key.len; j++) {
		if (!word_start(key, j))
			continue;
		m |= jump_bit((unsigned char)key.ptr[j - 2], (unsigned char)key.ptr[j]);
		if (j >= 3)
			m |= jump_bit((unsigned char)key.ptr[j - 3], (unsigned char)key.ptr[j]);
	}
	return m;
}

void fuzzy_plan_init(struct fuzzy_plan *p, struct slice q)
{
	p->q = q;
	p->n = q.len <= FUZZY_PLAN_MAX ? (uint32_t)q.len : 0;
	for (uint32_t k = 0; k < p->n; k++) {
		unsigned char c = (unsigned char)q.ptr[k];
		p->bit[k] = bit(c);
		p->pair[k] = k ? pair_bit((unsigned char)q.ptr[k - 1], c) : 0;
		p->jump[k] = k ? jump_bit((unsigned char)q.ptr[k - 1], c) : 0;
		/* A word start right after the previous letter (a separator)
		 * continues its run; any other follows a gap of one at least. */
		p->after_sep[k] = k && separator(q.ptr[k - 1]);
	}
}

int fuzzy_plan_bound(const struct fuzzy_plan *p, uint64_t word_mask, uint64_t pair_mask,
		     uint64_t jump_mask, bool first)
{
	if (p->n == 0)
		return fuzzy_bound(p->q, word_mask, first);
	/* As score_from could at best, letter by letter, in two states: the
	 * letter at a word start (ws), or not (in). A letter continues a run
	 * (+5) or follows a gap (-1 at least); at a word start, it continues
	 * a run only after a separator. A run from a letter at a word start
	 * makes the two the start of a word: a pair of pair_mask. A letter at
	 * a word start after a gap costs 1 or 2 only if the two are a pair of
	 * jump_mask, else 3. */
	const int none = -1000;
	int ws = (!p->bit[0] || (p->bit[0] & word_mask))
			 ? SCORE_MATCH + BONUS_WORD_START + (first ? BONUS_FIRST_CHAR : 0) : none;
	int in = SCORE_MATCH;
	for (uint32_t k = 1; k < p->n; k++) {
		int prev = ws > in ? ws : in;
		/* The previous letter, if a run may go on from there. */
		int from = (p->pair[k] & pair_mask) && ws > in ? ws : in;
		int gap = prev + SCORE_MATCH - 1;
		int run = from + SCORE_MATCH + BONUS_CONSECUTIVE;
		in = run > gap ? run : gap;
		int jump = prev + SCORE_MATCH + BONUS_WORD_START -
			   ((p->jump[k] & jump_mask) ? 1 : PENALTY_GAP_MAX);
		if (p->bit[k] && !(p->bit[k] & word_mask))
			ws = none;
		else if (p->after_sep[k] && run + BONUS_WORD_START > jump)
			ws = run + BONUS_WORD_START;
		else
			ws = jump;
	}
	return ws > in ? ws : in;
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
		const char *at = memchr(c.ptr + i, q.ptr[0], c.len - q.len + 1 - i);
		if (!at)
			break;
		i = (size_t)(at - c.ptr);
		if (tried_first && !word_start(c, i))
			continue;
		tried_first = true;
		int s = score_from(q, c, i);
		if (s > best)
			best = s;
	}
	return best;
}
