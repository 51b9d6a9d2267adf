/*
 * syntax_views.h — what the tests of the syntax tree (test_syntax.c), its
 * outline (test_outline.c) and its folds (test_folds.c) share: the folds
 * and outline of a tree as the text tests/syntax/NAME.expected holds, a
 * fingerprint of every answer, the invariants every answer keeps, and the
 * data-driven cases.
 *
 * NAME.md is a buffer and NAME.expected lists what folds_ranges and
 * outline_symbols give for it, one item a line, with 1-based line numbers
 * as an editor shows them:
 *
 *   fold 3-9 region            (kinds: region, comment, imports)
 *   symbol 2 "Key Facts" 13-25 sel 13-13 parent 0
 *
 * A new case is a new pair of files. When NAME.expected is missing the
 * tests fail and print what it would contain, for review.
 *
 * Everything is static inline: each test uses only some of it.
 */
#ifndef VAULT_SYNTAX_VIEWS_H
#define VAULT_SYNTAX_VIEWS_H

#include "folds.h"
#include "harness.h"
#include "outline.h"
#include "syntax.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The whole file, NUL-terminated, or NULL. */
static inline char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf b;
	strbuf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return strbuf_detach(&b);
}

/* 1-based line of a byte offset; lines end at "\n", "\r\n" or a lone "\r". */
static inline unsigned line_no(const char *text, uint32_t off)
{
	unsigned line = 1;
	for (uint32_t i = 0; i < off; i++)
		line += text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n');
	return line;
}

static const char *const kind_names[] = {
	[FOLD_REGION] = "region",
	[FOLD_COMMENT] = "comment",
	[FOLD_IMPORTS] = "imports",
};

/* The fold lines of NAME.expected for s. */
static inline void render_folds(const struct syntax *s, const char *text,
				struct strbuf *b)
{
	struct fold_list folds = { 0 };
	folds_ranges(s, &folds);
	for (uint32_t i = 0; i < folds.len; i++) {
		struct fold f = folds.items[i];
		strbuf_printf(b, "fold %u-%u %s\n", line_no(text, f.start),
			      line_no(text, f.end),
			      f.kind <= FOLD_IMPORTS ? kind_names[f.kind] : "?");
	}
	array_free(&folds);
}

/* The symbol lines of NAME.expected for s. */
static inline void render_outline(const struct syntax *s, const char *text,
				  struct strbuf *b)
{
	struct symbol_list syms = { 0 };
	outline_symbols(s, &syms);
	for (uint32_t i = 0; i < syms.len; i++) {
		struct symbol y = syms.items[i];
		strbuf_printf(b, "symbol %u \"", y.level);
		for (uint32_t k = 0; k < y.name.len; k++) {
			char c = text[y.name.start + k];
			if (c == '\n')
				strbuf_puts(b, "\\n");
			else if (c == '\r')
				strbuf_puts(b, "\\r");
			else if (c == '"' || c == '\\')
				strbuf_printf(b, "\\%c", c);
			else
				strbuf_putc(b, c);
		}
		strbuf_printf(b, "\" %u-%u sel %u-%u parent %d\n",
			      line_no(text, y.range.start),
			      line_no(text, span_end(y.range) - 1),
			      line_no(text, y.selection.start),
			      line_no(text, span_end(y.selection) - 1),
			      (int)y.parent);
	}
	array_free(&syms);
}

/* Folds and outline of s as the text NAME.expected holds. */
static inline char *render(const struct syntax *s, const char *text)
{
	struct strbuf b;
	strbuf_init(&b);
	render_folds(s, text, &b);
	render_outline(s, text, &b);
	return strbuf_detach(&b);
}

/* Complete answer of s as one string: render() with byte offsets instead
 * of lines, plus the node under every offset. Two syntaxes over the same
 * text agree iff these strings are equal. */
