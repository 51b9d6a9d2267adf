/* unlinked_scan.c — the vault's words, names as text is searched for
 * them, and one note's prose read for names (the rules are unlinked.h's). */
#include "names.h"
#include "unlinked_impl.h"

#include <stdlib.h>
#include <string.h>

/* Eight bytes at a time: every word of every note is hashed once. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0xFF51AFD7ED558CCDull;
	return h ^ (h >> 32);
}

/* s[0, len) may be followed by anything, but must be readable up to a
 * multiple of eight bytes: the last eight are read at once and masked. */
static uint32_t hash_padded(const char *s, size_t len)
{
	uint64_t h = len * 0x9E3779B97F4A7C15ull, v;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&v, s + i, 8);
		h = mix(h, v);
	}
	if (i < len) {
		memcpy(&v, s + i, 8);
		h = mix(h, v & (~0ull >> (64 - 8 * (len - i))));
	}
	return (uint32_t)h;
}

/* The same for any s. */
static uint32_t hash_key(const char *s, size_t len)
{
	char tail[8] = { 0 };
	size_t whole = len & ~(size_t)7;
	memcpy(tail, s + whole, len - whole);
	uint64_t h = len * 0x9E3779B97F4A7C15ull, v;
	for (size_t i = 0; i < whole; i += 8) {
		memcpy(&v, s + i, 8);
		h = mix(h, v);
	}
	if (whole < len) {
		memcpy(&v, tail, 8);
		h = mix(h, v);
	}
	return (uint32_t)h;
}

static void names_grow(struct unlinked *u)
{
	uint32_t cap = u->name_cap ? u->name_cap * 2 : 1024;
	struct nslot *slots = xcalloc(cap, sizeof(*slots));
	for (uint32_t i = 0; i < u->names.len; i++) {
		uint32_t h = u->names.items[i].hash & (cap - 1);
		while (slots[h].id1)
			h = (h + 1) & (cap - 1);
		slots[h] = (struct nslot){ u->names.items[i].hash, i + 1 };
	}
	free(u->name_slots);
	u->name_slots = slots;
	u->name_cap = cap;
}

static int32_t name_find(const struct unlinked *u, const char *key, uint32_t len, uint32_t hash)
{
	if (!u->name_cap)
		return -1;
	for (uint32_t h = hash & (u->name_cap - 1); u->name_slots[h].id1;
	     h = (h + 1) & (u->name_cap - 1)) {
		if (u->name_slots[h].hash != hash)
			continue;
		const struct uname *nm = &u->names.items[u->name_slots[h].id1 - 1];
		if (nm->key_len == len && memcmp(u->name_text.items + nm->key, key, len) == 0)
			return (int32_t)u->name_slots[h].id1 - 1;
	}
	return -1;
}

uint32_t unlinked_name_id(struct unlinked *u, const char *key, uint32_t len, bool *added)
{
	uint32_t hash = hash_key(key, len);
	int32_t id = name_find(u, key, len, hash);
	*added = id < 0;
	if (id >= 0)
		return (uint32_t)id;
	if ((u->names.len + 1) * 2 > u->name_cap)
		names_grow(u);
	struct uname nm = { 0 };
	nm.hash = hash;
	nm.key = u->name_text.len;
	nm.key_len = len;
	array_grow(&u->name_text, len);
	memcpy(u->name_text.items + u->name_text.len, key, len);
	u->name_text.len += len;
	array_push(&u->names, nm);
	uint32_t h = hash & (u->name_cap - 1);
	while (u->name_slots[h].id1)
		h = (h + 1) & (u->name_cap - 1);
	u->name_slots[h] = (struct nslot){ hash, u->names.len };
	return u->names.len - 1;
}

static void firsts_grow(struct firsts *f)
{
	uint32_t cap = f->slot_cap ? f->slot_cap * 2 : 1024;
	struct fslot *slots = xcalloc(cap, sizeof(*slots));
	for (uint32_t i = 0; i < f->words.len; i++) {
		uint32_t h = f->words.items[i].hash & (cap - 1);
		while (slots[h].id1)
			h = (h + 1) & (cap - 1);
		slots[h] = (struct fslot){ f->words.items[i].hash, i + 1 };
	}
	free(f->slots);
	f->slots = slots;
	f->slot_cap = cap;
}

static uint32_t first_bit(uint32_t hash)
{
	return (hash * 0x9E3779B1u) >> 17;
}

static uint32_t pair_bit(uint32_t first, uint32_t second)
{
	return ((first * 0x85EBCA77u) ^ (second * 0xC2B2AE3Du)) >> 16;
}

