/*
 * workspace.h — the vault index: every note, its names (stem, title,
 * aliases), kind, links with their resolution, and backlinks.
 *
 * Knows nothing about the protocol (no JSON, no URIs, no LSP positions).
 * Not thread-safe: one thread owns a workspace. The expensive part of
 * indexing, reading and parsing every file, is done by workspace_scan()
 * without a workspace, on as many threads as asked, and handed over with
 * workspace_install().
 *
 * Link resolution follows Obsidian: a target matches a note's file stem
 * case-insensitively (".md" optional); a target with '/' matches the end of
 * a vault-relative path; several matches prefer the linking note's folder,
 * then the shortest path, and are marked ambiguous. A target that matches
 * no stem but an alias resolves to that note "via alias".
 *
 * Attachments (every other file the walk finds: images, PDFs, canvases...)
 * are entries too, flagged `attachment`, named by their full file name
 * with its extension and never read: links resolve to them by that name
 * or a path suffix, case-insensitively. A target that names notes (no
 * extension, or ".md") never means an attachment: notes come first, and
 * an explicit ".md" means notes only. A subpath ("#page=3") on a link to
 * an attachment does not change its target.
 *
 * Relative targets ("./Note", "../Folder/Note") are taken from the
 * linking note's folder and must name a whole vault-relative path; one
 * that climbs above the root means nothing.
 */
#ifndef VAULT_WORKSPACE_H
#define VAULT_WORKSPACE_H

#include "config.h"
#include "file.h"
#include "log.h"
#include "note.h"
#include "position.h"

#include <stdatomic.h>

enum link_status {
	LINK_RESOLVED,
	LINK_UNRESOLVED,       /* no note by that name */
	LINK_HEADING_MISSING,  /* the note exists, the #heading does not */
	LINK_BLOCK_MISSING,    /* the note exists, the #^block does not */
	LINK_IGNORED,          /* not a reference: unclosed, or empty "[[]]" */
};

/* One per link of every note: 16 bytes. */
struct resolution {
	int32_t note;          /* target note id, or -1 */
	int32_t heading;       /* index into the target's headings, or -1 */
	int32_t block;         /* index into the target's blocks, or -1 */
	uint32_t status : 3;   /* enum link_status */
	uint32_t ambiguous : 1; /* several notes matched; note is the preferred one */
	uint32_t via_alias : 1; /* matched an alias, not a stem */
	int32_t alias : 27;    /* via_alias: index into the target's aliases */
};

struct backlink {
	uint32_t from;         /* linking note id */
	uint32_t link;         /* index into its note->links */
};

struct ws_note {
	char *abs;             /* absolute path */
	char *rel;             /* vault-relative path, '/' separators */
	char *stem;            /* file name without ".md" (rel and stem live in abs's block);
				* an attachment's whole file name */
	char *title;           /* name:, else title: (not for people), else first H1, else stem */
	char *kind;            /* "person", "project", "customer", a type: value, or ""
				* (always "" for an attachment) */
	uint32_t root;         /* index of its workspace folder */
	/* Search keys (names_search_key) and their fuzzy masks, for completion:
	 * [0] the stem, [1] the title, then one per alias (note->aliases).
	 * keys, kind and title are one block, remade when the note changes. */
	struct search_key { char *key; uint32_t len; uint64_t mask; } *keys;
	uint32_t n_keys;
	struct note *note;     /* an attachment's is the workspace's empty note */
	struct line_map lines;
	struct resolution *res;              /* parallel to note->links */
	ARRAY(struct backlink) backlinks;
	struct file_sig disk;                /* where the note's text came from */
	bool affected;                       /* listed for workspace_take_affected */
	/* Not a note but a file links may name (no keys, no kind, never
	 * diagnosed, never completed as a note, not counted as a note). */
	bool attachment;
};

/* Is this path (or file name) an attachment's rather than a note's: does
 * it not end in ".md" (in any case)? */
bool workspace_is_attachment_path(const char *path);
/* What an attachment is, from its extension: "image", "PDF", "audio",
 * "video", "canvas", "base", "Excalidraw drawing" or "file". */
const char *workspace_attachment_type(const char *name);

struct workspace;

