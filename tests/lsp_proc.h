/*
 * lsp_proc.h — drives the real vault-lsp binary over real pipes, in real
 * time: spawn it, send framed messages, wait (with a deadline) for what it
 * sends back. Header-only; each test that needs it includes it once.
 */
#ifndef VAULT_TEST_LSP_PROC_H
#define VAULT_TEST_LSP_PROC_H

#include "harness.h"
#include "protocol.h"
#include "rpc.h"

#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct proc {
	pid_t pid;
	int in, out;       /* our ends: we write to in, read from out */
	struct strbuf buf; /* bytes read, not yet framed */
	json_t *seen;      /* every message received */
	int next_id;
};

/* Runs argv (NULL-terminated, the program first) on pipes; with
 * cache_home, as its XDG_CACHE_HOME. */
static inline bool spawn_argv(struct proc *p, const char *const *argv, const char *cache_home)
{
	int to[2], from[2];
	if (pipe(to) || pipe(from))
		return false;
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->buf);
	p->seen = json_array();
	p->pid = fork();
	if (p->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		if (cache_home)
			setenv("XDG_CACHE_HOME", cache_home, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	p->in = to[1];
	p->out = from[0];
	return p->pid > 0;
}

/* Runs the binary with these arguments (NULL-terminated) after the log
 * level's. */
static inline bool spawn_with(struct proc *p, const char *const *args)
{
	const char *argv[16] = { VAULT_BINARY, "--log-level", "error" };
	for (int i = 0; args && args[i] && i < 12; i++)
		argv[3 + i] = args[i];
	return spawn_argv(p, argv, NULL);
}

static inline bool spawn(struct proc *p)
{
	return spawn_with(p, NULL);
}

static inline void send_raw(struct proc *p, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(p->in, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static inline void send_msg(struct proc *p, json_t *msg)
{
	size_t len;
	char *body = rpc_dump(msg, &len);
	char head[64];
	int h = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", len);
	send_raw(p, head, (size_t)h);
	send_raw(p, body, len);
	free(body);
	json_decref(msg);
}

static inline int request(struct proc *p, const char *method, json_t *params)
{
	int id = ++p->next_id;
	send_msg(p, rpc_request_new(json_integer(id), method, params));
	return id;
}

static inline void notify(struct proc *p, const char *method, json_t *params)
{
	send_msg(p, rpc_notification_new(method, params));
}

static inline double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads for up to `seconds`; returns false at EOF. */
static inline bool pump(struct proc *p, double seconds)
{
	struct pollfd pfd = { p->out, POLLIN, 0 };
	if (poll(&pfd, 1, (int)(seconds * 1000)) <= 0)
		return true;
	char chunk[65536];
	ssize_t n = read(p->out, chunk, sizeof(chunk));
	if (n <= 0)
		return false;
	strbuf_put(&p->buf, chunk, (size_t)n);
	for (;;) {
		char *body = strstr(p->buf.ptr, "\r\n\r\n");
		unsigned long len;
		if (!body || sscanf(p->buf.ptr, "Content-Length: %lu", &len) != 1)
			break;
		body += 4;
		size_t have = p->buf.len - (size_t)(body - p->buf.ptr);
		if (have < len)
			break;
		/* JSON may carry U+0000 (a note with NUL bytes). */
		json_t *m = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
		if (m)
			json_array_append_new(p->seen, m);
		size_t consumed = (size_t)(body - p->buf.ptr) + len;
		memmove(p->buf.ptr, p->buf.ptr + consumed, p->buf.len - consumed + 1);
		p->buf.len -= consumed;
	}
	return true;
}

typedef bool (*match_fn)(const json_t *msg, const void *arg);

/* Waits until a message matches, for at most `seconds`. Messages already
 * seen count. */
static inline const json_t *wait_for(struct proc *p, match_fn fn, const void *arg, double seconds)
{
	double end = now() + seconds;
	size_t from = 0;
	for (;;) {
		for (size_t i = from; i < json_array_size(p->seen); i++)
			if (fn(json_array_get(p->seen, i), arg))
				return json_array_get(p->seen, i);
		from = json_array_size(p->seen);
		double left = end - now();
		if (left <= 0 || !pump(p, left < 0.2 ? left : 0.2))
			return NULL;
	}
}

static inline bool is_response(const json_t *m, const void *arg)
{
	const json_t *id = json_object_get(m, "id");
	return json_is_integer(id) && json_integer_value(id) == *(const int *)arg &&
	       !json_object_get(m, "method");
}

struct diag_match {
	const char *uri_suffix;
	const char *code;       /* must be present (or NULL) */
	const char *absent;     /* message text that must not appear (or NULL) */
	json_int_t version;     /* -1: any, 0: no version (a closed note) */
};

static inline bool is_diagnostics(const json_t *m, const void *arg)
{
	const struct diag_match *w = arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	if (!meth || strcmp(meth, "textDocument/publishDiagnostics") != 0)
		return false;
	const json_t *params = json_object_get(m, "params");
	const char *uri = json_string_value(json_object_get(params, "uri"));
	size_t ul = strlen(uri), sl = strlen(w->uri_suffix);
	if (ul < sl || strcmp(uri + ul - sl, w->uri_suffix) != 0)
		return false;
	const json_t *version = json_object_get(params, "version");
	if (w->version == 0 && version)
		return false;
	if (w->version > 0 && json_integer_value(version) != w->version)
		return false;
	bool has_code = !w->code;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(params, "diagnostics"), i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		const char *msg = json_string_value(json_object_get(d, "message"));
		if (w->code && strcmp(code, w->code) == 0)
			has_code = true;
		if (w->absent && strstr(msg, w->absent))
			return false;
	}
	return has_code;
}

/* Waits for the process to end (closing its stdin first unless keep_open),
 * killing it after `seconds`; returns its exit code, or -1 if it had to be
 * killed or died of a signal. */
static inline int finish_keep_open(struct proc *p, double seconds, bool keep_open)
{
	if (!keep_open)
		close(p->in);
	double end = now() + seconds;
	int status = -1;
	while (now() < end) {
		pid_t r = waitpid(p->pid, &status, WNOHANG);
		if (r == p->pid)
			break;
		pump(p, 0.05);
	}
	if (waitpid(p->pid, &status, WNOHANG) == 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &status, 0);
		status = -1;
	}
	if (keep_open)
		close(p->in);
	close(p->out);
	strbuf_fini(&p->buf);
	json_decref(p->seen);
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static inline int finish(struct proc *p, double seconds)
{
	return finish_keep_open(p, seconds, false);
}

/* initialize on root, with or without letting the server know the client
 * watches files, then initialized. */
static inline void initialize_watching(struct proc *p, const char *root, bool client_watches)
{
	char *uri = uri_from_path(root);
	int id = request(p, "initialize", json_pack("{s:i, s:s, s:{s:{s:{s:b, s:b}}}}", "processId",
		(int)getpid(), "rootUri", uri, "capabilities", "workspace", "didChangeWatchedFiles",
		"dynamicRegistration", client_watches, "relativePatternSupport", 0));
	free(uri);
	OK(wait_for(p, is_response, &id, 10) != NULL);
	notify(p, "initialized", json_object());
}


static inline void initialize(struct proc *p, const char *root)
{
	initialize_watching(p, root, false);
}

/* All of a stream (NULL: nothing), as a string the caller frees. */
static inline char *read_stream(FILE *f)
{
	struct strbuf b;
	strbuf_init(&b);
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&b, buf, n);
	return strbuf_detach(&b);
}

/* A whole file as a string ("" when it cannot be read). */
static inline char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = read_stream(f);
	if (f)
		fclose(f);
	return text;
}

/* What a shell command prints. */
static inline char *command_output(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *out = read_stream(f);
	if (f)
		pclose(f);
	return out;
}

#endif
