/*
 * workspace_impl.h — what the files of the workspace module (workspace.h)
 * share and nobody else sees: workspace.c (the index, its roots, notes by
 * id and path), ws_note.c (one entry: paths, kind, title, keys),
 * name_maps.c (names to ids), resolve.c (link targets), backlinks.c (links
 * kept resolved both ways, the notes affected), update.c (notes coming,
 * changing, going), scan.c (reading the vault in parallel), partial.c
 * (the index while a scan comes in), name_table.c
 * (completion's table), suggest.c (did-you-mean names); and the indexes
 * built on them (struct ws_ext). A file's helpers here are named after it.
 */
#ifndef VAULT_WORKSPACE_IMPL_H
#define VAULT_WORKSPACE_IMPL_H

#include "names.h"
#include "workspace.h"

/* Files larger than this are indexed by name only. */
#define MAX_NOTE_BYTES (8u << 20)

/*
 * An index a module above the workspace's own maps builds on first use
 * (fact_index.c: normalised fact -> notes; references.c: names written
 * outside wikilinks; tags.c: every tag; symbol_index.c: every heading and
 * block id; unlinked.c: names written without a link). Built, it leaves its state here with what a change to a note
 * does to it, and how to free it: the workspace calls nothing built on it
 * by name. note (may be NULL) adds or removes the note's entries (a
 * changed note is removed, then added, its entry readable both times);
 * changed (may be NULL) is told once the note came, changed or went (its
 * entry NULL once gone).
 */
enum ws_ext_slot {
	WS_EXT_FACTS, WS_EXT_SITES, WS_EXT_TAGS, WS_EXT_SYMBOLS, WS_EXT_UNLINKED, WS_EXT_COUNT
};
struct ws_ext {
	void *state; /* NULL until built */
	void (*note)(struct workspace *ws, uint32_t id, bool add);
	void (*changed)(struct workspace *ws, uint32_t id);
	void (*free)(void *state);
};

struct workspace {
	struct config cfg;
	struct ignore *diag_ignore;   /* cfg.diag_ignore, compiled */
	struct log *log;
	struct str_list roots;
	ARRAY(struct ws_note *) notes; /* by id; NULL once removed */
	uint32_t alive;            /* notes and attachments */
	uint32_t attachments;
	struct note *empty_note;   /* every attachment's */
	struct name_map *by_path;  /* absolute path (exact) -> id, notes only:
				    * attachments are found by name (by_stem) */
	struct name_map *by_stem;  /* folded stem -> ids */
	struct name_map *by_alias; /* folded alias -> ids */
	/* The same by search key (accents folded too), for phrases in text. */
	struct name_map *by_stem_key, *by_alias_key;
	/* First word of every stem and alias key -> the lengths, in words, of
	 * the names it starts (add-only: a stale length costs one lookup). */
	struct name_map *by_first_word;
	/* Bumped whenever a name comes or goes: what suggestions depend on. */
	uint32_t names_gen;
	/* suggest.c's cache, made on first use. It leaves its own free
	 * function beside it, as fact_index.c does index_facts: the workspace
	 * itself calls nothing built on it. */
	struct suggester *suggester;
	void (*suggester_free)(struct suggester *sg);
	/* identity.c's index of the people, the same way; rebuilt when
	 * people_gen moves (a note's names, title or kind changed, or a note
	 * came or went: name_table_note bumps it). */
	struct identity *identity;
	void (*identity_free)(struct identity *id);
	uint32_t people_gen;
	/* Notes whose cached diagnostics said something about who is who
	 * (identity_told_cached), told before any index of the people was
	 * built, and the people's generations they were told under (those
	 * of the restored index, before what changed on disk was applied). */
	struct id_list told_cached;
	uint32_t told_people_gen, told_titles_gen;
	/* Every search key in one flat array, for completion (name_table.c). */
	struct name_refs { struct name_ref *items; uint32_t len, cap; } name_table, name_extra;
	struct strbuf name_keys;
	uint32_t *name_by_first, name_first[257];
	uint32_t *name_by_word, name_word[65];
	uint32_t name_dead;
	uint32_t name_table_titles;
	uint32_t titles_gen;          /* bumped when every note's kind may have changed */
	struct id_list affected;   /* notes whose links resolve differently */
	/* Folded target (its last component for a path) -> the notes holding
	 * a link to it that resolves to nothing: who a new name may serve.
	 * After a warm start, not kept until first used (dangling_lazy:
	 * backlinks_dangling_map makes it). */
	struct name_map *dangling;
	bool dangling_lazy;
	/* The same for the search-key maps (by_stem_key, by_alias_key,
	 * by_first_word): made on the first phrase looked up. */
	bool keys_lazy;
	/* Names (folded) that came or went, and notes whose links must be
	 * resolved again, since the last backlinks_resolve_changed. */
	struct str_list changed_names;
	struct id_list changed_sources;
	bool bulk;                 /* installing a scan: backlinks_resolve_all follows */
	/* Indexes built on first use above the workspace's own maps. */
	struct ws_ext ext[WS_EXT_COUNT];
	/* unlinked_threads(): how many threads build the unlinked mentions. */
	unsigned unlinked_threads;
	/* A scan is being installed (workspace_expect_scan): the index is
	 * partial until workspace_install. pending is that scan once its walk
	 * is known (workspace_install_parsed), borrowed. */
	bool indexing;
	const struct ws_scan *pending;
	/* Bumped by every change to a note, its links or the settings. */
	uint64_t gen;
};


