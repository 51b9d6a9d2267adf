/*
 * test_util.c — the shared vocabulary's hashes: FNV-1a against the
 * published test vectors, and its step matching it byte for byte;
 * hash64 against xxHash64's vectors, whose design it follows; and the
 * checked byte reader of binio.h.
 */
#include "binio.h"
#include "harness.h"
#include "util.h"

#include <string.h>

static uint32_t fnv(const char *s)
{
	return hash_fnv1a(HASH_FNV1A_SEED, s, strlen(s));
}

int main(void)
{
	/* The reference implementation's vectors (FNV-1a, 32 bits). */
	INT_EQ(fnv(""), 0x811c9dc5u);
	INT_EQ(fnv("a"), 0xe40c292cu);
	INT_EQ(fnv("foobar"), 0xbf9cf968u);
	/* In pieces, or a byte at a time, it is the same hash. */
	INT_EQ(hash_fnv1a(hash_fnv1a(HASH_FNV1A_SEED, "foo", 3), "bar", 3), 0xbf9cf968u);
	uint32_t h = HASH_FNV1A_SEED;
	for (const char *p = "foobar"; *p; p++)
		h = hash_fnv1a_step(h, (unsigned char)*p);
	INT_EQ(h, 0xbf9cf968u);
	/* Bytes are unsigned: a UTF-8 byte is not sign-extended. */
	INT_EQ(hash_fnv1a(HASH_FNV1A_SEED, "\xc3", 1), hash_fnv1a_step(HASH_FNV1A_SEED, 0xc3));
	OK(hash_fnv1a_step(HASH_FNV1A_SEED, 0xc3) != hash_fnv1a_step(HASH_FNV1A_SEED, 0xffffffc3u));

	/* xxHash64's published vectors (seed 0), and a seed that changes it. */
	INT_EQ(hash64("", 0, 0), 0xEF46DB3751D8E999ull);
	INT_EQ(hash64("a", 1, 0), 0xD24EC4F1A98C6E5Bull);
	INT_EQ(hash64("abc", 3, 0), 0x44BC2CF5AD770999ull);
	const char *spam = "Nobody inspects the spammish repetition";
	INT_EQ(hash64(spam, strlen(spam), 0), 0xFBCEA83C8A378BF1ull);
	OK(hash64("abc", 3, 1) != hash64("abc", 3, 0));
	/* Every length around the four-lane step, every byte counts. */
	char buf[80];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 37);
	bool all_differ = true;
	for (size_t n = 1; n < sizeof(buf); n++) {
		uint64_t hn = hash64(buf, n, 0);
		buf[n - 1] ^= 1;
		all_differ = all_differ && hash64(buf, n, 0) != hn && hash64(buf, n - 1, 0) != hn;
		buf[n - 1] ^= 1;
	}
	OK(all_differ);

	/* binio: what is written reads back; short or out of range fails,
	 * and stays failed. */
	struct strbuf b = { 0 };
	binio_put_u8(&b, 1);
	binio_put_u32(&b, 0xdeadbeef);
	binio_put_u64(&b, 0x0123456789abcdefull);
	binio_put_str(&b, "hey", 3);
	struct binio_reader r = binio_over(b.ptr, b.len);
	OK(binio_bool(&r));
	INT_EQ(binio_u32(&r), 0xdeadbeef);
	INT_EQ(binio_u64(&r), 0x0123456789abcdefull);
	uint32_t len;
	const char *s = binio_str(&r, 10, &len);
	OK(s && len == 3 && memcmp(s, "hey", 3) == 0);
	OK(!r.bad && binio_left(&r) == 0);
	INT_EQ(binio_u32(&r), 0);
	OK(r.bad);
	INT_EQ(binio_u8(&r), 0);
	r = binio_over(b.ptr, b.len);
	binio_u8(&r);
	binio_u32(&r);
	binio_u64(&r);
	OK(!binio_str(&r, 2, &len) && r.bad); /* longer than allowed */
	r = binio_over(b.ptr + 1, b.len - 1);
	OK(!binio_bool(&r) && r.bad);         /* 0xef is no boolean */
	strbuf_fini(&b);
	return harness_done("test_util");
}
