/* relink.c — links, frontmatter values and With names written again for
 * where the notes will be once the moves are made, in their own style;
 * and the plan's edits and refusals (rename_impl.h). */
#include "cursor.h"
#include "md_links.h"
#include "references.h"
#include "rename_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void relink_refuse(struct rename_plan *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(p->error);
	p->error = xstrdup(buf);
}

void relink_edit(struct planner *pl, uint32_t note, struct span span, const char *text, size_t len)
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
struct slice relink_path(const struct workspace *ws, uint32_t id, const char *rel)
{
	size_t n = strlen(rel);
	if (!ws->notes.items[id]->attachment && n >= 3 && strcasecmp(rel + n - 3, ".md") == 0)
		n -= 3;
	return (struct slice){ rel, n };
}

struct slice relink_last_component(struct slice p)
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
		struct slice s = name_maps_fold(relink_last_component(relink_path(pl->ws, m->id, m->rel)), &f);
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
	struct slice st = relink_last_component(want);
	strbuf_put(&stem, st.ptr, st.len);
	struct id_list c = { 0 };
	post_namesakes(pl, (struct slice){ stem.ptr ? stem.ptr : "", stem.len }, &c);
	uint32_t hits = 0;
	bool self = false;
	for (uint32_t i = 0; i < c.len; i++) {
		struct slice p = name_maps_fold(relink_path(pl->ws, c.items[i], post_rel(pl, c.items[i])), &fp);
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
	struct slice p = relink_path(pl->ws, id, post_rel(pl, id));
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

bool relink_ends_md(struct slice t)
{
	return t.len >= 3 && slice_eq_nocase((struct slice){ t.ptr + t.len - 3, 3 }, SLICE_LIT(".md"));
}

struct span relink_span(const struct note *n, struct slice s)
{
	return (struct span){ (uint32_t)(s.ptr - n->text), (uint32_t)s.len };
}

/* A link target (as written in note `from`) that means note id: written
 * again for where id is after the moves, in the same style. */
void relink_link(struct planner *pl, uint32_t from, struct slice written, uint32_t id)
{
	const struct note *n = pl->ws->notes.items[from]->note;
	struct slice t = slice_trim(written);
	bool md = relink_ends_md(t) && !pl->ws->notes.items[id]->attachment;
	struct slice bare = md ? (struct slice){ t.ptr, t.len - 3 } : t;
	bool relative = (bare.len >= 2 && memcmp(bare.ptr, "./", 2) == 0) ||
			(bare.len >= 3 && memcmp(bare.ptr, "../", 3) == 0);
	bool path = memchr(bare.ptr, '/', bare.len) != NULL;
	/* Written as its whole path (from the root): kept whole. */
	struct slice before = relink_path(pl->ws, id, pl->ws->notes.items[id]->rel);
	bool whole = relative || (path && slice_eq_nocase(bare, before));
	target_for(pl, id, path, whole, &pl->a);
	if (md)
		strbuf_puts(&pl->a, ".md");
	if (!slice_eq((struct slice){ pl->a.ptr, pl->a.len }, t))
		relink_edit(pl, from, relink_span(n, t), pl->a.ptr, pl->a.len);
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
void relink_set_scalar(struct planner *pl, uint32_t id, const struct yaml_node *v, const char *name)
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
	relink_edit(pl, id, v->span, b->ptr, b->len);
}

/* The frontmatter scalar whose value starts at `start`, or NULL. */
const struct yaml_node *relink_scalar_at(const struct note *n, uint32_t start)
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
	relink_edit(pl, from_id, (struct span){ t0.start, end - t0.start }, b->ptr, b->len);
}

/* Appends path percent-encoded where a Markdown link needs it (always a
 * space, '(', ')' and '%'; every byte outside ASCII's letters, digits and
 * "-._~/" when encoded is set, as the link was written). */
static void encode_path(struct strbuf *out, struct slice path, bool encoded)
{
	static const char hexd[] = "0123456789ABCDEF";
	for (size_t i = 0; i < path.len; i++) {
		unsigned char c = (unsigned char)path.ptr[i];
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     strchr("-._~/", c);
		if (plain || (!encoded && c > ' ' && c != '(' && c != ')' && c != '%' && c != 0x7f)) {
			strbuf_putc(out, (char)c);
		} else {
			strbuf_putc(out, '%');
			strbuf_putc(out, hexd[c >> 4]);
			strbuf_putc(out, hexd[c & 15]);
		}
	}
}

/* The path from the folder of the note at from_rel to the note at
 * to_rel ("../C/x.md", "./x.md"), both vault-relative. */
static void relative_path(const char *from_rel, const char *to_rel, struct strbuf *out)
{
	const char *fs = strrchr(from_rel, '/');
	size_t fd = fs ? (size_t)(fs - from_rel) : 0, common = 0, i = 0;
	/* The folders both paths start with, whole. */
	while (i < fd && to_rel[i] && from_rel[i] == to_rel[i]) {
		i++;
		if ((i == fd || from_rel[i] == '/') && to_rel[i] == '/')
			common = i;
	}
	size_t ups = 0;
	if (fd > common) {
		ups = 1;
		for (size_t k = common ? common + 1 : 0; k < fd; k++)
			ups += from_rel[k] == '/';
	}
	for (size_t k = 0; k < ups; k++)
		strbuf_puts(out, "../");
	if (!ups)
		strbuf_puts(out, "./");
	strbuf_puts(out, to_rel + (common ? common + 1 : 0));
}

