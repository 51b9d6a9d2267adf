/* cache_sync.c — the index cache in a session (cache_sync.h): read on the
 * indexing thread, its diagnostics published first, written again a
 * slice at a time when idle. */
#include "cache_sync.h"
#include "identity.h"
#include "unlinked.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* After the vault or the settings last changed: a burst of changes (a
 * sync, a git checkout) makes one file, not one each. */
#define DEBOUNCE_MS 30000.0
/* A slice of writing: what a request arriving meanwhile may wait. */
#define SLICE_MS 2.0
/* At shutdown, a write that is due finishes only if about this small
 * (an editor gives its server a second or two to exit). */
#define SHUTDOWN_BYTES (64u << 20)

static double ms_between(const struct timespec *t0, const struct timespec *t1)
{
	return (double)(t1->tv_sec - t0->tv_sec) * 1e3 + (double)(t1->tv_nsec - t0->tv_nsec) / 1e6;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ms_between(t0, &t1);
}

/* This thread's CPU time since t0 (CLOCK_THREAD_CPUTIME_ID): on a busy
 * machine, what the wall time cannot tell. */
static double cpu_ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	return ms_between(t0, &t1);
}

static void set_due(struct cache_sync *c, double in_ms)
{
	clock_gettime(CLOCK_MONOTONIC, &c->due);
	long long ns = c->due.tv_nsec + (long long)(in_ms * 1e6);
	c->due.tv_sec += (time_t)(ns / 1000000000);
	c->due.tv_nsec = (long)(ns % 1000000000);
}

