/*
 * note.c — bytes to struct note: frontmatter, then the Markdown body.
 *
 * The only file that includes <cmark.h>. cmark gives us the block structure
 * (paragraphs, headings, list items, code and HTML blocks) as (line, column)
 * positions, which we turn into byte offsets with a table of line starts.
 * cmark's text content is never used for positions: it replaces NULs with
 * three-byte U+FFFD and strips container prefixes. Its inline nodes are never
 * used at all (their positions are wrong on indented continuation lines), and
 * several of its block end positions are wrong too (see block_last_line), so
 * ends are recomputed from the start of the next block.
 */
#include "note.h"

#include <cmark.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "inline.h"
#include "mojibake.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool has_bom(const char *t, uint32_t len, uint32_t at)
{
	return len - at >= 3 && (unsigned char)t[at] == 0xEF &&
	       (unsigned char)t[at + 1] == 0xBB && (unsigned char)t[at + 2] == 0xBF;
}

/* ---------------------------------------------------------------------- */
/* Frontmatter */

/* True when [s, e) is `word` followed only by blanks and CRs. */
static bool is_delimiter(const char *t, uint32_t s, uint32_t e, const char *word)
{
	size_t n = strlen(word);
	if (e - s < n || memcmp(t + s, word, n) != 0)
		return false;
	for (uint32_t i = s + (uint32_t)n; i < e; i++)
		if (!is_blank(t[i]) && t[i] != '\r')
			return false;
	return true;
}

static uint32_t line_end_nl(const char *t, uint32_t len, uint32_t from)
{
	const char *p = from < len ? memchr(t + from, '\n', len - from) : NULL;
	return p ? (uint32_t)(p - t) : len;
}

/* 1-based line of offset, counting "\n", "\r\n" and a lone "\r" as editors do. */
static uint32_t line_number(const char *t, uint32_t offset)
{
	uint32_t line = 1;
	for (uint32_t i = 0; i < offset; i++)
		if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
			line++;
	return line;
}

static void set_error(struct note *n, uint32_t offset, char *message)
{
	n->fm_error.present = true;
	n->fm_error.offset = offset < n->len ? offset : n->len;
	n->fm_error.message = message;
}

/* Scalars of a list or a single scalar, skipping nulls and empty strings.
 * A macro because each ARRAY() is its own anonymous type. */
#define COLLECT_SCALARS(v, out)                                                 \
	do {                                                                    \
		const struct yaml_node *v_ = (v);                               \
		if (v_ && v_->type == YAML_SCALAR_NODE && v_->str[0])           \
			array_push((out), v_);                                  \
		for (uint32_t i_ = 0; v_ && v_->type == YAML_SEQ_NODE && i_ < v_->n; i_++) \
			if (v_->items[i_].type == YAML_SCALAR_NODE && v_->items[i_].str[0]) \
				array_push((out), &v_->items[i_]);              \
	} while (0)

static const struct yaml_node *nonempty_scalar(const struct yaml_node *map, const char *key)
{
	const struct yaml_node *v = yaml_tree_get(map, key);
	return v && v->type == YAML_SCALAR_NODE && v->str[0] ? v : NULL;
}

/*
 * A frontmatter opens with a first line (after an optional BOM) that is
 * exactly "---" and closes at the next line that is "---" or "...";
 * trailing blanks and a CR are allowed on both. One that never closes is not
 * a frontmatter at all (the text is all body), but earns an error so that
 * the user learns why their keys are ignored.
 */
static void parse_frontmatter(struct note *n)
{
	const char *t = n->text;
	uint32_t p = has_bom(t, n->len, 0) ? 3 : 0;
	n->body = p;
	uint32_t e = line_end_nl(t, n->len, p);
	if (!is_delimiter(t, p, e, "---"))
		return;
	uint32_t yaml = e < n->len ? e + 1 : n->len;
	uint32_t close = UINT32_MAX, after = n->len;
	for (uint32_t ls = yaml; ls < n->len;) {
		uint32_t le = line_end_nl(t, n->len, ls);
		if (is_delimiter(t, ls, le, "---") || is_delimiter(t, ls, le, "...")) {
			close = ls;
			after = le < n->len ? le + 1 : n->len;
			break;
		}
		ls = le + 1;
	}
	if (close == UINT32_MAX) {
		set_error(n, p, xstrdup("frontmatter never closes"));
		return;
	}
	n->has_frontmatter = true;
	n->fm_span = (struct span){ p, after - p };
	n->body = after;

	uint32_t err_offset;
	char *err;
	struct yaml_node *root = yaml_tree_parse(t + yaml, close - yaml, yaml, &err_offset, &err);
	if (!root) {
		/* yaml_tree_parse numbers lines within the YAML text;
		 * the user wants the file's line. */
		const char *rest = strstr(err, ": ");
		rest = rest ? rest + 2 : err;
		struct strbuf b;
		strbuf_init(&b);
		strbuf_printf(&b, "line %u: %s", line_number(t, err_offset < n->len ? err_offset : n->len), rest);
		free(err);
		set_error(n, err_offset, strbuf_detach(&b));
		return;
	}
	if (root->type != YAML_MAP_NODE) {
		/* Empty YAML or a lone scalar: nothing to look up, and
		 * not worth an error. */
		yaml_tree_free(root);
		return;
	}
	n->frontmatter = root;
	COLLECT_SCALARS(yaml_tree_get(root, "aliases"), &n->aliases);
	COLLECT_SCALARS(yaml_tree_get(root, "alias"), &n->aliases);
	COLLECT_SCALARS(yaml_tree_get(root, "tags"), &n->fm_tags);
	COLLECT_SCALARS(yaml_tree_get(root, "tag"), &n->fm_tags);
	n->type = nonempty_scalar(root, "type");
	n->name = nonempty_scalar(root, "name");
	n->title = nonempty_scalar(root, "title");
}

