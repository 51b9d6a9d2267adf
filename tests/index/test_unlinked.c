/*
 * test_unlinked.c — unlinked mentions (lsp/index/unlinked.c): which words
 * of prose name a note, by the rules of unlinked.h, and the index kept
 * current as notes change, their names included. Each check lists the
 * mentions as "path: text" lines, so a span off by a byte shows.
 */
#include "harness.h"
#include "unlinked.h"

#include <stdlib.h>
#include <string.h>

#define ROOT "/v"

static struct workspace *new_ws(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	config_fini(&cfg);
	return ws;
}

static uint32_t put(struct workspace *ws, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", ROOT, rel);
	return workspace_set_text(ws, path, text, strlen(text));
}

static void drop(struct workspace *ws, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", ROOT, rel);
	workspace_remove(ws, path);
}

static uint32_t id_of(struct workspace *ws, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", ROOT, rel);
	return (uint32_t)workspace_find(ws, path);
}

/* The mentions of a note, one "rel: text" a line. */
static char *listed(struct workspace *ws, const char *rel)
{
	struct unlinked_list l = { 0 };
	unlinked_list(ws, id_of(ws, rel), &l);
	struct strbuf b;
	strbuf_init(&b);
	for (uint32_t i = 0; i < l.len; i++) {
		const struct ws_note *wn = workspace_get(ws, l.items[i].note);
		strbuf_printf(&b, "%s: %.*s\n", wn->rel, (int)l.items[i].span.len,
			      wn->note->text + l.items[i].span.start);
	}
	/* The count and the list agree. */
	INT_EQ(unlinked_count(ws, id_of(ws, rel)), l.len);
	array_free(&l);
	return strbuf_detach(&b);
}

static void expect_list(struct workspace *ws, const char *rel, const char *want)
{
	char *got = listed(ws, rel);
	STR_EQ(got, want);
	free(got);
}

static const char priya[] =
	"---\n"
	"name: Priya Natarajan\n"
	"aliases: [Priya, P. Natarajan]\n"
	"---\n"
	"# Priya Natarajan\n\n"
	"Priya Natarajan writes her own name: not a mention.\n";

static void test_prose_only(void)
{
	struct workspace *ws = new_ws();
	put(ws, "People/Priya Natarajan.md", priya);
	put(ws, "Notes/Call.md",
	    "---\n"
	    "person: Priya Natarajan\n"
	    "---\n"
	    "## Call with Priya Natarajan\n"
	    "\n"
	    "We met priya natarajan and PRIYA NATARAJAN, then P. Natarajan.\n"
	    "Later we saw Priya's laptop; Priyanka is someone else.\n"
	    "Linked: [[Priya Natarajan]], [[Priya]], [her](Priya%20Natarajan.md), "
	    "[Priya Natarajan](https://x.example).\n"
	    "Code `Priya Natarajan` and <span title=\"Priya Natarajan\">x</span>.\n"
	    "Mail priya@example.com, x-Priya, https://example.com/Priya-Natarajan/ and "
	    "$Priya Natarajan$.\n"
	    "%% Priya Natarajan %% <!-- Priya Natarajan -->\n"
	    "```\n"
	    "Priya Natarajan\n"
	    "```\n"
	    "    indented Priya Natarajan is code too\n"
	    "\n"
	    "Priya Natarajan\n"
	    "wrapped: Priya\n"
	    "Natarajan is two lines, but \"Priya\" is one.\n"
	    "#Priya is a tag, and so is #Priya/Natarajan.\n");
	expect_list(ws, "People/Priya Natarajan.md",
		    "Notes/Call.md: Priya Natarajan\n"
		    "Notes/Call.md: priya natarajan\n"
		    "Notes/Call.md: PRIYA NATARAJAN\n"
		    "Notes/Call.md: P. Natarajan\n"
		    "Notes/Call.md: Priya\n"
		    "Notes/Call.md: Priya Natarajan\n"
		    "Notes/Call.md: Priya\n"
		    "Notes/Call.md: Priya\n");
	/* Priya's own note names her twice: neither counts. */
	workspace_free(ws);
}

