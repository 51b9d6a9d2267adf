/*
 * test_watch.c — the vault changes on disk while the server runs: notes
 * created, edited, renamed and deleted, a folder created with a note in
 * it, a folder deleted, files the walk ignores. Whether the server learns
 * of it from its own watcher (inotify) or from the client's
 * workspace/didChangeWatchedFiles, its problem list afterwards must be
 * exactly what `vault-lsp check` finds on a fresh start on the same files.
 */
#include "lsp_views.h"

static bool is_register(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "client/registerCapability") == 0;
}

static void notify_change(struct proc *p, const char *dir, const char *rel, int type)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	char *uri = uri_from_path(path);
	notify(p, "workspace/didChangeWatchedFiles",
	       json_pack("{s:[{s:s, s:i}]}", "changes", "uri", uri, "type", type));
	free(uri);
}

/* The server on a copy of fixture vault `from`, watching by itself or
 * through the client, with its first diagnostics all in. Returns the glob
 * it registered with the client (NULL when it watches by itself). */
static const char *start_on_copy(struct proc *p, char *dir, const char *from, bool client_watches)
{
	OK(mkdtemp(dir) != NULL);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "cp -r '%s/.' '%%s/'", from);
	views_sh(cmd, dir);
	OK(spawn(p));
	initialize_watching(p, dir, client_watches);
	const json_t *reg = wait_for(p, is_register, NULL, client_watches ? 10 : 0.5);
	OK(client_watches == (reg != NULL));
	const char *glob = NULL;
	if (reg) {
		const json_t *w = json_object_get(json_object_get(json_array_get(json_object_get(
			json_object_get(reg, "params"), "registrations"), 0), "registerOptions"), "watchers");
		glob = json_string_value(json_object_get(json_array_get(w, 0), "globPattern"));
		send_msg(p, rpc_response_new(json_deep_copy(json_object_get(reg, "id")), NULL));
	}
	OK(wait_for(p, is_publish, NULL, 10) != NULL);
	settle(p, 0.5, 20);
	return glob;
}

/* Once the changes are in: the client's problem list is check's on the
 * vault as it is now (live and fresh get both). */
static void expect_agree(struct proc *p, const char *dir, struct strbuf *live, struct strbuf *fresh)
{
	settle(p, 1.0, 20);
	strbuf_init(live);
	strbuf_init(fresh);
	server_view(p, dir, live, false);
	check_view(dir, fresh, false);
	STR_EQ(live->ptr, fresh->ptr);
}

/* Shuts the server down and removes the copy. */
static void stop(struct proc *p, const char *dir, struct strbuf *live, struct strbuf *fresh)
{
	int shut = request(p, "shutdown", NULL);
	OK(wait_for(p, is_response, &shut, 10) != NULL);
	notify(p, "exit", NULL);
	INT_EQ(finish(p, 10), 0);
	strbuf_fini(live);
	strbuf_fini(fresh);
	views_sh("rm -rf '%s'", dir);
}

