/* text_sync.c — text synchronisation: the open buffers and the index follow
 * the editor; closing a buffer reverts its note to the file on disk. */
#include "feature.h"
#include "protocol.h"

#include <string.h>

static const char *text_document_uri(const json_t *params)
{
	const json_t *uri = json_object_get(json_object_get(params, "textDocument"), "uri");
	return json_is_string(uri) ? json_string_value(uri) : NULL;
}

/* The index sees the buffer, not the disk, while it is open; a buffer too
 * big to parse by name only, as the file would be. */
static void index_buffer(struct feature_ctx *ctx, const struct document *doc)
{
	if (!doc->path)
		return;
	bool big = doc->text.len > DOCUMENT_MAX_PARSED_BYTES;
	workspace_set_text(ctx->ws, doc->path, doc->text.ptr, big ? 0 : doc->text.len);
}

void text_sync_did_open(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	(void)id;
	const json_t *td = json_object_get(params, "textDocument");
	const json_t *uri = json_object_get(td, "uri");
	const json_t *text = json_object_get(td, "text");
	const json_t *version = json_object_get(td, "version");
	if (!json_is_string(uri) || !json_is_string(text)) {
		log_msg(ctx->log, LOG_ERROR, "didOpen without textDocument.uri and text: ignored");
		return;
	}
	struct document *doc = documents_open(ctx->docs, json_string_value(uri),
					      json_string_value(text), json_string_length(text),
					      json_is_integer(version) ? json_integer_value(version) : 0);
	if (doc->text.len > DOCUMENT_MAX_PARSED_BYTES)
		log_msg(ctx->log, LOG_WARN, "%s is larger than %u MiB: indexed by name only",
			doc->uri, DOCUMENT_MAX_PARSED_BYTES >> 20);
	index_buffer(ctx, doc);
	doc->dirty = true;
}

void text_sync_did_change(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	(void)id;
	const char *uri = text_document_uri(params);
	struct document *doc = uri ? documents_get(ctx->docs, uri) : NULL;
	if (!doc) {
		log_msg(ctx->log, LOG_WARN, "didChange for a document that is not open: %s",
			uri ? uri : "(no uri)");
		return;
	}
	const json_t *version = json_object_get(json_object_get(params, "textDocument"), "version");
	if (json_is_integer(version)) {
		if (json_integer_value(version) <= doc->version)
			log_msg(ctx->log, LOG_WARN, "%s: version went from %lld to %lld",
				uri, (long long)doc->version, (long long)json_integer_value(version));
		doc->version = json_integer_value(version);
	}
	const json_t *changes = json_object_get(params, "contentChanges");
	size_t i;
	json_t *change;
	json_array_foreach(changes, i, change) {
		const json_t *text = json_object_get(change, "text");
		const json_t *range = json_object_get(change, "range");
		if (!json_is_string(text)) {
			log_msg(ctx->log, LOG_ERROR, "%s: change without text ignored", uri);
			continue;
		}
		if (!range) {
			document_set_text(doc, json_string_value(text), json_string_length(text));
			continue;
		}
		struct text_view v = document_view(doc);
		uint32_t start, end;
		if (!json_get_range(range, &v, ctx->enc, &start, &end)) {
			log_msg(ctx->log, LOG_ERROR, "%s: change with an invalid range ignored", uri);
			continue;
		}
		document_edit(doc, start, end, json_string_value(text), json_string_length(text));
	}
	index_buffer(ctx, doc);
	doc->dirty = true;
}

void text_sync_did_save(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	(void)ctx;
	(void)id;
	(void)params;
	/* Changes were synchronised as they were typed: nothing is new. */
}

void text_sync_did_close(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	(void)id;
	const char *uri = text_document_uri(params);
	struct document *doc = uri ? documents_get(ctx->docs, uri) : NULL;
	if (!doc) {
		log_msg(ctx->log, LOG_WARN, "didClose for a document that is not open: %s",
			uri ? uri : "(no uri)");
		return;
	}
	char *path = doc->path ? xstrdup(doc->path) : NULL;
	documents_close(ctx->docs, uri);
	semantic_tokens_forget(ctx, uri);
	if (path)
		workspace_reload(ctx->ws, path);
	free(path);
	/* Clear what was published under the client's URI; the note comes
	 * back as a closed note (under ours) if it has anything to say. */
	channel_notify(ctx->ch, "textDocument/publishDiagnostics",
		      json_pack("{s:s, s:[]}", "uri", uri, "diagnostics"));
}
