/*
 * test_prose.c — the prose of a note and its words (parser/prose.c): what
 * is left out, where words start and end, their flags, and passes that
 * stay linear on pathological text.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "note.h"
#include "prose.h"

/* The note's prose, its ranges joined by '|'. */
static char *prose_of(const char *text)
{
	struct note *n = note_parse(text, strlen(text));
	struct prose_spans s = { 0 };
	prose_spans(n, &s);
	struct strbuf b;
	strbuf_init(&b);
	uint32_t prev = 0;
	for (uint32_t i = 0; i < s.len; i++) {
		OK(s.items[i].len > 0);
		OK(i == 0 || s.items[i].start >= prev);
		prev = span_end(s.items[i]);
		if (i)
			strbuf_putc(&b, '|');
		strbuf_put(&b, n->text + s.items[i].start, s.items[i].len);
	}
	array_free(&s);
	note_free(n);
	return strbuf_detach(&b);
}

static void expect_prose(const char *text, const char *want)
{
	char *got = prose_of(text);
	STR_EQ(got, want);
	free(got);
}

static void test_spans(void)
{
	expect_prose("---\nname: X\n---\n# Title\nText [[Link]] more.\n",
		     "# Title\nText | more.\n");
	expect_prose("a `code` b <b>c</b> d $x+y$ e $5 and $6\n",
		     "a | b |c| d | e $5 and $6\n");
	expect_prose("see [text](https://x.y/z) and [ref][r] or https://a.b/c?d=e end\n",
		     "see | and | or | end\n");
	expect_prose("mail mailto:a@b.c or www.x.org, and x:y\n",
		     "mail | or | and x:y\n");
	expect_prose("%% hidden %% shown #tag ^block\n", " shown | |\n");
	expect_prose("```\ncode\n```\nafter\n", "\nafter\n");
	expect_prose("[r]: https://x\nnext\n", "\nnext\n");
}

/* The words of s, each as "text/flags" (U upper, S start, A ASCII, L a
 * letter, J joined). */
static char *words_of(const char *s)
{
	struct prose_word_list l = { 0 };
	prose_words(s, 0, (uint32_t)strlen(s), &l);
	struct strbuf b;
	strbuf_init(&b);
	for (uint32_t i = 0; i < l.len; i++) {
		const struct prose_word *w = &l.items[i];
		strbuf_printf(&b, "%s%.*s/", i ? " " : "", (int)(w->end - w->start), s + w->start);
		if (w->flags & PROSE_UPPER)
			strbuf_putc(&b, 'U');
		if (w->flags & PROSE_START)
			strbuf_putc(&b, 'S');
		if (w->flags & PROSE_ASCII)
			strbuf_putc(&b, 'A');
		if (w->flags & PROSE_LETTER)
			strbuf_putc(&b, 'L');
		if (w->flags & PROSE_JOINED)
			strbuf_putc(&b, 'J');
	}
	array_free(&l);
	return strbuf_detach(&b);
}

static void expect_words(const char *s, const char *want)
{
	char *got = words_of(s);
	STR_EQ(got, want);
	free(got);
}

static void test_words(void)
{
	expect_words("Met Priya's team at x.y.", "Met/USAL Priya/UAL team/AL at/AL x.y/ALJ");
	expect_words("- [x] Ragnar and Søren Kjær-Hansen. Ólafur?",
		     "x/SAL Ragnar/USAL and/AL Søren/UL Kjær-Hansen/ULJ Ólafur/USL");
	expect_words("| a | Bob | 2026-01-05 42", "a/SAL Bob/USAL 2026-01-05/SAJ 42/A");
	expect_words("## Zoë: O’Brien", "Zoë/USL O’Brien/ULJ");
	expect_words("kari@firma.no 🧊 Kari", "kari@firma.no/SALJ Kari/UAL");
}

/* prose_spans on `unit` repeated to about 1 MB: a quadratic pass would
 * not finish in the test's time limit. */
static uint32_t big(const char *unit)
{
	struct strbuf b;
	strbuf_init(&b);
	size_t ul = strlen(unit);
	while (b.len < (1u << 20))
		strbuf_put(&b, unit, ul);
	struct note *n = note_parse(b.ptr, b.len);
	struct prose_spans s = { 0 };
	prose_spans(n, &s);
	struct prose_word_list w = { 0 };
	for (uint32_t i = 0; i < s.len; i++)
		prose_words(n->text, s.items[i].start, span_end(s.items[i]), &w);
	uint32_t words = w.len;
	array_free(&w);
	array_free(&s);
	note_free(n);
	strbuf_fini(&b);
	return words;
}

static void test_linear(void)
{
	OK(big("[Kari ") > 100000);
	OK(big("$Kari ") > 100000);
	OK(big("<b Kari ") > 100000);
	INT_EQ(big("[Kari] ["), 1); /* then "[[": a link to the end of the line */
	OK(big("$$ Kari ") > 60000);
	INT_EQ(big("a://"), 0);
	OK(big("..... Kari") > 100000);
	OK(big("-'-'-'-' ") == 0);
}

int main(void)
{
	test_spans();
	test_words();
	test_linear();
	return harness_done("test_prose");
}
