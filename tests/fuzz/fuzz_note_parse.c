/*
 * fuzz_note_parse.c — the pure parser on any bytes: note_parse and its
 * consumers (note_item_text, note_in_zone, note_slugify), and
 * yaml_tree_parse on the whole input as if it were frontmatter.
 *
 * Beyond "no crash, no leak", it checks the contracts note.h and
 * yaml_tree.h write down: every span lies in the text and every part in
 * its whole, headings are levels 1..6 with valid UTF-8 text, zones are
 * sorted, links and block ids are sorted and disjoint, and note_in_zone
 * agrees with a linear scan of the zones.
 * Links only vault_parser, like the parser's own tests.
 */
#include "fuzz.h"
#include "note.h"
#include "note_item.h"
#include "yaml_tree.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static bool span_in(struct span inner, struct span outer)
{
	return inner.start >= outer.start && inner.len <= outer.len &&
	       inner.start - outer.start <= outer.len - inner.len;
}

static void check_span(const struct note *n, struct span s)
{
	CHECK(s.start <= n->len && s.len <= n->len - s.start);
}

static void check_yaml(const struct yaml_node *node, uint32_t lo, uint32_t hi, int depth)
{
	CHECK(depth < 100000);
	CHECK(node->type <= YAML_MAP_NODE);
	CHECK(node->span.start >= lo && node->span.start <= hi &&
	      node->span.len <= hi - node->span.start);
	if (node->type == YAML_SCALAR_NODE)
		CHECK(node->str);
	if (node->type == YAML_SCALAR_NODE || node->type == YAML_NULL_NODE)
		CHECK(node->n == 0);
	if (node->n)
		CHECK(node->items);
	for (uint32_t i = 0; i < node->n; i++) {
		if (node->type == YAML_MAP_NODE) {
			CHECK(node->keys[i]);
			struct span k = node->key_spans[i];
			CHECK(k.start >= lo && k.start <= hi && k.len <= hi - k.start);
		}
		check_yaml(&node->items[i], lo, hi, depth + 1);
	}
}

/* The zone-membership oracle: as note.h states it, without the search. */
static bool in_zone_linear(const struct note *n, uint32_t offset)
{
	for (uint32_t i = 0; i < n->zones.len; i++) {
		struct span z = n->zones.items[i].span;
		if (offset >= z.start && offset < span_end(z))
			return true;
	}
	return false;
}

static void check_zone(const struct note *n, uint32_t offset)
{
	CHECK(note_in_zone(n, offset) == in_zone_linear(n, offset));
}

