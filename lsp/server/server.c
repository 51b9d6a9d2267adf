/* server.c — lifecycle, the message loop and the method table. */
#include "server.h"
#include "handlers.h"
#include "rpc.h"
#include "transport.h"
#include "walk.h"
#include "watch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum state { STATE_UNINITIALIZED, STATE_RUNNING, STATE_SHUT_DOWN };

enum event_type { EVENT_MESSAGE, EVENT_END, EVENT_INDEXED, EVENT_FILE };

struct event {
	enum event_type type;
	struct rpc_message msg; /* EVENT_MESSAGE */
	struct ws_scan *scan;   /* EVENT_INDEXED */
	char *path;             /* EVENT_FILE: from our own watcher */
	enum watch_kind kind;
};

/* Server-to-client requests we wait for. */
enum pending { PENDING_PROGRESS_CREATE = 1, PENDING_CONFIGURATION, PENDING_REGISTER_WATCH };

enum note_flag { NOTE_QUEUED = 1, NOTE_PUBLISHED = 2 };

/* How long an idle step diagnoses closed notes before it looks for
 * messages again: what a request arriving meanwhile may wait. */
#define IDLE_BUDGET_MS 2.0

#define PROGRESS_TOKEN "vault-lsp/index"

struct server {
	struct transport *tr;
	struct log *log;
	struct server_options opts;

	/* Shared with the reader and indexing threads, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	ARRAY(struct event) queue;
	uint32_t queue_head;

	/* Main thread only. */
	enum state state;
	bool exit_now;
	enum pos_encoding enc;
	json_t *client_caps;
	bool caps_progress, caps_config_pull;
	json_t *init_options, *settings;
	struct str_list reported; /* configuration problems already logged */
	struct config cfg;
	struct workspace *ws;
	struct documents *docs;
	ARRAY(struct rpc_message) deferred;
	json_int_t next_id;
	ARRAY(json_int_t) pending_ids;
	ARRAY(uint8_t) pending_kinds;

	/* Diagnostics to publish when there is nothing else to do: open
	 * documents marked dirty first, then closed notes in this queue. */
	struct id_list idle_queue;
	uint32_t idle_head;        /* idle_queue[idle_head..] are still to do */
	ARRAY(uint8_t) note_flags; /* by note id: NOTE_QUEUED, NOTE_PUBLISHED */

	/* File changes seen by our watcher while the index was being built. */
	ARRAY(struct event) file_events;
	struct watch *watch;

	bool indexing, indexed;
	bool rescan_after_index;
	pthread_t index_thread, reader_thread;
	bool reader_started;
	atomic_bool reader_done;
	atomic_bool stop_indexing;
	atomic_bool progress_begun;
	pthread_mutex_t progress_lock;
	uint32_t progress_sent;
	/* The configuration the indexing thread reads: a copy of cfg as it
	 * was when indexing started, since cfg may change meanwhile. */
	struct config scan_cfg;
	struct timespec index_started;
	char **root_list;
	uint32_t n_roots;
};

/* ---- output ---------------------------------------------------------- */

static void send(struct server *s, json_t *msg)
{
	size_t len;
	char *body = rpc_dump(msg, &len);
	if (log_enabled(s->log, LOG_TRACE))
		log_msg(s->log, LOG_TRACE, "<- %.*s", (int)(len > 2000 ? 2000 : len), body);
	if (!transport_write(s->tr, body, len))
		log_msg(s->log, LOG_ERROR, "cannot write to the client");
	free(body);
	json_decref(msg);
}

void server_reply(struct server *s, const json_t *id, json_t *result)
{
	send(s, rpc_response_new(json_deep_copy(id), result));
}

void server_reply_error(struct server *s, const json_t *id, int code, const char *message)
{
	send(s, rpc_error_new(id ? json_deep_copy(id) : json_null(), code, message));
}

void server_notify(struct server *s, const char *method, json_t *params)
{
	send(s, rpc_notification_new(method, params));
}

static void send_request(struct server *s, const char *method, json_t *params, enum pending kind)
{
	json_int_t id = ++s->next_id;
	array_push(&s->pending_ids, id);
	array_push(&s->pending_kinds, (uint8_t)kind);
	send(s, rpc_request_new(json_integer(id), method, params));
}

struct workspace *server_workspace(struct server *s) { return s->ws; }
struct documents *server_documents(struct server *s) { return s->docs; }
enum pos_encoding server_encoding(const struct server *s) { return s->enc; }
struct log *server_log(struct server *s) { return s->log; }
const json_t *server_client_caps(const struct server *s) { return s->client_caps; }

/* ---- the queue ------------------------------------------------------- */

static void push_event(struct server *s, struct event ev)
{
	pthread_mutex_lock(&s->lock);
	array_push(&s->queue, ev);
	pthread_cond_signal(&s->ready);
	pthread_mutex_unlock(&s->lock);
}

