/*
 * test_rename.c — renames as an editor asks for them, on tests/vault:
 * prepareRename; a note renamed from its title with every kind of
 * reference following (links, a [[link]] value, people values, With
 * names, its own name: and title heading) and the file renamed, versioned
 * for open notes; the same for a client without documentChanges (plain
 * changes and a message); a heading, a block id and an alias renamed with
 * their links; Markdown links; a file and a folder moved in the explorer; and every
 * refusal, with nothing changed.
 */
#include "lsp_client.h"

#define PRIYA "People/Priya Natarajan.md"
#define TOMASZ "People/Tomasz Wierzbicki.md"
#define RAGNAR "People/Ragnar Eiriksson.md"
#define LIGHTHOUSE "Projects/Project Lighthouse.md"
#define MEETING "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md"
#define ARCHIVED "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md"

static json_t *full_caps(void)
{
	return json_pack("{s:{s:{s:b, s:[s, s, s]}}}", "workspace", "workspaceEdit",
			 "documentChanges", 1, "resourceOperations", "create", "rename", "delete");
}

static int rename_at(struct client *c, const char *rel, int line, int ch, const char *name)
{
	char *uri = client_uri(rel);
	json_t *params = json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri, "position",
				   "line", line, "character", ch);
	if (name)
		json_object_set_new(params, "newName", json_string(name));
	free(uri);
	return client_request(c, name ? "textDocument/rename" : "textDocument/prepareRename", params);
}

static char *read_fixture(const char *rel)
{
	struct strbuf p = { 0 }, text = { 0 };
	strbuf_printf(&p, "%s/%s/%s", VAULT_TEST_DIR, client_vault, rel);
	FILE *f = fopen(p.ptr, "rb");
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&text, buf, n);
	if (f)
		fclose(f);
	strbuf_fini(&p);
	if (!text.ptr)
		strbuf_puts(&text, "");
	return strbuf_detach(&text);
}

