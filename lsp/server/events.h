/*
 * events.h — what the server's main thread handles, in arrival order:
 * client messages (decoded on a reader thread of their own, so that a
 * $/cancelRequest is seen while the main thread is busy), the end of
 * input, the vault walked, notes parsed, the index being ready, and files
 * changing on disk.
 */
#ifndef VAULT_EVENTS_H
#define VAULT_EVENTS_H

#include "channel.h"
#include "rpc.h"
#include "watch.h"
#include "workspace.h"

#include <pthread.h>
#include <stdatomic.h>

enum event_type { EVENT_MESSAGE, EVENT_END, EVENT_WALKED, EVENT_PARSED, EVENT_INDEXED,
		  EVENT_FILE };

struct warm_start;

struct event {
	enum event_type type;
	struct rpc_message msg; /* EVENT_MESSAGE */
	/* EVENT_INDEXED: the scan, handed over, or an index from the cache
	 * (cache_sync.h); EVENT_WALKED: the scan, lent while it is parsed
	 * (EVENT_PARSED: more of it is). */
	struct ws_scan *scan;
	struct warm_start *warm;
	void (*warm_free)(struct warm_start *w);
	char *path;             /* EVENT_FILE: from our own watcher */
	enum watch_kind kind;
};
void event_fini(struct event *ev);

struct events {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	ARRAY(struct event) queue;
	uint32_t head;
	/* Handle nothing until the input has ended (server_options.batch). */
	bool batch;
	pthread_t reader;
	bool reader_started;
	atomic_bool reader_done;
};

void events_init(struct events *q, bool batch);
/* Joins the reader (so only once the input has ended, or is finite) and
 * frees what is still queued. */
void events_fini(struct events *q);

/* Starts the reader thread on tr; malformed messages are answered on ch
 * and logged. False if the thread cannot start. */
bool events_start_reader(struct events *q, struct transport *tr, struct channel *ch,
			 struct log *log);
bool events_input_ended(struct events *q);

/* From any thread. */
void events_push(struct events *q, struct event ev);
/* Takes the next event; waits for one for up to wait_ms (negative: for
 * as long as it takes). */
bool events_pop(struct events *q, struct event *ev, double wait_ms);

/* Does this $/cancelRequest's params name this request? */
bool events_names_request(const json_t *cancel_params, const struct rpc_message *m);

#endif
