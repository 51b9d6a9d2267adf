/*
 * handlers.h — one handler per LSP method, each in its own file under lsp/.
 * Requests get the id to answer; notifications get NULL. Params may be
 * NULL or of any JSON type: each handler validates what it reads.
 */
#ifndef VAULT_HANDLERS_H
#define VAULT_HANDLERS_H

#include "server.h"
#include "watch.h"

typedef void (*feature_fn)(struct server *s, const json_t *id, const json_t *params);

/* sync.c: text synchronisation */
void sync_did_open(struct server *s, const json_t *id, const json_t *params);
void sync_did_change(struct server *s, const json_t *id, const json_t *params);
void sync_did_save(struct server *s, const json_t *id, const json_t *params);
void sync_did_close(struct server *s, const json_t *id, const json_t *params);
void sync_did_change_watched(struct server *s, const json_t *id, const json_t *params);
/* A note (or a folder of notes) changed on disk, seen by the client's
 * watcher or ours: the index follows, within the walk's rules. */
void sync_file_changed(struct server *s, const char *abs, enum watch_kind kind);
/* Walks the vault again and makes the index hold exactly the notes the
 * walk finds now (after the ignore rules changed). */
void sync_rescan(struct server *s);

/* publish.c: textDocument/publishDiagnostics of one note, open or not
 * (nothing is sent for a note without diagnostics unless even_if_empty).
 * Returns whether it has any. */
bool publish_note(struct server *s, uint32_t id, bool even_if_empty);
struct diagnostic;
struct ws_note;
json_t *publish_encode(struct server *s, const struct diagnostic *d, const struct ws_note *wn);

/* folding.c */
void folding_range(struct server *s, const json_t *id, const json_t *params);
/* symbols.c */
void document_symbol(struct server *s, const json_t *id, const json_t *params);

/* completion.c */
void completion(struct server *s, const json_t *id, const json_t *params);
void completion_resolve(struct server *s, const json_t *id, const json_t *params);
/* For tests: rank by scoring every key, without the shortcuts, whose
 * answers must be the same. */
void completion_set_exhaustive(bool on);
/* For tests: split the passes over at least this many keys between two
 * threads (0: the default, 16,384), as in a large vault. */
void completion_set_split(uint32_t keys);
/* hover.c */
void hover(struct server *s, const json_t *id, const json_t *params);
/* definition.c */
void definition(struct server *s, const json_t *id, const json_t *params);
void document_link(struct server *s, const json_t *id, const json_t *params);

/* actions.c */
void code_action(struct server *s, const json_t *id, const json_t *params);

/* Shared decoding for textDocument requests: the open document named by
 * params.textDocument.uri, or NULL after replying with an error. */
struct document *feature_document(struct server *s, const json_t *id, const json_t *params);
/* The open document's note (the index holds the buffer's text), and with
 * offset, params.position as a byte offset in it. Returns the note id, or
 * -1 after replying: an error for bad params, or `empty` (stolen; NULL
 * means null) when the document is not a note. */
struct ws_note;
int32_t feature_note(struct server *s, const json_t *id, const json_t *params,
		     const struct ws_note **wn, uint32_t *offset, json_t *empty);

#endif
