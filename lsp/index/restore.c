/* restore.c — an index installed from the cache: the notes, names and
 * links as they were when it was written, then what changed on disk
 * since, applied as the files changing would have been. */
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

static char *join(const struct workspace *ws, uint32_t root, const char *rel)
{
	size_t r = strlen(ws->roots.items[root]), n = strlen(rel);
	char *abs = xmalloc(r + 1 + n + 1);
	memcpy(abs, ws->roots.items[root], r);
	abs[r] = '/';
	memcpy(abs + r + 1, rel, n + 1);
	return abs;
}

void workspace_restore_begin(struct workspace *ws, uint32_t n)
{
	ws->bulk = true;
	/* Every map at its size at once, not doubled through a vault's worth
	 * (aliases: a guess; they are few). The dangling links and the names
	 * in text (search keys) are mapped when first needed, not before the
	 * first answer: most sessions need them late, if at all. */
	name_map_reserve(ws->by_path, n);
	name_map_reserve(ws->by_stem, n);
	name_map_reserve(ws->by_alias, n / 8);
	ws->dangling_lazy = true;
	ws->keys_lazy = true;
	array_reserve(&ws->notes, n);
}

/* The index as the cache kept it: entry i becomes note i, its links
 * resolved as they were (the costly part of an index, two seconds at
 * 100,000 notes, is not done again). */
void workspace_restore_add(struct workspace *ws, struct ws_cached *cached, uint32_t from,
			   uint32_t to, uint32_t *ids)
{
	for (uint32_t i = from; i < to; i++) {
		struct ws_cached *c = &cached[i];
		char *abs = join(ws, c->root, c->rel);
		struct ws_note *wn;
		if (c->attachment) {
			wn = ws_note_attachment(ws, abs, c->rel, c->root);
		} else {
			wn = ws_note_adopt(abs, c->rel, c->root, c->note, &c->lines, c->res);
			c->taken = true;
			memset(&c->lines, 0, sizeof(c->lines));
			wn->disk = c->disk;
		}
		ids[i] = update_add(ws, wn);
		free(abs);
	}
}

struct ws_restored workspace_restore_finish(struct workspace *ws, struct ws_scan *scan,
					    struct ws_cached *cached, uint32_t n_cached,
					    uint32_t *ids)
{
	struct ws_restored out = { 0 };
	ws->bulk = false;
	/* The links into each entry as they were (backlink.from: the cache's
	 * entry i is note i), now that all are checked. */
	for (uint32_t i = 0; i < n_cached; i++) {
		struct ws_note *wn = ws->notes.items[ids[i]];
		wn->backlinks.items = cached[i].back;
		wn->backlinks.len = wn->backlinks.cap = cached[i].n_back;
		cached[i].back = NULL;
		cached[i].n_back = 0;
	}
	/* Who the people were when the cached diagnostics were made. */
	ws->told_people_gen = ws->people_gen;
	ws->told_titles_gen = ws->titles_gen;
	uint64_t names = workspace_names_generation(ws);
	/* Then the disk as it is now: what the walk found of each entry. The
	 * notes changed are replaced together, each note linking into them
	 * resolved again once. */
	bool *seen = xcalloc(n_cached ? n_cached : 1, sizeof(bool));
	struct id_list changed = { 0 }, late = { 0 };
	ARRAY(struct note *) models = { 0 };
	ARRAY(struct file_sig) sigs = { 0 };
	for (uint32_t i = 0; i < scan->files.len; i++) {
		struct scanned *s = &scan->files.items[i];
		if (s->cached >= 0 && (s->attachment || s->unchanged)) {
			seen[s->cached] = true;
			if (!s->attachment) {
				ws->notes.items[ids[s->cached]]->disk = s->disk;
				out.kept++;
			}
			continue;
		}
		if (s->attachment) {
			/* New: added once the entries gone are out (a file the
			 * cache has as a note, open as text when it was written,
			 * holds its path until then). */
			array_push(&late, i);
			continue;
		}
		if (!s->note)
			continue; /* unread: as good as gone */
		struct note *note = s->note;
		s->note = NULL;
		if (s->cached >= 0) {
			/* Changed: its model replaced, as a reload does. */
			seen[s->cached] = true;
			array_push(&changed, ids[s->cached]);
			array_push(&models, note);
			array_push(&sigs, s->disk);
			ids[s->cached] = UINT32_MAX;
			out.changed++;
		} else {
			/* New: as workspace_add_files adds one. */
			uint32_t id = update_add(ws, ws_note_new(s->abs, s->rel, s->root, note));
			ws->notes.items[id]->disk = s->disk;
			backlinks_mark_affected(ws, id);
			array_push(&ws->changed_sources, id);
			out.added++;
		}
	}
	if (changed.len)
		update_set_notes(ws, changed.items, models.items, changed.len);
	/* Read from disk, not a buffer's: their files' signatures. */
	for (uint32_t i = 0; i < changed.len; i++)
		ws->notes.items[changed.items[i]]->disk = sigs.items[i];
	array_free(&changed);
	array_free(&models);
	array_free(&sigs);
	for (uint32_t i = 0; i < n_cached; i++) {
		if (!seen[i] && ids[i] != UINT32_MAX) {
			out.gone += !cached[i].attachment;
			update_forget(ws, ids[i]);
			ids[i] = UINT32_MAX;
		}
	}
	free(seen);
	for (uint32_t i = 0; i < late.len; i++) {
		struct scanned *s = &scan->files.items[late.items[i]];
		if (workspace_find(ws, s->abs) < 0)
			update_add(ws, ws_note_attachment(ws, s->abs, s->rel, s->root));
	}
	array_free(&late);
	backlinks_resolve_changed(ws);
	ws_scan_free(scan);
	out.names_changed = workspace_names_generation(ws) != names;
	/* The completion table is left to the first completion: a warm start
	 * is ready sooner by the 50 ms it takes at 100,000 notes. */
	return out;
}

struct ws_restored workspace_install_cached(struct workspace *ws, struct ws_scan *scan,
					    struct ws_cached *cached, uint32_t n_cached,
					    uint32_t *ids)
{
	workspace_restore_begin(ws, n_cached);
	workspace_restore_add(ws, cached, 0, n_cached, ids);
	return workspace_restore_finish(ws, scan, cached, n_cached, ids);
}
