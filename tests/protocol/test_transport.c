/*
 * test_transport.c — Content-Length framing: split reads, several messages
 * in one read, garbage, bad and huge lengths, truncated input; and byte
 * offset <-> LSP position conversion.
 */
#include "harness.h"
#include "position.h"
#include "transport.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct read_result {
	int status[16];
	char *body[16];
	const char *error[16];
	int n;
};

/* Reads messages until EOF, at most 16. */
static void read_all(FILE *in, struct read_result *r)
{
	struct transport *t = transport_new(in, stdout);
	struct strbuf body = { 0 };
	r->n = 0;
	for (; r->n < 16; r->n++) {
		const char *error;
		enum transport_status st = transport_read(t, &body, &error);
		r->status[r->n] = st;
		r->error[r->n] = error;
		r->body[r->n] = st == TRANSPORT_OK ? xstrndup(body.ptr, body.len) : NULL;
		if (st == TRANSPORT_EOF) {
			r->n++;
			break;
		}
	}
	strbuf_fini(&body);
	transport_free(t);
}

static void free_result(struct read_result *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->body[i]);
}

static void read_string(const char *input, size_t len, struct read_result *r)
{
	FILE *in = fmemopen((void *)input, len, "rb");
	read_all(in, r);
	fclose(in);
}

static void test_two_messages_one_read(void)
{
	static const char in[] = "Content-Length: 2\r\n\r\n{}Content-Length: 7\r\n\r\n[1,2,3]";
	struct read_result r;
	read_string(in, sizeof(in) - 1, &r);
	INT_EQ(r.n, 3);
	INT_EQ(r.status[0], TRANSPORT_OK);
	STR_EQ(r.body[0], "{}");
	STR_EQ(r.body[1], "[1,2,3]");
	INT_EQ(r.status[2], TRANSPORT_EOF);
	OK(r.error[2] == NULL);
	free_result(&r);
}

static void test_tolerant_headers(void)
{
	/* Other headers, any case, LF-only line ends, blank lines between
	 * messages. */
	static const char in[] =
		"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
		"content-length:   3  \r\n\r\nabc"
		"\r\n"
		"CONTENT-LENGTH: 1\n\nx"
		"X-Custom: yes\r\nContent-Length: 0\r\n\r\n";
	struct read_result r;
	read_string(in, sizeof(in) - 1, &r);
	INT_EQ(r.n, 4);
	STR_EQ(r.body[0], "abc");
	STR_EQ(r.body[1], "x");
	STR_EQ(r.body[2], "");
	INT_EQ(r.status[3], TRANSPORT_EOF);
	free_result(&r);
}

static void test_bad_frames(void)
{
	/* Missing length, non-numeric length, negative, overflowing: each is
	 * reported and skipped, and the next good frame is read. */
	static const char in[] =
		"Content-Type: x\r\n\r\n"
		"Content-Length: abc\r\n\r\n"
		"Content-Length: -5\r\n\r\n"
		"Content-Length: 99999999999999999999999\r\n\r\n"
		"Content-Length: 4\r\n\r\nnull";
	struct read_result r;
	read_string(in, sizeof(in) - 1, &r);
	INT_EQ(r.n, 6);
	for (int i = 0; i < 4; i++) {
		INT_EQ(r.status[i], TRANSPORT_ERROR);
		OK(r.error[i] != NULL);
	}
	STR_EQ(r.body[4], "null");
	INT_EQ(r.status[5], TRANSPORT_EOF);
	free_result(&r);
}

static void test_huge_length(void)
{
	/* A length over the cap is discarded without allocating it; here the
	 * input ends first. */
	static const char in[] = "Content-Length: 1000000000\r\n\r\n{\"jsonrpc\":\"2.0\"}";
	struct read_result r;
	read_string(in, sizeof(in) - 1, &r);
	INT_EQ(r.n, 1);
	INT_EQ(r.status[0], TRANSPORT_EOF);

	/* Just over the cap, with all its bytes there: discarded, then the
	 * next message is read. */
	size_t big = TRANSPORT_MAX_BODY + 1;
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "Content-Length: %zu\r\n\r\n", big);
	char *fill = xcalloc(1, big);
	strbuf_put(&b, fill, big);
	free(fill);
	strbuf_puts(&b, "Content-Length: 2\r\n\r\nok");
	free_result(&r);
	read_string(b.ptr, b.len, &r);
	INT_EQ(r.status[0], TRANSPORT_ERROR);
	STR_EQ(r.body[1], "ok");
	strbuf_fini(&b);
	free_result(&r);
}

