/* indexing.c — the vault read on a thread of its own, its progress, and
 * the index filled and completed on the main thread. */
#include "indexing.h"
#include "cache_sync.h"
#include "requests.h"
#include "settings.h"
#include "vault_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_TOKEN "vault-lsp/index"

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void progress(struct server *s, const char *kind, const char *message, int percent)
{
	json_t *value = json_pack("{s:s}", "kind", kind);
	if (strcmp(kind, "begin") == 0)
		json_object_set_new(value, "title", json_string("Indexing vault"));
	if (message)
		json_object_set_new(value, "message", json_string(message));
	if (percent >= 0)
		json_object_set_new(value, "percentage", json_integer(percent));
	channel_notify(s->ch, "$/progress", json_pack("{s:s, s:o}", "token", PROGRESS_TOKEN, "value", value));
}

/* From the scanning threads. */
static void on_scan_progress(void *arg, uint32_t done, uint32_t total)
{
	struct server *s = arg;
	struct indexing *ix = &s->ix;
	/* Every 1% or so: the main thread installs what is parsed. */
	events_push(&s->events, (struct event){ .type = EVENT_PARSED });
	if (!atomic_load(&ix->progress_begun))
		return;
	/* Workers report concurrently: only a count higher than any sent
	 * goes out, so the percentage never steps back. */
	pthread_mutex_lock(&ix->progress_lock);
	if (done > ix->progress_sent) {
		ix->progress_sent = done;
		char msg[64];
		snprintf(msg, sizeof(msg), "%u/%u notes", done, total);
		progress(s, "report", msg, total ? (int)((uint64_t)done * 100 / total) : 100);
	}
	pthread_mutex_unlock(&ix->progress_lock);
}

static void *index_main(void *arg)
{
	struct server *s = arg;
	struct ws_scan *scan = NULL;
	struct warm_start *warm = NULL;
	/* From the index cache when there is one that serves; else the
	 * vault read whole, its notes installed as they are parsed. Only
	 * when the main thread holds requests back for it (ix.warming, set
	 * before this thread started): an index from the cache replaces the
	 * partial one whole. */
	if (s->ix.warming)
		warm = cache_sync_warm(s, on_scan_progress, s, &scan);
	else
		scan = ws_scan_walk((const char *const *)s->roots.items, s->roots.len, &s->ix.cfg,
				    &s->ix.stop, s->log);
	if (!warm) {
		events_push(&s->events, (struct event){ .type = EVENT_WALKED, .scan = scan });
		ws_scan_parse(scan, NULL, 0, s->threads, on_scan_progress, s, &s->ix.stop, s->log);
	}
	events_push(&s->events, (struct event){ .type = EVENT_INDEXED, .scan = scan, .warm = warm,
						.warm_free = cache_sync_warm_free });
	return NULL;
}

void indexing_start(struct server *s)
{
	struct indexing *ix = &s->ix;
	clock_gettime(CLOCK_MONOTONIC, &ix->started);
	config_fini(&ix->cfg);
	config_copy(&ix->cfg, &s->cfg);
	cache_sync_open(s);
	/* Requests are answered meanwhile, from a partial index; but while
	 * a cache is read, which takes a second or so, they wait for the
	 * index it makes (cache_sync_warm). */
	workspace_expect_scan(s->fx.ws);
	ix->warming = cache_sync_exists(s);
	ix->running = true;
	if (pthread_create(&ix->thread, NULL, index_main, s) != 0) {
		log_msg(s->log, LOG_ERROR, "cannot start the indexing thread; indexing inline");
		ix->running = false;
		index_main(s);
	}
	/* The answer to initialize is out: the server may send requests. The
	 * token is asked for at once, so that even a quick index shows
	 * progress. */
	if (s->caps_progress)
		requests_send(s, "window/workDoneProgress/create",
			      json_pack("{s:s}", "token", PROGRESS_TOKEN), PENDING_PROGRESS_CREATE);
}

void indexing_progress_begin(struct server *s)
{
	if (!s->ix.running)
		return;
	/* "begin" goes out before the indexing thread may report. */
	progress(s, "begin", "listing notes", 0);
	atomic_store(&s->ix.progress_begun, true);
}

void indexing_parsed(struct server *s, struct ws_scan *walked)
{
	if (walked) {
		s->ix.scan = walked;
		/* No cache after all: what waited for one may be early now. */
		s->ix.warming = false;
	}
	if (s->ix.scan)
		workspace_install_parsed(s->fx.ws, s->ix.scan);
}

void indexing_finish(struct server *s, struct ws_scan *scan, struct warm_start *warm)
{
	struct indexing *ix = &s->ix;
	if (ix->running)
		pthread_join(ix->thread, NULL);
	ix->running = false;
	ix->scan = NULL;
	ix->warming = false;
	struct workspace *ws = s->fx.ws;
	if (warm) {
		/* Built on the indexing thread; nothing used the empty one (what
		 * needs the index waited for it). The settings may have changed
		 * since it started. */
		workspace_free(ws);
		ws = s->fx.ws = warm->ws;
		warm->ws = NULL;
		if (index_cache_config_hash(&s->cfg) != index_cache_config_hash(&ix->cfg))
			workspace_set_config(ws, &s->cfg);
	} else {
		workspace_install(ws, scan);
	}
	s->indexed = true;
	char msg[96];
	snprintf(msg, sizeof(msg), "%u notes and %u attachments in %.0f ms", workspace_count(ws),
		 workspace_attachment_count(ws), ms_since(&ix->started));
	log_msg(s->log, LOG_INFO, "indexed %s", msg);
	if (atomic_load(&ix->progress_begun))
		progress(s, "end", msg, -1);

	if (s->rescan_after_index) {
		s->rescan_after_index = false;
		vault_sync_rescan(&s->fx);
		cache_sync_touch(s);
	}
	if (warm) {
		/* What the cache kept is published; only what changed is
		 * diagnosed. */
		cache_sync_installed(s, warm);
	} else {
		/* Every note is diagnosed once, a few at a time when idle:
		 * that is what fills the editor's problem list for the whole
		 * vault. */
		diag_queue_every_note(&s->diags, &s->fx);
		cache_sync_indexed(s);
	}

	/* Changes on disk while the walk ran: the scan may or may not have
	 * read them, so apply them now. */
	for (uint32_t i = 0; i < s->file_events.len; i++) {
		struct event *ev = &s->file_events.items[i];
		if (vault_sync_file(&s->fx, ev->path, ev->kind))
			settings_reload(s);
		cache_sync_touch(s);
		free(ev->path);
	}
	s->file_events.len = 0;
}

void indexing_stop(struct indexing *ix)
{
	atomic_store(&ix->stop, true);
	if (ix->running) {
		pthread_join(ix->thread, NULL);
		ix->running = false;
	}
}

void indexing_fini(struct indexing *ix)
{
	indexing_stop(ix);
	config_fini(&ix->cfg);
	pthread_mutex_destroy(&ix->progress_lock);
}
