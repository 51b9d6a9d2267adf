/*
 * diag_store.c — each closed note's last published diagnostics, as
 * records in the cache file or in the server's own unlinked file, and a
 * record's encoding (diag_store.h).
 */
#include "diag_store.h"
#include "binio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum loc_kind { LOC_NONE, LOC_EMPTY, LOC_CACHE, LOC_OWN };

/* Where a note's record is. */
struct diag_loc {
	uint64_t offset;
	uint64_t hash;         /* LOC_CACHE: of the record, checked when read */
	uint32_t len;
	uint32_t epoch;        /* the names' epoch it was made in */
	uint8_t kind;          /* enum loc_kind */
	uint8_t gen;           /* LOC_CACHE: which cache file (the latest only) */
	bool identity;
};

/* A record the writer took, and where it went. */
struct placing {
	uint32_t id;
	struct diag_loc was, now;
};

struct diag_store {
	struct log *log;
	int cache_fd, own_fd;
	uint8_t gen;
	uint32_t epoch;        /* bumped when a name comes, goes or changes */
	uint64_t own_end;
	bool own_failed;       /* logged once */
	ARRAY(struct diag_loc) locs;
	ARRAY(struct placing) placing;
	struct strbuf tmp;
};

/* The record of an empty list: what most clean notes have, never read. */
static uint64_t empty_hash(void)
{
	static const char zero[4];
	return hash64(zero, sizeof(zero), 0);
}

struct diag_store *diag_store_new(const char *dir, struct log *log)
{
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/.diagnostics-XXXXXX", dir);
	int fd = mkstemp(path.ptr);
	if (fd < 0) {
		log_msg(log, LOG_WARN, "index cache: cannot keep diagnostics in %s: %s", dir,
			strerror(errno));
		strbuf_fini(&path);
		return NULL;
	}
	/* Nobody else needs its name, and it goes when we do. */
	unlink(path.ptr);
	strbuf_fini(&path);
	struct diag_store *ds = xcalloc(1, sizeof(*ds));
	ds->log = log;
	ds->cache_fd = -1;
	ds->own_fd = fd;
	ds->epoch = 1; /* records of an older one are 0 */
	strbuf_init(&ds->tmp);
	return ds;
}

void diag_store_free(struct diag_store *ds)
{
	if (!ds)
		return;
	if (ds->cache_fd >= 0)
		close(ds->cache_fd);
	close(ds->own_fd);
	array_free(&ds->locs);
	array_free(&ds->placing);
	strbuf_fini(&ds->tmp);
	free(ds);
}

static struct diag_loc *loc_of(struct diag_store *ds, uint32_t id)
{
	while (ds->locs.len <= id)
		array_push(&ds->locs, ((struct diag_loc){ 0 }));
	return &ds->locs.items[id];
}

static const struct diag_loc *loc_at(const struct diag_store *ds, uint32_t id)
{
	return id < ds->locs.len ? &ds->locs.items[id] : NULL;
}

void diag_store_adopt(struct diag_store *ds, int fd, const struct cached_diags *d,
		      const uint32_t *ids, uint32_t n)
{
	if (ds->cache_fd >= 0)
		close(ds->cache_fd);
	ds->cache_fd = fd;
	ds->gen++;
	uint64_t empty = empty_hash();
	for (uint32_t i = 0; i < n; i++) {
		if (ids[i] == UINT32_MAX || !d[i].present)
			continue;
		struct diag_loc *l = loc_of(ds, ids[i]);
		bool none = d[i].len == 4 && d[i].hash == empty;
		*l = (struct diag_loc){ d[i].offset, d[i].hash, d[i].len,
					d[i].current ? ds->epoch : ds->epoch - 1,
					none ? LOC_EMPTY : LOC_CACHE, ds->gen, d[i].identity };
	}
}

