/* completion.c — textDocument/completion: notes and aliases after "[[",
 * headings after "#", block ids after "#^", aliases after "|", person names
 * in people-like frontmatter values; and completionItem/resolve. */
#include "fuzzy.h"
#include "handlers.h"
#include "names.h"
#include "preview.h"
#include "rpc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 100

/* CompletionItemKind */
enum { KIND_TEXT = 1, KIND_VALUE = 12, KIND_FILE = 17, KIND_REFERENCE = 18 };

enum context_kind { CTX_NONE, CTX_NOTE, CTX_HEADING, CTX_BLOCK, CTX_DISPLAY, CTX_PERSON };

struct context {
	enum context_kind kind;
	struct slice target;   /* the note named before '#' or '|' */
	struct slice query;    /* what is typed: filter text */
	uint32_t start;        /* replace range: from here... */
	uint32_t end;          /* ...to here (the cursor, or after an existing "]]") */
	bool close;            /* newText must add "]]" */
	bool embed;            /* "![[": attachments are offered too */
};

/* ---- context --------------------------------------------------------- */

static uint32_t line_start(const char *text, uint32_t offset)
{
	while (offset > 0 && text[offset - 1] != '\n' && text[offset - 1] != '\r')
		offset--;
	return offset;
}

/* The last "[[" on the line before the cursor that no "]]" closes: *open
 * is where it starts, *after where the target does. */
static bool open_link(const char *text, uint32_t from, uint32_t cursor, uint32_t *open,
		      uint32_t *after)
{
	bool found = false;
	for (uint32_t i = from; i + 1 < cursor; i++) {
		if (text[i] == '[' && text[i + 1] == '[') {
			*open = i;
			*after = i + 2;
			while (*after < cursor && text[*after] == '[')
				(*after)++; /* "[[[" types one more bracket */
			found = true;
			i = *after - 1;
		} else if (found && text[i] == ']' && text[i + 1] == ']') {
			found = false;
		}
	}
	return found;
}

/* The key of the frontmatter line holding offset, looking up past list
 * items ("  - Ragnar") to "participants:". Works on raw text, so it keeps
 * working while the YAML being typed is invalid. */
static struct slice frontmatter_key(const char *text, uint32_t offset, uint32_t *value_start)
{
	uint32_t ls = line_start(text, offset);
	struct slice none = { "", 0 };
	/* The value being typed starts after ": ", "[", ",", "- " or a quote. */
	uint32_t v = offset;
	while (v > ls && !strchr(":[,\"'", text[v - 1]) &&
	       !(text[v - 1] == ' ' && v - 1 > ls && text[v - 2] == '-'))
		v--;
	while (v < offset && text[v] == ' ')
		v++;
	*value_start = v;
	for (uint32_t l = ls;;) {
		uint32_t e = l;
		while (text[e] && text[e] != '\n' && text[e] != ':')
			e++;
		bool indented = text[l] == ' ' || text[l] == '\t' || text[l] == '-';
		if (!indented && text[e] == ':')
			return slice_trim((struct slice){ text + l, e - l });
		if (!indented && l != ls)
			return none;
		if (l == 0)
			return none;
		l = line_start(text, l - 1);
	}
}

static struct context find_context(const struct note *n, const struct config *cfg, uint32_t cursor)
{
	struct context c = { .kind = CTX_NONE };
	const char *text = n->text;
	if (note_in_zone(n, cursor))
		return c; /* nothing is offered inside code */
	if (n->has_frontmatter && cursor < n->body) {
		uint32_t vs;
		struct slice key = frontmatter_key(text, cursor, &vs);
		char *k = xstrndup(key.ptr, key.len);
		if (key.len && config_is_people_key(cfg, k)) {
			c.kind = CTX_PERSON;
			c.start = vs;
			c.end = cursor;
			c.query = (struct slice){ text + vs, cursor - vs };
		}
		free(k);
		return c;
	}
	uint32_t open = 0, after = 0;
	if (!open_link(text, line_start(text, cursor), cursor, &open, &after))
		return c;
	c.embed = open > 0 && text[open - 1] == '!';
	struct slice typed = { text + after, cursor - after };
	c.end = cursor;
	/* An editor that closed the brackets itself left "]]" after the
	 * cursor: replace it too, so that it is not doubled. */
	if (cursor + 2 <= n->len && text[cursor] == ']' && text[cursor + 1] == ']')
		c.end = cursor + 2;
	c.close = true;
	const char *bar = memchr(typed.ptr, '|', typed.len);
	const char *hash = memchr(typed.ptr, '#', typed.len);
	if (bar) {
		c.kind = CTX_DISPLAY;
		const char *tend = hash && hash < bar ? hash : bar;
		c.target = (struct slice){ typed.ptr, (size_t)(tend - typed.ptr) };
		c.start = (uint32_t)(bar + 1 - text);
	} else if (hash) {
		c.target = (struct slice){ typed.ptr, (size_t)(hash - typed.ptr) };
		/* "[[Note#H1#" continues the chain: complete the last part. */
		const char *last = typed.ptr + typed.len;
		while (last > hash + 1 && last[-1] != '#')
			last--;
		c.kind = CTX_HEADING;
		c.start = (uint32_t)(last - text);
		if (last < typed.ptr + typed.len && *last == '^') {
			c.kind = CTX_BLOCK;
			c.start++;
		}
	} else {
		c.kind = CTX_NOTE;
		c.start = after;
	}
	c.query = (struct slice){ text + c.start, cursor - c.start };
	return c;
}