static inline char *fingerprint(const struct syntax *s, uint32_t len)
{
	struct strbuf b;
	strbuf_init(&b);
	struct fold_list folds = { 0 };
	folds_ranges(s, &folds);
	for (uint32_t i = 0; i < folds.len; i++)
		strbuf_printf(&b, "F%u-%u:%u ", folds.items[i].start,
			      folds.items[i].end, folds.items[i].kind);
	array_free(&folds);
	struct symbol_list syms = { 0 };
	outline_symbols(s, &syms);
	for (uint32_t i = 0; i < syms.len; i++) {
		struct symbol y = syms.items[i];
		strbuf_printf(&b, "S%u %u+%u %u+%u %u+%u ^%d ", y.level,
			      y.name.start, y.name.len, y.range.start,
			      y.range.len, y.selection.start, y.selection.len,
			      (int)y.parent);
	}
	array_free(&syms);
	strbuf_putc(&b, '\n');
	const char *prev = NULL;
	for (uint32_t off = 0; off <= len; off++) {
		const char *name = syntax_node_at(s, off);
		if (name != prev) /* static strings: runs compare by pointer */
			strbuf_printf(&b, "%u:%s ", off, name);
		prev = name;
	}
	return strbuf_detach(&b);
}

/* What every answer must satisfy, whatever the text. */
static inline void check_invariants(const struct syntax *s,
				    const char *text, uint32_t len)
{
	struct fold_list folds = { 0 };
	folds_ranges(s, &folds);
	bool ok = true;
	for (uint32_t i = 0; i < folds.len; i++) {
		struct fold f = folds.items[i];
		ok = ok && f.start < f.end && f.end < len &&
		     text[f.end] != '\n' &&
		     line_no(text, f.start) < line_no(text, f.end);
		if (i)
			ok = ok && folds.items[i - 1].start <= f.start;
	}
	OK(ok);
	array_free(&folds);

	struct symbol_list syms = { 0 };
	outline_symbols(s, &syms);
	ok = true;
	for (uint32_t i = 0; i < syms.len; i++) {
		struct symbol y = syms.items[i];
		ok = ok && y.level >= 1 && y.level <= 6 &&
		     span_end(y.range) <= len &&
		     y.range.start == y.selection.start &&
		     span_end(y.selection) <= span_end(y.range) &&
		     y.name.start >= y.selection.start &&
		     span_end(y.name) <= span_end(y.selection);
		if (y.parent >= 0) {
			struct symbol p = syms.items[y.parent];
			ok = ok && (uint32_t)y.parent < i && p.level < y.level &&
			     p.range.start < y.range.start &&
			     span_end(y.range) <= span_end(p.range);
		}
	}
	OK(ok);
	array_free(&syms);
}

static inline double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The lines of text that start with prefix, as one string. */
static inline char *lines_with(const char *text, const char *prefix)
{
	struct strbuf b;
	strbuf_init(&b);
	size_t n = strlen(prefix);
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
		if (strncmp(p, prefix, n) == 0)
			strbuf_put(&b, p, len);
		p += len;
	}
	return strbuf_detach(&b);
}

/*
 * Every case of tests/syntax/: the lines `view` gives for it must be those
 * of NAME.expected that start with `prefix` ("fold " or "symbol "), and
 * every answer must keep the invariants. Returns the number of cases.
 */
static inline int run_cases(const char *prefix,
			    void (*view)(const struct syntax *, const char *,
					 struct strbuf *))
{
	const char *dir = VAULT_TEST_DIR "/syntax";
	DIR *d = opendir(dir);
	OK(d != NULL);
	if (!d)
		return 0;
	int cases = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0)
			continue;
		char path[1024];
		size_t len, exp_len;
		snprintf(path, sizeof(path), "%s/%.*s.md", dir, (int)(n - 3),
			 e->d_name);
		char *text = read_file(path, &len);
		OK(text != NULL);
		if (!text)
			continue;
		struct syntax *s = syntax_new(text, len);
		OK(s != NULL);
		struct strbuf got;
		strbuf_init(&got);
		view(s, text, &got);
		snprintf(path, sizeof(path), "%s/%.*s.expected", dir,
			 (int)(n - 3), e->d_name);
		char *expected = read_file(path, &exp_len);
		char *want = expected ? lines_with(expected, prefix) : NULL;
		if (!want)
			fprintf(stderr, "%s missing; its \"%s\" lines would "
					"read:\n%s", path, prefix, got.ptr);
		STR_EQ(got.ptr, want);
		check_invariants(s, text, (uint32_t)len);
		free(want);
		free(expected);
		strbuf_fini(&got);
		syntax_free(s);
		free(text);
		cases++;
	}
	closedir(d);
	return cases;
}

#endif
