/* scan.c — reading and parsing a whole vault, on several threads, before
 * any of it enters the index: the walk, then the parsing, each file handed
 * over as it is done. Touches no workspace. */
#include "file.h"
#include "walk.h"
#include "workspace_impl.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- scanning ------------------------------------------------------- */

struct scan_job {
	struct ws_scan *scan;
	const struct ws_cached *cached;
	atomic_uint next, done;
	scan_progress_fn progress;
	void *ctx;
	const atomic_bool *stop;
	struct log *log;
	uint32_t step;
};

struct walk_ctx {
	struct ws_scan *scan;
	uint32_t root;
	const atomic_bool *stop;
	struct log *log;
};

static bool on_file(void *ctx, const struct walk_file *f)
{
	struct walk_ctx *w = ctx;
	/* rel is the tail of abs (root + '/' + rel): one copy, not two. */
	char *abs = xstrdup(f->abs);
	size_t a = strlen(abs), r = strlen(f->rel);
	assert(r <= a && strcmp(abs + a - r, f->rel) == 0);
	struct scanned s = { abs, abs + a - r, w->root, NULL, f->attachment, false, -1,
			     { f->size, f->mtime_ns, f->ctime_ns, f->ino, false } };
	array_push(&w->scan->files, s);
	return !(w->stop && atomic_load(w->stop));
}

static void on_walk_error(void *ctx, const char *abs, const char *what)
{
	struct walk_ctx *w = ctx;
	log_msg(w->log, LOG_WARN, "skipped %s: %s", abs, what);
}

/* What the cache says of a note's file: nothing to read, or its text to
 * hash only (the size alone agrees, or the file was racy). */
enum cached_state { CACHED_NONE, CACHED_SAME, CACHED_VERIFY };

static enum cached_state cached_state(const struct scan_job *job, const struct scanned *s)
{
	if (s->cached < 0 || !job->cached)
		return CACHED_NONE;
	const struct ws_cached *c = &job->cached[s->cached];
	/* (Its note may be in the index already: install_cached.) */
	if (c->attachment)
		return CACHED_NONE;
	/* A note that was open when the cache was written holds its buffer's
	 * text, most often the file's own: hashed to know. */
	if (c->disk.size == FILE_SIG_NONE)
		return CACHED_VERIFY;
	if (c->disk.size != s->disk.size)
		return CACHED_NONE;
	return file_sig_same(&c->disk, &s->disk) && !c->disk.racy ? CACHED_SAME : CACHED_VERIFY;
}

static void *scan_worker(void *arg)
{
	struct scan_job *job = arg;
	struct strbuf text = { 0 };
	for (;;) {
		if (job->stop && atomic_load(job->stop))
			break;
		uint32_t i = atomic_fetch_add(&job->next, 1);
		if (i >= job->scan->files.len)
			break;
		struct scanned *s = &job->scan->files.items[i];
		enum cached_state cs = s->attachment ? CACHED_NONE : cached_state(job, s);
		bool truncated = false;
		if (s->attachment || cs == CACHED_SAME) {
			/* Named, never read; or the cached note is this file's. */
			s->unchanged = cs == CACHED_SAME;
		} else if (!file_read(s->abs, MAX_NOTE_BYTES, &text, &truncated)) {
			/* Deleted since the walk, or unreadable: no note, as
			 * workspace_reload decides (an empty one would make links
			 * to it resolve). s->note stays NULL: not installed. */
			log_msg(job->log, LOG_WARN, "cannot read %s: %s", s->abs, strerror(errno));
		} else {
			if (truncated) {
				log_msg(job->log, LOG_WARN,
					"%s is larger than %u MiB: indexed by name only", s->abs,
					MAX_NOTE_BYTES >> 20);
				text.len = 0;
			}
			s->disk.racy = file_sig_racy(s->disk.ctime_ns, job->scan->read_ns);
			if (cs == CACHED_VERIFY &&
			    hash64(text.ptr ? text.ptr : "", text.len, 0) == job->cached[s->cached].hash)
				s->unchanged = true;
			else
				s->note = note_parse(text.ptr ? text.ptr : "", text.len);
		}
		/* Done with it: the owner may install it now. */
		atomic_store_explicit(&job->scan->ready[i], 1, memory_order_release);
		uint32_t done = atomic_fetch_add(&job->done, 1) + 1;
		if (job->progress && (done % job->step == 0 || done == job->scan->files.len))
			job->progress(job->ctx, done, job->scan->files.len);
	}
	strbuf_fini(&text);
	return NULL;
}

