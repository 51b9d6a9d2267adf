/*
 * rename_impl.h — what the files of the rename module share: rename.c
 * (what a position renames, the names the user may type, the plan) and
 * relink.c (links, values and names written again for where the notes
 * will be once the moves are made).
 */
#ifndef VAULT_RENAME_IMPL_H
#define VAULT_RENAME_IMPL_H

#include "rename.h"
#include "workspace_impl.h"

/* A note or attachment that moves, and where to (vault-relative). */
struct moved {
	uint32_t id;
	char *rel;
};

/* A plan being made: its edits and moves go to out. */
struct planner {
	struct workspace *ws;
	struct rename_plan *out;
	ARRAY(struct moved) moved;
	struct strbuf a, b;   /* scratch */
};

/* relink.c: the plan refused (a message; nothing else is kept); an edit;
 * a note's path as links name it (without ".md") and its last part;
 * whether a target ends in ".md"; the span of a slice of n's text. */
void relink_refuse(struct rename_plan *p, const char *fmt, ...);
void relink_edit(struct planner *pl, uint32_t note, struct span span, const char *text, size_t len);
struct slice relink_path(const struct workspace *ws, uint32_t id, const char *rel);
struct slice relink_last_component(struct slice p);
bool relink_ends_md(struct slice t);
struct span relink_span(const struct note *n, struct slice s);
/* A link target written in note from that means note id, written again
 * for where id will be; a frontmatter scalar given a new value, quoted as
 * YAML needs; the scalar whose value starts at start. */
void relink_link(struct planner *pl, uint32_t from, struct slice written, uint32_t id);
/* The same for a Markdown link's path (span, percent-encoded as written). */
void relink_md(struct planner *pl, uint32_t from, struct span span, uint32_t id);
void relink_set_scalar(struct planner *pl, uint32_t id, const struct yaml_node *v, const char *name);
const struct yaml_node *relink_scalar_at(const struct note *n, uint32_t start);
/* Every reference to moved note id written again (plain names too when
 * its stem becomes new_stem); links to other notes that would take a
 * moved note's new stem for theirs, pinned; how many plain names
 * (frontmatter values, With names) call note id by key. */
void relink_follow(struct planner *pl, uint32_t id, const char *new_stem);
void relink_keep_namesakes(struct planner *pl, struct slice new_stem);
uint32_t relink_plain_names(struct workspace *ws, uint32_t id, struct slice key);
/* The edits sorted, each place once, and the planner's memory freed; a
 * move recorded (in pl and in the plan). */
void relink_finish(struct planner *pl);
void relink_move(struct planner *pl, uint32_t id, const char *new_rel);

#endif
