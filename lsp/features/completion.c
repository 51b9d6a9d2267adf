/* completion.c — textDocument/completion: notes and aliases after "[[",
 * headings after "#", block ids after "#^", aliases after "|", person names
 * in people-like frontmatter values, tags (tag_completion.c); and
 * completionItem/resolve. */
#include "feature.h"
#include "fuzzy.h"
#include "identity.h"
#include "names.h"
#include "preview.h"
#include "rpc.h"
#include "tag_completion.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* CompletionItemKind */
enum { KIND_TEXT = 1, KIND_VALUE = 12, KIND_FILE = 17, KIND_REFERENCE = 18 };

enum context_kind { CTX_NONE, CTX_NOTE, CTX_HEADING, CTX_BLOCK, CTX_DISPLAY, CTX_PERSON };

struct context {
	enum context_kind kind;
	struct slice target;   /* the note named before '#' or '|' */
	struct slice query;    /* what is typed: filter text */
	uint32_t start;        /* replace range: from here... */
	uint32_t end;          /* ...to here (the cursor) */
	bool close;            /* newText must add "]]" */
	bool embed;            /* "![[": attachments are offered too */
};

/* ---- context --------------------------------------------------------- */

static uint32_t line_start(const char *text, uint32_t offset)
{
	while (offset > 0 && text[offset - 1] != '\n' && text[offset - 1] != '\r')
		offset--;
	return offset;
}

/* The last "[[" on the line before the cursor that no "]]" closes: *open
 * is where it starts, *after where the target does. */
static bool open_link(const char *text, uint32_t from, uint32_t cursor, uint32_t *open,
		      uint32_t *after)
{
	bool found = false;
	for (uint32_t i = from; i + 1 < cursor; i++) {
		if (text[i] == '[' && text[i + 1] == '[') {
			*open = i;
			*after = i + 2;
			while (*after < cursor && text[*after] == '[')
				(*after)++; /* "[[[" types one more bracket */
			found = true;
			i = *after - 1;
		} else if (found && text[i] == ']' && text[i + 1] == ']') {
			found = false;
		}
	}
	return found;
}

/* The key of the frontmatter line holding offset, looking up past list
 * items ("  - Ragnar") to "participants:". Works on raw text, so it keeps
 * working while the YAML being typed is invalid. */
static struct slice frontmatter_key(const char *text, uint32_t offset, uint32_t *value_start)
{
	uint32_t ls = line_start(text, offset);
	struct slice none = { "", 0 };
	/* The value being typed starts after ": ", "[", ",", "- " or a quote. */
	uint32_t v = offset;
	while (v > ls && !strchr(":[,\"'", text[v - 1]) &&
	       !(text[v - 1] == ' ' && v - 1 > ls && text[v - 2] == '-'))
		v--;
	while (v < offset && text[v] == ' ')
		v++;
	*value_start = v;
	for (uint32_t l = ls;;) {
		uint32_t e = l;
		while (text[e] && text[e] != '\n' && text[e] != ':')
			e++;
		bool indented = text[l] == ' ' || text[l] == '\t' || text[l] == '-';
		if (!indented && text[e] == ':')
			return slice_trim((struct slice){ text + l, e - l });
		if (!indented && l != ls)
			return none;
		if (l == 0)
			return none;
		l = line_start(text, l - 1);
	}
}

