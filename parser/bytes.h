/*
 * bytes.h — private to parser/: the byte tests and the span constructor
 * that the parser's files share.
 */
#ifndef VAULT_BYTES_H
#define VAULT_BYTES_H

#include <string.h>

#include "util.h"

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool is_ascii_alnum(unsigned char b)
{
	return (unsigned)((b | 0x20) - 'a') < 26 || (unsigned)(b - '0') < 10;
}

/* A UTF-8 byte order mark at t[at]. */
static inline bool has_bom(const char *t, uint32_t len, uint32_t at)
{
	return len - at >= 3 && (unsigned char)t[at] == 0xEF &&
	       (unsigned char)t[at + 1] == 0xBB && (unsigned char)t[at + 2] == 0xBF;
}

/* Whether t[p, end) starts with s (lower case), ASCII letters in any case. */
static inline bool ascii_prefix_nocase(const char *t, uint32_t p, uint32_t end, const char *s)
{
	size_t n = strlen(s);
	if (end - p < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = t[p + i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != s[i])
			return false;
	}
	return true;
}

/* [start, end), empty if end is not after start. */
static inline struct span make_span(uint32_t start, uint32_t end)
{
	return (struct span){ start, end > start ? end - start : 0 };
}

#endif
