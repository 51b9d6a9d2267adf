/*
 * inline_trees.c — the inline trees of one block tree: finding the inline
 * nodes of the block tree where an edit may have changed them, parsing
 * each within its time limit, and keeping the others as they are.
 */
#include "inline_trees.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Entry point of the grammar built by lsp/buffers/grammar/grammar.cmake. */
const TSLanguage *tree_sitter_markdown_inline(void);

static const char *const leaf_names[INLINE_TREES_LEAF_BLOCKS] = {
	"fenced_code_block", "indented_code_block",
	"html_block",        "minus_metadata",
	"plus_metadata",     "link_reference_definition",
};

static TSSymbol lookup_symbol(const TSLanguage *lang, const char *name)
{
	return ts_language_symbol_for_name(lang, name, (uint32_t)strlen(name),
					   true);
}

bool inline_trees_init(struct inline_trees *t, const TSLanguage *block)
{
	*t = (struct inline_trees){ 0 };
	t->parser = ts_parser_new();
	if (!ts_parser_set_language(t->parser, tree_sitter_markdown_inline()))
		return false;
	t->inline_sym = lookup_symbol(block, "inline");
	t->cell_sym = lookup_symbol(block, "pipe_table_cell");
	for (int i = 0; i < INLINE_TREES_LEAF_BLOCKS; i++)
		t->leaf[i] = lookup_symbol(block, leaf_names[i]);
	return true;
}

bool inline_trees_is_leaf_block(const struct inline_trees *t, TSSymbol sym)
{
	for (int i = 0; i < INLINE_TREES_LEAF_BLOCKS; i++)
		if (sym == t->leaf[i])
			return true;
	return false;
}

static bool is_inline_node(const struct inline_trees *t, TSSymbol sym)
{
	return sym == t->inline_sym || sym == t->cell_sym;
}

static void set_fini(struct inline_set *set)
{
	for (uint32_t i = 0; i < set->nodes.len; i++)
		ts_tree_delete(set->nodes.items[i].tree);
	array_free(&set->nodes);
	array_free(&set->ranges);
}

void inline_trees_fini(struct inline_trees *t)
{
	set_fini(&t->set);
	if (t->parser)
		ts_parser_delete(t->parser);
	t->parser = NULL;
}

static void push_range(const struct source *src, struct inline_set *set,
		       uint32_t start, uint32_t end)
{
	/* ts_parser_set_included_ranges rejects overlapping or unsorted
	 * ranges; the block tree should never produce them, but a stale tree
	 * kept after a timeout might, so clamp rather than trust. */
	uint32_t prev = set->ranges.len ?
		span_end(set->ranges.items[set->ranges.len - 1]) : 0;
	if (start < prev)
		start = prev;
	if (end > src->len)
		end = src->len;
	if (end > start)
		array_push(&set->ranges, ((struct span){ start, end - start }));
}

/* Appends the bytes of inline node n minus its named children (block
 * continuations); unnamed children such as a heading's closing '#'s stay,
 * as in the grammar's Rust binding. */
static void push_inline_ranges(const struct source *src,
			       struct inline_set *set, TSNode n)
{
	uint32_t start = ts_node_start_byte(n);
	/* The block grammar leaves every word of inline text as a hidden
	 * child, so only walk the children when there is a named one. */
	if (ts_node_named_child_count(n)) {
		TSTreeCursor c = ts_tree_cursor_new(n);
		if (ts_tree_cursor_goto_first_child(&c)) {
			do {
				TSNode child = ts_tree_cursor_current_node(&c);
				if (!ts_node_is_named(child))
					continue;
				push_range(src, set, start,
					   ts_node_start_byte(child));
				if (ts_node_end_byte(child) > start)
					start = ts_node_end_byte(child);
			} while (ts_tree_cursor_goto_next_sibling(&c));
		}
		ts_tree_cursor_delete(&c);
	}
	push_range(src, set, start, ts_node_end_byte(n));
}

static bool same_ranges(const struct span *a, const struct span *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].start != b[i].start || a[i].len != b[i].len)
			return false;
	return true;
}

