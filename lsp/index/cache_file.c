/*
 * cache_file.c — where the index cache lives (cache_file.h), the binary's
 * identity, reading the file through a buffer, and writing it through a
 * temporary file renamed into place.
 */
#include "cache_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A temporary file this old was left by a server that was killed. */
#define STALE_TEMP_SECONDS 3600
/* A cache this old whose every root is gone (a vault deleted or moved,
 * or a test's) is removed. */
#define GONE_VAULT_SECONDS (7 * 24 * 3600)

struct cache_file {
	char *dir, *path;         /* path: dir/name */
	char *name;
	struct str_list roots;    /* real paths */
	uint64_t build;
};

/* ---- where ------------------------------------------------------------ */

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool make_dir(const char *path)
{
	return mkdir(path, 0700) == 0 || (errno == EEXIST && is_dir(path));
}

/* The binary's own identity: a hash of its bytes, so that a rebuilt
 * binary, whose parser or index may make other models of the same notes,
 * never takes a cache an older one wrote. 0 when it cannot be read. */
static uint64_t build_hash;

static void hash_binary(void)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	if (!f)
		return;
	char *chunk = xmalloc(1 << 16);
	uint64_t h = INDEX_CACHE_FORMAT;
	size_t got;
	while ((got = fread(chunk, 1, 1 << 16, f)) > 0)
		h = hash64(chunk, got, h);
	if (!ferror(f))
		build_hash = h ? h : 1;
	fclose(f);
	free(chunk);
}

/* Once a process: the binary does not change under it (a replaced file
 * is another inode; /proc/self/exe still reads ours). */
static uint64_t build_id(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, hash_binary);
	return build_hash;
}

/* Letters, digits, '.', '-' and '_' of the folder's name, for a file name
 * a person can tell. */
static void put_label(struct strbuf *b, const char *root)
{
	const char *base = strrchr(root, '/');
	base = base && base[1] ? base + 1 : "root";
	for (size_t i = 0; base[i] && i < 40; i++) {
		char c = base[i];
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     c == '.' || c == '-' || c == '_';
		strbuf_putc(b, plain && !(i == 0 && c == '.') ? c : '_');
	}
}

