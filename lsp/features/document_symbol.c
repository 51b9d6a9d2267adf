/* document_symbol.c — textDocument/documentSymbol: the heading outline, from the
 * buffer's syntax tree; nested when the client supports it. */
#include "feature.h"
#include "outline.h"

#include <stdlib.h>
#include <string.h>

/* The detail of a heading symbol: its level, as written. */
static const char *const heading_marks[] = { "", "#", "##", "###", "####", "#####", "######" };

/* SymbolKind.String: what Markdown outlines conventionally use for headings. */
#define HEADING_SYMBOL_KIND 15

static bool hierarchical(const struct feature_ctx *ctx)
{
	const json_t *ds = json_object_get(json_object_get(ctx->caps, "textDocument"),
					   "documentSymbol");
	return json_is_true(json_object_get(ds, "hierarchicalDocumentSymbolSupport"));
}

static json_t *name_of(const struct text_view *v, struct span name)
{
	/* LSP forbids an empty symbol name. */
	if (!name.len)
		return json_string("(empty heading)");
	return json_text(v->text + name.start, name.len);
}

/*
 * Drops the headings inside comments (commented-out template text), as the
 * index does: the buffer's tree knows no comments, the note model does. A
 * dropped heading's children go to its parent. note is the index's note
 * for the same text.
 */
static void drop_commented(struct symbol_list *syms, const struct note *note)
{
	uint32_t n = syms->len ? syms->len : 1;
	int32_t *to = xmalloc(n * sizeof(int32_t)), *parent = xmalloc(n * sizeof(int32_t));
	for (uint32_t i = 0; i < syms->len; i++)
		parent[i] = syms->items[i].parent;
	uint32_t w = 0;
	for (uint32_t i = 0; i < syms->len; i++) {
		struct symbol sym = syms->items[i];
		int32_t p = parent[i]; /* an old index, before i */
		while (p >= 0 && to[p] < 0)
			p = parent[p];
		if (note_in_zone(note, sym.selection.start)) {
			to[i] = -1;
			continue;
		}
		sym.parent = p >= 0 ? to[p] : -1;
		to[i] = (int32_t)w;
		syms->items[w++] = sym;
	}
	syms->len = w;
	free(to);
	free(parent);
}

void document_symbol_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct document *doc = feature_document(ctx, id, params);
	if (!doc)
		return;
	struct symbol_list syms = { 0 };
	if (doc->syntax)
		outline_symbols(doc->syntax, &syms);
	const struct workspace *ws = ctx->ws;
	int32_t nid = doc->path ? workspace_find(ws, doc->path) : -1;
	const struct ws_note *wn = nid >= 0 ? workspace_get(ws, (uint32_t)nid) : NULL;
	if (wn && wn->note->len == doc->text.len &&
	    memcmp(wn->note->text, doc->text.ptr ? doc->text.ptr : "", doc->text.len) == 0)
		drop_commented(&syms, wn->note);
	struct text_view v = document_view(doc);
	enum pos_encoding enc = ctx->enc;
	json_t *result = json_array();

	if (hierarchical(ctx)) {
		/* Build each symbol's object, then attach children to parents
		 * (parents always come first in document order). */
		json_t **objs = xcalloc(syms.len ? syms.len : 1, sizeof(json_t *));
		for (uint32_t i = 0; i < syms.len; i++) {
			const struct symbol *sym = &syms.items[i];
			objs[i] = json_pack("{s:o, s:i, s:o, s:o, s:s}", "name", name_of(&v, sym->name),
				"kind", HEADING_SYMBOL_KIND, "range", json_range(&v, sym->range, enc),
				"selectionRange", json_range(&v, sym->selection, enc),
				"detail", heading_marks[sym->level > 6 ? 6 : sym->level]);
			json_object_set_new(objs[i], "children", json_array());
			if (sym->parent >= 0 && (uint32_t)sym->parent < i)
				json_array_append(json_object_get(objs[sym->parent], "children"), objs[i]);
			else
				json_array_append(result, objs[i]);
		}
		for (uint32_t i = 0; i < syms.len; i++)
			json_decref(objs[i]);
		free(objs);
	} else {
		for (uint32_t i = 0; i < syms.len; i++) {
			const struct symbol *sym = &syms.items[i];
			json_t *j = json_pack("{s:o, s:i, s:{s:s, s:o}}", "name", name_of(&v, sym->name),
				"kind", HEADING_SYMBOL_KIND, "location", "uri", doc->uri,
				"range", json_range(&v, sym->range, enc));
			if (sym->parent >= 0)
				json_object_set_new(j, "containerName",
						    name_of(&v, syms.items[sym->parent].name));
			json_array_append_new(result, j);
		}
	}
	array_free(&syms);
	channel_reply(ctx->ch, id, result);
}
