/* vault.c — opening a vault for a command: config, scan, notes in order. */
#include "vault.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* qsort has no context argument in C11: sort ids through a small table. */
struct sorted { const char *rel; uint32_t id; };

static int cmp_sorted(const void *a, const void *b)
{
	return strcmp(((const struct sorted *)a)->rel, ((const struct sorted *)b)->rel);
}

int vault_args(int argc, char **argv, const char *cmd, const char *usage, FILE *out, FILE *err,
	       bool *json, const char *flag_name, bool *flag, const char **path)
{
	*path = NULL;
	*json = false;
	if (flag)
		*flag = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fprintf(out, "%s", usage);
			return 0;
		}
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "text") == 0)) {
			*json = strcmp(argv[++i], "json") == 0;
			continue;
		}
		if (flag_name && strcmp(argv[i], flag_name) == 0) {
			*flag = true;
			continue;
		}
		if (argv[i][0] == '-' || *path) {
			fprintf(err, "vault-lsp %s: unexpected argument '%s'\n%s", cmd, argv[i], usage);
			return 2;
		}
		*path = argv[i];
	}
	if (!*path) {
		fprintf(err, "%s", usage);
		return 2;
	}
	return -1;
}

bool vault_open(struct vault *v, const char *path, const char *cmd, FILE *err,
		scan_progress_fn progress, void *ctx)
{
	memset(v, 0, sizeof(*v));
	char abs[PATH_MAX];
	if (!realpath(path, abs)) {
		fprintf(err, "vault-lsp %s: cannot open %s: %s\n", cmd, path, strerror(errno));
		return false;
	}
	/* A vault is a folder we can list: a file, or a folder we may not
	 * read, would otherwise look like an empty vault. */
	DIR *dir = opendir(abs);
	if (!dir) {
		fprintf(err, "vault-lsp %s: cannot open %s: %s\n", cmd, path,
			errno == ENOTDIR ? "not a folder" : strerror(errno));
		return false;
	}
	closedir(dir);
	v->abs = xstrdup(abs);
	/* Print paths as the user wrote the root. */
	size_t shown_len = strlen(path);
	while (shown_len > 1 && path[shown_len - 1] == '/')
		shown_len--;
	v->shown = xstrndup(path, shown_len);

	config_init(&v->cfg);
	struct strbuf problems = { 0 };
	struct strbuf cfg_path = { 0 };
	strbuf_printf(&cfg_path, "%s/.vault-lsp.yaml", abs);
	config_load_file(&v->cfg, cfg_path.ptr, &problems);
	if (problems.len)
		fprintf(err, "vault-lsp %s: configuration: %s", cmd, problems.ptr);
	strbuf_fini(&problems);
	strbuf_fini(&cfg_path);

	v->ws = workspace_new(&v->cfg, NULL);
	workspace_add_root(v->ws, abs);
	const char *roots[] = { abs };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct ws_scan *scan = workspace_scan(roots, 1, &v->cfg, cpus > 0 ? (unsigned)cpus : 1,
					      progress, ctx, NULL, NULL);
	workspace_install(v->ws, scan);

	uint32_t bound = workspace_id_bound(v->ws);
	struct sorted *order = xcalloc(bound ? bound : 1, sizeof(*order));
	for (uint32_t id = 0; id < bound; id++) {
		const struct ws_note *wn = workspace_get(v->ws, id);
		if (wn && !wn->attachment) /* attachments have nothing to say */
			order[v->n_notes++] = (struct sorted){ wn->rel, id };
	}
	qsort(order, v->n_notes, sizeof(*order), cmp_sorted);
	v->notes = xmalloc(sizeof(uint32_t) * (v->n_notes ? v->n_notes : 1));
	for (uint32_t k = 0; k < v->n_notes; k++)
		v->notes[k] = order[k].id;
	free(order);
	return true;
}

void vault_close(struct vault *v)
{
	workspace_free(v->ws);
	config_fini(&v->cfg);
	free(v->notes);
	free(v->shown);
	free(v->abs);
}

void vault_line_col(const struct ws_note *wn, uint32_t offset, uint32_t *line, uint32_t *col)
{
	struct lsp_pos p = position_from_offset(wn->note->text, wn->note->len, &wn->lines, offset, POS_UTF8);
	*line = p.line + 1;
	*col = position_chars(wn->note->text, wn->note->len, &wn->lines, offset) + 1;
}
