/* references.c — textDocument/references and documentHighlight: the
 * places that name what the cursor is on (references.h), in the vault or
 * in this note. */
#include "feature.h"
#include "references.h"

#include <stdlib.h>
#include <string.h>

/* A Location; the URI of consecutive ones in one note is made once. */
struct locator {
	const struct feature_ctx *ctx;
	uint32_t note;
	char *uri;
	struct text_view view;
};

static json_t *location(struct locator *lc, uint32_t note, struct span span)
{
	if (!lc->uri || lc->note != note) {
		const struct ws_note *wn = workspace_get(lc->ctx->ws, note);
		free(lc->uri);
		lc->uri = uri_from_path(wn->abs);
		lc->note = note;
		lc->view = feature_view(wn);
	}
	return json_pack("{s:s, s:o}", "uri", lc->uri, "range",
			 json_range(&lc->view, span, lc->ctx->enc));
}

/* The Locations of what refers to t (the declaration too, if asked),
 * sorted by path and position. */
static json_t *locations(const struct feature_ctx *ctx, const struct ref_target *t,
			     bool with_declaration)
{
	json_t *out = json_array();
	struct ref_list refs = { 0 };
	references_find(ctx->ws, t, &refs);
	int32_t decl;
	struct span span;
	references_declaration(ctx->ws, t, &decl, &span);
	bool placed = !with_declaration || decl < 0;
	const char *decl_abs = decl >= 0 ? workspace_get(ctx->ws, (uint32_t)decl)->abs : NULL;
	struct locator lc = { ctx, 0, NULL, { 0 } };
	for (uint32_t i = 0; i < refs.len; i++) {
		const struct ref *r = &refs.items[i];
		/* The declaration goes where the sort by path and position puts
		 * it: before the first reference after it. */
		if (!placed) {
			int c = strcmp(workspace_get(ctx->ws, r->note)->abs, decl_abs);
			if (c > 0 || (c == 0 && r->span.start >= span.start)) {
				json_array_append_new(out, location(&lc, (uint32_t)decl, span));
				placed = true;
			}
		}
		json_array_append_new(out, location(&lc, r->note, r->span));
	}
	if (!placed)
		json_array_append_new(out, location(&lc, (uint32_t)decl, span));
	array_free(&refs);
	free(lc.uri);
	return out;
}

void references_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t offset;
	int32_t note = feature_note(ctx, id, params, &wn, &offset, NULL);
	if (note < 0)
		return;
	struct ref_target t;
	if (!references_target_at(ctx->ws, (uint32_t)note, offset, &t)) {
		channel_reply(ctx->ch, id, json_null());
		return;
	}
	const json_t *context = json_object_get(params, "context");
	bool decl = json_is_true(json_object_get(context, "includeDeclaration"));
	channel_reply(ctx->ch, id, locations(ctx, &t, decl));
}

/* DocumentHighlightKind: the declaration is Text, the references Read. */
enum { HIGHLIGHT_TEXT = 1, HIGHLIGHT_READ = 2 };

void document_highlight_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t offset;
	int32_t note = feature_note(ctx, id, params, &wn, &offset, NULL);
	if (note < 0)
		return;
	struct ref_target t;
	if (!references_target_at(ctx->ws, (uint32_t)note, offset, &t)) {
		channel_reply(ctx->ch, id, json_null());
		return;
	}
	struct ref_list refs = { 0 };
	references_in_note(ctx->ws, &t, (uint32_t)note, &refs);
	int32_t decl;
	struct span span;
	references_declaration(ctx->ws, &t, &decl, &span);
	struct text_view v = feature_view(wn);
	json_t *out = json_array();
	/* A heading or block of this note is highlighted with its links; the
	 * note as a whole is not (it would be the whole page). */
	if (decl == note && (t.heading >= 0 || t.block >= 0))
		json_array_append_new(out, json_pack("{s:o, s:i}", "range", json_range(&v, span, ctx->enc),
						     "kind", HIGHLIGHT_TEXT));
	for (uint32_t i = 0; i < refs.len; i++)
		json_array_append_new(out, json_pack("{s:o, s:i}", "range",
						     json_range(&v, refs.items[i].span, ctx->enc),
						     "kind", HIGHLIGHT_READ));
	array_free(&refs);
	channel_reply(ctx->ch, id, out);
}
