/*
 * test_code_action.c — quick fixes: each is applied to the note's text here,
 * as the editor would, and the result compared with the text expected.
 */
#include "lsp_client.h"

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

static int action_at(struct client *c, const char *rel, int line, int ch)
{
	char *uri = client_uri(rel);
	int id = client_request(c, "textDocument/codeAction",
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[]}}", "textDocument", "uri", uri,
			  "range", "start", "line", line, "character", ch, "end", "line", line,
			  "character", ch, "context", "diagnostics"));
	free(uri);
	return id;
}

/* Checks that applying the action titled `title` to rel's text gives the
 * fixture's text with `from` replaced by `to`. */
static void expect_edit(const struct client *c, int id, const char *title, const char *rel,
			const char *from, const char *to)
{
	const json_t *a = client_action_titled(c, id, title);
	OK(a != NULL);
	if (!a)
		return;
	char *uri = client_uri(rel);
	char *text = read_fixture(rel);
	char *got = client_apply(json_object_get(a, "edit"), uri, text);
	struct strbuf want;
	strbuf_init(&want);
	char *at = strstr(text, from);
	OK(at != NULL);
	if (at) {
		strbuf_put(&want, text, (size_t)(at - text));
		strbuf_puts(&want, to);
		strbuf_puts(&want, at + strlen(from));
	}
	STR_EQ(got, want.ptr);
	strbuf_fini(&want);
	free(got);
	free(text);
	free(uri);
}

static json_t *caps(void)
{
	return json_pack("{s:{s:{s:b, s:[s]}}}", "workspace", "workspaceEdit", "documentChanges", 1,
			 "resourceOperations", "create");
}

static void test_fact_fixes(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps(), NULL);
	client_open(&c, "People/Priya Natarajan.md");
	client_open(&c, "People/Ragnar Eiriksson.md");
	int dup = action_at(&c, "People/Priya Natarajan.md", 15, 10);
	int near = action_at(&c, "People/Ragnar Eiriksson.md", 22, 10);
	int sub = action_at(&c, "People/Ragnar Eiriksson.md", 24, 10);
	int none = action_at(&c, "People/Ragnar Eiriksson.md", 20, 10);
	client_run(&c, true);

	expect_edit(&c, dup, "Remove the duplicate fact", "People/Priya Natarajan.md",
		    "- Priya Natarajan joined Halden Storage from [[Northwind]] in October 2025.\n", "");
	const json_t *a = client_action_titled(&c, dup, "Remove the duplicate fact");
	OK(a && json_is_true(json_object_get(a, "isPreferred")));
	/* The edit names the version it was made for. */
	json_t *dc = json_array_get(json_object_get(json_object_get(a, "edit"), "documentChanges"), 0);
	INT_EQ(json_integer_value(json_object_get(json_object_get(dc, "textDocument"), "version")), 1);
	STR_EQ(json_string_value(json_object_get(json_array_get(json_object_get(a, "diagnostics"), 0), "code")),
	       "duplicate-fact");

	expect_edit(&c, near, "Remove this near-duplicate fact", "People/Ragnar Eiriksson.md",
		    "- Ragnar Eiriksson is the VP of Cloud for Halden Storage and previously ran cloud storage at Brightwave, where he helped build Brightwave Files.\n", "");
	expect_edit(&c, near, "Keep this fact and remove the one on line 21", "People/Ragnar Eiriksson.md",
		    "- Ragnar Eiriksson is the VP of Cloud at Halden Storage and previously ran cloud storage at Brightwave, where he helped build Brightwave Files.\n", "");
	expect_edit(&c, sub, "Remove this fact: the longer one says it", "People/Ragnar Eiriksson.md",
		    "\n- Ragnar Eiriksson is the VP of Cloud at Halden Storage.\n\n- Ragnar Eiriksson is VP", "\n\n- Ragnar Eiriksson is VP");
	INT_EQ(json_array_size(client_result(&c, none)), 0);
	client_fini(&c);
}