void diag_store_put(struct diag_store *ds, const struct workspace *ws, uint32_t id,
		    const struct diag_list *list)
{
	struct diag_loc *l = loc_of(ds, id);
	*l = (struct diag_loc){ .kind = LOC_EMPTY, .epoch = ds->epoch };
	if (!list->len)
		return;
	ds->tmp.len = 0;
	diag_store_pack(ws, list, &ds->tmp, &l->identity);
	ssize_t n = pwrite(ds->own_fd, ds->tmp.ptr, ds->tmp.len, (off_t)ds->own_end);
	if (n != (ssize_t)ds->tmp.len) {
		if (!ds->own_failed)
			log_msg(ds->log, LOG_WARN, "index cache: cannot keep diagnostics: %s",
				n < 0 ? strerror(errno) : "disk full");
		ds->own_failed = true;
		l->kind = LOC_NONE;
		return;
	}
	l->kind = LOC_OWN;
	l->offset = ds->own_end;
	l->len = (uint32_t)ds->tmp.len;
	ds->own_end += ds->tmp.len;
}

void diag_store_drop(struct diag_store *ds, uint32_t id)
{
	if (id < ds->locs.len)
		ds->locs.items[id].kind = LOC_NONE;
}

bool diag_store_has(const struct diag_store *ds, uint32_t id)
{
	const struct diag_loc *l = loc_at(ds, id);
	return l && l->kind != LOC_NONE;
}

/* The record's bytes into ds->tmp. */
static bool read_record(struct diag_store *ds, const struct diag_loc *l)
{
	int fd = l->kind == LOC_CACHE ? ds->cache_fd : ds->own_fd;
	ds->tmp.len = 0;
	strbuf_put(&ds->tmp, "", 0);
	if (ds->tmp.cap < (size_t)l->len + 1) {
		free(ds->tmp.ptr);
		ds->tmp.cap = (size_t)l->len + 1;
		ds->tmp.ptr = xmalloc(ds->tmp.cap);
	}
	ssize_t n = pread(fd, ds->tmp.ptr, l->len, (off_t)l->offset);
	if (n != (ssize_t)l->len)
		return false;
	ds->tmp.len = l->len;
	/* The cache file is read again long after it was checked. */
	return l->kind != LOC_CACHE || hash64(ds->tmp.ptr, l->len, 0) == l->hash;
}

bool diag_store_identity(const struct diag_store *ds, uint32_t id)
{
	const struct diag_loc *l = loc_at(ds, id);
	return l && l->kind != LOC_NONE && l->identity;
}

void diag_store_names_changed(struct diag_store *ds)
{
	ds->epoch++;
}

bool diag_store_current(const struct diag_store *ds, uint32_t id)
{
	const struct diag_loc *l = loc_at(ds, id);
	return l && l->kind != LOC_NONE && l->epoch == ds->epoch;
}

bool diag_store_same(struct diag_store *ds, const struct workspace *ws, uint32_t id,
		     const struct diag_list *list)
{
	struct diag_loc *l = id < ds->locs.len ? &ds->locs.items[id] : NULL;
	if (!l || l->kind == LOC_NONE)
		return false;
	bool same;
	if (l->kind == LOC_EMPTY) {
		same = list->len == 0;
	} else {
		struct diag_loc copy = *l;
		struct strbuf now = { 0 };
		bool identity;
		strbuf_init(&now);
		diag_store_pack(ws, list, &now, &identity);
		same = read_record(ds, &copy) && now.len == ds->tmp.len &&
		       memcmp(now.ptr, ds->tmp.ptr, now.len) == 0;
		strbuf_fini(&now);
	}
	if (same)
		l->epoch = ds->epoch;
	return same;
}

bool diag_store_get(struct diag_store *ds, const struct workspace *ws, uint32_t id,
		    struct diag_list *out)
{
	const struct diag_loc *l = loc_at(ds, id);
	const struct ws_note *wn = workspace_get(ws, id);
	if (!l || l->kind == LOC_NONE || !wn)
		return false;
	if (l->kind == LOC_EMPTY)
		return true;
	struct diag_loc copy = *l;
	return read_record(ds, &copy) &&
	       diag_store_unpack(ws, wn, ds->tmp.ptr, ds->tmp.len, out);
}

