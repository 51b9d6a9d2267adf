/*
 * test_document.c — the open buffers: opening and re-opening, lookup by
 * URI and by local path, closing, iteration, edits (their text, line map
 * and syntax tree), whole-text replacement, and buffers too big to parse.
 */
#include "document.h"
#include "harness.h"
#include "outline.h"

#include <stdlib.h>
#include <string.h>

static uint32_t count_open(const struct documents *docs)
{
	uint32_t n = 0;
	while (documents_at(docs, n))
		n++;
	return n;
}

/* The open document iteration gives for uri, or NULL. */
static struct document *iterate_to(const struct documents *docs,
				   const char *uri)
{
	struct document *doc;
	for (uint32_t i = 0; (doc = documents_at(docs, i)); i++)
		if (strcmp(doc->uri, uri) == 0)
			return doc;
	return NULL;
}

/* The LSP position of offset in doc, by its own line map. */
static struct lsp_pos pos_of(const struct document *doc, uint32_t offset,
			     enum pos_encoding enc)
{
	return position_from_offset(doc->text.ptr, doc->text.len, &doc->lines,
				    offset, enc);
}

/* The name of the first heading of doc's outline, or "" (caller frees). */
static char *first_heading(const struct document *doc)
{
	struct symbol_list l = { 0 };
	outline_symbols(doc->syntax, &l);
	char *name = l.len ? xstrndup(doc->text.ptr + l.items[0].name.start,
				      l.items[0].name.len)
			   : xstrdup("");
	array_free(&l);
	return name;
}

static void test_open_get_close(void)
{
	struct documents *docs = documents_new();
	OK(documents_at(docs, 0) == NULL);
	OK(documents_get(docs, "file:///v/a.md") == NULL);

	struct document *a = documents_open(docs, "file:///v/a.md",
					    "# A\nbody\n", 9, 1);
	OK(a != NULL);
	STR_EQ(a->uri, "file:///v/a.md");
	STR_EQ(a->path, "/v/a.md");
	INT_EQ(a->version, 1);
	INT_EQ(a->text.len, 9);
	STR_EQ(a->text.ptr, "# A\nbody\n");
	OK(a->syntax != NULL);
	OK(!a->dirty);
	OK(documents_get(docs, "file:///v/a.md") == a);
	/* Keyed by the URI exactly as the client wrote it. */
	OK(documents_get(docs, "file:///v/%61.md") == NULL);
	OK(documents_get(docs, "file:///v/A.md") == NULL);

	/* The text is copied: the caller's buffer may change. */
	char buf[] = "# B\n";
	struct document *b = documents_open(docs, "file:///v/b.md", buf, 4, 7);
	buf[2] = 'X';
	STR_EQ(b->text.ptr, "# B\n");
	INT_EQ(count_open(docs), 2);

	/* Re-opening replaces: one document per URI, the new text and
	 * version, a fresh syntax tree. */
	struct document *a2 = documents_open(docs, "file:///v/a.md",
					     "# New\n", 6, 5);
	INT_EQ(count_open(docs), 2);
	OK(documents_get(docs, "file:///v/a.md") == a2);
	INT_EQ(a2->version, 5);
	STR_EQ(a2->text.ptr, "# New\n");
	char *h = first_heading(a2);
	STR_EQ(h, "New");
	free(h);

	/* Empty text, NUL bytes: kept as given. */
	struct document *c = documents_open(docs, "untitled:Untitled-1", "", 0,
					    0);
	INT_EQ(c->text.len, 0);
	STR_EQ(c->text.ptr, "");
	OK(c->path == NULL);
	struct document *n = documents_open(docs, "file:///v/n.md", "a\0b", 3,
					    0);
	INT_EQ(n->text.len, 3);
	OK(memcmp(n->text.ptr, "a\0b", 3) == 0);
	INT_EQ(count_open(docs), 4);

	/* Iteration sees each open document once. */
	OK(iterate_to(docs, "file:///v/a.md") == a2);
	OK(iterate_to(docs, "file:///v/b.md") == b);
	OK(iterate_to(docs, "untitled:Untitled-1") == c);
	OK(iterate_to(docs, "file:///v/n.md") == n);
	OK(documents_at(docs, 4) == NULL);
	OK(documents_at(docs, UINT32_MAX) == NULL);

	/* Closing the first keeps the others reachable, by URI and by
	 * iteration. */
	OK(documents_close(docs, "file:///v/a.md"));
	OK(!documents_close(docs, "file:///v/a.md"));
	OK(!documents_close(docs, "file:///v/never.md"));
	OK(documents_get(docs, "file:///v/a.md") == NULL);
	INT_EQ(count_open(docs), 3);
	OK(iterate_to(docs, "file:///v/a.md") == NULL);
	OK(iterate_to(docs, "file:///v/b.md") == b);
	OK(iterate_to(docs, "untitled:Untitled-1") == c);
	OK(iterate_to(docs, "file:///v/n.md") == n);
	OK(documents_get(docs, "file:///v/n.md") == n);
	OK(documents_close(docs, "file:///v/n.md"));
	OK(documents_close(docs, "file:///v/b.md"));
	OK(documents_close(docs, "untitled:Untitled-1"));
	INT_EQ(count_open(docs), 0);

	documents_free(docs);
	documents_free(NULL);
}

