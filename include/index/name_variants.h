/*
 * name_variants.h — the places in a note that name a person in a spelling
 * the vault does not declare: each people-key frontmatter value, name on
 * a "**With**:" line and name-shaped run in prose (mentions.h) that
 * identity.h calls a probable variant of one person's card. (Unresolved
 * links are the link diagnostics' to judge, with the same identity_match.)
 */
#ifndef VAULT_NAME_VARIANTS_H
#define VAULT_NAME_VARIANTS_H

#include "identity.h"

struct name_variant {
	struct span span;            /* the mention, in the note's text */
	struct slice text;           /* what it says (a quoted value decoded) */
	struct identity_match match; /* verdict IDENTITY_VARIANT */
};

struct name_variant_list { struct name_variant *items; uint32_t len, cap; };

/* Appends note id's probable variants, in text order. Nothing when
 * identity is turned off, or for an attachment. */
void name_variants_find(struct workspace *ws, uint32_t id, struct name_variant_list *out);

#endif
