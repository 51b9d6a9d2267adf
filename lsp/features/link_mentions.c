/*
 * link_mentions.c — unlinked mentions (index/unlinked.h) as an editor
 * sees them: the command vault-lsp.unlinkedMentions (their Locations), and
 * the code actions that make them links: "Link to X" on one, and "Link
 * all N unlinked mentions of X" in X, its edit made when the client
 * resolves the action if it can (the list may be long), else at once.
 */
#include "code_action_impl.h"
#include "unlinked.h"

#include <stdlib.h>
#include <string.h>

/* More mentions under one selection than this are not offered one by one. */
#define MAX_SINGLE_ACTIONS 8

/* The note a URI names: its id, or -1. An open document's path is the
 * one its URI was decoded to. */
static int32_t note_of_uri(struct feature_ctx *ctx, const char *uri)
{
	const struct document *d = documents_get(ctx->docs, uri);
	if (d)
		return d->path ? workspace_find(ctx->ws, d->path) : -1;
	char *path = uri_to_path(uri);
	int32_t id = path ? workspace_find(ctx->ws, path) : -1;
	free(path);
	return id;
}

void link_mentions_command(struct feature_ctx *ctx, const json_t *id, const json_t *args)
{
	const json_t *arg = json_array_get(args, 0);
	if (json_is_object(arg))
		arg = json_object_get(arg, "uri");
	if (!json_is_string(arg)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS,
				    "vault-lsp.unlinkedMentions takes the URI of a note");
		return;
	}
	int32_t note = note_of_uri(ctx, json_string_value(arg));
	json_t *out = json_array();
	if (note < 0) {
		channel_reply(ctx->ch, id, out);
		return;
	}
	struct unlinked_list l = { 0 };
	unlinked_list(ctx->ws, (uint32_t)note, &l);
	char *uri = NULL;
	uint32_t uri_of = UINT32_MAX;
	for (uint32_t i = 0; i < l.len; i++) {
		const struct ws_note *wn = workspace_get(ctx->ws, l.items[i].note);
		if (l.items[i].note != uri_of) {
			const struct document *d = documents_find_path(ctx->docs, wn->abs);
			free(uri);
			uri = d ? xstrdup(d->uri) : uri_from_path(wn->abs);
			uri_of = l.items[i].note;
		}
		struct text_view v = feature_view(wn);
		json_array_append_new(out, json_pack("{s:s, s:o}", "uri", uri, "range",
						     json_range(&v, l.items[i].span, ctx->enc)));
	}
	free(uri);
	array_free(&l);
	channel_reply(ctx->ch, id, out);
}

/* ---------------------------------------------------------------------- */
/* The links */

/* What a link from note `from` to note `to` says to mean it alone: its
 * stem, or its vault-relative path when the stem does not resolve to it
 * alone. Into out; false when no target can be written for it (a name
 * with a character links cannot hold). */
static bool link_target(struct workspace *ws, uint32_t from, uint32_t to, struct strbuf *out)
{
	const struct ws_note *t = workspace_get(ws, to);
	if (strpbrk(t->rel, "|#^[]"))
		return false;
	struct resolution r = workspace_resolve(ws, (int32_t)from, slice_from_cstr(t->stem),
						(struct slice){ "", 0 }, false);
	out->len = 0;
	if (r.note == (int32_t)to && !r.ambiguous && !r.via_alias) {
		strbuf_puts(out, t->stem);
	} else {
		size_t len = strlen(t->rel);
		if (len > 3 && strcmp(t->rel + len - 3, ".md") == 0)
			len -= 3;
		strbuf_put(out, t->rel, len);
	}
	return true;
}

/* Is offset on a table row: does its line start with '|'? */
static bool in_table(const struct note *n, uint32_t offset)
{
	uint32_t ls = offset;
	while (ls > 0 && n->text[ls - 1] != '\n' && n->text[ls - 1] != '\r')
		ls--;
	while (ls < offset && (n->text[ls] == ' ' || n->text[ls] == '\t'))
		ls++;
	return n->text[ls] == '|';
}

