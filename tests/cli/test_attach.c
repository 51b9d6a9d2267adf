/*
 * test_attach.c — attachments and relative links (issue 14: every warning
 * must be true), on tests/attach/vault: images, a PDF, audio, video, a
 * canvas, a base and files of unknown types at several depths and letter
 * cases, an image sharing a note's name, two files sharing a name, hidden
 * and ignored files. Link resolution both ways (data-driven,
 * tests/attach/links.txt); attachments are never counted, completed,
 * suggested or learnt as names the way notes are; `vault-lsp check` prints
 * exactly tests/attach/check.expected; files coming and going on disk
 * re-resolve the links that name them; definition, hover and completion
 * through the server.
 */
#include "check.h"
#include "lsp_client.h"
#include "names.h"
#include "workspace.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOT VAULT_TEST_DIR "/attach/vault"

static struct workspace *load(const char *root)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, root);
	workspace_install(ws, workspace_scan(&root, 1, &cfg, 2, NULL, NULL, NULL, NULL));
	config_fini(&cfg);
	return ws;
}

static int32_t find_in(const struct workspace *ws, const char *root, const char *rel)
{
	struct strbuf p = { 0 };
	strbuf_printf(&p, "%s/%s", root, rel);
	int32_t id = workspace_find(ws, p.ptr);
	strbuf_fini(&p);
	return id;
}

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

static void describe(const struct workspace *ws, int32_t from, const char *text, struct strbuf *out)
{
	struct note *n = note_parse(text, strlen(text));
	if (n->links.len != 1) {
		strbuf_printf(out, "%u links parsed", n->links.len);
		note_free(n);
		return;
	}
	const struct wikilink *l = &n->links.items[0];
	struct resolution r = workspace_resolve(ws, from, note_slice(n, wikilink_target(l)),
						note_slice(n, wikilink_subpath(l)), l->has_subpath);
	if (!(l->flags & WIKILINK_CLOSED) || r.status == LINK_IGNORED) {
		strbuf_puts(out, "ignored");
	} else if (r.status == LINK_UNRESOLVED) {
		strbuf_puts(out, "unresolved");
	} else {
		const struct ws_note *t = workspace_get(ws, (uint32_t)r.note);
		strbuf_puts(out, t->rel);
		if (t->attachment)
			strbuf_puts(out, " attachment");
		if (r.ambiguous)
			strbuf_puts(out, " ambiguous");
		if (r.heading >= 0)
			strbuf_printf(out, " heading=%s", t->note->headings.items[r.heading].text);
		if (r.status == LINK_HEADING_MISSING)
			strbuf_puts(out, " heading-missing");
		if (r.status == LINK_BLOCK_MISSING)
			strbuf_puts(out, " block-missing");
	}
	note_free(n);
}

static void test_link_cases(const struct workspace *ws)
{
	FILE *f = fopen(VAULT_TEST_DIR "/attach/links.txt", "r");
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
		int32_t from = find_in(ws, ROOT, field[0]);
		OK(from >= 0);
		struct strbuf got = { 0 };
		strbuf_init(&got);
		describe(ws, from, field[1], &got);
		if (strcmp(got.ptr, field[2]) != 0) {
			fprintf(stderr, "attach/links.txt: %s from %s: expected \"%s\", got \"%s\"\n",
				field[1], field[0], field[2], got.ptr);
			harness_failed++;
		} else {
			harness_passed++;
		}
		strbuf_fini(&got);
		cases++;
	}
	fclose(f);
	OK(cases >= 60);
}

