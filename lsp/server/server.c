/* server.c — the server's life: made, run until exit, freed. The main
 * loop takes one event at a time and, when there is none, publishes the
 * diagnostics that are due. */
#include "server.h"
#include "session.h"
#include "cache_sync.h"
#include "dispatch.h"
#include "indexing.h"
#include "requests.h"
#include "settings.h"
#include "vault_sync.h"

#include <stdlib.h>
#include <unistd.h>

struct server *server_new(FILE *in, FILE *out, struct log *log,
			  const struct server_options *opts)
{
	struct server *s = xcalloc(1, sizeof(*s));
	s->tr = transport_new(in, out);
	s->ch = channel_new(s->tr, log);
	s->log = log;
	struct server_options o = opts ? *opts : (struct server_options){ 0 };
	s->threads = o.threads;
	s->index_first = o.index_first;
	s->no_cache = o.no_cache;
	if (!s->threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		s->threads = n > 0 ? (unsigned)n : 1;
	}
	events_init(&s->events, o.batch);
	config_init(&s->cfg);
	config_init(&s->ix.cfg);
	pthread_mutex_init(&s->ix.progress_lock, NULL);
	atomic_init(&s->ix.stop, false);
	atomic_init(&s->ix.progress_begun, false);
	s->client_caps = json_object();
	s->fx = (struct feature_ctx){ .docs = documents_new(), .enc = POS_UTF16, .ch = s->ch,
				      .caps = s->client_caps, .log = log, .rank = o.rank };
	return s;
}

bool server_input_ended(struct server *s)
{
	return events_input_ended(&s->events);
}

void server_free(struct server *s)
{
	if (!s)
		return;
	atomic_store(&s->ix.stop, true);
	watch_stop(s->watch);
	indexing_stop(&s->ix);
	events_fini(&s->events);
	cache_sync_fini(s);
	for (uint32_t i = 0; i < s->file_events.len; i++)
		free(s->file_events.items[i].path);
	array_free(&s->file_events);
	for (uint32_t i = 0; i < s->deferred.len; i++)
		rpc_message_fini(&s->deferred.items[i]);
	array_free(&s->deferred);
	workspace_free(s->fx.ws);
	documents_free(s->fx.docs);
	semantic_tokens_free(&s->fx);
	config_fini(&s->cfg);
	indexing_fini(&s->ix);
	json_decref(s->client_caps);
	json_decref(s->init_options);
	json_decref(s->settings);
	str_list_free(&s->reported);
	array_free(&s->pending_ids);
	array_free(&s->pending_kinds);
	diag_queue_fini(&s->diags);
	str_list_free(&s->roots);
	channel_free(s->ch);
	transport_free(s->tr);
	free(s);
}

static bool idle_pending(const struct server *s)
{
	return s->indexed && s->state == STATE_RUNNING && diag_queue_pending(&s->diags, &s->fx);
}

static void on_indexed(struct server *s, struct event *ev)
{
	indexing_finish(s, ev->scan, ev->warm);
	dispatch_deferred(s);
	diag_queue_open(&s->fx);
}

static void on_file(struct server *s, struct event *ev)
{
	/* Applied once the index is built (the scan may or may not have
	 * seen the change). */
	if (!s->indexed) {
		array_push(&s->file_events, *ev);
		return;
	}
	if (vault_sync_file(&s->fx, ev->path, ev->kind))
		settings_reload(s);
	cache_sync_touch(s);
	free(ev->path);
}

/* When idle: the diagnostics due first, then a slice of the cache. */
static void idle_step(struct server *s)
{
	bool diags = idle_pending(s);
	if (diags) {
		diag_queue_step(&s->diags, &s->fx);
		/* Diagnosing may itself affect notes (the people index
		 * rebuilt tells those it told before): queued now, not when
		 * the next message comes. */
		diag_queue_affected(&s->diags, &s->fx);
	}
	/* The first file goes out alongside the background diagnosis (the
	 * models are what a restart needs), one slice each in turn. */
	if (cache_sync_due(s))
		cache_sync_step(s);
}

int server_run(struct server *s)
{
	if (!events_start_reader(&s->events, s->tr, s->ch, s->log)) {
		log_msg(s->log, LOG_ERROR, "cannot start the reader thread");
		return 1;
	}
	bool input_ended = false;
	while (!s->exit_now) {
		struct event ev;
		double wait = idle_pending(s) || cache_sync_due(s) ? 0 : cache_sync_wait_ms(s);
		if (!events_pop(&s->events, &ev, wait)) {
			idle_step(s);
			continue;
		}
		if (ev.type == EVENT_END) {
			log_msg(s->log, s->state == STATE_SHUT_DOWN ? LOG_INFO : LOG_WARN,
				"input closed%s", s->state == STATE_SHUT_DOWN ? "" : " before shutdown");
			input_ended = true;
			/* Finish what was asked before the input ended. */
			if (s->ix.running && s->deferred.len)
				continue;
			break;
		}
		if (ev.type == EVENT_INDEXED) {
			on_indexed(s, &ev);
			if (input_ended)
				break;
		} else if (ev.type == EVENT_WALKED || ev.type == EVENT_PARSED) {
			indexing_parsed(s, ev.scan);
			if (ev.type == EVENT_WALKED)
				dispatch_early_deferred(s);
		} else if (ev.type == EVENT_FILE) {
			on_file(s, &ev);
		} else {
			dispatch_message(s, &ev.msg);
		}
		diag_queue_affected(&s->diags, &s->fx);
		if (semantic_tokens_stale(&s->fx))
			requests_send(s, "workspace/semanticTokens/refresh", NULL,
				      PENDING_TOKENS_REFRESH);
	}
	return s->state == STATE_SHUT_DOWN ? 0 : 1;
}
