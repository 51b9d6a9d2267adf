/*
 * inline.h — private to parser/: the scanner for what cmark does not know.
 *
 * Wikilinks, embeds, block ids and tags inside the text of one leaf block,
 * plus the block's code spans (which hide all of those).
 */
#ifndef VAULT_INLINE_H
#define VAULT_INLINE_H

#include "note_types.h"

/*
 * Scans t[range) — the inline text of one paragraph or heading,
 * continuation lines' container prefixes included — and appends its code
 * spans to note->zones and its links, tags and block ids to note->links,
 * note->tags and note->blocks. A block id found at the end of one of its
 * lines names `block`. Call in document order: the arrays stay sorted by
 * start only if the ranges come in increasing order.
 *
 * t is note->text, or a copy of it of the same length with its comments
 * blanked (body.c): offsets are the same in both, and what a comment holds
 * is then never seen.
 */
void inline_scan(struct note *note, const char *t, struct span range, struct span block);

/* Appends only the code spans of t[range) to note->zones. */
void inline_code_spans(struct note *note, const char *t, struct span range);

#endif
