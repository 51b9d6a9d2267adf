/*
 * test_diagconfig.c — the diagnostics settings changing while the real
 * server runs: `diagnostics:` severities and diagnosticsIgnore edited in
 * .vault-lsp.yaml (which the server watches), then sent in
 * workspace/didChangeConfiguration. After each change the problem list
 * the client was last told of, severities included, must be exactly what
 * `vault-lsp check` prints for the same settings: nothing stale stays.
 */
#include "lsp_proc.h"

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sh(const char *fmt, const char *dir)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), fmt, dir, dir, dir, dir);
	OK(system(cmd) == 0);
}

static const char *const severities[] = { "?", "error", "warning", "info", "hint" };

/* "rel:line:severity:code" for every diagnostic the client was last told of. */
static void server_view(const struct proc *p, const char *dir, struct strbuf *out)
{
	json_t *last = json_object();
	size_t i;
	json_t *m;
	json_array_foreach(p->seen, i, m) {
		const char *meth = json_string_value(json_object_get(m, "method"));
		if (meth && strcmp(meth, "textDocument/publishDiagnostics") == 0) {
			json_t *params = json_object_get(m, "params");
			json_object_set(last, json_string_value(json_object_get(params, "uri")),
					json_object_get(params, "diagnostics"));
		}
	}
	struct str_list lines = { 0 };
	const char *uri;
	json_t *diags;
	json_object_foreach(last, uri, diags) {
		char *path = uri_to_path(uri);
		const char *rel = path + strlen(dir) + 1;
		json_t *d;
		json_array_foreach(diags, i, d) {
			json_int_t sev = json_integer_value(json_object_get(d, "severity"));
			char line[1024];
			snprintf(line, sizeof(line), "%s:%lld:%s:%s", rel,
				 (long long)json_integer_value(json_object_get(json_object_get(json_object_get(d,
					"range"), "start"), "line")) + 1,
				 severities[sev >= 1 && sev <= 4 ? sev : 0],
				 json_string_value(json_object_get(d, "code")));
			str_list_push(&lines, line);
		}
		free(path);
	}
	json_decref(last);
	qsort(lines.items, lines.len, sizeof(char *), strcmp_ptr);
	for (uint32_t k = 0; k < lines.len; k++)
		strbuf_printf(out, "%s\n", lines.items[k]);
	str_list_free(&lines);
}

/* The same from `vault-lsp check --format json DIR`. */
static void check_view(const char *dir, struct strbuf *out)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "'%s' check --format json '%s' 2>/dev/null", VAULT_BINARY, dir);
	FILE *f = popen(cmd, "r");
	struct str_list lines = { 0 };
	char buf[65536];
	while (f && fgets(buf, sizeof(buf), f)) {
		json_t *j = json_loads(buf, 0, NULL);
		if (!j)
			continue;
		char line[1024];
		snprintf(line, sizeof(line), "%s:%lld:%s:%s",
			 json_string_value(json_object_get(j, "path")) + strlen(dir) + 1,
			 (long long)json_integer_value(json_object_get(j, "line")),
			 json_string_value(json_object_get(j, "severity")),
			 json_string_value(json_object_get(j, "code")));
		str_list_push(&lines, line);
		json_decref(j);
	}
	if (f)
		pclose(f);
	qsort(lines.items, lines.len, sizeof(char *), strcmp_ptr);
	for (uint32_t k = 0; k < lines.len; k++)
		strbuf_printf(out, "%s\n", lines.items[k]);
	str_list_free(&lines);
}

static bool is_publish(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "textDocument/publishDiagnostics") == 0;
}

/* Reads until nothing has come for `quiet` seconds (at most `limit`). */
static void settle(struct proc *p, double quiet, double limit)
{
	double end = now() + limit;
	size_t seen = json_array_size(p->seen);
	double last_change = now();
	while (now() < end && now() - last_change < quiet) {
		pump(p, 0.05);
		if (json_array_size(p->seen) != seen) {
			seen = json_array_size(p->seen);
			last_change = now();
		}
	}
}

/* The live view now, compared with check's on the vault as it is. */
static void expect_agree(struct proc *p, const char *dir, struct strbuf *live)
{
	struct strbuf fresh = { 0 };
	strbuf_init(&fresh);
	live->len = 0;
	if (live->ptr)
		live->ptr[0] = '\0';
	server_view(p, dir, live);
	check_view(dir, &fresh);
	STR_EQ(live->ptr ? live->ptr : "", fresh.ptr);
	strbuf_fini(&fresh);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	char dir[] = "/tmp/vault-diagcfg-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	sh("cp -r '" VAULT_TEST_DIR "/vault/.' '%s/'", dir);
	/* Contacts/ indexed but silent; the frontmatter error a warning. */
	sh("printf 'diagnosticsIgnore:\\n  - Contacts/\\ndiagnostics:\\n"
	   "  invalid-frontmatter: warning\\n' > '%s/.vault-lsp.yaml'", dir);

	struct proc p;
	OK(spawn(&p));
	initialize(&p, dir); /* the server watches the vault itself */
	OK(wait_for(&p, is_publish, NULL, 10) != NULL);
	settle(&p, 1.0, 20);
	struct strbuf live = { 0 };
	strbuf_init(&live);
	expect_agree(&p, dir, &live);
	OK(strstr(live.ptr, "Contacts/") == NULL);
	OK(strstr(live.ptr, "People/Broken Frontmatter.md:5:warning:invalid-frontmatter\n") != NULL);
	/* Links into the silent folder still resolve: no unresolved link
	 * names a note of Contacts/ (People/ and Contacts/ share Ragnar). */
	OK(strstr(live.ptr, "ambiguous-link") != NULL);

	/* The file changes: Contacts/ speaks again, unresolved links go. */
	sh("printf 'diagnostics: {unresolved-link: off}\\n' > '%s/.vault-lsp.yaml'", dir);
	settle(&p, 1.0, 20);
	expect_agree(&p, dir, &live);
	OK(strstr(live.ptr, "Contacts/Ragnar Eiriksson.md:31:info:near-duplicate-fact\n") != NULL);
	OK(strstr(live.ptr, "unresolved-link") == NULL);
	OK(strstr(live.ptr, "People/Broken Frontmatter.md:5:error:invalid-frontmatter\n") != NULL);

	/* The client's settings, over the file's: People/ silent, ambiguous
	 * links errors. Compared with check on the same settings written to
	 * the file afterwards (the server then has nothing new to say). */
	notify(&p, "workspace/didChangeConfiguration",
	       json_pack("{s:{s:{s:[s], s:{s:s}}}}", "settings", "vault-lsp", "diagnosticsIgnore",
			 "People/", "diagnostics", "ambiguous-link", "error"));
	settle(&p, 1.0, 20);
	struct strbuf after_settings = { 0 };
	strbuf_init(&after_settings);
	server_view(&p, dir, &after_settings);
	sh("printf 'diagnostics: {unresolved-link: off, ambiguous-link: error}\\n"
	   "diagnosticsIgnore: [People/]\\n' > '%s/.vault-lsp.yaml'", dir);
	settle(&p, 1.0, 20);
	expect_agree(&p, dir, &live);
	STR_EQ(after_settings.ptr, live.ptr);
	OK(strstr(live.ptr, "People/") == NULL);
	OK(strstr(live.ptr, ":error:ambiguous-link\n") != NULL);
	OK(strstr(live.ptr, "unresolved-link") == NULL);

	int shut = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &shut, 10) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 10), 0);
	strbuf_fini(&live);
	strbuf_fini(&after_settings);
	sh("rm -rf '%s'", dir);
	return harness_done("test_diagconfig");
}
