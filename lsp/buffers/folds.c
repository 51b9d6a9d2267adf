/*
 * folds.c — folding ranges from the block tree: the outline's sections,
 * and the lists, items, quotes and leaf blocks worth folding.
 */
#include "folds.h"
#include "outline.h"
#include "syntax_impl.h"

#include <stdlib.h>
#include <string.h>

struct fold_line {
	struct fold f;
	uint32_t first, last; /* lines of f.start and f.end */
};

struct fold_lines {
	struct fold_line *items;
	uint32_t len, cap;
};

static void add_fold(const struct syntax *s, struct fold_lines *l,
		     uint32_t start, uint32_t last, uint8_t kind)
{
	if (last <= start)
		return;
	struct fold_line fl = { { start, last, kind },
				source_break_of(&s->src, start),
				source_break_of(&s->src, last) };
	if (fl.first < fl.last)
		array_push(l, fl);
}

static void fold_node(const struct syntax *s, struct fold_lines *l,
		      TSNode n, struct trim_cache *cache)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (b > s->src.len)
		b = s->src.len;
	if (b <= a)
		return;
	uint8_t kind = FOLD_REGION;
	/* An HTML block that is a comment folds like one. */
	if (node_sym(s, n, SYM_HTML_BLOCK) && b - a >= 4 &&
	    memcmp(s->src.text + a, "<!--", 4) == 0)
		kind = FOLD_COMMENT;
	uint32_t last = source_last_content_byte(&s->src, a, b, cache);
	add_fold(s, l, a, last, kind);
}

/* Walks the containers of the block tree (sections, lists, items, quotes)
 * and folds what is worth folding. */
static void fold_blocks(const struct syntax *s, struct fold_lines *l)
{
	struct trim_cache cache = { 0 };
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(s->block));
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		TSSymbol sym = ts_node_symbol(n);
		bool descend = false;
		if (sym == s->sym[SYM_DOCUMENT] || sym == s->sym[SYM_SECTION] ||
		    sym == s->sym[SYM_ERROR]) {
			descend = true;
		} else if (sym == s->sym[SYM_LIST] ||
			   sym == s->sym[SYM_LIST_ITEM] ||
			   sym == s->sym[SYM_BLOCK_QUOTE]) {
			fold_node(s, l, n, &cache);
			descend = true;
		} else if (is_leaf_block(s, sym) &&
			   sym != s->sym[SYM_LINK_REF_DEF]) {
			fold_node(s, l, n, &cache);
		}
		if (descend && ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
}

/* By first line, then by last line outermost first: duplicates adjacent. */
static int cmp_by_lines(const void *pa, const void *pb)
{
	const struct fold_line *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->last != b->last)
		return a->last > b->last ? -1 : 1;
	if (a->f.start != b->f.start)
		return a->f.start < b->f.start ? -1 : 1;
	if (a->f.end != b->f.end)
		return a->f.end > b->f.end ? -1 : 1;
	return (int)a->f.kind - (int)b->f.kind;
}

/* By start, outermost first: the order the header promises. */
static int cmp_by_bytes(const void *pa, const void *pb)
{
	const struct fold *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

void folds_ranges(const struct syntax *s, struct fold_list *out)
{
	out->len = 0;
	if (!s || !s->block)
		return;
	struct fold_lines l = { 0 };

	struct symbol_list outline = { 0 };
	outline_symbols(s, &outline);
	for (uint32_t i = 0; i < outline.len; i++) {
		struct span r = outline.items[i].range;
		add_fold(s, &l, r.start, span_end(r) - 1, FOLD_REGION);
	}
	array_free(&outline);
	fold_blocks(s, &l);

	/* Editors fold by lines: a list holding one item, or a quote holding
	 * one list, gives two folds over the same lines. Keep the outermost. */
	if (l.len)
		qsort(l.items, l.len, sizeof(*l.items), cmp_by_lines);
	array_grow(out, l.len);
	for (uint32_t i = 0; i < l.len; i++) {
		if (i && l.items[i].first == l.items[i - 1].first &&
		    l.items[i].last == l.items[i - 1].last)
			continue;
		out->items[out->len++] = l.items[i].f;
	}
	array_free(&l);
	if (out->len)
		qsort(out->items, out->len, sizeof(*out->items), cmp_by_bytes);
}
