/*
 * workspace_impl.h — what the files of the vault index share and nobody
 * else sees: workspace.c (notes, names, resolution), scan.c (reading and
 * parsing the vault in parallel), suggest.c (did-you-mean names).
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
	struct suggester *suggester;  /* suggest.c's cache */
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
	 * resolved again, since the last resolve_changed. */
	struct str_list changed_names;
	struct id_list changed_sources;
	bool bulk;                 /* installing a scan: resolve_all follows */
	/* Normalised fact -> notes holding it; built on first use only, for
	 * the cross-note duplicates a user may turn on. */
	struct name_map *by_fact;
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

/* name_table.c: note id's names, title or kind changed, or it came or
 * went; the table, if built, follows. */
void name_table_note(struct workspace *ws, uint32_t id);

/* A link target as written, trimmed, without ".md" or a leading '/'. */
struct slice workspace_clean_target(struct slice t);

/* suggest.c: its cache, freed with the workspace. */
struct suggester;
void suggester_free(struct suggester *sg);

#endif
