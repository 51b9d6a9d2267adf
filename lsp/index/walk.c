/*
 * walk.c — finding the notes of a vault: the directory walk under the
 * ignore rules (ignore.c), and the same rules for one path.
 */

/*
 * d_type and the DT_* constants are BSD extensions: glibc and musl declare
 * them only under _DEFAULT_SOURCE, which the project-wide _POSIX_C_SOURCE
 * alone does not give. We want them so that a folder of 200,000
 * attachments costs a getdents stream and no stat per file. Where they are
 * still missing (DT_UNKNOWN undefined), every entry is lstat'ed instead.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include "walk.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Each level holds one open folder (its fd is needed for openat/fstatat of
 * the children), so this also bounds the walk's file descriptors. */
#define WALK_MAX_DEPTH 100

/* ---- walk ------------------------------------------------------------- */

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walker {
	const struct ignore *gitignore, *extra;
	walk_fn fn;
	walk_error_fn on_error;
	void *ctx;
	/* The current path, grown and cut back as the walk descends, so
	 * entries cost no allocation of their own. */
	struct strbuf abs, rel;
	/* The folders being listed, to refuse a folder that contains itself
	 * (a bind mount; symbolic links are never entered anyway). */
	ARRAY(struct dir_id) open;
	bool stop;
	bool all;  /* report attachments (any other regular file) too */
};

enum entry_kind { ENTRY_SKIP, ENTRY_DIR, ENTRY_NOTE, ENTRY_ATTACHMENT };

struct entry {
	size_t off; /* of the name in the folder's name buffer */
	const char *name;
	enum entry_kind kind;
};

static void walk_error(struct walker *w, const char *what, int err)
{
	if (!w->on_error)
		return;
	char msg[256], reason[128];
	/* strerror_r, not strerror: the server may walk on a worker thread. */
	if (strerror_r(err, reason, sizeof(reason)) != 0)
		snprintf(reason, sizeof(reason), "error %d", err);
	snprintf(msg, sizeof(msg), "%s: %s", what, reason);
	w->on_error(w->ctx, w->abs.ptr, msg);
}

static void path_push(struct walker *w, const char *name)
{
	if (w->abs.len && w->abs.ptr[w->abs.len - 1] != '/')
		strbuf_putc(&w->abs, '/');
	strbuf_puts(&w->abs, name);
	if (w->rel.len)
		strbuf_putc(&w->rel, '/');
	strbuf_puts(&w->rel, name);
}

static void path_pop(struct walker *w, size_t abs_len, size_t rel_len)
{
	w->abs.len = abs_len;
	w->abs.ptr[abs_len] = '\0';
	w->rel.len = rel_len;
	w->rel.ptr[rel_len] = '\0';
}

static bool has_md_extension(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && name[n - 3] == '.' &&
	       (name[n - 2] == 'm' || name[n - 2] == 'M') &&
	       (name[n - 1] == 'd' || name[n - 1] == 'D');
}

static enum entry_kind kind_of_mode(const struct walker *w, mode_t mode, const char *name)
{
	if (S_ISDIR(mode))
		return ENTRY_DIR;
	if (S_ISREG(mode))
		return has_md_extension(name) ? ENTRY_NOTE : w->all ? ENTRY_ATTACHMENT : ENTRY_SKIP;
	return ENTRY_SKIP; /* links, FIFOs, devices, other files */
}

/* Decides from d_type when it can: stat'ing each of 200,000 attachments
 * would dominate the walk. */
static enum entry_kind kind_of(struct walker *w, int dfd,
			       const struct dirent *de)
{
#ifdef DT_UNKNOWN
	switch (de->d_type) {
	case DT_DIR:
		return ENTRY_DIR;
	case DT_REG:
		if (has_md_extension(de->d_name))
			return ENTRY_NOTE;
		return w->all ? ENTRY_ATTACHMENT : ENTRY_SKIP;
	case DT_UNKNOWN:
		break;
	default:
		return ENTRY_SKIP;
	}
#endif
	struct stat st;
	if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		int err = errno;
		size_t abs_len = w->abs.len, rel_len = w->rel.len;
		path_push(w, de->d_name);
		walk_error(w, "cannot stat", err);
		path_pop(w, abs_len, rel_len);
		return ENTRY_SKIP;
	}
	return kind_of_mode(w, st.st_mode, de->d_name);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return strcmp(x->name, y->name);
}

static int64_t mtime_ns(const struct stat *st)
{
#ifdef __APPLE__
	return (int64_t)st->st_mtimespec.tv_sec * 1000000000 +
	       st->st_mtimespec.tv_nsec;
#else
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
#endif
}

static int64_t ctime_ns(const struct stat *st)
{
#ifdef __APPLE__
	return (int64_t)st->st_ctimespec.tv_sec * 1000000000 +
	       st->st_ctimespec.tv_nsec;
#else
	return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
#endif
}

