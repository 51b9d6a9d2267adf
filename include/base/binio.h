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

uint8_t binio_u8(struct binio_reader *r);
uint32_t binio_u32(struct binio_reader *r);
uint64_t binio_u64(struct binio_reader *r);
/* A u8 that must be 0 or 1. */
bool binio_bool(struct binio_reader *r);
/* n bytes in place (NULL when fewer are left). */
const void *binio_take(struct binio_reader *r, size_t n);
/* A string written by binio_put_str, in place (not NUL-terminated): its
 * length in *len; NULL when short. At most max bytes. */
const char *binio_str(struct binio_reader *r, uint32_t max, uint32_t *len);

#endif
