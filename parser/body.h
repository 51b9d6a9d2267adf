/*
 * body.h — private to parser/: the Markdown body of a note.
 */
#ifndef VAULT_BODY_H
#define VAULT_BODY_H

struct note;

/*
 * Parses n->text from n->body on (frontmatter_parse has run): the note's
 * headings, list items, links, block ids, tags and zones, each array in
 * source order.
 */
void body_parse(struct note *n);

#endif
