/*
 * test_server.c — the server as an editor sees it: transcripts of LSP
 * messages in, messages out, on the fixture vault tests/vault.
 */
#include "lsp_client.h"

static json_t *caps_utf8(void)
{
	return json_pack("{s:{s:[s,s]}}", "general", "positionEncodings", "utf-8", "utf-16");
}

static void test_lifecycle(void)
{
	struct client c;
	client_init(&c);
	int early = client_request(&c, "textDocument/hover", json_object());
	client_notify(&c, "initialized", json_object()); /* ignored before initialize */
	int init = client_start(&c, NULL, NULL);
	int again = client_request(&c, "initialize", json_pack("{s:{}}", "capabilities"));
	int unknown = client_request(&c, "vault/noSuchMethod", NULL);
	client_notify(&c, "$/noSuchNotification", NULL);
	int shut = client_request(&c, "shutdown", NULL);
	int after = client_request(&c, "textDocument/documentSymbol", json_object());
	client_notify(&c, "exit", NULL);
	client_run(&c, false);

	INT_EQ(client_error_code(&c, early), RPC_SERVER_NOT_INITIALIZED);
	json_t *caps = json_object_get(client_result(&c, init), "capabilities");
	OK(caps != NULL);
	STR_EQ(json_string_value(json_object_get(caps, "positionEncoding")), "utf-16");
	INT_EQ(json_integer_value(json_object_get(json_object_get(caps, "textDocumentSync"), "change")), 2);
	OK(json_is_true(json_object_get(caps, "foldingRangeProvider")));
	OK(json_is_true(json_object_get(caps, "documentSymbolProvider")));
	INT_EQ(client_error_code(&c, again), RPC_INVALID_REQUEST);
	INT_EQ(client_error_code(&c, unknown), RPC_METHOD_NOT_FOUND);
	OK(json_is_null(client_result(&c, shut)));
	INT_EQ(client_error_code(&c, after), RPC_INVALID_REQUEST);
	INT_EQ(c.exit_code, 0);
	/* Every message got exactly one answer, notifications none. */
	size_t responses = 0, i;
	json_t *m;
	json_array_foreach(c.out, i, m)
		if (json_object_get(m, "id") && !json_object_get(m, "method"))
			responses++;
	INT_EQ(responses, 6);
	/* An Obsidian vault is not a Logseq graph: no notice. */
	INT_EQ(client_count(&c, "window/showMessage"), 0);
	client_fini(&c);
}

/* A root holding logseq/config.edn: one Warning to the user, whatever
 * else happens in the session. */
static void test_logseq_notice(void)
{
	char dir[] = "/tmp/vault-logseq-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "mkdir '%s/logseq' '%s/pages' && touch '%s/logseq/config.edn' && "
		 "printf 'alias:: Bee\\n[[B]]\\n' > '%s/pages/A.md'", dir, dir, dir, dir);
	OK(system(cmd) == 0);
	struct client c;
	client_init(&c);
	char *root = uri_from_path(dir);
	int init = client_request(&c, "initialize", json_pack("{s:s, s:{}}", "rootUri", root,
								"capabilities"));
	client_notify(&c, "initialized", json_object());
	client_notify(&c, "workspace/didChangeConfiguration",
		      json_pack("{s:{s:s}}", "settings", "logLevel", "info"));
	client_run(&c, true);
	OK(client_result(&c, init) != NULL);
	INT_EQ(client_count(&c, "window/showMessage"), 1);
	json_t *params = json_object_get(client_last(&c, "window/showMessage", NULL), "params");
	INT_EQ(json_integer_value(json_object_get(params, "type")), 2);
	struct strbuf want = { 0 };
	strbuf_printf(&want, "%s is a Logseq graph; Logseq page properties (alias::, title::) and "
		      "namespace file names are not supported: link diagnostics may be wrong", dir);
	STR_EQ(json_string_value(json_object_get(params, "message")), want.ptr);
	strbuf_fini(&want);
	free(root);
	client_fini(&c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
}

static void test_exit_without_shutdown(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_notify(&c, "exit", NULL);
	client_run(&c, false);
	INT_EQ(c.exit_code, 1);
	client_fini(&c);

	/* The input ending without exit: a clean stop, code 1. */
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_run(&c, false);
	INT_EQ(c.exit_code, 1);
	client_fini(&c);
}

