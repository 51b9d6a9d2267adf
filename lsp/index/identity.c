/* identity.c — names matched to the person cards they probably mean
 * (identity.h): the people indexed by blocking keys, candidates scored
 * word by word, and the precision-first decision. */
#include "identity.h"
#include "distance.h"
#include "names.h"
#include "person_name.h"
#include "workspace_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 3
/* Every word of a variant at least this alike (its best spelling). */
#define WORD_STRICT 0.85
/* A second person this close on every word makes the mention ambiguous. */
#define WORD_LOOSE 0.70
#define SCORE_LOOSE_MARGIN 0.15
#define RIVAL_EDITS 2
/* Decisions remembered, at most (then forgotten all at once). */
#define CACHE_MAX 65536
#define CACHE_NONE UINT32_MAX
/* A name run together: this alike as one word, within this many letters. */
#define JOINED_STRICT 0.93
#define JOINED_LOOSE 0.85
#define JOINED_MIN_LEN 8
#define JOINED_LEN_SLACK 2

/* One spelling of one name of one person: its words in both spellings. */
struct form {
	uint32_t note;
	uint32_t group;        /* persons of the same name share one */
	uint32_t text;         /* offset in identity.text: "short\0long\0" */
	uint8_t n;             /* words */
};

struct group {
	uint32_t note;         /* the card that stands for the group */
	uint32_t cards;        /* how many notes share the name */
	uint32_t first_card;   /* index in identity.cards of the first */
};

struct identity {
	uint32_t people_gen, titles_gen;
	ARRAY(struct form) forms;
	ARRAY(struct group) groups;
	struct strbuf text;
	struct name_map *blocks;   /* blocking key -> forms */
	struct name_map *words;    /* a word (short spelling) -> forms holding it */
	struct name_map *by_name;  /* a form's short key -> its group */
	/* The notes of each group, group after group (filled after the
	 * forms), and each person note's group by note id. */
	ARRAY(uint32_t) cards;
	struct name_map *group_of;
	uint32_t people;
	/* Decisions by the mention's text: CACHE_NONE, or an index into
	 * results (the rare matches keep their words). */
	struct name_map *cache;
	ARRAY(struct identity_match) results;
	uint32_t cached;
	/* The notes given a finding of who is who (identity_told), once each. */
	struct id_list told;
	struct name_map *told_set;
};

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

/* ---- building ----------------------------------------------------------- */

struct words {
	struct strbuf key[2];          /* short, long */
	struct slice w[2][MAX_WORDS + 1];
	uint32_t n[2];
};

static void words_fini(struct words *w)
{
	strbuf_fini(&w->key[0]);
	strbuf_fini(&w->key[1]);
}

/* The words of a name in both spellings; n[0] counts them (up to
 * MAX_WORDS + 1, so that longer names can be told apart). */
static void words_of(struct slice name, struct words *w)
{
	for (int s = 0; s < 2; s++) {
		w->key[s].len = 0;
		person_name_key(name, s ? PERSON_NAME_LONG : PERSON_NAME_SHORT, &w->key[s]);
		struct slice k = { w->key[s].ptr ? w->key[s].ptr : "", w->key[s].len };
		w->n[s] = person_name_tokens(k, w->w[s], MAX_WORDS + 1);
	}
}

static void block_key(struct strbuf *out, char tag, struct slice a, bool phon_a, struct slice b,
		      bool phon_b)
{
	char p[PERSON_NAME_PHONETIC_MAX];
	out->len = 0;
	strbuf_putc(out, tag);
	/* A word is its sound, or the first letter of its sound (c and k
	 * alike: "Catharina", "Katarina"). */
	person_name_phonetic(a, p);
	if (phon_a)
		strbuf_puts(out, p);
	else
		strbuf_putc(out, a.len ? p[0] : '-');
	strbuf_putc(out, '|');
	if (b.len) {
		person_name_phonetic(b, p);
		if (phon_b)
			strbuf_puts(out, p);
		else
			strbuf_putc(out, p[0]);
	}
}

