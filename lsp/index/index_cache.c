/*
 * index_cache.c — the cache file's format (index_cache.h): a workspace
 * written out a slice at a time, and a file read back entry by entry,
 * every value checked before anything of it is trusted.
 */
#include "index_cache.h"
#include "binio.h"
#include "diag_code.h"
#include "note_pack.h"

#include <stdlib.h>
#include <string.h>

static const char head_magic[8] = "VLSPIDX";
static const char tail_magic[8] = "VLSPEND";
#define BYTE_ORDER_MARK 0x01020304u
/* Bounds no file of ours comes near, against a length gone wrong. */
#define MAX_HEADER (1u << 20)
#define MAX_REL 4096
#define MAX_ROOTS 4096
/* The fewest bytes an entry takes: its length and an attachment's meta. */
#define MIN_ENTRY 54

static uint64_t chain(uint64_t sum, uint64_t h)
{
	return hash64(&h, sizeof(h), sum);
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
	for (unsigned i = 0; (code = diag_code_at(i)); i++)
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
	uint64_t sum, size;
	bool header_out, done;
	struct strbuf header, meta, record;
};

static void put_header(struct index_cache_writer *w, const struct index_cache_key *key,
		       uint32_t entries)
{
	struct strbuf *b = &w->header;
	strbuf_put(b, head_magic, sizeof(head_magic));
	binio_put_u32(b, INDEX_CACHE_FORMAT);
	binio_put_u32(b, BYTE_ORDER_MARK);
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
	put_header(w, key, entries);
	return w;
}

void index_cache_writer_free(struct index_cache_writer *w)
{
	if (!w)
		return;
	free(w->entry_of);
	strbuf_fini(&w->header);
	strbuf_fini(&w->meta);
	strbuf_fini(&w->record);
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

/* A chunk: its length, its bytes, into the checksum. */
static void emit_chunk(struct index_cache_writer *w, struct strbuf *out, const struct strbuf *c)
{
	uint32_t len = (uint32_t)c->len;
	emit(w, out, &len, sizeof(len));
	emit(w, out, c->ptr, c->len);
	w->sum = chain(w->sum, hash64(c->ptr, c->len, 0));
}

static void put_resolution(struct strbuf *b, const struct index_cache_writer *w,
			   const struct resolution *r)
{
	int32_t note = r->note;
	if (note >= 0)
		note = (uint32_t)note < w->id_bound && w->entry_of[note] != UINT32_MAX
			       ? (int32_t)w->entry_of[note] : -1;
	binio_put_u32(b, (uint32_t)note);
	binio_put_u32(b, (uint32_t)r->heading);
	binio_put_u32(b, (uint32_t)r->block);
	binio_put_u8(b, (uint8_t)r->status);
	binio_put_u8(b, (uint8_t)r->ambiguous);
	binio_put_u8(b, (uint8_t)r->via_alias);
	binio_put_u32(b, (uint32_t)r->alias);
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
		binio_put_u32(m, n->links.len);
		for (uint32_t i = 0; i < n->links.len; i++)
			put_resolution(m, w, &wn->res[i]);
	}
	w->record.len = 0;
	bool identity = false;
	bool has = !wn->attachment && w->diags.record &&
		   w->diags.record(w->diags.ctx, id, &w->record, &identity);
	binio_put_u8(m, has);
	size_t at = 0;
	if (has) {
		binio_put_u8(m, identity);
		binio_put_u32(m, (uint32_t)w->record.len);
		at = m->len;
		strbuf_put(m, w->record.ptr, w->record.len);
	}
	/* The chunk's bytes start after its length. */
	uint64_t chunk_at = w->size + sizeof(uint32_t);
	emit_chunk(w, out, m);
	if (has && w->diags.placed)
		w->diags.placed(w->diags.ctx, id, chunk_at + at, (uint32_t)w->record.len);
	emit(w, out, n->text, text_len);
	w->sum = chain(w->sum, text_hash);
}

bool index_cache_writer_step(struct index_cache_writer *w, const struct workspace *ws,
			     struct strbuf *out, size_t bytes)
{
	if (w->done)
		return true;
	size_t start = out->len;
	if (!w->header_out) {
		emit_chunk(w, out, &w->header);
		w->header_out = true;
	}
	while (w->next_id < w->id_bound && out->len - start < bytes) {
		uint32_t id = w->next_id++;
		const struct ws_note *wn = workspace_get(ws, id);
		if (wn)
			put_entry(w, id, wn, out);
	}
	if (w->next_id < w->id_bound)
		return false;
	emit(w, out, tail_magic, sizeof(tail_magic));
	emit(w, out, &w->sum, sizeof(w->sum));
	w->done = true;
	return true;
}

/* ---- reading ------------------------------------------------------- */

static bool mem_read(void *ctx, void *dst, size_t n)
{
	struct index_cache_mem *m = ctx;
	if (n > m->len - m->at)
		return false;
	memcpy(dst, m->p + m->at, n);
	m->at += n;
	return true;
}

