/*
 * test_link_mentions.c — unlinked mentions as an editor sees them, on
 * tests/vault: the command vault-lsp.unlinkedMentions, "Link to X" on one
 * mention and "Link all N unlinked mentions of X" (at once, or through
 * codeAction/resolve), each applied to the notes' text as the editor
 * would; then, in a second session on the edited text, the mention is a
 * link to X and no longer unlinked.
 */
#include "lsp_client.h"

#define PRIYA "People/Priya Natarajan.md"
#define INBOX "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md"
#define MEETING "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md"
#define CONTACT "Contacts/Ragnar Eiriksson.md"

static char *read_fixture(const char *rel)
{
	struct strbuf p, t;
	strbuf_init(&p);
	strbuf_init(&t);
	strbuf_printf(&p, "%s/vault/%s", VAULT_TEST_DIR, rel);
	FILE *f = fopen(p.ptr, "rb");
	if (f) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_put(&t, buf, n);
		fclose(f);
	}
	strbuf_fini(&p);
	return strbuf_detach(&t);
}

static void open_text(struct client *c, const char *rel, const char *text)
{
	char *uri = client_uri(rel);
	client_notify(c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri,
				"languageId", "markdown", "version", 2, "text", text));
	free(uri);
}

static int unlinked(struct client *c, const char *rel)
{
	char *uri = client_uri(rel);
	int id = client_request(c, "workspace/executeCommand",
				json_pack("{s:s, s:[s]}", "command", "vault-lsp.unlinkedMentions",
					  "arguments", uri));
	free(uri);
	return id;
}

static int actions_at(struct client *c, const char *rel, int line, int ch)
{
	char *uri = client_uri(rel);
	int id = client_request(c, "textDocument/codeAction",
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[]}}", "textDocument", "uri", uri,
			  "range", "start", "line", line, "character", ch, "end", "line", line,
			  "character", ch, "context", "diagnostics"));
	free(uri);
	return id;
}

/* "rel:line:character-character" of each Location, one a line. */
static char *locations(const json_t *result)
{
	struct strbuf b;
	strbuf_init(&b);
	const char *root = VAULT_TEST_DIR "/vault/";
	size_t i;
	json_t *loc;
	json_array_foreach(result, i, loc) {
		char *path = uri_to_path(json_string_value(json_object_get(loc, "uri")));
		int l1, c1, l2, c2;
		range_of(json_object_get(loc, "range"), &l1, &c1, &l2, &c2);
		OK(path && strncmp(path, root, strlen(root)) == 0);
		OK(l1 == l2);
		strbuf_printf(&b, "%s:%d:%d-%d\n", path ? path + strlen(root) : "?", l1, c1, c2);
		free(path);
	}
	return strbuf_detach(&b);
}

static json_t *caps(bool resolve)
{
	json_t *c = json_pack("{s:{s:{s:b}}}", "workspace", "workspaceEdit", "documentChanges", 1);
	if (resolve)
		json_object_set_new(c, "textDocument", json_pack("{s:{s:{s:[s]}}}", "codeAction",
			"resolveSupport", "properties", "edit"));
	return c;
}

/* rel's text with the edit of a code action applied. */
static char *applied(const json_t *action, const char *rel)
{
	char *uri = client_uri(rel);
	char *text = read_fixture(rel);
	char *got = client_apply(json_object_get(action, "edit"), uri, text);
	free(text);
	free(uri);
	return got;
}

