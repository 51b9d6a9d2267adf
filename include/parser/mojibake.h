/*
 * mojibake.h — finds UTF-8 text that was once decoded as Mac Roman or
 * Windows-1252 and encoded as UTF-8 again, and says what it stood for:
 * "cafÃ©" is "café", "‚Äô" is "’", "üìÖ" is "📅" (Mac Roman's Apple logo,
 * standing for the emoji's first byte, got lost on the way).
 *
 * Pure: no I/O, no state between calls.
 */
#ifndef VAULT_MOJIBAKE_H
#define VAULT_MOJIBAKE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* One garbled stretch of text: span is a byte range of the text given to
 * mojibake_find(); fixed is the UTF-8 it stands for, NUL-terminated, owned by
 * the list. Replacing span by fixed repairs the text. */
struct mojibake {
	struct span span;
	char *fixed;
};

/* An ARRAY(struct mojibake): zero-initialise, free with mojibake_list_free(). */
struct mojibake_list {
	struct mojibake *items;
	uint32_t len, cap;
};

/*
 * Appends to out every stretch of mojibake in text[0..len), in increasing
 * order of position, none overlapping; consecutive garbled characters make
 * one stretch ("üìÖ‚è´" is one, fixed to "📅⏫").
 *
 * Precision comes before recall: genuine text in any language never gives a
 * finding, so ambiguous stretches are left alone (a single "É™" after
 * capitals is a trademark, not an Azerbaijani "ə"). Decisions are per line:
 * a line with one certain finding gets its ambiguous ones repaired too.
 *
 * Takes any bytes (NULs, invalid UTF-8, which is skipped); linear in len.
 * Only the first UINT32_MAX bytes are looked at (spans are 32-bit).
 */
void mojibake_find(const char *text, size_t len, struct mojibake_list *out);

/* Frees every item's fixed string and the array, and leaves l empty.
 * Accepts NULL. */
void mojibake_list_free(struct mojibake_list *l);

#endif
