/*
 * note_item.h — the list items of a parsed note (struct list_item, in
 * note_types.h) as a fact needs them: line, task marker, plain text.
 */
#ifndef VAULT_NOTE_ITEM_H
#define VAULT_NOTE_ITEM_H

#include "note_types.h"
#include "util.h"

/* The item's line (see struct list_item): from line_start to the end of
 * span, or for an item without a paragraph to the end of the marker's line. */
struct span note_item_line(const struct note *note, uint32_t item);

/* 0 for a plain item, else the character in "[ ]" / "[x]" / "[?]" that
 * starts its span (one ASCII character, followed by a blank or the end). */
char note_item_task(const struct note *note, uint32_t item);

/*
 * Appends the plain text of list item `item`'s first paragraph: Markdown
 * rendered to text by cmark (emphasis and code markers dropped, [text](url)
 * as its text), each wikilink as its display text or else its target, the
 * task marker and a trailing block id dropped. Nothing for an empty item.
 */
void note_item_text(const struct note *note, uint32_t item, struct strbuf *out);

#endif
