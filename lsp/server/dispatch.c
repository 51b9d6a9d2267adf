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
	{ "textDocument/didOpen", NULL, text_sync_did_open, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didChange", NULL, text_sync_did_change, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didSave", NULL, text_sync_did_save, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didClose", NULL, text_sync_did_close, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/foldingRange", NULL, folding_range_request, NEEDS_INDEX },
	{ "textDocument/documentSymbol", NULL, document_symbol_request, NEEDS_INDEX },
	{ "textDocument/completion", NULL, completion_request, NEEDS_INDEX },
	{ "completionItem/resolve", NULL, completion_resolve, NEEDS_INDEX },
	{ "textDocument/hover", NULL, hover_request, NEEDS_INDEX },
	{ "textDocument/definition", NULL, definition_request, NEEDS_INDEX },
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

void dispatch_message(struct server *s, struct rpc_message *msg)
{
	const struct method *m = msg->kind != RPC_RESPONSE ? find_method(msg->method) : NULL;
	/* While the index is built, what needs it waits, and so does everything
	 * after it (shutdown included), so that the client sees its messages
	 * handled in the order it sent them. Responses and cancellations do
	 * not wait: the indexing progress itself depends on a response. */
	bool waits = msg->kind != RPC_RESPONSE &&
		     !(m && m->server == cancel_request) &&
		     ((m && (m->flags & NEEDS_INDEX)) || s->deferred.len);
	if (waits && s->state == STATE_RUNNING && !s->indexed) {
		array_push(&s->deferred, *msg);
		return;
	}
	handle(s, msg);
	rpc_message_fini(msg);
}

void dispatch_deferred(struct server *s)
{
	for (uint32_t i = 0; i < s->deferred.len && !s->exit_now; i++)
		handle(s, &s->deferred.items[i]);
	for (uint32_t i = 0; i < s->deferred.len; i++)
		rpc_message_fini(&s->deferred.items[i]);
	s->deferred.len = 0;
}
