/* suggest.c — did-you-mean: the names of the vault closest to a link
 * target that resolves to nothing (bounded edit distance). */
#include "distance.h"
#include "fuzzy.h"
#include "trigrams.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- suggestions ------------------------------------------------------ */

static uint32_t hash_key(struct slice s);

/* Dangling links repeat (the same missing note named from many notes), so
 * suggestions are remembered per target until a name changes. */
#define SUGGEST_MAX 8
#define SUGGEST_CACHE_MAX 16384

struct suggest_entry {
	char *key;              /* NULL: empty slot */
	uint32_t gen, n;
	uint32_t ids[SUGGEST_MAX];
	char *names[SUGGEST_MAX];
};

/* A name by its note and key index, and a copy of the key's text (valid
 * while the names are: a note re-parsed with the same names has the same
 * keys). Copied, in the names' order: a target is compared with hundreds
 * of them at 100,000 notes, and reading each from its note was four
 * loads from as many places in memory. */
struct name_entry {
	uint64_t mask;
	uint32_t len, id, k;
	uint32_t text; /* offset in suggester.text */
};

struct suggester {
	struct suggest_entry *cache;
	uint32_t cap, used;
	ARRAY(struct name_entry) names;
	struct strbuf text;
	uint32_t names_gen;
	/* The names' trigrams: a target is compared only with the names that
	 * share one with each piece of it, not with every name of the vault. */
	struct trigrams *grams;
};

static void suggest_cache_clear(struct suggester *sg)
{
	for (uint32_t i = 0; i < sg->cap; i++) {
		struct suggest_entry *e = &sg->cache[i];
		free(e->key);
		for (uint32_t k = 0; k < e->n; k++)
			free(e->names[k]);
		memset(e, 0, sizeof(*e));
	}
	sg->used = 0;
}

static void suggester_free(struct suggester *sg)
{
	if (!sg)
		return;
	suggest_cache_clear(sg);
	free(sg->cache);
	array_free(&sg->names);
	strbuf_fini(&sg->text);
	trigrams_free(sg->grams);
	free(sg);
}

static struct suggest_entry *suggest_slot(struct suggester *sg, struct slice key)
{
	if (!sg->cap) {
		sg->cap = 1024;
		sg->cache = xcalloc(sg->cap, sizeof(struct suggest_entry));
	}
	if ((sg->used + 1) * 2 > sg->cap) {
		if (sg->cap >= SUGGEST_CACHE_MAX) {
			suggest_cache_clear(sg);
		} else {
			struct suggest_entry *old = sg->cache;
			uint32_t old_cap = sg->cap;
			sg->cap *= 2;
			sg->cache = xcalloc(sg->cap, sizeof(struct suggest_entry));
			for (uint32_t i = 0; i < old_cap; i++) {
				if (!old[i].key)
					continue;
				uint32_t h = (uint32_t)(hash_key(slice_from_cstr(old[i].key)) & (sg->cap - 1));
				while (sg->cache[h].key)
					h = (h + 1) & (sg->cap - 1);
				sg->cache[h] = old[i];
			}
			free(old);
		}
	}
	uint32_t h = hash_key(key) & (sg->cap - 1);
	for (;; h = (h + 1) & (sg->cap - 1)) {
		struct suggest_entry *e = &sg->cache[h];
		if (!e->key) {
			e->key = xstrndup(key.ptr, key.len);
			e->gen = UINT32_MAX;
			sg->used++;
			return e;
		}
		if (strlen(e->key) == key.len && memcmp(e->key, key.ptr, key.len) == 0)
			return e;
	}
}

static uint32_t hash_key(struct slice s)
{
	return hash_fnv1a(HASH_FNV1A_SEED, s.ptr, s.len);
}

/* A note within reach, by its closest name. The names are met in any
 * order, so what the earlier scan in name order gave is kept as indices
 * into the suggester's names: among equally close names, the first
 * (at); among equally close notes of the same name, the note whose first
 * name within reach comes first (first). */
struct suggestion {
	uint32_t id, distance;
	const char *name;
	uint32_t at, first;
};

/* Every stem and alias key, by length (the suggester's names): a target
 * is compared only with names within `limit` letters of its length.
 * Rebuilt when a name changes. */
static int by_length(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;
	return x->len < y->len ? -1 : x->len > y->len;
}

static struct slice key_of(const struct suggester *sg, const struct name_entry *n)
{
	return (struct slice){ sg->text.ptr + n->text, n->len };
}

static struct slice name_text(void *ctx, uint32_t i)
{
	const struct suggester *sg = ctx;
	return key_of(sg, &sg->names.items[i]);
}

static void build_name_list(const struct workspace *ws, struct suggester *sg)
{
	sg->names.len = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		const struct ws_note *wn = ws->notes.items[id];
		for (uint32_t k = 0; wn && k < wn->n_keys; k++) {
			if (k == 1 || !wn->keys[k].len)
				continue; /* titles are not link targets */
			struct name_entry e = { wn->keys[k].mask, wn->keys[k].len, id, k, 0 };
			array_push(&sg->names, e);
		}
	}
	if (sg->names.len)
		qsort(sg->names.items, sg->names.len, sizeof(struct name_entry), by_length);
	sg->text.len = 0;
	for (uint32_t i = 0; i < sg->names.len; i++) {
		struct name_entry *e = &sg->names.items[i];
		const struct ws_note *wn = ws->notes.items[e->id];
		e->text = (uint32_t)sg->text.len;
		strbuf_put(&sg->text, wn->keys[e->k].key, e->len);
	}
	if (!sg->grams)
		sg->grams = trigrams_new();
	trigrams_build(sg->grams, sg->names.len, name_text, sg);
	sg->names_gen = ws->names_gen;
}

