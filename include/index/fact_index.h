/*
 * fact_index.h — facts across the notes of the vault: which notes hold a
 * fact with the same normalised words (facts_normalise), for cross-note
 * duplicates; and the vault's names as the normalising sees them.
 */
#ifndef VAULT_FACT_INDEX_H
#define VAULT_FACT_INDEX_H

#include "workspace.h"

/* Facts of fewer words are not facts: neither compared nor indexed. */
#define FACT_MIN_WORDS 3

/*
 * The notes holding a fact with these normalised words (facts_normalise).
 * The index behind it is built on the first call — every fact of the
 * vault is normalised once — and kept up to date from then on, so only a
 * user who turns cross-note duplicates on pays for it.
 */
const uint32_t *fact_index_notes(struct workspace *ws, struct slice fact, uint32_t *n);

/* Fills out with ws's names (workspace_phrase, workspace_phrase_lengths)
 * for fact_words.h; returns it, or NULL when ws is NULL (no names). */
struct fact_names;
const struct fact_names *fact_index_names(const struct workspace *ws, struct fact_names *out);

#endif
