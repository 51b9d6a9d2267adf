/* document.c — open buffers with incremental edits. */
#include "document.h"
#include "uri.h"

#include <stdlib.h>
#include <string.h>

struct documents {
	ARRAY(struct document *) open;
};

struct documents *documents_new(void)
{
	return xcalloc(1, sizeof(struct documents));
}

/* A fresh syntax tree for the text, or none when it is too big. */
static struct syntax *syntax_of(const struct document *doc)
{
	if (doc->text.len > DOCUMENT_MAX_PARSED_BYTES)
		return NULL;
	return syntax_new(doc->text.ptr, doc->text.len);
}

static void document_free(struct document *doc)
{
	free(doc->uri);
	free(doc->path);
	strbuf_fini(&doc->text);
	line_map_fini(&doc->lines);
	syntax_free(doc->syntax);
	free(doc);
}

void documents_free(struct documents *docs)
{
	if (!docs)
		return;
	for (uint32_t i = 0; i < docs->open.len; i++)
		document_free(docs->open.items[i]);
	array_free(&docs->open);
	free(docs);
}

static int32_t index_of(const struct documents *docs, const char *uri)
{
	/* A handful of buffers are open at a time: a scan is fine. */
	for (uint32_t i = 0; i < docs->open.len; i++)
		if (strcmp(docs->open.items[i]->uri, uri) == 0)
			return (int32_t)i;
	return -1;
}

struct document *documents_get(const struct documents *docs, const char *uri)
{
	int32_t i = index_of(docs, uri);
	return i < 0 ? NULL : docs->open.items[i];
}

struct document *documents_at(const struct documents *docs, uint32_t i)
{
	return i < docs->open.len ? docs->open.items[i] : NULL;
}

struct document *documents_find_path(const struct documents *docs,
				     const char *abs)
{
	for (uint32_t i = 0; i < docs->open.len; i++) {
		struct document *doc = docs->open.items[i];
		if (doc->path && strcmp(doc->path, abs) == 0)
			return doc;
	}
	return NULL;
}

struct document *documents_open(struct documents *docs, const char *uri,
				const char *text, size_t len, int64_t version)
{
	documents_close(docs, uri);
	struct document *doc = xcalloc(1, sizeof(*doc));
	doc->uri = xstrdup(uri);
	doc->path = uri_to_path(uri);
	doc->version = version;
	strbuf_init(&doc->text);
	strbuf_put(&doc->text, text, len);
	line_map_init(&doc->lines, doc->text.ptr, doc->text.len);
	doc->syntax = syntax_of(doc);
	array_push(&docs->open, doc);
	return doc;
}

bool documents_close(struct documents *docs, const char *uri)
{
	int32_t i = index_of(docs, uri);
	if (i < 0)
		return false;
	document_free(docs->open.items[i]);
	docs->open.items[i] = docs->open.items[--docs->open.len];
	return true;
}

void document_edit(struct document *doc, uint32_t start, uint32_t end,
		   const char *text, size_t len)
{
	if (end > doc->text.len)
		end = (uint32_t)doc->text.len;
	if (start > end)
		start = end;
	size_t old_len = doc->text.len;
	struct strbuf next;
	strbuf_init(&next);
	strbuf_put(&next, doc->text.ptr, start);
	strbuf_put(&next, text, len);
	strbuf_put(&next, doc->text.ptr + end, doc->text.len - end);
	strbuf_fini(&doc->text);
	doc->text = next;
	line_map_fini(&doc->lines);
	line_map_init(&doc->lines, doc->text.ptr, doc->text.len);
	if (doc->text.len > DOCUMENT_MAX_PARSED_BYTES) {
		syntax_free(doc->syntax);
		doc->syntax = NULL;
	} else if (old_len > DOCUMENT_MAX_PARSED_BYTES) {
		doc->syntax = syntax_of(doc); /* it shrank under the limit */
	} else if (doc->syntax) {
		syntax_edit(doc->syntax, start, end, start + (uint32_t)len,
			    doc->text.ptr, doc->text.len);
	}
}

void document_set_text(struct document *doc, const char *text, size_t len)
{
	doc->text.len = 0;
	strbuf_put(&doc->text, text, len);
	line_map_fini(&doc->lines);
	line_map_init(&doc->lines, doc->text.ptr, doc->text.len);
	syntax_free(doc->syntax);
	doc->syntax = syntax_of(doc);
}
