/*
 * test_workspace_symbol.c — workspace/symbol as an editor sees it, on the
 * fixture vault: notes and aliases with their folder, headings and block
 * ids with their note, tags with their count; people, then projects,
 * first; at most 100; an empty query; bad params; and the symbols
 * following an edit.
 */
#include "lsp_client.h"

static int symbols(struct client *c, const char *query)
{
	return client_request(c, "workspace/symbol", json_pack("{s:s}", "query", query));
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(none)";
}

/* The symbol of this name, kind and container, or NULL. */
static const json_t *find(const struct client *c, int id, const char *name, int kind,
			  const char *container)
{
	size_t i;
	json_t *s;
	json_array_foreach(client_result(c, id), i, s)
		if (strcmp(str(s, "name"), name) == 0 &&
		    json_integer_value(json_object_get(s, "kind")) == kind &&
		    strcmp(str(s, "containerName"), container) == 0)
			return s;
	fprintf(stderr, "no symbol %s (%d, %s) among:\n", name, kind, container);
	json_array_foreach(client_result(c, id), i, s)
		fprintf(stderr, "  %s (%d, %s)\n", str(s, "name"),
			(int)json_integer_value(json_object_get(s, "kind")), str(s, "containerName"));
	return NULL;
}

/* Index of the symbol in the answer, or -1. */
static int position_of(const struct client *c, int id, const json_t *sym)
{
	size_t i;
	json_t *s;
	json_array_foreach(client_result(c, id), i, s)
		if (s == sym)
			return (int)i;
	return -1;
}

/* Its location: a file of the vault (relative path) and start line, char. */
static bool located(const json_t *sym, const char *rel, int line, int ch)
{
	if (!sym)
		return false;
	const json_t *loc = json_object_get(sym, "location");
	char *uri = client_uri(rel);
	bool same = strcmp(str(loc, "uri"), uri) == 0;
	free(uri);
	int l1, c1, l2, c2;
	range_of(json_object_get(loc, "range"), &l1, &c1, &l2, &c2);
	if (!same || l1 != line || c1 != ch)
		fprintf(stderr, "%s at %s %d:%d, not %s %d:%d\n", str(sym, "name"), str(loc, "uri"), l1,
			c1, rel, line, ch);
	return same && l1 == line && c1 == ch;
}

enum { FILE_ = 1, CONSTANT = 14, STRING = 15, KEY = 20, ENUM_MEMBER = 22 };

static void test_kinds_and_containers(void)
{
	struct client c;
	client_init(&c);
	int init = client_start(&c, NULL, NULL);
	int rag = symbols(&c, "rag");
	int mile = symbols(&c, "mile");
	int goal = symbols(&c, "goal");
	int type = symbols(&c, "#type");
	int task = symbols(&c, "task");
	client_run(&c, true);

	OK(json_is_true(json_object_get(json_object_get(client_result(&c, init), "capabilities"),
					"workspaceSymbolProvider")));

	/* Notes and aliases: their folder. */
	const json_t *people = find(&c, rag, "Ragnar Eiriksson", FILE_, "People/");
	const json_t *contacts = find(&c, rag, "Ragnar Eiriksson", FILE_, "Contacts/");
	const json_t *alias = find(&c, rag, "Ragnar Eriksson", CONSTANT, "People/");
	OK(located(people, "People/Ragnar Eiriksson.md", 0, 0));
	OK(located(contacts, "Contacts/Ragnar Eiriksson.md", 0, 0));
	OK(located(alias, "People/Ragnar Eiriksson.md", 7, 4)); /* the alias as declared */
	/* The person first; the alias of the person before the other card. */
	INT_EQ(position_of(&c, rag, people), 0);
	OK(position_of(&c, rag, alias) < position_of(&c, rag, contacts));
	/* A note's title heading is the note: not offered again. */
	OK(json_array_size(client_result(&c, rag)) > 0);
	size_t i;
	json_t *s;
	json_array_foreach(client_result(&c, rag), i, s)
		OK(json_integer_value(json_object_get(s, "kind")) != STRING ||
		   strcmp(str(s, "name"), "Ragnar Eiriksson") != 0);

	/* Headings and block ids: their note. */
	OK(located(find(&c, mile, "Milestones", STRING, "Project Lighthouse"),
		   "Projects/Project Lighthouse.md", 12, 0));
	OK(located(find(&c, goal, "^goal-1", KEY, "Project Lighthouse"),
		   "Projects/Project Lighthouse.md", 14, 2)); /* the block: the item's text */

	/* Tags: their count; "#" asks for tags alone. */
	INT_EQ(json_array_size(client_result(&c, type)), 3);
	OK(located(find(&c, type, "#type/person", ENUM_MEMBER, "5 notes"), "People/Marek Nowak.md", 5, 4));
	OK(find(&c, type, "#type/project", ENUM_MEMBER, "2 notes") != NULL);
	OK(find(&c, type, "#type/people", ENUM_MEMBER, "2 notes") != NULL);
	/* Without '#', tags among the rest: the tag, then the heading. */
	const json_t *t = find(&c, task, "#task", ENUM_MEMBER, "2 notes");
	INT_EQ(position_of(&c, task, t), 0);
	OK(located(t, "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md", 25, 79));
	INT_EQ(position_of(&c, task, find(&c, task, "Tasks", STRING, "Ragnar Eiriksson")), 1);
	client_fini(&c);
}

