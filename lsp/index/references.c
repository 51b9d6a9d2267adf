/* references.c — every place that names a note, a heading, a block or a
 * missing name (references.h): links by their resolution, the other
 * names by an index of the frontmatter values and With lines. */
#include "references.h"
#include "config.h"
#include "cursor.h"
#include "md_links.h"
#include "mentions.h"
#include "tags.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------- */
/* The names outside links: an index of sites by the name they look up */

struct site {
	struct span span;
	uint32_t key;             /* hash of its lookup key: most sites of a
				   * note name someone else, and are not
				   * resolved to find that out */
	uint8_t kind;             /* REF_FRONTMATTER, REF_WITH or REF_MDLINK */
};

struct site_list { struct site *items; uint32_t len, cap; };

struct sites {
	struct name_map *by_key;  /* resolve_lookup_key of a site -> notes */
	ARRAY(struct site_list) of; /* by note id */
};

/* A frontmatter scalar names a note as the cursor reads it: under a people
 * key, or written as a link under any key. */
static void fm_site(const struct note *n, const struct config *cfg, const char *key,
		    const struct yaml_node *v, struct site_list *out)
{
	if (v->type != YAML_SCALAR_NODE || !v->str)
		return;
	struct slice t = slice_trim(note_slice(n, v->span));
	bool link = t.len >= 4 && memcmp(t.ptr, "[[", 2) == 0;
	if (t.len && (link || config_is_people_key(cfg, key))) {
		struct site s = { v->span, 0, REF_FRONTMATTER };
		array_push(out, s);
	}
}

/* Markdown links to notes (md_links.h): their paths. */
static void md_sites(const struct note *n, struct site_list *out)
{
	struct md_link l;
	for (uint32_t from = n->body; md_links_next(n, &from, &l);) {
		struct site site = { l.path, 0, REF_MDLINK };
		array_push(out, site);
	}
}

static void find_sites(const struct note *n, const struct config *cfg, struct site_list *out)
{
	const struct yaml_node *fm = n->frontmatter;
	if (fm && n->has_frontmatter && fm->type == YAML_MAP_NODE) {
		for (uint32_t i = 0; i < fm->n; i++) {
			const struct yaml_node *v = &fm->items[i];
			fm_site(n, cfg, fm->keys[i], v, out);
			if (v->type == YAML_SEQ_NODE)
				for (uint32_t k = 0; k < v->n; k++)
					fm_site(n, cfg, fm->keys[i], &v->items[k], out);
		}
	}
	struct mention_list ms = { 0 };
	mentions_find_with(n, &ms);
	for (uint32_t i = 0; i < ms.len; i++) {
		struct site s = { ms.items[i].span, 0, REF_WITH };
		array_push(out, s);
	}
	array_free(&ms);
	md_sites(n, out);
}

/* What a site says: its target, subpath and whether a '#' was written;
 * a Markdown link's decoded into buf. */
static void site_ref(const struct note *n, const struct site *s, struct slice *target,
		     struct slice *subpath, bool *has_subpath, struct strbuf *buf)
{
	if (s->kind != REF_MDLINK) {
		cursor_split_ref(note_slice(n, s->span), target, subpath, has_subpath);
		return;
	}
	buf->len = 0;
	md_links_decode(note_slice(n, s->span), buf);
	size_t tl = buf->len;
	uint32_t e = span_end(s->span), q = e + 1;
	*has_subpath = e < n->len && n->text[e] == '#';
	if (*has_subpath) {
		while (q < n->len && n->text[q] != ')' && n->text[q] != '>' && n->text[q] != '\n')
			q++;
		md_links_decode((struct slice){ n->text + e + 1, q - e - 1 }, buf);
	}
	*target = (struct slice){ buf->ptr ? buf->ptr : "", tl };
	*subpath = (struct slice){ buf->ptr ? buf->ptr + tl : "", buf->len - tl };
}

static void index_sites(struct workspace *ws, uint32_t id, bool add)
{
	struct sites *st = ws->ext[WS_EXT_SITES].state;
	const struct ws_note *wn = ws->notes.items[id];
	while (st->of.len <= id) {
		struct site_list none = { 0 };
		array_push(&st->of, none);
	}
	struct site_list *list = &st->of.items[id];
	if (add) {
		list->len = 0;
		if (!wn->attachment)
			find_sites(wn->note, &ws->cfg, list);
	}
	struct strbuf tmp = { 0 }, buf = { 0 };
	for (uint32_t i = 0; i < list->len; i++) {
		struct slice target, subpath;
		bool has_subpath;
		site_ref(wn->note, &list->items[i], &target, &subpath, &has_subpath, &buf);
		struct slice key = resolve_lookup_key(target, &tmp);
		list->items[i].key = hash_fnv1a(HASH_FNV1A_SEED, key.ptr, key.len);
		if (!key.len)
			continue;
		if (add)
			name_map_add(st->by_key, key, id);
		else
			name_map_remove(st->by_key, key, id);
	}
	strbuf_fini(&tmp);
	strbuf_fini(&buf);
	if (!add)
		array_free(list);
}

