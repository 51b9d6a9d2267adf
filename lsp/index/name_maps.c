/* name_maps.c — the maps from the notes' names to their ids: stems and
 * aliases (folded) for links, their search keys for names in text. */
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

struct slice name_maps_fold(struct slice s, struct strbuf *tmp)
{
	tmp->len = 0;
	if (tmp->ptr)
		tmp->ptr[0] = '\0';
	names_fold(s, tmp);
	return (struct slice){ tmp->ptr ? tmp->ptr : "", tmp->len };
}

struct slice name_maps_alias(const struct note *n, uint32_t i)
{
	return slice_trim(slice_from_cstr(n->aliases.items[i]->str));
}

static void name_changed(struct workspace *ws, struct slice folded)
{
	if (ws->bulk)
		return;
	char *k = xstrndup(folded.ptr, folded.len);
	str_list_push(&ws->changed_names, k);
	free(k);
}

/* Adds (or with add == false removes) a note's stem and aliases. */
void name_maps_index(struct workspace *ws, uint32_t id, bool add)
{
	struct ws_note *wn = ws->notes.items[id];
	struct strbuf tmp = { 0 };
	struct slice k = name_maps_fold(slice_from_cstr(wn->stem), &tmp);
	if (add)
		name_map_add(ws->by_stem, k, id);
	else
		name_map_remove(ws->by_stem, k, id);
	name_changed(ws, k);
	for (uint32_t i = 0; i < wn->note->aliases.len; i++) {
		struct slice a = name_maps_alias(wn->note, i);
		if (!a.len)
			continue;
		k = name_maps_fold(a, &tmp);
		if (add)
			name_map_add(ws->by_alias, k, id);
		else
			name_map_remove(ws->by_alias, k, id);
		name_changed(ws, k);
	}
	strbuf_fini(&tmp);
}

/* Adds or removes a note's search keys (computed by describe). */
void name_maps_keys(struct workspace *ws, uint32_t id, bool add)
{
	struct ws_note *wn = ws->notes.items[id];
	if (ws->keys_lazy) {
		ws->names_gen++; /* what suggestions depend on, mapped or not */
		return;
	}
	for (uint32_t k = 0; k < wn->n_keys; k++) {
		if (k == 1 || !wn->keys[k].len)
			continue; /* titles are not names text uses */
		struct name_map *m = k == 0 ? ws->by_stem_key : ws->by_alias_key;
		struct slice key = { wn->keys[k].key, wn->keys[k].len };
		if (add)
			name_map_add(m, key, id);
		else
			name_map_remove(m, key, id);
		if (add) {
			uint32_t words = 1;
			size_t first = key.len;
			for (size_t c = 0; c < key.len; c++) {
				if (key.ptr[c] == ' ') {
					if (first == key.len)
						first = c;
					words++;
				}
			}
			name_map_add(ws->by_first_word, (struct slice){ key.ptr, first }, words);
		}
		ws->names_gen++;
	}
}


/* The search-key maps, if a restore left them to be made: the keys of
 * every note, which the maps only index. (Made on a const workspace: it
 * has one thread, and they are a cache of what it holds.) */
static void keys_ready(const struct workspace *cws)
{
	if (!cws->keys_lazy)
		return;
	struct workspace *ws = (struct workspace *)cws;
	ws->keys_lazy = false;
	name_map_reserve(ws->by_stem_key, ws->alive);
	name_map_reserve(ws->by_first_word, ws->alive);
	/* No name comes or goes: the generation stays (it moving says the
	 * kept diagnostics may be stale, and all of them would be checked
	 * again after the next start). */
	uint32_t gen = ws->names_gen;
	for (uint32_t id = 0; id < ws->notes.len; id++)
		if (ws->notes.items[id] && !ws->notes.items[id]->attachment)
			name_maps_keys(ws, id, true);
	ws->names_gen = gen;
}

uint32_t workspace_phrase_lengths(const struct workspace *ws, struct slice word)
{
	keys_ready(ws);
	uint32_t n, mask = 0;
	const uint32_t *lens = name_map_get(ws->by_first_word, word, &n);
	for (uint32_t i = 0; i < n; i++)
		mask |= 1u << (lens[i] < 31 ? lens[i] : 31);
	return mask;
}

int workspace_phrase(const struct workspace *ws, struct slice phrase, uint32_t *note)
{
	keys_ready(ws);
	uint32_t n;
	const uint32_t *ids = name_map_get(ws->by_stem_key, phrase, &n);
	if (n) {
		*note = ids[0];
		return 0;
	}
	ids = name_map_get(ws->by_alias_key, phrase, &n);
	if (n == 1) {
		*note = ids[0];
		return 1;
	}
	return -1;
}