/* Indexed by name, and not as notes anywhere it matters. */
static void test_not_notes(struct workspace *ws)
{
	INT_EQ(workspace_count(ws), 3);
	INT_EQ(workspace_attachment_count(ws), 12);
	static const char *const hidden[] = { ".obsidian/hidden.png", ".hidden.png",
					      "node_modules/pkg.png", "Private/private.png",
					      ".gitignore" };
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		OK(find_in(ws, ROOT, hidden[i]) < 0);
	int32_t png = find_in(ws, ROOT, "assets/diagram.png");
	OK(png >= 0);
	if (png < 0)
		return;
	const struct ws_note *wn = workspace_get(ws, (uint32_t)png);
	OK(wn->attachment);
	STR_EQ(wn->stem, "diagram.png");
	STR_EQ(wn->kind, "");
	INT_EQ(wn->n_keys, 0);
	/* Backlinks as for a note: three links in Index, one in Deep. */
	INT_EQ(wn->backlinks.len, 4);
	STR_EQ(workspace_attachment_type("a/b.PNG"), "image");
	STR_EQ(workspace_attachment_type("report.pdf"), "PDF");
	STR_EQ(workspace_attachment_type("Clip.MP4"), "video");
	STR_EQ(workspace_attachment_type("song.m4a"), "audio");
	STR_EQ(workspace_attachment_type("Board.canvas"), "canvas");
	STR_EQ(workspace_attachment_type("data.xyz"), "file");
	STR_EQ(workspace_attachment_type("v1.2 release"), "file");
	OK(workspace_is_attachment_path("a/b.png"));
	OK(!workspace_is_attachment_path("a/b.MD"));

	/* Not a name that facts would learn... */
	static const char *const names[] = { "diagram.png", "Plan.png", "report.pdf", "data.xyz" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct strbuf key = { 0 };
		names_search_key(slice_from_cstr(names[i]), &key);
		uint32_t id = 0;
		INT_EQ(workspace_phrase(ws, (struct slice){ key.ptr, key.len }, &id), -1);
		strbuf_fini(&key);
	}
	/* ...nor one completion ranks among notes... */
	struct name_table t = workspace_name_table(ws);
	for (uint32_t i = 0; i < t.len; i++)
		OK(!workspace_get(ws, t.entries[i].id)->attachment);
	/* ...nor a did-you-mean for a note link. */
	struct id_list ids = { 0 };
	struct cstr_list got = { 0 };
	workspace_suggest(ws, SLICE_LIT("diagram.pn"), 8, &ids, &got);
	for (uint32_t i = 0; i < ids.len; i++)
		OK(!workspace_get(ws, ids.items[i])->attachment);
	array_free(&ids);
	array_free(&got);
	/* Never diagnosed: nothing to take. */
	struct id_list affected = { 0 };
	workspace_take_affected(ws, &affected);
	for (uint32_t i = 0; i < affected.len; i++)
		OK(!workspace_get(ws, affected.items[i])->attachment);
	array_free(&affected);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf b = { 0 };
	strbuf_init(&b);
	if (f) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_put(&b, buf, n);
		fclose(f);
	}
	return strbuf_detach(&b);
}

