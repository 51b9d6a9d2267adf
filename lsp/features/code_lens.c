/* code_lens.c — textDocument/codeLens and codeLens/resolve: how often a
 * note is referenced, on its first line, and each heading's that has
 * links, counted only when the client shows the lens. Its command,
 * vault-lsp.showReferences [uri, position], is the client's to run (the
 * editors/ glue asks for the references there and shows them). */
#include "feature.h"
#include "references.h"
#include "unlinked.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest vault whose first code lens builds the unlinked mentions'
 * index (0.4 s at 10,000 notes on this kind of machine). */
#define LENS_BUILDS_UNLINKED 20000

/* Does a "[[#Heading]]" of the note lead to its heading h? (Links from
 * other notes are its backlinks.) */
static bool heading_linked(const struct ws_note *wn, int32_t h)
{
	for (uint32_t i = 0; i < wn->note->links.len; i++)
		if (wn->res[i].heading == h && wn->res[i].note >= 0 &&
		    wn->note->links.items[i].target_len == 0)
			return true;
	return false;
}

static json_t *lens(const struct feature_ctx *ctx, const struct ws_note *wn, const char *uri,
		    struct span span, int32_t heading)
{
	struct text_view v = feature_view(wn);
	return json_pack("{s:o, s:{s:s, s:i}}", "range", json_range(&v, span, ctx->enc), "data",
			 "uri", uri, "heading", heading);
}

void code_lens_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	int32_t note = feature_note(ctx, id, params, &wn, NULL, json_array());
	if (note < 0)
		return;
	const char *uri = json_string_value(
		json_object_get(json_object_get(params, "textDocument"), "uri"));
	json_t *out = json_array();
	json_array_append_new(out, lens(ctx, wn, uri, (struct span){ 0, 0 }, -1));
	/* The headings links lead to: marked by the backlinks, in one pass. */
	uint32_t nh = wn->note->headings.len;
	bool *linked = nh ? xcalloc(nh, sizeof(*linked)) : NULL;
	for (uint32_t i = 0; i < wn->backlinks.len; i++) {
		const struct backlink *b = &wn->backlinks.items[i];
		const struct ws_note *from = workspace_get(ctx->ws, b->from);
		int32_t h = from ? from->res[b->link].heading : -1;
		if (h >= 0 && (uint32_t)h < nh)
			linked[h] = true;
	}
	for (uint32_t h = 0; h < nh; h++)
		if (linked[h] || heading_linked(wn, (int32_t)h))
			json_array_append_new(out, lens(ctx, wn, uri, wn->note->headings.items[h].line,
							(int32_t)h));
	free(linked);
	channel_reply(ctx->ch, id, out);
}

static void plural(struct strbuf *sb, uint32_t n, const char *one, const char *many)
{
	char num[16];
	snprintf(num, sizeof(num), "%u ", n);
	strbuf_puts(sb, num);
	strbuf_puts(sb, n == 1 ? one : many);
}

void code_lens_resolve(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const json_t *data = json_object_get(params, "data");
	const char *uri = json_string_value(json_object_get(data, "uri"));
	const json_t *range = json_object_get(params, "range");
	json_t *heading = json_object_get(data, "heading");
	if (!uri || !json_is_integer(heading) || !json_is_object(range)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS,
				    "params must be a code lens this server made (range, data.uri, data.heading)");
		return;
	}
	char *path = uri_to_path(uri);
	int32_t note = path ? workspace_find(ctx->ws, path) : -1;
	free(path);
	const struct ws_note *wn = note >= 0 ? workspace_get(ctx->ws, (uint32_t)note) : NULL;
	json_int_t h = json_integer_value(heading);
	struct ref_target t = { note, -1, -1, { 0 }, false };
	if (wn && h >= 0 && (uint64_t)h < wn->note->headings.len)
		t.heading = (int32_t)h;
	uint32_t n = wn && (h < 0 || t.heading >= 0) ? references_count(ctx->ws, &t) : 0;
	struct strbuf title = { 0 };
	plural(&title, n, "reference", "references");
	/* The note's lens counts its unlinked mentions too, once their index
	 * is built; a small vault builds it for the first lens (well under a
	 * second), a large one when they are first asked for (the command,
	 * or "Link all"), not in the middle of showing a lens. */
	if (wn && h < 0 && (unlinked_built(ctx->ws) || workspace_count(ctx->ws) <= LENS_BUILDS_UNLINKED)) {
		strbuf_puts(&title, " · ");
		plural(&title, unlinked_count(ctx->ws, (uint32_t)note), "unlinked mention",
		       "unlinked mentions");
	}
	/* The client shows the references by asking for them at the lens:
	 * counting is cheap, listing a thousand is not. */
	json_t *lens = json_deep_copy(params);
	json_t *start = json_object_get(range, "start");
	json_object_set_new(lens, "command",
			    json_pack("{s:s, s:s, s:[s, O]}", "title", title.ptr, "command",
				      "vault-lsp.showReferences", "arguments", uri, start));
	strbuf_fini(&title);
	channel_reply(ctx->ch, id, lens);
}
