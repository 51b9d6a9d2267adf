/*
 * index_cache_read.c — a cache file read back (index_cache.h): its end
 * and header first, then its segments on several threads, every value
 * checked before it is used, and nothing of it kept unless all of it
 * reads and every checksum matches.
 */
#include "index_cache_impl.h"
#include "binio.h"
#include "note_pack.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static bool mem_read_at(void *ctx, uint64_t offset, void *dst, size_t n)
{
	struct index_cache_mem *m = ctx;
	if (offset > m->len || n > m->len - offset)
		return false;
	memcpy(dst, m->p + offset, n);
	return true;
}

struct index_cache_src index_cache_mem_src(struct index_cache_mem *m)
{
	return (struct index_cache_src){ mem_read_at, m, m->len };
}

void index_cache_free(struct index_cache *c)
{
	if (!c)
		return;
	if (c->reading) {
		const char *why;
		index_cache_end(c, &why);
	}
	for (uint32_t i = 0; i < c->n; i++) {
		free(c->entries[i].rel);
		if (!c->entries[i].taken) {
			note_free(c->entries[i].note);
			free(c->entries[i].res);
		}
		free(c->entries[i].back);
		line_map_fini(&c->entries[i].lines);
	}
	free(c->entries);
	free(c->diags);
	free(c);
}

/* A reading under way: what every thread reads, and how far it got. */
struct index_cache_reading {
	struct index_cache_src src;
	struct index_cache *c;
	uint32_t n_roots;
	bool check_sum;
	unsigned char *table;
	uint32_t segments;
	atomic_uint next;
	atomic_bool failed;
	pthread_mutex_t lock;
	pthread_cond_t moved;
	const char *why;         /* the first failure's */
	/* Segments done, and the entries read in order (those of the done
	 * segments before the first one not done). */
	bool *done;
	uint32_t done_prefix, ready;
	pthread_t threads[64];
	unsigned started;
};

static void fail(struct index_cache_reading *rd, const char *why)
{
	pthread_mutex_lock(&rd->lock);
	if (!rd->why)
		rd->why = why;
	atomic_store(&rd->failed, true);
	pthread_cond_broadcast(&rd->moved);
	pthread_mutex_unlock(&rd->lock);
}

/* Segment k is read: the entries in order move on past it, and past the
 * segments after it done before it. */