static void test_check(void)
{
	/* Paths are printed as the root was given: run from tests/. */
	char cwd[4096];
	OK(getcwd(cwd, sizeof(cwd)) != NULL);
	OK(chdir(VAULT_TEST_DIR) == 0);
	char *out = NULL, *err = NULL;
	size_t ol, el;
	FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
	char *args[] = { "attach/vault" };
	INT_EQ(check_main(1, args, o, e), 0);
	fclose(o);
	fclose(e);
	char *expected = slurp("attach/check.expected");
	STR_EQ(out, expected);
	if (strcmp(out, expected) != 0)
		fprintf(stderr, "--- got:\n%s", out);
	STR_EQ(err, "");
	free(out);
	free(err);
	free(expected);
	OK(chdir(cwd) == 0);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	FILE *f = fopen(path, "wb");
	OK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char *status_of(const struct workspace *ws, int32_t note, uint32_t link)
{
	const struct ws_note *wn = workspace_get(ws, (uint32_t)note);
	if (!wn || link >= wn->note->links.len)
		return "?";
	const struct resolution *r = &wn->res[link];
	if (r->note < 0)
		return "unresolved";
	return workspace_get(ws, (uint32_t)r->note)->rel;
}

static bool took(struct workspace *ws, int32_t id)
{
	struct id_list a = { 0 };
	workspace_take_affected(ws, &a);
	bool found = false;
	for (uint32_t i = 0; i < a.len; i++)
		found |= a.items[i] == (uint32_t)id;
	array_free(&a);
	return found;
}

/* Files coming and going: the links naming them follow, as for notes. */
static void test_updates(void)
{
	char dir[] = "/tmp/vault-attach-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	put(dir, "Notes/Sub/Linker.md",
	    "# Linker\n\n![[new.png]] [[./Later]] ![[../img/Pic.JPG|300]] [[../../top.pdf#page=2]] "
	    "[[../../../out.png]]\n");
	struct workspace *ws = load(dir);
	int32_t linker = find_in(ws, dir, "Notes/Sub/Linker.md");
	OK(linker >= 0);
	took(ws, linker);
	for (uint32_t i = 0; i < 5; i++)
		STR_EQ(status_of(ws, linker, i), "unresolved");

	/* Created on disk, then told of (a file event). */
	char path[1024];
	const char *news[] = { "new.png", "Notes/img/pic.jpg", "top.pdf", "out.png" };
	for (size_t i = 0; i < 4; i++) {
		put(dir, news[i], "x");
		snprintf(path, sizeof(path), "%s/%s", dir, news[i]);
		OK(workspace_reload(ws, path) >= 0);
	}
	STR_EQ(status_of(ws, linker, 0), "new.png");
	STR_EQ(status_of(ws, linker, 1), "unresolved");
	STR_EQ(status_of(ws, linker, 2), "Notes/img/pic.jpg");
	STR_EQ(status_of(ws, linker, 3), "top.pdf");
	STR_EQ(status_of(ws, linker, 4), "unresolved"); /* above the vault */
	OK(took(ws, linker));
	INT_EQ(workspace_count(ws), 1);
	INT_EQ(workspace_attachment_count(ws), 4);

	/* A relative link that dangles resolves once its note exists. */
	put(dir, "Notes/Sub/Later.md", "# Later\n");
	snprintf(path, sizeof(path), "%s/Notes/Sub/Later.md", dir);
	OK(workspace_reload(ws, path) >= 0);
	STR_EQ(status_of(ws, linker, 1), "Notes/Sub/Later.md");
	OK(took(ws, linker));

	/* Deleted: the link dangles again. Renamed: it follows the name. */
	snprintf(path, sizeof(path), "%s/new.png", dir);
	OK(unlink(path) == 0);
	INT_EQ(workspace_reload(ws, path), -1);
	STR_EQ(status_of(ws, linker, 0), "unresolved");
	OK(took(ws, linker));
	char to[1024];
	snprintf(path, sizeof(path), "%s/top.pdf", dir);
	snprintf(to, sizeof(to), "%s/Notes/Top.PDF", dir);
	OK(rename(path, to) == 0);
	workspace_reload(ws, path);
	workspace_reload(ws, to);
	STR_EQ(status_of(ws, linker, 3), "unresolved"); /* a relative path names one place */
	INT_EQ(workspace_attachment_count(ws), 3);

	/* A file opened as text is a note while it is open, a file again
	 * after (sync_did_close reloads it). */
	snprintf(path, sizeof(path), "%s/Notes/img/pic.jpg", dir);
	workspace_set_text(ws, path, "text", 4);
	OK(!workspace_get(ws, (uint32_t)workspace_find(ws, path))->attachment);
	INT_EQ(workspace_count(ws), 3);
	OK(workspace_reload(ws, path) >= 0);
	OK(workspace_get(ws, (uint32_t)workspace_find(ws, path))->attachment);
	INT_EQ(workspace_count(ws), 2);
	STR_EQ(status_of(ws, linker, 2), "Notes/img/pic.jpg");

	/* Listed again after new ignore rules (vault_sync_rescan). */
	put(dir, "later.gif", "x");
	snprintf(path, sizeof(path), "%s/later.gif", dir);
	const char *paths[] = { path };
	workspace_add_files(ws, paths, 1);
	OK(workspace_find(ws, path) >= 0);
	OK(workspace_get(ws, (uint32_t)workspace_find(ws, path))->attachment);
	workspace_free(ws);

	char cmd[1100];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
}

/* ---- through the server ---------------------------------------------- */

static char *uri_of(const char *rel)
{
	struct strbuf p = { 0 };
	strbuf_printf(&p, "%s%s%s", ROOT, rel[0] ? "/" : "", rel);
	char *uri = uri_from_path(p.ptr);
	strbuf_fini(&p);
	return uri;
}

