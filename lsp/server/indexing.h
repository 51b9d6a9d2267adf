/*
 * indexing.h — the vault is read and parsed on a thread of its own once
 * initialize is answered, with $/progress when the client made our token.
 * Once the walk has listed the files (EVENT_WALKED), the main thread adds
 * each note as it is parsed (EVENT_PARSED, every 1% or so), between
 * messages, so that requests are answered from a partial index; then
 * EVENT_INDEXED hands the scan back, and the main thread installs the
 * rest and brings the index up to date with what happened meanwhile.
 */
#ifndef VAULT_INDEXING_H
#define VAULT_INDEXING_H

#include "session.h"

void indexing_start(struct server *s);
/* The client made our progress token: "begin" goes out now. */
void indexing_progress_begin(struct server *s);
/* The scan walked (EVENT_WALKED; NULL for EVENT_PARSED): adds the notes
 * parsed so far. */
void indexing_parsed(struct server *s, struct ws_scan *walked);
/* Installs the scan, or takes the index a warm start made (cache_sync.h):
 * the index is complete. */
struct warm_start;
void indexing_finish(struct server *s, struct ws_scan *scan, struct warm_start *warm);
/* Stops and joins the thread if it is out. */
void indexing_stop(struct indexing *ix);
void indexing_fini(struct indexing *ix);

#endif