/* ---------------------------------------------------------------------- */
/* Lines: cmark's (line, column) to byte offsets */

/*
 * Line k (cmark's 1-based numbering) of the Markdown text starts at
 * start[k-1] and its content ends at end[k-1], before the line ending.
 * cmark ends lines at "\n", "\r\n" and a lone "\r", and so must we.
 */
struct lines {
	ARRAY(uint32_t) start;
	ARRAY(uint32_t) end;
};

static void lines_build(struct lines *l, const char *t, uint32_t from, uint32_t len)
{
	uint32_t ls = from;
	for (uint32_t i = from; i < len; i++) {
		if (t[i] != '\n' && t[i] != '\r')
			continue;
		array_push(&l->start, ls);
		array_push(&l->end, i);
		if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
			i++;
		ls = i + 1;
	}
	array_push(&l->start, ls);
	array_push(&l->end, len);
}

static int lines_count(const struct lines *l)
{
	return (int)l->start.len;
}

static uint32_t line_idx(const struct lines *l, int line)
{
	if (line < 1)
		return 0;
	if ((uint32_t)line > l->start.len)
		return l->start.len - 1;
	return (uint32_t)line - 1;
}

static uint32_t line_start(const struct lines *l, int line)
{
	return l->start.items[line_idx(l, line)];
}

static uint32_t line_end(const struct lines *l, int line)
{
	return l->end.items[line_idx(l, line)];
}

/* cmark columns are 1-based byte columns; never trust them past the line. */
static uint32_t line_pos(const struct lines *l, int line, int col)
{
	uint32_t s = line_start(l, line), e = line_end(l, line);
	if (col < 1)
		return s;
	if ((uint32_t)(col - 1) > e - s)
		return e;
	return s + (uint32_t)(col - 1);
}

