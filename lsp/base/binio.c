/* binio.c — fixed-width values and strings to bytes and back, checked
 * (the readers of single values are inline, in binio.h). */
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

const char *binio_str(struct binio_reader *r, uint32_t max, uint32_t *len)
{
	uint32_t n = binio_u32(r);
	if (n > max)
		r->bad = true;
	const char *s = r->bad ? NULL : binio_take(r, n);
	*len = s ? n : 0;
	return s;
}
