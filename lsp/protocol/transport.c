/* transport.c — Content-Length framing over stdio streams. */
#include "transport.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct transport {
	FILE *in, *out;
	pthread_mutex_t write_lock;
};

/* Header lines longer than this are garbage; they are skipped. */
#define MAX_HEADER_LINE 4096

struct transport *transport_new(FILE *in, FILE *out)
{
	struct transport *t = xcalloc(1, sizeof(*t));
	t->in = in;
	t->out = out;
	pthread_mutex_init(&t->write_lock, NULL);
	return t;
}

void transport_free(struct transport *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->write_lock);
	free(t);
}

enum line_status { LINE_OK, LINE_TOO_LONG, LINE_EOF };

/* Reads one header line without its "\r\n" or "\n" into buf. */
static enum line_status read_line(FILE *in, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	bool too_long = false;
	int c;
	while ((c = getc(in)) != EOF) {
		if (c == '\n') {
			if (n && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			*len = n;
			return too_long ? LINE_TOO_LONG : LINE_OK;
		}
		if (n + 1 < cap)
			buf[n++] = (char)c;
		else
			too_long = true;
	}
	*len = n;
	return LINE_EOF;
}

static bool ascii_ieq_prefix(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		int a = *s, b = *prefix;
		if (a >= 'A' && a <= 'Z')
			a += 32;
		if (b >= 'A' && b <= 'Z')
			b += 32;
		if (a != b)
			return false;
	}
	return true;
}

/* Parses the value of a Content-Length header: digits only, with optional
 * surrounding blanks. Returns false on anything else or on overflow. */
static bool parse_length(const char *s, uint64_t *out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return false;
	*out = v;
	return true;
}

static bool discard(FILE *in, uint64_t n)
{
	char chunk[8192];
	while (n) {
		size_t want = n < sizeof(chunk) ? (size_t)n : sizeof(chunk);
		size_t got = fread(chunk, 1, want, in);
		if (got == 0)
			return false;
		n -= got;
	}
	return true;
}

enum transport_status transport_read(struct transport *t, struct strbuf *body,
				     const char **error)
{
	char line[MAX_HEADER_LINE];
	size_t len;
	bool have_length = false, bad_length = false, any_header = false;
	uint64_t length = 0;

	*error = NULL;
	if (!body->ptr)
		strbuf_init(body);
	body->len = 0;
	body->ptr[0] = '\0';

	for (;;) {
		enum line_status st = read_line(t->in, line, sizeof(line), &len);
		if (st == LINE_EOF) {
			if (any_header || len)
				*error = "input ended inside a message header";
			return TRANSPORT_EOF;
		}
		if (len == 0) {
			if (!any_header)
				continue; /* stray blank line between messages */
			break;
		}
		any_header = true;
		if (st == LINE_TOO_LONG)
			continue;
		if (ascii_ieq_prefix(line, "content-length:")) {
			if (parse_length(line + strlen("content-length:"), &length))
				have_length = true;
			else
				bad_length = true;
		}
		/* Content-Type and unknown headers are tolerated. */
	}

	if (bad_length || !have_length) {
		*error = bad_length ? "invalid Content-Length header"
				    : "message without Content-Length header";
		return TRANSPORT_ERROR;
	}
	if (length > TRANSPORT_MAX_BODY) {
		*error = "message body larger than 64 MiB discarded";
		if (!discard(t->in, length))
			return TRANSPORT_EOF;
		return TRANSPORT_ERROR;
	}

	size_t need = (size_t)length;
	/* Grow as bytes actually arrive, so a lying length costs no memory. */
	while (body->len < need) {
		char chunk[65536];
		size_t want = need - body->len;
		if (want > sizeof(chunk))
			want = sizeof(chunk);
		size_t got = fread(chunk, 1, want, t->in);
		if (got == 0) {
			*error = "input ended inside a message body";
			return TRANSPORT_EOF;
		}
		strbuf_put(body, chunk, got);
	}
	return TRANSPORT_OK;
}

bool transport_write(struct transport *t, const char *body, size_t len)
{
	pthread_mutex_lock(&t->write_lock);
	int ok = fprintf(t->out, "Content-Length: %zu\r\n\r\n", len) > 0 &&
		 fwrite(body, 1, len, t->out) == len && fflush(t->out) == 0;
	pthread_mutex_unlock(&t->write_lock);
	return ok;
}
