/* sync.c — text synchronisation: the open buffers and the index follow the
 * editor; closing a buffer reverts its note to the file on disk. */
#include "handlers.h"
#include "rpc.h"
#include "names.h"
#include "walk.h"

#include <string.h>

static const char *text_document_uri(const json_t *params)
{
	const json_t *uri = json_object_get(json_object_get(params, "textDocument"), "uri");
	return json_is_string(uri) ? json_string_value(uri) : NULL;
}

/* The index sees the buffer, not the disk, while it is open; a buffer too
 * big to parse by name only, as the file would be. */
static void index_buffer(struct server *s, const struct document *doc)
{
	if (!doc->path)
		return;
	bool big = doc->text.len > DOCUMENT_MAX_PARSED_BYTES;
	workspace_set_text(server_workspace(s), doc->path, doc->text.ptr, big ? 0 : doc->text.len);
}

void sync_did_open(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	const json_t *td = json_object_get(params, "textDocument");
	const json_t *uri = json_object_get(td, "uri");
	const json_t *text = json_object_get(td, "text");
	const json_t *version = json_object_get(td, "version");
	if (!json_is_string(uri) || !json_is_string(text)) {
		log_msg(server_log(s), LOG_ERROR, "didOpen without textDocument.uri and text: ignored");
		return;
	}
	struct document *doc = documents_open(server_documents(s), json_string_value(uri),
					      json_string_value(text), json_string_length(text),
					      json_is_integer(version) ? json_integer_value(version) : 0);
	if (doc->text.len > DOCUMENT_MAX_PARSED_BYTES)
		log_msg(server_log(s), LOG_WARN, "%s is larger than %u MiB: indexed by name only",
			doc->uri, DOCUMENT_MAX_PARSED_BYTES >> 20);
	index_buffer(s, doc);
	doc->dirty = true;
}

void sync_did_change(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	const char *uri = text_document_uri(params);
	struct document *doc = uri ? documents_get(server_documents(s), uri) : NULL;
	if (!doc) {
		log_msg(server_log(s), LOG_WARN, "didChange for a document that is not open: %s",
			uri ? uri : "(no uri)");
		return;
	}
	const json_t *version = json_object_get(json_object_get(params, "textDocument"), "version");
	if (json_is_integer(version)) {
		if (json_integer_value(version) <= doc->version)
			log_msg(server_log(s), LOG_WARN, "%s: version went from %lld to %lld",
				uri, (long long)doc->version, (long long)json_integer_value(version));
		doc->version = json_integer_value(version);
	}
	const json_t *changes = json_object_get(params, "contentChanges");
	size_t i;
	json_t *change;
	json_array_foreach(changes, i, change) {
		const json_t *text = json_object_get(change, "text");
		const json_t *range = json_object_get(change, "range");
		if (!json_is_string(text)) {
			log_msg(server_log(s), LOG_ERROR, "%s: change without text ignored", uri);
			continue;
		}
		if (!range) {
			document_set_text(doc, json_string_value(text), json_string_length(text));
			continue;
		}
		struct text_view v = document_view(doc);
		uint32_t start, end;
		if (!json_get_range(range, &v, server_encoding(s), &start, &end)) {
			log_msg(server_log(s), LOG_ERROR, "%s: change with an invalid range ignored", uri);
			continue;
		}
		document_edit(doc, start, end, json_string_value(text), json_string_length(text));
	}
	index_buffer(s, doc);
	doc->dirty = true;
}

void sync_did_save(struct server *s, const json_t *id, const json_t *params)
{
	(void)s;
	(void)id;
	(void)params;
	/* Changes were synchronised as they were typed: nothing is new. */
}

void sync_did_close(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	const char *uri = text_document_uri(params);
	struct document *doc = uri ? documents_get(server_documents(s), uri) : NULL;
	if (!doc) {
		log_msg(server_log(s), LOG_WARN, "didClose for a document that is not open: %s",
			uri ? uri : "(no uri)");
		return;
	}
	char *path = doc->path ? xstrdup(doc->path) : NULL;
	documents_close(server_documents(s), uri);
	if (path)
		workspace_reload(server_workspace(s), path);
	free(path);
	/* Clear what was published under the client's URI; the note comes
	 * back as a closed note (under ours) if it has anything to say. */
	server_notify(s, "textDocument/publishDiagnostics",
		      json_pack("{s:s, s:[]}", "uri", uri, "diagnostics"));
}

