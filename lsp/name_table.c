/* name_table.c — every search key of the vault in one flat table, with
 * what completion ranks by, grouped by first byte (see workspace.h). */
#include "fuzzy.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

static uint8_t kind_rank(const char *kind)
{
	if (strcmp(kind, "person") == 0)
		return 0;
	if (strcmp(kind, "project") == 0)
		return 1;
	return 2;
}

static void build(struct workspace *ws)
{
	uint32_t *first = ws->name_first;
	memset(ws->name_first, 0, sizeof(ws->name_first));
	ws->name_table.len = 0;
	struct strbuf *keys = &ws->name_keys;
	keys->len = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		const struct ws_note *wn = ws->notes.items[id];
		if (!wn)
			continue;
		uint8_t rank = kind_rank(wn->kind);
		uint32_t stem_len = (uint32_t)strlen(wn->stem);
		for (uint32_t k = 0; k < wn->n_keys; k++) {
			const struct search_key *sk = &wn->keys[k];
			if (keys->len + sk->len + 1 > UINT32_MAX)
				break; /* 4 GB of names: the rest cannot be offered */
			struct name_ref r = { .mask = sk->mask, .id = id, .k = k, .key = (uint32_t)keys->len,
					      .key_len = sk->len, .rank = rank };
			r.words = fuzzy_word_mask((struct slice){ sk->key, sk->len });
			strbuf_put(keys, sk->key, sk->len + 1);
			memcpy(r.head, sk->key, sk->len < sizeof(r.head) ? sk->len : sizeof(r.head));
			r.label_len = k < 2 ? stem_len : (uint32_t)strlen(wn->note->aliases.items[k - 2]->str);
			array_push(&ws->name_table, r);
			first[(unsigned char)sk->key[0] + 1]++;
		}
	}
	/* A counting sort by first byte: linear, and stable. */
	for (int c = 0; c < 256; c++)
		first[c + 1] += first[c];
	free(ws->name_by_first);
	ws->name_by_first = xmalloc(sizeof(uint32_t) * (ws->name_table.len + 1));
	uint32_t fill[256];
	memcpy(fill, first, sizeof(fill));
	for (uint32_t i = 0; i < ws->name_table.len; i++) {
		const struct name_ref *r = &ws->name_table.items[i];
		ws->name_by_first[fill[(unsigned char)r->head[0]]++] = i;
	}
	/* The same for each letter at a word start. */
	uint32_t *word = ws->name_word;
	memset(ws->name_word, 0, sizeof(ws->name_word));
	for (uint32_t i = 0; i < ws->name_table.len; i++)
		for (uint64_t m = ws->name_table.items[i].words; m; m &= m - 1)
			word[__builtin_ctzll(m) + 1]++;
	for (int b = 0; b < 64; b++)
		word[b + 1] += word[b];
	free(ws->name_by_word);
	ws->name_by_word = xmalloc(sizeof(uint32_t) * (word[64] + 1));
	uint32_t wfill[64];
	memcpy(wfill, word, sizeof(wfill));
	for (uint32_t i = 0; i < ws->name_table.len; i++)
		for (uint64_t m = ws->name_table.items[i].words; m; m &= m - 1)
			ws->name_by_word[wfill[__builtin_ctzll(m)]++] = i;
	array_shrink(&ws->name_table);
}

struct name_table workspace_name_table(struct workspace *ws)
{
	if (ws->name_table_gen != ws->names_gen || ws->name_table_titles != ws->titles_gen ||
	    !ws->name_by_first) {
		build(ws);
		ws->name_table_gen = ws->names_gen;
		ws->name_table_titles = ws->titles_gen;
	}
	return (struct name_table){ ws->name_table.items, ws->name_table.len, ws->name_keys.ptr,
				    ws->name_by_first, ws->name_first, ws->name_by_word,
				    ws->name_word };
}
