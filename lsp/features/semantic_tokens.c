/* semantic_tokens.c — textDocument/semanticTokens/full, /full/delta and
 * /range: what only the index knows about an open note (where each link
 * leads, who a people value names, tags, block ids, frontmatter keys) as
 * tokens, with each document's last result kept for deltas. */
#include "cursor.h"
#include "feature.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The legend (README: "Semantic tokens"). Standard types, read as a
 * note's parts: a note is a namespace whose headings (class) and block
 * ids (enumMember) a link's subpath names; a tag annotates its note as a
 * decorator does; a frontmatter key is what Obsidian itself calls a
 * property. Only the modifiers saying where a link leads are our own.
 */
enum token_type { T_NAMESPACE, T_CLASS, T_ENUM_MEMBER, T_DECORATOR, T_PROPERTY };
static const char *const type_names[] = {
	[T_NAMESPACE] = "namespace", [T_CLASS] = "class", [T_ENUM_MEMBER] = "enumMember",
	[T_DECORATOR] = "decorator", [T_PROPERTY] = "property",
};

enum token_mod {
	M_DECLARATION = 1 << 0, /* standard: a block id's own ^id */
	M_RESOLVED = 1 << 1,
	M_UNRESOLVED = 1 << 2,
	M_AMBIGUOUS = 1 << 3,
	M_VIA_ALIAS = 1 << 4,
	M_PERSON = 1 << 5,      /* the note named is a person card */
};
static const char *const mod_names[] = {
	"declaration", "resolved", "unresolved", "ambiguous", "viaAlias", "person",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

json_t *semantic_tokens_options(const json_t *caps)
{
	/* A capability a client does not announce is one it lacks. And ours
	 * only add to the editor's own Markdown colours: a client that would
	 * colour with them alone (augmentsSyntaxTokens: false) would lose its
	 * headings, emphasis and code. */
	const json_t *st = json_object_get(json_object_get(caps, "textDocument"), "semanticTokens");
	if (!json_is_object(st) || json_is_false(json_object_get(st, "augmentsSyntaxTokens")))
		return NULL;
	json_t *types = json_array(), *mods = json_array();
	for (size_t i = 0; i < N_OF(type_names); i++)
		json_array_append_new(types, json_string(type_names[i]));
	for (size_t i = 0; i < N_OF(mod_names); i++)
		json_array_append_new(mods, json_string(mod_names[i]));
	return json_pack("{s:{s:o, s:o}, s:{s:b}, s:b}", "legend", "tokenTypes", types,
			 "tokenModifiers", mods, "full", "delta", 1, "range", 1);
}

/* ---- the tokens of a note, as byte ranges ---- */

struct token {
	uint32_t start, end;
	uint8_t type, mods;
};
typedef ARRAY(struct token) token_array;

static void add(token_array *out, uint32_t start, uint32_t len, enum token_type type, unsigned mods)
{
	if (len)
		array_push(out, ((struct token){ start, start + len, (uint8_t)type, (uint8_t)mods }));
}

static struct span trimmed(const struct note *n, struct span s)
{
	struct slice t = slice_trim(note_slice(n, s));
	return (struct span){ t.len ? (uint32_t)(t.ptr - n->text) : s.start, (uint32_t)t.len };
}

/*
 * A reference to a note (a link's target, a people value) and its subpath,
 * as resolved. The subpath of a link to an attachment ("#page=3") names
 * no heading and gets no token.
 */
static void add_ref(token_array *out, const struct workspace *ws, struct span target,
		    struct span subpath, const struct resolution *r, const char *subtext)
{
	const struct ws_note *t = r->note >= 0 ? workspace_get(ws, (uint32_t)r->note) : NULL;
	unsigned mods = M_UNRESOLVED;
	if (r->status != LINK_UNRESOLVED && t) {
		mods = M_RESOLVED | (r->ambiguous ? M_AMBIGUOUS : 0) | (r->via_alias ? M_VIA_ALIAS : 0) |
		       (strcmp(t->kind, "person") == 0 ? M_PERSON : 0);
	}
	add(out, target.start, target.len, T_NAMESPACE, mods);
	if (!subpath.len || (t && t->attachment))
		return;
	unsigned sub = r->heading >= 0 || r->block >= 0 ? M_RESOLVED : M_UNRESOLVED;
	if (r->status == LINK_RESOLVED && sub == M_UNRESOLVED)
		return; /* resolved without naming a part: nothing to say */
	add(out, subpath.start, subpath.len, subtext[0] == '^' ? T_ENUM_MEMBER : T_CLASS, sub);
}

static bool is_tags_key(const char *key)
{
	return strcmp(key, "tags") == 0 || strcmp(key, "tag") == 0;
}

/* A frontmatter scalar under a top-level key: a note's name when the key
 * is a people key or the value a wikilink (as cursor.c reads it), a tag
 * under tags:. */
static void fm_value(token_array *out, const struct workspace *ws, int32_t id,
		     const struct note *n, const char *key, const struct yaml_node *v)
{
	if (v->type != YAML_SCALAR_NODE || !v->str)
		return;
	struct span s = trimmed(n, v->span);
	if (!s.len)
		return;
	struct slice text = note_slice(n, s);
	bool wikilink = text.len >= 4 && memcmp(text.ptr, "[[", 2) == 0;
	if (config_is_people_key(workspace_config(ws), key) || wikilink) {
		struct slice target, subpath, vt, vs;
		bool has_subpath, vh;
		cursor_split_ref(text, &target, &subpath, &has_subpath);
		/* Resolved as YAML reads it ('O''Brien', a name folded over two
		 * lines); the tokens go where it is written. */
		cursor_split_ref(slice_from_cstr(v->str), &vt, &vs, &vh);
		struct resolution r = workspace_resolve(ws, id, vt, vs, vh);
		if (r.status == LINK_IGNORED)
			return;
		struct span ts = { (uint32_t)(target.ptr - n->text), (uint32_t)target.len };
		struct span ss = { (uint32_t)(subpath.ptr - n->text), (uint32_t)subpath.len };
		add_ref(out, ws, ts, ss, &r, subpath.ptr);
	} else if (is_tags_key(key)) {
		add(out, s.start, s.len, T_DECORATOR, 0);
	}
}

/* Every key of a mapping, nested ones too. */
static void fm_keys(token_array *out, const struct yaml_node *v)
{
	for (uint32_t i = 0; i < v->n; i++) {
		if (v->type == YAML_MAP_NODE)
			add(out, v->key_spans[i].start, v->key_spans[i].len, T_PROPERTY, 0);
		if (v->items[i].type == YAML_MAP_NODE || v->items[i].type == YAML_SEQ_NODE)
			fm_keys(out, &v->items[i]);
	}
}

static void frontmatter_tokens(token_array *out, const struct workspace *ws, int32_t id,
			       const struct note *n)
{
	const struct yaml_node *fm = n->frontmatter;
	if (!fm || fm->type != YAML_MAP_NODE)
		return;
	fm_keys(out, fm);
	for (uint32_t i = 0; i < fm->n; i++) {
		const struct yaml_node *v = &fm->items[i];
		if (v->type == YAML_SEQ_NODE)
			for (uint32_t k = 0; k < v->n; k++)
				fm_value(out, ws, id, n, fm->keys[i], &v->items[k]);
		else
			fm_value(out, ws, id, n, fm->keys[i], v);
	}
}

static void body_tokens(token_array *out, const struct workspace *ws, const struct ws_note *wn)
{
	const struct note *n = wn->note;
	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		const struct resolution *r = &wn->res[i];
		if (r->status == LINK_IGNORED)
			continue;
		struct span sub = l->has_subpath ? wikilink_subpath(l) : (struct span){ 0, 0 };
		add_ref(out, ws, trimmed(n, wikilink_target(l)), sub, r, n->text + sub.start);
	}
	for (uint32_t i = 0; i < n->tags.len; i++)
		add(out, n->tags.items[i].span.start, n->tags.items[i].span.len, T_DECORATOR, 0);
	for (uint32_t i = 0; i < n->blocks.len; i++)
		add(out, n->blocks.items[i].span.start, n->blocks.items[i].span.len, T_ENUM_MEMBER,
		    M_DECLARATION);
}