/* ---- ranking --------------------------------------------------------- */

struct candidate {
	int score;
	uint8_t kind_rank;   /* people, then projects, first among equals */
	bool alias;          /* a note before an alias that scores the same */
	uint32_t order;      /* then document order (headings, blocks) */
	uint32_t note;
	int32_t key;         /* 0: the note by its stem, >= 2: an alias; or a heading/block index */
	const char *label;
	uint32_t label_len;  /* shorter labels first among equals */
};

static bool better(const struct candidate *a, const struct candidate *b)
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

/* The best MAX_ITEMS, kept in a heap whose root is the worst of them. */
struct top {
	struct candidate items[MAX_ITEMS];
	uint32_t len;
};

static void sift_down(struct top *t, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, worst = i;
		if (l < t->len && better(&t->items[worst], &t->items[l]))
			worst = l;
		if (r < t->len && better(&t->items[worst], &t->items[r]))
			worst = r;
		if (worst == i)
			return;
		struct candidate tmp = t->items[i];
		t->items[i] = t->items[worst];
		t->items[worst] = tmp;
		i = worst;
	}
}

static void offer(struct top *t, struct candidate c)
{
	/* Most candidates of a large vault lose to the worst kept: skip the
	 * copy and the sifting for them. */
	if (t->len == MAX_ITEMS && !better(&c, &t->items[0]))
		return;
	/* A note (or alias) offered again, by another key or another pass,
	 * keeps its best score. (A note is offered with key 0.) */
	for (uint32_t i = 0; i < t->len; i++) {
		struct candidate *old = &t->items[i];
		if (old->note != c.note || old->key != c.key)
			continue;
		if (better(&c, old)) {
			*old = c; /* better now: it moves away from the root */
			sift_down(t, i);
		}
		return;
	}
	if (t->len < MAX_ITEMS) {
		uint32_t i = t->len++;
		t->items[i] = c;
		while (i > 0) {
			uint32_t p = (i - 1) / 2;
			if (!better(&t->items[p], &t->items[i]))
				break;
			struct candidate tmp = t->items[p];
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

static void query_key(struct slice q, struct strbuf *key)
{
	names_search_key(slice_trim(q), key);
}

static bool exhaustive; /* completion_set_exhaustive */

void completion_set_exhaustive(bool on)
{
	exhaustive = on;
}

struct pass {
	struct workspace *ws;
	struct name_table t;
	struct slice q;
	uint64_t qmask;
	bool people_only;
	int prefix_score[2];  /* of a key the query is a prefix of: [1] all of it */
};

/* Can a candidate with this score and entry enter the list at all? Decided
 * on the entry alone, before reading any note (see better). */
static bool may_enter(const struct top *top, int score, const struct name_ref *r, bool alias)
{
	if (top->len < MAX_ITEMS)
		return true;
	const struct candidate *worst = &top->items[0];
	if (score != worst->score)
		return score > worst->score;
	if (r->rank != worst->kind_rank)
		return r->rank < worst->kind_rank;
	if (alias != worst->alias)
		return !alias;
	return r->label_len <= worst->label_len;
}

/* Offers the keys at entries[order[from..to]] (order NULL: entries in note
 * order, from..to) but those whose word starts have any bit of skip. With
 * prefix, only the keys the query is a prefix of count, and their score is
 * known without reading them. The keys of one note are adjacent in every
 * order: the note's best stem/title score is offered once its run of keys
 * ends. */
static void rank_pass(const struct pass *p, const struct name_ref *entries, const uint32_t *order,
		      uint32_t from, uint32_t to, bool prefix, uint64_t skip, struct top *top)
{
	const struct name_ref *run = NULL;
	int best = -1;
	const size_t head = p->q.len < 8 ? p->q.len : 8;
	for (uint32_t i = from; i <= to; i++) {
		const struct name_ref *r = i < to ? &entries[order ? order[i] : i] : NULL;
		if (r && r->rank == NAME_DEAD)
			continue;
		if (!r || !run || r->id != run->id) {
			if (best >= 0 && may_enter(top, best, run, false)) {
				const struct ws_note *wn = workspace_get(p->ws, run->id);
				struct candidate c = { best, run->rank, false, 0, run->id, 0, wn->stem,
						       run->label_len };
				offer(top, c);
			}
			if (!r)
				break;
			run = r;
			best = -1;
		}
		if ((r->mask & p->qmask) != p->qmask || (r->words & skip) ||
		    (p->people_only && r->rank != 0))
			continue;
		const char *key = p->t.keys + r->key;
		int score;
		if (r->key_len >= p->q.len && memcmp(r->head, p->q.ptr, head) == 0 &&
		    (p->q.len <= 8 || memcmp(key, p->q.ptr, p->q.len) == 0)) {
			score = p->prefix_score[r->key_len == p->q.len];
		} else {
			if (prefix)
				continue;
			/* Most keys of a large vault cannot make the list even with
			 * their best conceivable score: skip the scoring. */
			int bound = fuzzy_bound(p->q, r->words, r->head[0] == p->q.ptr[0]);
			if (!may_enter(top, bound, r, r->k >= 2))
				continue;
			score = fuzzy_score(p->q, (struct slice){ key, r->key_len });
		}
		if (score < 0)
			continue;
		if (r->k < 2) {
			if (score > best)
				best = score;
		} else if (may_enter(top, score, r, true)) {
			const struct ws_note *wn = workspace_get(p->ws, r->id);
			struct candidate c = { score, r->rank, true, 0, r->id, (int32_t)r->k,
					       wn->note->aliases.items[r->k - 2]->str, r->label_len };
			offer(top, c);
		}
	}
}

/* A pass over this many keys or more is split between two threads. */
static uint32_t split_keys = 16384;

void completion_set_split(uint32_t keys)
{
	split_keys = keys ? keys : 16384;
}

struct half {
	const struct pass *p;
	const struct name_ref *entries;
	const uint32_t *order;
	uint32_t from, to;
	bool prefix;
	uint64_t skip;
	struct top top;
};

static void *rank_half(void *arg)
{
	struct half *h = arg;
	rank_pass(h->p, h->entries, h->order, h->from, h->to, h->prefix, h->skip, &h->top);
	return NULL;
}

/* rank_pass, on two cores when the range is long: the second half ranks
 * into a copy of the list (so it prunes as well from the start), which is
 * then offered to the first. offer keeps a note's best and `better` is a
 * total order, so the list is the one a single pass makes. */
static void rank_range(const struct pass *p, const struct name_ref *entries, const uint32_t *order,
		       uint32_t from, uint32_t to, bool prefix, uint64_t skip, struct top *top)
{
	pthread_t tid;
	struct half *h = NULL;
	if (to - from >= split_keys) {
		h = xmalloc(sizeof(*h));
		uint32_t mid = from + (to - from) / 2;
		*h = (struct half){ p, entries, order, mid, to, prefix, skip, *top };
		if (pthread_create(&tid, NULL, rank_half, h) == 0) {
			to = mid;
		} else {
			free(h);
			h = NULL;
		}
	}
	rank_pass(p, entries, order, from, to, prefix, skip, top);
	if (h) {
		pthread_join(tid, NULL);
		for (uint32_t i = 0; i < h->top.len; i++)
			offer(top, h->top.items[i]);
		free(h);
	}
}

/* What rank_names must give, the slow way: every key of every note scored,
 * reading the notes, not the table. */
static void rank_every_key(const struct pass *p, struct top *top)
{
	for (uint32_t id = 0; id < workspace_id_bound(p->ws); id++) {
		const struct ws_note *wn = workspace_get(p->ws, id);
		uint8_t rank = wn ? name_rank(wn->kind) : NAME_DEAD;
		if (!wn || (p->people_only && rank != 0))
			continue;
		int best = -1;
		for (uint32_t k = 0; k < wn->n_keys; k++) {
			int score = fuzzy_score(p->q, (struct slice){ wn->keys[k].key, wn->keys[k].len });
			if (k < 2 && score > best)
				best = score;
			const char *alias = k >= 2 ? wn->note->aliases.items[k - 2]->str : NULL;
			if (alias && score >= 0)
				offer(top, (struct candidate){ score, rank, true, 0, id, (int32_t)k, alias,
							       (uint32_t)strlen(alias) });
		}
		if (best >= 0)
			offer(top, (struct candidate){ best, rank, false, 0, id, 0, wn->stem,
						       (uint32_t)strlen(wn->stem) });
	}
}

/* Every note (by stem or title) and every alias, fuzzy-matched: the best
 * MAX_ITEMS, in up to three passes that each leave the list better for
 * the next to beat. In a large vault the keys starting with what is typed
 * fill the list, and no other key can outscore them (fuzzy_bound): then
 * only that first-byte group of the name table is looked at, and no key is
 * read, only the table. Otherwise the keys with the first letter at a word
 * start come next ("wie" for "Tomasz Wierzbicki"), then the rest, of which
 * most are dismissed on their bound alone. */
static void rank_names(struct workspace *ws, struct slice query, bool people_only,
		       struct top *top)
{
	struct strbuf qk = { 0 };
	query_key(query, &qk);
	struct pass p = { ws, workspace_name_table(ws), { qk.ptr ? qk.ptr : "", qk.len }, 0,
			  people_only, { 0, 0 } };
	p.qmask = fuzzy_mask(p.q);
	p.prefix_score[0] = fuzzy_prefix_score(p.q, false);
	p.prefix_score[1] = fuzzy_prefix_score(p.q, true);
	if (exhaustive) {
		rank_every_key(&p, top);
		goto done;
	}
	uint64_t first = fuzzy_mask((struct slice){ p.q.ptr, p.q.len ? 1 : 0 });
	const struct name_ref *all = p.t.entries, *extra = p.t.extra;
	if (first) {
		unsigned char c0 = (unsigned char)p.q.ptr[0];
		rank_range(&p, all, p.t.by_first, p.t.first[c0], p.t.first[c0 + 1], true, 0, top);
		rank_pass(&p, extra, NULL, 0, p.t.extra_len, true, 0, top);
		if (top->len == MAX_ITEMS && top->items[0].score > fuzzy_bound(p.q, ~0ull, true))
			goto done;
		int b = __builtin_ctzll(first);
		rank_range(&p, all, p.t.by_word, p.t.word[b], p.t.word[b + 1], false, 0, top);
		rank_pass(&p, extra, NULL, 0, p.t.extra_len, false, 0, top);
		/* The rest have no word starting with the first letter (so it
		 * is not their first byte either): when none of them could
		 * score above the list's worst, not one needs to be looked at. */
		if (top->len == MAX_ITEMS && top->items[0].score > fuzzy_bound(p.q, ~first, false))
			goto done;
	} else {
		rank_pass(&p, extra, NULL, 0, p.t.extra_len, false, 0, top);
	}
	rank_range(&p, all, NULL, 0, p.t.len, false, first, top);
done:
	strbuf_fini(&qk);
}

/* After "![[", attachments too, by file name, scored as the notes are and
 * ranked with them. They are not in the name table (which holds notes'
 * names), so this is a scan of the attachments; a plain "[[" offers notes
 * only — a link is to a note far more often than to a file. */
static void rank_attachments(const struct workspace *ws, struct slice query, struct top *top)
{
	struct strbuf qk = { 0 }, key = { 0 };
	query_key(query, &qk);
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
			offer(top, (struct candidate){ score, 2, false, 0, id, 0, wn->stem,
						       (uint32_t)strlen(wn->stem) });
	}
	strbuf_fini(&qk);
	strbuf_fini(&key);
}

/* ---- items ----------------------------------------------------------- */

/* Can s stand inside [[...]] as a part of a link that ends at any of the
 * characters in stops ("#|" for a target, "|" for a heading, "" for text
 * after '|')? No escape exists; brackets or a line break the link itself. */
static bool linkable(struct slice s, const char *stops)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '\n' || c == '\r' || (c && strchr(stops, c)))
			return false;
		if ((c == '[' || c == ']') && i + 1 < s.len && s.ptr[i + 1] == c)
			return false;
	}
	return s.len > 0 && s.ptr[s.len - 1] != ']';
}

