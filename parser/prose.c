/*
 * prose.c — the prose of a note's body and its words (rules in prose.h):
 * one pass that steps over what not_prose.c says is not prose (headings
 * kept), URLs found at their "://" as the pass meets them.
 */
#include "prose.h"

#include "bytes.h"
#include "name_words.h"
#include "not_prose.h"

static uint32_t to_blank(const char *t, uint32_t p, uint32_t le)
{
	while (p < le && !is_blank(t[p]))
		p++;
	return p;
}

/*
 * Where what starts at p and is not prose ends, or p if nothing does: a
 * Markdown link or reference, an HTML tag or autolink, math (all three as
 * not_prose.c sees them), a URL. A URL is seen at its "://", after its
 * scheme: *cut is then where it started (else p).
 */
static uint32_t special_end(struct not_prose *np, uint32_t p, uint32_t run, uint32_t *cut)
{
	const char *t = np->t;
	char ch = t[p];
	*cut = p;
	if ((ch == 'w' || ch == 'W' || ch == 'm' || ch == 'M') && p > 0 && is_ascii_alnum(t[p - 1]))
		return p; /* inside a word */
	if (ch == ':' && !(p + 2 < np->len && t[p + 1] == '/' && t[p + 2] == '/'))
		return p;
	uint32_t le = not_prose_line_end(np, p);
	if (ch == ':') {
		uint32_t s = p;
		while (s > run && p - s < 32 &&
		       (is_ascii_alnum(t[s - 1]) || t[s - 1] == '+' || t[s - 1] == '.' || t[s - 1] == '-'))
			s--;
		if (s == p || (s > 0 && is_ascii_alnum(t[s - 1])))
			return p;
		*cut = s;
		return to_blank(t, p, le);
	}
	if (ch == '[' || ch == '<' || ch == '$') {
		bool link;
		return not_prose_special_end(np, p, le, &link);
	}
	/* 'w', 'm' at a word's start */
	if (ascii_prefix_nocase(t, p, le, "www.") || ascii_prefix_nocase(t, p, le, "mailto:"))
		return to_blank(t, p, le);
	return p;
}

static void emit(struct prose_spans *out, uint32_t start, uint32_t end)
{
	if (end > start) {
		struct span s = { start, end - start };
		array_push(out, s);
	}
}

/* Bytes where something that is not prose may start. */
static const bool may_start[256] = {
	['['] = true, ['<'] = true, ['$'] = true, [':'] = true,
	['w'] = true, ['W'] = true, ['m'] = true, ['M'] = true,
};

/* At a 'w' or 'm', does "www." or "mailto:" start (any case)? The other
 * bytes may_start says yes to need a closer look. A cheap test: every
 * word with an 'm' or a 'w' passes here. */
static bool maybe_url(const char *t, uint32_t p, uint32_t limit)
{
	char ch = (char)(t[p] | 0x20);
	if (ch == 'w')
		return limit - p > 4 && (t[p + 1] | 0x20) == 'w' && (t[p + 2] | 0x20) == 'w' && t[p + 3] == '.';
	if (ch == 'm')
		return limit - p > 7 && (t[p + 1] | 0x20) == 'a' && t[p + 6] == ':';
	return true;
}

void prose_spans(const struct note *n, struct prose_spans *out)
{
	struct not_prose np;
	not_prose_init(&np, n, NOT_PROSE_TAG_DIGIT);
	uint32_t p = has_bom(n->text, n->len, n->body) ? n->body + 3 : n->body;
	uint32_t run = p;
	for (;;) {
		const struct not_prose_skip *k = not_prose_skip_at(&np, p);
		if (k) {
			emit(out, run, p);
			p = run = k->end;
			continue;
		}
		if (p >= np.len)
			break;
		uint32_t limit = not_prose_next_skip(&np);
		while (p < limit && !may_start[(unsigned char)np.t[p]])
			p++;
		if (p >= limit)
			continue;
		if (!maybe_url(np.t, p, limit)) {
			p++;
			continue;
		}
		uint32_t cut, q = special_end(&np, p, run, &cut);
		if (q > p) {
			emit(out, run, cut);
			p = run = q;
			continue;
		}
		p++;
	}
	emit(out, run, np.len);
	not_prose_fini(&np);
}

/* ---------------------------------------------------------------------- */
/* Words */

/* The code point at t[p] (ASCII without a call); its length. */
static uint32_t decode(const char *t, uint32_t p, uint32_t end, uint32_t *cp)
{
	if ((unsigned char)t[p] < 0x80) {
		*cp = (unsigned char)t[p];
		return 1;
	}
	return name_words_decode(t, p, end, cp);
}

static bool is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	return name_words_is_word(cp);
}

