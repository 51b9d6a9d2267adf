/* publish.c — textDocument/publishDiagnostics for an open document. */
#include "diagnose.h"
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

static struct text_view note_view(const struct ws_note *wn)
{
	return (struct text_view){ wn->note->text, wn->note->len, &wn->lines };
}

static json_t *encode(struct server *s, const struct diagnostic *d, const struct ws_note *wn)
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

void publish_document(struct server *s, const struct document *doc)
{
	if (!doc->path)
		return;
	struct workspace *ws = server_workspace(s);
	int32_t id = workspace_find(ws, doc->path);
	if (id < 0)
		return;
	const struct ws_note *wn = workspace_get(ws, (uint32_t)id);
	struct diag_list list = { 0 };
	diagnose_note(ws, (uint32_t)id, &list);
	json_t *arr = json_array();
	for (uint32_t i = 0; i < list.len; i++)
		json_array_append_new(arr, encode(s, &list.items[i], wn));
	diag_list_free(&list);
	server_notify(s, "textDocument/publishDiagnostics",
		      json_pack("{s:s, s:I, s:o}", "uri", doc->uri, "version",
				(json_int_t)doc->version, "diagnostics", arr));
}
