/*
 * test_cmark_arena.c — cmark on the parse arena (parser/cmark_arena.c)
 * builds the same tree as on malloc: each document is rendered to HTML
 * both ways and compared. The documents make the arena grow blocks in
 * place, copy them when they are not the newest, give the newest back,
 * and take blocks larger than any chunk; two threads parse at once, each
 * on its own arena.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cmark_arena.h"
#include "harness.h"
#include "util.h"

static char *with_malloc(const char *src, size_t len)
{
	cmark_node *doc = cmark_parse_document(src, len, CMARK_OPT_DEFAULT);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	return html;
}

static char *with_arena(const char *src, size_t len)
{
	struct cmark_arena a;
	cmark_arena_begin(&a);
	cmark_node *doc = cmark_arena_parse(&a, src, len);
	/* The HTML is the arena's too: copied out before the end. */
	char *html = xstrdup(cmark_render_html(doc, CMARK_OPT_DEFAULT));
	cmark_arena_end(&a);
	return html;
}

static bool same(const char *src, size_t len)
{
	char *x = with_malloc(src, len), *y = with_arena(src, len);
	bool eq = strcmp(x, y) == 0;
	free(x);
	free(y);
	return eq;
}

/* Documents of every shape the arena must take. */
static char *make(int k, size_t *len)
{
	struct strbuf b;
	strbuf_init(&b);
	switch (k) {
	case 0: /* empty */
		break;
	case 1: /* a paragraph of 5 MB: its buffer outgrows every chunk */
		for (int i = 0; i < 50000; i++)
			strbuf_puts(&b, i % 50 ? "plain words of a long paragraph, no markup in them at all, "
						 "written out a hundred bytes at a time. "
					       : "some *emph* and `code` and [[link]] in a long paragraph, "
						 "written out a hundred bytes at a time. ");
		break;
	case 2: /* many small blocks, nested lists, code, HTML, tables of links */
		for (int i = 0; i < 5000; i++)
			strbuf_printf(&b, "# H%d\n\n- a %d\n  - b\n    1. c [x](y \"t\")\n\n```\ncode %d\n```\n\n"
				      "<div>\n%d\n</div>\n\n> quote **%d**\n\n[ref%d]: /u%d\n\n",
				      i, i, i, i, i, i, i);
		break;
	case 3: /* deep nesting */
		for (int i = 0; i < 3000; i++)
			strbuf_puts(&b, "> ");
		strbuf_puts(&b, "deep\n");
		for (int i = 0; i < 2000; i++)
			strbuf_puts(&b, "[");
		strbuf_puts(&b, "x");
		for (int i = 0; i < 2000; i++)
			strbuf_puts(&b, "]");
		break;
	default: /* NULs and invalid UTF-8 */
		for (int i = 0; i < 1000; i++)
			strbuf_put(&b, "a\0b\xff\xfe\n\n", 7);
		break;
	}
	*len = b.len;
	return strbuf_detach(&b);
}

static void *worker(void *arg)
{
	int *fails = arg;
	for (int k = 0; k < 5; k++) {
		size_t len;
		char *doc = make(k, &len);
		if (!same(doc, len))
			(*fails)++;
		free(doc);
	}
	return NULL;
}

int main(void)
{
	for (int k = 0; k < 5; k++) {
		size_t len;
		char *doc = make(k, &len);
		OK(same(doc, len));
		free(doc);
	}
	/* One arena per thread, at the same time. */
	int fails[2] = { 0, 0 };
	pthread_t t;
	OK(pthread_create(&t, NULL, worker, &fails[0]) == 0);
	worker(&fails[1]);
	pthread_join(t, NULL);
	INT_EQ(fails[0], 0);
	INT_EQ(fails[1], 0);
	/* Begin after end, on the same thread: the arena is free again. */
	OK(same("again", 5));
	return harness_done("test_cmark_arena");
}