/* Is path (real) a root or inside one? */
static bool inside_root(const char *path, const struct str_list *roots)
{
	for (uint32_t i = 0; i < roots->len; i++) {
		size_t n = strlen(roots->items[i]);
		if (strncmp(path, roots->items[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/' || (n == 1 && roots->items[i][0] == '/')))
			return true;
	}
	return false;
}

/* path made real as far as it exists, the rest of it as written: where a
 * folder would be made, before it is (a folder made inside a vault
 * would be a write to the vault). */
static char *real_as_far(const char *path)
{
	char *head = xstrdup(path);
	size_t n = strlen(head);
	for (;;) {
		char *real = realpath(head, NULL);
		if (real) {
			struct strbuf b = { 0 };
			strbuf_printf(&b, "%s%s", real, path + n);
			free(real);
			free(head);
			return strbuf_detach(&b);
		}
		char *slash = strrchr(head, '/');
		if (!slash || slash == head) {
			free(head);
			return xstrdup(path);
		}
		*slash = '\0';
		n = (size_t)(slash - head);
	}
}

static bool file_read_at(void *ctx, uint64_t offset, void *dst, size_t n);

/* Is this other cache's every root gone? */
static bool vault_gone(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	struct index_cache_src src = { file_read_at, (void *)(intptr_t)fd, (uint64_t)st.st_size };
	struct str_list roots = { 0 };
	bool gone = index_cache_roots(&src, &roots) && roots.len;
	for (uint32_t i = 0; gone && i < roots.len; i++)
		gone = !is_dir(roots.items[i]);
	str_list_free(&roots);
	close(fd);
	return gone;
}

/* Temporary files of this cache older than an hour; other caches unused
 * for a week whose vault is gone. */
static void remove_stale(const struct cache_file *cf)
{
	DIR *d = opendir(cf->dir);
	if (!d)
		return;
	struct strbuf prefix = { 0 }, path = { 0 };
	strbuf_printf(&prefix, "%s.tmp.", cf->name);
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		bool temp = strncmp(e->d_name, prefix.ptr, prefix.len) == 0;
		bool other = !temp && n > 4 && strcmp(e->d_name + n - 4, ".idx") == 0 &&
			     strcmp(e->d_name, cf->name) != 0;
		if (!temp && !other)
			continue;
		path.len = 0;
		strbuf_printf(&path, "%s/%s", cf->dir, e->d_name);
		struct stat st;
		if (lstat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (temp ? now - st.st_mtime > STALE_TEMP_SECONDS
			 : now - st.st_mtime > GONE_VAULT_SECONDS && vault_gone(path.ptr))
			unlink(path.ptr);
	}
	closedir(d);
	strbuf_fini(&prefix);
	strbuf_fini(&path);
}

struct cache_file *cache_file_open(const char *const *roots, uint32_t n_roots, const char **why)
{
	*why = NULL;
	if (!n_roots) {
		*why = "no workspace folder";
		return NULL;
	}
	struct strbuf base = { 0 };
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	/* The specification: a relative XDG_CACHE_HOME is to be ignored. */
	if (xdg && xdg[0] == '/')
		strbuf_puts(&base, xdg);
	else if (home && home[0] == '/')
		strbuf_printf(&base, "%s/.cache", home);
	if (!base.len) {
		*why = "no XDG_CACHE_HOME or HOME";
		strbuf_fini(&base);
		return NULL;
	}
	struct cache_file *cf = xcalloc(1, sizeof(*cf));
	for (uint32_t i = 0; i < n_roots; i++) {
		char *real = realpath(roots[i], NULL);
		str_list_push(&cf->roots, real ? real : roots[i]);
		free(real);
	}
	struct strbuf dir = { 0 };
	strbuf_printf(&dir, "%s/vault-lsp", base.ptr);
	strbuf_fini(&base);
	cf->dir = strbuf_detach(&dir);
	char *real_dir = real_as_far(cf->dir);
	if (inside_root(real_dir, &cf->roots))
		*why = "its folder is inside the vault";
	free(real_dir);
	real_dir = NULL;
	if (!*why && !make_dir(cf->dir)) {
		/* One level up first (a fresh ~/.cache), then ours. */
		char *up = xstrdup(cf->dir);
		*strrchr(up, '/') = '\0';
		if (!make_dir(up) || !make_dir(cf->dir))
			*why = "its folder cannot be made";
		free(up);
	}
	if (!*why && access(cf->dir, W_OK | X_OK) != 0)
		*why = "its folder is not writable";
	if (!*why && (!(real_dir = realpath(cf->dir, NULL)) || inside_root(real_dir, &cf->roots)))
		*why = "its folder is inside the vault";
	free(real_dir);
	if (!*why && !(cf->build = build_id()))
		*why = "the binary cannot be read";
	if (*why) {
		cache_file_free(cf);
		return NULL;
	}
	uint64_t h = 0;
	for (uint32_t i = 0; i < cf->roots.len; i++)
		h = hash64(cf->roots.items[i], strlen(cf->roots.items[i]) + 1, h);
	struct strbuf name = { 0 };
	put_label(&name, cf->roots.items[0]);
	strbuf_printf(&name, "-%016llx.idx", (unsigned long long)h);
	cf->name = strbuf_detach(&name);
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/%s", cf->dir, cf->name);
	cf->path = strbuf_detach(&path);
	remove_stale(cf);
	return cf;
}

void cache_file_free(struct cache_file *cf)
{
	if (!cf)
		return;
	free(cf->dir);
	free(cf->path);
	free(cf->name);
	str_list_free(&cf->roots);
	free(cf);
}

const char *cache_file_path(const struct cache_file *cf) { return cf->path; }
const char *cache_file_dir(const struct cache_file *cf) { return cf->dir; }

static struct index_cache_key key_of(const struct cache_file *cf, uint64_t config)
{
	return (struct index_cache_key){ VAULT_VERSION, cf->build, config,
					 (const char *const *)cf->roots.items, cf->roots.len };
}

/* ---- reading ---------------------------------------------------------- */

static bool file_read_at(void *ctx, uint64_t offset, void *dst, size_t n)
{
	int fd = (int)(intptr_t)ctx;
	char *out = dst;
	while (n) {
		ssize_t got = pread(fd, out, n, (off_t)offset);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		out += got;
		offset += (uint64_t)got;
		n -= (size_t)got;
	}
	return true;
}

struct index_cache *cache_file_read(struct cache_file *cf, uint64_t config, unsigned threads,
				    int *fd, const char **why)
{
	*fd = -1;
	*why = NULL;
	int f = open(cf->path, O_RDONLY | O_CLOEXEC);
	if (f < 0) {
		if (errno != ENOENT)
			*why = "unreadable";
		return NULL;
	}
	struct stat st;
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		*why = "not a file";
		return NULL;
	}
	struct index_cache_src src = { file_read_at, (void *)(intptr_t)f, (uint64_t)st.st_size };
	struct index_cache_key key = key_of(cf, config);
	struct index_cache *c = index_cache_begin(&src, &key, threads, true, why);
	if (!c)
		close(f);
	else
		*fd = f;
	return c;
}

/* ---- writing ---------------------------------------------------------- */

struct cache_write {
	struct cache_file *cf;
	struct index_cache_writer *w;
	struct log *log;
	char *temp;
	int fd;
	bool done;
	struct strbuf out;
};

struct cache_write *cache_file_write_begin(struct cache_file *cf, const struct workspace *ws,
					   uint64_t config, const struct index_cache_diags *diags,
					   struct log *log)
{
	struct strbuf temp = { 0 };
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t r = hash64(&ts, sizeof(ts), (uint64_t)getpid());
	strbuf_printf(&temp, "%s/%s.tmp.%ld.%08llx", cf->dir, cf->name, (long)getpid(),
		      (unsigned long long)(r & 0xffffffffu));
	/* O_RDWR: once renamed, the diagnostics in it are read from it. */
	int fd = open(temp.ptr, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_msg(log, LOG_WARN, "index cache: cannot write %s: %s", temp.ptr, strerror(errno));
		strbuf_fini(&temp);
		return NULL;
	}
	struct cache_write *cw = xcalloc(1, sizeof(*cw));
	cw->cf = cf;
	cw->log = log;
	cw->temp = strbuf_detach(&temp);
	cw->fd = fd;
	struct index_cache_key key = key_of(cf, config);
	cw->w = index_cache_writer_new(ws, &key, diags);
	strbuf_init(&cw->out);
	return cw;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

int cache_file_write_step(struct cache_write *cw, const struct workspace *ws, double budget_ms)
{
	if (cw->done)
		return 1;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool complete = false;
	do {
		cw->out.len = 0;
		complete = index_cache_writer_step(cw->w, ws, &cw->out, 256u << 10);
		if (!write_all(cw->fd, cw->out.ptr, cw->out.len)) {
			log_msg(cw->log, LOG_WARN, "index cache: cannot write %s: %s", cw->temp,
				strerror(errno ? errno : ENOSPC));
			return -1;
		}
	} while (!complete && ms_since(&t0) < budget_ms);
	if (!complete)
		return 0;
	if (rename(cw->temp, cw->cf->path) != 0) {
		log_msg(cw->log, LOG_WARN, "index cache: cannot rename %s: %s", cw->temp,
			strerror(errno));
		return -1;
	}
	free(cw->temp);
	cw->temp = NULL;
	cw->done = true;
	return 1;
}

int cache_file_write_take_fd(struct cache_write *cw)
{
	int fd = cw->done ? cw->fd : -1;
	if (cw->done)
		cw->fd = -1;
	return fd;
}

uint64_t cache_file_write_size(const struct cache_write *cw)
{
	return index_cache_writer_size(cw->w);
}

void cache_file_write_end(struct cache_write *cw)
{
	if (!cw)
		return;
	if (cw->fd >= 0)
		close(cw->fd);
	if (cw->temp)
		unlink(cw->temp);
	free(cw->temp);
	index_cache_writer_free(cw->w);
	strbuf_fini(&cw->out);
	free(cw);
}
