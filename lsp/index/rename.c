/* rename.c — what a position renames, the names a user may type, and the
 * plans that rename a note, heading, block, alias or tag, or follow moved
 * files (rename.h); relink.c writes the links again. */
#include "cursor.h"
#include "md_links.h"
#include "references.h"
#include "rename_impl.h"
#include "tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------- */
/* Names the user may type */

static bool forbidden(const char *s, const char *chars)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || strchr(chars, *c))
			return true;
	return false;
}

/* ---------------------------------------------------------------------- */

static void rename_note(struct planner *pl, uint32_t id, const char *typed)
{
	struct workspace *ws = pl->ws;
	const struct ws_note *wn = ws->notes.items[id];
	struct rename_plan *p = pl->out;
	if (wn->attachment) {
		relink_refuse(p, "'%s' is an attachment: rename it in the file explorer, and its links follow",
		       wn->stem);
		return;
	}
	struct strbuf name = { 0 };
	struct slice t = slice_trim(slice_from_cstr(typed));
	if (relink_ends_md(t))
		t.len -= 3;
	strbuf_put(&name, t.ptr, t.len);
	const char *stem = name.ptr ? name.ptr : "";
	if (!*stem)
		relink_refuse(p, "a note's name cannot be empty");
	else if (forbidden(stem, "/\\#|^[]:*\"<>?"))
		relink_refuse(p, "'%s' cannot name a note: links cannot hold / \\ # | ^ [ ] : * \" < > ? "
			  "or control characters", stem);
	else if (strcmp(stem, wn->stem) == 0)
		relink_refuse(p, "the note is already named '%s'", stem);
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
			relink_refuse(p, "'%s' already exists", o->rel);
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
		uint32_t plain = relink_plain_names(ws, same[i], key) + relink_plain_names(ws, id, old_key);
		if (plain)
			relink_refuse(p, "'%s' is also %s, and %u frontmatter value%s or With-line name%s written "
				  "without a path would then mean either note",
			       stem, ws->notes.items[same[i]]->rel, plain, plain == 1 ? "" : "s",
			       plain == 1 ? "" : "s");
	}
	strbuf_fini(&kf);
	strbuf_fini(&of);
	if (!p->error) {
		relink_move(pl, id, rel.ptr);
		relink_follow(pl, id, stem);
		relink_keep_namesakes(pl, slice_from_cstr(stem));
		/* Its own name: and title:, and its title heading, when they
		 * were its old name. */
		struct strbuf f = { 0 }, g = { 0 };
		struct slice old = name_maps_fold(slice_from_cstr(wn->stem), &f);
		const struct yaml_node *own[] = { wn->note->name, wn->note->title };
		for (int k = 0; k < 2; k++)
			if (own[k] && own[k]->type == YAML_SCALAR_NODE && own[k]->str &&
			    slice_eq(name_maps_fold(slice_trim(slice_from_cstr(own[k]->str)), &g), old))
				relink_set_scalar(pl, id, own[k], stem);
		for (uint32_t h = 0; h < wn->note->headings.len; h++) {
			const struct heading *hd = &wn->note->headings.items[h];
			if (hd->level == 1 &&
			    slice_eq(name_maps_fold(slice_trim(slice_from_cstr(hd->text)), &g), old)) {
				relink_edit(pl, id, hd->title, stem, strlen(stem));
				break;
			}
		}
		strbuf_fini(&f);
		strbuf_fini(&g);
	}
	strbuf_fini(&rel);
	strbuf_fini(&name);
}

/* The subpath a reference writes (a slice of its note's text): a link's,
 * or a frontmatter value's. A Markdown link's is written encoded: taken
 * as it is, as "[x](N.md#^id)" ids are. */
static struct slice ref_subpath(const struct workspace *ws, const struct ref *r)
{
	const struct note *fn = ws->notes.items[r->note]->note;
	if (r->kind == REF_LINK)
		return note_slice(fn, wikilink_subpath(&fn->links.items[r->link]));
	if (r->kind == REF_MDLINK) {
		uint32_t e = span_end(r->span), q = e + 1;
		if (e >= fn->len || fn->text[e] != '#')
			return (struct slice){ fn->text + e, 0 };
		while (q < fn->len && fn->text[q] != ')' && fn->text[q] != '>' && fn->text[q] != '\n')
			q++;
		return (struct slice){ fn->text + e + 1, q - e - 1 };
	}
	struct slice target, subpath;
	bool has;
	cursor_split_ref(note_slice(fn, r->span), &target, &subpath, &has);
	return subpath;
}

