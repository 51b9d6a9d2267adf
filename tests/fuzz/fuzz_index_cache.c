/*
 * fuzz_index_cache.c — any bytes as an index cache file: the reader
 * (index_cache_read, on two threads), then what a warm start does with
 * what it took: the entries installed as they come, their diagnostics
 * records decoded against them and their notes diagnosed, or the whole
 * index installed and then, the vault's folder being empty, every entry
 * taken out again.
 *
 * The first byte chooses: bit 0, whether checksums are checked (off, the
 * changed bytes reach past them to every bound the reader checks anyway);
 * bit 1, which of the two ways the entries are installed. The rest is
 * the file, for the key below.
 *
 * Built with -DFUZZ_SEEDS it is instead a program that writes seed files
 * (valid caches of a few small vaults) into the folder it is given:
 * tests/fuzz/run.sh makes fresh ones at every run, and
 * tests/fuzz/corpus/index_cache/ keeps a few for the replay.
 *
 * Checked: whatever is taken names entries, headings, blocks and links
 * it has; records decode to diagnostics within their notes; the notes
 * installed are diagnosed, and read under the cursor, without a fault.
 */
#include "cursor.h"
#include "diag_store.h"
#include "fuzz.h"
#include "index_cache.h"
#include "workspace.h"

#include <string.h>

static const char *const roots[] = { "/v" };
static const struct index_cache_key key = { "fuzz", 1, 7, roots, 1 };

/* Nothing under it: every entry installed is gone on disk. */
#define EMPTY_ROOT "/nonexistent/vault-lsp-fuzz"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_entries(const struct index_cache *c)
{
	for (uint32_t i = 0; i < c->n; i++) {
		const struct ws_cached *e = &c->entries[i];
		CHECK(e->rel && e->rel[0] && e->root == 0);
		CHECK(e->attachment == (e->note == NULL));
		for (uint32_t k = 0; e->note && k < e->note->links.len; k++) {
			const struct resolution *r = &e->res[k];
			CHECK(r->note < (int32_t)c->n);
			const struct note *t = r->note >= 0 ? c->entries[r->note].note : NULL;
			CHECK(r->heading < (int32_t)(t ? t->headings.len : 0));
			CHECK(r->block < (int32_t)(t ? t->blocks.len : 0));
		}
		for (uint32_t k = 0; k < e->n_back; k++)
			CHECK(e->back[k].from < c->n && c->entries[e->back[k].from].note &&
			      e->back[k].link < c->entries[e->back[k].from].note->links.len);
	}
}

/* What reading a note installed from the cache does: its diagnosis (each
 * link's resolution read as the resolver would have made it) and what
 * is under the cursor at its frontmatter, body and links. */
static void use_note(struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || wn->attachment)
		return;
	struct diag_list list = { 0 };
	diagnose_note(ws, id, &list);
	for (uint32_t k = 0; k < list.len; k++)
		CHECK(span_end(list.items[k].span) <= wn->note->len);
	diag_list_free(&list);
	const struct note *n = wn->note;
	const struct config *cfg = workspace_config(ws);
	uint32_t at[] = { 0, n->fm_span.start, n->body, n->len };
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++)
		cursor_at(n, cfg, at[k]);
	for (uint32_t k = 0; k < n->links.len && k < 16; k++)
		cursor_at(n, cfg, n->links.items[k].span.start + 2);
}

/* The entries installed, then each one's record decoded against it, and
 * each note used. */
static void install_and_decode(struct index_cache *c, const uint8_t *file, size_t size)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, roots[0]);
	uint32_t *ids = malloc((c->n ? c->n : 1) * sizeof(uint32_t));
	workspace_restore_begin(ws, c->n);
	workspace_restore_add(ws, c->entries, 0, c->n, ids);
	for (uint32_t i = 0; i < c->n; i++) {
		const struct cached_diags *d = &c->diags[i];
		const struct ws_note *wn = workspace_get(ws, ids[i]);
		if (!d->present || !wn)
			continue;
		CHECK(d->offset <= size && d->len <= size - d->offset);
		struct diag_list list = { 0 };
		if (diag_store_unpack(ws, wn, (const char *)file + d->offset, d->len, &list))
			for (uint32_t k = 0; k < list.len; k++)
				CHECK(span_end(list.items[k].span) <= wn->note->len);
		diag_list_free(&list);
	}
	for (uint32_t i = 0; i < c->n; i++)
		use_note(ws, ids[i]);
	free(ids);
	workspace_free(ws);
	config_fini(&cfg);
}

/* The whole index installed, then every entry gone from a vault that is
 * empty now: restoring, then taking out, what may be any resolutions
 * and backlinks the reader let through. */
