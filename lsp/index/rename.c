/* rename.c — the edits that rename a note, heading, block or alias, or
 * follow moved files, with every link still meaning what it meant
 * (rename.h). Links are rewritten from where they point after the change:
 * the notes' paths once the moves are made. */
#include "rename.h"
#include "cursor.h"
#include "references.h"
#include "workspace_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct moved {
	uint32_t id;
	char *rel;   /* vault-relative, after the move */
};

struct planner {
	struct workspace *ws;
	struct rename_plan *out;
	ARRAY(struct moved) moved;
	struct strbuf a, b;   /* scratch */
};

static void refuse(struct rename_plan *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(p->error);
	p->error = xstrdup(buf);
}

static void add_edit(struct planner *pl, uint32_t note, struct span span, const char *text, size_t len)
{
	struct rename_edit e = { note, span, xstrndup(text, len) };
	array_push(&pl->out->edits, e);
}

/* ---------------------------------------------------------------------- */
/* Paths after the moves */

static const char *post_rel(const struct planner *pl, uint32_t id)
{
	for (uint32_t i = 0; i < pl->moved.len; i++)
		if (pl->moved.items[i].id == id)
			return pl->moved.items[i].rel;
	return pl->ws->notes.items[id]->rel;
}

static bool is_moved(const struct planner *pl, uint32_t id)
{
	for (uint32_t i = 0; i < pl->moved.len; i++)
		if (pl->moved.items[i].id == id)
			return true;
	return false;
}

/* A path as links name it: a note's without ".md", an attachment's whole. */
static struct slice link_path(const struct workspace *ws, uint32_t id, const char *rel)
{
	size_t n = strlen(rel);
	if (!ws->notes.items[id]->attachment && n >= 3 && strcasecmp(rel + n - 3, ".md") == 0)
		n -= 3;
	return (struct slice){ rel, n };
}

static struct slice last_component(struct slice p)
{
	const char *s = p.ptr + p.len;
	while (s > p.ptr && s[-1] != '/')
		s--;
	return (struct slice){ s, (size_t)(p.ptr + p.len - s) };
}

/* The notes whose stem, after the moves, folds to `stem` (folded). */
static void post_namesakes(struct planner *pl, struct slice stem, struct id_list *out)
{
	uint32_t n;
	const uint32_t *ids = name_map_get(pl->ws->by_stem, stem, &n);
	for (uint32_t i = 0; i < n; i++)
		if (!is_moved(pl, ids[i]))
			array_push(out, ids[i]);
	struct strbuf f = { 0 };
	for (uint32_t i = 0; i < pl->moved.len; i++) {
		const struct moved *m = &pl->moved.items[i];
		struct slice s = name_maps_fold(last_component(link_path(pl->ws, m->id, m->rel)), &f);
		if (slice_eq(s, stem))
			array_push(out, m->id);
	}
	strbuf_fini(&f);
}

/* Does `suffix` (a path or stem, as a link writes it) name note id alone
 * once the moves are made? */
static bool names_only(struct planner *pl, uint32_t id, struct slice suffix)
{
	struct strbuf fs = { 0 }, fp = { 0 }, stem = { 0 };
	struct slice want = name_maps_fold(suffix, &fs);
	struct slice st = last_component(want);
	strbuf_put(&stem, st.ptr, st.len);
	struct id_list c = { 0 };
	post_namesakes(pl, (struct slice){ stem.ptr ? stem.ptr : "", stem.len }, &c);
	uint32_t hits = 0;
	bool self = false;
	for (uint32_t i = 0; i < c.len; i++) {
		struct slice p = name_maps_fold(link_path(pl->ws, c.items[i], post_rel(pl, c.items[i])), &fp);
		if (p.len >= want.len && memcmp(p.ptr + p.len - want.len, want.ptr, want.len) == 0 &&
		    (p.len == want.len || p.ptr[p.len - want.len - 1] == '/')) {
			hits++;
			self |= c.items[i] == id;
		}
	}
	array_free(&c);
	strbuf_fini(&fs);
	strbuf_fini(&fp);
	strbuf_fini(&stem);
	return self && hits == 1;
}

/* The target a link to note id should write once the moves are made: its
 * stem, or the shortest path ending (with a folder when with_path) that
 * names it alone; its whole path when whole. Into out. */
static void target_for(struct planner *pl, uint32_t id, bool with_path, bool whole, struct strbuf *out)
{
	struct slice p = link_path(pl->ws, id, post_rel(pl, id));
	out->len = 0;
	if (!whole) {
		const char *s = p.ptr + p.len;
		bool folder = false;
		while (s > p.ptr) {
			s--;
			while (s > p.ptr && s[-1] != '/')
				s--;
			struct slice cand = { s, (size_t)(p.ptr + p.len - s) };
			if ((folder || !with_path) && names_only(pl, id, cand)) {
				strbuf_put(out, cand.ptr, cand.len);
				return;
			}
			folder = true;
			if (s > p.ptr)
				s--; /* past the '/' */
			else
				break;
		}
	}
	strbuf_put(out, p.ptr, p.len);
}

