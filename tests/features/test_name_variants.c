/*
 * test_name_variants.c — who is who as an editor sees it, on
 * tests/identity/vault: the name-variant diagnostics published for a
 * meeting, hover and go to definition on a variant in the frontmatter, on
 * a With line and in prose (and nothing certain for a name close to two
 * people), and the quick fixes: the alias added to the card, the card's
 * name written instead.
 */
#include "lsp_client.h"

#define MEETING "Meetings/2026-01-12 - Platform sync with Ragnhild.md"

static int at(struct client *c, const char *method, int line, int ch)
{
	char *uri = client_uri(MEETING);
	int id = client_request(c, method, json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument",
						      "uri", uri, "position", "line", line,
						      "character", ch));
	free(uri);
	return id;
}

static const char *hover_text(const struct client *c, int id)
{
	return json_string_value(json_object_get(json_object_get(client_result(c, id), "contents"),
						 "value"));
}

/* The vault-relative path a definition answer leads to, or NULL. */
static const char *leads_to(const struct client *c, int id)
{
	const json_t *loc = json_array_get(client_result(c, id), 0);
	const char *uri = json_string_value(json_object_get(loc, "uri"));
	const char *vault = uri ? strstr(uri, "/identity/vault/") : NULL;
	return vault ? vault + strlen("/identity/vault/") : NULL;
}

static int actions_at(struct client *c, int line, int ch)
{
	char *uri = client_uri(MEETING);
	int id = client_request(c, "textDocument/codeAction",
		json_pack("{s:{s:s}, s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:{s:[]}}", "textDocument", "uri",
			  uri, "range", "start", "line", line, "character", ch, "end", "line", line,
			  "character", ch, "context", "diagnostics"));
	free(uri);
	return id;
}

/* The one TextEdit a WorkspaceEdit makes to a URI ending in `rel`. */
static const json_t *edit_of(const json_t *wedit, const char *rel)
{
	const char *key;
	json_t *edits;
	json_object_foreach(json_object_get(wedit, "changes"), key, edits) {
		size_t n = strlen(key), r = strlen(rel);
		if (n >= r && strcmp(key + n - r, rel) == 0)
			return json_array_get(edits, 0);
	}
	return NULL;
}

static char *read_meeting(void)
{
	struct strbuf p = { 0 }, text = { 0 };
	strbuf_printf(&p, "%s/%s/%s", VAULT_TEST_DIR, client_vault, MEETING);
	FILE *f = fopen(p.ptr, "rb");
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&text, buf, n);
	if (f)
		fclose(f);
	strbuf_fini(&p);
	return strbuf_detach(&text);
}

/* Applies TextEdits to text, the last first. Each edit's line is ASCII up
 * to the edit, so a character is a byte there. */
static char *apply(const char *text, const json_t *edits)
{
	struct strbuf cur = { 0 };
	strbuf_puts(&cur, text);
	for (size_t k = json_array_size(edits); k-- > 0;) {
		int l1, c1, l2, c2;
		const json_t *e = json_array_get(edits, k);
		range_of(json_object_get(e, "range"), &l1, &c1, &l2, &c2);
		size_t s = 0;
		for (int l = 0; l < l1; l++)
			s = (size_t)(strchr(cur.ptr + s, '\n') - cur.ptr) + 1;
		size_t from = s + (size_t)c1, to = s + (size_t)c2;
		struct strbuf next = { 0 };
		strbuf_put(&next, cur.ptr, from);
		strbuf_puts(&next, json_string_value(json_object_get(e, "newText")));
		strbuf_puts(&next, cur.ptr + to);
		strbuf_fini(&cur);
		cur = next;
	}
	return strbuf_detach(&cur);
}

/* How many lines of a are not lines of b; each such line must contain
 * `must` (if given). */
static int lines_not_in(const char *a, const char *b, const char *must)
{
	int k = 0;
	struct strbuf hay = { 0 }, needle = { 0 };
	strbuf_printf(&hay, "\n%s", b ? b : "");
	for (const char *line = a; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		needle.len = 0;
		strbuf_putc(&needle, '\n');
		strbuf_put(&needle, line, n);
		strbuf_putc(&needle, '\n');
		if (!strstr(hay.ptr, needle.ptr)) {
			k++;
			if (must)
				OK(strstr(needle.ptr, must) != NULL);
		}
		line = nl ? nl + 1 : NULL;
	}
	strbuf_fini(&hay);
	strbuf_fini(&needle);
	return k;
}

/* The diagnostics the server publishes for the meeting after
 * its text is replaced by `text`, sorted, one a line. */
static void variants_after(const char *text, struct strbuf *out)
{
	struct client c;
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, MEETING);
	char *uri = client_uri(MEETING);
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:s}]}",
		"textDocument", "uri", uri, "version", 2, "contentChanges", "text", text));
	client_run(&c, true);
	const json_t *pub = client_last(&c, "textDocument/publishDiagnostics", uri);
	free(uri);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(json_object_get(pub, "params"), "diagnostics"), i, d) {
		int l1, c1, l2, c2;
		range_of(json_object_get(d, "range"), &l1, &c1, &l2, &c2);
		strbuf_printf(out, "%d:%s %s\n", l1, json_string_value(json_object_get(d, "code")),
			      json_string_value(json_object_get(d, "message")));
	}
	client_fini(&c);
}