/* The link that replaces mention m of note `to` in note `from`:
 * "[[X]]", or "[[X|as written]]" when the text is not X as such (another
 * case, an alias); the display as written. False when none can be made. */
static bool link_text(struct workspace *ws, uint32_t from, uint32_t to, struct span m,
		      struct strbuf *out)
{
	const struct note *n = workspace_get(ws, from)->note;
	struct slice written = note_slice(n, m);
	struct strbuf target = { 0 };
	bool ok = link_target(ws, from, to, &target) && !memchr(written.ptr, '|', written.len) &&
		  !memchr(written.ptr, ']', written.len) && !memchr(written.ptr, '[', written.len);
	if (ok) {
		out->len = 0;
		strbuf_printf(out, "[[%s", target.ptr);
		if (!slice_eq(written, slice_from_cstr(target.ptr))) {
			strbuf_puts(out, in_table(n, m.start) ? "\\|" : "|");
			strbuf_put(out, written.ptr, written.len);
		}
		strbuf_puts(out, "]]");
	}
	strbuf_fini(&target);
	return ok;
}

static json_t *rewrite_action(const char *title, json_t *wedit)
{
	return json_pack("{s:o, s:s, s:o}", "title", json_text(title, strlen(title)), "kind",
			 "refactor.rewrite", "edit", wedit);
}

/* "Link to X" for each mention the range touches. */
static void link_one(struct action_ctx *a, uint32_t start, uint32_t end)
{
	struct unlinked_list l = { 0 };
	unlinked_in_note(a->ws, a->id, &l);
	struct strbuf text = { 0 }, title = { 0 };
	uint32_t offered = 0;
	for (uint32_t i = 0; i < l.len && offered < MAX_SINGLE_ACTIONS; i++) {
		struct span m = l.items[i].span;
		if (span_end(m) < start || m.start > end)
			continue;
		if (!link_text(a->ws, a->id, l.items[i].note, m, &text))
			continue;
		const struct ws_note *t = workspace_get(a->ws, l.items[i].note);
		json_t *wedit = json_object();
		add_edits(a, wedit, a->wn, json_pack("[o]", text_edit(a, a->wn, m, text.ptr)));
		title.len = 0;
		strbuf_printf(&title, "Link to %s", t->stem);
		json_array_append_new(a->out, rewrite_action(title.ptr, wedit));
		offered++;
	}
	strbuf_fini(&text);
	strbuf_fini(&title);
	array_free(&l);
}

/* Every unlinked mention of note a->id made a link, in one WorkspaceEdit;
 * *n gets how many. */
static json_t *link_all_edit(const struct action_ctx *a, uint32_t *n)
{
	struct unlinked_list l = { 0 };
	unlinked_list(a->ws, a->id, &l);
	json_t *wedit = json_object();
	json_t *edits = NULL;
	struct strbuf text = { 0 };
	*n = 0;
	for (uint32_t i = 0; i < l.len; i++) {
		const struct ws_note *wn = workspace_get(a->ws, l.items[i].note);
		if (link_text(a->ws, l.items[i].note, a->id, l.items[i].span, &text)) {
			if (!edits)
				edits = json_array();
			json_array_append_new(edits, text_edit(a, wn, l.items[i].span, text.ptr));
			(*n)++;
		}
		/* The list is by note, then position: a note's edits in order. */
		if (edits && (i + 1 == l.len || l.items[i + 1].note != l.items[i].note)) {
			add_edits(a, wedit, wn, edits);
			edits = NULL;
		}
	}
	strbuf_fini(&text);
	array_free(&l);
	return wedit;
}

static void link_all_title(const struct ws_note *wn, uint32_t n, struct strbuf *out)
{
	if (n == 1)
		strbuf_printf(out, "Link the unlinked mention of %s", wn->stem);
	else
		strbuf_printf(out, "Link all %u unlinked mentions of %s", n, wn->stem);
}

static bool resolves_edits(const struct feature_ctx *ctx)
{
	const json_t *props = json_object_get(json_object_get(json_object_get(json_object_get(
		ctx->caps, "textDocument"), "codeAction"), "resolveSupport"), "properties");
	size_t i;
	json_t *p;
	json_array_foreach(props, i, p)
		if (json_is_string(p) && strcmp(json_string_value(p), "edit") == 0)
			return true;
	return false;
}

