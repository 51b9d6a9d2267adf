/*
 * test_cache.c — the index cache as an editor meets it: the real binary
 * over pipes, on a copy of tests/vault, its cache in a folder of the
 * test's own (XDG_CACHE_HOME). Each session's answers and the
 * diagnostics it publishes must be those of a server that keeps no cache
 * (--no-cache) on the vault as it is then: after a warm start with
 * nothing changed (and nothing diagnosed again); after a note was edited
 * to the same size with its mtime set back, one deleted, one added and
 * one renamed; after a setting changed; with a cache another binary
 * wrote, one cut short, one with a byte changed; with two servers on the
 * vault at once (the file they leave is whole); with a cache folder that
 * cannot be written; and with the cache off (--no-cache, cache: false:
 * none written). Notes opened, edited and closed: test_cache_edits.c.
 */
#include "cache_session.h"

static void two_at_once(void)
{
	char *path = cache_path();
	if (path)
		unlink(path);
	free(path);
	char *cold_log;
	char *cold = session(true, &cold_log);
	struct proc a, b;
	OK(start(&a, VAULT_BINARY, xdg, false));
	OK(start(&b, VAULT_BINARY, xdg, false));
	initialize(&a, vault);
	initialize(&b, vault);
	json_t *seen_a = observe(&a), *seen_b = observe(&b);
	quit(&a);
	quit(&b);
	char *da = json_dumps(seen_a, JSON_SORT_KEYS | JSON_COMPACT);
	char *db = json_dumps(seen_b, JSON_SORT_KEYS | JSON_COMPACT);
	OK(strcmp(da, cold) == 0);
	OK(strcmp(db, cold) == 0);
	json_decref(seen_a);
	json_decref(seen_b);
	free(da);
	free(db);
	free(cold);
	free(cold_log);
	/* The file they left is whole: the next start takes it. */
	same_as_cold("after two servers at once", "diagnostics lists kept");
	char *log = read_text(log_path);
	OK(strstr(log, "not used") == NULL);
	free(log);
}

