/* events.c — the main thread's queue, and the reader thread that fills it
 * with the client's messages. */
#include "events.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct reader {
	struct events *q;
	struct transport *tr;
	struct channel *ch;
	struct log *log;
};

void event_fini(struct event *ev)
{
	if (ev->type == EVENT_MESSAGE)
		rpc_message_fini(&ev->msg);
	else if (ev->type == EVENT_INDEXED) {
		ws_scan_free(ev->scan);
		if (ev->warm)
			ev->warm_free(ev->warm);
	}
	else if (ev->type == EVENT_FILE)
		free(ev->path);
}

void events_init(struct events *q, bool batch)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->ready, NULL);
	q->batch = batch;
	atomic_init(&q->reader_done, false);
}

void events_fini(struct events *q)
{
	if (q->reader_started)
		pthread_join(q->reader, NULL);
	/* No other thread is left: no lock needed from here on. */
	for (uint32_t i = q->head; i < q->queue.len; i++)
		event_fini(&q->queue.items[i]);
	array_free(&q->queue);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->ready);
}

void events_push(struct events *q, struct event ev)
{
	pthread_mutex_lock(&q->lock);
	array_push(&q->queue, ev);
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
}

bool events_pop(struct events *q, struct event *ev, double wait_ms)
{
	struct timespec until;
	if (wait_ms > 0) {
		clock_gettime(CLOCK_REALTIME, &until);
		long long ns = until.tv_nsec + (long long)(wait_ms * 1e6);
		until.tv_sec += (time_t)(ns / 1000000000);
		until.tv_nsec = (long)(ns % 1000000000);
	}
	pthread_mutex_lock(&q->lock);
	while (q->head == q->queue.len || (q->batch && !atomic_load(&q->reader_done))) {
		if (wait_ms == 0 ||
		    (wait_ms > 0 && pthread_cond_timedwait(&q->ready, &q->lock, &until) == ETIMEDOUT)) {
			pthread_mutex_unlock(&q->lock);
			return false;
		}
		if (wait_ms < 0)
			pthread_cond_wait(&q->ready, &q->lock);
	}
	*ev = q->queue.items[q->head++];
	if (q->head == q->queue.len)
		q->head = q->queue.len = 0;
	pthread_mutex_unlock(&q->lock);
	return true;
}

bool events_input_ended(struct events *q)
{
	return atomic_load(&q->reader_done);
}

static bool same_id(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	return json_is_string(a) && json_is_string(b) &&
	       strcmp(json_string_value(a), json_string_value(b)) == 0;
}

bool events_names_request(const json_t *cancel_params, const struct rpc_message *m)
{
	const json_t *id = json_object_get(cancel_params, "id");
	return m->kind == RPC_REQUEST && (json_is_integer(id) || json_is_string(id)) &&
	       same_id(m->id, id);
}

/* Run by the reader: a cancellation reaches a request still queued. */
static void mark_cancelled(struct events *q, const json_t *params)
{
	/* From the newest back: a client cancels what it sent last. */
	pthread_mutex_lock(&q->lock);
	for (uint32_t i = q->queue.len; i-- > q->head;) {
		struct event *ev = &q->queue.items[i];
		if (ev->type == EVENT_MESSAGE && events_names_request(params, &ev->msg)) {
			ev->msg.cancelled = true;
			break;
		}
	}
	pthread_mutex_unlock(&q->lock);
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct strbuf body = { 0 };
	for (;;) {
		const char *error;
		enum transport_status st = transport_read(r->tr, &body, &error);
		if (st == TRANSPORT_EOF) {
			if (error)
				log_msg(r->log, LOG_WARN, "%s", error);
			break;
		}
		if (st == TRANSPORT_ERROR) {
			log_msg(r->log, LOG_ERROR, "bad message frame: %s", error);
			continue;
		}
		if (log_enabled(r->log, LOG_TRACE))
			log_msg(r->log, LOG_TRACE, "-> %.*s", (int)(body.len > 2000 ? 2000 : body.len), body.ptr);
		struct event ev = { .type = EVENT_MESSAGE };
		int code;
		const char *why;
		json_t *id;
		if (!rpc_decode(body.ptr, body.len, &ev.msg, &code, &why, &id)) {
			log_msg(r->log, LOG_ERROR, "%s", why);
			channel_send(r->ch, rpc_error_new(id, code, why));
			continue;
		}
		if (ev.msg.kind == RPC_NOTIFICATION && strcmp(ev.msg.method, "$/cancelRequest") == 0)
			mark_cancelled(r->q, ev.msg.params);
		events_push(r->q, ev);
	}
	strbuf_fini(&body);
	/* Set before the END event is pushed, so that a batch-mode main
	 * thread woken by that push sees it. */
	struct events *q = r->q;
	free(r);
	atomic_store(&q->reader_done, true);
	events_push(q, (struct event){ .type = EVENT_END });
	return NULL;
}

bool events_start_reader(struct events *q, struct transport *tr, struct channel *ch,
			 struct log *log)
{
	struct reader *r = xmalloc(sizeof(*r));
	*r = (struct reader){ q, tr, ch, log };
	if (pthread_create(&q->reader, NULL, reader_main, r) != 0) {
		free(r);
		return false;
	}
	q->reader_started = true;
	return true;
}