static void test_command(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	int priya = unlinked(&c, PRIYA);
	int lighthouse = unlinked(&c, "Projects/Project Lighthouse.md");
	/* "Ragnar Eiriksson" is two notes' stem: no one's mention. */
	int contact = unlinked(&c, CONTACT);
	char *uri = client_uri(PRIYA);
	int object = client_request(&c, "workspace/executeCommand",
		json_pack("{s:s, s:[{s:s}]}", "command", "vault-lsp.unlinkedMentions", "arguments",
			  "uri", uri));
	free(uri);
	int outside = client_request(&c, "workspace/executeCommand",
		json_pack("{s:s, s:[s]}", "command", "vault-lsp.unlinkedMentions", "arguments",
			  "file:///nowhere/x.md"));
	int no_args = client_request(&c, "workspace/executeCommand",
				     json_pack("{s:s}", "command", "vault-lsp.unlinkedMentions"));
	int unknown = client_request(&c, "workspace/executeCommand",
				     json_pack("{s:s, s:[]}", "command", "vault-lsp.nothing", "arguments"));
	client_run(&c, true);

	json_t *init = client_result(&c, 1);
	json_t *cmds = json_object_get(json_object_get(json_object_get(init, "capabilities"),
						       "executeCommandProvider"), "commands");
	STR_EQ(json_string_value(json_array_get(cmds, 0)), "vault-lsp.unlinkedMentions");
	json_t *cap = json_object_get(json_object_get(init, "capabilities"), "codeActionProvider");
	OK(json_is_true(json_object_get(cap, "resolveProvider")));
	STR_EQ(json_string_value(json_array_get(json_object_get(cap, "codeActionKinds"), 1)),
	       "refactor.rewrite");

	/* Sorted by path, then position; 0-based lines, UTF-16 columns. */
	char *got = locations(client_result(&c, priya));
	STR_EQ(got,
	       CONTACT ":15:69-74\n"
	       INBOX ":18:27-42\n"
	       INBOX ":22:11-16\n"
	       MEETING ":18:10-25\n"
	       MEETING ":34:2-17\n"
	       MEETING ":35:2-17\n");
	free(got);
	got = locations(client_result(&c, lighthouse));
	STR_EQ(got, "Customers/Northwind.md:16:39-49\nPeople/Ragnar Eiriksson.md:44:28-46\n");
	free(got);
	INT_EQ(json_array_size(client_result(&c, contact)), 0);
	INT_EQ(json_array_size(client_result(&c, object)), 6);
	OK(json_is_array(client_result(&c, outside)));
	INT_EQ(json_array_size(client_result(&c, outside)), 0);
	INT_EQ(client_error_code(&c, no_args), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, unknown), RPC_INVALID_PARAMS);
	client_fini(&c);
}