static int by_start(const void *a, const void *b)
{
	const struct token *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* ---- encoding: relative, one line a token ---- */

/*
 * Positions of increasing offsets, each counted on from the one before
 * when they share a line: what position_from_offset would give, without
 * walking from the line's start once a token (a note dense with links
 * holds hundreds of tokens to a few hundred lines).
 */
struct walker {
	uint32_t at;        /* a character boundary of line `line`, */
	uint32_t units;     /* that many units from the line's start */
	uint32_t line;
	bool set;
};

static struct lsp_pos walk(struct walker *w, const struct text_view *v, enum pos_encoding enc,
			   uint32_t to)
{
	if (!w->set || to < w->at || memchr(v->text + w->at, '\n', to - w->at) ||
	    memchr(v->text + w->at, '\r', to - w->at)) {
		w->line = position_from_offset(v->text, v->len, v->lines, to, enc).line;
		w->at = position_to_offset(v->text, v->len, v->lines, (struct lsp_pos){ w->line, 0 },
					   enc);
		w->units = 0;
		w->set = true;
	}
	while (w->at < to) {
		size_t n = utf8_seq_len((const unsigned char *)v->text + w->at, v->len - w->at);
		size_t bytes = n ? n : 1; /* an invalid byte is one unit */
		if (w->at + bytes > to)
			break; /* inside a character: it counts from its start */
		w->units += enc == POS_UTF8 ? (uint32_t)bytes : n == 4 ? 2 : 1;
		w->at += (uint32_t)bytes;
	}
	return (struct lsp_pos){ w->line, w->units };
}

struct encoder {
	ARRAY(uint32_t) data;
	uint32_t line, character; /* of the last token */
	uint32_t from, to;        /* only tokens meeting [from, to) */
	struct walker w;
};

static void emit(struct encoder *e, const struct text_view *v, enum pos_encoding enc,
		 uint32_t start, uint32_t end, const struct token *t)
{
	/* A folded value's next line starts with its indentation. */
	while (start < end && (v->text[start] == ' ' || v->text[start] == '\t'))
		start++;
	while (end > start && (v->text[end - 1] == ' ' || v->text[end - 1] == '\t'))
		end--;
	if (end <= start || end <= e->from || start >= e->to)
		return;
	struct lsp_pos a = walk(&e->w, v, enc, start);
	struct lsp_pos b = walk(&e->w, v, enc, end);
	if (b.line != a.line || b.character <= a.character)
		return;
	array_grow(&e->data, 5);
	uint32_t *d = e->data.items + e->data.len;
	d[0] = a.line - e->line;
	d[1] = a.line == e->line ? a.character - e->character : a.character;
	d[2] = b.character - a.character;
	d[3] = t->type;
	d[4] = t->mods;
	e->data.len += 5;
	e->line = a.line;
	e->character = a.character;
}

/* A token across line breaks (a folded frontmatter value) becomes one a
 * line: we never assume multilineTokenSupport. */
static void encode(struct encoder *e, const struct text_view *v, enum pos_encoding enc,
		   const struct token *t)
{
	uint32_t s = t->start;
	for (uint32_t i = t->start; i < t->end; i++) {
		char c = v->text[i];
		if (c != '\n' && c != '\r')
			continue;
		emit(e, v, enc, s, i, t);
		if (c == '\r' && i + 1 < t->end && v->text[i + 1] == '\n')
			i++;
		s = i + 1;
	}
	emit(e, v, enc, s, t->end, t);
}

/*
 * The tokens of an open document meeting [from, to), encoded into *out.
 * None when the document is not a note of the index, or the index holds
 * other text for it (a buffer too big to parse is indexed by name only).
 */
static void document_tokens(struct feature_ctx *ctx, const struct document *doc, uint32_t from,
			    uint32_t to, struct encoder *e)
{
	*e = (struct encoder){ .from = from, .to = to };
	int32_t id = doc->path ? workspace_find(ctx->ws, doc->path) : -1;
	const struct ws_note *wn = id >= 0 ? workspace_get(ctx->ws, (uint32_t)id) : NULL;
	if (!wn || wn->note->len != doc->text.len ||
	    (doc->text.len && memcmp(wn->note->text, doc->text.ptr, doc->text.len) != 0))
		return;
	token_array toks = { 0 };
	frontmatter_tokens(&toks, ctx->ws, id, wn->note);
	body_tokens(&toks, ctx->ws, wn);
	if (toks.len > 1)
		qsort(toks.items, toks.len, sizeof(struct token), by_start);
	struct text_view v = document_view(doc);
	uint32_t end = 0;
	for (uint32_t i = 0; i < toks.len; i++) {
		/* Tokens may not overlap: the first one wins (none do today). */
		if (toks.items[i].start < end)
			continue;
		encode(e, &v, ctx->enc, &toks.items[i]);
		end = toks.items[i].end;
	}
	array_free(&toks);
}

static json_t *json_ints(const uint32_t *d, uint32_t n)
{
	json_t *a = json_array();
	for (uint32_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(d[i]));
	return a;
}

/* ---- the last result of each document, for deltas ---- */

struct last_result {
	char *uri;
	uint64_t id;
	uint32_t *data, len;
	int64_t version;   /* of the document it was computed for */
	bool affected;     /* a change elsewhere may have changed it */
	bool refreshed;    /* the client was asked for new tokens */
};

struct semantic_cache {
	ARRAY(struct last_result) docs;
	uint64_t next_id;
};

static struct last_result *last_of(struct feature_ctx *ctx, const char *uri)
{
	if (!ctx->tokens)
		return NULL;
	for (uint32_t i = 0; i < ctx->tokens->docs.len; i++)
		if (strcmp(ctx->tokens->docs.items[i].uri, uri) == 0)
			return &ctx->tokens->docs.items[i];
	return NULL;
}

/* Keeps data (taken) as the document's last result; returns its id. */
static json_t *remember(struct feature_ctx *ctx, const struct document *doc, uint32_t *data,
			uint32_t len)
{
	if (!ctx->tokens)
		ctx->tokens = xcalloc(1, sizeof(*ctx->tokens));
	struct last_result *last = last_of(ctx, doc->uri);
	if (!last) {
		array_push(&ctx->tokens->docs, ((struct last_result){ .uri = xstrdup(doc->uri) }));
		last = &ctx->tokens->docs.items[ctx->tokens->docs.len - 1];
	}
	free(last->data);
	last->id = ++ctx->tokens->next_id;
	last->data = data;
	last->len = len;
	last->version = doc->version;
	last->affected = last->refreshed = false;
	char buf[24];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)last->id);
	return json_string(buf);
}

