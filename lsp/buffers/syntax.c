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
 * Folds and the outline come from the block tree alone. Sections are not
 * taken from the grammar's `section` nodes: the grammar only opens sections
 * at ATX headings (a setext heading sits inside the enclosing section), so
 * the outline is rebuilt from the top-level headings by level, the way
 * Obsidian and CommonMark readers see it. For ATX-only notes both agree.
 *
 * Every walk is iterative (TSTreeCursor, never recursion): a buffer of 10k
 * nested list items must not exhaust our stack.
 */
#include "syntax.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

/* Entry points of the grammars built by lsp/buffers/grammar/grammar.cmake. */
const TSLanguage *tree_sitter_markdown(void);
const TSLanguage *tree_sitter_markdown_inline(void);

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

/*
 * Tree-sitter re-parses the block holding an edit token by token, checking
 * each old token for reuse: inside one giant paragraph or code block that
 * is slower than parsing afresh (1 MB: 1.2 s against 0.8 s; 5 MB: 12 s
 * against 3 s). Past this size such an edit re-parses from scratch.
 */
#define GIANT_LEAF_BYTES (256u * 1024u)

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
	[SYM_INLINE] = "inline",
	[SYM_PIPE_TABLE_CELL] = "pipe_table_cell",
	[SYM_LIST] = "list",
	[SYM_LIST_ITEM] = "list_item",
	[SYM_BLOCK_QUOTE] = "block_quote",
	[SYM_FENCED_CODE] = "fenced_code_block",
	[SYM_INDENTED_CODE] = "indented_code_block",
	[SYM_HTML_BLOCK] = "html_block",
	[SYM_MINUS_METADATA] = "minus_metadata",
	[SYM_PLUS_METADATA] = "plus_metadata",
	[SYM_LINK_REF_DEF] = "link_reference_definition",
	/* Error recovery nodes (tree-sitter 0.20 has no ts_node_is_error). */
	[SYM_ERROR] = "ERROR",
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

struct syntax {
	char *text;   /* owned copy of the buffer, NUL-terminated */
	uint32_t len;
	/* NULL, or a copy of text with a few bytes changed to keep the block
	 * scanner safe and linear (see guard_text): what the parsers read.
	 * Same length as text. */
	char *guarded;
	/* Start offset of every line ('\n'-terminated, as tree-sitter counts
	 * rows); items[0] == 0. Gives the TSPoints of an edit and the line
	 * count of a fold. */
	ARRAY(uint32_t) lines;
	/* The same by LSP's count ("\n", "\r\n" or a lone "\r"), which is
	 * what an editor folds by; equal to lines without lone CRs. */
	ARRAY(uint32_t) breaks;
	TSParser *block_parser, *inline_parser;
	TSTree *block; /* NULL when a parse never succeeded */
	struct inline_set inl;
	TSSymbol sym[SYM_COUNT];
};

/* ---- text and lines ---- */

static void index_lines(struct syntax *s)
{
	s->lines.len = 0;
	array_push(&s->lines, 0);
	const char *p = s->text, *end = s->text + s->len;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		p++;
		array_push(&s->lines, (uint32_t)(p - s->text));
	}
	s->breaks.len = 0;
	array_push(&s->breaks, 0);
	for (uint32_t i = 0; i < s->len; i++) {
		if (s->text[i] == '\r' && i + 1 < s->len && s->text[i + 1] == '\n')
			i++;
		if (s->text[i] == '\n' || s->text[i] == '\r')
			array_push(&s->breaks, i + 1);
	}
}

