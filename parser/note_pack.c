/*
 * note_pack.c — a parsed note to bytes and back (note_pack.h): the
 * frontmatter tree in pre-order, every array field by field, and on the
 * way back every span, count and index checked before it is trusted.
 */
#include "note_pack.h"
#include "note.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* As yaml_tree.c caps a tree's nesting: the walks here recurse. */
#define MAX_DEPTH 1000
#define NO_NODE UINT32_MAX

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* ---- packing ---------------------------------------------------------- */

static void put_span(struct strbuf *b, struct span s)
{
	binio_put_u32(b, s.start);
	binio_put_u32(b, s.len);
}

static void put_cstr(struct strbuf *b, const char *s)
{
	binio_put_str(b, s, strlen(s));
}

/* What goes as it is must hold no padding (whose bytes are anyone's). */
_Static_assert(sizeof(struct list_item) == 12, "list_item: two spans' words and one");
_Static_assert(sizeof(struct wikilink) == 20, "wikilink: five words and four bytes");
_Static_assert(sizeof(struct block_id) == 24, "block_id: three spans");
_Static_assert(sizeof(struct tag) == 8, "tag: a span");

uint64_t note_pack_layout(void)
{
	const size_t shape[] = {
		sizeof(struct list_item), offsetof(struct list_item, line_start),
		sizeof(struct wikilink), offsetof(struct wikilink, target_len),
		offsetof(struct wikilink, subpath_len), offsetof(struct wikilink, flags),
		offsetof(struct wikilink, has_subpath), offsetof(struct wikilink, has_display),
		offsetof(struct wikilink, escaped_bar), sizeof(struct block_id),
		offsetof(struct block_id, id), offsetof(struct block_id, block), sizeof(struct tag),
		sizeof(bool),
	};
	return hash64(shape, sizeof(shape), 0);
}

typedef ARRAY(const struct yaml_node *) node_list;

/* The tree's nodes in pre-order (a node, then each child's subtree). */
static void list_nodes(const struct yaml_node *n, node_list *out)
{
	array_push(out, n);
	for (uint32_t i = 0; i < n->n; i++)
		list_nodes(&n->items[i], out);
}

static void pack_node(struct strbuf *b, const struct yaml_node *n)
{
	binio_put_u8(b, n->type);
	binio_put_u8(b, n->quoted);
	put_span(b, n->span);
	binio_put_u32(b, n->n);
	binio_put_u8(b, n->str != NULL);
	if (n->str)
		put_cstr(b, n->str);
	binio_put_u8(b, n->keys != NULL);
	for (uint32_t i = 0; n->keys && i < n->n; i++) {
		put_cstr(b, n->keys[i]);
		put_span(b, n->key_spans[i]);
	}
	for (uint32_t i = 0; i < n->n; i++)
		pack_node(b, &n->items[i]);
}

static uint32_t node_index(const node_list *nodes, const struct yaml_node *n)
{
	for (uint32_t i = 0; n && i < nodes->len; i++)
		if (nodes->items[i] == n)
			return i;
	return NO_NODE;
}

