/* diagnostics.c — textDocument/publishDiagnostics: a note's problems, open
 * or not, in the client's terms. */
#include "diagnose.h"
#include "feature.h"
#include "protocol.h"

#include <stdlib.h>
#include <string.h>

json_t *diagnostics_encode(const struct feature_ctx *ctx, const struct diagnostic *d,
			   const struct ws_note *wn)
{
	struct workspace *ws = ctx->ws;
	enum pos_encoding enc = ctx->enc;
	struct text_view v = feature_view(wn);
	json_t *j = json_pack("{s:o, s:i, s:s, s:s, s:o}", "range", json_range(&v, d->span, enc),
			      "severity", d->severity, "code", d->code, "source", "vault-lsp",
			      "message", json_text(d->message, strlen(d->message)));
	if (d->tags & DIAG_TAG_UNNECESSARY)
		json_object_set_new(j, "tags", json_pack("[i]", 1));
	if (d->related.len) {
		json_t *rel = json_array();
		for (uint32_t i = 0; i < d->related.len; i++) {
			const struct diag_related *r = &d->related.items[i];
			const struct ws_note *rn = workspace_get(ws, r->note);
			if (!rn)
				continue;
			struct text_view rv = feature_view(rn);
			char *uri = uri_from_path(rn->abs);
			json_array_append_new(rel, json_pack("{s:{s:s, s:o}, s:o}", "location",
				"uri", uri, "range", json_range(&rv, r->span, enc),
				"message", json_text(r->message, strlen(r->message))));
			free(uri);
		}
		json_object_set_new(j, "relatedInformation", rel);
	}
	return j;
}

bool diagnostics_publish(struct feature_ctx *ctx, uint32_t id, bool even_if_empty)
{
	struct diag_list list = { 0 };
	diagnose_note(ctx->ws, id, &list);
	bool any = diagnostics_publish_list(ctx, id, &list, even_if_empty);
	diag_list_free(&list);
	return any;
}

bool diagnostics_publish_list(struct feature_ctx *ctx, uint32_t id, const struct diag_list *list,
			      bool even_if_empty)
{
	struct workspace *ws = ctx->ws;
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn)
		return false;
	bool any = list->len > 0;
	if (any || even_if_empty) {
		json_t *arr = json_array();
		for (uint32_t i = 0; i < list->len; i++)
			json_array_append_new(arr, diagnostics_encode(ctx, &list->items[i], wn));
		/* An open note is published under the client's own URI, with the
		 * version the diagnostics are for. */
		const struct document *doc = documents_find_path(ctx->docs, wn->abs);
		char *uri = doc ? xstrdup(doc->uri) : uri_from_path(wn->abs);
		json_t *params = json_pack("{s:s, s:o}", "uri", uri, "diagnostics", arr);
		if (doc)
			json_object_set_new(params, "version", json_integer(doc->version));
		channel_notify(ctx->ch, "textDocument/publishDiagnostics", params);
		free(uri);
	}
	return any;
}

void diagnostics_clear(struct feature_ctx *ctx, const char *abs)
{
	char *uri = uri_from_path(abs);
	channel_notify(ctx->ch, "textDocument/publishDiagnostics",
		       json_pack("{s:s, s:[]}", "uri", uri, "diagnostics"));
	free(uri);
}