/* Takes the next event; waits for one only when block is true. */
static bool pop_event(struct server *s, struct event *ev, bool block)
{
	pthread_mutex_lock(&s->lock);
	while (s->queue_head == s->queue.len ||
	       (s->opts.batch && !atomic_load(&s->reader_done))) {
		if (!block) {
			pthread_mutex_unlock(&s->lock);
			return false;
		}
		pthread_cond_wait(&s->ready, &s->lock);
	}
	*ev = s->queue.items[s->queue_head++];
	if (s->queue_head == s->queue.len)
		s->queue_head = s->queue.len = 0;
	pthread_mutex_unlock(&s->lock);
	return true;
}

static bool same_id(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	return json_is_string(a) && json_is_string(b) &&
	       strcmp(json_string_value(a), json_string_value(b)) == 0;
}

/* Does this $/cancelRequest name this waiting request? */
static bool names_request(const json_t *cancel_params, const struct rpc_message *m)
{
	const json_t *id = json_object_get(cancel_params, "id");
	return m->kind == RPC_REQUEST && (json_is_integer(id) || json_is_string(id)) &&
	       same_id(m->id, id);
}

/* Run by the reader: a cancellation reaches a request still queued. */
static void note_cancel(struct server *s, const json_t *params)
{
	/* From the newest back: a client cancels what it sent last. */
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = s->queue.len; i-- > s->queue_head;) {
		struct event *ev = &s->queue.items[i];
		if (ev->type == EVENT_MESSAGE && names_request(params, &ev->msg)) {
			ev->msg.cancelled = true;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* The reader thread: framing and JSON decoding happen here, so that a
 * $/cancelRequest is seen while the main thread is busy. */
static void *reader_main(void *arg)
{
	struct server *s = arg;
	struct strbuf body = { 0 };
	for (;;) {
		const char *error;
		enum transport_status st = transport_read(s->tr, &body, &error);
		if (st == TRANSPORT_EOF) {
			if (error)
				log_msg(s->log, LOG_WARN, "%s", error);
			break;
		}
		if (st == TRANSPORT_ERROR) {
			log_msg(s->log, LOG_ERROR, "bad message frame: %s", error);
			continue;
		}
		if (log_enabled(s->log, LOG_TRACE))
			log_msg(s->log, LOG_TRACE, "-> %.*s", (int)(body.len > 2000 ? 2000 : body.len), body.ptr);
		struct event ev = { .type = EVENT_MESSAGE };
		int code;
		const char *why;
		json_t *id;
		if (!rpc_decode(body.ptr, body.len, &ev.msg, &code, &why, &id)) {
			log_msg(s->log, LOG_ERROR, "%s", why);
			send(s, rpc_error_new(id, code, why));
			continue;
		}
		if (ev.msg.kind == RPC_NOTIFICATION && strcmp(ev.msg.method, "$/cancelRequest") == 0)
			note_cancel(s, ev.msg.params);
		push_event(s, ev);
	}
	strbuf_fini(&body);
	/* Set before the END event is pushed, so that a batch-mode main
	 * thread woken by that push sees it. */
	atomic_store(&s->reader_done, true);
	push_event(s, (struct event){ .type = EVENT_END });
	return NULL;
}

/* ---- configuration --------------------------------------------------- */

static void report_problems(struct server *s, struct strbuf *problems, const char *where)
{
	char *line = problems->ptr;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		struct strbuf msg = { 0 };
		strbuf_printf(&msg, "%s: %.*s", where, (int)n, line);
		bool seen = false;
		for (uint32_t i = 0; i < s->reported.len && !seen; i++)
			seen = strcmp(s->reported.items[i], msg.ptr) == 0;
		if (!seen) {
			log_msg(s->log, LOG_WARN, "configuration %s", msg.ptr);
			array_push(&s->reported, strbuf_detach(&msg));
		}
		strbuf_fini(&msg);
		line = nl ? nl + 1 : NULL;
	}
	problems->len = 0;
	if (problems->ptr)
		problems->ptr[0] = '\0';
}

static void queue_every_note(struct server *s);

/* Rebuilds the configuration from its three sources, later wins. */
static void reconfigure(struct server *s)
{
	struct strbuf problems = { 0 };
	struct config old;
	config_copy(&old, &s->cfg);
	config_fini(&s->cfg);
	config_init(&s->cfg);
	if (s->n_roots) {
		struct strbuf path = { 0 };
		strbuf_printf(&path, "%s/.vault-lsp.yaml", s->root_list[0]);
		config_load_file(&s->cfg, path.ptr, &problems);
		report_problems(s, &problems, ".vault-lsp.yaml");
		strbuf_fini(&path);
	}
	config_apply_json(&s->cfg, s->init_options, &problems);
	report_problems(s, &problems, "initializationOptions");
	config_apply_json(&s->cfg, s->settings, &problems);
	report_problems(s, &problems, "settings");
	strbuf_fini(&problems);
	if (s->cfg.log_level_set)
		log_set_level(s->log, s->cfg.log_level);
	if (s->ws)
		workspace_set_config(s->ws, &s->cfg);
	/* What is reported changed: every note is diagnosed again, so that a
	 * note which had diagnostics and now has none is cleared in the
	 * client, and one which had none gets its new ones. (Before the index
	 * is built there is nothing to redo: every note will be diagnosed.) */
	if (s->ws && s->indexed && !config_same_diagnostics(&old, &s->cfg))
		queue_every_note(s);
	/* Other ignore rules make other files notes. Before the index is
	 * built, the scan reads the rules it started with: rescan after. */
	if (s->ws && !str_list_eq(&old.ignore, &s->cfg.ignore)) {
		if (s->indexed)
			sync_rescan(s);
		else
			s->rescan_after_index = true;
	}
	config_fini(&old);
}

void server_reload_config(struct server *s)
{
	reconfigure(s);
	server_publish_open(s);
}

static void set_settings(struct server *s, const json_t *settings)
{
	json_decref(s->settings);
	s->settings = settings ? json_deep_copy(settings) : NULL;
	reconfigure(s);
	if (s->indexed)
		server_publish_open(s);
}

/* ---- indexing -------------------------------------------------------- */

static double elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return elapsed_ms(t0, &t1);
}

