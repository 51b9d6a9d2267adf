/*
 * inline_trees.h — the inline trees of one syntax tree: one per `inline`
 * (and `pipe_table_cell`) node of the block tree, parsed over that node's
 * ranges, and kept, shifted or re-parsed as edits come. Private to the
 * syntax tree's files.
 */
#ifndef VAULT_INLINE_TREES_H
#define VAULT_INLINE_TREES_H

#include "util.h"

#include <tree_sitter/api.h>

struct syntax;

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
