/*
 * test_names.c — how names compare (names_fold: case folded, NFD) and
 * their search keys (names_search_key), on the spellings a vault holds:
 * precomposed as typed, decomposed as macOS names files, marks in either
 * order, capitals.
 */
#include "harness.h"
#include "names.h"
#include "nfd.h"

#include <stdlib.h>

static char *fold(const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	names_fold(slice_from_cstr(s), &b);
	return strbuf_detach(&b);
}

static char *key(const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	names_search_key(slice_from_cstr(s), &b);
	return strbuf_detach(&b);
}

/* Spellings of one name, each pair the same name. */
static const struct { const char *a, *b; } same[] = {
	{ "Caf\xc3\xa9", "Cafe\xcc\x81" },                 /* é, e + acute */
	{ "CAF\xc3\x89", "cafe\xcc\x81" },                 /* É, capital */
	{ "Zo\xc3\xab \xc3\x93lafsd\xc3\xb3ttir", "zoe\xcc\x88 o\xcc\x81lafsdo\xcc\x81ttir" },
	/* ậ: dot below (class 220) before circumflex (230), in any order */
	{ "\xe1\xba\xad", "a\xcc\xa3\xcc\x82" },
	{ "\xe1\xba\xad", "a\xcc\x82\xcc\xa3" },
	{ "\xe1\xbb\x86", "\xe1\xbb\x87" },                /* Ệ, ệ: beyond Latin-1 */
	{ "\xd0\x99", "\xd0\xb8\xcc\x86" },                /* Й, и + breve */
	{ "\xce\x86", "\xce\xb1\xcc\x81" },                /* Ά, α + acute */
	{ "\xed\x95\x9c", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab" }, /* 한, its jamo */
	{ "\xef\xa4\x80", "\xe8\xb1\x88" },                /* CJK compatibility U+F900 */
	{ "\xc3\x85ngstr\xc3\xb6m", "\xe2\x84\xab" "ngstro\xcc\x88m" }, /* Å, Ångström sign */
};

/* Different names: canonical equivalence is not accent folding. */
static const struct { const char *a, *b; } different[] = {
	{ "Caf\xc3\xa9", "Cafe" },
	{ "a\xcc\xa3\xcc\x82", "a\xcc\x82" },
	{ "\xc3\x86", "ae" },                              /* Æ does not decompose */
	{ "Le\xcc\x81" "a", "Lea\xcc\x81" },
};

static void test_fold(void)
{
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = fold(same[i].a), *b = fold(same[i].b);
		if (strcmp(a, b) != 0)
			fprintf(stderr, "pair %zu differs\n", i);
		STR_EQ(a, b);
		free(a);
		free(b);
	}
	for (size_t i = 0; i < sizeof(different) / sizeof(different[0]); i++) {
		char *a = fold(different[i].a), *b = fold(different[i].b);
		OK(strcmp(a, b) != 0);
		free(a);
		free(b);
	}
	/* ASCII: lower case, nothing else. Invalid UTF-8 is kept, byte for
	 * byte, even amid marks. */
	char *f = fold("Project LIGHTHOUSE #2");
	STR_EQ(f, "project lighthouse #2");
	free(f);
	f = fold("a\xcc\x82\xff\xcc\xa3");
	STR_EQ(f, "a\xcc\x82\xff\xcc\xa3");
	free(f);
	/* A run of 100 marks (more than are sorted at once) costs nothing and
	 * loses none. */
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, 'x');
	for (int i = 0; i < 100; i++)
		strbuf_puts(&b, i % 2 ? "\xcc\x81" : "\xcc\xa3");
	f = fold(b.ptr);
	INT_EQ(strlen(f), b.len);
	free(f);
	strbuf_fini(&b);
}

/* Every code point: its fold is already in NFD (folding it again changes
 * nothing), and a code point's decomposition has no piece that decomposes
 * again. */
