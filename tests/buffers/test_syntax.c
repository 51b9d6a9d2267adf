/*
 * test_syntax.c — the live syntax tree: node lookup, incremental edits
 * checked against fresh parses (by every answer the tree gives, folds and
 * outline included), and pathological buffers. The outline and the folds
 * themselves are tested in test_outline.c and test_folds.c.
 */
#include "syntax_views.h"

/* ---- node lookup ---- */

static void test_node_at(void)
{
	const char *t = "---\na: 1\n---\n"     /* 0..13 */
			"# Head *em*\n"        /* 13..25 */
			"\n"
			"- a `co\n"            /* 26.. */
			"- de` b\n"
			"\n"
			"> quote **strong**\n"
			"\n"
			"```c\nint x;\n```\n";
	struct syntax *s = syntax_new(t, strlen(t));
	const char *at;
	STR_EQ(syntax_node_at(s, 5), "minus_metadata");
	at = strstr(t, "em*");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "emphasis");
	at = strstr(t, "Head");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "inline");
	/* A backtick in one item does not open a code span closed in the
	 * next one: each inline node has its own inline tree. */
	at = strstr(t, "co\n");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "inline");
	at = strstr(t, "- de");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "list_marker_minus");
	at = strstr(t, "strong*");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "strong_emphasis");
	at = strstr(t, "> quote");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "block_quote_marker");
	at = strstr(t, "int x");
	STR_EQ(syntax_node_at(s, (uint32_t)(at - t)), "code_fence_content");
	STR_EQ(syntax_node_at(s, (uint32_t)strlen(t) + 1), "");
	syntax_free(s);
}

static void test_null_and_empty(void)
{
	syntax_free(NULL);
	syntax_edit(NULL, 0, 0, 0, "", 0);
	STR_EQ(syntax_node_at(NULL, 0), "");

	struct syntax *s = syntax_new(NULL, 0);
	OK(s != NULL);
	OK(syntax_node_at(s, 0) != NULL);
	STR_EQ(syntax_node_at(s, 1), "");
	/* Grow from nothing and shrink back to nothing. */
	struct fold_list f = { 0 };
	struct symbol_list l = { 0 };
	syntax_edit(s, 0, 0, 9, "# A\n\nb\nc", 9);
	outline_symbols(s, &l);
	INT_EQ(l.len, 1);
	STR_EQ(syntax_node_at(s, 2), "inline");
	syntax_edit(s, 0, 9, 0, "", 0);
	outline_symbols(s, &l);
	folds_ranges(s, &f);
	INT_EQ(f.len + l.len, 0);
	array_free(&f);
	array_free(&l);
	syntax_free(s);
}

/* ---- incremental edits ---- */

/* Applies one edit to *text and to s, then checks s against a fresh
 * parse of the result. */
static bool edit_and_compare(struct syntax *s, char **text, size_t *len,
			     uint32_t start, uint32_t old_end, const char *ins,
			     size_t ins_len)
{
	size_t new_len = *len - (old_end - start) + ins_len;
	char *next = xmalloc(new_len + 1);
	memcpy(next, *text, start);
	memcpy(next + start, ins, ins_len);
	memcpy(next + start + ins_len, *text + old_end, *len - old_end);
	next[new_len] = '\0';
	syntax_edit(s, start, old_end, (uint32_t)(start + ins_len), next,
		    new_len);
	free(*text);
	*text = next;
	*len = new_len;

	struct syntax *fresh = syntax_new(next, new_len);
	char *a = fingerprint(s, (uint32_t)new_len);
	char *b = fingerprint(fresh, (uint32_t)new_len);
	bool same = strcmp(a, b) == 0;
	if (!same)
		fprintf(stderr, "incremental != fresh after edit [%u,%u) -> "
				"%zu bytes; text:\n%s\n--- incremental:\n%s\n"
				"--- fresh:\n%s\n",
			start, old_end, ins_len, next, a, b);
	free(a);
	free(b);
	syntax_free(fresh);
	return same;
}