/* The last '#'-part of a subpath: the heading it names. */
static struct span last_part(const struct note *n, struct span sub)
{
	uint32_t s = span_end(sub);
	while (s > sub.start && n->text[s - 1] != '#')
		s--;
	struct slice part = slice_trim((struct slice){ n->text + s, span_end(sub) - s });
	return relink_span(n, part);
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
		relink_refuse(pl->out, "a heading cannot be empty");
	else if (forbidden(text, "#|^[]"))
		relink_refuse(pl->out, "'%s' cannot be a heading links name: no # | ^ [ ] or control characters",
		       text);
	else if (strcmp(text, n->headings.items[h].text) == 0)
		relink_refuse(pl->out, "the heading is already '%s'", text);
	for (uint32_t i = 0; !pl->out->error && i < n->headings.len; i++)
		if ((int32_t)i != h &&
		    slice_eq(name_maps_fold(slice_from_cstr(n->headings.items[i].text), &f),
			     name_maps_fold(t, &g)))
			relink_refuse(pl->out, "the note has a heading '%s' already", n->headings.items[i].text);
	if (!pl->out->error) {
		relink_edit(pl, id, n->headings.items[h].title, text, strlen(text));
		struct ref_target tg = { (int32_t)id, h, -1, { 0 }, false };
		struct ref_list refs = { 0 };
		references_find(ws, &tg, &refs);
		struct strbuf enc = { 0 };
		for (const char *c = text; *c; c++) {
			if (*c == ' ')
				strbuf_puts(&enc, "%20");
			else
				strbuf_putc(&enc, *c);
		}
		for (uint32_t i = 0; i < refs.len; i++) {
			const struct ref *r = &refs.items[i];
			const struct note *fn = ws->notes.items[r->note]->note;
			struct slice subpath = ref_subpath(ws, r);
			/* A Markdown link's path is percent-encoded, unless in <...>. */
			bool encode = r->kind == REF_MDLINK && !(r->span.start > 0 &&
								fn->text[r->span.start - 1] == '<');
			relink_edit(pl, r->note, last_part(fn, relink_span(fn, subpath)),
				    encode ? enc.ptr : text, encode ? enc.len : strlen(text));
		}
		strbuf_fini(&enc);
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
		relink_refuse(pl->out, "a block id is letters, digits and '-' only");
		return;
	}
	for (uint32_t i = 0; i < n->blocks.len; i++)
		if (slice_eq_nocase(note_slice(n, n->blocks.items[i].id), t)) {
			relink_refuse(pl->out, (int32_t)i == b ? "the block is already ^%.*s"
							: "the note has a block ^%.*s already",
			       (int)t.len, t.ptr);
			return;
		}
	relink_edit(pl, id, n->blocks.items[b].id, t.ptr, t.len);
	struct ref_target tg = { (int32_t)id, -1, b, { 0 }, false };
	struct ref_list refs = { 0 };
	references_find(ws, &tg, &refs);
	for (uint32_t i = 0; i < refs.len; i++) {
		const struct note *fn = ws->notes.items[refs.items[i].note]->note;
		struct slice s = slice_trim(ref_subpath(ws, &refs.items[i]));
		if (s.len && s.ptr[0] == '^')
			relink_edit(pl, refs.items[i].note,
				    relink_span(fn, (struct slice){ s.ptr + 1, s.len - 1 }), t.ptr, t.len);
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
		relink_refuse(pl->out, "an alias cannot be empty");
	else if (forbidden(text, "#|^[]"))
		relink_refuse(pl->out, "'%s' cannot be an alias links use: no # | ^ [ ] or control characters",
		       text);
	else if (slice_eq(old, t))
		relink_refuse(pl->out, "the alias is already '%s'", text);
	for (uint32_t i = 0; !pl->out->error && i < wn->note->aliases.len; i++)
		if ((int32_t)i != a && slice_eq(name_maps_fold(name_maps_alias(wn->note, i), &f),
						name_maps_fold(t, &g)))
			relink_refuse(pl->out, "'%s' is an alias of the note already", text);
	if (!pl->out->error) {
		relink_set_scalar(pl, id, wn->note->aliases.items[a], text);
		struct ref_target tg = { (int32_t)id, -1, -1, { 0 }, false };
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
								    ? relink_scalar_at(from->note, r->span.start) : NULL;
				if (v && slice_eq(slice_trim(note_slice(from->note, v->span)), target))
					relink_set_scalar(pl, r->note, v, text);
				else
					relink_edit(pl, r->note, relink_span(from->note, target), text, strlen(text));
				continue;
			}
			const struct wikilink *l = &from->note->links.items[r->link];
			const struct resolution *res = &from->res[r->link];
			if (res->via_alias && res->alias == a)
				relink_edit(pl, r->note, wikilink_target(l), text, strlen(text));
			struct slice d = note_slice(from->note, wikilink_display(l));
			if (l->has_display && slice_eq(name_maps_fold(slice_trim(d), &g), folded_old))
				relink_edit(pl, r->note, relink_span(from->note, slice_trim(d)), text, strlen(text));
		}
		array_free(&refs);
	}
	strbuf_fini(&name);
	strbuf_fini(&f);
	strbuf_fini(&g);
}

