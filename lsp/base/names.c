/* names.c — case folding of names, and the name -> notes multimap. */
#include "names.h"
#include "nfd.h"

#include <stdlib.h>
#include <string.h>

/* Lower-case of one code point, for the scripts listed in names.h. */
static uint32_t fold_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 32;
	if (c >= 0x100 && c <= 0x17F) {
		/* Latin Extended-A pairs capital/small, with two offsets. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) ? c + 1 : c;
		if (c == 0x178)
			return 0xFF;
		if (c == 0x138) /* kra: small, and no capital */
			return c;
		return (c & 1) ? c : c + 1;
	}
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

static void put_cp(struct strbuf *out, uint32_t c)
{
	char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	strbuf_put(out, b, n);
}

/* The code point at u[*i] (advancing *i), or -1 for a byte that starts
 * no valid UTF-8 sequence (*i advanced past it). */
static int32_t next_cp(const unsigned char *u, size_t len, size_t *i)
{
	size_t n = utf8_seq_len(u + *i, len - *i);
	if (!n) {
		(*i)++;
		return -1;
	}
	uint32_t c = u[*i] & (0xFF >> (n + 1));
	for (size_t k = 1; k < n; k++)
		c = (c << 6) | (u[*i + k] & 0x3F);
	*i += n;
	return (int32_t)c;
}

/* The combining marks after a starter, waiting to be put in canonical
 * order. A longer run than fits is written as it comes (no name has one;
 * a hostile one costs nothing). */
struct marks {
	uint32_t cp[32];
	uint8_t ccc[32];
	unsigned n;
};

static void marks_flush(struct marks *m, struct strbuf *out)
{
	/* Insertion sort by class: stable, and runs are short. */
	for (unsigned i = 1; i < m->n; i++) {
		uint32_t c = m->cp[i];
		uint8_t k = m->ccc[i];
		unsigned j = i;
		for (; j > 0 && m->ccc[j - 1] > k; j--) {
			m->cp[j] = m->cp[j - 1];
			m->ccc[j] = m->ccc[j - 1];
		}
		m->cp[j] = c;
		m->ccc[j] = k;
	}
	for (unsigned i = 0; i < m->n; i++)
		put_cp(out, m->cp[i]);
	m->n = 0;
}

static void put_nfd(struct marks *m, uint32_t c, struct strbuf *out)
{
	unsigned k = nfd_ccc(c);
	if (k == 0 || m->n == sizeof(m->cp) / sizeof(m->cp[0]))
		marks_flush(m, out);
	if (k == 0) {
		put_cp(out, c);
		return;
	}
	m->cp[m->n] = c;
	m->ccc[m->n++] = (uint8_t)k;
}

void names_fold(struct slice s, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *)s.ptr;
	struct marks m;
	m.n = 0;
	for (size_t i = 0; i < s.len;) {
		if (u[i] < 0x80) {
			if (m.n)
				marks_flush(&m, out);
			strbuf_putc(out, (char)fold_cp(u[i]));
			i++;
			continue;
		}
		int32_t c = next_cp(u, s.len, &i);
		if (c < 0) {
			marks_flush(&m, out);
			strbuf_putc(out, (char)u[i - 1]);
			continue;
		}
		uint32_t d[NFD_MAX];
		unsigned n = nfd_decompose((uint32_t)c, d);
		for (unsigned k = 0; k < n; k++)
			put_nfd(&m, fold_cp(d[k]), out);
	}
	marks_flush(&m, out);
}

/* ASCII spelling of U+00C0..U+017F, generated from Unicode's decompositions
 * (with ß, æ, ø, ð, þ, ł, œ, ... spelt out). */
