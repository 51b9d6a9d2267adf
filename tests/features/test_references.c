/*
 * test_references.c — "what links here?" as an editor asks it, on
 * tests/vault: references from a note, a link, a people value, a With
 * name, a heading, a block and a name no note has (with and without the
 * declaration); documentHighlight; the code lens and its resolve; and all
 * of it kept current as a buffer changes.
 */
#include "lsp_client.h"

#define PRIYA "People/Priya Natarajan.md"
#define RAGNAR "People/Ragnar Eiriksson.md"
#define MEETING "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md"
#define LIGHTHOUSE "Projects/Project Lighthouse.md"
#define CONTACT "Contacts/Ragnar Eiriksson.md"

static int at(struct client *c, const char *method, const char *rel, int line, int ch, int decl)
{
	char *uri = client_uri(rel);
	json_t *params = json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri,
				   "position", "line", line, "character", ch);
	if (decl >= 0)
		json_object_set_new(params, "context", json_pack("{s:b}", "includeDeclaration", decl));
	free(uri);
	return client_request(c, method, params);
}

/* "rel:line:char-line:char" per Location, one a line (rel from the vault). */
static char *listing(const json_t *locs)
{
	struct strbuf out = { 0 };
	char *root = client_uri("");
	size_t i;
	json_t *loc;
	json_array_foreach(locs, i, loc) {
		const char *uri = json_string_value(json_object_get(loc, "uri"));
		char *path = uri ? uri_to_path(uri) : NULL;
		char *rootp = uri_to_path(root);
		const char *rel = path && strncmp(path, rootp, strlen(rootp)) == 0
					  ? path + strlen(rootp) + 1 : "?";
		int l1, c1, l2, c2;
		range_of(json_object_get(loc, "range"), &l1, &c1, &l2, &c2);
		strbuf_printf(&out, "%s:%d:%d-%d:%d\n", rel, l1, c1, l2, c2);
		free(path);
		free(rootp);
	}
	free(root);
	if (!out.ptr)
		strbuf_puts(&out, "");
	return strbuf_detach(&out);
}

/* Every place that names Priya: links, her title heading (the declaration),
 * people values in two frontmatters, two With lines, a [[link]] value. */
static const char *const priya_refs =
	"Contacts/Ragnar Eiriksson.md:13:113-13:132\n"
	"Customers/Northwind.md:12:2-12:21\n"
	"Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md:7:2-7:17\n"
	"Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md:18:27-18:42\n"
	"Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md:42:2-42:21\n"
	"Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md:5:16-5:31\n"
	"Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md:18:10-18:25\n"
	"%s"
	"People/Ragnar Eiriksson.md:28:88-28:107\n"
	"People/Ragnar Eiriksson.md:30:117-30:136\n"
	"People/Ragnar Eiriksson.md:34:27-34:46\n"
	"Projects/Project Lighthouse.md:3:8-3:27\n";

static void expect(const struct client *c, int id, const char *want, const char *what)
{
	char *got = listing(client_result(c, id));
	if (strcmp(got, want) != 0)
		fprintf(stderr, "%s:\n--- want\n%s--- got\n%s", what, want, got);
	STR_EQ(got, want);
	free(got);
}

static void expect_priya(const struct client *c, int id, bool decl, const char *what)
{
	struct strbuf want = { 0 };
	strbuf_printf(&want, priya_refs, decl ? "People/Priya Natarajan.md:9:0-9:17\n" : "");
	expect(c, id, want.ptr, what);
	strbuf_fini(&want);
}

static void test_references(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, PRIYA);
	client_open(&c, RAGNAR);
	client_open(&c, MEETING);
	client_open(&c, LIGHTHOUSE);
	client_open(&c, CONTACT);
	client_open(&c, "Customers/Northwind.md");
	int top = at(&c, "textDocument/references", PRIYA, 0, 0, 1);
	int title = at(&c, "textDocument/references", PRIYA, 9, 4, 0);
	int body = at(&c, "textDocument/references", PRIYA, 13, 0, 0);
	int link = at(&c, "textDocument/references", "Customers/Northwind.md", 12, 6, 0);
	int value = at(&c, "textDocument/references", MEETING, 5, 20, 0);
	int with = at(&c, "textDocument/references", MEETING, 18, 12, 0);
	int owner = at(&c, "textDocument/references", LIGHTHOUSE, 3, 12, 1);
	/* A heading and a block: only the links to them. */
	int heading = at(&c, "textDocument/references", LIGHTHOUSE, 12, 4, 1);
	int heading_nodecl = at(&c, "textDocument/references", LIGHTHOUSE, 12, 4, 0);
	int block = at(&c, "textDocument/references", LIGHTHOUSE, 14, 47, 0);
	int heading_link = at(&c, "textDocument/references", RAGNAR, 43, 75, 1);
	/* A name no note has: the links that write it, in both notes. */
	int dangling = at(&c, "textDocument/references", CONTACT, 47, 5, 1);
	/* A prose word that names nobody: the note it is in (its title
	 * heading, and the link to it from Ragnar's card); a bad request is
	 * an error. */
	int prose = at(&c, "textDocument/references", MEETING, 22, 1, 1);
	char *uri = client_uri(PRIYA);
	int bad = client_request(&c, "textDocument/references",
				 json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	free(uri);
	client_run(&c, true);

	expect_priya(&c, top, true, "the note, declaration included");
	expect_priya(&c, title, false, "the title heading");
	expect_priya(&c, body, false, "anywhere in the note");
	expect_priya(&c, link, false, "a link");
	expect_priya(&c, value, false, "a participants value");
	expect_priya(&c, with, false, "a With name");
	expect_priya(&c, owner, true, "an owner: \"[[link]]\" value");
	expect(&c, heading,
	       "People/Ragnar Eiriksson.md:43:65-43:98\n"
	       "Projects/Project Lighthouse.md:12:0-12:13\n", "a heading");
	expect(&c, heading_nodecl, "People/Ragnar Eiriksson.md:43:65-43:98\n", "a heading, no declaration");
	expect(&c, heading_link,
	       "People/Ragnar Eiriksson.md:43:65-43:98\n"
	       "Projects/Project Lighthouse.md:12:0-12:13\n", "a link to a heading");
	expect(&c, block,
	       "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md:46:2-46:32\n",
	       "a block id");
	expect(&c, dangling,
	       "Contacts/Ragnar Eiriksson.md:47:2-47:20\n"
	       "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md:47:2-47:21\n",
	       "a name no note has (an embed too)");
	expect(&c, prose,
	       MEETING ":15:0-15:74\n"
	       "People/Ragnar Eiriksson.md:40:28-40:80\n", "a prose word");
	INT_EQ(client_error_code(&c, bad), RPC_INVALID_PARAMS);
	client_fini(&c);
}