/* Does a link to target lead to note id: among others, if ambiguous,
 * unless only? */
static bool leads_to(const struct workspace *ws, int32_t from, struct slice target, uint32_t id,
		     bool only)
{
	struct id_list c = { 0 };
	bool via, found = false;
	workspace_candidates(ws, from, target, &c, &via);
	for (uint32_t i = 0; i < c.len; i++)
		found |= c.items[i] == id;
	found &= !only || c.len == 1;
	array_free(&c);
	return found;
}

/* What to write in a link to reach note id: its stem, or when other notes
 * share the stem, the shortest path suffix that names only it; with
 * ".md" when that alone keeps the spaces a link target loses ("Trailing
 * space .md"). False if no link can name it ("Hash#Note.md"): then it is
 * not offered, rather than inserted as a link to somewhere else. */
static bool link_target(const struct workspace *ws, int32_t from, uint32_t id, struct strbuf *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	size_t first = out->len;
	struct id_list c = { 0 };
	bool via;
	workspace_candidates(ws, from, slice_from_cstr(wn->stem), &c, &via);
	bool unique = c.len <= 1;
	array_free(&c);
	if (unique) {
		strbuf_puts(out, wn->stem);
	} else {
		size_t n = strlen(wn->rel);
		if (n >= 3 && strcmp(wn->rel + n - 3, ".md") == 0)
			n -= 3;
		const char *start = wn->rel + n;
		for (;;) {
			while (start > wn->rel && start[-1] != '/')
				start--;
			struct slice suffix = { start, (size_t)(wn->rel + n - start) };
			workspace_candidates(ws, from, suffix, &c, &via);
			bool only = c.len == 1;
			array_free(&c);
			if (only || start == wn->rel) {
				strbuf_put(out, suffix.ptr, suffix.len);
				break;
			}
			start--; /* include the next folder */
		}
	}
	if (!linkable((struct slice){ out->ptr + first, out->len - first }, "#|"))
		return false;
	if (leads_to(ws, from, (struct slice){ out->ptr + first, out->len - first }, id, false))
		return true;
	strbuf_puts(out, ".md");
	return leads_to(ws, from, (struct slice){ out->ptr + first, out->len - first }, id, false);
}

