/*
 * folds.h — the folding ranges of one open buffer, from its live syntax
 * tree.
 */
#ifndef VAULT_FOLDS_H
#define VAULT_FOLDS_H

#include "syntax.h"

enum fold_kind { FOLD_REGION, FOLD_COMMENT, FOLD_IMPORTS };

struct fold {
	uint32_t start, end; /* byte offsets of the first and last folded bytes */
	uint8_t kind;        /* enum fold_kind */
};

struct fold_list { struct fold *items; uint32_t len, cap; }; /* an ARRAY */

/*
 * Folding ranges: sections (as in outline_symbols), and lists, list items,
 * fenced/indented code blocks, block quotes, frontmatter and HTML blocks
 * (an HTML comment block is FOLD_COMMENT). A fold ends at the last byte
 * before the line break of its last non-blank line, and only folds that
 * cover two lines or more are given; of folds over the same first and last
 * line only the outermost. Sorted by start, then outermost first.
 * Replaces the contents of *out (initialise it to { 0 }); caller frees
 * out->items.
 */
void folds_ranges(const struct syntax *s, struct fold_list *out);

#endif