static bool has_bit(const uint64_t *bits, uint32_t b)
{
	return bits[b >> 6] >> (b & 63) & 1;
}

/* The lengths of the names starting with this word (key, hash), 0 if none. */
static uint32_t first_lens(const struct firsts *f, const char *key, uint32_t len, uint32_t hash)
{
	if (!f->slot_cap || !has_bit(f->first_bits, first_bit(hash)))
		return 0;
	for (uint32_t h = hash & (f->slot_cap - 1); f->slots[h].id1; h = (h + 1) & (f->slot_cap - 1)) {
		if (f->slots[h].hash != hash)
			continue;
		const struct fword *w = &f->words.items[f->slots[h].id1 - 1];
		if (w->len == len && memcmp(f->text.items + w->key, key, len) == 0)
			return w->lens;
	}
	return 0;
}

void unlinked_first_word(struct unlinked *u, const struct scratch *sc, const struct name_shape *shape)
{
	struct firsts *f = &u->firsts;
	const char *key = sc->keys.items;
	uint32_t len = shape->first_len;
	uint32_t lens = 1u << (shape->words - 1);
	if (shape->words == 1 && shape->mid_sentence)
		lens |= LENS_CAPITAL;
	if ((f->words.len + 1) * 2 > f->slot_cap)
		firsts_grow(f);
	uint32_t hash = hash_key(key, len);
	uint32_t b = first_bit(hash);
	f->first_bits[b >> 6] |= 1ull << (b & 63);
	if (shape->second_len) {
		b = pair_bit(hash, hash_key(key + len, shape->second_len));
		f->pair_bits[b >> 6] |= 1ull << (b & 63);
	}
	uint32_t h = hash & (f->slot_cap - 1);
	for (; f->slots[h].id1; h = (h + 1) & (f->slot_cap - 1)) {
		struct fword *w = &f->words.items[f->slots[h].id1 - 1];
		if (f->slots[h].hash == hash && w->len == len &&
		    memcmp(f->text.items + w->key, key, len) == 0) {
			w->lens |= lens;
			return;
		}
	}
	struct fword w = { hash, f->text.len, len, lens };
	array_grow(&f->text, len);
	memcpy(f->text.items + f->text.len, key, len);
	f->text.len += len;
	array_push(&f->words, w);
	f->slots[h] = (struct fslot){ hash, f->words.len };
}

/* The two bits of a word in a filter of 1 << log2 bytes. */
static void bloom_bits(uint32_t hash, uint32_t log2, uint32_t *a, uint32_t *b)
{
	uint32_t mask = (8u << log2) - 1;
	*a = hash & mask;
	*b = (hash * 0x9E3779B1u) >> 7 & mask;
}

static bool bloom_has(const struct unote *un, uint32_t hash)
{
	uint32_t a, b;
	bloom_bits(hash, un->bloom_log2, &a, &b);
	return (un->bloom[a >> 3] >> (a & 7) & 1) && (un->bloom[b >> 3] >> (b & 7) & 1);
}

/* The search key of word w of t, appended to sc->keys: lower case, accents
 * folded, a typographic apostrophe written "'". */
