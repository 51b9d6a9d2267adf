/*
 * mentions.c — where a note's body names people (the rules are in
 * mentions.h): one pass over the body, skipping what is not prose
 * (not_prose.c says where that is). What kind of word a token is, is
 * name_words.c's.
 */
#include "mentions.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "name_words.h"
#include "not_prose.h"

struct word {
	uint32_t start, end; /* end: without a possessive "'s" */
	uint32_t letters;
	uint8_t kind;        /* NAME_WORD_CAP, NAME_WORD_STOP or NAME_WORD_PARTICLE */
};

struct ctx {
	const char *t;
	uint32_t len;
	struct not_prose np;
	ARRAY(struct word) chain;
	uint32_t chain_end;      /* raw end of the chain's last token */
	bool chain_closed;       /* it ended in a possessive */
	struct mention_list *out;
};

static void emit(struct ctx *c, uint32_t start, uint32_t end, enum mention_kind kind)
{
	struct mention m = { { start, end - start }, (uint8_t)kind };
	array_push(c->out, m);
}

/* The chain so far is over: its run, its word, or nothing (mentions.h). */
static void flush(struct ctx *c)
{
	const struct word *w = c->chain.items;
	uint32_t lo = 0, hi = c->chain.len;
	while (lo < hi && w[lo].kind != NAME_WORD_CAP)
		lo++;
	while (hi > lo && w[hi - 1].kind != NAME_WORD_CAP)
		hi--;
	uint32_t words = 0, letters = 0;
	for (uint32_t i = lo; i < hi && words < 4; i++)
		if (w[i].kind != NAME_WORD_PARTICLE) {
			words++;
			letters = w[i].letters;
		}
	if (words == 1 && letters >= 6)
		emit(c, w[lo].start, w[lo].end, MENTION_WORD);
	else if (words == 2 || words == 3)
		emit(c, w[lo].start, w[hi - 1].end, MENTION_RUN);
	c->chain.len = 0;
	c->chain_closed = false;
}

/* Word t[s, e) of kind k met by the pass: into the chain, or the chain
 * ends. name_end, letters and possessive as name_words_classify says. */
static void add_word(struct ctx *c, uint32_t s, uint32_t e, enum name_word_kind k,
		     uint32_t name_end, uint32_t letters, bool possessive)
{
	bool joins = c->chain.len && !c->chain_closed && s == c->chain_end + 1 &&
		     c->t[c->chain_end] == ' ';
	if (k == NAME_WORD_PARTICLE) {
		/* Between two words only, two at most: "van der". */
		uint32_t n = c->chain.len;
		if (joins && !(n >= 2 && c->chain.items[n - 1].kind == NAME_WORD_PARTICLE &&
			       c->chain.items[n - 2].kind == NAME_WORD_PARTICLE)) {
			struct word w = { s, e, 0, NAME_WORD_PARTICLE };
			array_push(&c->chain, w);
			c->chain_end = e;
			return;
		}
		flush(c);
		return;
	}
	if (k != NAME_WORD_CAP && k != NAME_WORD_STOP) {
		flush(c);
		return;
	}
	if (!joins)
		flush(c);
	struct word w = { s, name_end, letters, (uint8_t)k };
	array_push(&c->chain, w);
	c->chain_end = e;
	c->chain_closed = possessive;
}

/* Token t[s, e) met by the pass. */
static void add_token(struct ctx *c, uint32_t s, uint32_t e)
{
	uint32_t name_end = e, letters = 0;
	bool possessive;
	enum name_word_kind k = name_words_classify(c->t, s, e, &name_end, &letters, &possessive);
	add_word(c, s, e, k, name_end, letters, possessive);
}

/* ---------------------------------------------------------------------- */
/* With lines */

static const char *const labels[] = { "with", "attendees", "participants" };

/* Where a line's content starts: past indentation, '>' quote markers, a
 * list marker and a task box. */
static uint32_t content_start(const char *t, uint32_t p, uint32_t le)
{
	for (;;) {
		while (p < le && is_blank(t[p]))
			p++;
		if (p < le && t[p] == '>') {
			p++;
			continue;
		}
		break;
	}
	if (p + 1 < le && (t[p] == '-' || t[p] == '*' || t[p] == '+') && is_blank(t[p + 1])) {
		p += 2;
	} else {
		uint32_t q = p;
		while (q < le && q - p < 9 && t[q] >= '0' && t[q] <= '9')
			q++;
		if (q > p && q + 1 < le && (t[q] == '.' || t[q] == ')') && is_blank(t[q + 1]))
			p = q + 2;
	}
	while (p < le && is_blank(t[p]))
		p++;
	if (p + 3 < le && t[p] == '[' && t[p + 2] == ']' && is_blank(t[p + 3]))
		p += 4;
	while (p < le && is_blank(t[p]))
		p++;
	return p;
}

