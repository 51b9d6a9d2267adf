/*
 * test_ignore.c — ignore_glob_match and gitignore rules from the data files
 * in tests/walk/, and pathological globs.
 */
#include "harness.h"
#include "ignore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- data-driven cases ------------------------------------------------ */

#define MAX_FIELDS 4

typedef void (*case_fn)(const char *file, int line, char **fields);

/* Calls fn for each line of tests/walk/<name> that has a TAB, split into
 * exactly nfields TAB-separated fields. Returns the number of cases. */
static int each_case(const char *name, int nfields, case_fn fn)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/walk/%s", VAULT_TEST_DIR, name);
	FILE *f = fopen(path, "r");
	OK(f != NULL);
	if (!f)
		return 0;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int line = 0, cases = 0;
	while ((n = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (!strchr(buf, '\t'))
			continue;
		char *fields[MAX_FIELDS];
		int count = 0;
		char *p = buf;
		for (;;) {
			char *tab = strchr(p, '\t');
			if (count < MAX_FIELDS)
				fields[count] = p;
			count++;
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (count != nfields) {
			fprintf(stderr, "%s:%d: expected %d fields, got %d\n",
				path, line, nfields, count);
			OK(count == nfields);
			continue;
		}
		fn(path, line, fields);
		cases++;
	}
	free(buf);
	fclose(f);
	return cases;
}

static bool parse_expect(const char *file, int line, const char *word)
{
	if (strcmp(word, "match") != 0 && strcmp(word, "nomatch") != 0) {
		fprintf(stderr, "%s:%d: expected match|nomatch, got \"%s\"\n",
			file, line, word);
		OK(false);
	}
	return strcmp(word, "match") == 0;
}

static void glob_case(const char *file, int line, char **f)
{
	bool want = parse_expect(file, line, f[2]);
	bool got = ignore_glob_match(f[0], f[1]);
	if (got != want)
		fprintf(stderr, "%s:%d: glob \"%s\" on \"%s\": expected %s\n",
			file, line, f[0], f[1], f[2]);
	OK(got == want);
}

/* "\n" and "\r" in the first field stand for a line break and a carriage
 * return, so one line can hold a whole .gitignore. */
static char *unescape_lines(const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	for (; *s; s++) {
		if (s[0] == '\\' && (s[1] == 'n' || s[1] == 'r')) {
			strbuf_putc(&b, s[1] == 'n' ? '\n' : '\r');
			s++;
		} else {
			strbuf_putc(&b, *s);
		}
	}
	return strbuf_detach(&b);
}

static void ignore_case(const char *file, int line, char **f)
{
	bool want = parse_expect(file, line, f[3]);
	if (strcmp(f[2], "dir") != 0 && strcmp(f[2], "file") != 0) {
		fprintf(stderr, "%s:%d: expected dir|file, got \"%s\"\n", file,
			line, f[2]);
		OK(false);
	}
	char *text = unescape_lines(f[0]);
	struct ignore *ig = ignore_new();
	ignore_add_lines(ig, text, strlen(text));
	bool got = ignore_match(ig, f[1], strcmp(f[2], "dir") == 0);
	if (got != want)
		fprintf(stderr, "%s:%d: ignore \"%s\" on %s \"%s\": expected %s\n",
			file, line, f[0], f[2], f[1], f[3]);
	OK(got == want);
	ignore_free(ig);
	free(text);
}

/* ---- pathological globs ----------------------------------------------- */

static void test_pathological(void)
{
	clock_t start = clock();
	size_t n = 100000;
	char *s = xmalloc(n + 2);
	memset(s, 'a', n);
	s[n] = '\0';
	/* Exponential for a naive recursive matcher. */
	OK(!ignore_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", s));
	s[n] = 'b';
	s[n + 1] = '\0';
	OK(ignore_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", s));
	OK(ignore_glob_match("**/**/**/**/**/**/**/**/*b", s));

	/* 20,000 one-letter segments. */
	for (size_t i = 0; i < 40000; i += 2) {
		s[i] = 'a';
		s[i + 1] = '/';
	}
	s[39999] = '\0';
	OK(!ignore_glob_match("**/**/**/**/**/**/**/**/b", s));
	OK(ignore_glob_match("**/**/**/**/**/**/**/**/a", s));
	OK(ignore_glob_match("a/**/a/**/a/**/a", s));
	OK(!ignore_glob_match("*/*/*/*/*/*/*/*/*", s));
	free(s);

	struct ignore *ig = ignore_new();
	OK(!ignore_match(ig, "a.md", false));
	OK(!ignore_match(NULL, "a.md", false));
	ignore_free(ig);
	ignore_free(NULL);

	double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	OK(secs < 10.0);
}

int main(void)
{
	OK(each_case("glob.txt", 3, glob_case) > 50);
	OK(each_case("ignore.txt", 4, ignore_case) > 40);
	test_pathological();
	return harness_done("test_ignore");
}