static struct context find_context(const struct note *n, const struct config *cfg, uint32_t cursor)
{
	struct context c = { .kind = CTX_NONE };
	const char *text = n->text;
	if (note_in_zone(n, cursor))
		return c; /* nothing is offered inside code */
	if (n->has_frontmatter && cursor < n->body) {
		uint32_t vs;
		struct slice key = frontmatter_key(text, cursor, &vs);
		char *k = xstrndup(key.ptr, key.len);
		if (key.len && config_is_people_key(cfg, k)) {
			c.kind = CTX_PERSON;
			c.start = vs;
			c.end = cursor;
			c.query = (struct slice){ text + vs, cursor - vs };
		}
		free(k);
		return c;
	}
	uint32_t open = 0, after = 0;
	if (!open_link(text, line_start(text, cursor), cursor, &open, &after))
		return c;
	c.embed = open > 0 && text[open - 1] == '!';
	struct slice typed = { text + after, cursor - after };
	c.end = cursor;
	/* An editor that closed the brackets itself left "]]" after the
	 * cursor: leave it be and add none. Replacing it too would leave
	 * Helix's cursor at the start of the edit, where "[" completes
	 * again, instead of after the name. */
	c.close = !(cursor + 2 <= n->len && text[cursor] == ']' && text[cursor + 1] == ']');
	const char *bar = memchr(typed.ptr, '|', typed.len);
	const char *hash = memchr(typed.ptr, '#', typed.len);
	if (bar) {
		c.kind = CTX_DISPLAY;
		const char *tend = hash && hash < bar ? hash : bar;
		c.target = (struct slice){ typed.ptr, (size_t)(tend - typed.ptr) };
		c.start = (uint32_t)(bar + 1 - text);
	} else if (hash) {
		c.target = (struct slice){ typed.ptr, (size_t)(hash - typed.ptr) };
		/* "[[Note#H1#" continues the chain: complete the last part. */
		const char *last = typed.ptr + typed.len;
		while (last > hash + 1 && last[-1] != '#')
			last--;
		c.kind = CTX_HEADING;
		c.start = (uint32_t)(last - text);
		if (last < typed.ptr + typed.len && *last == '^') {
			c.kind = CTX_BLOCK;
			c.start++;
		}
	} else {
		c.kind = CTX_NOTE;
		c.start = after;
	}
	c.query = (struct slice){ text + c.start, cursor - c.start };
	return c;
}

/* ---- items ----------------------------------------------------------- */

/* Can s stand inside [[...]] as a part of a link that ends at any of the
 * characters in stops ("#|" for a target, "|" for a heading, "" for text
 * after '|')? No escape exists; brackets or a line break the link itself. */
static bool linkable(struct slice s, const char *stops)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '\n' || c == '\r' || (c && strchr(stops, c)))
			return false;
		if ((c == '[' || c == ']') && i + 1 < s.len && s.ptr[i + 1] == c)
			return false;
	}
	return s.len > 0 && s.ptr[s.len - 1] != ']';
}

/* Does a link to target lead to note id: among others, if ambiguous,
 * unless only? */
static bool leads_to(const struct workspace *ws, int32_t from, struct slice target, uint32_t id,
		     bool only)
{
	struct id_list c = { 0 };
	bool via, found = false;
	workspace_candidates(ws, from, target, &c, &via);
	for (uint32_t i = 0; i < c.len; i++)
		found |= c.items[i] == id;
	found &= !only || c.len == 1;
	array_free(&c);
	return found;
}

/* What to write in a link to reach note id: its stem, or when other notes
 * share the stem, the shortest path suffix that names only it; with
 * ".md" when that alone keeps the spaces a link target loses ("Trailing
 * space .md"). False if no link can name it ("Hash#Note.md"): then it is
 * not offered, rather than inserted as a link to somewhere else. */
static bool link_target(const struct workspace *ws, int32_t from, uint32_t id, struct strbuf *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	/* While the vault is indexed, a note of the same name still to come
	 * could make what we would write ambiguous: not offered yet. */
	if (!workspace_settled(ws, slice_from_cstr(wn->stem)))
		return false;
	size_t first = out->len;
	struct id_list c = { 0 };
	bool via;
	workspace_candidates(ws, from, slice_from_cstr(wn->stem), &c, &via);
	bool unique = c.len <= 1;
	array_free(&c);
	if (unique) {
		strbuf_puts(out, wn->stem);
	} else {
		size_t n = strlen(wn->rel);
		if (n >= 3 && strcmp(wn->rel + n - 3, ".md") == 0)
			n -= 3;
		const char *start = wn->rel + n;
		for (;;) {
			while (start > wn->rel && start[-1] != '/')
				start--;
			struct slice suffix = { start, (size_t)(wn->rel + n - start) };
			workspace_candidates(ws, from, suffix, &c, &via);
			bool only = c.len == 1;
			array_free(&c);
			if (only || start == wn->rel) {
				strbuf_put(out, suffix.ptr, suffix.len);
				break;
			}
			start--; /* include the next folder */
		}
	}
	if (!linkable((struct slice){ out->ptr + first, out->len - first }, "#|"))
		return false;
	if (leads_to(ws, from, (struct slice){ out->ptr + first, out->len - first }, id, false))
		return true;
	strbuf_puts(out, ".md");
	return leads_to(ws, from, (struct slice){ out->ptr + first, out->len - first }, id, false);
}

/* Does [[alias]] lead to the candidate's note, and only there? */
static bool alias_names(const struct workspace *ws, int32_t from, const struct rank_candidate *cand)
{
	/* Only once every note is in can no other note declare it too. */
	if (workspace_partial(ws))
		return false;
	struct slice a = slice_from_cstr(cand->label);
	return linkable(a, "#|") && leads_to(ws, from, a, cand->note, true);
}

