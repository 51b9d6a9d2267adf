/* code_action.c — textDocument/codeAction: quick fixes for the diagnostics of
 * a note. Every fix is a WorkspaceEdit for the client to apply, built
 * against the document version the server has; the server never writes. */
#include "code_action_impl.h"
#include "cursor.h"
#include "diagnose.h"
#include "feature.h"
#include "identity.h"
#include "name_variants.h"
#include "note_item.h"

#include <stdlib.h>
#include <string.h>

static int cmp_link_ref(const void *pa, const void *pb)
{
	const struct link_ref *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The first link (lowest index) that starts at start, or -1. */
static int32_t link_at(struct action_ctx *a, uint32_t start)
{
	const struct note *n = a->wn->note;
	if (!n->links.len)
		return -1;
	if (!a->by_start) {
		a->by_start = xmalloc(n->links.len * sizeof(*a->by_start));
		for (uint32_t i = 0; i < n->links.len; i++)
			a->by_start[i] = (struct link_ref){ n->links.items[i].span.start, i };
		qsort(a->by_start, n->links.len, sizeof(*a->by_start), cmp_link_ref);
	}
	uint32_t lo = 0, hi = n->links.len; /* first ref with .start >= start */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a->by_start[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->links.len && a->by_start[lo].start == start ? (int32_t)a->by_start[lo].index : -1;
}

static const json_t *caps_get(const struct feature_ctx *ctx, const char *a, const char *b, const char *c)
{
	return json_object_get(json_object_get(json_object_get(ctx->caps, a), b), c);
}

static bool has_string(const json_t *arr, const char *want)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
			return true;
	return false;
}

json_t *text_edit(const struct action_ctx *a, const struct ws_note *wn, struct span span,
		  const char *text)
{
	struct text_view v = feature_view(wn);
	return json_pack("{s:o, s:o}", "range", json_range(&v, span, a->ctx->enc),
			 "newText", json_text(text, strlen(text)));
}

/* Adds edits of one note to a WorkspaceEdit (steals edits). With
 * documentChanges, the edit names the version it was computed for, so a
 * client whose buffer moved on refuses it rather than corrupting text. */
void add_edits(const struct action_ctx *a, json_t *wedit, const struct ws_note *wn, json_t *edits)
{
	const struct document *d = documents_find_path(a->ctx->docs, wn->abs);
	char *uri = d ? xstrdup(d->uri) : uri_from_path(wn->abs);
	if (a->document_changes) {
		json_t *dc = json_object_get(wedit, "documentChanges");
		if (!dc) {
			dc = json_array();
			json_object_set_new(wedit, "documentChanges", dc);
		}
		json_array_append_new(dc, json_pack("{s:{s:s, s:o}, s:o}", "textDocument", "uri", uri,
			"version", d ? json_integer(d->version) : json_null(), "edits", edits));
	} else {
		json_t *changes = json_object_get(wedit, "changes");
		if (!changes) {
			changes = json_object();
			json_object_set_new(wedit, "changes", changes);
		}
		json_object_set_new(changes, uri, edits);
	}
	free(uri);
}

void add_action(const struct action_ctx *a, const char *title, const struct diagnostic *d,
		json_t *wedit, bool preferred)
{
	json_t *act = json_pack("{s:o, s:s, s:[o], s:o}", "title", json_text(title, strlen(title)),
				"kind", "quickfix", "diagnostics",
				diagnostics_encode(a->ctx, d, a->wn), "edit", wedit);
	if (preferred)
		json_object_set_new(act, "isPreferred", json_true());
	json_array_append_new(a->out, act);
}

/* The lines of a list item, with the line break after them: what deleting
 * the fact removes. Nested items below it stay. */
static struct span item_lines(const struct note *n, uint32_t item)
{
	struct span line = note_item_line(n, item);
	uint32_t end = span_end(line);
	if (end < n->len && n->text[end] == '\r')
		end++;
	if (end < n->len && n->text[end] == '\n')
		end++;
	return (struct span){ line.start, end - line.start };
}

static void delete_item(const struct action_ctx *a, const struct diagnostic *d, uint32_t item,
			const char *title, bool preferred)
{
	json_t *wedit = json_object();
	add_edits(a, wedit, a->wn, json_pack("[o]", text_edit(a, a->wn, item_lines(a->wn->note, item), "")));
	add_action(a, title, d, wedit, preferred);
}

static uint32_t line_number(const struct ws_note *wn, uint32_t offset)
{
	return position_from_offset(wn->note->text, wn->note->len, &wn->lines, offset, POS_UTF8).line + 1;
}

static void fact_fixes(const struct action_ctx *a, const struct diagnostic *d)
{
	const struct note *n = a->wn->note;
	char title[96];
	if (d->other < 0) { /* the same fact in another note */
		delete_item(a, d, (uint32_t)d->item, "Remove this fact: the other note has it", false);
		return;
	}
	uint32_t other_line = line_number(a->wn, n->items.items[d->other].line_start);
	if (strcmp(d->code, DIAG_DUPLICATE_FACT) == 0) {
		delete_item(a, d, (uint32_t)d->item, "Remove the duplicate fact", true);
	} else if (strcmp(d->code, DIAG_NEAR_DUPLICATE_FACT) == 0) {
		snprintf(title, sizeof(title), "Keep this fact and remove the one on line %u", other_line);
		delete_item(a, d, (uint32_t)d->other, title, false);
		delete_item(a, d, (uint32_t)d->item, "Remove this near-duplicate fact", false);
	} else {
		delete_item(a, d, (uint32_t)d->item, "Remove this fact: the longer one says it", true);
	}
}

void yaml_scalar(const char *s, struct strbuf *out)
{
	bool plain = s[0] && !strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) &&
		     s[strlen(s) - 1] != ' ' && !strstr(s, ": ") && !strstr(s, " #") &&
		     !strpbrk(s, ",[]{}\"\\\t\r\n");
	if (plain) {
		strbuf_puts(out, s);
		return;
	}
	strbuf_putc(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_putc(out, '\\');
		if (*p == '\n')
			strbuf_puts(out, "\\n");
		else if (*p == '\t')
			strbuf_puts(out, "\\t");
		else if (*p != '\r')
			strbuf_putc(out, *p);
	}
	strbuf_putc(out, '"');
}