static void test_link_one(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps(false), NULL);
	client_open(&c, INBOX);
	client_open(&c, CONTACT);
	int with = actions_at(&c, INBOX, 18, 30);       /* "Priya Natarajan" on the With line */
	int eriksson = actions_at(&c, INBOX, 18, 14);   /* "Ragnar Eriksson": an alias */
	int alias = actions_at(&c, CONTACT, 15, 70);    /* "Priya": an alias */
	int none = actions_at(&c, INBOX, 18, 2);        /* "**With**" */
	char *uri = client_uri(INBOX);
	int fixes_only = client_request(&c, "textDocument/codeAction",
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[], s:[s]}}", "textDocument",
			  "uri", uri, "range", "start", "line", 18, "character", 30, "end", "line", 18,
			  "character", 30, "context", "diagnostics", "only", "quickfix"));
	int refactors = client_request(&c, "textDocument/codeAction",
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[], s:[s]}}", "textDocument",
			  "uri", uri, "range", "start", "line", 18, "character", 30, "end", "line", 18,
			  "character", 30, "context", "diagnostics", "only", "refactor"));
	free(uri);
	client_run(&c, true);

	const json_t *a = client_action_titled(&c, with, "Link to Priya Natarajan");
	OK(a != NULL);
	if (a) {
		STR_EQ(json_string_value(json_object_get(a, "kind")), "refactor.rewrite");
		char *got = applied(a, INBOX);
		OK(strstr(got, "**With**: Ragnar Eriksson, [[Priya Natarajan]]\n") != NULL);
		free(got);
		/* It names the version it was made for. */
		json_t *dc = json_array_get(json_object_get(json_object_get(a, "edit"), "documentChanges"), 0);
		INT_EQ(json_integer_value(json_object_get(json_object_get(dc, "textDocument"), "version")), 1);
	}
	/* Ragnar's stem is two notes': the link names his card by its path,
	 * the text stays as written. */
	a = client_action_titled(&c, eriksson, "Link to Ragnar Eiriksson");
	OK(a != NULL);
	if (a) {
		char *got = applied(a, INBOX);
		OK(strstr(got, "**With**: [[People/Ragnar Eiriksson|Ragnar Eriksson]], Priya Natarajan\n") != NULL);
		free(got);
	}
	a = client_action_titled(&c, alias, "Link to Priya Natarajan");
	OK(a != NULL);
	if (a) {
		char *got = applied(a, CONTACT);
		OK(strstr(got, "Ragnar and [[Priya Natarajan|Priya]] aligned messaging") != NULL);
		free(got);
	}
	INT_EQ(json_array_size(client_result(&c, none)), 0);
	INT_EQ(json_array_size(client_result(&c, fixes_only)), 0);
	INT_EQ(json_array_size(client_result(&c, refactors)), 1);
	client_fini(&c);

	/* The edited note, opened as the editor has it: the mention is a
	 * link to Priya's card now, and no longer unlinked. */
	char *text = read_fixture(INBOX);
	char *at = strstr(text, "Ragnar Eriksson, Priya Natarajan\n");
	OK(at != NULL);
	struct strbuf edited;
	strbuf_init(&edited);
	if (at) {
		at += strlen("Ragnar Eriksson, ");
		strbuf_put(&edited, text, (size_t)(at - text));
		strbuf_puts(&edited, "[[Priya Natarajan]]");
		strbuf_puts(&edited, at + strlen("Priya Natarajan"));
	}
	client_init(&c);
	client_start(&c, NULL, NULL);
	open_text(&c, INBOX, edited.ptr);
	int after = unlinked(&c, PRIYA);
	uri = client_uri(INBOX);
	int def = client_request(&c, "textDocument/definition",
		json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri, "position", "line", 18,
			  "character", 32));
	free(uri);
	client_run(&c, true);
	char *got = locations(client_result(&c, after));
	OK(strstr(got, INBOX ":18:") == NULL);
	OK(strstr(got, INBOX ":22:11-16") != NULL);
	INT_EQ(json_array_size(client_result(&c, after)), 5);
	free(got);
	char *priya_uri = client_uri(PRIYA);
	STR_EQ(json_string_value(json_object_get(json_array_get(client_result(&c, def), 0), "uri")), priya_uri);
	free(priya_uri);
	client_fini(&c);
	strbuf_fini(&edited);
	free(text);
}

/* "Link all": checks the edit, applies it to every note it touches, and
 * returns how many notes those were. */
static size_t check_link_all(const json_t *edit)
{
	const char *rels[] = { CONTACT, INBOX, MEETING };
	const char *want[] = {
		"Ragnar and [[Priya Natarajan|Priya]] aligned messaging",
		"**With**: Ragnar Eriksson, [[Priya Natarajan]]\n",
		"- [[Priya Natarajan]] stated that Marek Nowak runs a competing project with about 30",
	};
	for (size_t i = 0; i < 3; i++) {
		char *uri = client_uri(rels[i]);
		char *text = read_fixture(rels[i]);
		char *got = client_apply(edit, uri, text);
		OK(strstr(got, want[i]) != NULL);
		free(got);
		free(text);
		free(uri);
	}
	return json_array_size(json_object_get(edit, "documentChanges"));
}

