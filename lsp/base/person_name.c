/* person_name.c — people's names as keys, tokens, similarities and sounds. */
#include "person_name.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

/* --- Keys ---------------------------------------------------------------- */

/* The letters PERSON_NAME_LONG spells out, as they stand after names_fold
 * (case-folded NFD): the base letter and its combining mark, or ø, which
 * does not decompose. */
static const struct {
	const char *from, *to;
} long_spelling[] = {
	{ "a\xcc\x88", "ae" }, /* ä */
	{ "o\xcc\x88", "oe" }, /* ö */
	{ "u\xcc\x88", "ue" }, /* ü */
	{ "a\xcc\x8a", "aa" }, /* å */
	{ "\xc3\xb8", "oe" },  /* ø */
};

static void put_long_spelling(struct slice folded, struct strbuf *out)
{
	for (size_t i = 0; i < folded.len;) {
		size_t k = 0;
		for (; k < sizeof(long_spelling) / sizeof(long_spelling[0]); k++) {
			size_t n = strlen(long_spelling[k].from);
			if (n <= folded.len - i &&
			    memcmp(folded.ptr + i, long_spelling[k].from, n) == 0) {
				strbuf_puts(out, long_spelling[k].to);
				i += n;
				break;
			}
		}
		if (k == sizeof(long_spelling) / sizeof(long_spelling[0]))
			strbuf_putc(out, folded.ptr[i++]);
	}
}

/* Code points that separate tokens beyond ASCII: the blocks of spaces,
 * punctuation and symbols a name can carry (no-break space, typographic
 * apostrophes and dashes, the modifier-letter apostrophe, the katakana
 * middle dot of "ジョン・スミス", ideographic and full-width punctuation,
 * emoji). Every other code point is taken for a letter of some script and
 * stays in its token: no table of letters, which names.c does not have
 * either, and a symbol missed here only joins two tokens. */
static const struct {
	uint32_t lo, hi;
} separators[] = {
	{ 0x80, 0xBF },       /* C1 controls, Latin-1 punctuation and signs */
	{ 0xD7, 0xD7 },       /* × */
	{ 0xF7, 0xF7 },       /* ÷ */
	{ 0x2B0, 0x2FF },     /* modifier letters: ʼ ˈ ... */
	{ 0x5BE, 0x5BE },     /* Hebrew maqaf (its hyphen) */
	{ 0x5F3, 0x5F4 },     /* geresh, gershayim */
	{ 0x2000, 0x206F },   /* general punctuation: spaces, dashes, quotes */
	{ 0x2190, 0x2BFF },   /* arrows, mathematical and other symbols */
	{ 0x2E00, 0x2E7F },   /* supplemental punctuation */
	{ 0x3000, 0x3003 },   /* ideographic space, comma, full stop */
	{ 0x3008, 0x301F },   /* CJK brackets and quotes */
	{ 0x30FB, 0x30FB },   /* katakana middle dot */
	{ 0xFE10, 0xFE1F },   /* vertical forms */
	{ 0xFE30, 0xFE6F },   /* CJK compatibility and small forms */
	{ 0xFEFF, 0xFEFF },   /* byte order mark */
	{ 0xFF01, 0xFF0F },   /* full-width punctuation */
	{ 0xFF1A, 0xFF20 },
	{ 0xFF3B, 0xFF40 },
	{ 0xFF5B, 0xFF65 },
	{ 0x1F000, 0x1FAFF }, /* emoji and pictographs */
};

static bool is_separator(uint32_t c)
{
	if (c < 0x80)
		return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9'));
	for (size_t i = 0; i < sizeof(separators) / sizeof(separators[0]); i++)
		if (c >= separators[i].lo && c <= separators[i].hi)
			return true;
	return false;
}

static uint32_t decode(const unsigned char *u, size_t n)
{
	if (n == 1)
		return u[0];
	uint32_t c = u[0] & (0xFF >> (n + 1));
	for (size_t k = 1; k < n; k++)
		c = (c << 6) | (u[k] & 0x3F);
	return c;
}