/* A Markdown link's path (span, as written) that means note id, written
 * again for where id will be: the same folder part when only its name
 * changes; else the path from the vault's root (or from the linking
 * note's folder, for a path written "./" or "../"). Encoded as it was. */
void relink_md(struct planner *pl, uint32_t from, struct span span, uint32_t id)
{
	const struct note *n = pl->ws->notes.items[from]->note;
	struct slice written = note_slice(n, span);
	bool encoded = memchr(written.ptr, '%', written.len) != NULL;
	bool angle = span.start > 0 && n->text[span.start - 1] == '<';
	struct strbuf dec = { 0 }, path = { 0 };
	md_links_decode(written, &dec);
	struct slice d = { dec.ptr ? dec.ptr : "", dec.len };
	const char *old_rel = pl->ws->notes.items[id]->rel, *new_rel = post_rel(pl, id);
	const char *os = strrchr(old_rel, '/'), *ns = strrchr(new_rel, '/');
	size_t od = os ? (size_t)(os - old_rel) : 0, nd = ns ? (size_t)(ns - new_rel) : 0;
	struct slice last = relink_last_component(d);
	bool relative = (d.len >= 2 && memcmp(d.ptr, "./", 2) == 0) ||
			(d.len >= 3 && memcmp(d.ptr, "../", 3) == 0);
	const char *fo = pl->ws->notes.items[from]->rel, *fn = post_rel(pl, from);
	const char *fos = strrchr(fo, '/'), *fns = strrchr(fn, '/');
	size_t fod = fos ? (size_t)(fos - fo) : 0, fnd = fns ? (size_t)(fns - fn) : 0;
	bool from_stays = fod == fnd && strncmp(fo, fn, fod) == 0;
	if (od == nd && strncmp(old_rel, new_rel, od) == 0 && (!relative || from_stays)) {
		/* The same folder: only the name changes. */
		strbuf_put(&path, d.ptr, (size_t)(last.ptr - d.ptr));
		strbuf_puts(&path, ns ? ns + 1 : new_rel);
	} else if (relative) {
		relative_path(fn, new_rel, &path);
	} else {
		strbuf_puts(&path, new_rel);
	}
	struct strbuf *out = &pl->a;
	out->len = 0;
	if (angle)
		strbuf_put(out, path.ptr, path.len);
	else
		encode_path(out, (struct slice){ path.ptr, path.len }, encoded);
	if (!slice_eq((struct slice){ out->ptr, out->len }, written))
		relink_edit(pl, from, span, out->ptr, out->len);
	strbuf_fini(&dec);
	strbuf_fini(&path);
}

/* Every reference to moved note id, written again; plain names (people
 * values, With names) only when its stem changes to new_stem. */
void relink_follow(struct planner *pl, uint32_t id, const char *new_stem)
{
	struct workspace *ws = pl->ws;
	struct ref_target t = { (int32_t)id, -1, -1, { 0 }, false };
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
			relink_link(pl, r->note, note_slice(n, wikilink_target(&n->links.items[r->link])), id);
			continue;
		}
		if (r->kind == REF_MDLINK) {
			relink_md(pl, r->note, r->span, id);
			continue;
		}
		cursor_split_ref(note_slice(n, r->span), &target, &subpath, &has_subpath);
		struct resolution res = workspace_resolve(ws, (int32_t)r->note, target, subpath, has_subpath);
		if (res.via_alias)
			continue;
		struct slice value = slice_trim(note_slice(n, r->span));
		bool link = value.len >= 2 && memcmp(value.ptr, "[[", 2) == 0;
		if (link || memchr(target.ptr, '/', target.len)) {
			relink_link(pl, r->note, target, id);
		} else if (new_stem) {
			const struct yaml_node *v = r->kind == REF_FRONTMATTER ? relink_scalar_at(n, r->span.start) : NULL;
			if (v && slice_eq(slice_trim(note_slice(n, v->span)), target))
				relink_set_scalar(pl, r->note, v, new_stem);
			else
				relink_edit(pl, r->note, relink_span(n, target), new_stem, strlen(new_stem));
		}
	}
	array_free(&refs);
}

/* Links to other notes that share a moved note's new stem (or have it as
 * an alias) would mean the moved note afterwards: given a path, or their
 * note's stem with the alias as display text. */
void relink_keep_namesakes(struct planner *pl, struct slice new_stem)
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
		struct ref_target t = { (int32_t)yid, -1, -1, { 0 }, false };
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
					     slice_eq(name_maps_fold(relink_last_component(target), &g), key);
				strbuf_fini(&g);
				if (named && !names_only(pl, yid, target))
					relink_link(pl, r->note, target, yid);
				continue;
			}
			const struct wikilink *l = &from->note->links.items[r->link];
			struct slice written = slice_trim(note_slice(from->note, wikilink_target(l)));
			struct slice bare = relink_ends_md(written) ? (struct slice){ written.ptr, written.len - 3 } : written;
			struct strbuf g = { 0 };
			bool named = slice_eq(name_maps_fold(relink_last_component(bare), &g), key);
			strbuf_fini(&g);
			if (!named)
				continue;
			if (!from->res[r->link].via_alias) {
				if (!names_only(pl, yid, bare))
					relink_link(pl, r->note, written, yid);
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
uint32_t relink_plain_names(struct workspace *ws, uint32_t id, struct slice key)
{
	struct ref_target t = { (int32_t)id, -1, -1, { 0 }, false };
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
void relink_finish(struct planner *pl)
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

void relink_move(struct planner *pl, uint32_t id, const char *new_rel)
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

