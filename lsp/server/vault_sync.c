/* vault_sync.c — the index follows the vault on disk: files changed, seen
 * by the client's watcher or ours, and the whole walk again when the
 * ignore rules change. */
#include "vault_sync.h"
#include "names.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

bool vault_sync_file(struct feature_ctx *ctx, const char *abs, enum watch_kind kind)
{
	struct workspace *ws = ctx->ws;
	/* The vault's own settings file. */
	const char *base = strrchr(abs, '/');
	if (base && strcmp(base + 1, ".vault-lsp.yaml") == 0) {
		for (uint32_t i = 0; i < workspace_root_count(ws); i++) {
			const char *r = workspace_root(ws, i);
			if (strncmp(abs, r, strlen(r)) == 0 && base == abs + strlen(r))
				return true;
		}
		return false;
	}
	if (kind == WATCH_FOLDER_GONE) {
		size_t n = strlen(abs);
		for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
			const struct ws_note *wn = workspace_get(ws, id);
			if (wn && !wn->attachment && strncmp(wn->abs, abs, n) == 0 && wn->abs[n] == '/' &&
			    !documents_find_path(ctx->docs, wn->abs))
				diagnostics_clear(ctx, wn->abs);
		}
		workspace_remove_under(ws, abs);
		return false;
	}
	/* An open buffer is the truth until it is closed. */
	if (documents_find_path(ctx->docs, abs))
		return false;
	/* An attachment written again (a sync tool, an image editor): its
	 * content is not ours, and its name has not changed. */
	int32_t known = kind == WATCH_CHANGED ? workspace_find(ws, abs) : -1;
	if (known >= 0 && workspace_get(ws, (uint32_t)known)->attachment)
		return false;
	/* Only what a walk of the vault would have found becomes a note, or
	 * an attachment (named, never read). */
	const char *rel = NULL;
	uint32_t root = 0;
	for (uint32_t i = 0; i < workspace_root_count(ws); i++) {
		const char *r = workspace_root(ws, i);
		size_t n = strlen(r);
		if (strncmp(abs, r, n) == 0 && abs[n] == '/' && (!rel || n > strlen(workspace_root(ws, root)))) {
			rel = abs + n + 1;
			root = i;
		}
	}
	const struct config *cfg = workspace_config(ws);
	struct ignore *extra = ignore_new();
	for (uint32_t i = 0; i < cfg->ignore.len; i++)
		ignore_add(extra, cfg->ignore.items[i], strlen(cfg->ignore.items[i]));
	bool wanted = rel && walk_accepts_file(workspace_root(ws, root), extra, rel);
	ignore_free(extra);
	bool note = !workspace_is_attachment_path(abs);
	int32_t id = workspace_find(ws, abs);
	if (kind == WATCH_CHANGED && wanted) {
		/* An attachment's content is not ours: only its coming matters. */
		if ((note || id < 0) && workspace_reload(ws, abs) < 0 && note)
			diagnostics_clear(ctx, abs);
	} else if (id >= 0) {
		bool was_note = !workspace_get(ws, (uint32_t)id)->attachment;
		workspace_remove(ws, abs);
		if (was_note)
			diagnostics_clear(ctx, abs);
	}
	return false;
}

bool vault_sync_watched(struct feature_ctx *ctx, const json_t *params)
{
	bool settings = false;
	const json_t *changes = json_object_get(params, "changes");
	size_t i;
	json_t *change;
	json_array_foreach(changes, i, change) {
		const json_t *uri = json_object_get(change, "uri");
		const json_t *type = json_object_get(change, "type");
		if (!json_is_string(uri) || !json_is_integer(type))
			continue;
		char *path = uri_to_path(json_string_value(uri));
		if (path) {
			/* FileChangeType: 1 created, 2 changed, 3 deleted. A
			 * deleted path may have been a folder of notes. */
			if (json_integer_value(type) == 3) {
				settings |= vault_sync_file(ctx, path, WATCH_DELETED);
				settings |= vault_sync_file(ctx, path, WATCH_FOLDER_GONE);
			} else {
				settings |= vault_sync_file(ctx, path, WATCH_CHANGED);
			}
		}
		free(path);
	}
	return settings;
}

static bool moved_in(void *ctx, const struct walk_file *file)
{
	vault_sync_file(ctx, file->abs, WATCH_CHANGED);
	return true;
}

void vault_sync_renamed(struct feature_ctx *ctx, const json_t *params)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(params, "files"), i, f) {
		const char *o = json_string_value(json_object_get(f, "oldUri"));
		const char *n = json_string_value(json_object_get(f, "newUri"));
		char *op = o ? uri_to_path(o) : NULL, *np = n ? uri_to_path(n) : NULL;
		if (op && np) {
			vault_sync_file(ctx, op, WATCH_DELETED);
			vault_sync_file(ctx, op, WATCH_FOLDER_GONE);
			/* A folder moved in: every file the walk would find. */
			if (!walk_vault_files(np, NULL, moved_in, NULL, ctx))
				vault_sync_file(ctx, np, WATCH_CHANGED);
		}
		free(op);
		free(np);
	}
}

/* On the watcher's thread: hand the change to the main thread. */
static void on_watch(void *arg, const char *abs, enum watch_kind kind)
{
	struct events *q = arg;
	events_push(q, (struct event){ .type = EVENT_FILE, .path = xstrdup(abs), .kind = kind });
}

struct watch *vault_sync_watch(const char *const *roots, uint32_t n, struct events *q,
			       struct log *log)
{
	struct watch *w = n ? watch_start(roots, n, on_watch, q, log) : NULL;
	if (w)
		log_msg(log, LOG_INFO, "watching the vault for changes (inotify)");
	return w;
}

/* ---- which files are notes ---------------------------------------------- */

struct found {
	struct name_map *paths;
	struct str_list list;
};

static bool on_found(void *ctx, const struct walk_file *f)
{
	struct found *fd = ctx;
	name_map_add(fd->paths, slice_from_cstr(f->abs), 0);
	str_list_push(&fd->list, f->abs);
	return true;
}

struct keep_ctx {
	struct feature_ctx *ctx;
	struct name_map *paths;
};

static bool keep_note(void *ctx, const struct ws_note *wn)
{
	struct keep_ctx *k = ctx;
	uint32_t n;
	name_map_get(k->paths, slice_from_cstr(wn->abs), &n);
	if (n || documents_find_path(k->ctx->docs, wn->abs))
		return true;
	if (!wn->attachment)
		diagnostics_clear(k->ctx, wn->abs);
	return false;
}

void vault_sync_rescan(struct feature_ctx *ctx)
{
	struct workspace *ws = ctx->ws;
	const struct config *cfg = workspace_config(ws);
	struct ignore *extra = ignore_new();
	for (uint32_t i = 0; i < cfg->ignore.len; i++)
		ignore_add(extra, cfg->ignore.items[i], strlen(cfg->ignore.items[i]));
	struct found fd = { name_map_new(), { 0 } };
	for (uint32_t r = 0; r < workspace_root_count(ws); r++)
		walk_vault_files(workspace_root(ws, r), extra, on_found, NULL, &fd);
	ignore_free(extra);
	struct keep_ctx k = { ctx, fd.paths };
	uint32_t removed = workspace_retain(ws, keep_note, &k);
	uint32_t before = workspace_count(ws);
	workspace_add_files(ws, (const char *const *)fd.list.items, fd.list.len);
	log_msg(ctx->log, LOG_INFO, "ignore rules changed: %u notes left the index, %u joined",
		removed, workspace_count(ws) - before);
	name_map_free(fd.paths);
	str_list_free(&fd.list);
}
