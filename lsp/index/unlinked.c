/*
 * unlinked.c — the unlinked-mentions index: every note's names, where the
 * vault's prose writes each, kept up to date as notes change; counted,
 * listed and found in one note (unlinked.h).
 *
 * Mentions are kept by name, not by note: which note a name is (who holds
 * it, how many do) is worked out when asked, so a name moving from one
 * note to another, or becoming shared, reads no text. The workspace calls
 * its on_note (struct ws_ext) as notes come, change and go; that
 * only takes note of what changed, and the next question does the work.
 */
#include "unlinked_impl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static void queue_name(struct unlinked *u, uint32_t name)
{
	if (!u->names.items[name].queued) {
		u->names.items[name].queued = true;
		array_push(&u->changed, name);
	}
}

static void queue_note(struct unlinked *u, uint32_t id)
{
	if (!u->notes.items[id].dirty) {
		u->notes.items[id].dirty = true;
		array_push(&u->dirty, id);
	}
}

static void grow_notes(struct unlinked *u, uint32_t bound)
{
	if (u->notes.len >= bound)
		return;
	array_reserve(&u->notes, bound);
	memset(u->notes.items + u->notes.len, 0, (bound - u->notes.len) * sizeof(struct unote));
	u->notes.len = bound;
}

/* Note id holds the name `name` (its stem if stem). */
static void hold(struct unlinked *u, uint32_t id, struct slice name, bool stem)
{
	struct name_shape shape;
	if (!unlinked_name_key(&u->sc, name, &shape))
		return;
	bool added;
	uint32_t nid = unlinked_name_id(u, u->sc.phrase.items, u->sc.phrase.len, &added);
	if (added) {
		struct uname *nm = &u->names.items[nid];
		nm->words = shape.words;
		nm->upper_word = shape.upper_word;
		nm->mid_sentence = shape.mid_sentence;
		unlinked_first_word(u, &u->sc, &shape);
	}
	struct uname *nm = &u->names.items[nid];
	for (uint32_t i = 0; i < nm->holders.len; i++) {
		if (nm->holders.items[i].note == id) {
			nm->holders.items[i].stem |= stem;
			return;
		}
	}
	/* Most names have one holder, and most notes two or three names:
	 * room for what there is, not ARRAY's eight. */
	struct holder h = { id, stem };
	array_reserve(&nm->holders, nm->holders.len + 1);
	array_push(&nm->holders, h);
	struct unote *un = &u->notes.items[id];
	array_reserve(&un->names, un->names.len + 1);
	array_push(&un->names, nid);
	queue_name(u, nid);
}

static bool present(const struct yaml_node *y)
{
	return y && y->type == YAML_SCALAR_NODE && y->str && slice_trim(slice_from_cstr(y->str)).len;
}

/* Note id's names (unlinked.h) into the index. */
static void hold_names(struct unlinked *u, const struct ws_note *wn, uint32_t id)
{
	const struct note *n = wn->note;
	hold(u, id, slice_from_cstr(wn->stem), true);
	if (present(n->name))
		hold(u, id, slice_trim(slice_from_cstr(n->name->str)), false);
	if (present(n->title) && strcmp(wn->kind, "person") != 0)
		hold(u, id, slice_trim(slice_from_cstr(n->title->str)), false);
	for (uint32_t i = 0; i < n->aliases.len; i++)
		hold(u, id, name_maps_alias(n, i), false);
}

static void release_names(struct unlinked *u, uint32_t id)
{
	struct unote *un = &u->notes.items[id];
	for (uint32_t k = 0; k < un->names.len; k++) {
		struct uname *nm = &u->names.items[un->names.items[k]];
		for (uint32_t i = 0; i < nm->holders.len; i++) {
			if (nm->holders.items[i].note == id) {
				nm->holders.items[i] = nm->holders.items[--nm->holders.len];
				break;
			}
		}
		queue_name(u, un->names.items[k]);
	}
	un->names.len = 0;
}

/* Its struct ws_ext's note: note id came or changed (add), or is changing or
 * going (!add; its entry is still there). */
static void on_note(struct workspace *ws, uint32_t id, bool add)
{
	struct unlinked *u = ws->ext[WS_EXT_UNLINKED].state;
	const struct ws_note *wn = ws->notes.items[id];
	grow_notes(u, id + 1);
	if (wn->attachment)
		return;
	if (add)
		hold_names(u, wn, id);
	else
		release_names(u, id);
	queue_note(u, id);
}

/* What note src's prose was found to write, added to (or taken from)
 * the names' totals. */
static void add_counts(struct unlinked *u, const struct unote *un, bool add)
{
	for (uint32_t k = 0; k < un->n_mentions; k++) {
		struct uname *nm = &u->names.items[un->mentions[k].name];
		if (add)
			nm->total += un->mentions[k].n;
		else
			nm->total -= un->mentions[k].n;
	}
}