/* ---- the cache writer's side ------------------------------------------ */

static bool writer_record(void *ctx, uint32_t id, struct strbuf *out, uint8_t *flags)
{
	struct diag_store *ds = ctx;
	const struct diag_loc *l = loc_at(ds, id);
	if (!l || l->kind == LOC_NONE)
		return false;
	*flags = (l->identity ? CACHED_DIAG_IDENTITY : 0) |
		 (l->epoch == ds->epoch ? CACHED_DIAG_CURRENT : 0);
	if (l->kind == LOC_EMPTY) {
		binio_put_u32(out, 0);
		return true;
	}
	struct diag_loc copy = *l;
	if (!read_record(ds, &copy))
		return false;
	strbuf_put(out, ds->tmp.ptr, ds->tmp.len);
	struct placing p = { id, copy, copy };
	p.now.hash = hash64(ds->tmp.ptr, ds->tmp.len, 0);
	array_push(&ds->placing, p);
	return true;
}

static void writer_placed(void *ctx, uint32_t id, uint64_t offset, uint32_t len)
{
	struct diag_store *ds = ctx;
	if (!ds->placing.len || ds->placing.items[ds->placing.len - 1].id != id)
		return; /* an empty record: it stays where it is */
	struct placing *p = &ds->placing.items[ds->placing.len - 1];
	p->now.offset = offset;
	p->now.len = len;
	p->now.kind = LOC_CACHE;
}

struct index_cache_diags diag_store_writer(struct diag_store *ds)
{
	ds->placing.len = 0;
	return (struct index_cache_diags){ writer_record, writer_placed, ds };
}

static bool same_loc(const struct diag_loc *a, const struct diag_loc *b)
{
	return a->kind == b->kind && a->offset == b->offset && a->len == b->len && a->gen == b->gen;
}

void diag_store_commit(struct diag_store *ds, int fd)
{
	uint8_t old = ds->gen++;
	for (uint32_t i = 0; i < ds->placing.len; i++) {
		struct placing *p = &ds->placing.items[i];
		struct diag_loc *l = loc_of(ds, p->id);
		if (p->now.kind == LOC_CACHE && same_loc(l, &p->was)) {
			*l = p->now;
			l->gen = ds->gen;
		}
	}
	ds->placing.len = 0;
	/* Records of the old file that the new one did not take are not
	 * current (their note changed while it was written). */
	bool own = false;
	for (uint32_t i = 0; i < ds->locs.len; i++) {
		struct diag_loc *l = &ds->locs.items[i];
		if (l->kind == LOC_CACHE && l->gen == old)
			l->kind = LOC_NONE;
		own = own || l->kind == LOC_OWN;
	}
	if (ds->cache_fd >= 0)
		close(ds->cache_fd);
	ds->cache_fd = fd;
	/* Everything of ours is in the new file: start our own afresh. */
	if (!own && ftruncate(ds->own_fd, 0) == 0)
		ds->own_end = 0;
}

void diag_store_abandon(struct diag_store *ds)
{
	ds->placing.len = 0;
}

/* ---- records ---------------------------------------------------------- */