#define SCRATCH "Scratch.md"

static void start(struct client *c, const char *text)
{
	client_init(c);
	char *root = uri_of("");
	client_request(c, "initialize",
		       json_pack("{s:i, s:s, s:{s:{s:{s:b, s:[s]}}}}", "processId", 1, "rootUri", root,
				 "capabilities", "workspace", "workspaceEdit", "documentChanges", 1,
				 "resourceOperations", "create"));
	free(root);
	client_notify(c, "initialized", json_object());
	char *uri = uri_of(SCRATCH);
	client_notify(c, "textDocument/didOpen",
		      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				"markdown", "version", 1, "text", text));
	free(uri);
}

static int at(struct client *c, const char *method, int line, int ch)
{
	char *uri = uri_of(SCRATCH);
	int id = client_request(c, method, json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri",
						     uri, "position", "line", line, "character", ch));
	free(uri);
	return id;
}

static const char *field(const json_t *item, const char *key)
{
	const char *s = json_string_value(json_object_get(item, key));
	return s ? s : "";
}

static int at_range(struct client *c, const char *method, int line, int ch)
{
	char *uri = uri_of(SCRATCH);
	int id = client_request(c, method,
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[]}}", "textDocument", "uri", uri,
			  "range", "start", "line", line, "character", ch, "end", "line", line,
			  "character", ch, "context", "diagnostics"));
	free(uri);
	return id;
}

static bool offers_create(const struct client *c, int id)
{
	size_t i;
	json_t *a;
	bool found = false;
	json_array_foreach(client_result(c, id), i, a)
		found |= strncmp(field(a, "title"), "Create note", 11) == 0;
	return found;
}

static const json_t *labelled(const struct client *c, int id, const char *label)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(client_result(c, id), "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "label")), label) == 0)
			return it;
	return NULL;
}

static const char *inserts(const json_t *item)
{
	const char *s = json_string_value(json_object_get(json_object_get(item, "textEdit"), "newText"));
	return s ? s : "";
}

