/* identity_index.c — the person cards of the vault indexed for
 * identity.c: each name's words in two spellings, the blocking keys they
 * are found under, and the groups (one person, one or more cards); built
 * on first use and again when names, titles or kinds change. */
#include "identity_impl.h"

#include <stdlib.h>
#include <string.h>

static void identity_free(struct identity *id)
{
	if (!id)
		return;
	array_free(&id->forms);
	array_free(&id->groups);
	strbuf_fini(&id->text);
	name_map_free(id->blocks);
	name_map_free(id->words);
	name_map_free(id->by_name);
	array_free(&id->cards);
	name_map_free(id->group_of);
	name_map_free(id->cache);
	array_free(&id->results);
	array_free(&id->told);
	name_map_free(id->told_set);
	free(id);
}

void identity_words_fini(struct words *w)
{
	strbuf_fini(&w->key[0]);
	strbuf_fini(&w->key[1]);
}

/* The words of a name in both spellings; n[0] counts them (up to
 * MAX_WORDS + 1, so that longer names can be told apart). */
void identity_words_of(struct slice name, struct words *w)
{
	/* The long spelling spells out letters beyond ASCII: of an ASCII
	 * name (most) it is the short one. */
	bool ascii = true;
	for (size_t i = 0; i < name.len && ascii; i++)
		ascii = (unsigned char)name.ptr[i] < 0x80;
	for (int s = 0; s < 2; s++) {
		w->key[s].len = 0;
		if (s && ascii)
			strbuf_put(&w->key[1], w->key[0].ptr ? w->key[0].ptr : "", w->key[0].len);
		else
			person_name_key(name, s ? PERSON_NAME_LONG : PERSON_NAME_SHORT, &w->key[s]);
		struct slice k = { w->key[s].ptr ? w->key[s].ptr : "", w->key[s].len };
		w->n[s] = person_name_tokens(k, w->w[s], MAX_WORDS + 1);
	}
}

void identity_block_key(struct strbuf *out, char tag, uint32_t words, struct slice a, bool phon_a,
			struct slice b, bool phon_b)
{
	char pa[PERSON_NAME_PHONETIC_MAX], pb[PERSON_NAME_PHONETIC_MAX] = "";
	person_name_phonetic(a, pa);
	if (b.len)
		person_name_phonetic(b, pb);
	identity_block_key_of(out, tag, words, a.len, pa, phon_a, b.len, pb, phon_b);
}

void identity_block_key_of(struct strbuf *out, char tag, uint32_t words, size_t a_len,
			   const char *a_sound, bool phon_a, size_t b_len, const char *b_sound,
			   bool phon_b)
{
	out->len = 0;
	strbuf_putc(out, tag);
	if (words)
		strbuf_putc(out, (char)('0' + words));
	/* A word is its sound, or the first letter of its sound (c and k
	 * alike: "Catharina", "Katarina"). */
	if (phon_a)
		strbuf_puts(out, a_sound);
	else
		strbuf_putc(out, a_len ? a_sound[0] : '-');
	strbuf_putc(out, '|');
	if (b_len) {
		if (phon_b)
			strbuf_puts(out, b_sound);
		else
			strbuf_putc(out, b_sound[0]);
	}
}

/* The words run together, one spelling. */
void identity_joined(const struct slice *w, uint32_t n, struct strbuf *out)
{
	out->len = 0;
	for (uint32_t i = 0; i < n; i++)
		strbuf_put(out, w[i].ptr, w[i].len);
	if (!out->ptr)
		strbuf_puts(out, "");
}

/* The blocking keys a name of these words is found under: the sound of
 * its first word with the initial of its last, and the initial of its
 * first with the sound of its last (a variant rarely differs from the name
 * in both; nor does a second person close enough to make it ambiguous),
 * and, for a name run together, the sound of all of it. Pairs, not single
 * words: a vault of 10,000 people has hundreds of Annas. */
