/*
 * preview.h — short descriptions of notes, sections and blocks, as
 * Markdown or plain text: for hover and completion documentation.
 */
#ifndef VAULT_PREVIEW_H
#define VAULT_PREVIEW_H

#include "workspace.h"

/* Title and kind, key frontmatter fields (role, company, status, last
 * contact), aliases, the first facts or the first paragraph, backlinks and
 * the vault-relative path. An attachment: its file name, type and size
 * (asked of the disk now), backlinks and path. */
void preview_note(const struct workspace *ws, uint32_t id, bool markdown, struct strbuf *out);
/* The same in a line or two, for clients that take every completion
 * item's documentation at once (no completionItem/resolve): role and
 * company, then the first fact or the first paragraph, cut to about
 * PREVIEW_BRIEF bytes; nothing for an attachment. Title, kind and folder
 * are the item's own. */
#define PREVIEW_BRIEF 100
void preview_brief(const struct workspace *ws, uint32_t id, bool markdown, struct strbuf *out);
/* "812 bytes", "2.4 KB", "31 MB": sizes in units of 1024. */
void preview_size(uint64_t bytes, struct strbuf *out);

/* The first lines of a heading's section (at most max_lines). */
void preview_section(const struct note *n, uint32_t heading, uint32_t max_lines, struct strbuf *out);

/* The text of a block named by a block id. */
void preview_block(const struct note *n, uint32_t block, struct strbuf *out);

/* "person", "project", ... or "note" when the kind is unknown; for an
 * attachment its type ("image", "PDF", ...: workspace_attachment_type). */
const char *preview_kind(const struct ws_note *wn);

#endif