static uint32_t offset_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	return p ? (uint32_t)(p - text) : 0;
}

static void test_edit_scenarios(void)
{
	size_t len;
	char *text = read_file(VAULT_TEST_DIR "/syntax/person.md", &len);
	OK(text != NULL);
	if (!text)
		return;
	struct syntax *s = syntax_new(text, len);
	uint32_t at;

	/* Insert a heading in the middle of a section. */
	at = offset_of(text, "### Travel");
	OK(edit_and_compare(s, &text, &len, at, at, "## Inserted\n\n", 13));
	/* Delete a whole line (a list item). */
	at = offset_of(text, "- Ragnar Eiriksson is VP");
	uint32_t eol = at + (uint32_t)(strchr(text + at, '\n') - (text + at)) + 1;
	OK(edit_and_compare(s, &text, &len, at, eol, "", 0));
	/* Replace across lines: from inside the first list into the
	 * heading below it. */
	at = offset_of(text, "cloud storage at");
	eol = offset_of(text, "## Inserted") + 5;
	OK(edit_and_compare(s, &text, &len, at, eol, "x\n\n#", 4));
	/* Edit inside the code fence, then break the fence open and close
	 * it again. */
	at = offset_of(text, "not done");
	OK(edit_and_compare(s, &text, &len, at, at, "# not a heading\n", 16));
	at = offset_of(text, "```\n\n- [ ]");
	OK(edit_and_compare(s, &text, &len, at, at + 3, "``", 2));
	OK(edit_and_compare(s, &text, &len, at, at + 2, "```", 3));
	/* Turn a line into a setext underline and back. */
	at = offset_of(text, "Reykjavik on");
	OK(edit_and_compare(s, &text, &len, at, at, "===\n", 4));
	OK(edit_and_compare(s, &text, &len, at, at + 4, "", 0));
	/* CRLF: switch the frontmatter and a heading to CRLF line ends. */
	at = offset_of(text, "\n---\n\n#");
	OK(edit_and_compare(s, &text, &len, at, at + 1, "\r\n", 2));
	at = offset_of(text, "## Tasks\n");
	OK(edit_and_compare(s, &text, &len, at + 8, at + 9, "\r\n", 2));
	/* Open a frontmatter-breaking edit at the very start. */
	OK(edit_and_compare(s, &text, &len, 0, 1, "", 0));
	OK(edit_and_compare(s, &text, &len, 0, 0, "-", 1));
	/* Append at the end without a final newline. */
	OK(edit_and_compare(s, &text, &len, (uint32_t)len, (uint32_t)len,
			    "\n## Tail", 8));

	/* A whole-buffer replacement (full document sync) is narrowed to
	 * what changed and still gives the fresh answer. */
	char *copy = xstrndup(text, len);
	char *p = strstr(copy, "Brief");
	if (p)
		p[0] = 'b';
	OK(edit_and_compare(s, &text, &len, 0, (uint32_t)len, copy, len));
	free(copy);
	/* An edit that lies about what changed is caught, not trusted. */
	copy = xstrndup(text, len);
	p = strstr(copy, "## Quotes");
	if (p)
		p[1] = ' ';
	syntax_edit(s, 0, 0, 0, copy, len);
	struct syntax *fresh = syntax_new(copy, len);
	char *a = fingerprint(s, (uint32_t)len);
	char *b = fingerprint(fresh, (uint32_t)len);
	STR_EQ(a, b);
	free(a);
	free(b);
	syntax_free(fresh);
	free(copy);

	syntax_free(s);
	free(text);
}

/* A small deterministic PRNG (xorshift32): the same edits on every libc. */
static uint32_t rng_state = 0x9E3779B9u;

static uint32_t rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return n ? rng_state % n : 0;
}

