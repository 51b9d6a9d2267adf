/*
 * vault_sync.h — the index follows the vault on disk, within the walk's
 * rules: notes and attachments that come, change or go (seen by the
 * client's watcher or ours), and a whole new walk when the ignore rules
 * change. An open buffer stays the truth until it is closed. Notes that
 * leave have what the client shows of them cleared.
 */
#ifndef VAULT_VAULT_SYNC_H
#define VAULT_VAULT_SYNC_H

#include "events.h"
#include "feature.h"
#include "watch.h"

/* One path changed on disk. Returns true when it is the vault's own
 * settings file (.vault-lsp.yaml at a root): the caller reloads them. */
bool vault_sync_file(struct feature_ctx *ctx, const char *abs, enum watch_kind kind);
/* workspace/didChangeWatchedFiles' params; true as vault_sync_file. */
bool vault_sync_watched(struct feature_ctx *ctx, const json_t *params);
/* workspace/didRenameFiles' params: each old path (a file or a folder)
 * gone, each new one read (a folder: what the walk finds under it). */
void vault_sync_renamed(struct feature_ctx *ctx, const json_t *params);
/* Walks the vault again and makes the index hold exactly the notes the
 * walk finds now (after the ignore rules changed). */
void vault_sync_rescan(struct feature_ctx *ctx);

/* Our own watcher, for clients that do not watch files for us: its
 * changes arrive as EVENT_FILE on q. NULL when there is nothing to watch
 * or inotify is unavailable. */
struct watch *vault_sync_watch(const char *const *roots, uint32_t n, struct events *q,
			       struct log *log);

#endif