/* Does [[alias]] lead to the candidate's note, and only there? */
static bool alias_names(const struct workspace *ws, int32_t from, const struct candidate *cand)
{
	struct slice a = slice_from_cstr(cand->label);
	return linkable(a, "#|") && leads_to(ws, from, a, cand->note, true);
}

static bool resolve_supported(const struct server *s)
{
	const json_t *props = json_object_get(json_object_get(json_object_get(json_object_get(
		json_object_get(server_client_caps(s), "textDocument"), "completion"),
		"completionItem"), "resolveSupport"), "properties");
	size_t i;
	json_t *p;
	json_array_foreach(props, i, p)
		if (json_is_string(p) && strcmp(json_string_value(p), "documentation") == 0)
			return true;
	return false;
}

static json_t *documentation(const struct workspace *ws, uint32_t id)
{
	struct strbuf md = { 0 };
	preview_note(ws, id, true, &md);
	json_t *j = json_pack("{s:s, s:o}", "kind", "markdown", "value", json_text(md.ptr, md.len));
	strbuf_fini(&md);
	return j;
}

struct item_ctx {
	struct server *s;
	const struct workspace *ws;
	const struct context *c;
	const struct text_view *v;
	int32_t from;
	bool lazy_docs;
};

static json_t *item(const struct item_ctx *ic, const char *label, int kind, const char *detail,
		    const char *new_text, uint32_t rank)
{
	char sort[16];
	snprintf(sort, sizeof(sort), "%05u", rank);
	struct span range = { ic->c->start, ic->c->end - ic->c->start };
	/* Editors filter items again by filterText as the user types, with
	 * their own matcher, which does not fold accents: give them the
	 * folded spelling too, so "zoe" keeps "Zoë Ólafsdóttir". */
	struct strbuf filter = { 0 };
	strbuf_puts(&filter, label);
	struct strbuf key = { 0 };
	names_search_key(slice_from_cstr(label), &key);
	if (key.len && !slice_eq_nocase((struct slice){ key.ptr, key.len }, slice_from_cstr(label))) {
		strbuf_putc(&filter, ' ');
		strbuf_put(&filter, key.ptr, key.len);
	}
	json_t *j = json_pack("{s:o, s:i, s:o, s:s, s:o, s:{s:o, s:o}}", "label",
			      json_text(label, strlen(label)), "kind", kind, "detail",
			      json_text(detail, strlen(detail)), "sortText", sort, "filterText",
			      json_text(filter.ptr, filter.len), "textEdit", "range",
			      json_range(ic->v, range, server_encoding(ic->s)), "newText",
			      json_text(new_text, strlen(new_text)));
	strbuf_fini(&filter);
	strbuf_fini(&key);
	return j;
}