/* ---------------------------------------------------------------------- */
/* Rewriting what names a note */

static bool ends_md(struct slice t)
{
	return t.len >= 3 && slice_eq_nocase((struct slice){ t.ptr + t.len - 3, 3 }, SLICE_LIT(".md"));
}

static struct span span_in(const struct note *n, struct slice s)
{
	return (struct span){ (uint32_t)(s.ptr - n->text), (uint32_t)s.len };
}

/* A link target (as written in note `from`) that means note id: written
 * again for where id is after the moves, in the same style. */
static void relink(struct planner *pl, uint32_t from, struct slice written, uint32_t id)
{
	const struct note *n = pl->ws->notes.items[from]->note;
	struct slice t = slice_trim(written);
	bool md = ends_md(t) && !pl->ws->notes.items[id]->attachment;
	struct slice bare = md ? (struct slice){ t.ptr, t.len - 3 } : t;
	bool relative = (bare.len >= 2 && memcmp(bare.ptr, "./", 2) == 0) ||
			(bare.len >= 3 && memcmp(bare.ptr, "../", 3) == 0);
	bool path = memchr(bare.ptr, '/', bare.len) != NULL;
	/* Written as its whole path (from the root): kept whole. */
	struct slice before = link_path(pl->ws, id, pl->ws->notes.items[id]->rel);
	bool whole = relative || (path && slice_eq_nocase(bare, before));
	target_for(pl, id, path, whole, &pl->a);
	if (md)
		strbuf_puts(&pl->a, ".md");
	if (!slice_eq((struct slice){ pl->a.ptr, pl->a.len }, t))
		add_edit(pl, from, span_in(n, t), pl->a.ptr, pl->a.len);
}

/* Characters that make a plain YAML scalar something else. */
static bool needs_quotes(const char *s)
{
	if (!*s || strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) || s[strlen(s) - 1] == ' ')
		return true;
	return strstr(s, ": ") || strstr(s, " #") || strpbrk(s, ",[]{}\"'\n");
}

/* A frontmatter scalar's value (span without quotes) replaced by name,
 * quoted as the YAML needs. */
static void set_scalar(struct planner *pl, uint32_t id, const struct yaml_node *v, const char *name)
{
	const struct note *n = pl->ws->notes.items[id]->note;
	struct strbuf *b = &pl->b;
	b->len = 0;
	char quote = v->quoted && v->span.start > 0 ? n->text[v->span.start - 1] : 0;
	if (quote == '\'') {
		for (const char *c = name; *c; c++) {
			if (*c == '\'')
				strbuf_putc(b, '\'');
			strbuf_putc(b, *c);
		}
	} else if (quote == '"' || needs_quotes(name)) {
		if (quote != '"')
			strbuf_putc(b, '"');
		for (const char *c = name; *c; c++) {
			if (*c == '"' || *c == '\\')
				strbuf_putc(b, '\\');
			strbuf_putc(b, *c);
		}
		if (quote != '"')
			strbuf_putc(b, '"');
	} else {
		strbuf_puts(b, name);
	}
	add_edit(pl, id, v->span, b->ptr, b->len);
}

/* The frontmatter scalar whose value starts at `start`, or NULL. */
static const struct yaml_node *scalar_at(const struct note *n, uint32_t start)
{
	const struct yaml_node *fm = n->frontmatter;
	if (!fm || fm->type != YAML_MAP_NODE)
		return NULL;
	for (uint32_t i = 0; i < fm->n; i++) {
		const struct yaml_node *v = &fm->items[i];
		if (v->type == YAML_SCALAR_NODE && v->span.start == start)
			return v;
		for (uint32_t k = 0; v->type == YAML_SEQ_NODE && k < v->n; k++)
			if (v->items[k].type == YAML_SCALAR_NODE && v->items[k].span.start == start)
				return &v->items[k];
	}
	return NULL;
}

/* [[Alias]] -> [[Stem|Alias]], subpath and display kept: a link through
 * an alias that must name its note (yid) by a name that cannot change
 * meaning. */
static void pin(struct planner *pl, uint32_t from_id, int32_t link, uint32_t yid)
{
	const struct ws_note *from = pl->ws->notes.items[from_id];
	const struct wikilink *l = &from->note->links.items[link];
	struct slice written = slice_trim(note_slice(from->note, wikilink_target(l)));
	target_for(pl, yid, false, false, &pl->a);
	struct strbuf *b = &pl->b;
	b->len = 0;
	strbuf_put(b, pl->a.ptr, pl->a.len);
	struct span sub = wikilink_subpath(l), disp = wikilink_display(l);
	if (l->has_subpath) {
		strbuf_putc(b, '#');
		strbuf_put(b, from->note->text + sub.start, sub.len);
	}
	strbuf_putc(b, '|');
	if (l->has_display)
		strbuf_put(b, from->note->text + disp.start, disp.len);
	else
		strbuf_put(b, written.ptr, written.len);
	struct span t0 = wikilink_target(l);
	uint32_t end = l->has_display ? span_end(disp) : l->has_subpath ? span_end(sub) : span_end(t0);
	add_edit(pl, from_id, (struct span){ t0.start, end - t0.start }, b->ptr, b->len);
}

