/*
 * lsp_client.h — drives the server in-process the way an editor would:
 * a transcript of framed messages goes in through fmemopen, everything the
 * server writes is collected through open_memstream and split back into
 * JSON messages. Header-only: each protocol test includes it once.
 */
#ifndef VAULT_TEST_LSP_CLIENT_H
#define VAULT_TEST_LSP_CLIENT_H

#include "harness.h"
#include "protocol.h"
#include "rpc.h"
#include "server.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture vault under tests/ a test runs on; a test may set another
 * before its first client_start (tests/identity/vault...). */
static const char *client_vault = "vault";

struct client {
	struct strbuf in;   /* the transcript */
	json_t *out;        /* array of every message the server wrote */
	int exit_code;
	int next_id;
	bool batch;         /* see server_options.batch */
	struct rank_options rank; /* see server_options.rank */
	bool early;         /* answers from a partial index: !server_options.index_first */
};

static inline void client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	strbuf_init(&c->in);
}

static inline void client_fini(struct client *c)
{
	strbuf_fini(&c->in);
	json_decref(c->out);
}

/* Appends one raw body, framed. */
static inline void client_raw(struct client *c, const char *body, size_t len)
{
	strbuf_printf(&c->in, "Content-Length: %zu\r\n\r\n", len);
	strbuf_put(&c->in, body, len);
}

/* Appends a message built with json_pack (steals it). */
static inline void client_send(struct client *c, json_t *msg)
{
	size_t len;
	char *body = rpc_dump(msg, &len);
	client_raw(c, body, len);
	free(body);
	json_decref(msg);
}

/* A request; returns its id. params are stolen (may be NULL). */
static inline int client_request(struct client *c, const char *method, json_t *params)
{
	int id = ++c->next_id;
	client_send(c, rpc_request_new(json_integer(id), method, params));
	return id;
}

static inline void client_notify(struct client *c, const char *method, json_t *params)
{
	client_send(c, rpc_notification_new(method, params));
}

static inline char *client_uri(const char *rel)
{
	struct strbuf p;
	strbuf_init(&p);
	strbuf_printf(&p, "%s/%s%s%s", VAULT_TEST_DIR, client_vault, rel[0] ? "/" : "", rel);
	char *uri = uri_from_path(p.ptr);
	strbuf_fini(&p);
	return uri;
}

/* initialize (on tests/vault) with the given capabilities (stolen; NULL: {}),
 * then initialized. Returns the initialize id. */
static inline int client_start(struct client *c, json_t *caps, json_t *init_options)
{
	char *root = client_uri("");
	json_t *params = json_pack("{s:i, s:s, s:o}", "processId", 1, "rootUri", root,
				   "capabilities", caps ? caps : json_object());
	if (init_options)
		json_object_set_new(params, "initializationOptions", init_options);
	free(root);
	int id = client_request(c, "initialize", params);
	client_notify(c, "initialized", json_object());
	return id;
}

/* Reads a note of the fixture vault and sends didOpen for it. */
static inline void client_open(struct client *c, const char *rel)
{
	struct strbuf path, text;
	strbuf_init(&path);
	strbuf_init(&text);
	strbuf_printf(&path, "%s/%s/%s", VAULT_TEST_DIR, client_vault, rel);
	FILE *f = fopen(path.ptr, "rb");
	if (f) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_put(&text, buf, n);
		fclose(f);
	} else {
		fprintf(stderr, "cannot open fixture %s\n", path.ptr);
	}
	char *uri = client_uri(rel);
	client_notify(c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s%}}", "textDocument", "uri", uri,
				"languageId", "markdown", "version", 1, "text", text.ptr, text.len));
	free(uri);
	strbuf_fini(&path);
	strbuf_fini(&text);
}

/* shutdown + exit, then runs the server over the transcript. */
static inline void client_run(struct client *c, bool shutdown)
{
	if (shutdown) {
		client_request(c, "shutdown", NULL);
		client_notify(c, "exit", NULL);
	}
	FILE *in = fmemopen(c->in.ptr, c->in.len ? c->in.len : 1, "rb");
	char *out_buf = NULL;
	size_t out_len = 0;
	FILE *out = open_memstream(&out_buf, &out_len);
	struct server_options opts = { .threads = 2, .batch = c->batch, .rank = c->rank,
				       .index_first = !c->early };
	struct server *s = server_new(in, out, NULL, &opts);
	c->exit_code = server_run(s);
	server_free(s);
	fclose(out);
	fclose(in);

	c->out = json_array();
	const char *p = out_buf, *end = out_buf + out_len;
	while (p < end) {
		unsigned long n;
		const char *body = strstr(p, "\r\n\r\n");
		if (!body || sscanf(p, "Content-Length: %lu", &n) != 1)
			break;
		body += 4;
		json_error_t err;
		json_t *msg = json_loadb(body, n, 0, &err);
		if (msg)
			json_array_append_new(c->out, msg);
		else
			fprintf(stderr, "server wrote invalid JSON: %.*s\n", (int)n, body);
		p = body + n;
	}
	free(out_buf);
}

