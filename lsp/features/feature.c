/* feature.c — what the features share: the open document, its note and
 * the position a request names; a note's text view; where a link leads. */
#include "feature.h"

struct document *feature_document(struct feature_ctx *ctx, const json_t *id,
				   const json_t *params)
{
	const json_t *uri = json_object_get(json_object_get(params, "textDocument"), "uri");
	if (!json_is_string(uri)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.textDocument.uri is required");
		return NULL;
	}
	struct document *doc = documents_get(ctx->docs, json_string_value(uri));
	if (!doc)
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "the document is not open");
	return doc;
}

int32_t feature_note(struct feature_ctx *ctx, const json_t *id, const json_t *params,
		      const struct ws_note **wn, uint32_t *offset, json_t *empty)
{
	struct document *doc = feature_document(ctx, id, params);
	struct lsp_pos pos;
	if (doc && offset && !json_get_position(json_object_get(params, "position"), &pos)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.position is required");
		doc = NULL;
	}
	int32_t note = doc && doc->path ? workspace_find(ctx->ws, doc->path) : -1;
	if (note < 0) {
		if (doc)
			channel_reply(ctx->ch, id, empty ? empty : json_null());
		else
			json_decref(empty);
		return -1;
	}
	json_decref(empty);
	*wn = workspace_get(ctx->ws, (uint32_t)note);
	if (offset)
		*offset = position_to_offset((*wn)->note->text, (*wn)->note->len, &(*wn)->lines, pos,
					     ctx->enc);
	return note;
}

struct text_view feature_view(const struct ws_note *wn)
{
	return (struct text_view){ wn->note->text, wn->note->len, &wn->lines };
}

struct span feature_target_span(const struct ws_note *t, const struct resolution *r)
{
	if (r->heading >= 0)
		return t->note->headings.items[r->heading].line;
	if (r->block >= 0) {
		struct span b = t->note->blocks.items[r->block].block;
		return b.len ? b : t->note->blocks.items[r->block].span;
	}
	return (struct span){ 0, 0 };
}