static void test_link_all(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps(false), NULL);
	client_open(&c, PRIYA);
	client_open(&c, MEETING);
	int all = actions_at(&c, PRIYA, 9, 3);    /* its title */
	int body = actions_at(&c, PRIYA, 13, 3);  /* without resolve: on the title only */
	int lead = actions_at(&c, MEETING, 15, 3);
	client_run(&c, true);
	const json_t *a = client_action_titled(&c, all, "Link all 6 unlinked mentions of Priya Natarajan");
	OK(a != NULL);
	if (a) {
		const json_t *edit = json_object_get(a, "edit");
		INT_EQ(check_link_all(edit), 3);
		/* An open note's edit names its version; a closed one's, null. */
		char *uri = client_uri(MEETING);
		const json_t *dc = client_change_of(edit, uri);
		INT_EQ(json_integer_value(json_object_get(json_object_get(dc, "textDocument"), "version")), 1);
		INT_EQ(json_array_size(json_object_get(dc, "edits")), 3);
		free(uri);
		uri = client_uri(CONTACT);
		OK(json_is_null(json_object_get(json_object_get(client_change_of(edit, uri), "textDocument"), "version")));
		free(uri);
	}
	/* A note without unlinked mentions of its own gets no "Link all". */
	size_t i;
	json_t *x;
	json_array_foreach(client_result(&c, lead), i, x)
		OK(strncmp(json_string_value(json_object_get(x, "title")), "Link all", 8) != 0);
	INT_EQ(json_array_size(client_result(&c, body)), 0);
	client_fini(&c);

	/* With resolveSupport, the edit comes when the action is resolved;
	 * the action is offered anywhere in the note. */
	client_init(&c);
	client_start(&c, caps(true), NULL);
	client_open(&c, PRIYA);
	all = actions_at(&c, PRIYA, 13, 3);
	client_run(&c, false);
	a = client_action_titled(&c, all, "Link all 6 unlinked mentions of Priya Natarajan");
	OK(a != NULL);
	json_t *unresolved = a ? json_deep_copy(a) : json_object();
	OK(json_object_get(unresolved, "edit") == NULL);
	OK(json_object_get(unresolved, "data") != NULL);
	client_fini(&c);

	client_init(&c);
	client_start(&c, caps(true), NULL);
	client_open(&c, PRIYA);
	int resolved = client_request(&c, "codeAction/resolve", unresolved);
	int other = client_request(&c, "codeAction/resolve", json_pack("{s:s}", "title", "Something else"));
	client_run(&c, true);
	const json_t *r = client_result(&c, resolved);
	STR_EQ(json_string_value(json_object_get(r, "title")), "Link all 6 unlinked mentions of Priya Natarajan");
	INT_EQ(check_link_all(json_object_get(r, "edit")), 3);
	STR_EQ(json_string_value(json_object_get(client_result(&c, other), "title")), "Something else");
	OK(json_object_get(client_result(&c, other), "edit") == NULL);
	client_fini(&c);

	/* Every mention linked (the three notes as the edit leaves them):
	 * none is left, and the count says so. */
	client_init(&c);
	client_start(&c, caps(false), NULL);
	const char *rels[] = { CONTACT, INBOX, MEETING };
	/* The edit, made again on a fresh session to apply it. */
	client_open(&c, PRIYA);
	int again = actions_at(&c, PRIYA, 9, 3);
	client_run(&c, true);
	const json_t *b = client_action_titled(&c, again, "Link all 6 unlinked mentions of Priya Natarajan");
	char *texts[3] = { 0 };
	for (size_t k = 0; k < 3 && b; k++) {
		char *uri = client_uri(rels[k]);
		char *text = read_fixture(rels[k]);
		texts[k] = client_apply(json_object_get(b, "edit"), uri, text);
		free(text);
		free(uri);
	}
	client_fini(&c);
	client_init(&c);
	client_start(&c, caps(false), NULL);
	for (size_t k = 0; k < 3; k++)
		if (texts[k])
			open_text(&c, rels[k], texts[k]);
	client_open(&c, PRIYA);
	int left = unlinked(&c, PRIYA);
	int no_more = actions_at(&c, PRIYA, 9, 3);
	client_run(&c, true);
	INT_EQ(json_array_size(client_result(&c, left)), 0);
	json_array_foreach(client_result(&c, no_more), i, x)
		OK(strncmp(json_string_value(json_object_get(x, "title")), "Link all", 8) != 0);
	client_fini(&c);
	for (size_t k = 0; k < 3; k++)
		free(texts[k]);
}

int main(void)
{
	test_command();
	test_link_one();
	test_link_all();
	return harness_done("test_link_mentions");
}
