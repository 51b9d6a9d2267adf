/*
 * cache_file.h — where the index cache lives and how it gets there.
 *
 * In $XDG_CACHE_HOME/vault-lsp/ (else ~/.cache/vault-lsp/), never inside
 * a vault: one file per set of workspace folders, named after the first
 * folder and a hash of their real paths, which the file also holds and
 * the reader checks. A file is read whole and checked (index_cache.h)
 * before anything of it is used. It is written to a temporary file of the
 * writer's own in the same folder (its process id and a random number in
 * its name), then renamed over the old one: a reader sees one whole file
 * or the other, and two servers writing at once leave one of theirs.
 * Temporary files a killed server left are removed after an hour.
 */
#ifndef VAULT_CACHE_FILE_H
#define VAULT_CACHE_FILE_H

#include "index_cache.h"

struct cache_file;

/* The cache of these roots (absolute paths), or NULL with *why (static)
 * when there is no folder for it: no home, a folder that cannot be made
 * or written, one inside a root, or a binary whose identity cannot be
 * read. */
struct cache_file *cache_file_open(const char *const *roots, uint32_t n_roots, const char **why);
void cache_file_free(struct cache_file *cf);
const char *cache_file_path(const struct cache_file *cf);
const char *cache_file_dir(const struct cache_file *cf);

/* Starts reading the cache for the current settings (config:
 * index_cache_config_hash) on `threads` threads: index_cache_begin, whose
 * wait and end the caller calls. NULL with *why (static) when there is
 * none or its frame cannot be used (why is NULL when there simply is no
 * file yet). *fd gets the file, open: it is read until index_cache_end,
 * and the diagnostics left in it after (diag_store_adopt). */
struct index_cache *cache_file_read(struct cache_file *cf, uint64_t config, unsigned threads,
				    int *fd, const char **why);

/* Writing, a slice at a time. */
struct cache_write;
struct cache_write *cache_file_write_begin(struct cache_file *cf, const struct workspace *ws,
					   uint64_t config, const struct index_cache_diags *diags,
					   struct log *log);
/* Writes for about budget_ms: 0 while there is more, 1 once the file is
 * complete and in place, -1 when it failed (logged; the temporary file
 * gone). */
int cache_file_write_step(struct cache_write *cw, const struct workspace *ws, double budget_ms);
/* Once complete: the new file, open (the caller owns it from now on);
 * its size. */
int cache_file_write_take_fd(struct cache_write *cw);
uint64_t cache_file_write_size(const struct cache_write *cw);
/* Ends a write, complete or not (an incomplete one's file removed). */
void cache_file_write_end(struct cache_write *cw);

#endif
