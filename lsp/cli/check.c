/* check.c — the `vault-lsp check` command. */
#include "check.h"
#include "diagnose.h"
#include "protocol.h"
#include "vault.h"
#include "walk.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: vault-lsp check [--format text|json] PATH\n"
	"  text (default): path:line:column: severity: message [code], then a summary\n"
	"  json: one object per diagnostic a line; the summary goes to stderr\n";

static const char *const severity_names[] = {
	[DIAG_ERROR] = "error", [DIAG_WARNING] = "warning",
	[DIAG_INFO] = "info", [DIAG_HINT] = "hint",
};


static void print_text(FILE *out, const char *shown_root, const struct ws_note *wn,
		       const struct diagnostic *d)
{
	uint32_t line, col;
	vault_line_col(wn, d->span.start, &line, &col);
	fprintf(out, "%s/%s:%u:%u: %s: %s [%s]\n", shown_root, wn->rel, line, col,
		severity_names[d->severity], d->message, d->code);
}

static json_t *json_location(const char *shown_root, const struct ws_note *wn, struct span span)
{
	uint32_t line, col, end_line, end_col;
	vault_line_col(wn, span.start, &line, &col);
	vault_line_col(wn, span_end(span), &end_line, &end_col);
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
	const char *path;
	bool json;
	int code = vault_args(argc, argv, "check", usage, out, err, &json, NULL, NULL, &path);
	if (code >= 0)
		return code;
	struct vault v;
	if (!vault_open(&v, path, "check", err))
		return 2;
	struct workspace *ws = v.ws;

	unsigned counts[5] = { 0 };
	for (uint32_t k = 0; k < v.n_notes; k++) {
		const struct ws_note *wn = workspace_get(ws, v.notes[k]);
		struct diag_list list = { 0 };
		diagnose_note(ws, v.notes[k], &list);
		for (uint32_t i = 0; i < list.len; i++) {
			const struct diagnostic *d = &list.items[i];
			if (json)
				print_json(out, v.shown, ws, wn, d);
			else
				print_text(out, v.shown, wn, d);
			counts[d->severity]++;
		}
		diag_list_free(&list);
	}
	/* Once, next to the summary, where the user looks for what the
	 * counts mean. */
	char *logseq = walk_logseq_notice(v.abs, v.shown);
	if (logseq) {
		fflush(out);
		fprintf(err, "vault-lsp check: %s\n", logseq);
		free(logseq);
	}
	/* In JSON every line of stdout is an object: the summary goes to stderr. */
	fprintf(json ? err : out, "%u notes: %u errors, %u warnings, %u info, %u hints\n", v.n_notes,
		counts[DIAG_ERROR], counts[DIAG_WARNING], counts[DIAG_INFO], counts[DIAG_HINT]);

	vault_close(&v);
	return counts[DIAG_ERROR] ? 1 : 0;
}
