/*
 * test_scan.c — reading a vault before it enters the index: workspace_scan
 * on a small temporary vault (what it counts, attachments named but not
 * read, the stop flag, the progress callback).
 */
#include "harness.h"
#include "workspace.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/vault-scan-XXXXXX";

static void put(const char *rel, const char *text)
{
	harness_put(root, rel, text);
}

/* Three notes, two attachments, and what the walk skips. */
static void make_vault(void)
{
	char path[512];
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/sub", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.obsidian", root);
	mkdir(path, 0700);
	put("a.md", "# A\n\nLinks [[b]] and ![[pic.png]].\n");
	put("sub/b.md", "---\naliases: [Bee]\n---\n# B\n");
	put("sub/c.MD", "no heading\n");
	put("pic.png", "not really a png");
	put("sub/doc.pdf", "%PDF");
	put(".obsidian/app.json", "{}");
	put(".hidden.md", "# hidden\n");
}

static void remove_vault(void)
{
	const char *files[] = { "a.md", "sub/b.md", "sub/c.MD", "pic.png", "sub/doc.pdf",
				".obsidian/app.json", ".hidden.md" };
	char path[512];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.obsidian", root);
	rmdir(path);
	rmdir(root);
}

struct progress {
	uint32_t calls, last_done, last_total;
	bool ordered;
};

static void on_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct progress *p = ctx;
	if (done <= p->last_done)
		p->ordered = false;
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

static struct workspace *new_ws(const struct config *cfg)
{
	struct workspace *ws = workspace_new(cfg, NULL);
	workspace_add_root(ws, root);
	return ws;
}

static void test_counts(const struct config *cfg)
{
	const char *roots[] = { root };
	struct progress p = { .ordered = true };
	struct ws_scan *scan = workspace_scan(roots, 1, cfg, 1, on_progress, &p, NULL, NULL);
	/* Notes and attachments; not .obsidian, not hidden files. */
	INT_EQ(ws_scan_count(scan), 5);
	/* One thread, five files: a call per file (1% steps round up to
	 * one), in order, the last at the end. */
	INT_EQ(p.calls, 5);
	OK(p.ordered);
	INT_EQ(p.last_done, 5);
	INT_EQ(p.last_total, 5);

	struct workspace *ws = new_ws(cfg);
	workspace_install(ws, scan);
	INT_EQ(workspace_count(ws), 3);
	INT_EQ(workspace_attachment_count(ws), 2);
	char path[512];
	snprintf(path, sizeof(path), "%s/pic.png", root);
	int32_t pic = workspace_find(ws, path);
	OK(pic >= 0);
	if (pic >= 0) {
		const struct ws_note *wn = workspace_get(ws, (uint32_t)pic);
		OK(wn->attachment);
		STR_EQ(wn->rel, "pic.png");
		STR_EQ(wn->stem, "pic.png");
		INT_EQ(wn->note->len, 0); /* named, never read */
	}
	snprintf(path, sizeof(path), "%s/sub/b.md", root);
	int32_t b = workspace_find(ws, path);
	OK(b >= 0);
	if (b >= 0) {
		const struct ws_note *wn = workspace_get(ws, (uint32_t)b);
		OK(!wn->attachment);
		STR_EQ(wn->rel, "sub/b.md");
		STR_EQ(wn->title, "B");
		INT_EQ(wn->note->aliases.len, 1);
	}
	/* a.md's links resolve to what the scan read. */
	snprintf(path, sizeof(path), "%s/a.md", root);
	int32_t a = workspace_find(ws, path);
	OK(a >= 0);
	if (a >= 0 && b >= 0 && pic >= 0) {
		const struct ws_note *wn = workspace_get(ws, (uint32_t)a);
		INT_EQ(wn->note->links.len, 2);
		INT_EQ(wn->res[0].note, b);
		INT_EQ(wn->res[1].note, pic);
	}
	workspace_free(ws);

	/* Several threads read the same. */
	scan = workspace_scan(roots, 1, cfg, 4, NULL, NULL, NULL, NULL);
	INT_EQ(ws_scan_count(scan), 5);
	ws = new_ws(cfg);
	workspace_install(ws, scan);
	INT_EQ(workspace_count(ws), 3);
	INT_EQ(workspace_attachment_count(ws), 2);
	workspace_free(ws);
}

static void test_ignore(const struct config *base)
{
	struct config cfg;
	config_copy(&cfg, base);
	str_list_push(&cfg.ignore, "sub/");
	const char *roots[] = { root };
	struct ws_scan *scan = workspace_scan(roots, 1, &cfg, 2, NULL, NULL, NULL, NULL);
	INT_EQ(ws_scan_count(scan), 2); /* a.md and pic.png */
	ws_scan_free(scan);
	config_fini(&cfg);
}

static void test_stop(const struct config *cfg)
{
	const char *roots[] = { root };
	atomic_bool stop;
	atomic_init(&stop, true);
	struct progress p = { .ordered = true };
	struct ws_scan *scan = workspace_scan(roots, 1, cfg, 2, on_progress, &p, &stop, NULL);
	/* The walk stops after the first file it finds; nothing is read. */
	INT_EQ(ws_scan_count(scan), 1);
	INT_EQ(p.calls, 0);
	struct workspace *ws = new_ws(cfg);
	workspace_install(ws, scan);
	INT_EQ(workspace_count(ws), 0); /* an unread note is not installed */
	workspace_free(ws);
}

int main(void)
{
	make_vault();
	struct config cfg;
	config_init(&cfg);
	test_counts(&cfg);
	test_ignore(&cfg);
	test_stop(&cfg);
	config_fini(&cfg);
	remove_vault();
	return harness_done("test_scan");
}