static void flow_items(const char *const *items, uint32_t n, struct strbuf *out)
{
	for (uint32_t k = 0; k < n; k++) {
		if (k)
			strbuf_puts(out, ", ");
		yaml_scalar(items[k], out);
	}
}

json_t *alias_edit(const struct action_ctx *a, const struct ws_note *t, const char *const *alias,
		   uint32_t n_alias)
{
	const struct note *n = t->note;
	struct strbuf text = { 0 };
	strbuf_init(&text);
	struct span at;
	const char *nl = strstr(n->text, "\r\n") ? "\r\n" : "\n";
	const struct yaml_node *list = n->frontmatter ? yaml_tree_get(n->frontmatter, "aliases") : NULL;
	if (!list && n->frontmatter)
		list = yaml_tree_get(n->frontmatter, "alias");
	if (!n->has_frontmatter) {
		/* No frontmatter yet: add one. */
		at = (struct span){ n->body, 0 };
		strbuf_printf(&text, "---%saliases: [", nl);
		flow_items(alias, n_alias, &text);
		strbuf_printf(&text, "]%s---%s", nl, nl);
	} else if (list && list->type == YAML_SEQ_NODE && list->n &&
		   n->text[list->span.start] != '[') {
		/* A block list: one more item, indented like the last. */
		const struct yaml_node *last = &list->items[list->n - 1];
		uint32_t ls = last->span.start;
		while (ls > 0 && n->text[ls - 1] != '\n')
			ls--;
		uint32_t le = span_end(last->span);
		while (le < n->len && n->text[le] != '\n' && n->text[le] != '\r')
			le++;
		at = (struct span){ le, 0 };
		uint32_t dash = ls;
		while (dash < n->len && n->text[dash] == ' ')
			dash++;
		for (uint32_t k = 0; k < n_alias; k++) {
			strbuf_puts(&text, nl);
			strbuf_put(&text, n->text + ls, dash - ls);
			strbuf_puts(&text, "- ");
			yaml_scalar(alias[k], &text);
		}
	} else if (list && list->type == YAML_SEQ_NODE) {
		/* A flow list "[a, b]": before its closing bracket. */
		uint32_t close = span_end(list->span);
		while (close > list->span.start && n->text[close - 1] != ']')
			close--;
		at = (struct span){ close ? close - 1 : close, 0 };
		if (list->n)
			strbuf_puts(&text, ", ");
		flow_items(alias, n_alias, &text);
	} else if (list && list->type == YAML_SCALAR_NODE) {
		/* "aliases: X" becomes a list of both. */
		at = list->span;
		if (list->quoted && at.start > 0) {
			at.start--;
			at.len += 2;
		}
		strbuf_putc(&text, '[');
		yaml_scalar(list->str, &text);
		strbuf_puts(&text, ", ");
		flow_items(alias, n_alias, &text);
		strbuf_putc(&text, ']');
	} else {
		/* No aliases key (or an empty one): a new line before the
		 * closing "---". An empty "aliases:" is replaced in place. */
		uint32_t close = n->body;
		do
			close--;
		while (close > 0 && n->text[close - 1] != '\n');
		at = (struct span){ close, 0 };
		if (list) {
			uint32_t ls = list->span.start;
			while (ls > 0 && n->text[ls - 1] != '\n')
				ls--;
			uint32_t le = ls;
			while (le < n->len && n->text[le] != '\n')
				le++;
			at = (struct span){ ls, le + 1 - ls };
		}
		strbuf_puts(&text, "aliases: [");
		flow_items(alias, n_alias, &text);
		strbuf_printf(&text, "]%s", nl);
	}
	json_t *e = text_edit(a, t, at, text.ptr);
	strbuf_fini(&text);
	return e;
}

