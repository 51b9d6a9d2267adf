/*
 * fact_words.h — the words of a fact: a list item's plain text cut into
 * search-key words, each alias of a note replaced by that note's name,
 * and each distinct word interned once with what it is (a stop word, a
 * negation, a number, a direction; its plural and its root).
 *
 * Knows no workspace: the names come through struct fact_names, which
 * fact_index.c fills from the vault's.
 */
#ifndef VAULT_FACT_WORDS_H
#define VAULT_FACT_WORDS_H

#include "note.h"
#include "util.h"

/* What a word is, worked out once per distinct word. */
enum word_flags { WORD_STOP = 1, WORD_NEGATION = 2, WORD_NUMBER = 4, WORD_DIRECTION = 8 };

struct word {
	uint32_t text;      /* offset of its NUL-terminated text in interner.text */
	uint32_t len, hash;
	uint32_t stem;      /* id of the word without a plural 's' (or itself):
			       what content word sets hold */
	uint32_t root;      /* id of its stem_word (or itself): two forms of
			       one word ("expects", "expected") share it */
	uint8_t flags;      /* enum word_flags */
};

/* Interned words: each distinct word gets a small id. The texts share one
 * buffer: a note has hundreds of distinct words, and one allocation each
 * was a good part of the cost of its facts. */
struct interner {
	ARRAY(struct word) words;  /* by id */
	uint32_t *slots; /* id + 1, 0 = empty */
	uint32_t slot_cap;
	ARRAY(char) text;
};

typedef ARRAY(struct slice) slice_array;

/* The names a fact may spell, as the vault knows them (see
 * workspace_phrase and workspace_phrase_lengths). */
struct fact_names {
	const void *ctx;
	/* The word counts of the names starting with this word: bit l for
	 * l words (bit 31: more), 0 for none. */
	uint32_t (*phrase_lengths)(const void *ctx, struct slice word);
	/* 0: the phrase is a note's stem; 1: the alias of exactly one note,
	 * *stem its stem's search key; -1: neither. */
	int (*phrase)(const void *ctx, struct slice phrase, const char **stem);
	/* Is the word a word of some person's name? Only a phrase that starts
	 * with one may be a variant. */
	bool (*person_word)(const void *ctx, struct slice word);
	/* Is the phrase (of two words or more, neither a stem nor an alias)
	 * a probable variant of one person's name? Then *stem is that
	 * card's stem's search key, as for an alias. */
	bool (*variant)(const void *ctx, struct slice phrase, const char **stem);
};

/*
 * What normalising a fact needs, kept from one fact to the next so that
 * the facts of a note cost no allocations of their own. words ends up
 * holding the normalised words: slices into key, or into the search key
 * of the note an alias stood for.
 */
#define FACT_NO_WORD UINT32_MAX

/* What is known of a word of a note's facts, as written. */
struct memo_word {
	uint32_t lengths;      /* names->phrase_lengths (FACT_NO_WORD: not
				  asked yet): the vault's map is large, and
				  a note names the same people fact after
				  fact */
	uint32_t id;           /* its id in the facts' interner, or
				  FACT_NO_WORD: saves hashing it a second
				  time */
	int8_t person;         /* names->person_word: 1, 0, or -1 for not
				  asked yet */
};

/* What a phrase of a note's facts is (names->phrase, and a variant),
 * by the memos of its words: a name is looked up once per note, not once
 * per fact that repeats it. */
struct memo_phrase {
	uint32_t key, n_key;   /* the words' memos: phrase_keys[key ..] */
	int8_t r;              /* -1: no name; 0: a note's stem (the words
				  stand for themselves); 1: an alias or a
				  variant, replaced by phrase_put[put ..
				  put + n_put) */
	uint32_t put, n_put;
};

/* A word an alias was replaced with: a slice of the name's search key,
 * which the vault keeps while its facts are compared. */
struct memo_put {
	struct slice text;
	uint32_t memo;
};

struct normaliser {
	const struct fact_names *names; /* NULL: no names replaced */
	struct strbuf plain, key, phrase;
	slice_array raw, words;
	ARRAY(uint32_t) raw_memo;    /* parallel to raw: the memo of each */
	ARRAY(uint32_t) memo_of;     /* parallel to words: the memo of each */
	struct interner seen;        /* words as written */
	ARRAY(struct memo_word) memo; /* by id in seen */
	ARRAY(struct memo_phrase) phrases;
	ARRAY(uint32_t) phrase_keys;
	ARRAY(struct memo_put) phrase_put;
	uint32_t *phrase_slots;      /* index + 1 into phrases, 0 = empty */
	uint32_t phrase_cap;
};

/* The id of a word in the interner, interned with what it is (and its
 * plural's stem, its root) when it is new. */
uint32_t fact_words_intern(struct interner *in, const char *s, size_t len);
/* The same, its hash known: the hash of the word's memo (the interners
 * hash alike). */
uint32_t fact_words_intern_hashed(struct interner *in, const char *s, size_t len, uint32_t hash);
/* Room for that many more words and bytes of their text, so that a note's
 * interner does not grow (and rehash) word by word. */
void fact_words_interner_reserve(struct interner *in, uint32_t words, uint32_t bytes);
void fact_words_interner_free(struct interner *in);

/* Leaves the normalised words of list item `item` in nz->words. */
void fact_words_normalise(struct normaliser *nz, const struct note *n, uint32_t item);
void fact_words_fini(struct normaliser *nz);

/* The normalised words of item, joined by single spaces, appended to out
 * (names may be NULL). */
void fact_words_key(const struct fact_names *names, const struct note *n, uint32_t item,
		    struct strbuf *out);

#endif
