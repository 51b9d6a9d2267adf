/* protocol.c — ranges and text for LSP messages. */
#include "protocol.h"

#include <stdlib.h>
#include <string.h>

json_t *json_text(const char *s, size_t len)
{
	/* A NUL would go out as \u0000, which clients (and jansson, by
	 * default) refuse: it becomes U+FFFD like an invalid byte. */
	if (utf8_valid(s, len) && !memchr(s, '\0', len)) {
		json_t *j = json_stringn(s, len);
		if (j)
			return j;
	}
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i);
		if (n && s[i]) {
			strbuf_put(&b, s + i, n);
			i += n;
		} else {
			strbuf_puts(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	json_t *j = json_stringn(b.ptr, b.len);
	strbuf_fini(&b);
	return j ? j : json_string("");
}

void json_write_text(struct strbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
	strbuf_putc(out, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			/* The common case, a run of plain ASCII, in one copy. */
			size_t j = i + 1;
			while (j < len && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80 &&
			       s[j] != '"' && s[j] != '\\')
				j++;
			strbuf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c == '"' || c == '\\') {
			strbuf_putc(out, '\\');
			strbuf_putc(out, (char)c);
			i++;
			continue;
		}
		if (c && c < 0x20) {
			const char *short_form = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
					       : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
			if (short_form) {
				strbuf_puts(out, short_form);
			} else {
				strbuf_puts(out, "\\u00");
				strbuf_putc(out, hex[c >> 4]);
				strbuf_putc(out, hex[c & 15]);
			}
			i++;
			continue;
		}
		size_t n = c ? utf8_seq_len((const unsigned char *)s + i, len - i) : 0;
		if (n) {
			strbuf_put(out, s + i, n);
			i += n;
		} else {
			strbuf_puts(out, "\xEF\xBF\xBD"); /* as json_text: NUL, invalid bytes */
			i++;
		}
	}
	strbuf_putc(out, '"');
}

json_t *json_position(const struct text_view *v, uint32_t offset, enum pos_encoding enc)
{
	struct lsp_pos p = position_from_offset(v->text, v->len, v->lines, offset, enc);
	return json_pack("{s:I, s:I}", "line", (json_int_t)p.line, "character",
			 (json_int_t)p.character);
}

json_t *json_range(const struct text_view *v, struct span span, enum pos_encoding enc)
{
	return json_pack("{s:o, s:o}", "start", json_position(v, span.start, enc),
			 "end", json_position(v, span_end(span), enc));
}

static void put_uint(struct strbuf *out, uint32_t n)
{
	char digits[10];
	int k = 0;
	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (k)
		strbuf_putc(out, digits[--k]);
}

static void write_position(struct strbuf *out, struct lsp_pos p)
{
	strbuf_puts(out, "{\"line\":");
	put_uint(out, p.line);
	strbuf_puts(out, ",\"character\":");
	put_uint(out, p.character);
	strbuf_putc(out, '}');
}

void json_write_range(struct strbuf *out, const struct text_view *v, struct span span,
		      enum pos_encoding enc)
{
	struct lsp_pos start, end;
	position_span(v->text, v->len, v->lines, span, enc, &start, &end);
	strbuf_puts(out, "{\"start\":");
	write_position(out, start);
	strbuf_puts(out, ",\"end\":");
	write_position(out, end);
	strbuf_putc(out, '}');
}

bool json_get_position(const json_t *pos, struct lsp_pos *out)
{
	json_t *line = json_object_get(pos, "line");
	json_t *ch = json_object_get(pos, "character");
	if (!json_is_integer(line) || !json_is_integer(ch))
		return false;
	json_int_t l = json_integer_value(line), c = json_integer_value(ch);
	if (l < 0 || c < 0 || l > UINT32_MAX || c > UINT32_MAX)
		return false;
	out->line = (uint32_t)l;
	out->character = (uint32_t)c;
	return true;
}

bool json_get_range(const json_t *range, const struct text_view *v,
		    enum pos_encoding enc, uint32_t *start, uint32_t *end)
{
	struct lsp_pos a, b;
	if (!json_get_position(json_object_get(range, "start"), &a) ||
	    !json_get_position(json_object_get(range, "end"), &b))
		return false;
	*start = position_to_offset(v->text, v->len, v->lines, a, enc);
	*end = position_to_offset(v->text, v->len, v->lines, b, enc);
	return *start <= *end;
}