/*
 * Guards against two flaws of the block grammar's scanner (0.3.2), by
 * giving the parsers a copy of the text with a few bytes replaced by 'x'
 * (same length, so every offset holds). Ordinary notes are never touched.
 * Each decision depends on one line alone, which lets an edit be widened
 * to whole lines instead of re-parsing everything.
 *
 * 1. Nesting. It serializes its stack of open blocks, 4 bytes each, into
 *    tree-sitter's 1024-byte buffer without a bound check, and counts
 *    matched blocks in a uint8_t: at ~255 nested containers it writes out
 *    of bounds and crashes the server. Only a line's container prefix opens
 *    or continues blocks ('>' one each, a list marker one each, at least
 *    two columns of indentation per continued list item), so an upper
 *    bound is cheap per line. The byte where it would pass NEST_LIMIT ends
 *    the prefix; the rest of the line is paragraph text.
 *
 * 2. Runs of '*' or '_' (spaces and tabs between them allowed). At each one
 *    it scans the rest of the run for a thematic break: quadratic, 10k of
 *    them take 1-2 s and 40k half a minute. Every RUN_LIMIT bytes such a
 *    run is broken, unless it is a whole line (a thematic break, which is
 *    recognized in one scan).
 *
 * 3. NUL bytes. The scanner takes a NUL for the end of the input: the rest
 *    of its block becomes an ERROR node ("- a\n\0\n- b" loses the item
 *    b), and ts_tree_get_changed_ranges over such trees is worse than
 *    quadratic (an edit among 10k list items with NUL lines: 21 s; 20k:
 *    85 s). CommonMark reads a NUL as U+FFFD, an ordinary character, and
 *    so does the 'x' put in its place.
 */
#define NEST_LIMIT 128
#define RUN_LIMIT 256

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_eol_or_space(const char *t, uint32_t i, uint32_t end)
{
	return i >= end || t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
	       t[i] == '\r';
}

/* The offset in line [start, end) where its container prefix passes
 * NEST_LIMIT blocks, or UINT32_MAX. Weights are in half blocks: a '>' or a
 * list marker is 2, a column of indentation 1. */
static uint32_t over_deep_at(const char *t, uint32_t start, uint32_t end)
{
	uint32_t half = 0, col = 0;
	for (uint32_t i = start; i < end;) {
		uint32_t w = 2, next = i + 1;
		char c = t[i];
		if (c == ' ') {
			w = 1;
		} else if (c == '\t') {
			w = 4 - col % 4;
		} else if (c == '-' || c == '*' || c == '+') {
			if (!is_eol_or_space(t, i + 1, end))
				return UINT32_MAX;
		} else if (c >= '0' && c <= '9') {
			uint32_t j = i;
			while (j < end && j - i < 10 && t[j] >= '0' && t[j] <= '9')
				j++;
			if (j >= end || (t[j] != '.' && t[j] != ')') ||
			    !is_eol_or_space(t, j + 1, end))
				return UINT32_MAX;
			next = j + 1;
		} else if (c != '>') {
			return UINT32_MAX; /* end of the prefix */
		}
		if (half + w > 2 * NEST_LIMIT) {
			/* A blank line opens nothing, however long. */
			for (uint32_t k = i; k < end; k++)
				if (!is_space(t[k]))
					return i;
			return UINT32_MAX;
		}
		half += w;
		col += c == '\t' ? w : next - i;
		i = next;
	}
	return UINT32_MAX;
}

static void guard_byte(struct syntax *s, uint32_t at)
{
	if (!s->guarded)
		s->guarded = xstrndup(s->text, s->len);
	s->guarded[at] = 'x';
}

/* Breaks the over-long runs of '*' or '_' in line [start, end). */
static void guard_runs(struct syntax *s, uint32_t start, uint32_t end)
{
	const char *t = s->text;
	uint32_t content = start; /* the first byte that is not indentation */
	while (content < end && (t[content] == ' ' || t[content] == '\t'))
		content++;
	for (uint32_t i = content; i < end; i++) {
		char c = t[i];
		if (c != '*' && c != '_')
			continue;
		uint32_t j = i + 1;
		while (j < end && (t[j] == c || t[j] == ' ' || t[j] == '\t'))
			j++;
		bool whole_line = i == content &&
				  (j == end || t[j] == '\n' || t[j] == '\r');
		if (j - i > RUN_LIMIT && !whole_line)
			for (uint32_t k = i + RUN_LIMIT; k < j; k += RUN_LIMIT)
				guard_byte(s, k);
		i = j - 1;
	}
}

