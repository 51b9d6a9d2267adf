/*
 * patho_session.h — one pathological note through the real vault-lsp over
 * pipes, as an editor drives it: the vault indexed, the note opened
 * (didOpen), edited in the middle and at the end (incremental didChange),
 * and every feature asked for: documentSymbol, foldingRange, documentLink,
 * completion after a `[[`, hover and definition on a link, codeAction over
 * the whole note; then the diagnostics of the last version must arrive.
 * What the answers must hold is the case's struct expect. Header-only, for
 * the test_pathological_*.c tests, on top of lsp_proc.h.
 */
#ifndef VAULT_TEST_PATHO_SESSION_H
#define VAULT_TEST_PATHO_SESSION_H

#include "lsp_proc.h"

#include <stdlib.h>
#include <string.h>

/* ---- text helpers ------------------------------------------------------- */

/* Where an offset is, as LSP counts (UTF-16 units; the text is valid
 * UTF-8; "\n", "\r\n" and a lone "\r" end lines). */
static inline void position_at(const char *t, size_t off, int *line, int *character)
{
	int l = 0, c = 0;
	for (size_t i = 0; i < off;) {
		unsigned char b = (unsigned char)t[i];
		if (b == '\n' || b == '\r') {
			i += b == '\r' && i + 1 < off && t[i + 1] == '\n' ? 2 : 1;
			l++;
			c = 0;
			continue;
		}
		size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
		c += n == 4 ? 2 : 1;
		i += n;
	}
	*line = l;
	*character = c;
}

/* What an editor sends for bytes that are not UTF-8: U+FFFD for each bad
 * byte (JSON cannot carry them). */
static inline void to_utf8(const struct strbuf *in, struct strbuf *out)
{
	strbuf_init(out);
	const unsigned char *p = (const unsigned char *)in->ptr;
	for (size_t i = 0; i < in->len;) {
		size_t n = utf8_seq_len(p + i, in->len - i);
		if (n == 0) {
			strbuf_puts(out, "\xEF\xBF\xBD");
			i++;
		} else {
			strbuf_put(out, in->ptr + i, n);
			i += n;
		}
	}
}

/* ---- what a case expects ------------------------------------------------ */

struct expect {
	const char *code;        /* a diagnostic code the last version must have, or NULL */
	int count;               /* how many of `code` exactly (-1: at least one) */
	const char *absent;      /* a code it must not have, or NULL */
	int min_symbols;         /* headings in the outline, at least */
	int min_folds;
	bool fixable;            /* codeAction over the note offers fixes */
	bool name_only;          /* too big to parse: no features until it shrinks */
	/* A known problem that makes this case slow (see the report in the
	 * log): it gets twice the bound, and its edits come in one burst, as
	 * an editor sends them, so that only the last version is diagnosed.
	 * VAULT_STRICT=1 takes the allowance away. */
	const char *known;
	int probe_line, probe_col; /* one more place to hover, define, complete */
	const char *check_code;  /* a code `check` must report for the file, or NULL */
	int check_count;         /* as count, for check_code */
};

/* ---- one session -------------------------------------------------------- */

static inline bool is_publish_for(const json_t *m, const void *arg)
{
	const char *const *want = arg; /* { uri, version } as strings */
	const char *meth = json_string_value(json_object_get(m, "method"));
	if (!meth || strcmp(meth, "textDocument/publishDiagnostics") != 0)
		return false;
	const json_t *params = json_object_get(m, "params");
	const char *uri = json_string_value(json_object_get(params, "uri"));
	return uri && strcmp(uri, want[0]) == 0 &&
	       json_integer_value(json_object_get(params, "version")) == atoi(want[1]);
}

/* Sends a request and waits for its answer; the time it took goes to
 * *secs. NULL when none came before the deadline. */
static inline const json_t *ask(struct proc *p, const char *method, json_t *params,
				double deadline, double *secs)
{
	double t0 = now();
	int id = request(p, method, params);
	double left = deadline - now();
	const json_t *r = wait_for(p, is_response, &id, left > 0.5 ? left : 0.5);
	*secs = now() - t0;
	if (!r)
		fprintf(stderr, "no answer to %s in time\n", method);
	if (getenv("VAULT_PATHO_VERBOSE"))
		printf("  %-28s %7.3f s\n", method, *secs);
	return r;
}

static inline json_t *text_document(const char *uri)
{
	return json_pack("{s:s}", "uri", uri);
}

static inline json_t *at(const char *uri, int line, int character)
{
	return json_pack("{s:o, s:{s:i, s:i}}", "textDocument", text_document(uri), "position",
			 "line", line, "character", character);
}

/* Sends didChange replacing [start, end) of *text with ins, and applies it
 * to *text as the server should. */