/* Which folder a new note for this link belongs in: its kind's folder
 * when the heading above the link says people, projects or customers;
 * else the linking note's folder. */
static void new_note_folder(const struct action_ctx *a, uint32_t offset, struct strbuf *out)
{
	const struct note *n = a->wn->note;
	const struct config *cfg = workspace_config(a->ws);
	const char *kind = NULL;
	/* The last heading above the link (headings are in document order):
	 * found by bisection, as a note may have thousands of both. */
	uint32_t lo = 0, hi = n->headings.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (n->headings.items[mid].line.start < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo) {
		const char *h = n->headings.items[lo - 1].text;
		kind = strstr(h, "People") || strstr(h, "Person") || strstr(h, "Contacts") ||
		       strstr(h, "Participants") || strstr(h, "Attendees") ? "person"
		     : strstr(h, "Project") ? "project"
		     : strstr(h, "Customer") ? "customer" : NULL;
	}
	for (uint32_t i = 0; kind && i < cfg->folders.len; i++) {
		if (strcmp(cfg->folders.items[i].kind, kind) == 0) {
			strbuf_printf(out, "%s/%s", workspace_root(a->ws, a->wn->root),
				      cfg->folders.items[i].folder);
			return;
		}
	}
	const char *slash = strrchr(a->wn->abs, '/');
	strbuf_put(out, a->wn->abs, slash ? (size_t)(slash - a->wn->abs) : 0);
}

/* A file name from a link target: no path separators or characters
 * Obsidian refuses in names. */
static bool safe_name(struct slice t)
{
	if (!t.len || t.ptr[0] == '.')
		return false;
	for (size_t i = 0; i < t.len; i++)
		if (strchr("/\\:*?\"<>|#^[]", t.ptr[i]) || (unsigned char)t.ptr[i] < 0x20)
			return false;
	return true;
}

