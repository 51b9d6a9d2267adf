/*
 * index_cache_impl.h — what the cache file's writer (index_cache.c) and
 * reader (index_cache_read.c) agree on.
 *
 *   file    = header-chunk segment* table tail
 *   chunk   = u32 length, bytes
 *   header  = magic "VLSPIDX\0", u32 format, u32 byte-order mark,
 *             u64 layout, str version, u64 build, u64 config,
 *             u32 roots, str root*, u32 entries
 *   segment = entry* (about SEGMENT_BYTES of them, read on a thread each)
 *   entry   = meta-chunk, text (the note's bytes, meta says how many)
 *   meta    = u8 attachment, u32 root, str rel, u64 size, u64 mtime,
 *             u64 ctime, u64 inode, u8 racy, u32 text length, u64 text hash;
 *             a note's: note_pack, u32 links, their resolutions as they are
 *             in memory, line_map_pack; u32 backlinks, the backlinks as
 *             they are in memory; u8 has-diagnostics [u8 flags (identity,
 *             current: CACHED_DIAG_*), str record]
 *   table   = per segment: u64 offset, u64 bytes, u32 first entry,
 *             u32 entries, u64 sum
 *   tail    = u64 table offset, u32 segments, u64 checksum, magic "VLSPEND\0"
 *
 * A segment's sum chains the hashes of its chunks and texts (a text's
 * hash is the one its meta holds); the checksum is the table's hash
 * chained from the header's. Strings are u32 length and bytes. Host byte
 * order and layout: the header's mark and layout say which.
 */
#ifndef VAULT_INDEX_CACHE_IMPL_H
#define VAULT_INDEX_CACHE_IMPL_H

#include "index_cache.h"

#include <string.h>

#define CACHE_HEAD_MAGIC "VLSPIDX"
#define CACHE_TAIL_MAGIC "VLSPEND"
#define CACHE_MAGIC_BYTES 8
#define CACHE_BYTE_ORDER 0x01020304u
/* Bytes of entries a segment holds: a few per core at 10,000 notes,
 * dozens at 100,000, so that the threads reading them finish together. */
#define SEGMENT_BYTES (8u << 20)
#define TABLE_ROW 32
#define TAIL_BYTES (8 + 4 + 8 + CACHE_MAGIC_BYTES)
/* Bounds no file of ours comes near, against a length gone wrong. */
#define MAX_HEADER (1u << 20)
#define MAX_REL 4096
/* The fewest bytes an entry takes: its length and an attachment's meta. */
#define MIN_ENTRY 54

static inline uint64_t index_cache_chain(uint64_t sum, uint64_t h)
{
	return hash64(&h, sizeof(h), sum);
}

/* This build's layout of what goes into a file as it is in memory. */
uint64_t index_cache_layout(void);

#endif