static int cmp_regions(const void *pa, const void *pb)
{
	const struct region *a = pa, *b = pb;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* Sorts and merges overlapping regions. */
static void normalize_regions(struct region_list *r)
{
	if (r->len < 2)
		return;
	qsort(r->items, r->len, sizeof(*r->items), cmp_regions);
	uint32_t n = 1;
	for (uint32_t i = 1; i < r->len; i++) {
		struct region *last = &r->items[n - 1];
		if (r->items[i].a <= last->b) {
			if (r->items[i].b > last->b)
				last->b = r->items[i].b;
		} else {
			r->items[n++] = r->items[i];
		}
	}
	r->len = n;
}

/* True when [start, end] meets one of the (normalized) regions. */
static bool in_regions(const struct region_list *r, uint32_t start, uint32_t end)
{
	uint32_t lo = 0, hi = r->len;
	while (lo < hi) { /* the first region ending at or after start */
		uint32_t mid = lo + (hi - lo) / 2;
		if (r->items[mid].b < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->len && r->items[lo].a <= end;
}

/*
 * Appends to found the inline nodes of the block tree that meet region r,
 * with their ranges, in document order. Only nodes that meet r are entered,
 * and the walk leaves a level at the first node past r. (Not with
 * ts_tree_cursor_goto_first_child_for_byte: in tree-sitter 0.20.7 it
 * missed a paragraph holding the goal byte when NUL bytes made the
 * grammar recover with ERROR nodes; found by fuzzing.)
 */
static void find_inlines(const struct inline_trees *t, const struct source *src,
			 const TSTree *block, struct region r,
			 struct inline_set *found)
{
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(block));
	if (!ts_tree_cursor_goto_first_child(&c))
		goto done;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		uint32_t ns = ts_node_start_byte(n), ne = ts_node_end_byte(n);
		if (ns > r.b) {
			/* This node and its later siblings are past r. */
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
		} else if (ne >= r.a) {
			TSSymbol sym = ts_node_symbol(n);
			if (is_inline_node(t, sym)) {
				/* Already found when it also met the
				 * previous region. */
				uint32_t k = found->nodes.len;
				if (!k || found->nodes.items[k - 1].start < ns) {
					struct inline_node in = {
						.start = ns,
						.end = ne,
						.first = found->ranges.len,
					};
					push_inline_ranges(src, found, n);
					in.count = found->ranges.len - in.first;
					/* Zero included ranges would mean "the
					 * whole document". */
					if (in.count)
						array_push(&found->nodes, in);
				}
			} else if (!inline_trees_is_leaf_block(t, sym) &&
				   ts_tree_cursor_goto_first_child(&c)) {
				continue;
			}
		}
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
}

static uint64_t now_micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Parses one inline node's ranges, within its own time limit and what is
 * left of the update's budget (deadline, in now_micros). NULL when the
 * node is too big, the budget is spent, or the parse was cut short. */
static TSTree *parse_inline(struct inline_trees *t, const struct source *src,
			    const struct span *ranges, uint32_t count,
			    uint64_t deadline)
{
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < count; i++)
		bytes += ranges[i].len;
	uint64_t now = now_micros();
	if (bytes > INLINE_MAX_BYTES || now >= deadline)
		return NULL;
	uint64_t limit = INLINE_NODE_TIMEOUT_MICROS;
	if (limit > deadline - now) /* source_parse rounds it up to 1 s */
		limit = deadline - now;

	TSRange stack_buf[16];
	TSRange *r = count <= 16 ? stack_buf : xmalloc(count * sizeof(*r));
	for (uint32_t i = 0; i < count; i++)
		r[i] = (TSRange){ source_point_at(src, ranges[i].start),
				  source_point_at(src, span_end(ranges[i])),
				  ranges[i].start, span_end(ranges[i]) };
	TSTree *tree = NULL;
	if (ts_parser_set_included_ranges(t->parser, r, count))
		tree = source_parse(src, t->parser, NULL, limit);
	if (r != stack_buf)
		free(r);
	return tree;
}

static void push_node(struct inline_set *set, struct inline_node n,
		      const struct inline_set *from)
{
	uint32_t first = set->ranges.len;
	array_grow(&set->ranges, n.count);
	memcpy(set->ranges.items + first, from->ranges.items + n.first,
	       n.count * sizeof(*set->ranges.items));
	set->ranges.len += n.count;
	n.first = first;
	array_push(&set->nodes, n);
}

void inline_trees_update(struct inline_trees *t, const struct source *src,
			 const TSTree *block, struct inline_set *old,
			 struct region_list *changed)
{
	struct inline_set found = { 0 }, set = { 0 };
	uint64_t deadline = now_micros() + INLINE_BUDGET_MICROS(src->len);
	if (!block)
		goto done;
	normalize_regions(changed);
	for (uint32_t i = 0; i < changed->len; i++)
		find_inlines(t, src, block, changed->items[i], &found);

	/* Merge: old nodes outside the regions, found nodes inside. Both
	 * lists are sorted by start. */
	uint32_t oi = 0;
	for (uint32_t fi = 0; fi <= found.nodes.len; fi++) {
		struct inline_node *f =
			fi < found.nodes.len ? &found.nodes.items[fi] : NULL;
		for (; oi < old->nodes.len; oi++) {
			struct inline_node *o = &old->nodes.items[oi];
			if (f && o->start >= f->start)
				break;
			if (!in_regions(changed, o->start, o->end) &&
			    (!f || o->end <= f->start)) {
				push_node(&set, *o, old);
				o->tree = NULL;
			}
		}
		if (!f)
			break;
		struct inline_node *o =
			oi < old->nodes.len ? &old->nodes.items[oi] : NULL;
		if (o && o->start == f->start && o->end == f->end &&
		    o->count == f->count &&
		    same_ranges(old->ranges.items + o->first,
				found.ranges.items + f->first, f->count)) {
			f->tree = o->tree;
			f->shift = o->shift;
			o->tree = NULL;
			oi++;
		} else {
			f->tree = parse_inline(t, src,
					       found.ranges.items + f->first,
					       f->count, deadline);
			f->shift = 0;
		}
		push_node(&set, *f, &found);
		f->tree = NULL;
	}
done:
	set_fini(&found);
	set_fini(old);
	set_fini(&t->set);
	t->set = set;
}

void inline_trees_keep_untouched(struct inline_trees *t, const TSInputEdit *e,
				 struct inline_set *out)
{
	struct inline_set *in = &t->set;
	uint32_t delta = e->new_end_byte - e->old_end_byte; /* mod 2^32 */
	for (uint32_t i = 0; i < in->nodes.len; i++) {
		struct inline_node n = in->nodes.items[i];
		in->nodes.items[i].tree = NULL;
		if (n.end >= e->start_byte && n.start <= e->old_end_byte) {
			ts_tree_delete(n.tree);
			continue;
		}
		uint32_t first = out->ranges.len;
		for (uint32_t r = 0; r < n.count; r++) {
			struct span rg = in->ranges.items[n.first + r];
			if (n.start > e->old_end_byte)
				rg.start += delta;
			array_push(&out->ranges, rg);
		}
		if (n.start > e->old_end_byte) {
			n.start += delta;
			n.end += delta;
			n.shift += delta;
		}
		n.first = first;
		array_push(&out->nodes, n);
	}
	set_fini(in);
}

const struct inline_node *inline_trees_at(const struct inline_trees *t,
					  uint32_t off)
{
	const struct inline_set *set = &t->set;
	uint32_t lo = 0, hi = set->nodes.len;
	while (lo < hi) { /* the first node ending after off */
		uint32_t mid = lo + (hi - lo) / 2;
		if (set->nodes.items[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == set->nodes.len || set->nodes.items[lo].start > off)
		return NULL;
	const struct inline_node *n = &set->nodes.items[lo];
	for (uint32_t r = 0; r < n->count; r++) {
		struct span rg = set->ranges.items[n->first + r];
		if (rg.start <= off && off < span_end(rg))
			return n;
	}
	return NULL; /* in a block continuation inside the node */
}
