/*
 * source.h — the text of one buffer as the tree-sitter parsers read it:
 * an owned copy, its line indexes, and the guarded copy that keeps the
 * block scanner safe. Private to the syntax tree's files.
 */
#ifndef VAULT_SOURCE_H
#define VAULT_SOURCE_H

#include "util.h"

#include <tree_sitter/api.h>

struct source {
	char *text;   /* owned copy of the buffer, NUL-terminated */
	uint32_t len;
	/* NULL, or a copy of text with a few bytes changed to keep the block
	 * scanner safe and linear (see guard_text): what the parsers read.
	 * Same length as text. */
	char *guarded;
	/* Start offset of every line ('\n'-terminated, as tree-sitter counts
	 * rows); items[0] == 0. Gives the TSPoints of an edit and the line
	 * count of a fold. */
	ARRAY(uint32_t) lines;
	/* The same by LSP's count ("\n", "\r\n" or a lone "\r"), which is
	 * what an editor folds by; equal to lines without lone CRs. */
	ARRAY(uint32_t) breaks;
};

/* Replaces the text. Offsets are uint32_t throughout (as in tree-sitter),
 * so a buffer of 4 GiB or more is treated as empty: no syntax features
 * rather than wrapped offsets. */
void source_set(struct source *src, const char *text, size_t len);
void source_fini(struct source *src);

/* The '\n'-counted line holding off (see lines). */
uint32_t source_line_of(const struct source *src, uint32_t off);
/* The LSP line holding off (see breaks). */
uint32_t source_break_of(const struct source *src, uint32_t off);
/* Tree-sitter's points are (row, byte column), rows counted by '\n'. */
TSPoint source_point_at(const struct source *src, uint32_t off);

/* Parses the whole text with the block grammar, or the included ranges
 * already set with the inline grammar. NULL when cut short by the
 * timeout; the parser is then reset, as a parse cut short would otherwise
 * resume on the next call, which is for different text. */
TSTree *source_parse(const struct source *src, TSParser *p, TSTree *old,
		     uint64_t timeout_micros);

/*
 * The last byte worth folding in [from, to): the last byte before the line
 * break of the last line that is not blank. Returns from when everything
 * is blank. `cache` remembers the answer for one `to`: nested blocks end
 * at the same byte, and without it the blank lines (or trailing spaces)
 * before `to` would be scanned once per nesting level.
 */
struct trim_cache {
	uint32_t to;
	uint32_t content; /* one past the last non-space byte before to */
	uint32_t last;    /* the answer when from < content */
	bool valid;
};

uint32_t source_last_content_byte(const struct source *src, uint32_t from,
				  uint32_t to, struct trim_cache *cache);

static inline bool source_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

#endif