static const char *const latin_ascii[0x180 - 0xC0] = {
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "x",
	"o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c",
	"e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "/",
	"o", "u", "u", "u", "u", "y", "th", "y",
	"a", "a", "a", "a", "a", "a", "c", "c",
	"c", "c", "c", "c", "c", "c", "d", "d",
	"d", "d", "e", "e", "e", "e", "e", "e",
	"e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h",
	"i", "i", "i", "i", "i", "i", "i", "i",
	"i", "i", "ij", "ij", "j", "j", "k", "k",
	"k", "l", "l", "l", "l", "l", "l", "l",
	"l", "l", "l", "n", "n", "n", "n", "n",
	"n", "n", "n", "n", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r",
	"r", "r", "s", "s", "s", "s", "s", "s",
	"s", "s", "t", "t", "t", "t", "?", "?",
	"u", "u", "u", "u", "u", "u", "u", "u",
	"u", "u", "u", "u", "w", "w", "y", "y",
	"y", "z", "z", "z", "z", "z", "z", "s"
};

/* Marks that only accent a letter: Combining Diacritical Marks, their
 * Extended and Supplement blocks, and those for symbols and half marks. */
static bool is_accent(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	       (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	       (c >= 0xFE20 && c <= 0xFE2F);
}

void names_search_key(struct slice s, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *)s.ptr;
	for (size_t i = 0; i < s.len;) {
		if (u[i] < 0x80) {
			/* A run of ASCII, copied and lower-cased where it lands:
			 * every fact of every note is folded, most of it ASCII. */
			size_t j = i + 1;
			while (j < s.len && u[j] < 0x80)
				j++;
			size_t at = out->len;
			strbuf_put(out, s.ptr + i, j - i);
			for (char *p = out->ptr + at, *e = out->ptr + out->len; p < e; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
			i = j;
			continue;
		}
		int32_t c = next_cp(u, s.len, &i);
		if (c < 0)
			continue; /* invalid bytes say nothing worth searching for */
		if (c >= 0xC0 && c < 0x180) {
			strbuf_puts(out, latin_ascii[c - 0xC0]);
			continue;
		}
		/* Decomposed, accents dropped: "ế" (precomposed or not) is "e". */
		uint32_t d[NFD_MAX];
		unsigned n = nfd_decompose((uint32_t)c, d);
		for (unsigned k = 0; k < n; k++)
			if (!is_accent(d[k]))
				put_cp(out, fold_cp(d[k]));
	}
}

/* Most names name one note: its id is kept in the entry (cap 0), not in
 * an allocation of its own, which would cost more than the entry. */
struct entry {
	char *key; /* NULL: empty slot */
	uint32_t len, hash;
	uint32_t n, cap;
	union {
		uint32_t one;   /* cap == 0 */
		uint32_t *many; /* cap > 0 */
	} ids;
};

static uint32_t *entry_ids(struct entry *e)
{
	return e->cap ? e->ids.many : &e->ids.one;
}

/*
 * A map's keys also set two bits each of a filter of cap bytes (eight
 * bits a slot, some ten to twenty a key): most lookups are of names the
 * map does not hold (is this phrase a note's name?), and at the load a
 * map grows at, linear probing reads several slots before it finds an
 * empty one. A clear bit says "not here" from an array 32 times smaller
 * than the slots, which the cache keeps; a key's two bits are in one
 * 64-bit word, so that asking costs one read. Never cleared but on
 * growing: a removed name keeps its key, and so its bits.
 */
struct name_map {
	struct entry *slots;
	uint32_t cap, used;
	uint64_t *filter; /* cap / 8 words */
};

/* Hash h's word of the filter (from its high bits, by a product: the
 * slot is from its low ones) and its two bits there. */
static uint64_t *filter_word(const struct name_map *m, uint32_t h, uint64_t *bits)
{
	uint64_t x = (uint64_t)h * 0x9E3779B97F4A7C15ull;
	*bits = 1ull << (x >> 58) | 1ull << (h & 63);
	return &m->filter[(x >> 20) & (m->cap / 8 - 1)];
}

static void filter_set(struct name_map *m, uint32_t h)
{
	uint64_t bits;
	*filter_word(m, h, &bits) |= bits;
}

static bool filter_may_hold(const struct name_map *m, uint32_t h)
{
	uint64_t bits;
	return (*filter_word(m, h, &bits) & bits) == bits;
}

static uint32_t hash_bytes(struct slice s)
{
	return hash_fnv1a(HASH_FNV1A_SEED, s.ptr, s.len);
}

struct name_map *name_map_new(void)
{
	struct name_map *m = xcalloc(1, sizeof(*m));
	m->cap = 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	m->filter = xcalloc(m->cap / 8, sizeof(uint64_t));
	return m;
}

void name_map_free(struct name_map *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		if (m->slots[i].cap)
			free(m->slots[i].ids.many);
	}
	free(m->slots);
	free(m->filter);
	free(m);
}

