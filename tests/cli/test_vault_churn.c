/*
 * test_vault_churn.c — notes deleted or truncated while the vault is
 * being indexed (issue #7; test_watch covers files changing while the
 * server runs): at a chosen moment of a scan (deterministic), while a
 * scan reads them (a thread truncating and rewriting), and while the
 * server indexes, after which its problem list must be what `check` finds.
 */
#include "lsp_views.h"
#include "scratch_vault.h"
#include "workspace.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- deleted or truncated at a chosen moment of a scan ------------------ */

#define NOTES 300

static char *note_text(int i)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "---\naliases: [Alias %d]\n---\n# Note %d\n\n", i, i);
	for (int k = 0; k < 40; k++)
		strbuf_printf(&b, "- fact %d of note %d links [[n%03d]] and [[Alias %d]]\n", k, i,
			      (i + 1) % NOTES, (i + 7) % NOTES);
	return strbuf_detach(&b);
}

struct mangle {
	const char *dir;
	bool done;
};

/* Called by the scan (one thread: notes are read in walk order, n000
 * first) after its first few notes: deletes a third of the notes not yet
 * read and truncates another third to half, mid-line. */
static void mangle_rest(void *ctx, uint32_t done, uint32_t total)
{
	struct mangle *m = ctx;
	(void)total;
	if (m->done || done > 10)
		return;
	m->done = true;
	for (int i = 20; i < NOTES; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/n%03d.md", m->dir, i);
		if (i % 3 == 0) {
			OK(unlink(path) == 0);
		} else if (i % 3 == 1) {
			char *t = note_text(i);
			OK(truncate(path, (off_t)(strlen(t) / 2)) == 0);
			free(t);
		}
	}
}

static void test_mangled_during_scan(void)
{
	char dir[] = "/tmp/vault-faults-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	for (int i = 0; i < NOTES; i++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "n%03d.md", i);
		char *t = note_text(i);
		write_file(dir, rel, t, strlen(t));
		free(t);
	}
	struct mangle m = { dir, false };
	struct workspace *ws = index_vault(dir, 1, mangle_rest, &m);
	OK(m.done);

	/* Every note read holds what the file held when it was read: the
	 * whole note, or (truncated) exactly its first half. */
	int wrong = 0, ghosts = 0, truncated = 0;
	for (int i = 0; i < NOTES; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/n%03d.md", dir, i);
		int32_t id = workspace_find(ws, path);
		char *t = note_text(i);
		size_t want = i >= 20 && i % 3 == 1 ? strlen(t) / 2 : strlen(t);
		if (i >= 20 && i % 3 == 0) {
			/* Listed, then deleted before it was read. */
			const struct ws_note *wn = id >= 0 ? workspace_get(ws, (uint32_t)id) : NULL;
			if (wn && wn->note->len == 0)
				ghosts++;
			else if (wn)
				wrong++;
		} else if (id < 0) {
			wrong++;
		} else {
			const struct note *n = workspace_get(ws, (uint32_t)id)->note;
			if (n->len != want || memcmp(n->text, t, want) != 0)
				wrong++;
			truncated += want < strlen(t);
		}
		free(t);
	}
	INT_EQ(wrong, 0);
	INT_EQ(truncated, (NOTES - 20) / 3);
	/* A note deleted between the walk and its reading is not indexed,
	 * not even empty (links to it would resolve): lsp/index/scan.c. */
	INT_EQ(ghosts, 0);
	int deleted = 0;
	for (int i = 21; i < NOTES; i += 3) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/n%03d.md", dir, i);
		OK(workspace_reload(ws, path) < 0);
		OK(workspace_find(ws, path) < 0);
		deleted++;
	}
	INT_EQ(workspace_count(ws), NOTES - deleted);
	workspace_free(ws);

	/* And check, on what is left: every note, each truncated one too. */
	char *summary;
	char *out = run_check(dir, &summary);
	char want[64];
	snprintf(want, sizeof(want), "%d notes:", NOTES - deleted);
	OK(strstr(summary, want) != NULL);
	free(out);
	free(summary);
	rm_rf(dir);
}

/* ---- truncated and rewritten while a scan reads it ---------------------- */

struct churn {
	const char *path;
	const char *text;
	size_t len;
	atomic_bool stop;
	int rounds;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	while (!atomic_load(&c->stop)) {
		for (size_t cut = c->len; cut > 0 && !atomic_load(&c->stop); cut /= 2)
			if (truncate(c->path, (off_t)cut) != 0)
				break;
		int fd = open(c->path, O_WRONLY | O_TRUNC);
		if (fd >= 0) {
			size_t off = 0;
			while (off < c->len) {
				ssize_t n = write(fd, c->text + off, c->len - off > 65536 ? 65536 : c->len - off);
				if (n <= 0)
					break;
				off += (size_t)n;
			}
			close(fd);
		}
		c->rounds++;
	}
	return NULL;
}

