/* fact_index.c — which notes hold each normalised fact, kept up to date
 * once built; and the vault's names for the normalising of facts. */
#include "fact_index.h"
#include "fact_scope.h"
#include "fact_words.h"
#include "identity.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

static uint32_t phrase_lengths(const void *ctx, struct slice word)
{
	return workspace_phrase_lengths(ctx, word);
}

/* An alias stands for its note's name: the search key of its stem. */
static int phrase(const void *ctx, struct slice p, const char **stem)
{
	uint32_t note;
	int r = workspace_phrase(ctx, p, &note);
	if (r == 1)
		*stem = workspace_get(ctx, note)->keys[0].key;
	return r;
}

/* Names of projects, customers and meetings start phrases too ("project
 * x"): only one whose first word is a person's may be a variant. (The
 * people index is a cache: building it on first use is why the workspace
 * is not const there.) */
static bool person_word(const void *ctx, struct slice word)
{
	return identity_person_word((struct workspace *)ctx, word);
}

/* So does a probable variant of a person's name (identity.h): the search
 * key of the card's stem, as if someone had declared it. */
static bool variant(const void *ctx, struct slice p, const char **stem)
{
	struct identity_match m;
	identity_match_phrase((struct workspace *)ctx, p, &m);
	if (m.verdict != IDENTITY_VARIANT)
		return false;
	*stem = workspace_get(ctx, m.note)->keys[0].key;
	return true;
}

const struct fact_names *fact_index_names(const struct workspace *ws, struct fact_names *out)
{
	if (!ws)
		return NULL;
	*out = (struct fact_names){ ws, phrase_lengths, phrase, person_word, variant };
	return out;
}

/* Adds or removes a note's facts in the index (its struct ws_ext). */
static void index_facts(struct workspace *ws, uint32_t id, bool add)
{
	const struct ws_note *wn = ws->notes.items[id];
	struct strbuf key = { 0 };
	struct fact_names names;
	struct fact_scope sc;
	fact_scope_init(&sc, ws, id);
	for (uint32_t i = 0; i < wn->note->items.len; i++) {
		if (!sc.fact[i])
			continue;
		key.len = 0;
		fact_words_key(fact_index_names(ws, &names), wn->note, i, &key);
		uint32_t words = key.len ? 1 : 0;
		for (size_t k = 0; k < key.len; k++)
			words += key.ptr[k] == ' ';
		if (words < FACT_MIN_WORDS)
			continue;
		struct name_map *by_fact = ws->ext[WS_EXT_FACTS].state;
		if (add)
			name_map_add(by_fact, (struct slice){ key.ptr, key.len }, id);
		else
			name_map_remove(by_fact, (struct slice){ key.ptr, key.len }, id);
	}
	fact_scope_fini(&sc);
	strbuf_fini(&key);
}

static void free_facts(void *by_fact)
{
	name_map_free(by_fact);
}

const uint32_t *fact_index_notes(struct workspace *ws, struct slice fact, uint32_t *n)
{
	struct ws_ext *ext = &ws->ext[WS_EXT_FACTS];
	if (!ext->state) {
		*ext = (struct ws_ext){ name_map_new(), index_facts, NULL, free_facts };
		for (uint32_t id = 0; id < ws->notes.len; id++)
			if (ws->notes.items[id])
				index_facts(ws, id, true);
	}
	return name_map_get(ext->state, fact, n);
}
