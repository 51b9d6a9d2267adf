/*
 * test_resolve.c — a note created, rewritten (new aliases, new links),
 * renamed or deleted re-resolves only the links that may now mean another
 * note. Whatever it skips must not matter: after every one of 400 random
 * changes to a small vault of colliding names, every link must resolve
 * exactly as in a workspace built from scratch over the same files, and
 * every note must have the same backlinks. Attachments (images, PDFs
 * sharing the notes' names) and relative links ("./Ann", "../People/Ann")
 * come and go among them.
 */
#include "config.h"
#include "harness.h"
#include "workspace.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t seed = 777;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* Few names, so that they collide: stems shared across folders, aliases
 * equal to other notes' stems, links to names that come and go. */
static const char *names[] = { "Ann", "Bob Ross", "Cleo", "Dag", "Eve Ng", "Finn", "Gus", "Hal" };
static const char *folders[] = { "", "People/", "Archive/", "People/Old/" };
#define N(a) (sizeof(a) / sizeof(a[0]))

static char dir[] = "/tmp/vault-resolve-XXXXXX";

static void path_of(const char *rel, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", dir, rel);
}

static const char *exts[] = { ".md", ".md", ".md", ".png", ".pdf" };

static void random_rel(char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s", folders[rnd(N(folders))], names[rnd(N(names))],
		 rnd(3) ? "" : " 2", exts[rnd(N(exts))]);
}

static bool is_note(const char *rel)
{
	return strcmp(rel + strlen(rel) - 3, ".md") == 0;
}

