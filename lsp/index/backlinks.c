/* backlinks.c — links kept resolved both ways as the vault changes:
 * backlinks, links that resolve to nothing, and the notes affected. */
#include "workspace_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static bool dangles(const struct resolution *r)
{
	return r->note < 0 && r->status != LINK_IGNORED;
}

/* Forgets what a note's links resolved to: the backlinks they gave, and
 * their entries in the dangling map. */
void backlinks_drop(struct workspace *ws, uint32_t from)
{
	struct ws_note *wn = ws->notes.items[from];
	struct strbuf tmp = { 0 };
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		if (!dangles(&wn->res[i]))
			continue;
		const struct wikilink *l = &wn->note->links.items[i];
		struct slice target = note_slice(wn->note, wikilink_target(l));
		if (!ws->dangling_lazy)
			name_map_remove(ws->dangling, resolve_lookup_key(target, &tmp), from);
	}
	strbuf_fini(&tmp);
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		int32_t t = wn->res[i].note;
		if (t < 0 || !ws->notes.items[t])
			continue;
		struct ws_note *tn = ws->notes.items[t];
		uint32_t k = 0;
		for (uint32_t j = 0; j < tn->backlinks.len; j++)
			if (tn->backlinks.items[j].from != from)
				tn->backlinks.items[k++] = tn->backlinks.items[j];
		tn->backlinks.len = k;
	}
}

void backlinks_drop_many(struct workspace *ws, const struct id_list *ids)
{
	enum { DROPPED = 1, TARGET = 2 };
	uint8_t *mark = xcalloc(ws->notes.len ? ws->notes.len : 1, 1);
	for (uint32_t k = 0; k < ids->len; k++)
		mark[ids->items[k]] |= DROPPED;
	struct id_list targets = { 0 };
	struct strbuf tmp = { 0 };
	for (uint32_t k = 0; k < ids->len; k++) {
		uint32_t from = ids->items[k];
		struct ws_note *wn = ws->notes.items[from];
		if (!wn)
			continue;
		for (uint32_t i = 0; i < wn->note->links.len; i++) {
			const struct resolution *r = &wn->res[i];
			if (dangles(r)) {
				const struct wikilink *l = &wn->note->links.items[i];
				struct slice target = note_slice(wn->note, wikilink_target(l));
				if (!ws->dangling_lazy)
					name_map_remove(ws->dangling, resolve_lookup_key(target, &tmp), from);
			} else if (r->note >= 0 && ws->notes.items[r->note] && !(mark[r->note] & TARGET)) {
				mark[r->note] |= TARGET;
				array_push(&targets, (uint32_t)r->note);
			}
		}
	}
	for (uint32_t k = 0; k < targets.len; k++) {
		struct ws_note *tn = ws->notes.items[targets.items[k]];
		uint32_t kept = 0;
		for (uint32_t j = 0; j < tn->backlinks.len; j++)
			if (!(mark[tn->backlinks.items[j].from] & DROPPED))
				tn->backlinks.items[kept++] = tn->backlinks.items[j];
		tn->backlinks.len = kept;
	}
	strbuf_fini(&tmp);
	array_free(&targets);
	free(mark);
}

void backlinks_mark_affected(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	if (wn && !wn->affected && !wn->attachment) {
		wn->affected = true;
		array_push(&ws->affected, id);
	}
}

/* Field by field: memcmp would read the padding, which is undefined. */
static bool same_resolution(const struct resolution *a, const struct resolution *b)
{
	return a->status == b->status && a->ambiguous == b->ambiguous &&
	       a->via_alias == b->via_alias && a->note == b->note && a->heading == b->heading &&
	       a->block == b->block && a->alias == b->alias;
}

/* Resolves a note's links again, marking it affected if any changed. */
static void resolve_links(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		struct resolution r = resolve_link(ws, id, &wn->note->links.items[i]);
		if (!same_resolution(&r, &wn->res[i]))
			backlinks_mark_affected(ws, id);
		wn->res[i] = r;
	}
}

static bool links_back(const struct resolution *r)
{
	return r->note >= 0 && r->status != LINK_IGNORED;
}