/* Does [start, end] touch the note's title: its first H1's line, or the
 * first line of its body when it has none? */
static bool on_title(const struct note *n, uint32_t start, uint32_t end)
{
	struct span line = { n->body, 0 };
	for (uint32_t i = 0; i < n->headings.len; i++) {
		if (n->headings.items[i].level == 1) {
			line = n->headings.items[i].line;
			break;
		}
	}
	if (!line.len)
		while (span_end(line) < n->len && n->text[span_end(line)] != '\n')
			line.len++;
	return start <= span_end(line) && end >= line.start;
}

/* "Link all N unlinked mentions of X" in X: anywhere when the client
 * resolves the edit later; else on the title only, as the edit is made at
 * once and may touch thousands of notes (clients ask for actions at every
 * move of the cursor). */
static void link_all(struct action_ctx *a, uint32_t start, uint32_t end)
{
	bool later = resolves_edits(a->ctx);
	if (!later && !on_title(a->wn->note, start, end))
		return;
	uint32_t n = unlinked_count(a->ws, a->id);
	if (!n)
		return;
	struct strbuf title = { 0 };
	link_all_title(a->wn, n, &title);
	json_t *action;
	if (later) {
		action = json_pack("{s:o, s:s, s:{s:s, s:s}}", "title",
				   json_text(title.ptr, title.len), "kind", "refactor.rewrite",
				   "data", "vault-lsp", "linkAll", "uri", a->doc->uri);
	} else {
		/* The title says what the edit does: a mention no link can be
		 * written for (a name with '|' or ']') is left out. */
		json_t *wedit = link_all_edit(a, &n);
		title.len = 0;
		link_all_title(a->wn, n, &title);
		action = n ? rewrite_action(title.ptr, wedit) : NULL;
		if (!n)
			json_decref(wedit);
	}
	if (action)
		json_array_append_new(a->out, action);
	strbuf_fini(&title);
}

bool link_mentions_wanted(const json_t *only)
{
	if (!json_is_array(only))
		return true;
	size_t i;
	json_t *k;
	json_array_foreach(only, i, k) {
		const char *s = json_string_value(k);
		if (s && (strcmp(s, "refactor") == 0 || strcmp(s, "refactor.rewrite") == 0))
			return true;
	}
	return false;
}

void link_mentions_actions(struct action_ctx *a, uint32_t start, uint32_t end, const json_t *only)
{
	if (!link_mentions_wanted(only))
		return;
	link_one(a, start, end);
	link_all(a, start, end);
}

void link_mentions_resolve(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const json_t *data = json_object_get(params, "data");
	const json_t *uri = json_object_get(data, "uri");
	if (!json_is_object(params) || !json_is_string(json_object_get(data, "vault-lsp")) ||
	    strcmp(json_string_value(json_object_get(data, "vault-lsp")), "linkAll") != 0 ||
	    !json_is_string(uri)) {
		/* Not one of ours to resolve: as it came. */
		channel_reply(ctx->ch, id, json_is_object(params) ? json_deep_copy(params) : json_null());
		return;
	}
	json_t *action = json_deep_copy(params);
	int32_t note = note_of_uri(ctx, json_string_value(uri));
	if (note >= 0) {
		const json_t *wsedit = json_object_get(json_object_get(json_object_get(ctx->caps,
			"workspace"), "workspaceEdit"), "documentChanges");
		struct action_ctx a = { 0 };
		a.ctx = ctx;
		a.ws = ctx->ws;
		a.wn = workspace_get(ctx->ws, (uint32_t)note);
		a.id = (uint32_t)note;
		a.document_changes = json_is_true(wsedit);
		uint32_t n;
		json_object_set_new(action, "edit", link_all_edit(&a, &n));
		/* The count may have moved since: the title says what is done. */
		struct strbuf title = { 0 };
		link_all_title(a.wn, n, &title);
		json_object_set_new(action, "title", json_text(title.ptr, title.len));
		strbuf_fini(&title);
	}
	channel_reply(ctx->ch, id, action);
}
