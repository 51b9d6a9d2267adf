/*
 * index_cache.c — the cache file's format (index_cache_impl.h has it in
 * full): the settings' hash, this build's layout, and a workspace written
 * out a slice at a time. index_cache_read.c reads it back.
 */
#include "index_cache_impl.h"
#include "binio.h"
#include "diag_code.h"
#include "note_pack.h"

#include <stddef.h>
#include <stdlib.h>

uint64_t index_cache_layout(void)
{
	/* A resolution goes as it is: its bit-fields as this compiler packs
	 * them, seen through a value of each. */
	struct resolution probe;
	memset(&probe, 0, sizeof(probe));
	probe.note = 1;
	probe.heading = 2;
	probe.block = 3;
	probe.status = LINK_BLOCK_MISSING;
	probe.ambiguous = 1;
	probe.alias = -5;
	uint64_t shape[] = { note_pack_layout(), sizeof(struct resolution), sizeof(struct line_mark),
			     POS_STRIDE, sizeof(struct backlink), offsetof(struct backlink, link) };
	return hash64(&probe, sizeof(probe), hash64(shape, sizeof(shape), 0));
}

uint64_t index_cache_config_hash(const struct config *cfg)
{
	struct strbuf b = { 0 };
	strbuf_init(&b);
	for (uint32_t i = 0; i < cfg->folders.len; i++)
		strbuf_printf(&b, "f%s=%s\n", cfg->folders.items[i].folder, cfg->folders.items[i].kind);
	for (uint32_t i = 0; i < cfg->people_keys.len; i++)
		strbuf_printf(&b, "p%s\n", cfg->people_keys.items[i]);
	for (uint32_t i = 0; i < cfg->ignore.len; i++)
		strbuf_printf(&b, "i%s\n", cfg->ignore.items[i]);
	for (uint32_t i = 0; i < cfg->diag_ignore.len; i++)
		strbuf_printf(&b, "d%s\n", cfg->diag_ignore.items[i]);
	strbuf_printf(&b, "t%.17g c%d e%d m%.17g\n", cfg->dup_threshold, cfg->dup_cross_note,
		      cfg->identity_enabled, cfg->identity_min_score);
	/* The severities in a fixed order: settings may name codes in any. */
	const char *code;
	for (unsigned i = 0; (code = diag_code_name(i)); i++)
		strbuf_printf(&b, "s%d", config_severity(cfg, code));
	uint64_t h = hash64(b.ptr, b.len, INDEX_CACHE_FORMAT);
	strbuf_fini(&b);
	return h;
}

/* ---- writing ------------------------------------------------------- */

struct index_cache_writer {
	struct index_cache_diags diags;
	uint32_t *entry_of;   /* workspace id -> entry index (UINT32_MAX: none) */
	uint32_t id_bound, next_id;
	uint64_t size, head_hash;
	bool header_out, done;
	/* The segment being written, and the rows of those done. */
	uint64_t seg_offset, seg_sum, seg_bytes;
	uint32_t seg_first, seg_count, segments;
	struct strbuf table;
	struct strbuf header, meta, record;
	ARRAY(struct resolution) res;
};

static void put_header(struct index_cache_writer *w, const struct index_cache_key *key,
		       uint32_t entries)
{
	struct strbuf *b = &w->header;
	strbuf_put(b, CACHE_HEAD_MAGIC, CACHE_MAGIC_BYTES);
	binio_put_u32(b, INDEX_CACHE_FORMAT);
	binio_put_u32(b, CACHE_BYTE_ORDER);
	binio_put_u64(b, index_cache_layout());
	binio_put_str(b, key->version, strlen(key->version));
	binio_put_u64(b, key->build);
	binio_put_u64(b, key->config);
	binio_put_u32(b, key->n_roots);
	for (uint32_t i = 0; i < key->n_roots; i++)
		binio_put_str(b, key->roots[i], strlen(key->roots[i]));
	binio_put_u32(b, entries);
}

