/*
 * yaml_tree.c — YAML text to a struct yaml_node tree with byte spans.
 *
 * The only file that includes <yaml.h>. We use libyaml's event API and build
 * our own small tree: its document API keeps libyaml's marks, which count
 * characters (code points; CRLF counts as two), not bytes. Here every mark
 * goes through a cursor that converts it to a byte offset.
 *
 * Aliases become YAML_NULL_NODE and anchors are ignored, so a "billion
 * laughs" document costs its own size. Nesting is capped at YAML_MAX_DEPTH so
 * that the recursions over a tree (freeing, packing) stay shallow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libyaml's document API has its own YAML_SCALAR_NODE enumerator, which
 * collides with ours; we never use that API, so rename it away. */
#define YAML_SCALAR_NODE LIBYAML_SCALAR_NODE_UNUSED
#include <yaml.h>
#undef YAML_SCALAR_NODE

#include "yaml_tree.h"

#define YAML_MAX_DEPTH 1000

/*
 * Character index -> byte offset. libyaml reports marks in increasing order
 * most of the time, so we walk forward from the last answer; when a mark goes
 * backwards we walk back. Walking back is exact because libyaml only hands
 * out marks inside text its reader has already validated as UTF-8, where a
 * character starts at every byte that is not a continuation byte.
 */
struct cursor {
	const unsigned char *text;
	size_t len;
	size_t chr;  /* character index of ... */
	size_t byte; /* ... this byte offset */
};

static size_t cursor_byte(struct cursor *c, size_t index)
{
	while (c->chr < index && c->byte < c->len) {
		size_t n = utf8_seq_len(c->text + c->byte, c->len - c->byte);
		c->byte += n ? n : 1;
		c->chr++;
	}
	while (c->chr > index && c->byte > 0) {
		c->byte--;
		while (c->byte > 0 && (c->text[c->byte] & 0xC0) == 0x80)
			c->byte--;
		c->chr--;
	}
	return c->byte;
}

/* An open collection while its events are still arriving. */
struct frame {
	struct yaml_node node;
	ARRAY(struct yaml_node) items;
	ARRAY(char *) keys;
	ARRAY(struct span) key_spans;
	uint32_t end;      /* relative byte offset after the last child so far */
	bool flow;         /* [..] or {..}: the end event marks the real end */
	bool want_value;   /* map: the next node completes a key/value pair */
	bool skip;         /* map: this pair's key was not a scalar */
	char *key;         /* map: pending key (owned) */
	struct span key_span;
};

struct builder {
	struct cursor cur;
	uint32_t base;
	ARRAY(struct frame) stack;
	struct yaml_node *root;
};

