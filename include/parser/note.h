/*
 * note.h — the note model: bytes in, struct note out.
 *
 * The parser is pure: no files, no JSON, no LSP, no configuration. It knows
 * Markdown (cmark), YAML frontmatter (libyaml) and Obsidian's wikilinks,
 * embeds, block ids and tags (our own scanner).
 *
 * Every position is a byte offset into note->text (the whole file, including
 * the frontmatter). A parsed note owns a copy of its text; every string in it
 * is owned by the note, and note_free() frees everything. The text, the
 * arrays and the heading strings share one allocation: a parsed note's
 * arrays are read-only (never push to them, never free them).
 */
#ifndef VAULT_NOTE_H
#define VAULT_NOTE_H

#include "note_types.h"
#include "util.h"

/* Parses len bytes of text (any bytes: invalid UTF-8 and NULs are tolerated).
 * Never fails; the result is owned by the caller. */
struct note *note_parse(const char *text, size_t len);
void note_free(struct note *note);

/* The note's slice for a span. */
static inline struct slice note_slice(const struct note *n, struct span s)
{
	return (struct slice){ n->text + s.start, s.len };
}

/* The index of the first link, or zone, starting at or after offset
 * (both are sorted): a bisection, for callers that visit the ones of a
 * range, as every fact of a note does. */
uint32_t note_first_link_at(const struct note *note, uint32_t offset);
uint32_t note_first_zone_at(const struct note *note, uint32_t offset);
/* The same for block ids (sorted too). */
uint32_t note_first_block_at(const struct note *note, uint32_t offset);

/* True when offset lies inside a code block, code span, HTML or comment zone. */
bool note_in_zone(const struct note *note, uint32_t offset);

/* Appends md, one paragraph of inline Markdown, as plain text: as
 * note_item_text renders an item once its links are replaced. */
void note_plain_text(const char *md, size_t len, struct strbuf *out);

struct mojibake_list;

/* Appends the note's mojibake (see mojibake.h) outside code blocks, code
 * spans and comments: a hex dump or a commented-out paste is not prose. */
void note_mojibake(const struct note *note, struct mojibake_list *out);

/* Writes the GitHub-style slug of s into out (reset first). */
void note_slugify(struct slice s, struct strbuf *out);

#endif
