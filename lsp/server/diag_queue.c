/* diag_queue.c — the idle-time publishing of diagnostics: dirty open
 * documents first, then closed notes within a time budget per step. */
#include "diag_queue.h"

#include <string.h>
#include <time.h>

enum note_flag { NOTE_QUEUED = 1, NOTE_PUBLISHED = 2 };

/* How long an idle step diagnoses closed notes before it looks for
 * messages again: what a request arriving meanwhile may wait. */
#define IDLE_BUDGET_MS 2.0

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

void diag_queue_fini(struct diag_queue *dq)
{
	array_free(&dq->ids);
	array_free(&dq->flags);
	array_free(&dq->cached);
	array_free(&dq->recheck);
}

static uint8_t *flag_of(struct diag_queue *dq, uint32_t id)
{
	while (dq->flags.len <= id)
		array_push(&dq->flags, 0);
	return &dq->flags.items[id];
}

static void enqueue(struct diag_queue *dq, uint32_t id)
{
	uint8_t *flag = flag_of(dq, id);
	/* What was kept of it no longer holds. */
	if (dq->store)
		diag_store_drop(dq->store, id);
	if (!(*flag & NOTE_QUEUED)) {
		*flag |= NOTE_QUEUED;
		array_push(&dq->ids, id);
	}
}

void diag_queue_note(struct diag_queue *dq, uint32_t id)
{
	enqueue(dq, id);
}

void diag_queue_cached(struct diag_queue *dq, uint32_t id)
{
	array_push(&dq->cached, id);
}

void diag_queue_recheck(struct diag_queue *dq, uint32_t id)
{
	array_push(&dq->recheck, id);
}

void diag_queue_open(struct feature_ctx *ctx)
{
	struct document *doc;
	for (uint32_t i = 0; (doc = documents_at(ctx->docs, i)); i++)
		doc->dirty = true;
}

void diag_queue_every_note(struct diag_queue *dq, struct feature_ctx *ctx)
{
	for (uint32_t id = 0; id < workspace_id_bound(ctx->ws); id++) {
		const struct ws_note *wn = workspace_get(ctx->ws, id);
		if (wn && !wn->attachment)
			enqueue(dq, id);
	}
	diag_queue_open(ctx);
}

void diag_queue_affected(struct diag_queue *dq, struct feature_ctx *ctx)
{
	if (!ctx->ws)
		return;
	struct id_list ids = { 0 };
	workspace_take_affected(ctx->ws, &ids);
	for (uint32_t i = 0; i < ids.len; i++) {
		const struct ws_note *wn = workspace_get(ctx->ws, ids.items[i]);
		struct document *doc = wn ? documents_find_path(ctx->docs, wn->abs) : NULL;
		if (doc) {
			doc->dirty = true;
			semantic_tokens_affected(ctx, doc);
		} else if (wn)
			enqueue(dq, ids.items[i]);
	}
	array_free(&ids);
}

bool diag_queue_pending(const struct diag_queue *dq, const struct feature_ctx *ctx)
{
	struct document *doc;
	for (uint32_t i = 0; (doc = documents_at(ctx->docs, i)); i++)
		if (doc->dirty)
			return true;
	return dq->head < dq->ids.len || dq->cached_head < dq->cached.len ||
	       dq->recheck_head < dq->recheck.len;
}

/* A closed note diagnosed and published, and kept. */
static bool publish_closed(struct diag_queue *dq, struct feature_ctx *ctx, uint32_t id,
			   bool even_if_empty)
{
	struct diag_list list = { 0 };
	diagnose_note(ctx->ws, id, &list);
	dq->diagnosed++;
	bool any = diagnostics_publish_list(ctx, id, &list, even_if_empty);
	if (dq->store) {
		diag_store_put(dq->store, ctx->ws, id, &list);
		dq->stored++;
	}
	diag_list_free(&list);
	return any;
}

/* The kept diagnostics of a closed note, as they were published; false
 * when there are none to publish (then it is diagnosed). */
static bool publish_kept(struct diag_queue *dq, struct feature_ctx *ctx, uint32_t id)
{
	struct diag_list list = { 0 };
	bool ok = dq->store && diag_store_has(dq->store, id) &&
		  diag_store_get(dq->store, ctx->ws, id, &list);
	if (ok && list.len) {
		diagnostics_publish_list(ctx, id, &list, false);
		*flag_of(dq, id) |= NOTE_PUBLISHED;
	}
	dq->kept_sent += ok;
	diag_list_free(&list);
	return ok;
}

