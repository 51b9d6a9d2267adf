/*
 * garble.h — private to parser/: what garbled characters, and the ones
 * repair gives, look like (garble.c), for the finder in mojibake.c.
 */
#ifndef VAULT_GARBLE_H
#define VAULT_GARBLE_H

#include <stdbool.h>
#include <stdint.h>

/* "No character": outside the line, or an invalid byte. */
#define NO_CHAR UINT32_MAX

/* One character of a run: where it starts, what it is. */
struct ch {
	uint32_t off;
	uint32_t cp;
};

static inline bool ascii_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool ascii_alnum(uint32_t c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* A letter of a word: ASCII, or an accented letter garbling produces.
 * False for NO_CHAR. */
bool garble_letter(uint32_t c);

/* Combining marks, variation selectors and tags: they only make sense
 * after a base character. */
bool garble_combining(uint32_t cp);

/* Could garbling have produced cp, decoded from an n-byte sequence (4 for
 * an emoji whose lead byte was lost)? */
bool garble_plausible(uint32_t cp, unsigned n);

/* Plausible but unusual: weak pieces that decode to these are never
 * repaired, and the encoding with fewer of them wins. */
bool garble_weird(uint32_t cp);

/* Is the garbled text m[0..n) — prev and next are the characters around it
 * (NO_CHAR if none) — wrong in a way genuine text is not? */
bool garble_strong(const struct ch *m, uint32_t n, uint32_t prev, uint32_t next);

/* Does a stretch of three or more characters standing for one read as
 * ordinary text all the same? */
bool garble_ordinary(const struct ch *m, uint32_t n);

#endif
