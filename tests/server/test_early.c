/*
 * test_early.c — answers while the vault is indexed: the real binary, on
 * one indexing thread, over a generated vault large enough that indexing
 * is still running when the first requests come. Completion answers at
 * once and incomplete, definition and hover answer for what is already
 * known and never wrongly, what needs the whole index waits for it (and
 * is answered ContentModified if its document changes meanwhile), no
 * diagnostic is published from a partial index; afterwards everything is
 * complete. A workspace/symbol request sent first is the marker: it waits
 * for the whole index, so what is answered before it was answered from a
 * partial one.
 */
#include "lsp_proc.h"

#include <sys/stat.h>

#define NOTES 20000
#define LINKS 40  /* links of Hub.md to notes spread over the vault */

static char root[] = "/tmp/vault-early-XXXXXX";

static void put(const char *rel, const char *text)
{
	harness_put(root, rel, text);
}

static int link_note(int i)
{
	return i * (NOTES / LINKS) + 7;
}

/*
 * Notes/Note NNNNN.md (about 1.5 KB each, linking each other); two notes
 * named Twin, one walked first and the other, preferred from the root
 * (the shorter path), walked last; a note in Zeta/ whose alias is "Alias
 * Only"; and Hub.md, the open note, linking them, with the two lines
 * completion is asked on at its end.
 */
static void make_vault(void)
{
	char path[600];
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/Notes", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/Zeta", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/Aaaaa", root);
	mkdir(path, 0700);
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < NOTES; i++) {
		b.len = 0;
		strbuf_printf(&b, "---\ntype: project\nstatus: active\n---\n# Note %05d\n\n## Section\n\n", i);
		for (int k = 1; k <= 12; k++)
			strbuf_printf(&b, "- Fact %d of note %d links [[Note %05d]] and says a little more.\n",
				      k, i, (i * 7 + k * 131) % NOTES);
		char rel[64];
		snprintf(rel, sizeof(rel), "Notes/Note %05d.md", i);
		put(rel, b.ptr);
	}
	put("Aaaaa/Twin.md", "# Twin in Aaaaa\n");
	put("Zeta/Twin.md", "# Twin in Zeta\n");
	put("Zeta/Aliased.md", "---\naliases: [Alias Only]\n---\n# Aliased\n");
	b.len = 0;
	strbuf_puts(&b, "# Hub\n\n");
	for (int i = 0; i < LINKS; i++)
		strbuf_printf(&b, "- [[Note %05d]]\n", link_note(i));
	strbuf_puts(&b, "- [[Twin]]\n- [[Alias Only]]\n- [[Nobody Here]]\n- [[Note 0\n- [[Note 01007#\n");
	put("Hub.md", b.ptr);
	strbuf_fini(&b);
}

static void remove_vault(void)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

/* Hub.md's lines, as make_vault writes them. */
enum { LINE_TWIN = 2 + LINKS, LINE_ALIAS, LINE_NOBODY, LINE_NOTE0, LINE_HEADING };

static char *uri_of(const char *rel)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return uri_from_path(path);
}

static char *hub_text(void)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/Hub.md", root);
	return read_text(path);
}

/* Where the message answering id is among those received, or -1. */
static long seen_at(struct proc *p, int id)
{
	for (size_t i = 0; i < json_array_size(p->seen); i++)
		if (is_response(json_array_get(p->seen, i), &id))
			return (long)i;
	return -1;
}

static const json_t *answer(struct proc *p, int id)
{
	return json_object_get(wait_for(p, is_response, &id, 30), "result");
}

static int at(struct proc *p, const char *method, const char *uri, int line, int character)
{
	return request(p, method, json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri,
					    "position", "line", line, "character", character));
}

/* The uri of a definition's first location, or NULL. */
static const char *first_uri(const json_t *result)
{
	return json_string_value(json_object_get(json_array_get(result, 0), "uri"));
}

static bool is_diagnostics_any(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "textDocument/publishDiagnostics") == 0;
}

/* The first diagnostics published, or -1. */
static long first_diagnostics(struct proc *p)
{
	for (size_t i = 0; i < json_array_size(p->seen); i++)
		if (is_diagnostics_any(json_array_get(p->seen, i), NULL))
			return (long)i;
	return -1;
}

static const char *hover_value(const json_t *result)
{
	return json_string_value(json_object_get(json_object_get(result, "contents"), "value"));
}

