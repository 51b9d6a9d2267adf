/*
 * blocks.c — cmark's blocks as the note's: each block's true extent in
 * bytes, and the headings, list items and zones made of them.
 *
 * cmark gives us the block structure (paragraphs, headings, list items,
 * code and HTML blocks) as (line, column) positions, which we turn into
 * byte offsets (lines.c). cmark's text content is never used for
 * positions: it replaces NULs with three-byte U+FFFD and strips container
 * prefixes. Its inline nodes are never used at all (their positions are
 * wrong on indented continuation lines), and several of its block end
 * positions are wrong too (see blocks_last_line), so ends are recomputed
 * from the start of the next block.
 */
#include "blocks.h"

#include "bytes.h"
#include "inline.h"

/* True when offset lies in a comment: a binary search, only asked of
 * notes that have comments and only at a block's edges. */
bool blocks_in_comment(const struct ctx *c, uint32_t offset)
{
	uint32_t lo = 0, hi = c->comments.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->comments.items[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && offset < span_end(c->comments.items[lo - 1]);
}

static bool is_container(cmark_node_type type)
{
	return type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST ||
	       type == CMARK_NODE_ITEM;
}

/* All block nodes in document order, without recursion (10,000 nested
 * lists must not blow the stack) and without visiting inline nodes. */
void blocks_flatten(struct ctx *c, cmark_node *doc)
{
	cmark_node *node = cmark_node_first_child(doc);
	while (node) {
		struct block b = {
			node, cmark_node_get_type(node),
			cmark_node_get_start_line(node), cmark_node_get_start_column(node),
			cmark_node_get_end_line(node),
		};
		array_push(&c->blocks, b);
		cmark_node *child = is_container(b.type) ? cmark_node_first_child(node) : NULL;
		if (child) {
			node = child;
			continue;
		}
		while (node != doc && !cmark_node_next(node))
			node = cmark_node_parent(node);
		node = node != doc ? cmark_node_next(node) : NULL;
	}
}

/*
 * The last line of leaf block i. cmark's end lines are wrong in places: a
 * fenced code block closed by the end of its container, or a setext heading,
 * ends on the line *after* the block; an HTML block closed by its end marker
 * ("-->") ends one line too early. A leaf's lines are its own, so the next
 * block in document order starts after it: take the line before that and
 * step back over blank lines. `trust_end` keeps cmark's end line when it is
 * earlier (paragraphs end where cmark says, "> a\n>\n> b" included).
 */
int blocks_last_line(const struct ctx *c, uint32_t i, bool trust_end)
{
	const struct block *b = &c->blocks.items[i];
	int hi = i + 1 < c->blocks.len ? c->blocks.items[i + 1].start_line - 1
				       : lines_count(&c->lines);
	if (trust_end && b->end_line < hi)
		hi = b->end_line;
	if (hi > lines_count(&c->lines))
		hi = lines_count(&c->lines);
	while (hi > b->start_line && lines_is_blank(c->src, &c->lines, hi))
		hi--;
	return hi < b->start_line ? b->start_line : hi;
}


static uint32_t trim_end(const char *t, uint32_t start, uint32_t end)
{
	while (end > start && is_blank(t[end - 1]))
		end--;
	return end;
}

/* [start, end) without the blanks and comments at either end: "%%x%% a
 * %%y%%" is "a". */
static struct span trim_hidden(const struct ctx *c, uint32_t start, uint32_t end)
{
	if (!c->comments.len)
		return make_span(start, trim_end(c->src, start, end));
	while (start < end && (is_blank(c->src[start]) || blocks_in_comment(c, start)))
		start++;
	while (end > start && (is_blank(c->src[end - 1]) || blocks_in_comment(c, end - 1)))
		end--;
	return make_span(start, end);
}

/* Paragraph i: from its first character to its last, trailing blanks off. */
struct span blocks_paragraph_span(const struct ctx *c, uint32_t i)
{
	const struct block *b = &c->blocks.items[i];
	uint32_t start = lines_pos(&c->lines, b->start_line, b->start_col);
	uint32_t end = lines_end(&c->lines, blocks_last_line(c, i, true));
	return trim_hidden(c, start, end);
}

struct span blocks_zone(const struct ctx *c, uint32_t i, enum zone_kind kind)
{
	const struct block *b = &c->blocks.items[i];
	uint32_t start = lines_pos(&c->lines, b->start_line, b->start_col);
	/* Code blocks: cmark's end is right or too late. HTML blocks: it
	 * may be too early, so only the next block bounds them. */
	int last = blocks_last_line(c, i, kind == ZONE_CODE_BLOCK);
	return make_span(start, lines_end(&c->lines, last));
}

void blocks_add_zone(struct ctx *c, uint32_t i, enum zone_kind kind)
{
	struct zone z = { blocks_zone(c, i, kind), (uint8_t)kind };
	array_push(&c->n->zones, z);
}

/*
 * Appends text[s, e) to out, each line break and the blanks and container
 * markers ('>') around it collapsed into one space, and comments left out
 * (the blanks around one collapsed too). NULs and invalid UTF-8 become
 * U+FFFD: owned strings end up in JSON, which wants valid UTF-8.
 */
static void put_collapsed(struct strbuf *out, const struct ctx *ctx, uint32_t s, uint32_t e)
{
	const char *t = ctx->n->text;
	bool skipped = false;
	for (uint32_t i = s; i < e; i++) {
		if (ctx->comments.len && blocks_in_comment(ctx, i)) {
			skipped = true;
			continue;
		}
		/* "A %%x%% B" is "A B": one blank where the comment was. */
		if (skipped && is_blank(t[i]) && out->len && is_blank(out->ptr[out->len - 1]))
			continue;
		skipped = false;
		unsigned char c = (unsigned char)t[i];
		if (c == '\n' || c == '\r') {
			while (out->len && is_blank(out->ptr[out->len - 1]))
				out->ptr[--out->len] = '\0';
			while (i + 1 < e && (t[i + 1] == '\n' || t[i + 1] == '\r' ||
					     is_blank(t[i + 1]) || t[i + 1] == '>'))
				i++;
			strbuf_putc(out, ' ');
			continue;
		}
		size_t n = c >= 0x80 ? utf8_seq_len((const unsigned char *)t + i, e - i) : 1;
		if (c == 0 || n == 0) {
			strbuf_puts(out, "\xEF\xBF\xBD");
			continue;
		}
		strbuf_put(out, t + i, n);
		i += (uint32_t)n - 1;
	}
}

void blocks_add_heading(struct ctx *c, uint32_t i)
{
	const char *t = c->src;
	const struct block *b = &c->blocks.items[i];
	struct heading h = { 0 };
	int level = cmark_node_get_heading_level(b->node);
	h.level = (uint8_t)(level < 1 ? 1 : level > 6 ? 6 : level);

	uint32_t s = lines_pos(&c->lines, b->start_line, b->start_col);
	uint32_t le = lines_end(&c->lines, b->start_line);
	uint32_t hashes = 0;
	while (s + hashes < le && t[s + hashes] == '#')
		hashes++;
	int last;
	uint32_t ts, te;
	if (hashes == h.level && (s + hashes == le || is_blank(t[s + hashes]))) {
		/* ATX: "## title ##". A closing run of '#' counts only
		 * after a blank ("# C#" keeps its '#'). */
		last = b->start_line;
		ts = s + hashes;
		while (ts < le && is_blank(t[ts]))
			ts++;
		te = trim_end(t, ts, le);
		uint32_t k = te;
		while (k > ts && t[k - 1] == '#')
			k--;
		if (k < te && (k == ts || is_blank(t[k - 1])))
			te = trim_end(t, ts, k);
	} else {
		/* Setext: text lines, then the "===" / "---" underline. */
		last = blocks_last_line(c, i, true);
		ts = s;
		te = last > b->start_line ? lines_end(&c->lines, last - 1) : le;
	}
	h.line = make_span(lines_start(&c->lines, b->start_line), lines_end(&c->lines, last));
	h.title = trim_hidden(c, ts, te);

	struct strbuf text;
	strbuf_init(&text);
	put_collapsed(&text, c, h.title.start, span_end(h.title));
	h.text = strbuf_detach(&text);
	array_push(&c->n->headings, h);

	inline_scan(c->n, c->src, h.title, h.line);
}

/* After a list marker ("-", "+", "*", "1.", "1)") and the blanks after it. */
static uint32_t marker_end(const char *t, uint32_t p, uint32_t le)
{
	if (p < le && (t[p] == '-' || t[p] == '+' || t[p] == '*')) {
		p++;
	} else {
		while (p < le && t[p] >= '0' && t[p] <= '9')
			p++;
		if (p < le && (t[p] == '.' || t[p] == ')'))
			p++;
	}
	while (p < le && is_blank(t[p]))
		p++;
	return p;
}

void blocks_add_item(struct ctx *c, uint32_t i)
{
	const char *t = c->src;
	const struct block *b = &c->blocks.items[i];
	struct list_item it = { 0 };
	uint32_t ls = lines_start(&c->lines, b->start_line);
	cmark_node *first = cmark_node_first_child(b->node);
	if (first && i + 1 < c->blocks.len && c->blocks.items[i + 1].node == first &&
	    c->blocks.items[i + 1].type == CMARK_NODE_PARAGRAPH) {
		it.span = blocks_paragraph_span(c, i + 1);
	} else {
		uint32_t le = lines_end(&c->lines, b->start_line);
		uint32_t p = marker_end(t, lines_pos(&c->lines, b->start_line, b->start_col), le);
		it.span = (struct span){ p, 0 };
	}
	it.line_start = ls;
	array_push(&c->n->items, it);
}