static bool is_ignored(const struct walker *w, bool is_dir)
{
	return ignore_match_self(w->gitignore, w->rel.ptr, w->rel.len, is_dir) ||
	       ignore_match_self(w->extra, w->rel.ptr, w->rel.len, is_dir);
}

/* w->abs and w->rel name the note, a child of the folder dfd. */
static void visit_note(struct walker *w, int dfd, const char *name)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		walk_error(w, "cannot stat", errno);
		return;
	}
	if (!S_ISREG(st.st_mode))
		return; /* replaced since readdir */
	/* Reported here rather than by whoever reads the note later, so that
	 * an unreadable note never enters the index as an empty one. */
	if (faccessat(dfd, name, R_OK, AT_EACCESS) != 0) {
		walk_error(w, "cannot read note", errno);
		return;
	}
	struct walk_file file = {
		.rel = w->rel.ptr,
		.abs = w->abs.ptr,
		.size = (uint64_t)st.st_size,
		.mtime_ns = mtime_ns(&st),
		.ctime_ns = ctime_ns(&st),
		.ino = (uint64_t)st.st_ino,
	};
	if (!w->fn(w->ctx, &file))
		w->stop = true;
}

/* An attachment is named, never read: d_type said it is a regular file,
 * and a stat of each of 200,000 attachments would dominate the walk. */
static void visit_attachment(struct walker *w)
{
	struct walk_file file = { .rel = w->rel.ptr, .abs = w->abs.ptr, .attachment = true };
	if (!w->fn(w->ctx, &file))
		w->stop = true;
}

static void walk_dir(struct walker *w, DIR *dir, int depth);

/* w->abs and w->rel name the folder, a child of the folder dfd. */
static void visit_dir(struct walker *w, int dfd, const char *name, int depth)
{
	if (depth > WALK_MAX_DEPTH) {
		walk_error(w, "folder nested too deeply", ELOOP);
		return;
	}
	/* O_NOFOLLOW: if the folder became a symbolic link since readdir,
	 * fail rather than walk outside the vault. */
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					   O_CLOEXEC);
	if (fd < 0) {
		walk_error(w, "cannot open folder", errno);
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		walk_error(w, "cannot stat folder", errno);
		close(fd);
		return;
	}
	for (uint32_t i = 0; i < w->open.len; i++) {
		if (w->open.items[i].dev == st.st_dev &&
		    w->open.items[i].ino == st.st_ino) {
			walk_error(w, "folder contains itself", ELOOP);
			close(fd);
			return;
		}
	}
	DIR *sub = fdopendir(fd);
	if (!sub) {
		walk_error(w, "cannot list folder", errno);
		close(fd);
		return;
	}
	array_push(&w->open, ((struct dir_id){ st.st_dev, st.st_ino }));
	walk_dir(w, sub, depth);
	w->open.len--;
	closedir(sub);
}

/* Lists dir (named by w->abs and w->rel) completely before visiting any
 * child, so children can be visited in sorted order. Only folders and notes
 * are kept: the other files cost neither memory nor a syscall. */
static void walk_dir(struct walker *w, DIR *dir, int depth)
{
	int dfd = dirfd(dir);
	struct strbuf names;
	ARRAY(struct entry) entries = { 0 };
	strbuf_init(&names);
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(dir);
		if (!de) {
			if (errno)
				walk_error(w, "cannot list folder", errno);
			break;
		}
		/* Hidden names cover ".", "..", .git, .obsidian and .trash. */
		if (de->d_name[0] == '.' || strcmp(de->d_name, "node_modules") == 0)
			continue;
		enum entry_kind kind = kind_of(w, dfd, de);
		if (kind == ENTRY_SKIP)
			continue;
		struct entry e = { .off = names.len, .kind = kind };
		strbuf_put(&names, de->d_name, strlen(de->d_name) + 1);
		array_push(&entries, e);
	}
	/* Only now: the name buffer moves while it grows. */
	for (uint32_t i = 0; i < entries.len; i++)
		entries.items[i].name = names.ptr + entries.items[i].off;
	if (entries.len > 1)
		qsort(entries.items, entries.len, sizeof(*entries.items),
		      entry_cmp);

	for (uint32_t i = 0; i < entries.len && !w->stop; i++) {
		const struct entry *e = &entries.items[i];
		bool is_dir = e->kind == ENTRY_DIR;
		size_t abs_len = w->abs.len, rel_len = w->rel.len;
		path_push(w, e->name);
		if (!is_ignored(w, is_dir)) {
			if (is_dir)
				visit_dir(w, dfd, e->name, depth + 1);
			else if (e->kind == ENTRY_ATTACHMENT)
				visit_attachment(w);
			else
				visit_note(w, dfd, e->name);
		}
		path_pop(w, abs_len, rel_len);
	}
	array_free(&entries);
	strbuf_fini(&names);
}

