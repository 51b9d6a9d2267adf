/*
 * test_symbol_index.c — the table of every heading and block id: what it
 * offers for a query (people, then projects, first; a note's title
 * heading left to the note), following renames, kinds and removals; and
 * its fast passes giving exactly what scoring every heading and block of
 * every note gives, on a random vault, before and after thousands of
 * random edits (which group the table again and build it anew).
 */
#include "fuzzy.h"
#include "harness.h"
#include "names.h"
#include "symbol_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT "/vault-symbols"

static uint32_t set(struct workspace *ws, const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), ROOT "/%s", rel);
	return workspace_set_text(ws, path, text, strlen(text));
}

static void drop(struct workspace *ws, const char *rel)
{
	char path[256];
	snprintf(path, sizeof(path), ROOT "/%s", rel);
	workspace_remove(ws, path);
}

/* "Ann.md:Summary Apollo.md:^b1 ...": what a query gives, best first. */
static void query(struct workspace *ws, const char *q, struct strbuf *out)
{
	struct rank_top top = { .len = 0 };
	symbol_index_rank(ws, slice_from_cstr(q), &top);
	rank_sort(&top);
	out->len = 0;
	strbuf_puts(out, "");
	for (uint32_t i = 0; i < top.len; i++) {
		const struct ws_note *wn = workspace_get(ws, top.items[i].note);
		int32_t slot = symbol_index_slot(top.items[i].key);
		const struct note *n = wn->note;
		const char *base = strrchr(wn->rel, '/');
		base = base ? base + 1 : wn->rel;
		if (slot >= 0 && (uint32_t)slot < n->headings.len) {
			strbuf_printf(out, "%s%s:%s", i ? " " : "", base, n->headings.items[slot].text);
		} else if (slot >= 0) {
			struct slice s = note_slice(n, n->blocks.items[slot - (int32_t)n->headings.len].span);
			strbuf_printf(out, "%s%s:%.*s", i ? " " : "", base, (int)s.len, s.ptr);
		} else {
			strbuf_printf(out, "%s(bad key %d)", i ? " " : "", top.items[i].key);
		}
	}
}

#define QUERY(ws, q, expect)                 \
	do {                                 \
		struct strbuf got_ = { 0 };  \
		query(ws, q, &got_);         \
		STR_EQ(got_.ptr, expect);    \
		strbuf_fini(&got_);          \
	} while (0)

static void test_basics(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	set(ws, "M1.md", "# Weekly\n## Summary\ntext\n## Summary\n");
	set(ws, "Projects/Apollo.md", "---\ntype: project\n---\n# Apollo\n## Summary\n## Milestones\n");
	set(ws, "People/Ann.md", "---\ntype: person\n---\n# Ann\n## Summary\n## Key Facts\n"
				 "- knows Rust ^fact-1\n");
	/* People, then projects, first; then by note, then in order. */
	QUERY(ws, "summary", "Ann.md:Summary Apollo.md:Summary M1.md:Summary M1.md:Summary");
	QUERY(ws, "SUMM", "Ann.md:Summary Apollo.md:Summary M1.md:Summary M1.md:Summary");
	/* A title heading is the note itself: not offered here. */
	QUERY(ws, "ann", "");
	QUERY(ws, "apollo", "");
	QUERY(ws, "weekly", "");
	/* Block ids, without their caret; a prefix outscores a word inside. */
	QUERY(ws, "fact", "Ann.md:^fact-1 Ann.md:Key Facts");
	QUERY(ws, "kf", "Ann.md:Key Facts");
	QUERY(ws, "", "");
	QUERY(ws, "zzz", "");
	struct symbol_index_stats st;
	symbol_index_stats(ws, &st);
	INT_EQ(st.live_keys, 4); /* summary, milestones, key facts, fact-1 */
	INT_EQ(st.places, 7);
	OK(st.bytes > 0);

	/* Renamed, retyped, removed: the table follows. */
	set(ws, "People/Ann.md", "---\ntype: person\n---\n# Ann\n## Overview\n## Key Facts\n");
	QUERY(ws, "summary", "Apollo.md:Summary M1.md:Summary M1.md:Summary");
	QUERY(ws, "overv", "Ann.md:Overview");
	QUERY(ws, "fact", "Ann.md:Key Facts");
	set(ws, "M1.md", "---\ntype: person\n---\n# Weekly\n## Summary\ntext\n## Summary\n");
	QUERY(ws, "summary", "M1.md:Summary M1.md:Summary Apollo.md:Summary");
	drop(ws, "Projects/Apollo.md");
	QUERY(ws, "summary", "M1.md:Summary M1.md:Summary");
	QUERY(ws, "milestones", "");
	symbol_index_stats(ws, &st);
	INT_EQ(st.places, 4);
	INT_EQ(st.live_keys, 3);
	/* A note whose title changes: its old title heading comes back. */
	set(ws, "M1.md", "---\nname: Other\n---\n# Weekly\n");
	QUERY(ws, "weekly", "M1.md:Weekly");
	workspace_free(ws);
	config_fini(&cfg);
}

/* ---- the fast passes against every heading and block scored ---------- */

struct naive {
	struct rank_top top;
	struct str_list labels; /* the candidates' labels live here */
};