/* Every reference to moved note id, written again; plain names (people
 * values, With names) only when its stem changes to new_stem. */
static void follow(struct planner *pl, uint32_t id, const char *new_stem)
{
	struct workspace *ws = pl->ws;
	struct ref_target t = { (int32_t)id, -1, -1, { 0 } };
	struct ref_list refs = { 0 };
	references_find(ws, &t, &refs);
	for (uint32_t i = 0; i < refs.len; i++) {
		const struct ref *r = &refs.items[i];
		const struct ws_note *from = ws->notes.items[r->note];
		const struct note *n = from->note;
		struct slice target, subpath;
		bool has_subpath;
		if (r->kind == REF_LINK) {
			/* Through an alias: stays, unless the alias is shared
			 * and the choice between its notes may change. */
			if (from->res[r->link].via_alias) {
				if (from->res[r->link].ambiguous)
					pin(pl, r->note, r->link, id);
				continue;
			}
			relink(pl, r->note, note_slice(n, wikilink_target(&n->links.items[r->link])), id);
			continue;
		}
		cursor_split_ref(note_slice(n, r->span), &target, &subpath, &has_subpath);
		struct resolution res = workspace_resolve(ws, (int32_t)r->note, target, subpath, has_subpath);
		if (res.via_alias)
			continue;
		struct slice value = slice_trim(note_slice(n, r->span));
		bool link = value.len >= 2 && memcmp(value.ptr, "[[", 2) == 0;
		if (link || memchr(target.ptr, '/', target.len)) {
			relink(pl, r->note, target, id);
		} else if (new_stem) {
			const struct yaml_node *v = r->kind == REF_FRONTMATTER ? scalar_at(n, r->span.start) : NULL;
			if (v && slice_eq(slice_trim(note_slice(n, v->span)), target))
				set_scalar(pl, r->note, v, new_stem);
			else
				add_edit(pl, r->note, span_in(n, target), new_stem, strlen(new_stem));
		}
	}
	array_free(&refs);
}

/* Links to other notes that share a moved note's new stem (or have it as
 * an alias) would mean the moved note afterwards: given a path, or their
 * note's stem with the alias as display text. */
static void keep_namesakes(struct planner *pl, struct slice new_stem)
{
	struct workspace *ws = pl->ws;
	struct strbuf f = { 0 };
	struct slice key = name_maps_fold(new_stem, &f);
	struct id_list ys = { 0 };
	uint32_t n;
	const uint32_t *ids = name_map_get(ws->by_stem, key, &n);
	for (uint32_t i = 0; i < n; i++)
		array_push(&ys, ids[i]);
	ids = name_map_get(ws->by_alias, key, &n);
	for (uint32_t i = 0; i < n; i++)
		array_push(&ys, ids[i]);
	for (uint32_t y = 0; y < ys.len; y++) {
		uint32_t yid = ys.items[y];
		if (is_moved(pl, yid) || (y && ys.items[y - 1] == yid))
			continue;
		struct ref_target t = { (int32_t)yid, -1, -1, { 0 } };
		struct ref_list refs = { 0 };
		references_find(ws, &t, &refs);
		for (uint32_t i = 0; i < refs.len; i++) {
			const struct ref *r = &refs.items[i];
			const struct ws_note *from = ws->notes.items[r->note];
			if (r->kind != REF_LINK) {
				/* A frontmatter link ("[[Y]]"): given a path if it
				 * needs one. (Names written plain were refused.) */
				struct slice target, subpath;
				bool has;
				cursor_split_ref(note_slice(from->note, r->span), &target, &subpath, &has);
				struct slice v = slice_trim(note_slice(from->note, r->span));
				struct strbuf g = { 0 };
				bool named = v.len >= 2 && memcmp(v.ptr, "[[", 2) == 0 &&
					     slice_eq(name_maps_fold(last_component(target), &g), key);
				strbuf_fini(&g);
				if (named && !names_only(pl, yid, target))
					relink(pl, r->note, target, yid);
				continue;
			}
			const struct wikilink *l = &from->note->links.items[r->link];
			struct slice written = slice_trim(note_slice(from->note, wikilink_target(l)));
			struct slice bare = ends_md(written) ? (struct slice){ written.ptr, written.len - 3 } : written;
			struct strbuf g = { 0 };
			bool named = slice_eq(name_maps_fold(last_component(bare), &g), key);
			strbuf_fini(&g);
			if (!named)
				continue;
			if (!from->res[r->link].via_alias) {
				if (!names_only(pl, yid, bare))
					relink(pl, r->note, written, yid);
				continue;
			}
			pin(pl, r->note, r->link, yid);
		}
		array_free(&refs);
	}
	array_free(&ys);
	strbuf_fini(&f);
}

