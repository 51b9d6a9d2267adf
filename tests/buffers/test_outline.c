/*
 * test_outline.c — the heading outline: the "symbol" lines of the cases in
 * tests/syntax/ (see syntax_views.h), heading names, levels, parents and
 * section ranges, and the empty answers.
 */
#include "syntax_views.h"

static void test_cases(void)
{
	OK(run_cases("symbol ", render_outline) >= 2);
}

static void test_headings(void)
{
	const char *t = "# Title ##\n"
			"## C#\n"
			"##\n"
			"### Foo \\#\n"
			"Setext *one*\n"
			"===\n"
			"- # not in the outline\n"
			"> ## nor this\n"
			"#### Deep ####   \r\n"
			"text\r\n";
	struct syntax *s = syntax_new(t, strlen(t));
	struct symbol_list l = { 0 };
	outline_symbols(s, &l);
	INT_EQ(l.len, 6);
	if (l.len == 6) {
		const char *names[] = { "Title", "C#", "", "Foo \\#",
					"Setext *one*", "Deep" };
		const int levels[] = { 1, 2, 2, 3, 1, 4 };
		const int parents[] = { -1, 0, 0, 2, -1, 4 };
		for (int i = 0; i < 6; i++) {
			char *name = xstrndup(t + l.items[i].name.start,
					      l.items[i].name.len);
			STR_EQ(name, names[i]);
			free(name);
			INT_EQ(l.items[i].level, levels[i]);
			INT_EQ(l.items[i].parent, parents[i]);
		}
		/* The setext heading's section ends at the end of the text,
		 * without the final line break. */
		INT_EQ(span_end(l.items[4].range), strlen(t) - 2);
		/* Its selection is both lines. */
		INT_EQ(l.items[4].selection.len, strlen("Setext *one*\n==="));
	}
	array_free(&l);
	check_invariants(s, t, (uint32_t)strlen(t));
	syntax_free(s);
}

static void test_null_and_empty(void)
{
	struct symbol_list l = { 0 };
	outline_symbols(NULL, &l);
	INT_EQ(l.len, 0);
	struct syntax *s = syntax_new(NULL, 0);
	outline_symbols(s, &l);
	INT_EQ(l.len, 0);
	/* Replaces what *out held. */
	syntax_edit(s, 0, 0, 8, "# A\n## B", 8);
	outline_symbols(s, &l);
	INT_EQ(l.len, 2);
	outline_symbols(s, &l);
	INT_EQ(l.len, 2);
	if (l.len == 2) {
		INT_EQ(l.items[1].parent, 0);
		INT_EQ(l.items[0].range.len, 8);
		INT_EQ(l.items[1].range.start, 4);
	}
	outline_symbols(NULL, &l);
	INT_EQ(l.len, 0);
	array_free(&l);
	syntax_free(s);
}

int main(void)
{
	test_cases();
	test_headings();
	test_null_and_empty();
	return harness_done("test_outline");
}
