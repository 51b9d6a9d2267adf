/*
 * vault.h — a vault opened the way the commands (check, people) do: the
 * root as the user wrote it for printing, its .vault-lsp.yaml, every note
 * read on every processor, and the notes in path order.
 */
#ifndef VAULT_CLI_VAULT_H
#define VAULT_CLI_VAULT_H

#include "workspace.h"

#include <stdio.h>

struct vault {
	struct workspace *ws;
	struct config cfg;
	char *shown;           /* the root as given, without trailing '/' */
	char *abs;             /* its real path */
	uint32_t *notes;       /* note ids (no attachments) by path */
	uint32_t n_notes;
};

/* A command's arguments: [--format text|json] [FLAG] PATH, FLAG being
 * one more switch it takes (NULL: none; *flag says whether it was given).
 * Returns -1 to go on, or the exit code after printing usage (0 for
 * --help, 2 for a bad argument or no PATH). */
int vault_args(int argc, char **argv, const char *cmd, const char *usage, FILE *out, FILE *err,
	       bool *json, const char *flag_name, bool *flag, const char **path);

/* Opens path for command cmd; false after printing why to err. progress
 * (may be NULL) is told how many files are read, from the reading threads,
 * as workspace_scan tells it. */
bool vault_open(struct vault *v, const char *path, const char *cmd, FILE *err,
		scan_progress_fn progress, void *ctx);
void vault_close(struct vault *v);

/* 1-based line and character column of a byte offset in a note. */
void vault_line_col(const struct ws_note *wn, uint32_t offset, uint32_t *line, uint32_t *col);

#endif
