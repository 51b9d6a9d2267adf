/*
 * test_features.c — completion, hover, definition and document links, as
 * an editor sees them, on the fixture vault.
 */
#include "lsp_client.h"

#define SCRATCH "Scratch/Typing.md"

/* One session: initialize with caps, open a scratch note holding text,
 * then the caller adds requests; run with client_run. */
static void start(struct client *c, json_t *caps, const char *text)
{
	client_init(c);
	client_start(c, caps, NULL);
	char *uri = client_uri(SCRATCH);
	client_notify(c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 1, "text", text));
	free(uri);
}

static int at(struct client *c, const char *method, const char *rel, int line, int ch)
{
	char *uri = client_uri(rel);
	int id = client_request(c, method, json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri",
						     uri, "position", "line", line, "character", ch));
	free(uri);
	return id;
}

static json_t *items_of(const struct client *c, int id)
{
	return json_object_get(client_result(c, id), "items");
}

static json_t *item_labelled(const struct client *c, int id, const char *label)
{
	size_t i;
	json_t *it;
	json_array_foreach(items_of(c, id), i, it)
		if (strcmp(json_string_value(json_object_get(it, "label")), label) == 0)
			return it;
	return NULL;
}

static const char *new_text(const json_t *item)
{
	return json_string_value(json_object_get(json_object_get(item, "textEdit"), "newText"));
}

static void edit_range(const json_t *item, int *l1, int *c1, int *l2, int *c2)
{
	range_of(json_object_get(json_object_get(item, "textEdit"), "range"), l1, c1, l2, c2);
}

static const char *hover_text(const struct client *c, int id)
{
	return json_string_value(json_object_get(json_object_get(client_result(c, id), "contents"), "value"));
}

static void test_note_and_alias_completion(void)
{
	struct client c;
	/* line 0: typing "[[Rag" with an editor-closed "]]" after the cursor;
	 * line 1: "[[tomas" (an alias spelling); line 2: "[[zoe" (accents);
	 * line 3: "[[" alone. */
	start(&c, NULL, "[[Rag]]\n[[tomas\nsee ![[zoe\n[[\n");
	int rag = at(&c, "textDocument/completion", SCRATCH, 0, 5);
	int tomas = at(&c, "textDocument/completion", SCRATCH, 1, 7);
	int zoe = at(&c, "textDocument/completion", SCRATCH, 2, 10);
	int empty = at(&c, "textDocument/completion", SCRATCH, 3, 2);
	client_run(&c, true);

	/* Ragnar has two notes (People/, Contacts/): each inserts the
	 * shortest path that names only it, replacing "Rag" and leaving the
	 * editor's "]]" be (replacing it too left Helix's cursor before the
	 * name). */
	json_t *first = json_array_get(items_of(&c, rag), 0);
	STR_EQ(json_string_value(json_object_get(first, "label")), "Ragnar Eiriksson");
	int l1, c1, l2, c2;
	edit_range(first, &l1, &c1, &l2, &c2);
	INT_EQ(l1, 0);
	INT_EQ(c1, 2);
	INT_EQ(c2, 5); /* up to the cursor: the "]]" the editor inserted stays */
	bool people = false, contacts = false;
	size_t i;
	json_t *it;
	json_array_foreach(items_of(&c, rag), i, it) {
		const char *t = new_text(it);
		people |= strcmp(t, "People/Ragnar Eiriksson") == 0;
		contacts |= strcmp(t, "Contacts/Ragnar Eiriksson") == 0;
	}
	OK(people);
	OK(contacts);
	/* The aliases of Ragnar are items of their own, inserting the
	 * canonical target with the alias as display text. */
	json_t *alias = item_labelled(&c, rag, "Ragnar Eriksson");
	OK(alias != NULL);
	if (alias) {
		STR_EQ(new_text(alias), "People/Ragnar Eiriksson|Ragnar Eriksson");
		OK(strstr(json_string_value(json_object_get(alias, "detail")), "alias of Ragnar Eiriksson") != NULL);
		INT_EQ(json_integer_value(json_object_get(alias, "kind")), 18);
	}
	/* Documentation inline (the client did not offer resolve). */
	OK(strstr(json_string_value(json_object_get(json_object_get(first, "documentation"), "value")),
		  "VP of Cloud") != NULL || strstr(json_string_value(json_object_get(json_object_get(first,
		  "documentation"), "value")), "CEO") != NULL);

	json_t *t = item_labelled(&c, tomas, "Tomas Wierzbicki");
	OK(t != NULL);
	if (t)
		STR_EQ(new_text(t), "Tomasz Wierzbicki|Tomas Wierzbicki]]");
	/* The note itself also matches "tomas", ranked after the exact alias
	 * prefix... both are there. */
	OK(item_labelled(&c, tomas, "Tomasz Wierzbicki") != NULL);

	json_t *z = json_array_get(items_of(&c, zoe), 0);
	OK(z != NULL);
	if (z) {
		OK(strstr(json_string_value(json_object_get(z, "label")), "Zo") != NULL);
		edit_range(z, &l1, &c1, &l2, &c2);
		INT_EQ(c1, 7);
		INT_EQ(c2, 10);
	}

	/* "[[" alone: every note, people first. */
	json_t *e = items_of(&c, empty);
	OK(json_array_size(e) > 14);
	OK(strstr(json_string_value(json_object_get(json_array_get(e, 0), "detail")), "person") != NULL);
	client_fini(&c);
}

