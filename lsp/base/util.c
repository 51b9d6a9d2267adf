/* util.c — allocation, slices, string buffers, UTF-8 validation. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, "vault-lsp: out of memory (%zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

struct slice slice_from_cstr(const char *s)
{
	return (struct slice){ s, s ? strlen(s) : 0 };
}

bool slice_eq(struct slice a, struct slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool slice_eq_cstr(struct slice a, const char *s)
{
	return slice_eq(a, slice_from_cstr(s));
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool slice_eq_nocase(struct slice a, struct slice b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (ascii_lower((unsigned char)a.ptr[i]) !=
		    ascii_lower((unsigned char)b.ptr[i]))
			return false;
	return true;
}

struct slice slice_trim(struct slice s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t' ||
			 s.ptr[0] == '\r' || s.ptr[0] == '\n')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' ||
			 s.ptr[s.len - 1] == '\r' || s.ptr[s.len - 1] == '\n'))
		s.len--;
	return s;
}

void strbuf_init(struct strbuf *b)
{
	b->cap = 64;
	b->len = 0;
	b->ptr = xmalloc(b->cap);
	b->ptr[0] = '\0';
}

void strbuf_fini(struct strbuf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

static void strbuf_reserve(struct strbuf *b, size_t extra)
{
	if (!b->ptr)
		strbuf_init(b);
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void strbuf_put(struct strbuf *b, const char *s, size_t len)
{
	strbuf_reserve(b, len);
	if (len)
		memcpy(b->ptr + b->len, s, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_put(b, s, strlen(s));
}

/* Byte by byte is how names and keys are folded: keep it a store. */
void strbuf_putc(struct strbuf *b, char c)
{
	if (!b->ptr || b->len + 2 > b->cap)
		strbuf_reserve(b, 1);
	char *p = b->ptr;
	size_t n = b->len;
	p[n] = c;
	p[n + 1] = '\0';
	b->len = n + 1;
}

/* Formats into the room there is, and only when it did not fit a second
 * time: every diagnostic message is made here. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	size_t room = b->ptr ? b->cap - b->len : 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n >= room) {
		strbuf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

char *strbuf_detach(struct strbuf *b)
{
	if (!b->ptr)
		strbuf_init(b);
	char *p = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

size_t utf8_seq_len(const unsigned char *s, size_t len)
{
	if (len == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned min;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		min = 0x80;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		min = 0x800;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_seq_len(u + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

void str_list_push(struct str_list *l, const char *s)
{
	array_push(l, xstrdup(s));
}

void str_list_clear(struct str_list *l)
{
	for (uint32_t i = 0; i < l->len; i++)
		free(l->items[i]);
	l->len = 0;
}

void str_list_free(struct str_list *l)
{
	str_list_clear(l);
	array_free(l);
}

bool str_list_eq(const struct str_list *a, const struct str_list *b)
{
	if (a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

uint32_t hash_fnv1a(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = hash_fnv1a_step(h, b[i]);
	return h;
}

/* The primes and the round of the well-known xxHash64 design: four
 * independent lanes keep the multiplier busy, so a 600 MB vault's bytes
 * hash in a tenth of a second. */
#define H64_P1 0x9E3779B185EBCA87ull
#define H64_P2 0xC2B2AE3D27D4EB4Full
#define H64_P3 0x165667B19E3779F9ull
#define H64_P4 0x85EBCA77C2B2AE63ull
#define H64_P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t read64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t h64_round(uint64_t acc, uint64_t v)
{
	return rotl64(acc + v * H64_P2, 31) * H64_P1;
}

static inline uint64_t h64_merge(uint64_t h, uint64_t acc)
{
	return (h ^ h64_round(0, acc)) * H64_P1 + H64_P4;
}

uint64_t hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = p, *end = b + n;
	uint64_t h;
	if (n >= 32) {
		uint64_t a1 = seed + H64_P1 + H64_P2, a2 = seed + H64_P2, a3 = seed,
			 a4 = seed - H64_P1;
		for (; end - b >= 32; b += 32) {
			a1 = h64_round(a1, read64(b));
			a2 = h64_round(a2, read64(b + 8));
			a3 = h64_round(a3, read64(b + 16));
			a4 = h64_round(a4, read64(b + 24));
		}
		h = rotl64(a1, 1) + rotl64(a2, 7) + rotl64(a3, 12) + rotl64(a4, 18);
		h = h64_merge(h64_merge(h64_merge(h64_merge(h, a1), a2), a3), a4);
	} else {
		h = seed + H64_P5;
	}
	h += (uint64_t)n;
	for (; end - b >= 8; b += 8)
		h = rotl64(h ^ h64_round(0, read64(b)), 27) * H64_P1 + H64_P4;
	if (end - b >= 4) {
		uint32_t v;
		memcpy(&v, b, sizeof(v));
		h = rotl64(h ^ ((uint64_t)v * H64_P1), 23) * H64_P2 + H64_P3;
		b += 4;
	}
	for (; b < end; b++)
		h = rotl64(h ^ (*b * H64_P5), 11) * H64_P1;
	h ^= h >> 33;
	h *= H64_P2;
	h ^= h >> 29;
	h *= H64_P3;
	h ^= h >> 32;
	return h;
}