static void free_sites(void *state)
{
	struct sites *st = state;
	name_map_free(st->by_key);
	for (uint32_t i = 0; i < st->of.len; i++)
		array_free(&st->of.items[i]);
	array_free(&st->of);
	free(st);
}

static struct sites *sites(struct workspace *ws)
{
	struct ws_ext *ext = &ws->ext[WS_EXT_SITES];
	if (!ext->state) {
		struct sites *st = xcalloc(1, sizeof(*st));
		st->by_key = name_map_new();
		*ext = (struct ws_ext){ st, index_sites, NULL, free_sites };
		for (uint32_t id = 0; id < ws->notes.len; id++)
			if (ws->notes.items[id])
				index_sites(ws, id, true);
	}
	return ext->state;
}

/* ---------------------------------------------------------------------- */
/* Matching */

static bool same_key(struct slice a, struct slice b)
{
	struct strbuf ta = { 0 }, tb = { 0 };
	struct slice ka = resolve_lookup_key(a, &ta);
	struct slice kb = resolve_lookup_key(b, &tb);
	bool same = ka.len && slice_eq(ka, kb);
	strbuf_fini(&ta);
	strbuf_fini(&tb);
	return same;
}

/* The hashes of the lookup keys a site naming t has: t's stem and
 * aliases (a note), or its name. */
struct keys { uint32_t items[8]; uint32_t len; bool all; };

static void push_key(struct keys *k, struct slice key)
{
	if (k->len == sizeof(k->items) / sizeof(*k->items))
		k->all = true; /* many aliases: resolve every site */
	else
		k->items[k->len++] = hash_fnv1a(HASH_FNV1A_SEED, key.ptr, key.len);
}

static void target_keys(const struct workspace *ws, const struct ref_target *t, struct keys *k)
{
	struct strbuf tmp = { 0 };
	k->len = 0;
	k->all = false;
	if (t->note < 0) {
		push_key(k, resolve_lookup_key(t->name, &tmp));
	} else {
		const struct ws_note *wn = ws->notes.items[t->note];
		push_key(k, resolve_lookup_key(slice_from_cstr(wn->stem), &tmp));
		for (uint32_t a = 0; a < wn->note->aliases.len; a++)
			push_key(k, resolve_lookup_key(name_maps_alias(wn->note, a), &tmp));
	}
	strbuf_fini(&tmp);
}

static bool may_name(const struct keys *k, uint32_t key)
{
	for (uint32_t i = 0; i < k->len; i++)
		if (k->items[i] == key)
			return true;
	return k->all;
}

/* Does a resolution (of a reference whose target is written `written`)
 * point at t? */
static bool points_at(const struct ref_target *t, const struct resolution *r, struct slice written)
{
	if (r->status == LINK_IGNORED)
		return false;
	if (t->note < 0)
		return r->note < 0 && same_key(t->name, written);
	return r->note == t->note && (t->heading < 0 || r->heading == t->heading) &&
	       (t->block < 0 || r->block == t->block);
}

static void push_ref(struct ref_list *out, uint32_t note, struct span span, enum ref_kind kind,
		     int32_t link)
{
	struct ref r = { note, span, (uint8_t)kind, link };
	array_push(out, r);
}

/* The references to t in note id, in position order: its links, then its
 * sites merged in. */
