/* tags.c — every tag of the vault, folded, with the notes holding each
 * (nested tags counted under their parents); built on first use, then
 * kept up to date note by note (see tags.h). */
#include "fuzzy.h"
#include "names.h"
#include "tags_impl.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

struct tag_entry {
	uint32_t name, key, search;     /* offsets into text, each NUL-terminated */
	uint32_t name_len, key_len, search_len;
	uint64_t mask;                  /* fuzzy_mask of the search key */
	uint32_t direct;                /* notes holding the tag itself */
	/* The notes holding it or a tag nested under it, in no order. */
	struct { uint32_t *items; uint32_t len, cap; } notes;
};

/* One tag of one note: its id (TAG_DIRECT set when the note holds the
 * tag itself, not only a nested one), and where the note is in the tag's
 * list of notes, so that leaving it costs no search of a long list. A
 * note's tags are sorted by id. */
#define TAG_DIRECT 0x80000000u
struct note_tag {
	uint32_t tag;
	uint32_t pos;
};
struct note_tags {
	struct note_tag *items;
	uint32_t len, cap;
	bool present;        /* the note is in the index (path_rank knows it) */
};

struct tag_index {
	ARRAY(struct tag_entry) tags;   /* by id; never removed (a tag may come back) */
	struct strbuf text;
	uint32_t *slots, cap;           /* folded key -> id + 1 (0: empty), linear probing */
	ARRAY(struct note_tags) by_note; /* by note id */
	/* Reused from note to note: building the index at 100,000 notes was
	 * mostly allocating them. */
	struct note_tags scratch;
	struct strbuf tmp;
	/* By note id: its place among every note's absolute path, to sort
	 * the notes of a large tag without comparing paths; made again when
	 * asked after a note came or went. */
	uint32_t *path_rank;
	bool path_stale;
};

/* ---- the tags, by folded key ---------------------------------------- */

static struct slice text_at(const struct tag_index *ti, uint32_t off, uint32_t len)
{
	return (struct slice){ ti->text.ptr + off, len };
}

static uint32_t *slot_of(const struct tag_index *ti, struct slice key)
{
	uint32_t h = hash_fnv1a(HASH_FNV1A_SEED, key.ptr, key.len);
	for (uint32_t i = h & (ti->cap - 1);; i = (i + 1) & (ti->cap - 1)) {
		uint32_t s = ti->slots[i];
		if (!s)
			return &ti->slots[i];
		const struct tag_entry *e = &ti->tags.items[s - 1];
		if (slice_eq(text_at(ti, e->key, e->key_len), key))
			return &ti->slots[i];
	}
}

static uint32_t put_text(struct tag_index *ti, struct slice s)
{
	uint32_t off = (uint32_t)ti->text.len;
	strbuf_put(&ti->text, s.ptr, s.len);
	strbuf_putc(&ti->text, '\0');
	return off;
}

/* The id of the tag with this folded key; made, named `name`, if new. */
static uint32_t intern(struct tag_index *ti, struct slice key, struct slice name)
{
	uint32_t *slot = slot_of(ti, key);
	if (*slot)
		return *slot - 1;
	if ((ti->tags.len + 1) * 4 > ti->cap * 3) {
		uint32_t *old = ti->slots, old_cap = ti->cap;
		ti->cap *= 2;
		ti->slots = xcalloc(ti->cap, sizeof(uint32_t));
		for (uint32_t i = 0; i < old_cap; i++) {
			if (!old[i])
				continue;
			const struct tag_entry *e = &ti->tags.items[old[i] - 1];
			*slot_of(ti, text_at(ti, e->key, e->key_len)) = old[i];
		}
		free(old);
		slot = slot_of(ti, key);
	}
	struct tag_entry e = { 0 };
	e.key = put_text(ti, key);
	e.key_len = (uint32_t)key.len;
	e.name = put_text(ti, name);
	e.name_len = (uint32_t)name.len;
	e.search = (uint32_t)ti->text.len;
	names_search_key(name, &ti->text);
	e.search_len = (uint32_t)(ti->text.len - e.search);
	strbuf_putc(&ti->text, '\0');
	e.mask = fuzzy_mask(text_at(ti, e.search, e.search_len));
	array_push(&ti->tags, e);
	*slot = ti->tags.len;
	return ti->tags.len - 1;
}

/* ---- what a note holds ---------------------------------------------- */

struct collect {
	struct tag_index *ti;
	const struct note *n;
	struct note_tags *out;
	struct strbuf *tmp;
};

