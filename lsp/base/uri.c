/* uri.c — file URIs and local paths, both ways. */
#include "uri.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *uri_to_path(const char *uri)
{
	const char *p;
	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	p = uri + 7;
	if (strncmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/')
		return NULL;
	struct strbuf out;
	strbuf_init(&out);
	for (; *p && *p != '?' && *p != '#'; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
			char c = (char)(hi * 16 + lo);
			if (c == '\0') { /* a NUL can't be in a path */
				strbuf_fini(&out);
				return NULL;
			}
			strbuf_putc(&out, c);
			p += 2;
		} else {
			strbuf_putc(&out, *p);
		}
	}
	return strbuf_detach(&out);
}

char *uri_from_path(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	/* Written straight into a buffer of the largest size: every answer
	 * that lists places (references: a thousand of them) makes one a
	 * place. */
	size_t n = strlen(path);
	char *out = xmalloc(7 + 3 * n + 1), *o = out;
	memcpy(o, "file://", 7);
	o += 7;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
