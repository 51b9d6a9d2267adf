/*
 * replay.c — runs one fuzz target's LLVMFuzzerTestOneInput on files,
 * without libFuzzer: so kept crash inputs (tests/fuzz/regressions/) and
 * the seed corpora are regression tests in any build, with any compiler.
 *
 *   replay_<target> PATH...
 *
 * A PATH that is a directory stands for the files in it (not recursive;
 * names starting with '.' skipped). A broken invariant aborts (CHECK), a
 * sanitizer reports, and otherwise it prints how many inputs ran and
 * exits 0; a PATH that cannot be read exits 1. An absent directory is
 * fine: a target may have no regressions yet.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0, got;
	uint8_t *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	bool failed = !buf || ferror(f);
	fclose(f);
	if (failed) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		return -1;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	/* An exact-size copy, so that ASan sees reads past the input. */
	uint8_t *exact = malloc(len ? len : 1);
	if (len)
		memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of a directory, in name order (deterministic). */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap)
			names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(char *));
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), cmp_str);
	int ran = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			int r = run_file(names[i]);
			if (r < 0)
				ran = -1;
			else if (ran >= 0)
				ran += r;
		}
		free(names[i]);
	}
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	int total = 0;
	bool failed = false;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		size_t len = strlen(argv[i]);
		int r;
		if (stat(argv[i], &st) == 0)
			r = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]);
		else if (errno == ENOENT && len && argv[i][len - 1] == '/')
			r = 0; /* "dir/": an absent directory of regressions */
		else
			r = run_file(argv[i]);
		if (r < 0)
			failed = true;
		else
			total += r;
	}
	fprintf(stderr, "replay: %d input(s) ran%s\n", total, failed ? ", some unreadable" : "");
	return failed ? 1 : 0;
}
