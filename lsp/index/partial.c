/* partial.c — the index while a scan is still coming in: notes installed
 * as they are parsed, and which names no note still to come can change. */
#include "workspace_impl.h"

#include <stdlib.h>

void workspace_expect_scan(struct workspace *ws)
{
	ws->indexing = true;
	ws->pending = NULL;
}

bool workspace_partial(const struct workspace *ws)
{
	return ws->indexing;
}

void partial_install(struct workspace *ws, struct scanned *s)
{
	if (s->attachment) {
		if (workspace_find(ws, s->abs) < 0)
			update_add(ws, ws_note_attachment(ws, s->abs, s->rel, s->root));
		/* The index has its own copy: with 100,000 images, the scan's
		 * would double the peak. */
		free(s->abs);
		s->abs = s->rel = NULL;
		return;
	}
	if (!s->note) /* unread: the scan stopped, or the file is gone */
		return;
	if (workspace_find(ws, s->abs) >= 0) {
		/* Already there (an open buffer wins over the disk). */
		note_free(s->note);
	} else {
		uint32_t id = update_add(ws, ws_note_new(s->abs, s->rel, s->root, s->note));
		/* Resolved all at once at the end: until then its links are no
		 * references (a zeroed resolution would name note 0). */
		struct ws_note *wn = ws->notes.items[id];
		wn->disk = s->disk;
		for (uint32_t i = 0; i < wn->note->links.len; i++)
			wn->res[i] = (struct resolution){ .note = -1, .heading = -1, .block = -1,
							  .status = LINK_IGNORED, .alias = -1 };
	}
	s->note = NULL;
}

uint32_t workspace_install_parsed(struct workspace *ws, struct ws_scan *scan)
{
	ws->pending = scan;
	uint32_t n = 0;
	ws->bulk = true;
	/* In the walk's order, so that "installed" is one cursor: the few
	 * files parsed ahead of a slower one wait for it. */
	while (scan->installed < scan->files.len &&
	       atomic_load_explicit(&scan->ready[scan->installed], memory_order_acquire)) {
		partial_install(ws, &scan->files.items[scan->installed++]);
		n++;
	}
	ws->bulk = false;
	return n;
}

bool workspace_settled(const struct workspace *ws, struct slice target)
{
	if (!ws->indexing)
		return true;
	const struct ws_scan *scan = ws->pending;
	if (!scan)
		return false; /* the walk is not over: any file may bear it */
	struct strbuf tmp = { 0 };
	uint32_t n;
	const uint32_t *ids = name_map_get(scan->names, resolve_lookup_key(target, &tmp), &n);
	strbuf_fini(&tmp);
	/* No file of that name: it could only be an alias, and any note still
	 * to come may declare it. */
	bool settled = n > 0;
	for (uint32_t i = 0; i < n && settled; i++)
		settled = ids[i] < scan->installed;
	return settled;
}
