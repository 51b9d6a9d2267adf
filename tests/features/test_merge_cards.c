/*
 * test_merge_cards.c — the quick fix of duplicate-card on
 * tests/identity/vault: People/Ragnhild Solberg.md and Contacts/Ragnhild
 * Solberg.md are one person. Merging Contacts into People is applied to
 * the People card here, as the editor would, and compared byte for byte
 * with tests/identity/merged.expected; the Contacts card is deleted after
 * a confirmation, links to it are pointed at People, and a client that
 * cannot delete files is told to do it.
 */
#include "lsp_client.h"

#define KEEP "People/Ragnhild Solberg.md"
#define DROP "Contacts/Ragnhild Solberg.md"
#define TITLE "Merge Contacts/Ragnhild Solberg.md into People/Ragnhild Solberg.md"

static char *read_file(const char *path)
{
	struct strbuf t;
	strbuf_init(&t);
	FILE *f = fopen(path, "rb");
	if (f) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_put(&t, buf, n);
		fclose(f);
	} else {
		fprintf(stderr, "cannot open %s\n", path);
	}
	return strbuf_detach(&t);
}

static char *read_fixture(const char *rel)
{
	struct strbuf p;
	strbuf_init(&p);
	strbuf_printf(&p, "%s/identity/%s", VAULT_TEST_DIR, rel);
	char *text = read_file(p.ptr);
	strbuf_fini(&p);
	return text;
}

/* Quick fixes at line 2, character 6 of KEEP: its name: value, where the
 * duplicate-card diagnostic is. */
static int merge_actions(struct client *c)
{
	char *uri = client_uri(KEEP);
	int id = client_request(c, "textDocument/codeAction",
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[]}}", "textDocument", "uri",
			  uri, "range", "start", "line", 2, "character", 6, "end", "line", 2,
			  "character", 6, "context", "diagnostics"));
	free(uri);
	return id;
}

static void open_text(struct client *c, const char *rel, const char *text)
{
	char *uri = client_uri(rel);
	client_notify(c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri,
				"languageId", "markdown", "version", 3, "text", text));
	free(uri);
}

static json_t *full_caps(void)
{
	return json_pack("{s:{s:{s:b, s:[s, s], s:{}}}}", "workspace", "workspaceEdit",
			 "documentChanges", 1, "resourceOperations", "create", "delete",
			 "changeAnnotationSupport");
}

#define LINKS "Meetings/Merge links.md"

static void test_merge(void)
{
	client_vault = "identity/vault";
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	client_open(&c, KEEP);
	client_open(&c, "People/Søren Kjær.md");
	/* Links to the card that goes, as a note might hold them. */
	open_text(&c, LINKS,
		  "# Links\n\n"
		  "- [[Contacts/Ragnhild Solberg]] called.\n"
		  "- See [[Contacts/Ragnhild Solberg#Key Facts|her facts]].\n"
		  "- ![[Contacts/Ragnhild Solberg]]\n"
		  "- [[Ragnhild Solberg]] opens People/ already.\n");
	int id = merge_actions(&c);
	client_run(&c, true);

	const json_t *a = client_action_titled(&c, id, TITLE);
	OK(a != NULL);
	if (!a) {
		client_fini(&c);
		return;
	}
	STR_EQ(json_string_value(json_object_get(a, "kind")), "quickfix");
	STR_EQ(json_string_value(json_object_get(json_array_get(json_object_get(a, "diagnostics"), 0),
						 "code")), "duplicate-card");
	const json_t *wedit = json_object_get(a, "edit");

	/* The kept card, merged: byte for byte, at the version it was opened. */
	char *keep_uri = client_uri(KEEP);
	char *text = read_fixture("vault/" KEEP);
	char *want = read_fixture("merged.expected");
	char *got = client_apply(wedit, keep_uri, text);
	STR_EQ(got, want);
	INT_EQ(json_integer_value(json_object_get(json_object_get(client_change_of(wedit, keep_uri),
								      "textDocument"), "version")), 1);
	free(got);
	free(want);
	free(text);

	/* The links to the Contacts card name People's; the display text and
	 * the heading stay; the ambiguous [[Ragnhild Solberg]] already opens
	 * People/ and, once Contacts/ is gone, names it alone: left as is. */
	char *links_uri = client_uri(LINKS);
	OK(client_change_of(wedit, links_uri) != NULL);
	INT_EQ(json_integer_value(json_object_get(json_object_get(client_change_of(wedit, links_uri),
								      "textDocument"), "version")), 3);
	got = client_apply(wedit, links_uri,
		    "# Links\n\n"
		    "- [[Contacts/Ragnhild Solberg]] called.\n"
		    "- See [[Contacts/Ragnhild Solberg#Key Facts|her facts]].\n"
		    "- ![[Contacts/Ragnhild Solberg]]\n"
		    "- [[Ragnhild Solberg]] opens People/ already.\n");
	STR_EQ(got, "# Links\n\n"
		    "- [[People/Ragnhild Solberg]] called.\n"
		    "- See [[People/Ragnhild Solberg#Key Facts|her facts]].\n"
		    "- ![[People/Ragnhild Solberg]]\n"
		    "- [[Ragnhild Solberg]] opens People/ already.\n");
	free(got);
	free(links_uri);
	char *soren = client_uri("People/Søren Kjær.md");
	OK(client_change_of(wedit, soren) == NULL);
	free(soren);

	/* The Contacts card is deleted, last, after the user says yes. */
	const json_t *dc = json_object_get(wedit, "documentChanges");
	const json_t *del = json_array_get(dc, json_array_size(dc) - 1);
	STR_EQ(json_string_value(json_object_get(del, "kind")), "delete");
	char *drop_uri = client_uri(DROP);
	STR_EQ(json_string_value(json_object_get(del, "uri")), drop_uri);
	free(drop_uri);
	int deletes = 0;
	size_t i;
	json_t *op;
	json_array_foreach(dc, i, op)
		deletes += json_object_get(op, "kind") != NULL;
	INT_EQ(deletes, 1);
	const char *ann = json_string_value(json_object_get(del, "annotationId"));
	OK(ann != NULL);
	const json_t *note = ann ? json_object_get(json_object_get(wedit, "changeAnnotations"), ann) : NULL;
	STR_EQ(json_string_value(json_object_get(note, "label")), "Delete " DROP);
	OK(json_is_true(json_object_get(note, "needsConfirmation")));
	free(keep_uri);
	client_fini(&c);
}

