/*
 * test_vault_faults.c — the vault faults of issue #7 that test_walk and
 * test_watch leave out:
 *
 *  - notes deleted or truncated while the vault is being indexed: at a
 *    chosen moment of a scan (deterministic), while a scan reads them
 *    (a thread truncating and rewriting), and while the server indexes,
 *    after which its problem list must be what `check` finds;
 *  - a root holding 200,000 files that are not notes;
 *  - notes named with `:`, `#`, `|`, `^`, `?`, `*`, emoji, NFD accents,
 *    trailing spaces and dots: indexed, linked, checked, and served under
 *    URIs that name them exactly.
 */
#include "check.h"
#include "lsp_views.h"
#include "walk.h"
#include "workspace.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__SANITIZE_ADDRESS__)
#define SLOWDOWN 4.0
#else
#define SLOWDOWN 1.0
#endif

/* ---- helpers ------------------------------------------------------------ */

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void write_file(const char *dir, const char *rel, const char *text, size_t len)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	OK(f != NULL);
	if (f) {
		OK(fwrite(text, 1, len, f) == len);
		fclose(f);
	}
}

static void rm_rf(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
}

static struct workspace *index_vault(const char *root, unsigned threads, scan_progress_fn progress,
				     void *ctx)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, root);
	workspace_install(ws, workspace_scan(&root, 1, &cfg, threads, progress, ctx, NULL, NULL));
	config_fini(&cfg);
	return ws;
}

/* Runs `vault-lsp check --format json root` in-process: its stdout, and
 * the summary line (stderr) in *summary. */
static char *run_check(const char *root, char **summary)
{
	char *out = NULL, *err = NULL;
	size_t ol, el;
	FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
	char *args[] = { "--format", "json", (char *)root };
	check_main(3, args, o, e);
	fclose(o);
	fclose(e);
	*summary = err;
	return out;
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
	 * not even empty (links to it would resolve): lsp/scan.c. */
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
	printf("test_vault_faults: %d scans while the note was truncated and rewritten %d times; "
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
	printf("test_vault_faults: %d notes deleted or truncated in %.2f s while the server indexed\n",
	       GEN, mangled);

	int shut = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &shut, 10) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 10), 0);
	strbuf_fini(&live);
	strbuf_fini(&fresh);
	rm_rf(dir);
}

/* ---- 200,000 files that are not notes ----------------------------------- */

static bool count_found(void *ctx, const struct walk_file *f)
{
	struct str_list *l = ctx;
	str_list_push(l, f->rel);
	return true;
}

static void test_many_other_files(void)
{
	char dir[] = "/tmp/vault-faults-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	double t0 = now();
	/* 100 folders of 2,000 attachments each, and a note in every tenth.
	 * Each attachment is a hard link to one empty file of its folder:
	 * a new inode each took a minute on this machine's file system. */
	static const char *const exts[] = { "png", "pdf", "canvas", "md.bak", "markdown", "txt",
					    "MD~", "json" };
	int made = 0;
	for (int d = 0; d < 100; d++) {
		char sub[1024];
		snprintf(sub, sizeof(sub), "%s/d%02d", dir, d);
		OK(mkdir(sub, 0755) == 0);
		char first[1100];
		snprintf(first, sizeof(first), "%s/f0000.%s", sub, exts[0]);
		int fd = open(first, O_WRONLY | O_CREAT | O_EXCL, 0644);
		made += fd >= 0;
		if (fd >= 0)
			close(fd);
		for (int i = 1; i < 2000; i++) {
			char path[1100];
			snprintf(path, sizeof(path), "%s/f%04d.%s", sub, i, exts[i % 8]);
			made += link(first, path) == 0;
		}
		if (d % 10 == 0) {
			char rel[64];
			snprintf(rel, sizeof(rel), "d%02d/Note %d.md", d, d);
			write_file(dir, rel, "# Note\n\n[[Nowhere]]\n", 20);
		}
	}
	INT_EQ(made, 200000);
	double made_in = now() - t0;

	/* The walk lists only the notes, quickly. */
	t0 = now();
	struct str_list found = { 0 };
	OK(walk_vault(dir, NULL, count_found, NULL, &found));
	double walked = now() - t0;
	INT_EQ(found.len, 10);
	for (uint32_t i = 0; i < found.len; i++)
		OK(strstr(found.items[i], ".md") != NULL);
	str_list_free(&found);

	/* So do the index and check. */
	t0 = now();
	char *summary;
	char *out = run_check(dir, &summary);
	double checked = now() - t0;
	OK(strstr(summary, "10 notes: 0 errors, 10 warnings") != NULL);
	free(out);
	free(summary);
	printf("test_vault_faults: 200,000 other files (made in %.1f s): walked in %.2f s, "
	       "checked in %.2f s\n", made_in, walked, checked);
	/* A bound that a listing per file cannot miss: 10 us a file. */
	OK(walked < SLOWDOWN * (1.0 + 200000 * 10e-6));
	OK(checked < SLOWDOWN * (2.0 + 200000 * 10e-6));
	rm_rf(dir);
}

