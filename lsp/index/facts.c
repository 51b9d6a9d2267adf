/* facts.c — duplicate, near-duplicate and subsumed facts within a note. */
#include "facts.h"
#include "distance.h"
#include "fact_scope.h"
#include "fact_words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Facts of fewer words are labels ("Left sidebar width", "Header font"):
 * they differ in the one word that says which, so only a repeat word for
 * word is reported. */
#define LABEL_WORDS 5

void facts_normalise(const struct workspace *ws, const struct note *n, uint32_t item,
		     struct strbuf *out)
{
	struct fact_names names;
	fact_words_key(fact_index_names(ws, &names), n, item, out);
}

/* ---- facts ------------------------------------------------------------ */

struct fact {
	uint32_t item;
	uint32_t *seq;       /* all words, in order */
	uint32_t n_seq;
	uint32_t *content;   /* distinct content words (plurals folded), rarest first */
	uint32_t n_content;
	uint32_t *numbers;   /* words with digits, sorted */
	uint32_t n_numbers;
	uint32_t negations;  /* parity is what matters */
	uint32_t directions; /* the multiset of its WORD_DIRECTION words, hashed */
	uint32_t context;    /* fact_scope: only facts of one context compare */
	uint32_t code;       /* fact_scope: its code and math as written */
	uint32_t hash;
	uint32_t at;         /* where its three arrays start in the pool */
};

typedef ARRAY(uint32_t) u32_array;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The fact's arrays sit in pool, n_seq slots each from f->at: one array
 * for all the facts of a note. Their pointers are set by bind_fact once
 * the pool no longer moves. */
static void build_fact(struct normaliser *nz, const struct note *n, uint32_t item,
		       struct interner *in, u32_array *pool, struct fact *f)
{
	fact_words_normalise(nz, n, item);
	const slice_array *words = &nz->words;
	memset(f, 0, sizeof(*f));
	f->item = item;
	f->n_seq = words->len;
	f->at = pool->len;
	array_grow(pool, 3 * words->len + 1);
	uint32_t *seq = pool->items + f->at, *content = seq + words->len,
		 *numbers = content + words->len;
	f->hash = HASH_FNV1A_SEED;
	for (uint32_t i = 0; i < words->len; i++) {
		struct slice w = words->items[i];
		uint32_t m = nz->memo_of.items[i], id;
		if (m == FACT_NO_WORD) {
			id = fact_words_intern(in, w.ptr, w.len);
		} else if (nz->memo.items[m].id != FACT_NO_WORD) {
			id = nz->memo.items[m].id;
		} else {
			id = fact_words_intern_hashed(in, w.ptr, w.len, nz->seen.words.items[m].hash);
			nz->memo.items[m].id = id;
		}
		seq[i] = id;
		f->hash = hash_fnv1a_step(f->hash, id);
		uint8_t flags = in->words.items[id].flags;
		if (flags & WORD_NUMBER)
			numbers[f->n_numbers++] = id;
		if (flags & WORD_NEGATION)
			f->negations++;
		if (flags & WORD_DIRECTION)
			f->directions += (id + 1) * 0x9E3779B1u;
		if (flags & WORD_STOP)
			continue;
		uint32_t cid = in->words.items[id].stem;
		bool seen = false;
		for (uint32_t k = 0; k < f->n_content && !seen; k++)
			seen = content[k] == cid;
		if (!seen)
			content[f->n_content++] = cid;
	}
	qsort(numbers, f->n_numbers, sizeof(uint32_t), cmp_u32);
	pool->len += 3 * words->len;
}

static void bind_fact(struct fact *f, uint32_t *pool)
{
	f->seq = pool + f->at;
	f->content = f->seq + f->n_seq;
	f->numbers = f->content + f->n_seq;
}

static bool same_seq(const struct fact *a, const struct fact *b)
{
	return a->hash == b->hash && a->n_seq == b->n_seq && a->context == b->context &&
	       a->code == b->code &&
	       memcmp(a->seq, b->seq, a->n_seq * sizeof(uint32_t)) == 0;
}

/* Can these two say the same thing at all? Not when their numbers
 * (dates, amounts) differ, nor when one is negated and the other not. */