/* How many frontmatter values and With-line names call note id by the
 * name `key` (folded), written plain: no path can be added to those. */
static uint32_t plain_names(struct workspace *ws, uint32_t id, struct slice key)
{
	struct ref_target t = { (int32_t)id, -1, -1, { 0 } };
	struct ref_list refs = { 0 };
	references_find(ws, &t, &refs);
	uint32_t n = 0;
	struct strbuf g = { 0 };
	for (uint32_t i = 0; i < refs.len; i++) {
		const struct ref *r = &refs.items[i];
		if (r->kind == REF_LINK)
			continue;
		const struct note *fn = ws->notes.items[r->note]->note;
		struct slice v = slice_trim(note_slice(fn, r->span));
		if (v.len >= 2 && memcmp(v.ptr, "[[", 2) == 0)
			continue;
		struct slice target, subpath;
		bool has;
		cursor_split_ref(v, &target, &subpath, &has);
		n += slice_eq(name_maps_fold(target, &g), key);
	}
	strbuf_fini(&g);
	array_free(&refs);
	return n;
}

/* ---------------------------------------------------------------------- */
/* Names the user may type */

static bool forbidden(const char *s, const char *chars)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || strchr(chars, *c))
			return true;
	return false;
}

static int cmp_edits(const void *a, const void *b)
{
	const struct rename_edit *x = a, *y = b;
	if (x->note != y->note)
		return x->note < y->note ? -1 : 1;
	if (x->span.start != y->span.start)
		return x->span.start < y->span.start ? -1 : 1;
	return 0;
}

/* Sorted, each place once (a link found twice is edited once). */
static void finish(struct planner *pl)
{
	struct rename_plan *p = pl->out;
	if (p->edits.len)
		qsort(p->edits.items, p->edits.len, sizeof(*p->edits.items), cmp_edits);
	uint32_t w = 0;
	for (uint32_t i = 0; i < p->edits.len; i++) {
		if (w && cmp_edits(&p->edits.items[w - 1], &p->edits.items[i]) == 0) {
			free(p->edits.items[i].text);
			continue;
		}
		p->edits.items[w++] = p->edits.items[i];
	}
	p->edits.len = w;
	for (uint32_t i = 0; i < pl->moved.len; i++)
		free(pl->moved.items[i].rel);
	array_free(&pl->moved);
	strbuf_fini(&pl->a);
	strbuf_fini(&pl->b);
}

static void add_move(struct planner *pl, uint32_t id, const char *new_rel)
{
	const struct ws_note *wn = pl->ws->notes.items[id];
	struct moved m = { id, xstrdup(new_rel) };
	array_push(&pl->moved, m);
	size_t root = strlen(wn->abs) - strlen(wn->rel);
	struct strbuf abs = { 0 };
	strbuf_put(&abs, wn->abs, root);
	strbuf_puts(&abs, new_rel);
	struct rename_move mv = { id, xstrdup(wn->abs), strbuf_detach(&abs) };
	array_push(&pl->out->moves, mv);
}

/* ---------------------------------------------------------------------- */

