/*
 * test_person_name.c — names as a transcription pipeline writes them:
 * their keys in both spellings (Nordic, German, French, Polish, Czech,
 * other scripts, punctuation, initials), their tokens, Jaro–Winkler
 * against published values, phonetic keys that must and must not meet,
 * and random bytes that must not crash any of it.
 */
#include "harness.h"
#include "person_name.h"

#include <math.h>
#include <stdlib.h>

static char *key(const char *s, size_t len, enum person_name_spelling sp)
{
	struct strbuf b;
	strbuf_init(&b);
	person_name_key((struct slice){ s, len }, sp, &b);
	return strbuf_detach(&b);
}

/* A name, its SHORT key and its LONG key. */
static const struct {
	const char *name, *short_key, *long_key;
} keys[] = {
	{ "S\xc3\xb8ren Kj\xc3\xa6r-Hansen", "soren kjaer hansen", "soeren kjaer hansen" },
	{ "Ragnhild Sohlberg", "ragnhild sohlberg", "ragnhild sohlberg" },
	{ "  Ragnhild \t  Solberg \n", "ragnhild solberg", "ragnhild solberg" },
	{ "R. Solberg", "r solberg", "r solberg" },
	{ "Solberg, R.", "solberg r", "solberg r" },
	{ "Kasimirdahl", "kasimirdahl", "kasimirdahl" },
	/* German: precomposed, decomposed, capitals */
	{ "M\xc3\xbcller", "muller", "mueller" },
	{ "Mu\xcc\x88ller", "muller", "mueller" },
	{ "M\xc3\x9cLLER", "muller", "mueller" },
	{ "MU\xcc\x88LLER", "muller", "mueller" },
	{ "J\xc3\xbcrgen Stra\xc3\x9f" "e", "jurgen strasse", "juergen strasse" },
	{ "G\xc3\xb6tz B\xc3\xa4r", "gotz bar", "goetz baer" },
	{ "Go\xcc\x88tz Ba\xcc\x88r", "gotz bar", "goetz baer" },
	/* Nordic */
	{ "\xc3\x85sa \xc3\x96" "berg", "asa oberg", "aasa oeberg" },
	{ "A\xcc\x8a" "sa O\xcc\x88" "berg", "asa oberg", "aasa oeberg" },
	{ "\xc3\xa5se \xc3\xb6" "berg", "ase oberg", "aase oeberg" },
	{ "\xc3\x98rjan \xc3\x98" "deg\xc3\xa5rd", "orjan odegard", "oerjan oedegaard" },
	{ "\xc3\x86var \xc3\x86r\xc3\xb8", "aevar aero", "aevar aeroe" },
	{ "\xc3\x9e\xc3\xb3ra Gu\xc3\xb0mundsd\xc3\xb3ttir", "thora gudmundsdottir", "thora gudmundsdottir" },
	{ "Aagaard", "aagaard", "aagaard" },
	/* French, apostrophes straight and typographic */
	{ "Jean-Fran\xc3\xa7ois Lef\xc3\xa8vre", "jean francois lefevre", "jean francois lefevre" },
	{ "\xc3\x89mile d'Orl\xc3\xa9" "ans", "emile d orleans", "emile d orleans" },
	{ "O\xe2\x80\x99" "Brien", "o brien", "o brien" },
	{ "Zo\xc3\xab", "zoe", "zoe" },
	/* Polish, Czech */
	{ "\xc5\x81ukasz Wr\xc3\xb3" "blewski", "lukasz wroblewski", "lukasz wroblewski" },
	{ "Zbigniew Brz\xc4\x99" "czyszczykiewicz", "zbigniew brzeczyszczykiewicz",
	  "zbigniew brzeczyszczykiewicz" },
	{ "Anton\xc3\xadn Dvo\xc5\x99\xc3\xa1k", "antonin dvorak", "antonin dvorak" },
	{ "Ji\xc5\x99\xc3\xad \xc5\xa0\xc5\xa5" "astn\xc3\xbd", "jiri stastny", "jiri stastny" },
	/* Separators beyond ASCII: no-break space, em dash, modifier apostrophe */
	{ "Anna\xc2\xa0" "Berg", "anna berg", "anna berg" },
	{ "Anna\xe2\x80\x94" "Berg", "anna berg", "anna berg" },
	{ "Ol\xca\xbc" "ha", "ol ha", "ol ha" },
	/* Other scripts: case-folded, kept */
	{ "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd \xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2",
	  "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd \xd0\xbf\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2",
	  "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd \xd0\xbf\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2" },
	{ "\xce\xa3\xcf\x89\xce\xba\xcf\x81\xce\xac\xcf\x84\xce\xb7\xcf\x82", /* Σωκράτης */
	  "\xcf\x83\xcf\x89\xce\xba\xcf\x81\xce\xb1\xcf\x84\xce\xb7\xcf\x82",
	  "\xcf\x83\xcf\x89\xce\xba\xcf\x81\xce\xb1\xcf\x84\xce\xb7\xcf\x82" },
	{ "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e", "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",
	  "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e" },                      /* 王小明 */
	{ "\xe3\x83\x9e\xe3\x83\xaa\xe3\x82\xa2\xe3\x83\xbb\xe3\x82\xb9\xe3\x83\x9f\xe3\x82\xb9",
	  "\xe3\x83\x9e\xe3\x83\xaa\xe3\x82\xa2 \xe3\x82\xb9\xe3\x83\x9f\xe3\x82\xb9",
	  "\xe3\x83\x9e\xe3\x83\xaa\xe3\x82\xa2 \xe3\x82\xb9\xe3\x83\x9f\xe3\x82\xb9" }, /* マリア・スミス */
	{ "Kari Berg 2", "kari berg 2", "kari berg 2" },
	/* Nothing to key, and invalid UTF-8: a separator, never a letter */
	{ "", "", "" },
	{ " -- . ' ", "", "" },
	{ "ab\xff" "cd", "ab cd", "ab cd" },
	{ "Ola\xc3", "ola", "ola" },
	{ "\xe2\x82 N\xc3\xb8kk", "nokk", "noekk" },
};