static bool comparable(const struct fact *a, const struct fact *b)
{
	return a->context == b->context && a->code == b->code && a->n_numbers == b->n_numbers && (a->negations & 1) == (b->negations & 1) &&
	       (!a->n_numbers || memcmp(a->numbers, b->numbers, a->n_numbers * sizeof(uint32_t)) == 0);
}

/*
 * comparable() is an equivalence: the facts of a note fall into groups of
 * the same numbers and the same negation parity, and near duplicates are
 * found only within a group. Gives each fact the index of the first fact
 * of its group, from a table hashed on what comparable() compares.
 */
static void assign_groups(const struct fact *facts, uint32_t nf, uint32_t *group)
{
	uint32_t cap = 16;
	while (cap < nf * 2)
		cap *= 2;
	uint32_t *table = xcalloc(cap, sizeof(uint32_t));
	for (uint32_t j = 0; j < nf; j++) {
		const struct fact *f = &facts[j];
		uint32_t h = hash_fnv1a_step(HASH_FNV1A_SEED, (f->negations & 1) ^ f->context);
		h = hash_fnv1a_step(h, f->code);
		for (uint32_t k = 0; k < f->n_numbers; k++)
			h = hash_fnv1a_step(h, f->numbers[k]);
		h &= cap - 1;
		while (table[h] && !comparable(&facts[table[h] - 1], f))
			h = (h + 1) & (cap - 1);
		if (!table[h])
			table[h] = j + 1;
		group[j] = table[h] - 1;
	}
	free(table);
}

/* Dice coefficient of the content word sets. */
static double dice(const struct fact *a, const struct fact *b, const uint8_t *in_a)
{
	uint32_t common = 0;
	for (uint32_t k = 0; k < b->n_content; k++)
		common += in_a[b->content[k]];
	return 2.0 * common / (double)(a->n_content + b->n_content);
}

/* Are all of s's words in l, in order, with few words between? */
static bool contained(const struct fact *s, const struct fact *l)
{
	if (s->n_seq >= l->n_seq || !s->n_seq)
		return false;
	uint32_t allowed = s->n_seq / 4 > 1 ? s->n_seq / 4 : 1;
	for (uint32_t start = 0; start + s->n_seq <= l->n_seq; start++) {
		if (l->seq[start] != s->seq[0])
			continue;
		uint32_t gaps = 0, j = start + 1, i = 1;
		for (; i < s->n_seq && j < l->n_seq && gaps <= allowed; j++) {
			if (l->seq[j] == s->seq[i])
				i++;
			else
				gaps++;
		}
		if (i == s->n_seq && gaps <= allowed)
			return true;
	}
	return false;
}

/* Lists of facts by word, in one array: word w's list is
 * ids[start[w] .. start[w] + len[w]), with room for every fact holding w
 * (df[w] of them). */
struct postings {
	uint32_t *start, *len, *ids;
};

static void postings_init(struct postings *p, const uint32_t *df, uint32_t nw)
{
	p->start = xmalloc((nw + 1) * sizeof(uint32_t));
	p->len = xcalloc(nw ? nw : 1, sizeof(uint32_t));
	p->start[0] = 0;
	for (uint32_t w = 0; w < nw; w++)
		p->start[w + 1] = p->start[w] + df[w];
	p->ids = xmalloc((p->start[nw] ? p->start[nw] : 1) * sizeof(uint32_t));
}

static void postings_add(struct postings *p, uint32_t w, uint32_t fact)
{
	p->ids[p->start[w] + p->len[w]++] = fact;
}

static void postings_fini(struct postings *p)
{
	free(p->start);
	free(p->len);
	free(p->ids);
}

/* Sorts a fact's content words rarest first (insertion sort: a fact has
 * tens of words, and qsort would need the frequencies as a global). */
static void sort_by_rarity(uint32_t *w, uint32_t n, const uint32_t *df)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = w[i], j = i;
		for (; j > 0 && (df[w[j - 1]] > df[v] || (df[w[j - 1]] == df[v] && w[j - 1] > v)); j--)
			w[j] = w[j - 1];
		w[j] = v;
	}
}

/* Do the two facts link the same notes? Facts that link different notes
 * are different facts, whatever their words; a fact that links nothing
 * may name the note in plain text. */
static bool same_links(const struct fact_scope *sc, const struct fact *a, const struct fact *b)
{
	bool la = sc->links_at[a->item + 1] > sc->links_at[a->item];
	bool lb = sc->links_at[b->item + 1] > sc->links_at[b->item];
	return !la || !lb ||
	       (fact_scope_links_within(sc, a->item, b->item) &&
		fact_scope_links_within(sc, b->item, a->item));
}

