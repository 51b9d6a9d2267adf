/*
 * comments.h — private to parser/: where a note's comments are ("%%...%%",
 * "<!--...-->"), and what cmark and the inline scanner read instead.
 */
#ifndef VAULT_COMMENTS_H
#define VAULT_COMMENTS_H

#include "blocks.h"

/* Might t[from, len) hold a comment? The only cost a note without one pays. */
bool comments_may_exist(const char *t, uint32_t from, uint32_t len);

/* The comments of the body [from, n->len) into c->comments, from the
 * blocks cmark made of the text as written (c->blocks); the paragraphs,
 * headings and HTML blocks of that parse into leaves, for
 * comments_keep_blocks. */
void comments_find(struct ctx *c, uint32_t from, struct leaf_array *leaves);

/* Would the text with its comments blanked have the same blocks? Then it
 * need not be parsed again. */
bool comments_keep_blocks(const struct ctx *c, const struct leaf_array *leaves);

/* Blanks the comments in src, a copy of the note's text, at the same
 * offsets. */
void comments_blank(const struct ctx *c, char *src);

/* Makes n->zones (sorted by start) disjoint, as note_in_zone needs. */
void comments_disjoint_zones(struct note *n);

#endif