static void reset(struct strbuf *b)
{
	b->len = 0;
	b->ptr[0] = '\0';
}

/* The key of a name of ASCII alone, whichever the spelling (both spell
 * out only letters beyond ASCII): its letters and digits, lower-cased, a
 * space between runs. Most mentions and most names are such. */
static void ascii_key(struct slice name, struct strbuf *out)
{
	bool in_token = false, any = false;
	for (size_t i = 0; i < name.len; i++) {
		unsigned char c = (unsigned char)name.ptr[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
			alnum = true;
		}
		if (!alnum) {
			in_token = false;
			continue;
		}
		if (!in_token && any)
			strbuf_putc(out, ' ');
		strbuf_putc(out, (char)c);
		in_token = any = true;
	}
}

void person_name_key(struct slice name, enum person_name_spelling spelling, struct strbuf *out)
{
	size_t k = 0;
	while (k < name.len && (unsigned char)name.ptr[k] < 0x80)
		k++;
	if (k == name.len) {
		ascii_key(name, out);
		return;
	}
	struct strbuf a, b;
	strbuf_init(&a);
	strbuf_init(&b);
	/* Invalid bytes become spaces first: names_fold would keep them and
	 * names_search_key drop them, joining "ab\xffcd" into one token. (A
	 * NUL stays, and separates like any ASCII punctuation.) */
	const unsigned char *u = (const unsigned char *)name.ptr;
	for (size_t i = 0; i < name.len;) {
		size_t n = utf8_seq_len(u + i, name.len - i);
		if (!n) {
			strbuf_putc(&a, ' ');
			i++;
			continue;
		}
		strbuf_put(&a, name.ptr + i, n);
		i += n;
	}
	if (spelling == PERSON_NAME_LONG) {
		/* Folded to NFD first, so that "ä" precomposed or decomposed,
		 * capital or not, is the one sequence the table names. */
		names_fold((struct slice){ a.ptr, a.len }, &b);
		reset(&a);
		put_long_spelling((struct slice){ b.ptr, b.len }, &a);
		reset(&b);
	}
	names_search_key((struct slice){ a.ptr, a.len }, &b);

	/* b is the search key, valid UTF-8: cut it into tokens. */
	u = (const unsigned char *)b.ptr;
	bool in_token = false, any = false;
	for (size_t i = 0; i < b.len;) {
		size_t n = utf8_seq_len(u + i, b.len - i);
		if (!n || is_separator(decode(u + i, n))) {
			in_token = false;
			i += n ? n : 1;
			continue;
		}
		if (!in_token && any)
			strbuf_putc(out, ' ');
		strbuf_put(out, b.ptr + i, n);
		in_token = any = true;
		i += n;
	}
	strbuf_fini(&a);
	strbuf_fini(&b);
}

uint32_t person_name_tokens(struct slice key, struct slice *tokens, uint32_t max)
{
	/* Runs of spaces count as one, so a key written by hand splits too. */
	uint32_t n = 0;
	for (size_t i = 0; i < key.len && n < max;) {
		if (key.ptr[i] == ' ') {
			i++;
			continue;
		}
		size_t start = i;
		while (i < key.len && key.ptr[i] != ' ')
			i++;
		tokens[n++] = (struct slice){ key.ptr + start, i - start };
	}
	return n;
}

/* --- Jaro–Winkler -------------------------------------------------------- */

