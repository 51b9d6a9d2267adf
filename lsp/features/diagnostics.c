/* diagnostics.c — textDocument/publishDiagnostics: a note's problems, open
 * or not, in the client's terms. */
#include "diagnose.h"
#include "feature.h"
#include "protocol.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* A URI as a JSON string: uri_from_path percent-encodes all but
 * unreserved ASCII, so it needs no escaping. */
static void write_uri(struct strbuf *out, const char *abs)
{
	char *uri = uri_from_path(abs);
	strbuf_putc(out, '"');
	strbuf_puts(out, uri);
	strbuf_putc(out, '"');
	free(uri);
}

/*
 * One Diagnostic written as JSON text, keys in the order jansson kept
 * them. Written, not built: a publication's objects cost more to build,
 * serialise and free than diagnosing the note did, and the background
 * pass publishes every note of the vault.
 */
static void write_diagnostic(const struct feature_ctx *ctx, const struct diagnostic *d,
			     const struct ws_note *wn, struct strbuf *out)
{
	struct text_view v = feature_view(wn);
	strbuf_puts(out, "{\"range\":");
	json_write_range(out, &v, d->span, ctx->enc);
	strbuf_printf(out, ",\"severity\":%d,\"code\":", d->severity);
	json_write_text(out, d->code, strlen(d->code));
	strbuf_puts(out, ",\"source\":\"vault-lsp\",\"message\":");
	json_write_text(out, d->message, strlen(d->message));
	if (d->tags & DIAG_TAG_UNNECESSARY)
		strbuf_puts(out, ",\"tags\":[1]");
	if (d->related.len) {
		strbuf_puts(out, ",\"relatedInformation\":[");
		bool first = true;
		for (uint32_t i = 0; i < d->related.len; i++) {
			const struct diag_related *r = &d->related.items[i];
			const struct ws_note *rn = workspace_get(ctx->ws, r->note);
			if (!rn)
				continue;
			struct text_view rv = feature_view(rn);
			strbuf_puts(out, first ? "{\"location\":{\"uri\":" : ",{\"location\":{\"uri\":");
			first = false;
			write_uri(out, rn->abs);
			strbuf_puts(out, ",\"range\":");
			json_write_range(out, &rv, r->span, ctx->enc);
			strbuf_puts(out, "},\"message\":");
			json_write_text(out, r->message, strlen(r->message));
			strbuf_putc(out, '}');
		}
		strbuf_putc(out, ']');
	}
	strbuf_putc(out, '}');
}

json_t *diagnostics_encode(const struct feature_ctx *ctx, const struct diagnostic *d,
			   const struct ws_note *wn)
{
	/* The same text as a publication carries, read back: code actions
	 * quote a diagnostic or two, and one writer keeps them the same. */
	struct strbuf b = { 0 };
	write_diagnostic(ctx, d, wn, &b);
	json_t *j = json_loadb(b.ptr, b.len, 0, NULL);
	strbuf_fini(&b);
	return j ? j : json_object();
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
		/* An open note is published under the client's own URI, with the
		 * version the diagnostics are for. */
		const struct document *doc = documents_find_path(ctx->docs, wn->abs);
		struct strbuf params = { 0 };
		strbuf_puts(&params, "{\"uri\":");
		if (doc)
			json_write_text(&params, doc->uri, strlen(doc->uri));
		else
			write_uri(&params, wn->abs);
		strbuf_puts(&params, ",\"diagnostics\":[");
		for (uint32_t i = 0; i < list->len; i++) {
			if (i)
				strbuf_putc(&params, ',');
			write_diagnostic(ctx, &list->items[i], wn, &params);
		}
		strbuf_putc(&params, ']');
		if (doc)
			strbuf_printf(&params, ",\"version\":%" PRId64, (int64_t)doc->version);
		strbuf_putc(&params, '}');
		channel_notify_text(ctx->ch, "textDocument/publishDiagnostics", params.ptr, params.len);
		strbuf_fini(&params);
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