/* Adds a note's links to the backlinks of the notes they resolve to. */
static void link_back(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	struct strbuf tmp = { 0 };
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		if (links_back(&wn->res[i])) {
			struct backlink b = { id, i };
			array_push(&ws->notes.items[wn->res[i].note]->backlinks, b);
		} else if (dangles(&wn->res[i]) && !ws->dangling_lazy) {
			const struct wikilink *l = &wn->note->links.items[i];
			struct slice target = note_slice(wn->note, wikilink_target(l));
			name_map_add(ws->dangling, resolve_lookup_key(target, &tmp), id);
		}
	}
	strbuf_fini(&tmp);
}

struct name_map *backlinks_dangling_map(struct workspace *ws)
{
	if (!ws->dangling_lazy)
		return ws->dangling;
	ws->dangling_lazy = false;
	struct strbuf tmp = { 0 };
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		struct ws_note *wn = ws->notes.items[id];
		for (uint32_t i = 0; wn && i < wn->note->links.len; i++) {
			if (!dangles(&wn->res[i]))
				continue;
			struct slice target = note_slice(wn->note, wikilink_target(&wn->note->links.items[i]));
			name_map_add(ws->dangling, resolve_lookup_key(target, &tmp), id);
		}
	}
	strbuf_fini(&tmp);
	return ws->dangling;
}

void backlinks_resolve_into(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	ARRAY(struct backlink) old = { wn->backlinks.items, wn->backlinks.len, wn->backlinks.cap };
	wn->backlinks.items = NULL;
	wn->backlinks.len = wn->backlinks.cap = 0;
	array_reserve(&wn->backlinks, old.len);
	struct strbuf tmp = { 0 };
	for (uint32_t k = 0; k < old.len; k++) {
		uint32_t from = old.items[k].from, link = old.items[k].link;
		struct ws_note *fn = ws->notes.items[from];
		if (!fn || link >= fn->note->links.len)
			continue;
		struct resolution r = resolve_link(ws, from, &fn->note->links.items[link]);
		if (!same_resolution(&r, &fn->res[link]))
			backlinks_mark_affected(ws, from);
		fn->res[link] = r;
		if (links_back(&r)) {
			struct backlink b = { from, link };
			array_push(&ws->notes.items[r.note]->backlinks, b);
		} else if (dangles(&r) && !ws->dangling_lazy) {
			struct slice target = note_slice(fn->note, wikilink_target(&fn->note->links.items[link]));
			name_map_add(ws->dangling, resolve_lookup_key(target, &tmp), from);
		}
	}
	strbuf_fini(&tmp);
	array_free(&old);
}

void backlinks_resolve(struct workspace *ws, uint32_t id)
{
	resolve_links(ws, id);
	link_back(ws, id);
}

/* Resolving every link of a vault this large is split between two
 * threads: at 10,000 notes it was a fifth of a cold start, alone on one
 * core once the parse was over. */
#define SPLIT_NOTES 2048

struct resolve_range {
	struct workspace *ws;
	uint32_t from, to;
	uint8_t *changed; /* [id]: a link of note id resolves otherwise */
};

/* Only reads the index but for the notes' own resolutions, so two ranges
 * run at once; which notes are affected is told after, in id order. */
static void *resolve_range(void *arg)
{
	struct resolve_range *rr = arg;
	for (uint32_t id = rr->from; id < rr->to; id++) {
		struct ws_note *wn = rr->ws->notes.items[id];
		for (uint32_t i = 0; wn && i < wn->note->links.len; i++) {
			struct resolution r = resolve_link(rr->ws, id, &wn->note->links.items[i]);
			if (!same_resolution(&r, &wn->res[i]))
				rr->changed[id] = 1;
			wn->res[i] = r;
		}
	}
	return NULL;
}

/* Every link of the vault, from scratch. The
 * backlinks are counted before they are added, so that each list is
 * allocated once at its size: grown by doubling, the lists of a whole
 * vault kept a third of their room empty. */