static bool is_mark(uint32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Capitals of the scripts names.h folds: ASCII, Latin-1, Latin
 * Extended-A (pairs alternate, the parity switching at U+0139 and
 * U+0179), Greek and Cyrillic. */
static bool is_upper(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	if (c >= 0xC0 && c <= 0xDE)
		return c != 0xD7;
	if (c >= 0x100 && c <= 0x17F) {
		if (c == 0x130 || c == 0x178)
			return true;
		if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return false;
		bool odd = c & 1;
		return ((c >= 0x139 && c <= 0x148) || c >= 0x179) ? odd : !odd;
	}
	return (c >= 0x386 && c <= 0x3AB && c != 0x387 && c != 0x3A2) ||
	       (c >= 0x400 && c <= 0x42F);
}

/* Does the word at s start a line, a sentence or a cell: is only
 * punctuation, blanks, markers and task boxes between the last end of
 * sentence (or the line's start) and it? */
static bool starts_sentence(const char *t, uint32_t s)
{
	/* Most words follow a blank after another word. */
	if (s >= 2 && t[s - 1] == ' ' && is_ascii_alnum(t[s - 2]))
		return false;
	uint32_t q = s;
	while (q > 0) {
		unsigned char ch = (unsigned char)t[q - 1];
		if (ch == '\n' || ch == '\r' || ch == '.' || ch == '!' || ch == '?' || ch == '|')
			return true;
		if (ch < 0x80) {
			if (is_ascii_alnum(ch)) {
				/* "- [x] Priya": a task's box is a marker. */
				if (q >= 2 && t[q - 2] == '[' && q < s && t[q] == ']') {
					q -= 2;
					continue;
				}
				return false;
			}
			q--;
			continue;
		}
		uint32_t k = q - 1;
		while (k > 0 && q - k < 4 && ((unsigned char)t[k] & 0xC0) == 0x80)
			k--;
		uint32_t cp;
		if (name_words_decode(t, k, q, &cp) == q - k && is_word(cp))
			return false;
		q = name_words_decode(t, k, q, &cp) == q - k ? k : q - 1;
	}
	return true;
}

static bool is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019;
}

void prose_words(const char *t, uint32_t from, uint32_t to, struct prose_word_list *out)
{
	const unsigned char *u = (const unsigned char *)t;
	uint32_t p = from;
	while (p < to) {
		uint32_t cp, n;
		if (u[p] < 0x80) {
			if (!is_ascii_alnum(u[p])) {
				p++;
				continue;
			}
			cp = u[p];
			n = 1;
		} else {
			n = name_words_decode(t, p, to, &cp);
			if (!name_words_is_word(cp)) {
				p += n;
				continue;
			}
		}
		struct prose_word w = { p, p, 0, PROSE_ASCII };
		bool first_letter = true;
		uint32_t joins = 0, last_join = p, last_join_len = 0;
		for (;;) {
			/* Word characters: cp at p, n bytes. */
			if (n > 1)
				w.flags &= (uint8_t)~PROSE_ASCII;
			if (!(cp >= '0' && cp <= '9') && !is_mark(cp)) {
				if (first_letter && is_upper(cp))
					w.flags |= PROSE_UPPER;
				first_letter = false;
				w.letters++;
			}
			p += n;
			while (p < to && u[p] < 0x80 && is_ascii_alnum(u[p])) {
				if (u[p] > '9') {
					if (first_letter && u[p] <= 'Z')
						w.flags |= PROSE_UPPER;
					first_letter = false;
					w.letters++;
				}
				p++;
			}
			if (p >= to)
				break;
			n = decode(t, p, to, &cp);
			if (is_word(cp))
				continue;
			uint32_t nx, m;
			if (name_words_is_connector(cp) && p + n < to &&
			    (m = decode(t, p + n, to, &nx), is_word(nx))) {
				joins++;
				last_join = p;
				last_join_len = n;
				if (n > 1)
					w.flags &= (uint8_t)~PROSE_ASCII;
				p += n;
				n = m;
				cp = nx;
				continue;
			}
			break;
		}
		w.end = p;
		/* "Priya's": the possessive is not the word's. */
		if (joins && last_join + last_join_len + 1 == p && (t[p - 1] == 's' || t[p - 1] == 'S')) {
			uint32_t ap;
			decode(t, last_join, to, &ap);
			if (is_apostrophe(ap)) {
				w.end = last_join;
				w.letters--;
				joins--;
			}
		}
		if (joins)
			w.flags |= PROSE_JOINED;
		if (w.letters)
			w.flags |= PROSE_LETTER;
		if (starts_sentence(t, w.start))
			w.flags |= PROSE_START;
		array_push(out, w);
	}
}
