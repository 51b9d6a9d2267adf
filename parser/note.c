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

struct ctx {
	struct note *n;
	struct lines lines;
	ARRAY(struct block) blocks;
};

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
	while (hi > b->start_line && line_is_blank(c->n->text, &c->lines, hi))
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

/* Paragraph i: from its first character to its last, trailing blanks off. */
static struct span paragraph_span(const struct ctx *c, uint32_t i)
{
	const struct block *b = &c->blocks.items[i];
	uint32_t start = line_pos(&c->lines, b->start_line, b->start_col);
	uint32_t end = line_end(&c->lines, block_last_line(c, i, true));
	return make_span(start, trim_end(c->n->text, start, end));
}

static void add_zone(struct ctx *c, uint32_t i, enum zone_kind kind)
{
	const struct block *b = &c->blocks.items[i];
	uint32_t start = line_pos(&c->lines, b->start_line, b->start_col);
	/* Code blocks: cmark's end is right or too late. HTML blocks: it
	 * may be too early, so only the next block bounds them. */
	int last = block_last_line(c, i, kind == ZONE_CODE_BLOCK);
	struct zone z = { make_span(start, line_end(&c->lines, last)), (uint8_t)kind };
	array_push(&c->n->zones, z);
}

/*
 * Appends text[s, e) to out, each line break and the blanks and container
 * markers ('>') around it collapsed into one space. NULs and invalid UTF-8
 * become U+FFFD: owned strings end up in JSON, which wants valid UTF-8.
 */
static void put_collapsed(struct strbuf *out, const char *t, uint32_t s, uint32_t e)
{
	for (uint32_t i = s; i < e; i++) {
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
	const char *t = c->n->text;
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
		te = trim_end(t, ts, te);
	}
	h.line = make_span(line_start(&c->lines, b->start_line), line_end(&c->lines, last));
	h.title = make_span(ts, te);

	struct strbuf text;
	strbuf_init(&text);
	put_collapsed(&text, t, h.title.start, span_end(h.title));
	h.text = strbuf_detach(&text);
	array_push(&c->n->headings, h);

	inline_scan(c->n, h.title, h.line);
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
	const char *t = c->n->text;
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

static void parse_body(struct note *n)
{
	struct ctx c = { 0 };
	c.n = n;
	/* cmark skips a leading BOM, which would shift line 1's columns. */
	uint32_t md = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	lines_build(&c.lines, n->text, md, n->len);

	/* cmark turns each NUL into a three-byte U+FFFD; a one-byte stand-in
	 * that no Markdown construct uses keeps its columns byte-exact. */
	const char *src = n->text + md;
	size_t srclen = n->len - md;
	char *copy = NULL;
	if (memchr(src, '\0', srclen)) {
		copy = xstrndup(src, srclen);
		for (size_t i = 0; i < srclen; i++)
			if (!copy[i])
				copy[i] = 0x1A;
		src = copy;
	}
	cmark_node *doc = cmark_parse_document(src, srclen, CMARK_OPT_DEFAULT);
	free(copy);
	flatten(&c, doc);

	for (uint32_t i = 0; i < c.blocks.len; i++) {
		const struct block *b = &c.blocks.items[i];
		switch (b->type) {
		case CMARK_NODE_HEADING:
			add_heading(&c, i);
			break;
		case CMARK_NODE_PARAGRAPH: {
			struct span s = paragraph_span(&c, i);
			inline_scan(n, s, s);
			break;
		}
		case CMARK_NODE_ITEM:
			add_item(&c, i);
			break;
		case CMARK_NODE_CODE_BLOCK:
			add_zone(&c, i, ZONE_CODE_BLOCK);
			break;
		case CMARK_NODE_HTML_BLOCK:
			add_zone(&c, i, ZONE_HTML);
			break;
		default:
			break;
		}
	}
	/* Document order is start order; this only guards the invariant
	 * note_in_zone's binary search relies on. */
	for (uint32_t i = 1; i < n->zones.len; i++) {
		if (n->zones.items[i].span.start < n->zones.items[i - 1].span.start) {
			qsort(n->zones.items, n->zones.len, sizeof(*n->zones.items), zone_cmp);
			break;
		}
	}

	cmark_node_free(doc);
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

static uint32_t first_link_at(const struct note *n, uint32_t offset)
{
	return first_at(n->links.items, n->links.len, sizeof(n->links.items[0]), offset);
}

static uint32_t first_block_at(const struct note *n, uint32_t offset)
{
	return first_at(n->blocks.items, n->blocks.len, sizeof(n->blocks.items[0]), offset);
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
	 * id names the item and is dropped. The source is written where the
	 * text goes: most items are plain lines, which are their own text. */
	size_t first = out->len;
	uint32_t at = s;
	for (uint32_t i = first_link_at(n, s); i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		if (l->span.start >= e)
			break;
		if (l->span.start < at || span_end(l->span) > e)
			continue;
		strbuf_put(out, n->text + at, l->span.start - at);
		struct span shown = wikilink_display(l); /* len 0 if there is none */
		if (!shown.len)
			shown = wikilink_target(l);
		strbuf_put(out, n->text + shown.start, shown.len);
		at = span_end(l->span);
	}
	for (uint32_t i = first_block_at(n, at); i < n->blocks.len; i++) {
		const struct block_id *b = &n->blocks.items[i];
		if (b->span.start >= e)
			break;
		if (b->span.start >= at && span_end(b->span) <= e) {
			strbuf_put(out, n->text + at, b->span.start - at);
			at = span_end(b->span);
		}
	}
	strbuf_put(out, n->text + at, e - at);
	plain_in_place(out, first);
}