/* Linear probing; keys are never deleted (an emptied key keeps its slot, so
 * probe chains stay intact and re-adding a name is cheap). */
static struct entry *find(const struct name_map *m, struct slice key, uint32_t h)
{
	for (uint32_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct entry *e = &m->slots[i];
		if (!e->key || (e->hash == h && e->len == key.len &&
				memcmp(e->key, key.ptr, key.len) == 0))
			return e;
	}
}

static void grow(struct name_map *m)
{
	struct entry *old = m->slots;
	uint32_t old_cap = m->cap;
	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	free(m->filter);
	m->filter = xcalloc(m->cap / 8, sizeof(uint64_t));
	for (uint32_t i = 0; i < old_cap; i++) {
		if (!old[i].key)
			continue;
		struct slice k = { old[i].key, old[i].len };
		*find(m, k, old[i].hash) = old[i];
		filter_set(m, old[i].hash);
	}
	free(old);
}

void name_map_reserve(struct name_map *m, uint32_t n)
{
	while ((uint64_t)(m->used + n) * 4 > (uint64_t)m->cap * 3 && m->cap < (1u << 30))
		grow(m);
}

void name_map_add(struct name_map *m, struct slice key, uint32_t id)
{
	if ((m->used + 1) * 4 > m->cap * 3)
		grow(m);
	uint32_t h = hash_bytes(key);
	struct entry *e = find(m, key, h);
	if (!e->key) {
		e->key = xstrndup(key.ptr, key.len);
		e->len = (uint32_t)key.len;
		e->hash = h;
		m->used++;
		filter_set(m, h);
	}
	uint32_t *ids = entry_ids(e);
	for (uint32_t i = 0; i < e->n; i++)
		if (ids[i] == id)
			return;
	if (e->n == 0 && e->cap == 0) {
		e->ids.one = id;
	} else if (e->cap == 0) {
		uint32_t *many = xmalloc(4 * sizeof(uint32_t));
		many[0] = e->ids.one;
		e->ids.many = many;
		e->cap = 4;
	} else if (e->n == e->cap) {
		e->cap *= 2;
		e->ids.many = xrealloc(e->ids.many, e->cap * sizeof(uint32_t));
	}
	entry_ids(e)[e->n++] = id;
}

void name_map_remove(struct name_map *m, struct slice key, uint32_t id)
{
	uint32_t h = hash_bytes(key);
	if (!filter_may_hold(m, h))
		return;
	struct entry *e = find(m, key, h);
	if (!e->key)
		return;
	uint32_t *ids = entry_ids(e);
	for (uint32_t i = 0; i < e->n; i++) {
		if (ids[i] == id) {
			memmove(&ids[i], &ids[i + 1], (e->n - i - 1) * sizeof(uint32_t));
			e->n--;
			return;
		}
	}
}

const uint32_t *name_map_get(const struct name_map *m, struct slice key, uint32_t *n)
{
	uint32_t h = hash_bytes(key);
	if (!filter_may_hold(m, h)) {
		*n = 0;
		return NULL;
	}
	struct entry *e = find(m, key, h);
	*n = e->key ? e->n : 0;
	return e->key ? entry_ids(e) : NULL;
}
