/*
 * test_tag_completion.c — tags as an editor sees them on the fixture
 * vault: completion after '#' in the body and in frontmatter tags: values
 * (nested tags, counts, the range replaced, never a heading's '#', code,
 * a URL or a wikilink), and hover on an inline or frontmatter tag.
 */
#include "lsp_client.h"

#define SCRATCH "Scratch/Tags.md"

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

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(none)";
}

/* The labels of a completion, space-separated, in order. */
static void labels(const struct client *c, int id, struct strbuf *out)
{
	size_t i;
	json_t *it;
	out->len = 0;
	strbuf_puts(out, "");
	json_array_foreach(items_of(c, id), i, it)
		strbuf_printf(out, "%s%s", i ? " " : "", str(it, "label"));
}

#define LABELS(c, id, expect)                 \
	do {                                  \
		struct strbuf got_ = { 0 };   \
		labels(c, id, &got_);         \
		STR_EQ(got_.ptr, expect);     \
		strbuf_fini(&got_);           \
	} while (0)

static const json_t *item_labelled(const struct client *c, int id, const char *label)
{
	size_t i;
	json_t *it;
	json_array_foreach(items_of(c, id), i, it)
		if (strcmp(str(it, "label"), label) == 0)
			return it;
	return NULL;
}

/* newText and the range it replaces. */
static bool edit_is(const json_t *item, const char *text, int line, int c1, int c2)
{
	if (!item)
		return false;
	const json_t *e = json_object_get(item, "textEdit");
	int l1, s, l2, en;
	range_of(json_object_get(e, "range"), &l1, &s, &l2, &en);
	bool ok = strcmp(str(e, "newText"), text) == 0 && l1 == line && l2 == line && s == c1 && en == c2;
	if (!ok)
		fprintf(stderr, "edit %s %d:%d-%d:%d, not %s %d:%d-%d\n", str(e, "newText"), l1, s, l2, en,
			text, line, c1, c2);
	return ok;
}

static void test_body(void)
{
	struct client c;
	start(&c, NULL, "Some #ta and #ty\n#\n# Title\n`#ta` ```x``` [[Project Lighthouse#\n"
			"see http://x.org/#ta and x#ta [a](#ta)\n(#pers\n- #\n");
	int ta = at(&c, "textDocument/completion", SCRATCH, 0, 8);
	int ty = at(&c, "textDocument/completion", SCRATCH, 0, 16);
	int heading_marker = at(&c, "textDocument/completion", SCRATCH, 1, 1);
	int heading = at(&c, "textDocument/completion", SCRATCH, 2, 1);
	int code = at(&c, "textDocument/completion", SCRATCH, 3, 4);
	int link = at(&c, "textDocument/completion", SCRATCH, 3, 35);
	int url = at(&c, "textDocument/completion", SCRATCH, 4, 20);
	int glued = at(&c, "textDocument/completion", SCRATCH, 4, 29);
	int anchor = at(&c, "textDocument/completion", SCRATCH, 4, 37);
	int paren = at(&c, "textDocument/completion", SCRATCH, 5, 6);
	int all = at(&c, "textDocument/completion", SCRATCH, 6, 3);
	client_run(&c, true);

	/* The tag being typed is not offered as a tag of its own. */
	LABELS(&c, ta, "#task");
	const json_t *task = item_labelled(&c, ta, "#task");
	STR_EQ(str(task, "detail"), "2 notes");
	INT_EQ(json_integer_value(json_object_get(task, "kind")), 20);
	OK(edit_is(task, "#task", 0, 5, 8));
	/* Nested tags, most notes first among equal matches. */
	LABELS(&c, ty, "#type/person #type/people #type/project");
	STR_EQ(str(item_labelled(&c, ty, "#type/person"), "detail"), "5 notes");
	OK(edit_is(item_labelled(&c, ty, "#type/project"), "#type/project", 0, 13, 16));
	OK(json_is_false(json_object_get(client_result(&c, ty), "isIncomplete")));
	/* Never a heading's '#', code, a wikilink's heading, a URL, a glued
	 * '#', a Markdown link's anchor. */
	LABELS(&c, heading_marker, "");
	LABELS(&c, heading, "");
	LABELS(&c, code, "");
	OK(json_array_size(items_of(&c, link)) > 0); /* the headings of the note */
	OK(item_labelled(&c, link, "Milestones") != NULL);
	OK(item_labelled(&c, link, "#task") == NULL);
	LABELS(&c, url, "");
	LABELS(&c, glued, "");
	LABELS(&c, anchor, "");
	/* After '(' ("type/person" has p-e-r-s too); with nothing typed,
	 * every tag held as such: the vault's ten and this note's three. */
	LABELS(&c, paren, "#person #person/ragnar-eiriksson #type/person");
	STR_EQ(str(item_labelled(&c, paren, "#person"), "detail"), "2 notes");
	INT_EQ(json_array_size(items_of(&c, all)), 13);
	OK(item_labelled(&c, all, "#type") == NULL); /* only implied by nested ones */
	STR_EQ(str(json_array_get(items_of(&c, all), 0), "label"), "#type/person");
	client_fini(&c);
}

