/* symbol_index.c — every heading and block id of the vault as distinct
 * search keys with the places they are written, grouped for ranking like
 * the name table (see symbol_index.h); kept up to date note by note. */
#include "fuzzy.h"
#include "names.h"
#include "symbol_index.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

/* What a pass over the keys reads for every key: kept apart from the rest
 * so that a scan of all of them reads 24 bytes a key. */
struct sym_hot {
	uint64_t mask;         /* fuzzy_mask of the key */
	uint64_t words;        /* fuzzy_word_mask */
	char head[8];          /* its first bytes, zero-padded */
};

/* One place a key is written: the note, and the slot (SLOT_BITS), whether
 * it is a block id, and the note's kind_rank (2 bits) above it. */
#define SLOT_BITS 24
#define SLOT_MAX (1u << SLOT_BITS)
#define POST_BLOCK (1u << SLOT_BITS)
#define POST_RANK_SHIFT (SLOT_BITS + 1)
struct sym_post {
	uint32_t note;
	uint32_t bits;
};

struct sym_key {
	uint32_t text, len;    /* the key: text.ptr + text, NUL-terminated */
	uint8_t min_rank;      /* no place of it has a lower kind_rank */
	bool listed;           /* in the groups, or in extra */
	struct { struct sym_post *items; uint32_t len, cap; } posts;
};

/* One slot of a note: its key (NO_KEY for an empty heading) and where the
 * note's place is in the key's posts, so that leaving costs no search. */
#define NO_KEY UINT32_MAX
struct sym_slot {
	uint32_t key, pos;
};
struct sym_note {
	struct sym_slot *items;
	uint32_t len, cap;
	uint8_t rank;
};

struct symbol_index {
	ARRAY(struct sym_hot) hot;      /* by key id */
	ARRAY(struct sym_key) keys;     /* never removed: a key may come back */
	struct strbuf text;
	uint32_t *slots, cap;           /* key text -> id + 1 (0: empty) */
	ARRAY(struct sym_note) by_note; /* by note id */
	uint32_t live;                  /* keys written somewhere */
	uint64_t places;
	/* The keys live at the last grouping, by first byte and under each
	 * word-start letter (as workspace.h's name table); keys that came or
	 * came back since are in extra. */
	uint32_t *by_first, first[257];
	uint32_t *by_word, word[65];
	ARRAY(uint32_t) extra;
	uint32_t titles_gen;            /* the workspace's when built: kinds follow it */
	/* Reused from note to note: building the table is mostly allocating. */
	struct sym_note scratch;
	struct strbuf key;
};

/* ---- keys ------------------------------------------------------------- */

static uint32_t *slot_of(const struct symbol_index *si, struct slice key)
{
	uint32_t h = hash_fnv1a(HASH_FNV1A_SEED, key.ptr, key.len);
	for (uint32_t i = h & (si->cap - 1);; i = (i + 1) & (si->cap - 1)) {
		uint32_t s = si->slots[i];
		if (!s)
			return &si->slots[i];
		const struct sym_key *k = &si->keys.items[s - 1];
		if (k->len == key.len && memcmp(si->text.ptr + k->text, key.ptr, key.len) == 0)
			return &si->slots[i];
	}
}

static uint32_t intern(struct symbol_index *si, struct slice key)
{
	uint32_t *slot = slot_of(si, key);
	if (*slot)
		return *slot - 1;
	if ((si->keys.len + 1) * 4 > si->cap * 3) {
		uint32_t *old = si->slots, old_cap = si->cap;
		si->cap *= 2;
		si->slots = xcalloc(si->cap, sizeof(uint32_t));
		for (uint32_t i = 0; i < old_cap; i++) {
			if (!old[i])
				continue;
			const struct sym_key *k = &si->keys.items[old[i] - 1];
			*slot_of(si, (struct slice){ si->text.ptr + k->text, k->len }) = old[i];
		}
		free(old);
		slot = slot_of(si, key);
	}
	struct sym_key k = { (uint32_t)si->text.len, (uint32_t)key.len, 3, false, { 0 } };
	strbuf_put(&si->text, key.ptr, key.len);
	strbuf_putc(&si->text, '\0');
	struct sym_hot h = { fuzzy_mask(key), fuzzy_word_mask(key), { 0 } };
	memcpy(h.head, key.ptr, key.len < sizeof(h.head) ? key.len : sizeof(h.head));
	array_push(&si->keys, k);
	array_push(&si->hot, h);
	*slot = si->keys.len;
	return si->keys.len - 1;
}

