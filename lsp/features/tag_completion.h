/*
 * tag_completion.h — completion of tags, for completion.c: the vault's
 * tags after '#' in a note's body and in a frontmatter tags: value.
 */
#ifndef VAULT_TAG_COMPLETION_H
#define VAULT_TAG_COMPLETION_H

#include "feature.h"

/* The CompletionList for the cursor when it is typing a tag; NULL when it
 * is not (a heading's '#', code, a URL, a wikilink...). */
json_t *tag_completion_list(struct feature_ctx *ctx, const struct ws_note *wn, uint32_t cursor);

#endif
