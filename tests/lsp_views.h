/*
 * lsp_views.h — a vault's problem list as sorted lines "rel:line:code"
 * (or "rel:line:severity:code"), from what the real server last told the
 * client and from `vault-lsp check` on the same files, so that a test can
 * say the two agree. On top of lsp_proc.h; header-only like it.
 */
#ifndef VAULT_TEST_LSP_VIEWS_H
#define VAULT_TEST_LSP_VIEWS_H

#include "lsp_proc.h"

static inline int views_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs a shell command, every %s in fmt (at most four) being dir. */
static inline void views_sh(const char *fmt, const char *dir)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), fmt, dir, dir, dir, dir);
	OK(system(cmd) == 0);
}

static inline void views_line(struct str_list *lines, const char *rel, long long line,
			      const char *severity, const char *code)
{
	char buf[1024];
	if (severity)
		snprintf(buf, sizeof(buf), "%s:%lld:%s:%s", rel, line, severity, code);
	else
		snprintf(buf, sizeof(buf), "%s:%lld:%s", rel, line, code);
	str_list_push(lines, buf);
}

static inline void views_out(struct str_list *lines, struct strbuf *out)
{
	if (lines->len > 1)
		qsort(lines->items, lines->len, sizeof(char *), views_strcmp);
	for (uint32_t k = 0; k < lines->len; k++)
		strbuf_printf(out, "%s\n", lines->items[k]);
	str_list_free(lines);
}

/* Every diagnostic the client was last told of, per note. */
static inline void server_view(const struct proc *p, const char *dir, struct strbuf *out,
			       bool severity)
{
	static const char *const names[] = { "?", "error", "warning", "info", "hint" };
	json_t *last = json_object();
	size_t i;
	json_t *m;
	json_array_foreach(p->seen, i, m) {
		const char *meth = json_string_value(json_object_get(m, "method"));
		if (meth && strcmp(meth, "textDocument/publishDiagnostics") == 0) {
			json_t *params = json_object_get(m, "params");
			json_object_set(last, json_string_value(json_object_get(params, "uri")),
					json_object_get(params, "diagnostics"));
		}
	}
	struct str_list lines = { 0 };
	const char *uri;
	json_t *diags;
	json_object_foreach(last, uri, diags) {
		char *path = uri_to_path(uri);
		json_t *d;
		json_array_foreach(diags, i, d) {
			json_int_t sev = json_integer_value(json_object_get(d, "severity"));
			json_t *start = json_object_get(json_object_get(d, "range"), "start");
			views_line(&lines, path + strlen(dir) + 1,
				   (long long)json_integer_value(json_object_get(start, "line")) + 1,
				   severity ? names[sev >= 1 && sev <= 4 ? sev : 0] : NULL,
				   json_string_value(json_object_get(d, "code")));
		}
		free(path);
	}
	json_decref(last);
	views_out(&lines, out);
}

/* The same from `vault-lsp check --format json DIR`. */
static inline void check_view(const char *dir, struct strbuf *out, bool severity)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "'%s' check --format json '%s' 2>/dev/null", VAULT_BINARY, dir);
	FILE *f = popen(cmd, "r");
	struct str_list lines = { 0 };
	char buf[65536];
	while (f && fgets(buf, sizeof(buf), f)) {
		json_t *j = json_loads(buf, 0, NULL);
		if (!j)
			continue;
		views_line(&lines, json_string_value(json_object_get(j, "path")) + strlen(dir) + 1,
			   (long long)json_integer_value(json_object_get(j, "line")),
			   severity ? json_string_value(json_object_get(j, "severity")) : NULL,
			   json_string_value(json_object_get(j, "code")));
		json_decref(j);
	}
	if (f)
		pclose(f);
	views_out(&lines, out);
}

static inline bool is_publish(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "textDocument/publishDiagnostics") == 0;
}

/* Reads until nothing has come for `quiet` seconds (at most `limit`). */
static inline void settle(struct proc *p, double quiet, double limit)
{
	double end = now() + limit;
	size_t seen = json_array_size(p->seen);
	double last_change = now();
	while (now() < end && now() - last_change < quiet) {
		pump(p, 0.05);
		if (json_array_size(p->seen) != seen) {
			seen = json_array_size(p->seen);
			last_change = now();
		}
	}
}

#endif