static void test_folding(void)
{
	struct workspace *ws = new_ws();
	put(ws, "People/Zoë Ólafsdóttir.md", "# Zoë\n");
	put(ws, "People/Søren Kjær-Hansen.md", "# Søren\n");
	put(ws, "Notes/A.md",
	    "Met Zoe Olafsdottir, then ZOË ÓLAFSDÓTTIR, then Zoe\xCC\x88 O\xCC\x81lafsdo\xCC\x81ttir.\n"
	    "Also Søren Kjaer-Hansen, not Søren Kjær Hansen nor Søren Kjær-Hansens.\n"
	    "Zoë  Ólafsdóttir with two blanks, **Zoë** Ólafsdóttir in bold.\n");
	expect_list(ws, "People/Zoë Ólafsdóttir.md",
		    "Notes/A.md: Zoe Olafsdottir\n"
		    "Notes/A.md: ZOË ÓLAFSDÓTTIR\n"
		    "Notes/A.md: Zoe\xCC\x88 O\xCC\x81lafsdo\xCC\x81ttir\n"
		    "Notes/A.md: Zoë  Ólafsdóttir\n");
	expect_list(ws, "People/Søren Kjær-Hansen.md", "Notes/A.md: Søren Kjaer-Hansen\n");
	workspace_free(ws);
}

static void test_longest_and_shared(void)
{
	struct workspace *ws = new_ws();
	put(ws, "People/Priya Natarajan.md", priya);
	put(ws, "People/Priya Raman.md", "---\naliases: [Priya R]\n---\n");
	put(ws, "People/Ana Lima.md", "---\naliases: [Ana]\n---\n");
	put(ws, "People/Ana Souza.md", "---\naliases: [Ana]\n---\n");
	put(ws, "Notes/B.md",
	    "Lunch with Priya Natarajan and Priya Raman; later Priya R came, and Ana too.\n");
	/* "Priya Natarajan" is hers once, not also her alias "Priya"; "Ana"
	 * is two cards' alias: no one's. */
	expect_list(ws, "People/Priya Natarajan.md", "Notes/B.md: Priya Natarajan\n");
	expect_list(ws, "People/Priya Raman.md", "Notes/B.md: Priya Raman\nNotes/B.md: Priya R\n");
	expect_list(ws, "People/Ana Lima.md", "");
	expect_list(ws, "People/Ana Souza.md", "");
	/* One of them lets the alias go: it is the other's now. */
	put(ws, "People/Ana Souza.md", "# Ana Souza\n");
	expect_list(ws, "People/Ana Lima.md", "Notes/B.md: Ana\n");
	/* A stem beats an alias, as in link resolution. */
	put(ws, "People/Ana.md", "# Ana\n");
	expect_list(ws, "People/Ana Lima.md", "");
	expect_list(ws, "People/Ana.md", "Notes/B.md: Ana\n");
	/* Two notes of one stem: neither's. */
	put(ws, "Archive/Ana.md", "# Old\n");
	expect_list(ws, "People/Ana.md", "");
	workspace_free(ws);
}

static void test_one_word_names(void)
{
	struct workspace *ws = new_ws();
	put(ws, "Meeting.md", "# Meeting\n");
	put(ws, "Customers/Summit.md", "# Summit\n");
	put(ws, "Customers/NW.md", "# NW\n");
	put(ws, "X.md", "# X\n");
	put(ws, "Daily/2026-01-05.md", "# Monday\n");
	put(ws, "To Do.md", "# To Do\n");
	put(ws, "The Office.md", "# The Office\n");
	put(ws, "Notes/C.md",
	    "Meeting with the team. The meeting went well.\n"
	    "## Meeting notes\n"
	    "- Summit called: the Summit deal is open, Summit Labs is another company.\n"
	    "- Met Summit today. Summit again, at line start after a period.\n"
	    "| Summit | a cell |\n"
	    "| x | in a Summit cell |\n"
	    "- [ ] Summit task; - [x] done at NW and nw; X marks it.\n"
	    "On 2026-01-05 and 2026-01-05T10:00 we said to do it, in the office, and The Office.\n");
	expect_list(ws, "Meeting.md", "");
	expect_list(ws, "Customers/Summit.md",
		    "Notes/C.md: Summit\n"
		    "Notes/C.md: Summit\n"
		    "Notes/C.md: Summit\n");
	expect_list(ws, "Customers/NW.md", "Notes/C.md: NW\n");
	expect_list(ws, "X.md", "");
	expect_list(ws, "Daily/2026-01-05.md", "Notes/C.md: 2026-01-05\n");
	expect_list(ws, "To Do.md", "");
	expect_list(ws, "The Office.md", "Notes/C.md: The Office\n");
	workspace_free(ws);
}

