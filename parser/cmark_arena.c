/* cmark_arena.c — cmark's allocations from a per-parse arena (see
 * cmark_arena.h): bump allocation, the newest block grown or given back
 * in place, everything freed at the end. */
#include "cmark_arena.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every block is preceded by its size, and stays aligned as malloc's are. */
#define ALIGN 16u
#define HEAD ALIGN
#define FIRST_CHUNK (64u << 10)
#define MAX_CHUNK (4u << 20)

struct cmark_arena_chunk {
	struct cmark_arena_chunk *next;
	size_t cap, used;
	_Alignas(ALIGN) unsigned char data[];
};

static _Thread_local struct cmark_arena *current;

static size_t round_up(size_t n)
{
	return (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
}

static size_t *head_of(void *p)
{
	return (size_t *)((unsigned char *)p - HEAD);
}

static void *arena_alloc(struct cmark_arena *a, size_t size)
{
	if (size > SIZE_MAX / 2)
		abort();
	size_t need = HEAD + round_up(size ? size : 1);
	struct cmark_arena_chunk *c = a->chunks;
	if (!c || c->cap - c->used < need) {
		size_t cap = c ? c->cap * 2 : FIRST_CHUNK;
		if (cap > MAX_CHUNK)
			cap = MAX_CHUNK;
		if (cap < need)
			cap = need;
		struct cmark_arena_chunk *n = xmalloc(sizeof(*n) + cap);
		n->cap = cap;
		n->used = 0;
		n->next = c;
		a->chunks = c = n;
	}
	unsigned char *p = c->data + c->used + HEAD;
	c->used += need;
	*head_of(p) = size;
	a->last = p;
	return p;
}

static void *arena_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / 2 / size)
		abort();
	void *p = arena_alloc(current, n * size);
	memset(p, 0, n * size);
	return p;
}

static void *arena_realloc(void *p, size_t size)
{
	struct cmark_arena *a = current;
	if (!p)
		return arena_alloc(a, size);
	size_t old = *head_of(p);
	struct cmark_arena_chunk *c = a->chunks;
	if (p == a->last) {
		/* The newest block: grown or shrunk where it is, if it fits. */
		size_t start = (size_t)((unsigned char *)p - c->data);
		if (size <= SIZE_MAX / 2 && start + round_up(size ? size : 1) <= c->cap) {
			c->used = start + round_up(size ? size : 1);
			*head_of(p) = size;
			return p;
		}
	}
	void *q = arena_alloc(a, size);
	memcpy(q, p, old < size ? old : size);
	return q;
}

static void arena_free(void *p)
{
	struct cmark_arena *a = current;
	/* Only the newest block is given back; the rest waits for the end. */
	if (p && p == a->last) {
		struct cmark_arena_chunk *c = a->chunks;
		c->used = (size_t)((unsigned char *)p - c->data) - HEAD;
		a->last = NULL;
	}
}

static cmark_mem arena_mem = { arena_calloc, arena_realloc, arena_free };

void cmark_arena_begin(struct cmark_arena *a)
{
	if (current)
		abort(); /* one at a time: see cmark_arena.h */
	a->chunks = NULL;
	a->last = NULL;
	current = a;
}

cmark_node *cmark_arena_parse(struct cmark_arena *a, const char *src, size_t len)
{
	(void)a; /* current: cmark's allocator reaches it there */
	cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &arena_mem);
	cmark_parser_feed(p, src, len);
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

void cmark_arena_end(struct cmark_arena *a)
{
	struct cmark_arena_chunk *c = a->chunks;
	while (c) {
		struct cmark_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->chunks = NULL;
	a->last = NULL;
	current = NULL;
}