static void test_link_fixes(void)
{
	const char *inbox = "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md";
	struct client c;
	client_init(&c);
	client_start(&c, caps(), NULL);
	client_open(&c, inbox);
	int mareck = action_at(&c, inbox, 44, 5);
	int ragnar = action_at(&c, inbox, 41, 5);
	int halden = action_at(&c, inbox, 47, 6);
	client_run(&c, true);

	expect_edit(&c, mareck, "Change to [[Marek Nowak]]", inbox, "[[Mareck Nowak]]", "[[Marek Nowak]]");
	/* Marek's card has frontmatter but no aliases: a line before "---". */
	expect_edit(&c, mareck, "Add 'Mareck Nowak' as an alias of Marek Nowak", "People/Marek Nowak.md",
		    "  - type/person\n---\n", "  - type/person\naliases: [Mareck Nowak]\n---\n");
	/* An ambiguous link can be made to name one note. */
	expect_edit(&c, ragnar, "Link to Contacts/Ragnar Eiriksson.md", inbox,
		    "- [[Ragnar Eiriksson]]\n", "- [[Contacts/Ragnar Eiriksson]]\n");

	/* Creating a missing note: a CreateFile inside the vault, then its
	 * heading; in the linking note's folder here. */
	const json_t *create = client_action_titled(&c, halden, "Create note 'Halden Storage.md' in Inbox/_archive/2026-01-04");
	OK(create != NULL);
	if (create) {
		json_t *dc = json_object_get(json_object_get(create, "edit"), "documentChanges");
		json_t *op = json_array_get(dc, 0);
		STR_EQ(json_string_value(json_object_get(op, "kind")), "create");
		char *want = client_uri("Inbox/_archive/2026-01-04/Halden Storage.md");
		STR_EQ(json_string_value(json_object_get(op, "uri")), want);
		free(want);
		OK(json_is_true(json_object_get(json_object_get(op, "options"), "ignoreIfExists")));
		STR_EQ(json_string_value(json_object_get(json_array_get(json_object_get(json_array_get(dc, 1), "edits"), 0),
							 "newText")), "# Halden Storage\n");
	}
	client_fini(&c);
}

static void test_alias_list_styles(void)
{
	/* Misspellings of notes whose aliases are a block list (Tomasz), a
	 * flow list (Priya), absent with no frontmatter at all (Orion has
	 * frontmatter; _Open Topics has none). Under "People" a new note goes
	 * to People/. */
	struct client c;
	client_init(&c);
	client_start(&c, caps(), NULL);
	char *uri = client_uri("Scratch/Typos.md");
	client_notify(&c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 7, "text",
				"## People\n- [[Tomasz Wierzbicky]]\n- [[Priya Natarajann]]\n- [[_Open Topic]]\n- [[Nobody Known]]\n"));
	free(uri);
	int tomasz = action_at(&c, "Scratch/Typos.md", 1, 5);
	int priya = action_at(&c, "Scratch/Typos.md", 2, 5);
	int open = action_at(&c, "Scratch/Typos.md", 3, 5);
	int nobody = action_at(&c, "Scratch/Typos.md", 4, 5);
	client_run(&c, true);

	expect_edit(&c, tomasz, "Add 'Tomasz Wierzbicky' as an alias of Tomasz Wierzbicki",
		    "People/Tomasz Wierzbicki.md", "  - Tomek\n", "  - Tomek\n  - Tomasz Wierzbicky\n");
	expect_edit(&c, priya, "Add 'Priya Natarajann' as an alias of Priya Natarajan",
		    "People/Priya Natarajan.md", "aliases: [Priya, P. Natarajan]",
		    "aliases: [Priya, P. Natarajan, Priya Natarajann]");
	expect_edit(&c, open, "Add '_Open Topic' as an alias of Open Topics", "_Open Topics.md",
		    "# Open Topics", "---\naliases: [_Open Topic]\n---\n# Open Topics");
	OK(client_action_titled(&c, nobody, "Create note 'Nobody Known.md' in People") != NULL);
	/* Without resource operations, no CreateFile is offered. */
	client_fini(&c);

	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md");
	int plain = action_at(&c, "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md", 44, 5);
	client_run(&c, true);
	size_t i;
	json_t *a;
	bool creates = false, changes = false;
	json_array_foreach(client_result(&c, plain), i, a) {
		creates |= strncmp(json_string_value(json_object_get(a, "title")), "Create", 6) == 0;
		changes |= json_object_get(json_object_get(a, "edit"), "changes") != NULL;
	}
	OK(!creates);
	OK(changes);
	client_fini(&c);
}