static void test_highlight(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, RAGNAR);
	client_open(&c, LIGHTHOUSE);
	int link = at(&c, "textDocument/documentHighlight", RAGNAR, 34, 30, -1);
	int heading = at(&c, "textDocument/documentHighlight", LIGHTHOUSE, 12, 4, -1);
	client_run(&c, true);
	const json_t *hs = client_result(&c, link);
	INT_EQ(json_array_size(hs), 3);
	int lines[] = { 28, 30, 34 };
	for (size_t i = 0; i < 3; i++) {
		int l1, c1, l2, c2;
		range_of(json_object_get(json_array_get(hs, i), "range"), &l1, &c1, &l2, &c2);
		INT_EQ(l1, lines[i]);
		INT_EQ(json_integer_value(json_object_get(json_array_get(hs, i), "kind")), 2);
	}
	/* A heading nobody in its own note links to: itself only, as Text. */
	hs = client_result(&c, heading);
	INT_EQ(json_array_size(hs), 1);
	INT_EQ(json_integer_value(json_object_get(json_array_get(hs, 0), "kind")), 1);
	client_fini(&c);
}

/* The title of the resolved lens for heading h (-1: the note). */
static const char *lens_title(const struct client *c, int id)
{
	return json_string_value(json_object_get(json_object_get(client_result(c, id), "command"),
						 "title"));
}

static int resolve(struct client *c, const json_t *lens)
{
	return client_request(c, "codeLens/resolve", json_deep_copy(lens));
}

static void test_code_lens(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, LIGHTHOUSE);
	int lenses = at(&c, "textDocument/codeLens", LIGHTHOUSE, 0, 0, -1);
	client_run(&c, true);
	/* The note's first line, and the one heading with a link. */
	const json_t *ls = client_result(&c, lenses);
	INT_EQ(json_array_size(ls), 2);
	OK(!json_object_get(json_array_get(ls, 0), "command"));
	int l1, c1, l2, c2;
	range_of(json_object_get(json_array_get(ls, 1), "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 12);

	/* Resolved in a second session (the lens carries what it needs). */
	struct client r;
	client_init(&r);
	client_start(&r, NULL, NULL);
	client_open(&r, LIGHTHOUSE);
	int note = resolve(&r, json_array_get(ls, 0));
	int head = resolve(&r, json_array_get(ls, 1));
	int bad = client_request(&r, "codeLens/resolve", json_pack("{s:i}", "data", 3));
	client_run(&r, true);
	STR_EQ(lens_title(&r, note), "5 references · 2 unlinked mentions");
	STR_EQ(lens_title(&r, head), "1 reference");
	const json_t *cmd = json_object_get(client_result(&r, head), "command");
	STR_EQ(json_string_value(json_object_get(cmd, "command")), "vault-lsp.showReferences");
	const json_t *args = json_object_get(cmd, "arguments");
	INT_EQ(json_array_size(args), 2);
	char *uri = client_uri(LIGHTHOUSE);
	STR_EQ(json_string_value(json_array_get(args, 0)), uri);
	free(uri);
	INT_EQ(json_integer_value(json_object_get(json_array_get(args, 1), "line")), 12);
	INT_EQ(client_error_code(&r, bad), RPC_INVALID_PARAMS);
	client_fini(&r);
	client_fini(&c);
}

/* An edit in an open buffer counts at once: a With line naming Priya
 * added, a link to her removed. */
static void test_kept_current(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, PRIYA);
	client_open(&c, "Customers/Northwind.md");
	char *uri = client_uri("Customers/Northwind.md");
	client_notify(&c, "textDocument/didChange",
		      json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument", "uri", uri, "version", 2,
				"contentChanges", "text", "# Northwind\n\n**With**: Priya Natarajan\n"));
	free(uri);
	int after = at(&c, "textDocument/references", PRIYA, 0, 0, 0);
	client_run(&c, true);
	char *got = listing(client_result(&c, after));
	OK(strstr(got, "Customers/Northwind.md:2:10-2:25\n") != NULL);
	OK(strstr(got, "Customers/Northwind.md:12:") == NULL);
	free(got);
	client_fini(&c);
}

int main(void)
{
	test_references();
	test_highlight();
	test_code_lens();
	test_kept_current();
	return harness_done("test_references");
}
