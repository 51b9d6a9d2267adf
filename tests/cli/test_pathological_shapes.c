/*
 * test_pathological_shapes.c — pathological notes by size and nesting,
 * through the whole server and `check` (patho_case.h): 100,000 `[[` on one
 * line, a 5 MB line, 10,000-deep lists and quotes, 50,000 facts, what
 * decides fact scope at scale, and a 50 MB note (VAULT_PATHO_HUGE_MB=n
 * makes it n MB).
 */
#include "patho_case.h"

#include <stdlib.h>

static void gen_brackets(struct strbuf *b, struct expect *e)
{
	for (int i = 0; i < 100000; i++)
		strbuf_puts(b, "[[");
	e->absent = "unresolved-link"; /* an unclosed [[ is not a reference */
}

static void gen_long_line(struct strbuf *b, struct expect *e)
{
	/* Every construct on one 5 MB line: ~50,000 links, one in eight to
	 * nothing, so ~6,000 diagnostics on the line. */
	strbuf_puts(b, "# Long line\n\n");
	int unresolved = 0;
	for (int i = 0; b->len < 5u * 1000 * 1000; i++) {
		strbuf_printf(b, "some words of prose around a [[%s]] link, #tag `code` *em* ",
			      i % 8 == 0 ? "Nobody Here" : i % 2 ? "Priya Natarajan" : "Marek Nowak");
		unresolved += i % 8 == 0;
	}
	e->code = "unresolved-link";
	e->count = unresolved;
	e->min_symbols = 1;
	e->check_code = "unresolved-link";
	e->check_count = unresolved;
	e->fixable = true;
}

static void gen_deep_lists(struct strbuf *b, struct expect *e)
{
	for (int i = 0; i < 10000; i++)
		strbuf_puts(b, "- ");
	strbuf_puts(b, "deep [[Marek Nowak]] [[Nobody Deep]] ^deep\n\n");
	for (int i = 0; i < 10000; i++)
		strbuf_puts(b, i % 2 ? "> " : "- ");
	strbuf_puts(b, "mixed\n");
	e->code = "unresolved-link";
	e->count = 1;
	e->check_code = "unresolved-link";
	e->check_count = 1;
	e->fixable = true;
}

static void gen_deep_quotes(struct strbuf *b, struct expect *e)
{
	for (int i = 0; i < 10000; i++)
		strbuf_putc(b, '>');
	strbuf_puts(b, " quoted [[Nobody Quoted]]\n\n");
	for (int i = 0; i < 10000; i++)
		strbuf_puts(b, "> ");
	strbuf_puts(b, "spaced\n");
	e->code = "unresolved-link";
	e->count = 1;
	e->check_code = "unresolved-link";
	e->check_count = 1;
	e->fixable = true;
}

/* 50,000 facts, all different except every tenth, which repeats an
 * earlier one word for word: exactly 5,000 duplicate facts. They share
 * most words, but facts whose numbers differ are never near duplicates. */
#define FACTS 50000
static void gen_facts(struct strbuf *b, struct expect *e)
{
	static const char *const words[8] = {
		"budget", "roadmap", "contract", "storage", "migration", "pricing",
		"renewal", "security",
	};
	strbuf_puts(b, "---\ntype: person\n---\n# Facts\n");
	int originals = 0;
	for (int i = 0; i < FACTS; i++) {
		if (i % 100 == 0)
			strbuf_printf(b, "\n## Part %d\n\n", i / 100);
		int k = i % 10 == 9 ? (i * 7919) % originals : originals++;
		strbuf_printf(b, "- Marek discussed topic %d with [[Priya Natarajan]] at the %s review\n",
			      k, words[k % 8]);
	}
	e->code = "duplicate-fact";
	e->count = FACTS / 10;
	e->min_symbols = FACTS / 100 + 1;
	e->min_folds = FACTS / 100;
	e->check_code = "duplicate-fact";
	e->check_count = FACTS / 10;
	e->fixable = true;
}

/* Ordinary notes, one after another, to 50 MB: over the 8 MiB a note may
 * have to be parsed, on disk or open, so it is indexed by name only (and
 * gets no syntax tree) until it shrinks under that. */
static void gen_huge(struct strbuf *b, struct expect *e)
{
	const char *mb = getenv("VAULT_PATHO_HUGE_MB");
	size_t size = (size_t)(mb ? atoi(mb) : 50) * 1000 * 1000;
	strbuf_puts(b, "---\ntitle: Huge\naliases: [Huge Note]\n---\n");
	for (int i = 0; b->len < size; i++)
		strbuf_printf(b,
			      "## Meeting %d\n\n"
			      "Talked with [[Marek Nowak]] and [[Priya Natarajan]] about the "
			      "storage migration, the budget for next year and who owns the "
			      "rollout plan. Follow up next week. #meeting\n\n"
			      "- decision %d: go ahead with the pilot in region %d\n"
			      "- [ ] send the summary to [[Tomasz Wierzbicki]] ^task-%d\n\n"
			      "> quote of the day %d\n\n"
			      "```\ncode block %d\n```\n\n",
			      i, i, i % 7, i, i, i);
	e->name_only = size > 8u << 20;
	if (!e->name_only) {
		e->min_symbols = 1000;
		e->min_folds = 1000;
	}
}

/* What decides which items are facts and which may repeat each other
 * (fact_scope.c): a bullet of 100,000 "[" (is it a link list?), one of
 * 100,000 "$a " ($math$ with no closer), 20,000 items with code spans,
 * math and a nested item each, under a paragraph that introduces them. */
static void gen_fact_scope(struct strbuf *b, struct expect *e)
{
	strbuf_puts(b, "# Scope\n\nA paragraph that\nintroduces the list.\n\n- ");
	for (int i = 0; i < 100000; i++)
		strbuf_putc(b, '[');
	strbuf_puts(b, "\n- ");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(b, "$a ");
	strbuf_putc(b, '\n');
	for (int i = 0; i < 20000; i++)
		strbuf_printf(b, "- item %d holds `x != %d` and $y^%d$ here\n  - nested under item %d\n",
			      i, i, i, i);
	strbuf_puts(b, "- the same fact twice over here\n- the same fact twice over here\n");
	e->code = "duplicate-fact";
	e->count = 1;
	e->min_symbols = 1;
	e->check_code = "duplicate-fact";
	e->check_count = 1;
	e->fixable = true;
}

static const struct patho_case cases[] = {
	{ "100k [[", gen_brackets },
	{ "5 MB line", gen_long_line },
	{ "10k nested lists", gen_deep_lists },
	{ "10k nested quotes", gen_deep_quotes },
	{ "50k facts", gen_facts },
	{ "fact scope", gen_fact_scope },
	{ "50 MB note", gen_huge },
};

int main(void)
{
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
	return harness_done("test_pathological_shapes");
}