static void test_churned_during_scan(void)
{
	char dir[] = "/tmp/vault-faults-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	struct strbuf big;
	strbuf_init(&big);
	strbuf_puts(&big, "---\ntitle: Churned\n---\n# Churned\n\n");
	for (int i = 0; big.len < 2000000; i++)
		strbuf_printf(&big, "- line %d with a link to [[Other %d]] and some \xc3\xa9 accents\n", i, i % 50);
	write_file(dir, "Churned.md", big.ptr, big.len);
	write_file(dir, "Other 1.md", "# Other\n", 8);
	char path[1024];
	snprintf(path, sizeof(path), "%s/Churned.md", dir);
	struct churn c = { path, big.ptr, big.len, false, 0 };
	pthread_t tid;
	OK(pthread_create(&tid, NULL, churn_main, &c) == 0);
	int wrong = 0, partial = 0, scans = 0;
	double end = now() + 1.5;
	while (now() < end) {
		struct workspace *ws = index_vault(dir, 2, NULL, NULL);
		int32_t id = workspace_find(ws, path);
		/* It may be caught empty, or between truncation and rewrite; what
		 * it holds is always a prefix of the note, but for NUL bytes:
		 * Linux lets a read see a page that a write is still copying
		 * into, zeros where the bytes are not there yet. */
		if (id >= 0) {
			const struct note *n = workspace_get(ws, (uint32_t)id)->note;
			size_t at = 0;
			while (at < n->len && at < big.len &&
			       (n->text[at] == big.ptr[at] || n->text[at] == '\0'))
				at++;
			if (at < n->len) {
				fprintf(stderr, "read %u bytes of %zu; they differ at %zu\n", n->len,
					big.len, at);
				wrong++;
			}
			partial += n->len < big.len;
		}
		workspace_free(ws);
		scans++;
	}
	atomic_store(&c.stop, true);
	pthread_join(tid, NULL);
	INT_EQ(wrong, 0);
	OK(scans > 0);
	printf("test_vault_churn: %d scans while the note was truncated and rewritten %d times; "
	       "%d read it in part\n", scans, c.rounds, partial);
	strbuf_fini(&big);
	rm_rf(dir);
}

/* ---- the server indexes while notes go away ----------------------------- */

/* What server_view gives, from check run in this process. */
static void check_lines(const char *dir, struct strbuf *out)
{
	char *summary;
	char *text = run_check(dir, &summary);
	struct str_list lines = { 0 };
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		json_t *j = json_loads(l, 0, NULL);
		if (!j)
			continue;
		char line[2048];
		snprintf(line, sizeof(line), "%s:%lld:%s",
			 json_string_value(json_object_get(j, "path")) + strlen(dir) + 1,
			 (long long)json_integer_value(json_object_get(j, "line")),
			 json_string_value(json_object_get(j, "code")));
		str_list_push(&lines, line);
		json_decref(j);
	}
	qsort(lines.items, lines.len, sizeof(char *), strcmp_ptr);
	for (uint32_t k = 0; k < lines.len; k++)
		strbuf_printf(out, "%s\n", lines.items[k]);
	str_list_free(&lines);
	free(text);
	free(summary);
}

static bool is_register(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "client/registerCapability") == 0;
}

#define GEN 2000

static void test_server_indexing_while_deleted(void)
{
	char dir[] = "/tmp/vault-faults-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "cp -r '%s/vault/.' '%s/' && mkdir '%s/Gen'", VAULT_TEST_DIR, dir, dir);
	OK(system(cmd) == 0);
	for (int i = 0; i < GEN; i++) {
		char rel[64];
		struct strbuf b;
		strbuf_init(&b);
		snprintf(rel, sizeof(rel), "Gen/g%04d.md", i);
		strbuf_printf(&b, "# G%d\n\n- met [[Marek Nowak]] about [[g%04d]] today\n"
				  "- met [[Marek Nowak]] about [[g%04d]] today\n", i, (i + 1) % GEN,
			      (i + 1) % GEN);
		write_file(dir, rel, b.ptr, b.len);
		strbuf_fini(&b);
	}

	struct proc p;
	OK(spawn(&p));
	initialize_watching(&p, dir, true);
	/* Indexing has begun: delete half the generated notes, truncate the
	 * rest in the middle of their first fact, and say so as a watching
	 * client does, while the server reads them. */
	double t0 = now();
	for (int i = 0; i < GEN; i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/Gen/g%04d.md", dir, i);
		char first[128];
		int keep = snprintf(first, sizeof(first), "# G%d\n\n- met [[Marek Nowak]] about [[g%04d]] today\n",
				    i, (i + 1) % GEN);
		if (i % 2)
			OK(unlink(path) == 0);
		else
			OK(truncate(path, keep) == 0);
		char *uri = uri_from_path(path);
		notify(&p, "workspace/didChangeWatchedFiles",
		       json_pack("{s:[{s:s, s:i}]}", "changes", "uri", uri, "type", i % 2 ? 3 : 2));
		free(uri);
	}
	double mangled = now() - t0;
	const json_t *reg = wait_for(&p, is_register, NULL, 10);
	OK(reg != NULL);
	if (reg)
		send_msg(&p, rpc_response_new(json_deep_copy(json_object_get(reg, "id")), NULL));
	settle(&p, 1.0, 60);

	struct strbuf live = { 0 }, fresh = { 0 };
	strbuf_init(&live);
	strbuf_init(&fresh);
	server_view(&p, dir, &live, false);
	check_lines(dir, &fresh);
	STR_EQ(live.ptr, fresh.ptr);
	/* The links into deleted notes dangle, none of the truncated notes
	 * keeps its duplicate. */
	OK(strstr(fresh.ptr, "Gen/g0000.md:3:unresolved-link") != NULL);
	bool dup_in_gen = false;
	for (const char *l = fresh.ptr; (l = strstr(l, "Gen/")); l++) {
		const char *nl = strchr(l, '\n');
		const char *d = strstr(l, "duplicate-fact");
		dup_in_gen |= d && (!nl || d < nl);
	}
	OK(!dup_in_gen);
	printf("test_vault_churn: %d notes deleted or truncated in %.2f s while the server indexed\n",
	       GEN, mangled);

	int shut = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &shut, 10) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 10), 0);
	strbuf_fini(&live);
	strbuf_fini(&fresh);
	rm_rf(dir);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_mangled_during_scan();
	test_churned_during_scan();
	test_server_indexing_while_deleted();
	return harness_done("test_vault_churn");
}
