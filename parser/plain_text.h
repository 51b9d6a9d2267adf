/*
 * plain_text.h — private to parser/: one paragraph of inline Markdown as
 * plain text.
 */
#ifndef VAULT_PLAIN_TEXT_H
#define VAULT_PLAIN_TEXT_H

#include <stddef.h>

#include "util.h"

/* Renders out[first..] to plain text where it is: emphasis and code
 * markers dropped, [text](url) as its text, trailing blanks off. */
void plain_text_in_place(struct strbuf *out, size_t first);

#endif