static bool resolve_supported(const struct feature_ctx *ctx)
{
	const json_t *props = json_object_get(json_object_get(json_object_get(json_object_get(
		json_object_get(ctx->caps, "textDocument"), "completion"),
		"completionItem"), "resolveSupport"), "properties");
	size_t i;
	json_t *p;
	json_array_foreach(props, i, p)
		if (json_is_string(p) && strcmp(json_string_value(p), "documentation") == 0)
			return true;
	return false;
}

/* The whole preview, on completionItem/resolve (inline, items carry the
 * brief one: a hundred items make tens of kilobytes, not hundreds). */
static json_t *documentation(const struct workspace *ws, uint32_t id)
{
	struct strbuf md = { 0 };
	preview_note(ws, id, true, &md);
	json_t *j = md.len ? json_pack("{s:s, s:o}", "kind", "markdown", "value",
				       json_text(md.ptr, md.len)) : NULL;
	strbuf_fini(&md);
	return j;
}

struct item_ctx {
	struct feature_ctx *ctx;
	const struct workspace *ws;
	const struct context *c;
	int32_t from;
	bool lazy_docs;
	/* A person the query is a probable variant of (identity.h), or -1:
	 * offered first, and kept by the editor's own filter. */
	int64_t variant;
	/* The items so far, written as JSON text: a hundred items built as
	 * jansson values, then dumped, took most of a request's time. The
	 * range they replace is the same for all: written once. */
	struct strbuf out, range;
};

/* Appends an item. filter: what the editor filters by, when not the
 * label; doc: Markdown documentation; path: the note's, for resolve
 * (each may be NULL). */
static void item(struct item_ctx *ic, const char *label, int kind, const char *detail,
		 const char *new_text, uint32_t rank, const char *filter, const struct strbuf *doc,
		 const char *path)
{
	struct strbuf *o = &ic->out;
	strbuf_puts(o, o->len ? ",{\"label\":" : "{\"label\":");
	json_write_text(o, label, strlen(label));
	strbuf_printf(o, ",\"kind\":%d,\"detail\":", kind);
	json_write_text(o, detail, strlen(detail));
	strbuf_printf(o, ",\"sortText\":\"%05u\",\"textEdit\":{\"range\":", rank);
	strbuf_put(o, ic->range.ptr, ic->range.len);
	strbuf_puts(o, ",\"newText\":");
	json_write_text(o, new_text, strlen(new_text));
	strbuf_putc(o, '}');
	/* Editors filter items again by filterText as the user types, with
	 * their own matcher, which does not fold accents: give them the
	 * folded spelling too, so "zoe" keeps "Zoë Ólafsdóttir". (Without
	 * it, filterText is the label: not sent twice.) */
	struct strbuf key = { 0 };
	if (!filter) {
		names_search_key(slice_from_cstr(label), &key);
		if (key.len && !slice_eq_nocase((struct slice){ key.ptr, key.len },
						slice_from_cstr(label))) {
			strbuf_puts(o, ",\"filterText\":");
			struct strbuf f = { 0 };
			strbuf_printf(&f, "%s %s", label, key.ptr);
			json_write_text(o, f.ptr, f.len);
			strbuf_fini(&f);
		}
	} else {
		strbuf_puts(o, ",\"filterText\":");
		json_write_text(o, filter, strlen(filter));
	}
	strbuf_fini(&key);
	if (doc && doc->len) {
		strbuf_puts(o, ",\"documentation\":{\"kind\":\"markdown\",\"value\":");
		json_write_text(o, doc->ptr, doc->len);
		strbuf_putc(o, '}');
	}
	if (path) {
		strbuf_puts(o, ",\"data\":{\"path\":");
		json_write_text(o, path, strlen(path));
		strbuf_putc(o, '}');
	}
	strbuf_putc(o, '}');
}

static void folder_of(const struct ws_note *wn, struct strbuf *out)
{
	const char *slash = strrchr(wn->rel, '/');
	if (slash)
		strbuf_put(out, wn->rel, (size_t)(slash - wn->rel + 1));
	else
		strbuf_puts(out, "/");
}