static void collect(struct workspace *ws, const struct ref_target *t, const struct keys *keys,
		    uint32_t id, struct ref_list *out)
{
	const struct ws_note *wn = ws->notes.items[id];
	if (!wn || wn->attachment)
		return;
	const struct note *n = wn->note;
	uint32_t first = out->len;
	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		if (points_at(t, &wn->res[i], note_slice(n, wikilink_target(l))))
			push_ref(out, id, l->span, REF_LINK, (int32_t)i);
	}
	struct sites *st = sites(ws);
	const struct site_list *list = id < st->of.len ? &st->of.items[id] : NULL;
	bool added = false;
	struct strbuf buf = { 0 };
	for (uint32_t i = 0; list && i < list->len; i++) {
		const struct site *s = &list->items[i];
		if (!may_name(keys, s->key))
			continue;
		struct slice target, subpath;
		bool has_subpath;
		site_ref(n, s, &target, &subpath, &has_subpath, &buf);
		if (!target.len)
			continue;
		struct resolution r = workspace_resolve(ws, (int32_t)id, target, subpath, has_subpath);
		/* A With name is a name, not a link: only an exact one counts,
		 * as for definition. */
		if (s->kind == REF_WITH && (t->note < 0 || r.status != LINK_RESOLVED))
			continue;
		if (points_at(t, &r, target)) {
			push_ref(out, id, s->span, (enum ref_kind)s->kind, -1);
			added = true;
		}
	}
	strbuf_fini(&buf);
	if (added) {
		/* Sites sit in the frontmatter (before every link), on With
		 * lines or in Markdown links (between them): an insertion sort
		 * of a short run. */
		for (uint32_t i = first + 1; i < out->len; i++) {
			struct ref r = out->items[i];
			uint32_t j = i;
			while (j > first && out->items[j - 1].span.start > r.span.start) {
				out->items[j] = out->items[j - 1];
				j--;
			}
			out->items[j] = r;
		}
	}
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The notes that may hold a reference to t, each once. */
static void candidates(struct workspace *ws, const struct ref_target *t, struct id_list *out)
{
	struct sites *st = sites(ws);
	struct strbuf tmp = { 0 };
	uint32_t n;
	const uint32_t *ids;
	if (t->note < 0) {
		struct slice key = resolve_lookup_key(t->name, &tmp);
		ids = name_map_get(backlinks_dangling_map(ws), key, &n);
		for (uint32_t i = 0; i < n; i++)
			array_push(out, ids[i]);
		ids = name_map_get(st->by_key, key, &n);
		for (uint32_t i = 0; i < n; i++)
			array_push(out, ids[i]);
	} else {
		const struct ws_note *wn = ws->notes.items[t->note];
		backlinks_sources(out, wn); /* its own [[#Heading]] links too */
		ids = name_map_get(st->by_key, resolve_lookup_key(slice_from_cstr(wn->stem), &tmp), &n);
		for (uint32_t i = 0; i < n; i++)
			array_push(out, ids[i]);
		for (uint32_t a = 0; a < wn->note->aliases.len; a++) {
			struct slice alias = name_maps_alias(wn->note, a);
			if (!alias.len)
				continue;
			ids = name_map_get(st->by_key, resolve_lookup_key(alias, &tmp), &n);
			for (uint32_t i = 0; i < n; i++)
				array_push(out, ids[i]);
		}
	}
	strbuf_fini(&tmp);
	if (out->len)
		qsort(out->items, out->len, sizeof(*out->items), cmp_id);
	uint32_t w = 0;
	for (uint32_t i = 0; i < out->len; i++)
		if (!w || out->items[w - 1] != out->items[i])
			out->items[w++] = out->items[i];
	out->len = w;
}

static const struct workspace *sort_ws;

static int cmp_path(const void *a, const void *b)
{
	const struct ws_note *x = sort_ws->notes.items[*(const uint32_t *)a];
	const struct ws_note *y = sort_ws->notes.items[*(const uint32_t *)b];
	return strcmp(x->abs, y->abs);
}

static void tag_refs(struct workspace *ws, const struct ref_target *t, int32_t only,
		     struct ref_list *out)
{
	struct tag_occurrences occ = { 0 };
	tags_occurrences(ws, t->name, true, &occ);
	for (uint32_t i = 0; i < occ.len; i++)
		if (only < 0 || occ.items[i].note == (uint32_t)only)
			push_ref(out, occ.items[i].note, occ.items[i].span, REF_TAG, -1);
	array_free(&occ);
}

void references_find(struct workspace *ws, const struct ref_target *t, struct ref_list *out)
{
	if (t->tag) {
		tag_refs(ws, t, -1, out);
		return;
	}
	struct id_list ids = { 0 };
	candidates(ws, t, &ids);
	/* One workspace thread: the comparison's context can be a static. */
	sort_ws = ws;
	if (ids.len)
		qsort(ids.items, ids.len, sizeof(*ids.items), cmp_path);
	sort_ws = NULL;
	struct keys keys;
	target_keys(ws, t, &keys);
	for (uint32_t i = 0; i < ids.len; i++)
		collect(ws, t, &keys, ids.items[i], out);
	array_free(&ids);
}

void references_in_note(struct workspace *ws, const struct ref_target *t, uint32_t id,
			struct ref_list *out)
{
	if (t->tag) {
		tag_refs(ws, t, (int32_t)id, out);
		return;
	}
	struct keys keys;
	target_keys(ws, t, &keys);
	collect(ws, t, &keys, id, out);
}

uint32_t references_count(struct workspace *ws, const struct ref_target *t)
{
	struct ref_list refs = { 0 };
	references_find(ws, t, &refs);
	uint32_t n = refs.len;
	array_free(&refs);
	return n;
}

/* ---------------------------------------------------------------------- */
/* What a position refers to */

static bool within(struct span s, uint32_t offset)
{
	return offset >= s.start && offset <= span_end(s);
}

