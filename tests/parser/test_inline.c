/*
 * test_inline.c — the inline scanner (parser/inline.c) on its own: wikilinks,
 * embeds, block ids, tags and code spans in the text of one block, without
 * cmark or the rest of the parse.
 *
 * The cases of inline.txt are each one block: the whole input is the range
 * scanned and the block its ids name. Every link, block id and tag found
 * is also checked against the bytes it claims, whatever the case expects.
 * The C cases check what a data file cannot say: the range, the text
 * scanned being a blanked copy of the note's, and calls in a row.
 */
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "harness.h"
#include "inline.h"

/* A note holding only text, as inline_scan sees one: the parse has not
 * compacted it, so its arrays are freed one by one. */
static struct note note_of(const char *text, size_t len)
{
	struct note n = { 0 };
	n.text = (char *)text;
	n.len = (uint32_t)len;
	return n;
}

static void note_arrays_free(struct note *n)
{
	array_free(&n->links);
	array_free(&n->blocks);
	array_free(&n->tags);
	array_free(&n->zones);
}

static bool bytes_are(const struct note *n, uint32_t at, const char *s)
{
	size_t len = strlen(s);
	return at + len <= n->len && memcmp(n->text + at, s, len) == 0;
}

/*
 * What every finding must be, whatever the case: inside [range), sorted
 * and disjoint, and made of the bytes its parts say. A link starts with
 * "[[" (after '!' for an embed), its target follows, then "#" and its
 * subpath if written, then "|" (or "\|") and its display, then "]]" if
 * closed; a block id is '^' and its id; a tag starts with '#'.
 */
static void check_spans(const struct note *n, struct span range)
{
	uint32_t end = span_end(range);
	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		OK(l->span.start >= range.start && span_end(l->span) <= end);
		if (i)
			OK(n->links.items[i - 1].span.start + n->links.items[i - 1].span.len <=
			   l->span.start);
		bool embed = l->flags & WIKILINK_EMBED;
		OK(bytes_are(n, l->span.start, embed ? "![[" : "[["));
		struct span t = wikilink_target(l), s = wikilink_subpath(l), d = wikilink_display(l);
		INT_EQ(t.start, l->span.start + (embed ? 3 : 2));
		OK(!memchr(n->text + t.start, '|', t.len) && !memchr(n->text + t.start, '#', t.len));
		if (l->has_subpath)
			OK(bytes_are(n, span_end(t), "#"));
		else
			INT_EQ(s.start, span_end(t));
		uint32_t inner_end = span_end(l->span) - ((l->flags & WIKILINK_CLOSED) ? 2 : 0);
		if (l->flags & WIKILINK_CLOSED)
			OK(bytes_are(n, inner_end, "]]"));
		if (l->has_display) {
			OK(bytes_are(n, span_end(s), l->escaped_bar ? "\\|" : "|"));
			INT_EQ(span_end(d), inner_end);
		} else {
			INT_EQ(span_end(s), inner_end);
			INT_EQ(d.start, inner_end);
			INT_EQ(d.len, 0);
		}
	}
	for (uint32_t i = 0; i < n->blocks.len; i++) {
		const struct block_id *b = &n->blocks.items[i];
		OK(b->span.start >= range.start && span_end(b->span) <= end);
		OK(bytes_are(n, b->span.start, "^"));
		INT_EQ(b->id.start, b->span.start + 1);
		INT_EQ(span_end(b->id), span_end(b->span));
		OK(b->id.len > 0);
	}
	for (uint32_t i = 0; i < n->tags.len; i++) {
		struct span s = n->tags.items[i].span;
		OK(s.start >= range.start && span_end(s) <= end && s.len > 1);
		OK(bytes_are(n, s.start, "#"));
	}
	for (uint32_t i = 0; i < n->zones.len; i++) {
		const struct zone *z = &n->zones.items[i];
		INT_EQ(z->kind, ZONE_CODE_SPAN);
		OK(bytes_are(n, z->span.start, "`"));
		OK(n->text[span_end(z->span) - 1] == '`');
		if (i)
			OK(span_end(n->zones.items[i - 1].span) <= z->span.start);
	}
}

static void put_found(struct strbuf *out, const struct note *n, const char *kind, struct span s)
{
	strbuf_printf(out, "%s ", kind);
	put_pos(out, n->text, s.start);
	strbuf_putc(out, ' ');
	put_quoted(out, n->text + s.start, s.len);
}

