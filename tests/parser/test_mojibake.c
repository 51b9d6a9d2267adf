/*
 * test_mojibake.c — mojibake_find().
 *
 * Most cases are data: tests/mojibake/cases.txt holds garbled lines with
 * their repair, and genuine lines that must give nothing (format at its
 * top). The C cases check what a repaired line cannot show: exact spans,
 * how findings join and split, line locality, and pathological inputs.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "mojibake.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf b;
	strbuf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return strbuf_detach(&b);
}

static void put_utf8(struct strbuf *b, unsigned long cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | cp >> 18);
		s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		s[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	strbuf_put(b, s, n);
}

/* A field of cases.txt with its escapes (\u{HEX}, \xHH, \\) undone. */
static void unescape(struct strbuf *out, const char *s, size_t len)
{
	strbuf_init(out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\\') {
			strbuf_putc(out, '\\');
			i++;
		} else if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x') {
			char hex[3] = { s[i + 2], s[i + 3], 0 };
			strbuf_putc(out, (char)strtoul(hex, NULL, 16));
			i += 3;
		} else if (s[i] == '\\' && i + 2 < len && s[i + 1] == 'u' && s[i + 2] == '{') {
			char *end;
			unsigned long cp = strtoul(s + i + 3, &end, 16);
			put_utf8(out, cp);
			i = (size_t)(end - s); /* at the '}' */
		} else {
			strbuf_putc(out, s[i]);
		}
	}
}

/* text with every finding replaced by its repair. */
static void apply(struct strbuf *out, const char *text, size_t len,
		  const struct mojibake_list *l)
{
	strbuf_init(out);
	size_t at = 0;
	for (uint32_t i = 0; i < l->len; i++) {
		strbuf_put(out, text + at, l->items[i].span.start - at);
		strbuf_puts(out, l->items[i].fixed);
		at = span_end(l->items[i].span);
	}
	strbuf_put(out, text + at, len - at);
}

/* What every result must be: in order, inside the text, not overlapping,
 * each repair non-empty valid UTF-8. */
