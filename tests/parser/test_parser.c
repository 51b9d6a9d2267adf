/*
 * test_parser.c — the pure parser: note_parse() and yaml_tree_parse().
 *
 * Most cases are data: the files in tests/parser/ hold an input and the expected
 * dump of what the parser extracted (format: cases.h). The C
 * cases here check what a dump cannot show well: exact offsets, absent-part
 * positions, the helpers, and pathological inputs.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases.h"
#include "harness.h"
#include "mojibake.h"
#include "note.h"
#include "note_item.h"
#include "yaml_tree.h"

/* ---------------------------------------------------------------------- */
/* Dumps */

struct dump {
	struct strbuf out;
	const char *text;
	const char *filter; /* space-separated kinds to keep, or NULL for all */
};

static bool dump_wants(const struct dump *d, const char *kind)
{
	if (!d->filter)
		return true;
	size_t n = strlen(kind);
	for (const char *p = d->filter; (p = strstr(p, kind)); p += n)
		if ((p == d->filter || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Starts a dump line "kind L:C "span"" if kind is wanted. */
static bool dump_line(struct dump *d, const char *kind, struct span s)
{
	if (!dump_wants(d, kind))
		return false;
	strbuf_printf(&d->out, "%s ", kind);
	put_pos(&d->out, d->text, s.start);
	strbuf_putc(&d->out, ' ');
	put_quoted(&d->out, d->text + s.start, s.len);
	return true;
}

static void dump_attr(struct dump *d, const char *name, struct span s)
{
	strbuf_printf(&d->out, " %s=", name);
	put_quoted(&d->out, d->text + s.start, s.len);
}

/* A frontmatter scalar: its span, and its value when that differs. */
static void dump_scalar(struct dump *d, const char *kind, const struct yaml_node *v)
{
	if (!v || !dump_line(d, kind, v->span))
		return;
	if (v->str && (strlen(v->str) != v->span.len ||
		       memcmp(v->str, d->text + v->span.start, v->span.len) != 0)) {
		strbuf_puts(&d->out, " str=");
		put_quoted(&d->out, v->str, strlen(v->str));
	}
	strbuf_putc(&d->out, '\n');
}

static const char *const zone_names[] = {
	[ZONE_CODE_BLOCK] = "code_block", [ZONE_CODE_SPAN] = "code_span", [ZONE_HTML] = "html",
	[ZONE_COMMENT] = "comment",
};

static void dump_note(struct dump *d, const struct note *n)
{
	if (n->has_frontmatter && dump_line(d, "fm", n->fm_span))
		strbuf_putc(&d->out, '\n');
	if (n->fm_error.present && dump_wants(d, "fm_error")) {
		strbuf_puts(&d->out, "fm_error ");
		put_pos(&d->out, d->text, n->fm_error.offset);
		strbuf_putc(&d->out, ' ');
		put_quoted(&d->out, n->fm_error.message, strlen(n->fm_error.message));
		strbuf_putc(&d->out, '\n');
	}
	for (uint32_t i = 0; i < n->aliases.len; i++)
		dump_scalar(d, "alias", n->aliases.items[i]);
	for (uint32_t i = 0; i < n->fm_tags.len; i++)
		dump_scalar(d, "fmtag", n->fm_tags.items[i]);
	dump_scalar(d, "type", n->type);
	dump_scalar(d, "name", n->name);
	dump_scalar(d, "title", n->title);
	for (uint32_t i = 0; i < n->headings.len; i++) {
		const struct heading *h = &n->headings.items[i];
		if (!dump_line(d, "heading", h->title))
			continue;
		strbuf_printf(&d->out, " level=%u", h->level);
		dump_attr(d, "line", h->line);
		if (strlen(h->text) != h->title.len ||
		    memcmp(h->text, d->text + h->title.start, h->title.len) != 0) {
			strbuf_puts(&d->out, " text=");
			put_quoted(&d->out, h->text, strlen(h->text));
		}
		struct strbuf slug = { 0 };
		note_slugify(slice_from_cstr(h->text), &slug);
		strbuf_printf(&d->out, " slug=%s\n", slug.ptr ? slug.ptr : "");
		strbuf_fini(&slug);
	}
	for (uint32_t i = 0; i < n->items.len; i++) {
		const struct list_item *it = &n->items.items[i];
		if (!dump_line(d, "item", it->span))
			continue;
		dump_attr(d, "line", note_item_line(n, i));
		if (note_item_task(n, i))
			strbuf_printf(&d->out, " task='%c'", note_item_task(n, i));
		strbuf_putc(&d->out, '\n');
	}
	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		if (!dump_line(d, "link", l->span))
			continue;
		dump_attr(d, "target", wikilink_target(l));
		if (l->has_subpath)
			dump_attr(d, "sub", wikilink_subpath(l));
		if (l->has_display)
			dump_attr(d, "display", wikilink_display(l));
		if (l->flags & WIKILINK_EMBED)
			strbuf_puts(&d->out, " embed");
		if (!(l->flags & WIKILINK_CLOSED))
			strbuf_puts(&d->out, " unclosed");
		strbuf_putc(&d->out, '\n');
	}
	for (uint32_t i = 0; i < n->blocks.len; i++) {
		const struct block_id *b = &n->blocks.items[i];
		if (!dump_line(d, "block", b->span))
			continue;
		dump_attr(d, "id", b->id);
		dump_attr(d, "of", b->block);
		strbuf_putc(&d->out, '\n');
	}
	for (uint32_t i = 0; i < n->tags.len; i++)
		if (dump_line(d, "tag", n->tags.items[i].span))
			strbuf_putc(&d->out, '\n');
	for (uint32_t i = 0; i < n->zones.len; i++)
		if (dump_line(d, zone_names[n->zones.items[i].kind], n->zones.items[i].span))
			strbuf_putc(&d->out, '\n');
	struct mojibake_list found = { 0 };
	note_mojibake(n, &found);
	for (uint32_t i = 0; i < found.len; i++) {
		if (!dump_line(d, "mojibake", found.items[i].span))
			continue;
		strbuf_puts(&d->out, " fixed=");
		put_quoted(&d->out, found.items[i].fixed, strlen(found.items[i].fixed));
		strbuf_putc(&d->out, '\n');
	}
	mojibake_list_free(&found);
}

static const char *const yaml_names[] = {
	[YAML_NULL_NODE] = "null", [YAML_SCALAR_NODE] = "scalar",
	[YAML_SEQ_NODE] = "seq", [YAML_MAP_NODE] = "map",
};

static void dump_yaml(struct dump *d, const struct yaml_node *v, int depth, const char *key,
		      struct span key_span)
{
	for (int i = 0; i < depth; i++)
		strbuf_puts(&d->out, "  ");
	if (key) {
		put_quoted(&d->out, key, strlen(key));
		strbuf_putc(&d->out, '@');
		put_pos(&d->out, d->text, key_span.start);
		strbuf_puts(&d->out, ": ");
	}
	strbuf_printf(&d->out, "%s%s ", yaml_names[v->type], v->quoted ? "(quoted)" : "");
	put_pos(&d->out, d->text, v->span.start);
	strbuf_putc(&d->out, ' ');
	put_quoted(&d->out, d->text + v->span.start, v->span.len);
	if (v->str && (strlen(v->str) != v->span.len ||
		       memcmp(v->str, d->text + v->span.start, v->span.len) != 0)) {
		strbuf_puts(&d->out, " str=");
		put_quoted(&d->out, v->str, strlen(v->str));
	}
	strbuf_putc(&d->out, '\n');
	for (uint32_t i = 0; i < v->n; i++)
		dump_yaml(d, &v->items[i], depth + 1, v->keys ? v->keys[i] : NULL,
			  v->key_spans ? v->key_spans[i] : (struct span){ 0, 0 });
}

/* ---------------------------------------------------------------------- */
/* Data files */

static int cases_run;

/* One case of a data file (cases.h): "<<< yaml name" is a bare YAML
 * document, any other a note. */
static void dump_case(const struct data_case *c, struct strbuf *out)
{
	struct dump d = { .out = *out, .text = c->input.ptr, .filter = c->filter };
	if (strncmp(c->name, "yaml ", 5) == 0) {
		uint32_t err;
		char *msg;
		struct yaml_node *root = yaml_tree_parse(c->input.ptr, c->input.len, 0, &err, &msg);
		if (root) {
			dump_yaml(&d, root, 0, NULL, (struct span){ 0, 0 });
		} else {
			strbuf_puts(&d.out, "error ");
			put_pos(&d.out, c->input.ptr, err);
			strbuf_putc(&d.out, ' ');
			put_quoted(&d.out, msg, strlen(msg));
			strbuf_putc(&d.out, '\n');
		}
		yaml_tree_free(root);
		free(msg);
	} else {
		struct note *n = note_parse(c->input.ptr, c->input.len);
		dump_note(&d, n);
		note_free(n);
	}
	*out = d.out;
}

static void run_file(const char *name)
{
	cases_run += run_data_file(name, dump_case);
}

/* ---------------------------------------------------------------------- */
/* Exact offsets */

static struct note *parse(const char *s)
{
	return note_parse(s, strlen(s));
}

static bool slice_is(const struct note *n, struct span s, const char *want)
{
	return slice_eq_cstr(note_slice(n, s), want);
}

static void test_frontmatter_offsets(void)
{
	const char *src = "---\ntype: project\nowner: \"[[Priya Natarajan]]\"\n"
			  "aliases: [Lighthouse]\n---\n\n# Project Lighthouse\n";
	struct note *n = parse(src);
	OK(n->has_frontmatter);
	INT_EQ(n->fm_span.start, 0);
	INT_EQ(n->body, strstr(src, "\n\n#") - src + 1);
	INT_EQ(span_end(n->fm_span), n->body);
	const struct yaml_node *owner = yaml_tree_get(n->frontmatter, "owner");
	OK(owner && owner->quoted);
	INT_EQ(owner->span.start, strstr(src, "[[Priya") - src);
	INT_EQ(owner->span.len, strlen("[[Priya Natarajan]]"));
	STR_EQ(owner->str, "[[Priya Natarajan]]");
	OK(yaml_tree_get(n->frontmatter, "missing") == NULL);
	OK(yaml_tree_get(NULL, "owner") == NULL);
	INT_EQ(n->aliases.len, 1);
	STR_EQ(n->type->str, "project");
	OK(n->name == NULL && n->title == NULL);
	note_free(n);

	/* Marks count characters; offsets are bytes. */
	src = "---\nname: Zoë Ólafsdóttir 🚀\naliases: [\"Zoë\", 'Ó''s']\n---\n";
	n = parse(src);
	OK(n->name && slice_is(n, n->name->span, "Zoë Ólafsdóttir 🚀"));
	INT_EQ(n->aliases.len, 2);
	if (n->aliases.len == 2) {
		INT_EQ(n->aliases.items[0]->span.start, strstr(src, "Zoë\"") - src);
		OK(slice_is(n, n->aliases.items[1]->span, "Ó''s"));
		STR_EQ(n->aliases.items[1]->str, "Ó's");
	}
	note_free(n);

	/* A frontmatter's error offset points into the file. */
	src = "---\ntitle: ok\nbad: [x\n---\nbody [[link]]\n";
	n = parse(src);
	OK(!n->frontmatter && n->fm_error.present && n->has_frontmatter);
	OK(n->fm_error.offset >= (uint32_t)(strstr(src, "bad") - src));
	OK(n->fm_error.offset <= (uint32_t)(strstr(src, "---\nbody") - src));
	INT_EQ(n->links.len, 1);
	note_free(n);
}

static void test_link_parts(void)
{
	const char *src = "See [[Note]] and [[#Heading]] and [[a|]] and [[x#]]\n";
	struct note *n = parse(src);
	INT_EQ(n->links.len, 4);
	if (n->links.len == 4) {
		const struct wikilink *l = n->links.items;
		/* Absent parts sit where they would have been. */
		INT_EQ(wikilink_subpath(&l[0]).start, strstr(src, "]]") - src);
		INT_EQ(wikilink_subpath(&l[0]).len, 0);
		INT_EQ(wikilink_display(&l[0]).start, strstr(src, "]]") - src);
		OK(!l[0].has_subpath && !l[0].has_display);
		INT_EQ(wikilink_target(&l[1]).len, 0);
		INT_EQ(wikilink_target(&l[1]).start, strstr(src, "#Heading") - src);
		OK(l[1].has_subpath);
		OK(l[2].has_display && wikilink_display(&l[2]).len == 0);
		OK(l[3].has_subpath && wikilink_subpath(&l[3]).len == 0);
	}
	note_free(n);

	/* Emoji and accents before a link: byte offsets, not characters. */
	src = "- 🧊 Zoë → [[Ólafur|Óli]] ✅\n";
	n = parse(src);
	INT_EQ(n->links.len, 1);
	if (n->links.len == 1) {
		INT_EQ(n->links.items[0].span.start, strstr(src, "[[") - src);
		INT_EQ(wikilink_target(&n->links.items[0]).start, strstr(src, "Ólafur") - src);
		INT_EQ(wikilink_display(&n->links.items[0]).start, strstr(src, "Óli") - src);
	}
	INT_EQ(n->items.len, 1);
	if (n->items.len == 1)
		INT_EQ(span_end(n->items.items[0].span), strlen(src) - 1);
	note_free(n);
}

static void test_zones_and_slugs(void)
{
	const char *src = "a `[[x]]` b\n\n```\n[[y]]\n```\n\n<div>\n#nope\n</div>\n";
	struct note *n = parse(src);
	INT_EQ(n->links.len, 0);
	INT_EQ(n->tags.len, 0);
	INT_EQ(n->zones.len, 3);
	OK(note_in_zone(n, (uint32_t)(strstr(src, "[[x") - src)));
	OK(note_in_zone(n, (uint32_t)(strstr(src, "`[[x") - src)));
	OK(!note_in_zone(n, (uint32_t)(strstr(src, " b") - src)));
	OK(note_in_zone(n, (uint32_t)(strstr(src, "[[y") - src)));
	OK(note_in_zone(n, (uint32_t)(strstr(src, "#nope") - src)));
	OK(!note_in_zone(n, 0));
	OK(!note_in_zone(n, n->len));
	note_free(n);

	struct strbuf b = { 0 };
	note_slugify(SLICE_LIT("Hello, World! 1:1 with `code` & Zoë_x-y"), &b);
	STR_EQ(b.ptr, "hello-world-11-with-code--zoë_x-y");
	note_slugify(SLICE_LIT(""), &b);
	STR_EQ(b.ptr, "");
	strbuf_fini(&b);
}

static void test_yaml_api(void)
{
	uint32_t err;
	char *msg;
	/* Empty text: a null root, no error. */
	struct yaml_node *v = yaml_tree_parse("", 0, 7, &err, &msg);
	OK(v && v->type == YAML_NULL_NODE && err == UINT32_MAX && msg == NULL);
	INT_EQ(v ? v->span.start : 0, 7);
	yaml_tree_free(v);
	yaml_tree_free(NULL);

	/* Error offsets are absolute (base added) and in bytes. */
	const char *src = "a: é\nb: [ü\n";
	v = yaml_tree_parse(src, strlen(src), 100, &err, &msg);
	OK(v == NULL && msg != NULL);
	OK(err >= 100 + (uint32_t)(strstr(src, "b:") - src) && err <= 100 + strlen(src));
	OK(msg && strncmp(msg, "line ", 5) == 0);
	free(msg);

	/* NUL and invalid UTF-8: reader errors at the offending byte. */
	v = yaml_tree_parse("a: b\0c\n", 7, 0, &err, &msg);
	OK(v == NULL);
	INT_EQ(err, 4);
	free(msg);
	v = yaml_tree_parse("a: \xC3\x28\n", 6, 10, &err, &msg);
	OK(v == NULL);
	INT_EQ(err, 14); /* libyaml points at the bad trailing byte */
	free(msg);

	/* Duplicate keys: both kept, lookup finds the first. */
	v = yaml_tree_parse("k: 1\nk: 2\n", 10, 0, &err, &msg);
	OK(v && v->n == 2);
	STR_EQ(yaml_tree_get(v, "k")->str, "1");
	yaml_tree_free(v);

	/* The nesting limit is an error, not a stack overflow. */
	struct strbuf deep;
	strbuf_init(&deep);
	for (int i = 0; i < 5000; i++)
		strbuf_putc(&deep, '[');
	v = yaml_tree_parse(deep.ptr, deep.len, 0, &err, &msg);
	OK(v == NULL && msg && strstr(msg, "nested"));
	free(msg);
	strbuf_fini(&deep);
	strbuf_init(&deep);
	for (int i = 0; i < 999; i++)
		strbuf_putc(&deep, '[');
	for (int i = 0; i < 999; i++)
		strbuf_putc(&deep, ']');
	v = yaml_tree_parse(deep.ptr, deep.len, 0, &err, &msg);
	OK(v != NULL && v->type == YAML_SEQ_NODE);
	yaml_tree_free(v);
	strbuf_fini(&deep);

	/* A billion laughs: aliases are nulls, never expanded. */
	struct strbuf bomb;
	strbuf_init(&bomb);
	strbuf_puts(&bomb, "a: &a [x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'z'; c++)
		strbuf_printf(&bomb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			      c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	v = yaml_tree_parse(bomb.ptr, bomb.len, 0, &err, &msg);
	OK(v && v->type == YAML_MAP_NODE && v->n == 26);
	const struct yaml_node *z = yaml_tree_get(v, "z");
	OK(z && z->n == 8 && z->items[0].type == YAML_NULL_NODE);
	yaml_tree_free(v);
	strbuf_fini(&bomb);
}

/* ---------------------------------------------------------------------- */
/* Pathological inputs: they finish, fast, and make sense. */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A bound that catches a quadratic pass (minutes on these inputs), not a
 * timing target: it must hold on a loaded 2-core CI machine too. Speed is
 * measured by tests/bench, not here. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT 60.0
#else
#define TIME_LIMIT 10.0
#endif

static struct note *timed_parse(const char *what, const struct strbuf *b)
{
	double t0 = now();
	struct note *n = note_parse(b->ptr, b->len);
	double dt = now() - t0;
	if (dt >= TIME_LIMIT)
		fprintf(stderr, "%s: %.3f s for %zu bytes\n", what, dt, b->len);
	OK(dt < TIME_LIMIT);
	return n;
}

static void test_pathological(void)
{
	struct strbuf b;
	struct note *n;

	/* One run of 200,000 '[': only its last two open a link. */
	strbuf_init(&b);
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, "[[");
	n = timed_parse("100k [[", &b);
	INT_EQ(n->links.len, 1);
	OK(n->links.len && !(n->links.items[0].flags & WIKILINK_CLOSED));
	note_free(n);
	strbuf_fini(&b);

	/* Each "[[" stops the unclosed one before it. */
	strbuf_init(&b);
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, "[[a ");
	strbuf_puts(&b, "]]");
	n = timed_parse("100k [[ a", &b);
	INT_EQ(n->links.len, 100000);
	OK(n->links.len == 100000 && !(n->links.items[0].flags & WIKILINK_CLOSED) &&
	   (n->links.items[99999].flags & WIKILINK_CLOSED));
	note_free(n);
	strbuf_fini(&b);

	strbuf_init(&b);
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, "![[a|b#c]] ");
	n = timed_parse("100k embeds", &b);
	INT_EQ(n->links.len, 100000);
	note_free(n);
	strbuf_fini(&b);

	/* A 5 MB line with every inline construct. */
	strbuf_init(&b);
	while (b.len < 5000000)
		strbuf_puts(&b, "word [[link#h|d]] #tag `code` ");
	n = timed_parse("5 MB line", &b);
	INT_EQ(n->links.len, n->tags.len);
	INT_EQ(n->zones.len, n->tags.len);
	OK(n->links.len > 100000);
	note_free(n);
	strbuf_fini(&b);

	/* Backtick runs of every length: the code span search must not
	 * rescan the line for each opener. */
	strbuf_init(&b);
	for (int i = 1; i < 3000; i++) {
		for (int k = 0; k < i; k++)
			strbuf_putc(&b, '`');
		strbuf_puts(&b, " [[x]] ");
	}
	n = timed_parse("backtick runs", &b);
	INT_EQ(n->links.len, 2999);
	note_free(n);
	strbuf_fini(&b);

	strbuf_init(&b);
	for (int i = 0; i < 10000; i++)
		strbuf_puts(&b, "- ");
	strbuf_puts(&b, "deep [[x]] ^id\n");
	n = timed_parse("10k nested lists on a line", &b);
	INT_EQ(n->items.len, 10000);
	INT_EQ(n->links.len, 1);
	INT_EQ(n->blocks.len, 1);
	note_free(n);
	strbuf_fini(&b);

	strbuf_init(&b);
	for (int i = 0; i < 1000; i++) {
		for (int k = 0; k < i; k++)
			strbuf_puts(&b, "  ");
		strbuf_printf(&b, "- level %d #t%d\n", i, i);
	}
	n = timed_parse("1000 nested lists, a line each", &b);
	INT_EQ(n->items.len, 1000);
	INT_EQ(n->tags.len, 1000);
	note_free(n);
	strbuf_fini(&b);

	strbuf_init(&b);
	strbuf_puts(&b, "# Facts\n\n");
	for (int i = 0; i < 50000; i++)
		strbuf_printf(&b, "- [ ] item %d [[link %d]] #tag ^id-%d\n", i, i, i);
	n = timed_parse("50k items", &b);
	INT_EQ(n->items.len, 50000);
	INT_EQ(n->links.len, 50000);
	INT_EQ(n->blocks.len, 50000);
	INT_EQ(n->tags.len, 50000);
	OK(n->items.len == 50000 && n->headings.len == 1 &&
	   note_item_task(n, 49999) == ' ');
	note_free(n);
	strbuf_fini(&b);

	/* Bytes of every value, NULs, lone CRs and invalid UTF-8 included. */
	strbuf_init(&b);
	uint32_t seed = 12345;
	for (int i = 0; i < 1000000; i++) {
		seed = seed * 1103515245 + 12345;
		static const char alphabet[] = "[]!#|^`- \n\r\t>*x1\0\xff\xc3%<";
		strbuf_putc(&b, alphabet[(seed >> 16) % (sizeof(alphabet) - 1)]);
	}
	n = timed_parse("random bytes", &b);
	OK(n->len == b.len);
	for (uint32_t i = 0; i < n->links.len; i++)
		OK(span_end(n->links.items[i].span) <= n->len);
	for (uint32_t i = 1; i < n->zones.len; i++)
		OK(span_end(n->zones.items[i - 1].span) <= n->zones.items[i].span.start);
	for (uint32_t i = 0; i < n->links.len; i++)
		OK(!note_in_zone(n, n->links.items[i].span.start));
	note_free(n);
	strbuf_fini(&b);

	/* 100,000 "%%" on one line: 50,000 empty comments, each found
	 * without looking past it (blanking them looks right to left). */
	strbuf_init(&b);
	strbuf_puts(&b, "a [[x]] ");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, "%%");
	strbuf_puts(&b, " [[y]] #t\n");
	n = timed_parse("100k %%", &b);
	INT_EQ(n->links.len, 2);
	INT_EQ(n->tags.len, 1);
	INT_EQ(n->zones.len, 50000);
	note_free(n);
	strbuf_fini(&b);

	/* The same with text between them: each comment is followed by
	 * text on its line. */
	strbuf_init(&b);
	for (int i = 0; i < 50000; i++)
		strbuf_puts(&b, "%%c%% [[l]] ");
	strbuf_puts(&b, "\n");
	n = timed_parse("50k %%c%% [[l]]", &b);
	INT_EQ(n->links.len, 50000);
	INT_EQ(n->zones.len, 50000);
	note_free(n);
	strbuf_fini(&b);

	/* 50,000 unclosed "<!--" mid-line and at lines' starts: the search
	 * for "-->" that failed once is not repeated. */
	strbuf_init(&b);
	for (int i = 0; i < 50000; i++)
		strbuf_puts(&b, "x <!-- [[a]] ");
	strbuf_puts(&b, "\n");
	n = timed_parse("50k unclosed <!-- on a line", &b);
	INT_EQ(n->links.len, 50000);
	INT_EQ(n->zones.len, 0);
	note_free(n);
	strbuf_fini(&b);

	strbuf_init(&b);
	strbuf_puts(&b, "[[a]]\n");
	for (int i = 0; i < 50000; i++)
		strbuf_puts(&b, "<!-- [[b]]\n\n");
	n = timed_parse("50k unclosed <!-- lines", &b);
	INT_EQ(n->links.len, 1);
	INT_EQ(n->zones.len, 1);
	note_free(n);
	strbuf_fini(&b);

	strbuf_init(&b);
	for (int i = 0; i < 50000; i++)
		strbuf_puts(&b, "<!--");
	n = timed_parse("50k <!-- in a row", &b);
	INT_EQ(n->zones.len, 1);
	note_free(n);
	strbuf_fini(&b);

	/* A frontmatter that never closes, on a big file. */
	strbuf_init(&b);
	strbuf_puts(&b, "---\ntitle: x\n");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, "key: [[v]]\n");
	n = timed_parse("unclosed frontmatter", &b);
	OK(!n->has_frontmatter && n->fm_error.present && n->body == 0);
	INT_EQ(n->links.len, 100000);
	note_free(n);
	strbuf_fini(&b);

	/* A big frontmatter, deeply nested. */
	strbuf_init(&b);
	strbuf_puts(&b, "---\nx: ");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&b, "[");
	strbuf_puts(&b, "\n---\nbody\n");
	n = timed_parse("deep frontmatter", &b);
	OK(n->has_frontmatter && n->fm_error.present && !n->frontmatter);
	note_free(n);
	strbuf_fini(&b);

	n = note_parse(NULL, 0);
	OK(n && n->len == 0 && n->text[0] == '\0');
	note_free(n);
	note_free(NULL);
}

int main(void)
{
	static const char *const files[] = {
		"links.txt", "blocks.txt", "frontmatter.txt", "yaml.txt", "robust.txt",
		"comments.txt",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		run_file(files[i]);
	OK(cases_run > 0);
	test_frontmatter_offsets();
	test_link_parts();
	test_zones_and_slugs();
	test_yaml_api();
	test_pathological();
	return harness_done("test_parser");
}
