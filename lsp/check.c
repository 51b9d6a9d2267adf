/* check.c — the `vault-lsp check` command. */
#include "check.h"
#include "diagnose.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void print_location(FILE *out, const char *shown_root, const struct ws_note *wn, uint32_t offset)
{
	struct lsp_pos p = position_from_offset(wn->note->text, wn->note->len, &wn->lines, offset, POS_UTF8);
	uint32_t line_start = wn->lines.starts[p.line];
	uint32_t col = utf8_count_chars(wn->note->text + line_start, p.character);
	fprintf(out, "%s/%s:%u:%u", shown_root, wn->rel, p.line + 1, col + 1);
}

int check_main(int argc, char **argv, FILE *out, FILE *err)
{
	const char *path = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fprintf(out, "usage: vault-lsp check PATH\n");
			return 0;
		}
		if (argv[i][0] == '-' || path) {
			fprintf(err, "vault-lsp check: unexpected argument '%s'\nusage: vault-lsp check PATH\n", argv[i]);
			return 2;
		}
		path = argv[i];
	}
	if (!path) {
		fprintf(err, "usage: vault-lsp check PATH\n");
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
		if (wn)
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
			print_location(out, shown, wn, d->span.start);
			fprintf(out, ": %s: %s [%s]\n", severity_names[d->severity], d->message, d->code);
			counts[d->severity]++;
		}
		diag_list_free(&list);
	}
	fprintf(out, "%u notes: %u errors, %u warnings, %u info, %u hints\n", n,
		counts[DIAG_ERROR], counts[DIAG_WARNING], counts[DIAG_INFO], counts[DIAG_HINT]);

	free(order);
	workspace_free(ws);
	config_fini(&cfg);
	free(shown);
	return counts[DIAG_ERROR] ? 1 : 0;
}
