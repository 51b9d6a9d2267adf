/*
 * progress.h — one line on a terminal saying how far a long command has
 * got ("vault-lsp check: indexing 4200/100000 files"), rewritten in place
 * at most ten times a second and erased before anything else is printed
 * to the terminal. Silent unless the stream is a terminal and the work is
 * large (PROGRESS_MIN items or more), so scripts and logs never see it.
 */
#ifndef VAULT_PROGRESS_H
#define VAULT_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

/* Fewer items than this finish too soon for a progress line to help. */
#define PROGRESS_MIN 1000

struct progress;

/* A progress line on tty for command cmd; NULL-safe functions below do
 * nothing when tty is not a terminal. */
struct progress *progress_new(FILE *tty, const char *cmd);
/* "<what> done/total <unit>": shown when total is large (or an earlier
 * step was). Safe to call from several threads at once: a call that finds
 * another one printing skips its update. */
void progress_step(struct progress *p, const char *what, uint32_t done, uint32_t total,
		   const char *unit);
/* A scan_progress_fn (workspace_scan's callback), ctx being the progress. */
void progress_scanned(void *ctx, uint32_t done, uint32_t total);
/* Erases the line if it shows; the next step draws it again. */
void progress_clear(struct progress *p);
/* Erases the line and frees p. */
void progress_free(struct progress *p);

#endif
