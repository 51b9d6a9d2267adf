/*
 * garble.c — what garbled text, and the text it stands for, look like: the
 * evidence mojibake.c weighs before it calls a stretch mojibake.
 */
#include "garble.h"

/* ---------------------------------------------------------------------- */
/* What garbled characters look like */

/*
 * The class of a character that some byte 0x80-0xFF decodes to, for judging
 * whether a sequence of them could be genuine text. Only meaningful for
 * those characters (everything else comes out as SYM).
 */
enum cls {
	C_CTRL,  /* C1 controls: never in real text */
	C_SPACE, /* no-break space, soft hyphen */
	C_UP,    /* capital letters */
	C_LO,    /* small letters */
	C_PUNCT, /* quotes, dashes, ellipsis: glue to letters in real text */
	C_SYM,   /* the rest: ©, ™, √, ¨, †, ... */
};

static bool is_punct(uint32_t cp)
{
	switch (cp) {
	case 0x00A1: case 0x00AB: case 0x00B7: case 0x00BB: case 0x00BF:
	case 0x2013: case 0x2014: case 0x2018: case 0x2019: case 0x201A:
	case 0x201C: case 0x201D: case 0x201E: case 0x2026: case 0x2039:
	case 0x203A:
		return true;
	}
	return false;
}

static enum cls cls_of(uint32_t cp)
{
	if (cp >= 0x80 && cp < 0xA0)
		return C_CTRL;
	if (cp == 0xA0 || cp == 0xAD)
		return C_SPACE;
	if (is_punct(cp))
		return C_PUNCT;
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || cp == 0x152 ||
	    cp == 0x160 || cp == 0x178 || cp == 0x17D)
		return C_UP;
	if ((cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || cp == 0x131 ||
	    cp == 0x153 || cp == 0x161 || cp == 0x17E || cp == 0xFB01 ||
	    cp == 0xFB02)
		return C_LO;
	return C_SYM;
}

/* Symbols that legitimately sit side by side in formulas ("√π", "±∞"). */
static bool is_math(uint32_t cp)
{
	switch (cp) {
	case 0x00B1: case 0x00B2: case 0x00B3: case 0x00B9: case 0x00D7:
	case 0x00F7: case 0x03A9: case 0x03C0: case 0x2202: case 0x2206:
	case 0x220F: case 0x2211: case 0x221A: case 0x221E: case 0x222B:
	case 0x2248: case 0x2260: case 0x2264: case 0x2265:
		return true;
	}
	return false;
}

static bool is_letter_cls(enum cls c)
{
	return c == C_UP || c == C_LO;
}

/* A letter of a word: ASCII, or an accented letter garbling produces. */
bool garble_letter(uint32_t c)
{
	if (c == NO_CHAR)
		return false;
	return c < 0x80 ? ascii_alnum(c) : is_letter_cls(cls_of(c));
}

/* ---------------------------------------------------------------------- */
/* What repaired characters look like */

/* Combining marks, variation selectors and tags: they only make sense
 * after a base character. */
bool garble_combining(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
	       (cp >= 0x0591 && cp <= 0x05BD) || cp == 0x05BF || cp == 0x05C1 ||
	       cp == 0x05C2 || cp == 0x05C4 || cp == 0x05C5 || cp == 0x05C7 ||
	       (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) ||
	       cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED) ||
	       (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	       (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0xE0000 && cp <= 0xE01EF);
}

/*
 * Could garbling have produced this character, decoded from an n-byte
 * sequence? Never C1 controls, private use or noncharacters. Two-byte
 * sequences are where accidents happen (any capital followed by a symbol
 * decodes to something), so they must land in a script people write:
 * Latin, Greek, Cyrillic, Hebrew, Arabic — not IPA, Armenian, Syriac, NKo.
 * Four-byte ones stop at plane 3, but for tags and variation selectors.
 */
bool garble_plausible(uint32_t cp, unsigned n)
{
	if (cp < 0xA0)
		return false;
	if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
		return false;
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return false;
	if (n == 2)
		return cp <= 0x24F || cp == 0x259 ||
		       (cp >= 0x300 && cp <= 0x3FF) ||
		       (cp >= 0x400 && cp <= 0x52F) ||
		       (cp >= 0x591 && cp <= 0x5C7) ||
		       (cp >= 0x5D0 && cp <= 0x5F4) ||
		       (cp >= 0x600 && cp <= 0x6FF);
	if (n == 3)
		return !(cp >= 0x800 && cp <= 0x8FF) &&
		       !(cp >= 0xFFF0 && cp <= 0xFFFC);
	return cp <= 0x3FFFF || (cp >= 0xE0000 && cp <= 0xE01EF);
}

/*
 * Plausible but unusual: combining marks, the rarely used parts of Latin
 * Extended-B, IPA, Armenian to NKo, historic scripts. Weak pieces that
 * decode to these are never repaired, and when both encodings read a run,
 * the one with fewer of them wins ("Ã¥" is "å" in Windows-1252 but
 * U+0334 COMBINING TILDE OVERLAY in Mac Roman).
 */