typedef ARRAY(struct suggestion) suggestion_array;

static int by_closeness(const void *a, const void *b)
{
	const struct suggestion *x = a, *y = b;
	if (x->distance != y->distance)
		return x->distance < y->distance ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Name i of the suggester, if within limit edits of q: one suggestion per
 * note, its closest name. */
static void consider(const struct workspace *ws, const struct suggester *sg,
		     const struct distance_pattern *q, uint64_t qmask, uint32_t limit, uint32_t i,
		     suggestion_array *found)
{
	const struct name_entry *n = &sg->names.items[i];
	if (n->len + limit < q->a.len || n->len > q->a.len + limit)
		return;
	/* Each edit adds or removes two letters at most. */
	if ((uint32_t)__builtin_popcountll(n->mask ^ qmask) > 2 * limit)
		return;
	uint32_t d = distance_to(q, key_of(sg, n), limit);
	if (d > limit)
		return;
	/* The note, only for a name within reach. */
	const struct ws_note *wn = ws->notes.items[n->id];
	if (!wn || n->k >= wn->n_keys)
		return;
	const char *name = n->k == 0 ? wn->stem : wn->note->aliases.items[n->k - 2]->str;
	for (uint32_t k = 0; k < found->len; k++) {
		struct suggestion *f = &found->items[k];
		if (f->id == n->id) {
			if (d < f->distance || (d == f->distance && i < f->at)) {
				f->distance = d;
				f->name = name;
				f->at = i;
			}
			if (i < f->first)
				f->first = i;
			return;
		}
	}
	struct suggestion one = { n->id, d, name, i, i };
	array_push(found, one);
}

static void compute_suggestions(const struct workspace *ws, struct suggester *sg, struct slice q,
				struct suggest_entry *e)
{
	if (sg->names_gen != ws->names_gen || !sg->names.items)
		build_name_list(ws, sg);
	uint64_t qmask = fuzzy_mask(q);
	/* One edit per four letters, at most three: "Mareck" -> "Marek". */
	uint32_t limit = (uint32_t)(q.len / 4);
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	suggestion_array found = { 0 };
	struct distance_pattern *pattern = xmalloc(sizeof(*pattern));
	distance_pattern_init(pattern, q);
	/* The names within limit letters of its length, by binary search
	 * (they are sorted by length). */
	uint32_t min_len = q.len > limit ? (uint32_t)q.len - limit : 0;
	uint32_t lo = 0, hi = sg->names.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (sg->names.items[mid].len < min_len)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t end = lo;
	hi = sg->names.len;
	while (end < hi) {
		uint32_t mid = end + (hi - end) / 2;
		if (sg->names.items[mid].len <= q.len + limit)
			end = mid + 1;
		else
			hi = mid;
	}
	const uint32_t *cands;
	uint32_t n_cands;
	if (!q.len) {
		/* nothing is close to nothing */
	} else if (trigrams_candidates(sg->grams, q, limit, lo, end, &cands, &n_cands)) {
		for (uint32_t c = 0; c < n_cands; c++)
			consider(ws, sg, pattern, qmask, limit, cands[c], &found);
	} else {
		/* Too short for trigrams: every name of the band. */
		for (uint32_t i = lo; i < end; i++)
			consider(ws, sg, pattern, qmask, limit, i, &found);
	}
	/* Closest first, then by name, then in names' order. */
	if (found.len > 1)
		qsort(found.items, found.len, sizeof(struct suggestion), by_closeness);
	for (uint32_t k = 0; k < e->n; k++)
		free(e->names[k]);
	e->n = 0;
	for (uint32_t i = 0; i < found.len && i < SUGGEST_MAX; i++) {
		e->ids[e->n] = found.items[i].id;
		e->names[e->n++] = xstrdup(found.items[i].name);
	}
	e->gen = ws->names_gen;
	array_free(&found);
	free(pattern);
}

void workspace_suggest(struct workspace *ws, struct slice target, uint32_t max,
		       struct id_list *out, struct cstr_list *names)
{
	struct strbuf key = { 0 };
	names_search_key(resolve_clean_target(target), &key);
	struct slice q = { key.ptr ? key.ptr : "", key.len };
	if (!ws->suggester) {
		ws->suggester = xcalloc(1, sizeof(struct suggester));
		ws->suggester_free = suggester_free;
	}
	struct suggest_entry *e = suggest_slot(ws->suggester, q);
	if (e->gen != ws->names_gen)
		compute_suggestions(ws, ws->suggester, q, e);
	for (uint32_t i = 0; i < e->n && i < max; i++) {
		array_push(out, e->ids[i]);
		if (names)
			array_push(names, e->names[i]);
	}
	strbuf_fini(&key);
}