static void link_fixes(struct action_ctx *a, const struct diagnostic *d)
{
	const struct note *n = a->wn->note;
	int32_t li = link_at(a, d->span.start);
	if (li < 0)
		return;
	const struct wikilink *l = &n->links.items[li];
	struct slice target = slice_trim(note_slice(n, wikilink_target(l)));
	char title[512];

	/* Replace the target with each name that was probably meant. */
	for (uint32_t k = 0; k < d->fixes.len; k++) {
		json_t *wedit = json_object();
		add_edits(a, wedit, a->wn, json_pack("[o]", text_edit(a, a->wn, wikilink_target(l), d->fixes.items[k])));
		snprintf(title, sizeof(title), "Change to [[%s]]", d->fixes.items[k]);
		add_action(a, title, d, wedit, k == 0);
	}
	/* Or keep the spelling and make it an alias of that note. */
	char *alias = xstrndup(target.ptr, target.len);
	for (uint32_t k = 0; k < d->related.len && k < d->fixes.len; k++) {
		const struct ws_note *t = workspace_get(a->ws, d->related.items[k].note);
		if (!t)
			continue;
		json_t *wedit = json_object();
		add_edits(a, wedit, t, json_pack("[o]", alias_edit(a, t, (const char *const *)&alias, 1)));
		snprintf(title, sizeof(title), "Add '%s' as an alias of %s", alias, t->title);
		add_action(a, title, d, wedit, false);
	}
	/* Or create the note, inside the vault only; not for a link naming
	 * a file ("missing.png": a note "missing.png.md" is not what was meant). */
	if (a->can_create && safe_name(target) && target.len < 200 &&
	    strcmp(workspace_attachment_type(alias), "file") == 0) {
		struct strbuf path = { 0 };
		new_note_folder(a, l->span.start, &path);
		strbuf_printf(&path, "/%s.md", alias);
		const char *root = workspace_root(a->ws, a->wn->root);
		size_t rl = strlen(root);
		if (strncmp(path.ptr, root, rl) == 0 && path.ptr[rl] == '/' && !strstr(path.ptr, "/../")) {
			char *uri = uri_from_path(path.ptr);
			struct strbuf heading = { 0 };
			strbuf_printf(&heading, "# %s\n", alias);
			json_t *wedit = json_pack("{s:[{s:s, s:s, s:{s:b, s:b}}, {s:{s:s, s:n}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:o}]}]}",
				"documentChanges",
				"kind", "create", "uri", uri, "options", "overwrite", 0, "ignoreIfExists", 1,
				"textDocument", "uri", uri, "version",
				"edits", "range", "start", "line", 0, "character", 0, "end", "line", 0,
				"character", 0, "newText", json_text(heading.ptr, heading.len));
			/* Name the folder as the vault sees it. */
			const char *rel = path.ptr + rl + 1;
			const char *base = strrchr(rel, '/');
			if (base)
				snprintf(title, sizeof(title), "Create note '%s.md' in %.*s", alias,
					 (int)(base - rel), rel);
			else
				snprintf(title, sizeof(title), "Create note '%s.md' at the vault's top", alias);
			add_action(a, title, d, wedit, false);
			strbuf_fini(&heading);
			free(uri);
		}
		strbuf_fini(&path);
	}
	free(alias);
}

/* name-variant: teach the vault the spelling (an alias of the card, the
 * preferred fix: the text stays as written), or write the card's name. A
 * link stays a link. */
/* The edits that write the card's name where note id says `written` for
 * it: people-key values, With lines and prose, and links to nobody. */
