/*
 * tags_impl.h — what the files of the tags module (tags.h) share: tags.c
 * (the index, its upkeep and its questions) and tags_read.c (the tags a
 * note writes). A file's helpers here are named after it.
 */
#ifndef VAULT_TAGS_IMPL_H
#define VAULT_TAGS_IMPL_H

#include "tags.h"

/* A tag longer than this is no tag anyone means (a pasted blob): left out,
 * and so is nesting deeper than TAG_MAX_DEPTH, so that a tag costs its
 * length a few times over, whatever its shape. */
#define TAG_MAX_BYTES 1024
#define TAG_MAX_DEPTH 16

/* A tag as written, '#' and trailing '/' dropped: "" when nothing is left
 * (or it is too long). */
struct slice tags_read_bare(struct slice t);
/* Its key: names_fold into tmp (reset first). */
struct slice tags_read_fold(struct slice t, struct strbuf *tmp);
/* Calls fn on every tag the note writes, as written ('#' included):
 * inline tags, then frontmatter ones. */
void tags_read_each(const struct note *n, void (*fn)(void *ctx, struct span s), void *ctx);
/* Is key nested under parent ("a/b" under "a"; not "ab")? */
bool tags_read_nested_under(struct slice key, struct slice parent);
/* Is the tag written w (bare) the tag of this key, or with nested, one
 * nested under it? tmp: scratch for folding. */
bool tags_read_matches(struct slice w, struct slice key, bool nested, struct strbuf *tmp);

#endif
