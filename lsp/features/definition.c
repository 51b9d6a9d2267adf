/* definition.c — textDocument/definition from a wikilink, an embed or a
 * frontmatter value. */
#include "cursor.h"
#include "identity.h"
#include "md_links.h"
#include "feature.h"

#include <stdlib.h>
#include <string.h>

static bool link_support(const struct feature_ctx *ctx)
{
	const json_t *d = json_object_get(json_object_get(ctx->caps, "textDocument"),
					  "definition");
	return json_is_true(json_object_get(d, "linkSupport"));
}

static json_t *location(struct feature_ctx *ctx, const struct ws_note *t, struct span span,
			const struct text_view *origin, struct span origin_span)
{
	enum pos_encoding enc = ctx->enc;
	struct text_view tv = feature_view(t);
	char *uri = uri_from_path(t->abs);
	json_t *j;
	if (link_support(ctx))
		j = json_pack("{s:o, s:s, s:o, s:o}", "originSelectionRange",
			      json_range(origin, origin_span, enc), "targetUri", uri,
			      "targetRange", json_range(&tv, span, enc),
			      "targetSelectionRange", json_range(&tv, span, enc));
	else
		j = json_pack("{s:s, s:o}", "uri", uri, "range", json_range(&tv, span, enc));
	free(uri);
	return j;
}

/* The answer for what c resolved to (r). */
static void definition_answer(struct feature_ctx *ctx, const json_t *id, int32_t note,
			      const struct ws_note *wn, const struct cursor *cur,
			      const struct resolution *rp)
{
	struct workspace *ws = ctx->ws;
	struct text_view v = feature_view(wn);
	struct cursor c = *cur;
	struct resolution r = *rp;
	if (r.status == LINK_UNRESOLVED && c.kind != CURSOR_MDLINK) {
		/* A person's name in another spelling: their card, when it is
		 * clearly one person (not when it could be two). */
		struct identity_match m;
		identity_match(ws, c.target, &m);
		if (m.verdict == IDENTITY_VARIANT) {
			const struct ws_note *t = workspace_get(ws, m.note);
			channel_reply(ctx->ch, id, json_pack("[o]", location(ctx, t, (struct span){ 0, 0 },
										     &v, c.span)));
			return;
		}
	}
	if (r.note < 0 || (c.kind == CURSOR_MENTION && r.status != LINK_RESOLVED)) {
		channel_reply(ctx->ch, id, json_null());
		return;
	}
	json_t *result = json_array();
	const struct ws_note *t = workspace_get(ws, (uint32_t)r.note);
	json_array_append_new(result, location(ctx, t, feature_target_span(t, &r), &v, c.span));
	if (r.ambiguous) {
		/* Every other candidate too, each at its own heading or block. */
		struct id_list cands = { 0 };
		bool via;
		workspace_candidates(ws, note, c.target, &cands, &via);
		for (uint32_t i = 1; i < cands.len; i++) {
			const struct ws_note *cn = workspace_get(ws, cands.items[i]);
			struct resolution cr = workspace_resolve(ws, note, slice_from_cstr(cn->rel),
								 c.subpath, c.has_subpath);
			json_array_append_new(result, location(ctx, cn, feature_target_span(cn, &cr), &v, c.span));
		}
		array_free(&cands);
	}
	channel_reply(ctx->ch, id, result);
}

void definition_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t offset;
	int32_t note = feature_note(ctx, id, params, &wn, &offset, NULL);
	if (note < 0)
		return;
	struct workspace *ws = ctx->ws;
	struct cursor c = cursor_at(wn->note, workspace_config(ws), offset);
	if (c.kind != CURSOR_LINK && c.kind != CURSOR_FM_REF && c.kind != CURSOR_MENTION &&
	    c.kind != CURSOR_MDLINK) {
		channel_reply(ctx->ch, id, json_null());
		return;
	}
	/* A Markdown link's path is percent-encoded: resolved decoded. */
	struct strbuf path = { 0 }, sub = { 0 };
	if (c.kind == CURSOR_MDLINK) {
		md_links_decode(c.target, &path);
		md_links_decode(c.subpath, &sub);
		c.target = (struct slice){ path.ptr ? path.ptr : "", path.len };
		c.subpath = (struct slice){ sub.ptr ? sub.ptr : "", sub.len };
	}
	struct resolution r = workspace_resolve(ws, note, c.target, c.subpath, c.has_subpath);
	definition_answer(ctx, id, note, wn, &c, &r);
	strbuf_fini(&path);
	strbuf_fini(&sub);
}