int main(void)
{
	cache_test_setup();
	char cmd[2400];
	char *listing = vault_listing();

	/* --no-cache: nothing written. */
	char *log0;
	free(session(true, &log0));
	OK(strstr(log0, "index cache: off (--no-cache)") != NULL);
	free(log0);
	char *none = cache_path();
	OK(none == NULL);
	free(none);

	/* The first start writes the cache, outside the vault, without being
	 * asked to stop first. */
	same_as_cold("a first start", "index cache: wrote");
	char *path = cache_path();
	OK(path != NULL);
	free(path);
	/* Nothing changed: everything from the cache, every note's
	 * diagnostics published as kept. */
	same_as_cold("nothing changed", "0 changed, 0 added, 0 gone");
	/* ... and no note diagnosed, no kept list checked again. */
	unsigned kept = 0, diagnosed = 1, checked = 1;
	OK(publishing(&kept, &diagnosed, &checked));
	OK(kept >= 10);
	INT_EQ(diagnosed, 0);
	INT_EQ(checked, 0);

	/* Stale, deleted, added and renamed notes. */
	edit_keeping_size_and_mtime("Contacts/Ragnar Eiriksson.md");
	char from[900], to[900];
	snprintf(from, sizeof(from), "%s/People/Priya Natarajan.md", vault);
	OK(unlink(from) == 0);
	put("Customers/Halden Storage.md", "---\ntype: customer\n---\n# Halden Storage\n");
	snprintf(from, sizeof(from), "%s/Projects/Project Lighthouse.md", vault);
	snprintf(to, sizeof(to), "%s/Projects/Lighthouse.md", vault);
	OK(rename(from, to) == 0);
	same_as_cold("notes changed, gone, added and renamed", "1 changed, 2 added, 2 gone");
	/* Names went and came: the changed notes diagnosed, the kept lists
	 * no longer current checked. */
	OK(publishing(&kept, &diagnosed, &checked));
	OK(diagnosed >= 1);
	OK(checked >= 1);
	same_as_cold("and then nothing", "0 changed, 0 added, 0 gone");

	/* Who is who changes on disk: a card gains as an alias the spelling
	 * Standup.md was told is probably its person (a name-variant kept in
	 * the cache for a note that did not change). */
	{
		char p[900];
		snprintf(p, sizeof(p), "%s/People/Marek Nowak.md", vault);
		char *text = read_text(p);
		OK(strncmp(text, "---\ntype: person\n", 17) == 0);
		struct strbuf b;
		strbuf_init(&b);
		strbuf_printf(&b, "---\naliases: [Mareck Nowak]\n%s", text + 4);
		put("People/Marek Nowak.md", b.ptr);
		strbuf_fini(&b);
		free(text);
	}
	same_as_cold("an alias added to a card", "1 changed, 0 added, 0 gone");

	/* A setting that changes what is reported. */
	put(".vault-lsp.yaml", "diagnostics:\n  ambiguous-link: hint\n");
	same_as_cold("a setting changed", "(none used: other settings)");
	same_as_cold("and then nothing", "0 changed, 0 added, 0 gone");
	/* The client's settings, arriving while the cache is read: what it
	 * kept was made under others. */
	early_settings = "{\"vault-lsp\": {\"diagnostics\": {\"unresolved-link\": \"hint\"}}}";
	same_as_cold("the client's settings", "0 changed, 0 added, 0 gone");
	same_as_cold("and then nothing", "0 changed, 0 added, 0 gone");
	early_settings = NULL;

	/* A cache another binary wrote (a rebuilt one: one byte more). */
	char other[700];
	snprintf(other, sizeof(other), "%s/vault-lsp-other", scratch);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && printf x >> '%s'", VAULT_BINARY, other, other);
	OK(system(cmd) == 0);
	char *log;
	free(session_with(other, xdg, false, &log));
	OK(strstr(log, "index cache: wrote") != NULL);
	free(log);
	same_as_cold("another binary's cache", "not used (written by another version)");

	/* Cut short, or a byte changed. */
	path = cache_path();
	struct stat st;
	OK(path && stat(path, &st) == 0);
	OK(path && truncate(path, st.st_size / 2) == 0);
	same_as_cold("a cache cut short", "not used (");
	int fd = open(path, O_RDWR);
	OK(fd >= 0 && fstat(fd, &st) == 0);
	char byte;
	OK(pread(fd, &byte, 1, st.st_size / 3) == 1);
	byte ^= 0x10;
	OK(pwrite(fd, &byte, 1, st.st_size / 3) == 1);
	close(fd);
	same_as_cold("a byte changed", "not used (");
	free(path);

	two_at_once();

	/* cache: false in the vault's settings: the cache is neither read
	 * (a start as cold as without one) nor written. */
	path = cache_path();
	OK(path != NULL);
	if (path)
		unlink(path);
	free(path);
	put(".vault-lsp.yaml", "diagnostics:\n  ambiguous-link: hint\ncache: false\n");
	same_as_cold("cache: false", "index cache: off (cache: false)");
	path = cache_path();
	OK(path == NULL);
	free(path);
	put(".vault-lsp.yaml", "diagnostics:\n  ambiguous-link: hint\n");

	/* No cache folder to be had: a file where it should be, a place
	 * nobody may write. The server works as without a cache. */
	char file[700];
	snprintf(file, sizeof(file), "%s/a-file", scratch);
	fclose(fopen(file, "w"));
	const char *nowhere[] = { file, "/proc/vault-lsp-test" };
	for (int k = 0; k < 2; k++) {
		char *cold_log, *warm_log;
		char *cold = session(true, &cold_log);
		char *warm = session_with(VAULT_BINARY, nowhere[k], false, &warm_log);
		OK(strcmp(cold, warm) == 0);
		OK(strstr(warm_log, "index cache: none (") != NULL);
		free(cold);
		free(warm);
		free(cold_log);
		free(warm_log);
	}

	/* Nothing was written into the vault but what this test wrote. */
	char *after = vault_listing();
	OK(strstr(after, "./.cache") == NULL && strstr(after, ".idx") == NULL);
	OK(strstr(listing, "./Projects/Project Lighthouse.md") && strstr(after, "./Projects/Lighthouse.md"));
	free(after);
	free(listing);
	cache_test_cleanup();
	return harness_done("test_cache");
}