static bool well_formed(size_t len, const struct mojibake_list *l)
{
	uint32_t at = 0;
	for (uint32_t i = 0; i < l->len; i++) {
		const struct mojibake *m = &l->items[i];
		if (m->span.start < at || m->span.len < 2 || span_end(m->span) > len)
			return false;
		if (!m->fixed || !m->fixed[0] || !utf8_valid(m->fixed, strlen(m->fixed)))
			return false;
		at = span_end(m->span);
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Data */

static void test_cases(void)
{
	size_t len;
	char *text = read_file(VAULT_TEST_DIR "/mojibake/cases.txt", &len);
	OK(text != NULL);
	if (!text)
		return;
	int cases = 0, genuine = 0, line = 0;
	for (char *p = text; p < text + len;) {
		char *eol = memchr(p, '\n', (size_t)(text + len - p));
		if (!eol)
			eol = text + len;
		line++;
		char *tab = memchr(p, '\t', (size_t)(eol - p));
		if (*p == '#' || p == eol || !tab) {
			OK(*p == '#' || p == eol); /* a case without its tab */
			p = eol + 1;
			continue;
		}
		struct strbuf in, want, got;
		unescape(&in, p, (size_t)(tab - p));
		bool none = eol - tab == 2 && tab[1] == '-';
		unescape(&want, tab + 1, (size_t)(eol - tab - 1));

		struct mojibake_list l = { 0 };
		mojibake_find(in.ptr, in.len, &l);
		apply(&got, in.ptr, in.len, &l);
		bool ok = well_formed(in.len, &l) &&
			  (none ? l.len == 0
				: got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0);
		if (!ok)
			fprintf(stderr, "cases.txt:%d: got \"%s\" (%u findings), want \"%s\"\n",
				line, got.ptr, l.len, none ? "-" : want.ptr);
		OK(ok);
		cases++;
		genuine += none;
		mojibake_list_free(&l);
		strbuf_fini(&in);
		strbuf_fini(&want);
		strbuf_fini(&got);
		p = eol + 1;
	}
	OK(cases >= 120);
	OK(genuine >= 50);
	free(text);
}

/* ---------------------------------------------------------------------- */
/* Spans */

static void test_sample_line(void)
{
	const char *line = "- [?] Brief Ragnar Eiriksson before his Northwind meetings. "
			   "@Myself üìÖ 2026-01-06 ‚è´ #task #proposed #auto";
	struct mojibake_list l = { 0 };
	mojibake_find(line, strlen(line), &l);
	INT_EQ(l.len, 2);
	if (l.len == 2) {
		INT_EQ(l.items[0].span.start, 68);
		INT_EQ(l.items[0].span.len, 6); /* c3bc c3ac c396 */
		STR_EQ(l.items[0].fixed, "\xF0\x9F\x93\x85");
		INT_EQ(l.items[1].span.start, 86);
		INT_EQ(l.items[1].span.len, 7); /* e2809a c3a8 c2b4 */
		STR_EQ(l.items[1].fixed, "\xE2\x8F\xAB");
	}
	mojibake_list_free(&l);
}

/* Garbled characters back to back are one finding; ASCII splits them. */
static void test_joining(void)
{
	struct mojibake_list l = { 0 };
	const char *joined = "üìÖ‚è´";
	mojibake_find(joined, strlen(joined), &l);
	INT_EQ(l.len, 1);
	if (l.len == 1) {
		INT_EQ(l.items[0].span.start, 0);
		INT_EQ(l.items[0].span.len, strlen(joined));
		STR_EQ(l.items[0].fixed, "📅⏫");
	}
	mojibake_list_free(&l);

	const char *split = "Ã©tÃ©";
	mojibake_find(split, strlen(split), &l);
	INT_EQ(l.len, 2);
	if (l.len == 2) {
		INT_EQ(l.items[0].span.start, 0);
		INT_EQ(l.items[0].span.len, 4);
		INT_EQ(l.items[1].span.start, 5);
		INT_EQ(l.items[1].span.len, 4);
		STR_EQ(l.items[1].fixed, "é");
	}
	mojibake_list_free(&l);
}

/*
 * A doubtful piece ("Ó…", Cyrillic Ӆ through Windows-1252, or the end of an
 * upper-case Spanish word) is repaired only in a line that has a certain one
 * of the same encoding: lines do not vouch for each other.
 */
static void test_line_locality(void)
{
	struct mojibake_list l = { 0 };
	const char *alone = "ADIÓ…";
	mojibake_find(alone, strlen(alone), &l);
	INT_EQ(l.len, 0);
	mojibake_list_free(&l);

	const char *two = "cafÃ©\nADIÓ…\r\nADIÓ… cafÃ©";
	mojibake_find(two, strlen(two), &l);
	INT_EQ(l.len, 3);
	if (l.len == 3) {
		INT_EQ(l.items[0].span.start, 3);
		INT_EQ(l.items[1].span.start, 21); /* the third line's "Ó…" */
		STR_EQ(l.items[1].fixed, "\xD3\x85");
		INT_EQ(l.items[2].span.start, 30);
	}
	OK(well_formed(strlen(two), &l));
	mojibake_list_free(&l);
}

static void test_api(void)
{
	struct mojibake_list l = { 0 };
	mojibake_find(NULL, 10, &l);
	INT_EQ(l.len, 0);
	mojibake_find("Ã©", 2, NULL); /* no list: nothing to do, no crash */
	mojibake_find("Ã©", 0, &l);
	INT_EQ(l.len, 0);
	mojibake_find("Ã©", 3, &l); /* cut inside "©": no valid pair left */
	INT_EQ(l.len, 0);
	mojibake_list_free(NULL);

	/* Appends to what is there, offsets relative to each text. */
	mojibake_find("Ã©", 4, &l);
	mojibake_find("x Ã¼", 6, &l);
	INT_EQ(l.len, 2);
	if (l.len == 2) {
		INT_EQ(l.items[1].span.start, 2);
		STR_EQ(l.items[1].fixed, "ü");
	}
	mojibake_list_free(&l);
	INT_EQ(l.len, 0);
	OK(l.items == NULL);
}

/* ---------------------------------------------------------------------- */
/* Pathological inputs: they finish, fast, and make sense. */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A bound that catches a quadratic pass (minutes on these inputs), not a
 * timing target. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT 60.0
#else
#define TIME_LIMIT 10.0
#endif

static uint32_t timed_find(const char *what, const struct strbuf *b,
			   struct mojibake_list *l)
{
	double t0 = now();
	mojibake_find(b->ptr, b->len, l);
	double dt = now() - t0;
	if (dt >= TIME_LIMIT)
		fprintf(stderr, "%s: %.3f s for %zu bytes\n", what, dt, b->len);
	OK(dt < TIME_LIMIT);
	OK(well_formed(b->len, l));
	return l->len;
}

/* A small deterministic generator: the same bytes on every run. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static void repeat(struct strbuf *b, const char *s, size_t total)
{
	strbuf_init(b);
	while (b->len < total)
		strbuf_puts(b, s);
}

static void test_pathological(void)
{
	struct strbuf b;
	struct mojibake_list l = { 0 };

	/* 5 MB lines. Of ASCII: nothing. */
	repeat(&b, "plain words ", 5000000);
	INT_EQ(timed_find("5 MB ASCII", &b, &l), 0);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	/* Of one garbled word after another: all of it is one finding. */
	repeat(&b, "Ã©", 5000000);
	INT_EQ(timed_find("5 MB Ã©", &b, &l), 1);
	if (l.len == 1) {
		INT_EQ(l.items[0].span.len, b.len);
		INT_EQ(strlen(l.items[0].fixed), b.len / 2);
	}
	mojibake_list_free(&l);
	strbuf_fini(&b);

	repeat(&b, "üìÖ ‚è´ ", 5000000);
	INT_EQ(timed_find("5 MB emoji", &b, &l), b.len / 15 * 2);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	/* Of genuine accented text: nothing. */
	repeat(&b, "Zoë Ólafsdóttir — «naïve façade» ", 5000000);
	INT_EQ(timed_find("5 MB genuine", &b, &l), 0);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	/* One run of 5 MB of accented letters and symbols, no ASCII. */
	repeat(&b, "éü©√ÄôÃ‚€™", 5000000);
	timed_find("5 MB run", &b, &l);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	/* Lead bytes without their continuations, and NULs. */
	repeat(&b, "\xC3\xF0\xE2", 5000000);
	INT_EQ(timed_find("5 MB invalid", &b, &l), 0);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	static const char nuls[4096];
	strbuf_init(&b);
	while (b.len < 4000000)
		strbuf_put(&b, nuls, sizeof(nuls));
	INT_EQ(timed_find("4 MB NUL", &b, &l), 0);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	/* Random bytes, then random garbling characters with a few newlines. */
	uint32_t seed = 12345;
	strbuf_init(&b);
	while (b.len < 2000000)
		strbuf_putc(&b, (char)next_random(&seed));
	timed_find("2 MB random bytes", &b, &l);
	mojibake_list_free(&l);
	strbuf_fini(&b);

	static const char *const pieces[] = {
		"Ã", "©", "â", "€", "™", "√", "ü", "ì", "Ö", "‚", "è", "´", "\xC2\x9D",
		"\xC2\xA0", "Œ", "π", "∞", "ƒ", "Â", "»", "…", "\xEF\xA3\xBF", "a", " ",
		"\n", "é", "Ä", "Å", "ß", "—",
	};
	strbuf_init(&b);
	while (b.len < 2000000)
		strbuf_puts(&b, pieces[next_random(&seed) % (sizeof(pieces) / sizeof(*pieces))]);
	timed_find("2 MB random characters", &b, &l);
	mojibake_list_free(&l);
	strbuf_fini(&b);
}

int main(void)
{
	test_cases();
	test_sample_line();
	test_joining();
	test_line_locality();
	test_api();
	test_pathological();
	return harness_done("test_mojibake");
}
