/*
 * test_index_cache_read.c — what the reader lets into the index, beyond
 * bounds: a file whose checksums all match (written by the writer from an
 * index made wrong on purpose, as a file made by hand would be) is
 * refused unless each link's resolution is one the index can make and
 * every note's backlinks are exactly the links that resolve to it; and a
 * warm start gives the index a cold one does when the cache holds a note
 * where the vault now has an attachment (one opened as text when the
 * cache was written), and whose search-key maps, made when first needed,
 * change no name. (The format itself: test_index_cache.c.)
 */
#include "index_cache.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/vault-cache-read-XXXXXX";
static const char *roots_of[] = { root };

static void put(const char *rel, const char *text)
{
	harness_put(root, rel, text);
}

static void drop(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static struct workspace *cold(const struct config *cfg)
{
	struct workspace *ws = workspace_new(cfg, NULL);
	workspace_add_root(ws, root);
	const char *r = root;
	workspace_install(ws, workspace_scan(&r, 1, cfg, 2, NULL, NULL, NULL, NULL));
	return ws;
}

static struct index_cache_key key(const struct config *cfg)
{
	return (struct index_cache_key){ "9.9.9", 42, index_cache_config_hash(cfg), roots_of, 1 };
}

/* ws written to a cache (every checksum right) and read back. */
static struct index_cache *round_trip(const struct workspace *ws, const struct config *cfg,
				      struct strbuf *bytes, const char **why)
{
	struct index_cache_key k = key(cfg);
	struct index_cache_writer *w = index_cache_writer_new(ws, &k, NULL);
	bytes->len = 0;
	while (!index_cache_writer_step(w, ws, bytes, 1 << 20))
		;
	index_cache_writer_free(w);
	struct index_cache_mem m = { (const unsigned char *)bytes->ptr, bytes->len };
	struct index_cache_src src = index_cache_mem_src(&m);
	*why = NULL;
	return index_cache_read(&src, &k, 2, true, why);
}

/* A cache written with one thing of ws changed for the writing, then
 * changed back: refused, for its links. */
static bool refused(const struct workspace *ws, const struct config *cfg, const char *what)
{
	struct strbuf bytes = { 0 };
	const char *why;
	struct index_cache *c = round_trip(ws, cfg, &bytes, &why);
	bool no = !c && why && strcmp(why, "a link out of bounds") == 0;
	if (!no)
		fprintf(stderr, "%s: %s\n", what, c ? "taken" : why);
	index_cache_free(c);
	strbuf_fini(&bytes);
	return no;
}

static struct ws_note *note_at(const struct workspace *ws, const char *rel)
{
	for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (wn && strcmp(wn->rel, rel) == 0)
			return (struct ws_note *)wn;
	}
	return NULL;
}

/* Each link's resolution as the resolver makes them: a link to nothing is
 * no heading, block, alias or ambiguity of nothing; a link to a note is
 * resolved or misses a heading or block. Else diagnose_note reads the
 * note of a missing heading (note -1) and crashes. */