/* The tag written at s and each tag it is nested under. */
static void collect_one(void *ctx, struct span s)
{
	struct collect *c = ctx;
	struct slice w = tags_read_bare(note_slice(c->n, s));
	if (!w.len)
		return;
	struct note_tag nt = { intern(c->ti, tags_read_fold(w, c->tmp), w) | TAG_DIRECT, 0 };
	array_push(c->out, nt);
	unsigned depth = 0;
	for (size_t i = 1; i < w.len && depth < TAG_MAX_DEPTH; i++) {
		if (w.ptr[i] != '/' || w.ptr[i - 1] == '/')
			continue;
		depth++;
		struct slice parent = { w.ptr, i };
		nt.tag = intern(c->ti, tags_read_fold(parent, c->tmp), parent);
		array_push(c->out, nt);
	}
}

static int cmp_note_tag(const void *a, const void *b)
{
	uint32_t x = ((const struct note_tag *)a)->tag & ~TAG_DIRECT;
	uint32_t y = ((const struct note_tag *)b)->tag & ~TAG_DIRECT;
	return x < y ? -1 : x > y;
}

/* Note n's tags, sorted by id, each once: direct when the note writes the
 * tag itself at least once, not only tags nested under it. */
static void note_tags_of(struct tag_index *ti, const struct note *n, struct note_tags *out)
{
	struct collect c = { ti, n, out, &ti->tmp };
	tags_read_each(n, collect_one, &c);
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(out->items[0]), cmp_note_tag);
	uint32_t w = 0;
	for (uint32_t i = 0; i < out->len; i++) {
		if (w && (out->items[w - 1].tag & ~TAG_DIRECT) == (out->items[i].tag & ~TAG_DIRECT))
			out->items[w - 1].tag |= out->items[i].tag & TAG_DIRECT;
		else
			out->items[w++] = out->items[i];
	}
	out->len = w;
}