static void test_ranking_and_limits(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	/* 120 notes holding the same heading: at most 100 answered. */
	for (int n = 0; n < 120; n++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "Scratch/Limit %03d.md", n);
		char *uri = client_uri(rel);
		client_notify(&c, "textDocument/didOpen",
			      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
					"markdown", "version", 1, "text", "# Title\n## Key Facts\n"));
		free(uri);
	}
	int key = symbols(&c, "key facts");
	int empty = symbols(&c, "");
	int blank = symbols(&c, "   ");
	int none = symbols(&c, "qqqqzzzz");
	int bad = client_request(&c, "workspace/symbol", json_pack("{s:i}", "query", 3));
	int missing = client_request(&c, "workspace/symbol", NULL);
	client_run(&c, true);

	json_t *k = client_result(&c, key);
	INT_EQ(json_array_size(k), 100);
	/* The people's cards first, then the project's, then the rest (the
	 * card in Contacts/ has no kind), by note. */
	const char *first[] = { "Marek Nowak", "Priya Natarajan", "Ragnar Eiriksson",
				"Tomasz Wierzbicki", "Zo\xc3\xab \xc3\x93lafsd\xc3\xb3ttir",
				"Project Lighthouse", "Ragnar Eiriksson", "Northwind", "Person",
				"Limit 000", "Limit 001" };
	for (size_t n = 0; n < sizeof(first) / sizeof(first[0]); n++)
		STR_EQ(str(json_array_get(k, n), "containerName"), first[n]);
	STR_EQ(str(json_array_get(k, 99), "containerName"), "Limit 090");
	size_t i;
	json_t *s;

	/* Nothing typed: the best-ranked notes, people first, no headings. */
	json_t *e = client_result(&c, empty);
	OK(json_array_size(e) >= 6);
	STR_EQ(str(json_array_get(e, 0), "containerName"), "People/");
	INT_EQ(json_integer_value(json_object_get(json_array_get(e, 0), "kind")), FILE_);
	bool no_parts = true;
	json_array_foreach(e, i, s) {
		json_int_t kind = json_integer_value(json_object_get(s, "kind"));
		no_parts &= kind == FILE_ || kind == CONSTANT;
	}
	OK(no_parts);
	INT_EQ(json_array_size(client_result(&c, blank)), json_array_size(e));
	OK(json_is_array(client_result(&c, none)));
	INT_EQ(json_array_size(client_result(&c, none)), 0);
	INT_EQ(client_error_code(&c, bad), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, missing), RPC_INVALID_PARAMS);
	client_fini(&c);
}

/* Symbols follow the buffers: a heading and a tag typed in, then gone. */
static void test_follows_edits(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	char *uri = client_uri("Scratch/Edited.md");
	client_notify(&c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 1, "text", "# Edited\n## Quarterly Zebra\n#zebracorn\n"));
	int before = symbols(&c, "zebra");
	client_notify(&c, "textDocument/didChange",
		      json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument", "uri", uri, "version", 2,
				"contentChanges", "text", "# Edited\n## Yearly Okapi\n"));
	int after = symbols(&c, "zebra");
	int okapi = symbols(&c, "okapi");
	free(uri);
	client_run(&c, true);

	INT_EQ(json_array_size(client_result(&c, before)), 2);
	OK(find(&c, before, "Quarterly Zebra", STRING, "Edited") != NULL);
	OK(find(&c, before, "#zebracorn", ENUM_MEMBER, "1 note") != NULL);
	INT_EQ(json_array_size(client_result(&c, after)), 0);
	OK(located(find(&c, okapi, "Yearly Okapi", STRING, "Edited"), "Scratch/Edited.md", 1, 0));
	client_fini(&c);
}

int main(void)
{
	test_kinds_and_containers();
	test_ranking_and_limits();
	test_follows_edits();
	return harness_done("test_workspace_symbol");
}
