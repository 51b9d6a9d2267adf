/*
 * session.h — the server's state for one session, shared by the files of lsp/server/
 * that need more than the feature context, and seen by nobody else:
 * server.c (the main loop), dispatch.c (the method table), lifecycle.c,
 * settings.c, indexing.c and requests.c.
 */
#ifndef VAULT_SESSION_H
#define VAULT_SESSION_H

#include "cache_file.h"
#include "diag_queue.h"
#include "events.h"
#include "feature.h"
#include "watch.h"

enum state { STATE_UNINITIALIZED, STATE_RUNNING, STATE_SHUT_DOWN };

/* Server-to-client requests we wait for. */
enum pending { PENDING_PROGRESS_CREATE = 1, PENDING_CONFIGURATION, PENDING_REGISTER_WATCH,
	       PENDING_TOKENS_REFRESH };

/* The index cache (cache_sync.c). */
struct cache_sync {
	bool off;                  /* cache: false, --no-cache, or no place for it */
	struct cache_file *cf;     /* NULL: no cache */
	struct diag_store *diags;  /* NULL: no diagnostics kept */
	struct cache_write *write; /* a write under way */
	uint64_t write_gen;        /* the workspace's generation it began at */
	bool dirty;                /* the file is behind the index */
	struct timespec due;       /* when to write it again (CLOCK_MONOTONIC) */
	uint32_t stored_seen;      /* diag_queue.stored when last looked at */
	uint32_t stored_written;   /* diag_queue.stored when the last write began */
	uint64_t names_seen;       /* workspace_names_generation when last looked at */
	uint64_t size;             /* of the last file read or written */
};

/* The indexing thread and its progress (indexing.c). */
struct indexing {
	bool running;              /* the thread is out */
	pthread_t thread;
	atomic_bool stop;
	atomic_bool progress_begun;
	pthread_mutex_t progress_lock;
	uint32_t progress_sent;
	/* The configuration the thread reads: a copy of the server's as it
	 * was when indexing started, since that may change meanwhile. */
	struct config cfg;
	struct timespec started;
	/* Main thread: the scan being parsed, once walked (EVENT_WALKED),
	 * whose notes enter the index as they are parsed. */
	struct ws_scan *scan;
	/* A cache is read (cache_sync_warm): requests wait for the index it
	 * makes, none is early. Set before the thread starts; cleared by the
	 * main thread when the vault is read whole after all (EVENT_WALKED). */
	bool warming;
};

struct server {
	struct transport *tr;
	struct channel *ch;
	struct log *log;
	unsigned threads;          /* indexing threads */
	bool index_first;          /* server_options.index_first */
	struct events events;      /* shared with the reader, indexing and watcher threads */

	/* Main thread only. */
	enum state state;
	bool exit_now;
	/* What every feature is handed: the workspace (NULL before
	 * initialize), the open documents, the encoding and capabilities. */
	struct feature_ctx fx;
	json_t *client_caps;
	bool caps_progress, caps_config_pull;
	json_t *init_options, *settings;
	struct str_list reported;  /* configuration problems already logged */
	struct config cfg;
	ARRAY(struct rpc_message) deferred; /* what waits for the index */
	json_int_t next_id;
	ARRAY(json_int_t) pending_ids;
	ARRAY(uint8_t) pending_kinds;
	struct diag_queue diags;
	/* File changes seen by our watcher while the index was being built. */
	ARRAY(struct event) file_events;
	struct watch *watch;
	struct indexing ix;
	struct cache_sync cache;
	bool no_cache;             /* --no-cache */
	bool indexed;
	bool rescan_after_index;
	struct str_list roots;     /* absolute paths, no trailing '/' */
};

#endif
