/*
 * diag_store.h — the diagnostics last published for each closed note,
 * kept on disk rather than in memory (a hundred megabytes of them at
 * 100,000 notes): in the cache file they were read from, and in a file of
 * the server's own, unlinked as soon as it is made, for those published
 * since. The index cache writes them beside each note, and a restart with
 * nothing changed publishes them without diagnosing a note again.
 *
 * A record is a note's diag_list as publishDiagnostics shows it (spans,
 * severities, codes, messages, related places named by root and path,
 * not by id), without what only code actions use: they diagnose again.
 */
#ifndef VAULT_DIAG_STORE_H
#define VAULT_DIAG_STORE_H

#include "diagnose.h"
#include "index_cache.h"

struct diag_store;

/* Records published from now on go to a file made in dir (unlinked at
 * once); NULL when none can be made there (then nothing is kept). */
struct diag_store *diag_store_new(const char *dir, struct log *log);
void diag_store_free(struct diag_store *ds);

/* Takes the records of a cache just read: d[i] is the entry whose note
 * has id ids[i] (UINT32_MAX: none now). fd (owned from now on, closed by
 * the store) is the file they are in. */
void diag_store_adopt(struct diag_store *ds, int fd, const struct cached_diags *d,
		      const uint32_t *ids, uint32_t n);

/* Note id's diagnostics, as just published. */
void diag_store_put(struct diag_store *ds, const struct workspace *ws, uint32_t id,
		    const struct diag_list *list);
/* Note id's record no longer holds (the note, or what it depends on,
 * changed; or it is open, and its buffer's diagnostics are not the
 * file's). */
void diag_store_drop(struct diag_store *ds, uint32_t id);
bool diag_store_has(const struct diag_store *ds, uint32_t id);
/* Does id's record hold a name-variant or duplicate-card? */
bool diag_store_identity(const struct diag_store *ds, uint32_t id);

/*
 * A name came, went or changed (a note's stem, title, aliases or kind):
 * what the records hold of names (name-variants, did-you-means, facts
 * about people) may be stale, and they are not current any more, until
 * diagnosed again. The index follows such changes only for the notes
 * they are known to affect; a record not current is kept and published
 * all the same, and is the one to check when there is time (and after a
 * restart).
 */
void diag_store_names_changed(struct diag_store *ds);
bool diag_store_current(const struct diag_store *ds, uint32_t id);
/* Is list what id's record holds? If so the record is current again. */
bool diag_store_same(struct diag_store *ds, const struct workspace *ws, uint32_t id,
		     const struct diag_list *list);

/* Note id's record decoded into out (appended), related places found in
 * ws (those no longer there left out); false when there is none or it
 * cannot be read. */
bool diag_store_get(struct diag_store *ds, const struct workspace *ws, uint32_t id,
		    struct diag_list *out);

/* For index_cache_writer_new: each note's record, and where it lands in
 * the file being written; then, once that file is complete and in place,
 * diag_store_commit reads the records from it (fd owned from now on) and
 * empties the store's own file when nothing in it is current any more.
 * diag_store_abandon forgets a write that did not complete. */
struct index_cache_diags diag_store_writer(struct diag_store *ds);
void diag_store_commit(struct diag_store *ds, int fd);
void diag_store_abandon(struct diag_store *ds);

/* The encoding itself, for tests: list to a record, and back. */
void diag_store_pack(const struct workspace *ws, const struct diag_list *list, struct strbuf *out,
		     bool *identity);
bool diag_store_unpack(const struct workspace *ws, const struct ws_note *wn, const char *p,
		       size_t len, struct diag_list *out);

#endif
