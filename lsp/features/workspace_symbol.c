/* workspace_symbol.c — workspace/symbol: the notes, aliases, headings,
 * block ids and tags of the vault matching a query, ranked as completion
 * ranks names (people, then projects, first), at most RANK_MAX. */
#include "feature.h"
#include "symbol_index.h"
#include "tags.h"
#include "uri.h"

#include <stdlib.h>
#include <string.h>

/* SymbolKind: a note is a file; an alias another name of it; a heading a
 * string, as documentSymbol shows headings; a block id a key; a tag an
 * enum member (one value of the vault's set of tags). */
enum { SK_FILE = 1, SK_CONSTANT = 14, SK_STRING = 15, SK_KEY = 20, SK_ENUM_MEMBER = 22 };

static json_t *folder_of(const struct ws_note *wn)
{
	const char *slash = strrchr(wn->rel, '/');
	return slash ? json_text(wn->rel, (size_t)(slash - wn->rel + 1)) : json_string("/");
}

static json_t *symbol(const struct feature_ctx *ctx, json_t *name, int kind, const struct ws_note *wn,
		      struct span span, json_t *container)
{
	struct text_view v = feature_view(wn);
	char *uri = uri_from_path(wn->abs);
	json_t *j = json_pack("{s:o, s:i, s:{s:s, s:o}, s:o}", "name", name, "kind", kind, "location",
			      "uri", uri, "range", json_range(&v, span, ctx->enc), "containerName",
			      container);
	free(uri);
	return j;
}

static json_t *text_of(const struct note *n, struct span s)
{
	return json_text(n->text + s.start, s.len);
}

/* A tag: where it is first written in the note of least id holding it,
 * "N notes" as its container. NULL if it is written nowhere. */
static json_t *tag_symbol(const struct feature_ctx *ctx, uint32_t tag)
{
	struct tag_info info;
	struct tag_occurrence at;
	if (!tags_get(ctx->ws, tag, &info) || !tags_place(ctx->ws, tag, &at))
		return NULL;
	struct strbuf name = { 0 }, count = { 0 };
	strbuf_putc(&name, '#');
	strbuf_put(&name, info.name.ptr, info.name.len);
	strbuf_printf(&count, "%u note%s", info.notes, info.notes == 1 ? "" : "s");
	json_t *j = symbol(ctx, json_text(name.ptr, name.len), SK_ENUM_MEMBER,
			   workspace_get(ctx->ws, at.note), at.span, json_text(count.ptr, count.len));
	strbuf_fini(&name);
	strbuf_fini(&count);
	return j;
}

static json_t *note_symbol(const struct feature_ctx *ctx, const struct rank_candidate *c)
{
	if (c->key == 1 && c->order == SYMBOL_ORDER_TAG)
		return tag_symbol(ctx, c->note);
	const struct ws_note *wn = workspace_get(ctx->ws, c->note);
	if (!wn)
		return NULL;
	const struct note *n = wn->note;
	json_t *stem = json_text(wn->stem, strlen(wn->stem));
	int32_t slot = symbol_index_slot(c->key);
	if (slot >= 0 && (uint32_t)slot < n->headings.len) {
		const struct heading *h = &n->headings.items[slot];
		return symbol(ctx, json_text(h->text, strlen(h->text)), SK_STRING, wn, h->line, stem);
	}
	if (slot >= 0 && (uint32_t)slot - n->headings.len < n->blocks.len) {
		const struct block_id *b = &n->blocks.items[(uint32_t)slot - n->headings.len];
		struct span at = b->block.len ? b->block : b->span;
		return symbol(ctx, text_of(n, b->span), SK_KEY, wn, at, stem);
	}
	json_decref(stem);
	if (c->key >= 2 && (uint32_t)c->key - 2 < n->aliases.len) {
		const struct yaml_node *a = n->aliases.items[c->key - 2];
		return symbol(ctx, json_text(a->str, strlen(a->str)), SK_CONSTANT, wn, a->span,
			      folder_of(wn));
	}
	return symbol(ctx, json_text(wn->stem, strlen(wn->stem)), SK_FILE, wn, (struct span){ 0, 0 },
		      folder_of(wn));
}

void workspace_symbol_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const json_t *q = json_object_get(params, "query");
	if (!json_is_string(q)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.query is required");
		return;
	}
	struct slice query = { json_string_value(q), json_string_length(q) };
	struct rank_top *top = xcalloc(1, sizeof(*top));
	/* An empty query is answered with the best-ranked notes alone: a
	 * heading or a tag says nothing until something is typed. The tags
	 * and headings are offered first: ranking them is cheap, and a list
	 * they filled with strong matches lets rank_names skip most names
	 * ("topic" matches no name's start but 27,000 headings at 100,000
	 * notes: 13 ms the other way round, 0.2 ms this way). */
	if (slice_trim(query).len) {
		tags_rank(ctx->ws, query, SYMBOL_ORDER_TAG, false, top);
		symbol_index_rank(ctx->ws, query, top);
	}
	rank_names(ctx->ws, query, false, &ctx->rank, top);
	rank_sort(top);
	json_t *result = json_array();
	for (uint32_t i = 0; i < top->len; i++) {
		json_t *s = note_symbol(ctx, &top->items[i]);
		if (s)
			json_array_append_new(result, s);
	}
	free(top);
	channel_reply(ctx->ch, id, result);
}
