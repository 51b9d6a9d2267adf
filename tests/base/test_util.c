/*
 * test_util.c — the shared vocabulary's hash: FNV-1a against the
 * published test vectors, and its step matching it byte for byte.
 */
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
	return harness_done("test_util");
}
