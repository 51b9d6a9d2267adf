/*
 * protocol.h — LSP value helpers shared by the feature files: file URIs,
 * ranges in the negotiated position encoding, and JSON strings built from
 * vault text (which may not be valid UTF-8).
 */
#ifndef VAULT_PROTOCOL_H
#define VAULT_PROTOCOL_H

#include "position.h"
#include "util.h"

#include <jansson.h>

/* "file:///a/b%20c.md" -> "/a/b c.md" (caller frees); NULL if uri is not a
 * local file URI. */
char *uri_to_path(const char *uri);
/* "/a/b c.md" -> "file:///a/b%20c.md" (caller frees). */
char *uri_from_path(const char *path);

/* A JSON string of s[0..len); invalid UTF-8 bytes and NULs become U+FFFD
 * (a NUL would be sent as \u0000, which many clients refuse). Never NULL. */
json_t *json_text(const char *s, size_t len);

/* Text plus its line map: what is needed to convert positions. */
struct text_view {
	const char *text;
	size_t len;
	const struct line_map *lines;
};

json_t *json_position(const struct text_view *v, uint32_t offset, enum pos_encoding enc);
json_t *json_range(const struct text_view *v, struct span span, enum pos_encoding enc);

/* Reads {line, character}; false if malformed (negative, missing, not
 * integers). Values beyond the text are clamped by position_to_offset. */
bool json_get_position(const json_t *pos, struct lsp_pos *out);
/* Reads a Range into byte offsets of v; false if malformed or start > end. */
bool json_get_range(const json_t *range, const struct text_view *v,
		    enum pos_encoding enc, uint32_t *start, uint32_t *end);

#endif
