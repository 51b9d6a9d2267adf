/* references.c — textDocument/references and documentHighlight: the
 * places that name what the cursor is on (references.h), in the vault or
 * in this note. */
#include "feature.h"
#include "references.h"

#include <stdlib.h>
#include <string.h>

/* Locations written as JSON text (channel_reply_text): a note with a
 * thousand references answers in a fraction of what as many jansson
 * objects cost. The URI of consecutive ones in one note is made once. */
struct locator {
	const struct feature_ctx *ctx;
	struct strbuf out;
	int32_t note;
	struct strbuf uri;     /* the note's, as JSON text */
	struct text_view view;
};

static void location(struct locator *lc, uint32_t note, struct span span)
{
	if (lc->note != (int32_t)note) {
		const struct ws_note *wn = workspace_get(lc->ctx->ws, note);
		char *uri = uri_from_path(wn->abs);
		/* A URI is unreserved characters, '/' and %XX: nothing in it
		 * needs escaping in JSON. */
		lc->uri.len = 0;
		strbuf_putc(&lc->uri, '"');
		strbuf_puts(&lc->uri, uri);
		strbuf_putc(&lc->uri, '"');
		free(uri);
		lc->note = (int32_t)note;
		lc->view = feature_view(wn);
	}
	strbuf_puts(&lc->out, lc->out.len > 1 ? ",{\"uri\":" : "{\"uri\":");
	strbuf_put(&lc->out, lc->uri.ptr, lc->uri.len);
	strbuf_puts(&lc->out, ",\"range\":");
	json_write_range(&lc->out, &lc->view, span, lc->ctx->enc);
	strbuf_putc(&lc->out, '}');
}

/* The Locations of what refers to t (the declaration too, if asked),
 * sorted by path and position, as a JSON array into out. */
static void locations(const struct feature_ctx *ctx, const struct ref_target *t,
		      bool with_declaration, struct strbuf *out)
{
	struct ref_list refs = { 0 };
	references_find(ctx->ws, t, &refs);
	int32_t decl;
	struct span span;
	references_declaration(ctx->ws, t, &decl, &span);
	bool placed = !with_declaration || decl < 0;
	const char *decl_abs = decl >= 0 ? workspace_get(ctx->ws, (uint32_t)decl)->abs : NULL;
	struct locator lc = { ctx, { 0 }, -1, { 0 }, { 0 } };
	strbuf_putc(&lc.out, '[');
	for (uint32_t i = 0; i < refs.len; i++) {
		const struct ref *r = &refs.items[i];
		/* The declaration goes where the sort by path and position puts
		 * it: before the first reference after it. */
		if (!placed) {
			int c = strcmp(workspace_get(ctx->ws, r->note)->abs, decl_abs);
			if (c > 0 || (c == 0 && r->span.start >= span.start)) {
				location(&lc, (uint32_t)decl, span);
				placed = true;
			}
		}
		location(&lc, r->note, r->span);
	}
	if (!placed)
		location(&lc, (uint32_t)decl, span);
	strbuf_putc(&lc.out, ']');
	array_free(&refs);
	strbuf_fini(&lc.uri);
	*out = lc.out;
}

/* What the request's position refers to, in its note; -1 after replying
 * (an error, or null when it refers to nothing). */
static int32_t target_at(struct feature_ctx *ctx, const json_t *id, const json_t *params,
			 const struct ws_note **wn, struct ref_target *t)
{
	uint32_t offset;
	int32_t note = feature_note(ctx, id, params, wn, &offset, NULL);
	if (note >= 0 && !references_target_at(ctx->ws, (uint32_t)note, offset, t)) {
		channel_reply(ctx->ch, id, json_null());
		return -1;
	}
	return note;
}

void references_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	struct ref_target t;
	if (target_at(ctx, id, params, &wn, &t) < 0)
		return;
	const json_t *context = json_object_get(params, "context");
	bool decl = json_is_true(json_object_get(context, "includeDeclaration"));
	struct strbuf out;
	locations(ctx, &t, decl, &out);
	channel_reply_text(ctx->ch, id, out.ptr, out.len);
	strbuf_fini(&out);
}

/* DocumentHighlightKind: the declaration is Text, the references Read. */
enum { HIGHLIGHT_TEXT = 1, HIGHLIGHT_READ = 2 };

void document_highlight_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	struct ref_target t;
	int32_t note = target_at(ctx, id, params, &wn, &t);
	if (note < 0)
		return;
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
