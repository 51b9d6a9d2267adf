/*
 * not_prose.h — private to parser/: what in a note's body is not prose, as
 * mentions.c's pass asks it, position by position and never backwards:
 * the note model's code, comments, HTML, wikilinks, tags, block ids and
 * headings, and what the model does not know: Markdown links, URLs, math
 * and inline HTML tags.
 */
#ifndef VAULT_NOT_PROSE_H
#define VAULT_NOT_PROSE_H

#include "note_types.h"
#include "util.h"

/* A range that is not prose; link is set for wikilinks. */
struct not_prose_skip {
	uint32_t start, end;
	bool link;
};

/* The first occurrence of what a search looks for at or after `from` is
 * `at` (or the limit it was searched to): any search from a position in
 * [from, at] has the same answer. */
struct not_prose_memo {
	uint32_t from, at;
	bool valid;
};

struct not_prose {
	const char *t;
	uint32_t len;
	ARRAY(struct not_prose_skip) skip; /* sorted, disjoint */
	uint32_t si;                       /* first skip not ending before the position */
	/* One per search, so that each is asked from increasing positions. */
	struct not_prose_memo nl, close_sq, close_sq2, close_par, paren, close_gt, dollar, dollars;
};

/* What note n's model says is not prose; free with not_prose_fini. */
void not_prose_init(struct not_prose *np, const struct note *n);
void not_prose_fini(struct not_prose *np);

/* Moves the skip cursor to p; returns the skip p lies in, or NULL. */
const struct not_prose_skip *not_prose_skip_at(struct not_prose *np, uint32_t p);

/* Where the skip at the cursor starts (the first not ending before the
 * position last asked), or the text's end. */
uint32_t not_prose_next_skip(const struct not_prose *np);

/* The first '\n' or '\r' at or after p, or the text's end. */
uint32_t not_prose_line_end(struct not_prose *np, uint32_t p);

/*
 * Where what starts at p and is not prose ends, if something does, else p:
 * a URL (to the next blank), a Markdown link or reference ("[text](url)",
 * "[text][ref]", "[ref]: url" to the line's end), an HTML tag or autolink,
 * math ("$$...$$" anywhere after, "$x$" on the line as Obsidian reads it:
 * no blank inside either dollar). le is p's line end; *link is set for a
 * Markdown link.
 */
uint32_t not_prose_special_end(struct not_prose *np, uint32_t p, uint32_t le, bool *link);

/* The first ')' at or after p before limit, or limit: the end of a
 * parenthesis in a With line (remembered apart from Markdown links'). */
uint32_t not_prose_close_paren(struct not_prose *np, uint32_t p, uint32_t limit);

#endif