static void put_attr(struct strbuf *out, const struct note *n, const char *name, struct span s)
{
	strbuf_printf(out, " %s=", name);
	put_quoted(out, n->text + s.start, s.len);
}

/* One case of inline.txt: the input, its final newline off, as one block. */
static void dump_case(const struct data_case *c, struct strbuf *out)
{
	size_t len = c->input.len;
	if (len && c->input.ptr[len - 1] == '\n')
		len--;
	struct note n = note_of(c->input.ptr, len);
	struct span all = { 0, n.len };
	inline_scan(&n, n.text, all, all);
	check_spans(&n, all);
	for (uint32_t i = 0; i < n.links.len; i++) {
		const struct wikilink *l = &n.links.items[i];
		put_found(out, &n, "link", l->span);
		put_attr(out, &n, "target", wikilink_target(l));
		if (l->has_subpath)
			put_attr(out, &n, "sub", wikilink_subpath(l));
		if (l->has_display)
			put_attr(out, &n, "display", wikilink_display(l));
		if (l->escaped_bar)
			strbuf_puts(out, " escaped_bar");
		if (l->flags & WIKILINK_EMBED)
			strbuf_puts(out, " embed");
		if (!(l->flags & WIKILINK_CLOSED))
			strbuf_puts(out, " unclosed");
		strbuf_putc(out, '\n');
	}
	for (uint32_t i = 0; i < n.blocks.len; i++) {
		put_found(out, &n, "block", n.blocks.items[i].span);
		put_attr(out, &n, "id", n.blocks.items[i].id);
		strbuf_putc(out, '\n');
		/* The block an id names is the one inline_scan was given. */
		OK(n.blocks.items[i].block.start == all.start && n.blocks.items[i].block.len == all.len);
	}
	for (uint32_t i = 0; i < n.tags.len; i++) {
		put_found(out, &n, "tag", n.tags.items[i].span);
		strbuf_putc(out, '\n');
	}
	for (uint32_t i = 0; i < n.zones.len; i++) {
		put_found(out, &n, "code_span", n.zones.items[i].span);
		strbuf_putc(out, '\n');
	}
	note_arrays_free(&n);
}

/* ---------------------------------------------------------------------- */
/* What a data file cannot say */

static uint32_t at(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	OK(p != NULL);
	return p ? (uint32_t)(p - text) : 0;
}

/* Only range is scanned; a range past the note's end stops at its end. */
static void test_range(void)
{
	const char *src = "[[before]] #out [[in|shown]] #in ^mid\n[[after]] ^end";
	struct note n = note_of(src, strlen(src));
	uint32_t s = at(src, "[[in|"), e = at(src, "\n");
	struct span range = { s, e - s };
	struct span block = { 0, n.len };
	inline_scan(&n, n.text, range, block);
	check_spans(&n, range);
	INT_EQ(n.links.len, 1);
	INT_EQ(n.tags.len, 1);
	INT_EQ(n.blocks.len, 1);
	if (n.links.len == 1) {
		INT_EQ(n.links.items[0].span.start, s);
		INT_EQ(n.links.items[0].span.len, strlen("[[in|shown]]"));
		INT_EQ(wikilink_display(&n.links.items[0]).start, at(src, "shown"));
	}
	if (n.tags.len == 1)
		INT_EQ(n.tags.items[0].span.start, at(src, "#in"));
	/* The id names the block it was given, not the range scanned. */
	if (n.blocks.len == 1) {
		INT_EQ(n.blocks.items[0].span.start, at(src, "^mid"));
		INT_EQ(n.blocks.items[0].block.start, block.start);
		INT_EQ(n.blocks.items[0].block.len, block.len);
	}
	note_arrays_free(&n);

	/* Past the end: clamped, and what is there is still found. */
	n = note_of(src, strlen(src));
	s = at(src, "[[after]]");
	inline_scan(&n, n.text, (struct span){ s, 1000 }, (struct span){ s, 1000 });
	INT_EQ(n.links.len, 1);
	INT_EQ(n.blocks.len, 1);
	if (n.blocks.len == 1)
		INT_EQ(span_end(n.blocks.items[0].span), n.len);
	note_arrays_free(&n);

	/* An empty range, or one starting at the end, finds nothing. */
	n = note_of(src, strlen(src));
	inline_scan(&n, n.text, (struct span){ 0, 0 }, (struct span){ 0, 0 });
	inline_scan(&n, n.text, (struct span){ n.len, 5 }, (struct span){ 0, 0 });
	inline_code_spans(&n, n.text, (struct span){ n.len, 5 });
	OK(!n.links.len && !n.tags.len && !n.blocks.len && !n.zones.len);
	note_arrays_free(&n);
}