/* The earliest fact with the same words (in the same context, with the
 * same code and links) as fact j, or UINT32_MAX, from a table of
 * word-sequence hashes. */
static uint32_t earlier_duplicate(const struct fact *facts, const struct fact_scope *sc,
				  uint32_t *table, uint32_t cap, uint32_t j)
{
	uint32_t h = facts[j].hash & (cap - 1);
	for (; table[h]; h = (h + 1) & (cap - 1)) {
		const struct fact *a = &facts[table[h] - 1];
		if (same_seq(a, &facts[j]) && same_links(sc, a, &facts[j]))
			return table[h] - 1;
	}
	table[h] = j + 1;
	return UINT32_MAX;
}

/* The most words of a fact whose order is checked (the check is
 * quadratic in them); the rest of a longer fact is taken as it is. */
#define ORDER_WORDS 64

/*
 * Do a and b say their shared content words in the same order? Two words
 * that each fact holds once, standing in one order in a and the other in
 * b, make another statement ("Replace Inheritance with Delegation" /
 * "Replace Delegation with Inheritance") — unless they stand side by side
 * in both ("readable directly" / "directly readable").
 */
static bool same_order(const struct interner *in, const struct fact *a, const struct fact *b)
{
	uint32_t pa[ORDER_WORDS], pb[ORDER_WORDS], k = 0;
	uint32_t na = a->n_seq < ORDER_WORDS ? a->n_seq : ORDER_WORDS;
	uint32_t nb = b->n_seq < ORDER_WORDS ? b->n_seq : ORDER_WORDS;
	for (uint32_t i = 0; i < na; i++) {
		const struct word *w = &in->words.items[a->seq[i]];
		if (w->flags & WORD_STOP)
			continue;
		uint32_t at = UINT32_MAX, count = 0;
		for (uint32_t q = 0; q < na; q++)
			count += in->words.items[a->seq[q]].stem == w->stem;
		for (uint32_t q = 0; q < nb && count == 1; q++) {
			if (in->words.items[b->seq[q]].stem != w->stem)
				continue;
			if (at != UINT32_MAX)
				count = 2; /* twice in b */
			at = q;
		}
		if (count == 1 && at != UINT32_MAX) {
			pa[k] = i;
			pb[k++] = at;
		}
	}
	for (uint32_t i = 0; i < k; i++)
		for (uint32_t j = i + 1; j < k; j++)
			if (pb[i] > pb[j] && !(pa[j] == pa[i] + 1 && pb[i] == pb[j] + 1))
				return false;
	return true;
}

/* The content words of f (roots), and where each stands in f->seq. */
static uint32_t content_seq(const struct interner *in, const struct fact *f, uint32_t *root,
			    uint32_t *pos)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < f->n_seq; i++) {
		const struct word *w = &in->words.items[f->seq[i]];
		if (w->flags & WORD_STOP)
			continue;
		root[k] = w->root;
		pos[k++] = i;
	}
	return k;
}

/*
 * Do a and b say the same content words, as often and in the same order,
 * but for two neighbours swapped ("readable directly" / "directly
 * readable")? What may differ is what does not change what is said: stop
 * words, plurals, punctuation, an alias's spelling.
 */
static bool same_content(const struct interner *in, const struct fact *a, const struct fact *b)
{
	uint32_t *buf = xmalloc(2 * (a->n_seq + b->n_seq + 1) * sizeof(uint32_t));
	uint32_t *sa = buf, *pa = sa + a->n_seq, *sb = pa + a->n_seq, *pb = sb + b->n_seq;
	uint32_t na = content_seq(in, a, sa, pa), nb = content_seq(in, b, sb, pb);
	bool same = na == nb;
	for (uint32_t i = 0; same && i < na;) {
		if (sa[i] == sb[i]) {
			i++;
		} else if (i + 1 < na && sa[i] == sb[i + 1] && sa[i + 1] == sb[i] &&
			   pa[i + 1] == pa[i] + 1 && pb[i + 1] == pb[i] + 1) {
			i += 2;
		} else {
			same = false;
		}
	}
	free(buf);
	return same;
}

