/*
 * index_cache.h — the index kept on disk between sessions: the format of
 * the cache file, written from a workspace a slice at a time and read
 * back, checked, into what workspace_install_cached installs. No files
 * are opened here (cache_file.h knows where the cache lives): the writer
 * appends to a buffer, the reader takes its bytes from a source, so the
 * reader can be fuzzed on memory.
 *
 * A file is a header, one entry per note or attachment in segments of a
 * few megabytes (read in parallel), and a table of the segments. The
 * header says what wrote it (the format and this build's layout of the
 * model, VAULT_VERSION and the binary's own identity, the configuration's
 * hash) and for which roots; each entry a path, what its file was when
 * read (struct file_sig), the note's model (note_pack.h), its line map and
 * text with the text's hash, what its links resolved to, and the
 * diagnostics last published for it; each segment's row a checksum of its
 * bytes, and the file's end a checksum of the header and the table. A
 * file is trusted only whole: a checksum that does not match, a length or
 * offset out of bounds, another format, version, binary or vault, and
 * nothing of it is used. (index_cache_impl.h has the layout in full.)
 */
#ifndef VAULT_INDEX_CACHE_H
#define VAULT_INDEX_CACHE_H

#include "workspace.h"

/* Bumped by hand whenever what a file holds, or how, changes. */
#define INDEX_CACHE_FORMAT 2

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

/* Where the reader takes bytes from: exactly n at offset into dst, or
 * false; from several threads at once. size is the whole length. */
struct index_cache_src {
	bool (*read_at)(void *ctx, uint64_t offset, void *dst, size_t n);
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
	/* Made under the vault's names as they were when the file was
	 * written; else made before some name came, went or changed, so
	 * that a note's name-variants, did-you-means or facts may have gone
	 * stale (published all the same, then checked in the background). */
	bool current;
};

struct index_cache_reading;

struct index_cache {
	struct ws_cached *entries;
	struct cached_diags *diags; /* parallel to entries */
	uint32_t n;
	/* Written under the same settings: its diagnostics may be published
	 * (its models and links hold whatever the settings). */
	bool same_config;
	/* The settings' hash it was written under (index_cache_config_hash):
	 * a session's settings may change while it is read. */
	uint64_t config;
	struct index_cache_reading *reading; /* while being read */
};

/*
 * Reads a cache written for key, its segments on up to `threads` threads.
 * NULL when it is not one, or not for key, with *why (static) saying why
 * in a few words. check_sum is false only for the fuzzer, so that changed
 * bytes reach past the checksums; every length, offset, index and span
 * is checked regardless.
 */
struct index_cache *index_cache_read(struct index_cache_src *src, const struct index_cache_key *key,
				     unsigned threads, bool check_sum, const char **why);

/*
 * The same a part at a time, for a caller that installs entries as they
 * come while the rest is read: index_cache_begin checks the file's frame
 * (its end, header and table) and starts `threads` threads on its
 * segments (src must outlive the reading). index_cache_wait blocks until
 * more than `have` entries are read, in order, and returns how many are
 * (n once all are), or UINT32_MAX once the reading failed. Entries up to
 * that count are the caller's to take from (their notes, resolutions and
 * line maps), but nothing read is to be trusted before index_cache_end
 * says the whole file was: it waits for the threads, checks every link,
 * and returns false (with *why) if anything failed; the cache is then to
 * be freed, and whatever was installed from it given up.
 */
struct index_cache *index_cache_begin(const struct index_cache_src *src,
				      const struct index_cache_key *key, unsigned threads,
				      bool check_sum, const char **why);
uint32_t index_cache_wait(struct index_cache *c, uint32_t have);
bool index_cache_end(struct index_cache *c, const char **why);
/* The real paths of the roots a cache was written for (appended; only
 * its header is read, not checked against a key): for the cleaning of
 * caches whose vault is gone. False when it is no cache of this format. */
bool index_cache_roots(const struct index_cache_src *src, struct str_list *roots);

/* Frees what was not installed. */
void index_cache_free(struct index_cache *cache);

/* The bytes of a memory buffer, as a source (for tests and the fuzzer). */
struct index_cache_mem {
	const unsigned char *p;
	size_t len;
};
struct index_cache_src index_cache_mem_src(struct index_cache_mem *m);

/* ---- writing ------------------------------------------------------- */

/* Each note's last published diagnostics, for the writer: record
 * appends note id's (a diag_store.h record) to out and gives its flags,
 * or returns false when there are none to keep (not yet diagnosed, or
 * changed since); placed then says where in the file the record's bytes
 * went. */
enum { CACHED_DIAG_IDENTITY = 1, CACHED_DIAG_CURRENT = 2 };
struct index_cache_diags {
	bool (*record)(void *ctx, uint32_t id, struct strbuf *out, uint8_t *flags);
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
/* Segments of about `bytes` each rather than SEGMENT_BYTES' few
 * megabytes (tests: many segments out of a small vault). Before the first
 * step. */
void index_cache_writer_segments(struct index_cache_writer *w, size_t bytes);
/* How many bytes the file has so far. */
uint64_t index_cache_writer_size(const struct index_cache_writer *w);
void index_cache_writer_free(struct index_cache_writer *w);

#endif
