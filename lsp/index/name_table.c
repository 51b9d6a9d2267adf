/* name_table.c — every search key of the vault in one flat table, with
 * what completion ranks by, grouped by first byte and by word-start letter
 * (see workspace.h); kept up to date note by note between rebuilds. */
#include "fuzzy.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

uint8_t name_table_rank(const char *kind)
{
	if (strcmp(kind, "person") == 0)
		return 0;
	if (strcmp(kind, "project") == 0)
		return 1;
	return 2;
}

/* Appends note id's keys to entries (and their text to the arena). */
static void add_entries(struct workspace *ws, uint32_t id, struct name_refs *entries)
{
	const struct ws_note *wn = ws->notes.items[id];
	struct strbuf *keys = &ws->name_keys;
	uint8_t rank = name_table_rank(wn->kind);
	uint32_t stem_len = (uint32_t)strlen(wn->stem);
	for (uint32_t k = 0; k < wn->n_keys; k++) {
		const struct search_key *sk = &wn->keys[k];
		if (keys->len + sk->len + 1 > UINT32_MAX)
			break; /* 4 GB of names: the rest cannot be offered */
		/* A title that is the stem (a person's card, most notes with a
		 * heading) scores as the stem does, for the same item: once. */
		if (k == 1 && sk->len == wn->keys[0].len && memcmp(sk->key, wn->keys[0].key, sk->len) == 0)
			continue;
		struct name_ref r = { .mask = sk->mask, .id = id, .k = k, .key = (uint32_t)keys->len,
				      .key_len = sk->len, .rank = rank };
		r.words = fuzzy_word_mask((struct slice){ sk->key, sk->len });
		r.pairs = fuzzy_pair_mask((struct slice){ sk->key, sk->len });
		r.jumps = fuzzy_jump_mask((struct slice){ sk->key, sk->len });
		strbuf_put(keys, sk->key, sk->len + 1);
		memcpy(r.head, sk->key, sk->len < sizeof(r.head) ? sk->len : sizeof(r.head));
		r.label_len = k < 2 ? stem_len : (uint32_t)strlen(wn->note->aliases.items[k - 2]->str);
		array_push(entries, r);
	}
}

/* The ties among equal scores, as rank.c breaks them (kind, a name
 * before an alias, the shorter label), as one number: a stable counting
 * sort by it keeps one note's stem and title adjacent. Labels longer than
 * TIE_LEN are not told apart: the order only speeds ranking up. */
#define TIE_LEN 255u
#define TIE_CLASSES (4u * 2u * (TIE_LEN + 1u))
static uint32_t tie_class(const struct name_ref *r)
{
	uint32_t len = r->label_len < TIE_LEN ? r->label_len : TIE_LEN;
	return ((uint32_t)r->rank * 2u + (r->k >= 2)) * (TIE_LEN + 1u) + len;
}

static void build(struct workspace *ws)
{
	ws->name_table.len = 0;
	ws->name_extra.len = 0;
	ws->name_dead = 0;
	ws->name_keys.len = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++)
		if (ws->notes.items[id])
			add_entries(ws, id, &ws->name_table);

	/* Counting sorts, linear and stable. First the order that ranks
	 * equal scores (people, then projects; a name before an alias;
	 * shorter first): each group below lists its keys in that order, so
	 * that the list a pass fills early is hard to enter, and most keys
	 * after are dismissed unread. */
	uint32_t n = ws->name_table.len;
	uint32_t *tie = xcalloc(TIE_CLASSES + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++)
		tie[tie_class(&ws->name_table.items[i]) + 1]++;
	for (uint32_t c = 0; c < TIE_CLASSES; c++)
		tie[c + 1] += tie[c];
	uint32_t *order = xmalloc(sizeof(uint32_t) * (n + 1));
	for (uint32_t i = 0; i < n; i++)
		order[tie[tie_class(&ws->name_table.items[i])]++] = i;
	free(tie);

	/* By first byte... */
	uint32_t *first = ws->name_first;
	memset(ws->name_first, 0, sizeof(ws->name_first));
	for (uint32_t i = 0; i < n; i++)
		first[(unsigned char)ws->name_table.items[i].head[0] + 1]++;
	for (int c = 0; c < 256; c++)
		first[c + 1] += first[c];
	free(ws->name_by_first);
	ws->name_by_first = xmalloc(sizeof(uint32_t) * (n + 1));
	uint32_t fill[256];
	memcpy(fill, first, sizeof(fill));
	for (uint32_t j = 0; j < n; j++)
		ws->name_by_first[fill[(unsigned char)ws->name_table.items[order[j]].head[0]]++] = order[j];

	/* ...and under each letter at a word start. */
	uint32_t *word = ws->name_word;
	memset(ws->name_word, 0, sizeof(ws->name_word));
	for (uint32_t i = 0; i < n; i++)
		for (uint64_t m = ws->name_table.items[i].words; m; m &= m - 1)
			word[__builtin_ctzll(m) + 1]++;
	for (int b = 0; b < 64; b++)
		word[b + 1] += word[b];
	free(ws->name_by_word);
	ws->name_by_word = xmalloc(sizeof(uint32_t) * (word[64] + 1));
	uint32_t wfill[64];
	memcpy(wfill, word, sizeof(wfill));
	for (uint32_t j = 0; j < n; j++)
		for (uint64_t m = ws->name_table.items[order[j]].words; m; m &= m - 1)
			ws->name_by_word[wfill[__builtin_ctzll(m)]++] = order[j];
	free(order);
	array_shrink(&ws->name_table);
	ws->name_table_titles = ws->titles_gen;
}

void name_table_note(struct workspace *ws, uint32_t id)
{
	ws->people_gen++; /* who the people are may have changed too */
	if (ws->name_by_first && ws->name_extra.len > 4096) {
		/* The next query would build afresh anyway; kept up to date
		 * meanwhile, each new note would scan every addition (a vault
		 * coming in, a large folder added): dropped until asked for. */
		free(ws->name_by_first);
		ws->name_by_first = NULL;
	}
	if (!ws->name_by_first)
		return; /* not built yet: the first build will see it */
	/* Its old entries: a run in the table, which is in note order... */
	struct name_refs *t = &ws->name_table;
	uint32_t lo = 0, hi = t->len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->len && t->items[lo].id == id; lo++) {
		if (t->items[lo].rank != NAME_DEAD)
			ws->name_dead++;
		t->items[lo].rank = NAME_DEAD;
	}
	/* ...or among the additions since. */
	for (uint32_t i = 0; i < ws->name_extra.len; i++)
		if (ws->name_extra.items[i].id == id)
			ws->name_extra.items[i].rank = NAME_DEAD;
	if (id < ws->notes.len && ws->notes.items[id])
		add_entries(ws, id, &ws->name_extra);
}

struct name_table workspace_name_table(struct workspace *ws)
{
	/* The additions are scanned whole by every query and the dead entries
	 * skipped one by one: past a few thousand of either, start afresh. */
	if (!ws->name_by_first || ws->name_table_titles != ws->titles_gen ||
	    ws->name_extra.len > 4096 || ws->name_dead > 4096 + ws->name_table.len / 8)
		build(ws);
	return (struct name_table){ ws->name_table.items, ws->name_table.len, ws->name_keys.ptr,
				    ws->name_by_first, ws->name_first, ws->name_by_word,
				    ws->name_word, ws->name_extra.items, ws->name_extra.len };
}
