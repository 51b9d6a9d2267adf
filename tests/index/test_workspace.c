/*
 * test_workspace.c — the vault index on tests/vault: what is indexed, kinds
 * and titles, link resolution (data-driven, from the .txt files under
 * tests/workspace), backlinks, and updates of single notes.
 */
#include "harness.h"
#include "workspace.h"

#include <stdlib.h>
#include <string.h>

static struct workspace *load_vault(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	const char *root = VAULT_TEST_DIR "/vault";
	workspace_add_root(ws, root);
	workspace_install(ws, workspace_scan(&root, 1, &cfg, 2, NULL, NULL, NULL, NULL));
	config_fini(&cfg);
	return ws;
}

static int32_t find_rel(const struct workspace *ws, const char *rel)
{
	struct strbuf p;
	strbuf_init(&p);
	strbuf_printf(&p, "%s/vault/%s", VAULT_TEST_DIR, rel);
	int32_t id = workspace_find(ws, p.ptr);
	strbuf_fini(&p);
	return id;
}

/* Splits a data line at tabs into at most n fields (in place). */
static int split_tabs(char *line, char **fields, int n)
{
	int k = 0;
	line[strcspn(line, "\r\n")] = '\0';
	while (k < n) {
		fields[k++] = line;
		char *tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return k;
}

static FILE *open_data(const char *name)
{
	struct strbuf p;
	strbuf_init(&p);
	strbuf_printf(&p, "%s/workspace/%s", VAULT_TEST_DIR, name);
	FILE *f = fopen(p.ptr, "r");
	if (!f)
		fprintf(stderr, "cannot open %s\n", p.ptr);
	strbuf_fini(&p);
	return f;
}

static void describe_resolution(const struct workspace *ws, const struct note *n,
				const struct wikilink *l, int32_t from, struct strbuf *out)
{
	if (!(l->flags & WIKILINK_CLOSED)) {
		strbuf_puts(out, "ignored");
		return;
	}
	struct resolution r = workspace_resolve(ws, from, note_slice(n, wikilink_target(l)),
						note_slice(n, wikilink_subpath(l)), l->has_subpath);
	if (r.status == LINK_IGNORED) {
		strbuf_puts(out, "ignored");
		return;
	}
	if (r.status == LINK_UNRESOLVED) {
		strbuf_puts(out, "unresolved");
		return;
	}
	const struct ws_note *t = workspace_get(ws, (uint32_t)r.note);
	strbuf_puts(out, t->rel);
	if (r.ambiguous)
		strbuf_puts(out, " ambiguous");
	if (r.via_alias)
		strbuf_printf(out, " via-alias=%s", r.alias >= 0 ? t->note->aliases.items[r.alias]->str : "?");
	if (r.heading >= 0)
		strbuf_printf(out, " heading=%s", t->note->headings.items[r.heading].text);
	if (r.block >= 0) {
		struct slice id = note_slice(t->note, t->note->blocks.items[r.block].id);
		strbuf_printf(out, " block=%.*s", (int)id.len, id.ptr);
	}
	if (r.status == LINK_HEADING_MISSING)
		strbuf_puts(out, " heading-missing");
	if (r.status == LINK_BLOCK_MISSING)
		strbuf_puts(out, " block-missing");
}

static void test_link_cases(const struct workspace *ws)
{
	FILE *f = open_data("links.txt");
	OK(f != NULL);
	if (!f)
		return;
	char line[1024];
	int cases = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *field[3];
		if (split_tabs(line, field, 3) != 3) {
			fprintf(stderr, "bad case: %s\n", line);
			harness_failed++;
			continue;
		}
		int32_t from = find_rel(ws, field[0]);
		OK(from >= 0);
		struct note *n = note_parse(field[1], strlen(field[1]));
		struct strbuf got;
		strbuf_init(&got);
		if (n->links.len != 1)
			strbuf_printf(&got, "%u links parsed", n->links.len);
		else
			describe_resolution(ws, n, &n->links.items[0], from, &got);
		if (strcmp(got.ptr, field[2]) != 0) {
			fprintf(stderr, "links.txt: %s from %s: expected \"%s\", got \"%s\"\n",
				field[1], field[0], field[2], got.ptr);
			harness_failed++;
		} else {
			harness_passed++;
		}
		strbuf_fini(&got);
		note_free(n);
		cases++;
	}
	fclose(f);
	OK(cases >= 30);
}

static void test_kinds(const struct workspace *ws)
{
	FILE *f = open_data("kinds.txt");
	OK(f != NULL);
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *field[3];
		OK(split_tabs(line, field, 3) == 3);
		int32_t id = find_rel(ws, field[0]);
		OK(id >= 0);
		if (id < 0)
			continue;
		const struct ws_note *wn = workspace_get(ws, (uint32_t)id);
		STR_EQ(wn->kind, field[1]);
		STR_EQ(wn->title, field[2]);
	}
	fclose(f);
}