static void segment_done(struct index_cache_reading *rd, uint32_t k)
{
	pthread_mutex_lock(&rd->lock);
	rd->done[k] = true;
	while (rd->done_prefix < rd->segments && rd->done[rd->done_prefix]) {
		const unsigned char *row = rd->table + (size_t)rd->done_prefix * TABLE_ROW;
		uint32_t first, count;
		memcpy(&first, row + 16, sizeof(first));
		memcpy(&count, row + 20, sizeof(count));
		rd->ready = first + count;
		rd->done_prefix++;
	}
	pthread_cond_broadcast(&rd->moved);
	pthread_mutex_unlock(&rd->lock);
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

/* A note's resolutions, as they were in memory; every field in range (the
 * entries they name are checked once all are read: links_fit). */
static struct resolution *take_resolutions(struct binio_reader *r, uint32_t n)
{
	const void *raw = binio_take(r, (size_t)n * sizeof(struct resolution));
	if (!raw)
		return NULL;
	struct resolution *res = xmalloc((n ? n : 1) * sizeof(*res));
	memcpy(res, raw, (size_t)n * sizeof(*res));
	for (uint32_t i = 0; i < n; i++)
		if (res[i].status > LINK_IGNORED || res[i].alias < -1)
			binio_fail(r);
	return res;
}

/* One entry of the segment r reads, whose bytes start at `base` in the
 * file: meta, then text into its note. */
static const char *read_entry(struct index_cache_reading *rd, struct binio_reader *r, uint64_t base,
			      struct ws_cached *e, struct cached_diags *d, uint64_t *sum)
{
	uint32_t meta_len = binio_u32(r);
	size_t meta_at = r->at;
	const unsigned char *meta = binio_take(r, meta_len);
	if (!meta)
		return "truncated";
	*sum = index_cache_chain(*sum, hash64(meta, meta_len, 0));
	struct binio_reader m = binio_over(meta, meta_len);
	e->attachment = binio_bool(&m);
	e->root = binio_u32(&m);
	uint32_t rel_len;
	const char *rel = binio_str(&m, MAX_REL, &rel_len);
	if (!rel || !sane_rel(rel, rel_len) || e->root >= rd->n_roots)
		return "a path out of bounds";
	e->rel = xstrndup(rel, rel_len);
	e->disk.size = binio_u64(&m);
	e->disk.mtime_ns = (int64_t)binio_u64(&m);
	e->disk.ctime_ns = (int64_t)binio_u64(&m);
	e->disk.ino = binio_u64(&m);
	e->disk.racy = binio_bool(&m);
	uint32_t text_len = binio_u32(&m);
	e->hash = binio_u64(&m);
	char *text = NULL;
	/* The text follows the meta, in the same segment: nothing is
	 * allocated for more than is there. */
	if (text_len > binio_left(r))
		return "truncated";
	if (!e->attachment && !m.bad) {
		e->note = note_pack_read(&m, text_len, &text);
		uint32_t links = binio_u32(&m);
		if (e->note && links == e->note->links.len)
			e->res = take_resolutions(&m, links);
		else
			binio_fail(&m);
		if (!m.bad)
			line_map_unpack(&m, text_len, &e->lines);
	} else if (text_len) {
		binio_fail(&m);
	}
	e->n_back = binio_u32(&m);
	const void *back = binio_take(&m, (size_t)e->n_back * sizeof(struct backlink));
	if (back && e->n_back) {
		e->back = xmalloc((size_t)e->n_back * sizeof(struct backlink));
		memcpy(e->back, back, (size_t)e->n_back * sizeof(struct backlink));
	}
	d->present = binio_bool(&m);
	if (d->present) {
		uint8_t flags = binio_u8(&m);
		if (flags > (CACHED_DIAG_IDENTITY | CACHED_DIAG_CURRENT))
			binio_fail(&m);
		d->identity = flags & CACHED_DIAG_IDENTITY;
		d->current = flags & CACHED_DIAG_CURRENT;
		uint32_t len;
		const char *rec = binio_str(&m, UINT32_MAX, &len);
		if (rec) {
			d->offset = base + meta_at + (size_t)(rec - (const char *)meta);
			d->len = len;
			d->hash = hash64(rec, len, 0);
		}
	}
	if (m.bad || m.at != m.len || (d->present && e->attachment))
		return "an entry out of bounds";
	const void *bytes = binio_take(r, text_len);
	if (!bytes)
		return "truncated";
	if (text)
		memcpy(text, bytes, text_len);
	if (hash64(bytes, text_len, 0) != e->hash)
		return "a note's text changed";
	*sum = index_cache_chain(*sum, e->hash);
	return NULL;
}

/* Segment k, whole: its bytes, its entries, its sum. */
static void read_segment(struct index_cache_reading *rd, uint32_t k, char **buf, size_t *cap)
{
	struct binio_reader row = binio_over(rd->table + (size_t)k * TABLE_ROW, TABLE_ROW);
	uint64_t offset = binio_u64(&row), bytes = binio_u64(&row);
	uint32_t first = binio_u32(&row), count = binio_u32(&row);
	uint64_t want = binio_u64(&row);
	if (*cap < bytes) {
		free(*buf);
		*cap = bytes;
		*buf = xmalloc(bytes);
	}
	if (!rd->src.read_at(rd->src.ctx, offset, *buf, bytes)) {
		fail(rd, "unreadable");
		return;
	}
	struct binio_reader r = binio_over(*buf, bytes);
	uint64_t sum = 0;
	for (uint32_t i = first; i < first + count; i++) {
		if (atomic_load(&rd->failed))
			return;
		const char *why = read_entry(rd, &r, offset, &rd->c->entries[i], &rd->c->diags[i], &sum);
		if (why) {
			fail(rd, why);
			return;
		}
	}
	if (r.at != r.len)
		fail(rd, "a segment out of bounds");
	else if (rd->check_sum && sum != want)
		fail(rd, "a checksum that does not match");
	else
		segment_done(rd, k);
}

static void *segment_worker(void *arg)
{
	struct index_cache_reading *rd = arg;
	char *buf = NULL;
	size_t cap = 0;
	for (;;) {
		uint32_t k = atomic_fetch_add(&rd->next, 1);
		if (k >= rd->segments || atomic_load(&rd->failed))
			break;
		read_segment(rd, k, &buf, &cap);
	}
	free(buf);
	return NULL;
}

static bool str_is(struct binio_reader *r, const char *want)
{
	uint32_t len;
	const char *s = binio_str(r, MAX_HEADER, &len);
	return s && len == strlen(want) && memcmp(s, want, len) == 0;
}

/* The header against the key: what wrote the file, and for which vault.
 * NULL, or why not. */
static const char *check_header(const unsigned char *p, size_t len,
				const struct index_cache_key *key, uint32_t *entries,
				uint64_t *config)
{
	struct binio_reader r = binio_over(p, len);
	const void *magic = binio_take(&r, CACHE_MAGIC_BYTES);
	if (!magic || memcmp(magic, CACHE_HEAD_MAGIC, CACHE_MAGIC_BYTES) != 0)
		return "not a cache file";
	if (binio_u32(&r) != INDEX_CACHE_FORMAT || binio_u32(&r) != CACHE_BYTE_ORDER ||
	    binio_u64(&r) != index_cache_layout())
		return "another format";
	if (!str_is(&r, key->version) || binio_u64(&r) != key->build)
		return "written by another version";
	*config = binio_u64(&r);
	uint32_t n_roots = binio_u32(&r);
	bool same = n_roots == key->n_roots;
	for (uint32_t i = 0; same && i < n_roots; i++)
		same = str_is(&r, key->roots[i]);
	if (r.bad)
		return "a header out of bounds";
	if (!same)
		return "for another vault";
	*entries = binio_u32(&r);
	if (r.bad || r.at != r.len)
		return "a header out of bounds";
	return NULL;
}

bool index_cache_roots(const struct index_cache_src *src, struct str_list *roots)
{
	uint32_t len;
	if (src->size < sizeof(len) || !src->read_at(src->ctx, 0, &len, sizeof(len)) ||
	    len > MAX_HEADER || len > src->size - sizeof(len))
		return false;
	unsigned char *head = xmalloc(len ? len : 1);
	bool ok = src->read_at(src->ctx, sizeof(len), head, len);
	struct binio_reader r = binio_over(head, len);
	const void *magic = ok ? binio_take(&r, CACHE_MAGIC_BYTES) : NULL;
	ok = magic && memcmp(magic, CACHE_HEAD_MAGIC, CACHE_MAGIC_BYTES) == 0 &&
	     binio_u32(&r) == INDEX_CACHE_FORMAT && binio_u32(&r) == CACHE_BYTE_ORDER;
	if (ok) {
		binio_u64(&r);           /* layout */
		uint32_t n;
		binio_str(&r, MAX_HEADER, &n); /* version */
		binio_u64(&r);           /* build */
		binio_u64(&r);           /* settings */
		uint32_t count = binio_u32(&r);
		for (uint32_t i = 0; i < count && !r.bad; i++) {
			const char *s = binio_str(&r, MAX_HEADER, &n);
			if (s) {
				char *root = xstrndup(s, n);
				str_list_push(roots, root);
				free(root);
			}
		}
		ok = !r.bad;
	}
	free(head);
	return ok;
}

/* The table's rows: one after another from the header's end to the
 * table, their entries one after another to the header's count (the row
 * is offset, bytes, first entry at 16, entries at 20, sum). */
static bool rows_fit(const unsigned char *table, uint32_t segments, uint64_t from, uint64_t to,
		     uint32_t entries)
{
	struct binio_reader r = binio_over(table, (size_t)segments * TABLE_ROW);
	uint64_t at = from;
	uint32_t next = 0;
	for (uint32_t k = 0; k < segments; k++) {
		uint64_t offset = binio_u64(&r), bytes = binio_u64(&r);
		uint32_t first = binio_u32(&r), count = binio_u32(&r);
		binio_u64(&r);
		if (offset != at || bytes > to - at || first != next || count > entries - next ||
		    !count || count > bytes / MIN_ENTRY || bytes > SIZE_MAX / 2)
			return false;
		at += bytes;
		next += count;
	}
	return at == to && next == entries;
}

/* A resolution as resolve.c makes one: to nothing, unresolved or not a
 * reference, and nothing more; to a note, found (or its heading or block
 * missing), an alias only through an alias. What reads one trusts its
 * status: a missing heading's note is read without a check. */
static bool resolution_sane(const struct resolution *r)
{
	if (r->note < 0)
		return r->note == -1 && r->heading == -1 && r->block == -1 && r->alias == -1 &&
		       !r->ambiguous && !r->via_alias &&
		       (r->status == LINK_UNRESOLVED || r->status == LINK_IGNORED);
	return (r->status == LINK_RESOLVED || r->status == LINK_HEADING_MISSING ||
		r->status == LINK_BLOCK_MISSING) &&
	       (r->alias == -1 || r->via_alias);
}

/* Does a link give its note a backlink (backlinks.c's links_back)? */
static bool links_back(const struct resolution *r)
{
	return r->note >= 0 && r->status != LINK_IGNORED;
}

/*
 * Every resolution names an entry and, in it, a heading, block and alias
 * it has, every backlink a link of an entry; and the backlinks are
 * exactly the links that resolve to their entry, each once: the index
 * keeps the two in step (a link without its backlink would go on naming
 * a note gone since, a backlink without its link would name a link of a
 * note whatever it holds then), and reads them without checking. Each
 * entry's counts first, side by side: the links point all over the
 * vault, and one entry's note each would be a cache miss each.
 */
static bool links_fit(const struct index_cache *c)
{
	struct counts { int64_t headings, blocks, aliases, links, first; } *has =
		xmalloc((c->n ? c->n : 1) * sizeof(*has));
	int64_t all_links = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct note *t = c->entries[i].note;
		has[i] = (struct counts){ t ? t->headings.len : 0, t ? t->blocks.len : 0,
					  t ? t->aliases.len : 0, t ? t->links.len : 0, all_links };
		all_links += has[i].links;
	}
	/* Each link's backlink, once found. */
	bool *backed = xcalloc(all_links ? (size_t)all_links : 1, sizeof(bool));
	int64_t linking = 0, backlinks = 0;
	bool ok = true;
	for (uint32_t i = 0; i < c->n && ok; i++) {
		const struct ws_cached *e = &c->entries[i];
		for (uint32_t k = 0; e->note && k < e->note->links.len && ok; k++) {
			const struct resolution *r = &e->res[k];
			ok = resolution_sane(r);
			if (!ok || r->note < 0)
				continue;
			const struct counts *t = (uint32_t)r->note < c->n ? &has[r->note] : NULL;
			ok = t && r->heading >= -1 && r->heading < t->headings && r->block >= -1 &&
			     r->block < t->blocks && r->alias < t->aliases;
			linking += links_back(r);
		}
		/* A backlink names a link of a note that resolves here. */
		for (uint32_t k = 0; k < e->n_back && ok; k++) {
			const struct backlink *b = &e->back[k];
			ok = b->from < c->n && b->link < has[b->from].links;
			if (!ok)
				break;
			const struct resolution *r = &c->entries[b->from].res[b->link];
			bool *once = &backed[has[b->from].first + b->link];
			ok = links_back(r) && (uint32_t)r->note == i && !*once;
			*once = true;
			backlinks++;
		}
	}
	free(backed);
	free(has);
	return ok && backlinks == linking;
}

