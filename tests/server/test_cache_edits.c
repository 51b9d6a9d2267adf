/*
 * test_cache_edits.c — the index cache and the notes an editor has open:
 * a request asked at once after a warm start is answered from the index
 * the cache makes, with the open buffer's text; a note saved and quit
 * while open keeps no stale diagnostics; a note opened and closed does
 * not make the whole cache be written again.
 */
#include "cache_session.h"

/* A warm start holds requests back until the index from the cache is
 * in: a definition asked at once, on a line only the open buffer has,
 * finds its person (answered early from the empty index meanwhile, or
 * with the buffer applied to that index and lost with it, it would not). */
static void asked_at_once(void)
{
	unlink(log_path);
	struct proc p;
	OK(start(&p, VAULT_BINARY, xdg, false));
	initialize(&p, vault);
	char path[900];
	snprintf(path, sizeof(path), "%s/_Open Topics.md", vault);
	char *disk = read_text(path);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "%s%s- Ask [[Marek Nowak]] about it.\n", disk,
		      *disk && disk[strlen(disk) - 1] != '\n' ? "\n" : "");
	int line = 0;
	for (const char *c = b.ptr; c < b.ptr + b.len - 1; c++)
		line += *c == '\n';
	char *uri = uri_from_path(path);
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri",
		uri, "languageId", "markdown", "version", 1, "text", b.ptr));
	json_t *def = ask(&p, "textDocument/definition", json_pack("{s:{s:s}, s:{s:i, s:i}}",
		"textDocument", "uri", uri, "position", "line", line, "character", 10));
	char *dump = json_dumps(def, JSON_COMPACT);
	bool found = dump && strstr(dump, "Marek%20Nowak.md") != NULL;
	if (!found)
		fprintf(stderr, "asked at once: definition %s\n", dump ? dump : "(none)");
	OK(found);
	/* Closed: the cache keeps the file's text, as the next sessions
	 * expect. */
	notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	quit(&p);
	char *log = read_text(log_path);
	OK(strstr(log, "0 changed, 0 added, 0 gone") != NULL);
	free(log);
	free(dump);
	json_decref(def);
	free(uri);
	strbuf_fini(&b);
	free(disk);
}

/* A note opened, edited and saved, the editor gone with it still open:
 * the cache holds the buffer's text, the file's now, and the next start
 * publishes for it what that text gives, not what the note's text before
 * the edit gave. */
static void saved_while_open(void)
{
	/* Its diagnostics published (and kept) while it is closed. */
	struct proc p;
	begin_quiet(&p);
	char *uri;
	char *disk = open_note(&p, "_Open Topics.md", &uri);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "%s%s- Ask [[Nobody Here Yet]] about it.\n", disk,
		      *disk && disk[strlen(disk) - 1] != '\n' ? "\n" : "");
	notify(&p, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument",
		"uri", uri, "version", 2, "contentChanges", "text", b.ptr));
	put("_Open Topics.md", b.ptr);
	notify(&p, "textDocument/didSave", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	settle(&p);
	quit(&p);
	char *log = read_text(log_path);
	OK(strstr(log, "index cache: wrote") != NULL);
	free(log);
	same_as_cold("a note saved while open", "0 changed, 0 added, 0 gone");
	put("_Open Topics.md", disk);
	same_as_cold("and as it was", "1 changed, 0 added, 0 gone");
	strbuf_fini(&b);
	free(uri);
	free(disk);
}

/* A note opened and closed is diagnosed again as a closed note: one
 * record kept, with nothing else changed. That is not worth writing the
 * whole cache again for (1.1 GB at 100,000 notes, after every start
 * that diagnoses a note); the next start diagnoses it again if need be. */
static void opened_and_closed(void)
{
	/* Enough notes that one is a small share of them. */
	char dir[900];
	snprintf(dir, sizeof(dir), "%s/Filler", vault);
	OK(mkdir(dir, 0755) == 0);
	for (int i = 0; i < 70; i++) {
		char rel[64], text[160];
		snprintf(rel, sizeof(rel), "Filler/Filler %02d.md", i);
		snprintf(text, sizeof(text), "# Filler %02d\n\n- Filler %02d was reviewed in week %d.\n",
			 i, i, i);
		put(rel, text);
	}
	same_as_cold("70 notes added", "0 changed, 70 added, 0 gone");
	struct proc p;
	begin_quiet(&p);
	char *uri;
	char *text = open_note(&p, "Filler/Filler 07.md", &uri);
	settle(&p);
	notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	settle(&p);
	quit(&p);
	free(text);
	free(uri);
	char *log = read_text(log_path);
	OK(strstr(log, "0 changed, 0 added, 0 gone; 85 diagnostics lists kept") != NULL);
	bool wrote = strstr(log, "index cache: wrote") != NULL;
	if (wrote)
		fprintf(stderr, "a note opened and closed: the cache was written again:\n%s", log);
	OK(!wrote);
	free(log);
	same_as_cold("after a note opened and closed", "0 changed, 0 added, 0 gone");
}

int main(void)
{
	cache_test_setup();
	/* The cache, written by a first start. */
	same_as_cold("a first start", "index cache: wrote");
	asked_at_once();
	saved_while_open();
	opened_and_closed();
	cache_test_cleanup();
	return harness_done("test_cache_edits");
}
