/*
 * test_index_cache.c — the index cache's format on a small vault of its
 * own: written and read back, installed it gives the index a full scan
 * gives, before and after notes change, go, come and move; a file cut at
 * every offset, or with any one byte changed, is refused; a cache of
 * another version, binary or vault is refused, of other settings kept
 * without its diagnostics; and the diagnostics records come back as they
 * were published. (Where the file lives: test_cache_file.c.)
 */
#include "index_cache.h"
#include "diag_store.h"
#include "harness.h"
#include "note_pack.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/vault-cache-XXXXXX";
static char scratch[] = "/tmp/vault-cache-scratch-XXXXXX";

static void put(const char *rel, const char *text)
{
	harness_put(root, rel, text);
}

/* The same bytes written again: another mtime and change time. */
static void rewrite(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "rb");
	char text[4096];
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = '\0';
	put(rel, text);
}

static void drop(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static void make_vault(void)
{
	char path[512];
	if (!mkdtemp(root) || !mkdtemp(scratch)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/sub", root);
	mkdir(path, 0700);
	put("A.md", "---\naliases: [Alpha]\ntags: [type/person]\n---\n# A\n\n## Sec\n\n"
		    "- links [[B]] [[B#Top]] [[Alpha]] [[missing]] ![[pic.png]] text ^blk\n"
		    "- links [[B]] again, [[C|see]]\n");
	put("sub/B.md", "# B\n\n## Top\n\n[[A#Sec]] [[A#^blk]] [[A#nope]] [[D]]\n");
	put("sub/C.md", "[[./B]] [[../A]] [[pic.png#x]]\n");
	put("pic.png", "not really");
	put("E.md", "[[B#Top]] [[A#^blk]] [[A]]\n");
}

/* The vault as make_vault left it (the tests change it). */
static void make_vault_again(void)
{
	drop("sub/D.md");
	drop("sub/pic.png");
	put("A.md", "---\naliases: [Alpha]\ntags: [type/person]\n---\n# A\n\n## Sec\n\n"
		    "- links [[B]] [[B#Top]] [[Alpha]] [[missing]] ![[pic.png]] text ^blk\n"
		    "- links [[B]] again, [[C|see]]\n");
	put("sub/B.md", "# B\n\n## Top\n\n[[A#Sec]] [[A#^blk]] [[A#nope]] [[D]]\n");
	put("sub/C.md", "[[./B]] [[../A]] [[pic.png#x]]\n");
	put("pic.png", "not really");
	/* Unchanged throughout, linking into notes that change. */
	put("E.md", "[[B#Top]] [[A#^blk]] [[A]]\n");
}

static struct workspace *new_ws(const struct config *cfg)
{
	struct workspace *ws = workspace_new(cfg, NULL);
	workspace_add_root(ws, root);
	return ws;
}

/* The index from a scan, as a cold start makes it. */
static struct workspace *cold(const struct config *cfg)
{
	struct workspace *ws = new_ws(cfg);
	const char *r = root;
	workspace_install(ws, workspace_scan(&r, 1, cfg, 2, NULL, NULL, NULL, NULL));
	return ws;
}

static const char *rel_of(const struct workspace *ws, int32_t id)
{
	const struct ws_note *wn = id >= 0 ? workspace_get(ws, (uint32_t)id) : NULL;
	return wn ? wn->rel : "-";
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything the index knows of each note, by path (ids differ between
 * a cold and a warm start once notes came and went), one line a note. */
static char *dump(const struct workspace *ws)
{
	struct str_list lines = { 0 };
	struct strbuf b = { 0 }, packed = { 0 };
	for (uint32_t id = 0; id < workspace_id_bound(ws); id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn)
			continue;
		b.len = 0;
		strbuf_printf(&b, "%s %s kind=%s title=%s:", wn->rel, wn->attachment ? "file" : "note",
			      wn->kind, wn->title);
		for (uint32_t i = 0; i < wn->note->links.len; i++) {
			const struct resolution *r = &wn->res[i];
			strbuf_printf(&b, " [%s h%d b%d s%u a%u v%u al%d]", rel_of(ws, r->note), r->heading,
				      r->block, r->status, r->ambiguous, r->via_alias, r->alias);
		}
		struct str_list back = { 0 };
		for (uint32_t i = 0; i < wn->backlinks.len; i++) {
			char one[600];
			snprintf(one, sizeof(one), "%s#%u", rel_of(ws, (int32_t)wn->backlinks.items[i].from),
				 wn->backlinks.items[i].link);
			str_list_push(&back, one);
		}
		if (back.len)
			qsort(back.items, back.len, sizeof(char *), by_str);
		strbuf_puts(&b, " <-");
		for (uint32_t i = 0; i < back.len; i++)
			strbuf_printf(&b, " %s", back.items[i]);
		str_list_free(&back);
		/* Names in text: its stem's search key is a phrase naming it. */
		if (!wn->attachment && wn->n_keys) {
			uint32_t named = UINT32_MAX;
			int how = workspace_phrase(ws, (struct slice){ wn->keys[0].key, wn->keys[0].len },
						   &named);
			strbuf_printf(&b, " phrase=%d:%s", how, how >= 0 ? rel_of(ws, (int32_t)named) : "-");
		}
		packed.len = 0;
		note_pack(wn->note, &packed);
		strbuf_printf(&b, " model=%016llx",
			      (unsigned long long)hash64(packed.ptr, packed.len,
							 hash64(wn->note->text, wn->note->len, 0)));
		str_list_push(&lines, b.ptr);
	}
	qsort(lines.items, lines.len, sizeof(char *), by_str);
	b.len = 0;
	for (uint32_t i = 0; i < lines.len; i++)
		strbuf_printf(&b, "%s\n", lines.items[i]);
	str_list_free(&lines);
	strbuf_fini(&packed);
	return strbuf_detach(&b);
}

static const char *roots_of[] = { root };

static struct index_cache_key key(uint64_t config)
{
	return (struct index_cache_key){ "9.9.9", 42, config, roots_of, 1 };
}

/* The cache of ws, in memory, written a few hundred bytes at a time, in
 * segments of about seg bytes (0: as the server writes them). */
static size_t seg;

static void write_cache(const struct workspace *ws, const struct index_cache_key *k,
			const struct index_cache_diags *diags, struct strbuf *out)
{
	struct index_cache_writer *w = index_cache_writer_new(ws, k, diags);
	if (seg)
		index_cache_writer_segments(w, seg);
	out->len = 0;
	int steps = 0;
	while (!index_cache_writer_step(w, ws, out, 300))
		steps++;
	OK(steps > 1);
	INT_EQ(index_cache_writer_size(w), out->len);
	/* The segments' count, before the tail's checksum and magic. */
	uint32_t segments = 0;
	memcpy(&segments, out->ptr + out->len - 8 - 8 - 4, 4);
	OK(seg ? segments == workspace_count(ws) + workspace_attachment_count(ws) : segments == 1);
	index_cache_writer_free(w);
}

static struct index_cache *read_cache(const char *p, size_t len, const struct index_cache_key *k,
				      bool check_sum, const char **why)
{
	struct index_cache_mem m = { (const unsigned char *)p, len };
	struct index_cache_src src = index_cache_mem_src(&m);
	*why = NULL;
	return index_cache_read(&src, k, 2, check_sum, why);
}

/* A warm start: the cache's index, then what the disk says now. */
static struct workspace *warm(const struct config *cfg, struct index_cache *c, uint32_t *ids)
{
	struct workspace *ws = new_ws(cfg);
	const char *r = root;
	struct ws_scan *scan = ws_scan_walk(&r, 1, cfg, NULL, NULL);
	ws_scan_parse(scan, c->entries, c->n, 2, NULL, NULL, NULL, NULL);
	workspace_install_cached(ws, scan, c->entries, c->n, ids);
	return ws;
}

/* The same as the server does it: entries installed as the threads read
 * them, the file checked whole at the end. */
static struct workspace *warm_streamed(const struct config *cfg, const struct strbuf *bytes,
				       const struct index_cache_key *k)
{
	struct index_cache_mem m = { (const unsigned char *)bytes->ptr, bytes->len };
	struct index_cache_src src = index_cache_mem_src(&m);
	const char *why;
	struct index_cache *c = index_cache_begin(&src, k, 2, true, &why);
	OK(c != NULL);
	if (!c)
		return NULL;
	struct workspace *ws = new_ws(cfg);
	uint32_t *ids = xmalloc((c->n + 1) * sizeof(uint32_t));
	workspace_restore_begin(ws, c->n);
	uint32_t have = 0, rounds = 0;
	while (have < c->n) {
		uint32_t ready = index_cache_wait(c, have);
		OK(ready != UINT32_MAX && ready > have);
		if (ready == UINT32_MAX)
			break;
		workspace_restore_add(ws, c->entries, have, ready, ids);
		have = ready;
		rounds++;
	}
	OK(rounds >= 1);
	OK(index_cache_end(c, &why));
	const char *r = root;
	struct ws_scan *scan = ws_scan_walk(&r, 1, cfg, NULL, NULL);
	ws_scan_parse(scan, c->entries, c->n, 2, NULL, NULL, NULL, NULL);
	workspace_restore_finish(ws, scan, c->entries, c->n, ids);
	free(ids);
	index_cache_free(c);
	return ws;
}

static void check_same(const char *what, struct workspace *a, struct workspace *b)
{
	char *da = dump(a), *db = dump(b);
	if (strcmp(da, db) != 0)
		fprintf(stderr, "%s: the indexes differ\n--- cold\n%s--- warm\n%s", what, da, db);
	OK(strcmp(da, db) == 0);
	free(da);
	free(db);
}

static void test_round_trip_and_changes(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	INT_EQ(workspace_count(ws), 4);
	struct index_cache_key k = key(index_cache_config_hash(&cfg));
	struct strbuf bytes = { 0 };
	write_cache(ws, &k, NULL, &bytes);
	const char *why;
	struct index_cache *c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
	OK(c != NULL);
	if (!c) {
		fprintf(stderr, "refused: %s\n", why);
		exit(1);
	}
	INT_EQ(c->n, 5);
	OK(c->same_config);
	uint32_t ids[8];
	struct workspace *w = warm(&cfg, c, ids);
	check_same("unchanged", ws, w);
	struct workspace *streamed = warm_streamed(&cfg, &bytes, &k);
	check_same("unchanged, streamed", ws, streamed);
	workspace_free(streamed);
	/* Nothing changed: nothing to diagnose again, every entry kept. */
	struct id_list affected = { 0 };
	workspace_take_affected(w, &affected);
	INT_EQ(affected.len, 0);
	for (uint32_t i = 0; i < c->n; i++)
		INT_EQ(ids[i], i);
	array_free(&affected);
	workspace_free(w);
	index_cache_free(c);

	/* B loses its heading (the size kept: "Top" becomes "Tip"), A, which
	 * links to it, loses its block and gains a link (both changed: each
	 * the other's source), C goes, D comes (and resolves B's [[D]]),
	 * pic.png moves. */
	put("sub/B.md", "# B\n\n## Tip\n\n[[A#Sec]] [[A#^blk]] [[A#nope]] [[D]]\n");
	put("A.md", "---\naliases: [Alpha]\ntags: [type/person]\n---\n# A\n\n## Sec\n\n"
		    "- links [[B]] [[B#Top]] [[Alpha]] [[missing]] ![[pic.png]] text\n"
		    "- links [[B]] again, [[C|see]] and [[B#Tip]]\n");
	drop("sub/C.md");
	put("sub/D.md", "# D\n\n[[A]] [[Alpha#Sec]]\n");
	drop("pic.png");
	put("sub/pic.png", "moved");
	struct workspace *now = cold(&cfg);
	c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
	OK(c != NULL);
	w = warm(&cfg, c, ids);
	check_same("after changes", now, w);
	streamed = warm_streamed(&cfg, &bytes, &k);
	check_same("after changes, streamed", now, streamed);
	workspace_free(streamed);
	workspace_take_affected(w, &affected);
	/* B changed, C's and pic.png's linkers and D's (A, B) resolve anew. */
	bool has_b = false, has_a = false;
	for (uint32_t i = 0; i < affected.len; i++) {
		has_b = has_b || strcmp(rel_of(w, (int32_t)affected.items[i]), "sub/B.md") == 0;
		has_a = has_a || strcmp(rel_of(w, (int32_t)affected.items[i]), "A.md") == 0;
	}
	OK(has_b);
	OK(has_a);
	array_free(&affected);
	/* Entries (in walk order: A, E, pic.png, B, C): A and B read anew,
	 * C and pic.png gone, E kept (its links resolved again). */
	INT_EQ(ids[0], UINT32_MAX);
	OK(ids[1] != UINT32_MAX);
	INT_EQ(ids[2], UINT32_MAX);
	INT_EQ(ids[3], UINT32_MAX);
	INT_EQ(ids[4], UINT32_MAX);
	workspace_free(w);
	workspace_free(now);
	index_cache_free(c);

	/* A file the cache has, written again with the same bytes (another
	 * mtime): hashed and kept, not parsed. */
	struct workspace *before = cold(&cfg);
	write_cache(before, &k, NULL, &bytes);
	sleep(1);
	rewrite("A.md");
	c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
	OK(c != NULL);
	w = warm(&cfg, c, ids);
	check_same("touched", before, w);
	for (uint32_t i = 0; i < c->n; i++)
		OK(ids[i] != UINT32_MAX);
	workspace_free(w);
	index_cache_free(c);
	workspace_free(before);

	/* Edited to the same size with its mtime set back (rsync -t does):
	 * the change time still tells, and the text's hash. */
	before = cold(&cfg);
	write_cache(before, &k, NULL, &bytes);
	workspace_free(before);
	char path[600];
	snprintf(path, sizeof(path), "%s/sub/D.md", root);
	struct stat st;
	OK(stat(path, &st) == 0);
	put("sub/D.md", "# D\n\n[[B]] [[Alpha#Sec]]\n");
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	OK(utimensat(AT_FDCWD, path, times, 0) == 0);
	struct stat after;
	OK(stat(path, &after) == 0 && after.st_size == st.st_size &&
	   after.st_mtim.tv_nsec == st.st_mtim.tv_nsec && after.st_mtim.tv_sec == st.st_mtim.tv_sec);
	now = cold(&cfg);
	c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
	OK(c != NULL);
	/* As if read long after they were written (these files are seconds
	 * old, racy, and would be hashed whatever their times say). */
	for (uint32_t i = 0; i < c->n; i++)
		c->entries[i].disk.racy = false;
	w = warm(&cfg, c, ids);
	check_same("mtime set back", now, w);
	bool d_anew = false;
	for (uint32_t i = 0; i < c->n; i++)
		d_anew = d_anew || (strcmp(c->entries[i].rel, "sub/D.md") == 0 && ids[i] == UINT32_MAX);
	OK(d_anew);
	workspace_free(w);
	workspace_free(now);
	index_cache_free(c);

	workspace_free(ws);
	strbuf_fini(&bytes);
	config_fini(&cfg);
}

static void test_refused(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	struct index_cache_key k = key(index_cache_config_hash(&cfg));
	struct strbuf bytes = { 0 };
	write_cache(ws, &k, NULL, &bytes);
	const char *why;

	/* Cut at every offset: refused, and said so. */
	bool all_refused = true;
	for (size_t cut = 0; cut < bytes.len; cut++) {
		struct index_cache *c = read_cache(bytes.ptr, cut, &k, true, &why);
		all_refused = all_refused && !c && why;
		index_cache_free(c);
	}
	OK(all_refused);
	/* Any one byte changed: refused (the checksum, or a bound first);
	 * without the checksum, whatever is taken is within its bounds. */
	bool flips_refused = true;
	for (size_t at = 0; at < bytes.len; at++) {
		for (int bit = 0; bit < 8; bit += 3) {
			bytes.ptr[at] ^= (char)(1 << bit);
			struct index_cache *c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
			flips_refused = flips_refused && !c;
			index_cache_free(c);
			c = read_cache(bytes.ptr, bytes.len, &k, false, &why);
			index_cache_free(c);
			bytes.ptr[at] ^= (char)(1 << bit);
		}
	}
	OK(flips_refused);
	/* A byte more. */
	strbuf_putc(&bytes, 0);
	struct index_cache *c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
	OK(!c);
	bytes.len--;

	/* Another version, binary or vault. */
	struct index_cache_key other = k;
	other.version = "9.9.8";
	OK(!read_cache(bytes.ptr, bytes.len, &other, true, &why));
	STR_EQ(why, "written by another version");
	other = k;
	other.build = 43;
	OK(!read_cache(bytes.ptr, bytes.len, &other, true, &why));
	STR_EQ(why, "written by another version");
	const char *elsewhere[] = { "/tmp/another-vault" };
	other = k;
	other.roots = elsewhere;
	OK(!read_cache(bytes.ptr, bytes.len, &other, true, &why));
	STR_EQ(why, "for another vault");
	/* Other settings: the index is kept, its diagnostics are not. */
	other = k;
	other.config = k.config + 1;
	c = read_cache(bytes.ptr, bytes.len, &other, true, &why);
	OK(c && !c->same_config);
	index_cache_free(c);
	/* A setting that changes diagnostics changes the hash; logLevel not. */
	struct config cfg2;
	config_copy(&cfg2, &cfg);
	cfg2.log_level = LOG_TRACE;
	cfg2.log_level_set = true;
	INT_EQ(index_cache_config_hash(&cfg2), index_cache_config_hash(&cfg));
	cfg2.dup_threshold = 0.5;
	OK(index_cache_config_hash(&cfg2) != index_cache_config_hash(&cfg));
	config_fini(&cfg2);

	workspace_free(ws);
	strbuf_fini(&bytes);
	config_fini(&cfg);
}

static bool same_diags(const struct diag_list *a, const struct diag_list *b)
{
	if (a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++) {
		const struct diagnostic *x = &a->items[i], *y = &b->items[i];
		if (x->span.start != y->span.start || x->span.len != y->span.len ||
		    x->severity != y->severity || x->tags != y->tags || strcmp(x->code, y->code) ||
		    strcmp(x->message, y->message) || x->related.len != y->related.len)
			return false;
		for (uint32_t k = 0; k < x->related.len; k++)
			if (x->related.items[k].note != y->related.items[k].note ||
			    x->related.items[k].span.start != y->related.items[k].span.start ||
			    strcmp(x->related.items[k].message, y->related.items[k].message))
				return false;
	}
	return true;
}

static void test_diagnostics(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = cold(&cfg);
	struct diag_store *ds = diag_store_new(scratch, NULL);
	OK(ds != NULL);
	uint32_t n = workspace_id_bound(ws), with = 0;
	for (uint32_t id = 0; id < n; id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn || wn->attachment)
			continue;
		struct diag_list list = { 0 }, back = { 0 };
		diagnose_note(ws, id, &list);
		with += list.len > 0;
		/* The record alone, and through the store. */
		struct strbuf rec = { 0 };
		bool identity;
		diag_store_pack(ws, &list, &rec, &identity);
		OK(diag_store_unpack(ws, wn, rec.ptr, rec.len, &back));
		OK(same_diags(&list, &back));
		diag_list_free(&back);
		for (size_t cut = 0; cut < rec.len; cut++) {
			struct diag_list part = { 0 };
			OK(!diag_store_unpack(ws, wn, rec.ptr, cut, &part));
			INT_EQ(part.len, 0);
			diag_list_free(&part);
		}
		strbuf_fini(&rec);
		diag_store_put(ds, ws, id, &list);
		OK(diag_store_has(ds, id));
		OK(diag_store_get(ds, ws, id, &back));
		OK(same_diags(&list, &back));
		diag_list_free(&back);
		diag_list_free(&list);
	}
	OK(with >= 2);

	/* Into a cache file, read back from it, and from the store again
	 * once it took the file. */
	struct index_cache_key k = key(index_cache_config_hash(&cfg));
	struct index_cache_diags hooks = diag_store_writer(ds);
	struct strbuf bytes = { 0 };
	write_cache(ws, &k, &hooks, &bytes);
	char path[600];
	snprintf(path, sizeof(path), "%s/cache.idx", scratch);
	FILE *f = fopen(path, "wb");
	fwrite(bytes.ptr, 1, bytes.len, f);
	fclose(f);
	diag_store_commit(ds, open(path, O_RDONLY));
	const char *why;
	struct index_cache *c = read_cache(bytes.ptr, bytes.len, &k, true, &why);
	OK(c != NULL);
	uint32_t ids[8];
	for (uint32_t i = 0; c && i < c->n; i++) {
		ids[i] = i;
		OK(c->diags[i].present == !c->entries[i].attachment);
	}
	struct diag_store *again = diag_store_new(scratch, NULL);
	if (c)
		diag_store_adopt(again, open(path, O_RDONLY), c->diags, ids, c->n);
	for (uint32_t id = 0; id < n; id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn || wn->attachment)
			continue;
		struct diag_list list = { 0 }, a = { 0 }, b = { 0 };
		diagnose_note(ws, id, &list);
		OK(diag_store_get(ds, ws, id, &a));
		OK(diag_store_get(again, ws, id, &b));
		OK(same_diags(&list, &a));
		OK(same_diags(&list, &b));
		diag_list_free(&list);
		diag_list_free(&a);
		diag_list_free(&b);
	}
	/* Dropped: gone from the next file. */
	diag_store_drop(ds, 0);
	OK(!diag_store_has(ds, 0));
	index_cache_free(c);
	diag_store_free(again);
	diag_store_free(ds);
	unlink(path);
	workspace_free(ws);
	strbuf_fini(&bytes);
	config_fini(&cfg);
}

int main(void)
{
	make_vault();
	/* One segment, as a small vault has; then one an entry, read on
	 * several threads. */
	for (int k = 0; k < 2; k++) {
		seg = k ? 1 : 0;
		test_round_trip_and_changes();
		test_refused();
		test_diagnostics();
		make_vault_again();
	}
	const char *files[] = { "A.md", "E.md", "sub/B.md", "sub/C.md", "sub/D.md", "pic.png",
				"sub/pic.png" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		drop(files[i]);
	char path[600];
	snprintf(path, sizeof(path), "%s/sub", root);
	rmdir(path);
	rmdir(root);
	rmdir(scratch);
	return harness_done("test_index_cache");
}