/* A parsed file not yet in the index. */
struct scanned {
	char *abs, *rel;       /* rel is abs's tail: only abs is freed */
	uint32_t root;
	struct note *note;     /* NULL if unread: the scan stopped, the read
				* failed, or the cached note is this file's */
	bool attachment;       /* never read */
	/* With a cache (ws_scan_parse): the same path's entry (-1:
	 * none), and whether its note is this file's, known from the
	 * signature alone or from the text's hash. */
	bool unchanged;
	int32_t cached;
	struct file_sig disk;  /* notes: from the walk, before any read */
};

struct ws_scan {
	ARRAY(struct scanned) files;
	/* Set (release) by the thread that parsed files[i], once it is done
	 * with it: from then on files[i] is the owner's to install. Made
	 * with files, when the walk ends. */
	atomic_uchar *ready;
	/* Every file's stem (folded, ws_note_stem) -> its indexes in files:
	 * which files a name may still gain (workspace_settled). */
	struct name_map *names;
	/* The owner's: files before this one are installed. */
	uint32_t installed;
	/* Realtime clock when reading began: files modified since, or just
	 * before, are racy (struct file_sig). */
	int64_t read_ns;
};

/* partial.c: installs one scanned file (taking its note), its links
 * unresolved until backlinks_resolve_all. */
void partial_install(struct workspace *ws, struct scanned *s);

/* ws_note.c: a note's entry (taking note), an attachment's (sharing
 * ws's empty note), and its end. */
struct ws_note *ws_note_new(const char *abs, const char *rel, uint32_t root,
			    struct note *note);
/* The same with its line map and resolutions made already (taken). */
struct ws_note *ws_note_adopt(const char *abs, const char *rel, uint32_t root,
			      struct note *note, struct line_map *lines, struct resolution *res);
struct ws_note *ws_note_attachment(struct workspace *ws, const char *abs, const char *rel,
				   uint32_t root);
void ws_note_free(struct ws_note *wn);
/* Works out a note's kind, title and search keys again (wn->keys is
 * their block); true when the kind or the title changed. */
bool ws_note_describe(struct workspace *ws, struct ws_note *wn);
/* The name links know a file by: a note's file name without ".md", an
 * attachment's whole file name (borrowed from rel). */
struct slice ws_note_stem(const char *rel, bool attachment);

/* name_maps.c: s folded (names_fold) into tmp; a note's alias i, trimmed. */
struct slice name_maps_fold(struct slice s, struct strbuf *tmp);
struct slice name_maps_alias(const struct note *n, uint32_t i);
/* Adds (or with add == false removes) note id's stem and aliases; its
 * search keys (made by ws_note_describe). */
void name_maps_index(struct workspace *ws, uint32_t id, bool add);
void name_maps_keys(struct workspace *ws, uint32_t id, bool add);

/* resolve.c: a link target as written, trimmed, without ".md" or a
 * leading '/'; what link l of note `from` resolves to now; the name a
 * target is looked up by (see workspace_candidates), folded into tmp. */
struct slice resolve_clean_target(struct slice t);
struct resolution resolve_link(const struct workspace *ws, uint32_t from,
			       const struct wikilink *l);
struct slice resolve_lookup_key(struct slice target, struct strbuf *tmp);

/* backlinks.c: forgets what note from's links resolved to (the backlinks
 * and dangling entries they gave); lists id for workspace_take_affected;
 * resolves id's links again and links back; resolves every link of the
 * vault; appends the ids of the notes linking to wn; resolves again what
 * the names and sources changed since the last call may concern. */
void backlinks_drop(struct workspace *ws, uint32_t from);
void backlinks_mark_affected(struct workspace *ws, uint32_t id);
void backlinks_resolve(struct workspace *ws, uint32_t id);
void backlinks_resolve_all(struct workspace *ws);
void backlinks_sources(struct id_list *out, const struct ws_note *wn);
void backlinks_resolve_changed(struct workspace *ws);

/* update.c: adds an entry (a note or an attachment) and its names (its
 * id); gives the note at abs (a new one, or
 * an attachment's path taken as a note) a parsed note in place of its
 * own, updating what depends on it (its id); takes an entry out, without
 * resolving links again. */
uint32_t update_add(struct workspace *ws, struct ws_note *wn);
uint32_t update_set_note(struct workspace *ws, const char *abs, struct note *note);
void update_forget(struct workspace *ws, uint32_t id);
/* update_set_note for many notes at once (ids[i] in the index, taking
 * notes[i]): each note linking into any of them resolved again once, not
 * once for each (a warm start with a thousand notes changed). */
void update_set_notes(struct workspace *ws, const uint32_t *ids, struct note **notes, uint32_t n);

/* backlinks.c, for an index restored with its resolutions: the backlinks
 * and dangling links they give, none resolved again; the dangling links
 * map, made when first needed after a restore. */
void backlinks_link_all(struct workspace *ws);
/* The dangling map, made first if it was left to be (dangling_lazy). */
struct name_map *backlinks_dangling_map(struct workspace *ws);
/* backlinks_drop for many notes (sorted, each once): each note linked to
 * filtered once for all of them. */
void backlinks_drop_many(struct workspace *ws, const struct id_list *ids);
/* The links into note id resolved again, each alone (its model changed:
 * a heading or block they name may have come or gone); not the other
 * links of the notes they are in, which do not depend on it. */
void backlinks_resolve_into(struct workspace *ws, uint32_t id);

/* name_table.c: note id's names, title or kind changed, or it came or
 * went; the table, if built, follows. */
void name_table_note(struct workspace *ws, uint32_t id);


#endif