/* After a label at p ("With:", "**With**:", "**With:**"), or p if none. */
static uint32_t label_end(const char *t, uint32_t p, uint32_t le)
{
	uint32_t q = p;
	bool bold = le - q >= 2 && ((t[q] == '*' && t[q + 1] == '*') || (t[q] == '_' && t[q + 1] == '_'));
	if (bold)
		q += 2;
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++) {
		/* Every line comes here: the first letter rules out most. */
		if (q >= le || (t[q] | 0x20) != labels[i][0] ||
		    !ascii_prefix_nocase(t, q, le, labels[i]))
			continue;
		size_t n = strlen(labels[i]);
		uint32_t r = q + (uint32_t)n;
		if (bold && le - r >= 3 && t[r + 2] == ':' && t[r] == t[p] && t[r + 1] == t[p])
			return r + 3;
		if (bold && le - r >= 3 && t[r] == ':' && t[r + 1] == t[p] && t[r + 2] == t[p])
			return r + 3;
		if (!bold && r < le && t[r] == ':')
			return r + 1;
	}
	return p;
}

static bool is_name_trim(char ch)
{
	return is_blank(ch) || ch == '*' || ch == '_' || ch == '.';
}

/* One name of a With line: t[s, e), unless it is the writer or too long. */
static void with_name(struct ctx *c, uint32_t s, uint32_t e)
{
	const char *t = c->t;
	while (s < e && is_name_trim(t[s]))
		s++;
	while (e > s && is_name_trim(t[e - 1]))
		e--;
	if (s == e)
		return;
	uint32_t words = 1;
	bool letter = false;
	for (uint32_t i = s; i < e; i++) {
		if (is_blank(t[i]) && !is_blank(t[i - 1]))
			words++;
		unsigned char u = (unsigned char)t[i];
		if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || u >= 0xC0)
			letter = true;
	}
	struct slice name = { t + s, e - s };
	if (words > 4 || !letter || slice_eq_nocase(name, SLICE_LIT("myself")) ||
	    slice_eq_nocase(name, SLICE_LIT("me")) || slice_eq_nocase(name, SLICE_LIT("i")))
		return;
	emit(c, s, e, MENTION_WITH);
}

/* The names of a With line, t[p, le): see MENTION_WITH. */
static void with_line(struct ctx *c, uint32_t p, uint32_t le)
{
	const char *t = c->t;
	uint32_t s = p, cut = UINT32_MAX;
	bool linked = false;
	while (p <= le) {
		uint32_t sep = 0;
		if (p < le) {
			const struct not_prose_skip *k = not_prose_skip_at(&c->np, p);
			bool md_link;
			uint32_t q = k ? k->end : not_prose_special_end(&c->np, p, le, &md_link);
			if (k || q > p) {
				if ((k && k->link) || (!k && md_link))
					linked = true;
				else if (cut == UINT32_MAX)
					cut = p;
				p = q > le ? le : q;
				continue;
			}
			if (t[p] == '(') {
				if (cut == UINT32_MAX)
					cut = p;
				uint32_t r = not_prose_close_paren(&c->np, p + 1, le);
				p = r < le ? r + 1 : le;
				continue;
			}
			if (t[p] == ',' || t[p] == ';')
				sep = 1;
			else if (t[p] == ' ' && ascii_prefix_nocase(t, p, le, " and "))
				sep = 5;
			else if (t[p] == ' ' && ascii_prefix_nocase(t, p, le, " & "))
				sep = 3;
			if (!sep) {
				p++;
				continue;
			}
		}
		if (!linked)
			with_name(c, s, cut < p ? cut : p);
		if (p == le)
			break;
		p += sep;
		s = p;
		cut = UINT32_MAX;
		linked = false;
	}
}

/* ---------------------------------------------------------------------- */
/* The pass */

/* What the pass only steps over: no word character, and nothing that is
 * not prose starts there. */
static inline bool steps_over(const char *t, uint32_t p, uint32_t len)
{
	unsigned char b = (unsigned char)t[p];
	return b < 0x80 && !is_ascii_alnum(b) && not_prose_plain_at(t, p, len);
}

/*
 * Most words of prose are ASCII letters (or digits) followed by a blank
 * or punctuation: they are read once, here, and classified from what was
 * seen on the way (name_words_classify_ascii), with nothing decoded. The
 * byte after the word must settle it: that the token ends there (no
 * connector, no letter beyond ASCII; a '.' only before a byte that is no
 * word character) and that no URL starts at p (not_prose_no_url). Returns
 * where the pass goes on (past that byte, if it only steps over it), or 0
 * for the general way, which finds the same (test_mentions: "plain").
 */