/* The note's title heading: a level-1 heading whose text is its name
 * (stem or title), folded. */
static int32_t title_heading(const struct ws_note *wn)
{
	struct strbuf a = { 0 }, b = { 0 }, c = { 0 };
	int32_t found = -1;
	names_fold(slice_from_cstr(wn->stem), &b);
	names_fold(slice_from_cstr(wn->title), &c);
	for (uint32_t i = 0; i < wn->note->headings.len && found < 0; i++) {
		const struct heading *h = &wn->note->headings.items[i];
		if (h->level != 1)
			continue;
		a.len = 0;
		names_fold(slice_trim(slice_from_cstr(h->text)), &a);
		struct slice f = { a.ptr ? a.ptr : "", a.len };
		if (slice_eq(f, (struct slice){ b.ptr ? b.ptr : "", b.len }) ||
		    slice_eq(f, (struct slice){ c.ptr ? c.ptr : "", c.len }))
			found = (int32_t)i;
	}
	strbuf_fini(&a);
	strbuf_fini(&b);
	strbuf_fini(&c);
	return found;
}

/* A reference as written, resolved from note id: into *out. */
static bool target_of(struct workspace *ws, uint32_t id, struct slice target, struct slice subpath,
		      bool has_subpath, bool exact_only, struct ref_target *out)
{
	struct resolution r = workspace_resolve(ws, (int32_t)id, target, subpath, has_subpath);
	if (r.status == LINK_IGNORED)
		return false;
	if (r.note < 0) {
		if (exact_only || !resolve_clean_target(target).len)
			return false;
		*out = (struct ref_target){ -1, -1, -1, target, false };
		return true;
	}
	if (exact_only && r.status != LINK_RESOLVED)
		return false;
	*out = (struct ref_target){ r.note, r.heading, r.block, { 0 }, false };
	return true;
}

bool references_target_at(struct workspace *ws, uint32_t id, uint32_t offset,
			  struct ref_target *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || wn->attachment)
		return false;
	const struct note *n = wn->note;
	struct cursor c = cursor_at(n, &ws->cfg, offset);
	switch (c.kind) {
	case CURSOR_LINK:
	case CURSOR_FM_REF:
		return target_of(ws, id, c.target, c.subpath, c.has_subpath, false, out);
	case CURSOR_MENTION:
		/* A name in prose means someone only when it is exactly a name:
		 * With-line names and runs alike. */
		return target_of(ws, id, c.target, c.subpath, false, true, out);
	case CURSOR_TAG:
		*out = (struct ref_target){ -1, -1, -1, c.target, true };
		return c.target.len > 0;
	case CURSOR_MDLINK: {
		/* Decoded, and only when it names a note: the decoded name
		 * would not outlive this call. */
		struct strbuf path = { 0 }, sub = { 0 };
		md_links_decode(c.target, &path);
		md_links_decode(c.subpath, &sub);
		struct resolution r = workspace_resolve(ws, (int32_t)id,
			(struct slice){ path.ptr ? path.ptr : "", path.len },
			(struct slice){ sub.ptr ? sub.ptr : "", sub.len }, c.has_subpath);
		strbuf_fini(&path);
		strbuf_fini(&sub);
		if (r.note < 0 || r.status == LINK_IGNORED)
			return false;
		*out = (struct ref_target){ r.note, r.heading, r.block, { 0 }, false };
		return true;
	}
	case CURSOR_FM_SELF:
	case CURSOR_NOTHING:
		break;
	}
	*out = (struct ref_target){ (int32_t)id, -1, -1, { 0 }, false };
	if (c.kind == CURSOR_FM_SELF)
		return true;
	for (uint32_t i = 0; i < n->blocks.len; i++)
		if (within(n->blocks.items[i].span, offset)) {
			out->block = (int32_t)i;
			return true;
		}
	for (uint32_t i = 0; i < n->headings.len; i++)
		if (within(n->headings.items[i].line, offset)) {
			if ((int32_t)i != title_heading(wn))
				out->heading = (int32_t)i;
			return true;
		}
	return true;
}

void references_declaration(struct workspace *ws, const struct ref_target *t, int32_t *note,
			    struct span *span)
{
	*note = t->note;
	*span = (struct span){ 0, 0 };
	const struct ws_note *wn = t->note >= 0 ? workspace_get(ws, (uint32_t)t->note) : NULL;
	if (!wn) {
		*note = -1;
		return;
	}
	if (t->heading >= 0) {
		*span = wn->note->headings.items[t->heading].line;
	} else if (t->block >= 0) {
		*span = wn->note->blocks.items[t->block].span;
	} else if (!wn->attachment) {
		int32_t h = title_heading(wn);
		if (h >= 0)
			*span = wn->note->headings.items[h].line;
	}
}