static void test_keys(void)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *n = keys[i].name;
		char *s = key(n, strlen(n), PERSON_NAME_SHORT);
		char *l = key(n, strlen(n), PERSON_NAME_LONG);
		if (strcmp(s, keys[i].short_key) || strcmp(l, keys[i].long_key))
			fprintf(stderr, "key case %zu: %s\n", i, n);
		STR_EQ(s, keys[i].short_key);
		STR_EQ(l, keys[i].long_key);
		free(s);
		free(l);
	}
	/* A NUL inside the name separates as well. */
	char *k = key("Ola\0Berg", 8, PERSON_NAME_SHORT);
	STR_EQ(k, "ola berg");
	free(k);
	/* Appends: what the buffer held stays. */
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "x:");
	person_name_key(SLICE_LIT("Jon Berg"), PERSON_NAME_SHORT, &b);
	STR_EQ(b.ptr, "x:jon berg");
	strbuf_fini(&b);
}

static void test_tokens(void)
{
	struct slice t[4];
	INT_EQ(person_name_tokens(SLICE_LIT("soren kjaer hansen"), t, 4), 3);
	OK(slice_eq_cstr(t[0], "soren") && slice_eq_cstr(t[1], "kjaer") &&
	   slice_eq_cstr(t[2], "hansen"));
	INT_EQ(person_name_tokens(SLICE_LIT("soren kjaer hansen"), t, 2), 2);
	OK(slice_eq_cstr(t[1], "kjaer"));
	INT_EQ(person_name_tokens(SLICE_LIT(""), t, 4), 0);
	INT_EQ(person_name_tokens(SLICE_LIT("jon"), t, 0), 0);
	INT_EQ(person_name_tokens(SLICE_LIT("  a  b "), t, 4), 2);
	OK(slice_eq_cstr(t[0], "a") && slice_eq_cstr(t[1], "b"));
}

/* Published values (Winkler's examples, as quoted with the algorithm),
 * and values worked by hand: jon/jan has m = 2, no transposition, Jaro
 * 7/9, prefix 1. */
