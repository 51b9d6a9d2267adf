/*
 * protocol.h — LSP values shared by the feature files: positions and
 * ranges in the negotiated encoding, and JSON strings built from vault
 * text (which may not be valid UTF-8).
 */
#ifndef VAULT_PROTOCOL_H
#define VAULT_PROTOCOL_H

#include "position.h"
#include "uri.h"
#include "util.h"

#include <jansson.h>

/* A JSON string of s[0..len); invalid UTF-8 bytes and NULs become U+FFFD
 * (a NUL would be sent as \u0000, which many clients refuse). Never NULL. */
json_t *json_text(const char *s, size_t len);
/* The same written as JSON text (quoted, escaped as jansson would),
 * appended to out: for answers too large to build as jansson values. */
void json_write_text(struct strbuf *out, const char *s, size_t len);

json_t *json_position(const struct text_view *v, uint32_t offset, enum pos_encoding enc);
json_t *json_range(const struct text_view *v, struct span span, enum pos_encoding enc);

/* The same written as JSON text, appended to out (channel_reply_text). */
void json_write_range(struct strbuf *out, const struct text_view *v, struct span span,
		      enum pos_encoding enc);

/* Reads {line, character}; false if malformed (negative, missing, not
 * integers). Values beyond the text are clamped by position_to_offset. */
bool json_get_position(const json_t *pos, struct lsp_pos *out);
/* Reads a Range into byte offsets of v; false if malformed or start > end. */
bool json_get_range(const json_t *range, const struct text_view *v,
		    enum pos_encoding enc, uint32_t *start, uint32_t *end);

#endif
