/*
 * facts.h — facts of a note that repeat: word for word, nearly, or inside
 * a longer fact. A fact is a list item's first paragraph as plain text
 * (note_item_text) of at least FACT_MIN_WORDS words (fact_index.h).
 *
 * Before comparing, a fact is normalised: case and accents folded,
 * punctuation dropped, and every alias of a note replaced by that note's
 * name, so "Ragnar Eriksson shared ..." equals "Ragnar Eiriksson shared ...".
 *
 *  - duplicate: the same normalised words as an earlier fact.
 *  - near duplicate: a later fact whose content words (stop words such as
 *    "the", "at", "for", "about" aside, plurals folded) overlap an earlier
 *    one's with a Dice coefficient >= threshold, whose numbers (dates,
 *    amounts) are the same, and that are both negated or both not.
 *  - subsumed: a shorter fact whose words all appear, in order and nearly
 *    contiguous, in a longer one.
 * Each fact gets at most one finding, the strongest, against the earliest
 * fact it concerns. Candidate pairs come from an index of rare words
 * (prefix filtering), so a note with thousands of facts is not compared
 * pair by pair.
 */
#ifndef VAULT_FACTS_H
#define VAULT_FACTS_H

#include "fact_index.h"
#include "workspace.h"

/* A bound on pathological notes (thousands of facts sharing their rarest
 * words): a fact's near duplicates are looked for among the first this
 * many distinct earlier facts that share one of its rarest words (whether
 * or not their numbers and negations could match), and the facts it may be
 * contained in among the first this many holding its rarest word. */
#define FACT_MAX_CANDIDATES 4000

enum fact_kind { FACT_DUPLICATE, FACT_NEAR_DUPLICATE, FACT_SUBSUMED };

struct fact_finding {
	uint32_t item;      /* the list item flagged (index into note->items) */
	uint32_t other;     /* the list item it repeats or is contained in */
	uint8_t kind;       /* enum fact_kind */
	double similarity;  /* near duplicates: the Dice coefficient */
};

struct fact_findings { struct fact_finding *items; uint32_t len, cap; };

/* Appends the findings of note id, sorted by item. ws is used to replace
 * aliases by names. */
void facts_find(const struct workspace *ws, uint32_t id, double threshold,
		struct fact_findings *out);

/* The normalised words of a fact, joined by single spaces (for tests and
 * cross-note comparison: fact_index_notes). Appends to out. */
void facts_normalise(const struct workspace *ws, const struct note *n, uint32_t item,
		     struct strbuf *out);

/* The near-duplicate similarity (Dice of content words) of two list items,
 * or -1 when they cannot be near duplicates whatever it is (different
 * numbers, one negated, parallel facts or words in another order, as on
 * a person card): for measuring the threshold. */
double facts_similarity(const struct workspace *ws, const struct note *n, uint32_t a, uint32_t b);

#endif