static void install_and_drop(struct index_cache *c)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, roots[0]);
	const char *empty = EMPTY_ROOT;
	struct ws_scan *scan = ws_scan_walk(&empty, 1, &cfg, NULL, NULL);
	ws_scan_parse(scan, c->entries, c->n, 1, NULL, NULL, NULL, NULL);
	uint32_t *ids = malloc((c->n ? c->n : 1) * sizeof(uint32_t));
	struct ws_restored r = workspace_install_cached(ws, scan, c->entries, c->n, ids);
	CHECK(r.kept == 0 && r.changed == 0 && r.added == 0);
	CHECK(workspace_count(ws) == 0);
	free(ids);
	workspace_free(ws);
	config_fini(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	uint8_t how = data[0];
	const uint8_t *file = data + 1;
	struct index_cache_mem m = { file, size - 1 };
	struct index_cache_src src = index_cache_mem_src(&m);
	const char *why = NULL;
	struct index_cache *c = index_cache_read(&src, &key, 2, how & 1, &why);
	if (!c) {
		CHECK(why != NULL);
		return 0;
	}
	check_entries(c);
	if (how & 2)
		install_and_drop(c);
	else
		install_and_decode(c, file, size - 1);
	index_cache_free(c);
	return 0;
}

#ifdef FUZZ_SEEDS
/* ---- seeds ------------------------------------------------------------- */

#include <stdio.h>
#include <unistd.h>

static const char *const vaults[][6] = {
	{ "People/Ada Lovelace.md",
	  "---\ntype: person\naliases: [Ada, Countess]\ntags: [type/person]\n---\n# Ada Lovelace\n\n"
	  "## Key Facts\n\n- Wrote the first program for [[Analytical Engine#Design]]. ^fact-1\n"
	  "- Wrote the first program for [[Analytical Engine]].\n- Met [[Nobody]] and ![[mill.png]]\n",
	  "Projects/Analytical Engine.md",
	  "---\ntype: project\nowner: \"[[Ada Lovelace]]\"\n---\n# Analytical Engine\n\n## Design\n\n"
	  "The mill. ^goal\n\n- [x] Ask [[Ada]] about [[Ada Lovelace#^fact-1]] and [[#Design]]\n",
	  "Inbox/x.md", "`[[code]]` %% [[hidden]] %% [[Analytical Engine#Nope]] #tag/nested\n" },
	{ "a.md", "", "b.md", "---\nname: [unclosed\n---\n[[a]] [[a|shown]]", "c/a.md", "[[a]]" },
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	char dir[] = "/tmp/vault-cache-seeds-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	int made = 0;
	for (size_t v = 0; v < sizeof(vaults) / sizeof(vaults[0]); v++) {
		struct config cfg;
		config_init(&cfg);
		struct workspace *ws = workspace_new(&cfg, NULL);
		workspace_add_root(ws, roots[0]);
		for (int k = 0; k < 6; k += 2) {
			char abs[256];
			snprintf(abs, sizeof(abs), "/v/%s", vaults[v][k]);
			workspace_set_text(ws, abs, vaults[v][k + 1], strlen(vaults[v][k + 1]));
		}
		workspace_reload(ws, "/v/mill.png"); /* not there: nothing */
		struct diag_store *ds = diag_store_new(dir, NULL);
		for (uint32_t id = 0; ds && id < workspace_id_bound(ws); id++) {
			struct diag_list list = { 0 };
			diagnose_note(ws, id, &list);
			diag_store_put(ds, ws, id, &list);
			diag_list_free(&list);
		}
		for (int with = 0; with < 2; with++) {
			struct index_cache_diags hooks = ds ? diag_store_writer(ds) : (struct index_cache_diags){ 0 };
			struct index_cache_writer *w = index_cache_writer_new(ws, &key, with ? &hooks : NULL);
			index_cache_writer_segments(w, with ? 64 : 1 << 20);
			struct strbuf out = { 0 };
			strbuf_init(&out);
			while (!index_cache_writer_step(w, ws, &out, 1 << 20))
				;
			index_cache_writer_free(w);
			if (ds)
				diag_store_abandon(ds);
			/* A seed the reader takes whole, or it seeds nothing. */
			struct index_cache_mem m = { (const unsigned char *)out.ptr, out.len };
			struct index_cache_src src = index_cache_mem_src(&m);
			const char *why;
			struct index_cache *c = index_cache_read(&src, &key, 1, true, &why);
			CHECK(c && c->n == workspace_id_bound(ws));
			index_cache_free(c);
			for (uint8_t how = 0; how < 4; how++) {
				char path[512];
				snprintf(path, sizeof(path), "%s/seed-%zu-%d-%u", argv[1], v, with, how);
				FILE *f = fopen(path, "wb");
				if (!f)
					return 1;
				fputc(how, f);
				fwrite(out.ptr, 1, out.len, f);
				fclose(f);
				made++;
			}
			strbuf_fini(&out);
		}
		diag_store_free(ds);
		workspace_free(ws);
		config_fini(&cfg);
	}
	rmdir(dir);
	printf("%d seeds in %s\n", made, argv[1]);
	return 0;
}
#endif
