/*
 * watch.h — the server's own file watcher (inotify), for clients that do
 * not send workspace/didChangeWatchedFiles (Neovim on Linux, Helix
 * without dynamic registration, scripts).
 *
 * It watches every folder below the roots that a walk would enter (no
 * hidden folders, no node_modules, no symbolic links) and reports changes
 * to the files in them (notes and attachments: links resolve to both) and
 * the disappearance of folders, from its own thread. A folder created or
 * moved in is watched and its files reported as changed. Which files
 * count (.gitignore, ignore globs) is for the receiver to decide
 * (walk_accepts_file).
 */
#ifndef VAULT_WATCH_H
#define VAULT_WATCH_H

#include "log.h"
#include "util.h"

enum watch_kind {
	WATCH_CHANGED,        /* created, written, or moved in */
	WATCH_DELETED,        /* deleted or moved out */
	WATCH_FOLDER_GONE,    /* a folder deleted or moved out: every note under it */
};

/* Called on the watcher's thread; abs is valid during the call only. */
typedef void (*watch_fn)(void *ctx, const char *abs, enum watch_kind kind);

struct watch;

/* Starts watching; NULL (logged) if inotify is not available. */
struct watch *watch_start(const char *const *roots, uint32_t n_roots, watch_fn fn, void *ctx,
			  struct log *log);
/* Stops the thread and frees everything; accepts NULL. */
void watch_stop(struct watch *w);

#endif
