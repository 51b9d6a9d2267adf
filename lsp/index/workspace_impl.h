/*
 * workspace_impl.h — what the files of the workspace module (workspace.h)
 * share and nobody else sees: workspace.c (the index, its roots, notes by
 * id and path), ws_note.c (one entry: paths, kind, title, keys),
 * name_maps.c (names to ids), resolve.c (link targets), backlinks.c (links
 * kept resolved both ways, the notes affected), update.c (notes coming,
 * changing, going), scan.c (reading the vault in parallel), name_table.c
 * (completion's table), suggest.c (did-you-mean names); and fact_index.c,
 * which keeps by_fact, and unlinked.c, which keeps unlinked. A file's
 * helpers here are named after it.
 */
#ifndef VAULT_WORKSPACE_IMPL_H
#define VAULT_WORKSPACE_IMPL_H

#include "names.h"
#include "workspace.h"

/* Files larger than this are indexed by name only. */
#define MAX_NOTE_BYTES (8u << 20)

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
	 * a link to it that resolves to nothing: who a new name may serve. */
	struct name_map *dangling;
	/* Names (folded) that came or went, and notes whose links must be
	 * resolved again, since the last backlinks_resolve_changed. */
	struct str_list changed_names;
	struct id_list changed_sources;
	bool bulk;                 /* installing a scan: backlinks_resolve_all follows */
	/* Normalised fact -> notes holding it; built on first use only, for
	 * the cross-note duplicates a user may turn on (fact_index.c). Built,
	 * it sets index_facts, which the changes to a note call to add (add)
	 * or remove its facts: the facts sit above the workspace, which so
	 * does not call up into them by name. */
	struct name_map *by_fact;
	void (*index_facts)(struct workspace *ws, uint32_t id, bool add);
	/* unlinked.c's index of unlinked mentions, the same way: built on
	 * first use, told of every note that comes, changes (first !add, then
	 * add) or goes (!add). */
	struct unlinked *unlinked;
	void (*unlinked_note)(struct workspace *ws, uint32_t id, bool add);
	void (*unlinked_free)(struct unlinked *u);
	unsigned unlinked_threads;  /* unlinked_threads(): for building it */
};


/* A parsed file not yet in the index. */
struct scanned {
	char *abs, *rel;       /* rel is abs's tail: only abs is freed */
	uint32_t root;
	struct note *note;     /* NULL if unread: the scan stopped, or the read failed */
	bool attachment;       /* never read */
};

struct ws_scan {
	ARRAY(struct scanned) files;
};

/* ws_note.c: a note's entry (taking note), an attachment's (sharing
 * ws's empty note), and its end. */
struct ws_note *ws_note_new(const char *abs, const char *rel, uint32_t root,
			    struct note *note);
struct ws_note *ws_note_attachment(struct workspace *ws, const char *abs, const char *rel,
				   uint32_t root);
void ws_note_free(struct ws_note *wn);
/* Works out a note's kind, title and search keys again (wn->keys is
 * their block); true when the kind or the title changed. */
bool ws_note_describe(struct workspace *ws, struct ws_note *wn);

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

/* name_table.c: note id's names, title or kind changed, or it came or
 * went; the table, if built, follows. */
void name_table_note(struct workspace *ws, uint32_t id);


#endif
