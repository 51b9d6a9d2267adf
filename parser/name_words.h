/*
 * name_words.h — private to parser/: the words of prose as mentions.c reads
 * them: Latin letters by case, and what kind of word a token is.
 */
#ifndef VAULT_NAME_WORDS_H
#define VAULT_NAME_WORDS_H

#include "util.h"

enum name_word_kind {
	NAME_WORD_CAP,      /* a capitalised word (see mentions.h) */
	NAME_WORD_STOP,     /* ... that is a stop word: "The", "Monday" */
	NAME_WORD_PARTICLE, /* van, von, de, da, di, del, der, den, du, la, le, af, av, bin, ibn, al */
	NAME_WORD_LOWER,    /* another all lower-case word */
	NAME_WORD_OTHER,    /* anything else: digits, inner capitals, "a.b", "x@y" */
};

/* Decodes the code point at t[p] (end bounds it) into *cp; an invalid
 * byte is one U+FFFD. Returns its length in bytes, at least 1. */
uint32_t name_words_decode(const char *t, uint32_t p, uint32_t end, uint32_t *cp);

/* A letter (of any script), a digit or a combining mark: what a token is
 * made of. */
bool name_words_is_word(uint32_t cp);

/* Characters that join two word characters into one token: "Kjær-Hansen",
 * "O'Brien", "Kari's", and "example.com", "kari@firma.no", "Kari/Ola",
 * which are then not names. */
bool name_words_is_connector(uint32_t cp);

/*
 * Classifies the token t[s, e) (word characters joined by connectors).
 * Each part between connectors is checked on its own. *name_end is e less
 * a final possessive "'s" (then *possessive is set); *letters counts the
 * letters of the name (not the possessive's).
 */
enum name_word_kind name_words_classify(const char *t, uint32_t s, uint32_t e,
					 uint32_t *name_end, uint32_t *letters, bool *possessive);

/* The shape of a token of ASCII letters and digits, as its bytes are read. */
enum {
	NAME_SHAPE_FIRST_UPPER = 1, /* its first byte is A-Z */
	NAME_SHAPE_INNER_UPPER = 2, /* another byte is */
	NAME_SHAPE_DIGIT = 4,       /* a byte is 0-9 */
};

/* Whether s[0, len) is one of the particles (lower case, 2 or 3 letters)
 * or one of the stop words (capitalised, 9 letters at most). */
bool name_words_is_particle(const char *s, uint32_t len);
bool name_words_is_stop_word(const char *s, uint32_t len);

/*
 * name_words_classify of t[s, e), a token of ASCII letters and digits
 * only (so: no possessive, *name_end is e, *letters e - s), from its shape
 * (NAME_SHAPE_*), which the caller has from finding its end: most words
 * of prose, without decoding them again. Inline: it is called for each.
 */
static inline enum name_word_kind name_words_classify_ascii(const char *t, uint32_t s, uint32_t e,
							   unsigned shape)
{
	if (shape & NAME_SHAPE_DIGIT)
		return NAME_WORD_OTHER;
	if (shape & NAME_SHAPE_FIRST_UPPER) {
		/* "K" alone is no capitalised word, nor is "McDonald". */
		if (e - s < 2 || (shape & NAME_SHAPE_INNER_UPPER))
			return NAME_WORD_OTHER;
		return name_words_is_stop_word(t + s, e - s) ? NAME_WORD_STOP : NAME_WORD_CAP;
	}
	if (shape & NAME_SHAPE_INNER_UPPER)
		return NAME_WORD_OTHER;
	return e - s <= 3 && name_words_is_particle(t + s, e - s) ? NAME_WORD_PARTICLE
								    : NAME_WORD_LOWER;
}

#endif