static void test_server(void)
{
	struct client c;
	start(&c,
	      "![[diagram.png|300]] [[report.pdf#page=3]] [[Plan]] [[Plan.png]] ![[logo.svg]]\n"
	      "![[diag\n"
	      "[[diag\n"
	      "![[logo\n"
	      "![[plan\n"
	      "[[missing.png]]\n"
	      "![[diagram.png|\n"
	      "![[report.pdf#\n"
	      "[[Missing Note]]\n");
	int def_png = at(&c, "textDocument/definition", 0, 5);
	int def_pdf = at(&c, "textDocument/definition", 0, 25);
	int def_note = at(&c, "textDocument/definition", 0, 47);
	int def_amb = at(&c, "textDocument/definition", 0, 70);
	int hov_png = at(&c, "textDocument/hover", 0, 5);
	int hov_pdf = at(&c, "textDocument/hover", 0, 25);
	int hov_plan = at(&c, "textDocument/hover", 0, 57);
	int hov_amb = at(&c, "textDocument/hover", 0, 70);
	int hov_missing = at(&c, "textDocument/hover", 5, 5);
	int embed = at(&c, "textDocument/completion", 1, 7);
	int plain = at(&c, "textDocument/completion", 2, 6);
	int logos = at(&c, "textDocument/completion", 3, 7);
	int plans = at(&c, "textDocument/completion", 4, 7);
	int size = at(&c, "textDocument/completion", 6, 15);
	int page = at(&c, "textDocument/completion", 7, 14);
	char *scratch = uri_of(SCRATCH);
	int links = client_request(&c, "textDocument/documentLink",
				   json_pack("{s:{s:s}}", "textDocument", "uri", scratch));
	free(scratch);
	int fix_png = at_range(&c, "textDocument/codeAction", 5, 3);
	int fix_note = at_range(&c, "textDocument/codeAction", 8, 3);
	client_run(&c, true);

	/* Definition opens the file, at its start. */
	char *png = uri_of("assets/diagram.png"), *pdf = uri_of("report.pdf");
	char *plan = uri_of("Projects/Plan.md");
	json_t *loc = json_array_get(client_result(&c, def_png), 0);
	STR_EQ(json_string_value(json_object_get(loc, "uri")), png);
	int l1, c1, l2, c2;
	range_of(json_object_get(loc, "range"), &l1, &c1, &l2, &c2);
	OK(l1 == 0 && c1 == 0 && l2 == 0 && c2 == 0);
	loc = json_array_get(client_result(&c, def_pdf), 0);
	STR_EQ(json_string_value(json_object_get(loc, "uri")), pdf);
	loc = json_array_get(client_result(&c, def_note), 0);
	STR_EQ(json_string_value(json_object_get(loc, "uri")), plan);
	INT_EQ(json_array_size(client_result(&c, def_amb)), 2);

	/* Hover says what it is, how big, where. */
	const char *h = json_string_value(json_object_get(
		json_object_get(client_result(&c, hov_png), "contents"), "value"));
	OK(h && strstr(h, "diagram.png") && strstr(h, "(image, 2.4 KB)") &&
	   strstr(h, "`assets/diagram.png`"));
	h = json_string_value(json_object_get(json_object_get(client_result(&c, hov_pdf), "contents"),
					      "value"));
	OK(h && strstr(h, "(PDF, 1.5 KB)") && strstr(h, "`report.pdf`"));
	h = json_string_value(json_object_get(json_object_get(client_result(&c, hov_plan), "contents"),
					      "value"));
	OK(h && strstr(h, "(image, 3 bytes)") && strstr(h, "`Projects/Plan.png`"));
	h = json_string_value(json_object_get(json_object_get(client_result(&c, hov_amb), "contents"),
					      "value"));
	OK(h && strstr(h, "2 files are named") && strstr(h, "`assets/logo.svg` (image)"));
	h = json_string_value(json_object_get(
		json_object_get(client_result(&c, hov_missing), "contents"), "value"));
	OK(h && strstr(h, "No file named"));

	/* "![[" offers files, by name, with their folder and type... */
	const json_t *it = labelled(&c, embed, "diagram.png");
	OK(it != NULL);
	STR_EQ(inserts(it), "diagram.png]]");
	OK(strstr(field(it, "detail"), "image") && strstr(field(it, "detail"), "assets/"));
	/* ..."[[" only notes. */
	OK(labelled(&c, plain, "diagram.png") == NULL);
	/* Two files with one name: the shortest path that names each. */
	it = labelled(&c, logos, "logo.svg");
	OK(it != NULL);
	size_t i, n = 0;
	json_t *x;
	bool assets = false, other = false;
	json_array_foreach(json_object_get(client_result(&c, logos), "items"), i, x) {
		if (strcmp(field(x, "label"), "logo.svg") != 0)
			continue;
		n++;
		assets |= strcmp(inserts(x), "assets/logo.svg]]") == 0;
		other |= strcmp(inserts(x), "other/logo.svg]]") == 0;
	}
	INT_EQ(n, 2);
	OK(assets && other);
	/* A note and an image sharing a name: both, each reaching itself. */
	it = labelled(&c, plans, "Plan");
	OK(it && strcmp(inserts(it), "Plan]]") == 0);
	it = labelled(&c, plans, "Plan.png");
	OK(it && strcmp(inserts(it), "Plan.png]]") == 0);

	/* After '|' or '#': nothing to offer for a file. */
	INT_EQ(json_array_size(json_object_get(client_result(&c, size), "items")), 0);
	INT_EQ(json_array_size(json_object_get(client_result(&c, page), "items")), 0);

	/* A missing file is not a note to create; a missing note is. */
	OK(!offers_create(&c, fix_png));
	OK(offers_create(&c, fix_note));

	/* Document links open the file itself, with no line to go to. */
	json_t *first = json_array_get(client_result(&c, links), 0);
	STR_EQ(json_string_value(json_object_get(first, "target")), png);
	STR_EQ(json_string_value(json_object_get(first, "tooltip")), "assets/diagram.png");

	free(png);
	free(pdf);
	free(plan);
	client_fini(&c);
}

int main(void)
{
	struct workspace *ws = load(ROOT);
	test_link_cases(ws);
	test_not_notes(ws);
	workspace_free(ws);
	test_check();
	test_updates();
	test_server();
	return harness_done("test_attach");
}
