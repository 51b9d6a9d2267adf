/* update.c — notes coming, changing and going: each change updates
 * the names, keys, facts and links that depend on the note, no more. */
#include "file.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Adds or removes a note's entries in the indexes built on the
 * workspace (struct ws_ext), those that are built. */
static void tell_exts(struct workspace *ws, uint32_t id, bool add)
{
	for (int i = 0; i < WS_EXT_COUNT; i++)
		if (ws->ext[i].state && ws->ext[i].note)
			ws->ext[i].note(ws, id, add);
}

/* Tells the indexes that only want to know that note id came, changed
 * or went (its entry NULL once gone) that it did. */
static void tell_changed(struct workspace *ws, uint32_t id)
{
	for (int i = 0; i < WS_EXT_COUNT; i++)
		if (ws->ext[i].state && ws->ext[i].changed)
			ws->ext[i].changed(ws, id);
}

static void mark_namesakes(struct workspace *ws, uint32_t id);
static bool replace_model(struct workspace *ws, uint32_t id, struct note *note);

uint32_t update_add(struct workspace *ws, struct ws_note *wn)
{
	ws->gen++;
	uint32_t id = ws->notes.len;
	array_push(&ws->notes, wn);
	ws->alive++;
	if (wn->attachment) {
		/* A name links resolve by (and workspace_find finds it by); no
		 * path entry, keys, facts or completion entry. */
		ws->attachments++;
		name_maps_index(ws, id, true);
		return id;
	}
	name_map_add(ws->by_path, slice_from_cstr(wn->abs), id);
	ws_note_describe(ws, wn);
	name_maps_index(ws, id, true);
	name_maps_keys(ws, id, true);
	tell_exts(ws, id, true);
	tell_changed(ws, id);
	name_table_note(ws, id);
	mark_namesakes(ws, id);
	return id;
}

static bool same_aliases(const struct note *a, const struct note *b)
{
	if (a->aliases.len != b->aliases.len)
		return false;
	for (uint32_t i = 0; i < a->aliases.len; i++)
		if (!slice_eq(name_maps_alias(a, i), name_maps_alias(b, i)))
			return false;
	return true;
}

/* Which root holds abs, and its path relative to that root. */
static bool locate(const struct workspace *ws, const char *abs, uint32_t *root, const char **rel)
{
	size_t best = 0;
	bool found = false;
	for (uint32_t i = 0; i < ws->roots.len; i++) {
		size_t n = strlen(ws->roots.items[i]);
		if (n > best && strncmp(abs, ws->roots.items[i], n) == 0 && abs[n] == '/') {
			best = n;
			*root = i;
			*rel = abs + n + 1;
			found = true;
		}
	}
	return found;
}


/* The other notes of this note's name are diagnosed again when it comes,
 * goes or changes: whether a person has two cards (duplicate-card)
 * depends on both. */
static void mark_namesakes(struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = ws->notes.items[id];
	if (ws->bulk || !wn || wn->attachment)
		return;
	struct id_list same = { 0 };
	bool via;
	workspace_candidates(ws, -1, slice_from_cstr(wn->stem), &same, &via);
	for (uint32_t i = 0; i < same.len; i++)
		if (same.items[i] != id)
			backlinks_mark_affected(ws, same.items[i]);
	array_free(&same);
}

uint32_t workspace_set_text(struct workspace *ws, const char *abs,
			    const char *text, size_t len)
{
	return update_set_note(ws, abs, note_parse(text, len));
}

uint32_t update_set_note(struct workspace *ws, const char *abs, struct note *note)
{
	ws->gen++;
	int32_t id = workspace_find(ws, abs);
	if (id >= 0 && ws->notes.items[id]->attachment) {
		/* A file opened as text (an .svg, a .canvas): a note while it is. */
		update_forget(ws, (uint32_t)id);
		id = -1;
	}
	if (id < 0) {
		uint32_t root = 0;
		const char *rel;
		if (!locate(ws, abs, &root, &rel)) {
			/* A file outside every folder: still a note, named by its path. */
			rel = abs[0] == '/' ? abs + 1 : abs;
		}
		uint32_t nid = update_add(ws, ws_note_new(abs, rel, root, note));
		backlinks_mark_affected(ws, nid);
		backlinks_resolve(ws, nid);
		backlinks_resolve_changed(ws);
		return nid;
	}

	struct ws_note *wn = ws->notes.items[id];
	/* Links into this note may name headings or blocks it no longer has
	 * (or now has): their notes are resolved again too. */
	struct id_list sources = { 0 };
	for (uint32_t i = 0; i < wn->backlinks.len; i++) {
		uint32_t from = wn->backlinks.items[i].from;
		if (from != (uint32_t)id && (!sources.len || sources.items[sources.len - 1] != from))
			array_push(&sources, from);
	}
	backlinks_drop(ws, (uint32_t)id);
	bool names_changed = replace_model(ws, (uint32_t)id, note);
	backlinks_resolve(ws, (uint32_t)id);
	for (uint32_t i = 0; i < sources.len; i++) {
		if (!ws->notes.items[sources.items[i]])
			continue;
		backlinks_drop(ws, sources.items[i]);
		backlinks_resolve(ws, sources.items[i]);
	}
	if (names_changed)
		backlinks_resolve_changed(ws);
	array_free(&sources);
	return (uint32_t)id;
}