static void test_sorted_and_in_note(void)
{
	struct workspace *ws = new_ws();
	put(ws, "People/Priya Natarajan.md", priya);
	put(ws, "People/Ragnar Eiriksson.md", "---\naliases: [Ragnar]\n---\n");
	put(ws, "b/Two.md", "Priya Natarajan, twice: Priya Natarajan.\n");
	put(ws, "a/One.md", "I met Priya Natarajan and Ragnar Eiriksson, then Ragnar.\n");
	expect_list(ws, "People/Priya Natarajan.md",
		    "a/One.md: Priya Natarajan\n"
		    "b/Two.md: Priya Natarajan\n"
		    "b/Two.md: Priya Natarajan\n");
	struct unlinked_list l = { 0 };
	unlinked_in_note(ws, id_of(ws, "a/One.md"), &l);
	INT_EQ(l.len, 3);
	if (l.len == 3) {
		INT_EQ(l.items[0].note, id_of(ws, "People/Priya Natarajan.md"));
		INT_EQ(l.items[0].span.start, 6);
		INT_EQ(l.items[1].note, id_of(ws, "People/Ragnar Eiriksson.md"));
		INT_EQ(l.items[2].note, id_of(ws, "People/Ragnar Eiriksson.md"));
		INT_EQ(l.items[2].span.len, 6);
	}
	array_free(&l);
	/* A note's own mentions of itself are not listed there either. */
	unlinked_in_note(ws, id_of(ws, "People/Priya Natarajan.md"), &l);
	INT_EQ(l.len, 0);
	array_free(&l);
	workspace_free(ws);
}

static void test_kept_current(void)
{
	struct workspace *ws = new_ws();
	put(ws, "People/Priya Natarajan.md", priya);
	put(ws, "Notes/D.md", "Call Priya Natarajan about Lighthouse.\n");
	put(ws, "Notes/E.md", "Nothing here.\n");
	expect_list(ws, "People/Priya Natarajan.md", "Notes/D.md: Priya Natarajan\n");

	/* The text changes: the mention moves, or goes once it is a link. */
	put(ws, "Notes/E.md", "Now Priya Natarajan is here.\n");
	put(ws, "Notes/D.md", "Call [[Priya Natarajan]] about Lighthouse.\n");
	expect_list(ws, "People/Priya Natarajan.md", "Notes/E.md: Priya Natarajan\n");

	/* A new note whose name the vault already writes: found without
	 * the vault being read again. */
	uint32_t lh = put(ws, "Projects/Lighthouse.md", "# Lighthouse\n");
	expect_list(ws, "Projects/Lighthouse.md", "Notes/D.md: Lighthouse\n");
	(void)lh;

	/* Renamed (as a client does: the old path goes, the new comes). */
	drop(ws, "Projects/Lighthouse.md");
	put(ws, "Projects/Project Lighthouse.md", "---\naliases: [Lighthouse]\n---\n");
	expect_list(ws, "Projects/Project Lighthouse.md", "Notes/D.md: Lighthouse\n");

	/* An alias added, then taken away. */
	put(ws, "People/Priya Natarajan.md",
	    "---\naliases: [Priya, P. Natarajan, Mentor]\n---\n");
	put(ws, "Notes/F.md", "Ask the Mentor; Priya agreed.\n");
	expect_list(ws, "People/Priya Natarajan.md",
		    "Notes/E.md: Priya Natarajan\nNotes/F.md: Mentor\nNotes/F.md: Priya\n");
	put(ws, "People/Priya Natarajan.md", "---\naliases: [P. Natarajan]\n---\n");
	expect_list(ws, "People/Priya Natarajan.md", "Notes/E.md: Priya Natarajan\n");

	/* A longer name comes: the shorter one's mention there is its. */
	put(ws, "Notes/G.md", "Priya Natarajan Jr. called.\n");
	expect_list(ws, "People/Priya Natarajan.md",
		    "Notes/E.md: Priya Natarajan\nNotes/G.md: Priya Natarajan\n");
	put(ws, "People/Priya Natarajan Jr.md", "# Junior\n");
	expect_list(ws, "People/Priya Natarajan.md", "Notes/E.md: Priya Natarajan\n");
	expect_list(ws, "People/Priya Natarajan Jr.md", "Notes/G.md: Priya Natarajan Jr\n");
	/* ... and goes: the shorter one's again. */
	drop(ws, "People/Priya Natarajan Jr.md");
	expect_list(ws, "People/Priya Natarajan.md",
		    "Notes/E.md: Priya Natarajan\nNotes/G.md: Priya Natarajan\n");

	/* The mentioning note goes. */
	drop(ws, "Notes/E.md");
	expect_list(ws, "People/Priya Natarajan.md", "Notes/G.md: Priya Natarajan\n");
	/* The mentioned note goes: nothing to count, no crash. */
	uint32_t gone = id_of(ws, "People/Priya Natarajan.md");
	drop(ws, "People/Priya Natarajan.md");
	INT_EQ(unlinked_count(ws, gone), 0);
	INT_EQ(unlinked_count(ws, 12345), 0);
	workspace_free(ws);
}