double person_name_jaro_winkler(struct slice a, struct slice b)
{
	if (a.len == 0 && b.len == 0)
		return 1.0;
	if (a.len == 0 || b.len == 0)
		return 0.0;
	/* Greedy matching is not quite symmetric ("which 'a' of b did a's
	 * first 'a' take?"): one order for both, so that a name is as close
	 * to another as that one is to it. */
	if (a.len > b.len || (a.len == b.len && a.len && memcmp(a.ptr, b.ptr, a.len) > 0)) {
		struct slice t = a;
		a = b;
		b = t;
	}
	size_t longer = a.len > b.len ? a.len : b.len;
	size_t window = longer / 2 >= 1 ? longer / 2 - 1 : 0;

	/* Which bytes of each found a match: names fit the stack; a token of
	 * any length still works, from the heap. */
	bool stack[2 * 64];
	bool *flags = a.len + b.len <= sizeof(stack) / sizeof(stack[0])
			      ? stack
			      : xmalloc((a.len + b.len) * sizeof(bool));
	bool *ma = flags, *mb = flags + a.len;
	memset(flags, 0, (a.len + b.len) * sizeof(bool));

	size_t matches = 0;
	for (size_t i = 0; i < a.len; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < b.len ? i + window + 1 : b.len;
		for (size_t j = lo; j < hi; j++) {
			if (mb[j] || a.ptr[i] != b.ptr[j])
				continue;
			ma[i] = mb[j] = true;
			matches++;
			break;
		}
	}
	double sim = 0.0;
	if (matches) {
		/* Matched bytes taken in order on both sides: each pair that
		 * differs is half a transposition, and an odd count keeps its
		 * half, as Jaro defines it. */
		size_t half = 0;
		for (size_t i = 0, j = 0; i < a.len; i++) {
			if (!ma[i])
				continue;
			while (!mb[j])
				j++;
			half += a.ptr[i] != b.ptr[j];
			j++;
		}
		double m = (double)matches;
		double jaro = (m / (double)a.len + m / (double)b.len +
			       (m - (double)half / 2.0) / m) / 3.0;
		size_t prefix = 0;
		while (prefix < 4 && prefix < a.len && prefix < b.len &&
		       a.ptr[prefix] == b.ptr[prefix])
			prefix++;
		sim = jaro + (double)prefix * 0.1 * (1.0 - jaro);
	}
	if (flags != stack)
		free(flags);
	return sim;
}

/* --- Phonetic key -------------------------------------------------------- */

/*
 * The rules, applied left to right on the lower-cased token; each writes
 * one code (a letter), and a code equal to the one before it is written
 * once, so doubled letters ("jonn", "ll", "ck" = k k) collapse:
 *
 *   vowels a e i o u, and y when not before a vowel: the first letter of
 *     the token keeps its own vowel; every later run of vowels is one
 *     "a" ("sohlberg" = "salberg", "mueller" = "muller"; "jon" = "jan"
 *     too: Jaro–Winkler on the tokens tells those apart);
 *   y before a vowel, and j: j ("maya" = "maja");
 *   c before e, i, y: s ("cecilie" = "sesilie"); ch: k ("christian" =
 *     "kristian", "michael" = "mikael"); other c, k, q: k;
 *   qu: k then f ("quist" = "kvist"); x: k then s;
 *   sch, sh: x, the one sound ("schmidt" = "schmitt", but not "smith":
 *     another name, not a mishearing);
 *   ph, f, v, w: f ("philip" = "filip", "olaf" = "olav", "wolf" = "volf");
 *   z: s; tz: s ("schultz" = "schulz");
 *   d before t, and d ending the token: t ("schmidt", "schmid", "schmit");
 *   h: silent after a consonant ("katharina" = "katarina", "thomas" =
 *     "tomas") and wherever no vowel follows ("sohlberg", "dahl", "sarah",
 *     "hjalmar" = "jalmar"); kept before a vowel otherwise ("hansen" is
 *     not "jansen", "johan" is not "joan");
 *   b g l m n p r s t: themselves; b/p, d/t, g/k stay apart ("berg" is
 *     not "bert");
 *   digits and bytes of other scripts: themselves, never collapsed; any
 *     other ASCII byte: nothing.
 *
 * The key stops at PERSON_NAME_PHONETIC_MAX - 1 bytes (never inside a
 * UTF-8 sequence); a token that wrote nothing ("h") keys as its first
 * byte, so no token's key is empty.
 */

