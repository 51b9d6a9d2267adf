/*
 * test_vault_odd_files.c — vault contents that the walk, the index, check
 * and the server must take in their stride (issue #7; test_walk covers
 * symlinks and unreadable folders):
 *
 *  - a root holding 200,000 files that are not notes;
 *  - notes named with `:`, `#`, `|`, `^`, `?`, `*`, emoji, NFD accents,
 *    trailing spaces and dots: indexed, linked, checked, and served under
 *    URIs that name them exactly.
 */
#include "lsp_views.h"
#include "scratch_vault.h"
#include "walk.h"
#include "workspace.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__SANITIZE_ADDRESS__)
#define SLOWDOWN 4.0
#else
#define SLOWDOWN 1.0
#endif

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
	printf("test_vault_odd_files: 200,000 other files (made in %.1f s): walked in %.2f s, "
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
	 * compare in NFD (lsp/base/names.c). */
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
	test_many_other_files();
	test_odd_names();
	return harness_done("test_vault_odd_files");
}
