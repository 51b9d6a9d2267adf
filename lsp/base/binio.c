/* binio.c — fixed-width values and strings to bytes and back, checked. */
#include "binio.h"

#include <string.h>

void binio_put_u8(struct strbuf *b, uint8_t v)
{
	strbuf_put(b, (const char *)&v, 1);
}

void binio_put_u32(struct strbuf *b, uint32_t v)
{
	strbuf_put(b, (const char *)&v, sizeof(v));
}

void binio_put_u64(struct strbuf *b, uint64_t v)
{
	strbuf_put(b, (const char *)&v, sizeof(v));
}

void binio_put_str(struct strbuf *b, const char *s, size_t len)
{
	binio_put_u32(b, (uint32_t)len);
	strbuf_put(b, s, len);
}

const void *binio_take(struct binio_reader *r, size_t n)
{
	if (r->bad || n > r->len - r->at) {
		r->bad = true;
		return NULL;
	}
	const void *p = r->p + r->at;
	r->at += n;
	return p;
}

uint8_t binio_u8(struct binio_reader *r)
{
	const unsigned char *p = binio_take(r, 1);
	return p ? *p : 0;
}

uint32_t binio_u32(struct binio_reader *r)
{
	uint32_t v = 0;
	const void *p = binio_take(r, sizeof(v));
	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t binio_u64(struct binio_reader *r)
{
	uint64_t v = 0;
	const void *p = binio_take(r, sizeof(v));
	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

bool binio_bool(struct binio_reader *r)
{
	uint8_t v = binio_u8(r);
	if (v > 1)
		r->bad = true;
	return v == 1;
}

const char *binio_str(struct binio_reader *r, uint32_t max, uint32_t *len)
{
	uint32_t n = binio_u32(r);
	if (n > max)
		r->bad = true;
	const char *s = r->bad ? NULL : binio_take(r, n);
	*len = s ? n : 0;
	return s;
}
