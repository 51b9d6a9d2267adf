/*
 * syntax.h — the live tree-sitter syntax tree of one open buffer.
 *
 * The only module that uses tree-sitter (lsp/syntax.c). It holds the
 * Markdown block tree and the inline tree (parsed over the block tree's
 * inline ranges) and updates both incrementally on every edit. It answers
 * structural questions about the buffer as it is being typed: folding
 * ranges and the heading outline. It never builds the note model.
 *
 * Positions are byte offsets into the buffer text.
 */
#ifndef VAULT_SYNTAX_H
#define VAULT_SYNTAX_H

#include "util.h"

struct syntax;

/* Parses text[0..len). Returns NULL only if the grammar cannot be loaded
 * (an ABI mismatch), which callers treat as "no syntax features". */
struct syntax *syntax_new(const char *text, size_t len);
void syntax_free(struct syntax *s);

/*
 * Applies one edit: bytes [start, old_end) of the previous text were
 * replaced, and new_text[0..new_len) is the whole buffer after the edit.
 * Re-parses incrementally.
 */
void syntax_edit(struct syntax *s, uint32_t start, uint32_t old_end,
		 uint32_t new_end, const char *new_text, size_t new_len);

enum fold_kind { FOLD_REGION, FOLD_COMMENT, FOLD_IMPORTS };

struct fold {
	uint32_t start, end; /* byte offsets of the first and last folded bytes */
	uint8_t kind;        /* enum fold_kind */
};

struct fold_list { struct fold *items; uint32_t len, cap; }; /* an ARRAY */

/* Folding ranges: sections (heading to the end of its section), lists
 * with more than one line, fenced/indented code blocks, block quotes,
 * frontmatter, HTML blocks. Sorted by start. Caller frees out->items. */
void syntax_folds(const struct syntax *s, struct fold_list *out);

struct symbol {
	uint8_t level;         /* heading level 1..6 */
	struct span name;      /* the heading's text, trimmed, without '#'s */
	struct span range;     /* the whole section: heading to end of section */
	struct span selection; /* the heading line */
	int32_t parent;        /* index of the enclosing heading's symbol, or -1 */
};

struct symbol_list { struct symbol *items; uint32_t len, cap; }; /* an ARRAY */

/* The heading outline, in document order, with parents for nesting.
 * Caller frees out->items. */
void syntax_symbols(const struct syntax *s, struct symbol_list *out);

/* Name of the innermost named node at byte offset (for tests/debugging);
 * a static string, or "" when none. */
const char *syntax_node_at(const struct syntax *s, uint32_t offset);

#endif
