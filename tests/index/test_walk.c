/*
 * test_walk.c — walks of real folders built in /tmp: what is found, in what
 * order, what is skipped and reported (the rules themselves: test_ignore.c).
 */
#include "harness.h"
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- building folders ------------------------------------------------- */

static char *join(const char *a, const char *b)
{
	struct strbuf s;
	strbuf_init(&s);
	strbuf_printf(&s, "%s/%s", a, b);
	return strbuf_detach(&s);
}

static void make_dir(const char *root, const char *rel)
{
	char *p = join(root, rel);
	OK(mkdir(p, 0755) == 0);
	free(p);
}

/* Each file holds its own rel path, so the walk's size can be checked. */
static void make_file(const char *root, const char *rel)
{
	char *p = join(root, rel);
	FILE *f = fopen(p, "w");
	OK(f != NULL);
	if (f) {
		fputs(rel, f);
		fclose(f);
	}
	free(p);
}

static void make_link(const char *target, const char *root, const char *rel)
{
	char *p = join(root, rel);
	OK(symlink(target, p) == 0);
	free(p);
}

static void set_mode(const char *root, const char *rel, mode_t mode)
{
	char *p = join(root, rel);
	OK(chmod(p, mode) == 0);
	free(p);
}

/* Never follows links: the tree links to a folder outside it. */
static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0700);
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			char *child = join(path, de->d_name);
			rm_rf(child);
			free(child);
		}
		closedir(d);
	}
	rmdir(path);
}

/* ---- walking ---------------------------------------------------------- */

struct found {
	const char *root; /* as the rel paths are joined to it, no '/' at end */
	uint32_t stop_after; /* 0: never stop */
	ARRAY(char *) rels;
	ARRAY(char *) errors; /* "abs: what" */
	int64_t a_mtime_ns;
};

static bool on_file(void *ctx, const struct walk_file *file)
{
	struct found *r = ctx;
	char *abs = join(r->root, file->rel);
	STR_EQ(file->abs, abs);
	free(abs);
	INT_EQ(file->size, strlen(file->rel));
	OK(file->mtime_ns > 0);
	if (strcmp(file->rel, "a.md") == 0)
		r->a_mtime_ns = file->mtime_ns;
	array_push(&r->rels, xstrdup(file->rel));
	return !(r->stop_after && r->rels.len >= r->stop_after);
}

static void on_error(void *ctx, const char *abs, const char *what)
{
	struct found *r = ctx;
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "%s: %s", abs, what);
	array_push(&r->errors, strbuf_detach(&b));
}

static void found_fini(struct found *r)
{
	for (uint32_t i = 0; i < r->rels.len; i++)
		free(r->rels.items[i]);
	for (uint32_t i = 0; i < r->errors.len; i++)
		free(r->errors.items[i]);
	array_free(&r->rels);
	array_free(&r->errors);
}

/* Compares the whole list, in order, and prints both on a mismatch. */
static void check_list(const struct found *r, const char *const *want,
		       uint32_t nwant)
{
	bool same = r->rels.len == nwant;
	for (uint32_t i = 0; same && i < nwant; i++)
		same = strcmp(r->rels.items[i], want[i]) == 0;
	OK(same);
	if (same)
		return;
	fprintf(stderr, "walk of %s:\n", r->root);
	for (uint32_t i = 0; i < r->rels.len || i < nwant; i++)
		fprintf(stderr, "  got %-32s want %s\n",
			i < r->rels.len ? r->rels.items[i] : "-",
			i < nwant ? want[i] : "-");
	for (uint32_t i = 0; i < r->errors.len; i++)
		fprintf(stderr, "  error %s\n", r->errors.items[i]);
}

/* In walk order: by strcmp within each folder, so "a/" comes before "a b/"
 * which comes before "a.md". */
static const struct {
	const char *rel;
	bool needs_privilege; /* below a chmod 000 entry */
} expected[] = {
	{ "B.MD", false },
	{ "a/x.md", false },
	{ "a b/x.md", false },
	{ "a.md", false },
	{ "cafe\xcc\x81.md", false }, /* NFD: e + combining acute */
	{ "colon:hash#pipe|caret^.md", false },
	{ "drafts/keep.md", false },
	{ "emoji \xf0\x9f\xa6\x80.md", false },
	{ "folder.md/inner.md", false },
	{ "locked/inside.md", true },
	{ "locked-note.md", true },
	{ "q?star*.md", false },
	{ "sub/deeper/n.Md", false },
	{ "trailing dots.../note.md", false },
	{ "trailing space /note.md", false },
	{ "with space.md", false },
};

