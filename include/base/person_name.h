/*
 * person_name.h — people's names compared as names, not as strings: keys
 * folded for case and accents and transliterated, split into tokens; the
 * Jaro–Winkler similarity, fit for short strings that differ by a letter
 * or two; and a phonetic key, so that names heard and written down by a
 * transcription pipeline ("Sohlberg", "Solberg") meet.
 */
#ifndef VAULT_PERSON_NAME_H
#define VAULT_PERSON_NAME_H

#include "util.h"

/* How letters without an ASCII spelling are written. */
enum person_name_spelling {
	/* ø, ö -> o; ä, å -> a; ü -> u; æ -> ae; ß -> ss; þ -> th; ð -> d;
	 * other accents dropped (names_search_key's spelling). */
	PERSON_NAME_SHORT,
	/* The German and Scandinavian transliterations: ä -> ae, ö -> oe,
	 * ü -> ue, ø -> oe, å -> aa (the rest as SHORT). */
	PERSON_NAME_LONG,
};

/* Appends the key of a name: lower-case ASCII letters and digits in the
 * given spelling, one space between tokens; anything else (punctuation,
 * hyphens, dots, apostrophes, runs of spaces) separates tokens, and a
 * token of other scripts is kept as its case-folded UTF-8. "Søren
 * Kjær-Hansen" -> "soren kjaer hansen" (SHORT), "soeren kjaer hansen"
 * (LONG). */
void person_name_key(struct slice name, enum person_name_spelling spelling, struct strbuf *out);

/* Splits a key (person_name_key) into its tokens; returns how many, at
 * most max (the rest are not counted). A run of spaces splits once. */
uint32_t person_name_tokens(struct slice key, struct slice *tokens, uint32_t max);

/* Jaro–Winkler similarity of two tokens, in [0, 1]: 1 when equal (and
 * when both are empty), 0 when they share nothing or one is empty; a
 * common prefix of up to 4 bytes raises it (scale 0.1, no threshold).
 * Symmetric. Bytes are compared (keys are ASCII); any length. */
double person_name_jaro_winkler(struct slice a, struct slice b);

/* The phonetic key of a token (a key's token, ASCII): what it sounds like
 * to a transcriber, written into out (NUL-terminated, at most
 * PERSON_NAME_PHONETIC_MAX - 1 bytes, never empty for a non-empty token).
 * Equal for spellings a listener cannot tell apart: silent h after a
 * consonant or before one ("sohlberg", "solberg"), doubled letters
 * ("jonn", "jon"), c/k/q/ch, ph/f/v/w, sch/sh, j/y before a vowel, z/s,
 * dt/tt and a final d, vowels after the first letter reduced to one class
 * ("jon", "jan" are equal: tell them apart by Jaro–Winkler). Different
 * for names that differ in a consonant ("berg", "borg" are equal; "berg",
 * "bert" are not). The rules, one by one, are in person_name.c. */
#define PERSON_NAME_PHONETIC_MAX 16
void person_name_phonetic(struct slice token, char out[PERSON_NAME_PHONETIC_MAX]);

#endif