static const struct {
	const char *a, *b;
	double want;
} jw[] = {
	{ "MARTHA", "MARHTA", 0.961 },
	{ "DWAYNE", "DUANE", 0.840 },
	{ "DIXON", "DICKSONX", 0.813 },
	{ "JELLYFISH", "SMELLYFISH", 0.896 },
	{ "CRATE", "TRACE", 0.733 },
	{ "jon", "jan", 0.800 },
	{ "berg", "berg", 1.0 },
	{ "abc", "xyz", 0.0 },
	{ "a", "a", 1.0 },
	{ "a", "b", 0.0 },
	{ "ab", "ba", 0.0 }, /* window max(2, 2) / 2 - 1 = 0 */
	{ "", "", 1.0 },
	{ "", "solberg", 0.0 },
};

static double jaro_winkler(const char *a, const char *b)
{
	return person_name_jaro_winkler(slice_from_cstr(a), slice_from_cstr(b));
}

static void test_jaro_winkler(void)
{
	for (size_t i = 0; i < sizeof(jw) / sizeof(jw[0]); i++) {
		double ab = jaro_winkler(jw[i].a, jw[i].b);
		double ba = jaro_winkler(jw[i].b, jw[i].a);
		if (fabs(ab - jw[i].want) >= 0.0005)
			fprintf(stderr, "%s/%s: %.4f, want %.3f\n", jw[i].a, jw[i].b,
				ab, jw[i].want);
		OK(fabs(ab - jw[i].want) < 0.0005);
		OK(ab == ba);
	}
	/* The names of issue 16: a letter more or less stays close. */
	OK(jaro_winkler("sohlberg", "solberg") > 0.95);
	OK(jaro_winkler("ragnild", "ragnhild") > 0.95);
	OK(jaro_winkler("jonn", "jon") > jaro_winkler("jon", "jan"));

	/* Tokens longer than any buffer: equal is 1, disjoint 0, the last of
	 * 300 bytes changed still close (m = 299, no transposition). */
	size_t n = 300;
	char *a = malloc(n + 1), *b = malloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		a[i] = (char)('a' + i % 26);
		b[i] = (char)('A' + i % 26);
	}
	a[n] = b[n] = '\0';
	OK(jaro_winkler(a, a) == 1.0);
	OK(jaro_winkler(a, b) == 0.0);
	memcpy(b, a, n);
	b[n - 1] = '#';
	double d = jaro_winkler(a, b), j = (299.0 / 300 * 2 + 1) / 3;
	OK(fabs(d - (j + 0.4 * (1 - j))) < 1e-9);
	free(a);
	free(b);
}

/* Random tokens over a small alphabet (so that they share letters):
 * bounds, symmetry, identity. */
static void test_jaro_winkler_random(void)
{
	uint32_t seed = 16;
	int bad = 0;
	for (int round = 0; round < 20000; round++) {
		char a[100], b[100];
		size_t la, lb;
		seed = seed * 1103515245u + 12345u;
		la = (seed >> 16) % (round % 50 == 0 ? 100 : 12);
		seed = seed * 1103515245u + 12345u;
		lb = (seed >> 16) % (round % 50 == 0 ? 100 : 12);
		for (size_t i = 0; i < la || i < lb; i++) {
			seed = seed * 1103515245u + 12345u;
			if (i < la)
				a[i] = (char)('a' + (seed >> 16) % 4);
			if (i < lb)
				b[i] = (char)('a' + (seed >> 20) % 4);
		}
		struct slice sa = { a, la }, sb = { b, lb };
		double ab = person_name_jaro_winkler(sa, sb);
		double ba = person_name_jaro_winkler(sb, sa);
		bad += !(ab >= 0.0 && ab <= 1.0) || ab != ba ||
		       person_name_jaro_winkler(sa, sa) != 1.0 ||
		       ((la != lb || memcmp(a, b, la) != 0) && ab == 1.0);
	}
	INT_EQ(bad, 0);
}

static const char *phonetic(const char *token)
{
	static char out[PERSON_NAME_PHONETIC_MAX];
	person_name_phonetic(slice_from_cstr(token), out);
	return out;
}