static void node_fini(struct yaml_node *n)
{
	for (uint32_t i = 0; i < n->n; i++) {
		node_fini(&n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_spans);
	free(n->str);
}

/* A tree as the builder made it, before pack(). */
static void loose_tree_free(struct yaml_node *node)
{
	if (!node)
		return;
	node_fini(node);
	free(node);
}

/* ---- one block per tree ------------------------------------------------ */

/*
 * A finished tree is copied into one allocation: the root, then every
 * node array, key array and key-span array, then every string. A
 * frontmatter has a few dozen nodes and strings, each its own small block
 * with its header and rounding, kept for every note of the vault.
 */
static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Bytes below n (not n itself) in the arrays region and in the strings
 * region. */
static void packed_size(const struct yaml_node *n, size_t *arrays, size_t *chars)
{
	if (n->str)
		*chars += strlen(n->str) + 1;
	if (!n->n)
		return;
	*arrays += align8(n->n * sizeof(struct yaml_node));
	if (n->keys) {
		*arrays += align8(n->n * sizeof(char *)) + align8(n->n * sizeof(struct span));
		for (uint32_t i = 0; i < n->n; i++)
			*chars += strlen(n->keys[i]) + 1;
	}
	for (uint32_t i = 0; i < n->n; i++)
		packed_size(&n->items[i], arrays, chars);
}

struct packer {
	char *arrays, *chars; /* where the next array and string go */
};

static char *pack_str(struct packer *p, const char *s)
{
	size_t n = strlen(s) + 1;
	char *to = memcpy(p->chars, s, n);
	p->chars += n;
	return to;
}

static void *pack_array(struct packer *p, const void *items, size_t bytes)
{
	void *to = memcpy(p->arrays, items, bytes);
	p->arrays += align8(bytes);
	return to;
}

static void pack_node(struct packer *p, struct yaml_node *dst, const struct yaml_node *src)
{
	*dst = *src;
	dst->str = src->str ? pack_str(p, src->str) : NULL;
	if (!src->n) {
		dst->items = NULL;
		dst->keys = NULL;
		dst->key_spans = NULL;
		return;
	}
	/* Copied as they are, then each child packed in place. */
	dst->items = pack_array(p, src->items, src->n * sizeof(struct yaml_node));
	if (src->keys) {
		dst->keys = pack_array(p, src->keys, src->n * sizeof(char *));
		dst->key_spans = pack_array(p, src->key_spans, src->n * sizeof(struct span));
		for (uint32_t i = 0; i < src->n; i++)
			dst->keys[i] = pack_str(p, src->keys[i]);
	}
	for (uint32_t i = 0; i < src->n; i++)
		pack_node(p, &dst->items[i], &src->items[i]);
}

/* Consumes root; the result is freed with one free(). */
static struct yaml_node *pack(struct yaml_node *root)
{
	size_t arrays = 0, chars = 0;
	packed_size(root, &arrays, &chars);
	size_t head = align8(sizeof(struct yaml_node));
	char *block = xmalloc(head + arrays + (chars ? chars : 1));
	struct packer p = { block + head, block + head + arrays };
	struct yaml_node *packed = (struct yaml_node *)block;
	pack_node(&p, packed, root);
	loose_tree_free(root);
	return packed;
}

void yaml_tree_free(struct yaml_node *node)
{
	free(node); /* one block: see pack() */
}

static void frame_fini(struct frame *f)
{
	for (uint32_t i = 0; i < f->items.len; i++)
		node_fini(&f->items.items[i]);
	for (uint32_t i = 0; i < f->keys.len; i++)
		free(f->keys.items[i]);
	array_free(&f->items);
	array_free(&f->keys);
	array_free(&f->key_spans);
	free(f->key);
}

static uint32_t mark_byte(struct builder *b, yaml_mark_t m)
{
	return (uint32_t)cursor_byte(&b->cur, m.index);
}

/* A node's start mark is its anchor's or tag's ("&a !!str value"); the
 * span should start at the value. Neither property contains blanks. */
static uint32_t skip_properties(const struct builder *b, uint32_t s, uint32_t e)
{
	const char *t = (const char *)b->cur.text;
	while (s < e && (t[s] == '&' || t[s] == '!')) {
		while (s < e && t[s] != ' ' && t[s] != '\t' && t[s] != '\n' && t[s] != '\r')
			s++;
		while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '\n' || t[s] == '\r'))
			s++;
	}
	return s;
}

static struct span abs_span(struct builder *b, uint32_t start, uint32_t end)
{
	if (end < start)
		end = start;
	return (struct span){ b->base + start, end - start };
}

/* Plain null words keep their text (str) only while they may still become a
 * map key ("null: x" has the key "null"); as a value a null has no string. */
static void strip_null_string(struct yaml_node *n)
{
	if (n->type == YAML_NULL_NODE) {
		free(n->str);
		n->str = NULL;
	}
}

/*
 * Hands a finished node (and its relative raw end, quotes included) to the
 * open collection, or makes it the root. Takes ownership of node's contents.
 */
