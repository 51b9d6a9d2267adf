/* resolve.c — what a link target means: the notes a name or path may
 * name, the one preferred, and the heading or block a subpath names. */
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- resolution ----------------------------------------------------- */

struct slice resolve_clean_target(struct slice t)
{
	t = slice_trim(t);
	if (t.len >= 3 && slice_eq_nocase((struct slice){ t.ptr + t.len - 3, 3 }, SLICE_LIT(".md")))
		t.len -= 3;
	while (t.len && t.ptr[0] == '/') {
		t.ptr++;
		t.len--;
	}
	return t;
}

static size_t dir_len(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? (size_t)(slash - rel) : 0;
}

/* Does the note's path without ".md" (an attachment's whole path) end
 * with the folded target, at a folder boundary — or, when whole, equal it? */
static bool path_suffix_matches(const struct ws_note *wn, struct slice folded_target, bool whole)
{
	struct strbuf b = { 0 };
	size_t n = strlen(wn->rel);
	if (!wn->attachment && n >= 3 &&
	    (strcmp(wn->rel + n - 3, ".md") == 0 || strcmp(wn->rel + n - 3, ".MD") == 0))
		n -= 3;
	names_fold((struct slice){ wn->rel, n }, &b);
	bool ok = b.len >= folded_target.len &&
		  memcmp(b.ptr + b.len - folded_target.len, folded_target.ptr, folded_target.len) == 0 &&
		  (b.len == folded_target.len || (!whole && b.ptr[b.len - folded_target.len - 1] == '/'));
	strbuf_fini(&b);
	return ok;
}

static bool is_relative(struct slice t)
{
	return (t.len >= 2 && memcmp(t.ptr, "./", 2) == 0) ||
	       (t.len >= 3 && memcmp(t.ptr, "../", 3) == 0) || slice_eq(t, SLICE_LIT(".")) ||
	       slice_eq(t, SLICE_LIT(".."));
}

/* A relative target ("./x", "../a/x", folded) taken from the folder of
 * the note at rel, as a vault-relative path ("a/b/../c" is "a/c"), folded,
 * into out. False when it climbs above the root. */
static bool relative_path(const char *rel, struct slice target, struct strbuf *out)
{
	struct strbuf joined = { 0 };
	names_fold((struct slice){ rel, dir_len(rel) }, &joined);
	strbuf_putc(&joined, '/');
	strbuf_put(&joined, target.ptr, target.len);
	out->len = 0;
	strbuf_putc(out, '\0');
	out->len = 0;
	bool ok = true;
	for (size_t at = 0; at < joined.len && ok;) {
		const char *seg = joined.ptr + at;
		const char *end = memchr(seg, '/', joined.len - at);
		size_t n = end ? (size_t)(end - seg) : joined.len - at;
		at += n + 1;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (!out->len) {
				ok = false; /* above the vault */
				break;
			}
			while (out->len && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len)
				out->len--;
			out->ptr[out->len] = '\0';
			continue;
		}
		if (out->len)
			strbuf_putc(out, '/');
		strbuf_put(out, seg, n);
	}
	strbuf_fini(&joined);
	return ok && out->len;
}

/* Preference among candidates: the linking note's folder, then the shortest
 * path, then the path's order (so the choice is stable). */
static bool preferred(const struct workspace *ws, const struct ws_note *from,
		      uint32_t a, uint32_t b)
{
	const struct ws_note *na = ws->notes.items[a], *nb = ws->notes.items[b];
	if (from) {
		size_t fd = dir_len(from->rel);
		bool sa = dir_len(na->rel) == fd && strncmp(na->rel, from->rel, fd) == 0;
		bool sb = dir_len(nb->rel) == fd && strncmp(nb->rel, from->rel, fd) == 0;
		if (sa != sb)
			return sa;
	}
	size_t la = strlen(na->rel), lb = strlen(nb->rel);
	if (la != lb)
		return la < lb;
	return strcmp(na->rel, nb->rel) < 0;
}