static void rename_note(struct planner *pl, uint32_t id, const char *typed)
{
	struct workspace *ws = pl->ws;
	const struct ws_note *wn = ws->notes.items[id];
	struct rename_plan *p = pl->out;
	if (wn->attachment) {
		refuse(p, "'%s' is an attachment: rename it in the file explorer, and its links follow",
		       wn->stem);
		return;
	}
	struct strbuf name = { 0 };
	struct slice t = slice_trim(slice_from_cstr(typed));
	if (ends_md(t))
		t.len -= 3;
	strbuf_put(&name, t.ptr, t.len);
	const char *stem = name.ptr ? name.ptr : "";
	if (!*stem)
		refuse(p, "a note's name cannot be empty");
	else if (forbidden(stem, "/\\#|^[]:*\"<>?"))
		refuse(p, "'%s' cannot name a note: links cannot hold / \\ # | ^ [ ] : * \" < > ? "
			  "or control characters", stem);
	else if (strcmp(stem, wn->stem) == 0)
		refuse(p, "the note is already named '%s'", stem);
	if (p->error) {
		strbuf_fini(&name);
		return;
	}
	size_t dir = strlen(wn->rel) - strlen(wn->stem) - 3;
	struct strbuf rel = { 0 };
	strbuf_put(&rel, wn->rel, dir);
	strbuf_puts(&rel, stem);
	strbuf_puts(&rel, ".md");
	/* Another file there (in any case: not every disk tells them apart). */
	for (uint32_t i = 0; i < ws->notes.len; i++) {
		const struct ws_note *o = ws->notes.items[i];
		if (o && i != id && strcasecmp(o->rel, rel.ptr) == 0) {
			refuse(p, "'%s' already exists", o->rel);
			break;
		}
	}
	/* A name another note has: links can be given paths, but names in
	 * frontmatter values and With lines cannot, and would mean either. */
	struct strbuf kf = { 0 }, of = { 0 };
	struct slice key = name_maps_fold(slice_from_cstr(stem), &kf);
	struct slice old_key = name_maps_fold(slice_from_cstr(wn->stem), &of);
	uint32_t n_same;
	const uint32_t *same = p->error ? NULL : name_map_get(ws->by_stem, key, &n_same);
	for (uint32_t i = 0; same && i < n_same && !p->error; i++) {
		if (same[i] == id)
			continue;
		uint32_t plain = plain_names(ws, same[i], key) + plain_names(ws, id, old_key);
		if (plain)
			refuse(p, "'%s' is also %s, and %u frontmatter value%s or With-line name%s written "
				  "without a path would then mean either note",
			       stem, ws->notes.items[same[i]]->rel, plain, plain == 1 ? "" : "s",
			       plain == 1 ? "" : "s");
	}
	strbuf_fini(&kf);
	strbuf_fini(&of);
	if (!p->error) {
		add_move(pl, id, rel.ptr);
		follow(pl, id, stem);
		keep_namesakes(pl, slice_from_cstr(stem));
		/* Its own name: and title:, and its title heading, when they
		 * were its old name. */
		struct strbuf f = { 0 }, g = { 0 };
		struct slice old = name_maps_fold(slice_from_cstr(wn->stem), &f);
		const struct yaml_node *own[] = { wn->note->name, wn->note->title };
		for (int k = 0; k < 2; k++)
			if (own[k] && own[k]->type == YAML_SCALAR_NODE && own[k]->str &&
			    slice_eq(name_maps_fold(slice_trim(slice_from_cstr(own[k]->str)), &g), old))
				set_scalar(pl, id, own[k], stem);
		for (uint32_t h = 0; h < wn->note->headings.len; h++) {
			const struct heading *hd = &wn->note->headings.items[h];
			if (hd->level == 1 &&
			    slice_eq(name_maps_fold(slice_trim(slice_from_cstr(hd->text)), &g), old)) {
				add_edit(pl, id, hd->title, stem, strlen(stem));
				break;
			}
		}
		strbuf_fini(&f);
		strbuf_fini(&g);
	}
	strbuf_fini(&rel);
	strbuf_fini(&name);
}

/* The last '#'-part of a subpath: the heading it names. */
static struct span last_part(const struct note *n, struct span sub)
{
	uint32_t s = span_end(sub);
	while (s > sub.start && n->text[s - 1] != '#')
		s--;
	struct slice part = slice_trim((struct slice){ n->text + s, span_end(sub) - s });
	return span_in(n, part);
}

static void rename_heading(struct planner *pl, uint32_t id, int32_t h, const char *typed)
{
	struct workspace *ws = pl->ws;
	const struct note *n = ws->notes.items[id]->note;
	struct slice t = slice_trim(slice_from_cstr(typed));
	struct strbuf name = { 0 }, f = { 0 }, g = { 0 };
	strbuf_put(&name, t.ptr, t.len);
	const char *text = name.ptr ? name.ptr : "";
	if (!*text)
		refuse(pl->out, "a heading cannot be empty");
	else if (forbidden(text, "#|^[]"))
		refuse(pl->out, "'%s' cannot be a heading links name: no # | ^ [ ] or control characters",
		       text);
	else if (strcmp(text, n->headings.items[h].text) == 0)
		refuse(pl->out, "the heading is already '%s'", text);
	for (uint32_t i = 0; !pl->out->error && i < n->headings.len; i++)
		if ((int32_t)i != h &&
		    slice_eq(name_maps_fold(slice_from_cstr(n->headings.items[i].text), &f),
			     name_maps_fold(t, &g)))
			refuse(pl->out, "the note has a heading '%s' already", n->headings.items[i].text);
	if (!pl->out->error) {
		add_edit(pl, id, n->headings.items[h].title, text, strlen(text));
		struct ref_target tg = { (int32_t)id, h, -1, { 0 } };
		struct ref_list refs = { 0 };
		references_find(ws, &tg, &refs);
		for (uint32_t i = 0; i < refs.len; i++) {
			const struct ref *r = &refs.items[i];
			const struct note *fn = ws->notes.items[r->note]->note;
			struct slice target, subpath;
			bool has;
			if (r->kind == REF_LINK)
				subpath = note_slice(fn, wikilink_subpath(&fn->links.items[r->link]));
			else
				cursor_split_ref(note_slice(fn, r->span), &target, &subpath, &has);
			add_edit(pl, r->note, last_part(fn, span_in(fn, subpath)), text, strlen(text));
		}
		array_free(&refs);
	}
	strbuf_fini(&name);
	strbuf_fini(&f);
	strbuf_fini(&g);
}

