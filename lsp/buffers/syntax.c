/*
 * syntax.c — the live tree-sitter syntax tree of one open buffer.
 *
 * The split Markdown grammar: the block grammar parses the whole buffer;
 * each `inline` (and `pipe_table_cell`) node of the block tree then gets
 * its own inline tree, parsed over that node's bytes minus its block
 * continuations ("> ", list indentation) with ts_parser_set_included_ranges,
 * as the grammar's own Rust binding does. One inline tree over all inline
 * nodes at once would be cheaper to hold but wrong: the inline grammar sees
 * the ranges as one text, so `*a` in one paragraph and `b*` in the next
 * became one emphasis, and a backtick in one list item opened a code span
 * closed in the next.
 *
 * Edits: the block tree is edited and re-parsed incrementally. Inline trees
 * are small, so none is re-parsed incrementally: the block tree is searched
 * for inline nodes only where the edit and ts_tree_get_changed_ranges say
 * the structure may have changed; elsewhere the inline trees are kept as
 * they are, only shifted. A keystroke in a 1 MB note thus costs the block
 * re-parse plus one paragraph.
 *
 * The text as the parsers read it is source.c's, the inline trees are
 * inline_trees.c's; the outline (outline.c) and folds (folds.c) come from
 * the block tree alone.
 *
 * Every walk is iterative (TSTreeCursor, never recursion): a buffer of 10k
 * nested list items must not exhaust our stack.
 */
#include "syntax_impl.h"

#include <stdlib.h>
#include <string.h>

/* Entry point of the block grammar built by lsp/buffers/grammar/grammar.cmake
 * (inline_trees.c loads the inline one). */
const TSLanguage *tree_sitter_markdown(void);

/*
 * Tree-sitter re-parses the block holding an edit token by token, checking
 * each old token for reuse: inside one giant paragraph or code block that
 * is slower than parsing afresh (1 MB: 1.2 s against 0.8 s; 5 MB: 12 s
 * against 3 s). Past this size such an edit re-parses from scratch.
 */
#define GIANT_LEAF_BYTES (256u * 1024u)

static const char *const sym_names[SYM_COUNT] = {
	[SYM_DOCUMENT] = "document",
	[SYM_SECTION] = "section",
	[SYM_ATX_HEADING] = "atx_heading",
	[SYM_SETEXT_HEADING] = "setext_heading",
	[SYM_ATX_H1] = "atx_h1_marker",
	[SYM_ATX_H2] = "atx_h2_marker",
	[SYM_ATX_H3] = "atx_h3_marker",
	[SYM_ATX_H4] = "atx_h4_marker",
	[SYM_ATX_H5] = "atx_h5_marker",
	[SYM_ATX_H6] = "atx_h6_marker",
	[SYM_SETEXT_H1] = "setext_h1_underline",
	[SYM_SETEXT_H2] = "setext_h2_underline",
	[SYM_PARAGRAPH] = "paragraph",
	[SYM_LIST] = "list",
	[SYM_LIST_ITEM] = "list_item",
	[SYM_BLOCK_QUOTE] = "block_quote",
	[SYM_HTML_BLOCK] = "html_block",
	[SYM_LINK_REF_DEF] = "link_reference_definition",
	/* Error recovery nodes (tree-sitter 0.20 has no ts_node_is_error). */
	[SYM_ERROR] = "ERROR",
};

/* True when the smallest node holding [start, end] of the (unedited) tree
 * is a leaf block, or inside one, bigger than GIANT_LEAF_BYTES.
 * Containers are fine: their children are reused whole. */
static bool giant_leaf_at(const struct syntax *s, const TSTree *t,
			  uint32_t start, uint32_t end)
{
	TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(t),
						     start, end);
	if (ts_node_end_byte(n) - ts_node_start_byte(n) <= GIANT_LEAF_BYTES)
		return false;
	TSSymbol sym = ts_node_symbol(n);
	return sym != s->sym[SYM_DOCUMENT] && sym != s->sym[SYM_SECTION] &&
	       sym != s->sym[SYM_LIST] && sym != s->sym[SYM_LIST_ITEM] &&
	       sym != s->sym[SYM_BLOCK_QUOTE] && sym != s->sym[SYM_ERROR];
}

/* Does edit [start, end] re-parse a giant leaf token by token? Also when
 * the leaf only ends where the edit starts: text typed right after a
 * paragraph may continue it, so tree-sitter re-lexes it too (appending
 * to a note that is one 5 MB line: 9.6 s, against 3.5 s afresh). */
static bool in_giant_leaf(const struct syntax *s, const TSTree *t,
			  uint32_t start, uint32_t end)
{
	return giant_leaf_at(s, t, start, end) ||
	       (start > 0 && giant_leaf_at(s, t, start - 1, start));
}

struct syntax *syntax_new(const char *text, size_t len)
{
	struct syntax *s = xcalloc(1, sizeof(*s));
	const TSLanguage *block = tree_sitter_markdown();
	s->block_parser = ts_parser_new();
	if (!ts_parser_set_language(s->block_parser, block) ||
	    !inline_trees_init(&s->inl, block)) {
		syntax_free(s);
		return NULL;
	}
	for (int i = 0; i < SYM_COUNT; i++)
		s->sym[i] = ts_language_symbol_for_name(
			block, sym_names[i], (uint32_t)strlen(sym_names[i]), true);
	source_set(&s->src, text, len);
	s->block = source_parse(&s->src, s->block_parser, NULL,
				BLOCK_TIMEOUT_MICROS(s->src.len));
	struct inline_set none = { 0 };
	struct region all = { 0, s->src.len };
	struct region_list everything = { &all, 1, 1 };
	inline_trees_update(&s->inl, &s->src, s->block, &none, &everything);
	return s;
}