struct phonetic {
	char *out;
	size_t n;
	char last; /* the last code written, 0 after one that never collapses */
};

static bool room(const struct phonetic *p, size_t n)
{
	return p->n + n < PERSON_NAME_PHONETIC_MAX;
}

static void emit(struct phonetic *p, char c)
{
	if (c == p->last || !room(p, 1))
		return;
	p->out[p->n++] = c;
	p->last = c;
}

static char lower(const struct slice t, size_t i)
{
	if (i >= t.len)
		return 0;
	char c = t.ptr[i];
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static void emit_vowel(struct phonetic *p, char c)
{
	if (p->n == 0) {
		emit(p, c);
		p->last = 'a'; /* the vowels after it are its own run */
	} else {
		emit(p, 'a');
	}
}

void person_name_phonetic(struct slice t, char out[PERSON_NAME_PHONETIC_MAX])
{
	struct phonetic p = { out, 0, 0 };
	for (size_t i = 0; i < t.len && room(&p, 1); i++) {
		unsigned char byte = (unsigned char)t.ptr[i];
		if (byte >= 0x80) {
			size_t n = utf8_seq_len((const unsigned char *)t.ptr + i, t.len - i);
			if (!n)
				n = 1;
			if (!room(&p, n))
				break;
			memcpy(p.out + p.n, t.ptr + i, n);
			p.n += n;
			p.last = 0;
			i += n - 1;
			continue;
		}
		char c = lower(t, i), next = lower(t, i + 1), after = lower(t, i + 2);
		switch (c) {
		case 'a': case 'e': case 'i': case 'o': case 'u':
			emit_vowel(&p, c);
			break;
		case 'y':
			if (is_vowel(next) && next != 'y')
				emit(&p, 'j');
			else
				emit_vowel(&p, c);
			break;
		case 'c':
			if (next == 'h') {
				emit(&p, 'k');
				i++;
			} else {
				emit(&p, next == 'e' || next == 'i' || next == 'y' ? 's' : 'k');
			}
			break;
		case 'k':
			emit(&p, 'k');
			break;
		case 'q':
			emit(&p, 'k');
			if (next == 'u') {
				emit(&p, 'f');
				i++;
			}
			break;
		case 'x':
			emit(&p, 'k');
			emit(&p, 's');
			break;
		case 's':
			if (next == 'c' && after == 'h') {
				emit(&p, 'x');
				i += 2;
			} else if (next == 'h') {
				emit(&p, 'x');
				i++;
			} else {
				emit(&p, 's');
			}
			break;
		case 'p':
			if (next == 'h') {
				emit(&p, 'f');
				i++;
			} else {
				emit(&p, 'p');
			}
			break;
		case 'f': case 'v': case 'w':
			emit(&p, 'f');
			break;
		case 'z':
			emit(&p, 's');
			break;
		case 't':
			if (next == 'z') {
				emit(&p, 's');
				i++;
			} else {
				emit(&p, 't');
			}
			break;
		case 'd':
			emit(&p, next == 't' || i + 1 == t.len ? 't' : 'd');
			break;
		case 'h': {
			char prev = i ? lower(t, i - 1) : 0;
			bool after_consonant = prev >= 'a' && prev <= 'z' && !is_vowel(prev);
			if (!after_consonant && is_vowel(next))
				emit(&p, 'h');
			break;
		}
		case 'b': case 'g': case 'j': case 'l': case 'm':
		case 'n': case 'r':
			emit(&p, c);
			break;
		default:
			if (c >= '0' && c <= '9') {
				emit(&p, c);
				p.last = 0;
			}
			break;
		}
	}
	if (p.n == 0 && t.len > 0)
		p.out[p.n++] = t.ptr[0] ? lower(t, 0) : '?';
	p.out[p.n] = '\0';
}