static uint32_t plain_word(struct ctx *c, uint32_t p, uint32_t limit)
{
	const char *t = c->t;
	unsigned char b = (unsigned char)t[p];
	unsigned shape = b <= '9' ? NAME_SHAPE_DIGIT : b <= 'Z' ? NAME_SHAPE_FIRST_UPPER : 0;
	uint32_t q = p + 1;
	for (; q < limit; q++) {
		b = (unsigned char)t[q];
		if (b >= 'a' && b <= 'z')
			continue;
		if (b >= 'A' && b <= 'Z')
			shape |= NAME_SHAPE_INNER_UPPER;
		else if (b >= '0' && b <= '9')
			shape |= NAME_SHAPE_DIGIT;
		else
			break;
	}
	/* A blank, the most common, settles everything. */
	bool blank = q < limit && b == ' ';
	if (!blank) {
		if (q >= limit || b >= 0x80 || b == '-' || b == '\'' || b == '@' || b == '/' ||
		    b == '\\' ||
		    (b == '.' && q + 1 < c->len &&
		     ((unsigned char)t[q + 1] >= 0x80 || is_ascii_alnum((unsigned char)t[q + 1]))))
			return 0;
		if (!not_prose_no_url(t, p, q, c->len))
			return 0;
	}
	enum name_word_kind k = name_words_classify_ascii(t, p, q, shape);
	/* Most words have no chain to end and start none: add_word would do
	 * nothing, and is not called for them. */
	if (c->chain.len || k == NAME_WORD_CAP || k == NAME_WORD_STOP)
		add_word(c, p, q, k, q, q - p, false);
	return blank || steps_over(t, q, c->len) ? q + 1 : q;
}

void mentions_find(const struct note *n, struct mention_list *out)
{
	struct ctx c = { 0 };
	c.t = n->text;
	c.len = n->len;
	c.out = out;
	not_prose_init(&c.np, n, NOT_PROSE_HEADINGS);
	uint32_t p = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	uint32_t body = p, le = 0;
	bool have_le = false;
	/* Where the skip at the cursor starts: every byte is tested against it. */
	uint32_t next_skip = not_prose_next_skip(&c.np);
	while (p < c.len) {
		if (!have_le || p > le) { /* a skip may have crossed lines */
			le = not_prose_line_end(&c.np, p);
			have_le = true;
			/* Any line start the pass meets is past the line end it
			 * knew, or the body's start: only here can p be one. */
			if (p == body || c.t[p - 1] == '\n' || c.t[p - 1] == '\r') {
				uint32_t cs = content_start(c.t, p, le);
				uint32_t after = label_end(c.t, cs, le);
				bool with = after > cs && !not_prose_skip_at(&c.np, cs);
				if (with) {
					flush(&c);
					with_line(&c, after, le);
					p = le;
				}
				/* Both moved the skip cursor. */
				next_skip = not_prose_next_skip(&c.np);
				if (with)
					continue;
			}
		}
		if (p >= next_skip) {
			const struct not_prose_skip *k = not_prose_skip_at(&c.np, p);
			next_skip = not_prose_next_skip(&c.np);
			if (k) {
				p = k->end;
				continue;
			}
		}
		/* Plain prose, to the line's end (its '\n' too) or the next
		 * skip, whichever is first: the general way below does the same
		 * for these bytes, slower. */
		uint32_t limit = next_skip;
		uint32_t stop = le < limit ? le + 1 : limit;
		while (p < stop) {
			if (is_ascii_alnum((unsigned char)c.t[p])) {
				uint32_t e = plain_word(&c, p, limit);
				if (!e)
					break;
				p = e;
			} else if (steps_over(c.t, p, c.len)) {
				p++;
			} else {
				break;
			}
		}
		if (p >= stop)
			continue;
		bool link;
		uint32_t q = not_prose_special_end(&c.np, p, le, &link);
		if (q > p) {
			p = q;
			continue;
		}
		uint32_t cp;
		uint32_t len = name_words_decode(c.t, p, c.len, &cp);
		if (!name_words_is_word(cp)) {
			p += len;
			continue;
		}
		/* A token: word characters, joined by connectors. */
		uint32_t e = p + len;
		while (e < limit) {
			uint32_t l1 = name_words_decode(c.t, e, limit, &cp);
			if (name_words_is_word(cp)) {
				e += l1;
				continue;
			}
			uint32_t nx;
			if (name_words_is_connector(cp) && e + l1 < limit &&
			    (name_words_decode(c.t, e + l1, limit, &nx), name_words_is_word(nx))) {
				e += l1;
				continue;
			}
			break;
		}
		add_token(&c, p, e);
		p = e;
	}
	flush(&c);
	array_free(&c.chain);
	not_prose_fini(&c.np);
}

void mentions_find_with(const struct note *n, struct mention_list *out)
{
	struct ctx c = { 0 };
	c.t = n->text;
	c.len = n->len;
	c.out = out;
	bool read = false;
	uint32_t p = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	while (p < c.len) {
		uint32_t le = p;
		while (le < c.len && c.t[le] != '\n' && c.t[le] != '\r')
			le++;
		/* Most lines are not labelled: the label is looked for first,
		 * what is not prose only on the lines that have one (asked, as
		 * it must be, at increasing positions). */
		uint32_t cs = content_start(c.t, p, le);
		uint32_t after = label_end(c.t, cs, le);
		if (after > cs) {
			if (!read) {
				not_prose_init(&c.np, n, NOT_PROSE_HEADINGS);
				read = true;
			}
			if (!not_prose_skip_at(&c.np, cs))
				with_line(&c, after, le);
		}
		p = le + 1;
	}
	if (read)
		not_prose_fini(&c.np);
}
