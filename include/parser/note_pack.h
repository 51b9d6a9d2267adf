/*
 * note_pack.h — a parsed note to bytes and back: how the index cache
 * keeps every note's model across restarts, so that a note unchanged on
 * disk is neither read nor parsed again.
 *
 * The text is not part of the bytes: the caller stores it beside them and
 * copies it straight into the note note_pack_read allocates (a vault's text
 * is most of the cache, and one copy of 600 MB less is a tenth of a
 * second). Pointers become indexes (frontmatter nodes in pre-order) and
 * come back as pointers into the note's own allocations.
 */
#ifndef VAULT_NOTE_PACK_H
#define VAULT_NOTE_PACK_H

#include "binio.h"
#include "note_types.h"

/* Appends everything of note but its text to out. Some arrays go as
 * they are in memory: bytes for this build's layout of them, which
 * note_pack_layout fingerprints (a reader of another layout must refuse
 * them). */
void note_pack(const struct note *note, struct strbuf *out);
uint64_t note_pack_layout(void);

/*
 * Rebuilds a note from what note_pack wrote, for a text of text_len bytes
 * that the caller then copies to *text (text_len bytes; the NUL after them
 * is set here). Every span and offset is checked against text_len, every
 * index against its array and every count against the bytes left, so
 * that no bytes whatever make a note whose reading goes out of bounds:
 * NULL (and r failed) on anything out of range. The note is one
 * allocation with its frontmatter tree beside it, as note_parse makes it;
 * note_free frees it.
 */
struct note *note_pack_read(struct binio_reader *r, uint32_t text_len, char **text);

#endif