static void run(bool client_watches)
{
	char dir[] = "/tmp/vault-watch-XXXXXX";
	struct proc p;
	start_on_copy(&p, dir, VAULT_TEST_DIR "/vault", client_watches);

	/* The changes, as a person, a sync tool or the pipeline makes them. */
	views_sh("cd '%s' && printf -- '---\\ntype: customer\\n---\\n# Halden Storage\\n' > 'Customers/Halden Storage.md'", dir);
	views_sh("cd '%s' && sed -i '/- Tomas Wierzbicki/d' 'People/Tomasz Wierzbicki.md'", dir);
	views_sh("cd '%s' && mv 'Projects/Orion Migration (EU region).md' 'Projects/Orion Migration - EU Region.md'", dir);
	views_sh("cd '%s' && rm 'People/Marek Nowak.md'", dir);
	views_sh("cd '%s' && mkdir Clients && printf '# Orbital Compute\\n\\n- Runs GPUs.\\n' > 'Clients/Orbital Compute.md'", dir);
	views_sh("cd '%s' && printf '[[Nowhere]]\\n' > .obsidian/new.md && printf '[[Nowhere]]\\n' > 'Archive/Old/new.md'", dir);
	views_sh("cd '%s' && rm -r Templates", dir);
	/* New ignore rules in the vault's settings: Contacts/ leaves the
	 * index, the notes linking into it change. */
	views_sh("cd '%s' && printf 'ignore:\\n  - Contacts/\\n' > .vault-lsp.yaml", dir);
	if (client_watches) {
		/* What a client watching every Markdown file reports. */
		notify_change(&p, dir, "Customers/Halden Storage.md", 1);
		notify_change(&p, dir, "People/Tomasz Wierzbicki.md", 2);
		notify_change(&p, dir, "Projects/Orion Migration (EU region).md", 3);
		notify_change(&p, dir, "Projects/Orion Migration - EU Region.md", 1);
		notify_change(&p, dir, "People/Marek Nowak.md", 3);
		notify_change(&p, dir, "Clients/Orbital Compute.md", 1);
		notify_change(&p, dir, ".obsidian/new.md", 1);
		notify_change(&p, dir, "Archive/Old/new.md", 1);
		notify_change(&p, dir, "Templates", 3);
		notify_change(&p, dir, ".vault-lsp.yaml", 1);
	}
	struct strbuf live, fresh;
	expect_agree(&p, dir, &live, &fresh);
	/* And the changes did change something: Marek's note is gone, so the
	 * links to him dangle; the links to Halden Storage resolve. */
	OK(strstr(fresh.ptr, "unresolved-link") != NULL);
	OK(strstr(live.ptr, "Marek Nowak.md") == NULL);
	OK(strstr(live.ptr, "Contacts/") == NULL);
	OK(strstr(fresh.ptr, "Contacts/") == NULL);

	stop(&p, dir, &live, &fresh);
}

/* Attachments and relative links (issue 14): files, not notes, coming
 * and going re-resolve the links naming them; the registered glob covers
 * every file, not only notes. */
static void run_attachments(bool client_watches)
{
	char dir[] = "/tmp/vault-watch-XXXXXX";
	struct proc p;
	const char *glob = start_on_copy(&p, dir, VAULT_TEST_DIR "/attach/vault", client_watches);
	if (client_watches)
		STR_EQ(glob, "**/*");

	views_sh("cd '%s' && printf 'png' > missing.png", dir);
	views_sh("cd '%s' && rm other/logo.svg", dir);
	views_sh("cd '%s' && mv report.pdf 'Report (old).pdf'", dir);
	views_sh("cd '%s' && printf '# Nope\n' > Projects/Sub/Nope.md", dir);
	views_sh("cd '%s' && printf 'x' > .obsidian/pkg.png && printf 'x' > Private/hidden.png", dir);
	if (client_watches) {
		notify_change(&p, dir, "missing.png", 1);
		notify_change(&p, dir, "other/logo.svg", 3);
		notify_change(&p, dir, "report.pdf", 3);
		notify_change(&p, dir, "Report (old).pdf", 1);
		notify_change(&p, dir, "Projects/Sub/Nope.md", 1);
		notify_change(&p, dir, ".obsidian/pkg.png", 1);
		notify_change(&p, dir, "Private/hidden.png", 1);
	}
	struct strbuf live, fresh;
	expect_agree(&p, dir, &live, &fresh);
	/* What changed: the missing image and the relative note now exist,
	 * the ambiguity is gone, the links to the renamed PDF dangle. */
	OK(strstr(live.ptr, "Index.md:19:") == NULL);    /* [[missing.png]] */
	OK(strstr(live.ptr, "Deep.md:11:") == NULL);     /* [[./Nope]] */
	OK(strstr(live.ptr, "ambiguous-link") == NULL);
	OK(strstr(live.ptr, "Index.md:8:unresolved-link") != NULL); /* [[report.pdf#page=3]] */
	OK(strstr(live.ptr, "Index.md:22:") != NULL);    /* hidden and ignored: still nothing */

	stop(&p, dir, &live, &fresh);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	run(false); /* the server's own watcher */
	run(true);  /* the client's */
	run_attachments(false);
	run_attachments(true);
	return harness_done("test_watch");
}