/* Edits in and around lines that guard_text changes for the parsers
 * (nesting past the scanner's limit, long runs of '*' and '_'), and
 * lines that become and stop being such lines. */
static void test_guarded_edits(void)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "# Top\n\n");
	for (int i = 0; i < 300; i++)
		strbuf_puts(&b, "> ");
	strbuf_puts(&b, "deep\n\n- item\n  ");
	for (int i = 0; i < 600; i++)
		strbuf_putc(&b, '*');
	strbuf_puts(&b, "b\n\n");
	for (int i = 0; i < 300; i++)
		strbuf_puts(&b, "_ ");
	strbuf_puts(&b, "x\n\n## Next *em*\n\ntext\n");
	size_t len = b.len;
	char *text = strbuf_detach(&b);
	struct syntax *s = syntax_new(text, len);
	int failures = 0;
	static const char *const pieces[] = { ">", "> ", "*", "_", " ", "x",
					      "\n", "- ", "# " };
	for (int step = 0; step < 120 && failures < 3; step++) {
		uint32_t start = rng((uint32_t)len + 1);
		uint32_t old_end = start + (rng(3) == 0 ? rng(4) : 0);
		if (old_end > len)
			old_end = (uint32_t)len;
		const char *piece =
			pieces[rng(sizeof(pieces) / sizeof(pieces[0]))];
		size_t n = rng(4) == 0 ? 0 : strlen(piece);
		if (!edit_and_compare(s, &text, &len, start, old_end, piece, n))
			failures++;
	}
	INT_EQ(failures, 0);
	check_invariants(s, text, (uint32_t)len);
	syntax_free(s);
	free(text);
}

static void test_random_edits(void)
{
	/* Pieces that open and close Markdown structure, plus bytes that
	 * must not break anything: CR, NUL, invalid UTF-8. */
	static const char *const pieces[] = {
		"# ", "## Heading\n", "### ", "\n", "\n\n", "- ", "- item\n",
		"  - nested\n", "1. one\n", "> ", "> quoted\n", "```\n",
		"```js\n", "~~~\n", "    code\n", "---\n", "===\n", "*", "**",
		"`", "[[", "]]", "[link](x)", "<div>\n", "<!--\n", "-->\n",
		"| a | b |\n|---|---|\n", "word ", "\r\n", "\r", "\t",
		"\xff\xfe", "\xc3\xa9", "\xe2\x80", "#tag ", "- [ ] task\n",
	};
	const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
	size_t len;
	char *text = read_file(VAULT_TEST_DIR "/syntax/person.md", &len);
	OK(text != NULL);
	if (!text)
		return;
	struct syntax *s = syntax_new(text, len);
	int failures = 0;
	for (int step = 0; step < 300 && failures < 3; step++) {
		uint32_t start = rng((uint32_t)len + 1);
		uint32_t old_end = start;
		uint32_t op = rng(10);
		if (op < 4) /* delete or replace a few bytes */
			old_end = start + rng(8);
		else if (op < 5) /* across lines */
			old_end = start + rng(200);
		if (old_end > len)
			old_end = (uint32_t)len;
		char ins[256];
		size_t ins_len = 0;
		if (op != 0 && op != 4) {
			uint32_t k = 1 + rng(3);
			while (k--) {
				const char *piece = pieces[rng((uint32_t)npieces)];
				size_t n = strlen(piece);
				memcpy(ins + ins_len, piece, n);
				ins_len += n;
			}
			if (rng(20) == 0)
				ins[rng((uint32_t)ins_len)] = '\0';
		}
		/* Keep the note from shrinking to nothing or growing big. */
		if (len > 6000 && ins_len > old_end - start)
			ins_len = 0;
		/* Overwrite bytes in place with inline punctuation: the
		 * inline node keeps its extent, so only its content says
		 * whether its old inline tree may be kept. */
		if (op == 9) {
			static const char punct[] = "*_`[]!~ x";
			old_end = start + 1 + rng(4);
			if (old_end > len)
				old_end = (uint32_t)len;
			ins_len = old_end - start;
			for (size_t k = 0; k < ins_len; k++)
				ins[k] = punct[rng(sizeof(punct) - 1)];
		}
		if (!edit_and_compare(s, &text, &len, start, old_end, ins,
				      ins_len))
			failures++;
		if (step % 25 == 0)
			check_invariants(s, text, (uint32_t)len);
	}
	INT_EQ(failures, 0);
	syntax_free(s);
	free(text);
}