/* The root's .gitignore, or NULL when there is none. Nested .gitignore
 * files are not read. */
static struct ignore *read_gitignore(struct walker *w, int root_fd)
{
	/* O_NONBLOCK: a FIFO named .gitignore must not hang the server.
	 * O_NOFOLLOW: like git (2.32+), a symbolic link is not read. */
	int fd = openat(root_fd, ".gitignore",
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT) {
			size_t abs_len = w->abs.len, rel_len = w->rel.len;
			path_push(w, ".gitignore");
			walk_error(w, "cannot read", errno);
			path_pop(w, abs_len, rel_len);
		}
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	struct strbuf text;
	strbuf_init(&text);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			strbuf_put(&text, buf, (size_t)n);
	close(fd);
	struct ignore *ig = ignore_new();
	ignore_add_lines(ig, text.ptr, text.len);
	strbuf_fini(&text);
	return ig;
}

static bool walk(const char *root, const struct ignore *extra, bool all, walk_fn fn,
		 walk_error_fn on_error, void *ctx)
{
	assert(root && fn);
	struct walker w = {
		.extra = extra,
		.fn = fn,
		.on_error = on_error,
		.ctx = ctx,
		.all = all,
	};
	strbuf_init(&w.abs);
	strbuf_init(&w.rel);
	strbuf_puts(&w.abs, root);
	while (w.abs.len > 1 && w.abs.ptr[w.abs.len - 1] == '/')
		path_pop(&w, w.abs.len - 1, 0);

	/* The root may be a symbolic link (a vault kept in a synced folder):
	 * the user chose it, so it is followed. */
	bool ok = false;
	int fd = open(w.abs.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	DIR *dir = NULL;
	if (fd < 0) {
		walk_error(&w, "cannot open vault folder", errno);
	} else if (fstat(fd, &st) != 0) {
		walk_error(&w, "cannot stat vault folder", errno);
		close(fd);
	} else if (!(dir = fdopendir(fd))) {
		walk_error(&w, "cannot list vault folder", errno);
		close(fd);
	} else {
		struct ignore *gitignore = read_gitignore(&w, fd);
		w.gitignore = gitignore;
		array_push(&w.open, ((struct dir_id){ st.st_dev, st.st_ino }));
		walk_dir(&w, dir, 0);
		closedir(dir);
		ignore_free(gitignore);
		ok = true;
	}
	array_free(&w.open);
	strbuf_fini(&w.abs);
	strbuf_fini(&w.rel);
	return ok;
}

bool walk_vault(const char *root, const struct ignore *extra, walk_fn fn,
		walk_error_fn on_error, void *ctx)
{
	return walk(root, extra, false, fn, on_error, ctx);
}

bool walk_vault_files(const char *root, const struct ignore *extra, walk_fn fn,
		      walk_error_fn on_error, void *ctx)
{
	return walk(root, extra, true, fn, on_error, ctx);
}

/* ---- single paths ------------------------------------------------------ */

/* The root's .gitignore for walk_accepts: read each time (file events are
 * rare next to a walk), errors meaning "no rules". */
static struct ignore *root_gitignore(const char *root)
{
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/.gitignore", root);
	int fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	strbuf_fini(&path);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	struct strbuf text = { 0 };
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			strbuf_put(&text, buf, (size_t)n);
	close(fd);
	struct ignore *ig = ignore_new();
	ignore_add_lines(ig, text.ptr ? text.ptr : "", text.len);
	strbuf_fini(&text);
	return ig;
}

bool walk_accepts(const char *root, const struct ignore *extra, const char *rel)
{
	return has_md_extension(rel) && walk_accepts_file(root, extra, rel);
}

bool walk_accepts_file(const char *root, const struct ignore *extra, const char *rel)
{
	/* The names the walk skips, at any depth. */
	for (const char *c = rel; *c;) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		if (n == 0 || c[0] == '.' || (n == 12 && strncmp(c, "node_modules", 12) == 0))
			return false;
		c += n + (e != NULL);
	}
	struct ignore *gi = root_gitignore(root);
	bool ignored = (gi && ignore_match(gi, rel, false)) || (extra && ignore_match(extra, rel, false));
	ignore_free(gi);
	return !ignored;
}

/* ---- other tools' folders ----------------------------------------------- */

char *walk_logseq_notice(const char *root, const char *shown)
{
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/logseq/config.edn", root);
	struct stat st;
	bool graph = stat(path.ptr, &st) == 0 && S_ISREG(st.st_mode);
	strbuf_fini(&path);
	if (!graph)
		return NULL;
	struct strbuf msg = { 0 };
	strbuf_printf(&msg, "%s is a Logseq graph; Logseq page properties (alias::, title::) and "
		      "namespace file names are not supported: link diagnostics may be wrong", shown);
	return strbuf_detach(&msg);
}
