/* fact_words.c — a fact's words: normalised, names put for aliases,
 * interned with what each word is. */
#include "fact_words.h"
#include "names.h"
#include "note_item.h"

#include <stdlib.h>
#include <string.h>

/* The longest alias or name, in words, looked for in a fact. */
#define MAX_PHRASE_WORDS 6

/* Eight bytes at a time: every word of every fact is hashed (its memo;
 * a word new to the note's facts reuses it). Only the probe order
 * depends on it.
 * Not util.h's FNV-1a, which takes a byte at a time: a faster function
 * of its own. */
static uint32_t hash_str(const char *s, size_t len)
{
	uint64_t h = len * 0x9E3779B97F4A7C15ull;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8); /* a fixed size: one load, not a call */
		h = (h ^ v) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	if (i < len) {
		uint64_t v = 0;
		for (size_t k = i; k < len; k++)
			v = v << 8 | (unsigned char)s[k];
		h = (h ^ v) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	return (uint32_t)h;
}

static void rehash(struct interner *in, uint32_t cap)
{
	uint32_t *slots = xcalloc(cap, sizeof(uint32_t));
	for (uint32_t i = 0; i < in->words.len; i++) {
		uint32_t h = in->words.items[i].hash & (cap - 1);
		while (slots[h])
			h = (h + 1) & (cap - 1);
		slots[h] = i + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->slot_cap = cap;
}

void fact_words_interner_reserve(struct interner *in, uint32_t words, uint32_t bytes)
{
	uint32_t cap = in->slot_cap ? in->slot_cap : 256;
	while (cap < 2 * (in->words.len + words + 1))
		cap *= 2;
	if (cap > in->slot_cap)
		rehash(in, cap);
	array_grow(&in->words, words);
	array_grow(&in->text, bytes);
}

/* The id of s (hash_str's hash given), and whether it was new (then only
 * its text and hash are set). Ids are given in order of first
 * appearance. */
static uint32_t intern_find_hashed(struct interner *in, const char *s, size_t len, uint32_t hash,
				   bool *added)
{
	if ((in->words.len + 1) * 2 > in->slot_cap)
		rehash(in, in->slot_cap ? in->slot_cap * 2 : 256);
	uint32_t h = hash & (in->slot_cap - 1);
	while (in->slots[h]) {
		const struct word *w = &in->words.items[in->slots[h] - 1];
		if (w->hash == hash && w->len == len && memcmp(in->text.items + w->text, s, len) == 0) {
			*added = false;
			return in->slots[h] - 1;
		}
		h = (h + 1) & (in->slot_cap - 1);
	}
	array_grow(&in->words, 1);
	uint32_t id = in->words.len++;
	in->slots[h] = id + 1;
	struct word *w = &in->words.items[id];
	w->text = in->text.len;
	w->len = (uint32_t)len;
	w->hash = hash;
	w->stem = id;
	w->root = id;
	w->flags = 0;
	array_grow(&in->text, (uint32_t)len + 1);
	memcpy(in->text.items + in->text.len, s, len);
	in->text.items[in->text.len + len] = '\0';
	in->text.len += (uint32_t)len + 1;
	*added = true;
	return id;
}

static uint8_t word_flags(const char *w, size_t len);

/* "customers", not "status", "analysis", "class" or "https". */
static bool is_plural(const char *s, size_t len)
{
	char before = len > 3 ? s[len - 2] : 0;
	return len > 3 && s[len - 1] == 's' && before != 's' && before != 'i' && before != 'u' &&
	       !(len == 5 && memcmp(s, "https", 5) == 0);
}

/* Does s (len >= n bytes) end in the n bytes of suffix? */
static bool ends(const char *s, size_t len, const char *suffix, size_t n)
{
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

#define ENDS(s, len, lit) ends((s), (len), (lit), sizeof(lit) - 1)

/*
 * The root of a word: inflections folded, so that "customers", "expects",
 * "expected" and "planning" give "customer", "expect", "expect" and
 * "plan". A crude English stemmer: all it must do is send two forms of
 * one word to one root. The root is the word's first n bytes (its
 * length, returned), but for "-ies", whose last byte becomes 'y' (*y).
 * Words that are not plain ASCII letters only lose a plural "s".
 */
static size_t root_word(const char *s, size_t len, bool *y)
{
	*y = false;
	bool letters = len > 0;
	for (size_t i = 0; i < len && letters; i++)
		letters = s[i] >= 'a' && s[i] <= 'z';
	size_t n = len;
	if (!letters)
		return is_plural(s, len) ? len - 1 : len;
	bool verb = false;
	if (n >= 5 && ENDS(s, n, "ies")) {
		n -= 2;
		*y = true;
		return n; /* "studies" -> "study": ends in 'y', neither doubled nor 'e' */
	} else if (n >= 6 && ENDS(s, n, "ing")) {
		n -= 3;
		verb = true;
	} else if (n >= 5 && ENDS(s, n, "ed")) {
		n -= 2;
		verb = true;
	} else if (n >= 5 && (ENDS(s, n, "ses") || ENDS(s, n, "xes") || ENDS(s, n, "zes") ||
			      ENDS(s, n, "ches") || ENDS(s, n, "shes"))) {
		n -= 2;
	} else if (is_plural(s, n)) {
		n--;
	}
	/* "planned" -> "plann" -> "plan"; "propose" and "proposed" ->
	 * "propos". Never down to three letters ("note" is not "not"). */
	if (verb && n >= 4 && s[n - 1] == s[n - 2] && !strchr("aeiouls", s[n - 1]))
		n--;
	if (n >= 5 && s[n - 1] == 'e')
		n--;
	return n;
}

/* The id of s's text, interned with its flags if it is new. */
static uint32_t intern_word(struct interner *in, const char *s, size_t len, uint32_t hash,
			    bool *added)
{
	uint32_t id = intern_find_hashed(in, s, len, hash, added);
	if (*added)
		in->words.items[id].flags = word_flags(in->text.items + in->words.items[id].text, len);
	return id;
}

uint32_t fact_words_intern(struct interner *in, const char *s, size_t len)
{
	return fact_words_intern_hashed(in, s, len, hash_str(s, len));
}

uint32_t fact_words_intern_hashed(struct interner *in, const char *s, size_t len, uint32_t hash)
{
	bool added;
	uint32_t id = intern_word(in, s, len, hash, &added);
	if (!added)
		return id;
	/* "customers" and "customer" are one word for content comparison. */
	if (is_plural(s, len)) {
		uint32_t stem = fact_words_intern(in, s, len - 1);
		in->words.items[id].stem = stem; /* in->words.items may have moved */
	}
	bool y;
	size_t n = root_word(s, len, &y);
	if (n != len) {
		/* The root's own root is not asked for: one step is what
		 * relates two forms. */
		char small[64];
		const char *root_text = s;
		char *buf = NULL;
		if (y) {
			buf = n <= sizeof(small) ? small : xmalloc(n);
			memcpy(buf, s, n - 1);
			buf[n - 1] = 'y';
			root_text = buf;
		}
		uint32_t root = intern_word(in, root_text, n, hash_str(root_text, n), &added);
		in->words.items[id].root = root;
		if (buf && buf != small)
			free(buf);
	}
	return id;
}

void fact_words_interner_free(struct interner *in)
{
	array_free(&in->words);
	free(in->slots);
	array_free(&in->text);
}

static bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Splits a search key into words. */
static void split_words(struct slice key, slice_array *out)
{
	const unsigned char *u = (const unsigned char *)key.ptr;
	size_t i = 0, len = key.len;
	while (i < len) {
		while (i < len && !word_byte(u[i]))
			i++;
		if (i == len)
			break;
		size_t s = i++;
		while (i < len && word_byte(u[i]))
			i++;
		array_grow(out, 1);
		out->items[out->len++] = (struct slice){ key.ptr + s, i - s };
	}
}


void fact_words_fini(struct normaliser *nz)
{
	strbuf_fini(&nz->plain);
	strbuf_fini(&nz->key);
	strbuf_fini(&nz->phrase);
	array_free(&nz->raw);
	array_free(&nz->words);
	array_free(&nz->raw_memo);
	array_free(&nz->memo_of);
	fact_words_interner_free(&nz->seen);
	array_free(&nz->memo);
	array_free(&nz->phrases);
	array_free(&nz->phrase_keys);
	array_free(&nz->phrase_put);
	free(nz->phrase_slots);
}

/* The memo of a word as written (or as a name put it), hash_str's hash
 * given. */
static uint32_t remember_hashed(struct normaliser *nz, struct slice word, uint32_t hash)
{
	bool added;
	uint32_t m = intern_find_hashed(&nz->seen, word.ptr, word.len, hash, &added);
	if (added) {
		struct memo_word w = { FACT_NO_WORD, FACT_NO_WORD, -1 };
		array_push(&nz->memo, w);
	}
	return m;
}

static uint32_t remember(struct normaliser *nz, struct slice word)
{
	return remember_hashed(nz, word, hash_str(word.ptr, word.len));
}

/* The word counts of the names that start with the word of memo m. */
static uint32_t phrase_lengths(struct normaliser *nz, uint32_t m)
{
	struct memo_word *w = &nz->memo.items[m];
	if (w->lengths == FACT_NO_WORD) {
		const struct word *t = &nz->seen.words.items[m];
		struct slice text = { nz->seen.text.items + t->text, t->len };
		w->lengths = nz->names ? nz->names->phrase_lengths(nz->names->ctx, text) : 0;
	}
	return w->lengths;
}

/* Is the word of memo m a word of some person's name? */
static bool person_word(struct normaliser *nz, uint32_t m)
{
	struct memo_word *w = &nz->memo.items[m];
	if (w->person < 0) {
		const struct word *t = &nz->seen.words.items[m];
		struct slice text = { nz->seen.text.items + t->text, t->len };
		w->person = nz->names->person_word(nz->names->ctx, text) ? 1 : 0;
	}
	return w->person;
}

static uint32_t hash_memos(const uint32_t *m, uint32_t n)
{
	uint32_t h = n * 0x9E3779B1u;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ m[i]) * 0x85EBCA6Bu;
	return h ^ (h >> 15);
}

/* The phrase memo of the words with memos m[0 .. n), or NULL. *slot: where
 * it goes if it is new. */
static struct memo_phrase *phrase_find(struct normaliser *nz, const uint32_t *m, uint32_t n,
				       uint32_t *slot)
{
	if ((nz->phrases.len + 1) * 2 > nz->phrase_cap) {
		uint32_t cap = nz->phrase_cap ? nz->phrase_cap * 2 : 64;
		uint32_t *slots = xcalloc(cap, sizeof(uint32_t));
		for (uint32_t i = 0; i < nz->phrases.len; i++) {
			const struct memo_phrase *p = &nz->phrases.items[i];
			uint32_t h = hash_memos(nz->phrase_keys.items + p->key, p->n_key) & (cap - 1);
			while (slots[h])
				h = (h + 1) & (cap - 1);
			slots[h] = i + 1;
		}
		free(nz->phrase_slots);
		nz->phrase_slots = slots;
		nz->phrase_cap = cap;
	}
	uint32_t h = hash_memos(m, n) & (nz->phrase_cap - 1);
	for (; nz->phrase_slots[h]; h = (h + 1) & (nz->phrase_cap - 1)) {
		struct memo_phrase *p = &nz->phrases.items[nz->phrase_slots[h] - 1];
		if (p->n_key == n && memcmp(nz->phrase_keys.items + p->key, m, n * sizeof(uint32_t)) == 0)
			return p;
	}
	*slot = h;
	return NULL;
}

/*
 * What the phrase of raw[i .. i + l) is, remembered by its words' memos:
 * a note's stem (0), an alias of one note or a probable variant of one
 * person's name (1: replaced by that note's name), or neither (-1). The
 * vault is asked only when a name of l words starts with raw[i] (bit l of
 * lengths), but a variant may be of any phrase of its person's words.
 */
static const struct memo_phrase *phrase_at(struct normaliser *nz, uint32_t i, uint32_t l,
					   uint32_t lengths)
{
	const uint32_t *m = nz->raw_memo.items + i;
	uint32_t slot;
	struct memo_phrase *found = phrase_find(nz, m, l, &slot);
	if (found)
		return found;
	const struct fact_names *names = nz->names;
	struct strbuf *phrase = &nz->phrase;
	phrase->len = 0;
	for (uint32_t k = 0; k < l; k++) {
		if (k)
			strbuf_putc(phrase, ' ');
		strbuf_put(phrase, nz->raw.items[i + k].ptr, nz->raw.items[i + k].len);
	}
	struct slice text = { phrase->ptr, phrase->len };
	const char *stem = NULL;
	int r = lengths >> l & 1 ? names->phrase(names->ctx, text, &stem) : -1;
	/* A person's name in another spelling stands for the person, as if
	 * someone had declared it. */
	if (r < 0 && l > 1 && person_word(nz, m[0]) && names->variant(names->ctx, text, &stem))
		r = 1;
	struct memo_phrase p = { nz->phrase_keys.len, l, (int8_t)r, nz->phrase_put.len, 0 };
	for (uint32_t k = 0; k < l; k++)
		array_push(&nz->phrase_keys, m[k]);
	if (r == 1) {
		slice_array split = { 0 };
		split_words(slice_from_cstr(stem), &split);
		for (uint32_t k = 0; k < split.len; k++) {
			struct memo_put w = { split.items[k], remember(nz, split.items[k]) };
			array_push(&nz->phrase_put, w);
		}
		p.n_put = split.len;
		array_free(&split);
	}
	array_push(&nz->phrases, p);
	nz->phrase_slots[slot] = nz->phrases.len;
	return &nz->phrases.items[nz->phrases.len - 1];
}

/* Normalised words: aliases replaced by the name of the note they stand
 * for. The longest phrase starting at each word wins, so "Priya
 * Natarajan" stays itself although "Priya" is one of its aliases. The
 * name is split into words as the fact was, so "Zoë Ólafsdóttir" and
 * "zoe olafsdottir" are the same words. */
static void canonical_words(struct normaliser *nz)
{
	const slice_array *raw = &nz->raw;
	for (uint32_t i = 0; i < raw->len;) {
		uint32_t max = raw->len - i < MAX_PHRASE_WORDS ? raw->len - i : MAX_PHRASE_WORDS;
		uint32_t lengths = nz->names ? phrase_lengths(nz, nz->raw_memo.items[i]) : 0;
		uint32_t longest = lengths ? 31 - (uint32_t)__builtin_clz(lengths) : 0;
		if (longest < max)
			max = longest;
		/* The longest phrase that is a name wins. */
		const struct memo_phrase *p = NULL;
		uint32_t take = 1;
		for (uint32_t l = max; l >= 1; l--) {
			p = phrase_at(nz, i, l, lengths);
			if (p->r >= 0) {
				take = l;
				break;
			}
		}
		if (p && p->r == 1) {
			for (uint32_t k = 0; k < p->n_put; k++) {
				const struct memo_put *w = &nz->phrase_put.items[p->put + k];
				array_push(&nz->words, w->text);
				array_push(&nz->memo_of, w->memo);
			}
		} else {
			for (uint32_t k = 0; k < take; k++) {
				array_push(&nz->words, raw->items[i + k]);
				array_push(&nz->memo_of, nz->raw_memo.items[i + k]);
			}
		}
		i += take;
	}
}

/*
 * The search key of an ASCII text is the text lower-cased, and its words
 * are its runs of letters and digits: one pass cuts them and finds their
 * memos. Most facts are ASCII; the others go the general way.
 */
static void ascii_words(struct normaliser *nz)
{
	strbuf_put(&nz->key, nz->plain.ptr, nz->plain.len);
	char *k = nz->key.ptr;
	size_t len = nz->key.len;
	for (size_t i = 0; i < len;) {
		for (; i < len; i++) {
			char c = k[i];
			if (c >= 'A' && c <= 'Z')
				k[i] = (char)(c + 32);
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				continue;
			break;
		}
		if (i == len)
			break;
		size_t s = i++;
		for (; i < len; i++) {
			char c = k[i];
			if (c >= 'A' && c <= 'Z')
				k[i] = (char)(c + 32);
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				break;
		}
		struct slice w = { k + s, i - s };
		array_push(&nz->raw, w);
		array_push(&nz->raw_memo, remember_hashed(nz, w, hash_str(w.ptr, w.len)));
	}
}

static bool is_ascii(const char *s, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (v & 0x8080808080808080ull)
			return false;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

void fact_words_normalise(struct normaliser *nz, const struct note *n, uint32_t item)
{
	nz->plain.len = 0;
	note_item_text(n, item, &nz->plain);
	nz->key.len = 0;
	nz->raw.len = 0;
	nz->raw_memo.len = 0;
	if (is_ascii(nz->plain.ptr, nz->plain.len)) {
		ascii_words(nz);
	} else {
		names_search_key((struct slice){ nz->plain.ptr, nz->plain.len }, &nz->key);
		split_words((struct slice){ nz->key.ptr ? nz->key.ptr : "", nz->key.len }, &nz->raw);
		for (uint32_t i = 0; i < nz->raw.len; i++)
			array_push(&nz->raw_memo, remember(nz, nz->raw.items[i]));
	}
	nz->words.len = 0;
	nz->memo_of.len = 0;
	canonical_words(nz);
}

/*
 * The words that are more than content, sorted, with what they are:
 *   - stop words carry no fact of their own: a fact that differs from
 *     another only in these says the same thing (negations are not
 *     among them);
 *   - negations turn a statement around: a fact with one and a fact
 *     without are never near duplicates ("t" is what is left of
 *     "doesn't");
 *   - directions are stop words that say which way: "valid to" and
 *     "valid from" differ.
 */
static const struct {
	const char *word;
	uint8_t flags;
} special_words[] = {
	{ "a", WORD_STOP }, { "about", WORD_STOP }, { "also", WORD_STOP }, { "an", WORD_STOP },
	{ "and", WORD_STOP }, { "approximately", WORD_STOP }, { "around", WORD_STOP },
	{ "as", WORD_STOP }, { "at", WORD_STOP }, { "be", WORD_STOP }, { "been", WORD_STOP },
	{ "by", WORD_STOP }, { "cannot", WORD_NEGATION }, { "for", WORD_STOP },
	{ "from", WORD_STOP | WORD_DIRECTION }, { "had", WORD_STOP }, { "has", WORD_STOP },
	{ "have", WORD_STOP }, { "he", WORD_STOP }, { "her", WORD_STOP }, { "his", WORD_STOP },
	{ "in", WORD_STOP }, { "into", WORD_STOP | WORD_DIRECTION }, { "is", WORD_STOP },
	{ "it", WORD_STOP }, { "its", WORD_STOP }, { "never", WORD_NEGATION },
	{ "no", WORD_NEGATION }, { "none", WORD_NEGATION }, { "nor", WORD_NEGATION },
	{ "not", WORD_NEGATION }, { "nothing", WORD_NEGATION }, { "of", WORD_STOP },
	{ "on", WORD_STOP }, { "or", WORD_STOP }, { "roughly", WORD_STOP }, { "she", WORD_STOP },
	{ "t", WORD_NEGATION }, { "that", WORD_STOP }, { "the", WORD_STOP },
	{ "their", WORD_STOP }, { "they", WORD_STOP }, { "this", WORD_STOP },
	{ "to", WORD_STOP | WORD_DIRECTION }, { "was", WORD_STOP }, { "were", WORD_STOP },
	{ "which", WORD_STOP }, { "who", WORD_STOP }, { "will", WORD_STOP },
	{ "with", WORD_STOP }, { "without", WORD_NEGATION },
};

/* The longest of them, and the letters they start with (bit c - 'a'):
 * every distinct word of every note is looked up, and most are ruled out
 * by these two before any comparison. */
#define SPECIAL_MAX_LEN 13
#define SPECIAL_FIRST                                                                    \
	(1u << ('a' - 'a') | 1u << ('b' - 'a') | 1u << ('c' - 'a') | 1u << ('f' - 'a') | \
	 1u << ('h' - 'a') | 1u << ('i' - 'a') | 1u << ('n' - 'a') | 1u << ('o' - 'a') | \
	 1u << ('r' - 'a') | 1u << ('s' - 'a') | 1u << ('t' - 'a') | 1u << ('w' - 'a'))

static uint8_t special_flags(const char *w, size_t len)
{
	unsigned char c = (unsigned char)w[0];
	if (len > SPECIAL_MAX_LEN || c < 'a' || c > 'z' || !(SPECIAL_FIRST >> (c - 'a') & 1))
		return 0;
	size_t lo = 0, hi = sizeof(special_words) / sizeof(special_words[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		/* Most steps differ in the first byte: no call for those. */
		int d = (int)c - (unsigned char)special_words[mid].word[0];
		if (!d)
			d = strcmp(w, special_words[mid].word);
		if (!d)
			return special_words[mid].flags;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static bool has_digit(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (w[i] >= '0' && w[i] <= '9')
			return true;
	return false;
}

/* w is NUL-terminated, len bytes. */
static uint8_t word_flags(const char *w, size_t len)
{
	return (uint8_t)(special_flags(w, len) | (has_digit(w, len) ? WORD_NUMBER : 0));
}


void fact_words_key(const struct fact_names *names, const struct note *n, uint32_t item,
		    struct strbuf *out)
{
	struct normaliser nz = { .names = names };
	fact_words_normalise(&nz, n, item);
	for (uint32_t i = 0; i < nz.words.len; i++) {
		if (i)
			strbuf_putc(out, ' ');
		strbuf_put(out, nz.words.items[i].ptr, nz.words.items[i].len);
	}
	fact_words_fini(&nz);
}