/* The file's end, header and table: NULL, or why not. */
static const char *read_frame(const struct index_cache_src *src, const struct index_cache_key *key,
			      bool check_sum, struct index_cache_reading *rd, unsigned char **table,
			      uint32_t *entries, uint64_t *config)
{
	unsigned char tail[TAIL_BYTES];
	uint64_t size = src->size;
	if (size < sizeof(uint32_t) + TAIL_BYTES ||
	    !src->read_at(src->ctx, size - TAIL_BYTES, tail, TAIL_BYTES))
		return "truncated";
	struct binio_reader t = binio_over(tail, TAIL_BYTES);
	uint64_t table_at = binio_u64(&t);
	uint32_t segments = binio_u32(&t);
	uint64_t sum = binio_u64(&t);
	if (memcmp(binio_take(&t, CACHE_MAGIC_BYTES), CACHE_TAIL_MAGIC, CACHE_MAGIC_BYTES) != 0)
		return "truncated";
	uint64_t end = size - TAIL_BYTES;
	if (table_at > end || (end - table_at) % TABLE_ROW || (end - table_at) / TABLE_ROW != segments)
		return "a table out of bounds";
	uint32_t head_len;
	if (!src->read_at(src->ctx, 0, &head_len, sizeof(head_len)) || head_len > MAX_HEADER ||
	    head_len > table_at - sizeof(head_len))
		return "a header out of bounds";
	unsigned char *head = xmalloc(head_len ? head_len : 1);
	*table = xmalloc(segments ? (size_t)segments * TABLE_ROW : 1);
	const char *why = NULL;
	if (!src->read_at(src->ctx, sizeof(head_len), head, head_len) ||
	    !src->read_at(src->ctx, table_at, *table, (size_t)segments * TABLE_ROW))
		why = "unreadable";
	else if (check_sum && hash64(*table, (size_t)segments * TABLE_ROW,
				     hash64(head, head_len, 0)) != sum)
		why = "a checksum that does not match";
	else
		why = check_header(head, head_len, key, entries, config);
	if (!why && !rows_fit(*table, segments, sizeof(head_len) + head_len, table_at, *entries))
		why = "a table out of bounds";
	free(head);
	rd->segments = segments;
	return why;
}

