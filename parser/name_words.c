/*
 * name_words.c — what kind of word a token of prose is, for mentions.c:
 * Latin letters by case, capitalised words, particles and stop words.
 */
#include "name_words.h"

#include <string.h>

enum cp_class { CP_SEP, CP_UPPER, CP_LOWER, CP_MARK, CP_DIGIT, CP_OTHER_LETTER };

uint32_t name_words_decode(const char *t, uint32_t p, uint32_t end, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)t + p;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = utf8_seq_len(s, end - p);
	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	uint32_t c = s[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
	for (size_t i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3F);
	*cp = c;
	return (uint32_t)n;
}

/* Latin letters by case: ASCII, Latin-1 and Latin Extended-A (whose
 * pairs alternate, with the parity switching at U+0139 and U+0179). Other
 * scripts, and Latin Extended-B onwards, are letters that make a word not
 * a name here; the punctuation, symbols and emoji between are separators. */
static enum cp_class cp_class(uint32_t c)
{
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			return CP_UPPER;
		if (c >= 'a' && c <= 'z')
			return CP_LOWER;
		if (c >= '0' && c <= '9')
			return CP_DIGIT;
		return CP_SEP; /* '_' too: "_Kari Nordmann_" is emphasis */
	}
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return CP_SEP;
	if (c <= 0xDE)
		return CP_UPPER;
	if (c <= 0xFF)
		return CP_LOWER;
	if (c <= 0x17F) {
		if (c == 0x130 || c == 0x178)
			return CP_UPPER;
		if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return CP_LOWER;
		bool odd = c & 1;
		if ((c >= 0x139 && c <= 0x148) || c >= 0x179)
			return odd ? CP_UPPER : CP_LOWER;
		return odd ? CP_LOWER : CP_UPPER;
	}
	if (c >= 0x300 && c <= 0x36F)
		return CP_MARK; /* combining accents: "Søren" decomposed */
	if (c < 0x300 || (c >= 0x370 && c < 0x2000) || (c >= 0x3040 && c < 0xD800) ||
	    (c >= 0xF900 && c < 0xFE00))
		return CP_OTHER_LETTER;
	return CP_SEP;
}

bool name_words_is_word(uint32_t c)
{
	return cp_class(c) != CP_SEP;
}

bool name_words_is_connector(uint32_t c)
{
	return c == '-' || c == '\'' || c == 0x2019 || c == '.' || c == '@' || c == '/' ||
	       c == '\\';
}

static bool is_apostrophe(uint32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* ---------------------------------------------------------------------- */
static const char *const particles[] = {
	"van", "von", "de", "da", "di", "del", "der", "den", "du",
	"la",  "le",  "af", "av", "bin", "ibn", "al",
};

/* Capitalised words that start sentences and titles far more often than
 * they are names: never the first or last word of a run, never a
 * MENTION_WORD. Function words, the pipeline's usual openers, days and
 * months. */
static const char *const stop_words[] = {
	"A", "About", "Action", "After", "Agenda", "Agreed", "All", "Also", "An", "And",
	"Another", "Any", "April", "As", "Ask", "Asked", "At", "August", "Because",
	"Before", "Both", "But", "By", "Call", "Called", "Can", "Could", "Dear", "December",
	"Decided", "Discussed", "During", "Each", "Email", "Every", "February", "Follow",
	"For", "Friday", "From", "He", "Hello", "Her", "Hi", "His", "How", "However", "I",
	"If", "In", "Into", "Is", "It", "Its", "January", "July", "June", "Just", "Last",
	"March", "May", "Meeting", "Met", "Monday", "Most", "My", "Next", "No", "None",
	"Not", "Note", "Notes", "November", "Now", "October", "Of", "On", "Or", "Our",
	"Owner", "Please", "Re", "Saturday", "September", "She", "Should", "Since", "So",
	"Some", "Sunday", "Thanks", "That", "The", "Their", "Then", "There", "These",
	"They", "This", "Those", "Thursday", "To", "Today", "Tomorrow", "Tuesday",
	"Until", "We", "Wednesday", "What", "When", "Where", "Which", "While", "Who",
	"Why", "Will", "With", "Without", "Yes", "Yesterday", "You", "Your",
};

static bool in_list(const char *const *list, size_t n, const char *s, uint32_t len)
{
	/* Called for every word of every note: the first byte rules out
	 * nearly every entry before any length is counted. */
	for (size_t i = 0; i < n; i++)
		if (list[i][0] == s[0] && strncmp(list[i], s, len) == 0 && list[i][len] == '\0')
			return true;
	return false;
}

enum name_word_kind name_words_classify(const char *t, uint32_t s, uint32_t e,
					 uint32_t *name_end, uint32_t *letters, bool *possessive)
{
	bool cap = true, lower = true, connected = false;
	uint32_t seg_letters = 0, total = 0, seg_start = s;
	bool seg_first_upper = false, seg_rest_lower = true;
	uint32_t conn_len = 0; /* bytes of the apostrophe before the part, if one */
	*possessive = false;
	*name_end = e;
	for (uint32_t p = s; p <= e;) {
		uint32_t cp = 0, n = 0;
		if (p < e)
			n = name_words_decode(t, p, e, &cp);
		if (p == e || name_words_is_connector(cp)) {
			/* The end of a part. */
			bool last = p == e;
			bool apos_next = !last && is_apostrophe(cp);
			bool seg_is_s = seg_letters == 1 && t[seg_start] == 's';
			if (last && seg_is_s && conn_len) {
				/* "Kari's": the possessive is not the name's. */
				*name_end = seg_start - conn_len;
				*possessive = true;
				total--;
				break;
			}
			if (!(seg_first_upper && seg_rest_lower &&
			      (seg_letters >= 2 || (apos_next && seg_letters == 1))))
				cap = false;
			if (seg_first_upper || !seg_rest_lower)
				lower = false;
			if (last)
				break;
			if (cp != '-' && !is_apostrophe(cp))
				return NAME_WORD_OTHER;
			connected = true;
			conn_len = is_apostrophe(cp) ? n : 0;
			p += n;
			seg_start = p;
			seg_letters = 0;
			seg_first_upper = false;
			seg_rest_lower = true;
			continue;
		}
		switch (cp_class(cp)) {
		case CP_UPPER:
			if (seg_letters == 0)
				seg_first_upper = true;
			else
				seg_rest_lower = false;
			seg_letters++;
			total++;
			break;
		case CP_LOWER:
			seg_letters++;
			total++;
			break;
		case CP_MARK:
			if (seg_letters == 0)
				return NAME_WORD_OTHER;
			break;
		default:
			return NAME_WORD_OTHER;
		}
		p += n;
	}
	*letters = total;
	/* A possessive after something that is not a name: check the rest. */
	if (*possessive && !cap && !lower)
		return NAME_WORD_OTHER;
	if (cap)
		return in_list(stop_words, sizeof(stop_words) / sizeof(*stop_words), t + s,
			       *name_end - s)
			       ? NAME_WORD_STOP
			       : NAME_WORD_CAP;
	if (lower && !connected && !*possessive &&
	    in_list(particles, sizeof(particles) / sizeof(*particles), t + s, e - s))
		return NAME_WORD_PARTICLE;
	return lower ? NAME_WORD_LOWER : NAME_WORD_OTHER;
}
