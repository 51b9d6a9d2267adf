/*
 * test_diagconfig.c — the diagnostics settings changing while the real
 * server runs: `diagnostics:` severities and diagnosticsIgnore edited in
 * .vault-lsp.yaml (which the server watches), then sent in
 * workspace/didChangeConfiguration. After each change the problem list
 * the client was last told of, severities included, must be exactly what
 * `vault-lsp check` prints for the same settings: nothing stale stays.
 */
#include "lsp_views.h"

/* The live view now, compared with check's on the vault as it is. */
static void expect_agree(struct proc *p, const char *dir, struct strbuf *live)
{
	struct strbuf fresh = { 0 };
	strbuf_init(&fresh);
	live->len = 0;
	if (live->ptr)
		live->ptr[0] = '\0';
	server_view(p, dir, live, true);
	check_view(dir, &fresh, true);
	STR_EQ(live->ptr ? live->ptr : "", fresh.ptr);
	strbuf_fini(&fresh);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	char dir[] = "/tmp/vault-diagcfg-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	views_sh("cp -r '" VAULT_TEST_DIR "/vault/.' '%s/'", dir);
	/* Contacts/ indexed but silent; the frontmatter error a warning. */
	views_sh("printf 'diagnosticsIgnore:\\n  - Contacts/\\ndiagnostics:\\n"
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
	views_sh("printf 'diagnostics: {unresolved-link: off}\\n' > '%s/.vault-lsp.yaml'", dir);
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
	server_view(&p, dir, &after_settings, true);
	views_sh("printf 'diagnostics: {unresolved-link: off, ambiguous-link: error}\\n"
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
	views_sh("rm -rf '%s'", dir);
	return harness_done("test_diagconfig");
}
