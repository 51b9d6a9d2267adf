/* rename.c — textDocument/prepareRename, textDocument/rename and
 * workspace/willRenameFiles: the edits rename.h computes, as the
 * WorkspaceEdit the client can apply (the server never writes a file). */
#include "feature.h"
#include "rename.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Above this many files a rename asks the user first, where the client
 * can (change annotations). */
#define CONFIRM_FILES 50

struct edit_caps {
	bool document_changes, rename_files, annotations;
};

static struct edit_caps edit_caps(const struct feature_ctx *ctx)
{
	const json_t *we = json_object_get(json_object_get(ctx->caps, "workspace"), "workspaceEdit");
	struct edit_caps c = { json_is_true(json_object_get(we, "documentChanges")), false,
			       json_is_object(json_object_get(we, "changeAnnotationSupport")) };
	size_t i;
	json_t *op;
	json_array_foreach(json_object_get(we, "resourceOperations"), i, op)
		if (json_is_string(op) && strcmp(json_string_value(op), "rename") == 0)
			c.rename_files = true;
	return c;
}

static json_t *text_edit(const struct ws_note *wn, const struct rename_edit *e,
			 enum pos_encoding enc, bool annotate)
{
	struct text_view v = feature_view(wn);
	json_t *j = json_pack("{s:o, s:s}", "range", json_range(&v, e->span, enc), "newText", e->text);
	if (annotate)
		json_object_set_new(j, "annotationId", json_string("vault-lsp.rename"));
	return j;
}

/* The plan as a WorkspaceEdit; *renamed_files says whether the file moves
 * are in it (the client can rename files). label names the change. */
static json_t *workspace_edit(struct feature_ctx *ctx, const struct rename_plan *p,
			      const char *label, bool *renamed_files)
{
	struct edit_caps caps = edit_caps(ctx);
	uint32_t files = p->moves.len;
	for (uint32_t i = 0; i < p->edits.len; i++)
		files += !i || p->edits.items[i].note != p->edits.items[i - 1].note;
	bool annotate = caps.document_changes && caps.annotations && files > CONFIRM_FILES;
	*renamed_files = caps.document_changes && caps.rename_files;
	json_t *out = json_object();
	json_t *list = caps.document_changes ? json_array() : json_object();
	for (uint32_t i = 0; i < p->edits.len;) {
		uint32_t note = p->edits.items[i].note;
		const struct ws_note *wn = workspace_get(ctx->ws, note);
		json_t *edits = json_array();
		for (; i < p->edits.len && p->edits.items[i].note == note; i++)
			json_array_append_new(edits, text_edit(wn, &p->edits.items[i], ctx->enc, annotate));
		char *uri = uri_from_path(wn->abs);
		if (caps.document_changes) {
			/* An open note's edits carry its version: the client
			 * refuses them if the buffer has changed since. */
			const struct document *doc = documents_find_path(ctx->docs, wn->abs);
			json_t *version = doc ? json_integer(doc->version) : json_null();
			json_array_append_new(list, json_pack("{s:{s:s, s:o}, s:o}", "textDocument", "uri",
							      uri, "version", version, "edits", edits));
		} else {
			json_object_set_new(list, uri, edits);
		}
		free(uri);
	}
	for (uint32_t i = 0; *renamed_files && i < p->moves.len; i++) {
		char *from = uri_from_path(p->moves.items[i].old_abs);
		char *to = uri_from_path(p->moves.items[i].new_abs);
		json_t *op = json_pack("{s:s, s:s, s:s, s:{s:b}}", "kind", "rename", "oldUri", from,
				       "newUri", to, "options", "overwrite", 0);
		if (annotate)
			json_object_set_new(op, "annotationId", json_string("vault-lsp.rename"));
		json_array_append_new(list, op);
		free(from);
		free(to);
	}
	json_object_set_new(out, caps.document_changes ? "documentChanges" : "changes", list);
	if (annotate) {
		char desc[64];
		snprintf(desc, sizeof(desc), "%u files change", files);
		json_object_set_new(out, "changeAnnotations",
				    json_pack("{s:{s:s, s:b, s:s}}", "vault-lsp.rename", "label", label,
					      "needsConfirmation", 1, "description", desc));
	}
	return out;
}

