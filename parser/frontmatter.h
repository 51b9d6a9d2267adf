/*
 * frontmatter.h — private to parser/: the YAML frontmatter of a note.
 */
#ifndef VAULT_FRONTMATTER_H
#define VAULT_FRONTMATTER_H

struct note;

/*
 * Finds the frontmatter of n->text: sets n->body, and when there is one
 * n->has_frontmatter, n->fm_span, n->frontmatter and its views of
 * well-known keys (aliases, tags, type, name, title); sets n->fm_error for
 * invalid YAML or a frontmatter that never closes.
 */
void frontmatter_parse(struct note *n);

#endif