void semantic_tokens_affected(struct feature_ctx *ctx, const struct document *doc)
{
	struct last_result *last = last_of(ctx, doc->uri);
	if (last)
		last->affected = true;
}

/*
 * The client asks again when it edits a document, not when a change
 * elsewhere (a note created, renamed, given an alias) makes a link of it
 * resolve differently: then it is asked to refresh, once, if it can be.
 * Only documents unedited since their last result are computed again (an
 * edited one is asked for anyway), and only when the index says they were
 * affected: not at every message.
 */
bool semantic_tokens_stale(struct feature_ctx *ctx)
{
	if (!ctx->tokens)
		return false;
	const json_t *st = json_object_get(json_object_get(ctx->caps, "workspace"), "semanticTokens");
	bool can = json_is_true(json_object_get(st, "refreshSupport"));
	bool stale = false;
	for (uint32_t i = 0; i < ctx->tokens->docs.len; i++) {
		struct last_result *last = &ctx->tokens->docs.items[i];
		if (!last->affected)
			continue;
		last->affected = false;
		const struct document *doc = documents_get(ctx->docs, last->uri);
		if (!can || last->refreshed || !doc || doc->version != last->version)
			continue;
		struct encoder e;
		document_tokens(ctx, doc, 0, UINT32_MAX, &e);
		if (e.data.len != last->len ||
		    (e.data.len && memcmp(e.data.items, last->data, e.data.len * sizeof(uint32_t))))
			last->refreshed = stale = true;
		array_free(&e.data);
	}
	return stale;
}