static inline void change(struct proc *p, const char *uri, int version, struct strbuf *text,
			  size_t start, size_t end, const char *ins)
{
	int l1, c1, l2, c2;
	position_at(text->ptr, start, &l1, &c1);
	position_at(text->ptr, end, &l2, &c2);
	notify(p, "textDocument/didChange",
	       json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}]}", "textDocument",
			 "uri", uri, "version", version, "contentChanges", "range", "start", "line", l1,
			 "character", c1, "end", "line", l2, "character", c2, "text", ins));
	struct strbuf next;
	strbuf_init(&next);
	strbuf_put(&next, text->ptr, start);
	strbuf_puts(&next, ins);
	strbuf_put(&next, text->ptr + end, text->len - end);
	strbuf_fini(text);
	*text = next;
}

static inline int count_code(const json_t *diags, const char *code)
{
	int n = 0;
	size_t i;
	json_t *d;
	json_array_foreach(diags, i, d) {
		const char *c = json_string_value(json_object_get(d, "code"));
		n += c && strcmp(c, code) == 0;
	}
	return n;
}

struct timing {
	double open, mid, end, diag[3], requests, session, check;
};

/* Waits for the diagnostics of this version of uri; the time goes to *secs. */
static inline const json_t *diagnostics(struct proc *p, const char *uri, int version,
					double deadline, double *secs)
{
	char v[16];
	snprintf(v, sizeof(v), "%d", version);
	const char *want[] = { uri, v };
	double t = now(), left = deadline - t;
	const json_t *pub = wait_for(p, is_publish_for, want, left > 0.5 ? left : 0.5);
	*secs = now() - t;
	if (!pub)
		fprintf(stderr, "no diagnostics for version %d in time\n", version);
	return pub;
}

/* (a): the server on dir, the note at path opened, edited, asked. Each
 * step waits for the diagnostics it causes before the next, so that the
 * time of each is its own. */