/* The words run together, one spelling. */
static void joined(const struct slice *w, uint32_t n, struct strbuf *out)
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
			block_key(&key, 'P', v[0], true, v[n - 1], false);
			name_map_add(id->blocks, (struct slice){ key.ptr, key.len }, form);
			block_key(&key, 'Q', v[0], false, v[n - 1], true);
			name_map_add(id->blocks, (struct slice){ key.ptr, key.len }, form);
		}
		joined(v, n, &all);
		block_key(&key, 'J', (struct slice){ all.ptr, all.len }, true, (struct slice){ "", 0 }, false);
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
		     struct words *w, uint32_t *note_group)
{
	words_of(name, w);
	if (w->n[0] == 0 || w->n[0] > MAX_WORDS || w->n[1] != w->n[0])
		return; /* no words, or a name too long to be a person's */
	struct slice key = { w->key[0].ptr, w->key[0].len };
	/* The same spelling twice for one note (stem and name:) is one form. */
	uint32_t n;
	const uint32_t *have = name_map_get(id->by_name, key, &n);
	uint32_t group = n ? have[0] : *note_group != UINT32_MAX ? *note_group : id->groups.len;
	for (uint32_t i = 0; n && i < id->forms.len; i++)
		if (id->forms.items[i].group == group && id->forms.items[i].note == note &&
		    strcmp(id->text.ptr + id->forms.items[i].text, w->key[0].ptr) == 0)
			return;
	if (!n) {
		if (group == id->groups.len)
			array_push(&id->groups, ((struct group){ note, 0, 0 }));
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

static struct slice id_key(const uint32_t *note)
{
	return (struct slice){ (const char *)note, sizeof(*note) };
}

/* Which notes share each name: a group's cards, once each, and every
 * person note's groups (a note may be in several: its name and aliases). */
static void group_cards(struct identity *id)
{
	id->group_of = name_map_new();
	for (uint32_t i = 0; i < id->forms.len; i++)
		name_map_add(id->group_of, id_key(&id->forms.items[i].note), id->forms.items[i].group);
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
	id->told_set = name_map_new();
	struct words w = { 0 };
	for (uint32_t note = 0; note < ws->notes.len; note++) {
		const struct ws_note *wn = ws->notes.items[note];
		if (!wn || wn->attachment || !person_like(wn))
			continue;
		id->people++;
		uint32_t g = UINT32_MAX;
		add_name(id, ws, note, slice_from_cstr(wn->stem), &w, &g);
		add_name(id, ws, note, slice_from_cstr(wn->title), &w, &g);
		if (wn->note->name && wn->note->name->str)
			add_name(id, ws, note, slice_from_cstr(wn->note->name->str), &w, &g);
		for (uint32_t a = 0; a < wn->note->aliases.len; a++)
			if (wn->note->aliases.items[a]->str)
				add_name(id, ws, note, slice_from_cstr(wn->note->aliases.items[a]->str), &w, &g);
	}
	words_fini(&w);
	group_cards(id);
	return id;
}

static struct identity *identity_of(struct workspace *ws)
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
	return ws->identity;
}

void identity_same_person(struct workspace *ws, uint32_t note, struct id_list *out)
{
	if (!ws->cfg.identity_enabled)
		return;
	struct identity *id = identity_of(ws);
	uint32_t n;
	const uint32_t *groups = name_map_get(id->group_of, id_key(&note), &n);
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
	name_map_get(id->told_set, id_key(&note), &n);
	if (!n) {
		name_map_add(id->told_set, id_key(&note), note);
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
	name_map_get(identity_of(ws)->group_of, id_key(&note), &n);
	return n > 0;
}

uint32_t identity_people(struct workspace *ws)
{
	return ws->identity ? ws->identity->people : 0;
}

/* ---- scoring ------------------------------------------------------------ */

/* How rare a word is among the vault's names: agreement on it weighs
 * this much (at least 1). */
static double weight(const struct identity *id, struct slice word)
{
	uint32_t n;
	name_map_get(id->words, word, &n);
	return 1.0 + log((double)(id->forms.len + 1) / (double)(n + 1));
}

enum how { SAME, FOLDED, ONE_LETTER, SOUNDS, CLOSE, INITIAL };

static const char *const how_text[] = {
	[SAME] = "the same", [FOLDED] = "the same without its accents",
	[ONE_LETTER] = "one letter from", [SOUNDS] = "sounds like", [CLOSE] = "close to",
	[INITIAL] = "the initial of",
};

/* How alike two words are, the best of both spellings. */
static double word_sim(struct slice ms, struct slice ml, struct slice fs, struct slice fl,
		       enum how *how)
{
	if (slice_eq(ms, fs)) {
		*how = SAME;
		return 1.0;
	}
	if (slice_eq(ml, fl)) {
		*how = FOLDED;
		return 1.0;
	}
	if (ms.len == 1 && fs.len > 1 && ms.ptr[0] == fs.ptr[0]) {
		*how = INITIAL;
		return 0.86;
	}
	double best = person_name_jaro_winkler(ms, fs);
	double l = person_name_jaro_winkler(ml, fl);
	if (l > best)
		best = l;
	*how = CLOSE;
	char a[PERSON_NAME_PHONETIC_MAX], b[PERSON_NAME_PHONETIC_MAX];
	person_name_phonetic(ms, a);
	person_name_phonetic(fs, b);
	if (strcmp(a, b) == 0 && best < 0.92) {
		best = 0.92;
		*how = SOUNDS;
	}
	return best;
}

struct scored {
	double score, min_word;
	uint32_t max_edits;     /* the most letters any word is from the mention's */
	uint32_t form;
	bool swapped, joined;
	enum how how[MAX_WORDS];
};

/* The mention's words against one form's, in order or swapped (two
 * words), weighted by the form's words' rarity. */
static void score_form(const struct identity *id, const struct words *m, uint32_t form,
		       bool edits_too, struct scored *out)
{
	const struct form *f = &id->forms.items[form];
	struct slice fw[2][MAX_WORDS + 1];
	const char *fs = id->text.ptr + f->text;
	uint32_t fn = person_name_tokens(slice_from_cstr(fs), fw[0], MAX_WORDS + 1);
	person_name_tokens(slice_from_cstr(fs + strlen(fs) + 1), fw[1], MAX_WORDS + 1);
	out->score = -1;
	if (fn != m->n[0])
		return;
	for (int swap = 0; swap < (fn == 2 ? 2 : 1); swap++) {
		double sum = 0, total = 0, low = 1;
		uint32_t edits = 0;
		enum how how[MAX_WORDS];
		for (uint32_t i = 0; i < fn; i++) {
			uint32_t j = swap ? fn - 1 - i : i;
			double s = word_sim(m->w[0][i], m->w[1][i], fw[0][j], fw[1][j], &how[i]);
			if (edits_too && how[i] != SAME && how[i] != FOLDED) {
				uint32_t e = distance_bounded(m->w[0][i], fw[0][j], 3);
				if (e > edits)
					edits = e;
			}
			double wt = weight(id, fw[0][j]);
			sum += wt * s;
			total += wt;
			if (s < low)
				low = s;
		}
		/* A swapped order is a little less likely than a typo. */
		double score = sum / total - (swap ? 0.02 : 0);
		if (score > out->score) {
			out->score = score;
			out->min_word = low;
			out->max_edits = edits;
			out->form = form;
			out->swapped = swap;
			out->joined = false;
			memcpy(out->how, how, sizeof(how));
		}
	}
}

/* One word against a form's words run together. */
static void score_joined(const struct identity *id, const struct words *m, uint32_t form,
			 struct scored *out)
{
	const struct form *f = &id->forms.items[form];
	out->score = -1;
	if (f->n < 2 || m->n[0] != 1 || m->w[0][0].len < JOINED_MIN_LEN)
		return;
	const char *fs = id->text.ptr + f->text;
	const char *fl = fs + strlen(fs) + 1;
	struct strbuf all = { 0 };
	double best = 0;
	uint32_t edits = 0;
	for (int s = 0; s < 2; s++) {
		struct slice fw[MAX_WORDS + 1];
		uint32_t fn = person_name_tokens(slice_from_cstr(s ? fl : fs), fw, MAX_WORDS + 1);
		joined(fw, fn, &all);
		struct slice a = { all.ptr, all.len }, w = m->w[s][0];
		size_t d = a.len > w.len ? a.len - w.len : w.len - a.len;
		if (d > JOINED_LEN_SLACK)
			continue;
		double sim = person_name_jaro_winkler(w, a);
		if (sim > best) {
			best = sim;
			edits = distance_bounded(w, a, 3);
		}
	}
	strbuf_fini(&all);
	if (best > 0) {
		out->score = best;
		out->min_word = best;
		out->max_edits = edits;
		out->form = form;
		out->joined = true;
		out->swapped = false;
	}
}

/* The candidate forms of a mention: those sharing a blocking key, its
 * words in either order. */
static void candidates(const struct identity *id, const struct words *m, struct id_list *out)
{
	struct strbuf key = { 0 }, all = { 0 };
	for (int s = 0; s < 2; s++) {
		const struct slice *v = m->w[s];
		uint32_t n = m->n[s];
		if (n == 0 || n > MAX_WORDS)
			continue;
		for (int k = 0; k < (n == 1 ? 1 : 4); k++) {
			struct slice a = k < 2 ? v[0] : v[n - 1], b = k < 2 ? v[n - 1] : v[0];
			if (n == 1) {
				joined(v, 1, &all);
				block_key(&key, 'J', (struct slice){ all.ptr, all.len }, true,
					  (struct slice){ "", 0 }, false);
			} else {
				block_key(&key, k % 2 ? 'Q' : 'P', a, k % 2 == 0, b, k % 2 == 1);
			}
			uint32_t found;
			const uint32_t *forms = name_map_get(id->blocks, (struct slice){ key.ptr, key.len }, &found);
			for (uint32_t j = 0; j < found; j++)
				array_push(out, forms[j]);
		}
	}
	strbuf_fini(&key);
	strbuf_fini(&all);
}

/* ---- deciding ----------------------------------------------------------- */

static void explain(const struct identity *id, const struct words *m, const struct scored *s,
		    struct identity_match *out)
{
	const struct form *f = &id->forms.items[s->form];
	struct slice fw[MAX_WORDS + 1];
	person_name_tokens(slice_from_cstr(id->text.ptr + f->text), fw, MAX_WORDS + 1);
	struct strbuf why = { 0 };
	if (s->joined) {
		strbuf_printf(&why, "'%.*s' is the name run together", (int)m->w[0][0].len,
			      m->w[0][0].ptr);
	} else {
		for (uint32_t i = 0; i < m->n[0]; i++) {
			uint32_t j = s->swapped ? m->n[0] - 1 - i : i;
			static const char *const part[2][2] = { { "first name", "surname" },
								 { "surname", "first name" } };
			const char *which = m->n[0] == 2 ? part[0][j] : j == 0 ? "first name"
					  : j + 1 == m->n[0] ? "surname" : "middle name";
			if (i)
				strbuf_puts(&why, ", ");
			enum how how = s->how[i];
			if (how == CLOSE && distance_bounded(m->w[0][i], fw[j], 1) <= 1)
				how = ONE_LETTER;
			if (how == SAME)
				strbuf_printf(&why, "%s the same", which);
			else
				strbuf_printf(&why, "%s '%.*s' %s '%.*s'", which, (int)m->w[0][i].len,
					      m->w[0][i].ptr, how_text[how], (int)fw[j].len, fw[j].ptr);
		}
		if (s->swapped)
			strbuf_puts(&why, " (in the other order)");
	}
	snprintf(out->why, sizeof(out->why), "%s", why.ptr ? why.ptr : "");
	strbuf_fini(&why);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The decision on a mention's words (not a name of any note). */
static void decide(struct identity *id, double min_score, const struct words *m,
		   struct identity_match *out)
{
	struct id_list forms = { 0 };
	candidates(id, m, &forms);
	/* A form shares several keys with a mention: score it once. */
	if (forms.len > 1)
		qsort(forms.items, forms.len, sizeof(uint32_t), cmp_u32);
	/* The best form of each group; the best group that passes, and the
	 * best other group that comes close. */
	struct scored best = { .score = -1 }, rival = { .score = -1 };
	uint32_t best_group = UINT32_MAX;
	for (uint32_t i = 0; i < forms.len; i++) {
		if (i && forms.items[i] == forms.items[i - 1])
			continue;
		struct scored s;
		if (m->n[0] == 1)
			score_joined(id, m, forms.items[i], &s);
		else
			score_form(id, m, forms.items[i], false, &s);
		if (s.score < 0)
			continue;
		uint32_t g = id->forms.items[s.form].group;
		if (g == best_group) {
			if (s.score > best.score)
				best = s;
		} else if (s.score > best.score) {
			if (best_group != UINT32_MAX && best.score > rival.score)
				rival = best;
			best = s;
			best_group = g;
		} else if (s.score > rival.score) {
			rival = s;
		}
	}
	array_free(&forms);
	if (best_group == UINT32_MAX)
		return;
	/* How many letters apart: counted for these two only. */
	if (rival.score >= 0 && m->n[0] > 1)
		score_form(id, m, rival.form, true, &rival);
	bool joined_word = m->n[0] == 1;
	double strict = joined_word ? JOINED_STRICT : WORD_STRICT;
	double loose = joined_word ? JOINED_LOOSE : WORD_LOOSE;
	bool passes = best.min_word >= strict && best.score >= min_score;
	/* Another person is close when every word of theirs is near the
	 * mention too: within two letters where it differs ("Jonn" is one
	 * from Jon and two from Jan). A mention that is exactly one person's
	 * name, folded, swapped or run together, is that person's however
	 * near someone else comes. */
	bool perfect = best.min_word >= 0.999;
	bool rival_close = rival.score >= 0 && rival.min_word >= loose &&
			   rival.max_edits <= RIVAL_EDITS &&
			   rival.score >= best.score - SCORE_LOOSE_MARGIN &&
			   (!perfect || rival.min_word >= 0.999);
	out->note = id->groups.items[best_group].note;
	out->score = best.score;
	explain(id, m, &best, out);
	if (passes && !rival_close) {
		out->verdict = IDENTITY_VARIANT;
	} else if (rival_close && best.min_word >= loose) {
		out->verdict = IDENTITY_AMBIGUOUS;
		out->other = id->groups.items[id->forms.items[rival.form].group].note;
	}
}

static void remember(struct identity *id, struct slice text, const struct identity_match *m)
{
	if (id->cached >= CACHE_MAX) {
		name_map_free(id->cache);
		id->cache = name_map_new();
		id->results.len = 0;
		id->cached = 0;
	}
	uint32_t slot = CACHE_NONE;
	if (m->verdict != IDENTITY_NONE) {
		slot = id->results.len;
		array_push(&id->results, *m);
	}
	name_map_add(id->cache, text, slot);
	id->cached++;
}

void identity_match(struct workspace *ws, struct slice text, struct identity_match *out)
{
	memset(out, 0, sizeof(*out));
	text = slice_trim(text);
	if (!ws->cfg.identity_enabled || !text.len || text.len > 120)
		return;
	/* The same text in many notes (a pipeline repeats its spellings, and
	 * prose its capitalised words): decided once, until a name, title or
	 * kind changes anywhere (then the index is rebuilt, empty) or the
	 * cache fills. */
	struct identity *id = identity_of(ws);
	uint32_t n;
	const uint32_t *hit = name_map_get(id->cache, text, &n);
	if (n) {
		if (hit[0] != CACHE_NONE)
			*out = id->results.items[hit[0]];
		return;
	}
	/* A note's own name or alias: links resolve to it, nobody's variant. */
	struct id_list named = { 0 };
	bool via;
	workspace_candidates(ws, -1, text, &named, &via);
	bool is_name = named.len > 0;
	array_free(&named);
	struct words m = { 0 };
	if (!is_name) {
		words_of(text, &m);
		if (m.n[0] >= 1 && m.n[0] <= MAX_WORDS && m.n[1] == m.n[0])
			decide(id, ws->cfg.identity_min_score, &m, out);
	}
	remember(id, text, out);
	words_fini(&m);
}