struct index_cache_src index_cache_mem_src(struct index_cache_mem *m)
{
	return (struct index_cache_src){ mem_read, m, m->len };
}

void index_cache_free(struct index_cache *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->n; i++) {
		free(c->entries[i].rel);
		note_free(c->entries[i].note);
		free(c->entries[i].res);
	}
	free(c->entries);
	free(c->diags);
	free(c);
}

struct reader {
	struct index_cache_src *src;
	uint64_t at;             /* bytes read so far */
	uint64_t sum;
	char *buf;               /* the last chunk */
	size_t len, cap;
	const char *why;
};

static bool take(struct reader *rd, void *dst, size_t n)
{
	if (n > rd->src->size - rd->at || !rd->src->read(rd->src->ctx, dst, n)) {
		rd->why = "truncated";
		return false;
	}
	rd->at += n;
	return true;
}

/* A chunk (its length, then its bytes) into rd->buf, into the checksum. */
static bool take_chunk(struct reader *rd, uint32_t max, uint64_t *offset)
{
	uint32_t len;
	if (!take(rd, &len, sizeof(len)))
		return false;
	if (len > max || len > rd->src->size - rd->at) {
		rd->why = "a length out of bounds";
		return false;
	}
	if (rd->cap < (size_t)len + 1) {
		free(rd->buf);
		rd->cap = (size_t)len + 1 > 2 * rd->cap ? (size_t)len + 1 : 2 * rd->cap;
		rd->buf = xmalloc(rd->cap);
	}
	*offset = rd->at;
	if (!take(rd, rd->buf, len))
		return false;
	rd->len = len;
	rd->sum = chain(rd->sum, hash64(rd->buf, len, 0));
	return true;
}

static bool str_is(struct binio_reader *r, const char *want)
{
	uint32_t len;
	const char *s = binio_str(r, MAX_HEADER, &len);
	return s && len == strlen(want) && memcmp(s, want, len) == 0;
}

/* The header against the key: what wrote the file, and for which vault. */
static bool check_header(struct reader *rd, const struct index_cache_key *key, uint32_t *entries,
			 bool *same_config)
{
	uint64_t offset;
	if (!take_chunk(rd, MAX_HEADER, &offset))
		return false;
	struct binio_reader r = binio_over(rd->buf, rd->len);
	const void *magic = binio_take(&r, sizeof(head_magic));
	if (!magic || memcmp(magic, head_magic, sizeof(head_magic)) != 0) {
		rd->why = "not a cache file";
		return false;
	}
	if (binio_u32(&r) != INDEX_CACHE_FORMAT || binio_u32(&r) != BYTE_ORDER_MARK) {
		rd->why = "another format";
		return false;
	}
	if (!str_is(&r, key->version) || binio_u64(&r) != key->build) {
		rd->why = "written by another version";
		return false;
	}
	*same_config = binio_u64(&r) == key->config;
	uint32_t n_roots = binio_u32(&r);
	bool same = n_roots == key->n_roots;
	for (uint32_t i = 0; same && i < n_roots; i++)
		same = str_is(&r, key->roots[i]);
	if (!same || r.bad) {
		rd->why = r.bad ? "a header out of bounds" : "for another vault";
		return false;
	}
	*entries = binio_u32(&r);
	if (r.bad || r.at != r.len || *entries > (rd->src->size - rd->at) / MIN_ENTRY) {
		rd->why = "a header out of bounds";
		return false;
	}
	return true;
}

/* A vault-relative path as the index writes one: never empty, absolute,
 * NUL-bearing, or with a "." or ".." component that would leave the root. */
static bool sane_rel(const char *s, uint32_t len)
{
	if (!len || len > MAX_REL || s[0] == '/' || memchr(s, '\0', len))
		return false;
	for (uint32_t i = 0; i < len;) {
		uint32_t j = i;
		while (j < len && s[j] != '/')
			j++;
		uint32_t n = j - i;
		if (n == 0 || (n == 1 && s[i] == '.') || (n == 2 && s[i] == '.' && s[i + 1] == '.'))
			return false;
		i = j + 1;
	}
	return s[len - 1] != '/';
}

static struct resolution get_resolution(struct binio_reader *r)
{
	struct resolution res = { 0 };
	res.note = (int32_t)binio_u32(r);
	res.heading = (int32_t)binio_u32(r);
	res.block = (int32_t)binio_u32(r);
	uint8_t status = binio_u8(r);
	res.ambiguous = binio_bool(r);
	res.via_alias = binio_bool(r);
	int32_t alias = (int32_t)binio_u32(r);
	if (status > LINK_IGNORED || alias < -1 || alias > (1 << 26) - 1)
		binio_fail(r);
	res.status = status & 7u;
	res.alias = alias;
	return res;
}

