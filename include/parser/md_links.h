/*
 * md_links.h — Markdown links to notes in a note's body: "[text](Folder/
 * Note.md)", "[text](<Folder/Note.md>)", a "#subpath" after the path
 * allowed, outside code, comments and HTML. Only paths that end in ".md"
 * and name no URL ("scheme://") count: the rest are links to the web or to
 * files, not notes. Pure: reads only the note.
 */
#ifndef VAULT_MD_LINKS_H
#define VAULT_MD_LINKS_H

#include "note_types.h"
#include "util.h"

struct md_link {
	struct span whole;    /* "[text](path#sub)": from '[' to after ')' */
	struct span path;     /* the path as written (percent-encoded or not) */
	struct span subpath;  /* after '#', before ')' or '>' (len 0 if none) */
	bool has_subpath;
	bool angle;           /* written "(<path>)" */
};

/* The first link to a note starting at or after byte *from of n's body;
 * false when there is none. *from moves past it. */
bool md_links_next(const struct note *n, uint32_t *from, struct md_link *out);

/* A path decoded: "%20" is a space (appended to out). */
void md_links_decode(struct slice path, struct strbuf *out);

#endif