void note_pack(const struct note *n, struct strbuf *b)
{
	binio_put_u8(b, n->has_frontmatter);
	put_span(b, n->fm_span);
	binio_put_u32(b, n->body);
	binio_put_u8(b, n->fm_error.present);
	binio_put_u32(b, n->fm_error.offset);
	binio_put_u8(b, n->fm_error.message != NULL);
	if (n->fm_error.message)
		put_cstr(b, n->fm_error.message);

	uint32_t chars = 0;
	for (uint32_t i = 0; i < n->headings.len; i++)
		chars += (uint32_t)strlen(n->headings.items[i].text) + 1;
	const uint32_t counts[] = { n->aliases.len, n->fm_tags.len, n->headings.len, n->items.len,
				    n->links.len,   n->blocks.len,  n->tags.len,     n->zones.len };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		binio_put_u32(b, counts[i]);
	binio_put_u32(b, chars);

	node_list nodes = { 0 };
	if (n->frontmatter)
		list_nodes(n->frontmatter, &nodes);
	binio_put_u32(b, nodes.len);
	if (n->frontmatter)
		pack_node(b, n->frontmatter);
	for (uint32_t i = 0; i < n->aliases.len; i++)
		binio_put_u32(b, node_index(&nodes, n->aliases.items[i]));
	for (uint32_t i = 0; i < n->fm_tags.len; i++)
		binio_put_u32(b, node_index(&nodes, n->fm_tags.items[i]));
	binio_put_u32(b, node_index(&nodes, n->type));
	binio_put_u32(b, node_index(&nodes, n->name));
	binio_put_u32(b, node_index(&nodes, n->title));
	array_free(&nodes);

	for (uint32_t i = 0; i < n->headings.len; i++) {
		const struct heading *h = &n->headings.items[i];
		binio_put_u8(b, h->level);
		put_span(b, h->line);
		put_span(b, h->title);
		put_cstr(b, h->text);
	}
	/* The arrays of a vault's every note are most of a cache's meta:
	 * these four, of fixed-width fields and no padding, go as they are. */
	strbuf_put(b, (const char *)n->items.items, n->items.len * sizeof(*n->items.items));
	strbuf_put(b, (const char *)n->links.items, n->links.len * sizeof(*n->links.items));
	strbuf_put(b, (const char *)n->blocks.items, n->blocks.len * sizeof(*n->blocks.items));
	strbuf_put(b, (const char *)n->tags.items, n->tags.len * sizeof(*n->tags.items));
	for (uint32_t i = 0; i < n->zones.len; i++) {
		put_span(b, n->zones.items[i].span);
		binio_put_u8(b, n->zones.items[i].kind);
	}
}

/* ---- unpacking -------------------------------------------------------- */

struct unpack {
	struct binio_reader *r;
	uint32_t text_len;
	/* Filling: the tree's block, where the next array and string go, and
	 * every node by its pre-order index. */
	char *arrays, *chars;
	struct yaml_node **nodes;
	uint32_t next;
	/* Measuring: what the block needs. */
	size_t array_bytes, char_bytes;
	uint32_t count;
};

static bool span_fits(struct span s, uint32_t text_len)
{
	return (uint64_t)s.start + s.len <= text_len;
}

static struct span get_span(struct unpack *u)
{
	struct span s;
	s.start = binio_u32(u->r);
	s.len = binio_u32(u->r);
	if ((uint64_t)s.start + s.len > u->text_len)
		binio_fail(u->r);
	return s;
}

/* A string's bytes in place; NUL-terminated copies are made when filling. */
static const char *get_str(struct unpack *u, uint32_t *len)
{
	return binio_str(u->r, UINT32_MAX, len);
}

static char *put_chars(struct unpack *u, const char *s, uint32_t len)
{
	char *to = u->chars;
	memcpy(to, s, len);
	to[len] = '\0';
	u->chars += len + 1;
	return to;
}

/* The smallest a node takes: type, quoted, span, n, two flags. */
#define NODE_MIN_BYTES 15

/*
 * One node and its subtree: measured (dst NULL: checks everything and
 * counts what the block needs) or filled into dst (the same bytes again,
 * already checked).
 */
