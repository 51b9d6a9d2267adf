/*
 * mojibake.c — UTF-8 that went through Mac Roman or Windows-1252 once.
 *
 * When UTF-8 bytes are decoded as a single-byte encoding, every byte of a
 * multi-byte character becomes a character of its own: é (C3 A9) becomes
 * "Ã©" through Windows-1252 and "√©" through Mac Roman. Undoing it means
 * mapping each such character back to its byte and decoding the bytes as
 * UTF-8 again.
 *
 * The hard part is not the repair but knowing when not to: most pairs of
 * accented letters and punctuation map back to bytes that happen to be valid
 * UTF-8 ("’é" in "l’été" maps to D5 8E, an Armenian letter). So a stretch is
 * repaired only when
 *  - it maps back to valid UTF-8, character by character ("pieces"), to a
 *    code point that garbling actually produces (plausible());
 *  - and the garbled text looks wrong in a way real text does not: a C1
 *    control, a symbol glued to a letter ("Ã©", "√©"), a lower-case letter
 *    followed by a capital ("ìÖ"), three characters standing for one
 *    ("‚è´"), ... (strong()). Pieces without such evidence ("weak") are
 *    repaired only in a line that has a strong one of the same encoding:
 *    a pipeline garbles whole lines, never one character of them.
 * The rules were tuned on 1.1 million genuine lines in 100+ languages (the
 * translation catalogues and translated manual pages of a Debian system):
 * none of that text gives a finding (but for the few hundred lines in it
 * that are garbled themselves), and over 99.5% of its Latin-script lines,
 * garbled through either encoding, come back whole.
 *
 * Work is per line, per run of consecutive non-ASCII characters (ASCII and
 * invalid bytes split runs, and the garbled form of a character never
 * contains ASCII), and per encoding; every character is looked at a fixed
 * number of times, so the whole is linear.
 */
#include "mojibake.h"

#include <stdlib.h>
#include <string.h>

enum encoding { ENC_MAC, ENC_WIN, ENC_COUNT };

/*
 * Mac OS Roman, bytes 0x80-0xFF: Apple's ROMAN.TXT as published by the
 * Unicode Consortium (MAPPINGS/VENDORS/APPLE/ROMAN.TXT), with 0xDB = U+20AC
 * EURO SIGN as since Mac OS 8.5. 0xF0 is the Apple logo, private-use U+F8FF,
 * which many converters drop: that is how "📅" (F0 9F 93 85) ends up as
 * "üìÖ", the lead byte gone.
 */
static const uint16_t mac_roman[128] = {
	0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, /* 80 */
	0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8, /* 88 */
	0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3, /* 90 */
	0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, /* 98 */
	0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF, /* A0 */
	0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8, /* A8 */
	0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, /* B0 */
	0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8, /* B8 */
	0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB, /* C0 */
	0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, /* C8 */
	0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, /* D0 */
	0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02, /* D8 */
	0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, /* E0 */
	0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4, /* E8 */
	0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC, /* F0 */
	0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7, /* F8 */
};

/*
 * Windows-1252, bytes 0x80-0xFF: the WHATWG Encoding Standard's
 * index-windows-1252 (Microsoft's cp1252 chart; 0xA0-0xFF are Latin-1). The
 * five bytes cp1252 leaves undefined (81 8D 8F 90 9D) map to the C1 control
 * of the same value, as WHATWG and Latin-1 decoders do: that is where the
 * "\xC2\x9D" in "â€\x9d" (for ”) comes from.
 */
static const uint16_t windows_1252[128] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80 */
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, /* 88 */
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90 */
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, /* 98 */
	0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, /* A0 */
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, /* A8 */
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, /* B0 */
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, /* B8 */
	0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7, /* C0 */
	0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF, /* C8 */
	0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7, /* D0 */
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF, /* D8 */
	0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, /* E0 */
	0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF, /* E8 */
	0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7, /* F0 */
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF, /* F8 */
};

/* "No character": outside the line, or an invalid byte. */
#define NO_CHAR UINT32_MAX

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