static void test_null_params(void)
{
	/* Eglot sends "params": null for shutdown and exit. */
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	static const char shut[] = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"shutdown\",\"params\":null}";
	static const char ex[] = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\",\"params\":null}";
	client_raw(&c, shut, sizeof(shut) - 1);
	client_raw(&c, ex, sizeof(ex) - 1);
	client_run(&c, false);
	OK(json_is_null(client_result(&c, 77)));
	INT_EQ(c.exit_code, 0);
	client_fini(&c);
}

static void test_error_codes(void)
{
	struct client c;
	client_init(&c);
	client_raw(&c, "{not json", 9);
	client_raw(&c, "[1,2]", 5);
	client_raw(&c, "{\"id\":7,\"method\":\"initialize\"}", 30); /* no jsonrpc */
	client_raw(&c, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":5}", 35);
	int init = client_start(&c, NULL, NULL);
	int no_doc = client_request(&c, "textDocument/foldingRange", json_object());
	int not_open = client_request(&c, "textDocument/foldingRange",
				      json_pack("{s:{s:s}}", "textDocument", "uri", "file:///nowhere.md"));
	int bad_params = client_request(&c, "textDocument/documentSymbol", NULL);
	client_run(&c, true);

	json_t *first = json_array_get(c.out, 0);
	INT_EQ(json_integer_value(json_object_get(json_object_get(first, "error"), "code")), RPC_PARSE_ERROR);
	OK(json_is_null(json_object_get(first, "id")));
	json_t *second = json_array_get(c.out, 1);
	INT_EQ(json_integer_value(json_object_get(json_object_get(second, "error"), "code")), RPC_INVALID_REQUEST);
	INT_EQ(client_error_code(&c, 7), RPC_INVALID_REQUEST);
	INT_EQ(client_error_code(&c, 8), RPC_INVALID_REQUEST);
	OK(client_result(&c, init) != NULL);
	INT_EQ(client_error_code(&c, no_doc), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, not_open), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, bad_params), RPC_INVALID_PARAMS);
	INT_EQ(c.exit_code, 0);
	client_fini(&c);
}

static void test_cancel(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, "People/Marek Nowak.md");
	char *uri = client_uri("People/Marek Nowak.md");
	int ids[10];
	for (int i = 0; i < 10; i++)
		ids[i] = client_request(&c, "textDocument/documentSymbol",
					json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	for (int i = 0; i < 10; i += 2)
		client_notify(&c, "$/cancelRequest", json_pack("{s:i}", "id", ids[i]));
	client_notify(&c, "$/cancelRequest", json_pack("{s:i}", "id", 9999)); /* unknown: ignored */
	free(uri);
	/* The burst arrives before the server looks at it. */
	c.batch = true;
	client_run(&c, true);
	for (int i = 0; i < 10; i++) {
		if (i % 2 == 0)
			INT_EQ(client_error_code(&c, ids[i]), RPC_REQUEST_CANCELLED);
		else
			OK(json_is_array(client_result(&c, ids[i])));
	}
	INT_EQ(c.exit_code, 0);
	client_fini(&c);
}

/* The ambiguous [[Ragnar Eiriksson]] after an emoji on Zoë's card. */
static void find_ambiguous_on_line(const struct client *c, const char *uri, int line, int *ch)
{
	*ch = -1;
	json_t *pub = client_last(c, "textDocument/publishDiagnostics", uri);
	json_t *diags = json_object_get(json_object_get(pub, "params"), "diagnostics");
	size_t i;
	json_t *d;
	json_array_foreach(diags, i, d) {
		int l1, c1, l2, c2;
		range_of(json_object_get(d, "range"), &l1, &c1, &l2, &c2);
		if (l1 == line && strcmp(json_string_value(json_object_get(d, "code")), "ambiguous-link") == 0)
			*ch = c1;
	}
}

