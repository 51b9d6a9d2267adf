/*
 * inline.h — private to parser/: the scanner for what cmark does not know.
 *
 * Wikilinks, embeds, block ids and tags inside the text of one leaf block,
 * plus the block's code spans (which hide all of those).
 */
#ifndef VAULT_INLINE_H
#define VAULT_INLINE_H

#include "note.h"

/*
 * Scans note->text[range) — the inline text of one paragraph or heading,
 * continuation lines' container prefixes included — and appends its code
 * spans to note->zones and its links, tags and block ids to note->links,
 * note->tags and note->blocks. A block id found at the end of one of its
 * lines names `block`. Call in document order: the arrays stay sorted by
 * start only if the ranges come in increasing order.
 */
void inline_scan(struct note *note, struct span range, struct span block);

#endif
