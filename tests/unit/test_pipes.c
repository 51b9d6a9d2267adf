/*
 * test_pipes.c — the real vault-lsp binary over real pipes, in real time:
 * diagnostics of closed notes after indexing, watched-file events, edits
 * diagnosed when the input goes quiet, exit codes, the client vanishing
 * mid-message, and a vault left byte for byte as it was.
 */
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

static bool spawn(struct proc *p)
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
		execl(VAULT_BINARY, VAULT_BINARY, "--log-level", "error", (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	p->in = to[1];
	p->out = from[0];
	return p->pid > 0;
}

static void send_raw(struct proc *p, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(p->in, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void send_msg(struct proc *p, json_t *msg)
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

static int request(struct proc *p, const char *method, json_t *params)
{
	int id = ++p->next_id;
	send_msg(p, rpc_request_new(json_integer(id), method, params));
	return id;
}

static void notify(struct proc *p, const char *method, json_t *params)
{
	send_msg(p, rpc_notification_new(method, params));
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads for up to `seconds`; returns false at EOF. */
static bool pump(struct proc *p, double seconds)
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
		json_t *m = json_loadb(body, len, 0, NULL);
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
static const json_t *wait_for(struct proc *p, match_fn fn, const void *arg, double seconds)
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

static bool is_response(const json_t *m, const void *arg)
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

static bool is_diagnostics(const json_t *m, const void *arg)
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

static int finish(struct proc *p, double seconds)
{
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
	close(p->out);
	strbuf_fini(&p->buf);
	json_decref(p->seen);
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *vault_checksum(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -type f -print0 | sort -z | xargs -0 md5sum", dir);
	FILE *f = popen(cmd, "r");
	struct strbuf b;
	strbuf_init(&b);
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&b, buf, n);
	if (f)
		pclose(f);
	return strbuf_detach(&b);
}

static void initialize(struct proc *p, const char *root)
{
	char *uri = uri_from_path(root);
	int id = request(p, "initialize", json_pack("{s:i, s:s, s:{s:{s:{s:b, s:b}}}}", "processId",
		(int)getpid(), "rootUri", uri, "capabilities", "workspace", "didChangeWatchedFiles",
		"dynamicRegistration", 0, "relativePatternSupport", 0));
	free(uri);
	OK(wait_for(p, is_response, &id, 10) != NULL);
	notify(p, "initialized", json_object());
}

static void test_live_session(void)
{
	char dir[] = "/tmp/vault-pipes-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "cp -r '%s/vault/.' '%s/'", VAULT_TEST_DIR, dir);
	OK(system(cmd) == 0);
	char *before = vault_checksum(dir);

	struct proc p;
	OK(spawn(&p));
	initialize(&p, dir);

	/* Closed notes are diagnosed after indexing, under their file URI
	 * and without a version. */
	struct diag_match priya = { "People/Priya%20Natarajan.md", "duplicate-fact", NULL, 0 };
	OK(wait_for(&p, is_diagnostics, &priya, 20) != NULL);
	struct diag_match contacts = { "Contacts/Ragnar%20Eiriksson.md", "unresolved-link", NULL, 0 };
	OK(wait_for(&p, is_diagnostics, &contacts, 20) != NULL);

	/* A note appears on disk (written by someone else) and the watcher
	 * says so: the links to it resolve, and the closed note that had them
	 * is published again without them. */
	char path[700];
	snprintf(path, sizeof(path), "%s/Customers/Halden Storage.md", dir);
	FILE *f = fopen(path, "w");
	fputs("---\ntype: customer\n---\n# Halden Storage\n", f);
	fclose(f);
	char *uri = uri_from_path(path);
	notify(&p, "workspace/didChangeWatchedFiles",
	       json_pack("{s:[{s:s, s:i}]}", "changes", "uri", uri, "type", 1));
	free(uri);
	struct diag_match resolved = { "Contacts/Ragnar%20Eiriksson.md", "unresolved-link",
				       "'Halden Storage'", 0 };
	OK(wait_for(&p, is_diagnostics, &resolved, 10) != NULL);

	/* Typing: a burst of changes is diagnosed once the input is quiet,
	 * for the last version. */
	snprintf(path, sizeof(path), "%s/People/Marek Nowak.md", dir);
	uri = uri_from_path(path);
	f = fopen(path, "rb");
	char text[4096] = "";
	size_t tl = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[tl] = '\0';
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri",
		uri, "languageId", "markdown", "version", 1, "text", text));
	for (int v = 2; v <= 6; v++)
		notify(&p, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}]}",
			"textDocument", "uri", uri, "version", v, "contentChanges", "range", "start", "line",
			13, "character", 0, "end", "line", 13, "character", 0, "text", "[[Nobody]] "));
	struct diag_match typed = { "People/Marek%20Nowak.md", "unresolved-link", NULL, 6 };
	OK(wait_for(&p, is_diagnostics, &typed, 10) != NULL);
	notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	free(uri);

	int shut = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &shut, 10) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 10), 0);

	/* The server wrote nothing into the vault: only our new note differs. */
	snprintf(path, sizeof(path), "%s/Customers/Halden Storage.md", dir);
	unlink(path);
	char *after = vault_checksum(dir);
	STR_EQ(after, before);
	free(before);
	free(after);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
}

static void test_client_vanishes(void)
{
	/* The client dies in the middle of a message: a clean exit, code 1. */
	struct proc p;
	OK(spawn(&p));
	initialize(&p, VAULT_TEST_DIR "/vault");
	send_raw(&p, "Content-Length: 500\r\n\r\n{\"jsonrpc\":", 34);
	INT_EQ(finish(&p, 10), 1);

	/* Garbage only, then gone. */
	OK(spawn(&p));
	static const char garbage[] = "\x01\x02garbage\r\n\r\nContent-Length: x\r\n\r\n";
	send_raw(&p, garbage, sizeof(garbage) - 1);
	INT_EQ(finish(&p, 10), 1);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_live_session();
	test_client_vanishes();
	return harness_done("test_pipes");
}