static void test_truncated(void)
{
	static const char body_cut[] = "Content-Length: 10\r\n\r\n{\"a\":";
	struct read_result r;
	read_string(body_cut, sizeof(body_cut) - 1, &r);
	INT_EQ(r.n, 1);
	INT_EQ(r.status[0], TRANSPORT_EOF);
	OK(r.error[0] != NULL);
	free_result(&r);

	static const char header_cut[] = "Content-Len";
	read_string(header_cut, sizeof(header_cut) - 1, &r);
	INT_EQ(r.status[0], TRANSPORT_EOF);
	OK(r.error[0] != NULL);
	free_result(&r);
}

struct trickle {
	int fd;
	const char *data;
	size_t len;
};

static void *trickle_writer(void *arg)
{
	struct trickle *t = arg;
	for (size_t i = 0; i < t->len; i++) {
		if (write(t->fd, t->data + i, 1) != 1)
			break;
		if (i % 7 == 0)
			nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	close(t->fd);
	return NULL;
}

static void test_split_reads_over_a_pipe(void)
{
	/* Headers and bodies arrive a byte at a time through a real pipe. */
	static const char in[] = "Content-Length: 15\r\n\r\n{\"id\":\"é🧊\"}Content-Length: 2\r\n\r\n{}";
	int fds[2];
	OK(pipe(fds) == 0);
	struct trickle t = { fds[1], in, sizeof(in) - 1 };
	pthread_t tid;
	pthread_create(&tid, NULL, trickle_writer, &t);
	FILE *f = fdopen(fds[0], "rb");
	struct read_result r;
	read_all(f, &r);
	pthread_join(tid, NULL);
	fclose(f);
	INT_EQ(r.n, 3);
	STR_EQ(r.body[0], "{\"id\":\"é🧊\"}");
	STR_EQ(r.body[1], "{}");
	free_result(&r);
}

static void test_write_frames(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct transport *t = transport_new(stdin, out);
	OK(transport_write(t, "{\"é\":1}", 8));
	transport_free(t);
	fclose(out);
	STR_EQ(buf, "Content-Length: 8\r\n\r\n{\"é\":1}");
	free(buf);
}

/* Positions: text, offset, expected (line, utf16, utf8). */
static void test_positions(void)
{
	static const char text[] = "a🧊b\r\nCJK 漢字 é\rlone\n\nend";
	struct line_map map;
	line_map_init(&map, text, sizeof(text) - 1);
	INT_EQ(map.n, 5);
	static const struct {
		uint32_t offset, line, u16, u8;
	} cases[] = {
		{ 0, 0, 0, 0 },   { 1, 0, 1, 1 },   /* before 🧊 */
		{ 5, 0, 3, 5 },   /* after 🧊 (4 bytes, 2 units) */
		{ 3, 0, 1, 1 },   /* inside 🧊: counts its start */
		{ 6, 0, 4, 6 },   /* at \r: end of line 0 */
		{ 7, 0, 4, 6 },   /* at \n of CRLF: still end of line 0 */
		{ 8, 1, 0, 0 },   { 12, 1, 4, 4 }, /* 漢 */
		{ 18, 1, 6, 10 }, /* after 漢字 */
		{ 21, 1, 8, 13 }, /* after é: end of line 1 */
		{ 22, 2, 0, 0 },  /* after a lone \r */
		{ 27, 3, 0, 0 },  { 28, 4, 0, 0 }, { 31, 4, 3, 3 },
		{ 999, 4, 3, 3 }, /* past the end: clamped */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lsp_pos p16 = position_from_offset(text, sizeof(text) - 1, &map, cases[i].offset, POS_UTF16);
		struct lsp_pos p8 = position_from_offset(text, sizeof(text) - 1, &map, cases[i].offset, POS_UTF8);
		INT_EQ(p16.line, cases[i].line);
		INT_EQ(p16.character, cases[i].u16);
		INT_EQ(p8.character, cases[i].u8);
	}
	/* And back; a character past the line end gives the line end, one in
	 * the middle of a surrogate pair gives the pair's start. */
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 0, 3 }, POS_UTF16), 5);
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 0, 2 }, POS_UTF16), 1);
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 0, 99 }, POS_UTF16), 6);
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 1, 6 }, POS_UTF16), 18);
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 1, 10 }, POS_UTF8), 18);
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 2, 2 }, POS_UTF8), 24);
	INT_EQ(position_to_offset(text, sizeof(text) - 1, &map, (struct lsp_pos){ 50, 0 }, POS_UTF8), sizeof(text) - 1);
	line_map_fini(&map);

	/* Invalid UTF-8 counts one unit per byte. */
	static const char bad[] = "\xff\xfe[[x]]";
	line_map_init(&map, bad, sizeof(bad) - 1);
	INT_EQ(position_from_offset(bad, sizeof(bad) - 1, &map, 2, POS_UTF16).character, 2);
	line_map_fini(&map);
}

/* The character at text[i]: its byte length, UTF-16 units, and whether
 * it ends the line, as position.h defines them; a slow reference. */