/* The response to request id, or NULL. */
static inline json_t *client_response(const struct client *c, int id)
{
	size_t i;
	json_t *m;
	json_array_foreach(c->out, i, m) {
		json_t *jid = json_object_get(m, "id");
		if (json_is_integer(jid) && json_integer_value(jid) == id &&
		    !json_object_get(m, "method"))
			return m;
	}
	return NULL;
}

static inline json_t *client_result(const struct client *c, int id)
{
	return json_object_get(client_response(c, id), "result");
}

static inline int client_error_code(const struct client *c, int id)
{
	json_t *e = json_object_get(client_response(c, id), "error");
	return e ? (int)json_integer_value(json_object_get(e, "code")) : 0;
}

/* The last notification of this method (for this uri, when uri is not NULL). */
static inline json_t *client_last(const struct client *c, const char *method, const char *uri)
{
	json_t *found = NULL;
	size_t i;
	json_t *m;
	json_array_foreach(c->out, i, m) {
		json_t *meth = json_object_get(m, "method");
		if (!json_is_string(meth) || strcmp(json_string_value(meth), method) != 0)
			continue;
		if (uri) {
			json_t *u = json_object_get(json_object_get(m, "params"), "uri");
			if (!json_is_string(u) || strcmp(json_string_value(u), uri) != 0)
				continue;
		}
		found = m;
	}
	return found;
}

static inline size_t client_count(const struct client *c, const char *method)
{
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(c->out, i, m) {
		json_t *meth = json_object_get(m, "method");
		if (json_is_string(meth) && strcmp(json_string_value(meth), method) == 0)
			n++;
	}
	return n;
}

/* Reads "line:character" pairs from a Range into four ints. */
static inline void range_of(const json_t *range, int *l1, int *c1, int *l2, int *c2)
{
	json_t *s = json_object_get(range, "start"), *e = json_object_get(range, "end");
	*l1 = (int)json_integer_value(json_object_get(s, "line"));
	*c1 = (int)json_integer_value(json_object_get(s, "character"));
	*l2 = (int)json_integer_value(json_object_get(e, "line"));
	*c2 = (int)json_integer_value(json_object_get(e, "character"));
}

/* The TextDocumentEdit of one URI in a WorkspaceEdit's documentChanges. */
static inline const json_t *client_change_of(const json_t *wedit, const char *uri)
{
	size_t i;
	json_t *dc;
	json_array_foreach(json_object_get(wedit, "documentChanges"), i, dc) {
		const json_t *td = json_object_get(dc, "textDocument");
		if (td && strcmp(json_string_value(json_object_get(td, "uri")), uri) == 0)
			return dc;
	}
	return NULL;
}

/* Applies the TextEdits of one URI in a WorkspaceEdit (either form) to
 * text, as an editor would: UTF-16 positions, from the last back (inserts
 * at one place keep their order). Returns the new text. */
static inline char *client_apply(const json_t *wedit, const char *uri, const char *text)
{
	const json_t *edits = json_object_get(json_object_get(wedit, "changes"), uri);
	if (client_change_of(wedit, uri))
		edits = json_object_get(client_change_of(wedit, uri), "edits");
	struct strbuf cur;
	strbuf_init(&cur);
	strbuf_puts(&cur, text);
	for (size_t k = json_array_size(edits); k-- > 0;) {
		const json_t *e = json_array_get(edits, k);
		struct line_map map;
		line_map_init(&map, cur.ptr, cur.len);
		struct text_view v = { cur.ptr, cur.len, &map };
		uint32_t s, en;
		OK(json_get_range(json_object_get(e, "range"), &v, POS_UTF16, &s, &en));
		struct strbuf next;
		strbuf_init(&next);
		strbuf_put(&next, cur.ptr, s);
		strbuf_puts(&next, json_string_value(json_object_get(e, "newText")));
		strbuf_put(&next, cur.ptr + en, cur.len - en);
		strbuf_fini(&cur);
		cur = next;
		line_map_fini(&map);
	}
	return strbuf_detach(&cur);
}

/* The code action of a response titled so; NULL (listing the others). */
static inline const json_t *client_action_titled(const struct client *c, int id, const char *title)
{
	size_t i;
	json_t *a;
	json_array_foreach(client_result(c, id), i, a)
		if (strcmp(json_string_value(json_object_get(a, "title")), title) == 0)
			return a;
	fprintf(stderr, "no action '%s'; there are:\n", title);
	json_array_foreach(client_result(c, id), i, a)
		fprintf(stderr, "  %s\n", json_string_value(json_object_get(a, "title")));
	return NULL;
}

#endif
