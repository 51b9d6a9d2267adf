/*
 * rename.h — what renaming something in the vault changes, so that no
 * link breaks: a note (its file, from a link to it, its title heading, its
 * name:, or anywhere in it), a heading, a block id, an alias, a tag ("#a"
 * also renames the "a" of "#a/b"), and notes or folders moved. Computed, never written: the editor applies the edits.
 *
 * A note renamed or moved keeps every reference meaning it: each link is
 * written again with the new name, keeping its display text, subpath, embed
 * '!' and ".md" suffix; a link written with a path keeps one, and any link
 * that would become ambiguous gets the shortest path that names only its
 * note. Links through an alias stay as they are. Links to another note
 * that shares the new name (or has it as an alias) are given a path, or
 * its stem and the alias as display text, so that they keep their note.
 * Frontmatter values and With-line names that name the note by its stem
 * follow; its own name:/title: and title heading too, when they were the
 * old name. A link that named nothing and now names the renamed note is
 * left as it is (it starts to resolve).
 */
#ifndef VAULT_RENAME_H
#define VAULT_RENAME_H

#include "workspace.h"

enum rename_kind {
	RENAME_NONE,
	RENAME_NOTE,
	RENAME_HEADING,
	RENAME_BLOCK,
	RENAME_ALIAS,
	RENAME_TAG,           /* a tag, everywhere, nested ones with it */
};

/* What a position would rename. */
struct rename_what {
	enum rename_kind kind;
	uint32_t note;        /* the note renamed, or whose heading, block, alias */
	int32_t index;        /* the heading, block or alias index */
	struct span range;    /* in the note asked about: what the editor
			       * selects (the link target, the heading text...) */
	const char *placeholder; /* borrowed: the current name */
	size_t placeholder_len;
};

struct rename_edit {
	uint32_t note;
	struct span span;     /* replaced */
	char *text;           /* by this (owned) */
};

struct rename_move {
	uint32_t note;        /* a note or attachment */
	char *old_abs, *new_abs; /* owned */
};

struct rename_plan {
	struct { struct rename_edit *items; uint32_t len, cap; } edits; /* by note, then position */
	struct { struct rename_move *items; uint32_t len, cap; } moves;
	char *error;          /* a refusal: nothing else is set */
};

/* What the position at byte offset of note id would rename. */
bool rename_what_at(struct workspace *ws, uint32_t id, uint32_t offset, struct rename_what *out);

/* The edits that rename `what` to new_name (as the user typed it). */
void rename_plan(struct workspace *ws, const struct rename_what *what, const char *new_name,
		 struct rename_plan *out);

/* The edits that keep links meaning the same when files or folders move:
 * each (old, new) pair an absolute path of a note, attachment or folder
 * (every note and attachment below it moves). Paths that are in no root or
 * name nothing indexed are skipped; no moves are recorded (the client
 * moves the files). */
void rename_plan_moves(struct workspace *ws, const char *const *old_abs,
		       const char *const *new_abs, uint32_t n, struct rename_plan *out);

void rename_plan_fini(struct rename_plan *p);

#endif