static void test_every_code_point(void)
{
	int unstable = 0, deep = 0;
	for (uint32_t c = 1; c < 0x110000; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		uint32_t d[NFD_MAX], e[NFD_MAX];
		unsigned n = nfd_decompose(c, d);
		for (unsigned k = 0; k < n; k++)
			deep += nfd_decompose(d[k], e) != 1 || e[0] != d[k];
		if (c % 7 != 0 && c > 0x3000)
			continue; /* folding every code point twice is slow under ASan */
		unsigned char u[4];
		size_t len;
		if (c < 0x80) {
			u[0] = (unsigned char)c;
			len = 1;
		} else if (c < 0x800) {
			u[0] = (unsigned char)(0xC0 | c >> 6);
			u[1] = (unsigned char)(0x80 | (c & 0x3F));
			len = 2;
		} else if (c < 0x10000) {
			u[0] = (unsigned char)(0xE0 | c >> 12);
			u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			u[2] = (unsigned char)(0x80 | (c & 0x3F));
			len = 3;
		} else {
			u[0] = (unsigned char)(0xF0 | c >> 18);
			u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
			u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			u[3] = (unsigned char)(0x80 | (c & 0x3F));
			len = 4;
		}
		struct strbuf once, twice;
		strbuf_init(&once);
		strbuf_init(&twice);
		names_fold((struct slice){ (const char *)u, len }, &once);
		names_fold((struct slice){ once.ptr, once.len }, &twice);
		if (once.len != twice.len || memcmp(once.ptr, twice.ptr, once.len) != 0) {
			fprintf(stderr, "U+%04X: folding its fold changes it\n", c);
			unstable++;
		}
		strbuf_fini(&once);
		strbuf_fini(&twice);
	}
	INT_EQ(unstable, 0);
	INT_EQ(deep, 0);
	/* Combining classes the tables must know. */
	INT_EQ(nfd_ccc('a'), 0);
	INT_EQ(nfd_ccc(0x301), 230);
	INT_EQ(nfd_ccc(0x323), 220);
	INT_EQ(nfd_ccc(0x5B0), 10);   /* Hebrew sheva */
	INT_EQ(nfd_ccc(0x1E94A), 7);  /* the last mark of Unicode 14 */
	INT_EQ(nfd_ccc(0x1F600), 0);  /* an emoji */
}

static void test_search_key(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "Zo\xc3\xab \xc3\x93lafsd\xc3\xb3ttir", "zoe olafsdottir" },
		{ "Zoe\xcc\x88 O\xcc\x81lafsdo\xcc\x81ttir", "zoe olafsdottir" },
		{ "Nguy\xe1\xbb\x85n", "nguyen" },       /* ễ, precomposed */
		{ "Nguye\xcc\x82\xcc\x83n", "nguyen" },  /* and decomposed */
		{ "Stra\xc3\x9f" "e", "strasse" },
		{ "\xed\x95\x9c", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab" },
		{ "caf\xff\xc3\xa9", "cafe" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = key(cases[i].in);
		STR_EQ(k, cases[i].want);
		free(k);
	}
}

/* The map keeps one id in its entry and more in an array: every
 * transition between the two, with removals, against a plain list. */
static void test_map(void)
{
	struct name_map *m = name_map_new();
	uint32_t want[64][40], nwant[64] = { 0 };
	uint32_t seed = 7;
	int wrong = 0;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t k = (seed >> 8) % 64, id = (seed >> 16) % 40;
		char key[16];
		snprintf(key, sizeof(key), "k%u", k);
		uint32_t at = 0;
		while (at < nwant[k] && want[k][at] != id)
			at++;
		if ((seed >> 4) % 3 == 0) {
			name_map_remove(m, slice_from_cstr(key), id);
			if (at < nwant[k]) {
				memmove(&want[k][at], &want[k][at + 1], (nwant[k] - at - 1) * sizeof(uint32_t));
				nwant[k]--;
			}
		} else {
			name_map_add(m, slice_from_cstr(key), id);
			if (at == nwant[k])
				want[k][nwant[k]++] = id;
		}
		uint32_t n;
		const uint32_t *ids = name_map_get(m, slice_from_cstr(key), &n);
		wrong += n != nwant[k] || (n && memcmp(ids, want[k], n * sizeof(uint32_t)) != 0);
	}
	INT_EQ(wrong, 0);
	uint32_t n;
	OK(name_map_get(m, slice_from_cstr("absent"), &n) == NULL && n == 0);
	name_map_free(m);
}

int main(void)
{
	test_map();
	test_fold();
	test_every_code_point();
	test_search_key();
	return harness_done("test_names");
}