static void test_frontmatter(void)
{
	struct client c;
	start(&c, NULL, "---\ntags: [needs, ]\ntag:\n  - #gen\n  - \"#gen\n  - 'pro\nstatus: #ta\n---\n");
	int flow = at(&c, "textDocument/completion", SCRATCH, 1, 12);
	int empty = at(&c, "textDocument/completion", SCRATCH, 1, 14);
	int hashed = at(&c, "textDocument/completion", SCRATCH, 3, 8);
	int quoted = at(&c, "textDocument/completion", SCRATCH, 4, 9);
	int single = at(&c, "textDocument/completion", SCRATCH, 5, 8);
	int other = at(&c, "textDocument/completion", SCRATCH, 6, 11);
	client_run(&c, true);

	/* A frontmatter tag is written without '#'. */
	LABELS(&c, flow, "needs-review");
	OK(edit_is(item_labelled(&c, flow, "needs-review"), "needs-review", 1, 7, 12));
	INT_EQ(json_array_size(items_of(&c, empty)), 10);
	/* Unquoted, "#gen" would be a YAML comment: the '#' is replaced. */
	LABELS(&c, hashed, "generated person/ragnar-eiriksson");
	OK(edit_is(item_labelled(&c, hashed, "generated"), "generated", 3, 4, 8));
	/* Quoted, the '#' may stay. */
	LABELS(&c, quoted, "#generated #person/ragnar-eiriksson");
	OK(edit_is(item_labelled(&c, quoted, "#generated"), "#generated", 4, 5, 9));
	LABELS(&c, single, "proposed type/project person/ragnar-eiriksson person type/person");
	/* Under another key, no tags. */
	size_t i;
	json_t *it;
	json_array_foreach(items_of(&c, other), i, it)
		OK(json_integer_value(json_object_get(it, "kind")) != 20);
	client_fini(&c);
}

static const char *hover_text(const struct client *c, int id)
{
	return json_string_value(json_object_get(json_object_get(client_result(c, id), "contents"), "value"));
}

static void test_hover(void)
{
	struct client c;
	start(&c, NULL, "#Type/Person and #person #nothing-here\n");
	const char *inbox = "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md";
	const char *meeting = "Meetings/Ragnar Eiriksson/2026-01-05 - 1-1 with Ragnar, Northwind dynamics.md";
	client_open(&c, inbox);
	client_open(&c, meeting);
	int task = at(&c, "textDocument/hover", inbox, 25, 82);
	int fm = at(&c, "textDocument/hover", inbox, 11, 4);
	int nested = at(&c, "textDocument/hover", meeting, 10, 7);
	int cased = at(&c, "textDocument/hover", SCRATCH, 0, 3);
	int lone = at(&c, "textDocument/hover", SCRATCH, 0, 30);
	int key = at(&c, "textDocument/hover", inbox, 9, 2);
	client_run(&c, true);

	STR_EQ(hover_text(&c, task), "**#task** — 2 notes\n");
	int l1, c1, l2, c2;
	range_of(json_object_get(client_result(&c, task), "range"), &l1, &c1, &l2, &c2);
	INT_EQ(l1, 25);
	INT_EQ(c1, 79);
	INT_EQ(c2, 84);
	/* A frontmatter value. */
	STR_EQ(hover_text(&c, fm), "**#person/ragnar-eiriksson** — 1 note\n");
	range_of(json_object_get(client_result(&c, fm), "range"), &l1, &c1, &l2, &c2);
	INT_EQ(c1, 2);
	INT_EQ(c2, 25);
	/* "person/" is "person": 3 notes, one of them through a nested tag. */
	STR_EQ(hover_text(&c, nested), "**#person** — 3 notes (2 with the tag itself)\n\n"
				       "Nested: #person/ragnar-eiriksson (1)\n");
	/* Case folded: the vault's #type/person, one more note. */
	STR_EQ(hover_text(&c, cased), "**#type/person** — 6 notes\n");
	STR_EQ(hover_text(&c, lone), "**#nothing-here** — 1 note\n");
	OK(json_is_null(client_result(&c, key)));
	client_fini(&c);

	/* Plain text for a client that takes no Markdown. */
	start(&c, json_pack("{s:{s:{s:[s]}}}", "textDocument", "hover", "contentFormat", "plaintext"),
	      "x #type\n");
	int plain = at(&c, "textDocument/hover", SCRATCH, 0, 4);
	client_run(&c, true);
	STR_EQ(hover_text(&c, plain), "#type — 10 notes (1 with the tag itself)\n\n"
				      "Nested: #type/person (5), #type/people (2), #type/project (2)\n");
	client_fini(&c);
}

int main(void)
{
	test_body();
	test_frontmatter();
	test_hover();
	return harness_done("test_tag_completion");
}