static void node(struct unpack *u, struct yaml_node *dst, int depth)
{
	struct binio_reader *r = u->r;
	struct yaml_node n = { 0 };
	n.type = binio_u8(r);
	n.quoted = binio_bool(r);
	n.span = get_span(u);
	n.n = binio_u32(r);
	bool has_str = binio_bool(r);
	uint32_t len = 0;
	const char *str = has_str ? get_str(u, &len) : NULL;
	bool has_keys = binio_bool(r);
	if (n.type > YAML_MAP_NODE || depth > MAX_DEPTH ||
	    (n.type == YAML_SCALAR_NODE && (n.n || !has_str)) ||
	    (n.n && n.type != YAML_SEQ_NODE && n.type != YAML_MAP_NODE) ||
	    (has_str && (n.type == YAML_SEQ_NODE || n.type == YAML_MAP_NODE)) ||
	    has_keys != (n.type == YAML_MAP_NODE && n.n > 0) ||
	    (uint64_t)n.n * NODE_MIN_BYTES > binio_left(r))
		binio_fail(r);
	if (r->bad)
		return;
	if (!dst) {
		u->count++;
		if (str)
			u->char_bytes += (size_t)len + 1;
		if (n.n)
			u->array_bytes += align8(n.n * sizeof(struct yaml_node));
		if (has_keys)
			u->array_bytes += align8(n.n * sizeof(char *)) + align8(n.n * sizeof(struct span));
	} else {
		u->nodes[u->next++] = dst;
		*dst = n;
		dst->str = str ? put_chars(u, str, len) : NULL;
		if (n.n) {
			dst->items = (struct yaml_node *)u->arrays;
			u->arrays += align8(n.n * sizeof(struct yaml_node));
		}
		if (has_keys) {
			dst->keys = (char **)u->arrays;
			u->arrays += align8(n.n * sizeof(char *));
			dst->key_spans = (struct span *)u->arrays;
			u->arrays += align8(n.n * sizeof(struct span));
		}
	}
	for (uint32_t i = 0; has_keys && i < n.n && !r->bad; i++) {
		const char *key = get_str(u, &len);
		struct span ks = get_span(u);
		if (r->bad)
			return;
		if (!dst) {
			u->char_bytes += (size_t)len + 1;
		} else {
			dst->keys[i] = put_chars(u, key, len);
			dst->key_spans[i] = ks;
		}
	}
	for (uint32_t i = 0; i < n.n && !r->bad; i++)
		node(u, dst ? &dst->items[i] : NULL, depth + 1);
}

/* The tree (total nodes, then the nodes), as one block yaml_tree_free
 * frees; *nodes gets every node by index. */
static struct yaml_node *unpack_tree(struct unpack *u, uint32_t total, struct yaml_node ***nodes)
{
	*nodes = NULL;
	if (!total)
		return NULL;
	if ((uint64_t)total * NODE_MIN_BYTES > binio_left(u->r)) {
		binio_fail(u->r);
		return NULL;
	}
	struct binio_reader start = *u->r;
	node(u, NULL, 0);
	if (u->r->bad || u->count != total) {
		binio_fail(u->r);
		return NULL;
	}
	size_t head = align8(sizeof(struct yaml_node));
	char *block = xmalloc(head + u->array_bytes + (u->char_bytes ? u->char_bytes : 1));
	*nodes = xmalloc(total * sizeof(**nodes));
	struct binio_reader again = start;
	u->r = &again;
	u->arrays = block + head;
	u->chars = block + head + u->array_bytes;
	u->nodes = *nodes;
	node(u, (struct yaml_node *)block, 0);
	return (struct yaml_node *)block;
}

/* A node index naming a scalar with its string (what the note's views of
 * aliases, tags, type, name and title hold), or NO_NODE where allowed. */
static const struct yaml_node *scalar_at(struct unpack *u, struct yaml_node **nodes, uint32_t total,
					 bool may_be_none)
{
	uint32_t i = binio_u32(u->r);
	if (i == NO_NODE && may_be_none)
		return NULL;
	if (i >= total || nodes[i]->type != YAML_SCALAR_NODE || !nodes[i]->str) {
		binio_fail(u->r);
		return NULL;
	}
	return nodes[i];
}

/* Does a link's every part lie within its span, as wikilink_target,
 * _subpath and _display compute them? */
static bool link_fits(const struct wikilink *l)
{
	uint64_t end = (uint64_t)l->span.start + l->span.len;
	uint64_t closing = (l->flags & WIKILINK_CLOSED) ? 2 : 0;
	uint64_t t = (uint64_t)l->span.start + 2 + ((l->flags & WIKILINK_EMBED) ? 1 : 0);
	uint64_t s = t + l->target_len + (l->has_subpath ? 1 : 0);
	uint64_t d = s + l->subpath_len + (l->has_display ? (l->escaped_bar ? 2 : 1) : 0);
	return l->flags <= (WIKILINK_EMBED | WIKILINK_CLOSED) && closing <= l->span.len &&
	       d <= end - closing && (l->has_display || !l->escaped_bar);
}