static void test_find_path(void)
{
	struct documents *docs = documents_new();
	OK(documents_find_path(docs, "/v/a.md") == NULL);
	struct document *a = documents_open(docs, "file:///v/a.md", "a", 1, 1);
	struct document *sp = documents_open(
		docs, "file:///v/My%20Note%20%C3%A9t%C3%A9.md", "s", 1, 1);
	struct document *lh = documents_open(docs, "file://localhost/v/l.md",
					     "l", 1, 1);
	documents_open(docs, "untitled:Untitled-1", "u", 1, 1);
	documents_open(docs, "https://example.com/v/a.md", "h", 1, 1);

	OK(documents_find_path(docs, "/v/a.md") == a);
	/* Percent-encoding is decoded: the path is what is on disk. */
	STR_EQ(sp->path, "/v/My Note \xc3\xa9t\xc3\xa9.md");
	OK(documents_find_path(docs, "/v/My Note \xc3\xa9t\xc3\xa9.md") == sp);
	OK(documents_find_path(docs, "/v/My%20Note%20%C3%A9t%C3%A9.md") ==
	   NULL);
	OK(documents_find_path(docs, "/v/l.md") == lh);
	/* Exact paths only: no prefix, case or URI match. */
	OK(documents_find_path(docs, "/v/a") == NULL);
	OK(documents_find_path(docs, "/v/A.md") == NULL);
	OK(documents_find_path(docs, "/v/a.md/") == NULL);
	OK(documents_find_path(docs, "file:///v/a.md") == NULL);
	/* Documents that are not files have no path and are never found. */
	OK(documents_find_path(docs, "untitled:Untitled-1") == NULL);
	OK(documents_find_path(docs, "Untitled-1") == NULL);
	OK(documents_find_path(docs, "https://example.com/v/a.md") == NULL);
	OK(documents_find_path(docs, "") == NULL);

	/* A closed document is no longer found; a re-opened one is the new
	 * document. */
	OK(documents_close(docs, "file:///v/a.md"));
	OK(documents_find_path(docs, "/v/a.md") == NULL);
	struct document *a2 = documents_open(docs, "file:///v/a.md", "b", 1, 2);
	OK(documents_find_path(docs, "/v/a.md") == a2);
	OK(documents_find_path(docs, "/v/l.md") == lh);
	documents_free(docs);
}

static void test_edit(void)
{
	struct documents *docs = documents_new();
	/* "é", "ö" are 2 bytes, "€" 3, "😀" 4 (two UTF-16 units). */
	const char *t = "h\xc3\xa9llo\nw\xc3\xb6rld\n";
	struct document *d = documents_open(docs, "file:///v/e.md", t,
					    strlen(t), 1);
	INT_EQ(d->text.len, 14);

	/* Replace "ö" by "€": the text and the positions after it move. */
	document_edit(d, 8, 10, "\xe2\x82\xac", 3);
	STR_EQ(d->text.ptr, "h\xc3\xa9llo\nw\xe2\x82\xacrld\n");
	INT_EQ(d->text.len, 15);
	struct lsp_pos p = pos_of(d, 11, POS_UTF16); /* the 'r' */
	INT_EQ(p.line, 1);
	INT_EQ(p.character, 2);
	p = pos_of(d, 11, POS_UTF8);
	INT_EQ(p.character, 4);
	/* The version is the caller's to set. */
	INT_EQ(d->version, 1);

	/* Insert a line break: the line map follows. */
	document_edit(d, 3, 3, "\n", 1); /* "h\xc3\xa9" "\n" "llo\n..." */
	STR_EQ(d->text.ptr, "h\xc3\xa9\nllo\nw\xe2\x82\xacrld\n");
	p = pos_of(d, 12, POS_UTF16); /* the 'r' again, one byte on */
	INT_EQ(p.line, 2);
	INT_EQ(p.character, 2);
	p = pos_of(d, 4, POS_UTF16); /* the first 'l' */
	INT_EQ(p.line, 1);
	INT_EQ(p.character, 0);
	INT_EQ(position_to_offset(d->text.ptr, d->text.len, &d->lines,
				  (struct lsp_pos){ 2, 1 }, POS_UTF16), 9);

	/* An emoji and CRLF: two UTF-16 units, and "\r\n" is one break. */
	document_edit(d, 0, 0, "\xf0\x9f\x98\x80\r\n", 6);
	p = pos_of(d, 6, POS_UTF16);
	INT_EQ(p.line, 1);
	INT_EQ(p.character, 0);
	p = pos_of(d, 4, POS_UTF16); /* after the emoji */
	INT_EQ(p.line, 0);
	INT_EQ(p.character, 2);

	/* Delete everything up to the last line; then an out-of-range edit
	 * is clamped: end to the length, start to end. */
	STR_EQ(d->text.ptr,
	       "\xf0\x9f\x98\x80\r\nh\xc3\xa9\nllo\nw\xe2\x82\xacrld\n");
	document_edit(d, 0, 14, "", 0);
	STR_EQ(d->text.ptr, "w\xe2\x82\xacrld\n");
	document_edit(d, 100, 200, "!", 1);
	STR_EQ(d->text.ptr, "w\xe2\x82\xacrld\n!");
	p = pos_of(d, (uint32_t)d->text.len, POS_UTF16);
	INT_EQ(p.line, 1);
	INT_EQ(p.character, 1);
	document_edit(d, 5, 2, "?", 1); /* start > end: inserted at 2 */
	STR_EQ(d->text.ptr, "w\xe2?\x82\xacrld\n!");

	/* The syntax tree follows the edits. */
	document_set_text(d, "text\n", 5);
	char *h = first_heading(d);
	STR_EQ(h, "");
	free(h);
	document_edit(d, 0, 0, "# T\xc3\xaftle\n", 9);
	h = first_heading(d);
	STR_EQ(h, "T\xc3\xaftle");
	free(h);
	document_edit(d, 2, 3, "B", 1);
	h = first_heading(d);
	STR_EQ(h, "B\xc3\xaftle");
	free(h);
	document_edit(d, 0, 2, "", 0); /* no longer a heading */
	h = first_heading(d);
	STR_EQ(h, "");
	free(h);
	documents_free(docs);
}