/* ---- odd names ---------------------------------------------------------- */

static const struct {
	const char *file;   /* the note's path */
	const char *link;   /* how another note links to it, or NULL when no link can name it */
} odd[] = {
	{ "Colon: Note.md", "[[Colon: Note]]" },
	{ "Hash#Note.md", NULL },      /* '#' starts a heading in a link */
	{ "Pipe|Note.md", NULL },      /* '|' starts the display text */
	{ "Caret^Note.md", "[[Caret^Note]]" },
	{ "Question?.md", "[[Question?]]" },
	{ "Star*.md", "[[Star*]]" },
	{ "Crab \xf0\x9f\xa6\x80.md", "[[Crab \xf0\x9f\xa6\x80]]" },
	{ "Cafe\xcc\x81 NFD.md", "[[Cafe\xcc\x81 NFD]]" },  /* e + combining acute */
	{ "Trailing space .md", "[[Trailing space .md]]" }, /* targets are trimmed */
	{ "Dots....md", "[[Dots...]]" },
	{ "Folder dots.../Inside.md", "[[Folder dots.../Inside]]" },
	{ "Folder space /Inside too.md", "[[Folder space /Inside too]]" },
	{ "Per%cent 20.md", "[[Per%cent 20]]" },
};
#define N_ODD (sizeof(odd) / sizeof(odd[0]))

/* Percent-decodes a file URI's path, for checking what the server sends. */
static char *decode_uri(const char *uri)
{
	const char *p = strncmp(uri, "file://", 7) == 0 ? uri + 7 : uri;
	struct strbuf b;
	strbuf_init(&b);
	for (; *p; p++) {
		unsigned v;
		if (*p == '%' && sscanf(p + 1, "%2x", &v) == 1) {
			strbuf_putc(&b, (char)v);
			p += 2;
		} else {
			strbuf_putc(&b, *p);
		}
	}
	return strbuf_detach(&b);
}

static bool is_response_id(const json_t *m, const void *arg)
{
	return is_response(m, arg);
}