static void note_items(struct item_ctx *ic, struct rank_top *top)
{
	rank_sort(top);
	for (uint32_t i = 0; i < top->len; i++) {
		const struct rank_candidate *cand = &top->items[i];
		const struct ws_note *wn = workspace_get(ic->ws, cand->note);
		struct strbuf text = { 0 }, detail = { 0 };
		strbuf_init(&text);
		strbuf_init(&detail);
		bool alias = cand->key >= 2;
		if (ic->c->kind == CTX_PERSON) {
			/* A frontmatter value names the note, without brackets. */
			strbuf_puts(&text, wn->stem);
		} else {
			bool named = link_target(ic->ws, ic->from, cand->note, &text);
			if (alias && !named && alias_names(ic->ws, ic->from, cand)) {
				/* No link names the file: the alias can. */
				text.len = 0;
				strbuf_puts(&text, cand->label);
			} else if (alias && named && linkable(slice_from_cstr(cand->label), "")) {
				strbuf_putc(&text, '|');
				strbuf_puts(&text, cand->label);
			} else if (alias || !named) {
				strbuf_fini(&text);
				strbuf_fini(&detail);
				continue;
			}
			if (ic->c->close)
				strbuf_puts(&text, "]]");
		}
		if (alias)
			strbuf_printf(&detail, "alias of %s · ", wn->title);
		strbuf_printf(&detail, "%s · ", preview_kind(wn));
		folder_of(wn, &detail);
		/* The editor filters by what was typed: a spelling of the name
		 * that is not in it would hide the variant's item. */
		struct strbuf filter = { 0 }, doc = { 0 };
		if (!alias && cand->note == ic->variant)
			strbuf_printf(&filter, "%s %.*s", cand->label, (int)ic->c->query.len,
				      ic->c->query.ptr);
		if (!ic->lazy_docs)
			preview_brief(ic->ws, cand->note, true, &doc);
		item(ic, cand->label, alias ? KIND_REFERENCE : KIND_FILE, detail.ptr, text.ptr, i,
		     filter.len ? filter.ptr : NULL, &doc, ic->lazy_docs ? wn->abs : NULL);
		strbuf_fini(&filter);
		strbuf_fini(&doc);
		strbuf_fini(&text);
		strbuf_fini(&detail);
	}
}

/* Headings or block ids of the target note, or aliases after '|'. */
static void part_items(struct item_ctx *ic)
{
	const struct context *c = ic->c;
	const struct workspace *ws = ic->ws;
	int32_t target = ic->from;
	if (slice_trim(c->target).len) {
		struct resolution r = workspace_resolve(ws, ic->from, c->target, (struct slice){ "", 0 }, false);
		target = r.note;
	}
	if (target < 0)
		return;
	const struct ws_note *t = workspace_get(ws, (uint32_t)target);
	if (t->attachment)
		return; /* no headings, blocks or names: "#page=3", "|300" are the viewer's */
	const struct note *n = t->note;
	struct strbuf qk = { 0 };
	rank_query_key(c->query, &qk);
	struct slice q = { qk.ptr ? qk.ptr : "", qk.len };
	struct rank_top top = { .len = 0 };
	uint32_t count = c->kind == CTX_HEADING ? n->headings.len
		       : c->kind == CTX_BLOCK ? n->blocks.len
		       : 2 + n->aliases.len;
	ARRAY(char *) labels = { 0 };
	for (uint32_t i = 0; i < count; i++) {
		char *label;
		if (c->kind == CTX_HEADING) {
			label = xstrdup(n->headings.items[i].text);
		} else if (c->kind == CTX_BLOCK) {
			struct slice id = note_slice(n, n->blocks.items[i].id);
			label = xstrndup(id.ptr, id.len);
		} else {
			label = xstrdup(i == 0 ? t->title : i == 1 ? t->stem : n->aliases.items[i - 2]->str);
		}
		array_push(&labels, label);
		struct strbuf key = { 0 };
		names_search_key(slice_from_cstr(label), &key);
		int score = fuzzy_score(q, (struct slice){ key.ptr ? key.ptr : "", key.len });
		strbuf_fini(&key);
		if (score < 0 || !linkable(slice_from_cstr(label), c->kind == CTX_HEADING ? "|" : ""))
			continue;
		struct rank_candidate cand = { score, 0, false, i, (uint32_t)target, (int32_t)i, label,
					 (uint32_t)strlen(label) };
		rank_offer(&top, cand);
	}
	rank_sort(&top);
	for (uint32_t i = 0; i < top.len; i++) {
		const struct rank_candidate *cand = &top.items[i];
		struct strbuf text = { 0 }, detail = { 0 };
		strbuf_init(&text);
		strbuf_init(&detail);
		strbuf_puts(&text, cand->label);
		if (c->close)
			strbuf_puts(&text, "]]");
		int kind = KIND_TEXT;
		if (c->kind == CTX_HEADING) {
			strbuf_printf(&detail, "%.*s heading in %s", n->headings.items[cand->key].level,
				      "######", t->rel);
		} else if (c->kind == CTX_BLOCK) {
			struct slice b = slice_trim(note_slice(n, n->blocks.items[cand->key].block));
			strbuf_printf(&detail, "block: %.*s", (int)(b.len > 60 ? 60 : b.len), b.ptr);
			kind = KIND_VALUE;
		} else {
			strbuf_printf(&detail, "%s of %s", cand->key == 0 ? "title" : cand->key == 1 ? "name" : "alias",
				      t->title);
			kind = KIND_REFERENCE;
		}
		item(ic, cand->label, kind, detail.ptr, text.ptr, i, NULL, NULL, NULL);
		strbuf_fini(&text);
		strbuf_fini(&detail);
	}
	for (uint32_t i = 0; i < labels.len; i++)
		free(labels.items[i]);
	array_free(&labels);
	strbuf_fini(&qk);
}