static void test_resolutions(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	struct strbuf bytes = { 0 };
	const char *why;
	struct index_cache *c = round_trip(ws, &cfg, &bytes, &why);
	OK(c != NULL);
	index_cache_free(c);

	/* A.md's links: [[B]] [[B#Top]] [[nowhere]] [[B#nope]] ![[pic.png]]. */
	struct ws_note *a = note_at(ws, "A.md");
	OK(a && a->note->links.len == 5);
	if (!a || a->note->links.len != 5)
		exit(1);
	OK(a->res[2].note == -1 && a->res[2].status == LINK_UNRESOLVED);
	OK(a->res[0].note >= 0 && a->res[0].status == LINK_RESOLVED);
	struct resolution was = a->res[2];
	a->res[2].status = LINK_HEADING_MISSING;
	OK(refused(ws, &cfg, "nothing's heading missing"));
	a->res[2] = was;
	a->res[2].status = LINK_BLOCK_MISSING;
	OK(refused(ws, &cfg, "nothing's block missing"));
	a->res[2] = was;
	a->res[2].status = LINK_RESOLVED;
	OK(refused(ws, &cfg, "nothing resolved"));
	a->res[2] = was;
	a->res[2].ambiguous = 1;
	OK(refused(ws, &cfg, "nothing ambiguous"));
	a->res[2] = was;
	a->res[2].via_alias = 1;
	OK(refused(ws, &cfg, "nothing through an alias"));
	a->res[2] = was;

	was = a->res[0];
	a->res[0].status = LINK_UNRESOLVED;
	OK(refused(ws, &cfg, "a note unresolved"));
	a->res[0] = was;
	a->res[0].alias = 0;
	OK(refused(ws, &cfg, "an alias not through an alias"));
	a->res[0] = was;

	c = round_trip(ws, &cfg, &bytes, &why);
	OK(c != NULL);
	index_cache_free(c);
	strbuf_fini(&bytes);
	workspace_free(ws);
	config_fini(&cfg);
}

/* The backlinks, exactly the links resolving to each note: a link
 * without its backlink keeps naming its note after the note is gone; a
 * backlink without its link names a link of the note it comes from
 * whatever that note now has. */
static void test_backlinks(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	struct ws_note *b = note_at(ws, "B.md"), *a = note_at(ws, "A.md");
	OK(a && b && b->backlinks.len == 3);
	if (!a || !b || b->backlinks.len != 3)
		exit(1);
	struct backlink saved[3];
	memcpy(saved, b->backlinks.items, sizeof(saved));

	b->backlinks.len = 2;
	OK(refused(ws, &cfg, "a backlink missing"));
	b->backlinks.len = 3;
	/* [[nowhere]] (link 2) resolves to nothing. */
	b->backlinks.items[2].link = 2;
	OK(refused(ws, &cfg, "a backlink of a link to nothing"));
	memcpy(b->backlinks.items, saved, sizeof(saved));
	b->backlinks.items[2] = b->backlinks.items[1];
	OK(refused(ws, &cfg, "a backlink twice, another missing"));
	memcpy(b->backlinks.items, saved, sizeof(saved));
	/* B's links go to A: A's backlinks from B, given to B as well. */
	struct backlink from_b = a->backlinks.items[0];
	array_push(&b->backlinks, from_b);
	OK(refused(ws, &cfg, "a backlink of a link to another note"));
	b->backlinks.len = 3;

	struct strbuf bytes = { 0 };
	const char *why;
	struct index_cache *c = round_trip(ws, &cfg, &bytes, &why);
	OK(c != NULL);
	index_cache_free(c);
	strbuf_fini(&bytes);
	workspace_free(ws);
	config_fini(&cfg);
}

static int by_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Each entry's path and kind, and where its links go. */
static char *listing(const struct workspace *ws)
{
	struct str_list lines = { 0 };
	struct strbuf b = { 0 };
	for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn)
			continue;
		b.len = 0;
		strbuf_printf(&b, "%s %s", wn->rel, wn->attachment ? "file" : "note");
		for (uint32_t i = 0; i < wn->note->links.len; i++) {
			const struct ws_note *t =
				wn->res[i].note >= 0 ? workspace_get(ws, (uint32_t)wn->res[i].note) : NULL;
			strbuf_printf(&b, " ->%s", t ? t->rel : "-");
		}
		strbuf_printf(&b, " <-%u", wn->backlinks.len);
		str_list_push(&lines, b.ptr);
	}
	qsort(lines.items, lines.len, sizeof(char *), by_str);
	b.len = 0;
	for (uint32_t i = 0; i < lines.len; i++)
		strbuf_printf(&b, "%s\n", lines.items[i]);
	str_list_free(&lines);
	return strbuf_detach(&b);
}

/* pic.png open as text when the cache was written (a note while it was,
 * its text the buffer's): the next start finds the file an attachment
 * again, as a cold start does, its links resolving to it. */