/* The same answers whether the index was built before the notes came or
 * after: what the build reads and what the updates keep must agree. */
static void test_build_equals_updates(void)
{
	const char *notes[][2] = {
		{ "People/Priya Natarajan.md", priya },
		{ "Customers/Northwind.md", "---\naliases: [Northwind Cloud, NW]\n---\n# Northwind\n" },
		{ "Notes/1.md", "Northwind Cloud met Priya at NW; Northwind runs it.\n" },
		{ "Notes/2.md", "priya natarajan and the Northwind Object Store.\n" },
	};
	struct workspace *a = new_ws(), *b = new_ws();
	unlinked_update(a); /* built on an empty vault, then kept */
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		put(a, notes[i][0], notes[i][1]);
		put(b, notes[i][0], notes[i][1]);
	}
	for (size_t i = 0; i < 2; i++) {
		char *x = listed(a, notes[i][0]), *y = listed(b, notes[i][0]);
		STR_EQ(x, y);
		OK(strlen(x) > 0);
		free(x);
		free(y);
	}
	expect_list(b, "Customers/Northwind.md",
		    "Notes/1.md: Northwind Cloud\nNotes/1.md: NW\nNotes/1.md: Northwind\n");
	workspace_free(a);
	workspace_free(b);
}

/* A small deterministic generator, so that a failure repeats. */
static uint32_t rnd(uint32_t *state, uint32_t n)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) % n;
}

static const char *const names[] = {
	"Priya Natarajan", "Priya", "Ragnar", "Ragnar Eiriksson", "Northwind", "Northwind Cloud",
	"Summit", "Summit Labs", "Lighthouse", "Project Lighthouse", "Zoë", "NW", "Ana",
	"Ana Lima", "2026-01-05", "P. Natarajan",
};
static const char *const fillers[] = {
	"the", "met", "with", "and", "said", "Monday", "today", ".", ",", "\n", "[[Priya]]",
	"`Ragnar`", "#Summit", "priya natarajan", "NORTHWIND CLOUD", "Zoe", "- ", "## ",
};

static void random_note(uint32_t *st, struct strbuf *b)
{
	b->len = 0;
	b->ptr[0] = '\0';
	uint32_t n_alias = rnd(st, 3);
	if (n_alias) {
		strbuf_puts(b, "---\naliases: [");
		for (uint32_t i = 0; i < n_alias; i++)
			strbuf_printf(b, "%s\"%s\"", i ? ", " : "", names[rnd(st, sizeof(names) / sizeof(*names))]);
		strbuf_puts(b, "]\n---\n");
	}
	for (uint32_t i = 0; i < 40; i++) {
		const char *w = rnd(st, 3) ? fillers[rnd(st, sizeof(fillers) / sizeof(*fillers))]
					   : names[rnd(st, sizeof(names) / sizeof(*names))];
		strbuf_puts(b, w);
		strbuf_putc(b, strcmp(w, "\n") == 0 ? 'x' : ' ');
	}
}