static void test_heading_block_display_completion(void)
{
	struct client c;
	start(&c, NULL, "# Local\n[[Project Lighthouse#Mile\n[[Project Lighthouse#^\n"
			"[[#Lo\n[[Tomasz Wierzbicki|To\n[[Lighthouse#\n");
	int heading = at(&c, "textDocument/completion", SCRATCH, 1, 25);
	int block = at(&c, "textDocument/completion", SCRATCH, 2, 22);
	int local = at(&c, "textDocument/completion", SCRATCH, 3, 5);
	int display = at(&c, "textDocument/completion", SCRATCH, 4, 22);
	int via_alias = at(&c, "textDocument/completion", SCRATCH, 5, 13);
	client_run(&c, true);

	json_t *h = json_array_get(items_of(&c, heading), 0);
	STR_EQ(json_string_value(json_object_get(h, "label")), "Milestones");
	STR_EQ(new_text(h), "Milestones]]");
	int l1, c1, l2, c2;
	edit_range(h, &l1, &c1, &l2, &c2);
	INT_EQ(c1, 21);
	INT_EQ(c2, 25);

	json_t *b = json_array_get(items_of(&c, block), 0);
	STR_EQ(json_string_value(json_object_get(b, "label")), "goal-1");
	STR_EQ(new_text(b), "goal-1]]");
	OK(strstr(json_string_value(json_object_get(b, "detail")), "Design review") != NULL);

	STR_EQ(json_string_value(json_object_get(json_array_get(items_of(&c, local), 0), "label")), "Local");
	OK(item_labelled(&c, display, "Tomek") != NULL);
	OK(item_labelled(&c, display, "Tomas Wierzbicki") != NULL);
	OK(item_labelled(&c, display, "Tomasz Wierzbicki") != NULL);
	/* Headings of a note reached through its alias. */
	OK(item_labelled(&c, via_alias, "Milestones") != NULL);
	OK(item_labelled(&c, via_alias, "Key Facts") != NULL);
	client_fini(&c);
}

static void test_frontmatter_and_code(void)
{
	struct client c;
	start(&c, NULL, "---\nparticipants: [Priya Natarajan, Rag]\nattendees:\n  - Zo\ncompany: Hal\n---\n"
			"Text `[[Rag` and\n```\n[[Rag\n```\n");
	int flow = at(&c, "textDocument/completion", SCRATCH, 1, 35);
	int block = at(&c, "textDocument/completion", SCRATCH, 3, 6);
	int other = at(&c, "textDocument/completion", SCRATCH, 4, 12);
	int span = at(&c, "textDocument/completion", SCRATCH, 6, 11);
	int fence = at(&c, "textDocument/completion", SCRATCH, 8, 5);
	client_run(&c, true);

	json_t *r = json_array_get(items_of(&c, flow), 0);
	STR_EQ(json_string_value(json_object_get(r, "label")), "Ragnar Eiriksson");
	STR_EQ(new_text(r), "Ragnar Eiriksson"); /* no brackets in frontmatter */
	int l1, c1, l2, c2;
	edit_range(r, &l1, &c1, &l2, &c2);
	INT_EQ(c1, 32);
	INT_EQ(c2, 35);
	/* Only people: no project or customer among them. */
	size_t i;
	json_t *it;
	json_array_foreach(items_of(&c, flow), i, it)
		OK(strstr(json_string_value(json_object_get(it, "detail")), "person") != NULL);
	json_t *z = json_array_get(items_of(&c, block), 0);
	OK(z && strstr(json_string_value(json_object_get(z, "label")), "Zo") != NULL);
	INT_EQ(json_array_size(items_of(&c, other)), 0);
	INT_EQ(json_array_size(items_of(&c, span)), 0);
	INT_EQ(json_array_size(items_of(&c, fence)), 0);
	client_fini(&c);
}

