/*
 * cursor.h — what a position in a note points at: a wikilink or embed, a
 * frontmatter value that names a note (participants:, owner: "[[X]]"), or
 * one of the note's own names (name:, aliases:), or a name in the text
 * that may be a person's (a With line, prose), or a tag. Shared by hover,
 * definition and completion.
 */
#ifndef VAULT_CURSOR_H
#define VAULT_CURSOR_H

#include "config.h"
#include "note.h"

enum cursor_kind {
	CURSOR_NOTHING,
	CURSOR_LINK,       /* a wikilink or embed in the body */
	CURSOR_FM_REF,     /* a frontmatter value naming another note */
	CURSOR_FM_SELF,    /* the note's own name: or an alias (not title:, a job) */
	CURSOR_MENTION,    /* a name in the body that is no link (mentions.h): maybe a person */
	CURSOR_TAG,        /* an inline #tag, or a value of the frontmatter's tags: (tags.h) */
	CURSOR_MDLINK,     /* a Markdown link to a note (md_links.h): target and subpath
			    * as written, percent-encoded (md_links_decode) */
};

struct cursor {
	enum cursor_kind kind;
	struct span span;       /* what to highlight: the link, or the value */
	int32_t link;           /* CURSOR_LINK: index into note->links */
	const char *key;        /* CURSOR_FM_*: the frontmatter key */
	/* The reference as written: target, "#..." subpath (without '#');
	 * CURSOR_TAG: target is the tag, without its '#' if written. */
	struct slice target, subpath;
	bool has_subpath;
};

/* Finds what offset points at. A position at the end of a span counts
 * (the cursor after the last character). */
struct cursor cursor_at(const struct note *note, const struct config *cfg, uint32_t offset);

/* Splits a reference written as "[[Target#Sub|Display]]", "Target#Sub" or
 * "Target" (trimmed) into target and subpath. */
void cursor_split_ref(struct slice text, struct slice *target, struct slice *subpath,
		      bool *has_subpath);

#endif