/* Sets s->guarded: NULL when no line needs a guard. */
static void guard_text(struct syntax *s)
{
	free(s->guarded);
	s->guarded = NULL;
	for (uint32_t l = 0; l < s->lines.len; l++) {
		uint32_t start = s->lines.items[l];
		uint32_t end = l + 1 < s->lines.len ? s->lines.items[l + 1]
						     : s->len;
		uint32_t cut = over_deep_at(s->text, start, end);
		if (cut != UINT32_MAX)
			guard_byte(s, cut);
		guard_runs(s, start, end);
	}
	for (const char *p = memchr(s->text, '\0', s->len); p;
	     p = memchr(p + 1, '\0', s->len - (uint32_t)(p + 1 - s->text)))
		guard_byte(s, (uint32_t)(p - s->text));
}

/* Replaces the text. Offsets are uint32_t throughout (as in tree-sitter),
 * so a buffer of 4 GiB or more is treated as empty: no syntax features
 * rather than wrapped offsets. */
static void set_text(struct syntax *s, const char *text, size_t len)
{
	if (len >= UINT32_MAX || !text)
		len = 0;
	free(s->text);
	s->text = xstrndup(text ? text : "", len);
	s->len = (uint32_t)len;
	index_lines(s);
	guard_text(s);
}

static uint32_t line_of(const struct syntax *s, uint32_t off)
{
	uint32_t lo = 0, hi = s->lines.len;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->lines.items[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The LSP line holding off (see breaks). */
static uint32_t break_of(const struct syntax *s, uint32_t off)
{
	uint32_t lo = 0, hi = s->breaks.len;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->breaks.items[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Tree-sitter's points are (row, byte column), rows counted by '\n'. */
static TSPoint point_at(const struct syntax *s, uint32_t off)
{
	uint32_t row = line_of(s, off);
	return (TSPoint){ row, off - s->lines.items[row] };
}

/* ---- parsing ---- */

static bool node_sym(const struct syntax *s, TSNode n, enum sym want)
{
	return ts_node_symbol(n) == s->sym[want];
}

/* Blocks that hold no inline content: no need to walk their insides. */
static bool is_leaf_block(const struct syntax *s, TSSymbol sym)
{
	return sym == s->sym[SYM_FENCED_CODE] ||
	       sym == s->sym[SYM_INDENTED_CODE] ||
	       sym == s->sym[SYM_HTML_BLOCK] ||
	       sym == s->sym[SYM_MINUS_METADATA] ||
	       sym == s->sym[SYM_PLUS_METADATA] ||
	       sym == s->sym[SYM_LINK_REF_DEF];
}

static bool is_inline_node(const struct syntax *s, TSSymbol sym)
{
	return sym == s->sym[SYM_INLINE] || sym == s->sym[SYM_PIPE_TABLE_CELL];
}

/* Parses the whole text with the block grammar, or the included ranges
 * already set with the inline grammar. NULL when cut short by the
 * timeout; the parser is then reset, as a parse cut short would otherwise
 * resume on the next call, which is for different text. */
static TSTree *parse(TSParser *p, TSTree *old, const struct syntax *s,
		     uint64_t timeout_micros)
{
	/* Whole seconds, at least one (0 would mean "no limit"). */
	uint64_t seconds = (timeout_micros + 999999u) / 1000000u;
	ts_parser_set_timeout_micros(p, (seconds ? seconds : 1) * 1000000u);
	TSTree *t = ts_parser_parse_string(p, old,
					   s->guarded ? s->guarded : s->text,
					   s->len);
	if (!t)
		ts_parser_reset(p);
	return t;
}

static void inline_set_fini(struct inline_set *set)
{
	for (uint32_t i = 0; i < set->nodes.len; i++)
		ts_tree_delete(set->nodes.items[i].tree);
	array_free(&set->nodes);
	array_free(&set->ranges);
}

static void push_range(const struct syntax *s, struct inline_set *set,
		       uint32_t start, uint32_t end)
{
	/* ts_parser_set_included_ranges rejects overlapping or unsorted
	 * ranges; the block tree should never produce them, but a stale tree
	 * kept after a timeout might, so clamp rather than trust. */
	uint32_t prev = set->ranges.len ?
		span_end(set->ranges.items[set->ranges.len - 1]) : 0;
	if (start < prev)
		start = prev;
	if (end > s->len)
		end = s->len;
	if (end > start)
		array_push(&set->ranges, ((struct span){ start, end - start }));
}

/* Appends the bytes of inline node n minus its named children (block
 * continuations); unnamed children such as a heading's closing '#'s stay,
 * as in the grammar's Rust binding. */
static void push_inline_ranges(const struct syntax *s, struct inline_set *set,
			       TSNode n)
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
				push_range(s, set, start,
					   ts_node_start_byte(child));
				if (ts_node_end_byte(child) > start)
					start = ts_node_end_byte(child);
			} while (ts_tree_cursor_goto_next_sibling(&c));
		}
		ts_tree_cursor_delete(&c);
	}
	push_range(s, set, start, ts_node_end_byte(n));
}