/* How many attachments the index holds (workspace_count counts notes). */
uint32_t workspace_attachment_count(const struct workspace *ws);

/* cfg is copied. */
struct workspace *workspace_new(const struct config *cfg, struct log *log);
void workspace_free(struct workspace *ws);

/* Adds a workspace folder (an absolute path, no trailing '/'). Returns its
 * index. Reading it is workspace_scan's job. */
uint32_t workspace_add_root(struct workspace *ws, const char *path);
uint32_t workspace_root_count(const struct workspace *ws);
const char *workspace_root(const struct workspace *ws, uint32_t i);

/* Changes whenever a note, what its links resolve to, or the settings
 * change: what a reader over several turns of the main loop (the index
 * cache's writer) checks that it reads one index. */
uint64_t workspace_generation(const struct workspace *ws);
/* Changes whenever a name of the vault comes, goes or changes (a note's
 * stem, title, aliases or kind; the settings): what diagnostics about
 * names depend on beyond the notes the index knows they affect. */
uint64_t workspace_names_generation(const struct workspace *ws);

/* Replaces the configuration (copied); kinds and titles are recomputed. */
void workspace_set_config(struct workspace *ws, const struct config *cfg);
const struct config *workspace_config(const struct workspace *ws);
/* False for a note the diagnosticsIgnore globs match (by its rel path):
 * it stays indexed, links to it resolve, but it gets no diagnostics. */
bool workspace_diagnosed(const struct workspace *ws, const struct ws_note *wn);

/* The result of reading and parsing a set of folders. */
struct ws_scan;

typedef void (*scan_progress_fn)(void *ctx, uint32_t done, uint32_t total);

/*
 * Lists and parses every note under the given roots on `threads` threads.
 * Safe to run on another thread than the workspace's owner: it touches no
 * workspace. progress (may be NULL) is called from the scanning threads,
 * at most every 1% or so. When *stop becomes true, it returns early with
 * what it has.
 */
struct ws_scan *workspace_scan(const char *const *roots, uint32_t n_roots,
			       const struct config *cfg, unsigned threads,
			       scan_progress_fn progress, void *ctx,
			       const atomic_bool *stop, struct log *log);
void ws_scan_free(struct ws_scan *scan);
uint32_t ws_scan_count(const struct ws_scan *scan);
/* workspace_scan in its two halves, for an owner that installs the notes
 * as they are parsed: the walk lists every file (nothing read); then the
 * parsing, on `threads` threads, hands each file over as it is done. The
 * owner may call workspace_install_parsed with the scan from the end of
 * the walk. With cached entries (struct ws_cached below; n_cached may be
 * 0), a note whose file is the one cached is not parsed: not even read
 * when size, times and inode say so, read and hashed when only the size
 * does (or the cached note was an open buffer's). */
struct ws_cached;
struct ws_scan *ws_scan_walk(const char *const *roots, uint32_t n_roots,
			     const struct config *cfg, const atomic_bool *stop, struct log *log);
void ws_scan_parse(struct ws_scan *scan, const struct ws_cached *cached, uint32_t n_cached,
		   unsigned threads, scan_progress_fn progress, void *ctx,
		   const atomic_bool *stop, struct log *log);

/* Adds every scanned note not yet installed (consumes scan, once parsing
 * has ended); root indices match the order of the roots passed to
 * workspace_scan. Then resolves all links: the index is complete. */
void workspace_install(struct workspace *ws, struct ws_scan *scan);

/*
 * The index while a scan is on its way, for a server that answers from
 * what is indexed so far. After workspace_expect_scan the index is
 * partial until workspace_install; workspace_install_parsed (on the
 * owner's thread, while ws_scan_parse runs on others) adds the notes
 * parsed so far, in the walk's order, their links unresolved until the
 * end. While partial, nothing a note still to come could change is said
 * as final: workspace_resolve resolves a target only when every file of
 * its name is in (workspace_settled) and it names a file, not an alias,
 * and is otherwise LINK_IGNORED, never LINK_UNRESOLVED; backlinks are
 * not counted.
 */
void workspace_expect_scan(struct workspace *ws);
uint32_t workspace_install_parsed(struct workspace *ws, struct ws_scan *scan);
bool workspace_partial(const struct workspace *ws);
/* Can no note still to be installed become a candidate for this target
 * (as written)? Always true once the index is complete. */