void completion_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t cursor;
	int32_t note = feature_note(ctx, id, params, &wn, &cursor,
				    json_pack("{s:b, s:[]}", "isIncomplete", 0, "items"));
	if (note < 0)
		return;
	struct workspace *ws = ctx->ws;
	/* While the vault is indexed, every list is of what is in so far:
	 * incomplete, so that the editor asks again. */
	bool partial = workspace_partial(ws);
	json_t *tags = tag_completion_list(ctx, wn, cursor);
	if (tags) {
		if (partial)
			json_object_set_new(tags, "isIncomplete", json_true());
		channel_reply(ctx->ch, id, tags);
		return;
	}
	struct text_view v = feature_view(wn);
	struct context c = find_context(wn->note, workspace_config(ws), cursor);
	struct item_ctx ic = { ctx, ws, &c, note, resolve_supported(ctx), -1, { 0 }, { 0 } };
	json_write_range(&ic.range, &v, (struct span){ c.start, c.end - c.start }, ctx->enc);
	bool incomplete = false;
	if (c.kind == CTX_NOTE || c.kind == CTX_PERSON) {
		struct rank_top *top = xcalloc(1, sizeof(*top));
		rank_names(ws, c.query, c.kind == CTX_PERSON, &ctx->rank, top);
		/* A person typed in another spelling ("Ragnhild Sohlb"): their
		 * card first, though the letters do not match. */
		struct identity_match m = { .verdict = IDENTITY_NONE };
		if (!partial) /* who is who needs every person */
			identity_match(ws, c.query, &m);
		if (m.verdict == IDENTITY_VARIANT) {
			const struct ws_note *p = workspace_get(ws, m.note);
			ic.variant = m.note;
			rank_offer(top, (struct rank_candidate){ INT32_MAX / 2, 0, false, 0, m.note, 0,
								  p->stem, (uint32_t)strlen(p->stem) });
		}
		if (c.kind == CTX_NOTE && c.embed)
			rank_attachments(ws, c.query, top);
		/* Always incomplete: the editor asks again as the user types, so
		 * our ranking over the whole vault decides, not its filter over
		 * the first hundred. */
		incomplete = true;
		note_items(&ic, top);
		free(top);
	} else if (c.kind != CTX_NONE) {
		part_items(&ic);
	}
	struct strbuf out = { 0 };
	strbuf_printf(&out, "{\"isIncomplete\":%s,\"items\":[", incomplete || partial ? "true" : "false");
	strbuf_put(&out, ic.out.ptr ? ic.out.ptr : "", ic.out.len);
	strbuf_puts(&out, "]}");
	channel_reply_text(ctx->ch, id, out.ptr, out.len);
	strbuf_fini(&out);
	strbuf_fini(&ic.out);
	strbuf_fini(&ic.range);
}

void completion_resolve(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	if (!json_is_object(params)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "a CompletionItem is required");
		return;
	}
	json_t *it = json_deep_copy(params);
	const json_t *path = json_object_get(json_object_get(params, "data"), "path");
	int32_t note = json_is_string(path) ? workspace_find(ctx->ws, json_string_value(path)) : -1;
	json_t *doc = note >= 0 ? documentation(ctx->ws, (uint32_t)note) : NULL;
	if (doc)
		json_object_set_new(it, "documentation", doc);
	channel_reply(ctx->ch, id, it);
}
