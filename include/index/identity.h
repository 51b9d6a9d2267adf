/*
 * identity.h — who a name means when nobody declared it: a mention of a
 * person ("Ragnhild Sohlberg", "Soren Kjaer", "Kasimirdahl") matched
 * against the person cards of the vault (kind person) by their stem,
 * name:, title and aliases, as names and not as strings.
 *
 * Names are compared token by token (given name and surname, either
 * order; or one word run together from both), after folding case and
 * accents and transliterating (ø -> o or oe, ä -> a or ae, ...), with
 * Jaro–Winkler and a phonetic key (person_name.h), each token weighted by
 * how rare it is among the vault's names: agreeing on "Sohlberg" says
 * more than agreeing on "Jon".
 *
 * Precision first. A mention is a probable variant only when
 *   - it is not itself the name or alias of any note (then links resolve
 *     to that note, and it is nobody's variant);
 *   - it has two or three words, or is one long word that is a full name
 *     run together: a first name or a surname alone is never enough;
 *   - every word agrees closely with the card's, and the whole scores at
 *     least identity.minScore;
 *   - no other person is also close (then it is ambiguous: "did you mean
 *     A or B", never a variant).
 * Cards of the same name (People/X and Contacts/X) count as one person:
 * the one in the people folder stands for both.
 */
#ifndef VAULT_IDENTITY_H
#define VAULT_IDENTITY_H

#include "workspace.h"

enum identity_verdict {
	IDENTITY_NONE,       /* no person is close enough (or it is a name) */
	IDENTITY_VARIANT,    /* a probable variant of one person's name */
	IDENTITY_AMBIGUOUS,  /* close to two people: neither */
};

struct identity_match {
	enum identity_verdict verdict;
	uint32_t note;       /* VARIANT: the person; AMBIGUOUS: the closer one */
	uint32_t other;      /* AMBIGUOUS: the other one */
	double score;        /* of note, in [0, 1] */
	/* How the words matched, for people: "surname 'Sohlberg' one letter
	 * from 'Solberg', given name the same". */
	char why[160];
};

/* Matches a mention's text (as written: trimmed by the caller). The
 * people of the vault are indexed on first use and again after names,
 * titles or kinds change. Nothing for a workspace whose configuration
 * turns identity off. */
void identity_match(struct workspace *ws, struct slice text, struct identity_match *out);
/* The same for a text seldom asked twice (a phrase of a fact that starts
 * with a person's first name: nearly every one is new): when no person's
 * name is near enough to be scored, the answer is not remembered, and
 * the cache keeps the mentions that prose repeats. */
void identity_match_phrase(struct workspace *ws, struct slice text, struct identity_match *out);

/* Is word (one word, as written or as a search key) a word of some
 * person's name? Cheap: for a caller about to ask identity_match of many
 * phrases that start with a word no person's name holds. */
bool identity_person_word(struct workspace *ws, struct slice word);
/* The other person cards of the same person as note: cards with the same
 * name (People/X and Contacts/X), appended to out, each once. */
void identity_same_person(struct workspace *ws, uint32_t note, struct id_list *out);

/* Is note a person card (kind person, or a card of no kind with a
 * person's fields: role, email, phone) with a name of one to three words? */
bool identity_is_person(struct workspace *ws, uint32_t note);

/* Note note was told something about who is who (a name-variant, a
 * duplicate-card): when the people change, it is diagnosed again
 * (workspace_take_affected), so that what it was told does not go stale. */
void identity_told(struct workspace *ws, uint32_t note);

/* The same for a note whose diagnostics, published from the index cache
 * without diagnosing it, said something about who is who: told under the
 * people of the restored index, it is diagnosed again once they are
 * found to differ: when the index of the people is first built, or at
 * once by identity_settle_cached (after those notes are told), which
 * builds it only if the people did change. */
void identity_told_cached(struct workspace *ws, uint32_t note);
void identity_settle_cached(struct workspace *ws);

/* The notes told something since the people last changed (appended). */
void identity_told_notes(struct workspace *ws, struct id_list *out);

/* How many person cards the index holds (after identity_match built it),
 * for the log and the benchmarks. */
uint32_t identity_people(struct workspace *ws);

#endif