struct ws_scan *ws_scan_walk(const char *const *roots, uint32_t n_roots,
			     const struct config *cfg, const atomic_bool *stop, struct log *log)
{
	struct ws_scan *scan = xcalloc(1, sizeof(*scan));
	struct ignore *ig = ignore_new();
	for (uint32_t i = 0; i < cfg->ignore.len; i++)
		ignore_add(ig, cfg->ignore.items[i], strlen(cfg->ignore.items[i]));
	for (uint32_t r = 0; r < n_roots; r++) {
		struct walk_ctx w = { scan, r, stop, log };
		if (!walk_vault_files(roots[r], ig, on_file, on_walk_error, &w))
			log_msg(log, LOG_ERROR, "cannot open workspace folder %s", roots[r]);
	}
	ignore_free(ig);
	scan->ready = xmalloc(sizeof(*scan->ready) * (scan->files.len ? scan->files.len : 1));
	for (uint32_t i = 0; i < scan->files.len; i++)
		atomic_init(&scan->ready[i], 0);
	/* Built here, off the owner's thread, for a server that answers while
	 * the notes come in. */
	scan->names = name_map_new();
	struct strbuf tmp = { 0 };
	for (uint32_t i = 0; i < scan->files.len; i++) {
		const struct scanned *f = &scan->files.items[i];
		name_map_add(scan->names, name_maps_fold(ws_note_stem(f->rel, f->attachment), &tmp), i);
	}
	strbuf_fini(&tmp);
	return scan;
}

static void put_key(struct strbuf *key, uint32_t root, const char *rel)
{
	key->len = 0;
	strbuf_printf(key, "%u/%s", root, rel);
}

/* Each listed file's cached entry, by root and path. A cache written from
 * an index installed as a walk lists the files has them in the same order:
 * each is the next entry, and a map of them all is made only for the
 * files that are not (a note come or gone). */
static void match_cached(struct ws_scan *scan, const struct ws_cached *cached, uint32_t n)
{
	struct name_map *by_rel = NULL;
	struct strbuf key = { 0 };
	uint32_t next = 0;
	for (uint32_t i = 0; i < scan->files.len; i++) {
		struct scanned *s = &scan->files.items[i];
		int32_t found = -1;
		if (next < n && cached[next].root == s->root && strcmp(cached[next].rel, s->rel) == 0) {
			found = (int32_t)next;
		} else {
			if (!by_rel) {
				by_rel = name_map_new();
				name_map_reserve(by_rel, n);
				for (uint32_t k = 0; k < n; k++) {
					put_key(&key, cached[k].root, cached[k].rel);
					name_map_add(by_rel, (struct slice){ key.ptr, key.len }, k);
				}
			}
			put_key(&key, s->root, s->rel);
			uint32_t count;
			const uint32_t *ids = name_map_get(by_rel, (struct slice){ key.ptr, key.len }, &count);
			if (count)
				found = (int32_t)ids[0];
		}
		if (found < 0)
			continue;
		next = (uint32_t)found + 1;
		/* The same kind of entry only: a note is never an attachment's. */
		if (cached[found].attachment == s->attachment)
			s->cached = found;
	}
	strbuf_fini(&key);
	name_map_free(by_rel);
}

void ws_scan_parse(struct ws_scan *scan, const struct ws_cached *cached, uint32_t n_cached,
		   unsigned threads, scan_progress_fn progress, void *ctx,
		   const atomic_bool *stop, struct log *log)
{
	scan->read_ns = file_now_ns();
	if (cached && n_cached)
		match_cached(scan, cached, n_cached);
	struct scan_job job = { .scan = scan, .cached = n_cached ? cached : NULL,
				.progress = progress, .ctx = ctx, .stop = stop, .log = log };
	atomic_init(&job.next, 0);
	atomic_init(&job.done, 0);
	job.step = scan->files.len / 100 + 1;
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;
	pthread_t tids[64];
	unsigned started = 0;
	for (unsigned i = 1; i < threads; i++)
		if (pthread_create(&tids[started], NULL, scan_worker, &job) == 0)
			started++;
	scan_worker(&job); /* this thread works too */
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}

struct ws_scan *workspace_scan(const char *const *roots, uint32_t n_roots,
			       const struct config *cfg, unsigned threads,
			       scan_progress_fn progress, void *ctx,
			       const atomic_bool *stop, struct log *log)
{
	struct ws_scan *scan = ws_scan_walk(roots, n_roots, cfg, stop, log);
	ws_scan_parse(scan, NULL, 0, threads, progress, ctx, stop, log);
	return scan;
}

uint32_t ws_scan_count(const struct ws_scan *scan)
{
	return scan->files.len;
}

void ws_scan_free(struct ws_scan *scan)
{
	if (!scan)
		return;
	for (uint32_t i = 0; i < scan->files.len; i++) {
		free(scan->files.items[i].abs); /* and rel */
		note_free(scan->files.items[i].note);
	}
	array_free(&scan->files);
	free(scan->ready);
	name_map_free(scan->names);
	free(scan);
}

