/*
 * test_backlinks.c — a vault large enough that its links are resolved on
 * two threads at once: every resolution and backlink the same as when
 * the notes come one at a time, and as workspace_resolve says.
 */
#include "harness.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NOTES 3000 /* past the split (2048) */

static uint64_t rng = 42;
static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng >> 33) % n);
}

static char dir[] = "/tmp/vault-backlinks-XXXXXX";

/* Note i: in A/ or B/, and the 500 from 1000 to 1499 in both (two notes
 * of one name: ambiguous links). Each has an alias, a heading, a block,
 * and links of every kind to notes anywhere in the vault. */
static void write_note(uint32_t i, const char *folder, struct strbuf *paths)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s/N%04u.md", dir, folder, i);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "---\naliases: [Alias %u%s]\n---\n# N%04u\n\n## Heading %u\n\n", i, folder, i,
		i % 7);
	fprintf(f, "- a fact about N%04u ^b%u\n", i, i % 5);
	for (int k = 0; k < 6; k++) {
		uint32_t t = rnd(2500);
		switch (rnd(7)) {
		case 0: fprintf(f, "- see [[N%04u]]\n", t); break;
		case 1: fprintf(f, "- see [[N%04u#Heading %u]]\n", t, rnd(9)); break;
		case 2: fprintf(f, "- see [[N%04u#^b%u]]\n", t, rnd(7)); break;
		case 3: fprintf(f, "- see [[Alias %u%s]]\n", t, rnd(2) ? "A" : "B"); break;
		case 4: fprintf(f, "- see [[B/N%04u|that one]]\n", t); break;
		case 5: fprintf(f, "- see [[Gone %u]]\n", t % 50); break;
		default: fprintf(f, "- see ![[N%04u]]\n", t); break;
		}
	}
	fclose(f);
	strbuf_put(paths, path, strlen(path) + 1);
}

/* A resolution in words, by path: comparable across two indexes. */
static void describe(const struct workspace *ws, const struct resolution *r, struct strbuf *out)
{
	strbuf_printf(out, "%d/%d/%d/%d/%d/%d/%s;", r->status, r->ambiguous, r->via_alias,
		      r->heading, r->block, r->alias,
		      r->note >= 0 ? workspace_get(ws, (uint32_t)r->note)->rel : "-");
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything the index says of note id's links and of its backlinks. */
static void what_it_says(const struct workspace *ws, uint32_t id, struct strbuf *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	for (uint32_t i = 0; i < wn->note->links.len; i++)
		describe(ws, &wn->res[i], out);
	/* Backlinks as a set: the order they were added in may differ. */
	uint32_t n = wn->backlinks.len;
	char **from = xcalloc(n ? n : 1, sizeof(char *));
	for (uint32_t i = 0; i < n; i++) {
		struct strbuf b = { 0 };
		strbuf_printf(&b, "%s#%u", workspace_get(ws, wn->backlinks.items[i].from)->rel,
			      wn->backlinks.items[i].link);
		from[i] = strbuf_detach(&b);
	}
	qsort(from, n, sizeof(char *), by_text);
	for (uint32_t i = 0; i < n; i++) {
		strbuf_printf(out, "<%s", from[i]);
		free(from[i]);
	}
	free(from);
}

int main(void)
{
	OK(mkdtemp(dir) != NULL);
	char sub[300];
	snprintf(sub, sizeof(sub), "%s/A", dir);
	OK(mkdir(sub, 0755) == 0);
	snprintf(sub, sizeof(sub), "%s/B", dir);
	OK(mkdir(sub, 0755) == 0);
	struct strbuf paths = { 0 };
	for (uint32_t i = 0; i < 1500; i++)
		write_note(i, "A", &paths);
	for (uint32_t i = 1000; i < 2500; i++)
		write_note(i, "B", &paths);

	struct config cfg;
	config_init(&cfg);
	const char *root = dir;
	/* The whole vault at once: resolved on two threads. */
	struct workspace *bulk = workspace_new(&cfg, NULL);
	workspace_add_root(bulk, root);
	workspace_install(bulk, workspace_scan(&root, 1, &cfg, 2, NULL, NULL, NULL, NULL));
	INT_EQ(workspace_count(bulk), NOTES);
	/* Every note has links that now resolve (or fail to) as they could
	 * not before: each is to be diagnosed again, whichever half it was in. */
	struct id_list affected = { 0 };
	workspace_take_affected(bulk, &affected);
	INT_EQ(affected.len, NOTES);
	array_free(&affected);
	/* One note at a time, as an editor opens them. */
	struct workspace *one = workspace_new(&cfg, NULL);
	workspace_add_root(one, root);
	for (const char *p = paths.ptr; p < paths.ptr + paths.len; p += strlen(p) + 1)
		workspace_reload(one, p);
	INT_EQ(workspace_count(one), NOTES);

	uint32_t differ = 0, links = 0, ambiguous = 0, missing = 0, backlinks = 0, wrong = 0;
	struct strbuf a = { 0 }, b = { 0 };
	for (uint32_t id = 0; id < workspace_id_bound(bulk); id++) {
		const struct ws_note *wn = workspace_get(bulk, id);
		if (!wn)
			continue;
		int32_t other = workspace_find(one, wn->abs);
		a.len = b.len = 0;
		what_it_says(bulk, id, &a);
		if (other >= 0)
			what_it_says(one, (uint32_t)other, &b);
		if (other < 0 || a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0) {
			if (differ++ < 3)
				fprintf(stderr, "%s:\n  at once:     %.*s\n  one by one:  %.*s\n", wn->rel,
					(int)a.len, a.ptr, (int)b.len, b.ptr);
		}
		/* And as the resolver says, asked now. */
		for (uint32_t i = 0; i < wn->note->links.len; i++) {
			const struct wikilink *l = &wn->note->links.items[i];
			struct resolution r = workspace_resolve(bulk, (int32_t)id,
								note_slice(wn->note, wikilink_target(l)),
								note_slice(wn->note, wikilink_subpath(l)),
								l->has_subpath);
			a.len = b.len = 0;
			describe(bulk, &r, &a);
			describe(bulk, &wn->res[i], &b);
			wrong += a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0;
			links++;
			ambiguous += r.ambiguous;
			missing += r.status != LINK_RESOLVED;
		}
		backlinks += wn->backlinks.len;
	}
	INT_EQ(differ, 0);
	INT_EQ(wrong, 0);
	/* The vault has what the comparison is about. */
	INT_EQ(links, NOTES * 6);
	OK(ambiguous > 500 && missing > 500 && backlinks > 10000);

	workspace_free(bulk);
	workspace_free(one);
	config_fini(&cfg);
	strbuf_fini(&a);
	strbuf_fini(&b);
	strbuf_fini(&paths);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
	return harness_done("test_backlinks");
}
