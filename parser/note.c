/*
 * note.c — note_parse (frontmatter.c, then body.c, then one allocation for
 * it all), note_free, and what callers ask of a parsed note.
 */
#include "note.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "frontmatter.h"
#include "mojibake.h"
#include "plain_text.h"

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

#define ARRAY_BYTES(a) align8((size_t)(a)->len * sizeof(*(a)->items))

/* Moves array a to block + *off, right-sized; an empty one has no items. */
#define MOVE_ARRAY(a, block, off)                                          \
	do {                                                               \
		size_t bytes_ = (size_t)(a)->len * sizeof(*(a)->items);     \
		if (bytes_) {                                              \
			memcpy((block) + *(off), (a)->items, bytes_);       \
			free((a)->items);                                  \
			(a)->items = (void *)((block) + *(off));            \
			(a)->cap = (a)->len;                               \
			*(off) += align8(bytes_);                          \
		} else {                                                   \
			array_free(a);                                     \
		}                                                          \
	} while (0)

static char *move_string(char *s, char *block, size_t *off)
{
	size_t n = strlen(s) + 1;
	char *to = memcpy(block + *off, s, n);
	free(s);
	*off += n;
	return to;
}

/*
 * Gathers the text, every array and the heading strings into one
 * allocation, with no growth slack: an index holds tens of thousands of
 * notes, and separate blocks cost their headers, their rounding and the
 * capacity arrays grow by (heading strings kept a 64-byte buffer for
 * twenty bytes). The text comes first, so free(n->text) frees it all.
 */
static void note_compact(struct note *n)
{
	size_t size = align8((size_t)n->len + 1) + ARRAY_BYTES(&n->aliases) +
		      ARRAY_BYTES(&n->fm_tags) + ARRAY_BYTES(&n->headings) +
		      ARRAY_BYTES(&n->items) + ARRAY_BYTES(&n->links) + ARRAY_BYTES(&n->blocks) +
		      ARRAY_BYTES(&n->tags) + ARRAY_BYTES(&n->zones);
	for (uint32_t i = 0; i < n->headings.len; i++)
		size += strlen(n->headings.items[i].text) + 1;
	char *block = xmalloc(size);
	memcpy(block, n->text, (size_t)n->len + 1);
	free(n->text);
	n->text = block;
	size_t off = align8((size_t)n->len + 1);
	MOVE_ARRAY(&n->aliases, block, &off);
	MOVE_ARRAY(&n->fm_tags, block, &off);
	MOVE_ARRAY(&n->headings, block, &off);
	MOVE_ARRAY(&n->items, block, &off);
	MOVE_ARRAY(&n->links, block, &off);
	MOVE_ARRAY(&n->blocks, block, &off);
	MOVE_ARRAY(&n->tags, block, &off);
	MOVE_ARRAY(&n->zones, block, &off);
	for (uint32_t i = 0; i < n->headings.len; i++) {
		struct heading *h = &n->headings.items[i];
		h->text = move_string(h->text, block, &off);
	}
}

struct note *note_parse(const char *text, size_t len)
{
	struct note *n = xcalloc(1, sizeof(*n));
	/* Offsets are 32-bit; a note past 4 GiB is cut, not misread. */
	if (len > UINT32_MAX - 1)
		len = UINT32_MAX - 1;
	n->text = xstrndup(text ? text : "", text ? len : 0);
	n->len = text ? (uint32_t)len : 0;
	frontmatter_parse(n);
	body_parse(n);
	note_compact(n);
	return n;
}

void note_free(struct note *n)
{
	if (!n)
		return;
	yaml_tree_free(n->frontmatter);
	free(n->fm_error.message);
	free(n->text); /* and with it every array and heading string */
	free(n);
}

bool note_in_zone(const struct note *note, uint32_t offset)
{
	uint32_t lo = 0, hi = note->zones.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (note->zones.items[mid].span.start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && offset < span_end(note->zones.items[lo - 1].span);
}

static bool hides_mojibake(const struct zone *z)
{
	return z->kind == ZONE_CODE_BLOCK || z->kind == ZONE_CODE_SPAN || z->kind == ZONE_COMMENT;
}

/*
 * mojibake_find over a copy of the text with code and comments blanked (line
 * breaks kept), not a filter of its findings: its decisions are per line,
 * and a garbled hex dump in a code span must not vouch for a doubtful
 * stretch of prose beside it. Offsets are the same in the copy, and a
 * finding outside the blanked bytes reads the same bytes as the text.
 * Blanking is skipped when no such zone holds a non-ASCII byte (mojibake is
 * never ASCII), so most notes pay nothing.
 */
void note_mojibake(const struct note *n, struct mojibake_list *out)
{
	char *copy = NULL;
	for (uint32_t i = 0; i < n->zones.len; i++) {
		const struct zone *z = &n->zones.items[i];
		if (!hides_mojibake(z))
			continue;
		bool ascii = true;
		for (uint32_t j = z->span.start; j < span_end(z->span) && ascii; j++)
			ascii = (unsigned char)n->text[j] < 0x80;
		if (ascii)
			continue;
		if (!copy)
			copy = xstrndup(n->text, n->len);
		for (uint32_t j = z->span.start; j < span_end(z->span); j++)
			if (copy[j] != '\n' && copy[j] != '\r')
				copy[j] = ' ';
	}
	mojibake_find(copy ? copy : n->text, n->len, out);
	free(copy);
}

void note_slugify(struct slice s, struct strbuf *out)
{
	if (!out->ptr)
		strbuf_init(out);
	out->len = 0;
	out->ptr[0] = '\0';
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (ch >= 'A' && ch <= 'Z')
			strbuf_putc(out, (char)(ch + 32));
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			 ch == '-' || ch == '_' || ch >= 0x80)
			strbuf_putc(out, (char)ch);
		else if (ch == ' ')
			strbuf_putc(out, '-');
	}
}

/* The first of n items (each size bytes, starting with its span, sorted
 * by start) that starts at or after offset. Every fact of a note asks,
 * of its links and of its block ids (note_types.h: both sorted): a scan of all
 * of them would make a note's facts quadratic. */
static uint32_t first_at(const void *items, uint32_t n, size_t size, uint32_t offset)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct span *s = (const void *)((const char *)items + mid * size);
		if (s->start < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

_Static_assert(offsetof(struct wikilink, span) == 0, "first_at reads a link's span first");
_Static_assert(offsetof(struct block_id, span) == 0, "first_at reads a block id's span first");

uint32_t note_first_link_at(const struct note *n, uint32_t offset)
{
	return first_at(n->links.items, n->links.len, sizeof(n->links.items[0]), offset);
}

uint32_t note_first_block_at(const struct note *n, uint32_t offset)
{
	return first_at(n->blocks.items, n->blocks.len, sizeof(n->blocks.items[0]), offset);
}

_Static_assert(offsetof(struct zone, span) == 0, "first_at reads a zone's span first");

uint32_t note_first_zone_at(const struct note *n, uint32_t offset)
{
	return first_at(n->zones.items, n->zones.len, sizeof(n->zones.items[0]), offset);
}

void note_plain_text(const char *md, size_t len, struct strbuf *out)
{
	size_t first = out->len;
	strbuf_put(out, md, len);
	plain_text_in_place(out, first);
}