static void test_hover(void)
{
	struct client c;
	start(&c, NULL, "---\nparticipants: [Ragnar Eriksson, Priya Natarajan]\n---\n"
			"[[Tomas Wierzbicki]] [[Mareck Nowak]] [[Ragnar Eiriksson]]\n"
			"[[Project Lighthouse#Milestones]] [[Project Lighthouse#^goal-1]] plain\n");
	int alias = at(&c, "textDocument/hover", SCRATCH, 3, 4);
	int unresolved = at(&c, "textDocument/hover", SCRATCH, 3, 25);
	int ambiguous = at(&c, "textDocument/hover", SCRATCH, 3, 45);
	int fm_alias = at(&c, "textDocument/hover", SCRATCH, 1, 20);
	int fm_name = at(&c, "textDocument/hover", SCRATCH, 1, 40);
	int heading = at(&c, "textDocument/hover", SCRATCH, 4, 5);
	int block = at(&c, "textDocument/hover", SCRATCH, 4, 40);
	int nothing = at(&c, "textDocument/hover", SCRATCH, 4, 66);
	int own_alias = at(&c, "textDocument/hover", "People/Tomasz Wierzbicki.md", 6, 6);
	client_open(&c, "People/Tomasz Wierzbicki.md");
	int own_alias_open = at(&c, "textDocument/hover", "People/Tomasz Wierzbicki.md", 6, 6);
	client_run(&c, true);

	const char *a = hover_text(&c, alias);
	OK(a && strncmp(a, "*Tomas Wierzbicki* is an alias of **Tomasz Wierzbicki** (person)", 64) == 0);
	OK(a && strstr(a, "Chief Architect at Halden Storage") != NULL);
	OK(a && strstr(a, "`People/Tomasz Wierzbicki.md`") != NULL);
	int l1, c1, l2, c2;
	range_of(json_object_get(client_result(&c, alias), "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 3);
	INT_EQ(c1, 0);
	INT_EQ(c2, 20);

	/* A person's name one letter off: who it probably is, and why. */
	const char *u = hover_text(&c, unresolved);
	OK(u && strstr(u, "*Mareck Nowak* is probably **Marek Nowak** (`People/`): first name "
			  "'mareck' one letter from 'marek', surname the same; a spelling not in its "
			  "aliases.") != NULL);
	OK(u && strstr(u, "`People/Marek Nowak.md`") != NULL);

	const char *m = hover_text(&c, ambiguous);
	OK(m && strstr(m, "2 notes are named **Ragnar Eiriksson**") != NULL);
	OK(m && strstr(m, "`People/Ragnar Eiriksson.md` (person) ← opens") != NULL);
	OK(m && strstr(m, "`Contacts/Ragnar Eiriksson.md`") != NULL);

	const char *f = hover_text(&c, fm_alias);
	OK(f && strncmp(f, "*Ragnar Eriksson* is an alias of **Ragnar Eiriksson** (person)", 62) == 0);
	const char *n = hover_text(&c, fm_name);
	OK(n && strncmp(n, "**Priya Natarajan** (person)", 28) == 0);
	if (n && strncmp(n, "**Priya Natarajan** (person)", 28) != 0)
		fprintf(stderr, "hover: %s\n", n);
	OK(n && strstr(n, "Director of Product, Cloud at Halden Storage") != NULL);
	OK(n && strstr(n, "Also known as: Priya, P. Natarajan") != NULL);

	const char *h = hover_text(&c, heading);
	OK(h && strstr(h, "## Milestones\n\n- Design review") != NULL);
	const char *b = hover_text(&c, block);
	OK(b && strstr(b, "Design review with [[Tomasz Wierzbicki]] ^goal-1") != NULL);
	OK(json_is_null(client_result(&c, nothing)));
	/* Hover needs the document open: before didOpen it is an error. */
	INT_EQ(client_error_code(&c, own_alias), RPC_INVALID_PARAMS);
	const char *o = hover_text(&c, own_alias_open);
	OK(o && strncmp(o, "*Tomas Wierzbicki* is an alias of **Tomasz Wierzbicki**", 55) == 0);
	client_fini(&c);
}

/* A preview shows the note as a reader sees it: what comments hold is
 * not in a section's or a block's preview. */
static void test_hover_comments(void)
{
	struct client c;
	start(&c, NULL, "# Plan\n%% hidden [[Nobody]] %%\nVisible line one.\n"
			"Before %%secret%% after ^b1\n\n[[#Plan]] [[#^b1]]\n");
	int section = at(&c, "textDocument/hover", SCRATCH, 5, 3);
	int block = at(&c, "textDocument/hover", SCRATCH, 5, 13);
	client_run(&c, true);
	const char *h = hover_text(&c, section);
	OK(h && strstr(h, "Visible line one.") != NULL);
	OK(h && !strstr(h, "hidden") && !strstr(h, "secret"));
	const char *b = hover_text(&c, block);
	OK(b && strstr(b, "Before") && strstr(b, "after ^b1"));
	OK(b && !strstr(b, "secret"));
	if (h && b && (strstr(h, "secret") || strstr(b, "secret")))
		fprintf(stderr, "hover: %s\n---\n%s\n", h, b);
	client_fini(&c);
}

/* The outline leaves out headings inside comments, as the index does, and
 * gives their children to the heading above. */
static void test_outline_comments(void)
{
	struct client c;
	start(&c, json_pack("{s:{s:{s:b}}}", "textDocument", "documentSymbol",
			    "hierarchicalDocumentSymbolSupport", 1),
	      "# A\n%%\n## Hidden\n%%\n### Under hidden\n## B\n");
	char *uri = client_uri(SCRATCH);
	int id = client_request(&c, "textDocument/documentSymbol",
				json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	free(uri);
	client_run(&c, true);
	json_t *top = client_result(&c, id);
	INT_EQ(json_array_size(top), 1);
	json_t *a = json_array_get(top, 0);
	STR_EQ(json_string_value(json_object_get(a, "name")), "A");
	json_t *kids = json_object_get(a, "children");
	INT_EQ(json_array_size(kids), 2);
	STR_EQ(json_string_value(json_object_get(json_array_get(kids, 0), "name")), "Under hidden");
	STR_EQ(json_string_value(json_object_get(json_array_get(kids, 1), "name")), "B");
	client_fini(&c);
}

static void test_plaintext_hover(void)
{
	struct client c;
	start(&c, json_pack("{s:{s:{s:[s]}}}", "textDocument", "hover", "contentFormat", "plaintext"),
	      "[[Tomek]]\n");
	int h = at(&c, "textDocument/hover", SCRATCH, 0, 3);
	client_run(&c, true);
	STR_EQ(json_string_value(json_object_get(json_object_get(client_result(&c, h), "contents"), "kind")),
	       "plaintext");
	const char *t = hover_text(&c, h);
	OK(t && strncmp(t, "Tomek is an alias of Tomasz Wierzbicki (person)", 47) == 0);
	client_fini(&c);
}

static const char *loc_uri(const json_t *loc)
{
	const json_t *u = json_object_get(loc, "uri");
	return json_string_value(u ? u : json_object_get(loc, "targetUri"));
}

static void loc_range(const json_t *loc, int *l1, int *c1, int *l2, int *c2)
{
	const json_t *r = json_object_get(loc, "range");
	range_of(r ? r : json_object_get(loc, "targetSelectionRange"), l1, c1, l2, c2);
}

static void test_definition(void)
{
	struct client c;
	start(&c, json_pack("{s:{s:{s:b}}}", "textDocument", "definition", "linkSupport", 1),
	      "---\nowner: \"[[Priya Natarajan]]\"\nparticipants:\n  - Tomek\n---\n"
	      "[[Project Lighthouse#Milestones]] ![[Project Lighthouse#^goal-1]]\n"
	      "🧊 [[Ragnar Eiriksson]] [[Nowhere]]\n");
	int owner = at(&c, "textDocument/definition", SCRATCH, 1, 12);
	int participant = at(&c, "textDocument/definition", SCRATCH, 3, 5);
	int heading = at(&c, "textDocument/definition", SCRATCH, 5, 3);
	int embed = at(&c, "textDocument/definition", SCRATCH, 5, 40);
	int ambiguous = at(&c, "textDocument/definition", SCRATCH, 6, 5);
	int nowhere = at(&c, "textDocument/definition", SCRATCH, 6, 27);
	char *scratch = client_uri(SCRATCH);
	int links = client_request(&c, "textDocument/documentLink",
				   json_pack("{s:{s:s}}", "textDocument", "uri", scratch));
	free(scratch);
	client_run(&c, true);

	char *priya = client_uri("People/Priya Natarajan.md");
	char *tomasz = client_uri("People/Tomasz Wierzbicki.md");
	char *lighthouse = client_uri("Projects/Project Lighthouse.md");
	char *ragnar = client_uri("People/Ragnar Eiriksson.md");
	char *contact = client_uri("Contacts/Ragnar Eiriksson.md");
	int l1, c1, l2, c2;
	json_t *o = json_array_get(client_result(&c, owner), 0);
	STR_EQ(loc_uri(o), priya);
	range_of(json_object_get(o, "originSelectionRange"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 1);
	INT_EQ(c1, 8);
	INT_EQ(c2, 27);
	STR_EQ(loc_uri(json_array_get(client_result(&c, participant), 0)), tomasz);
	json_t *h = json_array_get(client_result(&c, heading), 0);
	STR_EQ(loc_uri(h), lighthouse);
	loc_range(h, &l1, &c1, &l2, &c2);
	INT_EQ(l1, 12); /* "## Milestones" */
	json_t *e = json_array_get(client_result(&c, embed), 0);
	loc_range(e, &l1, &c1, &l2, &c2);
	INT_EQ(l1, 14); /* "- Design review ... ^goal-1" */
	json_t *amb = client_result(&c, ambiguous);
	INT_EQ(json_array_size(amb), 2);
	STR_EQ(loc_uri(json_array_get(amb, 0)), ragnar);
	STR_EQ(loc_uri(json_array_get(amb, 1)), contact);
	/* The origin range after the emoji, in UTF-16 units. */
	range_of(json_object_get(json_array_get(amb, 0), "originSelectionRange"), &l1, &c1, &l2, &c2);
	INT_EQ(c1, 3);
	INT_EQ(c2, 23);
	OK(json_is_null(client_result(&c, nowhere)));

	/* Document links: every resolved link, none for [[Nowhere]]. */
	json_t *dl = client_result(&c, links);
	INT_EQ(json_array_size(dl), 3);
	const char *target = json_string_value(json_object_get(json_array_get(dl, 0), "target"));
	OK(target && strncmp(target, lighthouse, strlen(lighthouse)) == 0 && strstr(target, "#L13"));
	free(priya);
	free(tomasz);
	free(lighthouse);
	free(ragnar);
	free(contact);
	client_fini(&c);
}

static void test_utf8_positions(void)
{
	/* The same emoji line with UTF-8 positions: 🧊 is 4 bytes. */
	struct client c;
	start(&c, json_pack("{s:{s:[s]}}", "general", "positionEncodings", "utf-8"),
	      "🧊 [[Ragnar Eiriksson]] [[Zo\n");
	int def = at(&c, "textDocument/definition", SCRATCH, 0, 7);
	int comp = at(&c, "textDocument/completion", SCRATCH, 0, 30);
	client_run(&c, true);
	json_t *d = json_array_get(client_result(&c, def), 0);
	OK(d != NULL);
	json_t *z = json_array_get(items_of(&c, comp), 0);
	int l1, c1, l2, c2;
	edit_range(z, &l1, &c1, &l2, &c2);
	INT_EQ(c1, 28);
	INT_EQ(c2, 30);
	client_fini(&c);
}

int main(void)
{
	test_note_and_alias_completion();
	test_heading_block_display_completion();
	test_frontmatter_and_code();
	test_hover();
	test_hover_comments();
	test_outline_comments();
	test_plaintext_hover();
	test_definition();
	test_utf8_positions();
	return harness_done("test_features");
}