static void test_odd_names(void)
{
	char dir[] = "/tmp/vault-faults-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	char sub[1024];
	snprintf(sub, sizeof(sub), "%s/Folder dots...", dir);
	OK(mkdir(sub, 0755) == 0);
	snprintf(sub, sizeof(sub), "%s/Folder space ", dir);
	OK(mkdir(sub, 0755) == 0);
	struct strbuf index;
	strbuf_init(&index);
	strbuf_puts(&index, "# Index\n\n");
	for (size_t i = 0; i < N_ODD; i++) {
		char body[256];
		int n = snprintf(body, sizeof(body), "# Odd %zu\n\n- the same fact here\n- the same fact here\n", i);
		write_file(dir, odd[i].file, body, (size_t)n);
		if (odd[i].link)
			strbuf_printf(&index, "- %s\n", odd[i].link);
	}
	write_file(dir, "Index.md", index.ptr, index.len);

	/* The index: every note, and every link that can name one resolves
	 * to it. */
	struct workspace *ws = index_vault(dir, 2, NULL, NULL);
	INT_EQ(workspace_count(ws), N_ODD + 1);
	char path[2048];
	snprintf(path, sizeof(path), "%s/Index.md", dir);
	int32_t from = workspace_find(ws, path);
	OK(from >= 0);
	int resolved = 0;
	for (size_t i = 0; i < N_ODD && from >= 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, odd[i].file);
		int32_t id = workspace_find(ws, path);
		OK(id >= 0);
		if (!odd[i].link || id < 0)
			continue;
		const struct ws_note *wn = workspace_get(ws, (uint32_t)from);
		bool ok = false;
		for (uint32_t k = 0; k < wn->note->links.len; k++)
			if (wn->res[k].note == id && wn->res[k].status == LINK_RESOLVED)
				ok = true;
		if (!ok)
			fprintf(stderr, "%s does not resolve\n", odd[i].link);
		resolved += ok;
	}
	INT_EQ(resolved, (int)N_ODD - 2);
	/* "Cafe" + combining acute typed precomposed (NFC, as most keyboards
	 * do; macOS names files in NFD) is the same name, canonically: names
	 * compare in NFD (lsp/names.c). */
	struct resolution r = workspace_resolve(ws, from, slice_from_cstr("Caf\xc3\xa9 NFD"),
						(struct slice){ "", 0 }, false);
	snprintf(path, sizeof(path), "%s/Cafe\xcc\x81 NFD.md", dir);
	int32_t nfd = workspace_find(ws, path);
	OK(nfd >= 0);
	INT_EQ(r.note, nfd);
	workspace_free(ws);

	/* check: one duplicate fact in every odd note, the path as it is. */
	char *summary;
	char *out = run_check(dir, &summary);
	for (size_t i = 0; i < N_ODD; i++) {
		char want[2048];
		snprintf(want, sizeof(want), "\"path\":\"%s/%s\"", dir, odd[i].file);
		bool listed = false;
		for (char *l = out; l && *l;) {
			char *nl = strchr(l, '\n');
			json_t *j = json_loadb(l, nl ? (size_t)(nl - l) : strlen(l), 0, NULL);
			snprintf(path, sizeof(path), "%s/%s", dir, odd[i].file);
			const char *pj = json_string_value(json_object_get(j, "path"));
			const char *code = json_string_value(json_object_get(j, "code"));
			listed |= pj && code && strcmp(pj, path) == 0 && strcmp(code, "duplicate-fact") == 0;
			json_decref(j);
			l = nl ? nl + 1 : NULL;
		}
		if (!listed)
			fprintf(stderr, "check does not list %s\n", odd[i].file);
		OK(listed);
	}
	free(out);
	free(summary);

	/* The server: every closed odd note is published under a URI that
	 * decodes to its path, with '#', '?', '%' and spaces escaped; opened
	 * under that URI, it is the same note; definition from the index
	 * leads to each. */
	struct proc p;
	OK(spawn(&p));
	initialize(&p, dir);
	settle(&p, 0.5, 20);
	for (size_t i = 0; i < N_ODD; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, odd[i].file);
		char *uri = uri_from_path(path);
		OK(strpbrk(uri + 7, "#? ") == NULL);
		char *back = decode_uri(uri);
		STR_EQ(back, path);
		free(back);
		bool published = false;
		size_t k;
		json_t *m;
		json_array_foreach(p.seen, k, m) {
			const char *u = json_string_value(json_object_get(json_object_get(m, "params"), "uri"));
			published |= u && strcmp(u, uri) == 0;
		}
		if (!published)
			fprintf(stderr, "no diagnostics published for %s\n", uri);
		OK(published);
		/* Open it under the URI a client would send, and ask. */
		notify(&p, "textDocument/didOpen",
		       json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				 "markdown", "version", 1, "text", "# Odd\n\n- [[Index]] again\n- [[Index]] again\n"));
		int id = request(&p, "textDocument/definition",
				 json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri, "position",
					   "line", 2, "character", 5));
		const json_t *resp = wait_for(&p, is_response_id, &id, 10);
		json_t *res = json_object_get(resp, "result");
		const json_t *loc = json_is_array(res) ? json_array_get(res, 0) : res;
		const char *target = json_string_value(json_object_get(loc, "uri"));
		OK(target && strstr(target, "/Index.md"));
		free(uri);
	}
	/* From the index to each note a link can name. */
	snprintf(path, sizeof(path), "%s/Index.md", dir);
	char *index_uri = uri_from_path(path);
	notify(&p, "textDocument/didOpen",
	       json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", index_uri, "languageId",
			 "markdown", "version", 1, "text", index.ptr));
	int line = 2, reached = 0;
	for (size_t i = 0; i < N_ODD; i++) {
		if (!odd[i].link)
			continue;
		int id = request(&p, "textDocument/definition",
				 json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", index_uri,
					   "position", "line", line++, "character", 4));
		const json_t *resp = wait_for(&p, is_response_id, &id, 10);
		json_t *res = json_object_get(resp, "result");
		const json_t *loc = json_is_array(res) ? json_array_get(res, 0) : res;
		const char *target = json_string_value(json_object_get(loc, "uri"));
		char *decoded = target ? decode_uri(target) : NULL;
		snprintf(path, sizeof(path), "%s/%s", dir, odd[i].file);
		if (!decoded || strcmp(decoded, path) != 0)
			fprintf(stderr, "definition of %s: %s\n", odd[i].link, target ? target : "none");
		reached += decoded && strcmp(decoded, path) == 0;
		free(decoded);
	}
	INT_EQ(reached, (int)N_ODD - 2);
	/* Completion offers only what a link can name, and every link it
	 * inserts leads somewhere. No link names "Hash#Note.md" ('#' starts a
	 * heading) or "Pipe|Note.md": an alias of theirs that a link can hold
	 * is offered alone, one that it cannot hold is not offered. */
	static const struct { const char *file, *aliases; } given[] = {
		{ "Hash#Note.md", "[Hashtag Note]" },
		{ "Pipe|Note.md", "[\"Piped]] Note\", \"Pip|ed\"]" },
	};
	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, given[i].file);
		char *uri = uri_from_path(path);
		char text[256];
		snprintf(text, sizeof(text), "---\naliases: %s\n---\n# Odd\n", given[i].aliases);
		notify(&p, "textDocument/didOpen",
		       json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri, "languageId",
				 "markdown", "version", 1, "text", text));
		free(uri);
	}
	static const char *const typed[] = { "[[Has", "[[Pip", "[[Tra", "[[Col", "[[Car", "[[Que" };
	int version = 2, offered = 0, hashtag = 0, unlinkable = 0, dangling = 0, trailing = 0;
	for (size_t t = 0; t < sizeof(typed) / sizeof(typed[0]); t++) {
		notify(&p, "textDocument/didChange",
		       json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument", "uri", index_uri, "version",
				 version++, "contentChanges", "text", typed[t]));
		int cid = request(&p, "textDocument/completion",
				  json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", index_uri,
					    "position", "line", 0, "character", (int)strlen(typed[t])));
		json_t *items = json_incref(json_object_get(
			json_object_get(wait_for(&p, is_response_id, &cid, 10), "result"), "items"));
		size_t ci;
		json_t *item;
		json_array_foreach(items, ci, item) {
			const char *text = json_string_value(
				json_object_get(json_object_get(item, "textEdit"), "newText"));
			if (!text || ci >= 8)
				continue;
			offered++;
			hashtag += strcmp(text, "Hashtag Note]]") == 0;
			/* Offered in a form that keeps its trailing space. */
			trailing += strcmp(text, "Trailing space .md]]") == 0;
			unlinkable += strstr(text, "Hash#") || strstr(text, "Pipe|") || strstr(text, "Pip|") ||
				      strstr(text, "Piped");
			/* The link as inserted: does it lead anywhere? */
			char link[512];
			snprintf(link, sizeof(link), "[[%s", text);
			notify(&p, "textDocument/didChange",
			       json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument", "uri", index_uri,
					 "version", version++, "contentChanges", "text", link));
			int id = request(&p, "textDocument/definition",
					 json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", index_uri,
						   "position", "line", 0, "character", 3));
			json_t *res = json_object_get(wait_for(&p, is_response_id, &id, 10), "result");
			bool leads = json_is_array(res) ? json_array_size(res) > 0 : json_is_object(res);
			if (!leads)
				fprintf(stderr, "completion inserted %s, which leads nowhere\n", link);
			dangling += !leads;
		}
		json_decref(items);
	}
	OK(offered >= 5);
	INT_EQ(hashtag, 1);
	INT_EQ(trailing, 1);
	INT_EQ(unlinkable, 0);
	INT_EQ(dangling, 0);
	free(index_uri);
	int shut = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &shut, 10) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 10), 0);
	strbuf_fini(&index);
	rm_rf(dir);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_mangled_during_scan();
	test_churned_during_scan();
	test_server_indexing_while_deleted();
	test_many_other_files();
	test_odd_names();
	return harness_done("test_vault_faults");
}