/* ---- notes ------------------------------------------------------------ */

static void leave(struct symbol_index *si, uint32_t id)
{
	struct sym_note *mine = &si->by_note.items[id];
	for (uint32_t i = 0; i < mine->len; i++) {
		uint32_t k = mine->items[i].key;
		if (k == NO_KEY)
			continue;
		struct sym_key *key = &si->keys.items[k];
		uint32_t pos = mine->items[i].pos;
		struct sym_post moved = key->posts.items[--key->posts.len];
		si->places--;
		if (!key->posts.len)
			si->live--;
		if (pos == key->posts.len)
			continue;
		key->posts.items[pos] = moved;
		si->by_note.items[moved.note].items[moved.bits & (SLOT_MAX - 1)].pos = pos;
	}
	mine->len = 0;
}

/* Note wn's slots: the key of each heading, then of each block id. A
 * heading that says the note's stem or title is the note itself, which
 * the name table offers: none. */
static void slots_of(struct symbol_index *si, const struct ws_note *wn, struct sym_note *out)
{
	const struct note *n = wn->note;
	struct strbuf *key = &si->key;
	uint32_t total = n->headings.len + n->blocks.len;
	for (uint32_t i = 0; i < total && i < SLOT_MAX; i++) {
		key->len = 0;
		if (i < n->headings.len) {
			names_search_key(slice_from_cstr(n->headings.items[i].text), key);
			for (uint32_t k = 0; k < 2 && k < wn->n_keys; k++)
				if (key->len == wn->keys[k].len && memcmp(key->ptr, wn->keys[k].key, key->len) == 0)
					key->len = 0;
		} else {
			names_search_key(note_slice(n, n->blocks.items[i - n->headings.len].id), key);
		}
		struct sym_slot s = { key->len ? intern(si, (struct slice){ key->ptr, key->len }) : NO_KEY, 0 };
		array_push(out, s);
	}
}

/* Note id came, changed or went (its struct ws_ext). */
static void note_changed(struct workspace *ws, uint32_t id)
{
	struct symbol_index *si = ws->ext[WS_EXT_SYMBOLS].state;
	while (si->by_note.len <= id) {
		struct sym_note none = { 0 };
		array_push(&si->by_note, none);
	}
	const struct ws_note *wn = ws->notes.items[id];
	struct sym_note *now = &si->scratch;
	now->len = 0;
	now->rank = 0;
	if (wn && !wn->attachment) {
		now->rank = name_table_rank(wn->kind);
		slots_of(si, wn, now);
	}
	struct sym_note *mine = &si->by_note.items[id];
	bool same = now->len == mine->len && now->rank == mine->rank;
	for (uint32_t i = 0; same && i < now->len; i++)
		same = now->items[i].key == mine->items[i].key;
	if (same)
		return; /* typing in a note mostly leaves its headings alone */
	leave(si, id);
	if (mine->cap < now->len || mine->cap > 2 * now->len) {
		array_free(mine);
		array_reserve(mine, now->len);
	}
	mine->len = now->len;
	mine->rank = now->rank;
	uint32_t nh = wn ? wn->note->headings.len : 0;
	for (uint32_t i = 0; i < now->len; i++) {
		uint32_t k = now->items[i].key;
		mine->items[i] = (struct sym_slot){ k, 0 };
		if (k == NO_KEY)
			continue;
		struct sym_key *key = &si->keys.items[k];
		struct sym_post p = { id, i | (i >= nh ? POST_BLOCK : 0) |
					  ((uint32_t)now->rank << POST_RANK_SHIFT) };
		mine->items[i].pos = key->posts.len;
		array_push(&key->posts, p);
		si->places++;
		if (now->rank < key->min_rank)
			key->min_rank = now->rank;
		if (key->posts.len == 1) {
			si->live++;
			if (!key->listed) {
				key->listed = true;
				array_push(&si->extra, k);
			}
		}
	}
}