static bool same_ranges(const struct span *a, const struct span *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].start != b[i].start || a[i].len != b[i].len)
			return false;
	return true;
}

/* A closed byte interval [a, b]: touching a region counts as being in it. */
struct region {
	uint32_t a, b;
};

struct region_list {
	struct region *items;
	uint32_t len, cap;
};

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
static void find_inlines(const struct syntax *s, struct region r,
			 struct inline_set *found)
{
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(s->block));
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
			if (is_inline_node(s, sym)) {
				/* Already found when it also met the
				 * previous region. */
				uint32_t k = found->nodes.len;
				if (!k || found->nodes.items[k - 1].start < ns) {
					struct inline_node in = {
						.start = ns,
						.end = ne,
						.first = found->ranges.len,
					};
					push_inline_ranges(s, found, n);
					in.count = found->ranges.len - in.first;
					/* Zero included ranges would mean "the
					 * whole document". */
					if (in.count)
						array_push(&found->nodes, in);
				}
			} else if (!is_leaf_block(s, sym) &&
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
static TSTree *parse_inline(struct syntax *s, const struct span *ranges,
			    uint32_t count, uint64_t deadline)
{
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < count; i++)
		bytes += ranges[i].len;
	uint64_t now = now_micros();
	if (bytes > INLINE_MAX_BYTES || now >= deadline)
		return NULL;
	uint64_t limit = INLINE_NODE_TIMEOUT_MICROS;
	if (limit > deadline - now)
		limit = deadline - now; /* rounded up to a second by parse() */

	TSRange stack_buf[16];
	TSRange *r = count <= 16 ? stack_buf : xmalloc(count * sizeof(*r));
	for (uint32_t i = 0; i < count; i++)
		r[i] = (TSRange){ point_at(s, ranges[i].start),
				  point_at(s, span_end(ranges[i])),
				  ranges[i].start, span_end(ranges[i]) };
	TSTree *t = NULL;
	if (ts_parser_set_included_ranges(s->inline_parser, r, count))
		t = parse(s->inline_parser, NULL, s, limit);
	if (r != stack_buf)
		free(r);
	return t;
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
static void update_inlines(struct syntax *s, struct inline_set *old,
			   struct region_list *changed)
{
	struct inline_set found = { 0 }, set = { 0 };
	uint64_t deadline = now_micros() + INLINE_BUDGET_MICROS(s->len);
	if (!s->block)
		goto done;
	normalize_regions(changed);
	for (uint32_t i = 0; i < changed->len; i++)
		find_inlines(s, changed->items[i], &found);

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
			f->tree = parse_inline(s, found.ranges.items + f->first,
					       f->count, deadline);
			f->shift = 0;
		}
		push_node(&set, *f, &found);
		f->tree = NULL;
	}
