/*
 * test_protocol.c — LSP values built from vault text: json_text (and
 * json_write_text, the same as JSON text) on invalid UTF-8 and NULs,
 * positions and ranges in UTF-16 and UTF-8 over
 * emoji and CJK, and reading positions and ranges from what a client sent,
 * well-formed or not. (The offset <-> position arithmetic itself is
 * test_transport's.)
 */
#include "harness.h"
#include "protocol.h"

#include <stdlib.h>
#include <string.h>

#define FFFD "\xef\xbf\xbd"

/* Vault bytes and the JSON string they become. */
static const struct {
	const char *in;
	size_t len;
	const char *out;
} texts[] = {
	{ "", 0, "" },
	{ "plain", 5, "plain" },
	{ "\xc3\xa9\xf0\x9f\xa7\x8a\xe6\xbc\xa2", 9, "\xc3\xa9\xf0\x9f\xa7\x8a\xe6\xbc\xa2" },
	/* A NUL is no character a client takes: U+FFFD, like a bad byte. */
	{ "a\0b", 3, "a" FFFD "b" },
	{ "\0", 1, FFFD },
	{ "\xff", 1, FFFD },
	{ "x\xfe\xffy", 4, "x" FFFD FFFD "y" },
	/* A sequence cut short, at the end or by the next character. */
	{ "\xc3", 1, FFFD },
	{ "\xc3(", 2, FFFD "(" },
	{ "\xe2\x80", 2, FFFD FFFD },
	{ "\xf0\x9f\xa7", 3, FFFD FFFD FFFD },
	/* Overlong, surrogate, beyond U+10FFFF: every byte replaced. */
	{ "\xc0\xaf", 2, FFFD FFFD },
	{ "\xed\xa0\x80", 3, FFFD FFFD FFFD },
	{ "\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD },
	/* Good characters around the bad ones are kept whole. */
	{ "\xf0\x9f\xa7\x8a\xff\xe6\xbc\xa2\0", 9, "\xf0\x9f\xa7\x8a" FFFD "\xe6\xbc\xa2" FFFD },
	/* Mojibake is valid UTF-8: left as it is. */
	{ "\xc3\xbc\xc3\xac\xc3\xa2", 6, "\xc3\xbc\xc3\xac\xc3\xa2" },
	/* Only len bytes count, whatever follows. */
	{ "abc\xff", 3, "abc" },
};

static void test_json_text(void)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *j = json_text(texts[i].in, texts[i].len);
		OK(json_is_string(j));
		const char *got = json_string_value(j);
		bool same = got && json_string_length(j) == strlen(texts[i].out) &&
			    strcmp(got, texts[i].out) == 0;
		if (!same)
			fprintf(stderr, "texts[%zu]: got \"%s\"\n", i, got ? got : "(null)");
		OK(same);
		json_decref(j);
	}
}

/* "line:character" of a JSON position, or "bad". */
static void pos_text(const json_t *p, char *buf, size_t size)
{
	json_t *l = json_object_get(p, "line"), *c = json_object_get(p, "character");
	if (!json_is_integer(l) || !json_is_integer(c) || json_object_size(p) != 2)
		snprintf(buf, size, "bad");
	else
		snprintf(buf, size, "%lld:%lld", (long long)json_integer_value(l),
			 (long long)json_integer_value(c));
}

/* Line 0: "a🧊b" (🧊: 4 bytes, 2 UTF-16 units); line 1 after CRLF: "漢字é"
 * (3 + 3 + 2 bytes); line 2 after a lone CR: "x". */
static const char text[] = "a\xf0\x9f\xa7\x8a" "b\r\n\xe6\xbc\xa2\xe5\xad\x97\xc3\xa9\rx";

static const struct {
	uint32_t offset;
	const char *utf16, *utf8;
} positions[] = {
	{ 0, "0:0", "0:0" },
	{ 1, "0:1", "0:1" },
	{ 3, "0:1", "0:1" },  /* inside 🧊: its start */
	{ 5, "0:3", "0:5" },
	{ 6, "0:4", "0:6" },  /* at the CR */
	{ 7, "0:4", "0:6" },  /* between CR and LF: still line 0's end */
	{ 8, "1:0", "1:0" },
	{ 11, "1:1", "1:3" },
	{ 14, "1:2", "1:6" },
	{ 16, "1:3", "1:8" },
	{ 17, "2:0", "2:0" },
	{ 18, "2:1", "2:1" },  /* the end of the text */
	{ 1000, "2:1", "2:1" }, /* past it: clamped */
};

