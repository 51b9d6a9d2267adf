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
 *    code point that garbling actually produces (garble_plausible());
 *  - and the garbled text looks wrong in a way real text does not: a C1
 *    control, a symbol glued to a letter ("Ã©", "√©"), a lower-case letter
 *    followed by a capital ("ìÖ"), three characters standing for one
 *    ("‚è´"), ... (garble_strong()). Pieces without such evidence
 *    ("weak") are repaired only in a line that has a strong one of the
 *    same encoding: a pipeline garbles whole lines, never one character
 *    of them.
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

#include "garble.h"

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

/* ---------------------------------------------------------------------- */
/* The finder */

/* A code point above U+00FF that some byte decodes to, and the byte: one
 * entry of a reverse table. */
struct image {
	uint32_t cp;
	uint8_t byte;
};

/* A stretch of a run that one encoding maps back to one UTF-8 character. */
struct piece {
	uint32_t first, n; /* the run's characters [first, first + n) */
	uint32_t cp;       /* what they stand for */
	bool strong;       /* garbled beyond doubt */
	bool weird;        /* garble_weird(cp) */
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
			if (!n || !garble_plausible(cp, lost ? 4 : n)) {
				k++;
				continue;
			}
			uint32_t before = k > 0 ? run[k - 1].cp : prev;
			uint32_t after = k + n < len ? run[k + n].cp : next;
			bool st = garble_strong(run + k, n, before, after);
			bool keep = true;
			if (lost) {
				/* Stand-alone only: "küçük" and "üçüncü" are
				 * Turkish, and "üçü" itself is a word ("all
				 * three"), though it would be 🍟. */
				bool before_ok = !garble_letter(before) || last_end == k;
				bool after_ok = !garble_letter(after) || starts_piece(bytes, k + n, end);
				bool uecue = run[k].cp == 0xFC && run[k + 1].cp == 0xE7 &&
					     run[k + 2].cp == 0xFC;
				keep = before_ok && after_ok && !uecue;
				st = true;
			} else if (n >= 3 && !st) {
				st = !garble_ordinary(run + k, n);
			}
			if (keep) {
				struct piece p = { k, n, cp, st, garble_weird(cp) };
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
		all_combining = all_combining && garble_combining(p->cp);
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
		/* ASCII says nothing here: eight bytes at a time. */
		uint64_t v;
		while (i + 8 <= stop && (memcpy(&v, t + i, 8), !(v & 0x8080808080808080ull)))
			i += 8;
		if (i == stop)
			break;
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
		/* Garbled characters are at least two bytes, leads >= C2: most
		 * lines have no byte beyond ASCII, skipped eight at a time. */
		bool high = false;
		uint32_t i = start;
		for (; i + 8 <= end; i += 8) {
			uint64_t v;
			memcpy(&v, f.text + i, 8);
			if (v & 0x8080808080808080ull)
				break;
		}
		for (; i < end && !high; i++)
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
