/*
 * diag_queue.h — diagnostics published when there is nothing else to do:
 * open documents marked dirty first (as soon as the input is idle), then
 * closed notes, a few at a time, oldest request first, so that a request
 * arriving meanwhile waits at most a couple of milliseconds. This is what
 * fills the editor's problem list for the whole vault.
 */
#ifndef VAULT_DIAG_QUEUE_H
#define VAULT_DIAG_QUEUE_H

#include "diag_store.h"
#include "feature.h"

struct diag_queue {
	struct id_list ids;        /* closed notes to diagnose */
	uint32_t head;             /* ids[head..] are still to do */
	ARRAY(uint8_t) flags;      /* by note id: queued, published */
	/* With the index cache: each closed note's published diagnostics
	 * kept (dropped when it is queued again), and the notes whose kept
	 * ones a warm start publishes before diagnosing anything. */
	struct diag_store *store;
	struct id_list cached;
	uint32_t cached_head;
	/* Kept diagnostics to check when nothing else is due: made before a
	 * name changed, published all the same (diag_store_current). */
	struct id_list recheck;
	uint32_t recheck_head;
	uint32_t stored;           /* bumped by every record kept */
	/* What the publishing cost, for the log: kept lists published,
	 * notes diagnosed, kept lists checked by diagnosing again. */
	uint32_t kept_sent, diagnosed, rechecked;
	bool drained;              /* a run of closed notes just ended */
};

void diag_queue_fini(struct diag_queue *dq);

/* One closed note to diagnose again (its kept record dropped). */
void diag_queue_note(struct diag_queue *dq, uint32_t id);
/* One closed note whose kept diagnostics are published as they are,
 * before any is diagnosed; one without (or unreadable) is diagnosed. */
void diag_queue_cached(struct diag_queue *dq, uint32_t id);
/* One closed note diagnosed last of all, published only if that
 * differs from what it has (its kept diagnostics, not current). */
void diag_queue_recheck(struct diag_queue *dq, uint32_t id);

/* Every closed note queued (each publishes even an empty list if it had
 * published some), every open one marked dirty. */
void diag_queue_every_note(struct diag_queue *dq, struct feature_ctx *ctx);
/* Every open document marked dirty. */
void diag_queue_open(struct feature_ctx *ctx);
/* The notes the index says changed, or whose links now resolve
 * differently (workspace_take_affected): open ones marked dirty, closed
 * ones queued. */
void diag_queue_affected(struct diag_queue *dq, struct feature_ctx *ctx);

/* Is anything due? */
bool diag_queue_pending(const struct diag_queue *dq, const struct feature_ctx *ctx);
/* Publishes every dirty open document; if there was none, the kept
 * diagnostics due, else closed notes, else the notes to check, for a
 * couple of milliseconds. */
void diag_queue_step(struct diag_queue *dq, struct feature_ctx *ctx);

#endif