void diag_store_pack(const struct workspace *ws, const struct diag_list *list, struct strbuf *out,
		     bool *identity)
{
	*identity = false;
	binio_put_u32(out, list->len);
	for (uint32_t i = 0; i < list->len; i++) {
		const struct diagnostic *d = &list->items[i];
		binio_put_u32(out, d->span.start);
		binio_put_u32(out, d->span.len);
		binio_put_u8(out, d->severity);
		binio_put_u8(out, d->tags);
		int code = diag_code_index(d->code);
		binio_put_u8(out, (uint8_t)(code < 0 ? 255 : code));
		*identity = *identity || strcmp(d->code, DIAG_NAME_VARIANT) == 0 ||
			    strcmp(d->code, DIAG_DUPLICATE_CARD) == 0;
		binio_put_str(out, d->message, strlen(d->message));
		uint32_t n = 0;
		for (uint32_t k = 0; k < d->related.len; k++)
			n += workspace_get(ws, d->related.items[k].note) != NULL;
		binio_put_u32(out, n);
		for (uint32_t k = 0; k < d->related.len; k++) {
			const struct diag_related *r = &d->related.items[k];
			const struct ws_note *rn = workspace_get(ws, r->note);
			if (!rn)
				continue;
			binio_put_u32(out, rn->root);
			binio_put_str(out, rn->rel, strlen(rn->rel));
			binio_put_u32(out, r->span.start);
			binio_put_u32(out, r->span.len);
			binio_put_str(out, r->message, strlen(r->message));
		}
	}
}

/* A span within a note of len bytes: a record read back is never out. */
static struct span clamp(struct span s, uint32_t len)
{
	if (s.start > len)
		s.start = len;
	if (s.len > len - s.start)
		s.len = len - s.start;
	return s;
}

/* The fewest bytes a diagnostic and a related place take. */
#define DIAG_MIN 19
#define RELATED_MIN 20

bool diag_store_unpack(const struct workspace *ws, const struct ws_note *wn, const char *p,
		       size_t len, struct diag_list *out)
{
	struct binio_reader r = binio_over(p, len);
	uint32_t first = out->len;
	uint32_t n = binio_u32(&r);
	if ((uint64_t)n * DIAG_MIN > binio_left(&r))
		binio_fail(&r);
	struct strbuf abs = { 0 };
	for (uint32_t i = 0; i < n && !r.bad; i++) {
		struct diagnostic d = { .item = -1, .other = -1 };
		d.span.start = binio_u32(&r);
		d.span.len = binio_u32(&r);
		d.span = clamp(d.span, wn->note->len);
		d.severity = binio_u8(&r);
		d.tags = binio_u8(&r);
		d.code = diag_code_name(binio_u8(&r));
		uint32_t mlen;
		const char *m = binio_str(&r, UINT32_MAX, &mlen);
		uint32_t n_rel = binio_u32(&r);
		if (!d.code || d.severity < DIAG_ERROR || d.severity > DIAG_HINT || r.bad ||
		    (uint64_t)n_rel * RELATED_MIN > binio_left(&r)) {
			binio_fail(&r);
			break;
		}
		d.message = xstrndup(m, mlen);
		for (uint32_t k = 0; k < n_rel && !r.bad; k++) {
			uint32_t root = binio_u32(&r), rel_len, msg_len;
			const char *rel = binio_str(&r, UINT32_MAX, &rel_len);
			struct span s = { binio_u32(&r), binio_u32(&r) };
			const char *msg = binio_str(&r, UINT32_MAX, &msg_len);
			if (r.bad || root >= workspace_root_count(ws))
				break;
			abs.len = 0;
			strbuf_printf(&abs, "%s/%.*s", workspace_root(ws, root), (int)rel_len, rel);
			int32_t id = workspace_find(ws, abs.ptr);
			const struct ws_note *rn = id >= 0 ? workspace_get(ws, (uint32_t)id) : NULL;
			if (!rn)
				continue; /* gone since: the place with it */
			struct diag_related rl = { (uint32_t)id, clamp(s, rn->note->len),
						   xstrndup(msg, msg_len) };
			array_push(&d.related, rl);
		}
		array_push(out, d);
	}
	strbuf_fini(&abs);
	if (r.bad || r.at != r.len) {
		/* Nothing of a record that does not read whole. */
		for (uint32_t i = first; i < out->len; i++) {
			struct diagnostic *d = &out->items[i];
			free(d->message);
			for (uint32_t k = 0; k < d->related.len; k++)
				free(d->related.items[k].message);
			array_free(&d->related);
		}
		out->len = first;
		return false;
	}
	return true;
}
