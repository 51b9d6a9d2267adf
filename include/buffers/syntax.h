/*
 * syntax.h — the live tree-sitter syntax tree of one open buffer.
 *
 * Tree-sitter is used only here and in the files of lsp/buffers/ this
 * tree is made of. It holds the Markdown block tree and one inline tree
 * per inline node of it (parsed over that node's ranges) and updates them
 * incrementally on every edit. It answers structural questions about the
 * buffer as it is being typed: the node at an offset here, the heading
 * outline in outline.h, folding ranges in folds.h. It never builds the
 * note model.
 *
 * Positions are byte offsets into the buffer text. Any bytes are accepted
 * (invalid UTF-8, NUL, CRLF or lone CR); a buffer of 4 GiB or more is
 * treated as empty. Pathological buffers (runaway nesting, delimiter runs,
 * multi-megabyte paragraphs) are parsed within time limits that grow with
 * their size; past those a feature answers from what it has (an older
 * tree, no inline detail) rather than block the caller.
 *
 * Not thread-safe: one thread at a time per struct syntax (tree-sitter
 * trees must be copied to be read from two threads).
 */
#ifndef VAULT_SYNTAX_H
#define VAULT_SYNTAX_H

#include "util.h"

struct syntax;

/* Parses a copy of text[0..len) (text may be NULL when len is 0). Returns
 * NULL only if the grammar cannot be loaded (an ABI mismatch), which
 * callers treat as "no syntax features". Free with syntax_free. */
struct syntax *syntax_new(const char *text, size_t len);
void syntax_free(struct syntax *s);

/*
 * Applies one edit: bytes [start, old_end) of the previous text were
 * replaced by new_text[start..new_end), and new_text[0..new_len) is the
 * whole buffer after the edit (copied; the caller keeps it). Re-parses
 * incrementally. The edit is narrowed to the bytes that really differ,
 * so (0, old_len, new_len) — a full-document sync — is as cheap as the
 * precise edit; one that does not match the two texts is treated as that.
 */
void syntax_edit(struct syntax *s, uint32_t start, uint32_t old_end,
		 uint32_t new_end, const char *new_text, size_t new_len);

/* Name of the innermost named node at byte offset (for tests/debugging),
 * from the inline tree when the offset is in inline text: a static
 * string, or "" when none (offset > len, or no tree). */
const char *syntax_node_at(const struct syntax *s, uint32_t offset);

#endif
