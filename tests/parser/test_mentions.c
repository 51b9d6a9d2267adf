/*
 * test_mentions.c — where a note's body names people (parser/mentions.c).
 *
 * The cases of mentions.txt are whole notes, parsed by note_parse, and
 * their mentions one a line as "kind: text", the text being the bytes the
 * span covers: a span off by one byte shows. Every mention is also checked
 * against the note: in the body, in order, disjoint, trimmed. The C cases
 * check what a data file cannot: that the list is appended to, and that
 * pathological paragraphs finish (each pass is linear: a quadratic one
 * would take minutes on them).
 */
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "harness.h"
#include "mentions.h"
#include "note.h"

static const char *const kind_names[] = {
	[MENTION_WITH] = "with",
	[MENTION_RUN] = "run",
	[MENTION_WORD] = "word",
};

/* What every mention must be: in the body, after the one before it, not
 * empty, without blanks or line breaks at either end. */
static void check_list(const struct note *n, const struct mention_list *l, uint32_t first)
{
	uint32_t prev_end = n->body;
	for (uint32_t i = first; i < l->len; i++) {
		struct span s = l->items[i].span;
		OK(s.len > 0);
		OK(s.start >= prev_end);
		OK(span_end(s) <= n->len);
		OK(l->items[i].kind <= MENTION_WORD);
		if (s.len) {
			char a = n->text[s.start], b = n->text[span_end(s) - 1];
			OK(a != ' ' && a != '\t' && a != '\n' && a != '\r');
			OK(b != ' ' && b != '\t' && b != '\n' && b != '\r');
		}
		prev_end = span_end(s);
	}
}

static void dump_case(const struct data_case *c, struct strbuf *out)
{
	struct note *n = note_parse(c->input.ptr, c->input.len);
	struct mention_list l = { 0 };
	mentions_find(n, &l);
	check_list(n, &l, 0);
	for (uint32_t i = 0; i < l.len; i++) {
		const struct mention *m = &l.items[i];
		strbuf_printf(out, "%s: ", m->kind <= MENTION_WORD ? kind_names[m->kind] : "?");
		put_escaped(out, n->text + m->span.start, m->span.len);
		strbuf_putc(out, '\n');
	}
	/* The With names alone, found line by line, are the same. */
	struct mention_list w = { 0 };
	mentions_find_with(n, &w);
	uint32_t k = 0;
	for (uint32_t i = 0; i < l.len; i++) {
		if (l.items[i].kind != MENTION_WITH)
			continue;
		OK(k < w.len);
		if (k < w.len) {
			INT_EQ(w.items[k].span.start, l.items[i].span.start);
			INT_EQ(w.items[k].span.len, l.items[i].span.len);
			INT_EQ(w.items[k].kind, MENTION_WITH);
		}
		k++;
	}
	INT_EQ(w.len, k);
	array_free(&w);
	array_free(&l);
	note_free(n);
}

/* ---------------------------------------------------------------------- */
/* What a data file cannot say */

/* The list is appended to, never reset. */
static void test_appends(void)
{
	const char *a = "Kari Nordmann met Kasimirdahl.\n";
	const char *b = "With: Ola\n";
	struct note *na = note_parse(a, strlen(a)), *nb = note_parse(b, strlen(b));
	struct mention_list l = { 0 };
	mentions_find(na, &l);
	INT_EQ(l.len, 2);
	mentions_find(nb, &l);
	INT_EQ(l.len, 3);
	if (l.len == 3) {
		INT_EQ(l.items[0].kind, MENTION_RUN);
		INT_EQ(l.items[0].span.start, 0);
		INT_EQ(l.items[0].span.len, strlen("Kari Nordmann"));
		INT_EQ(l.items[1].kind, MENTION_WORD);
		INT_EQ(l.items[1].span.start, strlen("Kari Nordmann met "));
		INT_EQ(l.items[2].kind, MENTION_WITH);
		INT_EQ(l.items[2].span.start, strlen("With: "));
		INT_EQ(l.items[2].span.len, 3);
	}
	array_free(&l);
	note_free(na);
	note_free(nb);
}

/* Runs mentions_find on `unit` repeated to about 1 MB as one paragraph
 * (or as many lines, if unit ends in a newline) and returns how many
 * mentions it found. A quadratic pass would not finish in the test's
 * time limit. */
static uint32_t big(const char *unit, const char *prefix)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, prefix);
	size_t ul = strlen(unit);
	while (b.len < (1u << 20))
		strbuf_put(&b, unit, ul);
	struct note *n = note_parse(b.ptr, b.len);
	struct mention_list l = { 0 };
	mentions_find(n, &l);
	check_list(n, &l, 0);
	uint32_t count = l.len;
	array_free(&l);
	note_free(n);
	strbuf_fini(&b);
	return count;
}

static void test_linear(void)
{
	/* One chain of 200,000 capitalised words: a "title", nothing. */
	INT_EQ(big("Aaaa Bbbb ", "Text "), 0);
	/* The same with particles and stop words in it: still one chain. */
	INT_EQ(big("Ludwig van Beethoven The ", "Text "), 0);
	/* Pairs broken by commas: a run each. */
	OK(big("Kari Nordmann, ", "") > 60000);
	/* Searches that find nothing: unclosed brackets, dollars, tags. */
	INT_EQ(big("[Kari ", ""), 0);
	INT_EQ(big("$Kari ", ""), 0);
	INT_EQ(big("<b Kari ", ""), 0);
	INT_EQ(big("[Kari] [", ""), 0);
	INT_EQ(big("$$ Kari ", ""), 0);
	/* Plain words whose end sends them the general way. */
	OK(big("Kari Nordmann. ", "") > 60000);
	INT_EQ(big("Kari.-http:", ""), 0);
	INT_EQ(big("www.Kari ", ""), 0);
	/* A 1 MB With line, and 1 MB of them. */
	OK(big("Kari Nordmann, ", "With: ") > 60000);
	OK(big("With: Kari (", "") == 1);
	OK(big("- With: Kari Nordmann\n", "") > 40000);
}

int main(void)
{
	int cases = run_data_file("mentions.txt", dump_case);
	OK(cases > 0);
	test_appends();
	test_linear();
	return harness_done("test_mentions");
}