static void add_blocks(struct identity *id, const struct words *w, uint32_t form)
{
	struct strbuf key = { 0 }, all = { 0 };
	for (int s = 0; s < 2; s++) {
		const struct slice *v = w->w[s];
		uint32_t n = w->n[s];
		if (n > 1) {
			identity_block_key(&key, 'P', n, v[0], true, v[n - 1], false);
			name_map_add(id->blocks, (struct slice){ key.ptr, key.len }, form);
			identity_block_key(&key, 'Q', n, v[0], false, v[n - 1], true);
			name_map_add(id->blocks, (struct slice){ key.ptr, key.len }, form);
		}
		identity_joined(v, n, &all);
		identity_block_key(&key, 'J', 0, (struct slice){ all.ptr, all.len }, true,
				   (struct slice){ "", 0 }, false);
		name_map_add(id->blocks, (struct slice){ key.ptr, key.len }, form);
	}
	strbuf_fini(&key);
	strbuf_fini(&all);
}

/* Which of two cards of one name stands for both: the one in a folder
 * configured for people, then the one that says `type: person`, then the
 * shorter path, then the first in order. */
static bool stands_before(const struct workspace *ws, const struct ws_note *a, const struct ws_note *b)
{
	bool fa = false, fb = false;
	for (uint32_t i = 0; i < ws->cfg.folders.len; i++) {
		const struct folder_kind *fk = &ws->cfg.folders.items[i];
		if (strcmp(fk->kind, "person") != 0)
			continue;
		size_t n = strlen(fk->folder);
		fa |= strncmp(a->rel, fk->folder, n) == 0 && a->rel[n] == '/';
		fb |= strncmp(b->rel, fk->folder, n) == 0 && b->rel[n] == '/';
	}
	if (fa != fb)
		return fa;
	bool ta = a->note->type != NULL, tb = b->note->type != NULL;
	if (ta != tb)
		return ta;
	size_t la = strlen(a->rel), lb = strlen(b->rel);
	if (la != lb)
		return la < lb;
	return strcmp(a->rel, b->rel) < 0;
}

/* One name of a person (the note's group: UINT32_MAX until its first
 * name gives it one). All names of a note are one person: an alias is not
 * someone else close to the name. */
static void add_name(struct identity *id, struct workspace *ws, uint32_t note, struct slice name,
		     bool alias, struct words *w, uint32_t *note_group)
{
	identity_words_of(name, w);
	if (w->n[0] == 0 || w->n[0] > MAX_WORDS || w->n[1] != w->n[0])
		return; /* no words, or a name too long to be a person's */
	struct slice key = { w->key[0].ptr, w->key[0].len };
	/* The same spelling twice for one note (stem and name:) is one form. */
	uint32_t n;
	const uint32_t *have = name_map_get(id->by_name, key, &n);
	/* Cards of the same name are one person; an alias two people share
	 * ("A. Carter") makes nobody the same. */
	if (n && alias && have[0] != *note_group)
		n = 0;
	uint32_t group = n ? have[0] : *note_group != UINT32_MAX ? *note_group : id->groups.len;
	/* A note's names are added one after another (build), so its forms
	 * are the last ones: looking only there, not through every form of
	 * the vault, keeps the build linear in the people. */
	for (uint32_t i = id->forms.len; n && i-- > 0 && id->forms.items[i].note == note;)
		if (id->forms.items[i].group == group &&
		    strcmp(id->text.ptr + id->forms.items[i].text, w->key[0].ptr) == 0)
			return;
	if (!n) {
		if (group == id->groups.len)
			array_push(&id->groups, ((struct group){ note, 0, 0 }));
		if (!name_map_get(id->by_name, key, &n) || !n)
			name_map_add(id->by_name, key, group);
	} else {
		struct group *g = &id->groups.items[group];
		if (g->note != note && stands_before(ws, ws->notes.items[note], ws->notes.items[g->note]))
			g->note = note;
	}
	if (*note_group == UINT32_MAX)
		*note_group = group;
	struct form f = { note, group, (uint32_t)id->text.len, (uint8_t)w->n[0] };
	strbuf_put(&id->text, w->key[0].ptr, w->key[0].len);
	strbuf_putc(&id->text, '\0');
	strbuf_put(&id->text, w->key[1].ptr, w->key[1].len);
	strbuf_putc(&id->text, '\0');
	uint32_t form = id->forms.len;
	array_push(&id->forms, f);
	for (uint32_t i = 0; i < w->n[0]; i++)
		name_map_add(id->words, w->w[0][i], form);
	add_blocks(id, w, form);
}