static void progress(struct server *s, const char *kind, const char *message, int percent)
{
	json_t *value = json_pack("{s:s}", "kind", kind);
	if (strcmp(kind, "begin") == 0)
		json_object_set_new(value, "title", json_string("Indexing vault"));
	if (message)
		json_object_set_new(value, "message", json_string(message));
	if (percent >= 0)
		json_object_set_new(value, "percentage", json_integer(percent));
	server_notify(s, "$/progress", json_pack("{s:s, s:o}", "token", PROGRESS_TOKEN, "value", value));
}

static void on_scan_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct server *s = ctx;
	if (!atomic_load(&s->progress_begun))
		return;
	/* Workers report concurrently: only a count higher than any sent
	 * goes out, so the percentage never steps back. */
	pthread_mutex_lock(&s->progress_lock);
	if (done > s->progress_sent) {
		s->progress_sent = done;
		char msg[64];
		snprintf(msg, sizeof(msg), "%u/%u notes", done, total);
		progress(s, "report", msg, total ? (int)((uint64_t)done * 100 / total) : 100);
	}
	pthread_mutex_unlock(&s->progress_lock);
}

static void *index_main(void *arg)
{
	struct server *s = arg;
	struct ws_scan *scan = workspace_scan((const char *const *)s->root_list, s->n_roots,
					      &s->scan_cfg, s->opts.threads, on_scan_progress, s,
					      &s->stop_indexing, s->log);
	push_event(s, (struct event){ .type = EVENT_INDEXED, .scan = scan });
	return NULL;
}

static void start_indexing(struct server *s)
{
	clock_gettime(CLOCK_MONOTONIC, &s->index_started);
	config_fini(&s->scan_cfg);
	config_copy(&s->scan_cfg, &s->cfg);
	s->indexing = true;
	if (pthread_create(&s->index_thread, NULL, index_main, s) != 0) {
		log_msg(s->log, LOG_ERROR, "cannot start the indexing thread; indexing inline");
		s->indexing = false;
		index_main(s);
	}
}

static void dispatch(struct server *s, struct rpc_message *msg);

static uint8_t *note_flag(struct server *s, uint32_t id)
{
	while (s->note_flags.len <= id)
		array_push(&s->note_flags, 0);
	return &s->note_flags.items[id];
}

/* Every closed note to the idle queue (each publishes even an empty list
 * if it had published some: NOTE_PUBLISHED), every open one marked dirty. */
static void queue_every_note(struct server *s)
{
	for (uint32_t id = 0; id < workspace_id_bound(s->ws); id++) {
		uint8_t *flag = note_flag(s, id);
		const struct ws_note *wn = workspace_get(s->ws, id);
		if (wn && !wn->attachment && !(*flag & NOTE_QUEUED)) {
			*flag |= NOTE_QUEUED;
			array_push(&s->idle_queue, id);
		}
	}
	server_publish_open(s);
}