static void test_json_position_and_range(void)
{
	struct line_map map;
	line_map_init(&map, text, sizeof(text) - 1);
	struct text_view v = { text, sizeof(text) - 1, &map };
	char buf[32];
	for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++) {
		json_t *p16 = json_position(&v, positions[i].offset, POS_UTF16);
		json_t *p8 = json_position(&v, positions[i].offset, POS_UTF8);
		pos_text(p16, buf, sizeof(buf));
		if (strcmp(buf, positions[i].utf16) != 0)
			fprintf(stderr, "offset %u utf-16:\n", positions[i].offset);
		STR_EQ(buf, positions[i].utf16);
		pos_text(p8, buf, sizeof(buf));
		if (strcmp(buf, positions[i].utf8) != 0)
			fprintf(stderr, "offset %u utf-8:\n", positions[i].offset);
		STR_EQ(buf, positions[i].utf8);
		json_decref(p16);
		json_decref(p8);
	}

	/* A range is its span's start and end: 🧊 alone, then 漢字é across
	 * nothing else, then an empty range at the very end. */
	json_t *r = json_range(&v, (struct span){ 1, 4 }, POS_UTF16);
	OK(json_object_size(r) == 2);
	pos_text(json_object_get(r, "start"), buf, sizeof(buf));
	STR_EQ(buf, "0:1");
	pos_text(json_object_get(r, "end"), buf, sizeof(buf));
	STR_EQ(buf, "0:3");
	json_decref(r);
	r = json_range(&v, (struct span){ 8, 8 }, POS_UTF8);
	pos_text(json_object_get(r, "start"), buf, sizeof(buf));
	STR_EQ(buf, "1:0");
	pos_text(json_object_get(r, "end"), buf, sizeof(buf));
	STR_EQ(buf, "1:8");
	json_decref(r);
	r = json_range(&v, (struct span){ 18, 0 }, POS_UTF16);
	pos_text(json_object_get(r, "start"), buf, sizeof(buf));
	STR_EQ(buf, "2:1");
	pos_text(json_object_get(r, "end"), buf, sizeof(buf));
	STR_EQ(buf, "2:1");
	json_decref(r);
	/* Across the CRLF: from b to 漢. */
	r = json_range(&v, (struct span){ 5, 6 }, POS_UTF16);
	pos_text(json_object_get(r, "start"), buf, sizeof(buf));
	STR_EQ(buf, "0:3");
	pos_text(json_object_get(r, "end"), buf, sizeof(buf));
	STR_EQ(buf, "1:1");
	json_decref(r);
	line_map_fini(&map);
}

/* Positions as a client may send them: read or refused. */
static const struct {
	const char *json;
	bool ok;
	uint32_t line, character;
} get_positions[] = {
	{ "{\"line\":0,\"character\":0}", true, 0, 0 },
	{ "{\"character\":7,\"line\":3}", true, 3, 7 },
	{ "{\"line\":1,\"character\":2,\"extra\":\"x\"}", true, 1, 2 },
	{ "{\"line\":4294967295,\"character\":4294967295}", true, UINT32_MAX, UINT32_MAX },
	{ "{\"line\":4294967296,\"character\":0}", false, 0, 0 },
	{ "{\"line\":0,\"character\":9223372036854775807}", false, 0, 0 },
	{ "{\"line\":-1,\"character\":0}", false, 0, 0 },
	{ "{\"line\":0,\"character\":-3}", false, 0, 0 },
	{ "{\"line\":1.0,\"character\":0}", false, 0, 0 },
	{ "{\"line\":\"1\",\"character\":0}", false, 0, 0 },
	{ "{\"line\":null,\"character\":0}", false, 0, 0 },
	{ "{\"line\":true,\"character\":0}", false, 0, 0 },
	{ "{\"line\":1}", false, 0, 0 },
	{ "{\"character\":1}", false, 0, 0 },
	{ "{}", false, 0, 0 },
	{ "[1,2]", false, 0, 0 },
	{ "\"0:0\"", false, 0, 0 },
	{ "null", false, 0, 0 },
};

