/*
 * rank.h — the best names for what is typed: every note (by stem or
 * title) and every alias of the vault fuzzy-matched, and the best
 * RANK_MAX kept, people first, then projects, among equals. What
 * completion offers after "[[" and in people-key values; the parts of one
 * note (headings, block ids, names) are ranked with the same order.
 */
#ifndef VAULT_RANK_H
#define VAULT_RANK_H

#include "workspace.h"

#define RANK_MAX 100

struct rank_candidate {
	int score;
	uint8_t kind_rank;   /* people, then projects, first among equals */
	bool alias;          /* a note before an alias that scores the same */
	uint32_t order;      /* then document order (headings, blocks) */
	uint32_t note;
	int32_t key;         /* 0: the note by its stem, >= 2: an alias; or a heading/block index */
	const char *label;
	uint32_t label_len;  /* shorter labels first among equals */
};

/* The best RANK_MAX offered, kept in a heap whose root is the worst of
 * them until rank_sort. */
struct rank_top {
	struct rank_candidate items[RANK_MAX];
	uint32_t len;
};

struct rank_options {
	/* Score every key of every note, reading the notes, without the
	 * shortcuts: what the fast passes must give (for tests). */
	bool exhaustive;
	/* Split a pass over at least this many keys between two threads;
	 * 0: the default, 16,384 (tests set less, as in a large vault). */
	uint32_t split;
};

/* Keeps c if it is among the best so far; a note (or alias) offered again
 * keeps its best score. */
void rank_offer(struct rank_top *top, struct rank_candidate c);
/* Best first. */
void rank_sort(struct rank_top *top);
/* Is a ranked before b (the order rank_offer and rank_sort keep)? For
 * rankers of their own, to leave out what cannot make the list. */
bool rank_better(const struct rank_candidate *a, const struct rank_candidate *b);

/* Every note and alias matched against query (people only: kind person);
 * opts may be NULL. */
void rank_names(struct workspace *ws, struct slice query, bool people_only,
		const struct rank_options *opts, struct rank_top *top);
/* Attachments too, by file name, ranked with the notes. */
void rank_attachments(const struct workspace *ws, struct slice query, struct rank_top *top);

/* The search key of what is typed (names_search_key of it, trimmed). */
void rank_query_key(struct slice query, struct strbuf *key);

#endif