/* Clears what the client shows for a note that is gone. */
static void clear_diagnostics(struct server *s, const char *abs)
{
	char *uri = uri_from_path(abs);
	server_notify(s, "textDocument/publishDiagnostics",
		      json_pack("{s:s, s:[]}", "uri", uri, "diagnostics"));
	free(uri);
}

static bool is_open(struct server *s, const char *abs)
{
	struct document *d;
	for (uint32_t i = 0; (d = documents_at(server_documents(s), i)); i++)
		if (d->path && strcmp(d->path, abs) == 0)
			return true;
	return false;
}

void sync_file_changed(struct server *s, const char *abs, enum watch_kind kind)
{
	struct workspace *ws = server_workspace(s);
	/* The vault's own settings file. */
	const char *base = strrchr(abs, '/');
	if (base && strcmp(base + 1, ".vault-lsp.yaml") == 0) {
		for (uint32_t i = 0; i < workspace_root_count(ws); i++) {
			const char *r = workspace_root(ws, i);
			if (strncmp(abs, r, strlen(r)) == 0 && base == abs + strlen(r))
				server_reload_config(s);
		}
		return;
	}
	if (kind == WATCH_FOLDER_GONE) {
		size_t n = strlen(abs);
		for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
			const struct ws_note *wn = workspace_get(ws, id);
			if (wn && !wn->attachment && strncmp(wn->abs, abs, n) == 0 && wn->abs[n] == '/' &&
			    !is_open(s, wn->abs))
				clear_diagnostics(s, wn->abs);
		}
		workspace_remove_under(ws, abs);
		return;
	}
	/* An open buffer is the truth until it is closed. */
	if (is_open(s, abs))
		return;
	/* An attachment written again (a sync tool, an image editor): its
	 * content is not ours, and its name has not changed. */
	int32_t known = kind == WATCH_CHANGED ? workspace_find(ws, abs) : -1;
	if (known >= 0 && workspace_get(ws, (uint32_t)known)->attachment)
		return;
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
			clear_diagnostics(s, abs);
	} else if (id >= 0) {
		bool was_note = !workspace_get(ws, (uint32_t)id)->attachment;
		workspace_remove(ws, abs);
		if (was_note)
			clear_diagnostics(s, abs);
	}
}

void sync_did_change_watched(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
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
				sync_file_changed(s, path, WATCH_DELETED);
				sync_file_changed(s, path, WATCH_FOLDER_GONE);
			} else {
				sync_file_changed(s, path, WATCH_CHANGED);
			}
		}
		free(path);
	}
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
	struct server *s;
	struct name_map *paths;
};

static bool keep_note(void *ctx, const struct ws_note *wn)
{
	struct keep_ctx *k = ctx;
	uint32_t n;
	name_map_get(k->paths, slice_from_cstr(wn->abs), &n);
	if (n || is_open(k->s, wn->abs))
		return true;
	if (!wn->attachment)
		clear_diagnostics(k->s, wn->abs);
	return false;
}

void sync_rescan(struct server *s)
{
	struct workspace *ws = server_workspace(s);
	const struct config *cfg = workspace_config(ws);
	struct ignore *extra = ignore_new();
	for (uint32_t i = 0; i < cfg->ignore.len; i++)
		ignore_add(extra, cfg->ignore.items[i], strlen(cfg->ignore.items[i]));
	struct found fd = { name_map_new(), { 0 } };
	for (uint32_t r = 0; r < workspace_root_count(ws); r++)
		walk_vault_files(workspace_root(ws, r), extra, on_found, NULL, &fd);
	ignore_free(extra);
	struct keep_ctx k = { s, fd.paths };
	uint32_t removed = workspace_retain(ws, keep_note, &k);
	uint32_t before = workspace_count(ws);
	workspace_add_files(ws, (const char *const *)fd.list.items, fd.list.len);
	log_msg(server_log(s), LOG_INFO, "ignore rules changed: %u notes left the index, %u joined",
		removed, workspace_count(ws) - before);
	name_map_free(fd.paths);
	str_list_free(&fd.list);
}