static void check_note(const struct note *n, const uint8_t *data, size_t size)
{
	CHECK(n->len == size);
	CHECK(memcmp(n->text, data, size) == 0 && n->text[n->len] == '\0');
	CHECK(n->body <= n->len);

	if (n->has_frontmatter) {
		check_span(n, n->fm_span);
		/* The opening line may follow a UTF-8 byte order mark. */
		bool bom = n->len >= 3 && memcmp(n->text, "\xEF\xBB\xBF", 3) == 0;
		CHECK(n->fm_span.start == (bom ? 3u : 0u) && n->body >= span_end(n->fm_span));
	}
	if (n->frontmatter) {
		CHECK(n->frontmatter->type == YAML_MAP_NODE);
		check_yaml(n->frontmatter, 0, n->len, 0);
	}
	if (n->fm_error.present)
		CHECK(n->fm_error.message && n->fm_error.offset <= n->len);
	for (uint32_t i = 0; i < n->aliases.len; i++)
		CHECK(n->aliases.items[i]->type == YAML_SCALAR_NODE);
	for (uint32_t i = 0; i < n->fm_tags.len; i++)
		CHECK(n->fm_tags.items[i]->type == YAML_SCALAR_NODE);

	for (uint32_t i = 0; i < n->headings.len; i++) {
		const struct heading *h = &n->headings.items[i];
		CHECK(h->level >= 1 && h->level <= 6);
		check_span(n, h->line);
		CHECK(span_in(h->title, h->line));
		CHECK(h->text != NULL);
		CHECK(utf8_valid(h->text, strlen(h->text)));
	}
	for (uint32_t i = 0; i < n->items.len; i++) {
		const struct list_item *it = &n->items.items[i];
		struct span line = note_item_line(n, i);
		char task = note_item_task(n, i);
		check_span(n, it->span);
		check_span(n, line);
		CHECK(line.start <= it->span.start);
		CHECK(span_end(line) >= span_end(it->span));
		if (it->span.len)
			CHECK(span_end(line) == span_end(it->span));
		CHECK(task == 0 || (task >= ' ' && (unsigned char)task < 0x7f));
	}
	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		check_span(n, l->span);
		CHECK(span_in(wikilink_target(l), l->span));
		CHECK(span_in(wikilink_subpath(l), l->span));
		CHECK(span_in(wikilink_display(l), l->span));
		CHECK(l->has_subpath || wikilink_subpath(l).len == 0);
		CHECK(l->has_display || wikilink_display(l).len == 0);
		CHECK(n->text[l->span.start] == (l->flags & WIKILINK_EMBED ? '!' : '['));
		if (i)
			CHECK(span_end(n->links.items[i - 1].span) <= l->span.start);
	}
	for (uint32_t i = 0; i < n->blocks.len; i++) {
		const struct block_id *b = &n->blocks.items[i];
		check_span(n, b->span);
		check_span(n, b->block);
		CHECK(span_in(b->id, b->span));
		CHECK(n->text[b->span.start] == '^' && b->id.start == b->span.start + 1);
		if (i)
			CHECK(span_end(n->blocks.items[i - 1].span) <= b->span.start);
	}
	for (uint32_t i = 0; i < n->tags.len; i++) {
		check_span(n, n->tags.items[i].span);
		CHECK(n->tags.items[i].span.len >= 2 && n->text[n->tags.items[i].span.start] == '#');
	}
	for (uint32_t i = 0; i < n->zones.len; i++) {
		check_span(n, n->zones.items[i].span);
		CHECK(n->zones.items[i].kind <= ZONE_COMMENT);
		if (i)
			CHECK(span_end(n->zones.items[i - 1].span) <= n->zones.items[i].span.start);
	}
}

static void consume(const struct note *n)
{
	struct strbuf out = { 0 };
	for (uint32_t i = 0; i < n->items.len; i++) {
		strbuf_init(&out);
		note_item_text(n, i, &out);
		CHECK(out.ptr[out.len] == '\0');
		strbuf_fini(&out);
	}
	for (uint32_t i = 0; i < n->headings.len; i++) {
		const struct heading *h = &n->headings.items[i];
		note_slugify(note_slice(n, h->title), &out);
		note_slugify(slice_from_cstr(h->text), &out);
	}
	note_slugify((struct slice){ n->text, n->len }, &out);
	strbuf_fini(&out);

	check_zone(n, 0);
	check_zone(n, n->len);
	check_zone(n, n->len + 1);
	check_zone(n, UINT32_MAX);
	for (uint32_t i = 0; i < n->zones.len; i++) {
		struct span z = n->zones.items[i].span;
		check_zone(n, z.start);
		check_zone(n, span_end(z));
		if (z.start)
			check_zone(n, z.start - 1);
		if (z.len)
			check_zone(n, span_end(z) - 1);
	}
	/* No link, tag or block id is recognised inside a zone. */
	for (uint32_t i = 0; i < n->links.len; i++)
		CHECK(!in_zone_linear(n, n->links.items[i].span.start));
	for (uint32_t i = 0; i < n->tags.len; i++)
		CHECK(!in_zone_linear(n, n->tags.items[i].span.start));
	for (uint32_t i = 0; i < n->blocks.len; i++)
		CHECK(!in_zone_linear(n, n->blocks.items[i].span.start));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 24))
		return 0;
	struct note *n = note_parse((const char *)data, size);
	CHECK(n);
	check_note(n, data, size);
	consume(n);
	note_free(n);

	/* The whole input as a YAML document, spans relative to base. */
	const uint32_t base = 7;
	uint32_t error_offset = 0;
	char *message = NULL;
	struct yaml_node *root = yaml_tree_parse((const char *)data, size, base,
						 &error_offset, &message);
	if (root) {
		CHECK(error_offset == UINT32_MAX && message == NULL);
		check_yaml(root, base, base + (uint32_t)size, 0);
		(void)yaml_tree_get(root, "aliases");
		(void)yaml_tree_get(root, "");
		yaml_tree_free(root);
	} else {
		CHECK(message);
		CHECK(error_offset >= base && error_offset <= base + size);
		free(message);
	}
	return 0;
}
