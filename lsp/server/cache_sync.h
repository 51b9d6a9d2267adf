/*
 * cache_sync.h — the index cache in a session: read on the indexing
 * thread at the start (a warm start installs it and reads only what
 * changed), its kept diagnostics published before anything is diagnosed,
 * and the file written again, a slice at a time when the server is idle,
 * once the index is built, when the background diagnosis has gone
 * through the vault, and 30 s after the vault or the settings last
 * changed (edits to open buffers aside: their files are read again on the
 * next start anyway). Off with `cache: false` or --no-cache; any failure
 * (no folder, a file that cannot be written) is logged once and the
 * server goes on without it.
 */
#ifndef VAULT_CACHE_SYNC_H
#define VAULT_CACHE_SYNC_H

#include "session.h"

/* What the indexing thread made of a cache: a workspace to take as it
 * is, with the diagnostics the cache kept for it. */
struct warm_start {
	struct workspace *ws;
	struct index_cache *cache; /* its entries installed; their diagnostics' places */
	uint32_t *ids;             /* entry -> note id (UINT32_MAX: none, or read anew) */
	int fd;                    /* the cache file, open */
	uint32_t added, changed, gone;
	bool names_changed;        /* with them, a name came, went or changed */
	double load_ms, install_ms;
};
void cache_sync_warm_free(struct warm_start *w);

/* At initialize: whether there is a cache, and where. Then: is there a
 * file to try a warm start from? */
void cache_sync_open(struct server *s);
bool cache_sync_exists(const struct server *s);
/* Ends a write under way (its temporary file removed): at exit, when
 * the process may end without freeing the server. */
void cache_sync_stop(struct server *s);
/* Ends it all, once the indexing thread is joined. */
void cache_sync_fini(struct server *s);

/* On the indexing thread: the index from the cache and what changed on
 * disk since, or NULL (no cache, or none usable: *scan is then the
 * vault's listing, still to be read). */
struct warm_start *cache_sync_warm(struct server *s, scan_progress_fn progress, void *ctx,
				   struct ws_scan **scan);

/* On the main thread, once the index is in: a cold one (the cache is
 * written now), or a warm one (its diagnostics published first, only
 * what changed diagnosed). */
void cache_sync_indexed(struct server *s);
void cache_sync_installed(struct server *s, struct warm_start *w);

/* The vault or the settings changed: the cache follows, in 30 s. */
void cache_sync_touch(struct server *s);

/* Is a slice of writing due now? How long until one is (ms; negative:
 * none is)? */
bool cache_sync_due(struct server *s);
double cache_sync_wait_ms(const struct server *s);
/* One slice of writing (a couple of milliseconds). */
void cache_sync_step(struct server *s);
/* At shutdown: a write that is due finishes now if it is small. */
void cache_sync_shutdown(struct server *s);

#endif