bool workspace_settled(const struct workspace *ws, struct slice target);

/*
 * A note or attachment as the index cache kept it (index_cache.h): its
 * path, its parsed note, what its links resolved to (note ids there are
 * indexes into the same cached array) and what its file was when read.
 */
struct ws_cached {
	char *rel;             /* owned */
	uint32_t root;
	bool attachment;
	struct note *note;     /* owned until installed; NULL for an attachment */
	struct resolution *res;/* parallel to note->links; owned until installed */
	struct backlink *back; /* the links into it (from: cached indexes); owned */
	uint32_t n_back;
	struct line_map lines; /* the note's (compact), made by the reader */
	struct file_sig disk;
	uint64_t hash;         /* hash64 of the note's text */
	/* Its note and resolutions are the workspace's now (installed), kept
	 * here only to be checked (index_cache_end): not freed with it. */
	bool taken;
};

/*
 * Installs the index the cache kept, as it was (no link resolved again),
 * then what the scan (workspace_scan_read with the same entries) found
 * different, as the files changing while the server ran would have been:
 * notes changed, added and gone, and what depends on them, which
 * workspace_take_affected then lists. Consumes scan and the entries'
 * notes and resolutions. ids[i] gets cached entry i's id, or UINT32_MAX
 * for one gone or now read anew (its cached diagnostics no longer hold).
 * An empty workspace only. Says how many notes were kept as cached, read
 * anew, added and gone (attachments not counted).
 */
struct ws_restored {
	uint32_t kept, changed, added, gone;
	/* A name came, went or changed with them (workspace_names_generation
	 * moved): what diagnostics say of names may be stale anywhere. */
	bool names_changed;
};
struct ws_restored workspace_install_cached(struct workspace *ws, struct ws_scan *scan,
					    struct ws_cached *cached, uint32_t n_cached,
					    uint32_t *ids);
/* The same a part at a time, as the cache is read: begin with the number
 * of entries, add entries [from, to) in order as they come (their notes,
 * line maps and resolutions taken: an entry's resolutions must not be
 * used before every entry is read and checked), then finish once all are
 * in and the scan is read. A workspace given up half way is freed whole. */
void workspace_restore_begin(struct workspace *ws, uint32_t n_cached);
void workspace_restore_add(struct workspace *ws, struct ws_cached *cached, uint32_t from,
			   uint32_t to, uint32_t *ids);
struct ws_restored workspace_restore_finish(struct workspace *ws, struct ws_scan *scan,
					    struct ws_cached *cached, uint32_t n_cached,
					    uint32_t *ids);

/*
 * Sets a note's text (an open buffer, or a file that changed on disk),
 * adding the note if the path is new. Only what depends on the note is
 * updated. Returns its id.
 */
uint32_t workspace_set_text(struct workspace *ws, const char *abs,
			    const char *text, size_t len);
/* Re-reads a note from disk; removes it when it is gone or no longer a
 * note. Returns its id, or -1 if it was removed or never existed. For an
 * attachment's path: adds it (without reading it) while it is a regular
 * file, else removes it. */
int32_t workspace_reload(struct workspace *ws, const char *abs);
void workspace_remove(struct workspace *ws, const char *abs);
/* Removes every note keep() says no to, then resolves links once;
 * returns how many. */
uint32_t workspace_retain(struct workspace *ws, bool (*keep)(void *ctx, const struct ws_note *wn),
			  void *ctx);
/* Reads and adds notes not yet in the index (paths under a root), then
 * resolves links once. */
void workspace_add_files(struct workspace *ws, const char *const *paths, uint32_t n);

/* Removes every note below a folder (absolute, no trailing '/'); returns
 * how many. */
uint32_t workspace_remove_under(struct workspace *ws, const char *folder);

/* Ids run from 0 to workspace_id_bound() - 1; removed ids give NULL. */
uint32_t workspace_id_bound(const struct workspace *ws);
/* Notes only: attachments are not counted. */
uint32_t workspace_count(const struct workspace *ws);
const struct ws_note *workspace_get(const struct workspace *ws, uint32_t id);
int32_t workspace_find(const struct workspace *ws, const char *abs);