static void read_note(struct unlinked *u, const struct workspace *ws, uint32_t id)
{
	struct unote *un = &u->notes.items[id];
	add_counts(u, un, false);
	const struct ws_note *wn = workspace_get(ws, id);
	if (wn && !wn->attachment) {
		unlinked_scan(u, &u->sc, ws, id, un, NULL);
		add_counts(u, un, true);
	} else {
		free(un->mentions);
		free(un->bloom);
		un->mentions = NULL;
		un->n_mentions = 0;
		un->bloom = NULL;
	}
}

/* Appends the notes whose prose writes one of the names (marked in
 * `want`, by name id) to out. */
static void writers(const struct unlinked *u, const bool *want, struct id_list *out)
{
	for (uint32_t id = 0; id < u->notes.len; id++) {
		const struct unote *un = &u->notes.items[id];
		for (uint32_t k = 0; k < un->n_mentions; k++) {
			if (want[un->mentions[k].name]) {
				array_push(out, id);
				break;
			}
		}
	}
}

/*
 * Brings the counts up to date with the names and texts changed since the
 * last call: a name no note held before is looked for in the notes that
 * may write it (their filters hold its words), a name no note holds any
 * more is taken out of the notes that wrote it (a shorter name may be
 * found there instead), and the notes that changed are read again.
 */
static void refresh(struct unlinked *u, const struct workspace *ws)
{
	grow_notes(u, ws->notes.len);
	bool *gone = NULL;
	for (uint32_t k = 0; k < u->changed.len; k++) {
		uint32_t name = u->changed.items[k];
		struct uname *nm = &u->names.items[name];
		nm->queued = false;
		bool live = nm->holders.len > 0;
		if (live == nm->live_indexed)
			continue;
		nm->live_indexed = live;
		if (!live) {
			if (!gone)
				gone = xcalloc(u->names.len, sizeof(bool));
			gone[name] = true;
		} else {
			struct id_list srcs = { 0 };
			unlinked_sources(u, nm, &srcs);
			for (uint32_t i = 0; i < srcs.len; i++)
				queue_note(u, srcs.items[i]);
			array_free(&srcs);
		}
	}
	u->changed.len = 0;
	if (gone) {
		struct id_list srcs = { 0 };
		writers(u, gone, &srcs);
		for (uint32_t i = 0; i < srcs.len; i++)
			queue_note(u, srcs.items[i]);
		array_free(&srcs);
		free(gone);
	}
	for (uint32_t k = 0; k < u->dirty.len; k++)
		u->notes.items[u->dirty.items[k]].dirty = false;
	struct id_list todo = u->dirty;
	u->dirty = (struct id_list){ 0 };
	for (uint32_t k = 0; k < todo.len; k++)
		read_note(u, ws, todo.items[k]);
	array_free(&todo);
}

static void unlinked_free(void *state)
{
	struct unlinked *u = state;
	array_free(&u->firsts.words);
	free(u->firsts.slots);
	array_free(&u->firsts.text);
	for (uint32_t i = 0; i < u->names.len; i++)
		array_free(&u->names.items[i].holders);
	array_free(&u->names);
	free(u->name_slots);
	array_free(&u->name_text);
	for (uint32_t i = 0; i < u->notes.len; i++) {
		array_free(&u->notes.items[i].names);
		free(u->notes.items[i].mentions);
		free(u->notes.items[i].bloom);
	}
	array_free(&u->notes);
	array_free(&u->changed);
	array_free(&u->dirty);
	unlinked_scratch_fini(&u->sc);
	free(u);
}

/* Reading every note's prose at the build, on several threads: each takes
 * the next few notes until none is left. Only the notes' entries are
 * written (each by the thread reading it); the index and the workspace
 * are only read. */
struct reader {
	struct unlinked *u;
	const struct workspace *ws;
	atomic_uint *next;
	struct scratch sc;
};

#define READ_CHUNK 64

static void *read_notes(void *arg)
{
	struct reader *r = arg;
	uint32_t bound = r->u->notes.len;
	for (;;) {
		uint32_t first = atomic_fetch_add(r->next, READ_CHUNK);
		if (first >= bound)
			break;
		uint32_t last = first + READ_CHUNK < bound ? first + READ_CHUNK : bound;
		for (uint32_t id = first; id < last; id++) {
			const struct ws_note *wn = r->ws->notes.items[id];
			if (wn && !wn->attachment)
				unlinked_scan(r->u, &r->sc, r->ws, id, &r->u->notes.items[id], NULL);
		}
	}
	return NULL;
}

