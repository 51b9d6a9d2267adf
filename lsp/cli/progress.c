/* progress.c — a progress line on a terminal: see progress.h. */
#include "progress.h"
#include "util.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct progress {
	FILE *tty;
	const char *cmd;
	atomic_flag busy;      /* one thread draws at a time; the others skip */
	bool large;            /* a step was large: later steps show too */
	size_t shown;          /* characters on the line now (0: nothing shown) */
	const char *phase;     /* the `what` last drawn (NULL: none yet) */
	struct timespec last;  /* when it was last drawn */
};

struct progress *progress_new(FILE *tty, const char *cmd)
{
	int fd = tty ? fileno(tty) : -1;
	if (fd < 0 || !isatty(fd))
		return NULL;
	struct progress *p = xcalloc(1, sizeof(*p));
	p->tty = tty;
	p->cmd = cmd;
	atomic_flag_clear(&p->busy);
	return p;
}

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Overwrites the line with text (or nothing), padding over what was longer. */
static void draw(struct progress *p, const char *text)
{
	size_t len = strlen(text);
	fputc('\r', p->tty);
	fputs(text, p->tty);
	for (size_t i = len; i < p->shown; i++)
		fputc(' ', p->tty);
	if (p->shown > len)
		fputc('\r', p->tty), fputs(text, p->tty);
	fflush(p->tty);
	p->shown = len;
}

void progress_step(struct progress *p, const char *what, uint32_t done, uint32_t total,
		   const char *unit)
{
	if (!p || atomic_flag_test_and_set(&p->busy))
		return;
	if (total >= PROGRESS_MIN)
		p->large = true;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* The first step of a phase, then ten a second. */
	bool due = p->phase != what || since(&p->last, &now) >= 0.1;
	if (p->large && due) {
		char line[160];
		snprintf(line, sizeof(line), "vault-lsp %s: %s %u/%u %s", p->cmd, what, done, total, unit);
		draw(p, line);
		p->phase = what;
		p->last = now;
	}
	atomic_flag_clear(&p->busy);
}

void progress_scanned(void *ctx, uint32_t done, uint32_t total)
{
	progress_step(ctx, "indexing", done, total, "files");
}

void progress_clear(struct progress *p)
{
	if (!p || !p->shown)
		return;
	draw(p, "");
}

void progress_free(struct progress *p)
{
	progress_clear(p);
	free(p);
}