struct slice identity_note_key(const uint32_t *note)
{
	return (struct slice){ (const char *)note, sizeof(*note) };
}

/* Which notes share each name: a group's cards, once each, and every
 * person note's groups (a note may be in several: its name and aliases). */
static void group_cards(struct identity *id)
{
	id->group_of = name_map_new();
	for (uint32_t i = 0; i < id->forms.len; i++)
		name_map_add(id->group_of, identity_note_key(&id->forms.items[i].note), id->forms.items[i].group);
	for (uint32_t g = 0; g < id->groups.len; g++)
		id->groups.items[g].cards = 0;
	/* Forms are few per group: a pass per group over a by-group order. */
	uint32_t *order = xmalloc(sizeof(uint32_t) * (id->forms.len + 1));
	uint32_t *start = xcalloc(id->groups.len + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < id->forms.len; i++)
		start[id->forms.items[i].group + 1]++;
	for (uint32_t g = 0; g < id->groups.len; g++)
		start[g + 1] += start[g];
	uint32_t *fill = xmalloc(sizeof(uint32_t) * (id->groups.len + 1));
	memcpy(fill, start, sizeof(uint32_t) * (id->groups.len + 1));
	for (uint32_t i = 0; i < id->forms.len; i++)
		order[fill[id->forms.items[i].group]++] = i;
	for (uint32_t g = 0; g < id->groups.len; g++) {
		struct group *gr = &id->groups.items[g];
		gr->first_card = id->cards.len;
		for (uint32_t k = start[g]; k < start[g + 1]; k++) {
			uint32_t note = id->forms.items[order[k]].note;
			bool dup = false;
			for (uint32_t c = gr->first_card; c < id->cards.len; c++)
				dup |= id->cards.items[c] == note;
			if (!dup) {
				array_push(&id->cards, note);
				gr->cards++;
			}
		}
	}
	free(order);
	free(start);
	free(fill);
}

/* A person card: kind person (the people folders, `type: person`), or a
 * note of no kind whose frontmatter has a person card's fields (a second
 * card in Contacts/, which no folder setting names). */
static bool person_like(const struct ws_note *wn)
{
	if (strcmp(wn->kind, "person") == 0)
		return true;
	if (wn->kind[0] || !wn->note->frontmatter)
		return false;
	static const char *const card_keys[] = { "role", "email", "phone" };
	for (size_t i = 0; i < sizeof(card_keys) / sizeof(card_keys[0]); i++)
		if (yaml_tree_get(wn->note->frontmatter, card_keys[i]))
			return true;
	return false;
}

static struct identity *build(struct workspace *ws)
{
	struct identity *id = xcalloc(1, sizeof(*id));
	id->people_gen = ws->people_gen;
	id->titles_gen = ws->titles_gen;
	id->blocks = name_map_new();
	id->words = name_map_new();
	id->by_name = name_map_new();
	id->cache = name_map_new();
	id->cache_max = ws->alive > CACHE_MAX / CACHE_PER_NOTE ? ws->alive * CACHE_PER_NOTE : CACHE_MAX;
	id->told_set = name_map_new();
	struct words w = { 0 };
	for (uint32_t note = 0; note < ws->notes.len; note++) {
		const struct ws_note *wn = ws->notes.items[note];
		if (!wn || wn->attachment || !person_like(wn))
			continue;
		id->people++;
		uint32_t g = UINT32_MAX;
		add_name(id, ws, note, slice_from_cstr(wn->stem), false, &w, &g);
		add_name(id, ws, note, slice_from_cstr(wn->title), false, &w, &g);
		if (wn->note->name && wn->note->name->str)
			add_name(id, ws, note, slice_from_cstr(wn->note->name->str), false, &w, &g);
		for (uint32_t a = 0; a < wn->note->aliases.len; a++)
			if (wn->note->aliases.items[a]->str)
				add_name(id, ws, note, slice_from_cstr(wn->note->aliases.items[a]->str), true,
					 &w, &g);
	}
	identity_words_fini(&w);
	group_cards(id);
	return id;
}