struct index_cache *index_cache_begin(const struct index_cache_src *src,
				      const struct index_cache_key *key, unsigned threads,
				      bool check_sum, const char **why)
{
	struct index_cache_reading *rd = xcalloc(1, sizeof(*rd));
	rd->src = *src;
	rd->n_roots = key->n_roots;
	rd->check_sum = check_sum;
	uint32_t n = 0;
	uint64_t config = 0;
	*why = read_frame(&rd->src, key, check_sum, rd, &rd->table, &n, &config);
	if (*why) {
		free(rd->table);
		free(rd);
		return NULL;
	}
	struct index_cache *c = xcalloc(1, sizeof(*c));
	c->config = config;
	c->same_config = config == key->config;
	c->n = n;
	c->entries = xcalloc(n ? n : 1, sizeof(*c->entries));
	c->diags = xcalloc(n ? n : 1, sizeof(*c->diags));
	c->reading = rd;
	rd->c = c;
	rd->done = xcalloc(rd->segments ? rd->segments : 1, sizeof(bool));
	atomic_init(&rd->next, 0);
	atomic_init(&rd->failed, false);
	pthread_mutex_init(&rd->lock, NULL);
	pthread_cond_init(&rd->moved, NULL);
	if (threads < 1)
		threads = 1;
	if (threads > rd->segments)
		threads = rd->segments ? rd->segments : 1;
	if (threads > 64)
		threads = 64;
	for (unsigned i = 0; i < threads; i++)
		if (pthread_create(&rd->threads[rd->started], NULL, segment_worker, rd) == 0)
			rd->started++;
	/* No thread to be had: read here, all of it, now. */
	if (!rd->started)
		segment_worker(rd);
	return c;
}