/* ---- pathological buffers ---- */

/* Parses text, edits it in the middle (up to 1 MB: an edit inside one
 * giant block re-parses it, seconds at 5 MB), asks every question, and
 * checks that all of it finished in reasonable time. */
static void survive(const char *what, const char *text, size_t len)
{
	double t0 = now();
	struct syntax *s = syntax_new(text, len);
	OK(s != NULL);
	check_invariants(s, text, (uint32_t)len);
	for (uint32_t off = 0; off <= len; off += (uint32_t)(len / 64 + 1))
		OK(syntax_node_at(s, off) != NULL);
	/* Delete one byte in the middle, then put it back. */
	if (len && len <= 1024 * 1024) {
		uint32_t mid = (uint32_t)(len / 2);
		char *cut = xmalloc(len);
		memcpy(cut, text, mid);
		memcpy(cut + mid, text + mid + 1, len - mid - 1);
		syntax_edit(s, mid, mid + 1, mid, cut, len - 1);
		syntax_edit(s, mid, mid, mid + 1, text, len);
		free(cut);
		check_invariants(s, text, (uint32_t)len);
	}
	syntax_free(s);
	double dt = now() - t0;
	if (dt > 20)
		fprintf(stderr, "%s took %.1f s\n", what, dt);
	OK(dt < 60);
}

static char *repeat(const char *piece, size_t times, size_t *len)
{
	size_t n = strlen(piece);
	char *out = xmalloc(n * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(out + i * n, piece, n);
	out[n * times] = '\0';
	*len = n * times;
	return out;
}

static void test_pathological(void)
{
	size_t len;
	char *t;

	t = repeat("[[", 100000, &len);
	survive("100k [[", t, len);
	free(t);

	/* 10k nested list items on one line, and one per line. */
	t = repeat("- ", 10000, &len);
	survive("10k nested lists", t, len);
	free(t);
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < 2000; i++) {
		for (int k = 0; k < i; k++)
			strbuf_puts(&b, "  ");
		strbuf_puts(&b, "- item\n");
	}
	survive("2k nested list lines", b.ptr, b.len);
	strbuf_fini(&b);

	t = repeat(">", 10000, &len);
	survive("10k nested quotes", t, len);
	free(t);

	t = repeat("#", 100000, &len);
	survive("100k #", t, len);
	free(t);

	/* A 5 MB line, and a 1 MB one that gets edited. */
	t = repeat("word *emph* [[link]] ", 5u * 1024 * 1024 / 21, &len);
	survive("5 MB line", t, len);
	free(t);
	t = repeat("word *emph* [[link]] ", 1024 * 1024 / 21, &len);
	survive("1 MB line", t, len);
	free(t);

	/* Runs of '*' and '_' the block scanner handles in quadratic time,
	 * and inline delimiters worse than that. */
	t = repeat("*", 100000, &len);
	t[len - 1] = 'a';
	survive("100k * then a letter", t, len);
	free(t);
	t = repeat("_ ", 50000, &len);
	t[len - 1] = 'a';
	survive("50k '_ ' then a letter", t, len);
	free(t);
	t = repeat("**__", 25000, &len);
	survive("25k **__", t, len);
	free(t);
	strbuf_init(&b);
	for (int i = 0; i < 2000; i++)
		strbuf_puts(&b, "**__**__**__**__**__**__**__**__**__**__\n\n");
	survive("2k paragraphs of **__", b.ptr, b.len);
	strbuf_fini(&b);

	static const char nul[] = "# a\0b\n\0\0- x\0\n```\0\n";
	survive("NUL bytes", nul, sizeof(nul) - 1);

	static const char bad[] = "# \xff\xfe\n\xc3\n- \xe2\x80\n> \xf0\x9f\x98\n";
	survive("invalid UTF-8", bad, sizeof(bad) - 1);
	static const char crlf[] = "# A\r\n\r\n- b\r\n  c\r\n\r\n## D\r\ne";
	survive("CRLF", crlf, sizeof(crlf) - 1);
	static const char cr[] = "# A\r\r- b\r  c\r\r## D\re";
	survive("CR only", cr, sizeof(cr) - 1);
	survive("no final newline", "# A\n\ntext", 9);
	survive("empty", "", 0);
	survive("one newline", "\n", 1);
	survive("frontmatter only", "---\na: 1\n---", 12);
}

