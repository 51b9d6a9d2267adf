/*
 * prose.h — where a note's body is running text, and its words: what the
 * index searches for names written out without a link (unlinked
 * mentions).
 *
 * Prose is the body less what a reader does not read as sentences: the
 * frontmatter, code (blocks and spans), HTML (blocks and inline tags),
 * comments, math ($...$, $$...$$), wikilinks and embeds, Markdown links
 * ([text](url), [text][ref], reference definitions), URLs and autolinks,
 * #tags and block ids. Headings are prose: "## Call with Priya Natarajan"
 * names her as much as a sentence does. (mentions.h reads the same text
 * for people, but without headings.)
 *
 * A word is letters and digits (any script, combining marks included),
 * joined by one '-', '\'', '’', '.', '@', '/' or '\' each: "Kjær-Hansen",
 * "O'Brien", "2026-01-05", "example.com" and "kari@firma.no" are one word
 * each, so a name is never found inside another word. A final "'s" is a
 * possessive, outside the word ("Priya's laptop").
 */
#ifndef VAULT_PROSE_H
#define VAULT_PROSE_H

#include "note_types.h"
#include "util.h"

/* An ARRAY(struct span): free with array_free. */
struct prose_spans {
	struct span *items;
	uint32_t len, cap;
};

/* Appends the prose of n's body to out: sorted, disjoint, non-empty byte
 * ranges of n->text. Linear in the body's length. */
void prose_spans(const struct note *n, struct prose_spans *out);

enum prose_word_flags {
	PROSE_UPPER = 1 << 0,    /* its first letter is a capital (Latin, Greek, Cyrillic) */
	PROSE_START = 1 << 1,    /* the first word of a line, sentence (after '.', '!', '?'),
				  * heading, list item, task, quote or table cell: where any
				  * word is capitalised */
	PROSE_ASCII = 1 << 2,    /* its bytes are all ASCII */
	PROSE_LETTER = 1 << 3,   /* it has a letter (not only digits) */
	PROSE_JOINED = 1 << 4,   /* it holds a joining character ("a-b", "x.y") */
};

struct prose_word {
	uint32_t start, end;     /* byte range in the text, without a possessive "'s" */
	uint32_t letters;        /* how many letters (code points) it has */
	uint8_t flags;           /* enum prose_word_flags */
};

struct prose_word_list {
	struct prose_word *items;
	uint32_t len, cap;
};

/* Appends the words of t[from, to) to out, in order. t is the whole text:
 * PROSE_START looks back before from, to the start of the line. */
void prose_words(const char *t, uint32_t from, uint32_t to, struct prose_word_list *out);

#endif