/* Tokens and their keys: one or more cases for each rule. */
static const struct {
	const char *token, *want;
} sounds[] = {
	{ "sohlberg", "salbarg" }, /* h before a consonant; vowels one class */
	{ "solberg", "salbarg" },
	{ "ragnhild", "ragnalt" }, /* h after a consonant; final d */
	{ "ragnild", "ragnalt" },
	{ "jonn", "jan" },         /* doubled letters */
	{ "olsen", "olsan" },      /* the first vowel is kept */
	{ "aasen", "asan" },       /* ... with the vowels after it */
	{ "eivind", "efant" },
	{ "hansen", "hansan" },    /* h before a vowel */
	{ "sarah", "sara" },       /* h at the end */
	{ "hjalmar", "jalmar" },   /* h at the start, before a consonant */
	{ "johan", "jahan" },      /* h between vowels */
	{ "christian", "krastan" },/* ch */
	{ "cecilie", "sasala" },   /* c before e, i */
	{ "dirck", "dark" },       /* ck */
	{ "quist", "kfast" },      /* qu */
	{ "alex", "alaks" },       /* x */
	{ "schmidt", "xmat" },     /* sch, dt */
	{ "fisher", "faxar" },     /* sh */
	{ "philip", "falap" },     /* ph */
	{ "gustav", "gastaf" },    /* v */
	{ "wolf", "falf" },        /* w */
	{ "schultz", "xals" },     /* tz */
	{ "maya", "maja" },        /* y before a vowel */
	{ "yngve", "yngfa" },      /* y before a consonant: a vowel */
	{ "h", "h" },              /* never empty */
	{ "--", "-" },
	{ "kari2", "kara2" },      /* digits */
	{ "ll22", "l22" },         /* digits never collapse */
	{ "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd", "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd" },
};

/* Pairs a listener cannot tell apart, and pairs that differ by a
 * consonant (Jaro–Winkler is left to tell vowels apart: "jon" = "jan"). */
static const struct {
	const char *a, *b;
} sound_same[] = {
	{ "sohlberg", "solberg" }, { "jonn", "jon" }, { "kjaer", "kjaer" },
	{ "mueller", "muller" }, { "schmidt", "schmitt" }, { "schmid", "schmidt" },
	{ "philip", "filip" }, { "katharina", "katarina" },
	{ "kristian", "christian" }, { "dahl", "dal" }, { "jon", "jan" },
	{ "solberg", "salberg" }, { "berg", "borg" }, { "olaf", "olav" },
	{ "gustaf", "gustav" }, { "eriksen", "erichsen" }, { "ericsson", "eriksson" },
	{ "nielsen", "nilsen" }, { "pettersen", "petersen" }, { "cecilie", "sesilie" },
	{ "quist", "kvist" }, { "maya", "maja" }, { "alex", "aleks" },
	{ "schulz", "schultz" }, { "fischer", "fisher" }, { "michael", "mikael" },
	{ "thomas", "tomas" }, { "sarah", "sara" }, { "hjalmar", "jalmar" },
	{ "zander", "sander" }, { "walter", "valter" }, { "arnold", "arnolt" },
	{ "oeystein", "oystein" }, { "aasen", "asen" },
	{ "SOHLBERG", "solberg" },
};

static const struct {
	const char *a, *b;
} sound_different[] = {
	{ "berg", "bert" }, { "hansen", "jansen" }, { "olsen", "nilsen" },
	{ "schmidt", "smith" }, { "johan", "joan" }, { "berg", "berk" },
	{ "jensen", "hansen" }, { "petersen", "pedersen" }, { "anna", "hanna" },
	{ "karin", "karina" }, { "lars", "lasse" },
	{ "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd", "ivan" },
};