static void finish_indexing(struct server *s, struct ws_scan *scan)
{
	if (s->indexing)
		pthread_join(s->index_thread, NULL);
	s->indexing = false;
	workspace_install(s->ws, scan);
	uint32_t n = workspace_count(s->ws);
	s->indexed = true;
	char msg[96];
	snprintf(msg, sizeof(msg), "%u notes and %u attachments in %.0f ms", n,
		 workspace_attachment_count(s->ws), ms_since(&s->index_started));
	log_msg(s->log, LOG_INFO, "indexed %s", msg);
	if (atomic_load(&s->progress_begun))
		progress(s, "end", msg, -1);

	if (s->rescan_after_index) {
		s->rescan_after_index = false;
		sync_rescan(s);
	}

	/* Every note is diagnosed once, a few at a time when idle: that is
	 * what fills the editor's problem list for the whole vault. */
	queue_every_note(s);

	/* Changes on disk while the walk ran: the scan may or may not have
	 * read them, so apply them now. */
	for (uint32_t i = 0; i < s->file_events.len; i++) {
		sync_file_changed(s, s->file_events.items[i].path, s->file_events.items[i].kind);
		free(s->file_events.items[i].path);
	}
	s->file_events.len = 0;

	/* Replay what waited for the index, in the order it came. */
	for (uint32_t i = 0; i < s->deferred.len && !s->exit_now; i++)
		dispatch(s, &s->deferred.items[i]);
	for (uint32_t i = 0; i < s->deferred.len; i++)
		rpc_message_fini(&s->deferred.items[i]);
	s->deferred.len = 0;
	server_publish_open(s);
}

void server_publish_open(struct server *s)
{
	struct document *doc;
	for (uint32_t i = 0; (doc = documents_at(s->docs, i)); i++)
		doc->dirty = true;
}


static struct document *open_document_of(struct server *s, const struct ws_note *wn)
{
	struct document *doc;
	for (uint32_t i = 0; (doc = documents_at(s->docs, i)); i++)
		if (doc->path && strcmp(doc->path, wn->abs) == 0)
			return doc;
	return NULL;
}

/* Notes the last message changed, or whose links it changed, are to be
 * diagnosed again: open ones as soon as the input is idle, closed ones a
 * few at a time after that. */
static void schedule_affected(struct server *s)
{
	if (!s->ws)
		return;
	struct id_list ids = { 0 };
	workspace_take_affected(s->ws, &ids);
	for (uint32_t i = 0; i < ids.len; i++) {
		const struct ws_note *wn = workspace_get(s->ws, ids.items[i]);
		struct document *doc = wn ? open_document_of(s, wn) : NULL;
		uint8_t *flag = note_flag(s, ids.items[i]);
		if (doc) {
			doc->dirty = true;
		} else if (wn && !(*flag & NOTE_QUEUED)) {
			*flag |= NOTE_QUEUED;
			array_push(&s->idle_queue, ids.items[i]);
		}
	}
	array_free(&ids);
}

static bool idle_pending(const struct server *s)
{
	if (!s->indexed || s->state != STATE_RUNNING)
		return false;
	struct document *doc;
	for (uint32_t i = 0; (doc = documents_at(s->docs, i)); i++)
		if (doc->dirty)
			return true;
	return s->idle_head < s->idle_queue.len;
}

static void idle_step(struct server *s)
{
	struct document *doc;
	bool any = false;
	for (uint32_t i = 0; (doc = documents_at(s->docs, i)); i++) {
		if (!doc->dirty)
			continue;
		doc->dirty = false;
		any = true;
		int32_t id = doc->path ? workspace_find(s->ws, doc->path) : -1;
		if (id >= 0 && publish_note(s, (uint32_t)id, true))
			*note_flag(s, (uint32_t)id) |= NOTE_PUBLISHED;
	}
	if (any)
		return;
	/* Closed notes, oldest request first, for at most IDLE_BUDGET_MS. */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (s->idle_head < s->idle_queue.len && ms_since(&t0) < IDLE_BUDGET_MS) {
		uint32_t id = s->idle_queue.items[s->idle_head++];
		uint8_t *flag = note_flag(s, id);
		*flag &= (uint8_t)~NOTE_QUEUED;
		const struct ws_note *wn = workspace_get(s->ws, id);
		if (!wn || open_document_of(s, wn))
			continue;
		if (publish_note(s, id, *flag & NOTE_PUBLISHED))
			*flag |= NOTE_PUBLISHED;
		else
			*flag &= (uint8_t)~NOTE_PUBLISHED;
	}
	if (s->idle_head == s->idle_queue.len) {
		s->idle_head = s->idle_queue.len = 0;
	} else if (s->idle_head > 4096 && s->idle_head > s->idle_queue.len / 2) {
		s->idle_queue.len -= s->idle_head;
		memmove(s->idle_queue.items, s->idle_queue.items + s->idle_head,
			s->idle_queue.len * sizeof(uint32_t));
		s->idle_head = 0;
	}
}

/* ---- file watching ---------------------------------------------------- */

/* On the watcher's thread: hand the change to the main thread. */
static void on_file_event(void *ctx, const char *abs, enum watch_kind kind)
{
	struct server *s = ctx;
	push_event(s, (struct event){ .type = EVENT_FILE, .path = xstrdup(abs), .kind = kind });
}

static void start_watching(struct server *s)
{
	if (!s->watch && s->n_roots)
		s->watch = watch_start((const char *const *)s->root_list, s->n_roots, on_file_event, s, s->log);
	if (s->watch)
		log_msg(s->log, LOG_INFO, "watching the vault for changes (inotify)");
}