/* The first k '/'-parts of a tag as written (after its '#', if any). */
static struct slice tag_parts(struct slice t, uint32_t k)
{
	size_t i = 0;
	for (uint32_t n = 0; i < t.len; i++)
		if (t.ptr[i] == '/' && ++n == k)
			break;
	return (struct slice){ t.ptr, i };
}

static void rename_tag(struct planner *pl, uint32_t id, struct slice old, const char *typed)
{
	struct workspace *ws = pl->ws;
	struct slice t = slice_trim(slice_from_cstr(typed));
	if (t.len && t.ptr[0] == '#') {
		t.ptr++;
		t.len--;
	}
	if (old.len && old.ptr[0] == '#') {
		old.ptr++;
		old.len--;
	}
	while (t.len && t.ptr[t.len - 1] == '/')
		t.len--;
	bool digits = true, ok = t.len > 0;
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.ptr[i];
		digits &= c >= '0' && c <= '9';
		ok &= c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/';
		ok &= !(c == '/' && (i == 0 || t.ptr[i - 1] == '/'));
	}
	if (!ok || digits) {
		relink_refuse(pl->out, "'%.*s' cannot be a tag: letters, digits, '_', '-' and '/' between "
				"parts, not digits alone", (int)t.len, t.ptr);
		return;
	}
	uint32_t parts = 1;
	for (size_t i = 0; i < old.len; i++)
		parts += old.ptr[i] == '/';
	struct tag_occurrences occ = { 0 };
	tags_occurrences(ws, old, true, &occ);
	for (uint32_t i = 0; i < occ.len; i++) {
		const struct note *n = ws->notes.items[occ.items[i].note]->note;
		struct slice w = note_slice(n, occ.items[i].span);
		if (w.len && w.ptr[0] == '#') {
			w.ptr++;
			w.len--;
		}
		relink_edit(pl, occ.items[i].note, relink_span(n, tag_parts(w, parts)), t.ptr, t.len);
	}
	if (!occ.len)
		relink_refuse(pl->out, "no note holds the tag #%.*s", (int)old.len, old.ptr);
	array_free(&occ);
	(void)id;
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
	case RENAME_TAG:
		rename_tag(&pl, what->note, (struct slice){ what->placeholder, what->placeholder_len },
			   new_name);
		break;
	case RENAME_NONE:
		relink_refuse(out, "nothing here can be renamed");
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
	relink_finish(&pl);
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
			relink_move(&pl, id, rel.ptr);
		}
	}
	strbuf_fini(&rel);
	/* The client moves the files: only the links are ours. */
	uint32_t moved = pl.moved.len;
	for (uint32_t i = 0; i < moved; i++) {
		uint32_t id = pl.moved.items[i].id;
		struct strbuf f = { 0 }, g = { 0 };
		struct slice before = relink_last_component(relink_path(ws, id, ws->notes.items[id]->rel));
		struct slice after = relink_last_component(relink_path(ws, id, pl.moved.items[i].rel));
		bool renamed = !slice_eq(before, after);
		char *stem = renamed ? xstrndup(after.ptr, after.len) : NULL;
		relink_follow(&pl, id, renamed && !ws->notes.items[id]->attachment ? stem : NULL);
		if (renamed)
			relink_keep_namesakes(&pl, after);
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
				relink_link(&pl, id, t, (uint32_t)wn->res[l].note);
		}
		struct md_link ml;
		struct strbuf path = { 0 };
		for (uint32_t from = wn->note->body; md_links_next(wn->note, &from, &ml);) {
			path.len = 0;
			md_links_decode(note_slice(wn->note, ml.path), &path);
			struct slice d = { path.ptr ? path.ptr : "", path.len };
			bool relative = (d.len >= 2 && memcmp(d.ptr, "./", 2) == 0) ||
					(d.len >= 3 && memcmp(d.ptr, "../", 3) == 0);
			struct resolution r = relative ? workspace_resolve(ws, (int32_t)id, d,
									   (struct slice){ "", 0 }, false)
						       : (struct resolution){ .note = -1 };
			if (r.note >= 0)
				relink_md(&pl, id, ml.path, (uint32_t)r.note);
		}
		strbuf_fini(&path);
	}
	for (uint32_t i = 0; i < out->moves.len; i++) {
		free(out->moves.items[i].old_abs);
		free(out->moves.items[i].new_abs);
	}
	out->moves.len = 0;
	relink_finish(&pl);
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
	struct span sub = has_subpath ? relink_span(n, subpath) : (struct span){ 0, 0 };
	if (has_subpath && within(sub, offset) && (r.heading >= 0 || r.block >= 0)) {
		if (r.heading >= 0) {
			*out = (struct rename_what){ RENAME_HEADING, (uint32_t)r.note, r.heading,
						     last_part(n, sub), t->note->headings.items[r.heading].text, 0 };
			out->placeholder_len = strlen(out->placeholder);
		} else {
			struct slice id_text = note_slice(t->note, t->note->blocks.items[r.block].id);
			struct slice s = slice_trim(subpath);
			*out = (struct rename_what){ RENAME_BLOCK, (uint32_t)r.note, r.block,
						     relink_span(n, (struct slice){ s.ptr + 1, s.len ? s.len - 1 : 0 }),
						     id_text.ptr, id_text.len };
		}
		return true;
	}
	if (r.via_alias) {
		struct slice a = name_maps_alias(t->note, (uint32_t)r.alias);
		*out = (struct rename_what){ RENAME_ALIAS, (uint32_t)r.note, r.alias, relink_span(n, target),
					     a.ptr, a.len };
		return true;
	}
	*out = (struct rename_what){ RENAME_NOTE, (uint32_t)r.note, -1, relink_span(n, target), t->stem,
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
	case CURSOR_MDLINK: {
		/* Renames the note it leads to. */
		struct strbuf path = { 0 };
		md_links_decode(c.target, &path);
		struct resolution r = workspace_resolve(ws, (int32_t)id,
			(struct slice){ path.ptr ? path.ptr : "", path.len }, (struct slice){ "", 0 }, false);
		strbuf_fini(&path);
		if (r.note < 0 || r.status == LINK_IGNORED)
			return false;
		const struct ws_note *t = ws->notes.items[r.note];
		*out = (struct rename_what){ RENAME_NOTE, (uint32_t)r.note, -1,
					     relink_span(n, c.target), t->stem, strlen(t->stem) };
		return true;
	}
	case CURSOR_TAG:
		*out = (struct rename_what){ RENAME_TAG, id, -1, c.span, c.target.ptr, c.target.len };
		if (c.target.len && note_slice(n, c.span).ptr[0] == '#') {
			out->range.start++;
			out->range.len--;
		}
		return c.target.len > 0;
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