/* Points array a at the next count items of the block (none: NULL). */
#define PLACE(a, count, block, off)                                       \
	do {                                                              \
		(a)->len = (a)->cap = (count);                            \
		(a)->items = (count) ? (void *)((block) + *(off)) : NULL; \
		*(off) += align8((size_t)(count) * sizeof(*(a)->items)); \
	} while (0)

struct note *note_pack_read(struct binio_reader *r, uint32_t text_len, char **text)
{
	struct unpack u = { .r = r, .text_len = text_len };
	struct note *n = xcalloc(1, sizeof(*n));
	n->len = text_len;
	n->has_frontmatter = binio_bool(r);
	n->fm_span = get_span(&u);
	n->body = binio_u32(r);
	n->fm_error.present = binio_bool(r);
	n->fm_error.offset = binio_u32(r);
	if (n->body > text_len || n->fm_error.offset > text_len)
		binio_fail(r);
	if (binio_bool(r)) {
		uint32_t len;
		const char *m = get_str(&u, &len);
		if (m)
			n->fm_error.message = xstrndup(m, len);
	}
	uint32_t c[8];
	for (int i = 0; i < 8; i++)
		c[i] = binio_u32(r);
	uint32_t chars = binio_u32(r);
	/* What the counts need at the least, against what is left, before
	 * anything is allocated for them. */
	static const uint32_t min_bytes[8] = { 4, 4, 21, 12, 20, 24, 8, 9 };
	uint64_t need = 0;
	for (int i = 0; i < 8; i++)
		need += (uint64_t)c[i] * min_bytes[i];
	uint32_t total = binio_u32(r);
	if (need > binio_left(r) || chars > binio_left(r))
		binio_fail(r);
	struct yaml_node **nodes = NULL;
	if (!r->bad)
		n->frontmatter = unpack_tree(&u, total, &nodes);
	u.r = r;
	/* A tree only as frontmatter.c keeps one: a mapping, of a note with
	 * frontmatter (what reads it goes through its keys unchecked). */
	if (n->frontmatter && (n->frontmatter->type != YAML_MAP_NODE || !n->has_frontmatter))
		binio_fail(r);
	if (r->bad) {
		free(nodes);
		note_free(n);
		return NULL;
	}

	size_t size = align8((size_t)text_len + 1) + align8((size_t)c[0] * sizeof(*n->aliases.items)) +
		      align8((size_t)c[1] * sizeof(*n->fm_tags.items)) +
		      align8((size_t)c[2] * sizeof(*n->headings.items)) +
		      align8((size_t)c[3] * sizeof(*n->items.items)) +
		      align8((size_t)c[4] * sizeof(*n->links.items)) +
		      align8((size_t)c[5] * sizeof(*n->blocks.items)) +
		      align8((size_t)c[6] * sizeof(*n->tags.items)) +
		      align8((size_t)c[7] * sizeof(*n->zones.items)) + chars;
	char *block = xmalloc(size);
	block[text_len] = '\0';
	n->text = block;
	size_t off = align8((size_t)text_len + 1);
	PLACE(&n->aliases, c[0], block, &off);
	PLACE(&n->fm_tags, c[1], block, &off);
	PLACE(&n->headings, c[2], block, &off);
	PLACE(&n->items, c[3], block, &off);
	PLACE(&n->links, c[4], block, &off);
	PLACE(&n->blocks, c[5], block, &off);
	PLACE(&n->tags, c[6], block, &off);
	PLACE(&n->zones, c[7], block, &off);
	u.chars = block + off;
	char *chars_end = block + size;

	for (uint32_t i = 0; i < c[0]; i++)
		n->aliases.items[i] = scalar_at(&u, nodes, total, false);
	for (uint32_t i = 0; i < c[1]; i++)
		n->fm_tags.items[i] = scalar_at(&u, nodes, total, false);
	n->type = scalar_at(&u, nodes, total, true);
	n->name = scalar_at(&u, nodes, total, true);
	n->title = scalar_at(&u, nodes, total, true);
	free(nodes);

