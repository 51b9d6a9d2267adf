/*
 * scratch_vault.h — a vault made in a temporary folder for a test: notes
 * written into it, indexed in-process, checked by `vault-lsp check`,
 * removed. Header-only, for the test_vault_*.c tests.
 */
#ifndef VAULT_TEST_SCRATCH_VAULT_H
#define VAULT_TEST_SCRATCH_VAULT_H

#include "check.h"
#include "harness.h"
#include "workspace.h"

#include <stdlib.h>
#include <string.h>

static inline void write_file(const char *dir, const char *rel, const char *text, size_t len)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	OK(f != NULL);
	if (f) {
		OK(fwrite(text, 1, len, f) == len);
		fclose(f);
	}
}

static inline void rm_rf(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
}

static inline struct workspace *index_vault(const char *root, unsigned threads,
					    scan_progress_fn progress, void *ctx)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, root);
	workspace_install(ws, workspace_scan(&root, 1, &cfg, threads, progress, ctx, NULL, NULL));
	config_fini(&cfg);
	return ws;
}

/* Runs `vault-lsp check --format json root` in-process: its stdout, and
 * the summary line (stderr) in *summary. */
static inline char *run_check(const char *root, char **summary)
{
	char *out = NULL, *err = NULL;
	size_t ol, el;
	FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
	char *args[] = { "--format", "json", (char *)root };
	check_main(3, args, o, e);
	fclose(o);
	fclose(e);
	*summary = err;
	return out;
}

#endif
