/*
 * indexing.h — the vault is read and parsed on a thread of its own once
 * initialize is answered, with $/progress when the client made our token;
 * its EVENT_INDEXED brings the scan back to the main thread, which
 * installs it and brings the index up to date with what happened
 * meanwhile.
 */
#ifndef VAULT_INDEXING_H
#define VAULT_INDEXING_H

#include "session.h"

void indexing_start(struct server *s);
/* The client made our progress token: "begin" goes out now. */
void indexing_progress_begin(struct server *s);
/* Installs the scan, or takes the index a warm start made (cache_sync.h):
 * the index is complete. */
struct warm_start;
void indexing_finish(struct server *s, struct ws_scan *scan, struct warm_start *warm);
/* Stops and joins the thread if it is out. */
void indexing_stop(struct indexing *ix);
void indexing_fini(struct indexing *ix);

#endif
