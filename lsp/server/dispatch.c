/* dispatch.c — the method table, and each message to its handler with
 * the protocol's rules. */
#include "dispatch.h"
#include "cache_sync.h"
#include "indexing.h"
#include "lifecycle.h"
#include "requests.h"
#include "settings.h"
#include "vault_sync.h"

#include <string.h>
#include <time.h>

typedef void (*server_fn)(struct server *s, const json_t *id, const json_t *params);

enum method_flags {
	NEEDS_INDEX = 1 << 0, /* waits until the vault is indexed */
	ANY_STATE = 1 << 1,   /* allowed before initialize / after shutdown */
	NOTIFICATION = 1 << 2,/* a notification method; the others are requests */
	/* Handled at once while the vault is indexed, even with messages
	 * waiting: the open buffers, and what can be answered from a partial
	 * index without saying anything a note still to come would change. */
	EARLY = 1 << 3,
};

/* A method is the server's own (server_fn: the session, settings, the
 * vault on disk) or a feature's (feature_fn, given only its context). */
struct method {
	const char *name;
	server_fn server;
	feature_fn feature;
	uint8_t flags;
};

static void cancel_request(struct server *s, const json_t *id, const json_t *params)
{
	/* The reader marked it if it was still queued; it may also be
	 * waiting for the index. */
	(void)id;
	for (uint32_t i = 0; i < s->deferred.len; i++)
		if (events_names_request(params, &s->deferred.items[i]))
			s->deferred.items[i].cancelled = true;
}

static void did_change_watched(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	if (vault_sync_watched(&s->fx, params))
		settings_reload(s);
	cache_sync_touch(s);
}

static void did_rename_files(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	vault_sync_renamed(&s->fx, params);
	cache_sync_touch(s);
}

