/* md_links.c — Markdown links to notes in a body (md_links.h). */
#include "md_links.h"

#include <string.h>
#include <strings.h>

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void md_links_decode(struct slice path, struct strbuf *out)
{
	for (size_t i = 0; i < path.len; i++) {
		int hi, lo;
		if (path.ptr[i] == '%' && i + 2 < path.len && (hi = hex(path.ptr[i + 1])) >= 0 &&
		    (lo = hex(path.ptr[i + 2])) >= 0) {
			strbuf_putc(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			strbuf_putc(out, path.ptr[i]);
		}
	}
}

/* "scheme://" in a path: a URL, not a note. */
static bool has_scheme(const char *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
	return false;
}

/* Is p inside a zone (code, comment, HTML)? The zones are sorted. */
static bool in_zone(const struct note *n, uint32_t p)
{
	uint32_t lo = 0, hi = n->zones.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (span_end(n->zones.items[mid].span) <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->zones.len && n->zones.items[lo].span.start <= p;
}

bool md_links_next(const struct note *n, uint32_t *from, struct md_link *out)
{
	const char *t = n->text;
	uint32_t p = *from < n->body ? n->body : *from;
	while (p + 2 < n->len) {
		const char *q = memchr(t + p, ']', n->len - p);
		if (!q)
			break;
		uint32_t close_sq = (uint32_t)(q - t);
		p = close_sq + 1;
		if (p >= n->len || t[p] != '(')
			continue;
		bool angle = p + 1 < n->len && t[p + 1] == '<';
		uint32_t s = p + 1 + angle, e = s;
		while (e < n->len && t[e] != '\n' && t[e] != '#' &&
		       (angle ? t[e] != '>' : t[e] != ')' && t[e] != ' ' && t[e] != '\t'))
			e++;
		uint32_t end = e;
		while (end < n->len && t[end] != '\n' && t[end] != (angle ? '>' : ')'))
			end++;
		if (end >= n->len || t[end] != (angle ? '>' : ')') || e - s < 4 ||
		    strncasecmp(t + e - 3, ".md", 3) != 0 || has_scheme(t + s, e - s) || in_zone(n, s))
			continue;
		if (angle && (end + 1 >= n->len || t[end + 1] != ')'))
			continue;
		/* The text's '[' on the same line, not in a wikilink's "[[". */
		uint32_t open = close_sq;
		while (open > n->body && t[open - 1] != '\n' && t[open] != '[')
			open--;
		if (t[open] != '[')
			continue;
		uint32_t after = (angle ? end + 1 : end) + 1;
		*out = (struct md_link){ { open, after - open }, { s, e - s },
					 { e + 1, e < end && t[e] == '#' ? end - e - 1 : 0 },
					 e < end && t[e] == '#', angle };
		if (!out->has_subpath)
			out->subpath = (struct span){ e, 0 };
		*from = after;
		return true;
	}
	*from = n->len;
	return false;
}
