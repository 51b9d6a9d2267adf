/* check.c — the `vault-lsp check` command. */
#include "check.h"
#include "diagnose.h"
#include "protocol.h"
#include "walk.h"

#include <jansson.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: vault-lsp check [--format text|json] PATH\n"
	"  text (default): path:line:column: severity: message [code], then a summary\n"
	"  json: one object per diagnostic a line; the summary goes to stderr\n";

static const char *const severity_names[] = {
	[DIAG_ERROR] = "error", [DIAG_WARNING] = "warning",
	[DIAG_INFO] = "info", [DIAG_HINT] = "hint",
};


/* qsort has no context argument in C11: sort ids through a small table. */
struct sorted { const char *rel; uint32_t id; };

static int cmp_sorted(const void *a, const void *b)
{
	return strcmp(((const struct sorted *)a)->rel, ((const struct sorted *)b)->rel);
}

/* 1-based line and character column of a byte offset. */
static void line_col(const struct ws_note *wn, uint32_t offset, uint32_t *line, uint32_t *col)
{
	struct lsp_pos p = position_from_offset(wn->note->text, wn->note->len, &wn->lines, offset, POS_UTF8);
	*line = p.line + 1;
	*col = position_chars(wn->note->text, wn->note->len, &wn->lines, offset) + 1;
}

static void print_text(FILE *out, const char *shown_root, const struct ws_note *wn,
		       const struct diagnostic *d)
{
	uint32_t line, col;
	line_col(wn, d->span.start, &line, &col);
	fprintf(out, "%s/%s:%u:%u: %s: %s [%s]\n", shown_root, wn->rel, line, col,
		severity_names[d->severity], d->message, d->code);
}

static json_t *json_location(const char *shown_root, const struct ws_note *wn, struct span span)
{
	uint32_t line, col, end_line, end_col;
	line_col(wn, span.start, &line, &col);
	line_col(wn, span_end(span), &end_line, &end_col);
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/%s", shown_root, wn->rel);
	json_t *j = json_pack("{s:o, s:i, s:i, s:i, s:i}", "path", json_text(path.ptr, path.len),
			      "line", line, "column", col, "endLine", end_line, "endColumn", end_col);
	strbuf_fini(&path);
	return j;
}

/* One JSON object a line: for scripts (jq, CI annotations). */
static void print_json(FILE *out, const char *shown_root, const struct workspace *ws,
		       const struct ws_note *wn, const struct diagnostic *d)
{
	json_t *j = json_location(shown_root, wn, d->span);
	json_object_set_new(j, "severity", json_string(severity_names[d->severity]));
	json_object_set_new(j, "code", json_string(d->code));
	json_object_set_new(j, "message", json_text(d->message, strlen(d->message)));
	json_t *rel = json_array();
	for (uint32_t i = 0; i < d->related.len; i++) {
		const struct ws_note *rn = workspace_get(ws, d->related.items[i].note);
		if (!rn)
			continue;
		json_t *r = json_location(shown_root, rn, d->related.items[i].span);
		json_object_set_new(r, "message", json_text(d->related.items[i].message,
							    strlen(d->related.items[i].message)));
		json_array_append_new(rel, r);
	}
	json_object_set_new(j, "related", rel);
	if (d->fixes.len) {
		json_t *fixes = json_array();
		for (uint32_t i = 0; i < d->fixes.len; i++)
			json_array_append_new(fixes, json_text(d->fixes.items[i], strlen(d->fixes.items[i])));
		json_object_set_new(j, "fixes", fixes);
	}
	char *line = json_dumps(j, JSON_COMPACT);
	fprintf(out, "%s\n", line);
	free(line);
	json_decref(j);
}

int check_main(int argc, char **argv, FILE *out, FILE *err)
{
	const char *path = NULL;
	bool json = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fprintf(out, "%s", usage);
			return 0;
		}
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "text") == 0)) {
			json = strcmp(argv[++i], "json") == 0;
			continue;
		}
		if (argv[i][0] == '-' || path) {
			fprintf(err, "vault-lsp check: unexpected argument '%s'\n%s", argv[i], usage);
			return 2;
		}
		path = argv[i];
	}
	if (!path) {
		fprintf(err, "%s", usage);
		return 2;
	}
	char abs[PATH_MAX];
	if (!realpath(path, abs)) {
		fprintf(err, "vault-lsp check: cannot open %s\n", path);
		return 2;
	}
	/* Print paths as the user wrote the root. */
	size_t shown_len = strlen(path);
	while (shown_len > 1 && path[shown_len - 1] == '/')
		shown_len--;
	char *shown = xstrndup(path, shown_len);

	struct config cfg;
	config_init(&cfg);
	struct strbuf problems = { 0 };
	struct strbuf cfg_path = { 0 };
	strbuf_printf(&cfg_path, "%s/.vault-lsp.yaml", abs);
	config_load_file(&cfg, cfg_path.ptr, &problems);
	if (problems.len)
		fprintf(err, "vault-lsp check: configuration: %s", problems.ptr);
	strbuf_fini(&problems);
	strbuf_fini(&cfg_path);

	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, abs);
	const char *roots[] = { abs };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct ws_scan *scan = workspace_scan(roots, 1, &cfg, cpus > 0 ? (unsigned)cpus : 1,
					      NULL, NULL, NULL, NULL);
	workspace_install(ws, scan);

	uint32_t bound = workspace_id_bound(ws), n = 0;
	struct sorted *order = xcalloc(bound ? bound : 1, sizeof(*order));
	for (uint32_t id = 0; id < bound; id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (wn && !wn->attachment) /* attachments have nothing to say */
			order[n++] = (struct sorted){ wn->rel, id };
	}
	qsort(order, n, sizeof(*order), cmp_sorted);

	unsigned counts[5] = { 0 };
	for (uint32_t k = 0; k < n; k++) {
		const struct ws_note *wn = workspace_get(ws, order[k].id);
		struct diag_list list = { 0 };
		diagnose_note(ws, order[k].id, &list);
		for (uint32_t i = 0; i < list.len; i++) {
			const struct diagnostic *d = &list.items[i];
			if (json)
				print_json(out, shown, ws, wn, d);
			else
				print_text(out, shown, wn, d);
			counts[d->severity]++;
		}
		diag_list_free(&list);
	}
	/* Once, next to the summary, where the user looks for what the
	 * counts mean. */
	char *logseq = walk_logseq_notice(abs, shown);
	if (logseq) {
		fflush(out);
		fprintf(err, "vault-lsp check: %s\n", logseq);
		free(logseq);
	}
	/* In JSON every line of stdout is an object: the summary goes to stderr. */
	fprintf(json ? err : out, "%u notes: %u errors, %u warnings, %u info, %u hints\n", n,
		counts[DIAG_ERROR], counts[DIAG_WARNING], counts[DIAG_INFO], counts[DIAG_HINT]);

	free(order);
	workspace_free(ws);
	config_fini(&cfg);
	free(shown);
	return counts[DIAG_ERROR] ? 1 : 0;
}