static const struct method methods[] = {
	{ "initialize", lifecycle_initialize, NULL, ANY_STATE },
	{ "initialized", lifecycle_initialized, NULL, NOTIFICATION },
	{ "shutdown", lifecycle_shutdown, NULL, 0 },
	{ "exit", lifecycle_exit, NULL, ANY_STATE | NOTIFICATION },
	{ "$/cancelRequest", cancel_request, NULL, ANY_STATE | NOTIFICATION },
	{ "workspace/didChangeConfiguration", settings_did_change, NULL, NOTIFICATION },
	{ "workspace/didChangeWatchedFiles", did_change_watched, NULL, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didOpen", NULL, text_sync_did_open, EARLY | NOTIFICATION },
	{ "textDocument/didChange", NULL, text_sync_did_change, EARLY | NOTIFICATION },
	{ "textDocument/didSave", NULL, text_sync_did_save, EARLY | NOTIFICATION },
	{ "textDocument/didClose", NULL, text_sync_did_close, EARLY | NOTIFICATION },
	{ "textDocument/foldingRange", NULL, folding_range_request, EARLY },
	{ "textDocument/documentSymbol", NULL, document_symbol_request, EARLY },
	{ "textDocument/completion", NULL, completion_request, EARLY },
	{ "completionItem/resolve", NULL, completion_resolve, EARLY },
	{ "textDocument/hover", NULL, hover_request, EARLY },
	{ "textDocument/definition", NULL, definition_request, EARLY },
	{ "textDocument/documentLink", NULL, document_link_request, NEEDS_INDEX },
	{ "textDocument/codeAction", NULL, code_action_request, NEEDS_INDEX },
	{ "textDocument/references", NULL, references_request, NEEDS_INDEX },
	{ "textDocument/documentHighlight", NULL, document_highlight_request, NEEDS_INDEX },
	{ "textDocument/codeLens", NULL, code_lens_request, NEEDS_INDEX },
	{ "codeLens/resolve", NULL, code_lens_resolve, NEEDS_INDEX },
	{ "textDocument/prepareRename", NULL, rename_prepare_request, NEEDS_INDEX },
	{ "textDocument/rename", NULL, rename_request, NEEDS_INDEX },
	{ "workspace/willRenameFiles", NULL, rename_will_rename_files, NEEDS_INDEX },
	{ "workspace/didRenameFiles", did_rename_files, NULL, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/semanticTokens/full", NULL, semantic_tokens_full, NEEDS_INDEX },
	{ "textDocument/semanticTokens/full/delta", NULL, semantic_tokens_delta, NEEDS_INDEX },
	{ "textDocument/semanticTokens/range", NULL, semantic_tokens_range, NEEDS_INDEX },
	{ "workspace/symbol", NULL, workspace_symbol_request, NEEDS_INDEX },
	{ "codeAction/resolve", NULL, link_mentions_resolve, NEEDS_INDEX },
	{ "workspace/executeCommand", NULL, command_request, NEEDS_INDEX },
};

static const struct method *find_method(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

static void on_response(struct server *s, const struct rpc_message *msg)
{
	enum pending kind = requests_take(s, msg->id);
	if (!kind)
		return;
	if (msg->error) {
		log_msg(s->log, LOG_WARN, "the client refused request %lld",
			(long long)json_integer_value(msg->id));
		if (kind == PENDING_REGISTER_WATCH)
			lifecycle_watch(s);
		return;
	}
	if (kind == PENDING_PROGRESS_CREATE) {
		indexing_progress_begin(s);
	} else if (kind == PENDING_CONFIGURATION && json_is_array(msg->result)) {
		const json_t *first = json_array_get(msg->result, 0);
		if (json_is_object(first))
			settings_set(s, first);
	}
}

static double elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void call(struct server *s, const struct method *m, const json_t *id, const json_t *params)
{
	if (m->server)
		m->server(s, id, params);
	else
		m->feature(&s->fx, id, params);
}

static void handle(struct server *s, struct rpc_message *msg)
{
	if (msg->kind == RPC_RESPONSE) {
		on_response(s, msg);
		return;
	}
	bool request = msg->kind == RPC_REQUEST;
	const struct method *m = find_method(msg->method);

	if (request && msg->cancelled) {
		channel_reply_error(s->ch, msg->id, RPC_REQUEST_CANCELLED, "Request cancelled");
		return;
	}
	if (!(m && (m->flags & ANY_STATE))) {
		if (s->state == STATE_UNINITIALIZED) {
			if (request)
				channel_reply_error(s->ch, msg->id, RPC_SERVER_NOT_INITIALIZED,
						    "Server not initialized");
			return;
		}
		if (s->state == STATE_SHUT_DOWN) {
			if (request)
				channel_reply_error(s->ch, msg->id, RPC_INVALID_REQUEST,
						    "Server is shut down");
			return;
		}
	}
	if (!m) {
		/* Unknown notifications, "$/" ones included, are ignored. */
		if (request)
			channel_reply_error(s->ch, msg->id, RPC_METHOD_NOT_FOUND, "Method not found");
		return;
	}
	/* A request must be answered and a notification must not be: a
	 * message of the wrong kind for its method is refused, or dropped. */
	if (request && (m->flags & NOTIFICATION) && m->server != lifecycle_exit) {
		channel_reply_error(s->ch, msg->id, RPC_INVALID_REQUEST,
				    "Invalid Request: this method is a notification");
		return;
	}
	if (!request && !(m->flags & NOTIFICATION)) {
		log_msg(s->log, LOG_WARN, "%s sent as a notification: ignored", msg->method);
		return;
	}
	if (!log_enabled(s->log, LOG_DEBUG)) {
		call(s, m, request ? msg->id : NULL, msg->params);
		return;
	}
	/* Each handler's own time, without the queueing before it: what the
	 * benchmarks' client-side round trips cannot separate. */
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	call(s, m, request ? msg->id : NULL, msg->params);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	log_msg(s->log, LOG_DEBUG, "%s handled in %.3f ms (%.3f ms CPU)", msg->method,
		elapsed_ms(&t0, &t1), elapsed_ms(&c0, &c1));
}

/* The document a message names (params.textDocument.uri), or NULL. */
static const char *document_uri(const struct rpc_message *msg)
{
	const json_t *uri = json_object_get(json_object_get(msg->params, "textDocument"), "uri");
	return json_is_string(uri) ? json_string_value(uri) : NULL;
}

/*
 * A document changed (or opened or closed again) while requests about it
 * wait for the index: answered after it, they would read positions of
 * the text they were sent for in another text. The protocol's answer is
 * ContentModified, now; the client asks again if it still wants to.
 */
static void supersede(struct server *s, const struct rpc_message *msg)
{
	const char *uri = document_uri(msg);
	if (!uri || strcmp(msg->method, "textDocument/didSave") == 0)
		return;
	uint32_t k = 0;
	for (uint32_t i = 0; i < s->deferred.len; i++) {
		struct rpc_message *d = &s->deferred.items[i];
		const char *du = d->kind == RPC_REQUEST ? document_uri(d) : NULL;
		if (du && strcmp(du, uri) == 0) {
			channel_reply_error(s->ch, d->id, d->cancelled ? RPC_REQUEST_CANCELLED
								       : RPC_CONTENT_MODIFIED,
					    d->cancelled ? "Request cancelled"
							 : "the document changed while the vault was indexed");
			rpc_message_fini(d);
			continue;
		}
		s->deferred.items[k++] = *d;
	}
	s->deferred.len = k;
}

/* Is shutdown or exit among the messages that wait? Then nothing after
 * it is early: a request sent after exit is never answered, and one sent
 * after shutdown gets the error shutdown's state gives. */
static bool stop_waits(const struct server *s)
{
	for (uint32_t i = 0; i < s->deferred.len; i++) {
		const char *m = s->deferred.items[i].method;
		if (m && (strcmp(m, "shutdown") == 0 || strcmp(m, "exit") == 0))
			return true;
	}
	return false;
}

void dispatch_message(struct server *s, struct rpc_message *msg)
{
	const struct method *m = msg->kind != RPC_RESPONSE ? find_method(msg->method) : NULL;
	/* While the index is built, what needs all of it waits, and so does
	 * everything after it (shutdown included) but the EARLY methods, so
	 * that what waits is handled in the order it was sent. Responses and
	 * cancellations do not wait: the indexing progress itself depends on
	 * a response. */
	bool early = m && (m->flags & EARLY) && !s->index_first && !s->ix.warming && !stop_waits(s);
	bool needs = m && (m->flags & (NEEDS_INDEX | EARLY));
	bool waits = msg->kind != RPC_RESPONSE && !(m && m->server == cancel_request) && !early &&
		     (needs || s->deferred.len);
	bool indexing = s->state == STATE_RUNNING && !s->indexed;
	if (waits && indexing) {
		array_push(&s->deferred, *msg);
		return;
	}
	if (early && indexing && s->deferred.len && msg->kind == RPC_NOTIFICATION)
		supersede(s, msg);
	handle(s, msg);
	rpc_message_fini(msg);
}

void dispatch_early_deferred(struct server *s)
{
	uint32_t k = 0;
	while (k < s->deferred.len && !s->exit_now) {
		struct rpc_message *d = &s->deferred.items[k];
		const struct method *m = d->kind != RPC_RESPONSE ? find_method(d->method) : NULL;
		if (!m || !(m->flags & EARLY) || s->index_first)
			break;
		handle(s, d);
		rpc_message_fini(d);
		k++;
	}
	/* Nothing handled (often nothing ever deferred: items NULL, which
	 * memmove may not be given even for no bytes). */
	if (!k)
		return;
	memmove(s->deferred.items, s->deferred.items + k, (s->deferred.len - k) * sizeof(*s->deferred.items));
	s->deferred.len -= k;
}

void dispatch_deferred(struct server *s)
{
	for (uint32_t i = 0; i < s->deferred.len && !s->exit_now; i++)
		handle(s, &s->deferred.items[i]);
	for (uint32_t i = 0; i < s->deferred.len; i++)
		rpc_message_fini(&s->deferred.items[i]);
	s->deferred.len = 0;
}