/* The first content word of f that g lacks. */
static uint32_t first_missing(const struct fact *f, const struct fact *g)
{
	for (uint32_t i = 0; i < f->n_content; i++) {
		bool found = false;
		for (uint32_t k = 0; k < g->n_content && !found; k++)
			found = g->content[k] == f->content[i];
		if (!found)
			return f->content[i];
	}
	return FACT_NO_WORD;
}

/* When a and b differ in one content word each: are those two words
 * forms of one word ("expects" / "expected"), a name and its initial, or
 * spellings of one name ("Sohlberg" / "Solberg": one edit in five
 * letters or more, two in eight or more), not two things ("Oslo" /
 * "Bergen")? */
static bool variant_pair(const struct interner *in, const struct fact *a, const struct fact *b)
{
	uint32_t x = first_missing(a, b), y = first_missing(b, a);
	if (x == FACT_NO_WORD || y == FACT_NO_WORD)
		return false;
	const struct word *wx = &in->words.items[x], *wy = &in->words.items[y];
	if (wx->root == wy->root)
		return true; /* "expects" / "expected" */
	/* An initial for a given name: "L. Owusu" / "Leif Owusu". */
	const char *tx = in->text.items + wx->text, *ty = in->text.items + wy->text;
	if ((wx->len == 1 && wy->len > 1 && ty[0] == tx[0]) ||
	    (wy->len == 1 && wx->len > 1 && tx[0] == ty[0]))
		return true;
	uint32_t shorter = wx->len < wy->len ? wx->len : wy->len;
	uint32_t limit = shorter >= 8 ? 2 : shorter >= 5 ? 1 : 0;
	if (!limit || (wx->flags | wy->flags) & WORD_NUMBER)
		return false;
	return distance_bounded((struct slice){ tx, wx->len }, (struct slice){ ty, wy->len }, limit) <=
	       limit;
}

/*
 * Is b a near duplicate of a, their Dice coefficient d being at least the
 * threshold, by their words (near_duplicate adds: they must link the same
 * notes)? Neither may be a label, and they must say their words in the
 * same order. In a subject note (a person card, a meeting) facts are
 * reworded as they are appended: enough shared content words will do,
 * but not when each fact has one word the other lacks ("travels to Oslo
 * in February" / "to Bergen"): parallel facts, unless the two are forms
 * or spellings of one word; nor when more than one in six of its content
 * words stand where the other has others. Elsewhere a near duplicate has
 * the same content words (same_content) and goes the same way ("valid
 * to" / "valid from").
 */
static bool near_words(const struct interner *in, bool subject, const struct fact *a,
		       const struct fact *b, double d)
{
	if (a->n_seq < LABEL_WORDS || b->n_seq < LABEL_WORDS || !same_order(in, a, b))
		return false;
	uint32_t common = (uint32_t)(d * (a->n_content + b->n_content) / 2.0 + 0.5);
	uint32_t only_a = a->n_content - common, only_b = b->n_content - common;
	if (!subject)
		return a->directions == b->directions && same_content(in, a, b);
	if (only_a == 1 && only_b == 1)
		return variant_pair(in, a, b);
	/* Words of one fact standing where the other has others: a
	 * rewording ("granted edit access" / "invited to edit") changes
	 * few of a long fact's words, another fact of the same template
	 * ("proceed with the NIC review" / "with the margin architecture")
	 * more: at most one in six. */
	uint32_t swapped = only_a < only_b ? only_a : only_b;
	uint32_t fewest = a->n_content < b->n_content ? a->n_content : b->n_content;
	return swapped * 6 <= fewest;
}

static bool near_duplicate(const struct interner *in, const struct fact_scope *sc,
			   const struct fact *a, const struct fact *b, double d)
{
	return same_links(sc, a, b) && near_words(in, sc->subject, a, b, d);
}

/* Keeps the strongest finding of a fact: duplicate, then near, then subsumed. */
static void record(struct fact_finding *best, bool *has, uint32_t item, uint32_t other,
		   uint8_t kind, double sim)
{
	if (*has && best->kind <= kind)
		return;
	*best = (struct fact_finding){ item, other, kind, sim };
	*has = true;
}