static void test_what_is_indexed(const struct workspace *ws)
{
	/* The sample vault's 14 notes; not .obsidian/, not the .gitignored
	 * Archive/Old/. */
	INT_EQ(workspace_count(ws), 14);
	OK(find_rel(ws, ".obsidian/workspace.md") < 0);
	OK(find_rel(ws, "Archive/Old/Ignored Person.md") < 0);
	int32_t broken = find_rel(ws, "People/Broken Frontmatter.md");
	OK(broken >= 0);
	if (broken >= 0) {
		const struct note *n = workspace_get(ws, (uint32_t)broken)->note;
		OK(n->fm_error.present);
		INT_EQ(n->items.len, 2); /* the body is indexed all the same */
	}
}

static void test_backlinks(const struct workspace *ws)
{
	/* Northwind is linked from Priya, Ragnar (People), Contacts/Ragnar,
	 * Marek, Project Lighthouse, the Inbox note (twice) and the meeting. */
	int32_t nw = find_rel(ws, "Customers/Northwind.md");
	OK(nw >= 0);
	const struct ws_note *n = workspace_get(ws, (uint32_t)nw);
	INT_EQ(n->backlinks.len, 9);
	/* Links in code are not links: nothing links to "Not A Link". */
	int32_t inbox = find_rel(ws, "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md");
	const struct note *in = workspace_get(ws, (uint32_t)inbox)->note;
	for (uint32_t i = 0; i < in->links.len; i++) {
		struct slice t = note_slice(in, wikilink_target(&in->links.items[i]));
		OK(!slice_eq_cstr(t, "Not A Link") && !slice_eq_cstr(t, "Also Not A Link"));
	}
}

static void test_updates(void)
{
	struct workspace *ws = load_vault();
	char *path = xstrdup(VAULT_TEST_DIR "/vault/People/Priya Natarajan.md");
	int32_t priya = workspace_find(ws, path);
	int32_t mareck_from = find_rel(ws, "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md");
	const struct ws_note *inbox = workspace_get(ws, (uint32_t)mareck_from);
	uint32_t mareck = UINT32_MAX;
	for (uint32_t i = 0; i < inbox->note->links.len; i++)
		if (slice_eq_cstr(note_slice(inbox->note, wikilink_target(&inbox->note->links.items[i])), "Mareck Nowak"))
			mareck = i;
	OK(mareck != UINT32_MAX);
	INT_EQ(inbox->res[mareck].status, LINK_UNRESOLVED);

	/* Giving Priya's card the alias "Mareck Nowak" (as an editor buffer)
	 * resolves the misspelt link elsewhere; reverting undoes it. */
	static const char edited[] = "---\naliases: [Mareck Nowak]\n---\n# Priya\n";
	OK(workspace_set_text(ws, path, edited, sizeof(edited) - 1) == (uint32_t)priya);
	inbox = workspace_get(ws, (uint32_t)mareck_from);
	INT_EQ(inbox->res[mareck].status, LINK_RESOLVED);
	INT_EQ(inbox->res[mareck].note, priya);
	OK(inbox->res[mareck].via_alias);
	OK(workspace_reload(ws, path) == priya);
	inbox = workspace_get(ws, (uint32_t)mareck_from);
	INT_EQ(inbox->res[mareck].status, LINK_UNRESOLVED);

	/* A new note takes its links' target: [[Halden Storage]] resolves. */
	char *halden = xstrdup(VAULT_TEST_DIR "/vault/Customers/Halden Storage.md");
	int32_t h = (int32_t)workspace_set_text(ws, halden, "# Halden Storage\n", 17);
	OK(workspace_get(ws, (uint32_t)h)->backlinks.len >= 2);
	workspace_remove(ws, halden);
	OK(workspace_find(ws, halden) < 0);
	OK(workspace_get(ws, (uint32_t)h) == NULL);
	INT_EQ(workspace_count(ws), 14);
	/* Reloading a path that does not exist removes nothing and adds nothing. */
	INT_EQ(workspace_reload(ws, halden), -1);
	INT_EQ(workspace_count(ws), 14);
	free(halden);
	free(path);
	workspace_free(ws);
}

int main(void)
{
	struct workspace *ws = load_vault();
	test_what_is_indexed(ws);
	test_kinds(ws);
	test_link_cases(ws);
	test_backlinks(ws);
	workspace_free(ws);
	test_updates();
	return harness_done("test_workspace");
}
