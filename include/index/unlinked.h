/*
 * unlinked.h — unlinked mentions: where another note's prose writes a
 * note's name out without linking to it, as Obsidian's backlinks pane
 * lists them under "Unlinked mentions".
 *
 * A note's names are its stem, its frontmatter `name:` (and `title:`,
 * except on a person's card, where it is a job title) and its aliases: not
 * its first heading, which describes more often than it names. They are
 * found in prose (prose.h: headings yes; frontmatter, code, comments, HTML,
 * math, URLs, tags, wikilinks and Markdown links no) as whole words,
 * case- and accent-folded (names_search_key: "zoe olafsdottir" is
 * "Zoë Ólafsdóttir"), with the words' separators as the name has them
 * ("P. Natarajan", not "P Natarajan" nor "P., Natarajan"; runs of blanks
 * are one blank), on one line. Where names overlap, the longest wins, read left to right: "Priya
 * Natarajan" is one mention of Priya's card, not also one of her alias
 * "Priya". A note's mentions of its own names are not counted.
 *
 * Precision first: a mention must be worth turning into a link.
 *  - A name several notes hold (an alias two cards share, a stem in two
 *    folders) is no one's mention: the text is left to the writer. A stem
 *    beats an alias or name, as in link resolution.
 *  - A name of one word is a common word as often as a name ("Meeting",
 *    "Notes", "Mark", "Will"): it counts only where the text capitalises it
 *    inside a sentence: "met Ragnar on Monday", not "ragnar", nor "Ragnar"
 *    first on a line, in a sentence, a heading, a list item or a table
 *    cell, where every word is capitalised; nor next to another
 *    capitalised word, a blank away: "Summit Labs" and "Northwind Object
 *    Store" are other names than "Summit" and "Northwind" ("Met Ragnar",
 *    a sentence's first word, does not count as one). It needs two
 *    letters ("NW" yes, "X" no); one of only digits needs a joining
 *    character ("2026-01-05": a daily note) and then counts anywhere.
 *  - A longer name counts in any case ("weekly sync"), unless all but one
 *    of its words are common ones ("The Office"): then that word must be
 *    capitalised in the text. Names of common words only ("To Do", "How
 *    To") and of more than eight words are never searched for.
 *
 * The index behind it is built on first use — every note's prose read once
 * — and kept up to date as notes change (workspace_set_text, remove,
 * reload...). A note's text changing costs reading that note again; a
 * name appearing or disappearing costs reading the notes that may hold it
 * (found through the vault's words), or, for a name made only of words
 * that most notes use, the whole vault again.
 */
#ifndef VAULT_UNLINKED_H
#define VAULT_UNLINKED_H

#include "workspace.h"

struct unlinked_mention {
	uint32_t note;    /* unlinked_list: the note the text is in;
			     unlinked_in_note: the note it names */
	struct span span; /* the name as written, in that note's text */
};

/* An ARRAY(struct unlinked_mention): free with array_free. */
struct unlinked_list {
	struct unlinked_mention *items;
	uint32_t len, cap;
};

/* How many unlinked mentions of note id the other notes hold (0 for an
 * attachment or a removed id). Cheap once the index is built. */
uint32_t unlinked_count(struct workspace *ws, uint32_t id);

/* Appends the unlinked mentions of note id to out, sorted by the
 * mentioning note's vault-relative path, then position. */
void unlinked_list(struct workspace *ws, uint32_t id, struct unlinked_list *out);

/* Appends the unlinked mentions note id makes of other notes, in text
 * order (what "Link to X" may turn into links). */
void unlinked_in_note(struct workspace *ws, uint32_t id, struct unlinked_list *out);

/* Builds the index if it is not yet, and brings it up to date: what the
 * calls above do first. For a caller that would rather pay for it at a
 * time of its choosing (idle time after indexing). */
void unlinked_update(struct workspace *ws);

/* Has the index been built (so that unlinked_count is cheap)? */
bool unlinked_built(const struct workspace *ws);

/* How many threads may read the vault's notes when the index is built
 * (default 1): as many as indexing uses. */
void unlinked_threads(struct workspace *ws, unsigned threads);

#endif