void cache_sync_warm_free(struct warm_start *w)
{
	if (!w)
		return;
	workspace_free(w->ws);
	index_cache_free(w->cache);
	free(w->ids);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

void cache_sync_open(struct server *s)
{
	struct cache_sync *c = &s->cache;
	if (c->cf || c->off)
		return;
	if (s->no_cache || !s->cfg.cache) {
		c->off = true;
		log_msg(s->log, LOG_INFO, "index cache: off (%s)",
			s->no_cache ? "--no-cache" : "cache: false");
		return;
	}
	const char *why;
	c->cf = cache_file_open((const char *const *)s->roots.items, s->roots.len, &why);
	if (!c->cf) {
		c->off = true;
		/* No folder at all is not worth a warning. */
		log_msg(s->log, s->roots.len ? LOG_WARN : LOG_INFO,
			"index cache: none (%s); every start reads the whole vault", why);
		return;
	}
	c->diags = diag_store_new(cache_file_dir(c->cf), s->log);
	s->diags.store = c->diags;
	log_msg(s->log, LOG_INFO, "index cache: %s", cache_file_path(c->cf));
}

bool cache_sync_exists(const struct server *s)
{
	return s->cache.cf && access(cache_file_path(s->cache.cf), F_OK) == 0;
}

void cache_sync_stop(struct server *s)
{
	struct cache_sync *c = &s->cache;
	if (c->diags && c->write)
		diag_store_abandon(c->diags);
	cache_file_write_end(c->write);
	c->write = NULL;
	c->dirty = false;
}

void cache_sync_fini(struct server *s)
{
	struct cache_sync *c = &s->cache;
	cache_sync_stop(s);
	s->diags.store = NULL;
	diag_store_free(c->diags);
	c->diags = NULL;
	cache_file_free(c->cf);
	c->cf = NULL;
}

/* ---- the warm start, on the indexing thread ------------------------- */

/* The vault walked on a thread of its own, while the cache is read. */
struct walker {
	struct server *s;
	struct ws_scan *scan;
	double ms, cpu_ms;
};

static void *walk_main(void *arg)
{
	struct walker *wk = arg;
	struct server *s = wk->s;
	struct timespec t0, c0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	wk->scan = ws_scan_walk((const char *const *)s->roots.items, s->roots.len, &s->ix.cfg,
				       &s->ix.stop, s->log);
	wk->ms = ms_since(&t0);
	wk->cpu_ms = cpu_ms_since(&c0);
	return NULL;
}

/*
 * The cache's segments are read on threads of their own and the vault is
 * walked on another, while this one installs the entries as they come in
 * order (the index is put together while the rest is read); once the
 * file is all read and checked, the walk's differences are read and
 * applied. If the file turns out bad half way, what was installed is
 * given up: the vault is read whole, as with no cache.
 */
struct warm_start *cache_sync_warm(struct server *s, scan_progress_fn progress, void *ctx,
				   struct ws_scan **scan)
{
	const char *const *roots = (const char *const *)s->roots.items;
	struct cache_sync *c = &s->cache;
	struct walker wk = { s, NULL, 0, 0 };
	if (!c->cf) {
		walk_main(&wk);
		*scan = wk.scan;
		return NULL;
	}
	struct timespec t0, c0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	int fd;
	const char *why;
	struct index_cache *cache = cache_file_read(c->cf, index_cache_config_hash(&s->ix.cfg),
						    s->threads, &fd, &why);
	pthread_t walking;
	bool threaded = cache && pthread_create(&walking, NULL, walk_main, &wk) == 0;
	if (!threaded)
		walk_main(&wk);
	if (!cache) {
		if (why)
			log_msg(s->log, LOG_WARN, "index cache: %s not used (%s): the vault is read whole",
				cache_file_path(c->cf), why);
		*scan = wk.scan;
		return NULL;
	}
	struct warm_start *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	w->ws = workspace_new(&s->ix.cfg, s->log);
	unlinked_threads(w->ws, s->threads);
	for (uint32_t r = 0; r < s->roots.len; r++)
		workspace_add_root(w->ws, roots[r]);
	w->ids = xmalloc((cache->n ? cache->n : 1) * sizeof(uint32_t));
	workspace_restore_begin(w->ws, cache->n);
	uint32_t have = 0;
	while (have < cache->n && !atomic_load(&s->ix.stop)) {
		uint32_t ready = index_cache_wait(cache, have);
		if (ready == UINT32_MAX)
			break;
		workspace_restore_add(w->ws, cache->entries, have, ready, w->ids);
		have = ready;
	}
	bool whole = index_cache_end(cache, &why) && have == cache->n;
	w->load_ms = ms_since(&t0);
	if (threaded)
		pthread_join(walking, NULL);
	*scan = wk.scan;
	if (!whole) {
		log_msg(s->log, LOG_WARN, "index cache: %s not used (%s): the vault is read whole",
			cache_file_path(c->cf), why ? why : "stopped");
		index_cache_free(cache);
		cache_sync_warm_free(w);
		return NULL;
	}
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ws_scan_parse(*scan, cache->entries, cache->n, s->threads, progress, ctx, &s->ix.stop,
			    s->log);
	double read_ms = ms_since(&t1);
	struct ws_restored done = workspace_restore_finish(w->ws, *scan, cache->entries, cache->n,
							   w->ids);
	*scan = NULL;
	w->cache = cache;
	w->changed = done.changed;
	w->added = done.added;
	w->gone = done.gone;
	w->names_changed = done.names_changed;
	w->install_ms = ms_since(&t1);
	struct timespec process;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &process);
	log_msg(s->log, LOG_DEBUG,
		"index cache: file read and installed in %.0f ms (this thread's CPU %.0f ms), vault "
		"walked in %.0f ms (%.0f ms CPU), changed notes read in %.0f ms, the rest installed "
		"in %.0f ms; the process's CPU since it started %.0f ms", w->load_ms,
		cpu_ms_since(&c0), wk.ms, wk.cpu_ms, read_ms, w->install_ms - read_ms,
		(double)process.tv_sec * 1e3 + (double)process.tv_nsec / 1e6);
	return w;
}

/* ---- once the index is in ------------------------------------------- */

void cache_sync_indexed(struct server *s)
{
	struct cache_sync *c = &s->cache;
	if (!c->cf)
		return;
	/* The models are what a restart needs most: written at once, the
	 * diagnostics again once the background pass has them. */
	c->dirty = true;
	set_due(c, 0);
	c->names_seen = workspace_names_generation(s->fx.ws);
}