void backlinks_resolve_all(struct workspace *ws)
{
	uint32_t n = ws->notes.len;
	uint8_t *changed = xcalloc(n ? n : 1, 1);
	/* Halves of equal links, not of equal notes. */
	uint64_t links = 0, half = 0;
	for (uint32_t id = 0; id < n; id++)
		if (ws->notes.items[id])
			links += ws->notes.items[id]->note->links.len;
	uint32_t mid = 0;
	while (mid < n && half < links / 2) {
		if (ws->notes.items[mid])
			half += ws->notes.items[mid]->note->links.len;
		mid++;
	}
	struct resolve_range first = { ws, 0, n, changed }, second = { ws, mid, n, changed };
	pthread_t t;
	bool split = n >= SPLIT_NOTES && pthread_create(&t, NULL, resolve_range, &second) == 0;
	if (split)
		first.to = mid;
	resolve_range(&first);
	if (split)
		pthread_join(t, NULL);
	for (uint32_t id = 0; id < n; id++)
		if (changed[id])
			backlinks_mark_affected(ws, id);
	free(changed);
	backlinks_link_all(ws);
}

void backlinks_link_all(struct workspace *ws)
{
	name_map_free(ws->dangling);
	ws->dangling = name_map_new();
	ws->dangling_lazy = false;
	str_list_clear(&ws->changed_names);
	ws->changed_sources.len = 0;
	uint32_t n = ws->notes.len;
	uint32_t *count = xcalloc(n ? n : 1, sizeof(uint32_t));
	for (uint32_t id = 0; id < n; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (!wn)
			continue;
		wn->backlinks.len = 0;
		for (uint32_t i = 0; i < wn->note->links.len; i++)
			if (links_back(&wn->res[i]))
				count[wn->res[i].note]++;
	}
	for (uint32_t id = 0; id < n; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (wn)
			array_reserve(&wn->backlinks, count[id]);
	}
	for (uint32_t id = 0; id < n; id++)
		if (ws->notes.items[id])
			link_back(ws, id);
	free(count);
}

void backlinks_sources(struct id_list *out, const struct ws_note *wn)
{
	for (uint32_t i = 0; i < wn->backlinks.len; i++)
		array_push(out, wn->backlinks.items[i].from);
}

static int cmp_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Names came or went (changed_names), and some notes' links must be looked
 * at again anyway (changed_sources): resolves again only the links that
 * may now mean another note — those into a note bearing one of the names
 * (another may now be preferred, or the name be ambiguous) and those that
 * resolved to nothing under one of them — so that a new note, a rename or
 * an alias typed costs what depends on it, not the vault. Falls back to
 * backlinks_resolve_all when most of the vault is concerned anyway.
 */
void backlinks_resolve_changed(struct workspace *ws)
{
	struct id_list *src = &ws->changed_sources;
	uint32_t most = ws->alive / 4 > 64 ? ws->alive / 4 : 64;
	for (uint32_t i = 0; i < ws->changed_names.len && src->len <= most; i++) {
		struct slice k = slice_from_cstr(ws->changed_names.items[i]);
		struct name_map *maps[] = { ws->by_stem, ws->by_alias };
		for (int m = 0; m < 2; m++) {
			uint32_t n;
			const uint32_t *ids = name_map_get(maps[m], k, &n);
			for (uint32_t j = 0; j < n; j++)
				if (ws->notes.items[ids[j]])
					backlinks_sources(src, ws->notes.items[ids[j]]);
		}
		uint32_t n;
		const uint32_t *ids = name_map_get(backlinks_dangling_map(ws), k, &n);
		for (uint32_t j = 0; j < n; j++)
			array_push(src, ids[j]);
	}
	if (src->len > most) {
		backlinks_resolve_all(ws);
		return;
	}
	if (src->len)
		qsort(src->items, src->len, sizeof(uint32_t), cmp_ids);
	for (uint32_t i = 0; i < src->len; i++) {
		uint32_t id = src->items[i];
		if ((i && id == src->items[i - 1]) || id >= ws->notes.len || !ws->notes.items[id])
			continue;
		backlinks_drop(ws, id);
		backlinks_resolve(ws, id);
	}
	str_list_clear(&ws->changed_names);
	src->len = 0;
}


void workspace_take_affected(struct workspace *ws, struct id_list *out)
{
	for (uint32_t i = 0; i < ws->affected.len; i++) {
		struct ws_note *wn = ws->notes.items[ws->affected.items[i]];
		if (wn) {
			wn->affected = false;
			array_push(out, ws->affected.items[i]);
		}
	}
	ws->affected.len = 0;
}
