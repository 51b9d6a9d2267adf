/*
 * cmark_arena.h — cmark's allocations for a parse, from one arena freed
 * whole at the end. A parse makes and frees a node, a buffer or two for
 * every block and inline; through malloc that bookkeeping was a third of
 * parsing a vault.
 *
 *   struct cmark_arena a;
 *   cmark_arena_begin(&a);
 *   cmark_node *doc = cmark_arena_parse(&a, src, len);
 *   ... read doc (cmark calls on its nodes allocate from the arena) ...
 *   cmark_arena_end(&a);   // doc and everything cmark made are gone
 *
 * cmark's allocator has no context: the arena is the calling thread's
 * between begin and end, one at a time (begin while one is open aborts).
 * Never call cmark_node_free on what it made: end frees it.
 */
#ifndef VAULT_CMARK_ARENA_H
#define VAULT_CMARK_ARENA_H

#include <cmark.h>
#include <stddef.h>

struct cmark_arena_chunk;

struct cmark_arena {
	struct cmark_arena_chunk *chunks; /* the newest first */
	void *last;                       /* the newest block, or NULL */
};

void cmark_arena_begin(struct cmark_arena *a);
cmark_node *cmark_arena_parse(struct cmark_arena *a, const char *src, size_t len);
void cmark_arena_end(struct cmark_arena *a);

#endif
