/* sync.c — text synchronisation: the open buffers and the index follow the
 * editor; closing a buffer reverts its note to the file on disk. */
#include "handlers.h"
#include "rpc.h"

#include <string.h>

static const char *text_document_uri(const json_t *params)
{
	const json_t *uri = json_object_get(json_object_get(params, "textDocument"), "uri");
	return json_is_string(uri) ? json_string_value(uri) : NULL;
}

/* The index sees the buffer, not the disk, while it is open. */
static void index_buffer(struct server *s, const struct document *doc)
{
	if (doc->path)
		workspace_set_text(server_workspace(s), doc->path, doc->text.ptr, doc->text.len);
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

static bool is_note_path(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && (strcmp(path + n - 3, ".md") == 0 || strcmp(path + n - 3, ".MD") == 0);
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
		/* An open buffer is the truth until it is closed. */
		if (documents_get(server_documents(s), json_string_value(uri)))
			continue;
		char *path = uri_to_path(json_string_value(uri));
		if (path && is_note_path(path)) {
			if (json_integer_value(type) == 3) {
				workspace_remove(server_workspace(s), path);
				server_notify(s, "textDocument/publishDiagnostics",
					      json_pack("{s:s, s:[]}", "uri", json_string_value(uri),
							"diagnostics"));
			} else {
				workspace_reload(server_workspace(s), path);
			}
		}
		free(path);
	}
}