static bool line_is_blank(const char *t, const struct lines *l, int line)
{
	for (uint32_t i = line_start(l, line); i < line_end(l, line); i++)
		if (!is_blank(t[i]))
			return false;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Blocks */

struct block {
	cmark_node *node;
	cmark_node_type type;
	int start_line, start_col, end_line;
};

/* The paragraphs and headings of a first parse, in document order
 * (ARRAY() is anonymous: this one is passed). */
struct leaf {
	struct span span;
	bool paragraph;     /* else a heading, or an HTML block */
	bool html;
	bool top;           /* a paragraph or HTML block not inside a list or quote */
};
struct leaf_array {
	struct leaf *items;
	uint32_t len, cap;
};

struct ctx {
	struct note *n;
	/* What cmark and the inline scanner read: note->text, or a copy of
	 * the same length with NULs and comments replaced (parse_body). */
	const char *src;
	struct lines lines;
	ARRAY(struct block) blocks;
	ARRAY(struct span) comments; /* sorted, disjoint */
};

/* True when offset lies in a comment: a binary search, only asked of
 * notes that have comments and only at a block's edges. */
static bool in_comment(const struct ctx *c, uint32_t offset)
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
static void flatten(struct ctx *c, cmark_node *doc)
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
static int block_last_line(const struct ctx *c, uint32_t i, bool trust_end)
{
	const struct block *b = &c->blocks.items[i];
	int hi = i + 1 < c->blocks.len ? c->blocks.items[i + 1].start_line - 1
				       : lines_count(&c->lines);
	if (trust_end && b->end_line < hi)
		hi = b->end_line;
	if (hi > lines_count(&c->lines))
		hi = lines_count(&c->lines);
	while (hi > b->start_line && line_is_blank(c->src, &c->lines, hi))
		hi--;
	return hi < b->start_line ? b->start_line : hi;
}

static struct span make_span(uint32_t start, uint32_t end)
{
	return (struct span){ start, end > start ? end - start : 0 };
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
	while (start < end && (is_blank(c->src[start]) || in_comment(c, start)))
		start++;
	while (end > start && (is_blank(c->src[end - 1]) || in_comment(c, end - 1)))
		end--;
	return make_span(start, end);
}

/* Paragraph i: from its first character to its last, trailing blanks off. */
static struct span paragraph_span(const struct ctx *c, uint32_t i)
{
	const struct block *b = &c->blocks.items[i];
	uint32_t start = line_pos(&c->lines, b->start_line, b->start_col);
	uint32_t end = line_end(&c->lines, block_last_line(c, i, true));
	return trim_hidden(c, start, end);
}

static struct span block_zone(const struct ctx *c, uint32_t i, enum zone_kind kind)
{
	const struct block *b = &c->blocks.items[i];
	uint32_t start = line_pos(&c->lines, b->start_line, b->start_col);
	/* Code blocks: cmark's end is right or too late. HTML blocks: it
	 * may be too early, so only the next block bounds them. */
	int last = block_last_line(c, i, kind == ZONE_CODE_BLOCK);
	return make_span(start, line_end(&c->lines, last));
}

static void add_zone(struct ctx *c, uint32_t i, enum zone_kind kind)
{
	struct zone z = { block_zone(c, i, kind), (uint8_t)kind };
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
		if (ctx->comments.len && in_comment(ctx, i)) {
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

static void add_heading(struct ctx *c, uint32_t i)
{
	const char *t = c->src;
	const struct block *b = &c->blocks.items[i];
	struct heading h = { 0 };
	int level = cmark_node_get_heading_level(b->node);
	h.level = (uint8_t)(level < 1 ? 1 : level > 6 ? 6 : level);

	uint32_t s = line_pos(&c->lines, b->start_line, b->start_col);
	uint32_t le = line_end(&c->lines, b->start_line);
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
		last = block_last_line(c, i, true);
		ts = s;
		te = last > b->start_line ? line_end(&c->lines, last - 1) : le;
	}
	h.line = make_span(line_start(&c->lines, b->start_line), line_end(&c->lines, last));
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

static void add_item(struct ctx *c, uint32_t i)
{
	const char *t = c->src;
	const struct block *b = &c->blocks.items[i];
	struct list_item it = { 0 };
	uint32_t ls = line_start(&c->lines, b->start_line);
	cmark_node *first = cmark_node_first_child(b->node);
	if (first && i + 1 < c->blocks.len && c->blocks.items[i + 1].node == first &&
	    c->blocks.items[i + 1].type == CMARK_NODE_PARAGRAPH) {
		it.span = paragraph_span(c, i + 1);
	} else {
		uint32_t le = line_end(&c->lines, b->start_line);
		uint32_t p = marker_end(t, line_pos(&c->lines, b->start_line, b->start_col), le);
		it.span = (struct span){ p, 0 };
	}
	it.line_start = ls;
	array_push(&c->n->items, it);
}

static int zone_cmp(const void *a, const void *b)
{
	const struct zone *x = a, *y = b;
	return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

/* ---------------------------------------------------------------------- */
/* Comments */

/* The first "needle" (n bytes) in t[from, len), or len. Linear: each
 * memchr moves past the byte it stopped at. */
static uint32_t find_from(const char *t, uint32_t from, uint32_t len, const char *needle, size_t n)
{
	while (from + n <= len) {
		const char *p = memchr(t + from, needle[0], len - from - (n - 1));
		if (!p)
			break;
		uint32_t at = (uint32_t)(p - t);
		if (memcmp(p, needle, n) == 0)
			return at;
		from = at + 1;
	}
	return len;
}

/* Might t[from, len) hold a comment? The only cost a note without one pays. */
static bool may_have_comments(const char *t, uint32_t from, uint32_t len)
{
	return find_from(t, from, len, "%%", 2) < len || find_from(t, from, len, "<!--", 4) < len;
}

/*
 * Finds the comments of the body [from, n->len) into c->comments, reading
 * the blocks cmark made of the text as written: "%%" to the next "%%" (or
 * the end), "<!--" to the next "-->". Whichever opens first wins, so inside
 * a comment nothing but its own closer counts. An opener inside a code
 * block or code span is text; a code block or span that opens inside a
 * comment is not code (its opening fence or backticks are commented out).
 * An unclosed "<!--" that starts an HTML block runs, as in CommonMark, to
 * that block's end (the end of the note or of its container); anywhere
 * else it is text, as an unclosed inline HTML comment is.
 *
 * The code cmark found in the text as written may differ from the code of
 * the text with its comments blanked, which is what everything else reads:
 * a fence whose opening line is commented out leaves its closing fence to
 * open a new one. We take the first reading for where comments are, and
 * parse_body keeps the zones disjoint whatever the second one says.
 *
 * Linear: every byte is looked at a bounded number of times, and a search
 * for "-->" that failed is never repeated (100,000 unclosed "<!--").
 */
static void find_comments(struct ctx *c, uint32_t from, struct leaf_array *leaves)
{
	struct note *n = c->n;
	const char *t = n->text;
	uint32_t len = n->len;
	/* Code as cmark reads the text as written: code blocks, and the code
	 * spans of paragraphs and headings, in document order, so sorted.
	 * Borrowed from note->zones, which is empty until the real pass. */
	ARRAY(struct span) html = { 0 }; /* HTML blocks, for an unclosed "<!--" */
	for (uint32_t i = 0; i < c->blocks.len; i++) {
		const struct block *b = &c->blocks.items[i];
		if (b->type == CMARK_NODE_CODE_BLOCK) {
			add_zone(c, i, ZONE_CODE_BLOCK);
		} else if (b->type == CMARK_NODE_HTML_BLOCK) {
			struct span z = block_zone(c, i, ZONE_HTML);
			array_push(&html, z);
			struct leaf leaf = { z, false, true,
					     cmark_node_get_type(cmark_node_parent(b->node)) ==
						     CMARK_NODE_DOCUMENT };
			array_push(leaves, leaf);
		} else if (b->type == CMARK_NODE_PARAGRAPH || b->type == CMARK_NODE_HEADING) {
			uint32_t s = line_pos(&c->lines, b->start_line, b->start_col);
			uint32_t e = line_end(&c->lines, block_last_line(c, i, true));
			inline_code_spans(n, t, make_span(s, e));
			struct leaf leaf = {
				make_span(s, e),
				b->type == CMARK_NODE_PARAGRAPH,
				false,
				b->type == CMARK_NODE_PARAGRAPH &&
					cmark_node_get_type(cmark_node_parent(b->node)) == CMARK_NODE_DOCUMENT,
			};
			array_push(leaves, leaf);
		}
	}
	const struct zone *code = n->zones.items;
	uint32_t ncode = n->zones.len, zi = 0, hi = 0;
	uint32_t resume = from;              /* where the last comment ended */
	uint32_t no_close = UINT32_MAX;      /* no "-->" at or after this */
	for (uint32_t i = from; i + 1 < len;) {
		char ch = t[i];
		if (ch != '%' && ch != '<') {
			i++;
			continue;
		}
		while (zi < ncode && span_end(code[zi].span) <= i)
			zi++;
		if (zi < ncode && code[zi].span.start <= i && code[zi].span.start >= resume) {
			i = span_end(code[zi].span);
			continue;
		}
		uint32_t end = UINT32_MAX;
		if (ch == '%' && t[i + 1] == '%') {
			uint32_t close = find_from(t, i + 2, len, "%%", 2);
			end = close < len ? close + 2 : len;
		} else if (ch == '<' && len - i >= 4 && memcmp(t + i, "<!--", 4) == 0) {
			/* From i + 2, so "<!-->" and "<!--->" close at once,
			 * as CommonMark 0.31 and HTML have it. */
			if (i + 2 < no_close) {
				uint32_t close = find_from(t, i + 2, len, "-->", 3);
				if (close < len)
					end = close + 3;
				else
					no_close = i + 2;
			}
			if (end == UINT32_MAX) {
				while (hi < html.len && html.items[hi].start < i)
					hi++;
				if (hi < html.len && html.items[hi].start == i)
					end = span_end(html.items[hi]);
			}
		}
		if (end == UINT32_MAX) {
			i++;
			continue;
		}
		array_push(&c->comments, make_span(i, end));
		resume = i = end;
	}
	n->zones.len = 0;
	array_free(&html);
}

/*
 * Would the text with its comments blanked have the blocks cmark made of
 * it as written? Then parse_body need not parse it again. Every comment
 * must lie in a paragraph or heading of that parse (leaves), and each
 * leaf's lines, comments blanked, must
 *  - all keep text, each line with a comment keeping a letter (or a
 *    non-ASCII character): "a %%x%% b", "- fact <!-- A -->". Such a line
 *    stays what it was, a continuation line starting as it did
 *    (blank_comments turns a comment followed by text into letter-like
 *    bytes). A leaf whose lines could turn into something else once a
 *    comment is gone is left to the second parse: one holding '<' (an HTML
 *    block, "<span> %%x%%"), "]:" (a link reference definition, which cmark
 *    takes out of the paragraph it starts) or "```" (a fence, once the
 *    backtick that kept "```a %%`%%" from opening one is gone), or a line
 *    with a comment and no letter, which could be "===", "---" or "1." (a
 *    setext underline, a thematic break, a list item);
 *  - or so, but for a paragraph's last lines, which go blank
 *    ("- fact\n%% aside %%"): the paragraph ends before them, and what
 *    follows already started a block of its own;
 *  - or all go blank, in a paragraph or HTML block not inside a list or
 *    quote ("%% private %%" or "<!-- generated -->" on its own lines;
 *    parse_body then skips the block): the block is gone, and the
 *    blocks around it are the same provided the next line with text starts
 *    at the margin (an indented one could join an indented code block
 *    before it) and not with '[' (a link reference definition makes no
 *    block, so the paragraph was what bounded the block before it: see
 *    block_last_line).
 * Checked against the second parse on millions of random notes. Every leaf
 * with a comment is walked once, and the search for the next line with
 * text is not repeated for hidden paragraphs in a row.
 */
static bool comments_keep_blocks(const struct ctx *c, const struct leaf_array *leaves)
{
	const char *t = c->n->text;
	uint32_t len = c->n->len, li = 0;
	uint32_t margin_from = 0, margin_line = 0; /* the last search for text */
	for (uint32_t k = 0; k < c->comments.len;) {
		struct span z = c->comments.items[k];
		while (li < leaves->len && span_end(leaves->items[li].span) <= z.start)
			li++;
		if (li == leaves->len || leaves->items[li].span.start > z.start)
			return false;
		struct leaf leaf = leaves->items[li];
		uint32_t le = span_end(leaf.span);
		/* Line by line: a line is visible (text outside comments) or
		 * hidden (comments and blanks only: blank once blanked). */
		bool any_visible = false, seen_hidden = false;
		bool visible = false, word = false, trap = false, commented = false;
		uint32_t cend = 0; /* the end of the comment j is in */
		for (uint32_t j = leaf.span.start;; j++) {
			if (j < le && k < c->comments.len && c->comments.items[k].start == j) {
				struct span y = c->comments.items[k++];
				if (span_end(y) > le)
					return false;
				cend = span_end(y);
			}
			if (j < le && t[j] == '\n' && j > leaf.span.start && t[j - 1] == '\r')
				continue;
			if (j >= le || t[j] == '\n' || t[j] == '\r') {
				if (visible) {
					/* Text after a line gone blank would start
					 * a new block; a line with a comment must
					 * keep a letter; no line may hold a trap. */
					if (seen_hidden || trap || (commented && !word))
						return false;
					any_visible = true;
				} else if (commented) {
					seen_hidden = true;
				}
				visible = word = trap = false;
				commented = j < cend;
				if (j >= le)
					break;
				continue;
			}
			if (j < cend) {
				commented = true;
				continue;
			}
			unsigned char ch = (unsigned char)t[j];
			if (is_blank((char)ch))
				continue;
			visible = true;
			if (ch == '<' || (ch == ']' && j + 1 < len && t[j + 1] == ':') ||
			    (ch == '`' && j + 2 < len && t[j + 1] == '`' && t[j + 2] == '`'))
				trap = true;
			if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80)
				word = true;
		}
		if (any_visible) {
			/* Hidden last lines end a paragraph early, as the
			 * blank line they become does; a setext heading's
			 * would lose its underline. */
			if ((seen_hidden && !leaf.paragraph) || leaf.html)
				return false;
			continue;
		}
		if (!leaf.top)
			return false;
		/* The next line with text, in the blanked text: later hidden
		 * paragraphs are blank there too. */
		if (le >= margin_from) {
			uint32_t j = le, ls = le;
			while (j < len && (is_blank(c->src[j]) || c->src[j] == '\n' || c->src[j] == '\r')) {
				if (c->src[j] == '\n' || c->src[j] == '\r')
					ls = j + 1;
				j++;
			}
			margin_from = j;
			margin_line = j < len ? ls : j;
		}
		if (margin_from < len && (margin_from != margin_line || c->src[margin_from] == '['))
			return false;
	}
	return true;
}

/*
 * Blanks the comments in src (a copy of the note's text): what cmark and the
 * inline scanner read then has no trace of them, at the same offsets. Line
 * breaks stay, so a comment spanning lines leaves blank lines and the blocks
 * around it keep their lines. Comment bytes become spaces, except where
 * text follows the comment on its line: there they become a 0x01 byte that
 * cmark takes for a letter, since spaces would indent the text after them
 * ("%%a%% text" is not an indented code block, nor "- %%a%% x" an item
 * holding one). Callers trim comments off blocks' edges (trim_hidden).
 */
static void blank_comments(const struct ctx *c, char *src)
{
	const char *t = c->n->text;
	uint32_t len = c->n->len;
	/* Right to left, so "is there text after it on its line" is known
	 * from the gap to the next comment and that comment's own answer:
	 * linear for 100,000 comments on one line. */
	bool next_followed = false;
	uint32_t next_start = len;
	for (uint32_t k = c->comments.len; k-- > 0;) {
		struct span z = c->comments.items[k];
		uint32_t e = span_end(z);
		bool followed = false;
		for (uint32_t j = e; j < len; j++) {
			if (j == next_start) {
				followed = next_followed;
				break;
			}
			if (t[j] == '\n' || t[j] == '\r')
				break;
			if (!is_blank(t[j])) {
				followed = true;
				break;
			}
		}
		/* Only the comment's last line can have text after it. */
		uint32_t last_line = e;
		while (last_line > z.start && t[last_line - 1] != '\n' && t[last_line - 1] != '\r')
			last_line--;
		for (uint32_t j = z.start; j < e; j++)
			if (t[j] != '\n' && t[j] != '\r')
				src[j] = followed && j >= last_line ? 0x01 : ' ';
		/* For the comment before: text after it on its line is text
		 * after this one, if this one is on that line. */
		next_followed = followed && last_line == z.start;
		next_start = z.start;
	}
}

/* Zones sorted by start and disjoint, as note_in_zone needs. Comments are
 * found in the text as written and code in the text without them (see
 * find_comments): in the rare note where the two disagree, a zone inside
 * another is dropped and one reaching past another's end is cut. */
static void zones_disjoint(struct note *n)
{
	uint32_t w = 0;
	for (uint32_t i = 0; i < n->zones.len; i++) {
		struct zone z = n->zones.items[i];
		if (w) {
			uint32_t prev_end = span_end(n->zones.items[w - 1].span);
			if (span_end(z.span) <= prev_end)
				continue;
			if (z.span.start < prev_end)
				z.span = make_span(prev_end, span_end(z.span));
		}
		n->zones.items[w++] = z;
	}
	n->zones.len = w;
}

static void parse_body(struct note *n)
{
	struct ctx c = { 0 };
	c.n = n;
	c.src = n->text;
	/* cmark skips a leading BOM, which would shift line 1's columns. */
	uint32_t md = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	lines_build(&c.lines, n->text, md, n->len);

	/* cmark turns each NUL into a three-byte U+FFFD; a one-byte stand-in
	 * that no Markdown construct uses keeps its columns byte-exact. */
	char *copy = NULL;
	if (memchr(n->text + md, '\0', n->len - md)) {
		copy = xstrndup(n->text, n->len);
		for (uint32_t i = md; i < n->len; i++)
			if (!copy[i])
				copy[i] = 0x1A;
		c.src = copy;
	}
	cmark_node *doc = cmark_parse_document(c.src + md, n->len - md, CMARK_OPT_DEFAULT);
	flatten(&c, doc);

	/* Comments: where they are depends on the code cmark finds, and the
	 * blocks the note has depend on the text without them, so a note
	 * with comments is parsed twice, unless blanking them cannot change
	 * its blocks (comments_keep_blocks: most comments in real notes). */
	if (may_have_comments(n->text, md, n->len)) {
		struct leaf_array leaves = { 0 };
		find_comments(&c, md, &leaves);
		if (c.comments.len) {
			if (!copy) {
				copy = xstrndup(n->text, n->len);
				c.src = copy;
			}
			blank_comments(&c, copy);
			if (!comments_keep_blocks(&c, &leaves)) {
				cmark_node_free(doc);
				c.blocks.len = 0;
				doc = cmark_parse_document(c.src + md, n->len - md, CMARK_OPT_DEFAULT);
				flatten(&c, doc);
			}
		}
		array_free(&leaves);
	}

	for (uint32_t i = 0; i < c.blocks.len; i++) {
		const struct block *b = &c.blocks.items[i];
		switch (b->type) {
		case CMARK_NODE_HEADING:
			add_heading(&c, i);
			break;
		case CMARK_NODE_PARAGRAPH: {
			struct span s = paragraph_span(&c, i);
			inline_scan(n, c.src, s, s);
			break;
		}
		case CMARK_NODE_ITEM:
			add_item(&c, i);
			break;
		case CMARK_NODE_CODE_BLOCK:
			add_zone(&c, i, ZONE_CODE_BLOCK);
			break;
		case CMARK_NODE_HTML_BLOCK:
			/* One that is all comment is gone in the second
			 * parse, and so in the first (comments_keep_blocks). */
			if (!c.comments.len ||
			    !in_comment(&c, line_pos(&c.lines, b->start_line, b->start_col)))
				add_zone(&c, i, ZONE_HTML);
			break;
		default:
			break;
		}
	}
	for (uint32_t i = 0; i < c.comments.len; i++) {
		struct zone z = { c.comments.items[i], ZONE_COMMENT };
		array_push(&n->zones, z);
	}
	/* Document order is start order but for the comments appended;
	 * this guards the invariant note_in_zone's binary search relies on. */
	for (uint32_t i = 1; i < n->zones.len; i++) {
		if (n->zones.items[i].span.start < n->zones.items[i - 1].span.start) {
			qsort(n->zones.items, n->zones.len, sizeof(*n->zones.items), zone_cmp);
			break;
		}
	}
	if (c.comments.len)
		zones_disjoint(n);

	cmark_node_free(doc);
	free(copy);
	array_free(&c.comments);
	array_free(&c.blocks);
	array_free(&c.lines.start);
	array_free(&c.lines.end);
}

/* ---------------------------------------------------------------------- */
/* One block per note */

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

#define ARRAY_BYTES(a) align8((size_t)(a)->len * sizeof(*(a)->items))

/* Moves array a to block + *off, right-sized; an empty one has no items. */
#define MOVE_ARRAY(a, block, off)                                          \
	do {                                                               \
		size_t bytes_ = (size_t)(a)->len * sizeof(*(a)->items);     \
		if (bytes_) {                                              \
			memcpy((block) + *(off), (a)->items, bytes_);       \
			free((a)->items);                                  \
			(a)->items = (void *)((block) + *(off));            \
			(a)->cap = (a)->len;                               \
			*(off) += align8(bytes_);                          \
		} else {                                                   \
			array_free(a);                                     \
		}                                                          \
	} while (0)

static char *move_string(char *s, char *block, size_t *off)
{
	size_t n = strlen(s) + 1;
	char *to = memcpy(block + *off, s, n);
	free(s);
	*off += n;
	return to;
}

/*
 * Gathers the text, every array and the heading strings into one
 * allocation, with no growth slack: an index holds tens of thousands of
 * notes, and separate blocks cost their headers, their rounding and the
 * capacity arrays grow by (heading strings kept a 64-byte buffer for
 * twenty bytes). The text comes first, so free(n->text) frees it all.
 */
static void note_compact(struct note *n)
{
	size_t size = align8((size_t)n->len + 1) + ARRAY_BYTES(&n->aliases) +
		      ARRAY_BYTES(&n->fm_tags) + ARRAY_BYTES(&n->headings) +
		      ARRAY_BYTES(&n->items) + ARRAY_BYTES(&n->links) + ARRAY_BYTES(&n->blocks) +
		      ARRAY_BYTES(&n->tags) + ARRAY_BYTES(&n->zones);
	for (uint32_t i = 0; i < n->headings.len; i++)
		size += strlen(n->headings.items[i].text) + 1;
	char *block = xmalloc(size);
	memcpy(block, n->text, (size_t)n->len + 1);
	free(n->text);
	n->text = block;
	size_t off = align8((size_t)n->len + 1);
	MOVE_ARRAY(&n->aliases, block, &off);
	MOVE_ARRAY(&n->fm_tags, block, &off);
	MOVE_ARRAY(&n->headings, block, &off);
	MOVE_ARRAY(&n->items, block, &off);
	MOVE_ARRAY(&n->links, block, &off);
	MOVE_ARRAY(&n->blocks, block, &off);
	MOVE_ARRAY(&n->tags, block, &off);
	MOVE_ARRAY(&n->zones, block, &off);
	for (uint32_t i = 0; i < n->headings.len; i++) {
		struct heading *h = &n->headings.items[i];
		h->text = move_string(h->text, block, &off);
	}
}

/* ---------------------------------------------------------------------- */
/* Public */

struct note *note_parse(const char *text, size_t len)
{
	struct note *n = xcalloc(1, sizeof(*n));
	/* Offsets are 32-bit; a note past 4 GiB is cut, not misread. */
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;
	n->text = xstrndup(text ? text : "", text ? len : 0);
	n->len = text ? (uint32_t)len : 0;
	parse_frontmatter(n);
	parse_body(n);
	note_compact(n);
	return n;
}

void note_free(struct note *n)
{
	if (!n)
		return;
	yaml_tree_free(n->frontmatter);
	free(n->fm_error.message);
	free(n->text); /* and with it every array and heading string */
	free(n);
}

bool note_in_zone(const struct note *note, uint32_t offset)
{
	uint32_t lo = 0, hi = note->zones.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (note->zones.items[mid].span.start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && offset < span_end(note->zones.items[lo - 1].span);
}

static bool hides_mojibake(const struct zone *z)
{
	return z->kind == ZONE_CODE_BLOCK || z->kind == ZONE_CODE_SPAN || z->kind == ZONE_COMMENT;
}

/*
 * mojibake_find over a copy of the text with code and comments blanked (line
 * breaks kept), not a filter of its findings: its decisions are per line,
 * and a garbled hex dump in a code span must not vouch for a doubtful
 * stretch of prose beside it. Offsets are the same in the copy, and a
 * finding outside the blanked bytes reads the same bytes as the text.
 * Blanking is skipped when no such zone holds a non-ASCII byte (mojibake is
 * never ASCII), so most notes pay nothing.
 */
void note_mojibake(const struct note *n, struct mojibake_list *out)
{
	char *copy = NULL;
	for (uint32_t i = 0; i < n->zones.len; i++) {
		const struct zone *z = &n->zones.items[i];
		if (!hides_mojibake(z))
			continue;
		bool ascii = true;
		for (uint32_t j = z->span.start; j < span_end(z->span) && ascii; j++)
			ascii = (unsigned char)n->text[j] < 0x80;
		if (ascii)
			continue;
		if (!copy)
			copy = xstrndup(n->text, n->len);
		for (uint32_t j = z->span.start; j < span_end(z->span); j++)
			if (copy[j] != '\n' && copy[j] != '\r')
				copy[j] = ' ';
	}
	mojibake_find(copy ? copy : n->text, n->len, out);
	free(copy);
}

void note_slugify(struct slice s, struct strbuf *out)
{
	if (!out->ptr)
		strbuf_init(out);
	out->len = 0;
	out->ptr[0] = '\0';
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (ch >= 'A' && ch <= 'Z')
			strbuf_putc(out, (char)(ch + 32));
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			 ch == '-' || ch == '_' || ch >= 0x80)
			strbuf_putc(out, (char)ch);
		else if (ch == ' ')
			strbuf_putc(out, '-');
	}
}

/* ---------------------------------------------------------------------- */
/* The plain text of a list item */

/*
 * Does cmark render this as itself? One line (no soft or hard breaks),
 * valid UTF-8 (what cmark does with invalid bytes is left to cmark), no
 * control characters (NULs included),
 * none of the characters that start inline markup (cmark's special
 * characters: backslash escapes, code, entities, emphasis, links, images,
 * autolinks and HTML), and a first character that cannot open a block
 * (heading, quote, list, thematic break, fence, HTML, link reference
 * definition, indented code). Most facts are such lines, and cmark's parse
 * is most of the cost of their text. Trailing blanks are the caller's.
 */
static bool is_plain_line(const char *s, size_t len)
{
	if (!len)
		return true;
	unsigned char c0 = (unsigned char)s[0];
	if (strchr("#>-+*_`~<[=|", c0) || (c0 >= '0' && c0 <= '9') || is_blank((char)c0))
		return false;
	/* Bit c of low (c < 64) or of high (c - 64): the control characters,
	 * DEL, and ! & * < [ \ ] _ ` (a byte test each: this runs on every
	 * fact of every note). */
	const uint64_t low = 0xFFFFFFFFull | 1ull << '!' | 1ull << '&' | 1ull << '*' | 1ull << '<';
	const uint64_t high = 1ull << ('[' - 64) | 1ull << ('\\' - 64) | 1ull << (']' - 64) |
			      1ull << ('_' - 64) | 1ull << ('`' - 64) | 1ull << (0x7F - 64);
	bool ascii = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 128)
			ascii = false;
		else if (c < 64 ? (low >> c) & 1 : (high >> (c - 64)) & 1)
			return false;
	}
	return ascii || utf8_valid(s, len);
}