static void folder_of(const struct ws_note *wn, struct strbuf *out)
{
	const char *slash = strrchr(wn->rel, '/');
	if (slash)
		strbuf_put(out, wn->rel, (size_t)(slash - wn->rel + 1));
	else
		strbuf_puts(out, "/");
}

static void note_items(const struct item_ctx *ic, json_t *items, struct top *top)
{
	qsort(top->items, top->len, sizeof(top->items[0]), cmp_candidates);
	for (uint32_t i = 0; i < top->len; i++) {
		const struct candidate *cand = &top->items[i];
		const struct ws_note *wn = workspace_get(ic->ws, cand->note);
		struct strbuf text = { 0 }, detail = { 0 };
		strbuf_init(&text);
		strbuf_init(&detail);
		bool alias = cand->key >= 2;
		if (ic->c->kind == CTX_PERSON) {
			/* A frontmatter value names the note, without brackets. */
			strbuf_puts(&text, wn->stem);
		} else {
			bool named = link_target(ic->ws, ic->from, cand->note, &text);
			if (alias && !named && alias_names(ic->ws, ic->from, cand)) {
				/* No link names the file: the alias can. */
				text.len = 0;
				strbuf_puts(&text, cand->label);
			} else if (alias && named && linkable(slice_from_cstr(cand->label), "")) {
				strbuf_putc(&text, '|');
				strbuf_puts(&text, cand->label);
			} else if (alias || !named) {
				strbuf_fini(&text);
				strbuf_fini(&detail);
				continue;
			}
			if (ic->c->close)
				strbuf_puts(&text, "]]");
		}
		if (alias)
			strbuf_printf(&detail, "alias of %s · ", wn->title);
		strbuf_printf(&detail, "%s · ", preview_kind(wn));
		folder_of(wn, &detail);
		json_t *it = item(ic, cand->label, alias ? KIND_REFERENCE : KIND_FILE, detail.ptr,
				  text.ptr, i);
		if (ic->lazy_docs)
			json_object_set_new(it, "data", json_pack("{s:o}", "path",
						json_text(wn->abs, strlen(wn->abs))));
		else
			json_object_set_new(it, "documentation", documentation(ic->ws, cand->note));
		json_array_append_new(items, it);
		strbuf_fini(&text);
		strbuf_fini(&detail);
	}
}