static void test_set_text(void)
{
	struct documents *docs = documents_new();
	struct document *d = documents_open(docs, "file:///v/s.md",
					    "# One\n", 6, 3);
	document_set_text(d, "a\nb\n# Tw\xc3\xb6\n", 11);
	STR_EQ(d->text.ptr, "a\nb\n# Tw\xc3\xb6\n");
	INT_EQ(d->text.len, 11);
	INT_EQ(d->version, 3);
	STR_EQ(d->path, "/v/s.md");
	struct lsp_pos p = pos_of(d, 10, POS_UTF16); /* after the "ö" */
	INT_EQ(p.line, 2);
	INT_EQ(p.character, 5);
	char *h = first_heading(d);
	STR_EQ(h, "Tw\xc3\xb6");
	free(h);
	/* Shorter text, then none. */
	document_set_text(d, "x", 1);
	STR_EQ(d->text.ptr, "x");
	p = pos_of(d, 1, POS_UTF16);
	INT_EQ(p.line, 0);
	INT_EQ(p.character, 1);
	document_set_text(d, "", 0);
	INT_EQ(d->text.len, 0);
	STR_EQ(d->text.ptr, "");
	OK(d->syntax != NULL);
	documents_free(docs);
}

/* Buffers over DOCUMENT_MAX_PARSED_BYTES have no syntax tree, however
 * they got there, and get one back when they shrink under it. */
static void test_big_buffers(void)
{
	size_t big = DOCUMENT_MAX_PARSED_BYTES + 1;
	char *text = xmalloc(big + 1);
	memset(text, 'x', big);
	memcpy(text, "# Big\n", 6);
	text[big] = '\0';

	struct documents *docs = documents_new();
	struct document *d = documents_open(docs, "file:///v/big.md", text,
					    big, 1);
	OK(d->syntax == NULL);
	INT_EQ(d->text.len, big);
	/* Its lines are still mapped: positions work without a tree. */
	struct lsp_pos p = pos_of(d, (uint32_t)big, POS_UTF8);
	INT_EQ(p.line, 1);
	INT_EQ(p.character, big - 6);
	/* Still over the limit after an edit: still no tree. */
	document_edit(d, 6, 7, "yz", 2);
	OK(d->syntax == NULL);
	/* Shrunk under it: parsed again. */
	document_edit(d, 6, (uint32_t)d->text.len, "small", 5);
	STR_EQ(d->text.ptr, "# Big\nsmall");
	OK(d->syntax != NULL);
	char *h = first_heading(d);
	STR_EQ(h, "Big");
	free(h);
	/* Grown over it by an edit: the tree is dropped, not updated
	 * (which would parse 8 MB). */
	document_edit(d, 11, 11, text, big);
	INT_EQ(d->text.len, big + 11);
	OK(d->syntax == NULL);
	OK(memcmp(d->text.ptr, "# Big\nsmall# Big\nxx", 19) == 0);
	/* set_text over and under the limit. */
	document_set_text(d, "# S\n", 4);
	OK(d->syntax != NULL);
	document_set_text(d, text, big);
	OK(d->syntax == NULL);
	INT_EQ(d->text.len, big);
	document_set_text(d, "# S\n", 4);
	OK(d->syntax != NULL);
	/* Re-opened big: no tree either. */
	d = documents_open(docs, "file:///v/big.md", text, big, 2);
	OK(d->syntax == NULL);
	documents_free(docs);
	free(text);
}

int main(void)
{
	test_open_get_close();
	test_find_path();
	test_edit();
	test_set_text();
	test_big_buffers();
	return harness_done("test_document");
}
