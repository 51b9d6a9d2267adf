/*
 * test_pipes.c — the real vault-lsp binary over real pipes, in real time:
 * diagnostics of closed notes after indexing, watched-file events, edits
 * diagnosed when the input goes quiet, exit codes, the client vanishing
 * mid-message, and a vault left byte for byte as it was.
 */
#include "lsp_proc.h"

static char *vault_checksum(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -type f -print0 | sort -z | xargs -0 md5sum", dir);
	return command_output(cmd);
}

static void test_live_session(void)
{
	char dir[] = "/tmp/vault-pipes-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "cp -r '%s/vault/.' '%s/'", VAULT_TEST_DIR, dir);
	OK(system(cmd) == 0);
	char *before = vault_checksum(dir);

	struct proc p;
	OK(spawn(&p));
	initialize(&p, dir);

	/* Closed notes are diagnosed after indexing, under their file URI
	 * and without a version. */
	struct diag_match priya = { "People/Priya%20Natarajan.md", "duplicate-fact", NULL, 0 };
	OK(wait_for(&p, is_diagnostics, &priya, 20) != NULL);
	struct diag_match contacts = { "Contacts/Ragnar%20Eiriksson.md", "unresolved-link", NULL, 0 };
	OK(wait_for(&p, is_diagnostics, &contacts, 20) != NULL);

	/* A note appears on disk (written by someone else) and the watcher
	 * says so: the links to it resolve, and the closed note that had them
	 * is published again without them. */
	char path[700];
	snprintf(path, sizeof(path), "%s/Customers/Halden Storage.md", dir);
	FILE *f = fopen(path, "w");
	fputs("---\ntype: customer\n---\n# Halden Storage\n", f);
	fclose(f);
	char *uri = uri_from_path(path);
	notify(&p, "workspace/didChangeWatchedFiles",
	       json_pack("{s:[{s:s, s:i}]}", "changes", "uri", uri, "type", 1));
	free(uri);
	struct diag_match resolved = { "Contacts/Ragnar%20Eiriksson.md", "unresolved-link",
				       "'Halden Storage'", 0 };
	OK(wait_for(&p, is_diagnostics, &resolved, 10) != NULL);

	/* Typing: a burst of changes is diagnosed once the input is quiet,
	 * for the last version. */
	snprintf(path, sizeof(path), "%s/People/Marek Nowak.md", dir);
	uri = uri_from_path(path);
	f = fopen(path, "rb");
	char text[4096] = "";
	size_t tl = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[tl] = '\0';
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri",
		uri, "languageId", "markdown", "version", 1, "text", text));
	for (int v = 2; v <= 6; v++)
		notify(&p, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}]}",
			"textDocument", "uri", uri, "version", v, "contentChanges", "range", "start", "line",
			13, "character", 0, "end", "line", 13, "character", 0, "text", "[[Nobody]] "));
	struct diag_match typed = { "People/Marek%20Nowak.md", "unresolved-link", NULL, 6 };
	OK(wait_for(&p, is_diagnostics, &typed, 10) != NULL);
	notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	free(uri);

	int shut = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &shut, 10) != NULL);
	notify(&p, "exit", NULL);
	/* The client keeps our stdin open after exit (Eglot does): the
	 * server ends by itself, with code 0. */
	INT_EQ(finish_keep_open(&p, 10, true), 0);

	/* The server wrote nothing into the vault: only our new note differs. */
	snprintf(path, sizeof(path), "%s/Customers/Halden Storage.md", dir);
	unlink(path);
	char *after = vault_checksum(dir);
	STR_EQ(after, before);
	free(before);
	free(after);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
}

static void test_client_vanishes(void)
{
	/* The client dies in the middle of a message: a clean exit, code 1. */
	struct proc p;
	OK(spawn(&p));
	initialize(&p, VAULT_TEST_DIR "/vault");
	send_raw(&p, "Content-Length: 500\r\n\r\n{\"jsonrpc\":", 34);
	INT_EQ(finish(&p, 10), 1);

	/* Garbage only, then gone. */
	OK(spawn(&p));
	static const char garbage[] = "\x01\x02garbage\r\n\r\nContent-Length: x\r\n\r\n";
	send_raw(&p, garbage, sizeof(garbage) - 1);
	INT_EQ(finish(&p, 10), 1);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_live_session();
	test_client_vanishes();
	return harness_done("test_pipes");
}