/* ---- the groups ------------------------------------------------------- */

/* Lists every live key by first byte and under its word-start letters
 * (counting sorts, linear), and empties extra. */
static void regroup(struct symbol_index *si)
{
	uint32_t *first = si->first, *word = si->word;
	memset(si->first, 0, sizeof(si->first));
	memset(si->word, 0, sizeof(si->word));
	for (uint32_t k = 0; k < si->keys.len; k++) {
		struct sym_key *key = &si->keys.items[k];
		key->listed = key->posts.len != 0;
		if (!key->listed)
			continue;
		first[(unsigned char)si->hot.items[k].head[0] + 1]++;
		for (uint64_t m = si->hot.items[k].words; m; m &= m - 1)
			word[__builtin_ctzll(m) + 1]++;
	}
	for (int c = 0; c < 256; c++)
		first[c + 1] += first[c];
	for (int b = 0; b < 64; b++)
		word[b + 1] += word[b];
	free(si->by_first);
	free(si->by_word);
	si->by_first = xmalloc(sizeof(uint32_t) * (first[256] + 1));
	si->by_word = xmalloc(sizeof(uint32_t) * (word[64] + 1));
	uint32_t ffill[256], wfill[64];
	memcpy(ffill, first, sizeof(ffill));
	memcpy(wfill, word, sizeof(wfill));
	for (uint32_t k = 0; k < si->keys.len; k++) {
		if (!si->keys.items[k].listed)
			continue;
		si->by_first[ffill[(unsigned char)si->hot.items[k].head[0]]++] = k;
		for (uint64_t m = si->hot.items[k].words; m; m &= m - 1)
			si->by_word[wfill[__builtin_ctzll(m)]++] = k;
	}
	si->extra.len = 0;
}

static void index_free(void *state)
{
	struct symbol_index *si = state;
	for (uint32_t k = 0; k < si->keys.len; k++)
		array_free(&si->keys.items[k].posts);
	array_free(&si->keys);
	array_free(&si->hot);
	for (uint32_t i = 0; i < si->by_note.len; i++)
		free(si->by_note.items[i].items);
	array_free(&si->by_note);
	strbuf_fini(&si->text);
	free(si->slots);
	free(si->by_first);
	free(si->by_word);
	array_free(&si->extra);
	free(si->scratch.items);
	strbuf_fini(&si->key);
	free(si);
}

/* The table, built now if it is not, or built again when the kinds of the
 * notes may all have changed (the configuration) or most keys are no
 * longer written anywhere (headings typed letter by letter leave one key
 * a letter); grouped again when many keys are new. */
static struct symbol_index *index_of(struct workspace *ws)
{
	struct symbol_index *si = ws->ext[WS_EXT_SYMBOLS].state;
	if (si && (si->titles_gen != ws->titles_gen || si->keys.len - si->live > 4096 + si->live / 2)) {
		index_free(si);
		ws->ext[WS_EXT_SYMBOLS].state = si = NULL;
	}
	if (!si) {
		si = xcalloc(1, sizeof(*si));
		si->cap = 1024;
		si->slots = xcalloc(si->cap, sizeof(uint32_t));
		strbuf_init(&si->text);
		si->titles_gen = ws->titles_gen;
		ws->ext[WS_EXT_SYMBOLS] = (struct ws_ext){ si, NULL, note_changed, index_free };
		for (uint32_t id = 0; id < ws->notes.len; id++)
			if (ws->notes.items[id])
				note_changed(ws, id);
		regroup(si);
	} else if (si->extra.len > 4096) {
		regroup(si);
	}
	return si;
}