static void on_file(struct server *s, struct event *ev)
{
	if (!s->indexed) {
		array_push(&s->file_events, *ev);
		return;
	}
	sync_file_changed(s, ev->path, ev->kind);
	free(ev->path);
}

/* ---- lifecycle ------------------------------------------------------- */

static bool client_offers_utf8(const json_t *caps)
{
	const json_t *encs = json_object_get(json_object_get(caps, "general"), "positionEncodings");
	size_t i;
	json_t *e;
	json_array_foreach(encs, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "utf-8") == 0)
			return true;
	return false;
}

static void add_root_uri(struct server *s, const char *uri)
{
	char *path = uri_to_path(uri);
	if (!path) {
		log_msg(s->log, LOG_WARN, "ignoring non-file workspace folder %s", uri);
		return;
	}
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	for (uint32_t i = 0; i < s->n_roots; i++) {
		if (strcmp(s->root_list[i], path) == 0) {
			free(path);
			return;
		}
	}
	s->root_list = xrealloc(s->root_list, (s->n_roots + 1) * sizeof(char *));
	s->root_list[s->n_roots++] = path;
}

static void handle_initialize(struct server *s, const json_t *id, const json_t *params)
{
	if (s->state != STATE_UNINITIALIZED) {
		server_reply_error(s, id, RPC_INVALID_REQUEST, "initialize may be sent only once");
		return;
	}
	if (!json_is_object(params)) {
		server_reply_error(s, id, RPC_INVALID_PARAMS, "initialize needs params");
		return;
	}
	const json_t *caps = json_object_get(params, "capabilities");
	json_decref(s->client_caps);
	s->client_caps = json_is_object(caps) ? json_deep_copy(caps) : json_object();
	s->enc = client_offers_utf8(s->client_caps) ? POS_UTF8 : POS_UTF16;
	s->caps_progress = json_is_true(json_object_get(json_object_get(s->client_caps, "window"),
							"workDoneProgress"));
	s->caps_config_pull = json_is_true(json_object_get(json_object_get(s->client_caps, "workspace"),
							   "configuration"));

	const json_t *folders = json_object_get(params, "workspaceFolders");
	size_t i;
	json_t *f;
	json_array_foreach(folders, i, f) {
		const json_t *uri = json_object_get(f, "uri");
		if (json_is_string(uri))
			add_root_uri(s, json_string_value(uri));
	}
	const json_t *root_uri = json_object_get(params, "rootUri");
	const json_t *root_path = json_object_get(params, "rootPath");
	if (!s->n_roots && json_is_string(root_uri))
		add_root_uri(s, json_string_value(root_uri));
	if (!s->n_roots && json_is_string(root_path) && json_string_value(root_path)[0] == '/') {
		char *uri = uri_from_path(json_string_value(root_path));
		add_root_uri(s, uri);
		free(uri);
	}
	if (!s->n_roots)
		log_msg(s->log, LOG_WARN, "no workspace folder: only open notes are indexed");

	const json_t *opts = json_object_get(params, "initializationOptions");
	s->init_options = json_is_object(opts) ? json_deep_copy(opts) : NULL;
	reconfigure(s);
	s->ws = workspace_new(&s->cfg, s->log);
	for (uint32_t r = 0; r < s->n_roots; r++)
		workspace_add_root(s->ws, s->root_list[r]);

	json_t *sync = json_pack("{s:b, s:i, s:{s:b}}", "openClose", 1, "change", 2,
				 "save", "includeText", 0);
	json_t *server_caps = json_pack("{s:s, s:o, s:b, s:b, s:b, s:b, s:{s:b}}",
		"positionEncoding", s->enc == POS_UTF8 ? "utf-8" : "utf-16",
		"textDocumentSync", sync,
		"foldingRangeProvider", 1,
		"documentSymbolProvider", 1,
		"hoverProvider", 1,
		"definitionProvider", 1,
		"documentLinkProvider", "resolveProvider", 0);
	json_object_set_new(server_caps, "completionProvider",
		json_pack("{s:[s,s,s,s], s:b}", "triggerCharacters", "[", "#", "^", "|",
			  "resolveProvider", 1));
	json_object_set_new(server_caps, "codeActionProvider",
		json_pack("{s:[s]}", "codeActionKinds", "quickfix"));
	json_object_set_new(server_caps, "workspace", json_pack("{s:{s:b, s:b}}", "workspaceFolders",
		"supported", 1, "changeNotifications", 0));
	json_t *result = json_pack("{s:o, s:{s:s, s:s}}", "capabilities", server_caps,
		"serverInfo", "name", "vault-lsp", "version", VAULT_VERSION);
	server_reply(s, id, result);
	s->state = STATE_RUNNING;
	log_msg(s->log, LOG_INFO, "initialized: %u folder(s), %s positions", s->n_roots,
		s->enc == POS_UTF8 ? "utf-8" : "utf-16");
	/* A Logseq graph indexes, but its links do not mean what ours do:
	 * said once, in the log and to the user. */
	for (uint32_t r = 0; r < s->n_roots; r++) {
		char *logseq = walk_logseq_notice(s->root_list[r], s->root_list[r]);
		if (logseq) {
			log_msg(s->log, LOG_WARN, "%s", logseq);
			/* json_text: a path need not be UTF-8. */
			server_notify(s, "window/showMessage", json_pack("{s:i, s:o}", "type", 2,
				"message", json_text(logseq, strlen(logseq))));
			free(logseq);
		}
	}
	/* The answer is out: now the slow part, off this thread. The progress
	 * token is asked for at once (the server may send requests as soon as
	 * it has answered), so that even a quick index shows progress. */
	start_indexing(s);
	if (s->caps_progress)
		send_request(s, "window/workDoneProgress/create",
			     json_pack("{s:s}", "token", PROGRESS_TOKEN), PENDING_PROGRESS_CREATE);
}

