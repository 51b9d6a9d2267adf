/*
 * syntax_impl.h — what the files of the syntax tree share and nobody else
 * sees: struct syntax, the block grammar's node types, and the time limits
 * of its parses. syntax.c (the tree and its edits), inline_trees.c,
 * outline.c and folds.c.
 */
#ifndef VAULT_SYNTAX_IMPL_H
#define VAULT_SYNTAX_IMPL_H

#include "source.h"
#include "syntax.h"

#include <tree_sitter/api.h>

/*
 * Time limits, measured on the grammars of tree-sitter-markdown 0.3.2.
 *
 * The block grammar parses ordinary notes at ~1 MB/s and its slowest inputs
 * (a megabyte of blank lines, of list markers) at ~0.4 MB/s, linearly. Its
 * limit is a guard against the unforeseen, so it grows with the buffer:
 * a fixed limit would turn off syntax for every large note.
 *
 * The inline grammar is linear on prose but not on runs of delimiters:
 * 4 KB of "**__" takes 3 s, 16 KB of "*" 6 s (quadratic and worse), and
 * 500 bytes of random punctuation can take over a second. So one update
 * gets a total inline budget, each node at most a second of it, and nodes
 * left over get no inline tree (they are tried again when an edit touches
 * them). An inline tree only refines syntax_node_at, so losing one costs
 * little; which ones are lost may depend on the edit history.
 *
 * Limits are whole seconds: tree-sitter 0.20.7 adds the microseconds of a
 * timeout to tv_nsec without carrying into tv_sec, so a timeout of 0.9 s
 * started 5 ms before a second boundary fires after 5 ms (measured). Being
 * wall-clock time, limits also sit far above any normal parse: a busy
 * machine must not change the answer.
 *
 * Over INLINE_MAX_BYTES an inline node is not parsed at all: tree-sitter
 * 0.20.7 frees the GLR stack of a huge paragraph recursively, and a 5 MB
 * paragraph of prose overflowed an 8 MB stack.
 */
#define BLOCK_TIMEOUT_MICROS(len) (1000000u + 4u * (uint64_t)(len))
#define INLINE_NODE_TIMEOUT_MICROS 1000000u
#define INLINE_BUDGET_MICROS(len) (2000000u + 4u * (uint64_t)(len))
#define INLINE_MAX_BYTES (64u * 1024u)

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
	SYM_INLINE,
	SYM_PIPE_TABLE_CELL,
	SYM_LIST,
	SYM_LIST_ITEM,
	SYM_BLOCK_QUOTE,
	SYM_FENCED_CODE,
	SYM_INDENTED_CODE,
	SYM_HTML_BLOCK,
	SYM_MINUS_METADATA,
	SYM_PLUS_METADATA,
	SYM_LINK_REF_DEF,
	SYM_ERROR,
	SYM_COUNT
};

/* One inline node of the block tree with its own inline tree. */
struct inline_node {
	uint32_t start, end;   /* the node's bytes */
	uint32_t first, count; /* its included ranges: ranges.items[first..) */
	/*
	 * Inline trees are never edited: an edit elsewhere only moves them,
	 * so instead of ts_tree_edit on thousands of trees per keystroke,
	 * shift (mod 2^32) is added to the tree's byte offsets when it is
	 * read, with ts_tree_root_node_with_offset. The trees' points are
	 * therefore stale: only bytes are used.
	 */
	uint32_t shift;
	TSTree *tree; /* NULL when its parse timed out */
};

/* All inline nodes, sorted by start (they never overlap). */
struct inline_set {
	ARRAY(struct inline_node) nodes;
	ARRAY(struct span) ranges; /* sorted and disjoint too */
};

/* A closed byte interval [a, b]: touching a region counts as being in it. */
struct region {
	uint32_t a, b;
};

struct region_list {
	struct region *items;
	uint32_t len, cap;
};

struct syntax {
	struct source src; /* the text, as the parsers read it */
	TSParser *block_parser, *inline_parser;
	TSTree *block; /* NULL when a parse never succeeded */
	struct inline_set inl;
	TSSymbol sym[SYM_COUNT];
};

static inline bool node_sym(const struct syntax *s, TSNode n, enum sym want)
{
	return ts_node_symbol(n) == s->sym[want];
}

/* Blocks that hold no inline content: no need to walk their insides. */
static inline bool is_leaf_block(const struct syntax *s, TSSymbol sym)
{
	return sym == s->sym[SYM_FENCED_CODE] ||
	       sym == s->sym[SYM_INDENTED_CODE] ||
	       sym == s->sym[SYM_HTML_BLOCK] ||
	       sym == s->sym[SYM_MINUS_METADATA] ||
	       sym == s->sym[SYM_PLUS_METADATA] ||
	       sym == s->sym[SYM_LINK_REF_DEF];
}

static inline bool is_inline_node(const struct syntax *s, TSSymbol sym)
{
	return sym == s->sym[SYM_INLINE] || sym == s->sym[SYM_PIPE_TABLE_CELL];
}

/* inline_trees.c: the inline trees of one syntax tree, one per `inline`
 * (and `pipe_table_cell`) node of the block tree, parsed over that node's
 * ranges, and kept, shifted or re-parsed as edits come. */

/*
 * Brings s->inl up to date with the block tree. `old` holds the inline
 * nodes of the previous text that the edit did not touch, moved to the new
 * offsets (their bytes are unchanged). `changed` lists the regions where
 * the block structure may differ (the edit itself, and what
 * ts_tree_get_changed_ranges reports): outside them every inline node is
 * still exactly one of `old`, and is kept without visiting the block tree.
 * Inside them the nodes are found again; one whose extent and ranges match
 * an old node takes over its tree (same bytes, and the inline grammar sees
 * nothing else), the others are parsed afresh. Consumes old.
 */
void inline_trees_update(struct syntax *s, struct inline_set *old,
			 struct region_list *changed);

/*
 * Moves the inline nodes of s->inl that edit e did not touch into out, at
 * their new offsets; frees the others. Touching counts: text inserted right
 * after a paragraph may belong to it.
 */
void inline_trees_keep_untouched(struct syntax *s, const TSInputEdit *e,
				 struct inline_set *out);

void inline_trees_fini(struct inline_set *set);

/* The inline node whose included ranges hold off, or NULL. */
const struct inline_node *inline_trees_at(const struct inline_set *set,
					  uint32_t off);

#endif
