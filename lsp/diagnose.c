/* diagnose.c — link and frontmatter diagnostics of one note. */
#include "diagnose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct diagnostic *add(struct diag_list *out, struct span span, uint8_t severity,
			      const char *code)
{
	struct diagnostic d = { .span = span, .severity = severity, .code = code };
	array_push(out, d);
	return &out->items[out->len - 1];
}

static void add_related(struct diagnostic *d, uint32_t note, struct span span, char *message)
{
	struct diag_related r = { note, span, message };
	array_push(&d->related, r);
}

/* The heading or block a link names, as written: "#Heading" or "#^id". */
static char *subpath_text(const struct note *n, const struct wikilink *l)
{
	struct slice s = note_slice(n, l->subpath);
	return xstrndup(s.ptr, s.len);
}

static void diagnose_link(const struct workspace *ws, uint32_t id, uint32_t i,
			  struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	const struct note *n = wn->note;
	const struct wikilink *l = &n->links.items[i];
	const struct resolution *r = &wn->res[i];
	struct strbuf msg = { 0 };
	struct slice target = slice_trim(note_slice(n, l->target));

	switch (r->status) {
	case LINK_IGNORED:
		return;
	case LINK_UNRESOLVED: {
		strbuf_printf(&msg, "Unresolved link: no note named '%.*s'", (int)target.len, target.ptr);
		add(out, l->span, DIAG_WARNING, "unresolved-link")->message = strbuf_detach(&msg);
		return;
	}
	case LINK_HEADING_MISSING:
	case LINK_BLOCK_MISSING: {
		const struct ws_note *t = workspace_get(ws, (uint32_t)r->note);
		char *sub = subpath_text(n, l);
		bool block = r->status == LINK_BLOCK_MISSING;
		strbuf_printf(&msg, "%s '%s' not found in '%s'", block ? "Block" : "Heading",
			      block ? sub + 1 : sub, t->rel);
		free(sub);
		add(out, l->span, DIAG_WARNING, block ? "unresolved-block" : "unresolved-heading")
			->message = strbuf_detach(&msg);
		break;
	}
	case LINK_RESOLVED:
		break;
	}

	if (r->ambiguous) {
		struct id_list c = { 0 };
		bool via_alias;
		workspace_candidates(ws, (int32_t)id, note_slice(n, l->target), &c, &via_alias);
		const struct ws_note *pick = workspace_get(ws, (uint32_t)r->note);
		strbuf_printf(&msg, "Ambiguous link: %u notes are named '%.*s'; it opens '%s'",
			      c.len, (int)target.len, target.ptr, pick->rel);
		struct diagnostic *d = add(out, l->span, DIAG_INFO, "ambiguous-link");
		d->message = strbuf_detach(&msg);
		for (uint32_t k = 0; k < c.len; k++) {
			const struct ws_note *cn = workspace_get(ws, c.items[k]);
			struct strbuf m = { 0 };
			strbuf_printf(&m, "%s%s", cn->rel, k == 0 ? " (opened by this link)" : "");
			add_related(d, c.items[k], (struct span){ 0, 0 }, strbuf_detach(&m));
		}
		array_free(&c);
	}
}

static int by_position(const void *a, const void *b)
{
	const struct diagnostic *x = a, *y = b;
	if (x->span.start != y->span.start)
		return x->span.start < y->span.start ? -1 : 1;
	return strcmp(x->code, y->code);
}

void diagnose_note(const struct workspace *ws, uint32_t id, struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn)
		return;
	const struct note *n = wn->note;
	uint32_t first = out->len;
	if (n->fm_error.present) {
		struct strbuf msg = { 0 };
		strbuf_printf(&msg, "Invalid frontmatter: %s", n->fm_error.message ? n->fm_error.message : "YAML error");
		uint32_t at = n->fm_error.offset < n->len ? n->fm_error.offset : n->len;
		/* Underline to the end of the line: a zero-width range is easy to miss. */
		uint32_t end = at;
		while (end < n->len && n->text[end] != '\n' && n->text[end] != '\r')
			end++;
		add(out, (struct span){ at, end - at }, DIAG_ERROR, "invalid-frontmatter")->message =
			strbuf_detach(&msg);
	}
	for (uint32_t i = 0; i < n->links.len; i++)
		diagnose_link(ws, id, i, out);
	qsort(out->items + first, out->len - first, sizeof(*out->items), by_position);
}

void diag_list_free(struct diag_list *list)
{
	for (uint32_t i = 0; i < list->len; i++) {
		struct diagnostic *d = &list->items[i];
		free(d->message);
		for (uint32_t k = 0; k < d->related.len; k++)
			free(d->related.items[k].message);
		array_free(&d->related);
	}
	array_free(list);
}