	for (uint32_t i = 0; i < c[2] && !r->bad; i++) {
		struct heading *h = &n->headings.items[i];
		h->level = binio_u8(r);
		h->line = get_span(&u);
		h->title = get_span(&u);
		uint32_t len;
		const char *s = get_str(&u, &len);
		if (!s || (size_t)(chars_end - u.chars) < (size_t)len + 1 || h->level < 1 || h->level > 6) {
			binio_fail(r);
			break;
		}
		h->text = put_chars(&u, s, len);
	}
	/* The arrays written as they are: copied, then every value checked
	 * (the links' booleans in their bytes, before they are read as
	 * booleans). */
	const unsigned char *raw = r->bad ? NULL : binio_take(r, (size_t)c[3] * sizeof(struct list_item));
	if (raw && c[3])
		memcpy(n->items.items, raw, (size_t)c[3] * sizeof(struct list_item));
	for (uint32_t i = 0; raw && i < c[3]; i++) {
		const struct list_item *it = &n->items.items[i];
		if (!span_fits(it->span, text_len) || it->line_start > it->span.start)
			binio_fail(r);
	}
	raw = r->bad ? NULL : binio_take(r, (size_t)c[4] * sizeof(struct wikilink));
	for (uint32_t i = 0; raw && i < c[4]; i++) {
		const unsigned char *l = raw + i * sizeof(struct wikilink);
		if (l[offsetof(struct wikilink, has_subpath)] > 1 ||
		    l[offsetof(struct wikilink, has_display)] > 1 ||
		    l[offsetof(struct wikilink, escaped_bar)] > 1)
			binio_fail(r);
	}
	if (raw && !r->bad && c[4])
		memcpy(n->links.items, raw, (size_t)c[4] * sizeof(struct wikilink));
	/* In source order, none overlapping the one before (note_types.h):
	 * what walks them together with the text takes each one's start
	 * minus where the one before ended. */
	for (uint32_t i = 0; raw && !r->bad && i < c[4]; i++)
		if (!span_fits(n->links.items[i].span, text_len) || !link_fits(&n->links.items[i]) ||
		    (i && n->links.items[i].span.start < span_end(n->links.items[i - 1].span)))
			binio_fail(r);
	raw = r->bad ? NULL : binio_take(r, (size_t)c[5] * sizeof(struct block_id));
	if (raw && c[5])
		memcpy(n->blocks.items, raw, (size_t)c[5] * sizeof(struct block_id));
	for (uint32_t i = 0; raw && i < c[5]; i++) {
		const struct block_id *bl = &n->blocks.items[i];
		if (!span_fits(bl->span, text_len) || !span_fits(bl->id, text_len) ||
		    !span_fits(bl->block, text_len) ||
		    (i && bl->span.start < span_end(n->blocks.items[i - 1].span)))
			binio_fail(r);
	}
	raw = r->bad ? NULL : binio_take(r, (size_t)c[6] * sizeof(struct tag));
	if (raw && c[6])
		memcpy(n->tags.items, raw, (size_t)c[6] * sizeof(struct tag));
	for (uint32_t i = 0; raw && i < c[6]; i++)
		if (!span_fits(n->tags.items[i].span, text_len))
			binio_fail(r);
	for (uint32_t i = 0; i < c[7] && !r->bad; i++) {
		n->zones.items[i].span = get_span(&u);
		n->zones.items[i].kind = binio_u8(r);
		if (n->zones.items[i].kind > ZONE_COMMENT ||
		    (i && n->zones.items[i].span.start < n->zones.items[i - 1].span.start))
			binio_fail(r);
	}
	/* Every heading string accounted for: the block has no slack. */
	if (!r->bad && u.chars != chars_end)
		binio_fail(r);
	if (r->bad) {
		/* Heading texts not yet placed must not be read by anyone:
		 * nobody does, the note is freed whole. */
		note_free(n);
		return NULL;
	}
	*text = block;
	return n;
}