static void naive_rank(struct workspace *ws, const char *q, struct naive *out)
{
	struct strbuf qk = { 0 }, key = { 0 };
	rank_query_key(slice_from_cstr(q), &qk);
	struct slice qs = { qk.ptr ? qk.ptr : "", qk.len };
	out->top.len = 0;
	for (uint32_t id = 0; qs.len && id < workspace_id_bound(ws); id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn || wn->attachment)
			continue;
		const struct note *n = wn->note;
		for (uint32_t i = 0; i < n->headings.len + n->blocks.len; i++) {
			key.len = 0;
			if (i < n->headings.len)
				names_search_key(slice_from_cstr(n->headings.items[i].text), &key);
			else
				names_search_key(note_slice(n, n->blocks.items[i - n->headings.len].id), &key);
			struct slice k = { key.ptr ? key.ptr : "", key.len };
			bool title = false;
			for (uint32_t t = 0; t < 2 && i < n->headings.len; t++)
				title |= slice_eq(k, (struct slice){ wn->keys[t].key, wn->keys[t].len });
			int score = fuzzy_score(qs, k);
			if (!k.len || title || score < 0)
				continue;
			str_list_push(&out->labels, key.ptr);
			struct rank_candidate c = {
				score, name_table_rank(wn->kind), true,
				i < n->headings.len ? SYMBOL_ORDER_HEADING : SYMBOL_ORDER_BLOCK, id,
				symbol_index_key(i), out->labels.items[out->labels.len - 1], (uint32_t)k.len
			};
			rank_offer(&out->top, c);
		}
	}
	rank_sort(&out->top);
	strbuf_fini(&qk);
	strbuf_fini(&key);
}

static const char *const vocab[] = { "Summary", "Key Facts", "Action Items", "Décisions", "Notes",
				     "Risks", "Überblick", "Next steps", "Sum of parts", "Ｓｕｍ" };
#define VOCAB (sizeof(vocab) / sizeof(vocab[0]))
static const char *const kinds[] = { "person", "project", "meeting" };
static const char *const queries[] = { "s", "su", "sum", "summary", "kf", "act", "de", "o",
				       "topic 1", "b1", "u", "ub", "xyz", "ri", "n s", "t 12",
				       "topic 123", "decisions", "9" };

static uint32_t topics_made; /* headings of their own written so far */

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* A random note: a kind, a title, up to 8 headings (from vocab, or of
 * their own: "Topic n"), a few block ids. */
static void random_note(struct workspace *ws, unsigned *seed, uint32_t i, uint32_t serial)
{
	char rel[32];
	snprintf(rel, sizeof(rel), "N/%04u.md", i);
	struct strbuf t = { 0 };
	strbuf_printf(&t, "---\ntype: %s\n---\n# Note %u\n", kinds[rnd(seed) % 3], i);
	uint32_t nh = rnd(seed) % 9;
	for (uint32_t h = 0; h < nh; h++) {
		if (rnd(seed) % 3)
			strbuf_printf(&t, "## %s\n", vocab[rnd(seed) % VOCAB]);
		else
			strbuf_printf(&t, "## Topic %u\n", serial * 10 + h), topics_made++;
		if (rnd(seed) % 4 == 0)
			strbuf_printf(&t, "para ^b%u\n", rnd(seed) % 300);
	}
	set(ws, rel, t.ptr);
	strbuf_fini(&t);
}

static bool same_as_naive(struct workspace *ws, const char *q)
{
	struct naive nv = { .top.len = 0 };
	naive_rank(ws, q, &nv);
	struct rank_top fast = { .len = 0 };
	symbol_index_rank(ws, slice_from_cstr(q), &fast);
	rank_sort(&fast);
	bool same = fast.len == nv.top.len;
	for (uint32_t i = 0; same && i < fast.len; i++)
		same = fast.items[i].note == nv.top.items[i].note &&
		       fast.items[i].key == nv.top.items[i].key &&
		       fast.items[i].score == nv.top.items[i].score &&
		       fast.items[i].kind_rank == nv.top.items[i].kind_rank;
	if (!same)
		fprintf(stderr, "query \"%s\": %u fast, %u naive\n", q, fast.len, nv.top.len);
	str_list_free(&nv.labels);
	return same;
}

static void test_against_naive(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	unsigned seed = 7;
	const uint32_t notes = 400;
	uint32_t serial = 0;
	for (uint32_t i = 0; i < notes; i++)
		random_note(ws, &seed, i, serial++);
	bool all = true;
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++)
		all &= same_as_naive(ws, queries[q]);
	OK(all);
	/* Thousands of edits: new keys past the regrouping threshold, and
	 * dead ones past the rebuilding one; some notes go. */
	all = true;
	struct symbol_index_stats before, after;
	symbol_index_stats(ws, &before);
	for (uint32_t e = 0; e < 12000; e++) {
		uint32_t i = rnd(&seed) % notes;
		if (rnd(&seed) % 10 == 0) {
			char rel[32];
			snprintf(rel, sizeof(rel), "N/%04u.md", i);
			drop(ws, rel);
		} else {
			random_note(ws, &seed, i, serial++);
		}
		if (e % 1500 == 0)
			for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++)
				all &= same_as_naive(ws, queries[q]);
	}
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++)
		all &= same_as_naive(ws, queries[q]);
	OK(all);
	symbol_index_stats(ws, &after);
	/* Built anew on the way: not every key ever written is still there. */
	OK(after.keys < before.keys + topics_made);
	OK(after.live_keys > 0 && after.live_keys <= after.keys);
	workspace_free(ws);
	config_fini(&cfg);
}

int main(void)
{
	test_basics();
	test_against_naive();
	return harness_done("test_symbol_index");
}