static void test_attachment_open_as_text(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	char pic[600];
	snprintf(pic, sizeof(pic), "%s/pic.png", root);
	workspace_set_text(ws, pic, "<svg/>", 6);
	OK(!note_at(ws, "pic.png")->attachment);
	struct strbuf bytes = { 0 };
	const char *why;
	struct index_cache *c = round_trip(ws, &cfg, &bytes, &why);
	OK(c != NULL);
	if (!c)
		exit(1);
	struct workspace *now = cold(&cfg), *warm = workspace_new(&cfg, NULL);
	workspace_add_root(warm, root);
	const char *r = root;
	struct ws_scan *scan = ws_scan_walk(&r, 1, &cfg, NULL, NULL);
	ws_scan_parse(scan, c->entries, c->n, 2, NULL, NULL, NULL, NULL);
	uint32_t *ids = xmalloc(c->n * sizeof(uint32_t));
	workspace_install_cached(warm, scan, c->entries, c->n, ids);
	char *want = listing(now), *got = listing(warm);
	if (strcmp(want, got) != 0)
		fprintf(stderr, "--- cold\n%s--- warm\n%s", want, got);
	OK(strcmp(want, got) == 0);
	OK(strstr(got, "pic.png file <-1\n") != NULL);
	free(want);
	free(got);
	free(ids);
	index_cache_free(c);
	workspace_free(warm);
	workspace_free(now);
	workspace_free(ws);
	strbuf_fini(&bytes);
	config_fini(&cfg);
}

/* The search-key maps a warm start leaves to be made, made on the first
 * phrase looked up: no name came or went, and the generation of the
 * names, which says whether kept diagnostics still hold, stays. */
static void test_lazy_maps(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	struct strbuf bytes = { 0 };
	const char *why;
	struct index_cache *c = round_trip(ws, &cfg, &bytes, &why);
	OK(c != NULL);
	if (!c)
		exit(1);
	struct workspace *warm = workspace_new(&cfg, NULL);
	workspace_add_root(warm, root);
	const char *r = root;
	struct ws_scan *scan = ws_scan_walk(&r, 1, &cfg, NULL, NULL);
	ws_scan_parse(scan, c->entries, c->n, 2, NULL, NULL, NULL, NULL);
	uint32_t *ids = xmalloc(c->n * sizeof(uint32_t));
	struct ws_restored done = workspace_install_cached(warm, scan, c->entries, c->n, ids);
	OK(!done.names_changed);
	uint64_t names = workspace_names_generation(warm);
	uint32_t named = UINT32_MAX;
	OK(workspace_phrase(warm, (struct slice){ "b", 1 }, &named) >= 0);
	OK(named < workspace_id_bound(warm) && strcmp(workspace_get(warm, named)->rel, "B.md") == 0);
	INT_EQ(workspace_names_generation(warm), names);
	/* A name that does come still moves it. */
	char path[600];
	snprintf(path, sizeof(path), "%s/C.md", root);
	workspace_set_text(warm, path, "# C\n", 4);
	OK(workspace_names_generation(warm) != names);
	free(ids);
	index_cache_free(c);
	workspace_free(warm);
	workspace_free(ws);
	strbuf_fini(&bytes);
	config_fini(&cfg);
}

int main(void)
{
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	put("A.md", "# A\n\n## Sec\n\n[[B]] [[B#Top]] [[nowhere]] [[B#nope]] ![[pic.png]]\n");
	put("B.md", "---\naliases: [Bee]\n---\n# B\n\n## Top\n\n[[A]] [[A#Sec]]\n");
	put("pic.png", "not really");
	test_resolutions();
	test_backlinks();
	test_attachment_open_as_text();
	test_lazy_maps();
	drop("A.md");
	drop("B.md");
	drop("pic.png");
	rmdir(root);
	return harness_done("test_index_cache_read");
}