static void test_cross_note(void)
{
	const char *meeting = "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md";
	char *uri = client_uri(meeting);
	for (int on = 0; on <= 1; on++) {
		struct client c;
		client_init(&c);
		client_start(&c, caps(), on ? json_pack("{s:{s:b}}", "duplicates", "crossNote", 1) : NULL);
		client_open(&c, meeting);
		int fix = action_at(&c, meeting, 30, 10);
		client_run(&c, true);
		json_t *pub = json_object_get(client_last(&c, "textDocument/publishDiagnostics", uri), "params");
		json_t *hint = NULL;
		size_t i;
		json_t *d;
		json_array_foreach(json_object_get(pub, "diagnostics"), i, d)
			if (strcmp(json_string_value(json_object_get(d, "code")), "cross-note-fact") == 0)
				hint = d;
		if (!on) {
			OK(hint == NULL); /* off by default */
		} else {
			OK(hint != NULL);
			if (hint) {
				INT_EQ(json_integer_value(json_object_get(hint, "severity")), 4);
				STR_EQ(json_string_value(json_object_get(hint, "message")),
				       "The same fact is in People/Ragnar Eiriksson.md (line 62)");
				int l1, c1, l2, c2;
				range_of(json_object_get(hint, "range"), &l1, &c1, &l2, &c2);
				INT_EQ(l1, 30);
			}
			expect_edit(&c, fix, "Remove this fact: the other note has it", meeting,
				    "- Ragnar Eiriksson will proceed with scheduled 1:1 meetings now that travel is settled.\n", "");
		}
		client_fini(&c);
	}
	free(uri);
}

static void test_mojibake_fix(void)
{
	const char *meeting = "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md";
	struct client c;
	client_init(&c);
	client_start(&c, caps(), NULL);
	client_open(&c, meeting);
	int at = action_at(&c, meeting, 26, 70);
	client_run(&c, true);
	expect_edit(&c, at, "Replace with '📅'", meeting, "@Myself üìÖ 2026", "@Myself 📅 2026");
	client_fini(&c);
}

/* diagnostics: a code turned up keeps its quick fixes (the action names
 * the diagnostic at its new severity); a code turned off has none, in
 * initializationOptions as in any other source. */
static void test_severity_settings(void)
{
	const char *meeting = "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md";
	const char *priya = "People/Priya Natarajan.md";
	struct client c;
	client_init(&c);
	client_start(&c, caps(), json_pack("{s:{s:s, s:s}}", "diagnostics", "mojibake", "error",
					   "duplicate-fact", "off"));
	client_open(&c, meeting);
	client_open(&c, priya);
	int at = action_at(&c, meeting, 26, 70);
	int dup = action_at(&c, priya, 15, 10);
	client_run(&c, true);
	expect_edit(&c, at, "Replace with '📅'", meeting, "@Myself üìÖ 2026", "@Myself 📅 2026");
	const json_t *a = client_action_titled(&c, at, "Replace with '📅'");
	json_t *d = json_array_get(json_object_get(a, "diagnostics"), 0);
	STR_EQ(json_string_value(json_object_get(d, "code")), "mojibake");
	INT_EQ(json_integer_value(json_object_get(d, "severity")), 1);
	char *uri = client_uri(meeting);
	json_t *pub = json_object_get(client_last(&c, "textDocument/publishDiagnostics", uri), "params");
	int mojibake = 0;
	size_t i;
	json_array_foreach(json_object_get(pub, "diagnostics"), i, d)
		if (strcmp(json_string_value(json_object_get(d, "code")), "mojibake") == 0) {
			mojibake++;
			INT_EQ(json_integer_value(json_object_get(d, "severity")), 1);
		}
	INT_EQ(mojibake, 2);
	free(uri);
	uri = client_uri(priya);
	pub = json_object_get(client_last(&c, "textDocument/publishDiagnostics", uri), "params");
	json_array_foreach(json_object_get(pub, "diagnostics"), i, d)
		OK(strcmp(json_string_value(json_object_get(d, "code")), "duplicate-fact") != 0);
	OK(json_array_size(json_object_get(pub, "diagnostics")) > 0); /* the ambiguous link */
	INT_EQ(json_array_size(client_result(&c, dup)), 0);
	free(uri);
	client_fini(&c);
}

int main(void)
{
	test_severity_settings();
	test_mojibake_fix();
	test_cross_note();
	test_fact_fixes();
	test_link_fixes();
	test_alias_list_styles();
	return harness_done("test_code_action");
}