uint32_t index_cache_wait(struct index_cache *c, uint32_t have)
{
	struct index_cache_reading *rd = c->reading;
	if (!rd)
		return c->n;
	pthread_mutex_lock(&rd->lock);
	while (!atomic_load(&rd->failed) && rd->ready <= have && rd->ready < c->n)
		pthread_cond_wait(&rd->moved, &rd->lock);
	uint32_t ready = atomic_load(&rd->failed) ? UINT32_MAX : rd->ready;
	pthread_mutex_unlock(&rd->lock);
	return ready;
}

bool index_cache_end(struct index_cache *c, const char **why)
{
	struct index_cache_reading *rd = c->reading;
	if (!rd)
		return true;
	for (unsigned i = 0; i < rd->started; i++)
		pthread_join(rd->threads[i], NULL);
	*why = rd->why;
	if (!*why && rd->ready != c->n)
		*why = "truncated";
	if (!*why && !links_fit(c))
		*why = "a link out of bounds";
	pthread_mutex_destroy(&rd->lock);
	pthread_cond_destroy(&rd->moved);
	free(rd->table);
	free(rd->done);
	free(rd);
	c->reading = NULL;
	return !*why;
}

struct index_cache *index_cache_read(struct index_cache_src *src, const struct index_cache_key *key,
				     unsigned threads, bool check_sum, const char **why)
{
	struct index_cache *c = index_cache_begin(src, key, threads, check_sum, why);
	if (c && !index_cache_end(c, why)) {
		index_cache_free(c);
		c = NULL;
	}
	return c;
}