static struct wkey word_key(struct scratch *sc, const char *t, const struct prose_word *w)
{
	uint32_t n = w->end - w->start;
	struct wkey k = { sc->keys.len, 0, 0, 0 };
	if (w->flags & PROSE_ASCII) {
		array_grow(&sc->keys, n + 8); /* hash_padded reads on */
		char *d = sc->keys.items + sc->keys.len;
		for (uint32_t i = 0; i < n; i++) {
			char c = t[w->start + i];
			d[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		sc->keys.len += n;
		k.len = n;
		return k;
	}
	sc->tmp.len = 0;
	names_search_key((struct slice){ t + w->start, n }, &sc->tmp);
	array_grow(&sc->keys, (uint32_t)sc->tmp.len + 8);
	for (size_t i = 0; i < sc->tmp.len; i++) {
		if (i + 2 < sc->tmp.len && memcmp(sc->tmp.ptr + i, "\xE2\x80\x99", 3) == 0) {
			sc->keys.items[sc->keys.len++] = '\'';
			i += 2;
		} else {
			sc->keys.items[sc->keys.len++] = sc->tmp.ptr[i];
		}
	}
	k.len = sc->keys.len - k.off;
	return k;
}

static void put(struct scratch *sc, char c)
{
	array_push(&sc->phrase, c);
}

/* The separator of two words of a name, t[a, b), as keys have it, appended
 * to sc->phrase: blanks are one blank. False when it ends a name: a line
 * break, or more than a few characters. */
static bool gap_key(struct scratch *sc, const char *t, uint32_t a, uint32_t b)
{
	if (b - a > 8)
		return false;
	bool blank = false;
	for (uint32_t p = a; p < b; p++) {
		unsigned char c = (unsigned char)t[p];
		if (c == '\n' || c == '\r')
			return false;
		if (c == ' ' || c == '\t' || (c == 0xC2 && p + 1 < b && (unsigned char)t[p + 1] == 0xA0)) {
			p += c == 0xC2;
			blank = true;
			continue;
		}
		if (blank)
			put(sc, ' ');
		blank = false;
		put(sc, c >= 'A' && c <= 'Z' ? (char)(c + 32) : (char)c);
	}
	if (blank)
		put(sc, ' ');
	return true;
}

/* Words a name made only of is no name: "To Do", "How To". */
static bool is_common(const char *w, uint32_t len)
{
	static const char *const common[] = {
		"a", "about", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from",
		"has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it",
		"its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "that",
		"the", "their", "them", "then", "there", "they", "this", "to", "up", "us",
		"was", "we", "were", "what", "when", "where", "which", "who", "why", "will",
		"with", "you", "your",
	};
	size_t lo = 0, hi = sizeof(common) / sizeof(common[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(w, common[mid], len);
		if (!c)
			c = common[mid][len] ? -1 : 0;
		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool unlinked_name_key(struct scratch *sc, struct slice name, struct name_shape *shape)
{
	sc->words.len = 0;
	sc->keys.len = 0;
	sc->phrase.len = 0;
	if (name.len > 1000)
		return false;
	prose_words(name.ptr, 0, (uint32_t)name.len, &sc->words);
	uint32_t nw = sc->words.len, content = 0, content_at = 0;
	if (!nw || nw > UNLINKED_MAX_WORDS)
		return false;
	for (uint32_t i = 0; i < nw; i++) {
		if (i && !gap_key(sc, name.ptr, sc->words.items[i - 1].end, sc->words.items[i].start))
			return false;
		struct wkey k = word_key(sc, name.ptr, &sc->words.items[i]);
		if (!k.len || k.len > UNLINKED_MAX_WORD)
			return false;
		if (!i)
			shape->first_len = k.len;
		if (i == 1)
			shape->second_len = k.len;
		array_grow(&sc->phrase, k.len);
		memcpy(sc->phrase.items + sc->phrase.len, sc->keys.items + k.off, k.len);
		sc->phrase.len += k.len;
		if (!is_common(sc->keys.items + k.off, k.len)) {
			content++;
			content_at = i;
		}
	}
	put(sc, '\0');
	sc->phrase.len--;
	if (nw == 1)
		shape->second_len = 0;
	shape->words = (uint8_t)nw;
	shape->upper_word = NO_WORD;
	shape->mid_sentence = false;
	if (nw == 1) {
		const struct prose_word *w = &sc->words.items[0];
		if (w->flags & PROSE_LETTER) {
			if (w->letters < 2)
				return false;
			shape->upper_word = 0;
			shape->mid_sentence = true;
		} else if (!(w->flags & PROSE_JOINED)) {
			return false; /* "2024": a number, not a name */
		}
		return true;
	}
	if (!content)
		return false;
	if (content == 1)
		shape->upper_word = (uint8_t)content_at;
	return true;
}

int32_t unlinked_owner(const struct uname *nm)
{
	int32_t stem = -1, any = -1;
	uint32_t n_stem = 0;
	for (uint32_t i = 0; i < nm->holders.len; i++) {
		if (nm->holders.items[i].stem) {
			n_stem++;
			stem = (int32_t)nm->holders.items[i].note;
		}
		any = (int32_t)nm->holders.items[i].note;
	}
	if (n_stem)
		return n_stem == 1 ? stem : -1;
	return nm->holders.len == 1 ? any : -1;
}

static bool only_blanks(const char *t, uint32_t a, uint32_t b)
{
	for (; a < b; a++)
		if (t[a] != ' ' && t[a] != '\t')
			return false;
	return true;
}

/* Is word i part of a run of capitalised words ("Summit Labs", "Halden
 * Storage"): a capitalised word before it (not the first of a sentence:
 * "Met Ragnar") or after it, a blank away? Then it is some longer name's. */
static bool in_run(const char *t, const struct prose_word *w, uint32_t nw, uint32_t i)
{
	if (i > 0 && (w[i - 1].flags & (PROSE_UPPER | PROSE_START)) == PROSE_UPPER &&
	    only_blanks(t, w[i - 1].end, w[i].start))
		return true;
	return i + 1 < nw && (w[i + 1].flags & PROSE_UPPER) && only_blanks(t, w[i].end, w[i + 1].start);
}

/* The names starting at each word of sc->words (keys in sc->wkeys), longest
 * first; each found is counted for src, or (out) appended when another
 * note owns it. */
static void match(const struct unlinked *ix, struct scratch *sc, const char *t, uint32_t src,
		  struct unlinked_list *out)
{
	const struct prose_word *w = sc->words.items;
	const struct wkey *k = sc->wkeys.items;
	uint32_t nw = sc->words.len;
	for (uint32_t i = 0; i < nw; i++) {
		uint32_t lens = k[i].lens;
		if (!lens)
			continue;
		/* No longer name starts with these two words; and a name of
		 * this one word needs it capitalised inside a sentence. */
		if (i + 1 == nw || !has_bit(ix->firsts.pair_bits, pair_bit(k[i].hash, k[i + 1].hash)))
			lens &= 1 | LENS_CAPITAL;
		if ((lens & LENS_CAPITAL) && (!(w[i].flags & PROSE_UPPER) || (w[i].flags & PROSE_START)))
			lens &= ~(1u | LENS_CAPITAL);
		lens &= ~LENS_CAPITAL;
		if (!lens)
			continue;
		uint32_t most = 32 - (uint32_t)__builtin_clz(lens);
		if (most > nw - i)
			most = nw - i;
		sc->phrase.len = 0;
		sc->prefix.len = 0;
		for (uint32_t l = 0; l < most; l++) {
			if (l && !gap_key(sc, t, w[i + l - 1].end, w[i + l].start))
				break;
			array_grow(&sc->phrase, k[i + l].len);
			memcpy(sc->phrase.items + sc->phrase.len, sc->keys.items + k[i + l].off, k[i + l].len);
			sc->phrase.len += k[i + l].len;
			array_push(&sc->prefix, sc->phrase.len);
		}
		array_grow(&sc->phrase, 8); /* hash_padded reads on */
		for (uint32_t l = sc->prefix.len; l >= 1; l--) {
			if (!(lens >> (l - 1) & 1))
				continue;
			uint32_t len = sc->prefix.items[l - 1];
			int32_t id = name_find(ix, sc->phrase.items, len, hash_padded(sc->phrase.items, len));
			if (id < 0)
				continue;
			const struct uname *nm = &ix->names.items[id];
			if (!nm->holders.len || nm->words != l)
				continue;
			if (nm->upper_word != NO_WORD && !(w[i + nm->upper_word].flags & PROSE_UPPER))
				continue;
			if (nm->mid_sentence && ((w[i].flags & PROSE_START) || in_run(t, w, nw, i)))
				continue;
			if (!out) {
				struct mcount c = { (uint32_t)id, 1 };
				array_push(&sc->counts, c);
			} else {
				int32_t owner = unlinked_owner(nm);
				if (owner >= 0 && (uint32_t)owner != src) {
					struct unlinked_mention m = { (uint32_t)owner,
						{ w[i].start, w[i + l - 1].end - w[i].start } };
					array_push(out, m);
				}
			}
			i += l - 1;
			break;
		}
	}
}

static int mcount_cmp(const void *a, const void *b)
{
	const struct mcount *x = a, *y = b;
	return x->name < y->name ? -1 : x->name > y->name;
}

/* sc->counts, one per mention, as the note's list of names and counts. */
static void keep_counts(struct scratch *sc, struct unote *un)
{
	if (!sc->counts.len)
		return;
	qsort(sc->counts.items, sc->counts.len, sizeof(struct mcount), mcount_cmp);
	uint32_t w = 0;
	for (uint32_t i = 1; i < sc->counts.len; i++) {
		if (sc->counts.items[i].name == sc->counts.items[w].name)
			sc->counts.items[w].n++;
		else
			sc->counts.items[++w] = sc->counts.items[i];
	}
	un->n_mentions = w + 1;
	un->mentions = xmalloc(un->n_mentions * sizeof(struct mcount));
	memcpy(un->mentions, sc->counts.items, un->n_mentions * sizeof(struct mcount));
}

/* The filter of the words hashed so far (sc->bloom, made for at least twice
 * as many bits as words), halved while two bits in five or fewer would be
 * set, and kept. */
static void keep_bloom(struct scratch *sc, struct unote *un, uint32_t log2)
{
	uint8_t *b = sc->bloom.items;
	while (log2 > 3) {
		uint32_t half = 1u << (log2 - 1);
		uint32_t set = 0;
		for (uint32_t i = 0; i < half; i += 8) {
			uint64_t x, y;
			memcpy(&x, b + i, 8);
			memcpy(&y, b + half + i, 8);
			set += (uint32_t)__builtin_popcountll(x | y);
		}
		if (set * 5 > half * 8 * 2)
			break;
		for (uint32_t i = 0; i < half; i++)
			b[i] |= b[half + i];
		log2--;
	}
	free(un->bloom);
	un->bloom = xmalloc(1u << log2);
	memcpy(un->bloom, b, 1u << log2);
	un->bloom_log2 = (uint8_t)log2;
}

void unlinked_scan(const struct unlinked *ix, struct scratch *sc, const struct workspace *ws,
		   uint32_t src, struct unote *un, struct unlinked_list *out)
{
	const struct note *n = ws->notes.items[src]->note;
	sc->spans.len = 0;
	sc->counts.len = 0;
	prose_spans(n, &sc->spans);
	/* A filter of at least two bits a byte of prose: more than enough
	 * before halving, as words have a byte or more and a separator. */
	uint32_t log2 = 3;
	while (log2 < 20 && (1u << log2) < n->len / 4)
		log2++;
	if (!out) {
		array_reserve(&sc->bloom, 1u << log2);
		memset(sc->bloom.items, 0, 1u << log2);
	}
	for (uint32_t s = 0; s < sc->spans.len; s++) {
		sc->words.len = 0;
		prose_words(n->text, sc->spans.items[s].start, span_end(sc->spans.items[s]), &sc->words);
		sc->keys.len = 0;
		sc->wkeys.len = 0;
		for (uint32_t i = 0; i < sc->words.len; i++) {
			struct wkey k = word_key(sc, n->text, &sc->words.items[i]);
			if (k.len <= UNLINKED_MAX_WORD) {
				k.hash = hash_padded(sc->keys.items + k.off, k.len);
				k.lens = first_lens(&ix->firsts, sc->keys.items + k.off, k.len, k.hash);
				if (!out) {
					uint32_t a, b;
					bloom_bits(k.hash, log2, &a, &b);
					sc->bloom.items[a >> 3] |= (uint8_t)(1u << (a & 7));
					sc->bloom.items[b >> 3] |= (uint8_t)(1u << (b & 7));
				}
			}
			array_push(&sc->wkeys, k);
		}
		match(ix, sc, n->text, src, out);
	}
	if (!out) {
		free(un->mentions);
		un->mentions = NULL;
		un->n_mentions = 0;
		keep_counts(sc, un);
		keep_bloom(sc, un, log2);
	}
}

void unlinked_scratch_fini(struct scratch *sc)
{
	array_free(&sc->spans);
	array_free(&sc->words);
	array_free(&sc->keys);
	array_free(&sc->wkeys);
	strbuf_fini(&sc->tmp);
	array_free(&sc->phrase);
	array_free(&sc->prefix);
	array_free(&sc->counts);
	array_free(&sc->bloom);
}

uint32_t unlinked_note_count(const struct unote *un, uint32_t name)
{
	uint32_t lo = 0, hi = un->n_mentions;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (un->mentions[mid].name < name)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < un->n_mentions && un->mentions[lo].name == name ? un->mentions[lo].n : 0;
}

void unlinked_sources(struct unlinked *u, const struct uname *nm, struct id_list *out)
{
	struct scratch *sc = &u->sc;
	const char *key = u->name_text.items + nm->key;
	uint32_t hashes[UNLINKED_MAX_WORDS];
	sc->words.len = 0;
	sc->keys.len = 0;
	prose_words(key, 0, nm->key_len, &sc->words);
	uint32_t nw = sc->words.len < UNLINKED_MAX_WORDS ? sc->words.len : UNLINKED_MAX_WORDS;
	for (uint32_t i = 0; i < nw; i++) {
		struct wkey k = word_key(sc, key, &sc->words.items[i]);
		hashes[i] = hash_key(sc->keys.items + k.off, k.len);
	}
	for (uint32_t id = 0; id < u->notes.len; id++) {
		const struct unote *un = &u->notes.items[id];
		if (!un->bloom)
			continue;
		uint32_t i = 0;
		while (i < nw && bloom_has(un, hashes[i]))
			i++;
		if (i == nw)
			array_push(out, id);
	}
}