static void read_all(struct unlinked *u, const struct workspace *ws)
{
	unsigned threads = u->threads;
	if (workspace_count(ws) < 2000)
		threads = 1;
	atomic_uint next = 0;
	struct reader *rs = xcalloc(threads, sizeof(*rs));
	pthread_t *tids = xcalloc(threads, sizeof(*tids));
	unsigned started = 1;
	for (unsigned i = 0; i < threads; i++) {
		rs[i].u = u;
		rs[i].ws = ws;
		rs[i].next = &next;
	}
	for (unsigned i = 1; i < threads; i++)
		if (pthread_create(&tids[i], NULL, read_notes, &rs[i]) == 0)
			started = i + 1;
		else
			break;
	read_notes(&rs[0]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(tids[i], NULL);
	for (unsigned i = 0; i < threads; i++)
		unlinked_scratch_fini(&rs[i].sc);
	free(rs);
	free(tids);
	for (uint32_t id = 0; id < u->notes.len; id++)
		add_counts(u, &u->notes.items[id], true);
}

/* Every note's names first (so that every note is read knowing them
 * all), then every note's prose. */
static void build(struct workspace *ws)
{
	struct unlinked *u = xcalloc(1, sizeof(*u));
	u->threads = ws->unlinked_threads ? ws->unlinked_threads : 1;
	ws->ext[WS_EXT_UNLINKED] = (struct ws_ext){ u, on_note, NULL, unlinked_free };
	grow_notes(u, ws->notes.len);
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		const struct ws_note *wn = ws->notes.items[id];
		if (wn && !wn->attachment)
			hold_names(u, wn, id);
	}
	for (uint32_t k = 0; k < u->changed.len; k++) {
		struct uname *nm = &u->names.items[u->changed.items[k]];
		nm->queued = false;
		nm->live_indexed = nm->holders.len > 0;
	}
	u->changed.len = 0;
	for (uint32_t k = 0; k < u->dirty.len; k++)
		u->notes.items[u->dirty.items[k]].dirty = false;
	u->dirty.len = 0;
	read_all(u, ws);
}

void unlinked_threads(struct workspace *ws, unsigned threads)
{
	ws->unlinked_threads = threads > 64 ? 64 : threads;
	if (ws->ext[WS_EXT_UNLINKED].state)
		((struct unlinked *)ws->ext[WS_EXT_UNLINKED].state)->threads = ws->unlinked_threads ? ws->unlinked_threads : 1;
}

bool unlinked_built(const struct workspace *ws)
{
	return ws->ext[WS_EXT_UNLINKED].state != NULL;
}

void unlinked_update(struct workspace *ws)
{
	if (!ws->ext[WS_EXT_UNLINKED].state)
		build(ws);
	else
		refresh(ws->ext[WS_EXT_UNLINKED].state, ws);
}

static const struct unote *note_of(struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || wn->attachment)
		return NULL;
	unlinked_update(ws);
	return &((struct unlinked *)ws->ext[WS_EXT_UNLINKED].state)->notes.items[id];
}

uint32_t unlinked_count(struct workspace *ws, uint32_t id)
{
	const struct unote *un = note_of(ws, id);
	if (!un)
		return 0;
	const struct unlinked *u = ws->ext[WS_EXT_UNLINKED].state;
	uint32_t total = 0;
	for (uint32_t k = 0; k < un->names.len; k++) {
		const struct uname *nm = &u->names.items[un->names.items[k]];
		if (unlinked_owner(nm) == (int32_t)id)
			total += nm->total - unlinked_note_count(un, un->names.items[k]);
	}
	return total;
}

struct ranked {
	const char *rel;
	struct unlinked_mention m;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->rel, y->rel);
	if (c)
		return c;
	return x->m.span.start < y->m.span.start ? -1 : x->m.span.start > y->m.span.start;
}

void unlinked_list(struct workspace *ws, uint32_t id, struct unlinked_list *out)
{
	const struct unote *un = note_of(ws, id);
	if (!un)
		return;
	struct unlinked *u = ws->ext[WS_EXT_UNLINKED].state;
	bool *mine = xcalloc(u->names.len ? u->names.len : 1, sizeof(bool));
	bool any = false;
	for (uint32_t k = 0; k < un->names.len; k++) {
		const struct uname *nm = &u->names.items[un->names.items[k]];
		if (unlinked_owner(nm) == (int32_t)id && nm->total) {
			mine[un->names.items[k]] = true;
			any = true;
		}
	}
	struct id_list srcs = { 0 };
	if (any)
		writers(u, mine, &srcs);
	free(mine);
	/* Where in each, its text says: read again, keeping what names id. */
	ARRAY(struct ranked) all = { 0 };
	struct unlinked_list found = { 0 };
	for (uint32_t i = 0; i < srcs.len; i++) {
		if (srcs.items[i] == id)
			continue;
		found.len = 0;
		unlinked_scan(u, &u->sc, ws, srcs.items[i], NULL, &found);
		for (uint32_t k = 0; k < found.len; k++) {
			if (found.items[k].note != id)
				continue;
			struct ranked r = { ws->notes.items[srcs.items[i]]->rel,
					    { srcs.items[i], found.items[k].span } };
			array_push(&all, r);
		}
	}
	array_free(&found);
	array_free(&srcs);
	if (all.len)
		qsort(all.items, all.len, sizeof(*all.items), ranked_cmp);
	for (uint32_t i = 0; i < all.len; i++)
		array_push(out, all.items[i].m);
	array_free(&all);
}

void unlinked_in_note(struct workspace *ws, uint32_t id, struct unlinked_list *out)
{
	if (!note_of(ws, id))
		return;
	unlinked_scan(ws->ext[WS_EXT_UNLINKED].state, &((struct unlinked *)ws->ext[WS_EXT_UNLINKED].state)->sc, ws, id, NULL, out);
}