void cache_sync_installed(struct server *s, struct warm_start *w)
{
	struct cache_sync *c = &s->cache;
	struct workspace *ws = s->fx.ws;
	struct index_cache *cache = w->cache;
	bool changed = w->changed || w->added || w->gone;
	/* Made under the settings of now: those the reading began with may
	 * have changed since (a client's answer to workspace/configuration
	 * comes while the cache is read). */
	bool same_config = cache->config == index_cache_config_hash(&s->cfg);
	/* Facts repeated across notes are found over the whole vault: with
	 * duplicates.crossNote, a change anywhere may change any note's. */
	bool use = c->diags && same_config && !(s->cfg.dup_cross_note && changed);
	uint32_t kept = 0;
	if (use) {
		diag_store_adopt(c->diags, w->fd, cache->diags, w->ids, cache->n);
		/* A name came, went or changed while the server was away: what
		 * the kept diagnostics say of names is published, then checked. */
		if (w->names_changed)
			diag_store_names_changed(c->diags);
		w->fd = -1;
		for (uint32_t i = 0; i < cache->n; i++) {
			if (w->ids[i] == UINT32_MAX || !cache->diags[i].present)
				continue;
			kept++;
			if (cache->diags[i].identity)
				identity_told_cached(ws, w->ids[i]);
		}
	}
	/* Who is who may have changed on disk: what was said of it is said
	 * again. Then what the changes affect is diagnosed, after the kept
	 * diagnostics of everything else are out. */
	identity_settle_cached(ws);
	diag_queue_affected(&s->diags, &s->fx);
	uint32_t recheck = 0;
	for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn || wn->attachment)
			continue;
		if (c->diags && diag_store_has(c->diags, id)) {
			diag_queue_cached(&s->diags, id);
			if (!diag_store_current(c->diags, id)) {
				diag_queue_recheck(&s->diags, id);
				recheck++;
			}
		} else {
			diag_queue_note(&s->diags, id);
		}
	}
	c->names_seen = workspace_names_generation(ws);
	diag_queue_open(&s->fx);
	log_msg(s->log, LOG_INFO,
		"index cache: %u notes read and installed in %.0f ms, then %.0f ms: %u changed, "
		"%u added, %u gone; %u diagnostics lists kept%s, %u to be checked",
		cache->n, w->load_ms, w->install_ms, w->changed, w->added, w->gone, kept,
		use ? "" : same_config ? " (none used: crossNote)" : " (none used: other settings)",
		recheck);
	/* What changed is in the index, not yet in the file. */
	if (changed || !use) {
		c->dirty = true;
		set_due(c, DEBOUNCE_MS);
	}
	cache_sync_warm_free(w);
}

void cache_sync_touch(struct server *s)
{
	struct cache_sync *c = &s->cache;
	if (!c->cf)
		return;
	c->dirty = true;
	set_due(c, DEBOUNCE_MS);
}

/* ---- writing ---------------------------------------------------------- */

static void end_write(struct cache_sync *c)
{
	if (c->diags)
		diag_store_abandon(c->diags);
	cache_file_write_end(c->write);
	c->write = NULL;
}

/* Notices what changed since it last looked: diagnostics kept (the
 * background pass), and that pass ending. */