static void test_json_get_position(void)
{
	for (size_t i = 0; i < sizeof(get_positions) / sizeof(get_positions[0]); i++) {
		json_error_t err;
		json_t *j = json_loads(get_positions[i].json, JSON_DECODE_ANY, &err);
		OK(j != NULL);
		struct lsp_pos p = { 12345, 12345 };
		bool ok = json_get_position(j, &p);
		if (ok != get_positions[i].ok)
			fprintf(stderr, "get_positions[%zu] %s: %d\n", i, get_positions[i].json, ok);
		INT_EQ(ok, get_positions[i].ok);
		if (get_positions[i].ok) {
			INT_EQ(p.line, get_positions[i].line);
			INT_EQ(p.character, get_positions[i].character);
		} else {
			/* Refused: out is left alone. */
			INT_EQ(p.line, 12345);
			INT_EQ(p.character, 12345);
		}
		json_decref(j);
	}
	/* No value at all (a missing "position"). */
	struct lsp_pos p;
	OK(!json_get_position(NULL, &p));
}

/* Ranges over text, in one encoding: read into byte offsets, or refused. */
static const struct {
	const char *json;
	enum pos_encoding enc;
	bool ok;
	uint32_t start, end;
} get_ranges[] = {
	{ "{\"start\":{\"line\":0,\"character\":1},\"end\":{\"line\":0,\"character\":3}}", POS_UTF16,
	  true, 1, 5 },
	{ "{\"start\":{\"line\":0,\"character\":1},\"end\":{\"line\":0,\"character\":5}}", POS_UTF8,
	  true, 1, 5 },
	/* The middle of 🧊's surrogate pair, or of its UTF-8 bytes: its start. */
	{ "{\"start\":{\"line\":0,\"character\":2},\"end\":{\"line\":0,\"character\":2}}", POS_UTF16,
	  true, 1, 1 },
	{ "{\"start\":{\"line\":0,\"character\":3},\"end\":{\"line\":0,\"character\":4}}", POS_UTF8,
	  true, 1, 1 },
	/* CJK: a unit each in UTF-16, three bytes each in UTF-8. */
	{ "{\"start\":{\"line\":1,\"character\":1},\"end\":{\"line\":1,\"character\":3}}", POS_UTF16,
	  true, 11, 16 },
	{ "{\"start\":{\"line\":1,\"character\":3},\"end\":{\"line\":1,\"character\":8}}", POS_UTF8,
	  true, 11, 16 },
	/* Past a line's end: the line's end, before its break; past the last
	 * line: the text's end. */
	{ "{\"start\":{\"line\":0,\"character\":99},\"end\":{\"line\":9,\"character\":0}}", POS_UTF16,
	  true, 6, 18 },
	{ "{\"start\":{\"line\":7,\"character\":0},\"end\":{\"line\":9,\"character\":9}}", POS_UTF8,
	  true, 18, 18 },
	/* Start after end. */
	{ "{\"start\":{\"line\":1,\"character\":0},\"end\":{\"line\":0,\"character\":0}}", POS_UTF16,
	  false, 0, 0 },
	{ "{\"start\":{\"line\":0,\"character\":4},\"end\":{\"line\":0,\"character\":3}}", POS_UTF16,
	  false, 0, 0 },
	/* Malformed. */
	{ "{\"start\":{\"line\":0,\"character\":0}}", POS_UTF16, false, 0, 0 },
	{ "{\"end\":{\"line\":0,\"character\":0}}", POS_UTF16, false, 0, 0 },
	{ "{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":-1,\"character\":0}}", POS_UTF16,
	  false, 0, 0 },
	{ "{\"start\":[0,0],\"end\":[0,1]}", POS_UTF16, false, 0, 0 },
	{ "{\"start\":null,\"end\":null}", POS_UTF8, false, 0, 0 },
	{ "[]", POS_UTF16, false, 0, 0 },
};