void diag_queue_step(struct diag_queue *dq, struct feature_ctx *ctx)
{
	struct document *doc;
	bool any = false;
	for (uint32_t i = 0; (doc = documents_at(ctx->docs, i)); i++) {
		if (!doc->dirty)
			continue;
		doc->dirty = false;
		any = true;
		int32_t id = doc->path ? workspace_find(ctx->ws, doc->path) : -1;
		if (id >= 0 && diagnostics_publish(ctx, (uint32_t)id, true))
			*flag_of(dq, (uint32_t)id) |= NOTE_PUBLISHED;
	}
	if (any)
		return;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* What a warm start kept, before anything is diagnosed. */
	while (dq->cached_head < dq->cached.len && ms_since(&t0) < IDLE_BUDGET_MS) {
		uint32_t id = dq->cached.items[dq->cached_head++];
		const struct ws_note *wn = workspace_get(ctx->ws, id);
		if (!wn || documents_find_path(ctx->docs, wn->abs) || (*flag_of(dq, id) & NOTE_QUEUED))
			continue;
		if (!publish_kept(dq, ctx, id))
			enqueue(dq, id);
	}
	if (dq->cached_head < dq->cached.len)
		return;
	dq->cached_head = dq->cached.len = 0;
	/* Closed notes, oldest request first, for at most IDLE_BUDGET_MS. */
	bool had = dq->head < dq->ids.len;
	while (dq->head < dq->ids.len && ms_since(&t0) < IDLE_BUDGET_MS) {
		uint32_t id = dq->ids.items[dq->head++];
		uint8_t *flag = flag_of(dq, id);
		*flag &= (uint8_t)~NOTE_QUEUED;
		const struct ws_note *wn = workspace_get(ctx->ws, id);
		if (!wn || documents_find_path(ctx->docs, wn->abs))
			continue;
		if (publish_closed(dq, ctx, id, *flag & NOTE_PUBLISHED))
			*flag |= NOTE_PUBLISHED;
		else
			*flag &= (uint8_t)~NOTE_PUBLISHED;
	}
	/* Then, with nothing else due, the kept diagnostics that may have
	 * gone stale: published again only where they did. */
	bool checking = dq->head == dq->ids.len && dq->recheck_head < dq->recheck.len;
	while (dq->head == dq->ids.len && dq->recheck_head < dq->recheck.len &&
	       ms_since(&t0) < IDLE_BUDGET_MS) {
		uint32_t id = dq->recheck.items[dq->recheck_head++];
		const struct ws_note *wn = workspace_get(ctx->ws, id);
		if (!wn || documents_find_path(ctx->docs, wn->abs) || !dq->store ||
		    !diag_store_has(dq->store, id) || diag_store_current(dq->store, id))
			continue; /* open, diagnosed since, or gone */
		struct diag_list list = { 0 };
		diagnose_note(ctx->ws, id, &list);
		dq->rechecked++;
		if (!diag_store_same(dq->store, ctx->ws, id, &list)) {
			uint8_t *flag = flag_of(dq, id);
			if (diagnostics_publish_list(ctx, id, &list, *flag & NOTE_PUBLISHED))
				*flag |= NOTE_PUBLISHED;
			else
				*flag &= (uint8_t)~NOTE_PUBLISHED;
			diag_store_put(dq->store, ctx->ws, id, &list);
		}
		dq->stored++; /* current again either way: the file should say so */
		diag_list_free(&list);
	}
	if (dq->recheck_head == dq->recheck.len) {
		dq->drained = dq->drained || checking;
		dq->recheck_head = dq->recheck.len = 0;
	}
	if (dq->head == dq->ids.len) {
		dq->drained = dq->drained || had;
		dq->head = dq->ids.len = 0;
	} else if (dq->head > 4096 && dq->head > dq->ids.len / 2) {
		dq->ids.len -= dq->head;
		memmove(dq->ids.items, dq->ids.items + dq->head, dq->ids.len * sizeof(uint32_t));
		dq->head = 0;
	}
}
