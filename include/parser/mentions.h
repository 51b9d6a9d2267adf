/*
 * mentions.h — where a note's body names people: the candidates the index
 * tries to match to a person card (issue 16). Each is a byte range of the
 * note's text, nothing more: whether it is someone is the index's call.
 *
 * Only prose is read: the text of list items and paragraphs. Never the
 * frontmatter, headings (a heading is a title, not a mention), code
 * (blocks and spans), HTML, comments, math ($...$, $$...$$), wikilinks,
 * Markdown links ([text](url), [text][ref], reference definitions), URLs,
 * autolinks and HTML tags, #tags or block ids.
 *
 * A capitalised word starts with an upper-case Latin letter (ASCII,
 * Latin-1 or Latin Extended-A: Ø Æ Å Ä Ö Ü É Ł Ž...) followed by at least
 * one letter, all lower case (combining accents allowed); hyphenated parts
 * are capitalised words too (Kjær-Hansen), and an apostrophe may follow a
 * single capital (O'Brien). A trailing "'s" is a possessive and not part of
 * the name ("Ola Nordmann's laptop" names "Ola Nordmann"). Digits, other
 * scripts, inner capitals (McDonald, JavaScript) or a '.', '@', '/' inside
 * make a word something else.
 *
 * A chain is capitalised words separated by exactly one space (never a
 * line break, punctuation or a comma), with up to two particles (van, von,
 * de, da, di, del, der, den, du, la, le, af, av, bin, ibn, al) between two
 * of them. Common words that start sentences or titles (The, This, With,
 * Met, Monday, February...) are dropped from either end of a chain: "The
 * Oslo cluster" gives only "Oslo", too short to be a MENTION_WORD. What is
 * left, counting its capitalised words (particles not counted):
 *   1    a MENTION_WORD if it has 6+ letters;
 *   2..3 a MENTION_RUN from its first word to its last;
 *   4+   nothing: "Head Of Platform Engineering" is a title, and cutting a
 *        name out of it would be a guess.
 */
#ifndef VAULT_MENTIONS_H
#define VAULT_MENTIONS_H

#include "note_types.h"
#include "util.h"

enum mention_kind {
	/* One name of a line whose content starts with a label "With:",
	 * "Attendees:" or "Participants:" (any case, bold or not: "**With**:",
	 * "**With:**"): the names are separated by ',', ';', " and ", " & ";
	 * each, trimmed (blanks, '*', '_', a final '.') and cut before a '(',
	 * a #tag, a comment or code, is 1..4 words of any case. One that holds
	 * a link is skipped (links are the index's already), and so are
	 * "Myself", "me" and "I": the writer of the note. Nothing else on such
	 * a line is a MENTION_RUN or MENTION_WORD. */
	MENTION_WITH,
	/* Two or three capitalised words in a row (see above). */
	MENTION_RUN,
	/* One capitalised word of 6+ letters, not part of a run: maybe a name
	 * run together ("Kasimirdahl"), maybe a place or a verb that starts a
	 * sentence ("Moving"). Every one is reported: the index decides. */
	MENTION_WORD,
};

struct mention {
	struct span span; /* byte range in note->text: exactly the name */
	uint8_t kind;     /* enum mention_kind */
};

/* An ARRAY(struct mention): free with array_free. */
struct mention_list {
	struct mention *items;
	uint32_t len, cap;
};

/*
 * Appends the mentions of note n's body (not its frontmatter) to out, in
 * text order, none overlapping. Pure: reads only n. Linear in the body's
 * length (a 1 MB paragraph of capitalised words included).
 */
void mentions_find(const struct note *n, struct mention_list *out);

/* Only the MENTION_WITH ones, found by looking at the start of each line
 * first: for the index of who each note names, which reads every note of
 * the vault. The same as mentions_find gives, but for a labelled line
 * inside multi-line "$$" math, which counts here. */
void mentions_find_with(const struct note *n, struct mention_list *out);

#endif