void facts_find(const struct workspace *ws, uint32_t id, double threshold,
		struct fact_findings *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn)
		return;
	const struct note *n = wn->note;
	struct interner in = { 0 };
	struct fact_names names;
	struct normaliser nz = { .names = fact_index_names(ws, &names) };
	struct fact_scope sc;
	fact_scope_init(&sc, ws, id);
	/* Room for the words a note's facts usually have (one distinct word
	 * in twelve bytes: the facts of a note repeat their words) at once,
	 * rather than growing and rehashing step by step. */
	uint32_t bytes = 0;
	for (uint32_t i = 0; i < n->items.len; i++)
		if (sc.fact[i])
			bytes += n->items.items[i].span.len;
	fact_words_interner_reserve(&nz.seen, bytes / 12, bytes / 2);
	fact_words_interner_reserve(&in, bytes / 12, bytes / 2);
	u32_array pool = { 0 };
	ARRAY(struct fact) facts = { 0 };
	for (uint32_t i = 0; i < n->items.len; i++) {
		if (!sc.fact[i])
			continue;
		struct fact f;
		build_fact(&nz, n, i, &in, &pool, &f);
		if (f.n_seq < FACT_MIN_WORDS) {
			pool.len = f.at;
			continue;
		}
		f.context = sc.context[i];
		f.code = sc.code[i];
		f.hash = hash_fnv1a_step(hash_fnv1a_step(f.hash, f.context), f.code);
		array_push(&facts, f);
	}
	for (uint32_t i = 0; i < facts.len; i++)
		bind_fact(&facts.items[i], pool.items);
	uint32_t nf = facts.len, nw = in.words.len;
	if (nf < 2)
		goto done;

	/* Rarest words first: the prefix filter's order. */
	uint32_t *df = xcalloc(nw, sizeof(uint32_t));
	for (uint32_t i = 0; i < nf; i++)
		for (uint32_t k = 0; k < facts.items[i].n_content; k++)
			df[facts.items[i].content[k]]++;
	for (uint32_t i = 0; i < nf; i++)
		sort_by_rarity(facts.items[i].content, facts.items[i].n_content, df);

	/* A fact's prefix words are among its content words: df bounds
	 * both indexes' lists. */
	struct postings prefix_index, word_index;
	postings_init(&prefix_index, df, nw);
	postings_init(&word_index, df, nw);
	for (uint32_t i = 0; i < nf; i++)
		for (uint32_t k = 0; k < facts.items[i].n_content; k++)
			postings_add(&word_index, facts.items[i].content[k], i);
	uint32_t cap = 16;
	while (cap < nf * 2)
		cap *= 2;
	uint32_t *seqs = xcalloc(cap, sizeof(uint32_t));
	uint32_t *stamp = xcalloc(nf, sizeof(uint32_t));
	uint32_t *group = xmalloc(nf * sizeof(uint32_t));
	assign_groups(facts.items, nf, group);
	uint8_t *in_a = xcalloc(nw, 1);
	struct fact_finding *best = xcalloc(nf, sizeof(*best));
	bool *has = xcalloc(nf, sizeof(bool));
	u32_array cands = { 0 };
	/* Jaccard >= t / (2 - t) follows from Dice >= t; it gives the prefix
	 * length that any pair above the threshold must share a word in. */
	double jt = threshold / (2.0 - threshold);

	for (uint32_t j = 0; j < nf; j++) {
		struct fact *b = &facts.items[j];
		uint32_t dup = earlier_duplicate(facts.items, &sc, seqs, cap, j);
		if (dup != UINT32_MAX)
			record(&best[j], &has[j], b->item, facts.items[dup].item, FACT_DUPLICATE, 1.0);

		/* Near duplicates of an earlier fact: the candidates share a
		 * word of their prefixes; the earliest that passes wins. Only
		 * those of b's group can pass, so only they are kept (sorting
		 * the others was most of the time of a note of 50,000 facts);
		 * but every distinct candidate counts toward the cap, which so
		 * ends the search where it would if all were kept. */
		uint32_t p = b->n_content ? b->n_content - (uint32_t)ceil(jt * b->n_content) + 1 : 0;
		if (p > b->n_content)
			p = b->n_content;
		cands.len = 0;
		uint32_t seen = 0;
		for (uint32_t k = 0; k < p && !has[j]; k++) {
			uint32_t w = b->content[k];
			const uint32_t *pl = prefix_index.ids + prefix_index.start[w];
			for (uint32_t m = 0; m < prefix_index.len[w] && seen < FACT_MAX_CANDIDATES; m++) {
				uint32_t i = pl[m];
				if (stamp[i] == j + 1)
					continue;
				stamp[i] = j + 1;
				seen++;
				if (group[i] == group[j])
					array_push(&cands, i);
			}
		}
		if (cands.len)
			qsort(cands.items, cands.len, sizeof(uint32_t), cmp_u32);
		for (uint32_t m = 0; m < cands.len; m++) {
			struct fact *a = &facts.items[cands.items[m]];
			if (same_seq(a, b))
				continue;
			for (uint32_t q = 0; q < a->n_content; q++)
				in_a[a->content[q]] = 1;
			double d = dice(a, b, in_a);
			for (uint32_t q = 0; q < a->n_content; q++)
				in_a[a->content[q]] = 0;
			if (d >= threshold && near_duplicate(&in, &sc, a, b, d)) {
				record(&best[j], &has[j], b->item, a->item, FACT_NEAR_DUPLICATE, d);
				break;
			}
		}
		for (uint32_t k = 0; k < p; k++)
			postings_add(&prefix_index, b->content[k], j);

		/* Contained in a longer fact: every fact holding this one's
		 * rarest word is a candidate. Only in a subject note: elsewhere
		 * a line that shares a longer one's words is a template line
		 * or a summary of it, not the same fact said twice. */
		if (sc.subject && b->n_seq >= LABEL_WORDS && b->n_content && !has[j]) {
			uint32_t w = b->content[0];
			const uint32_t *pl = word_index.ids + word_index.start[w];
			for (uint32_t m = 0; m < word_index.len[w] && m < FACT_MAX_CANDIDATES; m++) {
				uint32_t i = pl[m];
				struct fact *l = &facts.items[i];
				if (i == j || (l->negations & 1) != (b->negations & 1) || l->code != b->code ||
				    !fact_scope_links_within(&sc, b->item, l->item) || !contained(b, l))
					continue;
				/* A longer fact that adds nothing but stop words is
				 * a near duplicate (reported on the later of the
				 * two), not a fact that says more. */
				for (uint32_t q = 0; q < l->n_content; q++)
					in_a[l->content[q]] = 1;
				double d = dice(l, b, in_a);
				for (uint32_t q = 0; q < l->n_content; q++)
					in_a[l->content[q]] = 0;
				if (d >= threshold && comparable(l, b))
					continue;
				record(&best[j], &has[j], b->item, l->item, FACT_SUBSUMED, d);
				break;
			}
		}
	}
	for (uint32_t j = 0; j < nf; j++)
		if (has[j])
			array_push(out, best[j]);

	postings_fini(&prefix_index);
	postings_fini(&word_index);
	free(seqs);
	array_free(&cands);
	free(stamp);
	free(group);
	free(in_a);
	free(best);
	free(has);
	free(df);