void semantic_tokens_forget(struct feature_ctx *ctx, const char *uri)
{
	struct last_result *last = last_of(ctx, uri);
	if (!last)
		return;
	free(last->uri);
	free(last->data);
	*last = ctx->tokens->docs.items[--ctx->tokens->docs.len];
}

void semantic_tokens_free(struct feature_ctx *ctx)
{
	if (!ctx->tokens)
		return;
	for (uint32_t i = 0; i < ctx->tokens->docs.len; i++) {
		free(ctx->tokens->docs.items[i].uri);
		free(ctx->tokens->docs.items[i].data);
	}
	array_free(&ctx->tokens->docs);
	free(ctx->tokens);
	ctx->tokens = NULL;
}

/* ---- the requests ---- */

void semantic_tokens_full(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct document *doc = feature_document(ctx, id, params);
	if (!doc)
		return;
	struct encoder e;
	document_tokens(ctx, doc, 0, UINT32_MAX, &e);
	json_t *data = json_ints(e.data.items, e.data.len);
	json_t *rid = remember(ctx, doc, e.data.items, e.data.len);
	channel_reply(ctx->ch, id, json_pack("{s:o, s:o}", "resultId", rid, "data", data));
}

/*
 * Against the result the client holds: one edit replacing what lies
 * between the tokens the two share at the start and at the end (whole
 * tokens, so that every edit starts on a token). A result we no longer
 * hold gets the whole array, as the protocol allows.
 */