/* A NUL is an ordinary character (CommonMark reads it as U+FFFD): the
 * structure around it is that of any other letter. */
static void test_nul_is_a_character(void)
{
	static const char with_nul[] = "# A\0\n\n- a\n\0\n- b\n\0\n- c\n\n## B\0b\n\n\0\n";
	char *with_x = xstrndup(with_nul, sizeof(with_nul) - 1);
	for (size_t i = 0; i < sizeof(with_nul) - 1; i++)
		if (!with_x[i])
			with_x[i] = 'x';
	struct syntax *a = syntax_new(with_nul, sizeof(with_nul) - 1);
	struct syntax *b = syntax_new(with_x, sizeof(with_nul) - 1);
	/* Offsets only: render() would stop at the NUL in a name. */
	char *ra = fingerprint(a, sizeof(with_nul) - 1), *rb = fingerprint(b, sizeof(with_nul) - 1);
	STR_EQ(ra, rb);
	char *rx = render(b, with_x);
	OK(strstr(rx, "fold 3-7 region") && strstr(rx, "symbol 2 \"Bxb\""));
	free(rx);
	free(ra);
	free(rb);
	syntax_free(a);
	syntax_free(b);
	free(with_x);
}

/* Typing at the end of a note that is one giant paragraph costs about a
 * fresh parse, not the token-by-token re-parse (3x a fresh parse at 5 MB). */
static void test_append_to_giant_paragraph(void)
{
	size_t len;
	char *t = repeat("word *emph* [[link]] ", 4u * 1024 * 1024 / 21, &len);
	double t0 = now();
	struct syntax *s = syntax_new(t, len);
	double fresh = now() - t0;
	static const char tail[] = "\n\n[[Marek Nowak]] [[Mar";
	char *longer = xmalloc(len + sizeof(tail));
	memcpy(longer, t, len);
	memcpy(longer + len, tail, sizeof(tail));
	t0 = now();
	syntax_edit(s, (uint32_t)len, (uint32_t)len, (uint32_t)(len + sizeof(tail) - 1), longer,
		    len + sizeof(tail) - 1);
	double edit = now() - t0;
	printf("test_syntax: 4 MB line: parsed in %.2f s, appended to in %.2f s\n", fresh, edit);
	OK(edit < 1.7 * fresh + 0.5);
	struct symbol_list syms = { 0 };
	outline_symbols(s, &syms);
	INT_EQ(syms.len, 0);
	array_free(&syms);
	OK(strcmp(syntax_node_at(s, (uint32_t)len + 4), "") != 0);
	syntax_free(s);
	free(longer);
	free(t);
}

int main(void)
{
	test_node_at();
	test_null_and_empty();
	test_edit_scenarios();
	test_random_edits();
	test_guarded_edits();
	test_nul_is_a_character();
	test_append_to_giant_paragraph();
	test_pathological();
	return harness_done("test_syntax");
}