static inline void session(const char *dir, const char *path, const struct strbuf *disk,
			   const struct expect *e, struct timing *tm, double deadline)
{
	struct strbuf text;
	to_utf8(disk, &text);
	char *uri = uri_from_path(path);
	double t0 = now(), t, secs;

	struct proc p;
	OK(spawn(&p));
	/* What VS Code offers that matters here: edits with versions, and
	 * creating files (the "create the note" fix). */
	char *root = uri_from_path(dir);
	int id = request(&p, "initialize", json_pack("{s:i, s:s, s:{s:{s:{s:b, s:[s]}}}}", "processId",
		(int)getpid(), "rootUri", root, "capabilities", "workspace", "workspaceEdit",
		"documentChanges", 1, "resourceOperations", "create"));
	free(root);
	OK(wait_for(&p, is_response, &id, 10) != NULL);
	notify(&p, "initialized", json_object());

	/* didOpen; an unknown request after it is answered once it is handled. */
	double t_open = t = now();
	notify(&p, "textDocument/didOpen",
	       json_pack("{s:{s:s, s:s, s:i, s:s%}}", "textDocument", "uri", uri, "languageId",
			 "markdown", "version", 1, "text", text.ptr, text.len));
	const json_t *r = NULL;
	bool burst = e->known && !getenv("VAULT_STRICT");
	if (!burst) {
		r = ask(&p, "test/barrier", NULL, deadline, &secs);
		OK(r && json_integer_value(json_object_get(json_object_get(r, "error"), "code")) ==
				RPC_METHOD_NOT_FOUND);
		tm->open = now() - t;
		OK(diagnostics(&p, uri, 1, deadline, &tm->diag[0]) != NULL);
	}

	/* A keystroke in the middle: a letter inside a word made upper case
	 * (names and facts ignore case, so what is expected stays true), or
	 * where there is no such letter an "x" typed. */
	size_t mid = text.len / 2, k = mid;
	while (k < text.len && !(k && text.ptr[k] >= 'a' && text.ptr[k] <= 'z' &&
				 text.ptr[k - 1] >= 'a' && text.ptr[k - 1] <= 'z'))
		k++;
	char upper[2] = { k < text.len ? (char)(text.ptr[k] - 'a' + 'A') : 'x', '\0' };
	while (mid < text.len && (((unsigned char)text.ptr[mid] & 0xC0) == 0x80 ||
				  (text.ptr[mid - 1] == '\r' && text.ptr[mid] == '\n')))
		mid++;
	t = now();
	if (k < text.len)
		change(&p, uri, 2, &text, k, k + 1, upper);
	else
		change(&p, uri, 2, &text, mid, mid, upper);
	if (!burst) {
		OK(ask(&p, "test/barrier", NULL, deadline, &secs) != NULL);
		tm->mid = now() - t;
		OK(diagnostics(&p, uri, 2, deadline, &tm->diag[1]) != NULL);
	}

	/* At the end: a link to a person and a `[[` being typed. */
	static const char tail[] = "\n\n[[Marek Nowak]] [[Mar";
	t = now();
	change(&p, uri, 3, &text, text.len, text.len, tail);
	OK(ask(&p, "test/barrier", NULL, deadline, &secs) != NULL);
	tm->end = now() - (burst ? t_open : t); /* in a burst: all three */
	const json_t *pub = diagnostics(&p, uri, 3, deadline, &tm->diag[2]);
	OK(pub != NULL);
	const json_t *diags = json_object_get(json_object_get(pub, "params"), "diagnostics");
	if (e->code) {
		int n = count_code(diags, e->code);
		if (e->count >= 0 && n != e->count)
			fprintf(stderr, "%d %s, want %d\n", n, e->code, e->count);
		OK(e->count < 0 ? n >= 1 : n == e->count);
	}
	if (e->absent)
		INT_EQ(count_code(diags, e->absent), 0);
	int last_line, end_char;
	position_at(text.ptr, text.len, &last_line, &end_char);

	t = now();
	r = ask(&p, "textDocument/documentSymbol", json_pack("{s:o}", "textDocument", text_document(uri)),
		deadline, &secs);
	json_t *result = json_object_get(r, "result");
	OK(json_is_array(result));
	if ((int)json_array_size(result) < e->min_symbols)
		fprintf(stderr, "%zu symbols, want %d or more\n", json_array_size(result), e->min_symbols);
	OK((int)json_array_size(result) >= e->min_symbols);

	r = ask(&p, "textDocument/foldingRange", json_pack("{s:o}", "textDocument", text_document(uri)),
		deadline, &secs);
	result = json_object_get(r, "result");
	OK(json_is_array(result));
	OK((int)json_array_size(result) >= e->min_folds);

	if (e->name_only)
		OK(json_array_size(result) == 0 && json_array_size(diags) == 0);

	r = ask(&p, "textDocument/documentLink", json_pack("{s:o}", "textDocument", text_document(uri)),
		deadline, &secs);
	result = json_object_get(r, "result");
	OK(json_is_array(result) && (json_array_size(result) >= 1) != e->name_only);

	r = ask(&p, "textDocument/completion", at(uri, last_line, end_char), deadline, &secs);
	result = json_object_get(r, "result");
	bool marek = false;
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(result, "items"), i, item)
		marek |= strcmp(json_string_value(json_object_get(item, "label")), "Marek Nowak") == 0;
	OK(marek != e->name_only);

	r = ask(&p, "textDocument/hover", at(uri, last_line, 4), deadline, &secs);
	result = json_object_get(r, "result");
	const char *hover = json_string_value(json_object_get(json_object_get(result, "contents"), "value"));
	OK(e->name_only ? json_is_null(result) : hover && strstr(hover, "Marek Nowak"));

	r = ask(&p, "textDocument/definition", at(uri, last_line, 4), deadline, &secs);
	result = json_object_get(r, "result");
	const json_t *loc = json_is_array(result) ? json_array_get(result, 0) : result;
	const char *target = json_string_value(json_object_get(loc, "uri"));
	OK(e->name_only ? !target : target && strstr(target, "Marek%20Nowak.md"));

	r = ask(&p, "textDocument/codeAction",
		json_pack("{s:o, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:O}}", "textDocument",
			  text_document(uri), "range", "start", "line", 0, "character", 0, "end", "line",
			  last_line, "character", end_char, "context", "diagnostics", diags),
		deadline, &secs);
	result = json_object_get(r, "result");
	OK(json_is_array(result));
	if (e->fixable)
		OK(json_array_size(result) >= 1);
	if (e->probe_line) {
		static const char *const probes[] = { "textDocument/hover", "textDocument/definition",
						      "textDocument/completion" };
		for (size_t q = 0; q < 3; q++) {
			r = ask(&p, probes[q], at(uri, e->probe_line, e->probe_col), deadline, &secs);
			OK(r && json_object_get(r, "result") && !json_object_get(r, "error"));
		}
	}
	tm->requests = now() - t;

	/* Too big to parse: cut down to its last 2 KB, it is parsed again. */
	if (e->name_only) {
		size_t keep = text.len - 2000;
		while (text.ptr[keep - 1] != '\n')
			keep++;
		change(&p, uri, 4, &text, 0, keep, "");
		r = ask(&p, "textDocument/documentSymbol",
			json_pack("{s:o}", "textDocument", text_document(uri)), deadline, &secs);
		OK(json_array_size(json_object_get(r, "result")) >= 1);
		pub = diagnostics(&p, uri, 4, deadline, &secs);
		OK(pub != NULL);
		position_at(text.ptr, text.len, &last_line, &end_char);
		r = ask(&p, "textDocument/definition", at(uri, last_line, 4), deadline, &secs);
		result = json_object_get(r, "result");
		loc = json_is_array(result) ? json_array_get(result, 0) : result;
		target = json_string_value(json_object_get(loc, "uri"));
		OK(target && strstr(target, "Marek%20Nowak.md"));
	}

	r = ask(&p, "shutdown", NULL, deadline, &secs);
	OK(r && json_is_null(json_object_get(r, "result")));
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 10), 0);
	tm->session = now() - t0;
	free(uri);
	strbuf_fini(&text);
}

#endif