static void rename_block(struct planner *pl, uint32_t id, int32_t b, const char *typed)
{
	struct workspace *ws = pl->ws;
	const struct note *n = ws->notes.items[id]->note;
	struct slice t = slice_trim(slice_from_cstr(typed));
	if (t.len && t.ptr[0] == '^') {
		t.ptr++;
		t.len--;
	}
	bool ok = t.len > 0;
	for (size_t i = 0; i < t.len; i++)
		ok &= (t.ptr[i] >= 'a' && t.ptr[i] <= 'z') || (t.ptr[i] >= 'A' && t.ptr[i] <= 'Z') ||
		      (t.ptr[i] >= '0' && t.ptr[i] <= '9') || t.ptr[i] == '-';
	if (!ok) {
		refuse(pl->out, "a block id is letters, digits and '-' only");
		return;
	}
	for (uint32_t i = 0; i < n->blocks.len; i++)
		if (slice_eq_nocase(note_slice(n, n->blocks.items[i].id), t)) {
			refuse(pl->out, (int32_t)i == b ? "the block is already ^%.*s"
							: "the note has a block ^%.*s already",
			       (int)t.len, t.ptr);
			return;
		}
	add_edit(pl, id, n->blocks.items[b].id, t.ptr, t.len);
	struct ref_target tg = { (int32_t)id, -1, b, { 0 } };
	struct ref_list refs = { 0 };
	references_find(ws, &tg, &refs);
	for (uint32_t i = 0; i < refs.len; i++) {
		const struct ref *r = &refs.items[i];
		const struct note *fn = ws->notes.items[r->note]->note;
		struct slice target, subpath;
		bool has;
		if (r->kind == REF_LINK)
			subpath = note_slice(fn, wikilink_subpath(&fn->links.items[r->link]));
		else
			cursor_split_ref(note_slice(fn, r->span), &target, &subpath, &has);
		struct slice s = slice_trim(subpath);
		if (s.len && s.ptr[0] == '^')
			add_edit(pl, r->note, span_in(fn, (struct slice){ s.ptr + 1, s.len - 1 }), t.ptr, t.len);
	}
	array_free(&refs);
}

static void rename_alias(struct planner *pl, uint32_t id, int32_t a, const char *typed)
{
	struct workspace *ws = pl->ws;
	const struct ws_note *wn = ws->notes.items[id];
	struct slice t = slice_trim(slice_from_cstr(typed));
	struct strbuf name = { 0 }, f = { 0 }, g = { 0 };
	strbuf_put(&name, t.ptr, t.len);
	const char *text = name.ptr ? name.ptr : "";
	struct slice old = name_maps_alias(wn->note, (uint32_t)a);
	if (!*text)
		refuse(pl->out, "an alias cannot be empty");
	else if (forbidden(text, "#|^[]"))
		refuse(pl->out, "'%s' cannot be an alias links use: no # | ^ [ ] or control characters",
		       text);
	else if (slice_eq(old, t))
		refuse(pl->out, "the alias is already '%s'", text);
	for (uint32_t i = 0; !pl->out->error && i < wn->note->aliases.len; i++)
		if ((int32_t)i != a && slice_eq(name_maps_fold(name_maps_alias(wn->note, i), &f),
						name_maps_fold(t, &g)))
			refuse(pl->out, "'%s' is an alias of the note already", text);
	if (!pl->out->error) {
		set_scalar(pl, id, wn->note->aliases.items[a], text);
		struct ref_target tg = { (int32_t)id, -1, -1, { 0 } };
		struct ref_list refs = { 0 };
		references_find(ws, &tg, &refs);
		struct slice folded_old = name_maps_fold(old, &f);
		for (uint32_t i = 0; i < refs.len; i++) {
			const struct ref *r = &refs.items[i];
			const struct ws_note *from = ws->notes.items[r->note];
			if (r->kind != REF_LINK) {
				/* A people value or With name written as the alias. */
				struct slice target, subpath;
				bool has;
				cursor_split_ref(note_slice(from->note, r->span), &target, &subpath, &has);
				struct resolution res = workspace_resolve(ws, (int32_t)r->note, target,
									  subpath, has);
				if (!res.via_alias || res.alias != a)
					continue;
				const struct yaml_node *v = r->kind == REF_FRONTMATTER
								    ? scalar_at(from->note, r->span.start) : NULL;
				if (v && slice_eq(slice_trim(note_slice(from->note, v->span)), target))
					set_scalar(pl, r->note, v, text);
				else
					add_edit(pl, r->note, span_in(from->note, target), text, strlen(text));
				continue;
			}
			const struct wikilink *l = &from->note->links.items[r->link];
			const struct resolution *res = &from->res[r->link];
			if (res->via_alias && res->alias == a)
				add_edit(pl, r->note, wikilink_target(l), text, strlen(text));
			struct slice d = note_slice(from->note, wikilink_display(l));
			if (l->has_display && slice_eq(name_maps_fold(slice_trim(d), &g), folded_old))
				add_edit(pl, r->note, span_in(from->note, slice_trim(d)), text, strlen(text));
		}
		array_free(&refs);
	}
	strbuf_fini(&name);
	strbuf_fini(&f);
	strbuf_fini(&g);
}