void syntax_free(struct syntax *s)
{
	if (!s)
		return;
	ts_tree_delete(s->block);
	inline_trees_fini(&s->inl);
	ts_parser_delete(s->block_parser);
	source_fini(&s->src);
	free(s);
}

void syntax_edit(struct syntax *s, uint32_t start, uint32_t old_end,
		 uint32_t new_end, const char *new_text, size_t new_len)
{
	if (!s)
		return;
	if (new_len >= UINT32_MAX || !new_text)
		new_len = 0;
	const char *old = s->src.text;
	uint32_t old_len = s->src.len, nlen = (uint32_t)new_len;
	const char *nt = new_text ? new_text : "";

	/* An edit that does not describe the change (a client out of sync,
	 * an off-by-one in the caller) would make tree-sitter reuse nodes
	 * for bytes that changed. Check it against both texts and fall back
	 * to "everything changed", which the narrowing below makes cheap. */
	if (!(start <= old_end && old_end <= old_len && start <= new_end &&
	      new_end <= nlen && old_len - old_end == nlen - new_end &&
	      memcmp(old, nt, start) == 0 &&
	      memcmp(old + old_end, nt + new_end, old_len - old_end) == 0)) {
		start = 0;
		old_end = old_len;
		new_end = nlen;
	}
	/* Narrow to the bytes that really differ, so a whole-buffer
	 * replacement (full document sync) is still an incremental parse. */
	while (start < old_end && start < new_end && old[start] == nt[start])
		start++;
	while (old_end > start && new_end > start &&
	       old[old_end - 1] == nt[new_end - 1]) {
		old_end--;
		new_end--;
	}
	if (start == old_end && start == new_end)
		return; /* no change */

	/* When guard_text changes bytes (in the old text or the new one),
	 * the parsers' text may also differ in the rest of the lines the
	 * edit touched: then the edit covers those lines whole. */
	uint32_t line_start =
		s->src.lines.items[source_line_of(&s->src, start)];
	const char *eol = memchr(old + old_end, '\n', old_len - old_end);
	uint32_t line_end = eol ? (uint32_t)(eol - old) + 1 : old_len;
	bool was_guarded = s->src.guarded != NULL;
	TSInputEdit e = {
		.start_byte = start,
		.old_end_byte = old_end,
		.new_end_byte = new_end,
		.start_point = source_point_at(&s->src, start),
		.old_end_point = source_point_at(&s->src, old_end),
	};
	TSInputEdit whole_lines = {
		.start_byte = line_start,
		.old_end_byte = line_end,
		.new_end_byte = new_end + (line_end - old_end),
		.start_point = source_point_at(&s->src, line_start),
		.old_end_point = source_point_at(&s->src, line_end),
	};
	source_set(&s->src, nt, nlen);
	if (was_guarded || s->src.guarded) {
		e = whole_lines;
		start = e.start_byte;
		new_end = e.new_end_byte;
	}
	e.new_end_point = source_point_at(&s->src, new_end);

	struct inline_set kept = { 0 };
	struct region_list changed = { 0 };
	TSTree *prev = s->block;
	if (prev && in_giant_leaf(s, prev, e.start_byte, e.old_end_byte)) {
		ts_tree_delete(prev);
		prev = s->block = NULL;
	}
	if (prev)
		ts_tree_edit(prev, &e);
	inline_trees_keep_untouched(&s->inl, &e, &kept);
	TSTree *next = source_parse(&s->src, s->block_parser, prev,
				    BLOCK_TIMEOUT_MICROS(s->src.len));
	if (next && prev) {
		uint32_t n = 0;
		TSRange *r = ts_tree_get_changed_ranges(prev, next, &n);
		for (uint32_t i = 0; i < n; i++)
			array_push(&changed, ((struct region){ r[i].start_byte,
							       r[i].end_byte }));
		free(r);
		array_push(&changed, ((struct region){ start, new_end }));
	} else if (next || !prev) {
		/* Nothing to compare with: everything may have changed. */
		array_push(&changed, ((struct region){ 0, nlen }));
	} else {
		/* Timed out: keep the edited old tree, stale but consistent
		 * with the new offsets. */
		array_push(&changed, ((struct region){ start, new_end }));
	}
	if (next) {
		ts_tree_delete(prev);
		s->block = next;
	} else {
		s->block = prev;
	}
	inline_trees_update(&s->inl, &s->src, s->block, &kept, &changed);
	array_free(&changed);
}

/* ---- node at ---- */

const char *syntax_node_at(const struct syntax *s, uint32_t offset)
{
	if (!s || !s->block || offset > s->src.len)
		return "";
	const struct inline_node *in = inline_trees_at(&s->inl, offset);
	if (in && in->tree) {
		TSNode root = ts_tree_root_node_with_offset(in->tree, in->shift,
							    (TSPoint){ 0, 0 });
		TSNode n = ts_node_named_descendant_for_byte_range(root, offset,
								   offset);
		/* The inline root only says "some inline text": the block
		 * tree knows which block it is in. */
		if (!ts_node_is_null(n) && !ts_node_eq(n, root))
			return ts_node_type(n);
	}
	TSNode n = ts_node_named_descendant_for_byte_range(
		ts_tree_root_node(s->block), offset, offset);
	return ts_node_is_null(n) ? "" : ts_node_type(n);
}
