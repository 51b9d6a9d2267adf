/* definition.c — textDocument/definition from a wikilink, an embed or a
 * frontmatter value, and textDocument/documentLink for every resolved link. */
#include "cursor.h"
#include "handlers.h"
#include "rpc.h"

#include <stdlib.h>
#include <string.h>

static struct text_view view_of(const struct ws_note *wn)
{
	return (struct text_view){ wn->note->text, wn->note->len, &wn->lines };
}

/* Where a resolution points: the heading's or block's line, else the top. */
static struct span target_span(const struct ws_note *t, const struct resolution *r)
{
	if (r->heading >= 0)
		return t->note->headings.items[r->heading].line;
	if (r->block >= 0) {
		struct span b = t->note->blocks.items[r->block].block;
		return b.len ? b : t->note->blocks.items[r->block].span;
	}
	return (struct span){ 0, 0 };
}

static bool link_support(const struct server *s)
{
	const json_t *d = json_object_get(json_object_get(server_client_caps(s), "textDocument"),
					  "definition");
	return json_is_true(json_object_get(d, "linkSupport"));
}

static json_t *location(struct server *s, const struct ws_note *t, struct span span,
			const struct text_view *origin, struct span origin_span)
{
	enum pos_encoding enc = server_encoding(s);
	struct text_view tv = view_of(t);
	char *uri = uri_from_path(t->abs);
	json_t *j;
	if (link_support(s))
		j = json_pack("{s:o, s:s, s:o, s:o}", "originSelectionRange",
			      json_range(origin, origin_span, enc), "targetUri", uri,
			      "targetRange", json_range(&tv, span, enc),
			      "targetSelectionRange", json_range(&tv, span, enc));
	else
		j = json_pack("{s:s, s:o}", "uri", uri, "range", json_range(&tv, span, enc));
	free(uri);
	return j;
}

void definition(struct server *s, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t offset;
	int32_t note = feature_note(s, id, params, &wn, &offset, NULL);
	if (note < 0)
		return;
	struct workspace *ws = server_workspace(s);
	struct text_view v = view_of(wn);
	struct cursor c = cursor_at(wn->note, workspace_config(ws), offset);
	if (c.kind != CURSOR_LINK && c.kind != CURSOR_FM_REF) {
		server_reply(s, id, json_null());
		return;
	}
	struct resolution r = workspace_resolve(ws, note, c.target, c.subpath, c.has_subpath);
	if (r.note < 0) {
		server_reply(s, id, json_null());
		return;
	}
	json_t *result = json_array();
	const struct ws_note *t = workspace_get(ws, (uint32_t)r.note);
	json_array_append_new(result, location(s, t, target_span(t, &r), &v, c.span));
	if (r.ambiguous) {
		/* Every other candidate too, each at its own heading or block. */
		struct id_list cands = { 0 };
		bool via;
		workspace_candidates(ws, note, c.target, &cands, &via);
		for (uint32_t i = 1; i < cands.len; i++) {
			const struct ws_note *cn = workspace_get(ws, cands.items[i]);
			struct resolution cr = workspace_resolve(ws, note, slice_from_cstr(cn->rel),
								 c.subpath, c.has_subpath);
			json_array_append_new(result, location(s, cn, target_span(cn, &cr), &v, c.span));
		}
		array_free(&cands);
	}
	server_reply(s, id, result);
}

void document_link(struct server *s, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	if (feature_note(s, id, params, &wn, NULL, json_array()) < 0)
		return;
	struct workspace *ws = server_workspace(s);
	struct text_view v = view_of(wn);
	json_t *result = json_array();
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		const struct resolution *r = &wn->res[i];
		if (r->note < 0 || r->status == LINK_IGNORED)
			continue;
		const struct ws_note *t = workspace_get(ws, (uint32_t)r->note);
		struct text_view tv = view_of(t);
		struct lsp_pos p = position_from_offset(tv.text, tv.len, tv.lines,
							target_span(t, r).start, POS_UTF16);
		char *uri = uri_from_path(t->abs);
		/* "#L12": the line to open at, as VS Code reads file URIs; an
		 * attachment (an image, a PDF) has no lines to open at. */
		struct strbuf target = { 0 };
		if (t->attachment)
			strbuf_puts(&target, uri);
		else
			strbuf_printf(&target, "%s#L%u", uri, p.line + 1);
		json_array_append_new(result, json_pack("{s:o, s:s, s:o}", "range",
			json_range(&v, wn->note->links.items[i].span, server_encoding(s)),
			"target", target.ptr, "tooltip", json_text(t->rel, strlen(t->rel))));
		strbuf_fini(&target);
		free(uri);
	}
	server_reply(s, id, result);
}