static json_t *places_in(struct action_ctx *a, uint32_t id, uint32_t card, struct slice written,
			 const char *name)
{
	const struct ws_note *wn = workspace_get(a->ws, id);
	json_t *edits = json_array();
	struct name_variant_list vs = { 0 };
	name_variants_find(a->ws, id, &vs);
	for (uint32_t i = 0; i < vs.len; i++)
		if (vs.items[i].match.note == card && slice_eq(vs.items[i].text, written))
			json_array_append_new(edits, text_edit(a, wn, vs.items[i].span, name));
	array_free(&vs);
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		const struct wikilink *l = &wn->note->links.items[i];
		if (wn->res[i].status != LINK_UNRESOLVED ||
		    !slice_eq(slice_trim(note_slice(wn->note, wikilink_target(l))), written))
			continue;
		struct identity_match m;
		identity_match(a->ws, written, &m);
		if (m.verdict == IDENTITY_VARIANT && m.note == card)
			json_array_append_new(edits, text_edit(a, wn, wikilink_target(l), name));
	}
	return edits;
}

/* One edit for the whole vault: the spelling an alias of the card, and
 * the card's name written everywhere the spelling was found (in the notes
 * told about it: after the first pass, every note). */
static void fix_everywhere(struct action_ctx *a, const struct diagnostic *d, const struct ws_note *card,
			   struct slice written, const char *alias)
{
	uint32_t card_id = d->related.items[0].note;
	const char *name = d->fixes.items[0];
	struct id_list notes = { 0 };
	identity_told_notes(a->ws, &notes);
	bool here = false;
	for (uint32_t i = 0; i < notes.len; i++)
		here |= notes.items[i] == a->id;
	if (!here)
		array_push(&notes, a->id);
	json_t *wedit = json_object();
	json_t *card_edits = json_array();
	json_array_append_new(card_edits, alias_edit(a, card, &alias, 1));
	size_t places = 0;
	for (uint32_t i = 0; i < notes.len; i++) {
		if (!workspace_get(a->ws, notes.items[i]))
			continue;
		json_t *edits = places_in(a, notes.items[i], card_id, written, name);
		places += json_array_size(edits);
		if (notes.items[i] == card_id) {
			json_array_extend(card_edits, edits);
			json_decref(edits);
		} else if (json_array_size(edits)) {
			add_edits(a, wedit, workspace_get(a->ws, notes.items[i]), edits);
		} else {
			json_decref(edits);
		}
	}
	add_edits(a, wedit, card, card_edits);
	array_free(&notes);
	if (places < 2) {
		json_decref(wedit);
		return;
	}
	char title[512];
	snprintf(title, sizeof(title), "Add '%s' as an alias of %s and write '%s' in all %zu places",
		 alias, card->title, name, places);
	add_action(a, title, d, wedit, false);
}

static void variant_fixes(struct action_ctx *a, const struct diagnostic *d)
{
	const struct ws_note *card = d->related.len ? workspace_get(a->ws, d->related.items[0].note)
						    : NULL;
	if (!card || !d->fixes.len)
		return;
	const struct note *n = a->wn->note;
	int32_t li = link_at(a, d->span.start);
	struct span where = d->span;
	if (li >= 0)
		where = wikilink_target(&n->links.items[li]);
	struct slice written = slice_trim(note_slice(n, where));
	char *alias = xstrndup(written.ptr, written.len);
	char title[512];
	json_t *wedit = json_object();
	add_edits(a, wedit, card, json_pack("[o]", alias_edit(a, card, (const char *const *)&alias, 1)));
	snprintf(title, sizeof(title), "Add '%s' as an alias of %s", alias, card->title);
	add_action(a, title, d, wedit, true);
	wedit = json_object();
	add_edits(a, wedit, a->wn, json_pack("[o]", text_edit(a, a->wn, where, d->fixes.items[0])));
	if (li >= 0)
		snprintf(title, sizeof(title), "Change to [[%s]]", d->fixes.items[0]);
	else
		snprintf(title, sizeof(title), "Replace with '%s'", d->fixes.items[0]);
	add_action(a, title, d, wedit, false);
	fix_everywhere(a, d, card, written, alias);
	free(alias);
}

