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
/* The lists are grouped by length: a word is compared only with those of
 * its length, each comparison one load or two (in_list). */

/* van, von, de, da, di, del, der, den, du, la, le, af, av, bin, ibn, al */
static const char particles2[][3] = {
	"de", "da", "di", "du", "la", "le", "af", "av", "al",
};
static const char particles3[][4] = {
	"van", "von", "del", "der", "den", "bin", "ibn",
};

/* Capitalised words that start sentences and titles far more often than
 * they are names: never the first or last word of a run, never a
 * MENTION_WORD. Function words, the pipeline's usual openers, days and
 * months. */
static const char stop1[][2] = {
	"A", "I",
};
static const char stop2[][3] = {
	"An", "As", "At", "By", "He", "Hi", "If", "In", "Is", "It", "My", "No",
	"Of", "On", "Or", "Re", "So", "To", "We",
};
static const char stop3[][4] = {
	"All", "And", "Any", "Ask", "But", "Can", "For", "Her", "His", "How",
	"Its", "May", "Met", "Not", "Now", "Our", "She", "The", "Who", "Why",
	"Yes", "You",
};
static const char stop4[][5] = {
	"Also", "Both", "Call", "Dear", "Each", "From", "Into", "July", "June",
	"Just", "Last", "Most", "Next", "None", "Note", "Some", "That", "Then",
	"They", "This", "What", "When", "Will", "With", "Your",
};
static const char stop5[][6] = {
	"About", "After", "April", "Asked", "Could", "Email", "Every", "Hello",
	"March", "Notes", "Owner", "Since", "Their", "There", "These", "Those",
	"Today", "Until", "Where", "Which", "While",
};
static const char stop6[][7] = {
	"Action", "Agenda", "Agreed", "August", "Before", "Called", "During",
	"Follow", "Friday", "Monday", "Please", "Should", "Sunday", "Thanks",
};
static const char stop7[][8] = {
	"Another", "Because", "Decided", "However", "January", "Meeting",
	"October", "Tuesday", "Without",
};
static const char stop8[][9] = {
	"December", "February", "November", "Saturday", "Thursday", "Tomorrow",
};
static const char stop9[][10] = {
	"Discussed", "September", "Wednesday", "Yesterday",
};

/* Whether s is one of list's count words of size - 1 bytes each. */
static inline bool in_list(const char *list, size_t count, size_t size, const char *s)
{
	for (size_t i = 0; i < count; i++)
		if (memcmp(list + i * size, s, size - 1) == 0)
			return true;
	return false;
}

#define IN_LIST(list, s) in_list(*(list), sizeof(list) / sizeof(*(list)), sizeof(*(list)), (s))

/* Called for every short lower-case word. */
bool name_words_is_particle(const char *s, uint32_t len)
{
	if (len == 2)
		return IN_LIST(particles2, s);
	if (len == 3)
		return IN_LIST(particles3, s);
	return false;
}

/* Called for every capitalised word of every note. */
bool name_words_is_stop_word(const char *s, uint32_t len)
{
	switch (len) {
	case 1: return IN_LIST(stop1, s);
	case 2: return IN_LIST(stop2, s);
	case 3: return IN_LIST(stop3, s);
	case 4: return IN_LIST(stop4, s);
	case 5: return IN_LIST(stop5, s);
	case 6: return IN_LIST(stop6, s);
	case 7: return IN_LIST(stop7, s);
	case 8: return IN_LIST(stop8, s);
	case 9: return IN_LIST(stop9, s);
	}
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
		return name_words_is_stop_word(t + s, *name_end - s) ? NAME_WORD_STOP
								     : NAME_WORD_CAP;
	if (lower && !connected && !*possessive && name_words_is_particle(t + s, e - s))
		return NAME_WORD_PARTICLE;
	return lower ? NAME_WORD_LOWER : NAME_WORD_OTHER;
}
