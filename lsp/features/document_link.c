/* document_link.c — textDocument/documentLink: every resolved link of a
 * note, with the line it leads to. */
#include "feature.h"

#include <stdlib.h>
#include <string.h>

void document_link_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	if (feature_note(ctx, id, params, &wn, NULL, json_array()) < 0)
		return;
	struct workspace *ws = ctx->ws;
	struct text_view v = feature_view(wn);
	json_t *result = json_array();
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		const struct resolution *r = &wn->res[i];
		if (r->note < 0 || r->status == LINK_IGNORED)
			continue;
		const struct ws_note *t = workspace_get(ws, (uint32_t)r->note);
		struct text_view tv = feature_view(t);
		struct lsp_pos p = position_from_offset(tv.text, tv.len, tv.lines,
							feature_target_span(t, r).start, POS_UTF16);
		char *uri = uri_from_path(t->abs);
		/* "#L12": the line to open at, as VS Code reads file URIs; an
		 * attachment (an image, a PDF) has no lines to open at. */
		struct strbuf target = { 0 };
		if (t->attachment)
			strbuf_puts(&target, uri);
		else
			strbuf_printf(&target, "%s#L%u", uri, p.line + 1);
		json_array_append_new(result, json_pack("{s:o, s:s, s:o}", "range",
			json_range(&v, wn->note->links.items[i].span, ctx->enc),
			"target", target.ptr, "tooltip", json_text(t->rel, strlen(t->rel))));
		strbuf_fini(&target);
		free(uri);
	}
	channel_reply(ctx->ch, id, result);
}