struct index_cache_writer *index_cache_writer_new(const struct workspace *ws,
						  const struct index_cache_key *key,
						  const struct index_cache_diags *diags)
{
	struct index_cache_writer *w = xcalloc(1, sizeof(*w));
	if (diags)
		w->diags = *diags;
	w->id_bound = workspace_id_bound(ws);
	w->entry_of = xmalloc((w->id_bound ? w->id_bound : 1) * sizeof(uint32_t));
	uint32_t entries = 0;
	for (uint32_t id = 0; id < w->id_bound; id++)
		w->entry_of[id] = workspace_get(ws, id) ? entries++ : UINT32_MAX;
	strbuf_init(&w->header);
	strbuf_init(&w->meta);
	strbuf_init(&w->record);
	strbuf_init(&w->table);
	w->seg_bytes = SEGMENT_BYTES;
	put_header(w, key, entries);
	return w;
}

void index_cache_writer_segments(struct index_cache_writer *w, size_t bytes)
{
	w->seg_bytes = bytes;
}

void index_cache_writer_free(struct index_cache_writer *w)
{
	if (!w)
		return;
	free(w->entry_of);
	strbuf_fini(&w->header);
	strbuf_fini(&w->meta);
	strbuf_fini(&w->record);
	strbuf_fini(&w->table);
	array_free(&w->res);
	free(w);
}

uint64_t index_cache_writer_size(const struct index_cache_writer *w)
{
	return w->size;
}

static void emit(struct index_cache_writer *w, struct strbuf *out, const void *p, size_t n)
{
	strbuf_put(out, p, n);
	w->size += n;
}

/* A chunk: its length and its bytes; its hash. */
static uint64_t emit_chunk(struct index_cache_writer *w, struct strbuf *out, const struct strbuf *c)
{
	uint32_t len = (uint32_t)c->len;
	emit(w, out, &len, sizeof(len));
	emit(w, out, c->ptr, c->len);
	return hash64(c->ptr, c->len, 0);
}

/* The links' resolutions as they are in memory, their notes as entry
 * indexes. */
static void put_resolutions(struct index_cache_writer *w, const struct ws_note *wn,
			    struct strbuf *m)
{
	uint32_t n = wn->note->links.len;
	binio_put_u32(m, n);
	w->res.len = 0;
	array_reserve(&w->res, n);
	for (uint32_t i = 0; i < n; i++) {
		struct resolution r = wn->res[i];
		if (r.note >= 0)
			r.note = (uint32_t)r.note < w->id_bound && w->entry_of[r.note] != UINT32_MAX
					 ? (int32_t)w->entry_of[r.note] : -1;
		w->res.items[i] = r;
	}
	strbuf_put(m, (const char *)w->res.items, n * sizeof(struct resolution));
}

/* The links into a note or attachment, so that a restart need not gather
 * them from every resolution of the vault (a fifth of a second at
 * 100,000 notes). */
static void put_backlinks(struct index_cache_writer *w, const struct ws_note *wn,
			  struct strbuf *m)
{
	binio_put_u32(m, wn->backlinks.len);
	for (uint32_t i = 0; i < wn->backlinks.len; i++) {
		struct backlink b = wn->backlinks.items[i];
		b.from = b.from < w->id_bound ? w->entry_of[b.from] : UINT32_MAX;
		strbuf_put(m, (const char *)&b, sizeof(b));
	}
}