static void test_without_progress(void)
{
	static const char *const one_thread[] = { "--threads", "1", "--no-cache", NULL };
	struct proc p;
	OK(spawn_with(&p, one_thread));
	initialize(&p, root); /* no window.workDoneProgress */
	char *hub = uri_of("Hub.md");
	char *text = hub_text();
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri",
		hub, "languageId", "markdown", "version", 1, "text", text));
	int marker = request(&p, "workspace/symbol", json_pack("{s:s}", "query", "Note 0000"));
	/* Waits for the index; the document changes meanwhile. */
	int links = request(&p, "textDocument/documentLink", json_pack("{s:{s:s}}", "textDocument",
								       "uri", hub));
	notify(&p, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument",
		"uri", hub, "version", 2, "contentChanges", "text", text));

	/* Completion, at once and incomplete. */
	double t0 = now();
	int compl = at(&p, "textDocument/completion", hub, LINE_NOTE0, 10);
	const json_t *r = answer(&p, compl);
	double took = now() - t0;
	OK(json_is_true(json_object_get(r, "isIncomplete")));
	OK(seen_at(&p, compl) >= 0 && seen_at(&p, marker) < 0);
	OK(took < 5);
	fprintf(stderr, "completion during indexing: %.1f ms, %zu items\n", took * 1e3,
		json_array_size(json_object_get(r, "items")));
	const json_t *err = json_object_get(wait_for(&p, is_response, &links, 5), "error");
	INT_EQ(json_integer_value(json_object_get(err, "code")), RPC_CONTENT_MODIFIED);
	OK(seen_at(&p, links) < seen_at(&p, compl)); /* at the change, not after the index */

	/* Definition and hover, asked again and again until the index is
	 * complete: what is answered meanwhile is what will be answered
	 * after, or nothing. */
	char *twin = uri_of("Zeta/Twin.md"), *twin2 = uri_of("Aaaaa/Twin.md");
	int early_found = 0, early_asked = 0, wrong = 0, rounds = 0;
	bool hover_counted_early = false;
	size_t early_items = 0;
	while (seen_at(&p, marker) < 0 && now() - t0 < 120) {
		int ids[LINKS + 2];
		for (int i = 0; i < LINKS; i++)
			ids[i] = at(&p, "textDocument/definition", hub, 2 + i, 5);
		ids[LINKS] = at(&p, "textDocument/definition", hub, LINE_TWIN, 5);
		ids[LINKS + 1] = at(&p, "textDocument/definition", hub, LINE_ALIAS, 5);
		int more = at(&p, "textDocument/completion", hub, LINE_NOTE0, 10);
		int hover = at(&p, "textDocument/hover", hub, 2 + LINKS / 2, 5);
		int hover_alias = at(&p, "textDocument/hover", hub, LINE_ALIAS, 5);
		int hover_nobody = at(&p, "textDocument/hover", hub, LINE_NOBODY, 5);
		const json_t *cr = answer(&p, more);
		if (seen_at(&p, marker) < 0 || seen_at(&p, more) < seen_at(&p, marker)) {
			/* Names as they come in, always incomplete. */
			wrong += !json_is_true(json_object_get(cr, "isIncomplete"));
			size_t n = json_array_size(json_object_get(cr, "items"));
			early_items = n > early_items ? n : early_items;
		}
		const char *hv = hover_value(answer(&p, hover));
		bool before = seen_at(&p, marker) < 0 || seen_at(&p, hover) < seen_at(&p, marker);
		if (hv && before && strstr(hv, "backlink"))
			hover_counted_early = true;
		/* Not "No note named ...": a note still to come may have it. */
		const json_t *ha = answer(&p, hover_alias), *hn = answer(&p, hover_nobody);
		if (seen_at(&p, marker) < 0 || seen_at(&p, hover_alias) < seen_at(&p, marker))
			wrong += !json_is_null(ha);
		if (seen_at(&p, marker) < 0 || seen_at(&p, hover_nobody) < seen_at(&p, marker))
			wrong += !json_is_null(hn);
		for (int i = 0; i < LINKS + 2; i++) {
			const json_t *res = answer(&p, ids[i]);
			if (seen_at(&p, marker) >= 0 && seen_at(&p, ids[i]) > seen_at(&p, marker))
				continue; /* answered from the whole index */
			if (i < LINKS) {
				early_asked++;
				if (json_is_null(res))
					continue;
				early_found++;
				char rel[64];
				snprintf(rel, sizeof(rel), "Notes/Note %05d.md", link_note(i));
				char *want = uri_of(rel);
				wrong += json_array_size(res) != 1 || !first_uri(res) ||
					 strcmp(first_uri(res), want) != 0;
				free(want);
			} else if (i == LINKS) {
				/* Both Twins or nothing: the one in Aaaaa/ alone would
				 * be another note than the one a click opens. */
				wrong += !json_is_null(res) &&
					 (json_array_size(res) != 2 || !first_uri(res) ||
					  strcmp(first_uri(res), twin) != 0);
			} else {
				wrong += !json_is_null(res); /* an alias: only once all are in */
			}
		}
		rounds++;
	}
	fprintf(stderr, "%d rounds during indexing: %d of %d definitions found, up to %zu "
		"completion items\n", rounds, early_found, early_asked, early_items);
	OK(early_items > 0);
	OK(seen_at(&p, marker) >= 0);
	OK(early_found > 0);
	OK(early_found < early_asked); /* asked early enough for some to be unknown yet */
	INT_EQ(wrong, 0);
	OK(!hover_counted_early);
	/* Nothing published from a partial index. */
	long diags = first_diagnostics(&p);
	OK(diags < 0 || diags > seen_at(&p, marker));

	/* The index is complete: everything is answered, completely. */
	for (int i = 0; i < LINKS; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "Notes/Note %05d.md", link_note(i));
		char *want = uri_of(rel);
		const char *got = first_uri(answer(&p, at(&p, "textDocument/definition", hub, 2 + i, 5)));
		OK(got && strcmp(got, want) == 0);
		free(want);
	}
	r = answer(&p, at(&p, "textDocument/definition", hub, LINE_TWIN, 5));
	INT_EQ(json_array_size(r), 2);
	STR_EQ(first_uri(r), twin);
	STR_EQ(json_string_value(json_object_get(json_array_get(r, 1), "uri")), twin2);
	char *aliased = uri_of("Zeta/Aliased.md");
	STR_EQ(first_uri(answer(&p, at(&p, "textDocument/definition", hub, LINE_ALIAS, 5))), aliased);
	const char *hv = hover_value(answer(&p, at(&p, "textDocument/hover", hub, 2, 5)));
	OK(hv && strstr(hv, "backlink"));
	hv = hover_value(answer(&p, at(&p, "textDocument/hover", hub, LINE_NOBODY, 5)));
	OK(hv && strstr(hv, "No note named"));
	hv = hover_value(answer(&p, at(&p, "textDocument/hover", hub, LINE_ALIAS, 5)));
	OK(hv && strstr(hv, "is an alias of"));
	r = answer(&p, at(&p, "textDocument/completion", hub, LINE_HEADING, 15));
	OK(json_is_false(json_object_get(r, "isIncomplete")));
	INT_EQ(json_array_size(json_object_get(r, "items")), 2); /* Note 01007, Section */
	r = answer(&p, at(&p, "textDocument/completion", hub, LINE_NOTE0, 10));
	INT_EQ(json_array_size(json_object_get(r, "items")), 100);
	struct diag_match nobody = { "Hub.md", "unresolved-link", NULL, 2 };
	OK(wait_for(&p, is_diagnostics, &nobody, 30) != NULL);

	request(&p, "shutdown", NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 30), 0);
	free(aliased);
	free(twin);
	free(twin2);
	free(text);
	free(hub);
}