void workspace_candidates(const struct workspace *ws, int32_t from,
			  struct slice target, struct id_list *out, bool *via_alias)
{
	out->len = 0;
	*via_alias = false;
	struct slice t = resolve_clean_target(target);
	if (!t.len)
		return;
	/* An explicit ".md" names a note, never an attachment. */
	struct slice written = slice_trim(target);
	bool md = written.len >= 3 &&
		  slice_eq_nocase((struct slice){ written.ptr + written.len - 3, 3 }, SLICE_LIT(".md"));
	struct strbuf tmp = { 0 }, path = { 0 };
	struct slice key = name_maps_fold(t, &tmp);
	const char *slash = memchr(key.ptr, '/', key.len);
	const struct ws_note *from_note = from >= 0 ? workspace_get(ws, (uint32_t)from) : NULL;
	uint32_t n;
	const uint32_t *ids;

	if (is_relative(key)) {
		/* From the linking note's folder, in its root; from no note,
		 * from the root. */
		if (relative_path(from_note ? from_note->rel : "", key, &path)) {
			const char *last = path.ptr + path.len;
			while (last > path.ptr && last[-1] != '/')
				last--;
			ids = name_map_get(ws->by_stem,
					   (struct slice){ last, (size_t)(path.ptr + path.len - last) }, &n);
			for (uint32_t i = 0; i < n; i++) {
				const struct ws_note *wn = ws->notes.items[ids[i]];
				if ((!from_note || wn->root == from_note->root) &&
				    path_suffix_matches(wn, (struct slice){ path.ptr, path.len }, true))
					array_push(out, ids[i]);
			}
		}
	} else if (slash) {
		const char *last = key.ptr + key.len;
		while (last > key.ptr && last[-1] != '/')
			last--;
		ids = name_map_get(ws->by_stem, (struct slice){ last, (size_t)(key.ptr + key.len - last) }, &n);
		for (uint32_t i = 0; i < n; i++)
			if (path_suffix_matches(ws->notes.items[ids[i]], key, false))
				array_push(out, ids[i]);
	} else {
		ids = name_map_get(ws->by_stem, key, &n);
		for (uint32_t i = 0; i < n; i++)
			array_push(out, ids[i]);
		if (!out->len) {
			ids = name_map_get(ws->by_alias, key, &n);
			for (uint32_t i = 0; i < n; i++)
				array_push(out, ids[i]);
			*via_alias = out->len > 0;
		}
	}
	strbuf_fini(&tmp);
	strbuf_fini(&path);

	/* Notes first: attachments only when no note answers, and never for
	 * ".md" ("Note.png.md" is a note, so is "[[Note.png]]" if it exists). */
	bool any_note = false;
	for (uint32_t i = 0; i < out->len && !any_note; i++)
		any_note = !ws->notes.items[out->items[i]]->attachment;
	if (any_note || md) {
		uint32_t k = 0;
		for (uint32_t i = 0; i < out->len; i++)
			if (!ws->notes.items[out->items[i]]->attachment)
				out->items[k++] = out->items[i];
		out->len = k;
	}

	/* Insertion sort: candidate lists are short. */
	for (uint32_t i = 1; i < out->len; i++) {
		uint32_t v = out->items[i], j = i;
		for (; j > 0 && preferred(ws, from_note, v, out->items[j - 1]); j--)
			out->items[j] = out->items[j - 1];
		out->items[j] = v;
	}
}

static int32_t find_heading(const struct note *n, struct slice sub)
{
	/* "H1#H2": Obsidian matches the last heading of the chain. */
	const char *last = sub.ptr + sub.len;
	while (last > sub.ptr && last[-1] != '#')
		last--;
	struct slice want = slice_trim((struct slice){ last, (size_t)(sub.ptr + sub.len - last) });
	struct strbuf a = { 0 }, b = { 0 }, slug = { 0 }, hslug = { 0 };
	names_fold(want, &a);
	note_slugify(want, &slug);
	int32_t found = -1;
	for (uint32_t i = 0; i < n->headings.len && found < 0; i++) {
		const struct heading *h = &n->headings.items[i];
		b.len = 0;
		names_fold(slice_from_cstr(h->text), &b);
		if (b.len == a.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0)) {
			found = (int32_t)i;
		} else if (slug.len) {
			/* Slugs are made here, not kept: most links name no heading. */
			note_slugify(slice_from_cstr(h->text), &hslug);
			if (hslug.len == slug.len && memcmp(hslug.ptr, slug.ptr, slug.len) == 0)
				found = (int32_t)i;
		}
	}
	strbuf_fini(&a);
	strbuf_fini(&b);
	strbuf_fini(&slug);
	strbuf_fini(&hslug);
	return found;
}

