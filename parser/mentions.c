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

/* Token t[s, e) met by the pass: into the chain, or the chain ends. */
static void add_token(struct ctx *c, uint32_t s, uint32_t e)
{
	uint32_t name_end = e, letters = 0;
	bool possessive;
	enum name_word_kind k = name_words_classify(c->t, s, e, &name_end, &letters, &possessive);
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
		size_t n = strlen(labels[i]);
		if (!ascii_prefix_nocase(t, q, le, labels[i]))
			continue;
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

void mentions_find(const struct note *n, struct mention_list *out)
{
	struct ctx c = { 0 };
	c.t = n->text;
	c.len = n->len;
	c.out = out;
	not_prose_init(&c.np, n);
	uint32_t p = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	uint32_t body = p, le = 0;
	bool have_le = false;
	while (p < c.len) {
		if (!have_le || p > le) { /* a skip may have crossed lines */
			le = not_prose_line_end(&c.np, p);
			have_le = true;
		}
		if (p == body || c.t[p - 1] == '\n' || c.t[p - 1] == '\r') {
			uint32_t cs = content_start(c.t, p, le);
			uint32_t after = label_end(c.t, cs, le);
			if (after > cs && !not_prose_skip_at(&c.np, cs)) {
				flush(&c);
				with_line(&c, after, le);
				p = le;
				continue;
			}
		}
		const struct not_prose_skip *k = not_prose_skip_at(&c.np, p);
		if (k) {
			p = k->end;
			continue;
		}
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
		uint32_t limit = not_prose_next_skip(&c.np);
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
