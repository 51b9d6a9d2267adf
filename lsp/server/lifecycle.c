/* lifecycle.c — initialize, initialized, shutdown and exit. */
#include "lifecycle.h"
#include "cache_sync.h"
#include "indexing.h"
#include "requests.h"
#include "settings.h"
#include "unlinked.h"
#include "vault_sync.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

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
	for (uint32_t i = 0; i < s->roots.len; i++) {
		if (strcmp(s->roots.items[i], path) == 0) {
			free(path);
			return;
		}
	}
	array_push(&s->roots, path);
}

static json_t *capabilities(const struct server *s)
{
	json_t *sync = json_pack("{s:b, s:i, s:{s:b}}", "openClose", 1, "change", 2,
				 "save", "includeText", 0);
	json_t *caps = json_pack("{s:s, s:o, s:b, s:b, s:b, s:b, s:{s:b}}",
		"positionEncoding", s->fx.enc == POS_UTF8 ? "utf-8" : "utf-16",
		"textDocumentSync", sync,
		"foldingRangeProvider", 1,
		"documentSymbolProvider", 1,
		"hoverProvider", 1,
		"definitionProvider", 1,
		"documentLinkProvider", "resolveProvider", 0);
	json_object_set_new(caps, "completionProvider",
		json_pack("{s:[s,s,s,s], s:b}", "triggerCharacters", "[", "#", "^", "|",
			  "resolveProvider", 1));
	json_object_set_new(caps, "codeActionProvider",
		json_pack("{s:[s,s], s:b}", "codeActionKinds", "quickfix", "refactor.rewrite",
			  "resolveProvider", 1));
	json_object_set_new(caps, "executeCommandProvider",
		json_pack("{s:o}", "commands", command_names()));
	json_object_set_new(caps, "workspaceSymbolProvider", json_true());
	json_object_set_new(caps, "referencesProvider", json_true());
	json_object_set_new(caps, "documentHighlightProvider", json_true());
	json_object_set_new(caps, "codeLensProvider", json_pack("{s:b}", "resolveProvider", 1));
	/* Not to every client (the requests are answered whoever asks). */
	json_t *tokens = semantic_tokens_options(s->client_caps);
	if (tokens)
		json_object_set_new(caps, "semanticTokensProvider", tokens);
	json_object_set_new(caps, "renameProvider", json_pack("{s:b}", "prepareProvider", 1));
	/* Files and folders moved in the editor's explorer: links follow. */
	json_t *moves = json_pack("{s:[{s:s, s:{s:s}}]}", "filters", "scheme", "file", "pattern",
				  "glob", "**/*");
	json_object_set_new(caps, "workspace", json_pack("{s:{s:b, s:b}, s:{s:O, s:o}}",
		"workspaceFolders", "supported", 1, "changeNotifications", 0,
		"fileOperations", "willRename", moves, "didRename", moves));
	return caps;
}

/* A Logseq graph indexes, but its links do not mean what ours do: said
 * once, in the log and to the user. */
static void logseq_notice(struct server *s)
{
	for (uint32_t r = 0; r < s->roots.len; r++) {
		char *logseq = walk_logseq_notice(s->roots.items[r], s->roots.items[r]);
		if (logseq) {
			log_msg(s->log, LOG_WARN, "%s", logseq);
			/* json_text: a path need not be UTF-8. */
			channel_notify(s->ch, "window/showMessage", json_pack("{s:i, s:o}", "type", 2,
				"message", json_text(logseq, strlen(logseq))));
			free(logseq);
		}
	}
}

void lifecycle_initialize(struct server *s, const json_t *id, const json_t *params)
{
	if (s->state != STATE_UNINITIALIZED) {
		channel_reply_error(s->ch, id, RPC_INVALID_REQUEST, "initialize may be sent only once");
		return;
	}
	if (!json_is_object(params)) {
		channel_reply_error(s->ch, id, RPC_INVALID_PARAMS, "initialize needs params");
		return;
	}
	const json_t *caps = json_object_get(params, "capabilities");
	json_decref(s->client_caps);
	s->client_caps = json_is_object(caps) ? json_deep_copy(caps) : json_object();
	s->fx.caps = s->client_caps;
	s->fx.enc = client_offers_utf8(s->client_caps) ? POS_UTF8 : POS_UTF16;
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
	if (!s->roots.len && json_is_string(root_uri))
		add_root_uri(s, json_string_value(root_uri));
	if (!s->roots.len && json_is_string(root_path) && json_string_value(root_path)[0] == '/') {
		char *uri = uri_from_path(json_string_value(root_path));
		add_root_uri(s, uri);
		free(uri);
	}
	if (!s->roots.len)
		log_msg(s->log, LOG_WARN, "no workspace folder: only open notes are indexed");

	const json_t *opts = json_object_get(params, "initializationOptions");
	s->init_options = json_is_object(opts) ? json_deep_copy(opts) : NULL;
	settings_reconfigure(s);
	s->fx.ws = workspace_new(&s->cfg, s->log);
	unlinked_threads(s->fx.ws, s->threads);
	for (uint32_t r = 0; r < s->roots.len; r++)
		workspace_add_root(s->fx.ws, s->roots.items[r]);

	json_t *result = json_pack("{s:o, s:{s:s, s:s}}", "capabilities", capabilities(s),
		"serverInfo", "name", "vault-lsp", "version", VAULT_VERSION);
	channel_reply(s->ch, id, result);
	s->state = STATE_RUNNING;
	log_msg(s->log, LOG_INFO, "initialized: %u folder(s), %s positions", s->roots.len,
		s->fx.enc == POS_UTF8 ? "utf-8" : "utf-16");
	logseq_notice(s);
	/* The answer is out: now the slow part, off this thread. */
	indexing_start(s);
}

void lifecycle_watch(struct server *s)
{
	if (!s->watch)
		s->watch = vault_sync_watch((const char *const *)s->roots.items, s->roots.len,
					    &s->events, s->log);
}

void lifecycle_initialized(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	(void)params;
	/* The client watches files for us when it can; else we do. */
	const json_t *watched = json_object_get(json_object_get(s->client_caps, "workspace"),
						"didChangeWatchedFiles");
	if (json_is_true(json_object_get(watched, "dynamicRegistration")))
		requests_send(s, "client/registerCapability",
			      json_pack("{s:[{s:s, s:s, s:{s:[{s:s}, {s:s}]}}]}", "registrations", "id",
					"vault-lsp/watch", "method", "workspace/didChangeWatchedFiles",
					"registerOptions", "watchers", "globPattern", "**/*",
					"globPattern", "**/.vault-lsp.yaml"),
			      PENDING_REGISTER_WATCH);
	else
		lifecycle_watch(s);
	if (s->caps_config_pull)
		settings_pull(s);
}

void lifecycle_shutdown(struct server *s, const json_t *id, const json_t *params)
{
	(void)params;
	/* The open documents' diagnostics were due: the client still shows
	 * them until it exits. */
	if (s->indexed)
		diag_queue_step(&s->diags, &s->fx);
	atomic_store(&s->ix.stop, true);
	channel_reply(s->ch, id, json_null());
	/* After the answer: the client waits for nothing more than exit. */
	cache_sync_shutdown(s);
	s->state = STATE_SHUT_DOWN;
}

void lifecycle_exit(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	(void)params;
	/* A write under way leaves no temporary file behind, even if the
	 * process ends without freeing the server (main.c's _exit). */
	cache_sync_stop(s);
	s->exit_now = true;
}