static bool is_progress_end(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	const json_t *v = json_object_get(json_object_get(m, "params"), "value");
	const char *kind = json_string_value(json_object_get(v, "kind"));
	return meth && strcmp(meth, "$/progress") == 0 && kind && strcmp(kind, "end") == 0;
}

static bool is_create(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "window/workDoneProgress/create") == 0;
}

/* A client with $/progress is answered as early. */
static void test_with_progress(void)
{
	static const char *const one_thread[] = { "--threads", "1", "--no-cache", NULL };
	struct proc p;
	OK(spawn_with(&p, one_thread));
	char *uri = uri_from_path(root);
	int id = request(&p, "initialize", json_pack("{s:i, s:s, s:{s:{s:b}}}", "processId",
		(int)getpid(), "rootUri", uri, "capabilities", "window", "workDoneProgress", 1));
	free(uri);
	OK(wait_for(&p, is_response, &id, 10) != NULL);
	notify(&p, "initialized", json_object());
	const json_t *create = wait_for(&p, is_create, NULL, 10);
	OK(create != NULL);
	if (create)
		send_msg(&p, json_pack("{s:s, s:O, s:n}", "jsonrpc", "2.0", "id",
				       json_object_get(create, "id"), "result"));
	char *hub = uri_of("Hub.md");
	char *text = hub_text();
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri",
		hub, "languageId", "markdown", "version", 1, "text", text));
	int compl = at(&p, "textDocument/completion", hub, LINE_NOTE0, 10);
	const json_t *r = answer(&p, compl);
	OK(json_is_true(json_object_get(r, "isIncomplete")));
	const json_t *end = wait_for(&p, is_progress_end, NULL, 120);
	OK(end != NULL);
	long end_at = -1;
	for (size_t i = 0; i < json_array_size(p.seen); i++)
		if (json_array_get(p.seen, i) == end)
			end_at = (long)i;
	OK(seen_at(&p, compl) >= 0 && seen_at(&p, compl) < end_at);
	request(&p, "shutdown", NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 30), 0);
	free(text);
	free(hub);
}

int main(void)
{
	make_vault();
	test_without_progress();
	test_with_progress();
	remove_vault();
	return harness_done("test_early");
}
