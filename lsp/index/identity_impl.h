/*
 * identity_impl.h — what the files of the people index share and nobody
 * else sees: identity_index.c (the person cards indexed: their names'
 * words, blocking keys and groups, rebuilt when the people change) and
 * identity.c (a mention scored against them, and the decision).
 */
#ifndef VAULT_IDENTITY_IMPL_H
#define VAULT_IDENTITY_IMPL_H

#include "identity.h"
#include "names.h"
#include "person_name.h"
#include "workspace_impl.h"

#define MAX_WORDS 3
/* Every word of a variant at least this alike (its best spelling). */
#define WORD_STRICT 0.85
/* A second person this close on every word makes the mention ambiguous. */
#define WORD_LOOSE 0.70
#define SCORE_LOOSE_MARGIN 0.15
#define RIVAL_EDITS 2
/* Decisions remembered, at most (then forgotten all at once): this
 * many, or so many per note of a larger vault. The texts asked about grow
 * with the vault (some two per note of a generated one), and a cache
 * that fills and is emptied again and again decides most of them anew:
 * at 100,000 notes a fixed 65,536 emptied itself twelve times and made
 * the name checks a third slower. */
#define CACHE_MAX 65536
#define CACHE_PER_NOTE 4
#define CACHE_NONE UINT32_MAX
/* A name run together: this alike as one word, within this many letters. */
#define JOINED_STRICT 0.93
#define JOINED_LOOSE 0.85
#define JOINED_MIN_LEN 8
#define JOINED_LEN_SLACK 2

/* One spelling of one name of one person: its words in both spellings. */
struct form {
	uint32_t note;
	uint32_t group;        /* persons of the same name share one */
	uint32_t text;         /* offset in identity.text: "short\0long\0" */
	uint8_t n;             /* words */
};

struct group {
	uint32_t note;         /* the card that stands for the group */
	uint32_t cards;        /* how many notes share the name */
	uint32_t first_card;   /* index in identity.cards of the first */
};

struct identity {
	uint32_t people_gen, titles_gen;
	ARRAY(struct form) forms;
	ARRAY(struct group) groups;
	struct strbuf text;
	struct name_map *blocks;   /* blocking key -> forms */
	struct name_map *words;    /* a word (short spelling) -> forms holding it */
	struct name_map *by_name;  /* a form's short key -> its group */
	/* The notes of each group, group after group (filled after the
	 * forms), and each person note's group by note id. */
	ARRAY(uint32_t) cards;
	struct name_map *group_of;
	uint32_t people;
	/* Decisions by the mention's text: CACHE_NONE, or an index into
	 * results (the rare matches keep their words). */
	struct name_map *cache;
	ARRAY(struct identity_match) results;
	uint32_t cached, cache_max;
	/* The notes given a finding of who is who (identity_told), once each. */
	struct id_list told;
	struct name_map *told_set;
};

struct words {
	struct strbuf key[2];          /* short, long */
	struct slice w[2][MAX_WORDS + 1];
	uint32_t n[2];
};

/* identity_index.c */
/* The people index of ws, built now if the people changed since. */
struct identity *identity_index(struct workspace *ws);
/* The words of a name in both spellings (up to MAX_WORDS + 1). */
void identity_words_of(struct slice name, struct words *w);
void identity_words_fini(struct words *w);
/* A blocking key: tag, the name's word count (none when words is 0),
 * then each word's sound or its sound's initial. A mention is scored only
 * against names of as many words (or run together, against all: those
 * keys give no count), so the count keeps the others out of its keys. */
void identity_block_key(struct strbuf *out, char tag, uint32_t words, struct slice a, bool phon_a,
			struct slice b, bool phon_b);
/* The same of words whose sounds (person_name_phonetic) are known: a
 * mention's keys are several of the same two words. */
void identity_block_key_of(struct strbuf *out, char tag, uint32_t words, size_t a_len,
			   const char *a_sound, bool phon_a, size_t b_len, const char *b_sound,
			   bool phon_b);
/* The words run together, one spelling. */
void identity_joined(const struct slice *w, uint32_t n, struct strbuf *out);
/* A note id as a map key. */
struct slice identity_note_key(const uint32_t *note);

#endif