static void handle_initialized(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	(void)params;
	/* The client watches files for us when it can; else we do. */
	const json_t *watched = json_object_get(json_object_get(s->client_caps, "workspace"),
						"didChangeWatchedFiles");
	if (json_is_true(json_object_get(watched, "dynamicRegistration")))
		send_request(s, "client/registerCapability",
			     json_pack("{s:[{s:s, s:s, s:{s:[{s:s}, {s:s}]}}]}", "registrations", "id",
				       "vault-lsp/watch", "method", "workspace/didChangeWatchedFiles",
				       "registerOptions", "watchers", "globPattern", "**/*",
				       "globPattern", "**/.vault-lsp.yaml"),
			     PENDING_REGISTER_WATCH);
	else
		start_watching(s);
	if (s->caps_config_pull)
		send_request(s, "workspace/configuration",
			     json_pack("{s:[{s:s}]}", "items", "section", "vault-lsp"),
			     PENDING_CONFIGURATION);
}

static void idle_step(struct server *s);

static void handle_shutdown(struct server *s, const json_t *id, const json_t *params)
{
	(void)params;
	/* The open documents' diagnostics were due: the client still shows
	 * them until it exits. */
	if (s->indexed)
		idle_step(s);
	s->state = STATE_SHUT_DOWN;
	atomic_store(&s->stop_indexing, true);
	server_reply(s, id, json_null());
}

static void handle_exit(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	(void)params;
	s->exit_now = true;
}

static void handle_cancel(struct server *s, const json_t *id, const json_t *params)
{
	/* The reader marked it if it was still queued; it may also be
	 * waiting for the index. */
	(void)id;
	for (uint32_t i = 0; i < s->deferred.len; i++)
		if (names_request(params, &s->deferred.items[i]))
			s->deferred.items[i].cancelled = true;
}

static void handle_did_change_configuration(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	const json_t *settings = json_object_get(params, "settings");
	if (json_is_object(settings) && json_object_size(settings))
		set_settings(s, settings);
	else if (s->caps_config_pull)
		send_request(s, "workspace/configuration",
			     json_pack("{s:[{s:s}]}", "items", "section", "vault-lsp"),
			     PENDING_CONFIGURATION);
}

static void handle_response(struct server *s, struct rpc_message *msg)
{
	if (!json_is_integer(msg->id))
		return;
	json_int_t id = json_integer_value(msg->id);
	for (uint32_t i = 0; i < s->pending_ids.len; i++) {
		if (s->pending_ids.items[i] != id)
			continue;
		uint8_t kind = s->pending_kinds.items[i];
		s->pending_ids.items[i] = s->pending_ids.items[s->pending_ids.len - 1];
		s->pending_kinds.items[i] = s->pending_kinds.items[s->pending_kinds.len - 1];
		s->pending_ids.len--;
		s->pending_kinds.len--;
		if (msg->error) {
			log_msg(s->log, LOG_WARN, "the client refused request %lld", (long long)id);
			if (kind == PENDING_REGISTER_WATCH)
				start_watching(s);
			return;
		}
		if (kind == PENDING_PROGRESS_CREATE && s->indexing) {
			/* "begin" goes out before the indexing thread may report. */
			progress(s, "begin", "listing notes", 0);
			atomic_store(&s->progress_begun, true);
		} else if (kind == PENDING_CONFIGURATION && json_is_array(msg->result)) {
			const json_t *first = json_array_get(msg->result, 0);
			if (json_is_object(first))
				set_settings(s, first);
		}
		return;
	}
}

/* ---- dispatch -------------------------------------------------------- */

enum method_flags {
	NEEDS_INDEX = 1 << 0, /* waits until the vault is indexed */
	ANY_STATE = 1 << 1,   /* allowed before initialize / after shutdown */
	NOTIFICATION = 1 << 2,/* a notification method; the others are requests */
};

