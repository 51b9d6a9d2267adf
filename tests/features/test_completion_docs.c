/*
 * test_completion_docs.c — the documentation of completion items: brief
 * and inline for a client without completionItem/resolve (every item of
 * every response carries it), the whole preview on resolve for one with.
 */
#include "lsp_client.h"
#include "preview.h"

#define SCRATCH "Scratch/Typing.md"

static char *uri_of(const char *rel)
{
	return client_uri(rel);
}

static void open_text(struct client *c, const char *rel, const char *text)
{
	char *uri = uri_of(rel);
	client_notify(c, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
		"uri", uri, "languageId", "markdown", "version", 1, "text", text));
	free(uri);
}

static int complete(struct client *c, int line, int ch)
{
	char *uri = uri_of(SCRATCH);
	int id = client_request(c, "textDocument/completion", json_pack("{s:{s:s}, s:{s:i, s:i}}",
		"textDocument", "uri", uri, "position", "line", line, "character", ch));
	free(uri);
	return id;
}

/* The item inserting this text. */
static const json_t *inserting(const struct client *c, int id, const char *text)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(client_result(c, id), "items"), i, it) {
		const char *t = json_string_value(json_object_get(json_object_get(it, "textEdit"),
								  "newText"));
		if (t && strcmp(t, text) == 0)
			return it;
	}
	return NULL;
}

static const char *doc_of(const json_t *item)
{
	return json_string_value(json_object_get(json_object_get(item, "documentation"), "value"));
}

/* Long facts, the cut falling inside a link. */
#define LONG_FACT "- Met with the whole team of the storage group again today to talk about the "\
		  "budget for the [[Northwind]] renewal and the migration plan.\n"

static void test_inline_brief(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL); /* no resolveSupport */
	open_text(&c, "Inbox/Long fact.md", "# Long fact\n\n" LONG_FACT);
	open_text(&c, "Inbox/Just prose.md", "# Just prose\n\nA paragraph about %%not this%% "
		  "storage.\nIts second line.\n");
	open_text(&c, SCRATCH, "[[Ragnar Ei\n[[Project Lig\n[[Long fa\n[[Just pro\n[[\n");
	int ragnar = complete(&c, 0, 11), project = complete(&c, 1, 13);
	int longf = complete(&c, 2, 10), prose = complete(&c, 3, 11), all = complete(&c, 4, 2);
	client_run(&c, true);

	/* A card: its role and company, then its first fact, cut after a
	 * word; not the whole preview (no aliases, backlinks or path). */
	const char *d = doc_of(inserting(&c, ragnar, "People/Ragnar Eiriksson]]"));
	STR_EQ(d, "VP of Cloud at Halden Storage\n\n- Ragnar Eiriksson is the VP of Cloud at Halden "
		  "Storage and…");
	/* No role: the first fact alone. */
	d = doc_of(inserting(&c, project, "Project Lighthouse]]"));
	OK(d && strncmp(d, "- ", 2) == 0 && !strstr(d, "backlink") && !strstr(d, ".md"));
	/* A cut never leaves half a link. */
	STR_EQ(doc_of(inserting(&c, longf, "Long fact]]")),
	       "- Met with the whole team of the storage group again today to talk about the "
	       "budget for the…");
	/* No fact: the first line of the first paragraph, without comments. */
	STR_EQ(doc_of(inserting(&c, prose, "Just prose]]")), "A paragraph about  storage.");
	/* Every item of a response is that short. */
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(json_object_get(client_result(&c, all), "items"), i, it) {
		const char *v = doc_of(it);
		if (!v)
			continue;
		n++;
		OK(strlen(v) <= PREVIEW_BRIEF + 8);
		OK(!strstr(v, "backlink"));
	}
	OK(n > 10);
	client_fini(&c);
}

static void test_resolve_whole(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, json_pack("{s:{s:{s:{s:{s:[s]}}}}}", "textDocument", "completion",
				   "completionItem", "resolveSupport", "properties", "documentation"),
		     NULL);
	open_text(&c, SCRATCH, "[[Ragnar Ei\n");
	int ragnar = complete(&c, 0, 11);
	client_run(&c, true);
	const json_t *found = inserting(&c, ragnar, "People/Ragnar Eiriksson]]");
	OK(found && !json_object_get(found, "documentation"));
	OK(json_is_string(json_object_get(json_object_get(found, "data"), "path")));
	json_t *item = found ? json_deep_copy(found) : json_object();
	client_fini(&c);

	/* The same item resolved: the whole preview. */
	client_init(&c);
	client_start(&c, json_pack("{s:{s:{s:{s:{s:[s]}}}}}", "textDocument", "completion",
				   "completionItem", "resolveSupport", "properties", "documentation"),
		     NULL);
	int resolved = client_request(&c, "completionItem/resolve", item);
	client_run(&c, true);
	const char *d = doc_of(client_result(&c, resolved));
	OK(d && strstr(d, "VP of Cloud at Halden Storage") && strstr(d, "Also known as") &&
	   strstr(d, "backlink") && strstr(d, "`People/Ragnar Eiriksson.md`"));
	client_fini(&c);
}

int main(void)
{
	test_inline_brief();
	test_resolve_whole();
	return harness_done("test_completion_docs");
}
