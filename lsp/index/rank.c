/* rank.c — the best names for what is typed, over the whole vault: the
 * name table's passes, pruned by fuzzy bounds, on two cores when long. */
#include "rank.h"
#include "fuzzy.h"
#include "names.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static bool better(const struct rank_candidate *a, const struct rank_candidate *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (a->kind_rank != b->kind_rank)
		return a->kind_rank < b->kind_rank;
	if (a->alias != b->alias)
		return !a->alias;
	if (a->order != b->order)
		return a->order < b->order;
	if (a->label_len != b->label_len)
		return a->label_len < b->label_len;
	int c = strcmp(a->label, b->label);
	if (c != 0)
		return c < 0;
	/* A total order, so that which of equals is kept does not depend on
	 * the order they were offered in. */
	if (a->note != b->note)
		return a->note < b->note;
	return a->key < b->key;
}

static void sift_down(struct rank_top *t, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, worst = i;
		if (l < t->len && better(&t->items[worst], &t->items[l]))
			worst = l;
		if (r < t->len && better(&t->items[worst], &t->items[r]))
			worst = r;
		if (worst == i)
			return;
		struct rank_candidate tmp = t->items[i];
		t->items[i] = t->items[worst];
		t->items[worst] = tmp;
		i = worst;
	}
}

void rank_offer(struct rank_top *t, struct rank_candidate c)
{
	/* Most candidates of a large vault lose to the worst kept: skip the
	 * copy and the sifting for them. */
	if (t->len == RANK_MAX && !better(&c, &t->items[0]))
		return;
	/* A note (or alias) offered again, by another key or another pass,
	 * keeps its best score. (A note is offered with key 0.) */
	for (uint32_t i = 0; i < t->len; i++) {
		struct rank_candidate *old = &t->items[i];
		if (old->note != c.note || old->key != c.key)
			continue;
		if (better(&c, old)) {
			*old = c; /* better now: it moves away from the root */
			sift_down(t, i);
		}
		return;
	}
	if (t->len < RANK_MAX) {
		uint32_t i = t->len++;
		t->items[i] = c;
		while (i > 0) {
			uint32_t p = (i - 1) / 2;
			if (!better(&t->items[p], &t->items[i]))
				break;
			struct rank_candidate tmp = t->items[p];
			t->items[p] = t->items[i];
			t->items[i] = tmp;
			i = p;
		}
	} else if (better(&c, &t->items[0])) {
		t->items[0] = c;
		sift_down(t, 0);
	}
}

