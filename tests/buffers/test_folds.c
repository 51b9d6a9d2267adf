/*
 * test_folds.c — folding ranges: the "fold" lines of the cases in
 * tests/syntax/ (see syntax_views.h), one fold per pair of lines, comment
 * blocks, line ends, and the empty answers.
 */
#include "syntax_views.h"

static void test_cases(void)
{
	OK(run_cases("fold ", render_folds) >= 2);
}

static void test_fold_details(void)
{
	/* A list with one multi-line item: one fold, not two. A comment
	 * block folds as a comment. Trailing blank lines are not folded. */
	const char *t = "- one\n  two\n\n\n<!--\nc\n-->\n\n# H\nbody\n\n\n";
	struct syntax *s = syntax_new(t, strlen(t));
	char *got = render(s, t);
	STR_EQ(got, "fold 1-2 region\n"
		    "fold 5-7 comment\n"
		    "fold 9-10 region\n"
		    "symbol 1 \"H\" 9-10 sel 9-9 parent -1\n");
	free(got);
	syntax_free(s);
}

/* Lone CR line endings fold like "\n" (folds count lines as editors do). */
static void test_lone_cr(void)
{
	static const char cr[] = "# A\r\r- b\r  c\r- d\r\r## E\rtext\r";
	struct syntax *s = syntax_new(cr, sizeof(cr) - 1);
	char *got = render(s, cr);
	char *lf = xstrndup(cr, sizeof(cr) - 1);
	for (char *p = lf; *p; p++)
		if (*p == '\r')
			*p = '\n';
	struct syntax *t = syntax_new(lf, sizeof(cr) - 1);
	char *want = render(t, lf);
	STR_EQ(got, want);
	OK(strstr(got, "fold 3-5 region") != NULL);
	free(got);
	free(want);
	free(lf);
	syntax_free(s);
	syntax_free(t);
}

static void test_null_and_empty(void)
{
	struct fold_list f = { 0 };
	folds_ranges(NULL, &f);
	INT_EQ(f.len, 0);
	struct syntax *s = syntax_new(NULL, 0);
	folds_ranges(s, &f);
	INT_EQ(f.len, 0);
	/* One line folds nothing; a second line makes the section fold. */
	syntax_edit(s, 0, 0, 3, "# A", 3);
	folds_ranges(s, &f);
	INT_EQ(f.len, 0);
	syntax_edit(s, 3, 3, 5, "# A\nb", 5);
	folds_ranges(s, &f);
	INT_EQ(f.len, 1);
	if (f.len == 1) {
		INT_EQ(f.items[0].start, 0);
		INT_EQ(f.items[0].end, 4);
		INT_EQ(f.items[0].kind, FOLD_REGION);
	}
	array_free(&f);
	syntax_free(s);
}

int main(void)
{
	test_cases();
	test_fold_details();
	test_lone_cr();
	test_null_and_empty();
	return harness_done("test_folds");
}
