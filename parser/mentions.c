/*
 * mentions.c — where a note's body names people (the rules are in
 * mentions.h): one pass over the body, skipping what is not prose.
 *
 * The note model says where code, comments, HTML, links, tags, block ids
 * and headings are; what it does not know (Markdown links, URLs, math,
 * inline HTML tags) is recognised here as the pass meets it. Everything
 * that searches ahead (a closing ']' or '$') remembers its answer, so that
 * a line of a thousand unclosed '[' stays linear. What kind of word a
 * token is, is name_words.c's.
 */
#include "mentions.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "name_words.h"

/* A range that is not prose; link is set for wikilinks. */
struct skip {
	uint32_t start, end;
	bool link;
};

/* The first occurrence of what a search looks for at or after `from` is
 * `at` (or the limit it was searched to): any search from a position in
 * [from, at] has the same answer. */
struct memo {
	uint32_t from, at;
	bool valid;
};

struct word {
	uint32_t start, end; /* end: without a possessive "'s" */
	uint32_t letters;
	uint8_t kind;        /* NAME_WORD_CAP, NAME_WORD_STOP or NAME_WORD_PARTICLE */
};

struct ctx {
	const char *t;
	uint32_t len;
	ARRAY(struct skip) skip; /* sorted, disjoint */
	uint32_t si;             /* first skip not ending before the position */
	ARRAY(struct word) chain;
	uint32_t chain_end;      /* raw end of the chain's last token */
	bool chain_closed;       /* it ended in a possessive */
	/* One per search, so that each is asked from increasing positions. */
	struct memo nl, close_sq, close_sq2, close_par, close_par2, close_gt, dollar, dollars;
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
/* What is not prose */

/* The first byte at or after p (before limit) for which `want` holds, or
 * limit; m remembers the answer for later searches. */
static uint32_t find(const struct ctx *c, struct memo *m, uint32_t p, uint32_t limit,
		     bool (*want)(const char *t, uint32_t at, uint32_t limit))
{
	if (m->valid && p >= m->from && p <= m->at && m->at <= limit)
		return m->at;
	uint32_t q = p;
	while (q < limit && !want(c->t, q, limit))
		q++;
	*m = (struct memo){ p, q, true };
	return q;
}

static bool want_nl(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == '\n' || t[at] == '\r';
}
static bool want_sq(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == ']';
}
static bool want_par(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == ')';
}
static bool want_gt(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == '>';
}
static bool want_dollar(const char *t, uint32_t at, uint32_t limit)
{
	(void)limit;
	return t[at] == '$';
}
static bool want_dollars(const char *t, uint32_t at, uint32_t limit)
{
	return t[at] == '$' && at + 1 < limit && t[at + 1] == '$';
}

static uint32_t line_end(struct ctx *c, uint32_t p)
{
	return find(c, &c->nl, p, c->len, want_nl);
}

/* Moves the skip cursor to p; returns the skip p lies in, or NULL. */
static const struct skip *skip_at(struct ctx *c, uint32_t p)
{
	while (c->si < c->skip.len && c->skip.items[c->si].end <= p)
		c->si++;
	if (c->si < c->skip.len && c->skip.items[c->si].start <= p)
		return &c->skip.items[c->si];
	return NULL;
}

static bool ascii_prefix_nocase(const char *t, uint32_t p, uint32_t end, const char *s)
{
	size_t n = strlen(s);
	if (end - p < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = t[p + i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != s[i])
			return false;
	}
	return true;
}

/* A URL starting at p: "scheme://", "www." or "mailto:". */
static bool url_at(const struct ctx *c, uint32_t p, uint32_t le)
{
	if (ascii_prefix_nocase(c->t, p, le, "www.") || ascii_prefix_nocase(c->t, p, le, "mailto:"))
		return true;
	uint32_t q = p;
	while (q < le && q - p < 32 &&
	       ((c->t[q] >= 'a' && c->t[q] <= 'z') || (c->t[q] >= 'A' && c->t[q] <= 'Z') ||
		(c->t[q] >= '0' && c->t[q] <= '9') || c->t[q] == '+' || c->t[q] == '.' ||
		c->t[q] == '-'))
		q++;
	return q > p && le - q >= 3 && memcmp(c->t + q, "://", 3) == 0;
}

/*
 * Where what starts at p and is not prose ends, if something does, else p:
 * a URL (to the next blank), a Markdown link or reference ("[text](url)",
 * "[text][ref]", "[ref]: url" to the line's end), an HTML tag or autolink,
 * math ("$$...$$" anywhere after, "$x$" on the line as Obsidian reads it:
 * no blank inside either dollar). *link is set for a Markdown link.
 */
static uint32_t special_end(struct ctx *c, uint32_t p, uint32_t le, bool *link)
{
	const char *t = c->t;
	*link = false;
	char ch = t[p];
	if (ch == '[') {
		uint32_t q = find(c, &c->close_sq, p + 1, le, want_sq);
		if (q >= le || q + 1 >= le)
			return p;
		if (t[q + 1] == '(') {
			uint32_t r = find(c, &c->close_par, q + 2, le, want_par);
			if (r < le) {
				*link = true;
				return r + 1;
			}
		} else if (t[q + 1] == '[') {
			uint32_t r = find(c, &c->close_sq2, q + 2, le, want_sq);
			if (r < le) {
				*link = true;
				return r + 1;
			}
		} else if (t[q + 1] == ':') {
			*link = true;
			return le;
		}
		return p;
	}
	if (ch == '<') {
		if (p + 1 < le && ((t[p + 1] >= 'a' && t[p + 1] <= 'z') ||
				   (t[p + 1] >= 'A' && t[p + 1] <= 'Z') || t[p + 1] == '/' ||
				   t[p + 1] == '!')) {
			uint32_t q = find(c, &c->close_gt, p + 1, le, want_gt);
			if (q < le)
				return q + 1;
		}
		return p;
	}
	if (ch == '$') {
		if (p + 1 < c->len && t[p + 1] == '$') {
			uint32_t q = find(c, &c->dollars, p + 2, c->len, want_dollars);
			return q < c->len ? q + 2 : p;
		}
		if (p + 1 < le && !is_blank(t[p + 1])) {
			uint32_t q = find(c, &c->dollar, p + 1, le, want_dollar);
			if (q < le && !is_blank(t[q - 1]) &&
			    !(q + 1 < le && t[q + 1] >= '0' && t[q + 1] <= '9'))
				return q + 1;
		}
		return p;
	}
	if (url_at(c, p, le)) {
		uint32_t q = p;
		while (q < le && !is_blank(t[q]))
			q++;
		return q;
	}
	return p;
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
			const struct skip *k = skip_at(c, p);
			bool md_link;
			uint32_t q = k ? k->end : special_end(c, p, le, &md_link);
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
				uint32_t r = find(c, &c->close_par2, p + 1, le, want_par);
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

static int skip_cmp(const void *a, const void *b)
{
	const struct skip *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void add_skip(struct ctx *c, struct span s, bool link)
{
	if (s.len) {
		struct skip k = { s.start, span_end(s), link };
		array_push(&c->skip, k);
	}
}

/* What the note model says is not prose, sorted and merged. */
static void build_skips(struct ctx *c, const struct note *n)
{
	for (uint32_t i = 0; i < n->headings.len; i++)
		add_skip(c, n->headings.items[i].line, false);
	for (uint32_t i = 0; i < n->zones.len; i++)
		add_skip(c, n->zones.items[i].span, false);
	for (uint32_t i = 0; i < n->links.len; i++)
		add_skip(c, n->links.items[i].span, true);
	for (uint32_t i = 0; i < n->tags.len; i++)
		add_skip(c, n->tags.items[i].span, false);
	for (uint32_t i = 0; i < n->blocks.len; i++)
		add_skip(c, n->blocks.items[i].span, false);
	if (!c->skip.len)
		return;
	qsort(c->skip.items, c->skip.len, sizeof(*c->skip.items), skip_cmp);
	uint32_t w = 0;
	for (uint32_t i = 1; i < c->skip.len; i++) {
		struct skip *last = &c->skip.items[w], *k = &c->skip.items[i];
		if (k->start < last->end) {
			if (k->end > last->end)
				last->end = k->end;
			last->link |= k->link;
		} else {
			c->skip.items[++w] = *k;
		}
	}
	c->skip.len = w + 1;
}

void mentions_find(const struct note *n, struct mention_list *out)
{
	struct ctx c = { 0 };
	c.t = n->text;
	c.len = n->len;
	c.out = out;
	build_skips(&c, n);
	uint32_t p = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	uint32_t body = p, le = 0;
	bool have_le = false;
	while (p < c.len) {
		if (!have_le || p > le) { /* a skip may have crossed lines */
			le = line_end(&c, p);
			have_le = true;
		}
		if (p == body || c.t[p - 1] == '\n' || c.t[p - 1] == '\r') {
			uint32_t cs = content_start(c.t, p, le);
			uint32_t after = label_end(c.t, cs, le);
			if (after > cs && !skip_at(&c, cs)) {
				flush(&c);
				with_line(&c, after, le);
				p = le;
				continue;
			}
		}
		const struct skip *k = skip_at(&c, p);
		if (k) {
			p = k->end;
			continue;
		}
		bool link;
		uint32_t q = special_end(&c, p, le, &link);
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
		uint32_t limit = c.si < c.skip.len ? c.skip.items[c.si].start : c.len;
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
	array_free(&c.skip);
}

void mentions_find_with(const struct note *n, struct mention_list *out)
{
	struct ctx c = { 0 };
	c.t = n->text;
	c.len = n->len;
	c.out = out;
	bool skips = false;
	uint32_t p = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	while (p < c.len) {
		uint32_t le = p;
		while (le < c.len && c.t[le] != '\n' && c.t[le] != '\r')
			le++;
		/* Most lines are not labelled: the label is looked for first,
		 * what is not prose only on the lines that have one. */
		uint32_t cs = content_start(c.t, p, le);
		uint32_t after = label_end(c.t, cs, le);
		if (after > cs) {
			if (!skips) {
				build_skips(&c, n);
				skips = true;
			}
			c.si = 0;
			c.nl = c.close_sq = c.close_sq2 = c.close_par = c.close_par2 = c.close_gt =
				c.dollar = c.dollars = (struct memo){ 0 };
			if (!skip_at(&c, cs))
				with_line(&c, after, le);
		}
		p = le + 1;
	}
	array_free(&c.skip);
}
