/*
 * syntax_impl.h — what the files of the syntax tree share and nobody else
 * sees: struct syntax, the block grammar's node types, and the time limit
 * of its parse. syntax.c (the tree and its edits), outline.c and folds.c.
 */
#ifndef VAULT_SYNTAX_IMPL_H
#define VAULT_SYNTAX_IMPL_H

#include "inline_trees.h"
#include "source.h"
#include "syntax.h"

#include <tree_sitter/api.h>

/*
 * Time limit, measured on the grammars of tree-sitter-markdown 0.3.2 (the
 * inline trees' are in inline_trees.h, with why limits are whole seconds).
 *
 * The block grammar parses ordinary notes at ~1 MB/s and its slowest inputs
 * (a megabyte of blank lines, of list markers) at ~0.4 MB/s, linearly. Its
 * limit is a guard against the unforeseen, so it grows with the buffer:
 * a fixed limit would turn off syntax for every large note.
 */
#define BLOCK_TIMEOUT_MICROS(len) (1000000u + 4u * (uint64_t)(len))

/* The block grammar's node types we look at, resolved once per syntax. */
enum sym {
	SYM_DOCUMENT,
	SYM_SECTION,
	SYM_ATX_HEADING,
	SYM_SETEXT_HEADING,
	SYM_ATX_H1,
	SYM_ATX_H2,
	SYM_ATX_H3,
	SYM_ATX_H4,
	SYM_ATX_H5,
	SYM_ATX_H6,
	SYM_SETEXT_H1,
	SYM_SETEXT_H2,
	SYM_PARAGRAPH,
	SYM_LIST,
	SYM_LIST_ITEM,
	SYM_BLOCK_QUOTE,
	SYM_HTML_BLOCK,
	SYM_LINK_REF_DEF,
	SYM_ERROR,
	SYM_COUNT
};

struct syntax {
	struct source src; /* the text, as the parsers read it */
	TSParser *block_parser;
	TSTree *block; /* NULL when a parse never succeeded */
	struct inline_trees inl;
	TSSymbol sym[SYM_COUNT];
};

static inline bool node_sym(const struct syntax *s, TSNode n, enum sym want)
{
	return ts_node_symbol(n) == s->sym[want];
}

/* Blocks that hold no inline content: no need to walk their insides. */
static inline bool is_leaf_block(const struct syntax *s, TSSymbol sym)
{
	return inline_trees_is_leaf_block(&s->inl, sym);
}

#endif
