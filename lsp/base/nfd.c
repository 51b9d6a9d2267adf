/* nfd.c — canonical decomposition (NFD) of code points, from the tables
 * lsp/base/unicode/gen_nfd.py generates. */
#include "nfd.h"

#include <stdbool.h>

#include "unicode/nfd_table.h"

#define HANGUL_FIRST 0xAC00
#define HANGUL_LAST 0xD7A3

/* Does any code point of c's block of 256 decompose or combine? */
static bool busy(uint32_t c)
{
	uint32_t b = c >> 8;
	return b < NFD_BLOCKS && (nfd_busy[b >> 6] >> (b & 63) & 1);
}

unsigned nfd_decompose(uint32_t c, uint32_t out[NFD_MAX])
{
	out[0] = c;
	if (c < 0xC0 || !busy(c))
		return 1;
	if (c >= HANGUL_FIRST && c <= HANGUL_LAST) {
		/* Unicode 3.12: a syllable is leading, vowel and trailing jamo. */
		uint32_t s = c - HANGUL_FIRST;
		out[0] = 0x1100 + s / (21 * 28);
		out[1] = 0x1161 + s % (21 * 28) / 28;
		if (s % 28 == 0)
			return 2;
		out[2] = 0x11A7 + s % 28;
		return 3;
	}
	uint32_t lo = 0, hi = sizeof(nfd_cp) / sizeof(nfd_cp[0]);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (nfd_cp[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == sizeof(nfd_cp) / sizeof(nfd_cp[0]) || nfd_cp[lo] != c)
		return 1;
	unsigned n = nfd_at[lo + 1] - nfd_at[lo];
	for (unsigned i = 0; i < n; i++)
		out[i] = nfd_pool[nfd_at[lo] + i];
	return n;
}

unsigned nfd_ccc(uint32_t c)
{
	if (c < 0x300 || !busy(c))
		return 0;
	uint32_t lo = 0, hi = sizeof(nfd_ccc_ranges) / sizeof(nfd_ccc_ranges[0]);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (nfd_ccc_ranges[mid].last < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sizeof(nfd_ccc_ranges) / sizeof(nfd_ccc_ranges[0]) && nfd_ccc_ranges[lo].first <= c)
		return nfd_ccc_ranges[lo].ccc;
	return 0;
}