int main(void)
{
	client_vault = "identity/vault";
	struct client c;
	client_init(&c);
	client_start(&c, json_pack("{s:{s:{s:b}}}", "textDocument", "hover", "dynamicRegistration", 0),
		     NULL);
	client_open(&c, MEETING);
	int fm_hover = at(&c, "textDocument/hover", 5, 6);    /* - Ragnhild Sohlberg */
	int with_hover = at(&c, "textDocument/hover", 16, 14); /* **With**: Ragnhild Sohlberg */
	int jonn_hover = at(&c, "textDocument/hover", 7, 4);   /* - Jonn Berg */
	int alone_hover = at(&c, "textDocument/hover", 23, 4); /* - Ragnhild wants... */
	int prose_def = at(&c, "textDocument/definition", 21, 5); /* Kasimirdahl from Kvarts */
	int link_def = at(&c, "textDocument/definition", 27, 6);  /* [[Ragnhild Sohlberg]] */
	int jonn_def = at(&c, "textDocument/definition", 22, 4);  /* Jonn Berg will check */
	int fixes = actions_at(&c, 5, 6);
	client_run(&c, true);

	/* Published: the variants of this note, and not the name that is
	 * close to two people or the first name alone. */
	char *uri = client_uri(MEETING);
	const json_t *pub = client_last(&c, "textDocument/publishDiagnostics", uri);
	free(uri);
	OK(pub != NULL);
	int variants = 0;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(json_object_get(pub, "params"), "diagnostics"), i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *msg = json_string_value(json_object_get(d, "message"));
		if (code && strcmp(code, "name-variant") == 0) {
			variants++;
			OK(strstr(msg, "Jonn") == NULL && strncmp(msg, "'Ragnhild' ", 11) != 0);
			INT_EQ(json_integer_value(json_object_get(d, "severity")), 3);
			OK(json_array_size(json_object_get(d, "relatedInformation")) == 1);
		}
	}
	INT_EQ(variants, 8);

	const char *h = hover_text(&c, fm_hover);
	OK(h && strstr(h, "*Ragnhild Sohlberg* is probably **Ragnhild Solberg** (`People/`): first "
			  "name the same, surname 'sohlberg' one letter from 'solberg'") != NULL);
	OK(h && strstr(h, "Head of Platform") != NULL); /* the card's preview */
	const char *w = hover_text(&c, with_hover);
	OK(w && strstr(w, "is probably **Ragnhild Solberg**") != NULL);
	const char *j = hover_text(&c, jonn_hover);
	OK(j && strstr(j, "*Jonn Berg* could be **") != NULL && strstr(j, "Jon Berg") &&
	   strstr(j, "Jan Berg") && strstr(j, "too close to both to say which"));
	/* A first name alone names nobody: no hover at all. */
	OK(client_response(&c, alone_hover) && json_is_null(client_result(&c, alone_hover)));

	STR_EQ(leads_to(&c, prose_def), "People/Kasimir%20Dahl.md");
	STR_EQ(leads_to(&c, link_def), "People/Ragnhild%20Solberg.md");
	OK(client_response(&c, jonn_def) && json_is_null(client_result(&c, jonn_def)));

	/* The fixes: the spelling becomes an alias of the card (preferred), or
	 * the card's name is written here. */
	const json_t *add = client_action_titled(&c, fixes, "Add 'Ragnhild Sohlberg' as an alias of Ragnhild Solberg");
	OK(add && json_is_true(json_object_get(add, "isPreferred")));
	const json_t *e = add ? edit_of(json_object_get(add, "edit"), "People/Ragnhild%20Solberg.md") : NULL;
	OK(e && strstr(json_string_value(json_object_get(e, "newText")), "Ragnhild Sohlberg"));
	const json_t *rep = client_action_titled(&c, fixes, "Replace with 'Ragnhild Solberg'");
	e = rep ? edit_of(json_object_get(rep, "edit"), "Platform%20sync%20with%20Ragnhild.md") : NULL;
	OK(e != NULL);
	if (e) {
		STR_EQ(json_string_value(json_object_get(e, "newText")), "Ragnhild Solberg");
		int l1, c1, l2, c2;
		range_of(json_object_get(e, "range"), &l1, &c1, &l2, &c2);
		INT_EQ(l1, 5);
		INT_EQ(c1, 2);
		INT_EQ(l2, 5);
		INT_EQ(c2, 19);
	}
	client_fini(&c);

	/* The spelling declared on the card: the meeting, open, is told again
	 * at once and its four Ragnhild Sohlberg findings go; the others stay. */
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, MEETING);
	client_open(&c, "People/Ragnhild Solberg.md");
	char *card = client_uri("People/Ragnhild Solberg.md");
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}]}",
		"textDocument", "uri", card, "version", 2, "contentChanges", "range", "start", "line", 1,
		"character", 0, "end", "line", 1, "character", 0, "text", "aliases: [Ragnhild Sohlberg]\n"));
	free(card);
	client_run(&c, true);
	uri = client_uri(MEETING);
	pub = client_last(&c, "textDocument/publishDiagnostics", uri);
	free(uri);
	variants = 0;
	int sohlberg = 0;
	json_array_foreach(json_object_get(json_object_get(pub, "params"), "diagnostics"), i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *msg = json_string_value(json_object_get(d, "message"));
		variants += code && strcmp(code, "name-variant") == 0;
		sohlberg += msg && strstr(msg, "Sohlberg") != NULL;
	}
	INT_EQ(variants, 4);
	INT_EQ(sohlberg, 0);
	client_fini(&c);

	/* Completion finds a person typed in another spelling: first, and with
	 * what was typed in its filter text, so that the editor keeps it. */
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, MEETING);
	uri = client_uri(MEETING);
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}]}",
		"textDocument", "uri", uri, "version", 2, "contentChanges", "range", "start", "line", 24,
		"character", 0, "end", "line", 24, "character", 0, "text", "- [[Ragnhild Sohlberg"));
	free(uri);
	int typed = at(&c, "textDocument/completion", 24, 21);
	client_run(&c, true);
	const json_t *first = json_array_get(json_object_get(client_result(&c, typed), "items"), 0);
	STR_EQ(json_string_value(json_object_get(first, "label")), "Ragnhild Solberg");
	const char *filter = json_string_value(json_object_get(first, "filterText"));
	OK(filter && strstr(filter, "Ragnhild Sohlberg") != NULL);
	client_fini(&c);

	/* The spelling declared and the card's name written everywhere it was
	 * found, in one edit: the four places of the meeting (the only note
	 * diagnosed when the action is asked for, in a burst). */
	client_init(&c);
	c.batch = true;
	client_start(&c, json_pack("{s:{s:{s:b}}}", "workspace", "workspaceEdit", "documentChanges", 0),
		     NULL);
	client_open(&c, MEETING);
	int all = actions_at(&c, 5, 6);
	client_run(&c, true);
	const json_t *every = client_action_titled(&c, all, "Add 'Ragnhild Sohlberg' as an alias of Ragnhild "
					     "Solberg and write 'Ragnhild Solberg' in all 4 places");
	OK(every != NULL);
	const json_t *changes = json_object_get(json_object_get(every, "edit"), "changes");
	const char *key;
	json_t *edits;
	int in_meeting = 0, in_card = 0;
	json_object_foreach((json_t *)changes, key, edits) {
		if (strstr(key, "Platform%20sync"))
			in_meeting = (int)json_array_size(edits);
		if (strstr(key, "People/Ragnhild%20Solberg.md"))
			in_card = (int)json_array_size(edits);
	}
	INT_EQ(in_meeting, 4);
	INT_EQ(in_card, 1); /* the alias */

	/* Applied and checked again: the replace fix takes exactly its own
	 * finding away, the fix for every place the four; nothing else
	 * changes (the card's alias edit is not applied here: the meeting
	 * alone shows the writing). */
	const json_t *replace = client_action_titled(&c, all, "Replace with 'Ragnhild Solberg'");
	const json_t *rep_edits = NULL, *all_edits = NULL;
	json_object_foreach(json_object_get(json_object_get(replace, "edit"), "changes"), key, edits)
		if (strstr(key, "Platform%20sync"))
			rep_edits = edits;
	json_object_foreach((json_t *)changes, key, edits)
		if (strstr(key, "Platform%20sync"))
			all_edits = edits;
	OK(rep_edits && all_edits);
	char *text = read_meeting();
	struct strbuf before = { 0 }, one = { 0 }, four = { 0 };
	variants_after(text, &before);
	char *t1 = apply(text, rep_edits), *t4 = apply(text, all_edits);
	variants_after(t1, &one);
	variants_after(t4, &four);
	/* What went, and that nothing came. */
	INT_EQ(lines_not_in(before.ptr, one.ptr, NULL), 1);
	INT_EQ(lines_not_in(before.ptr, four.ptr, "'Ragnhild Sohlberg' is probably"), 4);
	INT_EQ(lines_not_in(one.ptr, before.ptr, NULL), 0);
	/* Except that the link, now to the name, is ambiguous: the vault has
	 * two cards of hers (which the merge fix is for). */
	INT_EQ(lines_not_in(four.ptr, before.ptr, "ambiguous-link Ambiguous link: 2 notes are named "
					       "'Ragnhild Solberg'"), 1);
	free(t1);
	free(t4);
	free(text);
	strbuf_fini(&before);
	strbuf_fini(&one);
	strbuf_fini(&four);
	client_fini(&c);
	return harness_done("test_name_variants");
}