void rename_plan(struct workspace *ws, const struct rename_what *what, const char *new_name,
		 struct rename_plan *out)
{
	struct planner pl = { ws, out, { 0 }, { 0 }, { 0 } };
	switch (what->kind) {
	case RENAME_NOTE:
		rename_note(&pl, what->note, new_name);
		break;
	case RENAME_HEADING:
		rename_heading(&pl, what->note, what->index, new_name);
		break;
	case RENAME_BLOCK:
		rename_block(&pl, what->note, what->index, new_name);
		break;
	case RENAME_ALIAS:
		rename_alias(&pl, what->note, what->index, new_name);
		break;
	case RENAME_NONE:
		refuse(out, "nothing here can be renamed");
		break;
	}
	if (out->error) {
		for (uint32_t i = 0; i < out->edits.len; i++)
			free(out->edits.items[i].text);
		out->edits.len = 0;
		for (uint32_t i = 0; i < out->moves.len; i++) {
			free(out->moves.items[i].old_abs);
			free(out->moves.items[i].new_abs);
		}
		out->moves.len = 0;
	}
	finish(&pl);
}

void rename_plan_moves(struct workspace *ws, const char *const *old_abs,
		       const char *const *new_abs, uint32_t n, struct rename_plan *out)
{
	struct planner pl = { ws, out, { 0 }, { 0 }, { 0 } };
	struct strbuf rel = { 0 };
	for (uint32_t k = 0; k < n; k++) {
		size_t ol = strlen(old_abs[k]);
		for (uint32_t id = 0; id < ws->notes.len; id++) {
			const struct ws_note *wn = ws->notes.items[id];
			if (!wn || strncmp(wn->abs, old_abs[k], ol) != 0 ||
			    (wn->abs[ol] != '\0' && wn->abs[ol] != '/'))
				continue;
			/* Its new path, relative to its root as the old one was. */
			size_t root = strlen(wn->abs) - strlen(wn->rel);
			if (strncmp(new_abs[k], wn->abs, root) != 0)
				continue; /* moved out of its folder: links cannot follow */
			rel.len = 0;
			strbuf_puts(&rel, new_abs[k] + root);
			strbuf_puts(&rel, wn->abs + ol);
			add_move(&pl, id, rel.ptr);
		}
	}
	strbuf_fini(&rel);
	/* The client moves the files: only the links are ours. */
	uint32_t moved = pl.moved.len;
	for (uint32_t i = 0; i < moved; i++) {
		uint32_t id = pl.moved.items[i].id;
		struct strbuf f = { 0 }, g = { 0 };
		struct slice before = last_component(link_path(ws, id, ws->notes.items[id]->rel));
		struct slice after = last_component(link_path(ws, id, pl.moved.items[i].rel));
		bool renamed = !slice_eq(before, after);
		char *stem = renamed ? xstrndup(after.ptr, after.len) : NULL;
		follow(&pl, id, renamed && !ws->notes.items[id]->attachment ? stem : NULL);
		if (renamed)
			keep_namesakes(&pl, after);
		free(stem);
		strbuf_fini(&f);
		strbuf_fini(&g);
	}
	/* Relative links out of moved notes mean another place once moved:
	 * written as whole paths. */
	for (uint32_t i = 0; i < moved; i++) {
		uint32_t id = pl.moved.items[i].id;
		const struct ws_note *wn = ws->notes.items[id];
		for (uint32_t l = 0; l < wn->note->links.len; l++) {
			struct slice t = slice_trim(note_slice(wn->note, wikilink_target(&wn->note->links.items[l])));
			bool relative = (t.len >= 2 && memcmp(t.ptr, "./", 2) == 0) ||
					(t.len >= 3 && memcmp(t.ptr, "../", 3) == 0);
			if (relative && wn->res[l].note >= 0 && !wn->res[l].via_alias)
				relink(&pl, id, t, (uint32_t)wn->res[l].note);
		}
	}
	for (uint32_t i = 0; i < out->moves.len; i++) {
		free(out->moves.items[i].old_abs);
		free(out->moves.items[i].new_abs);
	}
	out->moves.len = 0;
	finish(&pl);
}

void rename_plan_fini(struct rename_plan *p)
{
	for (uint32_t i = 0; i < p->edits.len; i++)
		free(p->edits.items[i].text);
	array_free(&p->edits);
	for (uint32_t i = 0; i < p->moves.len; i++) {
		free(p->moves.items[i].old_abs);
		free(p->moves.items[i].new_abs);
	}
	array_free(&p->moves);
	free(p->error);
	p->error = NULL;
}