#define EXPECTED_LEN (sizeof(expected) / sizeof(expected[0]))

static void build_vault(const char *root, const char *outside)
{
	static const char *const dirs[] = {
		".obsidian", ".git", ".trash", "node_modules",
		"node_modules/pkg", "a", "a b", "build", "drafts",
		"folder.md", "locked", "sub", "sub/build", "sub/deeper",
		"Templates", "trailing dots...", "trailing space ",
	};
	static const char *const files[] = {
		".hidden.md", ".obsidian/workspace.md", ".git/HEAD.md",
		".trash/old.md", "node_modules/pkg/README.md", "B.MD",
		"a.md", "a/x.md", "a b/x.md", "attachment.png", "build/out.md",
		"c.txt", "cafe\xcc\x81.md", "colon:hash#pipe|caret^.md",
		"drafts/keep.md", "drafts/wip.md", "drawing.excalidraw.md",
		"emoji \xf0\x9f\xa6\x80.md", "folder.md/inner.md",
		"locked/inside.md", "locked-note.md", "q?star*.md",
		"readme.markdown", "sub/build/deep.md", "sub/deeper/n.Md",
		"sub/secret.md", "sub/z.tmp.md", "Templates/t.md",
		"trailing.md", "trailing dots.../note.md",
		"trailing space /note.md", "with space.md",
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		make_dir(root, dirs[i]);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		make_file(root, files[i]);

	char *gitignore = join(root, ".gitignore");
	FILE *f = fopen(gitignore, "w");
	OK(f != NULL);
	if (f) {
		fputs("# build output\n"
		      "build/\n"
		      "*.tmp.md\n"
		      "/drafts/*\n"
		      "!/drafts/keep.md\n"
		      "secret.md\n"
		      "trailing.md   \n",
		      f);
		fclose(f);
	}
	free(gitignore);

	char *fifo = join(root, "fifo.md");
	OK(mkfifo(fifo, 0644) == 0);
	free(fifo);

	/* Links: a loop, and ways out of the root. None is followed. */
	make_link("..", root, "sub/up");
	make_link(".", root, "loop");
	char *out_dir = join(outside, "dir");
	char *out_note = join(outside, "note.md");
	make_link(out_dir, root, "out-dir");
	make_link(out_note, root, "out-note.md");
	make_link("nowhere.md", root, "dangling.md");
	free(out_dir);
	free(out_note);

	struct timespec times[2] = { { 1700000000, 123456789 },
				     { 1700000000, 123456789 } };
	char *a = join(root, "a.md");
	OK(utimensat(AT_FDCWD, a, times, 0) == 0);
	free(a);

	set_mode(root, "locked", 0);
	set_mode(root, "locked-note.md", 0);
}

/* privileged: whether chmod 000 blocks us (it does not block root). */
static void check_walk(const char *root, const struct ignore *extra,
		       bool privileged)
{
	struct found r = { .root = root };
	OK(walk_vault(root, extra, on_file, on_error, &r));
	const char *want[EXPECTED_LEN];
	uint32_t nwant = 0;
	for (size_t i = 0; i < EXPECTED_LEN; i++)
		if (privileged || !expected[i].needs_privilege)
			want[nwant++] = expected[i].rel;
	check_list(&r, want, nwant);
	OK(r.a_mtime_ns >= 1700000000000000000 &&
	   r.a_mtime_ns < 1700000001000000000);

	if (privileged) {
		INT_EQ(r.errors.len, 0);
	} else {
		INT_EQ(r.errors.len, 2);
		if (r.errors.len == 2) {
			char *locked = join(root, "locked: cannot open folder");
			char *note = join(root, "locked-note.md: cannot read note");
			OK(strncmp(r.errors.items[0], locked, strlen(locked)) == 0);
			OK(strncmp(r.errors.items[1], note, strlen(note)) == 0);
			free(locked);
			free(note);
		}
	}
	found_fini(&r);
}

/* As root, chmod 000 does not stop reads: check the unreadable paths in a
 * child that gives up root, if it may. Returns false when skipped. */
static bool check_walk_unprivileged(const char *root,
				    const struct ignore *extra)
{
	fflush(NULL);
	pid_t pid = fork();
	OK(pid >= 0);
	if (pid < 0)
		return false;
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(77);
		int failed_before = harness_failed;
		check_walk(root, extra, false);
		_exit(harness_failed > failed_before ? 1 : 0);
	}
	int status = 0;
	OK(waitpid(pid, &status, 0) == pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		return false;
	OK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return true;
}

static void test_walk(void)
{
	char root[] = "/tmp/vault-walk-XXXXXX";
	char outside[] = "/tmp/vault-walk-out-XXXXXX";
	OK(mkdtemp(root) != NULL);
	OK(mkdtemp(outside) != NULL);
	/* Traversable by the unprivileged child. */
	OK(chmod(root, 0755) == 0);
	make_dir(outside, "dir");
	make_file(outside, "dir/escaped.md");
	make_file(outside, "note.md");
	build_vault(root, outside);

	struct ignore *extra = ignore_new();
	ignore_add(extra, "Templates/", strlen("Templates/"));
	ignore_add(extra, "*.excalidraw.md", strlen("*.excalidraw.md"));

	bool privileged = geteuid() == 0;
	check_walk(root, extra, privileged);
	if (privileged && !check_walk_unprivileged(root, extra))
		printf("test_walk: cannot drop root, unreadable paths untested\n");

	/* A trailing '/' on the root changes nothing, abs paths included. */
	char *slashed = join(root, "");
	struct found r = { .root = root };
	OK(walk_vault(slashed, extra, on_file, on_error, &r));
	INT_EQ(r.rels.len, privileged ? EXPECTED_LEN : EXPECTED_LEN - 2);
	found_fini(&r);
	free(slashed);

	/* fn returning false stops the walk. */
	struct found stop = { .root = root, .stop_after = 3 };
	OK(walk_vault(root, extra, on_file, NULL, &stop));
	INT_EQ(stop.rels.len, 3);
	found_fini(&stop);

	/* Without extra: Templates/ and the drawing come back. */
	struct found plain = { .root = root };
	OK(walk_vault(root, NULL, on_file, NULL, &plain));
	bool has_template = false, has_drawing = false;
	for (uint32_t i = 0; i < plain.rels.len; i++) {
		has_template |= strcmp(plain.rels.items[i], "Templates/t.md") == 0;
		has_drawing |= strcmp(plain.rels.items[i], "drawing.excalidraw.md") == 0;
	}
	OK(has_template && has_drawing);
	found_fini(&plain);

	/* A root that cannot be opened. */
	struct found bad = { .root = root };
	char *missing = join(root, "missing");
	OK(!walk_vault(missing, NULL, on_file, on_error, &bad));
	INT_EQ(bad.errors.len, 1);
	char *file = join(root, "a.md");
	OK(!walk_vault(file, NULL, on_file, on_error, &bad));
	INT_EQ(bad.errors.len, 2);
	INT_EQ(bad.rels.len, 0);
	found_fini(&bad);
	free(missing);
	free(file);

	ignore_free(extra);
	rm_rf(root);
	rm_rf(outside);
	struct stat st;
	OK(lstat(root, &st) != 0 && errno == ENOENT);
	OK(lstat(outside, &st) != 0 && errno == ENOENT);
}

/* The walk refuses folders nested more than 100 deep, and says so. */
static void test_depth(void)
{
	char root[] = "/tmp/vault-walk-deep-XXXXXX";
	OK(mkdtemp(root) != NULL);
	struct strbuf rel;
	strbuf_init(&rel);
	for (int depth = 1; depth <= 105; depth++) {
		strbuf_puts(&rel, depth > 1 ? "/d" : "d");
		make_dir(root, rel.ptr);
		if (depth == 100 || depth == 105) {
			size_t len = rel.len;
			strbuf_puts(&rel, "/n.md");
			make_file(root, rel.ptr);
			rel.len = len;
			rel.ptr[len] = '\0';
		}
	}
	make_file(root, "top.md");

	struct found r = { .root = root };
	OK(walk_vault(root, NULL, on_file, on_error, &r));
	INT_EQ(r.rels.len, 2);
	if (r.rels.len == 2) {
		OK(strlen(r.rels.items[0]) == 100 * 2 - 1 + strlen("/n.md"));
		STR_EQ(r.rels.items[1], "top.md");
	}
	INT_EQ(r.errors.len, 1);
	if (r.errors.len == 1)
		OK(strstr(r.errors.items[0], "nested too deeply") != NULL);
	found_fini(&r);
	strbuf_fini(&rel);
	rm_rf(root);
}

int main(void)
{
	umask(022);
	test_walk();
	test_depth();
	return harness_done("test_walk");
}