done:
	inline_set_fini(&found);
	inline_set_fini(old);
	inline_set_fini(&s->inl);
	s->inl = set;
}

/*
 * Moves the inline nodes of s->inl that edit e did not touch into out, at
 * their new offsets; frees the others. Touching counts: text inserted right
 * after a paragraph may belong to it.
 */
static void keep_untouched_inlines(struct syntax *s, const TSInputEdit *e,
				   struct inline_set *out)
{
	struct inline_set *in = &s->inl;
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
	inline_set_fini(in);
}

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
	s->inline_parser = ts_parser_new();
	if (!ts_parser_set_language(s->block_parser, block) ||
	    !ts_parser_set_language(s->inline_parser,
				    tree_sitter_markdown_inline())) {
		syntax_free(s);
		return NULL;
	}
	for (int i = 0; i < SYM_COUNT; i++)
		s->sym[i] = ts_language_symbol_for_name(
			block, sym_names[i], (uint32_t)strlen(sym_names[i]), true);
	set_text(s, text, len);
	s->block = parse(s->block_parser, NULL, s, BLOCK_TIMEOUT_MICROS(s->len));
	struct inline_set none = { 0 };
	struct region all = { 0, s->len };
	struct region_list everything = { &all, 1, 1 };
	update_inlines(s, &none, &everything);
	return s;
}

void syntax_free(struct syntax *s)
{
	if (!s)
		return;
	ts_tree_delete(s->block);
	inline_set_fini(&s->inl);
	ts_parser_delete(s->block_parser);
	ts_parser_delete(s->inline_parser);
	array_free(&s->lines);
	array_free(&s->breaks);
	free(s->guarded);
	free(s->text);
	free(s);
}

void syntax_edit(struct syntax *s, uint32_t start, uint32_t old_end,
		 uint32_t new_end, const char *new_text, size_t new_len)
{
	if (!s)
		return;
	if (new_len >= UINT32_MAX || !new_text)
		new_len = 0;
	const char *old = s->text;
	uint32_t old_len = s->len, nlen = (uint32_t)new_len;
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
	uint32_t line_start = s->lines.items[line_of(s, start)];
	const char *eol = memchr(old + old_end, '\n', old_len - old_end);
	uint32_t line_end = eol ? (uint32_t)(eol - old) + 1 : old_len;
	bool was_guarded = s->guarded != NULL;
	TSInputEdit e = {
		.start_byte = start,
		.old_end_byte = old_end,
		.new_end_byte = new_end,
		.start_point = point_at(s, start),
		.old_end_point = point_at(s, old_end),
	};
	TSInputEdit whole_lines = {
		.start_byte = line_start,
		.old_end_byte = line_end,
		.new_end_byte = new_end + (line_end - old_end),
		.start_point = point_at(s, line_start),
		.old_end_point = point_at(s, line_end),
	};
	set_text(s, nt, nlen);
	if (was_guarded || s->guarded) {
		e = whole_lines;
		start = e.start_byte;
		new_end = e.new_end_byte;
	}
	e.new_end_point = point_at(s, new_end);

	struct inline_set kept = { 0 };
	struct region_list changed = { 0 };
	TSTree *prev = s->block;
	if (prev && in_giant_leaf(s, prev, e.start_byte, e.old_end_byte)) {
		ts_tree_delete(prev);
		prev = s->block = NULL;
	}
	if (prev)
		ts_tree_edit(prev, &e);
	keep_untouched_inlines(s, &e, &kept);
	TSTree *next = parse(s->block_parser, prev, s,
			     BLOCK_TIMEOUT_MICROS(s->len));
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
	update_inlines(s, &kept, &changed);
	array_free(&changed);
}

/* ---- shared geometry ---- */

/*
 * The last byte worth folding in [from, to): the last byte before the line
 * break of the last line that is not blank. Returns from when everything
 * is blank. `cache` remembers the answer for one `to`: nested blocks end
 * at the same byte, and without it the blank lines (or trailing spaces)
 * before `to` would be scanned once per nesting level.
 */