static void attach(struct builder *b, struct yaml_node node, uint32_t end)
{
	bool is_key = b->stack.len &&
		      b->stack.items[b->stack.len - 1].node.type == YAML_MAP_NODE &&
		      !b->stack.items[b->stack.len - 1].want_value;
	if (!is_key)
		strip_null_string(&node);
	if (b->stack.len == 0) {
		if (b->root) {
			/* Only one root per document; cannot happen with
			 * libyaml's event grammar, but never leak. */
			node_fini(&node);
			return;
		}
		b->root = xmalloc(sizeof(*b->root));
		*b->root = node;
		return;
	}
	struct frame *f = &b->stack.items[b->stack.len - 1];
	if (end > f->end)
		f->end = end;
	if (f->node.type == YAML_SEQ_NODE) {
		array_push(&f->items, node);
		return;
	}
	if (!f->want_value) {
		/* A key. Only scalar keys can be looked up by name; a
		 * complex or aliased key drops the whole pair. */
		f->want_value = true;
		if (node.type == YAML_SCALAR_NODE || (node.type == YAML_NULL_NODE && node.str)) {
			f->key = node.str;
			f->key_span = node.span;
			node.str = NULL;
			f->skip = false;
		} else {
			f->skip = true;
		}
		node_fini(&node);
		return;
	}
	f->want_value = false;
	if (f->skip) {
		node_fini(&node);
		return;
	}
	array_push(&f->keys, f->key);
	array_push(&f->key_spans, f->key_span);
	array_push(&f->items, node);
	f->key = NULL;
}

static bool is_null_word(const char *s, size_t len)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && memcmp(s, words[i], len) == 0)
			return true;
	return false;
}

static void on_scalar(struct builder *b, const yaml_event_t *ev)
{
	uint32_t start = mark_byte(b, ev->start_mark);
	uint32_t end = mark_byte(b, ev->end_mark);
	uint32_t s = start, e = end;
	const char *text = (const char *)b->cur.text;
	if (ev->data.scalar.anchor || ev->data.scalar.tag)
		s = skip_properties(b, s, e);
	struct yaml_node node = { 0 };
	node.type = YAML_SCALAR_NODE;

	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		node.quoted = true;
		if (e - s >= 2) {
			s++;
			e--;
		}
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		/* The value starts on the line after the "|" / ">" header,
		 * at its first non-blank, and libyaml's end mark lies past
		 * the trailing newlines. */
		while (s < e && text[s] != '\n' && text[s] != '\r')
			s++;
		while (s < e && (text[s] == '\n' || text[s] == '\r' || text[s] == ' '))
			s++;
		while (e > s && (text[e - 1] == '\n' || text[e - 1] == '\r' ||
				 text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		break;
	default:
		break;
	}
	node.span = abs_span(b, s, e);
	const char *value = (const char *)ev->data.scalar.value;
	size_t vlen = ev->data.scalar.length;
	/* YAML's core schema: an untagged plain "", "~" or "null" is no
	 * value at all (attach() drops its text unless it is a key). */
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    ev->data.scalar.plain_implicit && is_null_word(value, vlen))
		node.type = YAML_NULL_NODE;
	node.str = xstrndup(value, vlen);
	attach(b, node, end);
}

static bool on_start(struct builder *b, const yaml_event_t *ev, uint8_t type, bool flow,
		     bool has_properties)
{
	if (b->stack.len >= YAML_MAX_DEPTH)
		return false;
	struct frame f = { 0 };
	f.node.type = type;
	f.node.span.start = mark_byte(b, ev->start_mark);
	if (has_properties)
		f.node.span.start = skip_properties(b, f.node.span.start, (uint32_t)b->cur.len);
	f.end = f.node.span.start;
	f.flow = flow;
	array_push(&b->stack, f);
	return true;
}

