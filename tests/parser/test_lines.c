/*
 * test_lines.c — the line table: each line's start and end the same
 * whatever ends the lines (LF, CRLF, a lone CR, a mix, none at the end),
 * and from an offset (after frontmatter), as a byte-by-byte reading says.
 */
#include "harness.h"
#include "lines.h"

#include <stdlib.h>
#include <string.h>

/* The table, read a byte at a time: "start-end," for each line. */
static void expected(const char *t, uint32_t from, uint32_t len, struct strbuf *out)
{
	uint32_t ls = from;
	for (uint32_t i = from; i < len; i++) {
		if (t[i] != '\n' && t[i] != '\r')
			continue;
		strbuf_printf(out, "%u-%u,", ls, i);
		if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
			i++;
		ls = i + 1;
	}
	strbuf_printf(out, "%u-%u,", ls, len);
}

static void built(const char *t, uint32_t from, uint32_t len, struct strbuf *out)
{
	struct lines l = { 0 };
	lines_build(&l, t, from, len);
	for (int i = 1; i <= lines_count(&l); i++)
		strbuf_printf(out, "%u-%u,", lines_start(&l, i), lines_end(&l, i));
	array_free(&l.start);
	array_free(&l.end);
}

static void same(const char *t, uint32_t from)
{
	uint32_t len = (uint32_t)strlen(t);
	struct strbuf want = { 0 }, got = { 0 };
	expected(t, from, len, &want);
	built(t, from, len, &got);
	bool ok = want.len == got.len && memcmp(want.ptr, got.ptr, want.len) == 0;
	if (!ok)
		fprintf(stderr, "from %u of \"%s\":\n  want %s\n  got  %s\n", from, t, want.ptr, got.ptr);
	OK(ok);
	strbuf_fini(&want);
	strbuf_fini(&got);
}

int main(void)
{
	static const char *texts[] = {
		"", "\n", "\n\n", "one", "one\n", "one\ntwo", "one\ntwo\n", "one\r\ntwo\r\n",
		"one\rtwo\r", "one\r\rtwo", "a\r\nb\nc\rd", "---\nname: x\n---\n# T\n\n- fact\n",
		"\r", "\r\n", "x\n\r\ny",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (uint32_t from = 0; from <= strlen(texts[i]); from++)
			same(texts[i], from);
	/* Random bytes, mostly line endings and letters. */
	uint64_t rng = 7;
	char buf[200];
	for (int k = 0; k < 2000; k++) {
		size_t n = 0;
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		size_t len = (size_t)(rng >> 33) % (sizeof(buf) - 1);
		for (; n < len; n++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			unsigned r = (unsigned)(rng >> 40) % 8;
			buf[n] = r == 0 ? '\r' : r < 3 ? '\n' : (char)('a' + r);
		}
		buf[n] = '\0';
		same(buf, (uint32_t)((rng >> 20) % (n + 1)));
	}
	return harness_done("test_lines");
}