struct method {
	const char *name;
	feature_fn fn;
	uint8_t flags;
};

static const struct method methods[] = {
	{ "initialize", handle_initialize, ANY_STATE },
	{ "initialized", handle_initialized, NOTIFICATION },
	{ "shutdown", handle_shutdown, 0 },
	{ "exit", handle_exit, ANY_STATE | NOTIFICATION },
	{ "$/cancelRequest", handle_cancel, ANY_STATE | NOTIFICATION },
	{ "workspace/didChangeConfiguration", handle_did_change_configuration, NOTIFICATION },
	{ "workspace/didChangeWatchedFiles", sync_did_change_watched, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didOpen", sync_did_open, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didChange", sync_did_change, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didSave", sync_did_save, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/didClose", sync_did_close, NEEDS_INDEX | NOTIFICATION },
	{ "textDocument/foldingRange", folding_range, NEEDS_INDEX },
	{ "textDocument/documentSymbol", document_symbol, NEEDS_INDEX },
	{ "textDocument/completion", completion, NEEDS_INDEX },
	{ "completionItem/resolve", completion_resolve, NEEDS_INDEX },
	{ "textDocument/hover", hover, NEEDS_INDEX },
	{ "textDocument/definition", definition, NEEDS_INDEX },
	{ "textDocument/documentLink", document_link, NEEDS_INDEX },
	{ "textDocument/codeAction", code_action, NEEDS_INDEX },
};

static const struct method *find_method(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

static void dispatch(struct server *s, struct rpc_message *msg)
{
	if (msg->kind == RPC_RESPONSE) {
		handle_response(s, msg);
		return;
	}
	bool request = msg->kind == RPC_REQUEST;
	const struct method *m = find_method(msg->method);

	if (request && msg->cancelled) {
		server_reply_error(s, msg->id, RPC_REQUEST_CANCELLED, "Request cancelled");
		return;
	}
	if (!(m && (m->flags & ANY_STATE))) {
		if (s->state == STATE_UNINITIALIZED) {
			if (request)
				server_reply_error(s, msg->id, RPC_SERVER_NOT_INITIALIZED,
						   "Server not initialized");
			return;
		}
		if (s->state == STATE_SHUT_DOWN) {
			if (request)
				server_reply_error(s, msg->id, RPC_INVALID_REQUEST,
						   "Server is shut down");
			return;
		}
	}
	if (!m) {
		/* Unknown notifications, "$/" ones included, are ignored. */
		if (request)
			server_reply_error(s, msg->id, RPC_METHOD_NOT_FOUND, "Method not found");
		return;
	}
	/* A request must be answered and a notification must not be: a
	 * message of the wrong kind for its method is refused, or dropped. */
	if (request && (m->flags & NOTIFICATION) && m->fn != handle_exit) {
		server_reply_error(s, msg->id, RPC_INVALID_REQUEST, "Invalid Request: this method is a notification");
		return;
	}
	if (!request && !(m->flags & NOTIFICATION)) {
		log_msg(s->log, LOG_WARN, "%s sent as a notification: ignored", msg->method);
		return;
	}
	if (!log_enabled(s->log, LOG_DEBUG)) {
		m->fn(s, request ? msg->id : NULL, msg->params);
		return;
	}
	/* Each handler's own time, without the queueing before it: what the
	 * benchmarks' client-side round trips cannot separate. */
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	m->fn(s, request ? msg->id : NULL, msg->params);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	log_msg(s->log, LOG_DEBUG, "%s handled in %.3f ms (%.3f ms CPU)", msg->method,
		elapsed_ms(&t0, &t1), elapsed_ms(&c0, &c1));
}

static void on_message(struct server *s, struct rpc_message *msg)
{
	const struct method *m = msg->kind != RPC_RESPONSE ? find_method(msg->method) : NULL;
	/* While the index is built, what needs it waits, and so does everything
	 * after it (shutdown included), so that the client sees its messages
	 * handled in the order it sent them. Responses and cancellations do
	 * not wait: the indexing progress itself depends on a response. */
	bool waits = msg->kind != RPC_RESPONSE &&
		     !(m && m->fn == handle_cancel) &&
		     ((m && (m->flags & NEEDS_INDEX)) || s->deferred.len);
	if (waits && s->state == STATE_RUNNING && !s->indexed) {
		array_push(&s->deferred, *msg);
		return;
	}
	dispatch(s, msg);
	rpc_message_fini(msg);
}

int server_run(struct server *s)
{
	if (pthread_create(&s->reader_thread, NULL, reader_main, s) != 0) {
		log_msg(s->log, LOG_ERROR, "cannot start the reader thread");
		return 1;
	}
	s->reader_started = true;
	bool input_ended = false;
	while (!s->exit_now) {
		struct event ev;
		if (!pop_event(s, &ev, !idle_pending(s))) {
			idle_step(s);
			continue;
		}
		if (ev.type == EVENT_END) {
			log_msg(s->log, s->state == STATE_SHUT_DOWN ? LOG_INFO : LOG_WARN,
				"input closed%s", s->state == STATE_SHUT_DOWN ? "" : " before shutdown");
			input_ended = true;
			/* Finish what was asked before the input ended. */
			if (s->indexing && s->deferred.len)
				continue;
			break;
		}
		if (ev.type == EVENT_INDEXED) {
			finish_indexing(s, ev.scan);
			if (input_ended)
				break;
		} else if (ev.type == EVENT_FILE) {
			on_file(s, &ev);
		} else {
			on_message(s, &ev.msg);
		}
		schedule_affected(s);
	}
	return s->state == STATE_SHUT_DOWN ? 0 : 1;
}

struct server *server_new(FILE *in, FILE *out, struct log *log,
			  const struct server_options *opts)
{
	struct server *s = xcalloc(1, sizeof(*s));
	s->tr = transport_new(in, out);
	s->log = log;
	if (opts)
		s->opts = *opts;
	if (!s->opts.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		s->opts.threads = n > 0 ? (unsigned)n : 1;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->ready, NULL);
	config_init(&s->cfg);
	config_init(&s->scan_cfg);
	pthread_mutex_init(&s->progress_lock, NULL);
	s->docs = documents_new();
	s->client_caps = json_object();
	atomic_init(&s->stop_indexing, false);
	atomic_init(&s->progress_begun, false);
	atomic_init(&s->reader_done, false);
	return s;
}

bool server_input_ended(struct server *s)
{
	return atomic_load(&s->reader_done);
}

void server_free(struct server *s)
{
	if (!s)
		return;
	atomic_store(&s->stop_indexing, true);
	watch_stop(s->watch);
	if (s->indexing) {
		pthread_join(s->index_thread, NULL);
		s->indexing = false;
	}
	if (s->reader_started)
		pthread_join(s->reader_thread, NULL);
	/* No other thread is left: no lock needed from here on. */
	for (uint32_t i = s->queue_head; i < s->queue.len; i++) {
		if (s->queue.items[i].type == EVENT_MESSAGE)
			rpc_message_fini(&s->queue.items[i].msg);
		else if (s->queue.items[i].type == EVENT_INDEXED)
			ws_scan_free(s->queue.items[i].scan);
		else if (s->queue.items[i].type == EVENT_FILE)
			free(s->queue.items[i].path);
	}
	for (uint32_t i = 0; i < s->file_events.len; i++)
		free(s->file_events.items[i].path);
	array_free(&s->file_events);
	array_free(&s->queue);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->ready);
	for (uint32_t i = 0; i < s->deferred.len; i++)
		rpc_message_fini(&s->deferred.items[i]);
	array_free(&s->deferred);
	workspace_free(s->ws);
	documents_free(s->docs);
	config_fini(&s->cfg);
	config_fini(&s->scan_cfg);
	pthread_mutex_destroy(&s->progress_lock);
	json_decref(s->client_caps);
	json_decref(s->init_options);
	json_decref(s->settings);
	str_list_free(&s->reported);
	array_free(&s->pending_ids);
	array_free(&s->pending_kinds);
	array_free(&s->idle_queue);
	array_free(&s->note_flags);
	for (uint32_t i = 0; i < s->n_roots; i++)
		free(s->root_list[i]);
	free(s->root_list);
	transport_free(s->tr);
	free(s);
}

