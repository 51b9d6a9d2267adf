/* publish.c — textDocument/publishDiagnostics for an open document. */
#include "diagnose.h"
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

static struct text_view note_view(const struct ws_note *wn)
{
	return (struct text_view){ wn->note->text, wn->note->len, &wn->lines };
}

json_t *publish_encode(struct server *s, const struct diagnostic *d, const struct ws_note *wn)
{
	struct workspace *ws = server_workspace(s);
	enum pos_encoding enc = server_encoding(s);
	struct text_view v = note_view(wn);
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
			struct text_view rv = note_view(rn);
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

bool publish_note(struct server *s, uint32_t id, bool even_if_empty)
{
	struct workspace *ws = server_workspace(s);
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn)
		return false;
	struct diag_list list = { 0 };
	diagnose_note(ws, id, &list);
	bool any = list.len > 0;
	if (any || even_if_empty) {
		json_t *arr = json_array();
		for (uint32_t i = 0; i < list.len; i++)
			json_array_append_new(arr, publish_encode(s, &list.items[i], wn));
		/* An open note is published under the client's own URI, with the
		 * version the diagnostics are for. */
		const struct document *doc = NULL, *d;
		for (uint32_t i = 0; (d = documents_at(server_documents(s), i)); i++)
			if (d->path && strcmp(d->path, wn->abs) == 0)
				doc = d;
		char *uri = doc ? xstrdup(doc->uri) : uri_from_path(wn->abs);
		json_t *params = json_pack("{s:s, s:o}", "uri", uri, "diagnostics", arr);
		if (doc)
			json_object_set_new(params, "version", json_integer(doc->version));
		server_notify(s, "textDocument/publishDiagnostics", params);
		free(uri);
	}
	diag_list_free(&list);
	return any;
}
