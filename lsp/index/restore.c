/* restore.c — an index installed from the cache: the notes, names and
 * links as they were when it was written, then what changed on disk
 * since, applied as the files changing would have been. */
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

static char *join(const struct workspace *ws, uint32_t root, const char *rel)
{
	struct strbuf b = { 0 };
	strbuf_printf(&b, "%s/%s", ws->roots.items[root], rel);
	return strbuf_detach(&b);
}

/* The index as the cache kept it: entry i becomes note i, its links
 * resolved as they were (the costly part of an index, two seconds at
 * 100,000 notes, is not done again), backlinks from them. */
static void restore_entries(struct workspace *ws, struct ws_cached *cached, uint32_t n,
			    uint32_t *ids)
{
	ws->bulk = true;
	for (uint32_t i = 0; i < n; i++) {
		struct ws_cached *c = &cached[i];
		char *abs = join(ws, c->root, c->rel);
		struct ws_note *wn;
		if (c->attachment) {
			wn = ws_note_attachment(ws, abs, c->rel, c->root);
		} else {
			wn = ws_note_new(abs, c->rel, c->root, c->note);
			c->note = NULL;
			if (c->res) {
				free(wn->res);
				wn->res = c->res;
				c->res = NULL;
			}
			wn->disk = c->disk;
		}
		ids[i] = update_add_note(ws, wn);
		free(abs);
	}
	ws->bulk = false;
	backlinks_link_all(ws);
	/* Who the people were when the cached diagnostics were made. */
	ws->told_people_gen = ws->people_gen;
	ws->told_titles_gen = ws->titles_gen;
}

struct ws_restored workspace_install_cached(struct workspace *ws, struct ws_scan *scan,
					    struct ws_cached *cached, uint32_t n_cached,
					    uint32_t *ids)
{
	struct ws_restored out = { 0 };
	restore_entries(ws, cached, n_cached, ids);
	/* Then the disk as it is now: what the walk found of each entry. */
	bool *seen = xcalloc(n_cached ? n_cached : 1, sizeof(bool));
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
			if (workspace_find(ws, s->abs) < 0)
				update_add_note(ws, ws_note_attachment(ws, s->abs, s->rel, s->root));
			continue;
		}
		if (!s->note)
			continue; /* unread: as good as gone */
		struct note *note = s->note;
		s->note = NULL;
		if (s->cached >= 0) {
			/* Changed: its model replaced, as a reload does. */
			seen[s->cached] = true;
			uint32_t id = update_set_note(ws, s->abs, note);
			ws->notes.items[id]->disk = s->disk;
			ids[s->cached] = UINT32_MAX;
			out.changed++;
		} else {
			/* New: as workspace_add_files adds one. */
			uint32_t id = update_add_note(ws, ws_note_new(s->abs, s->rel, s->root, note));
			ws->notes.items[id]->disk = s->disk;
			backlinks_mark_affected(ws, id);
			array_push(&ws->changed_sources, id);
			out.added++;
		}
	}
	for (uint32_t i = 0; i < n_cached; i++) {
		if (!seen[i] && ids[i] != UINT32_MAX) {
			out.gone += !cached[i].attachment;
			update_forget(ws, ids[i]);
			ids[i] = UINT32_MAX;
		}
	}
	free(seen);
	backlinks_resolve_changed(ws);
	ws_scan_free(scan);
	workspace_name_table(ws);
	return out;
}
