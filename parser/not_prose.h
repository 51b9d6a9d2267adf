/*
 * not_prose.h — private to parser/: what in a note's body is not prose, as
 * mentions.c's and prose.c's passes ask it, position by position and never
 * backwards: the note model's code, comments, HTML, wikilinks, tags, block
 * ids (and headings, for mentions), and what the model does not know:
 * Markdown links, URLs, math and inline HTML tags.
 */
#ifndef VAULT_NOT_PROSE_H
#define VAULT_NOT_PROSE_H

#include "bytes.h"
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
	struct not_prose_memo nl, cr, close_sq, close_sq2, close_par, paren, close_gt;
	struct not_prose_memo dollar, dollars;
	bool tag_digit;                    /* NOT_PROSE_TAG_DIGIT */
};

/* Where the two passes read a note apart: mentions.h leaves headings out,
 * prose.h keeps them ("## Call with Priya" names her), and reads "<" and a
 * digit as a tag's start too. */
enum not_prose_flags {
	NOT_PROSE_HEADINGS = 1 << 0,  /* headings are not prose */
	NOT_PROSE_TAG_DIGIT = 1 << 1, /* "<1...>" is an HTML tag, like "<a...>" */
};

/* What note n's model says is not prose, as flags (enum not_prose_flags)
 * say; free with not_prose_fini. */
void not_prose_init(struct not_prose *np, const struct note *n, unsigned flags);
void not_prose_fini(struct not_prose *np);

/* Moves the skip cursor to p; returns the skip p lies in, or NULL. Inline,
 * as the next one: the pass asks at every skip and line. */
static inline const struct not_prose_skip *not_prose_skip_at(struct not_prose *np, uint32_t p)
{
	while (np->si < np->skip.len && np->skip.items[np->si].end <= p)
		np->si++;
	if (np->si < np->skip.len && np->skip.items[np->si].start <= p)
		return &np->skip.items[np->si];
	return NULL;
}

/* Where the skip at the cursor starts (the first not ending before the
 * position last asked), or the text's end. */
static inline uint32_t not_prose_next_skip(const struct not_prose *np)
{
	return np->si < np->skip.len ? np->skip.items[np->si].start : np->len;
}

/* The first '\n' or '\r' at or after p, or the text's end. */
uint32_t not_prose_line_end(struct not_prose *np, uint32_t p);

/*
 * Where what starts at p and is not prose ends, if something does, else p:
 * a URL (to the next blank), a Markdown link or reference ("[text](url)",
 * "[text][ref]", "[ref]: url" to the line's end), an HTML tag or autolink
 * ('<' and a letter, '/' or '!', or a digit with NOT_PROSE_TAG_DIGIT),
 * math ("$$...$$" anywhere after, "$x$" on the line as Obsidian reads it:
 * no blank inside either dollar). le is p's line end; *link is set for a
 * Markdown link.
 */
uint32_t not_prose_special_end(struct not_prose *np, uint32_t p, uint32_t le, bool *link);

/* The first ')' at or after p before limit, or limit: the end of a
 * parenthesis in a With line (remembered apart from Markdown links'). */
uint32_t not_prose_close_paren(struct not_prose *np, uint32_t p, uint32_t limit);

/* ---------------------------------------------------------------------- */
/* Cheap and sure, for the pass's way through plain prose (mentions.c), on
 * the text t of length len: each says no wherever not_prose_special_end
 * might say yes. */

/* Whether t[at] can neither go on with a URL's scheme (letters, digits,
 * '+', '.', '-') nor start its "://", nor a word; true at the text's end. */
static inline bool not_prose_no_scheme_at(const char *t, uint32_t at, uint32_t len)
{
	if (at >= len)
		return true;
	unsigned char b = (unsigned char)t[at];
	return b < 0x80 && !is_ascii_alnum(b) && b != ':' && b != '+' && b != '.' && b != '-';
}

/* Whether nothing that is not prose starts at p, where t[p] is no ASCII
 * letter or digit (those may start a URL: not_prose_no_url): no Markdown
 * link, HTML or math, nor a URL's scheme starting with '.', '-' or '+'. */
static inline bool not_prose_plain_at(const char *t, uint32_t p, uint32_t len)
{
	char b = t[p];
	if (b == '.' || b == '-' || b == '+')
		return not_prose_no_scheme_at(t, p + 1, len);
	return b != '[' && b != '<' && b != '$';
}

/* Whether no URL starts at p, where t[p, q) are ASCII letters and digits
 * and t[q] (q < len) is none: the scheme would end at q, so it takes a
 * ':' there ("://", "mailto:"), or a '.', '-' or '+' that it goes on with
 * ("www." too). A '.' ending a sentence is let through. */
static inline bool not_prose_no_url(const char *t, uint32_t p, uint32_t q, uint32_t len)
{
	char b = t[q];
	if (b == '.')
		return not_prose_no_scheme_at(t, q + 1, len) &&
		       !(q - p == 3 && ascii_prefix_nocase(t, p, q, "www"));
	return b != ':' && b != '-' && b != '+';
}

#endif