static int cmp_candidates(const void *a, const void *b)
{
	return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

void rank_sort(struct rank_top *t)
{
	qsort(t->items, t->len, sizeof(t->items[0]), cmp_candidates);
}

bool rank_better(const struct rank_candidate *a, const struct rank_candidate *b)
{
	return better(a, b);
}

void rank_query_key(struct slice q, struct strbuf *key)
{
	names_search_key(slice_trim(q), key);
}

struct pass {
	struct workspace *ws;
	uint32_t split;       /* rank_options.split, or SPLIT_KEYS */
	struct name_table t;
	struct slice q;
	uint64_t qmask;
	bool people_only;
	int prefix_score[2];  /* of a key the query is a prefix of: [1] all of it */
	struct fuzzy_plan plan;
	uint64_t head, head_mask;  /* the query's first bytes, as name_ref.head */
};

/* Can a candidate with this score and entry enter the list at all? Decided
 * on the entry alone, before reading any note (see better). */
static bool may_enter(const struct rank_top *top, int score, const struct name_ref *r, bool alias)
{
	if (top->len < RANK_MAX)
		return true;
	const struct rank_candidate *worst = &top->items[0];
	if (score != worst->score)
		return score > worst->score;
	if (r->rank != worst->kind_rank)
		return r->rank < worst->kind_rank;
	if (alias != worst->alias)
		return !alias;
	return r->label_len <= worst->label_len;
}

static bool is_prefix(const struct pass *p, const struct name_ref *r)
{
	uint64_t head;
	memcpy(&head, r->head, sizeof(head));
	return ((head ^ p->head) & p->head_mask) == 0 && r->key_len >= p->q.len &&
	       (p->q.len <= 8 || memcmp(p->t.keys + r->key, p->q.ptr, p->q.len) == 0);
}

/* Offers key r with this score, if it can enter: a stem or title as its
 * note (offered again, the note keeps its best score), an alias as itself. */
static void offer_key(const struct pass *p, const struct name_ref *r, int score, struct rank_top *top)
{
	bool alias = r->k >= 2;
	if (score < 0 || !may_enter(top, score, r, alias))
		return;
	const struct ws_note *wn = workspace_get(p->ws, r->id);
	struct rank_candidate c = { score, r->rank, alias, 0, r->id, alias ? (int32_t)r->k : 0,
			       alias ? wn->note->aliases.items[r->k - 2]->str : wn->stem, r->label_len };
	rank_offer(top, c);
}

static bool wanted(const struct pass *p, const struct name_ref *r, uint64_t skip)
{
	return r->rank != NAME_DEAD && (r->mask & p->qmask) == p->qmask && !(r->words & skip) &&
	       !(p->people_only && r->rank != 0);
}

/* Offers the keys at entries[order[from..to]] (order NULL: entries in note
 * order, from..to) that the query is a prefix of: their score is known
 * without reading them. The keys of one note are adjacent in every order:
 * the note's stem/title is offered once its run of keys ends. */
static void prefix_pass(const struct pass *p, const struct name_ref *entries, const uint32_t *order,
			uint32_t from, uint32_t to, struct rank_top *top)
{
	const struct name_ref *run = NULL;
	int best = -1;
	for (uint32_t i = from; i <= to; i++) {
		const struct name_ref *r = i < to ? &entries[order ? order[i] : i] : NULL;
		if (r && r->rank == NAME_DEAD)
			continue;
		if (!r || !run || r->id != run->id) {
			if (best >= 0)
				offer_key(p, run, best, top);
			if (!r)
				break;
			run = r;
			best = -1;
		}
		if (!wanted(p, r, 0) || !is_prefix(p, r))
			continue;
		int score = p->prefix_score[r->key_len == p->q.len];
		if (r->k < 2) {
			if (score > best)
				best = score;
		} else {
			offer_key(p, r, score, top);
		}
	}
}

/* Offers every key at entries[order[from..to]] (as prefix_pass) but those
 * whose word starts have any bit of skip, scored. Most keys of a large
 * vault cannot make the list even with their best conceivable score
 * (fuzzy_plan_bound): best first, by that bound, so that the list is soon
 * made of the strong matches, and every key whose bound is below its worst
 * is left unread. Bounds of equal value are taken in the pass's order,
 * which for the word-start lists is the order ties are broken in. */
static void rank_pass(const struct pass *p, const struct name_ref *entries, const uint32_t *order,
		      uint32_t from, uint32_t to, uint64_t skip, struct rank_top *top)
{
	if (from >= to)
		return;
	struct cand { uint32_t at; int bound; } *cands = xmalloc(sizeof(*cands) * (to - from));
	uint32_t n = 0;
	int most = -1;
	for (uint32_t i = from; i < to; i++) {
		const struct name_ref *r = &entries[order ? order[i] : i];
		if (!wanted(p, r, skip))
			continue;
		if (is_prefix(p, r)) {
			offer_key(p, r, p->prefix_score[r->key_len == p->q.len], top);
			continue;
		}
		int bound = fuzzy_plan_bound(&p->plan, r->words, r->pairs, r->jumps,
					     r->head[0] == p->q.ptr[0]);
		if (bound < 0 || !may_enter(top, bound, r, r->k >= 2))
			continue;
		cands[n++] = (struct cand){ order ? order[i] : i, bound };
		if (bound > most)
			most = bound;
	}
	/* A counting sort by bound, highest first, stable. */
	uint32_t *start = xcalloc((size_t)most + 2, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++)
		start[most - cands[i].bound + 1]++;
	for (int b = 0; b <= most; b++)
		start[b + 1] += start[b];
	uint32_t *sorted = xmalloc(sizeof(uint32_t) * (n ? n : 1));
	for (uint32_t i = 0; i < n; i++)
		sorted[start[most - cands[i].bound]++] = i;
	for (uint32_t j = 0; j < n; j++) {
		const struct cand *c = &cands[sorted[j]];
		const struct name_ref *r = &entries[c->at];
		if (top->len == RANK_MAX && c->bound < top->items[0].score)
			break; /* and so is every bound after */
		if (!may_enter(top, c->bound, r, r->k >= 2))
			continue;
		offer_key(p, r, fuzzy_score(p->q, (struct slice){ p->t.keys + r->key, r->key_len }), top);
	}
	free(sorted);
	free(start);
	free(cands);
}

/* A pass over this many keys or more is split between two threads. */
#define SPLIT_KEYS 16384

struct half {
	const struct pass *p;
	const struct name_ref *entries;
	const uint32_t *order;
	uint32_t from, to;
	uint64_t skip;
	struct rank_top top;
};

static void *rank_half(void *arg)
{
	struct half *h = arg;
	rank_pass(h->p, h->entries, h->order, h->from, h->to, h->skip, &h->top);
	return NULL;
}

/* rank_pass, on two cores when the range is long: the second half ranks
 * into a copy of the list (so it prunes as well from the start), which is
 * then offered to the first. offer keeps a note's best and `better` is a
 * total order, so the list is the one a single pass makes. */
static void rank_range(const struct pass *p, const struct name_ref *entries, const uint32_t *order,
		       uint32_t from, uint32_t to, uint64_t skip, struct rank_top *top)
{
	pthread_t tid;
	struct half *h = NULL;
	if (to - from >= p->split) {
		h = xmalloc(sizeof(*h));
		uint32_t mid = from + (to - from) / 2;
		*h = (struct half){ p, entries, order, mid, to, skip, *top };
		if (pthread_create(&tid, NULL, rank_half, h) == 0) {
			to = mid;
		} else {
			free(h);
			h = NULL;
		}
	}
	rank_pass(p, entries, order, from, to, skip, top);
	if (h) {
		pthread_join(tid, NULL);
		for (uint32_t i = 0; i < h->top.len; i++)
			rank_offer(top, h->top.items[i]);
		free(h);
	}
}

/* What rank_names must give, the slow way: every key of every note scored,
 * reading the notes, not the table. */
static void rank_every_key(const struct pass *p, struct rank_top *top)
{
	for (uint32_t id = 0; id < workspace_id_bound(p->ws); id++) {
		const struct ws_note *wn = workspace_get(p->ws, id);
		uint8_t rank = wn ? name_table_rank(wn->kind) : NAME_DEAD;
		if (!wn || (p->people_only && rank != 0))
			continue;
		int best = -1;
		for (uint32_t k = 0; k < wn->n_keys; k++) {
			int score = fuzzy_score(p->q, (struct slice){ wn->keys[k].key, wn->keys[k].len });
			if (k < 2 && score > best)
				best = score;
			const char *alias = k >= 2 ? wn->note->aliases.items[k - 2]->str : NULL;
			if (alias && score >= 0)
				rank_offer(top, (struct rank_candidate){ score, rank, true, 0, id, (int32_t)k, alias,
							       (uint32_t)strlen(alias) });
		}
		if (best >= 0)
			rank_offer(top, (struct rank_candidate){ best, rank, false, 0, id, 0, wn->stem,
						       (uint32_t)strlen(wn->stem) });
	}
}

/* Every note (by stem or title) and every alias, fuzzy-matched: the best
 * RANK_MAX, in up to three passes that each leave the list better for
 * the next to beat. In a large vault the keys starting with what is typed
 * fill the list, and no other key can outscore them (fuzzy_bound): then
 * only that first-byte group of the name table is looked at, and no key is
 * read, only the table. Otherwise the keys with the first letter at a word
 * start come next ("wie" for "Tomasz Wierzbicki"), then the rest, of which
 * most are dismissed on their bound alone. */
void rank_names(struct workspace *ws, struct slice query, bool people_only,
		const struct rank_options *opts, struct rank_top *top)
{
	struct strbuf qk = { 0 };
	rank_query_key(query, &qk);
	struct pass p = { .ws = ws, .split = opts && opts->split ? opts->split : SPLIT_KEYS,
			  .t = workspace_name_table(ws), .q = { qk.ptr ? qk.ptr : "", qk.len },
			  .people_only = people_only };
	p.qmask = fuzzy_mask(p.q);
	p.prefix_score[0] = fuzzy_prefix_score(p.q, false);
	p.prefix_score[1] = fuzzy_prefix_score(p.q, true);
	fuzzy_plan_init(&p.plan, p.q);
	size_t head = p.q.len < 8 ? p.q.len : 8;
	memcpy(&p.head, p.q.ptr, head);
	memset(&p.head_mask, 0xff, head);
	if (opts && opts->exhaustive) {
		rank_every_key(&p, top);
		goto done;
	}
	uint64_t first = fuzzy_mask((struct slice){ p.q.ptr, p.q.len ? 1 : 0 });
	const struct name_ref *all = p.t.entries, *extra = p.t.extra;
	if (first) {
		unsigned char c0 = (unsigned char)p.q.ptr[0];
		prefix_pass(&p, all, p.t.by_first, p.t.first[c0], p.t.first[c0 + 1], top);
		prefix_pass(&p, extra, NULL, 0, p.t.extra_len, top);
		if (top->len == RANK_MAX && top->items[0].score > fuzzy_bound(p.q, ~0ull, true))
			goto done;
		int b = __builtin_ctzll(first);
		rank_range(&p, all, p.t.by_word, p.t.word[b], p.t.word[b + 1], 0, top);
		rank_pass(&p, extra, NULL, 0, p.t.extra_len, 0, top);
		/* The rest have no word starting with the first letter (so it
		 * is not their first byte either): when none of them could
		 * score above the list's worst, not one needs to be looked at. */
		if (top->len == RANK_MAX && top->items[0].score > fuzzy_bound(p.q, ~first, false))
			goto done;
	} else {
		rank_pass(&p, extra, NULL, 0, p.t.extra_len, 0, top);
	}
	rank_range(&p, all, NULL, 0, p.t.len, first, top);
done:
	strbuf_fini(&qk);
}

/* After "![[", attachments too, by file name, scored as the notes are and
 * ranked with them. They are not in the name table (which holds notes'
 * names), so this is a scan of the attachments; a plain "[[" offers notes
 * only — a link is to a note far more often than to a file. */
void rank_attachments(const struct workspace *ws, struct slice query, struct rank_top *top)
{
	struct strbuf qk = { 0 }, key = { 0 };
	rank_query_key(query, &qk);
	struct slice q = { qk.ptr ? qk.ptr : "", qk.len };
	uint64_t qmask = fuzzy_mask(q);
	for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn || !wn->attachment)
			continue;
		key.len = 0;
		names_search_key(slice_from_cstr(wn->stem), &key);
		struct slice k = { key.ptr ? key.ptr : "", key.len };
		if (qmask & ~fuzzy_mask(k))
			continue;
		int score = fuzzy_score(q, k);
		if (score >= 0)
			rank_offer(top, (struct rank_candidate){ score, 2, false, 0, id, 0, wn->stem,
						       (uint32_t)strlen(wn->stem) });
	}
	strbuf_fini(&qk);
	strbuf_fini(&key);
}