static size_t ref_char(const char *t, size_t len, size_t i, uint32_t *u16)
{
	size_t n = utf8_seq_len((const unsigned char *)t + i, len - i);
	*u16 = n == 4 ? 2 : 1;
	return n ? n : 1;
}

/* Every offset of text, converted both ways with map, against counting
 * from the line's start: the number of offsets that differ. */
static int wrong_offsets(const char *t, size_t len, const struct line_map *map)
{
	int wrong = 0;
	uint32_t line = 0, u16 = 0, u8 = 0, chars = 0;
	for (size_t i = 0; i <= len && wrong < 5;) {
		struct lsp_pos p16 = position_from_offset(t, len, map, (uint32_t)i, POS_UTF16);
		struct lsp_pos p8 = position_from_offset(t, len, map, (uint32_t)i, POS_UTF8);
		uint32_t c = position_chars(t, len, map, (uint32_t)i);
		bool brk = i < len && (t[i] == '\n' || t[i] == '\r');
		if (p16.line != line || p16.character != u16 || p8.character != u8 || c != chars ||
		    (!brk && (position_to_offset(t, len, map, p16, POS_UTF16) != i ||
			      position_to_offset(t, len, map, p8, POS_UTF8) != i))) {
			fprintf(stderr, "offset %zu: got %u:%u/%u/%u, want %u:%u/%u/%u\n", i, p16.line,
				p16.character, p8.character, c, line, u16, u8, chars);
			wrong++;
		}
		if (i == len)
			break;
		if (brk) {
			i += t[i] == '\r' && i + 1 < len && t[i + 1] == '\n' ? 2 : 1;
			line++;
			u16 = u8 = chars = 0;
			continue;
		}
		uint32_t w;
		size_t n = ref_char(t, len, i, &w);
		u16 += w;
		u8 += (uint32_t)n;
		chars++;
		i += n;
	}
	return wrong;
}

/* Long lines (marks every LINE_MARK_BYTES) give exactly what counting
 * from the line's start gives, in both directions, for every offset, with
 * a full map (open documents) and a compact one (notes of the index). */
static void test_long_lines(void)
{
	static const char *const pieces[] = { "a", "word ", "\xc3\xa9", "\xe6\xbc\xa2",
					      "\xf0\x9f\xa7\x8a", "\xff", "\xe2\x80",
					      "\r\n", "\n", "\r" };
	struct strbuf b;
	strbuf_init(&b);
	uint32_t seed = 99;
	while (b.len < 40000) {
		seed = seed * 1103515245 + 12345;
		uint32_t k = (seed >> 16) % 1000;
		/* Breaks are rare: lines of a few KB, some over 10 KB; some
		 * runs of short lines between them. */
		if (k == 999)
			for (int r = 0; r < 40; r++)
				strbuf_puts(&b, r % 3 ? "x\n" : "\r\n");
		strbuf_puts(&b, pieces[k < 2 ? 7 + k % 3 : 1 + k % 6]);
	}
	struct line_map map;
	line_map_init(&map, b.ptr, b.len);
	OK(map.n_marks > 20);
	INT_EQ(wrong_offsets(b.ptr, b.len, &map), 0);
	line_map_fini(&map);
	line_map_init_compact(&map, b.ptr, b.len);
	OK(map.n_marks > 20 && map.n > 4);
	INT_EQ(wrong_offsets(b.ptr, b.len, &map), 0);
	line_map_fini(&map);
	strbuf_fini(&b);

	/* 200,000 conversions on one 5 MB line: linear, not 10^12 steps. */
	strbuf_init(&b);
	while (b.len < 5000000)
		strbuf_puts(&b, "word [[Z\xc3\xb6" "e]] ");
	for (int compact = 0; compact < 2; compact++) {
		if (compact)
			line_map_init_compact(&map, b.ptr, b.len);
		else
			line_map_init(&map, b.ptr, b.len);
		clock_t t0 = clock();
		uint64_t sum = 0;
		for (uint32_t off = 0; off < b.len; off += 25) {
			struct lsp_pos p = position_from_offset(b.ptr, b.len, &map, off, POS_UTF16);
			sum += p.character + position_to_offset(b.ptr, b.len, &map, p, POS_UTF16);
		}
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		OK(sum > 0);
		if (secs > 2)
			fprintf(stderr, "200k conversions on a 5 MB line: %.1f s\n", secs);
		OK(secs < 20);
		line_map_fini(&map);
	}
	strbuf_fini(&b);
}

int main(void)
{
	test_two_messages_one_read();
	test_tolerant_headers();
	test_bad_frames();
	test_huge_length();
	test_truncated();
	test_split_reads_over_a_pipe();
	test_write_frames();
	test_positions();
	test_long_lines();
	return harness_done("test_transport");
}
