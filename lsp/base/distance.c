/* distance.c — bounded Levenshtein distances (distance.h). */
#include "distance.h"

#include <string.h>

uint32_t distance_bounded(struct slice a, struct slice b, uint32_t limit)
{
	if ((a.len > b.len ? a.len - b.len : b.len - a.len) > limit)
		return limit + 1;
	if (b.len > 255)
		return limit + 1;
	/* (The rows below would have no cell in the band.) */
	if (!b.len)
		return (uint32_t)a.len;
	uint32_t prev[256], cur[256];
	for (uint32_t j = 0; j <= b.len; j++)
		prev[j] = j;
	for (uint32_t i = 1; i <= a.len; i++) {
		uint32_t lo = i > limit ? i - limit : 1;
		uint32_t hi = i + limit < b.len ? i + limit : (uint32_t)b.len;
		uint32_t row_min = limit + 1;
		cur[0] = i;
		for (uint32_t j = 1; j <= b.len; j++) {
			if (j < lo || j > hi) {
				cur[j] = limit + 1;
				continue;
			}
			uint32_t cost = a.ptr[i - 1] != b.ptr[j - 1];
			uint32_t v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < row_min)
				row_min = v;
		}
		if (row_min > limit)
			return limit + 1;
		memcpy(prev, cur, (b.len + 1) * sizeof(uint32_t));
	}
	return prev[b.len] <= limit ? prev[b.len] : limit + 1;
}

void distance_pattern_init(struct distance_pattern *p, struct slice a)
{
	p->a = a;
	memset(p->peq, 0, sizeof(p->peq));
	for (size_t i = 0; i < a.len && i < 64; i++)
		p->peq[(unsigned char)a.ptr[i]] |= 1ull << i;
}

uint32_t distance_to(const struct distance_pattern *p, struct slice b, uint32_t limit)
{
	size_t m = p->a.len;
	if (m > 64 || !m)
		return distance_bounded(p->a, b, limit);
	if ((m > b.len ? m - b.len : b.len - m) > limit || b.len > 255)
		return limit + 1;
	/* Column deltas of the DP as bit vectors: Pv/Mv mark +1/-1 steps
	 * down a column, score is the last row's value. */
	uint64_t high = 1ull << (m - 1);
	uint64_t pv = m == 64 ? ~0ull : (1ull << m) - 1, mv = 0;
	uint32_t score = (uint32_t)m;
	for (size_t j = 0; j < b.len; j++) {
		uint64_t eq = p->peq[(unsigned char)b.ptr[j]];
		uint64_t xv = eq | mv;
		uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
		uint64_t ph = mv | ~(xh | pv);
		uint64_t mh = pv & xh;
		if (ph & high)
			score++;
		else if (mh & high)
			score--;
		/* Row 0 grows by one a column: a +1 enters at the top. */
		ph = (ph << 1) | 1;
		mh <<= 1;
		pv = mh | ~(xv | ph);
		mv = ph & xv;
		/* The last row can fall by at most one a remaining column. */
		if (score > limit + (b.len - j - 1))
			return limit + 1;
	}
	return score <= limit ? score : limit + 1;
}
