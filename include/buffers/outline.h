/*
 * outline.h — the heading outline of one open buffer, from its live
 * syntax tree: what documentSymbol shows and what sections fold by.
 */
#ifndef VAULT_OUTLINE_H
#define VAULT_OUTLINE_H

#include "syntax.h"

struct symbol {
	uint8_t level;         /* heading level 1..6 */
	struct span name;      /* the heading's text, trimmed, without '#'s */
	struct span range;     /* the whole section: heading to end of section */
	struct span selection; /* the heading line(s), without the line break */
	int32_t parent;        /* index of the enclosing heading's symbol, or -1 */
};

struct symbol_list { struct symbol *items; uint32_t len, cap; }; /* an ARRAY */

/*
 * The heading outline, in document order, with parents for nesting: the
 * ATX and setext headings at the top level of the document (not those in
 * list items or block quotes). A section runs from its heading to the
 * next heading of the same or a higher level, without trailing blank
 * lines. A name may be empty ("#" alone) and a setext name may span lines.
 * Replaces the contents of *out (initialise it to { 0 }); caller frees
 * out->items.
 */
void outline_symbols(const struct syntax *s, struct symbol_list *out);

#endif