/* ---- ranking ---------------------------------------------------------- */

struct pass {
	struct symbol_index *si;
	struct slice q;
	uint64_t qmask;
	int prefix_score[2];
	struct rank_top *top;
};

static struct rank_candidate candidate(const struct symbol_index *si, uint32_t k, int score,
				       uint32_t rank, bool block, uint32_t note, uint32_t slot)
{
	const struct sym_key *key = &si->keys.items[k];
	return (struct rank_candidate){ score, (uint8_t)rank, true,
					block ? SYMBOL_ORDER_BLOCK : SYMBOL_ORDER_HEADING, note,
					symbol_index_key(slot), si->text.ptr + key->text, key->len };
}

/* Could any place of key k, scoring this, enter the list? */
static bool may_enter(const struct pass *p, uint32_t k, int score)
{
	if (p->top->len < RANK_MAX)
		return true;
	struct rank_candidate best = candidate(p->si, k, score, p->si->keys.items[k].min_rank,
					       false, 0, 0);
	best.key = INT32_MIN;
	return rank_better(&best, &p->top->items[0]);
}

static void sift_down(uint64_t *h, uint32_t n, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, big = i;
		if (l < n && h[l] > h[big])
			big = l;
		if (r < n && h[r] > h[big])
			big = r;
		if (big == i)
			return;
		uint64_t t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

/*
 * Offers the places of key k, all scoring the same. Among them the list
 * prefers the lower kind_rank, a heading to a block id, then the lower
 * note id and slot: the packed value below, least first. Only the best
 * RANK_MAX of a key can enter, chosen in a heap of their own before any
 * is offered (a key like "summary" is written in 60,000 notes).
 */
static void offer_key(const struct pass *p, uint32_t k, int score)
{
	const struct symbol_index *si = p->si;
	const struct sym_key *key = &si->keys.items[k];
	uint64_t heap[RANK_MAX];
	uint32_t n = 0;
	bool full = p->top->len == RANK_MAX;
	for (uint32_t i = 0; i < key->posts.len; i++) {
		const struct sym_post *post = &key->posts.items[i];
		uint64_t packed = ((uint64_t)(post->bits >> POST_RANK_SHIFT) << 57) |
				  ((uint64_t)((post->bits & POST_BLOCK) != 0) << 56) |
				  ((uint64_t)post->note << 24) | (post->bits & (SLOT_MAX - 1));
		if (n == RANK_MAX && packed >= heap[0])
			continue;
		if (full) {
			struct rank_candidate c = candidate(si, k, score, post->bits >> POST_RANK_SHIFT,
							    post->bits & POST_BLOCK, post->note,
							    post->bits & (SLOT_MAX - 1));
			if (!rank_better(&c, &p->top->items[0]))
				continue;
		}
		if (n < RANK_MAX) {
			/* Sift up. */
			uint32_t j = n++;
			heap[j] = packed;
			while (j > 0 && heap[(j - 1) / 2] < heap[j]) {
				uint64_t t = heap[j];
				heap[j] = heap[(j - 1) / 2];
				heap[(j - 1) / 2] = t;
				j = (j - 1) / 2;
			}
		} else {
			heap[0] = packed;
			sift_down(heap, n, 0);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t v = heap[i];
		rank_offer(p->top, candidate(si, k, score, (uint32_t)(v >> 57), (v >> 56) & 1,
					     (uint32_t)(v >> 24), (uint32_t)(v & (SLOT_MAX - 1))));
	}
}

/* Offers the keys ids[0..n) but those whose word starts have a bit of
 * skip; with prefix, only those the query is a prefix of (their score
 * known without reading them). */
static void pass(const struct pass *p, const uint32_t *ids, uint32_t n, bool prefix, uint64_t skip)
{
	const struct symbol_index *si = p->si;
	const size_t head = p->q.len < 8 ? p->q.len : 8;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = ids[i];
		const struct sym_hot *h = &si->hot.items[k];
		if ((h->mask & p->qmask) != p->qmask || (h->words & skip))
			continue;
		const struct sym_key *key = &si->keys.items[k];
		if (!key->posts.len)
			continue;
		const char *text = si->text.ptr + key->text;
		int score;
		if (key->len >= p->q.len && memcmp(h->head, p->q.ptr, head) == 0 &&
		    (p->q.len <= 8 || memcmp(text, p->q.ptr, p->q.len) == 0)) {
			score = p->prefix_score[key->len == p->q.len];
		} else {
			if (prefix)
				continue;
			/* Most keys cannot make the list even with their best
			 * conceivable score: skip the scoring. */
			if (!may_enter(p, k, fuzzy_bound(p->q, h->words, h->head[0] == p->q.ptr[0])))
				continue;
			score = fuzzy_score(p->q, (struct slice){ text, key->len });
			if (score < 0)
				continue;
		}
		if (may_enter(p, k, score))
			offer_key(p, k, score);
	}
}

/* The passes of rank_names (rank.c): the keys starting with the query,
 * then those with its first letter at a word start, then the rest, each
 * skipped when the list is already better than anything it could give. */
void symbol_index_rank(struct workspace *ws, struct slice query, struct rank_top *top)
{
	struct strbuf qk = { 0 };
	rank_query_key(query, &qk);
	if (!qk.len) {
		strbuf_fini(&qk);
		return;
	}
	struct symbol_index *si = index_of(ws);
	struct pass p = { si, { qk.ptr, qk.len }, 0, { 0, 0 }, top };
	p.qmask = fuzzy_mask(p.q);
	p.prefix_score[0] = fuzzy_prefix_score(p.q, false);
	p.prefix_score[1] = fuzzy_prefix_score(p.q, true);
	uint64_t first = fuzzy_mask((struct slice){ p.q.ptr, 1 });
	unsigned char c0 = (unsigned char)p.q.ptr[0];
	uint32_t all = si->first[256];
	pass(&p, si->by_first + si->first[c0], si->first[c0 + 1] - si->first[c0], true, 0);
	pass(&p, si->extra.items, si->extra.len, true, 0);
	if (top->len == RANK_MAX && top->items[0].score > fuzzy_bound(p.q, ~0ull, true))
		goto done;
	if (first) {
		int b = __builtin_ctzll(first);
		pass(&p, si->by_word + si->word[b], si->word[b + 1] - si->word[b], false, 0);
		pass(&p, si->extra.items, si->extra.len, false, 0);
		if (top->len == RANK_MAX && top->items[0].score > fuzzy_bound(p.q, ~first, false))
			goto done;
	} else {
		pass(&p, si->extra.items, si->extra.len, false, 0);
	}
	pass(&p, si->by_first, all, false, first);
done:
	strbuf_fini(&qk);
}

void symbol_index_stats(struct workspace *ws, struct symbol_index_stats *out)
{
	const struct symbol_index *si = index_of(ws);
	size_t bytes = sizeof(*si) + si->hot.cap * sizeof(struct sym_hot) +
		       si->keys.cap * sizeof(struct sym_key) + si->text.cap +
		       si->cap * sizeof(uint32_t) + si->by_note.cap * sizeof(struct sym_note) +
		       si->extra.cap * sizeof(uint32_t) +
		       (si->first[256] + 1 + si->word[64] + 1) * sizeof(uint32_t);
	for (uint32_t k = 0; k < si->keys.len; k++)
		bytes += si->keys.items[k].posts.cap * sizeof(struct sym_post);
	for (uint32_t i = 0; i < si->by_note.len; i++)
		bytes += si->by_note.items[i].cap * sizeof(struct sym_slot);
	*out = (struct symbol_index_stats){ si->keys.len, si->live, (uint32_t)si->places, bytes };
}
