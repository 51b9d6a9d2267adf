/*
 * unlinked_impl.h — what the files of the unlinked-mentions module
 * (unlinked.h) share: unlinked.c (the index: names, their mentions, kept
 * up to date; the API) and unlinked_scan.c (the vault's words, and one
 * note's prose read for names).
 */
#ifndef VAULT_UNLINKED_IMPL_H
#define VAULT_UNLINKED_IMPL_H

#include "prose.h"
#include "unlinked.h"
#include "workspace_impl.h"

/* Names of more words are titles, not names: never searched for. */
#define UNLINKED_MAX_WORDS 8
/* No word longer than this (in bytes, as a search key) is a name's. */
#define UNLINKED_MAX_WORD 200
#define NO_WORD 0xFF

/* The first word of a name (its search key), and how many words the
 * names it starts have: whether a word of prose may start one. Only
 * added to: a stale length costs a lookup. */
struct fword {
	uint32_t hash, key;    /* key: offset of the text in firsts.text */
	uint32_t len;
	uint32_t lens;         /* bit l - 1: a name of l words starts with it;
				* LENS_CAPITAL: the name of this one word counts
				* only capitalised inside a sentence */
};
#define LENS_CAPITAL (1u << 31)

/* Bits of the filters below: 4 KB and 8 KB, read for every word of
 * prose, so they had better stay in the nearest cache. */
#define FIRST_BITS (1u << 15)
#define PAIR_BITS (1u << 16)

struct firsts {
	ARRAY(struct fword) words;
	struct fslot { uint32_t hash, id1; } *slots; /* id1 = id + 1; 0 empty */
	uint32_t slot_cap;
	ARRAY(char) text;
	/* Most words of prose start no name: a bit per hash of the first
	 * words says so without a probe of the slots; and a bit per hash of
	 * the first two words of each longer name, whether two words of prose
	 * may start one. */
	uint64_t first_bits[FIRST_BITS / 64];
	uint64_t pair_bits[PAIR_BITS / 64];
};

struct holder {
	uint32_t note;
	bool stem;             /* as its stem (else a name: or an alias) */
};

/* A name (search key, words separated as unlinked.h says) that some note
 * has or had, and how many times the vault's prose writes it. Where, the
 * notes' counts say (unote.mentions), and the texts, read again. */
struct uname {
	uint32_t hash;
	uint32_t key, key_len; /* in unlinked.name_text */
	uint32_t total;        /* mentions in all notes */
	uint8_t words;
	uint8_t upper_word;    /* the word the text must capitalise, or NO_WORD */
	bool mid_sentence;     /* ... and not as the first of a sentence */
	bool live_indexed;     /* the counts were made with it held (holders > 0) */
	bool queued;           /* in unlinked.changed */
	ARRAY(struct holder) holders;
};

struct mcount {
	uint32_t name, n;
};

/*
 * What the index knows of one note: the names it holds, the names its
 * prose writes (and how often), and a Bloom filter of its prose's words,
 * which says, for a name no note held before, whether the note may write
 * it: a name's words must all be there. The filter has four to eight bits
 * a distinct word (two set for each: a fifth to two fifths of its bits are
 * set), so a word passes it by chance once in six to twenty-five times,
 * and a name of two words once in forty to six hundred.
 */
struct unote {
	ARRAY(uint32_t) names;     /* the unames it holds, once each */
	struct mcount *mentions;   /* the unames its prose writes, by name id */
	uint32_t n_mentions;
	uint8_t *bloom;            /* 1 << bloom_log2 bytes; NULL: never read */
	uint8_t bloom_log2;
	bool dirty;                /* in unlinked.dirty: to read again */
};

struct wkey {
	uint32_t off, len;         /* in scratch keys */
	uint32_t hash;
	uint32_t lens;             /* firsts' lens, 0 if no name starts with it */
};

/* What reading a note needs, kept from one note to the next: one per
 * thread reading notes. */
struct scratch {
	struct prose_spans spans;
	struct prose_word_list words;
	ARRAY(char) keys;          /* the words' search keys, one after the other */
	ARRAY(struct wkey) wkeys;
	struct strbuf tmp;
	ARRAY(char) phrase;        /* the name being looked up */
	ARRAY(uint32_t) prefix;
	ARRAY(struct mcount) counts;
	ARRAY(uint8_t) bloom;
};

struct unlinked {
	struct firsts firsts;
	ARRAY(struct uname) names;
	struct nslot { uint32_t hash, id1; } *name_slots; /* by key; id1 = id + 1 */
	uint32_t name_cap;
	ARRAY(char) name_text;
	ARRAY(struct unote) notes; /* by note id */
	struct id_list changed;    /* unames whose holders changed */
	struct id_list dirty;      /* notes to read again */
	unsigned threads;          /* for building it */
	struct scratch sc;         /* the owner thread's */
};

/* What a name is as text searches for it. */
struct name_shape {
	uint32_t first_len;    /* of its first word's key, sc.keys' start */
	uint32_t second_len;   /* of the second's, right after it (0: none) */
	uint8_t words, upper_word;
	bool mid_sentence;
};

/* unlinked_scan.c: the key of a name (in sc->phrase, NUL-terminated; its
 * words' keys one after the other in sc->keys) and its shape; false when
 * it is no name text is searched for. */
bool unlinked_name_key(struct scratch *sc, struct slice name, struct name_shape *shape);
/* The id of the name with this key (added if new: *added). */
uint32_t unlinked_name_id(struct unlinked *u, const char *key, uint32_t len, bool *added);
/* A name of this shape starts with the words in sc's keys (as
 * unlinked_name_key leaves them). */
void unlinked_first_word(struct unlinked *u, const struct scratch *sc, const struct name_shape *shape);
/* Who a name is the mention of: its one stem holder, else its one holder;
 * -1 for nobody (held by none, or by several). */
int32_t unlinked_owner(const struct uname *nm);
/* How many times note un's prose writes name `name`. */
uint32_t unlinked_note_count(const struct unote *un, uint32_t name);
/*
 * Reads note src's prose for names, changing nothing but sc and:
 * with out NULL, its entry un (its counts, which the caller adds to the
 * names' totals, and its filter); else appending the mentions it makes of
 * other notes to out. Several threads may read notes at once, each with
 * its own sc and notes.
 */
void unlinked_scan(const struct unlinked *u, struct scratch *sc, const struct workspace *ws,
		   uint32_t src, struct unote *un, struct unlinked_list *out);
void unlinked_scratch_fini(struct scratch *sc);
/* Appends to out the notes whose filter holds every word of name nm. */
void unlinked_sources(struct unlinked *u, const struct uname *nm, struct id_list *out);

#endif