done:
	fact_scope_fini(&sc);
	array_free(&facts);
	array_free(&pool);
	fact_words_fini(&nz);
	fact_words_interner_free(&in);
}

double facts_similarity(const struct workspace *ws, const struct note *n, uint32_t a, uint32_t b)
{
	struct interner in = { 0 };
	struct fact_names names;
	struct normaliser nz = { .names = fact_index_names(ws, &names) };
	u32_array pool = { 0 };
	struct fact fa, fb;
	build_fact(&nz, n, a, &in, &pool, &fa);
	build_fact(&nz, n, b, &in, &pool, &fb);
	bind_fact(&fa, pool.items);
	bind_fact(&fb, pool.items);
	uint8_t *in_a = xcalloc(in.words.len ? in.words.len : 1, 1);
	for (uint32_t q = 0; q < fa.n_content; q++)
		in_a[fa.content[q]] = 1;
	double d = !comparable(&fa, &fb) ? -1.0 : fa.n_content + fb.n_content ? dice(&fa, &fb, in_a) : 0.0;
	/* Parallel facts and word orders that cannot be near duplicates,
	 * as on a person card. */
	if (d >= 0 && !near_words(&in, true, &fa, &fb, d) &&
	    (fa.n_seq >= LABEL_WORDS && fb.n_seq >= LABEL_WORDS))
		d = -1.0;
	free(in_a);
	array_free(&pool);
	fact_words_fini(&nz);
	fact_words_interner_free(&in);
	return d;
}
