/*
 * feature.h — the LSP methods, one file per method family under
 * lsp/features/, each answering from a feature_ctx: what a request needs,
 * handed down by the server, which the features never call back into.
 *
 * Requests get the id to answer; notifications get NULL. Params may be
 * NULL or of any JSON type: each handler validates what it reads. Every
 * handler runs on the thread that owns the workspace and the documents.
 */
#ifndef VAULT_FEATURE_H
#define VAULT_FEATURE_H

#include "channel.h"
#include "document.h"
#include "protocol.h"
#include "rank.h"
#include "rpc.h"
#include "workspace.h"

#include <jansson.h>

struct feature_ctx {
	struct workspace *ws;
	struct documents *docs;
	enum pos_encoding enc;     /* negotiated at initialize */
	struct channel *ch;        /* replies and notifications */
	const json_t *caps;        /* the client's capabilities (never NULL) */
	struct log *log;
	struct rank_options rank;
	struct semantic_cache *tokens; /* semantic_tokens.c: the last result of each document */
};

typedef void (*feature_fn)(struct feature_ctx *ctx, const json_t *id, const json_t *params);

/* text_sync.c: the open buffers, and the index seeing them. Each marks
 * the document dirty: its diagnostics are due. */
void text_sync_did_open(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void text_sync_did_change(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void text_sync_did_save(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void text_sync_did_close(struct feature_ctx *ctx, const json_t *id, const json_t *params);

/* diagnostics.c: textDocument/publishDiagnostics of one note, open or not
 * (nothing is sent for a note without diagnostics unless even_if_empty).
 * Returns whether it has any. */
bool diagnostics_publish(struct feature_ctx *ctx, uint32_t id, bool even_if_empty);
/* The same for a list made already (diagnose_note's, or the one the
 * index cache kept). */
struct diag_list;
bool diagnostics_publish_list(struct feature_ctx *ctx, uint32_t id, const struct diag_list *list,
			      bool even_if_empty);
/* Clears what the client shows for a note (by its path). */
void diagnostics_clear(struct feature_ctx *ctx, const char *abs);
struct diagnostic;
json_t *diagnostics_encode(const struct feature_ctx *ctx, const struct diagnostic *d,
			   const struct ws_note *wn);

/* folding_range.c */
void folding_range_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* document_symbol.c */
void document_symbol_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* completion.c */
void completion_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void completion_resolve(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* hover.c */
void hover_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* definition.c */
void definition_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* document_link.c */
void document_link_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* references.c: textDocument/references and documentHighlight */
void references_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void document_highlight_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* code_lens.c */
void code_lens_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void code_lens_resolve(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* rename.c */
void rename_prepare_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void rename_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void rename_will_rename_files(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* code_action.c */
void code_action_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* semantic_tokens.c: full, full/delta, range; the semanticTokensProvider
 * (with the legend) for a client with these capabilities, or NULL when it
 * is not to be advertised; forget drops a document's last result
 * (didClose), free them all (the server's end). */
void semantic_tokens_full(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void semantic_tokens_delta(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void semantic_tokens_range(struct feature_ctx *ctx, const json_t *id, const json_t *params);
json_t *semantic_tokens_options(const json_t *caps);
void semantic_tokens_forget(struct feature_ctx *ctx, const char *uri);
/* An open document the index says a change affected; then, after the
 * message: is workspace/semanticTokens/refresh due (tokens the client holds
 * changed without an edit, and it supports refresh)? */
void semantic_tokens_affected(struct feature_ctx *ctx, const struct document *doc);
bool semantic_tokens_stale(struct feature_ctx *ctx);
void semantic_tokens_free(struct feature_ctx *ctx);
/* workspace_symbol.c */
void workspace_symbol_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
/* link_mentions.c: codeAction/resolve (the edit of "Link all N unlinked
 * mentions"; any other action comes back as it was), and the command
 * vault-lsp.unlinkedMentions (arguments: [uri]): the Locations of the
 * note's unlinked mentions. */
void link_mentions_resolve(struct feature_ctx *ctx, const json_t *id, const json_t *params);
void link_mentions_command(struct feature_ctx *ctx, const json_t *id, const json_t *args);
/* command.c: workspace/executeCommand, and the names of the commands it
 * knows (a new array, for executeCommandProvider). */
void command_request(struct feature_ctx *ctx, const json_t *id, const json_t *params);
json_t *command_names(void);

/* feature.c: the decoding every textDocument request shares. The open
 * document named by params.textDocument.uri, or NULL after replying with
 * an error. */
struct document *feature_document(struct feature_ctx *ctx, const json_t *id,
				   const json_t *params);
/* The open document's note (the index holds the buffer's text), and with
 * offset, params.position as a byte offset in it. Returns the note id, or
 * -1 after replying: an error for bad params, or `empty` (stolen; NULL
 * means null) when the document is not a note. */
int32_t feature_note(struct feature_ctx *ctx, const json_t *id, const json_t *params,
		      const struct ws_note **wn, uint32_t *offset, json_t *empty);

/* A note's text with its line map, to convert positions in it. */
struct text_view feature_view(const struct ws_note *wn);
/* Where a resolved link leads in its target: the heading's line, the
 * block, else the top. */
struct span feature_target_span(const struct ws_note *t, const struct resolution *r);

#endif