static int32_t what_at(struct feature_ctx *ctx, const json_t *id, const json_t *params,
		       struct rename_what *what, const struct ws_note **wn)
{
	uint32_t offset;
	int32_t note = feature_note(ctx, id, params, wn, &offset, NULL);
	if (note >= 0 && !rename_what_at(ctx->ws, (uint32_t)note, offset, what))
		what->kind = RENAME_NONE;
	return note;
}

void rename_prepare_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct rename_what what;
	const struct ws_note *wn;
	if (what_at(ctx, id, params, &what, &wn) < 0)
		return;
	if (what.kind == RENAME_NONE) {
		channel_reply(ctx->ch, id, json_null());
		return;
	}
	struct text_view v = feature_view(wn);
	channel_reply(ctx->ch, id, json_pack("{s:o, s:o}", "range", json_range(&v, what.range, ctx->enc),
					     "placeholder", json_text(what.placeholder, what.placeholder_len)));
}

void rename_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "newName"));
	if (!name) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.newName is required");
		return;
	}
	struct rename_what what;
	const struct ws_note *wn;
	if (what_at(ctx, id, params, &what, &wn) < 0)
		return;
	struct rename_plan p = { 0 };
	rename_plan(ctx->ws, &what, name, &p);
	if (p.error) {
		channel_reply_error(ctx->ch, id, RPC_REQUEST_FAILED, p.error);
		rename_plan_fini(&p);
		return;
	}
	char label[256];
	snprintf(label, sizeof(label), "Rename '%.*s' to '%s'", (int)what.placeholder_len,
		 what.placeholder, name);
	bool renamed_files;
	json_t *edit = workspace_edit(ctx, &p, label, &renamed_files);
	if (p.moves.len && !renamed_files) {
		/* The links follow, the file cannot: say so. */
		char msg[600];
		snprintf(msg, sizeof(msg),
			 "vault-lsp: this editor cannot rename files through the language server; "
			 "the links now say '%s': rename %s to match.", name,
			 workspace_get(ctx->ws, p.moves.items[0].note)->rel);
		channel_notify(ctx->ch, "window/showMessage", json_pack("{s:i, s:s}", "type", 2,
									  "message", msg));
	}
	channel_reply(ctx->ch, id, edit);
	rename_plan_fini(&p);
}

void rename_will_rename_files(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const json_t *files = json_object_get(params, "files");
	if (!json_is_array(files)) {
		channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS, "params.files is required");
		return;
	}
	size_t n = json_array_size(files);
	char **from = xcalloc(n ? n : 1, sizeof(*from)), **to = xcalloc(n ? n : 1, sizeof(*to));
	uint32_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *f = json_array_get(files, i);
		const char *o = json_string_value(json_object_get(f, "oldUri"));
		const char *w = json_string_value(json_object_get(f, "newUri"));
		char *op = o ? uri_to_path(o) : NULL, *wp = w ? uri_to_path(w) : NULL;
		if (op && wp) {
			from[k] = op;
			to[k++] = wp;
		} else {
			free(op);
			free(wp);
		}
	}
	struct rename_plan p = { 0 };
	rename_plan_moves(ctx->ws, (const char *const *)from, (const char *const *)to, k, &p);
	bool renamed_files;
	channel_reply(ctx->ch, id, p.edits.len ? workspace_edit(ctx, &p, "Move notes", &renamed_files)
					       : json_null());
	rename_plan_fini(&p);
	for (uint32_t i = 0; i < k; i++) {
		free(from[i]);
		free(to[i]);
	}
	free(from);
	free(to);
}
