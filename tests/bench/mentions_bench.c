/*
 * mentions_bench.c — how fast parser/mentions.c reads a vault, and what it
 * finds there. Every .md under the folders given (or the files) is parsed
 * once, then scanned --reps times; the best pass is printed in MB/s of
 * note text, in CPU time, which holds up while others share the cores.
 *
 * With --dump, every mention goes to stdout as "path TAB start TAB len TAB
 * kind", notes by path: when only the speed of the scanner changed, two
 * builds' dumps of the same vaults are identical (diff them).
 *
 *   build/tests/mentions_bench [--reps N] [--dump] DIR|FILE...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mentions.h"
#include "note.h"

struct file {
	char *path;
	struct note *note;
};

static ARRAY(struct file) files;

static void add_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	struct strbuf b;
	strbuf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_put(&b, chunk, n);
	fclose(f);
	struct file fl = { xstrdup(path), note_parse(b.ptr, b.len) };
	array_push(&files, fl);
	strbuf_fini(&b);
}

static bool is_md(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static void walk(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		add_file(path);
		return;
	}
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct strbuf sub;
		strbuf_init(&sub);
		strbuf_printf(&sub, "%s/%s", path, e->d_name);
		if (stat(sub.ptr, &st) == 0 && (S_ISDIR(st.st_mode) || is_md(e->d_name)))
			walk(sub.ptr);
		strbuf_fini(&sub);
	}
	closedir(d);
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int reps = 5;
	bool dump = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--dump") == 0)
			dump = true;
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else
			break;
	}
	if (i == argc) {
		fprintf(stderr, "usage: %s [--reps N] [--dump] DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (; i < argc; i++)
		walk(argv[i]);
	if (files.len)
		qsort(files.items, files.len, sizeof(*files.items), file_cmp);

	uint64_t bytes = 0, found = 0;
	struct mention_list l = { 0 };
	for (uint32_t f = 0; f < files.len; f++) {
		bytes += files.items[f].note->len;
		l.len = 0;
		mentions_find(files.items[f].note, &l);
		found += l.len;
		for (uint32_t m = 0; dump && m < l.len; m++)
			printf("%s\t%u\t%u\t%u\n", files.items[f].path, l.items[m].span.start,
			       l.items[m].span.len, l.items[m].kind);
	}
	double best = 0;
	for (int r = 0; r < reps; r++) {
		double t0 = cpu_seconds();
		for (uint32_t f = 0; f < files.len; f++) {
			l.len = 0;
			mentions_find(files.items[f].note, &l);
		}
		double dt = cpu_seconds() - t0;
		if (r == 0 || dt < best)
			best = dt;
	}
	FILE *out = dump ? stderr : stdout;
	fprintf(out, "%u notes, %.1f MB, %llu mentions", files.len, (double)bytes / 1e6,
		(unsigned long long)found);
	if (reps > 0 && best > 0)
		fprintf(out, "; best of %d scans %.3f s CPU, %.1f MB/s", reps, best,
			(double)bytes / 1e6 / best);
	fputc('\n', out);

	array_free(&l);
	for (uint32_t f = 0; f < files.len; f++) {
		free(files.items[f].path);
		note_free(files.items[f].note);
	}
	array_free(&files);
	return 0;
}