struct trim_cache {
	uint32_t to;
	uint32_t content; /* one past the last non-space byte before to */
	uint32_t last;    /* the answer when from < content */
	bool valid;
};

static uint32_t last_content_byte(const struct syntax *s, uint32_t from,
				  uint32_t to, struct trim_cache *cache)
{
	if (!cache->valid || cache->to != to) {
		uint32_t e = to;
		while (e > 0 && is_space(s->text[e - 1]))
			e--;
		uint32_t last = e;
		/* Keep trailing spaces of that line: part of the block. */
		while (last < to && s->text[last] != '\n' && s->text[last] != '\r')
			last++;
		*cache = (struct trim_cache){ to, e, last ? last - 1 : 0, true };
	}
	return cache->content <= from ? from : cache->last;
}

/* ---- outline ---- */

static uint8_t heading_level(const struct syntax *s, TSNode h)
{
	uint32_t n = ts_node_child_count(h);
	for (uint32_t i = 0; i < n; i++) {
		TSSymbol sym = ts_node_symbol(ts_node_child(h, i));
		for (int l = 0; l < 6; l++)
			if (sym == s->sym[SYM_ATX_H1 + l])
				return (uint8_t)(l + 1);
		if (sym == s->sym[SYM_SETEXT_H1])
			return 1;
		if (sym == s->sym[SYM_SETEXT_H2])
			return 2;
	}
	return 1; /* not reached for a well-formed heading */
}

/* ATX: the inline text; setext: the paragraph above the underline. */
static TSNode heading_content(TSNode h)
{
	static const char field[] = "heading_content";
	return ts_node_child_by_field_name(h, field, sizeof(field) - 1);
}

static bool is_hspace(char c)
{
	return c == ' ' || c == '\t';
}

/* An ATX heading's text: its `inline` minus the optional closing sequence
 * of '#'s (which the grammar leaves inside the inline), trimmed. */
static struct span atx_name(const struct syntax *s, TSNode h)
{
	TSNode content = heading_content(h);
	if (ts_node_is_null(content)) {
		/* "#" alone: an empty name at the end of the marker. */
		uint32_t at = ts_node_child_count(h) ?
			ts_node_end_byte(ts_node_child(h, 0)) :
			ts_node_start_byte(h);
		return (struct span){ at, 0 };
	}
	uint32_t a = ts_node_start_byte(content);
	uint32_t b = ts_node_end_byte(content);
	const char *t = s->text;
	while (b > a && is_space(t[b - 1]))
		b--;
	uint32_t hashes = b;
	while (hashes > a && t[hashes - 1] == '#')
		hashes--;
	/* "C#" keeps its '#'; "Title ##" and "##" lose theirs. */
	if (hashes < b && (hashes == a || is_hspace(t[hashes - 1])))
		b = hashes;
	while (b > a && is_space(t[b - 1]))
		b--;
	while (a < b && is_space(t[a]))
		a++;
	return (struct span){ a, b - a };
}

/* A setext heading's text: the paragraph above the underline, trimmed. */
static struct span setext_name(const struct syntax *s, TSNode h)
{
	TSNode para = heading_content(h);
	if (ts_node_is_null(para) || !node_sym(s, para, SYM_PARAGRAPH))
		return (struct span){ ts_node_start_byte(h), 0 };
	struct slice text = { s->text + ts_node_start_byte(para),
			      ts_node_end_byte(para) - ts_node_start_byte(para) };
	text = slice_trim(text);
	return (struct span){ (uint32_t)(text.ptr - s->text),
			      (uint32_t)text.len };
}

/* The heading's own line(s), without the line break. */
static struct span heading_selection(const struct syntax *s, TSNode h)
{
	uint32_t a = ts_node_start_byte(h), b = ts_node_end_byte(h);
	while (b > a && (s->text[b - 1] == '\n' || s->text[b - 1] == '\r'))
		b--;
	return (struct span){ a, b - a };
}

