/* watch.c — inotify on every folder of the vault, from one thread. */

/* inotify, d_type and O_DIRECTORY are Linux/BSD interfaces beyond POSIX. */
#define _DEFAULT_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define FOLDER_EVENTS (IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | \
		       IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
struct watch {
	int fd;
	pthread_t thread;
	/* watch_stop writes to wake[1]: the thread sleeps in poll() until
	 * an event or that byte, so an idle server uses no CPU. */
	int wake[2];
	atomic_bool stop;
	watch_fn fn;
	void *ctx;
	struct log *log;
	/* Watch descriptor -> folder path (NULL once the watch is gone). */
	ARRAY(char *) folders;
	bool warned_limit;
	/* The roots, watched by the thread as it starts: at 100,000 notes,
	 * listing every folder takes most of a second that `initialized`
	 * would otherwise wait for. */
	ARRAY(char *) roots;
};

static bool skipped_name(const char *name)
{
	return name[0] == '.' || strcmp(name, "node_modules") == 0;
}

static void set_folder(struct watch *w, int wd, const char *path)
{
	if (wd < 0)
		return;
	while (w->folders.len <= (uint32_t)wd)
		array_push(&w->folders, NULL);
	free(w->folders.items[wd]);
	w->folders.items[wd] = xstrdup(path);
}

/*
 * Watches path and every folder below it. When report is true (a folder
 * that appeared after the start), its notes are reported as changed: they
 * may have been written before the watch was in place.
 */
static void add_tree(struct watch *w, const char *path, bool report, int depth)
{
	if (depth > 100 || atomic_load(&w->stop))
		return;
	int wd = inotify_add_watch(w->fd, path, FOLDER_EVENTS);
	if (wd < 0) {
		if (errno == ENOSPC && !w->warned_limit) {
			log_msg(w->log, LOG_WARN, "inotify watch limit reached at %s: raise "
				"fs.inotify.max_user_watches; changes below it are not seen", path);
			w->warned_limit = true;
		}
		return;
	}
	set_folder(w, wd, path);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	struct strbuf child = { 0 };
	while ((de = readdir(d))) {
		if (skipped_name(de->d_name))
			continue;
		child.len = 0;
		strbuf_printf(&child, "%s/%s", path, de->d_name);
		unsigned char type = de->d_type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (lstat(child.ptr, &st) != 0)
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		if (type == DT_DIR)
			add_tree(w, child.ptr, report, depth + 1);
		else if (type == DT_REG && report) /* notes and attachments */
			w->fn(w->ctx, child.ptr, WATCH_CHANGED);
	}
	closedir(d);
	strbuf_fini(&child);
}

static void handle(struct watch *w, const struct inotify_event *ev)
{
	if (ev->wd < 0 || (uint32_t)ev->wd >= w->folders.len || !w->folders.items[ev->wd])
		return;
	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF)) {
		free(w->folders.items[ev->wd]);
		w->folders.items[ev->wd] = NULL;
		return;
	}
	if (!ev->len)
		return;
	/* The one hidden file that matters: the vault's settings. */
	if (strcmp(ev->name, ".vault-lsp.yaml") == 0 && !(ev->mask & IN_ISDIR)) {
		struct strbuf cfg = { 0 };
		strbuf_printf(&cfg, "%s/%s", w->folders.items[ev->wd], ev->name);
		w->fn(w->ctx, cfg.ptr, (ev->mask & (IN_DELETE | IN_MOVED_FROM)) ? WATCH_DELETED : WATCH_CHANGED);
		strbuf_fini(&cfg);
		return;
	}
	if (skipped_name(ev->name))
		return;
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/%s", w->folders.items[ev->wd], ev->name);
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			add_tree(w, path.ptr, true, 0);
		else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
			w->fn(w->ctx, path.ptr, WATCH_FOLDER_GONE);
	} else {
		/* Notes and attachments alike: links resolve to both. */
		if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
			w->fn(w->ctx, path.ptr, WATCH_DELETED);
		else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE))
			w->fn(w->ctx, path.ptr, WATCH_CHANGED);
	}
	strbuf_fini(&path);
}

static void *watch_main(void *arg)
{
	struct watch *w = arg;
	/* Aligned as struct inotify_event requires. */
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pfd[2] = { { w->fd, POLLIN, 0 }, { w->wake[0], POLLIN, 0 } };
	for (uint32_t i = 0; i < w->roots.len; i++)
		add_tree(w, w->roots.items[i], false, 0);
	while (!atomic_load(&w->stop)) {
		int r = poll(pfd, 2, -1);
		if (r <= 0 || !(pfd[0].revents & POLLIN))
			continue;
		ssize_t n = read(w->fd, buf, sizeof(buf));
		if (n <= 0)
			continue;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW)
				log_msg(w->log, LOG_WARN, "inotify queue overflowed: some changes were missed");
			else
				handle(w, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	return NULL;
}

static void watch_free(struct watch *w)
{
	close(w->fd);
	close(w->wake[0]);
	close(w->wake[1]);
	for (uint32_t i = 0; i < w->folders.len; i++)
		free(w->folders.items[i]);
	array_free(&w->folders);
	for (uint32_t i = 0; i < w->roots.len; i++)
		free(w->roots.items[i]);
	array_free(&w->roots);
	free(w);
}

struct watch *watch_start(const char *const *roots, uint32_t n_roots, watch_fn fn, void *ctx,
			  struct log *log)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		log_msg(log, LOG_WARN, "cannot watch files (inotify: %s): changes made outside the "
			"editor are seen only when the client reports them", strerror(errno));
		return NULL;
	}
	struct watch *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	if (pipe(w->wake) != 0) {
		log_msg(log, LOG_WARN, "cannot start the file watcher (pipe: %s)", strerror(errno));
		close(fd);
		free(w);
		return NULL;
	}
	fcntl(w->wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(w->wake[1], F_SETFD, FD_CLOEXEC);
	w->fn = fn;
	w->ctx = ctx;
	w->log = log;
	atomic_init(&w->stop, false);
	for (uint32_t i = 0; i < n_roots; i++)
		array_push(&w->roots, xstrdup(roots[i]));
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		log_msg(log, LOG_WARN, "cannot start the file watcher thread");
		watch_free(w);
		return NULL;
	}
	return w;
}

void watch_stop(struct watch *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, true);
	ssize_t n;
	do
		n = write(w->wake[1], "", 1);
	while (n < 0 && errno == EINTR);
	pthread_join(w->thread, NULL);
	watch_free(w);
}