static void test_positions_utf16_utf8(void)
{
	const char *rel = "People/Zoë Ólafsdóttir.md";
	char *uri = client_uri(rel);
	int ch;

	/* "- 📅 2026-01-09 ⏫ follow up with [[Ragnar Eiriksson]]": 📅 is two
	 * UTF-16 units and four bytes, ⏫ one unit and three bytes. */
	struct client c;
	client_init(&c);
	int init = client_start(&c, NULL, NULL);
	client_open(&c, rel);
	client_run(&c, true);
	STR_EQ(json_string_value(json_object_get(json_object_get(client_result(&c, init), "capabilities"),
						 "positionEncoding")), "utf-16");
	find_ambiguous_on_line(&c, uri, 13, &ch);
	INT_EQ(ch, 33);
	client_fini(&c);

	client_init(&c);
	init = client_start(&c, caps_utf8(), NULL);
	client_open(&c, rel);
	client_run(&c, true);
	STR_EQ(json_string_value(json_object_get(json_object_get(client_result(&c, init), "capabilities"),
						 "positionEncoding")), "utf-8");
	find_ambiguous_on_line(&c, uri, 13, &ch);
	INT_EQ(ch, 37);
	client_fini(&c);
	free(uri);
}

static json_t *change(int l1, int c1, int l2, int c2, const char *text)
{
	return json_pack("{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}", "range", "start", "line", l1,
			 "character", c1, "end", "line", l2, "character", c2, "text", text);
}

/* Diagnostics codes and start positions of the last publish for uri, as
 * "code@line:char" lines. */
static void diag_summary(const struct client *c, const char *uri, struct strbuf *out)
{
	json_t *pub = client_last(c, "textDocument/publishDiagnostics", uri);
	json_t *diags = json_object_get(json_object_get(pub, "params"), "diagnostics");
	size_t i;
	json_t *d;
	json_array_foreach(diags, i, d) {
		int l1, c1, l2, c2;
		range_of(json_object_get(d, "range"), &l1, &c1, &l2, &c2);
		strbuf_printf(out, "%s@%d:%d-%d:%d\n", json_string_value(json_object_get(d, "code")),
			      l1, c1, l2, c2);
	}
}

/* Opens a new note (never on disk, CRLF line endings, an emoji), applies
 * the first or both of two didChange notifications, and runs. */
static void edit_session(struct client *c, const char *uri, bool second, int *sym)
{
	client_init(c);
	client_start(c, json_pack("{s:{s:{s:b}}}", "textDocument", "documentSymbol",
				  "hierarchicalDocumentSymbolSupport", 1), NULL);
	client_notify(c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 1, "text",
				"# Title\r\n\r\n🧊 see [[Northwind]]\r\n\r\n## Notes\r\n- one\r\n"));
	/* Two edits in one notification, applied in order: first turn the
	 * link into a dangling one, then add a section at the end. */
	client_notify(c, "textDocument/didChange",
		      json_pack("{s:{s:s, s:i}, s:[o, o]}", "textDocument", "uri", uri, "version", 2,
				"contentChanges",
				change(2, 9, 2, 18, "Nowhere"),   /* after 🧊 (2 units) + " see [[" */
				change(6, 0, 6, 0, "## Later\r\n[[Priya]]\r\n")));
	if (second) /* delete the dangling link's whole line, across its CRLF */
		client_notify(c, "textDocument/didChange",
			      json_pack("{s:{s:s, s:i}, s:[o]}", "textDocument", "uri", uri, "version", 3,
					"contentChanges", change(2, 0, 3, 0, "")));
	*sym = client_request(c, "textDocument/documentSymbol",
			      json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	client_run(c, true);
}