struct document *feature_document(struct server *s, const json_t *id, const json_t *params)
{
	const json_t *uri = json_object_get(json_object_get(params, "textDocument"), "uri");
	if (!json_is_string(uri)) {
		server_reply_error(s, id, RPC_INVALID_PARAMS, "params.textDocument.uri is required");
		return NULL;
	}
	struct document *doc = documents_get(s->docs, json_string_value(uri));
	if (!doc)
		server_reply_error(s, id, RPC_INVALID_PARAMS, "the document is not open");
	return doc;
}

int32_t feature_note(struct server *s, const json_t *id, const json_t *params,
		     const struct ws_note **wn, uint32_t *offset, json_t *empty)
{
	struct document *doc = feature_document(s, id, params);
	struct lsp_pos pos;
	if (doc && offset && !json_get_position(json_object_get(params, "position"), &pos)) {
		server_reply_error(s, id, RPC_INVALID_PARAMS, "params.position is required");
		doc = NULL;
	}
	int32_t note = doc && doc->path ? workspace_find(s->ws, doc->path) : -1;
	if (note < 0) {
		if (doc)
			server_reply(s, id, empty ? empty : json_null());
		else
			json_decref(empty);
		return -1;
	}
	json_decref(empty);
	*wn = workspace_get(s->ws, (uint32_t)note);
	if (offset)
		*offset = position_to_offset((*wn)->note->text, (*wn)->note->len, &(*wn)->lines, pos,
					     s->enc);
	return note;
}
