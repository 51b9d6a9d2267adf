/*
 * test_pathological_bytes.c — pathological notes by their bytes and
 * frontmatter, through the whole server and `check` (patho_case.h):
 * invalid UTF-8, NUL bytes, a BOM, lone CR line endings, YAML alias bombs
 * and frontmatter that never closes.
 */
#include "patho_case.h"

static void gen_invalid_utf8(struct strbuf *b, struct expect *e)
{
	uint32_t seed = 7;
	strbuf_puts(b, "# Bad \xff bytes\n\n");
	while (b->len < 300 * 1000) {
		seed = seed * 1103515245 + 12345;
		static const char *const pieces[] = {
			"\xff", "\xfe\xfe", "\xc3", "\xe2\x80", "\xf0\x9f\x98", "\xc0\xaf",
			"\xed\xa0\x80", "caf\xc3\xa9 ", "word ", "\n", "- fact \xff one two\n",
			"[[Marek Nowak]] ", "[[No\xff" "body]] ", "#t\xe9" "g ", "\n## H\xff\n",
		};
		strbuf_puts(b, pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))]);
	}
	e->code = "unresolved-link";
	e->min_symbols = 2;
	e->check_code = "unresolved-link";
}

/* strbuf_puts stops at a NUL; these strings hold them. */
#define PUT(b, lit) strbuf_put((b), (lit), sizeof(lit) - 1)

static void gen_nul(struct strbuf *b, struct expect *e)
{
	PUT(b, "---\naliases: [Nul\0Alias]\n---\n# N\0L\n\n");
	for (int i = 0; i < 5000; i++) {
		strbuf_printf(b, "## Part %d\n\nParagraph %d with a", i, i);
		PUT(b, "\0nul [[Marek Nowak]] [[Nobody\0");
		strbuf_printf(b, "%d]]\n", i);
		PUT(b, "\0\0\0\n\n");
	}
	e->code = "unresolved-link";
	e->count = 5000;
	e->min_symbols = 5001;
	e->min_folds = 5000;
	e->check_code = "unresolved-link";
	e->check_count = 5000;
}

static void gen_bom(struct strbuf *b, struct expect *e)
{
	strbuf_puts(b, "\xEF\xBB\xBF---\ntype: person\naliases: [Bom Alias]\n---\n# BOM\n\n");
	for (int i = 0; i < 10000; i++)
		strbuf_printf(b, "Paragraph %d names [[Marek Nowak]] and [[Bom Alias]].\n\n", i);
	strbuf_puts(b, "- the same fact twice over here\n- the same fact twice over here\n");
	e->code = "duplicate-fact";
	e->count = 1;
	e->absent = "unresolved-link"; /* [[Bom Alias]]: the alias was read */
	e->min_symbols = 1;
	e->check_code = "duplicate-fact";
	e->check_count = 1;
	e->fixable = true;
}

static void gen_lone_cr(struct strbuf *b, struct expect *e)
{
	strbuf_puts(b, "---\rtitle: CR\r---\r# CR only\r\r");
	for (int i = 0; i < 10000; i++)
		strbuf_printf(b, "## H%d\r\rParagraph %d: [[Marek Nowak]] and [[Nobody %d]]\r\r", i, i,
			      i % 3);
	strbuf_puts(b, "- the same fact twice over here\r- the same fact twice over here\r");
	e->code = "duplicate-fact";
	e->count = 1;
	e->min_symbols = 10001;
	e->min_folds = 10000;
	e->check_code = "unresolved-link";
	e->check_count = 10000;
	e->fixable = true;
}

/* The billion laughs: nine levels of nine aliases each, and every
 * people-like key set to the top one. Aliases are never expanded. */
static void gen_yaml_bomb(struct strbuf *b, struct expect *e)
{
	strbuf_puts(b, "---\na: &a [\"[[Marek Nowak]]\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (char c = 'b'; c <= 'i'; c++)
		strbuf_printf(b, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c, c - 1, c - 1,
			      c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	strbuf_puts(b, "participants: *i\nowner: *i\naliases: *i\ntags: *i\ntype: *i\nname: *i\n");
	/* And one alias used 100,000 times. */
	strbuf_puts(b, "people: [");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(b, i ? ",*a" : "*a");
	strbuf_puts(b, "]\n---\n# Bomb\n\n- a fact about [[Marek Nowak]] here\n");
	e->min_symbols = 1;
	e->absent = "invalid-frontmatter"; /* valid YAML, however many aliases */
	e->probe_line = 10;                /* participants: *i */
	e->probe_col = 15;
}

static void gen_unclosed(struct strbuf *b, struct expect *e)
{
	strbuf_puts(b, "---\ntitle: never closed\n");
	for (int i = 0; i < 25000; i++)
		strbuf_printf(b, "key%d: [[Marek Nowak]] [[Nobody %d]]\n", i, i % 5);
	e->code = "invalid-frontmatter";
	e->count = 1;
	e->check_code = "invalid-frontmatter";
	e->check_count = 1;
	e->fixable = true;
}

static const struct patho_case cases[] = {
	{ "invalid UTF-8", gen_invalid_utf8 },
	{ "NUL bytes", gen_nul },
	{ "BOM", gen_bom },
	{ "lone CR", gen_lone_cr },
	{ "YAML bomb", gen_yaml_bomb },
	{ "unclosed frontmatter", gen_unclosed },
};

int main(void)
{
	run_cases(cases, sizeof(cases) / sizeof(cases[0]));
	return harness_done("test_pathological_bytes");
}