static struct note_tag *find_note_tag(struct note_tags *nt, uint32_t tag)
{
	uint32_t lo = 0, hi = nt->len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t t = nt->items[mid].tag & ~TAG_DIRECT;
		if (t == tag)
			return &nt->items[mid];
		if (t < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Takes note id out of every tag's list: the last note of a list takes
 * its place. */
static void leave(struct tag_index *ti, uint32_t id)
{
	struct note_tags *mine = &ti->by_note.items[id];
	for (uint32_t i = 0; i < mine->len; i++) {
		uint32_t t = mine->items[i].tag & ~TAG_DIRECT;
		struct tag_entry *e = &ti->tags.items[t];
		e->direct -= (mine->items[i].tag & TAG_DIRECT) != 0;
		uint32_t pos = mine->items[i].pos, moved = e->notes.items[--e->notes.len];
		if (pos == e->notes.len)
			continue;
		e->notes.items[pos] = moved;
		find_note_tag(&ti->by_note.items[moved], t)->pos = pos;
	}
	mine->len = 0;
}

/* Note id came, changed or went (its struct ws_ext). */
static void note_changed(struct workspace *ws, uint32_t id)
{
	struct tag_index *ti = ws->ext[WS_EXT_TAGS].state;
	while (ti->by_note.len <= id) {
		struct note_tags none = { 0 };
		array_push(&ti->by_note, none);
	}
	const struct ws_note *wn = ws->notes.items[id];
	struct note_tags *now = &ti->scratch;
	now->len = 0;
	if (wn && !wn->attachment)
		note_tags_of(ti, wn->note, now);
	struct note_tags *mine = &ti->by_note.items[id];
	if (mine->present != (wn && !wn->attachment)) {
		mine->present = !mine->present;
		ti->path_stale = true;
	}
	bool same = now->len == mine->len;
	for (uint32_t i = 0; same && i < now->len; i++)
		same = now->items[i].tag == mine->items[i].tag;
	if (same)
		return; /* typing in a note mostly leaves its tags alone */
	leave(ti, id);
	if (mine->cap < now->len || mine->cap > 2 * now->len) {
		array_free(mine);
		array_reserve(mine, now->len);
	}
	mine->len = now->len;
	for (uint32_t i = 0; i < now->len; i++) {
		struct tag_entry *e = &ti->tags.items[now->items[i].tag & ~TAG_DIRECT];
		e->direct += (now->items[i].tag & TAG_DIRECT) != 0;
		mine->items[i] = (struct note_tag){ now->items[i].tag, e->notes.len };
		array_push(&e->notes, id);
	}
}

static void index_free(void *state)
{
	struct tag_index *ti = state;
	for (uint32_t i = 0; i < ti->tags.len; i++)
		array_free(&ti->tags.items[i].notes);
	array_free(&ti->tags);
	for (uint32_t i = 0; i < ti->by_note.len; i++)
		array_free(&ti->by_note.items[i]);
	array_free(&ti->by_note);
	array_free(&ti->scratch);
	strbuf_fini(&ti->tmp);
	strbuf_fini(&ti->text);
	free(ti->slots);
	free(ti->path_rank);
	free(ti);
}

static struct tag_index *index_of(struct workspace *ws)
{
	if (ws->ext[WS_EXT_TAGS].state)
		return ws->ext[WS_EXT_TAGS].state;
	struct tag_index *ti = xcalloc(1, sizeof(*ti));
	ti->cap = 256;
	ti->slots = xcalloc(ti->cap, sizeof(uint32_t));
	strbuf_init(&ti->text);
	ws->ext[WS_EXT_TAGS] = (struct ws_ext){ ti, NULL, note_changed, index_free };
	for (uint32_t id = 0; id < ws->notes.len; id++)
		if (ws->notes.items[id])
			note_changed(ws, id);
	return ti;
}

/* ---- questions -------------------------------------------------------- */

uint32_t tags_bound(struct workspace *ws)
{
	return index_of(ws)->tags.len;
}

bool tags_get(struct workspace *ws, uint32_t id, struct tag_info *out)
{
	struct tag_index *ti = index_of(ws);
	if (id >= ti->tags.len || !ti->tags.items[id].notes.len)
		return false;
	const struct tag_entry *e = &ti->tags.items[id];
	*out = (struct tag_info){ text_at(ti, e->name, e->name_len), text_at(ti, e->key, e->key_len),
				  e->notes.len, e->direct };
	return true;
}

int32_t tags_find(struct workspace *ws, struct slice tag)
{
	struct tag_index *ti = index_of(ws);
	struct slice w = tags_read_bare(slice_trim(tag));
	if (!w.len)
		return -1;
	struct strbuf tmp = { 0 };
	uint32_t s = *slot_of(ti, tags_read_fold(w, &tmp));
	strbuf_fini(&tmp);
	return s && ti->tags.items[s - 1].notes.len ? (int32_t)(s - 1) : -1;
}

/* A tag or a note with what it is sorted by, so that qsort needs no
 * context. */
struct sort_item {
	const char *text;
	uint32_t count, id;
};

static int cmp_by_count(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

void tags_nested(struct workspace *ws, uint32_t id, struct id_list *out)
{
	struct tag_index *ti = index_of(ws);
	if (id >= ti->tags.len)
		return;
	const struct tag_entry *p = &ti->tags.items[id];
	struct slice pk = text_at(ti, p->key, p->key_len);
	ARRAY(struct sort_item) found = { 0 };
	for (uint32_t i = 0; i < ti->tags.len; i++) {
		const struct tag_entry *e = &ti->tags.items[i];
		if (e->notes.len && tags_read_nested_under(text_at(ti, e->key, e->key_len), pk))
			array_push(&found, ((struct sort_item){ ti->text.ptr + e->key, e->notes.len, i }));
	}
	if (found.len > 1)
		qsort(found.items, found.len, sizeof(found.items[0]), cmp_by_count);
	for (uint32_t i = 0; i < found.len; i++)
		array_push(out, found.items[i].id);
	array_free(&found);
}

struct occ_ctx {
	struct tag_occurrences *out;
	const struct note *n;
	uint32_t note;
	struct slice key;
	bool nested;
	struct strbuf tmp;
};

static void match_one(void *ctx, struct span s)
{
	struct occ_ctx *c = ctx;
	struct slice w = tags_read_bare(note_slice(c->n, s));
	if (w.len && tags_read_matches(w, c->key, c->nested, &c->tmp))
		array_push(c->out, ((struct tag_occurrence){ c->note, s }));
}

static int cmp_by_path(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	return c ? c : x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts these notes by path: comparing paths for a few, by path_rank
 * (made now if need be) for many. */
static void sort_by_path(const struct workspace *ws, struct tag_index *ti, uint32_t *ids, uint32_t n)
{
	if (n < 2)
		return; /* nor qsort a null array */
	if (n < 2048) {
		ARRAY(struct sort_item) notes = { 0 };
		array_reserve(&notes, n);
		for (uint32_t i = 0; i < n; i++)
			array_push(&notes, ((struct sort_item){ ws->notes.items[ids[i]]->abs, 0, ids[i] }));
		qsort(notes.items, n, sizeof(notes.items[0]), cmp_by_path);
		for (uint32_t i = 0; i < n; i++)
			ids[i] = notes.items[i].id;
		array_free(&notes);
		return;
	}
	if (!ti->path_rank || ti->path_stale) {
		ARRAY(struct sort_item) all = { 0 };
		for (uint32_t id = 0; id < ws->notes.len; id++)
			if (ws->notes.items[id] && !ws->notes.items[id]->attachment)
				array_push(&all, ((struct sort_item){ ws->notes.items[id]->abs, 0, id }));
		if (all.len)
			qsort(all.items, all.len, sizeof(all.items[0]), cmp_by_path);
		free(ti->path_rank);
		ti->path_rank = xcalloc(ws->notes.len + 1, sizeof(uint32_t));
		for (uint32_t i = 0; i < all.len; i++)
			ti->path_rank[all.items[i].id] = i;
		array_free(&all);
		ti->path_stale = false;
	}
	uint64_t *keys = xmalloc(n * sizeof(uint64_t));
	for (uint32_t i = 0; i < n; i++)
		keys[i] = (uint64_t)ti->path_rank[ids[i]] << 32 | ids[i];
	qsort(keys, n, sizeof(uint64_t), cmp_u64);
	for (uint32_t i = 0; i < n; i++)
		ids[i] = (uint32_t)keys[i];
	free(keys);
}

static int cmp_by_start(const void *a, const void *b)
{
	const struct tag_occurrence *x = a, *y = b;
	return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

void tags_occurrences(struct workspace *ws, struct slice tag, bool include_nested,
		      struct tag_occurrences *out)
{
	int32_t id = tags_find(ws, tag);
	if (id < 0)
		return;
	struct tag_index *ti = ws->ext[WS_EXT_TAGS].state;
	const struct tag_entry *e = &ti->tags.items[id];
	/* Without nested tags, only the notes writing the tag itself. */
	uint32_t n = 0;
	uint32_t *notes = xmalloc((e->notes.len + 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < e->notes.len; i++) {
		uint32_t note = e->notes.items[i];
		if (include_nested ||
		    (find_note_tag(&ti->by_note.items[note], (uint32_t)id)->tag & TAG_DIRECT))
			notes[n++] = note;
	}
	sort_by_path(ws, ti, notes, n);
	struct occ_ctx c = { out, NULL, 0, text_at(ti, e->key, e->key_len), include_nested, { 0 } };
	for (uint32_t i = 0; i < n; i++) {
		uint32_t first = out->len;
		c.note = notes[i];
		c.n = ws->notes.items[c.note]->note;
		tags_read_each(c.n, match_one, &c);
		/* The frontmatter's come after the body's inline tags. */
		if (out->len - first > 1)
			qsort(out->items + first, out->len - first, sizeof(out->items[0]), cmp_by_start);
	}
	strbuf_fini(&c.tmp);
	free(notes);
}

bool tags_place(struct workspace *ws, uint32_t id, struct tag_occurrence *out)
{
	struct tag_index *ti = index_of(ws);
	if (id >= ti->tags.len)
		return false;
	const struct tag_entry *e = &ti->tags.items[id];
	uint32_t best = UINT32_MAX;
	for (uint32_t i = 0; i < e->notes.len; i++) {
		uint32_t n = e->notes.items[i];
		if (n < best && (find_note_tag(&ti->by_note.items[n], id)->tag & TAG_DIRECT))
			best = n;
	}
	if (best == UINT32_MAX)
		return false;
	struct tag_occurrences found = { 0 };
	struct occ_ctx c = { &found, ws->notes.items[best]->note, best,
			     text_at(ti, e->key, e->key_len), false, { 0 } };
	tags_read_each(c.n, match_one, &c);
	strbuf_fini(&c.tmp);
	bool ok = found.len > 0;
	for (uint32_t i = 0; i < found.len; i++)
		if (i == 0 || found.items[i].span.start < out->span.start)
			*out = found.items[i];
	array_free(&found);
	return ok;
}

void tags_rank(struct workspace *ws, struct slice query, uint32_t order, bool by_count,
	       struct rank_top *top)
{
	struct tag_index *ti = index_of(ws);
	struct strbuf qk = { 0 };
	rank_query_key(query, &qk);
	/* "#ta" and "ta" look for the same tags. */
	struct slice q = tags_read_bare((struct slice){ qk.ptr ? qk.ptr : "", qk.len });
	uint64_t qmask = fuzzy_mask(q);
	for (uint32_t i = 0; i < ti->tags.len; i++) {
		const struct tag_entry *e = &ti->tags.items[i];
		if (!e->direct || (e->mask & qmask) != qmask)
			continue;
		int score = fuzzy_score(q, text_at(ti, e->search, e->search_len));
		if (score < 0)
			continue;
		struct rank_candidate c = { score, 2, true, by_count ? UINT32_MAX - e->notes.len : order,
					    i, 1, ti->text.ptr + e->name, e->name_len };
		rank_offer(top, c);
	}
	strbuf_fini(&qk);
}