static void write_random_note(const char *rel)
{
	char path[512];
	path_of(rel, path, sizeof(path));
	for (char *p = path + strlen(dir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	if (!is_note(rel)) { /* an attachment: never read */
		fputs("\x89PNG", f);
		fclose(f);
		return;
	}
	if (rnd(2)) {
		fputs("---\naliases: [", f);
		for (uint32_t i = 0, n = rnd(3); i < n; i++)
			fprintf(f, "%s\"%s\"", i ? ", " : "", names[rnd(N(names))]);
		fputs("]\n---\n", f);
	}
	fputs("# Top\n\n## Part\n\n- fact ^b1\n\n", f);
	for (uint32_t i = 0, n = 1 + rnd(5); i < n; i++) {
		const char *sub[] = { "", "#Part", "#Nope", "#^b1", "#^zz", "#page=2" };
		const char *ext[] = { "", "", "", ".md", ".png", ".pdf" };
		const char *rel_prefix[] = { "./", "../", "../People/", "./Old/", "../../" };
		const char *prefix = rnd(4) ? "" : rnd(2) ? folders[1 + rnd(N(folders) - 1)]
							  : rel_prefix[rnd(N(rel_prefix))];
		fprintf(f, "- [[%s%s%s%s]]\n", prefix, names[rnd(N(names))], ext[rnd(N(ext))],
			sub[rnd(N(sub))]);
	}
	fclose(f);
}

static struct workspace *fresh(const struct config *cfg)
{
	struct workspace *ws = workspace_new(cfg, NULL);
	const char *roots[] = { dir };
	workspace_add_root(ws, dir);
	atomic_bool stop = false;
	workspace_install(ws, workspace_scan(roots, 1, cfg, 1, NULL, NULL, &stop, NULL));
	return ws;
}

static const char *abs_of(const struct workspace *ws, int32_t id)
{
	const struct ws_note *wn = id >= 0 ? workspace_get(ws, (uint32_t)id) : NULL;
	return wn ? wn->abs : "-";
}

/* Every note's links and backlinks, by path. */
static uint32_t differences(const struct workspace *a, const struct workspace *b)
{
	uint32_t diff = 0;
	if (workspace_count(a) != workspace_count(b) ||
	    workspace_attachment_count(a) != workspace_attachment_count(b))
		diff++;
	for (uint32_t id = 0; id < workspace_id_bound(b); id++) {
		const struct ws_note *wb = workspace_get(b, id);
		if (!wb)
			continue;
		int32_t ia = workspace_find(a, wb->abs);
		const struct ws_note *wa = ia >= 0 ? workspace_get(a, (uint32_t)ia) : NULL;
		if (!wa || wa->attachment != wb->attachment || wa->note->links.len != wb->note->links.len ||
		    wa->backlinks.len != wb->backlinks.len) {
			fprintf(stderr, "%s: %s\n", wb->rel, wa ? "links or backlinks differ" : "missing");
			diff++;
			continue;
		}
		for (uint32_t i = 0; i < wb->note->links.len; i++) {
			const struct resolution *ra = &wa->res[i], *rb = &wb->res[i];
			if (ra->status != rb->status || ra->ambiguous != rb->ambiguous ||
			    ra->via_alias != rb->via_alias || ra->heading != rb->heading ||
			    ra->block != rb->block || ra->alias != rb->alias ||
			    strcmp(abs_of(a, ra->note), abs_of(b, rb->note)) != 0) {
				fprintf(stderr, "%s link %u [[%.*s]]: %s (%d %d %d %d %d %d) vs fresh %s (%d %d %d %d %d %d)\n",
					wb->rel, i, (int)wikilink_target(&wb->note->links.items[i]).len,
					wb->note->text + wikilink_target(&wb->note->links.items[i]).start,
					abs_of(a, ra->note) + strlen(dir), ra->status, ra->ambiguous, ra->via_alias,
					ra->heading, ra->block, ra->alias, abs_of(b, rb->note) + strlen(dir),
					rb->status, rb->ambiguous, rb->via_alias, rb->heading, rb->block, rb->alias);
				diff++;
			}
		}
	}
	return diff;
}

int main(void)
{
	OK(mkdtemp(dir) != NULL);
	char rel[256], path[512], path2[512];
	for (int i = 0; i < 30; i++) {
		random_rel(rel, sizeof(rel));
		write_random_note(rel);
	}
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = fresh(&cfg);

	uint32_t bad = 0, ops[4] = { 0 };
	for (int step = 0; step < 400 && bad < 5; step++) {
		uint32_t op = rnd(4);
		random_rel(rel, sizeof(rel));
		path_of(rel, path, sizeof(path));
		bool exists = workspace_find(ws, path) >= 0;
		if (op == 0 || !exists) { /* a note created, or rewritten */
			write_random_note(rel);
			if (exists)
				workspace_reload(ws, path);
			else
				workspace_add_files(ws, (const char *const[]){ path }, 1);
			op = exists ? 1 : 0;
		} else if (op == 1 && !is_note(rel)) { /* an attachment written again */
			write_random_note(rel);
			workspace_reload(ws, path);
		} else if (op == 1) { /* rewritten, as an open buffer would be */
			write_random_note(rel);
			FILE *f = fopen(path, "rb");
			char buf[4096];
			size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
			if (f)
				fclose(f);
			workspace_set_text(ws, path, buf, n);
		} else if (op == 2) { /* deleted */
			unlink(path);
			workspace_remove(ws, path);
		} else { /* renamed */
			char to[256];
			random_rel(to, sizeof(to));
			path_of(to, path2, sizeof(path2));
			if (workspace_find(ws, path2) >= 0)
				continue;
			write_random_note(to); /* makes its folder */
			rename(path, path2);
			workspace_remove(ws, path);
			workspace_add_files(ws, (const char *const[]){ path2 }, 1);
		}
		ops[op]++;
		struct workspace *ref = fresh(&cfg);
		uint32_t d = differences(ws, ref);
		if (d)
			fprintf(stderr, "after step %d (op %u on %s): %u differences\n", step, op, rel, d);
		bad += d != 0;
		workspace_free(ref);
	}
	INT_EQ(bad, 0);
	/* Every kind of change happened often. */
	OK(ops[0] > 10 && ops[1] > 10 && ops[2] > 10 && ops[3] > 10);
	printf("created %u, rewritten %u, deleted %u, renamed %u; %u notes and %u attachments at the end\n",
	       ops[0], ops[1], ops[2], ops[3], workspace_count(ws), workspace_attachment_count(ws));

	workspace_free(ws);
	config_fini(&cfg);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
	return harness_done("test_resolve");
}