static void ambiguous_fixes(struct action_ctx *a, const struct diagnostic *d)
{
	const struct note *n = a->wn->note;
	int32_t li = link_at(a, d->span.start);
	if (li >= 0) {
		const struct wikilink *l = &n->links.items[li];
		for (uint32_t k = 0; k < d->related.len; k++) {
			const struct ws_note *t = workspace_get(a->ws, d->related.items[k].note);
			if (!t)
				continue;
			/* The vault-relative path without ".md" names it alone. */
			size_t len = strlen(t->rel);
			if (len > 3 && strcmp(t->rel + len - 3, ".md") == 0)
				len -= 3;
			char *target = xstrndup(t->rel, len);
			json_t *wedit = json_object();
			add_edits(a, wedit, a->wn, json_pack("[o]", text_edit(a, a->wn, wikilink_target(l), target)));
			char title[512];
			snprintf(title, sizeof(title), "Link to %s", t->rel);
			add_action(a, title, d, wedit, false);
			free(target);
		}
	}
}

static void mojibake_fixes(const struct action_ctx *a, const struct diagnostic *d)
{
	if (!d->fixes.len)
		return;
	json_t *wedit = json_object();
	add_edits(a, wedit, a->wn, json_pack("[o]", text_edit(a, a->wn, d->span, d->fixes.items[0])));
	char title[256];
	snprintf(title, sizeof(title), "Replace with '%s'", d->fixes.items[0]);
	add_action(a, title, d, wedit, true);
}

void code_action_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct document *doc = feature_document(ctx, id, params);
	if (!doc)
		return;
	struct workspace *ws = ctx->ws;
	int32_t note = doc->path ? workspace_find(ws, doc->path) : -1;
	if (note < 0) {
		channel_reply(ctx->ch, id, json_array());
		return;
	}
	const struct ws_note *wn = workspace_get(ws, (uint32_t)note);
	struct text_view v = feature_view(wn);
	uint32_t start, end;
	if (!json_get_range(json_object_get(params, "range"), &v, ctx->enc, &start, &end)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.range is required");
		return;
	}
	const json_t *only = json_object_get(json_object_get(params, "context"), "only");
	bool fixes = !json_is_array(only) || has_string(only, "quickfix");
	if (!fixes && !link_mentions_wanted(only)) {
		channel_reply(ctx->ch, id, json_array());
		return;
	}
	const json_t *wsedit = caps_get(ctx, "workspace", "workspaceEdit", "documentChanges");
	const json_t *ops = caps_get(ctx, "workspace", "workspaceEdit", "resourceOperations");
	struct action_ctx a = { ctx, ws, doc, wn, (uint32_t)note, json_is_true(wsedit),
				json_is_true(wsedit) && has_string(ops, "create"),
				json_is_true(wsedit) && has_string(ops, "delete"), json_array(), NULL };
	struct diag_list list = { 0 };
	if (fixes)
		diagnose_note(ws, (uint32_t)note, &list);
	for (uint32_t i = 0; i < list.len; i++) {
		const struct diagnostic *d = &list.items[i];
		/* Diagnostics the requested range touches. */
		if (span_end(d->span) < start || d->span.start > end)
			continue;
		if (d->item >= 0)
			fact_fixes(&a, d);
		else if (strcmp(d->code, DIAG_UNRESOLVED_LINK) == 0)
			link_fixes(&a, d);
		else if (strcmp(d->code, DIAG_AMBIGUOUS_LINK) == 0)
			ambiguous_fixes(&a, d);
		else if (strcmp(d->code, DIAG_MOJIBAKE) == 0)
			mojibake_fixes(&a, d);
		else if (strcmp(d->code, DIAG_NAME_VARIANT) == 0)
			variant_fixes(&a, d);
		else if (strcmp(d->code, DIAG_DUPLICATE_CARD) == 0)
			merge_cards_fixes(&a, d);
	}
	diag_list_free(&list);
	link_mentions_actions(&a, start, end, only);
	free(a.by_start);
	channel_reply(ctx->ch, id, a.out);
}