/* The fixture note after the edit's changes to it. */
static char *after(const json_t *wedit, const char *rel)
{
	char *uri = client_uri(rel);
	char *text = read_fixture(rel);
	char *out = client_apply(wedit, uri, text);
	free(text);
	free(uri);
	return out;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void test_note(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	client_open(&c, PRIYA);
	client_open(&c, RAGNAR);
	int prep_link = rename_at(&c, RAGNAR, 34, 30, NULL);
	int prep_title = rename_at(&c, PRIYA, 9, 4, NULL);
	int id = rename_at(&c, PRIYA, 9, 4, "Priya Natarajan-Berg");
	client_run(&c, true);

	const json_t *p = client_result(&c, prep_link);
	STR_EQ(json_string_value(json_object_get(p, "placeholder")), "Priya Natarajan");
	int l1, c1, l2, c2;
	range_of(json_object_get(p, "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 34);
	INT_EQ(c1, 29); /* the target, inside the brackets */
	INT_EQ(c2, 44);
	p = client_result(&c, prep_title);
	range_of(json_object_get(p, "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 9);
	INT_EQ(c1, 2);

	const json_t *we = client_result(&c, id);
	OK(we != NULL);
	/* The file is renamed last, after the text edits that name it. */
	const json_t *dc = json_object_get(we, "documentChanges");
	const json_t *last = json_array_get(dc, json_array_size(dc) - 1);
	STR_EQ(json_string_value(json_object_get(last, "kind")), "rename");
	char *from = client_uri(PRIYA), *to = client_uri("People/Priya Natarajan-Berg.md");
	STR_EQ(json_string_value(json_object_get(last, "oldUri")), from);
	STR_EQ(json_string_value(json_object_get(last, "newUri")), to);
	/* Open notes carry their version, closed ones null. */
	const json_t *own = client_change_of(we, from);
	INT_EQ(json_integer_value(json_object_get(json_object_get(own, "textDocument"), "version")), 1);
	char *meeting = client_uri(MEETING);
	OK(json_is_null(json_object_get(json_object_get(client_change_of(we, meeting), "textDocument"),
					"version")));
	free(meeting);
	free(from);
	free(to);

	char *t = after(we, PRIYA);
	OK(has_line(t, "name: Priya Natarajan-Berg"));
	OK(has_line(t, "# Priya Natarajan-Berg"));
	OK(has_line(t, "aliases: [Priya, P. Natarajan]"));
	free(t);
	t = after(we, RAGNAR);
	OK(strstr(t, "[[Priya Natarajan-Berg]] and [[Tomasz Wierzbicki]]") != NULL);
	OK(strstr(t, "[[Priya Natarajan]]") == NULL);
	free(t);
	t = after(we, LIGHTHOUSE);
	OK(has_line(t, "owner: \"[[Priya Natarajan-Berg]]\""));
	free(t);
	t = after(we, MEETING);
	OK(has_line(t, "participants: [\"Priya Natarajan-Berg\", \"Ragnar Eiriksson\"]"));
	OK(has_line(t, "**With**: Priya Natarajan-Berg, Ragnar Eiriksson"));
	/* Prose is not a reference: it stays. */
	OK(strstr(t, "- Priya Natarajan stated that") != NULL);
	free(t);
	t = after(we, ARCHIVED);
	OK(has_line(t, "- Priya Natarajan-Berg"));
	OK(has_line(t, "- [[Priya Natarajan-Berg]]"));
	free(t);
	client_fini(&c);
}

/* No documentChanges: plain changes, and the file is the user's to rename. */
static void test_changes_only(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, PRIYA);
	int id = rename_at(&c, PRIYA, 9, 4, "Priya N");
	client_run(&c, true);
	const json_t *we = client_result(&c, id);
	OK(json_object_get(we, "changes") != NULL);
	OK(json_object_get(we, "documentChanges") == NULL);
	const json_t *msg = client_last(&c, "window/showMessage", NULL);
	const char *text = json_string_value(json_object_get(json_object_get(msg, "params"), "message"));
	OK(text && strstr(text, "rename People/Priya Natarajan.md") != NULL);
	char *t = after(we, "Customers/Northwind.md");
	OK(has_line(t, "- [[Priya N]] (former employee)"));
	free(t);
	client_fini(&c);
}

static void test_heading_block_alias(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	client_open(&c, LIGHTHOUSE);
	client_open(&c, TOMASZ);
	client_open(&c, RAGNAR);
	int heading = rename_at(&c, LIGHTHOUSE, 12, 5, "Roadmap");
	int from_link = rename_at(&c, RAGNAR, 43, 90, NULL); /* on "#Milestones" */
	int block = rename_at(&c, LIGHTHOUSE, 14, 47, "goal-one");
	int alias = rename_at(&c, TOMASZ, 6, 6, "Tom W");
	client_run(&c, true);

	const json_t *we = client_result(&c, heading);
	char *t = after(we, LIGHTHOUSE);
	OK(has_line(t, "## Roadmap"));
	free(t);
	t = after(we, RAGNAR);
	OK(strstr(t, "see [[Project Lighthouse#Roadmap]].") != NULL);
	free(t);
	const json_t *p = client_result(&c, from_link);
	STR_EQ(json_string_value(json_object_get(p, "placeholder")), "Milestones");

	we = client_result(&c, block);
	t = after(we, LIGHTHOUSE);
	OK(strstr(t, "^goal-one") != NULL && strstr(t, "^goal-1") == NULL);
	free(t);
	t = after(we, ARCHIVED);
	OK(strstr(t, "[[Project Lighthouse#^goal-one]]") != NULL);
	free(t);

	we = client_result(&c, alias);
	t = after(we, TOMASZ);
	OK(has_line(t, "  - Tom W"));
	free(t);
	t = after(we, ARCHIVED);
	OK(strstr(t, "with [[Tom W]] on Friday") != NULL);
	free(t);
	client_fini(&c);
}

/* Moved in the explorer: a file, then a folder. */
static void test_moves(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	char *from = client_uri(PRIYA), *to = client_uri("Team/Priya.md");
	int file = client_request(&c, "workspace/willRenameFiles",
				  json_pack("{s:[{s:s, s:s}]}", "files", "oldUri", from, "newUri", to));
	free(from);
	free(to);
	from = client_uri("Projects");
	to = client_uri("Work/Projects");
	int folder = client_request(&c, "workspace/willRenameFiles",
				    json_pack("{s:[{s:s, s:s}]}", "files", "oldUri", from, "newUri", to));
	free(from);
	free(to);
	int bad = client_request(&c, "workspace/willRenameFiles", json_object());
	client_run(&c, true);
	const json_t *we = client_result(&c, file);
	char *t = after(we, "Customers/Northwind.md");
	OK(has_line(t, "- [[Priya]] (former employee)"));
	free(t);
	t = after(we, LIGHTHOUSE);
	OK(has_line(t, "owner: \"[[Priya]]\""));
	free(t);
	/* The client renames the file itself: no RenameFile in the answer. */
	size_t i;
	json_t *dc;
	json_array_foreach(json_object_get(we, "documentChanges"), i, dc)
		OK(json_object_get(dc, "kind") == NULL);
	/* Stems do not change when a folder moves: links by name stay. */
	OK(json_is_null(client_result(&c, folder)) ||
	   json_array_size(json_object_get(client_result(&c, folder), "documentChanges")) == 0);
	INT_EQ(client_error_code(&c, bad), RPC_INVALID_PARAMS);
	client_fini(&c);
}

/* Markdown links to a note follow it too, percent-encoded as written; an
 * unsaved note holds them (the index has open buffers). */
#define MDNOTE "Inbox/Markdown links.md"

static void test_markdown_links(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	client_open(&c, PRIYA);
	client_open(&c, LIGHTHOUSE);
	const char *text = "# Links\n\n"
			   "- [Priya](../People/Priya%20Natarajan.md) and [her card](<../People/Priya Natarajan.md>)\n"
			   "- [milestones](/Projects/Project%20Lighthouse.md#Milestones)\n"
			   "- `[not](../People/Priya%20Natarajan.md)` and [web](https://example.com/x.md)\n";
	char *uri = client_uri(MDNOTE);
	client_notify(&c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 1, "text", text));
	char *puri = client_uri(PRIYA);
	int refs = client_request(&c, "textDocument/references", json_pack(
		"{s:{s:s}, s:{s:i, s:i}, s:{s:b}}", "textDocument", "uri", puri, "position", "line", 0,
		"character", 0, "context", "includeDeclaration", 0));
	int id = rename_at(&c, PRIYA, 9, 4, "Priya Natarajan-Berg");
	char *luri = client_uri(LIGHTHOUSE);
	int lh = client_request(&c, "textDocument/references", json_pack(
		"{s:{s:s}, s:{s:i, s:i}, s:{s:b}}", "textDocument", "uri", luri, "position", "line", 12,
		"character", 4, "context", "includeDeclaration", 0));
	int def = client_request(&c, "textDocument/definition", json_pack(
		"{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri, "position", "line", 2, "character", 20));
	int from_md = client_request(&c, "textDocument/references", json_pack(
		"{s:{s:s}, s:{s:i, s:i}, s:{s:b}}", "textDocument", "uri", uri, "position", "line", 2,
		"character", 20, "context", "includeDeclaration", 0));
	int heading = rename_at(&c, LIGHTHOUSE, 12, 5, "Road map");
	char *from = client_uri("People"), *to = client_uri("Team/People");
	int moved = client_request(&c, "workspace/willRenameFiles",
				   json_pack("{s:[{s:s, s:s}]}", "files", "oldUri", from, "newUri", to));
	free(from);
	free(to);
	client_run(&c, true);
	/* Two links to her in the note, the one in code not. */
	size_t i, in_note = 0;
	json_t *loc;
	json_array_foreach(client_result(&c, refs), i, loc)
		in_note += strcmp(json_string_value(json_object_get(loc, "uri")), uri) == 0;
	INT_EQ(in_note, 2);
	/* The heading, through "#Milestones" after the path. */
	in_note = 0;
	json_array_foreach(client_result(&c, lh), i, loc)
		in_note += strcmp(json_string_value(json_object_get(loc, "uri")), uri) == 0;
	INT_EQ(in_note, 1);
	/* Definition and references from a Markdown link: her card. */
	STR_EQ(json_string_value(json_object_get(json_array_get(client_result(&c, def), 0), "uri")), puri);
	OK(json_array_size(client_result(&c, from_md)) == json_array_size(client_result(&c, refs)));
	char *t = client_apply(client_result(&c, id), uri, text);
	OK(strstr(t, "[Priya](../People/Priya%20Natarajan-Berg.md)") != NULL);
	OK(strstr(t, "[her card](<../People/Priya Natarajan-Berg.md>)") != NULL);
	OK(strstr(t, "`[not](../People/Priya%20Natarajan.md)`") != NULL);
	free(t);
	/* A heading renamed: the subpath after the path, encoded as the path is. */
	t = client_apply(client_result(&c, heading), uri, text);
	OK(strstr(t, "[milestones](/Projects/Project%20Lighthouse.md#Road%20map)") != NULL);
	free(t);
	/* A folder moved: the relative paths go to its new place. */
	t = client_apply(client_result(&c, moved), uri, text);
	OK(strstr(t, "[Priya](../Team/People/Priya%20Natarajan.md)") != NULL);
	OK(strstr(t, "[her card](<../Team/People/Priya Natarajan.md>)") != NULL);
	free(t);
	free(uri);
	free(puri);
	free(luri);
	client_fini(&c);
}

static void test_refusals(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	client_open(&c, PRIYA);
	client_open(&c, LIGHTHOUSE);
	const char *names[] = { "", "  ", "Folder/Priya", "Priya#1", "Priya|x", "Priya Natarajan",
				"Marek Nowak", "bad\x01name" };
	int ids[8];
	for (int i = 0; i < 8; i++)
		ids[i] = rename_at(&c, PRIYA, 9, 4, names[i]);
	int heading_same = rename_at(&c, LIGHTHOUSE, 12, 5, "Key Facts");
	int heading_bad = rename_at(&c, LIGHTHOUSE, 12, 5, "A # B");
	int block_bad = rename_at(&c, LIGHTHOUSE, 14, 47, "no spaces");
	int no_name = client_request(&c, "textDocument/rename", json_pack("{s:{s:s}, s:{s:i, s:i}}",
		"textDocument", "uri", "file:///nowhere.md", "position", "line", 0, "character", 0));
	client_run(&c, true);
	for (int i = 0; i < 8; i++) {
		if (client_error_code(&c, ids[i]) != RPC_REQUEST_FAILED)
			fprintf(stderr, "renaming to '%s' was not refused\n", names[i]);
		INT_EQ(client_error_code(&c, ids[i]), RPC_REQUEST_FAILED);
	}
	const json_t *e = json_object_get(client_response(&c, ids[6]), "error");
	STR_EQ(json_string_value(json_object_get(e, "message")), "'People/Marek Nowak.md' already exists");
	INT_EQ(client_error_code(&c, heading_same), RPC_REQUEST_FAILED);
	INT_EQ(client_error_code(&c, heading_bad), RPC_REQUEST_FAILED);
	INT_EQ(client_error_code(&c, block_bad), RPC_REQUEST_FAILED);
	INT_EQ(client_error_code(&c, no_name), RPC_INVALID_PARAMS);
	client_fini(&c);
}

int main(void)
{
	test_note();
	test_changes_only();
	test_heading_block_alias();
	test_moves();
	test_markdown_links();
	test_refusals();
	return harness_done("test_rename");
}