/* The cards of test_random_changes: a stem is a name too. */
static const char *const stems[] = { "Priya Natarajan", "Ragnar", "Northwind", "Summit Labs",
				     "Lighthouse", "Ana", "Zoë" };
#define N_STEMS (sizeof(stems) / sizeof(stems[0]))

/* The mentions of every note, cards and others, as listed() has them, by
 * path (ids differ from one workspace to the other). */
static void dump_all(struct workspace *ws, struct strbuf *out)
{
	out->len = 0;
	for (size_t k = 0; k < 14 + N_STEMS; k++) {
		char rel[64];
		if (k < 14)
			snprintf(rel, sizeof(rel), "N%zu.md", k);
		else
			snprintf(rel, sizeof(rel), "%s.md", stems[k - 14]);
		if ((int32_t)id_of(ws, rel) < 0)
			continue;
		char *l = listed(ws, rel);
		strbuf_printf(out, "== %s %u\n%s", rel, unlinked_count(ws, id_of(ws, rel)), l);
		free(l);
	}
}

/* Random notes, changed, removed and renamed at random, their aliases
 * too: after every few changes, what the kept index says is what one
 * built afresh on the same texts says. */
static void test_random_changes(void)
{
	uint32_t st = 17;
	char *texts[14] = { 0 };
	struct strbuf b, got, want;
	strbuf_init(&b);
	strbuf_init(&got);
	strbuf_init(&want);
	struct workspace *ws = new_ws();
	for (int k = 0; k < 14; k++) {
		random_note(&st, &b);
		texts[k] = xstrdup(b.ptr);
		char rel[64];
		snprintf(rel, sizeof(rel), "N%d.md", k);
		put(ws, rel, texts[k]);
	}
	for (size_t k = 0; k < N_STEMS; k++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "%s.md", stems[k]);
		put(ws, rel, "# A card\n");
	}
	unlinked_update(ws);
	int compared = 0;
	for (int round = 0; round < 300; round++) {
		int k = (int)rnd(&st, 14);
		char rel[64];
		snprintf(rel, sizeof(rel), "N%d.md", k);
		uint32_t op = rnd(&st, 10);
		if (op < 6 || !texts[k]) {
			random_note(&st, &b);
			free(texts[k]);
			texts[k] = xstrdup(b.ptr);
			put(ws, rel, texts[k]);
		} else if (op < 8) {
			drop(ws, rel);
			free(texts[k]);
			texts[k] = NULL;
		} else {
			/* A card comes or goes. */
			snprintf(rel, sizeof(rel), "%s.md", stems[rnd(&st, N_STEMS)]);
			if ((int32_t)id_of(ws, rel) >= 0)
				drop(ws, rel);
			else
				put(ws, rel, "# A card\n");
		}
		if (round % 25 != 24)
			continue;
		struct workspace *fresh = new_ws();
		for (int j = 0; j < 14; j++) {
			if (!texts[j])
				continue;
			snprintf(rel, sizeof(rel), "N%d.md", j);
			put(fresh, rel, texts[j]);
		}
		for (size_t j = 0; j < N_STEMS; j++) {
			snprintf(rel, sizeof(rel), "%s.md", stems[j]);
			if ((int32_t)id_of(ws, rel) >= 0)
				put(fresh, rel, "# A card\n");
		}
		dump_all(ws, &got);
		dump_all(fresh, &want);
		STR_EQ(got.ptr, want.ptr);
		compared += strstr(want.ptr, ": ") != NULL;
		workspace_free(fresh);
	}
	/* The vault had mentions to compare. */
	OK(compared >= 10);
	for (int k = 0; k < 14; k++)
		free(texts[k]);
	workspace_free(ws);
	strbuf_fini(&b);
	strbuf_fini(&got);
	strbuf_fini(&want);
}

int main(void)
{
	test_prose_only();
	test_folding();
	test_longest_and_shared();
	test_one_word_names();
	test_sorted_and_in_note();
	test_kept_current();
	test_build_equals_updates();
	test_random_changes();
	return harness_done("test_unlinked");
}