/* Resolves a link target (as written: trimmed, ".md" optional) and an
 * optional subpath ("H1#H2" or "^block") from note `from` (-1: none). */
struct resolution workspace_resolve(const struct workspace *ws, int32_t from,
				    struct slice target, struct slice subpath,
				    bool has_subpath);

/* Every note a target could mean, the preferred one first. Caller frees
 * out->items. */
struct id_list { uint32_t *items; uint32_t len, cap; };
void workspace_candidates(const struct workspace *ws, int32_t from,
			  struct slice target, struct id_list *out, bool *via_alias);

/*
 * Names close to a target that resolves to nothing: stems and aliases
 * within a small edit distance of it (accents and case ignored), closest
 * first, at most max (8 at the most). Remembered per target until a
 * name in the vault changes. out gets note ids; names (may be NULL) gets the
 * matching name of each, borrowed from the note.
 */
struct cstr_list { const char **items; uint32_t len, cap; };
void workspace_suggest(struct workspace *ws, struct slice target, uint32_t max,
		       struct id_list *out, struct cstr_list *names);

/*
 * Is this phrase (a search key: names_search_key of some words) a name?
 * 0: the stem of a note; 1: an alias of exactly one note (*note is it);
 * -1: neither (or an alias several notes share).
 */
int workspace_phrase(const struct workspace *ws, struct slice phrase, uint32_t *note);
/* How many words the stems and aliases starting with this word have: bit
 * l for l words (bit 31 for 31 or more); 0 when no name starts with it.
 * A phrase of l words starting there is a name only if bit l is set (the
 * converse need not hold: a name removed may leave its bit). */
uint32_t workspace_phrase_lengths(const struct workspace *ws, struct slice word);

/*
 * Every search key of every note (stem, title, aliases: ws_note.keys) as
 * one flat array in note order, with what completion ranks by and a copy
 * of the keys, so that a scan over a large vault reads memory in order and
 * touches no note; and
 * the same entries grouped by the first byte of their key, so that the
 * keys a query is a prefix of are found without a scan. Every group lists
 * its entries in the order rank.c breaks ties in (people, projects, the
 * rest; a name before an alias; the shorter label first), stable, so
 * that one note's keys stay adjacent. A title that is the stem is left
 * out (it would rank the same item by the same key). Valid until the
 * next change to the workspace (name_table.c keeps it up to date, note by
 * note).
 */
struct name_ref {
	uint64_t mask;         /* the key's fuzzy mask */
	uint64_t words;        /* its fuzzy_word_mask */
	uint64_t pairs;        /* its fuzzy_pair_mask */
	uint64_t jumps;        /* its fuzzy_jump_mask */
	char head[8];          /* the key's first bytes, zero-padded */
	uint32_t id, k;        /* note id and index into its keys */
	uint32_t key, key_len; /* the key: name_table.keys + key */
	uint32_t label_len;    /* of what completion shows: the stem, or the alias */
	uint8_t rank;          /* 0 a person, 1 a project, 2 anything else, */
};
#define NAME_DEAD 3            /* or a key the note no longer has */
uint8_t name_table_rank(const char *kind);
struct name_table {
	const struct name_ref *entries;
	uint32_t len;
	const char *keys;          /* every key, in entry order: a scan reads on */
	const uint32_t *by_first;  /* indexes into entries, grouped by key[0] */
	const uint32_t *first;     /* [c]..[c + 1]: the range of by_first for byte c */
	/* Indexes into entries, once under each bit of their words mask, so
	 * the keys with a letter at a word start are listed together. */
	const uint32_t *by_word;
	const uint32_t *word;      /* [b]..[b + 1]: the range of by_word for bit b */
	/* Keys that came since the table was built, in no order; the ones
	 * they replace are NAME_DEAD in entries. */
	const struct name_ref *extra;
	uint32_t extra_len;
};
struct name_table workspace_name_table(struct workspace *ws);

/* Moves to out (appending) the ids of the notes that changed, or whose
 * links now resolve differently, since the last call: what to diagnose
 * again. Removed notes are not listed. */
void workspace_take_affected(struct workspace *ws, struct id_list *out);

#endif
