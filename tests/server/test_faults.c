/*
 * test_faults.c — what a broken or hostile client can send: parameters of
 * the wrong types, positions past the end, edits to documents never
 * opened, versions going backwards, and a burst of 10,000 requests with
 * half of them cancelled. Each request gets exactly one answer and the
 * server ends cleanly.
 */
#include "lsp_client.h"

/* Counts responses by id; every request id 1..max must have exactly one. */
static void one_answer_each(const struct client *c, int max)
{
	int *seen = xcalloc((size_t)max + 1, sizeof(int));
	size_t i;
	json_t *m;
	json_array_foreach(c->out, i, m) {
		json_t *id = json_object_get(m, "id");
		if (json_is_integer(id) && !json_object_get(m, "method")) {
			json_int_t v = json_integer_value(id);
			if (v >= 1 && v <= max)
				seen[v]++;
		}
	}
	int wrong = 0;
	for (int k = 1; k <= max; k++)
		if (seen[k] != 1) {
			if (wrong++ < 5)
				fprintf(stderr, "request %d answered %d times\n", k, seen[k]);
		}
	INT_EQ(wrong, 0);
	free(seen);
}

static void test_wrong_types(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, "People/Marek Nowak.md");
	char *uri = client_uri("People/Marek Nowak.md");
	const char *methods[] = { "textDocument/hover", "textDocument/definition", "textDocument/completion",
				  "textDocument/codeAction", "textDocument/documentSymbol",
				  "textDocument/foldingRange", "textDocument/documentLink",
				  "completionItem/resolve" };
	int first = c.next_id + 1;
	for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		client_request(&c, methods[k], json_pack("[i, s]", 1, "x"));
		client_request(&c, methods[k], json_pack("{s:i}", "textDocument", 5));
		client_request(&c, methods[k], json_pack("{s:{s:i}}", "textDocument", "uri", 5));
		client_request(&c, methods[k], json_pack("{s:{s:s}, s:{s:i, s:s}}", "textDocument", "uri", uri,
							  "position", "line", -4, "character", "x"));
		client_request(&c, methods[k], json_pack("{s:{s:s}, s:{s:i, s:i}, s:{s:{s:i, s:i}, s:{s:i, s:i}}}",
			"textDocument", "uri", uri, "position", "line", 99999, "character", 99999,
			"range", "start", "line", 99999, "character", 0, "end", "line", 0, "character", 0));
		client_request(&c, methods[k], json_pack("{s:{s:s}, s:{s:I, s:I}}", "textDocument", "uri", uri,
			"position", "line", (json_int_t)1 << 40, "character", (json_int_t)1 << 40));
	}
	int last = c.next_id;
	/* Notifications with nonsense: ignored, logged. */
	client_notify(&c, "textDocument/didOpen", json_pack("{s:{s:i, s:i}}", "textDocument", "uri", 3, "text", 4));
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:s}", "textDocument", "uri", uri,
							      "version", 2, "contentChanges", "nope"));
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i,s:i},s:{s:i,s:i}}, s:s}]}",
		"textDocument", "uri", uri, "version", 3, "contentChanges", "range", "start", "line", 5,
		"character", 0, "end", "line", 1, "character", 0, "text", "reversed range"));
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:i}]}", "textDocument", "uri",
							      "file:///never/opened.md", "version", 1, "contentChanges", "text", 5));
	client_notify(&c, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", "file:///never/opened.md"));
	client_notify(&c, "workspace/didChangeWatchedFiles", json_pack("{s:[{s:i}, {s:s, s:s}]}", "changes", "uri", 1,
								       "uri", "file:///etc/passwd", "type", "x"));
	client_notify(&c, "workspace/didChangeConfiguration", json_pack("{s:[i]}", "settings", 1));
	client_notify(&c, "$/cancelRequest", json_pack("{s:[]}", "id"));
	/* Positions past the end and a version going backwards: applied,
	 * clamped to the document. */
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i,s:i},s:{s:i,s:i}}, s:s}]}",
		"textDocument", "uri", uri, "version", 1, "contentChanges", "range", "start", "line", 500,
		"character", 40, "end", "line", 900, "character", 0, "text", "\n- appended at the end [[Nobody Here]]\n"));
	int sym = client_request(&c, "textDocument/documentSymbol", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	client_run(&c, true);

	one_answer_each(&c, c.next_id);
	for (int id = first; id <= last; id++) {
		json_t *r = client_response(&c, id);
		OK(r && (json_object_get(r, "result") || client_error_code(&c, id) == RPC_INVALID_PARAMS));
	}
	OK(json_is_array(client_result(&c, sym)));
	/* The appended line is in the document: its dangling link is reported. */
	json_t *pub = json_object_get(client_last(&c, "textDocument/publishDiagnostics", uri), "params");
	bool found = false;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(pub, "diagnostics"), i, d)
		found |= strstr(json_string_value(json_object_get(d, "message")), "Nobody Here") != NULL;
	OK(found);
	INT_EQ(c.exit_code, 0);
	free(uri);
	client_fini(&c);
}

static void test_burst_with_cancellations(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, "People/Ragnar Eiriksson.md");
	char *uri = client_uri("People/Ragnar Eiriksson.md");
	enum { N = 10000 };
	int first = c.next_id + 1;
	for (int k = 0; k < N; k++) {
		const char *m = k % 3 == 0 ? "textDocument/hover" : k % 3 == 1 ? "textDocument/definition"
										: "textDocument/completion";
		client_request(&c, m, json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri, "position",
						 "line", 20 + k % 40, "character", k % 30));
		if (k % 2 == 0)
			client_notify(&c, "$/cancelRequest", json_pack("{s:i}", "id", first + k));
	}
	free(uri);
	c.batch = true;
	client_run(&c, true);
	one_answer_each(&c, c.next_id);
	/* One pass over the output: the error code (or 0) of each request. */
	int *codes = xcalloc(N, sizeof(int));
	size_t i;
	json_t *m;
	json_array_foreach(c.out, i, m) {
		json_t *id = json_object_get(m, "id");
		if (!json_is_integer(id) || json_object_get(m, "method"))
			continue;
		json_int_t k = json_integer_value(id) - first;
		if (k >= 0 && k < N)
			codes[k] = json_object_get(m, "error")
				 ? (int)json_integer_value(json_object_get(json_object_get(m, "error"), "code")) : 0;
	}
	int cancelled = 0, answered = 0;
	for (int k = 0; k < N; k++) {
		if (codes[k] == RPC_REQUEST_CANCELLED)
			cancelled += k % 2 == 0;
		else if (codes[k] == 0)
			answered += k % 2 == 1;
	}
	free(codes);
	INT_EQ(cancelled, N / 2);
	INT_EQ(answered, N / 2);
	INT_EQ(c.exit_code, 0);
	client_fini(&c);
}

int main(void)
{
	test_wrong_types();
	test_burst_with_cancellations();
	return harness_done("test_faults");
}
