/*
 * binio.h — fixed-width values and strings to bytes and back, for the
 * files the server keeps for itself (the index cache). Writing appends to
 * a strbuf; reading goes through a cursor that checks every length
 * against what is left and, once anything is short or out of range,
 * stays failed and reads zeros: a caller checks once, at the end, rather
 * than after every value. Host byte order (a file records it).
 */
#ifndef VAULT_BINIO_H
#define VAULT_BINIO_H

#include "util.h"

#include <string.h>

void binio_put_u8(struct strbuf *b, uint8_t v);
void binio_put_u32(struct strbuf *b, uint32_t v);
void binio_put_u64(struct strbuf *b, uint64_t v);
/* A length (u32) and the bytes. */
void binio_put_str(struct strbuf *b, const char *s, size_t len);

struct binio_reader {
	const unsigned char *p;
	size_t len, at;
	bool bad;          /* something was short or out of range */
};

static inline struct binio_reader binio_over(const void *p, size_t len)
{
	return (struct binio_reader){ p, len, 0, false };
}

/* Marks the reader failed (for a value the caller finds out of range). */
static inline void binio_fail(struct binio_reader *r)
{
	r->bad = true;
}

static inline size_t binio_left(const struct binio_reader *r)
{
	return r->bad ? 0 : r->len - r->at;
}

/* n bytes in place (NULL when fewer are left). Inline, as the readers
 * below: a cache of 100,000 notes is tens of millions of values. */
static inline const void *binio_take(struct binio_reader *r, size_t n)
{
	if (r->bad || n > r->len - r->at) {
		r->bad = true;
		return NULL;
	}
	const void *p = r->p + r->at;
	r->at += n;
	return p;
}

static inline uint8_t binio_u8(struct binio_reader *r)
{
	const unsigned char *p = binio_take(r, 1);
	return p ? *p : 0;
}

static inline uint32_t binio_u32(struct binio_reader *r)
{
	uint32_t v = 0;
	const void *p = binio_take(r, sizeof(v));
	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t binio_u64(struct binio_reader *r)
{
	uint64_t v = 0;
	const void *p = binio_take(r, sizeof(v));
	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

/* A u8 that must be 0 or 1. */
static inline bool binio_bool(struct binio_reader *r)
{
	uint8_t v = binio_u8(r);
	if (v > 1)
		r->bad = true;
	return v == 1;
}

/* A string written by binio_put_str, in place (not NUL-terminated): its
 * length in *len; NULL when short. At most max bytes. */
const char *binio_str(struct binio_reader *r, uint32_t max, uint32_t *len);

#endif