/* ---------------------------------------------------------------------- */
/* What a position renames */

static bool within(struct span s, uint32_t offset)
{
	return offset >= s.start && offset <= span_end(s);
}

static bool what_of_ref(struct workspace *ws, uint32_t id, struct slice target, struct slice subpath,
			bool has_subpath, uint32_t offset, struct rename_what *out)
{
	const struct note *n = ws->notes.items[id]->note;
	struct resolution r = workspace_resolve(ws, (int32_t)id, target, subpath, has_subpath);
	if (r.note < 0 || r.status == LINK_IGNORED)
		return false;
	const struct ws_note *t = ws->notes.items[r.note];
	struct span sub = has_subpath ? span_in(n, subpath) : (struct span){ 0, 0 };
	if (has_subpath && within(sub, offset) && (r.heading >= 0 || r.block >= 0)) {
		if (r.heading >= 0) {
			*out = (struct rename_what){ RENAME_HEADING, (uint32_t)r.note, r.heading,
						     last_part(n, sub), t->note->headings.items[r.heading].text, 0 };
			out->placeholder_len = strlen(out->placeholder);
		} else {
			struct slice id_text = note_slice(t->note, t->note->blocks.items[r.block].id);
			struct slice s = slice_trim(subpath);
			*out = (struct rename_what){ RENAME_BLOCK, (uint32_t)r.note, r.block,
						     span_in(n, (struct slice){ s.ptr + 1, s.len ? s.len - 1 : 0 }),
						     id_text.ptr, id_text.len };
		}
		return true;
	}
	if (r.via_alias) {
		struct slice a = name_maps_alias(t->note, (uint32_t)r.alias);
		*out = (struct rename_what){ RENAME_ALIAS, (uint32_t)r.note, r.alias, span_in(n, target),
					     a.ptr, a.len };
		return true;
	}
	*out = (struct rename_what){ RENAME_NOTE, (uint32_t)r.note, -1, span_in(n, target), t->stem,
				     strlen(t->stem) };
	return true;
}

bool rename_what_at(struct workspace *ws, uint32_t id, uint32_t offset, struct rename_what *out)
{
	*out = (struct rename_what){ RENAME_NONE, id, -1, { offset, 0 }, NULL, 0 };
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || wn->attachment)
		return false;
	const struct note *n = wn->note;
	struct cursor c = cursor_at(n, &ws->cfg, offset);
	switch (c.kind) {
	case CURSOR_LINK:
	case CURSOR_FM_REF:
		return what_of_ref(ws, id, c.target, c.subpath, c.has_subpath, offset, out);
	case CURSOR_MENTION: {
		struct resolution r = workspace_resolve(ws, (int32_t)id, c.target, c.subpath, false);
		if (r.status != LINK_RESOLVED || r.via_alias)
			return false;
		return what_of_ref(ws, id, c.target, c.subpath, false, offset, out);
	}
	case CURSOR_FM_SELF:
		for (uint32_t a = 0; a < n->aliases.len; a++)
			if (n->aliases.items[a]->span.start == c.span.start) {
				struct slice al = name_maps_alias(n, a);
				*out = (struct rename_what){ RENAME_ALIAS, id, (int32_t)a, c.span, al.ptr, al.len };
				return true;
			}
		*out = (struct rename_what){ RENAME_NOTE, id, -1, c.span, wn->stem, strlen(wn->stem) };
		return true;
	case CURSOR_NOTHING:
		break;
	}
	for (uint32_t i = 0; i < n->blocks.len; i++)
		if (within(n->blocks.items[i].span, offset)) {
			*out = (struct rename_what){ RENAME_BLOCK, id, (int32_t)i, n->blocks.items[i].id,
						     n->text + n->blocks.items[i].id.start,
						     n->blocks.items[i].id.len };
			return true;
		}
	struct strbuf f = { 0 }, g = { 0 };
	bool found = false;
	for (uint32_t i = 0; i < n->headings.len && !found; i++) {
		const struct heading *h = &n->headings.items[i];
		if (!within(h->line, offset))
			continue;
		found = true;
		bool title = h->level == 1 &&
			     slice_eq(name_maps_fold(slice_trim(slice_from_cstr(h->text)), &f),
				      name_maps_fold(slice_from_cstr(wn->stem), &g));
		if (title)
			*out = (struct rename_what){ RENAME_NOTE, id, -1, h->title, wn->stem, strlen(wn->stem) };
		else
			*out = (struct rename_what){ RENAME_HEADING, id, (int32_t)i, h->title, h->text,
						     strlen(h->text) };
	}
	strbuf_fini(&f);
	strbuf_fini(&g);
	if (!found)
		*out = (struct rename_what){ RENAME_NOTE, id, -1, { offset, 0 }, wn->stem, strlen(wn->stem) };
	return true;
}