/* Headings or block ids of the target note, or aliases after '|'. */
static void part_items(const struct item_ctx *ic, json_t *items)
{
	const struct context *c = ic->c;
	const struct workspace *ws = ic->ws;
	int32_t target = ic->from;
	if (slice_trim(c->target).len) {
		struct resolution r = workspace_resolve(ws, ic->from, c->target, (struct slice){ "", 0 }, false);
		target = r.note;
	}
	if (target < 0)
		return;
	const struct ws_note *t = workspace_get(ws, (uint32_t)target);
	if (t->attachment)
		return; /* no headings, blocks or names: "#page=3", "|300" are the viewer's */
	const struct note *n = t->note;
	struct strbuf qk = { 0 };
	query_key(c->query, &qk);
	struct slice q = { qk.ptr ? qk.ptr : "", qk.len };
	struct top top = { .len = 0 };
	uint32_t count = c->kind == CTX_HEADING ? n->headings.len
		       : c->kind == CTX_BLOCK ? n->blocks.len
		       : 2 + n->aliases.len;
	ARRAY(char *) labels = { 0 };
	for (uint32_t i = 0; i < count; i++) {
		char *label;
		if (c->kind == CTX_HEADING) {
			label = xstrdup(n->headings.items[i].text);
		} else if (c->kind == CTX_BLOCK) {
			struct slice id = note_slice(n, n->blocks.items[i].id);
			label = xstrndup(id.ptr, id.len);
		} else {
			label = xstrdup(i == 0 ? t->title : i == 1 ? t->stem : n->aliases.items[i - 2]->str);
		}
		array_push(&labels, label);
		struct strbuf key = { 0 };
		names_search_key(slice_from_cstr(label), &key);
		int score = fuzzy_score(q, (struct slice){ key.ptr ? key.ptr : "", key.len });
		strbuf_fini(&key);
		if (score < 0 || !linkable(slice_from_cstr(label), c->kind == CTX_HEADING ? "|" : ""))
			continue;
		struct candidate cand = { score, 0, false, i, (uint32_t)target, (int32_t)i, label,
					 (uint32_t)strlen(label) };
		offer(&top, cand);
	}
	qsort(top.items, top.len, sizeof(top.items[0]), cmp_candidates);
	for (uint32_t i = 0; i < top.len; i++) {
		const struct candidate *cand = &top.items[i];
		struct strbuf text = { 0 }, detail = { 0 };
		strbuf_init(&text);
		strbuf_init(&detail);
		strbuf_puts(&text, cand->label);
		if (c->close)
			strbuf_puts(&text, "]]");
		int kind = KIND_TEXT;
		if (c->kind == CTX_HEADING) {
			strbuf_printf(&detail, "%.*s heading in %s", n->headings.items[cand->key].level,
				      "######", t->rel);
		} else if (c->kind == CTX_BLOCK) {
			struct slice b = slice_trim(note_slice(n, n->blocks.items[cand->key].block));
			strbuf_printf(&detail, "block: %.*s", (int)(b.len > 60 ? 60 : b.len), b.ptr);
			kind = KIND_VALUE;
		} else {
			strbuf_printf(&detail, "%s of %s", cand->key == 0 ? "title" : cand->key == 1 ? "name" : "alias",
				      t->title);
			kind = KIND_REFERENCE;
		}
		json_array_append_new(items, item(ic, cand->label, kind, detail.ptr, text.ptr, i));
		strbuf_fini(&text);
		strbuf_fini(&detail);
	}
	for (uint32_t i = 0; i < labels.len; i++)
		free(labels.items[i]);
	array_free(&labels);
	strbuf_fini(&qk);
}

