/*
 * util.h — the small vocabulary every module shares.
 *
 * - struct span:   a byte range [start, start+len) in some text. By value.
 * - struct slice:  a borrowed, NOT NUL-terminated view. Never freed.
 * - struct strbuf: an owned, always NUL-terminated growable string.
 * - ARRAY(T):      the one generic growable array.
 * - xmalloc & co:  allocation failure aborts here; callers never check NULL.
 * - hash_fnv1a:    the one 32-bit FNV-1a hash.
 * - hash64:        the one 64-bit hash, for whole files and checksums.
 */
#ifndef VAULT_UTIL_H
#define VAULT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct span {
	uint32_t start, len;
};

static inline uint32_t span_end(struct span s) { return s.start + s.len; }

struct slice {
	const char *ptr;
	size_t len;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })
struct slice slice_from_cstr(const char *s);
bool slice_eq(struct slice a, struct slice b);
bool slice_eq_cstr(struct slice a, const char *s);
/* ASCII case-insensitive comparison (UTF-8 bytes >= 0x80 compare exactly). */
bool slice_eq_nocase(struct slice a, struct slice b);
struct slice slice_trim(struct slice s);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Copies len bytes of s and adds a NUL. */
char *xstrndup(const char *s, size_t len);

struct strbuf {
	char *ptr; /* always NUL-terminated once initialised */
	size_t len, cap;
};

void strbuf_init(struct strbuf *b);
void strbuf_fini(struct strbuf *b);
void strbuf_put(struct strbuf *b, const char *s, size_t len);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hands the buffer to the caller (free() it) and leaves b empty. */
char *strbuf_detach(struct strbuf *b);

/*
 * ARRAY(T): { T *items; uint32_t len, cap; }. Declare with
 *   ARRAY(struct foo) foos = { 0 };
 * and free with array_free(&foos). Elements are moved with memcpy.
 */
#define ARRAY(T)                 \
	struct {                 \
		T *items;        \
		uint32_t len, cap; \
	}

#define array_grow(a, n)                                                   \
	do {                                                               \
		if ((a)->len + (n) > (a)->cap) {                           \
			uint32_t cap_ = (a)->cap ? (a)->cap * 2 : 8;       \
			while (cap_ < (a)->len + (n))                      \
				cap_ *= 2;                                 \
			(a)->items = xrealloc((a)->items,                  \
					      cap_ * sizeof(*(a)->items)); \
			(a)->cap = cap_;                                   \
		}                                                          \
	} while (0)

#define array_push(a, v)                       \
	do {                                   \
		array_grow((a), 1);            \
		(a)->items[(a)->len++] = (v);  \
	} while (0)

/* Room for n elements in all, exactly (never less than it has): for an
 * array whose final size is known before it is filled. */
#define array_reserve(a, n)                                               \
	do {                                                              \
		if ((n) > (a)->cap) {                                     \
			(a)->items = xrealloc((a)->items,                 \
					      (n) * sizeof(*(a)->items)); \
			(a)->cap = (n);                                   \
		}                                                         \
	} while (0)

/* Gives back the unused capacity: for arrays that are done growing and
 * will live long (a parsed note's). */
#define array_shrink(a)                                                   \
	do {                                                              \
		if ((a)->cap > (a)->len) {                                \
			if ((a)->len) {                                   \
				(a)->items = xrealloc((a)->items,         \
					(a)->len * sizeof(*(a)->items));  \
				(a)->cap = (a)->len;                      \
			} else {                                          \
				array_free(a);                            \
			}                                                 \
		}                                                         \
	} while (0)

#define array_free(a)                  \
	do {                           \
		free((a)->items);      \
		(a)->items = NULL;     \
		(a)->len = (a)->cap = 0; \
	} while (0)

/* A list of owned strings: an ARRAY(char *) with a name. */
struct str_list {
	char **items;
	uint32_t len, cap;
};

void str_list_push(struct str_list *l, const char *s); /* copies s */
void str_list_clear(struct str_list *l);               /* frees the strings, keeps capacity */
void str_list_free(struct str_list *l);
/* The same strings in the same order. */
bool str_list_eq(const struct str_list *a, const struct str_list *b);

/* FNV-1a, 32 bits: start from HASH_FNV1A_SEED and fold in bytes with
 * hash_fnv1a (or one value at a time with hash_fnv1a_step, which is the
 * same for a byte). Hash tables and fingerprints of text; not for
 * anything an adversary must not collide. */
#define HASH_FNV1A_SEED 2166136261u
static inline uint32_t hash_fnv1a_step(uint32_t h, uint32_t v)
{
	return (h ^ v) * 16777619u;
}
uint32_t hash_fnv1a(uint32_t h, const void *p, size_t n);

/* A fast 64-bit hash of n bytes (four lanes of multiply-rotate, eight
 * bytes a step), seeded, so that a sequence of pieces can be chained:
 * hash64(b, nb, hash64(a, na, 0)). For content fingerprints and
 * checksums over hundreds of megabytes, where FNV's byte at a time is too
 * slow; not for anything an adversary must not collide. The same on
 * every run and host of one byte order. */
uint64_t hash64(const void *p, size_t n, uint64_t seed);

/* UTF-8 helpers. */

/* Length in bytes of the UTF-8 sequence starting at s[0] if it is valid and
 * fits within len; 0 if it is invalid (callers then treat one byte as one
 * character). */
size_t utf8_seq_len(const unsigned char *s, size_t len);
/* True when s[0..len) is entirely valid UTF-8. */
bool utf8_valid(const char *s, size_t len);

#endif