/* A note's model replaced by another (its links' resolutions dropped by
 * the caller before, resolved again after): names, keys, kind, title and
 * the indexes built on the workspace follow. True when its names did. */
static bool replace_model(struct workspace *ws, uint32_t id, struct note *note)
{
	struct ws_note *wn = ws->notes.items[id];
	bool names_changed = !same_aliases(wn->note, note);
	tell_exts(ws, (uint32_t)id, false);
	mark_namesakes(ws, (uint32_t)id);
	/* Typing in a note mostly leaves its names alone: then the name maps,
	 * and whatever was built from them, stay as they are. */
	if (names_changed) {
		name_maps_index(ws, (uint32_t)id, false);
		name_maps_keys(ws, (uint32_t)id, false);
	}
	note_free(wn->note);
	line_map_fini(&wn->lines);
	free(wn->res);
	wn->note = note;
	wn->disk.size = FILE_SIG_NONE; /* the caller's text: a reload says otherwise */
	line_map_init_compact(&wn->lines, note->text, note->len);
	wn->res = xcalloc(note->links.len ? note->links.len : 1, sizeof(*wn->res));
	bool shown_changed = ws_note_describe(ws, wn);
	if (names_changed) {
		name_maps_index(ws, (uint32_t)id, true);
		name_maps_keys(ws, (uint32_t)id, true);
	}
	if (names_changed || shown_changed)
		name_table_note(ws, (uint32_t)id);
	tell_exts(ws, id, true);
	tell_changed(ws, id);
	backlinks_mark_affected(ws, (uint32_t)id);
	return names_changed;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void update_set_notes(struct workspace *ws, const uint32_t *ids, struct note **notes, uint32_t n)
{
	ws->gen++;
	struct id_list all = { 0 };
	for (uint32_t i = 0; i < n; i++)
		array_push(&all, ids[i]);
	if (all.len)
		qsort(all.items, all.len, sizeof(uint32_t), cmp_u32);
	uint32_t kept = 0;
	for (uint32_t i = 0; i < all.len; i++)
		if (!i || all.items[i] != all.items[i - 1])
			all.items[kept++] = all.items[i];
	all.len = kept;
	/* Their own links dropped (from what they linked to, whose lists are
	 * filtered once for all), their models replaced, the links into
	 * them (from the other notes) resolved again one by one, then their
	 * own. As update_set_note does one at a time, but a note linking to
	 * many of them is not resolved again whole for each. */
	backlinks_drop_many(ws, &all);
	bool names_changed = false;
	for (uint32_t i = 0; i < n; i++)
		names_changed = replace_model(ws, ids[i], notes[i]) || names_changed;
	for (uint32_t i = 0; i < all.len; i++)
		backlinks_resolve_into(ws, all.items[i]);
	for (uint32_t i = 0; i < all.len; i++)
		backlinks_resolve(ws, all.items[i]);
	if (names_changed)
		backlinks_resolve_changed(ws);
	array_free(&all);
}

/* Takes a note out of the index, without resolving links again. */
void update_forget(struct workspace *ws, uint32_t id)
{
	ws->gen++;
	struct ws_note *wn = ws->notes.items[id];
	mark_namesakes(ws, id);
	backlinks_drop(ws, id);
	/* Links into it now resolve elsewhere, or to nothing. */
	backlinks_sources(&ws->changed_sources, wn);
	tell_exts(ws, id, false);
	name_maps_index(ws, id, false);
	name_maps_keys(ws, id, false);
	if (!wn->attachment)
		name_map_remove(ws->by_path, slice_from_cstr(wn->abs), id);
	ws->notes.items[id] = NULL;
	tell_changed(ws, id);
	ws->alive--;
	bool attachment = wn->attachment;
	ws->attachments -= attachment;
	ws_note_free(wn);
	if (!attachment)
		name_table_note(ws, id);
}

void workspace_remove(struct workspace *ws, const char *abs)
{
	int32_t id = workspace_find(ws, abs);
	if (id < 0)
		return;
	update_forget(ws, (uint32_t)id);
	backlinks_resolve_changed(ws);
}

uint32_t workspace_retain(struct workspace *ws, bool (*keep)(void *ctx, const struct ws_note *wn),
			  void *ctx)
{
	uint32_t removed = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (wn && !keep(ctx, wn)) {
			update_forget(ws, id);
			removed++;
		}
	}
	backlinks_resolve_changed(ws);
	return removed;
}