/*
 * The scanner reads t, the note's text with its comments blanked (body.c
 * does the blanking): a link, tag or block id in a comment is never
 * seen, and what is found keeps the offsets of note->text.
 */
static void test_blanked_copy(void)
{
	const char *src = "é %%[[hidden]] #no ^no%% [[kept]] #yes <!-- [[gone]] --> ^id";
	char *t = xstrdup(src);
	for (const char *open = src; (open = strstr(open, "%%"));) {
		const char *close = strstr(open + 2, "%%");
		memset(t + (open - src), ' ', (size_t)(close + 2 - open));
		open = close + 2;
	}
	const char *h = strstr(src, "<!--");
	memset(t + (h - src), ' ', (size_t)(strstr(src, "-->") + 3 - h));
	struct note n = note_of(src, strlen(src));
	struct span all = { 0, n.len };
	inline_scan(&n, t, all, all);
	INT_EQ(n.links.len, 1);
	INT_EQ(n.tags.len, 1);
	INT_EQ(n.blocks.len, 1);
	if (n.links.len == 1) {
		INT_EQ(n.links.items[0].span.start, at(src, "[[kept]]"));
		INT_EQ(wikilink_target(&n.links.items[0]).len, 4);
	}
	if (n.tags.len == 1)
		INT_EQ(n.tags.items[0].span.start, at(src, "#yes"));
	if (n.blocks.len == 1) {
		INT_EQ(n.blocks.items[0].span.start, at(src, "^id"));
		INT_EQ(n.blocks.items[0].id.len, 2);
	}
	check_spans(&n, all);
	note_arrays_free(&n);
	free(t);
}

/*
 * Blocks scanned one after the other, as the parse does: each block's own
 * code spans hide its links and its block id, and the arrays stay sorted.
 * inline_code_spans finds the code spans alone.
 */
static void test_blocks_in_a_row(void)
{
	const char *src = "`[[a]] ^x` [[b]]\n\n[[c]] `^y`\n\nend `code` ^z";
	struct note n = note_of(src, strlen(src));
	uint32_t p2 = at(src, "[[c]]"), p3 = at(src, "end");
	struct span b1 = { 0, at(src, "\n\n") };
	struct span b2 = { p2, at(src + p2, "\n\n") };
	struct span b3 = { p3, n.len - p3 };
	inline_scan(&n, n.text, b1, b1);
	inline_scan(&n, n.text, b2, b2);
	inline_scan(&n, n.text, b3, b3);
	INT_EQ(n.links.len, 2);
	INT_EQ(n.zones.len, 3);
	INT_EQ(n.blocks.len, 1);
	if (n.links.len == 2) {
		INT_EQ(n.links.items[0].span.start, at(src, "[[b]]"));
		INT_EQ(n.links.items[1].span.start, p2);
	}
	if (n.blocks.len == 1) {
		INT_EQ(n.blocks.items[0].span.start, at(src, "^z"));
		INT_EQ(n.blocks.items[0].block.start, b3.start);
		INT_EQ(n.blocks.items[0].block.len, b3.len);
	}
	check_spans(&n, (struct span){ 0, n.len });
	note_arrays_free(&n);

	n = note_of(src, strlen(src));
	inline_code_spans(&n, n.text, (struct span){ 0, n.len });
	INT_EQ(n.zones.len, 3);
	OK(!n.links.len && !n.tags.len && !n.blocks.len);
	if (n.zones.len == 3) {
		INT_EQ(n.zones.items[0].span.start, 0);
		INT_EQ(n.zones.items[0].span.len, strlen("`[[a]] ^x`"));
		INT_EQ(n.zones.items[2].span.start, at(src, "`code`"));
		INT_EQ(n.zones.items[2].kind, ZONE_CODE_SPAN);
	}
	note_arrays_free(&n);
}

/* 100,000 "[[" and as many backticks: linear, so quick. */
static void test_pathological(void)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, i % 3 ? "[[" : "` ");
	struct note n = note_of(b.ptr, b.len);
	struct span all = { 0, n.len };
	inline_scan(&n, n.text, all, all);
	OK(n.links.len > 0);
	check_spans(&n, all);
	note_arrays_free(&n);
	strbuf_fini(&b);
}

int main(void)
{
	OK(run_data_file("inline.txt", dump_case) >= 30);
	test_range();
	test_blanked_copy();
	test_blocks_in_a_row();
	test_pathological();
	return harness_done("test_inline");
}