static int32_t find_block(const struct note *n, struct slice id)
{
	id = slice_trim(id);
	for (uint32_t i = 0; i < n->blocks.len; i++)
		if (slice_eq_nocase(note_slice(n, n->blocks.items[i].id), id))
			return (int32_t)i;
	return -1;
}

struct resolution workspace_resolve(const struct workspace *ws, int32_t from,
				    struct slice target, struct slice subpath,
				    bool has_subpath)
{
	struct resolution r = { .status = LINK_UNRESOLVED, .note = -1, .heading = -1,
				.block = -1, .alias = -1 };
	if (!resolve_clean_target(target).len) {
		/* [[#Heading]] points into the linking note itself. */
		if (!has_subpath || from < 0 || !workspace_get(ws, (uint32_t)from)) {
			r.status = LINK_IGNORED;
			return r;
		}
		r.note = from;
	} else {
		struct id_list c = { 0 };
		bool via_alias;
		workspace_candidates(ws, from, target, &c, &via_alias);
		if (c.len) {
			r.note = (int32_t)c.items[0];
			r.ambiguous = c.len > 1;
			r.via_alias = via_alias;
		}
		array_free(&c);
		/* While the index is partial, a name no note bears yet may be
		 * an alias of one still to come, and a file still to come may
		 * bear it too: only what those cannot change is said. */
		if (ws->indexing && (r.note < 0 || r.via_alias || !workspace_settled(ws, target)))
			return (struct resolution){ .status = LINK_IGNORED, .note = -1, .heading = -1,
						    .block = -1, .alias = -1 };
		if (r.note < 0)
			return r;
	}
	const struct note *n = ws->notes.items[r.note]->note;
	if (ws->notes.items[r.note]->attachment) {
		/* "#page=3", "#icon": for the viewer; the target is the file. */
		r.status = LINK_RESOLVED;
		return r;
	}
	if (r.via_alias) {
		struct strbuf a = { 0 }, b = { 0 };
		names_fold(resolve_clean_target(target), &a);
		for (uint32_t i = 0; i < n->aliases.len && r.alias < 0; i++) {
			b.len = 0;
			names_fold(name_maps_alias(n, i), &b);
			if (a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0)
				r.alias = (int32_t)i;
		}
		strbuf_fini(&a);
		strbuf_fini(&b);
	}
	r.status = LINK_RESOLVED;
	if (has_subpath && subpath.len) {
		if (subpath.ptr[0] == '^') {
			r.block = find_block(n, (struct slice){ subpath.ptr + 1, subpath.len - 1 });
			if (r.block < 0)
				r.status = LINK_BLOCK_MISSING;
		} else {
			r.heading = find_heading(n, subpath);
			if (r.heading < 0)
				r.status = LINK_HEADING_MISSING;
		}
	}
	return r;
}

struct resolution resolve_link(const struct workspace *ws, uint32_t from,
			       const struct wikilink *l)
{
	const struct note *n = ws->notes.items[from]->note;
	if (!(l->flags & WIKILINK_CLOSED)) {
		struct resolution r = { .status = LINK_IGNORED, .note = -1, .heading = -1,
					.block = -1, .alias = -1 };
		return r;
	}
	return workspace_resolve(ws, (int32_t)from, note_slice(n, wikilink_target(l)),
				 note_slice(n, wikilink_subpath(l)), l->has_subpath);
}

/* The name a link target is looked up by (see workspace_candidates). */
struct slice resolve_lookup_key(struct slice target, struct strbuf *tmp)
{
	struct slice key = name_maps_fold(resolve_clean_target(target), tmp);
	const char *last = key.ptr + key.len;
	while (last > key.ptr && last[-1] != '/')
		last--;
	return (struct slice){ last, (size_t)(key.ptr + key.len - last) };
}