static bool ascii_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_alnum(uint32_t c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* A letter of a word: ASCII, or an accented letter garbling produces. */
static bool is_letter(uint32_t c)
{
	if (c == NO_CHAR)
		return false;
	return c < 0x80 ? ascii_alnum(c) : is_letter_cls(cls_of(c));
}

/* ---------------------------------------------------------------------- */
/* What repaired characters look like */

/* Combining marks, variation selectors and tags: they only make sense
 * after a base character. */
static bool is_combining(uint32_t cp)
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
static bool plausible(uint32_t cp, unsigned n)
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
static bool is_weird(uint32_t cp)
{
	if (is_combining(cp))
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
/* The finder */

/* A code point above U+00FF that some byte decodes to, and the byte: one
 * entry of a reverse table. */
struct image {
	uint32_t cp;
	uint8_t byte;
};

/* One character of a run: where it starts, what it is. */
struct ch {
	uint32_t off;
	uint32_t cp;
};

/* A stretch of a run that one encoding maps back to one UTF-8 character. */
struct piece {
	uint32_t first, n; /* the run's characters [first, first + n) */
	uint32_t cp;       /* what they stand for */
	bool strong;       /* garbled beyond doubt */
	bool weird;        /* is_weird(cp) */
};

struct finder {
	const unsigned char *text;
	struct mojibake_list *out;
	bool tables_ready;
	uint8_t latin[ENC_COUNT][128];   /* byte for U+0080..U+00FF, or 0 */
	struct image high[ENC_COUNT][128]; /* the others, sorted by code point */
	uint32_t nhigh[ENC_COUNT];
	ARRAY(struct ch) run;            /* the current run */
	ARRAY(uint8_t) bytes;            /* the run through one encoding; 0 = not in it */
	ARRAY(struct piece) pieces[ENC_COUNT];
	bool line_strong[ENC_COUNT];     /* the current line has a strong piece */
};

/*
 * The reverse tables, built on the first line that needs them rather than
 * kept in a global. Cheap (a few hundred steps), as callers may go line by
 * line: most code points are below U+0100 and get a direct table, the
 * few dozen others an insertion-sorted one.
 */
static void finder_tables(struct finder *f)
{
	static const uint16_t *const forward[ENC_COUNT] = { mac_roman, windows_1252 };
	if (f->tables_ready)
		return;
	for (int e = 0; e < ENC_COUNT; e++) {
		memset(f->latin[e], 0, sizeof(f->latin[e]));
		f->nhigh[e] = 0;
		for (int i = 0; i < 128; i++) {
			uint32_t cp = forward[e][i];
			uint8_t byte = (uint8_t)(0x80 + i);
			if (cp < 0x100) {
				f->latin[e][cp - 0x80] = byte;
				continue;
			}
			uint32_t j = f->nhigh[e]++;
			for (; j > 0 && f->high[e][j - 1].cp > cp; j--)
				f->high[e][j] = f->high[e][j - 1];
			f->high[e][j] = (struct image){ cp, byte };
		}
	}
	f->tables_ready = true;
}

/* The byte encoding e decodes to cp, or 0. */
static uint8_t to_byte(const struct finder *f, enum encoding e, uint32_t cp)
{
	if (cp < 0x80)
		return 0;
	if (cp < 0x100)
		return f->latin[e][cp - 0x80];
	/* Nothing between π and the dashes: Cyrillic, Hebrew, Arabic, the
	 * Indic scripts, ... skip the search. */
	if (cp > 0x3C0 && cp < 0x2013)
		return 0;
	uint32_t lo = 0, hi = f->nhigh[e];
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (f->high[e][mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nhigh[e] && f->high[e][lo].cp == cp ? f->high[e][lo].byte : 0;
}

static uint32_t utf8_decode(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0];
	uint32_t cp = s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

static unsigned utf8_width(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static void utf8_put(struct strbuf *b, uint32_t cp)
{
	static const unsigned char lead[5] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	char s[4];
	unsigned n = utf8_width(cp);
	if (n == 1) {
		s[0] = (char)cp;
	} else {
		for (unsigned i = n - 1; i > 0; i--) {
			s[i] = (char)(0x80 | (cp & 0x3F));
			cp >>= 6;
		}
		s[0] = (char)(lead[n] | cp);
	}
	strbuf_put(b, s, n);
}

/* The UTF-8 character bytes[k..end) starts with: its length (2-4), or 0. */
static unsigned decode_at(const uint8_t *bytes, uint32_t k, uint32_t end,
			  uint32_t *cp)
{
	unsigned char s[4];
	uint32_t n = end - k < 4 ? end - k : 4;
	memcpy(s, bytes + k, n);
	size_t len = utf8_seq_len(s, n);
	if (len < 2)
		return 0;
	*cp = utf8_decode(s, len);
	return (unsigned)len;
}

/*
 * "üìÖ": the three continuation bytes of an emoji whose lead byte F0 (Mac
 * Roman's Apple logo) was dropped. Only U+1F000-U+1FAFF, the emoji blocks:
 * the second byte must be 9F (ü) and the third 80-AB.
 */
static bool decode_lost_lead(const uint8_t *bytes, uint32_t k, uint32_t end,
			     uint32_t *cp)
{
	if (end - k < 3 || bytes[k] != 0x9F || bytes[k + 1] < 0x80 ||
	    bytes[k + 1] > 0xAB || (bytes[k + 2] & 0xC0) != 0x80)
		return false;
	*cp = 0x1F000 | (uint32_t)(bytes[k + 1] & 0x3F) << 6 | (bytes[k + 2] & 0x3F);
	return true;
}

/* True when a piece of either kind starts at bytes[k]. */
static bool starts_piece(const uint8_t *bytes, uint32_t k, uint32_t end)
{
	uint32_t cp;
	return k < end && (decode_at(bytes, k, end, &cp) ||
			   decode_lost_lead(bytes, k, end, &cp));
}

/*
 * Is the garbled text m[0..n) — prev and next are the characters around it
 * — wrong in a way genuine text is not? Each rule is a pattern that shows
 * up in garbled text and that none of the genuine corpus has (see the top of
 * the file).
 */
static bool strong(const struct ch *m, uint32_t n, uint32_t prev, uint32_t next)
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
static bool ordinary(const struct ch *m, uint32_t n)
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

/*
 * The pieces of the current run through encoding e, into f->pieces[e].
 * prev and next are the characters around the run. Greedy from the left:
 * where no piece starts, move one character on.
 */
static void find_pieces(struct finder *f, enum encoding e, uint32_t prev,
			uint32_t next)
{
	const struct ch *run = f->run.items;
	uint32_t len = f->run.len;
	f->pieces[e].len = 0;
	f->bytes.len = 0;
	array_grow(&f->bytes, len);
	f->bytes.len = len;
	uint8_t *bytes = f->bytes.items;
	for (uint32_t i = 0; i < len; i++)
		bytes[i] = to_byte(f, e, run[i].cp);

	uint32_t last_end = NO_CHAR; /* where the previous piece kept ended */
	for (uint32_t k = 0; k < len;) {
		if (!bytes[k]) {
			k++;
			continue;
		}
		uint32_t end = k; /* the stretch this encoding can read */
		while (end < len && bytes[end])
			end++;
		while (k < end) {
			uint32_t cp = 0;
			unsigned n = decode_at(bytes, k, end, &cp);
			bool lost = false;
			if (!n && e == ENC_MAC && decode_lost_lead(bytes, k, end, &cp)) {
				n = 3;
				lost = true;
			}
			if (!n || !plausible(cp, lost ? 4 : n)) {
				k++;
				continue;
			}
			uint32_t before = k > 0 ? run[k - 1].cp : prev;
			uint32_t after = k + n < len ? run[k + n].cp : next;
			bool st = strong(run + k, n, before, after);
			bool keep = true;
			if (lost) {
				/* Stand-alone only: "küçük" and "üçüncü" are
				 * Turkish, and "üçü" itself is a word ("all
				 * three"), though it would be 🍟. */
				bool before_ok = !is_letter(before) || last_end == k;
				bool after_ok = !is_letter(after) || starts_piece(bytes, k + n, end);
				bool uecue = run[k].cp == 0xFC && run[k + 1].cp == 0xE7 &&
					     run[k + 2].cp == 0xFC;
				keep = before_ok && after_ok && !uecue;
				st = true;
			} else if (n >= 3 && !st) {
				st = !ordinary(run + k, n);
			}
			if (keep) {
				struct piece p = { k, n, cp, st, is_weird(cp) };
				array_push(&f->pieces[e], p);
				last_end = k + n;
			}
			k += n;
		}
	}
}

static bool accepted(const struct finder *f, enum encoding e, const struct piece *p)
{
	return p->strong || (f->line_strong[e] && !p->weird);
}

/*
 * Which encoding reads the run better: more characters explained by
 * unremarkable code points, then more characters explained at all, then
 * fewer weird ones; Mac Roman on a tie (our users' pipeline).
 */
static enum encoding choose(const struct finder *f)
{
	uint32_t plain[ENC_COUNT] = { 0 }, total[ENC_COUNT] = { 0 }, weird[ENC_COUNT] = { 0 };
	for (int e = 0; e < ENC_COUNT; e++) {
		for (uint32_t i = 0; i < f->pieces[e].len; i++) {
			const struct piece *p = &f->pieces[e].items[i];
			if (!accepted(f, (enum encoding)e, p))
				continue;
			total[e] += p->n;
			if (p->weird)
				weird[e]++;
			else
				plain[e] += p->n;
		}
	}
	if (plain[ENC_WIN] != plain[ENC_MAC])
		return plain[ENC_WIN] > plain[ENC_MAC] ? ENC_WIN : ENC_MAC;
	if (total[ENC_WIN] != total[ENC_MAC])
		return total[ENC_WIN] > total[ENC_MAC] ? ENC_WIN : ENC_MAC;
	return weird[ENC_WIN] < weird[ENC_MAC] ? ENC_WIN : ENC_MAC;
}

/* Appends one finding: run characters [first, end), standing for the code
 * points of the pieces in it, collected in b (taken). */
static void emit(struct finder *f, uint32_t first, uint32_t end, struct strbuf *b,
		 bool all_combining)
{
	const struct ch *run = f->run.items;
	uint32_t start = run[first].off;
	uint32_t stop = run[end - 1].off + utf8_width(run[end - 1].cp);
	/* A combining mark needs a base: the ASCII letter before it ("e" +
	 * "ÃÅ" is a decomposed é). */
	if (all_combining && !(start > 0 && ascii_alnum(f->text[start - 1]))) {
		strbuf_fini(b);
		return;
	}
	struct mojibake m = { { start, stop - start }, strbuf_detach(b) };
	array_push(f->out, m);
}

/* The findings of the current run: the accepted pieces of the better
 * encoding, consecutive ones joined. */
static void emit_run(struct finder *f)
{
	enum encoding e = choose(f);
	struct strbuf b = { 0 };
	uint32_t first = 0, end = NO_CHAR;
	bool all_combining = true;
	for (uint32_t i = 0; i < f->pieces[e].len; i++) {
		const struct piece *p = &f->pieces[e].items[i];
		if (!accepted(f, e, p))
			continue;
		if (p->first != end) {
			if (end != NO_CHAR)
				emit(f, first, end, &b, all_combining);
			strbuf_init(&b);
			first = p->first;
			all_combining = true;
		}
		utf8_put(&b, p->cp);
		all_combining = all_combining && is_combining(p->cp);
		end = p->first + p->n;
	}
	if (end != NO_CHAR)
		emit(f, first, end, &b, all_combining);
}

/*
 * Walks the runs of line [start, stop). The first walk (emitting false)
 * only learns whether each encoding has a strong piece in the line; the
 * second one emits.
 */
static void walk_line(struct finder *f, uint32_t start, uint32_t stop, bool emitting)
{
	const unsigned char *t = f->text;
	for (uint32_t i = start; i < stop;) {
		size_t n = t[i] < 0x80 ? 0 : utf8_seq_len(t + i, stop - i);
		if (n == 0) {
			i++;
			continue;
		}
		f->run.len = 0;
		uint32_t j = i;
		while (j < stop && t[j] >= 0x80 && (n = utf8_seq_len(t + j, stop - j))) {
			struct ch c = { j, utf8_decode(t + j, n) };
			array_push(&f->run, c);
			j += (uint32_t)n;
		}
		uint32_t prev = i > start && t[i - 1] < 0x80 ? t[i - 1] : NO_CHAR;
		uint32_t next = j < stop && t[j] < 0x80 ? t[j] : NO_CHAR;
		for (int e = 0; e < ENC_COUNT; e++)
			find_pieces(f, (enum encoding)e, prev, next);
		if (emitting) {
			emit_run(f);
		} else {
			for (int e = 0; e < ENC_COUNT; e++)
				for (uint32_t k = 0; k < f->pieces[e].len; k++)
					if (f->pieces[e].items[k].strong)
						f->line_strong[e] = true;
		}
		i = j;
	}
}

void mojibake_find(const char *text, size_t len, struct mojibake_list *out)
{
	if (!text || !out)
		return;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	struct finder f = { .text = (const unsigned char *)text, .out = out };
	uint32_t stop = (uint32_t)len;
	for (uint32_t start = 0; start < stop;) {
		const unsigned char *nl = memchr(f.text + start, '\n', stop - start);
		uint32_t end = nl ? (uint32_t)(nl - f.text) : stop;
		/* Garbled characters are at least two bytes, leads >= C2. */
		bool high = false;
		for (uint32_t i = start; i < end && !high; i++)
			high = f.text[i] >= 0xC2;
		if (high) {
			finder_tables(&f);
			f.line_strong[ENC_MAC] = f.line_strong[ENC_WIN] = false;
			walk_line(&f, start, end, false);
			if (f.line_strong[ENC_MAC] || f.line_strong[ENC_WIN])
				walk_line(&f, start, end, true);
		}
		start = end + 1;
	}
	array_free(&f.run);
	array_free(&f.bytes);
	for (int e = 0; e < ENC_COUNT; e++)
		array_free(&f.pieces[e]);
}

void mojibake_list_free(struct mojibake_list *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->len; i++)
		free(l->items[i].fixed);
	array_free(l);
}
