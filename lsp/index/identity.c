/* identity.c — a mention matched to the person card it probably means
 * (identity.h): candidates found by blocking keys, scored word by word,
 * the precision-first decision, and the decisions remembered. */
#include "identity_impl.h"
#include "distance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	out->score = -1;
	/* f->n is how many words its short spelling has: most candidates
	 * (found by the first and last words) have another count. */
	if (f->n != m->n[0])
		return;
	struct slice fw[2][MAX_WORDS + 1];
	const char *fs = id->text.ptr + f->text;
	uint32_t fn = person_name_tokens(slice_from_cstr(fs), fw[0], MAX_WORDS + 1);
	person_name_tokens(slice_from_cstr(fs + strlen(fs) + 1), fw[1], MAX_WORDS + 1);
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
		/* A name run together is two real words: not an initial and a
		 * surname ("E. Esposito" run together is "eesposito", which a
		 * surname alone, "Esposito", nearly is), and longer by far than
		 * any one of its words. */
		size_t longest = 0;
		bool initial = false;
		for (uint32_t i = 0; i < fn; i++) {
			initial |= fw[i].len < 2;
			if (fw[i].len > longest)
				longest = fw[i].len;
		}
		struct slice w = m->w[s][0];
		if (initial || w.len < longest + 2)
			continue;
		identity_joined(fw, fn, &all);
		struct slice a = { all.ptr, all.len };
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
		/* The long spelling of most names is the short one: its keys
		 * would find the same forms again. */
		if (s == 1 && n == m->n[0]) {
			bool same = true;
			for (uint32_t i = 0; i < n && same; i++)
				same = slice_eq(v[i], m->w[0][i]);
			if (same)
				continue;
		}
		if (n == 1) {
			identity_joined(v, 1, &all);
			identity_block_key(&key, 'J', 0, (struct slice){ all.ptr, all.len }, true,
					   (struct slice){ "", 0 }, false);
			uint32_t found;
			const uint32_t *forms = name_map_get(id->blocks, (struct slice){ key.ptr, key.len }, &found);
			for (uint32_t j = 0; j < found; j++)
				array_push(out, forms[j]);
			continue;
		}
		/* Each key is the sound of one of the first and last words and
		 * the initial of the other's, in either order. */
		char first[PERSON_NAME_PHONETIC_MAX], last[PERSON_NAME_PHONETIC_MAX];
		person_name_phonetic(v[0], first);
		person_name_phonetic(v[n - 1], last);
		for (int k = 0; k < 4; k++) {
			bool fwd = k < 2;
			struct slice a = fwd ? v[0] : v[n - 1], b = fwd ? v[n - 1] : v[0];
			const char *pa = fwd ? first : last, *pb = fwd ? last : first;
			identity_block_key_of(&key, k % 2 ? 'Q' : 'P', n, a.len, pa, k % 2 == 0, b.len,
					      pb, k % 2 == 1);
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

/* The decision on a mention's words (not a name of any note), of its
 * candidate forms (which it takes). */
static void decide(struct identity *id, double min_score, const struct words *m,
		   struct id_list forms, struct identity_match *out)
{
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
	if (passes && !rival_close) {
		out->verdict = IDENTITY_VARIANT;
	} else if (rival_close && best.min_word >= loose) {
		out->verdict = IDENTITY_AMBIGUOUS;
		out->other = id->groups.items[id->forms.items[rival.form].group].note;
	}
	/* Why, for a verdict: said to the user (hover, the diagnostic's
	 * related information); nobody reads it of none, and the cache
	 * keeps none of it. */
	if (out->verdict != IDENTITY_NONE)
		explain(id, m, &best, out);
}

static void remember(struct identity *id, struct slice text, const struct identity_match *m)
{
	if (id->cached >= id->cache_max) {
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

bool identity_person_word(struct workspace *ws, struct slice word)
{
	if (!ws->cfg.identity_enabled)
		return false;
	struct identity *id = identity_index(ws);
	struct strbuf key = { 0 };
	person_name_key(word, PERSON_NAME_SHORT, &key);
	uint32_t n = 0;
	if (key.len)
		name_map_get(id->words, (struct slice){ key.ptr, key.len }, &n);
	strbuf_fini(&key);
	return n > 0;
}

/* keep_none: whether a text no person's name shares a blocking key with
 * is remembered too. */
static void match(struct workspace *ws, struct slice text, bool keep_none,
		  struct identity_match *out)
{
	memset(out, 0, sizeof(*out));
	text = slice_trim(text);
	if (!ws->cfg.identity_enabled || !text.len || text.len > 120)
		return;
	/* The same text in many notes (a pipeline repeats its spellings, and
	 * prose its capitalised words): decided once, until a name, title or
	 * kind changes anywhere (then the index is rebuilt, empty) or the
	 * cache fills. */
	struct identity *id = identity_index(ws);
	uint32_t n;
	const uint32_t *hit = name_map_get(id->cache, text, &n);
	if (n) {
		if (hit[0] != CACHE_NONE)
			*out = id->results.items[hit[0]];
		return;
	}
	struct words m = { 0 };
	identity_words_of(text, &m);
	struct id_list forms = { 0 };
	if (m.n[0] >= 1 && m.n[0] <= MAX_WORDS && m.n[1] == m.n[0])
		candidates(id, &m, &forms);
	/* No person's name shares a blocking key with it: nobody's, and
	 * found without asking the vault's names. */
	if (!forms.len) {
		if (keep_none)
			remember(id, text, out);
		identity_words_fini(&m);
		return;
	}
	/* A note's own name or alias: links resolve to it, nobody's variant. */
	struct id_list named = { 0 };
	bool via;
	workspace_candidates(ws, -1, text, &named, &via);
	bool is_name = named.len > 0;
	array_free(&named);
	if (!is_name)
		decide(id, ws->cfg.identity_min_score, &m, forms, out);
	else
		array_free(&forms);
	remember(id, text, out);
	identity_words_fini(&m);
}

void identity_match(struct workspace *ws, struct slice text, struct identity_match *out)
{
	match(ws, text, true, out);
}

void identity_match_phrase(struct workspace *ws, struct slice text, struct identity_match *out)
{
	match(ws, text, false, out);
}