/*
 * Headings that make the outline: those at the top level of the document
 * (children of `document` or of a grammar `section`). A "# heading" inside
 * a list item or a block quote is content, not structure. Ranges are left
 * for outline_sections.
 */
static void collect_headings(const struct syntax *s, struct symbol_list *out)
{
	if (!s || !s->block)
		return;
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(s->block));
	if (!ts_tree_cursor_goto_first_child(&c))
		goto done;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		TSSymbol sym = ts_node_symbol(n);
		if (sym == s->sym[SYM_ATX_HEADING] ||
		    sym == s->sym[SYM_SETEXT_HEADING]) {
			struct symbol h = {
				.level = heading_level(s, n),
				.name = sym == s->sym[SYM_ATX_HEADING] ?
					atx_name(s, n) : setext_name(s, n),
				.range = { ts_node_start_byte(n), 0 },
				.selection = heading_selection(s, n),
				.parent = -1,
			};
			array_push(out, h);
		}
		/* Sections (and error recovery nodes, which may wrap
		 * them) are the only containers of top-level headings. */
		if ((sym == s->sym[SYM_SECTION] || sym == s->sym[SYM_ERROR]) &&
		    ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c) ||
			    ts_node_eq(ts_tree_cursor_current_node(&c),
				       ts_tree_root_node(s->block)))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
}

/* Sets parents and section ranges by level: a section runs until the next
 * heading of the same or a higher level (a smaller number). */
static void outline_sections(const struct syntax *s, struct symbol_list *l)
{
	uint32_t stack[7], depth = 0; /* levels strictly increase: <= 6 */
	struct trim_cache cache = { 0 };
	for (uint32_t i = 0; i <= l->len; i++) {
		uint32_t end = i < l->len ? l->items[i].range.start : s->len;
		uint8_t level = i < l->len ? l->items[i].level : 0;
		while (depth && l->items[stack[depth - 1]].level >= level) {
			struct symbol *h = &l->items[stack[--depth]];
			uint32_t last = last_content_byte(s, h->range.start,
							  end, &cache);
			h->range.len = last + 1 - h->range.start;
		}
		if (i == l->len)
			break;
		l->items[i].parent = depth ? (int32_t)stack[depth - 1] : -1;
		stack[depth++] = i;
	}
}

void syntax_symbols(const struct syntax *s, struct symbol_list *out)
{
	out->len = 0;
	if (!s)
		return;
	collect_headings(s, out);
	outline_sections(s, out);
}

/* ---- folds ---- */

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
	struct fold_line fl = { { start, last, kind }, break_of(s, start),
				break_of(s, last) };
	if (fl.first < fl.last)
		array_push(l, fl);
}

static void fold_node(const struct syntax *s, struct fold_lines *l,
		      TSNode n, struct trim_cache *cache)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (b > s->len)
		b = s->len;
	if (b <= a)
		return;
	uint8_t kind = FOLD_REGION;
	/* An HTML block that is a comment folds like one. */
	if (node_sym(s, n, SYM_HTML_BLOCK) && b - a >= 4 &&
	    memcmp(s->text + a, "<!--", 4) == 0)
		kind = FOLD_COMMENT;
	add_fold(s, l, a, last_content_byte(s, a, b, cache), kind);
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

void syntax_folds(const struct syntax *s, struct fold_list *out)
{
	out->len = 0;
	if (!s || !s->block)
		return;
	struct fold_lines l = { 0 };

	struct symbol_list outline = { 0 };
	syntax_symbols(s, &outline);
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

/* ---- node at ---- */

/* The inline node whose included ranges hold off, or NULL. */
static const struct inline_node *inline_node_at(const struct syntax *s,
						uint32_t off)
{
	const struct inline_set *set = &s->inl;
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

const char *syntax_node_at(const struct syntax *s, uint32_t offset)
{
	if (!s || !s->block || offset > s->len)
		return "";
	const struct inline_node *in = inline_node_at(s, offset);
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