/* The other card's names become the kept card's aliases, in one edit:
 * here the Contacts card (as open in the editor) spells her differently
 * and has an alias. */
static void test_names(void)
{
	client_vault = "identity/vault";
	struct client c;
	client_init(&c);
	client_start(&c, full_caps(), NULL);
	client_open(&c, KEEP);
	open_text(&c, DROP,
		  "---\nname: Ragnhild Solberg\nrole: Head of Platform\naliases:\n- R. Solberg\n- Ragnhild M. Solberg\n---\n\n"
		  "# Ragnhild Solberg\n\n## Key Facts\n\n- Ragnhild Solberg prefers written agendas sent a day ahead.\n");
	int id = merge_actions(&c);
	client_run(&c, true);
	const json_t *a = client_action_titled(&c, id, TITLE);
	OK(a != NULL);
	if (a) {
		char *keep_uri = client_uri(KEEP);
		char *text = read_fixture("vault/" KEEP);
		char *got = client_apply(json_object_get(a, "edit"), keep_uri, text);
		OK(strstr(got, "- type/person\naliases: [R. Solberg, Ragnhild M. Solberg]\nrole: Head of Platform\n---\n") != NULL);
		OK(strstr(got, "migration.\n\n- Ragnhild Solberg prefers written agendas sent a day ahead.\n\n## Recent") != NULL);
		free(got);
		free(text);
		free(keep_uri);
	}
	client_fini(&c);
}

/* A client without documentChanges cannot delete a file: the merge is
 * offered without it, and the title says so. */
static void test_no_delete(void)
{
	client_vault = "identity/vault";
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, KEEP);
	int id = merge_actions(&c);
	client_run(&c, true);
	const json_t *a = client_action_titled(&c, id, TITLE " (delete " DROP " yourself)");
	OK(a != NULL);
	OK(client_action_titled(&c, id, TITLE) == NULL);
	if (a) {
		const json_t *wedit = json_object_get(a, "edit");
		OK(json_object_get(wedit, "documentChanges") == NULL);
		OK(json_object_get(wedit, "changeAnnotations") == NULL);
		char *keep_uri = client_uri(KEEP);
		char *text = read_fixture("vault/" KEEP);
		char *want = read_fixture("merged.expected");
		char *got = client_apply(wedit, keep_uri, text);
		STR_EQ(got, want);
		free(got);
		free(want);
		free(text);
		free(keep_uri);
	}
	client_fini(&c);
}

int main(void)
{
	test_merge();
	test_names();
	test_no_delete();
	return harness_done("test_merge_cards");
}