static void put_entry(struct index_cache_writer *w, uint32_t id, const struct ws_note *wn,
		      struct strbuf *out)
{
	struct strbuf *m = &w->meta;
	m->len = 0;
	const struct note *n = wn->note;
	uint32_t text_len = wn->attachment ? 0 : n->len;
	uint64_t text_hash = hash64(wn->attachment ? "" : n->text, text_len, 0);
	binio_put_u8(m, wn->attachment);
	binio_put_u32(m, wn->root);
	binio_put_str(m, wn->rel, strlen(wn->rel));
	binio_put_u64(m, wn->disk.size);
	binio_put_u64(m, (uint64_t)wn->disk.mtime_ns);
	binio_put_u64(m, (uint64_t)wn->disk.ctime_ns);
	binio_put_u64(m, wn->disk.ino);
	binio_put_u8(m, wn->disk.racy);
	binio_put_u32(m, text_len);
	binio_put_u64(m, text_hash);
	if (!wn->attachment) {
		note_pack(n, m);
		put_resolutions(w, wn, m);
		line_map_pack(&wn->lines, m);
	}
	put_backlinks(w, wn, m);
	w->record.len = 0;
	uint8_t flags = 0;
	/* Only a note read from its file: one whose text is an open buffer's
	 * may have been edited and saved since its diagnostics were kept
	 * (what is published for a buffer is not kept), and a restart that
	 * finds the file the same as the buffer takes its note as it is. */
	bool has = !wn->attachment && wn->disk.size != FILE_SIG_NONE && w->diags.record &&
		   w->diags.record(w->diags.ctx, id, &w->record, &flags);
	binio_put_u8(m, has);
	size_t at = 0;
	if (has) {
		binio_put_u8(m, flags & (CACHED_DIAG_IDENTITY | CACHED_DIAG_CURRENT));
		binio_put_u32(m, (uint32_t)w->record.len);
		at = m->len;
		strbuf_put(m, w->record.ptr, w->record.len);
	}
	/* The chunk's bytes start after its length. */
	uint64_t chunk_at = w->size + sizeof(uint32_t);
	w->seg_sum = index_cache_chain(w->seg_sum, emit_chunk(w, out, m));
	if (has && w->diags.placed)
		w->diags.placed(w->diags.ctx, id, chunk_at + at, (uint32_t)w->record.len);
	emit(w, out, n->text, text_len);
	w->seg_sum = index_cache_chain(w->seg_sum, text_hash);
	w->seg_count++;
}

static void end_segment(struct index_cache_writer *w)
{
	binio_put_u64(&w->table, w->seg_offset);
	binio_put_u64(&w->table, w->size - w->seg_offset);
	binio_put_u32(&w->table, w->seg_first);
	binio_put_u32(&w->table, w->seg_count);
	binio_put_u64(&w->table, w->seg_sum);
	w->segments++;
	w->seg_offset = w->size;
	w->seg_first += w->seg_count;
	w->seg_count = 0;
	w->seg_sum = 0;
}

bool index_cache_writer_step(struct index_cache_writer *w, const struct workspace *ws,
			     struct strbuf *out, size_t bytes)
{
	if (w->done)
		return true;
	size_t start = out->len;
	if (!w->header_out) {
		w->head_hash = emit_chunk(w, out, &w->header);
		w->seg_offset = w->size;
		w->header_out = true;
	}
	while (w->next_id < w->id_bound && out->len - start < bytes) {
		uint32_t id = w->next_id++;
		const struct ws_note *wn = workspace_get(ws, id);
		if (!wn)
			continue;
		put_entry(w, id, wn, out);
		if (w->size - w->seg_offset >= w->seg_bytes)
			end_segment(w);
	}
	if (w->next_id < w->id_bound)
		return false;
	if (w->seg_count)
		end_segment(w);
	uint64_t table_at = w->size;
	emit(w, out, w->table.ptr, w->table.len);
	uint64_t sum = hash64(w->table.ptr, w->table.len, w->head_hash);
	emit(w, out, &table_at, sizeof(table_at));
	emit(w, out, &w->segments, sizeof(w->segments));
	emit(w, out, &sum, sizeof(sum));
	emit(w, out, CACHE_TAIL_MAGIC, CACHE_MAGIC_BYTES);
	w->done = true;
	return true;
}
