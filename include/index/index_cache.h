/*
 * index_cache.h — the index kept on disk between sessions: the format of
 * the cache file, written from a workspace a slice at a time and read
 * back, checked, into what workspace_install_cached installs. No files
 * are opened here (cache_file.h knows where the cache lives): the writer
 * appends to a buffer, the reader takes its bytes from a source, so the
 * reader can be fuzzed on memory.
 *
 * A file is a header, one entry per note or attachment, and a trailer.
 * The header says what wrote it (the format, VAULT_VERSION and the
 * binary's own identity, the configuration's hash) and for which roots;
 * each entry a path, what its file was when read (struct file_sig), the
 * note's model (note_pack.h) and text with the text's hash, what its
 * links resolved to, and the diagnostics last published for it; the
 * trailer a checksum over everything before it. A file is trusted only
 * whole: a checksum that does not match, a length or offset out of
 * bounds, another format, version, binary or vault, and nothing of it is
 * used.
 */
#ifndef VAULT_INDEX_CACHE_H
#define VAULT_INDEX_CACHE_H

#include "workspace.h"

/* Bumped by hand whenever what a file holds, or how, changes. */
#define INDEX_CACHE_FORMAT 1

/* What a cache must have been written by, and for, to be read. */
struct index_cache_key {
	const char *version;      /* VAULT_VERSION */
	uint64_t build;           /* the binary's identity (cache_file_build_id) */
	uint64_t config;          /* index_cache_config_hash */
	const char *const *roots; /* the workspace folders, as the index names them */
	uint32_t n_roots;
};

/* A hash of every setting that changes what is indexed or reported:
 * folders, peopleKeys, ignore, duplicates, identity, diagnostics,
 * diagnosticsIgnore (not logLevel). */
uint64_t index_cache_config_hash(const struct config *cfg);

/* ---- reading ------------------------------------------------------- */

/* Where the reader takes bytes from: exactly n at the current position
 * into dst, or false. size is the whole length. */
struct index_cache_src {
	bool (*read)(void *ctx, void *dst, size_t n);
	void *ctx;
	uint64_t size;
};

/* A note's last published diagnostics, left where they are in the file
 * (read again when published: 100 MB of them at 100,000 notes are not
 * kept in memory). */
struct cached_diags {
	uint64_t offset;          /* of the record in the file */
	uint32_t len;
	uint64_t hash;            /* hash64 of the record, checked when read */
	bool present;             /* a record was written (the note was diagnosed) */
	bool identity;            /* it holds a name-variant or duplicate-card */
};

struct index_cache {
	struct ws_cached *entries;
	struct cached_diags *diags; /* parallel to entries */
	uint32_t n;
	/* Written under the same settings: its diagnostics may be published
	 * (its models and links hold whatever the settings). */
	bool same_config;
};

/*
 * Reads a cache written for key. NULL when it is not one, or not for key,
 * with *why (static) saying why in a few words. check_sum is false only
 * for the fuzzer, so that changed bytes reach past the checksum; every
 * length, offset, index and span is checked regardless.
 */
struct index_cache *index_cache_read(struct index_cache_src *src, const struct index_cache_key *key,
				     bool check_sum, const char **why);
/* Frees what was not installed. */
void index_cache_free(struct index_cache *cache);

/* The bytes of a memory buffer, as a source (for tests and the fuzzer). */
struct index_cache_mem {
	const unsigned char *p;
	size_t len, at;
};
struct index_cache_src index_cache_mem_src(struct index_cache_mem *m);

/* ---- writing ------------------------------------------------------- */

/* Each note's last published diagnostics, for the writer: record
 * appends note id's (a diag_store.h record) to out and says whether they
 * name who is who, or returns false when none are current (not yet
 * diagnosed, or changed since); placed then says where in the file the
 * record's bytes went. */
struct index_cache_diags {
	bool (*record)(void *ctx, uint32_t id, struct strbuf *out, bool *identity);
	void (*placed)(void *ctx, uint32_t id, uint64_t offset, uint32_t len);
	void *ctx;
};

struct index_cache_writer;

/* Starts a file for the workspace as it is now; the workspace must not
 * change until it is done (index_cache_writer_step says when). diags may
 * be NULL (no diagnostics kept). */
struct index_cache_writer *index_cache_writer_new(const struct workspace *ws,
						  const struct index_cache_key *key,
						  const struct index_cache_diags *diags);
/* Appends the next entries to out, at least `bytes` of them when there
 * are; true once the trailer is out (the file is complete). */
bool index_cache_writer_step(struct index_cache_writer *w, const struct workspace *ws,
			     struct strbuf *out, size_t bytes);
/* How many bytes the file has so far. */
uint64_t index_cache_writer_size(const struct index_cache_writer *w);
void index_cache_writer_free(struct index_cache_writer *w);

#endif