/* cmark 0.30 has no plain-text renderer: the text is what its text, code
 * and break nodes hold (a link's or image's text is its children; URLs and
 * raw HTML say nothing). */
static void render_with_cmark(const char *src, size_t len, struct strbuf *out)
{
	cmark_node *doc = cmark_parse_document(src, len, CMARK_OPT_DEFAULT);
	cmark_iter *iter = cmark_iter_new(doc);
	size_t first = out->len;
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(iter);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			strbuf_puts(out, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (out->len > first)
				strbuf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(iter);
	cmark_node_free(doc);
}

/* The first of n items (each size bytes, starting with its span, sorted
 * by start) that starts at or after offset. Every fact of a note asks,
 * of its links and of its block ids (note.h: both sorted): a scan of all
 * of them would make a note's facts quadratic. */
static uint32_t first_at(const void *items, uint32_t n, size_t size, uint32_t offset)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct span *s = (const void *)((const char *)items + mid * size);
		if (s->start < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

_Static_assert(offsetof(struct wikilink, span) == 0, "first_at reads a link's span first");
_Static_assert(offsetof(struct block_id, span) == 0, "first_at reads a block id's span first");

uint32_t note_first_link_at(const struct note *n, uint32_t offset)
{
	return first_at(n->links.items, n->links.len, sizeof(n->links.items[0]), offset);
}

static uint32_t first_block_at(const struct note *n, uint32_t offset)
{
	return first_at(n->blocks.items, n->blocks.len, sizeof(n->blocks.items[0]), offset);
}

_Static_assert(offsetof(struct zone, span) == 0, "first_at reads a zone's span first");

uint32_t note_first_zone_at(const struct note *n, uint32_t offset)
{
	return first_at(n->zones.items, n->zones.len, sizeof(n->zones.items[0]), offset);
}

/* Renders out[first..] to plain text where it is. */
static void plain_in_place(struct strbuf *out, size_t first)
{
	if (!is_plain_line(out->ptr + first, out->len - first)) {
		char *src = xstrndup(out->ptr + first, out->len - first);
		size_t len = out->len - first;
		/* NULs would be U+FFFD in cmark's output anyway. (A line
		 * with one is not plain: it comes here.) */
		for (size_t i = 0; i < len; i++)
			if (src[i] == '\0')
				src[i] = ' ';
		out->len = first;
		out->ptr[first] = '\0';
		render_with_cmark(src, len, out);
		free(src);
	}
	while (out->len > first && out->ptr[out->len - 1] == ' ')
		out->ptr[--out->len] = '\0';
}

void note_plain_text(const char *md, size_t len, struct strbuf *out)
{
	size_t first = out->len;
	strbuf_put(out, md, len);
	plain_in_place(out, first);
}

struct span note_item_line(const struct note *n, uint32_t item)
{
	const struct list_item *it = &n->items.items[item];
	uint32_t end = span_end(it->span);
	if (!it->span.len) /* the marker's line: no break between marker and end */
		while (end < n->len && n->text[end] != '\n' && n->text[end] != '\r')
			end++;
	return make_span(it->line_start, end);
}

char note_item_task(const struct note *n, uint32_t item)
{
	/* "[x] " (or "[ ]" alone): one ASCII character between brackets. */
	const struct list_item *it = &n->items.items[item];
	const char *t = n->text + it->span.start;
	if (it->span.len >= 3 && t[0] == '[' && t[2] == ']' && t[1] >= ' ' && t[1] <= '~' &&
	    (it->span.len == 3 || is_blank(t[3])))
		return t[1];
	return 0;
}

void note_item_text(const struct note *n, uint32_t item, struct strbuf *out)
{
	const struct list_item *it = &n->items.items[item];
	uint32_t s = it->span.start, e = span_end(it->span);
	if (!it->span.len)
		return;
	/* A task's "[ ] " is a marker, not text. */
	if (note_item_task(n, item)) {
		s += 3;
		while (s < e && is_blank(n->text[s]))
			s++;
	}
	/* Wikilinks become their display text, else their target; a block
	 * id after the last link names the item and is dropped, and so is a
	 * comment. In source order, from three sorted arrays. The source is
	 * written where the text goes: most items are plain lines, which are
	 * their own text. */
	size_t first = out->len;
	uint32_t at = s;
	uint32_t li = note_first_link_at(n, s), zi = note_first_zone_at(n, s);
	uint32_t links_end = s;
	for (uint32_t i = li; i < n->links.len && n->links.items[i].span.start < e; i++)
		if (span_end(n->links.items[i].span) <= e)
			links_end = span_end(n->links.items[i].span);
	uint32_t bi = first_block_at(n, links_end);
	for (;;) {
		while (li < n->links.len && (n->links.items[li].span.start < at ||
					     span_end(n->links.items[li].span) > e))
			if (n->links.items[li++].span.start >= e)
				break;
		while (bi < n->blocks.len && n->blocks.items[bi].span.start < at)
			bi++;
		while (zi < n->zones.len && (n->zones.items[zi].span.start < at ||
					     n->zones.items[zi].kind != ZONE_COMMENT))
			if (n->zones.items[zi++].span.start >= e)
				break;
		uint32_t ls = li < n->links.len ? n->links.items[li].span.start : UINT32_MAX;
		uint32_t bs = bi < n->blocks.len ? n->blocks.items[bi].span.start : UINT32_MAX;
		uint32_t zs = zi < n->zones.len ? n->zones.items[zi].span.start : UINT32_MAX;
		uint32_t next = ls < bs ? (ls < zs ? ls : zs) : (bs < zs ? bs : zs);
		if (next >= e)
			break;
		struct span cut;
		struct span shown = { 0, 0 };
		if (next == ls) {
			const struct wikilink *l = &n->links.items[li++];
			cut = l->span;
			shown = wikilink_display(l); /* len 0 if there is none */
			if (!shown.len)
				shown = wikilink_target(l);
		} else if (next == bs) {
			cut = n->blocks.items[bi++].span;
		} else {
			cut = n->zones.items[zi++].span;
		}
		if (span_end(cut) > e) /* a block id or comment past the item: keep */
			break;
		strbuf_put(out, n->text + at, cut.start - at);
		strbuf_put(out, n->text + shown.start, shown.len);
		at = span_end(cut);
		/* "a %%x%% b" is "a b", as a heading's text is. */
		if (next == zs && out->len > first && is_blank(out->ptr[out->len - 1]))
			while (at < e && is_blank(n->text[at]))
				at++;
	}
	strbuf_put(out, n->text + at, e - at);
	plain_in_place(out, first);
}

