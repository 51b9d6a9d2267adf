/*
 * cases.h — the data files of tests/parser/: reading their cases, and the
 * escapes and positions their expected dumps are written with.
 *
 * A data file is a list of cases:
 *
 *   <<< name
 *   input lines, with {CR} {LF} {TAB} {NUL} {BOM} {xNN} tokens, {EOF} at the
 *   end of the last line for "no final newline"
 *   >>> [kinds]              optional filter, for the test to read
 *   expected dump lines
 *
 * Lines before the first "<<<" and lines starting with "//" in the
 * expected part are comments. Positions are "line:column", both 1-based,
 * columns in bytes.
 */
#ifndef VAULT_TEST_CASES_H
#define VAULT_TEST_CASES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util.h"

/* Bytes as the data files write them: control characters and invalid UTF-8
 * as {CR}, {LF}, {TAB}, {NUL} or {xNN}. */
static inline void put_escaped(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = u[i] >= 0x80 ? utf8_seq_len(u + i, len - i) : 1;
		if (u[i] == '\r')
			strbuf_puts(out, "{CR}");
		else if (u[i] == '\n')
			strbuf_puts(out, "{LF}");
		else if (u[i] == '\t')
			strbuf_puts(out, "{TAB}");
		else if (u[i] == 0)
			strbuf_puts(out, "{NUL}");
		else if (u[i] < 0x20 || n == 0)
			strbuf_printf(out, "{x%02X}", u[i]);
		else
			strbuf_put(out, s + i, n);
		i += n ? n : 1;
	}
}

static inline void put_quoted(struct strbuf *out, const char *s, size_t len)
{
	strbuf_putc(out, '"');
	put_escaped(out, s, len);
	strbuf_putc(out, '"');
}

/* "L:C": 1-based line and 1-based byte column, lines ended as editors do. */
static inline void put_pos(struct strbuf *out, const char *text, uint32_t offset)
{
	uint32_t line = 1, ls = 0;
	for (uint32_t i = 0; i < offset; i++) {
		if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n')) {
			line++;
			ls = i + 1;
		}
	}
	strbuf_printf(out, "%u:%u", line, offset - ls + 1);
}

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

/* Appends one input line, turning {CR} {LF} {TAB} {NUL} {BOM} {xNN} into
 * bytes; a trailing {EOF} drops the line's newline. */
static inline void put_input_line(struct strbuf *out, const char *s, size_t len)
{
	static const struct {
		const char *token, *bytes;
		size_t n;
	} tokens[] = {
		{ "{CR}", "\r", 1 }, { "{LF}", "\n", 1 }, { "{TAB}", "\t", 1 },
		{ "{NUL}", "\0", 1 }, { "{BOM}", "\xEF\xBB\xBF", 3 },
	};
	bool newline = true;
	for (size_t i = 0; i < len;) {
		if (s[i] == '{') {
			bool done = false;
			for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]) && !done; k++) {
				size_t tl = strlen(tokens[k].token);
				if (len - i >= tl && memcmp(s + i, tokens[k].token, tl) == 0) {
					strbuf_put(out, tokens[k].bytes, tokens[k].n);
					i += tl;
					done = true;
				}
			}
			if (!done && len - i >= 5 && s[i + 1] == 'x' && s[i + 4] == '}') {
				char hex[3] = { s[i + 2], s[i + 3], 0 };
				strbuf_putc(out, (char)strtol(hex, NULL, 16));
				i += 5;
				done = true;
			}
			if (!done && len - i == 5 && memcmp(s + i, "{EOF}", 5) == 0) {
				newline = false;
				i += 5;
				done = true;
			}
			if (done)
				continue;
		}
		strbuf_putc(out, s[i++]);
	}
	if (newline)
		strbuf_putc(out, '\n');
}

struct data_case {
	const char *name;   /* after "<<< " */
	const char *filter; /* after ">>> ", or NULL */
	struct strbuf input;
};

/* Dumps what c's input gives into out (empty, allocated). */
typedef void (*data_case_fn)(const struct data_case *c, struct strbuf *out);

/*
 * Runs every case of tests/parser/<file> through dump and compares its
 * output with the case's expected lines, each a pass or a failure that
 * shows both. Returns the number of cases run.
 */
static inline int run_data_file(const char *file, data_case_fn dump)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/parser/%s", VAULT_TEST_DIR, file);
	size_t len;
	char *data = read_file(path, &len);
	OK(data != NULL);
	if (!data)
		return 0;

	int cases = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p < 4 || memcmp(p, "<<< ", 4) != 0) {
			p = eol + 1;
			continue;
		}
		char *case_name = xstrndup(p + 4, (size_t)(eol - p - 4));
		struct strbuf input, expected;
		strbuf_init(&input);
		strbuf_init(&expected);
		char *filter = NULL;
		bool in_expected = false;
		for (p = eol + 1; p < end;) {
			eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				eol = end;
			size_t n = (size_t)(eol - p);
			if (n >= 4 && memcmp(p, "<<< ", 4) == 0)
				break;
			if (!in_expected && n >= 3 && memcmp(p, ">>>", 3) == 0) {
				in_expected = true;
				if (n > 4)
					filter = xstrndup(p + 4, n - 4);
			} else if (!in_expected) {
				put_input_line(&input, p, n);
			} else if (n > 0 && !(n >= 2 && p[0] == '/' && p[1] == '/')) {
				strbuf_put(&expected, p, n);
				strbuf_putc(&expected, '\n');
			}
			p = eol + 1;
		}

		struct data_case c = { case_name, filter, input };
		struct strbuf out;
		strbuf_init(&out);
		dump(&c, &out);
		cases++;
		if (strcmp(out.ptr, expected.ptr) == 0) {
			harness_passed++;
		} else {
			harness_failed++;
			fprintf(stderr, "%s: case \"%s\" FAILED\n--- expected\n%s--- got\n%s---\n",
				file, case_name, expected.ptr, out.ptr);
		}
		strbuf_fini(&out);
		strbuf_fini(&input);
		strbuf_fini(&expected);
		free(filter);
		free(case_name);
	}
	free(data);
	return cases;
}

#endif