static void on_end(struct builder *b, const yaml_event_t *ev)
{
	if (b->stack.len == 0)
		return;
	struct frame f = b->stack.items[--b->stack.len];
	if (f.flow) {
		uint32_t end = mark_byte(b, ev->end_mark);
		if (end > f.end)
			f.end = end;
	}
	/* A map that ends after a key but before its value (libyaml never
	 * does that, but stay safe) drops the dangling key. */
	free(f.key);
	f.key = NULL;
	array_shrink(&f.items);
	array_shrink(&f.keys);
	array_shrink(&f.key_spans);
	struct yaml_node node = f.node;
	node.span = abs_span(b, f.node.span.start, f.end);
	node.n = f.items.len;
	node.items = f.items.items;
	if (node.type == YAML_MAP_NODE) {
		node.keys = f.keys.items;
		node.key_spans = f.key_spans.items;
	} else {
		array_free(&f.keys);
		array_free(&f.key_spans);
	}
	attach(b, node, f.end);
}

static uint32_t line_of(const char *text, size_t len, size_t offset)
{
	uint32_t line = 1;
	for (size_t i = 0; i < offset && i < len; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
			line++;
	return line;
}

static char *error_message(const yaml_parser_t *p, uint32_t line)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "line %u: %s", line, p->problem ? p->problem : "invalid YAML");
	if (p->context)
		strbuf_printf(&b, " %s", p->context);
	return strbuf_detach(&b);
}

struct yaml_node *yaml_tree_parse(const char *text, size_t len, uint32_t base,
				  uint32_t *error_offset, char **error_message_out)
{
	struct builder b = { 0 };
	b.cur.text = (const unsigned char *)text;
	b.cur.len = len;
	b.base = base;
	*error_offset = UINT32_MAX;
	*error_message_out = NULL;

	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	/* Forced UTF-8: no sniffing a UTF-16 BOM into different offsets.
	 * A UTF-8 BOM is then read as a character, which keeps marks and
	 * our cursor in step. */
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), len);

	bool ok = true, done = false;
	uint32_t err = 0;
	char *msg = NULL;
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			ok = false;
			if (parser.error == YAML_READER_ERROR) {
				/* Reader errors (invalid UTF-8, control
				 * characters such as NUL) carry a byte offset. */
				err = (uint32_t)(parser.problem_offset < len ? parser.problem_offset : len);
			} else {
				err = mark_byte(&b, parser.problem_mark);
			}
			msg = error_message(&parser, line_of(text, len, err));
			break;
		}
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
			on_scalar(&b, &ev);
			break;
		case YAML_ALIAS_EVENT: {
			struct yaml_node node = { 0 };
			uint32_t s = mark_byte(&b, ev.start_mark);
			uint32_t e = mark_byte(&b, ev.end_mark);
			node.type = YAML_NULL_NODE;
			node.span = abs_span(&b, s, e);
			attach(&b, node, e);
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			bool flow = seq ? ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
					: ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
			bool props = seq ? ev.data.sequence_start.anchor || ev.data.sequence_start.tag
					 : ev.data.mapping_start.anchor || ev.data.mapping_start.tag;
			if (!on_start(&b, &ev, seq ? YAML_SEQ_NODE : YAML_MAP_NODE, flow, props)) {
				ok = false;
				err = mark_byte(&b, ev.start_mark);
				struct strbuf sb;
				strbuf_init(&sb);
				strbuf_printf(&sb, "line %u: nested more than %d levels deep",
					      line_of(text, len, err), YAML_MAX_DEPTH);
				msg = strbuf_detach(&sb);
				done = true;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			on_end(&b, &ev);
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			/* Only the first document counts; never read on
			 * into a second one that might be invalid. */
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);

	while (b.stack.len)
		frame_fini(&b.stack.items[--b.stack.len]);
	array_free(&b.stack);

	if (!ok) {
		loose_tree_free(b.root);
		*error_offset = base + (err < len ? err : (uint32_t)len);
		*error_message_out = msg;
		return NULL;
	}
	if (!b.root) {
		b.root = xcalloc(1, sizeof(*b.root));
		b.root->type = YAML_NULL_NODE;
		b.root->span = (struct span){ base, 0 };
	}
	return pack(b.root);
}

const struct yaml_node *yaml_tree_get(const struct yaml_node *map, const char *key)
{
	if (!map || map->type != YAML_MAP_NODE || !key)
		return NULL;
	for (uint32_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return &map->items[i];
	return NULL;
}