static void test_phonetic(void)
{
	for (size_t i = 0; i < sizeof(sounds) / sizeof(sounds[0]); i++)
		STR_EQ(phonetic(sounds[i].token), sounds[i].want);
	char a[PERSON_NAME_PHONETIC_MAX];
	for (size_t i = 0; i < sizeof(sound_same) / sizeof(sound_same[0]); i++) {
		snprintf(a, sizeof(a), "%s", phonetic(sound_same[i].a));
		STR_EQ(a, phonetic(sound_same[i].b));
	}
	for (size_t i = 0; i < sizeof(sound_different) / sizeof(sound_different[0]); i++) {
		snprintf(a, sizeof(a), "%s", phonetic(sound_different[i].a));
		if (!strcmp(a, phonetic(sound_different[i].b)))
			fprintf(stderr, "%s, %s both %s\n", sound_different[i].a,
				sound_different[i].b, a);
		OK(strcmp(a, phonetic(sound_different[i].b)) != 0);
	}
	/* Long tokens stop at the bound, and never inside a character:
	 * seven 2-byte letters fit in 15 bytes, not eight. */
	const char *k = phonetic("brzeczyszczykiewiczowna");
	INT_EQ(strlen(k), PERSON_NAME_PHONETIC_MAX - 1);
	k = phonetic("\xd0\xb8\xd0\xb8\xd0\xb8\xd0\xb8\xd0\xb8\xd0\xb8\xd0\xb8\xd0\xb8\xd0\xb8");
	INT_EQ(strlen(k), 14);
	OK(utf8_valid(k, strlen(k)));
	/* An empty token has an empty key. */
	STR_EQ(phonetic(""), "");
}

/* Random bytes, valid UTF-8 or not, through everything: keys are valid
 * UTF-8 with single spaces and are their own keys; tokens' sounds are
 * bounded and never empty; similarities stay in [0, 1]. ASan checks the
 * reads. */
static void test_random_bytes(void)
{
	static const char *const pieces[] = {
		"a", "K", "sch", " ", "-", "'", ".", "\xc3\xb8", "\xc3\x85",
		"a\xcc\x88", "\xcc\x8a", "\xcc\x88", "\xd0\x98", "\xe7\x8e\x8b",
		"\xe3\x83\xbb", "\xc2\xa0", "\xe2\x80\x99", "\xff", "\xc3", "\xe2\x82",
		"\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xaf", "9", "h", "\t",
	};
	uint32_t seed = 42;
	int bad = 0;
	for (int round = 0; round < 3000; round++) {
		char name[256];
		size_t len = 0;
		seed = seed * 1103515245u + 12345u;
		size_t parts = (seed >> 16) % 24;
		for (size_t p = 0; p < parts; p++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = seed >> 16;
			if (r % 5 == 0) {
				name[len++] = (char)(r >> 3); /* any byte, NUL too */
				continue;
			}
			const char *s = pieces[r % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(name + len, s, strlen(s));
			len += strlen(s);
		}
		for (int sp = PERSON_NAME_SHORT; sp <= PERSON_NAME_LONG; sp++) {
			char *k = key(name, len, (enum person_name_spelling)sp);
			size_t kl = strlen(k);
			bad += !utf8_valid(k, kl) || strstr(k, "  ") != NULL ||
			       (kl && (k[0] == ' ' || k[kl - 1] == ' '));
			char *again = key(k, kl, (enum person_name_spelling)sp);
			bad += strcmp(k, again) != 0;
			struct slice t[16];
			uint32_t n = person_name_tokens((struct slice){ k, kl }, t, 16);
			for (uint32_t i = 0; i < n; i++) {
				char out[PERSON_NAME_PHONETIC_MAX];
				memset(out, 'z', sizeof(out));
				person_name_phonetic(t[i], out);
				bad += memchr(out, '\0', sizeof(out)) == NULL || out[0] == '\0';
				double s = person_name_jaro_winkler(t[i], t[n - 1 - i]);
				bad += !(s >= 0.0 && s <= 1.0);
			}
			free(k);
			free(again);
		}
		/* Raw bytes as a token, which no key would give. */
		char out[PERSON_NAME_PHONETIC_MAX];
		person_name_phonetic((struct slice){ name, len }, out);
		bad += memchr(out, '\0', sizeof(out)) == NULL;
	}
	INT_EQ(bad, 0);
}

int main(void)
{
	test_keys();
	test_tokens();
	test_jaro_winkler();
	test_jaro_winkler_random();
	test_phonetic();
	test_random_bytes();
	return harness_done("test_person_name");
}