/* One entry: its meta chunk, then its text straight into its note. */
static bool read_entry(struct reader *rd, uint32_t n_roots, struct ws_cached *e,
		       struct cached_diags *d)
{
	uint64_t offset;
	if (!take_chunk(rd, UINT32_MAX, &offset))
		return false;
	struct binio_reader r = binio_over(rd->buf, rd->len);
	e->attachment = binio_bool(&r);
	e->root = binio_u32(&r);
	uint32_t rel_len;
	const char *rel = binio_str(&r, MAX_REL, &rel_len);
	if (!rel || !sane_rel(rel, rel_len) || e->root >= n_roots) {
		rd->why = "a path out of bounds";
		return false;
	}
	e->rel = xstrndup(rel, rel_len);
	e->disk.size = binio_u64(&r);
	e->disk.mtime_ns = (int64_t)binio_u64(&r);
	e->disk.ctime_ns = (int64_t)binio_u64(&r);
	e->disk.ino = binio_u64(&r);
	e->disk.racy = binio_bool(&r);
	uint32_t text_len = binio_u32(&r);
	e->hash = binio_u64(&r);
	char *text = NULL;
	if (!e->attachment && !r.bad && text_len <= rd->src->size - rd->at) {
		e->note = note_unpack(&r, text_len, &text);
		uint32_t links = binio_u32(&r);
		if (e->note && links == e->note->links.len && (uint64_t)links * 19 <= binio_left(&r)) {
			e->res = xmalloc((links ? links : 1) * sizeof(*e->res));
			for (uint32_t i = 0; i < links; i++)
				e->res[i] = get_resolution(&r);
		} else {
			binio_fail(&r);
		}
	} else if (text_len) {
		binio_fail(&r);
	}
	d->present = binio_bool(&r);
	if (d->present) {
		d->identity = binio_bool(&r);
		uint32_t len;
		const char *rec = binio_str(&r, UINT32_MAX, &len);
		if (rec) {
			d->offset = offset + (uint64_t)(rec - rd->buf);
			d->len = len;
			d->hash = hash64(rec, len, 0);
		}
	}
	if (r.bad || r.at != r.len || (d->present && e->attachment)) {
		rd->why = "an entry out of bounds";
		return false;
	}
	if (text && !take(rd, text, text_len))
		return false;
	if (text && hash64(text, text_len, 0) != e->hash) {
		rd->why = "a note's text changed";
		return false;
	}
	rd->sum = chain(rd->sum, e->hash);
	return true;
}

/* Every resolution names an entry and, in it, a heading, block and alias
 * it has: what the index reads them for, it reads without checking. */
static bool links_fit(const struct index_cache *c)
{
	for (uint32_t i = 0; i < c->n; i++) {
		const struct ws_cached *e = &c->entries[i];
		for (uint32_t k = 0; e->note && k < e->note->links.len; k++) {
			const struct resolution *r = &e->res[k];
			if (r->note < 0) {
				if (r->note != -1 || r->heading != -1 || r->block != -1)
					return false;
				continue;
			}
			if ((uint32_t)r->note >= c->n)
				return false;
			const struct note *t = c->entries[r->note].note;
			uint32_t headings = t ? t->headings.len : 0, blocks = t ? t->blocks.len : 0,
				 aliases = t ? t->aliases.len : 0;
			if (r->heading < -1 || r->heading >= (int64_t)headings || r->block < -1 ||
			    r->block >= (int64_t)blocks || r->alias >= (int64_t)aliases)
				return false;
		}
	}
	return true;
}

struct index_cache *index_cache_read(struct index_cache_src *src, const struct index_cache_key *key,
				     bool check_sum, const char **why)
{
	struct reader rd = { .src = src, .why = "unreadable" };
	struct index_cache *c = xcalloc(1, sizeof(*c));
	uint32_t n = 0;
	bool ok = check_header(&rd, key, &n, &c->same_config);
	if (ok) {
		c->entries = xcalloc(n ? n : 1, sizeof(*c->entries));
		c->diags = xcalloc(n ? n : 1, sizeof(*c->diags));
	}
	for (uint32_t i = 0; ok && i < n; i++) {
		ok = read_entry(&rd, key->n_roots, &c->entries[i], &c->diags[i]);
		c->n = i + 1; /* freed with the others, whole or not */
	}
	char tail[sizeof(tail_magic)];
	uint64_t sum = 0;
	if (ok && (!take(&rd, tail, sizeof(tail)) || !take(&rd, &sum, sizeof(sum)) ||
		   memcmp(tail, tail_magic, sizeof(tail)) != 0 || rd.at != src->size)) {
		rd.why = "truncated";
		ok = false;
	}
	if (ok && check_sum && sum != rd.sum) {
		rd.why = "a checksum that does not match";
		ok = false;
	}
	if (ok && !links_fit(c)) {
		rd.why = "a link out of bounds";
		ok = false;
	}
	free(rd.buf);
	if (!ok) {
		*why = rd.why;
		index_cache_free(c);
		return NULL;
	}
	return c;
}