void semantic_tokens_delta(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct document *doc = feature_document(ctx, id, params);
	if (!doc)
		return;
	const json_t *prev = json_object_get(params, "previousResultId");
	struct last_result *last = last_of(ctx, doc->uri);
	char *end = NULL;
	unsigned long long want = json_is_string(prev) ? strtoull(json_string_value(prev), &end, 10) : 0;
	bool known = last && end && !*end && end != json_string_value(prev) && want == last->id;

	struct encoder e;
	document_tokens(ctx, doc, 0, UINT32_MAX, &e);
	const uint32_t *nd = e.data.items;
	uint32_t nn = e.data.len;
	json_t *result;
	if (!known) {
		result = json_pack("{s:o}", "data", json_ints(nd, nn));
	} else {
		const uint32_t *od = last->data;
		uint32_t on = last->len, pre = 0, suf = 0;
		while (pre + 5 <= on && pre + 5 <= nn && memcmp(od + pre, nd + pre, 5 * sizeof(*od)) == 0)
			pre += 5;
		while (suf + 5 <= on - pre && suf + 5 <= nn - pre &&
		       memcmp(od + on - suf - 5, nd + nn - suf - 5, 5 * sizeof(*od)) == 0)
			suf += 5;
		json_t *edits = json_array();
		if (on - pre - suf || nn - pre - suf)
			json_array_append_new(edits, json_pack("{s:i, s:i, s:o}", "start", (int)pre,
				"deleteCount", (int)(on - pre - suf),
				"data", json_ints(nd + pre, nn - pre - suf)));
		result = json_pack("{s:o}", "edits", edits);
	}
	json_object_set_new(result, "resultId", remember(ctx, doc, e.data.items, e.data.len));
	channel_reply(ctx->ch, id, result);
}

/* The tokens meeting the range (a token partly inside counts: the
 * editor shows it), with no resultId: a range is never a delta's base. */
void semantic_tokens_range(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct document *doc = feature_document(ctx, id, params);
	if (!doc)
		return;
	struct text_view v = document_view(doc);
	uint32_t from, to;
	if (!json_get_range(json_object_get(params, "range"), &v, ctx->enc, &from, &to)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.range is required");
		return;
	}
	struct encoder e;
	document_tokens(ctx, doc, from, to, &e);
	channel_reply(ctx->ch, id, json_pack("{s:o}", "data", json_ints(e.data.items, e.data.len)));
	array_free(&e.data);
}