struct identity *identity_index(struct workspace *ws)
{
	struct identity *id = ws->identity;
	if (id && id->people_gen == ws->people_gen && id->titles_gen == ws->titles_gen)
		return id;
	if (id) {
		/* Who is who may have changed (a spelling became an alias, a
		 * card came or went): the notes that said something about it
		 * are diagnosed again. */
		for (uint32_t i = 0; i < id->told.len; i++)
			backlinks_mark_affected(ws, id->told.items[i]);
		identity_free(id);
	}
	ws->identity = build(ws);
	ws->identity_free = identity_free;
	/* What the cache's diagnostics said of who is who holds while the
	 * people are those it was said under; else it is said again. */
	bool same = ws->told_people_gen == ws->people_gen && ws->told_titles_gen == ws->titles_gen;
	for (uint32_t i = 0; i < ws->told_cached.len; i++) {
		if (same)
			identity_told(ws, ws->told_cached.items[i]);
		else
			backlinks_mark_affected(ws, ws->told_cached.items[i]);
	}
	array_free(&ws->told_cached);
	return ws->identity;
}

void identity_told_cached(struct workspace *ws, uint32_t note)
{
	if (ws->identity)
		identity_told(ws, note);
	else
		array_push(&ws->told_cached, note);
}

void identity_settle_cached(struct workspace *ws)
{
	if (!ws->told_cached.len ||
	    (ws->told_people_gen == ws->people_gen && ws->told_titles_gen == ws->titles_gen))
		return;
	if (ws->cfg.identity_enabled) {
		identity_index(ws);
		return;
	}
	for (uint32_t i = 0; i < ws->told_cached.len; i++)
		backlinks_mark_affected(ws, ws->told_cached.items[i]);
	array_free(&ws->told_cached);
}

void identity_same_person(struct workspace *ws, uint32_t note, struct id_list *out)
{
	if (!ws->cfg.identity_enabled)
		return;
	struct identity *id = identity_index(ws);
	uint32_t n;
	const uint32_t *groups = name_map_get(id->group_of, identity_note_key(&note), &n);
	for (uint32_t i = 0; i < n; i++) {
		const struct group *g = &id->groups.items[groups[i]];
		for (uint32_t c = 0; c < g->cards; c++) {
			uint32_t other = id->cards.items[g->first_card + c];
			bool have = other == note;
			for (uint32_t k = 0; k < out->len && !have; k++)
				have = out->items[k] == other;
			if (!have)
				array_push(out, other);
		}
	}
}

void identity_told(struct workspace *ws, uint32_t note)
{
	struct identity *id = ws->identity;
	if (!id)
		return;
	uint32_t n;
	name_map_get(id->told_set, identity_note_key(&note), &n);
	if (!n) {
		name_map_add(id->told_set, identity_note_key(&note), note);
		array_push(&id->told, note);
	}
}

void identity_told_notes(struct workspace *ws, struct id_list *out)
{
	struct identity *id = ws->identity;
	for (uint32_t i = 0; id && i < id->told.len; i++)
		array_push(out, id->told.items[i]);
}

bool identity_is_person(struct workspace *ws, uint32_t note)
{
	if (!ws->cfg.identity_enabled)
		return false;
	uint32_t n;
	name_map_get(identity_index(ws)->group_of, identity_note_key(&note), &n);
	return n > 0;
}

uint32_t identity_people(struct workspace *ws)
{
	return ws->identity ? ws->identity->people : 0;
}
