/*
 * symbol_index.h — every heading and block id of the vault, for
 * workspace/symbol: ranked against a query with the completion ranker
 * (rank.h), as completion ranks note names.
 *
 * A vault of 100,000 notes holds about a million headings, most of them
 * the same few ("Summary", "Action Items"): the table holds each distinct
 * search key once, with the places it is written, grouped as the name
 * table is (by first byte, by the letters that start its words), so a
 * query looks at the keys it may match and scores each once. Built on
 * first use, then kept up to date note by note.
 */
#ifndef VAULT_SYMBOL_INDEX_H
#define VAULT_SYMBOL_INDEX_H

#include "rank.h"
#include "workspace.h"

/* What symbol_index_rank offers, in rank_candidate.order: a note (order
 * 0, from rank_names) before a heading, then a block id, then a tag, among
 * equal scores and kinds. */
enum { SYMBOL_ORDER_HEADING = 1, SYMBOL_ORDER_BLOCK = 2, SYMBOL_ORDER_TAG = 3 };

/*
 * Offers to top the headings and block ids whose search key matches query
 * (names_search_key of both; an empty query matches none): score as
 * fuzzy_score, kind_rank the note's (people, then projects, first), alias
 * true (a note before its parts), order SYMBOL_ORDER_HEADING or _BLOCK,
 * label the search key, and key symbol_index_key(slot). A note's slots
 * number its headings, then its block ids: slot i < headings.len is
 * note->headings.items[i], else note->blocks.items[i - headings.len].
 */
void symbol_index_rank(struct workspace *ws, struct slice query, struct rank_top *top);

/* The rank_candidate.key of a slot: negative, so that it is never a note
 * name's (0, or an alias's >= 2) nor a tag's (1); and the slot of one, or
 * -1 when the key is not a slot's. */
static inline int32_t symbol_index_key(uint32_t slot) { return (int32_t)slot - (1 << 24); }
static inline int32_t symbol_index_slot(int32_t key)
{
	return key < 0 && key >= -(1 << 24) ? key + (1 << 24) : -1;
}

/* What the table holds, for tests and the benchmarks: distinct keys (live
 * ones: written somewhere), places, and bytes allocated. Builds it. */
struct symbol_index_stats {
	uint32_t keys, live_keys, places;
	size_t bytes;
};
void symbol_index_stats(struct workspace *ws, struct symbol_index_stats *out);

#endif