static void test_incremental_edits(void)
{
	char *uri = client_uri("Scratch/Edits.md");
	struct client c;
	int sym;
	edit_session(&c, uri, false, &sym);

	/* After the first change: [[Nowhere]] dangles, at UTF-16 column 7;
	 * the diagnostics say which version they are for. */
	json_t *pub = json_object_get(client_last(&c, "textDocument/publishDiagnostics", uri), "params");
	INT_EQ(json_integer_value(json_object_get(pub, "version")), 2);
	struct strbuf got;
	strbuf_init(&got);
	diag_summary(&c, uri, &got);
	STR_EQ(got.ptr, "unresolved-link@2:7-2:18\n");
	strbuf_fini(&got);

	/* Outline: Title > Notes, Later. */
	json_t *outline = client_result(&c, sym);
	INT_EQ(json_array_size(outline), 1);
	json_t *title = json_array_get(outline, 0);
	STR_EQ(json_string_value(json_object_get(title, "name")), "Title");
	json_t *kids = json_object_get(title, "children");
	INT_EQ(json_array_size(kids), 2);
	STR_EQ(json_string_value(json_object_get(json_array_get(kids, 0), "name")), "Notes");
	STR_EQ(json_string_value(json_object_get(json_array_get(kids, 1), "name")), "Later");
	int l1, c1, l2, c2;
	range_of(json_object_get(json_array_get(kids, 1), "selectionRange"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 6);
	client_fini(&c);

	/* After deleting line 2 everything moved up a line, and only the
	 * resolved alias link [[Priya]] remains: no diagnostics. */
	edit_session(&c, uri, true, &sym);
	range_of(json_object_get(json_array_get(json_object_get(json_array_get(client_result(&c, sym), 0),
								"children"), 1), "selectionRange"),
		 &l1, &c1, &l2, &c2);
	INT_EQ(l1, 5);
	pub = json_object_get(client_last(&c, "textDocument/publishDiagnostics", uri), "params");
	INT_EQ(json_integer_value(json_object_get(pub, "version")), 3);
	INT_EQ(json_array_size(json_object_get(pub, "diagnostics")), 0);
	client_fini(&c);
	free(uri);
}

static void test_folding_and_symbols(void)
{
	const char *rel = "People/Ragnar Eiriksson.md";
	char *uri = client_uri(rel);
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, rel);
	int fold = client_request(&c, "textDocument/foldingRange",
				  json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	int sym = client_request(&c, "textDocument/documentSymbol",
				 json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	client_run(&c, true);

	/* Flat SymbolInformation without the hierarchical capability. */
	json_t *syms = client_result(&c, sym);
	INT_EQ(json_array_size(syms), 6);
	STR_EQ(json_string_value(json_object_get(json_array_get(syms, 0), "name")), "Ragnar Eiriksson");
	STR_EQ(json_string_value(json_object_get(json_array_get(syms, 1), "name")), "Key Facts");
	STR_EQ(json_string_value(json_object_get(json_array_get(syms, 1), "containerName")), "Ragnar Eiriksson");
	STR_EQ(json_string_value(json_object_get(json_array_get(syms, 5), "name")), "Key Decisions");

	/* Folds (0-based lines): the frontmatter (0-14), the "Key Facts"
	 * section without its trailing blank line (18-36), the tasks code
	 * block (48-51). */
	json_t *folds = client_result(&c, fold);
	OK(json_array_size(folds) >= 3);
	bool fm = false, facts = false, code = false;
	size_t i;
	json_t *f;
	json_array_foreach(folds, i, f) {
		json_int_t a = json_integer_value(json_object_get(f, "startLine"));
		json_int_t b = json_integer_value(json_object_get(f, "endLine"));
		fm |= a == 0 && b == 14;
		facts |= a == 18 && b == 36;
		code |= a == 48 && b == 51;
	}
	OK(fm);
	OK(facts);
	OK(code);
	client_fini(&c);
	free(uri);
}

static void test_progress_and_configuration(void)
{
	struct client c;
	client_init(&c);
	int init = client_start(&c, json_pack("{s:{s:b}, s:{s:b}}", "window", "workDoneProgress", 1,
					      "workspace", "configuration", 1),
				json_pack("{s:s, s:b}", "logLevel", "debug", "noSuchKey", 1));
	/* Answers to the server's requests: it numbers them from 1, the
	 * progress token first, then the configuration. */
	client_send(&c, rpc_response_new(json_integer(1), NULL));
	client_send(&c, rpc_response_new(json_integer(2),
					 json_pack("[{s:{s:s}}]", "folders", "Archive", "archive")));
	client_open(&c, "People/Marek Nowak.md");
	client_run(&c, true);
	OK(client_result(&c, init) != NULL);

	json_t *create = NULL, *config = NULL;
	size_t i;
	json_t *m;
	json_array_foreach(c.out, i, m) {
		const char *meth = json_string_value(json_object_get(m, "method"));
		if (meth && strcmp(meth, "window/workDoneProgress/create") == 0)
			create = m;
		if (meth && strcmp(meth, "workspace/configuration") == 0)
			config = m;
	}
	OK(create != NULL);
	INT_EQ(json_integer_value(json_object_get(create, "id")), 1);
	OK(config != NULL);
	STR_EQ(json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(config, "params"),
			"items"), 0), "section")), "vault-lsp");
	/* If progress began (the index may be done before the token is), it
	 * also ended, after any reports. */
	int begin = -1, end = -1, reports_after_end = 0;
	json_array_foreach(c.out, i, m) {
		const char *meth = json_string_value(json_object_get(m, "method"));
		if (!meth || strcmp(meth, "$/progress"))
			continue;
		const char *kind = json_string_value(json_object_get(json_object_get(json_object_get(m, "params"),
										     "value"), "kind"));
		if (strcmp(kind, "begin") == 0)
			begin = (int)i;
		else if (strcmp(kind, "end") == 0)
			end = (int)i;
		else if (end >= 0)
			reports_after_end++;
	}
	OK(begin < 0 || end > begin);
	INT_EQ(reports_after_end, 0);
	client_fini(&c);
}