static void test_json_get_range(void)
{
	struct line_map map;
	line_map_init(&map, text, sizeof(text) - 1);
	struct text_view v = { text, sizeof(text) - 1, &map };
	for (size_t i = 0; i < sizeof(get_ranges) / sizeof(get_ranges[0]); i++) {
		json_error_t err;
		json_t *j = json_loads(get_ranges[i].json, 0, &err);
		OK(j != NULL);
		uint32_t s = 777, e = 777;
		bool ok = json_get_range(j, &v, get_ranges[i].enc, &s, &e);
		bool right = ok == get_ranges[i].ok &&
			     (!ok || (s == get_ranges[i].start && e == get_ranges[i].end));
		if (!right)
			fprintf(stderr, "get_ranges[%zu] %s: %d %u..%u\n", i, get_ranges[i].json, ok, s, e);
		OK(right);
		json_decref(j);
	}
	uint32_t s, e;
	OK(!json_get_range(NULL, &v, POS_UTF16, &s, &e));

	/* An empty text: every position is offset 0. */
	struct line_map none;
	line_map_init(&none, "", 0);
	struct text_view empty = { "", 0, &none };
	json_t *j = json_loads("{\"start\":{\"line\":3,\"character\":4},\"end\":{\"line\":5,\"character\":0}}",
			       0, NULL);
	s = e = 777;
	OK(json_get_range(j, &empty, POS_UTF16, &s, &e));
	INT_EQ(s, 0);
	INT_EQ(e, 0);
	json_decref(j);
	json_t *p = json_position(&empty, 0, POS_UTF8);
	char buf[32];
	pos_text(p, buf, sizeof(buf));
	STR_EQ(buf, "0:0");
	json_decref(p);
	line_map_fini(&none);
	line_map_fini(&map);
}

/* The written forms parse back to what the jansson ones are. */
static void test_json_write(void)
{
	struct line_map map;
	line_map_init(&map, text, sizeof(text) - 1);
	struct text_view v = { text, sizeof(text) - 1, &map };
	for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++) {
		for (int enc = 0; enc < 2; enc++) {
			enum pos_encoding e = enc ? POS_UTF8 : POS_UTF16;
			struct span sp = { 0, positions[i].offset };
			json_t *want = json_range(&v, sp, e);
			struct strbuf b = { 0 };
			json_write_range(&b, &v, sp, e);
			json_t *got = json_loadb(b.ptr, b.len, 0, NULL);
			OK(got && json_equal(got, want));
			json_decref(got);
			json_decref(want);
			strbuf_fini(&b);
		}
	}
	line_map_fini(&map);
}

/* json_write_text writes exactly what jansson writes of json_text: the
 * table above, and what JSON must escape. */
static void test_json_write_text(void)
{
	static const struct { const char *in; size_t len; } more[] = {
		{ "say \"hi\" \\ back", 15 }, { "tab\tnl\ncr\rbs\bff\f", 16 },
		{ "\x01\x1f\x7f end", 7 }, { "[[Zo\xc3\xab]]\n- fact ^id", 19 },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]) + sizeof(more) / sizeof(more[0]); i++) {
		size_t k = i - sizeof(texts) / sizeof(texts[0]);
		const char *in = i < sizeof(texts) / sizeof(texts[0]) ? texts[i].in : more[k].in;
		size_t len = i < sizeof(texts) / sizeof(texts[0]) ? texts[i].len : more[k].len;
		json_t *j = json_text(in, len);
		char *want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		struct strbuf b = { 0 };
		strbuf_puts(&b, "x"); /* appends */
		json_write_text(&b, in, len);
		STR_EQ(b.ptr + 1, want);
		json_t *back = json_loadb(b.ptr + 1, b.len - 1, JSON_DECODE_ANY, NULL);
		OK(back && json_equal(back, j));
		json_decref(back);
		strbuf_fini(&b);
		free(want);
		json_decref(j);
	}
}

int main(void)
{
	test_json_text();
	test_json_write();
	test_json_write_text();
	test_json_position_and_range();
	test_json_get_position();
	test_json_get_range();
	return harness_done("test_protocol");
}
