/*
 * inline_trees.h — the inline trees of one block tree, one per `inline`
 * (and `pipe_table_cell`) node of it, parsed over that node's ranges, and
 * kept, shifted or re-parsed as edits come. Private to lsp/buffers/.
 */
#ifndef VAULT_INLINE_TREES_H
#define VAULT_INLINE_TREES_H

#include "source.h"

#include <tree_sitter/api.h>

/*
 * Time limits, measured on the grammars of tree-sitter-markdown 0.3.2
 * (the block grammar's are in syntax_impl.h).
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
#define INLINE_NODE_TIMEOUT_MICROS 1000000u
#define INLINE_BUDGET_MICROS(len) (2000000u + 4u * (uint64_t)(len))
#define INLINE_MAX_BYTES (64u * 1024u)

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

/* Blocks of the block grammar that hold no inline content. */
#define INLINE_TREES_LEAF_BLOCKS 6

struct inline_trees {
	TSParser *parser; /* the inline grammar's */
	struct inline_set set;
	/* The block grammar's node types the search for inline nodes looks
	 * at: the inline nodes, and the blocks it need not enter. */
	TSSymbol inline_sym, cell_sym;
	TSSymbol leaf[INLINE_TREES_LEAF_BLOCKS];
};

/* Sets up an empty t for block trees of grammar block. False when the
 * inline grammar cannot be loaded (an ABI mismatch); t must still be
 * given to inline_trees_fini. */
bool inline_trees_init(struct inline_trees *t, const TSLanguage *block);
void inline_trees_fini(struct inline_trees *t);

/* True for a block that holds no inline content (code, HTML, metadata,
 * link reference definitions): no need to walk its insides. */
bool inline_trees_is_leaf_block(const struct inline_trees *t, TSSymbol sym);

/*
 * Brings t up to date with block, the block tree of src (NULL when none).
 * `old` holds the inline nodes of the previous text that the edit did not
 * touch, moved to the new offsets (their bytes are unchanged). `changed`
 * lists the regions where the block structure may differ (the edit itself,
 * and what ts_tree_get_changed_ranges reports): outside them every inline
 * node is still exactly one of `old`, and is kept without visiting the
 * block tree. Inside them the nodes are found again; one whose extent and
 * ranges match an old node takes over its tree (same bytes, and the inline
 * grammar sees nothing else), the others are parsed afresh. Consumes old.
 */
void inline_trees_update(struct inline_trees *t, const struct source *src,
			 const TSTree *block, struct inline_set *old,
			 struct region_list *changed);

/*
 * Moves the inline nodes of t that edit e did not touch into out, at their
 * new offsets; frees the others, leaving t empty. Touching counts: text
 * inserted right after a paragraph may belong to it.
 */
void inline_trees_keep_untouched(struct inline_trees *t, const TSInputEdit *e,
				 struct inline_set *out);

/* The inline node whose included ranges hold off, or NULL. */
const struct inline_node *inline_trees_at(const struct inline_trees *t,
					  uint32_t off);

#endif