void completion(struct server *s, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t cursor;
	int32_t note = feature_note(s, id, params, &wn, &cursor,
				    json_pack("{s:b, s:[]}", "isIncomplete", 0, "items"));
	if (note < 0)
		return;
	struct workspace *ws = server_workspace(s);
	struct text_view v = { wn->note->text, wn->note->len, &wn->lines };
	struct context c = find_context(wn->note, workspace_config(ws), cursor);
	struct item_ctx ic = { s, ws, &c, &v, note, resolve_supported(s) };
	json_t *items = json_array();
	bool incomplete = false;
	if (c.kind == CTX_NOTE || c.kind == CTX_PERSON) {
		struct top *top = xcalloc(1, sizeof(*top));
		rank_names(ws, c.query, c.kind == CTX_PERSON, top);
		if (c.kind == CTX_NOTE && c.embed)
			rank_attachments(ws, c.query, top);
		/* Always incomplete: the editor asks again as the user types, so
		 * our ranking over the whole vault decides, not its filter over
		 * the first hundred. */
		incomplete = true;
		note_items(&ic, items, top);
		free(top);
	} else if (c.kind != CTX_NONE) {
		part_items(&ic, items);
	}
	server_reply(s, id, json_pack("{s:b, s:o}", "isIncomplete", incomplete, "items", items));
}

void completion_resolve(struct server *s, const json_t *id, const json_t *params)
{
	if (!json_is_object(params)) {
		server_reply_error(s, id, RPC_INVALID_PARAMS, "a CompletionItem is required");
		return;
	}
	json_t *it = json_deep_copy(params);
	const json_t *path = json_object_get(json_object_get(params, "data"), "path");
	int32_t note = json_is_string(path) ? workspace_find(server_workspace(s), json_string_value(path)) : -1;
	if (note >= 0)
		json_object_set_new(it, "documentation", documentation(server_workspace(s), (uint32_t)note));
	server_reply(s, id, it);
}
