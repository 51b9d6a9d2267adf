/*
 * test_cache_file.c — where the index cache lives: under XDG_CACHE_HOME,
 * named after the vault; never inside the vault (not even a folder made
 * there before it is refused); never a folder that cannot be made; a
 * temporary file a killed server left is removed once old, and so is a
 * cache a week old whose vault is gone.
 */
#include "cache_file.h"
#include "harness.h"
#include "index_cache.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char root[] = "/tmp/vault-cache-place-XXXXXX";
static char scratch[] = "/tmp/vault-cache-home-XXXXXX";

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* A cache file at path, written for a vault at vault_root, and aged. */
static void put_cache(const char *path, const char *vault_root, time_t age)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	const char *roots[] = { vault_root };
	struct index_cache_key key = { "0", 1, 2, roots, 1 };
	struct index_cache_writer *w = index_cache_writer_new(ws, &key, NULL);
	struct strbuf out = { 0 };
	strbuf_init(&out);
	while (!index_cache_writer_step(w, ws, &out, 1 << 20))
		;
	FILE *f = fopen(path, "wb");
	fwrite(out.ptr, 1, out.len, f);
	fclose(f);
	struct timespec t[2] = { { time(NULL) - age, 0 }, { time(NULL) - age, 0 } };
	utimensat(AT_FDCWD, path, t, 0);
	strbuf_fini(&out);
	index_cache_writer_free(w);
	workspace_free(ws);
	config_fini(&cfg);
}

int main(void)
{
	if (!mkdtemp(root) || !mkdtemp(scratch)) {
		perror("mkdtemp");
		return 2;
	}
	const char *roots[] = { root };
	const char *why;
	char dir[600], path[700];

	snprintf(dir, sizeof(dir), "%s/xdg", scratch);
	setenv("XDG_CACHE_HOME", dir, 1);
	struct cache_file *cf = cache_file_open(roots, 1, &why);
	OK(cf != NULL);
	if (cf) {
		OK(strncmp(cache_file_path(cf), dir, strlen(dir)) == 0);
		OK(strstr(cache_file_path(cf), "/vault-lsp/vault-cache-place-") != NULL);
		OK(strcmp(cache_file_path(cf) + strlen(cache_file_path(cf)) - 4, ".idx") == 0);
		/* A temporary file of this cache, two hours old, is removed on
		 * the next open; one of a minute ago is left to its writer. */
		char old[800], young[800];
		snprintf(old, sizeof(old), "%s.tmp.1.deadbeef", cache_file_path(cf));
		snprintf(young, sizeof(young), "%s.tmp.2.deadbeef", cache_file_path(cf));
		fclose(fopen(old, "w"));
		fclose(fopen(young, "w"));
		struct timespec t[2] = { { time(NULL) - 7200, 0 }, { time(NULL) - 7200, 0 } };
		OK(utimensat(AT_FDCWD, old, t, 0) == 0);
		cache_file_free(cf);
		cf = cache_file_open(roots, 1, &why);
		OK(cf && !exists(old) && exists(young));
		unlink(young);
		/* Other caches: of a vault gone, a week old (removed), or a
		 * day old (kept); of a vault that is there, however old. */
		char gone[800], recent[800], there[800];
		snprintf(gone, sizeof(gone), "%s/xdg/vault-lsp/gone-1.idx", scratch);
		snprintf(recent, sizeof(recent), "%s/xdg/vault-lsp/gone-2.idx", scratch);
		snprintf(there, sizeof(there), "%s/xdg/vault-lsp/there-3.idx", scratch);
		put_cache(gone, "/nonexistent/vault-lsp-test", 8 * 24 * 3600);
		put_cache(recent, "/nonexistent/vault-lsp-test", 24 * 3600);
		put_cache(there, scratch, 30 * 24 * 3600);
		cache_file_free(cf);
		cf = cache_file_open(roots, 1, &why);
		OK(cf && !exists(gone) && exists(recent) && exists(there));
		unlink(recent);
		unlink(there);
	}
	cache_file_free(cf);
	/* The same vault by another path names the same file. */
	char link[700];
	snprintf(link, sizeof(link), "%s/link", scratch);
	OK(symlink(root, link) == 0);
	const char *by_link[] = { link };
	cf = cache_file_open(roots, 1, &why);
	struct cache_file *other = cache_file_open(by_link, 1, &why);
	OK(cf && other && strcmp(cache_file_path(cf), cache_file_path(other)) == 0);
	cache_file_free(cf);
	cache_file_free(other);
	unlink(link);

	/* Inside the vault: refused before anything is made there. */
	snprintf(dir, sizeof(dir), "%s/.cache", root);
	setenv("XDG_CACHE_HOME", dir, 1);
	OK(!cache_file_open(roots, 1, &why));
	STR_EQ(why, "its folder is inside the vault");
	OK(!exists(dir));
	/* A file where the folder should be; a relative XDG_CACHE_HOME
	 * (ignored: then HOME's .cache); nowhere at all. */
	snprintf(dir, sizeof(dir), "%s/a-file", scratch);
	fclose(fopen(dir, "w"));
	setenv("XDG_CACHE_HOME", dir, 1);
	OK(!cache_file_open(roots, 1, &why));
	STR_EQ(why, "its folder cannot be made");
	unlink(dir);
	setenv("XDG_CACHE_HOME", "relative/cache", 1);
	setenv("HOME", scratch, 1);
	cf = cache_file_open(roots, 1, &why);
	snprintf(path, sizeof(path), "%s/.cache/vault-lsp/", scratch);
	OK(cf && strncmp(cache_file_path(cf), path, strlen(path)) == 0);
	cache_file_free(cf);
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	OK(!cache_file_open(roots, 1, &why));
	STR_EQ(why, "no XDG_CACHE_HOME or HOME");

	snprintf(path, sizeof(path), "rm -rf '%s' '%s'", root, scratch);
	OK(system(path) == 0);
	return harness_done("test_cache_file");
}