static void look(struct server *s)
{
	struct cache_sync *c = &s->cache;
	/* A name came, went or changed: what the kept diagnostics say of
	 * names is no longer current (the file will say so). */
	uint64_t names = workspace_names_generation(s->fx.ws);
	if (names != c->names_seen) {
		c->names_seen = names;
		if (c->diags)
			diag_store_names_changed(c->diags);
		c->dirty = true;
		set_due(c, DEBOUNCE_MS);
	}
	/* Diagnostics kept since the last write wait in the server's own
	 * file. A few are not worth writing the whole cache again (a note
	 * left open at the last shutdown, diagnosed at the start: 1.1 GB at
	 * 100,000 notes); the next start diagnoses them again, in
	 * milliseconds. A share of the vault is (the background pass). */
	if (s->diags.stored != c->stored_seen) {
		c->stored_seen = s->diags.stored;
		if (s->diags.stored - c->stored_written > workspace_count(s->fx.ws) / 32)
			cache_sync_touch(s);
	}
	struct diag_queue *dq = &s->diags;
	if ((dq->kept_sent || dq->diagnosed || dq->rechecked) && !diag_queue_pending(dq, &s->fx)) {
		/* What it took to publish them: a warm start with nothing
		 * changed diagnoses nothing. */
		log_msg(s->log, LOG_INFO,
			"diagnostics: %u kept lists published, %u notes diagnosed, %u checked again",
			dq->kept_sent, dq->diagnosed, dq->rechecked);
		dq->kept_sent = dq->diagnosed = dq->rechecked = 0;
	}
	if (s->diags.drained) {
		s->diags.drained = false;
		if (c->dirty && !diag_queue_pending(&s->diags, &s->fx))
			set_due(c, 0);
	}
	/* cache: false set while running: nothing more is written. */
	if (!s->cfg.cache && c->cf) {
		end_write(c);
		c->dirty = false;
	}
}

bool cache_sync_due(struct server *s)
{
	struct cache_sync *c = &s->cache;
	if (!c->cf || !s->indexed || s->state != STATE_RUNNING)
		return false;
	look(s);
	return c->write || (c->dirty && s->cfg.cache && ms_since(&c->due) >= 0);
}

double cache_sync_wait_ms(const struct server *s)
{
	const struct cache_sync *c = &s->cache;
	if (!c->cf || !s->indexed || !s->cfg.cache || !(c->dirty || c->write))
		return -1;
	if (c->write)
		return 0;
	double left = -ms_since(&c->due);
	return left > 0 ? left : 0;
}

static void write_slice(struct server *s, double budget_ms)
{
	struct cache_sync *c = &s->cache;
	struct workspace *ws = s->fx.ws;
	if (c->write && workspace_generation(ws) != c->write_gen) {
		/* The index changed under it (an edit): later, whole. */
		end_write(c);
		c->dirty = true;
		set_due(c, DEBOUNCE_MS);
		return;
	}
	if (!c->write) {
		struct index_cache_diags hooks;
		if (c->diags)
			hooks = diag_store_writer(c->diags);
		c->write = cache_file_write_begin(c->cf, ws, index_cache_config_hash(&s->cfg),
						  c->diags ? &hooks : NULL, s->log);
		if (!c->write) {
			/* Logged; tried again on the next change. */
			c->dirty = false;
			return;
		}
		c->write_gen = workspace_generation(ws);
		c->stored_written = s->diags.stored;
		c->dirty = false;
	}
	int done = cache_file_write_step(c->write, ws, budget_ms);
	if (done < 0) {
		end_write(c);
		return;
	}
	if (done > 0) {
		c->size = cache_file_write_size(c->write);
		int fd = cache_file_write_take_fd(c->write);
		if (c->diags)
			diag_store_commit(c->diags, fd);
		else
			close(fd);
		log_msg(s->log, LOG_INFO, "index cache: wrote %u notes, %.1f MB", workspace_count(ws),
			(double)c->size / 1e6);
		cache_file_write_end(c->write);
		c->write = NULL;
	}
}

void cache_sync_step(struct server *s)
{
	write_slice(s, SLICE_MS);
}

void cache_sync_shutdown(struct server *s)
{
	struct cache_sync *c = &s->cache;
	if (!c->cf || !s->indexed || !s->cfg.cache)
		return;
	look(s);
	if (!c->write && !c->dirty)
		return;
	/* The first write's size is not known: the notes' text is most of it. */
	uint64_t size = c->size;
	if (!size)
		for (uint32_t id = 0; id < workspace_id_bound(s->fx.ws); id++)
			if (workspace_get(s->fx.ws, id))
				size += workspace_get(s->fx.ws, id)->note->len;
	if (size > SHUTDOWN_BYTES) {
		log_msg(s->log, LOG_INFO, "index cache: not written at shutdown (%.0f MB)",
			(double)size / 1e6);
		return;
	}
	while (c->write || c->dirty) {
		write_slice(s, 1e9);
		if (!c->write)
			break;
	}
}