bool garble_weird(uint32_t cp)
{
	if (garble_combining(cp))
		return true;
	if (cp >= 0x180 && cp <= 0x24F) /* keep ə Ə ƒ, Vietnamese ơ ư, pinyin ǎ, Romanian ș ț */
		return !(cp == 0x18F || cp == 0x192 || cp == 0x1A0 || cp == 0x1A1 ||
			 cp == 0x1AF || cp == 0x1B0 || (cp >= 0x1CD && cp <= 0x1DC) ||
			 (cp >= 0x218 && cp <= 0x21B));
	if (cp >= 0x250 && cp <= 0x2FF)
		return cp != 0x259 && cp != 0x2BB && cp != 0x2BC;
	if ((cp >= 0x530 && cp <= 0x58F) || (cp >= 0x700 && cp <= 0x8FF))
		return true;
	if ((cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFFF0 && cp <= 0xFFFC))
		return true;
	if (cp >= 0x10000 && cp <= 0x1EFFF) /* but for 𝐛𝐨𝐥𝐝 "fancy text" letters */
		return !(cp >= 0x1D400 && cp <= 0x1D7FF);
	if ((cp >= 0x1FB00 && cp <= 0x1FFFF) || cp >= 0x30000)
		return !(cp >= 0xE0020 && cp <= 0xE007F);
	return false;
}

/* ---------------------------------------------------------------------- */
/* Garbled beyond doubt */

/*
 * Is the garbled text m[0..n) — prev and next are the characters around it
 * — wrong in a way genuine text is not? Each rule is a pattern that shows
 * up in garbled text and that none of the genuine corpus has (see the top of
 * mojibake.c).
 */
bool garble_strong(const struct ch *m, uint32_t n, uint32_t prev, uint32_t next)
{
	bool prev_alpha = prev != NO_CHAR && ascii_alpha(prev);
	bool next_alpha = next != NO_CHAR && ascii_alpha(next);
	bool next_alnum = next != NO_CHAR && ascii_alnum(next);
	for (uint32_t j = 0; j + 1 < n; j++) {
		uint32_t a = m[j].cp, b = m[j + 1].cp;
		enum cls x = cls_of(a), y = cls_of(b);
		if (x == C_CTRL || y == C_CTRL)
			return true;
		/* Two symbols glued: only in formulas, and formulas are not
		 * glued to words ("pi√π" is "più", "√π" stays). */
		if (x == C_SYM && y == C_SYM &&
		    (!is_math(a) || !is_math(b) || prev_alpha || next_alpha))
			return true;
		/* A symbol glued to a letter ("Ã©", "è´"), but for a brand
		 * mark closing a word ("PÂTÉ™"). */
		if ((x == C_SYM && is_letter_cls(y)) || (y == C_SYM && is_letter_cls(x))) {
			bool brand = y == C_SYM && (b == 0x2122 || b == 0xAE) &&
				     j + 2 == n && !next_alnum;
			if (!brand)
				return true;
		}
		/* A dash glued to a symbol: Mac Roman Cyrillic ("–∏"). */
		if (y == C_SYM && (a == 0x2013 || a == 0x2014))
			return true;
		if (x == C_SPACE && y == C_SPACE)
			return true;
		/* Case flipping inside a word ("Äô", "ìÖ"). */
		if ((x == C_UP && y == C_LO) || (x == C_LO && y == C_UP))
			return true;
	}
	/* Guillemets or an ellipsis inside a word ("fi»ôier", "lá»—i"). */
	if (prev_alpha && next_alpha)
		for (uint32_t j = 0; j < n; j++)
			if (m[j].cp == 0xAB || m[j].cp == 0xBB || m[j].cp == 0x2026)
				return true;
	/* A capital after a small letter ("schÃ¶n"). */
	if (cls_of(m[0].cp) == C_UP && prev >= 'a' && prev <= 'z')
		return true;
	/* Windows-1252's lead bytes for Latin-1: "Ã" and "Â" followed by
	 * anything, unless it ends an upper-case word ("AMANHÃ”"). */
	if (m[0].cp == 0xC3 || m[0].cp == 0xC2) {
		enum cls y = cls_of(m[1].cp);
		bool word_end = (y == C_PUNCT || y == C_SPACE) &&
				prev >= 'A' && prev <= 'Z' && !next_alpha;
		if (!word_end)
			return true;
	}
	/* "ÃŸ" (ß), "ÄŒ" (Č), "ÅŸ" (ş): no language has these pairs. */
	if (m[0].cp >= 0xC2 && m[0].cp <= 0xC5 &&
	    (m[1].cp == 0x152 || m[1].cp == 0x160 || m[1].cp == 0x17D ||
	     m[1].cp == 0x178))
		return true;
	return false;
}

/*
 * For three or more characters standing for one, the structure alone is
 * strong evidence — unless the stretch reads as ordinary text: one word in
 * one case ("ÈÉÆ"), or a letter followed by punctuation ("é »" with a
 * no-break space, "é’”").
 */
bool garble_ordinary(const struct ch *m, uint32_t n)
{
	enum cls first = cls_of(m[0].cp);
	bool same_case = true, then_punct = is_letter_cls(first);
	for (uint32_t j = 1; j < n; j++) {
		enum cls c = cls_of(m[j].cp);
		same_case = same_case && c == first && is_letter_cls(c);
		then_punct = then_punct && (c == C_PUNCT || c == C_SPACE);
	}
	return same_case || then_punct;
}