/* Adds the attachment at abs, under a root, without resolving links again;
 * returns its id or -1. */
static int32_t add_attachment(struct workspace *ws, const char *abs)
{
	uint32_t root = 0;
	const char *rel;
	if (!locate(ws, abs, &root, &rel))
		return -1;
	uint32_t id = update_add(ws, ws_note_attachment(ws, abs, rel, root));
	return (int32_t)id;
}

void workspace_add_files(struct workspace *ws, const char *const *paths, uint32_t n)
{
	struct strbuf text = { 0 };
	for (uint32_t i = 0; i < n; i++) {
		bool truncated;
		if (workspace_find(ws, paths[i]) >= 0)
			continue;
		if (workspace_is_attachment_path(paths[i])) {
			add_attachment(ws, paths[i]);
			continue;
		}
		struct file_sig sig;
		bool signed_ = file_sig_now(paths[i], &sig);
		if (!file_read(paths[i], MAX_NOTE_BYTES, &text, &truncated))
			continue;
		if (truncated)
			text.len = 0;
		uint32_t root = 0;
		const char *rel;
		if (!locate(ws, paths[i], &root, &rel))
			continue;
		uint32_t id = update_add(ws, ws_note_new(paths[i], rel, root,
						 note_parse(text.ptr ? text.ptr : "", text.len)));
		if (signed_)
			ws->notes.items[id]->disk = sig;
		backlinks_mark_affected(ws, id);
		array_push(&ws->changed_sources, id);
	}
	strbuf_fini(&text);
	backlinks_resolve_changed(ws);
}

uint32_t workspace_remove_under(struct workspace *ws, const char *folder)
{
	size_t n = strlen(folder);
	uint32_t removed = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (wn && strncmp(wn->abs, folder, n) == 0 && wn->abs[n] == '/') {
			update_forget(ws, id);
			removed++;
		}
	}
	backlinks_resolve_changed(ws);
	return removed;
}

int32_t workspace_reload(struct workspace *ws, const char *abs)
{
	if (workspace_is_attachment_path(abs)) {
		/* Named, never read: there while it is a regular file. */
		struct stat st;
		int32_t id = workspace_find(ws, abs);
		if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode)) {
			workspace_remove(ws, abs);
			return -1;
		}
		if (id >= 0 && !ws->notes.items[id]->attachment) {
			update_forget(ws, (uint32_t)id); /* was open as text */
			id = -1;
		}
		if (id < 0) {
			id = add_attachment(ws, abs);
			backlinks_resolve_changed(ws);
		}
		return id;
	}
	struct strbuf text = { 0 };
	bool truncated;
	int32_t id = -1;
	/* Stat'ed before the read: a signature never newer than the text. */
	struct file_sig sig;
	bool signed_ = file_sig_now(abs, &sig);
	if (file_read(abs, MAX_NOTE_BYTES, &text, &truncated)) {
		if (truncated)
			text.len = 0; /* indexed by name only, as in a scan */
		id = (int32_t)workspace_set_text(ws, abs, text.ptr, text.len);
		if (signed_)
			ws->notes.items[id]->disk = sig;
	} else {
		workspace_remove(ws, abs);
	}
	strbuf_fini(&text);
	return id;
}

void workspace_install(struct workspace *ws, struct ws_scan *scan)
{
	ws->bulk = true;
	for (uint32_t i = scan->installed; i < scan->files.len; i++)
		partial_install(ws, &scan->files.items[i]);
	ws_scan_free(scan);
	ws->bulk = false;
	ws->indexing = false;
	ws->pending = NULL;
	backlinks_resolve_all(ws);
	workspace_name_table(ws); /* now, rather than in the first completion */
}