/* A publication in full, as the client reads it: the diagnostics are
 * written as JSON text (diagnostics.c), so every member is checked here,
 * and the same diagnostic quoted by a code action. */
static void test_publication(void)
{
	char *uri = client_uri("Scratch/Publication.md");
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_notify(&c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 7, "text",
				"---\ntype: person\n---\n# Pub\n\n"
				"- Greta \"the tab\there\" signed the Northwind\\Tidal renewal in May\n"
				"- Greta \"the tab\there\" signed the Northwind\\Tidal renewal in May\n"));
	int act = client_request(&c, "textDocument/codeAction",
				 json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[]}}",
					   "textDocument", "uri", uri, "range", "start", "line", 6,
					   "character", 2, "end", "line", 6, "character", 2,
					   "context", "diagnostics"));
	client_run(&c, true);
	json_t *msg = client_last(&c, "textDocument/publishDiagnostics", uri);
	STR_EQ(json_string_value(json_object_get(msg, "jsonrpc")), "2.0");
	json_t *pub = json_object_get(msg, "params");
	STR_EQ(json_string_value(json_object_get(pub, "uri")), uri);
	INT_EQ(json_integer_value(json_object_get(pub, "version")), 7);
	json_t *diags = json_object_get(pub, "diagnostics");
	INT_EQ(json_array_size(diags), 1);
	json_t *d = json_array_get(diags, 0);
	INT_EQ(json_object_size(d), 7);
	int l1, c1, l2, c2;
	range_of(json_object_get(d, "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 6);
	INT_EQ(c1, 2);
	INT_EQ(l2, 6);
	INT_EQ(c2, 64);
	INT_EQ(json_integer_value(json_object_get(d, "severity")), 2);
	STR_EQ(json_string_value(json_object_get(d, "code")), "duplicate-fact");
	STR_EQ(json_string_value(json_object_get(d, "source")), "vault-lsp");
	STR_EQ(json_string_value(json_object_get(d, "message")), "Duplicate fact: the same as line 6");
	json_t *tags = json_object_get(d, "tags");
	INT_EQ(json_array_size(tags), 1);
	INT_EQ(json_integer_value(json_array_get(tags, 0)), 1);
	json_t *rel = json_object_get(d, "relatedInformation");
	INT_EQ(json_array_size(rel), 1);
	json_t *loc = json_object_get(json_array_get(rel, 0), "location");
	char *file_uri = client_uri("Scratch/Publication.md");
	STR_EQ(json_string_value(json_object_get(loc, "uri")), file_uri);
	free(file_uri);
	range_of(json_object_get(loc, "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 5);
	INT_EQ(c2, 64);
	STR_EQ(json_string_value(json_object_get(json_array_get(rel, 0), "message")),
	       "first written here");
	/* A code action quotes it as it was published. */
	bool quoted = false;
	size_t i;
	json_t *a;
	json_array_foreach(client_result(&c, act), i, a) {
		json_t *q = json_array_get(json_object_get(a, "diagnostics"), 0);
		if (q && json_equal(q, d))
			quoted = true;
	}
	OK(quoted);
	client_fini(&c);
	free(uri);
}

int main(void)
{
	test_lifecycle();
	test_logseq_notice();
	test_exit_without_shutdown();
	test_error_codes();
	test_null_params();
	test_cancel();
	test_positions_utf16_utf8();
	test_incremental_edits();
	test_publication();
	test_folding_and_symbols();
	test_progress_and_configuration();
	return harness_done("test_server");
}
