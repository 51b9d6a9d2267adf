/*
 * outline.c — the heading outline from the block tree. Sections are not
 * taken from the grammar's `section` nodes: the grammar only opens sections
 * at ATX headings (a setext heading sits inside the enclosing section), so
 * the outline is rebuilt from the top-level headings by level, the way
 * Obsidian and CommonMark readers see it. For ATX-only notes both agree.
 */
#include "outline.h"
#include "syntax_impl.h"

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
	const char *t = s->src.text;
	while (b > a && source_is_space(t[b - 1]))
		b--;
	uint32_t hashes = b;
	while (hashes > a && t[hashes - 1] == '#')
		hashes--;
	/* "C#" keeps its '#'; "Title ##" and "##" lose theirs. */
	if (hashes < b && (hashes == a || is_hspace(t[hashes - 1])))
		b = hashes;
	while (b > a && source_is_space(t[b - 1]))
		b--;
	while (a < b && source_is_space(t[a]))
		a++;
	return (struct span){ a, b - a };
}

/* A setext heading's text: the paragraph above the underline, trimmed. */
static struct span setext_name(const struct syntax *s, TSNode h)
{
	TSNode para = heading_content(h);
	if (ts_node_is_null(para) || !node_sym(s, para, SYM_PARAGRAPH))
		return (struct span){ ts_node_start_byte(h), 0 };
	struct slice text = { s->src.text + ts_node_start_byte(para),
			      ts_node_end_byte(para) - ts_node_start_byte(para) };
	text = slice_trim(text);
	return (struct span){ (uint32_t)(text.ptr - s->src.text),
			      (uint32_t)text.len };
}

/* The heading's own line(s), without the line break. */
static struct span heading_selection(const struct syntax *s, TSNode h)
{
	uint32_t a = ts_node_start_byte(h), b = ts_node_end_byte(h);
	const char *t = s->src.text;
	while (b > a && (t[b - 1] == '\n' || t[b - 1] == '\r'))
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
		uint32_t end = i < l->len ? l->items[i].range.start
					  : s->src.len;
		uint8_t level = i < l->len ? l->items[i].level : 0;
		while (depth && l->items[stack[depth - 1]].level >= level) {
			struct symbol *h = &l->items[stack[--depth]];
			uint32_t last = source_last_content_byte(
				&s->src, h->range.start, end, &cache);
			h->range.len = last + 1 - h->range.start;
		}
		if (i == l->len)
			break;
		l->items[i].parent = depth ? (int32_t)stack[depth - 1] : -1;
		stack[depth++] = i;
	}
}

void outline_symbols(const struct syntax *s, struct symbol_list *out)
{
	out->len = 0;
	if (!s)
		return;
	collect_headings(s, out);
	outline_sections(s, out);
}
