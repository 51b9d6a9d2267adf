/*
 * document.h — the open buffers: text as the editor has it, its version,
 * line map and live syntax tree. Keyed by the client's URI string, exactly
 * as the client wrote it.
 */
#ifndef VAULT_DOCUMENT_H
#define VAULT_DOCUMENT_H

#include "position.h"
#include "syntax.h"

/*
 * Buffers larger than this get no syntax tree and are indexed by name only,
 * as note files of that size are (MAX_NOTE_BYTES in workspace_impl.h):
 * tree-sitter alone takes ~40 s to open a 50 MB note and seconds a
 * keystroke, all on the thread that answers every request.
 */
#define DOCUMENT_MAX_PARSED_BYTES (8u << 20)

struct document {
	char *uri;
	char *path;          /* local path, or NULL if the URI is not a file */
	int64_t version;
	struct strbuf text;
	struct line_map lines;
	struct syntax *syntax; /* NULL if the grammar could not be loaded, or
				  the text is over DOCUMENT_MAX_PARSED_BYTES */
	bool dirty;            /* its diagnostics are to be published again */
};

struct documents;

struct documents *documents_new(void);
void documents_free(struct documents *docs);

/* Opens (or re-opens, replacing) a document. Copies everything. */
struct document *documents_open(struct documents *docs, const char *uri,
				const char *text, size_t len, int64_t version);
struct document *documents_get(const struct documents *docs, const char *uri);
/* Closes it; false if it was not open. */
bool documents_close(struct documents *docs, const char *uri);
/* Iteration: i from 0 while documents_at returns non-NULL. */
struct document *documents_at(const struct documents *docs, uint32_t i);
/* The open document whose local path (doc->path, the URI decoded) is
 * exactly abs, or NULL: none, or only under a URI that is not a file. */
struct document *documents_find_path(const struct documents *docs,
				     const char *abs);

/* Replaces bytes [start, end) with text[0..len), updating lines and syntax. */
void document_edit(struct document *doc, uint32_t start, uint32_t end,
		   const char *text, size_t len);
/* Replaces the whole text. */
void document_set_text(struct document *doc, const char *text, size_t len);

static inline struct text_view document_view(const struct document *doc)
{
	return (struct text_view){ doc->text.ptr, doc->text.len, &doc->lines };
}

#endif
