/*
 * note_item.c — a list item's line, task marker and plain text: what a fact
 * is made of.
 */
#include "note_item.h"

#include "bytes.h"
#include "note.h"
#include "plain_text.h"

struct span note_item_line(const struct note *n, uint32_t item)
{
	const struct list_item *it = &n->items.items[item];
	uint32_t end = span_end(it->span);
	if (!it->span.len) /* the marker's line: no break between marker and end */
		while (end < n->len && n->text[end] != '\n' && n->text[end] != '\r')
			end++;
	return make_span(it->line_start, end);
}

char note_item_task(const struct note *n, uint32_t item)
{
	/* "[x] " (or "[ ]" alone): one ASCII character between brackets. */
	const struct list_item *it = &n->items.items[item];
	const char *t = n->text + it->span.start;
	if (it->span.len >= 3 && t[0] == '[' && t[2] == ']' && t[1] >= ' ' && t[1] <= '~' &&
	    (it->span.len == 3 || is_blank(t[3])))
		return t[1];
	return 0;
}

void note_item_text(const struct note *n, uint32_t item, struct strbuf *out)
{
	const struct list_item *it = &n->items.items[item];
	uint32_t s = it->span.start, e = span_end(it->span);
	if (!it->span.len)
		return;
	/* A task's "[ ] " is a marker, not text. */
	if (note_item_task(n, item)) {
		s += 3;
		while (s < e && is_blank(n->text[s]))
			s++;
	}
	/* Wikilinks become their display text, else their target; a block
	 * id after the last link names the item and is dropped, and so is a
	 * comment. In source order, from three sorted arrays. The source is
	 * written where the text goes: most items are plain lines, which are
	 * their own text. */
	size_t first = out->len;
	uint32_t at = s;
	uint32_t li = note_first_link_at(n, s), zi = note_first_zone_at(n, s);
	uint32_t links_end = s;
	for (uint32_t i = li; i < n->links.len && n->links.items[i].span.start < e; i++)
		if (span_end(n->links.items[i].span) <= e)
			links_end = span_end(n->links.items[i].span);
	uint32_t bi = note_first_block_at(n, links_end);
	for (;;) {
		while (li < n->links.len && (n->links.items[li].span.start < at ||
					     span_end(n->links.items[li].span) > e))
			if (n->links.items[li++].span.start >= e)
				break;
		while (bi < n->blocks.len && n->blocks.items[bi].span.start < at)
			bi++;
		while (zi < n->zones.len && (n->zones.items[zi].span.start < at ||
					     n->zones.items[zi].kind != ZONE_COMMENT))
			if (n->zones.items[zi++].span.start >= e)
				break;
		uint32_t ls = li < n->links.len ? n->links.items[li].span.start : UINT32_MAX;
		uint32_t bs = bi < n->blocks.len ? n->blocks.items[bi].span.start : UINT32_MAX;
		uint32_t zs = zi < n->zones.len ? n->zones.items[zi].span.start : UINT32_MAX;
		uint32_t next = ls < bs ? (ls < zs ? ls : zs) : (bs < zs ? bs : zs);
		if (next >= e)
			break;
		struct span cut;
		struct span shown = { 0, 0 };
		if (next == ls) {
			const struct wikilink *l = &n->links.items[li++];
			cut = l->span;
			shown = wikilink_display(l); /* len 0 if there is none */
			if (!shown.len)
				shown = wikilink_target(l);
		} else if (next == bs) {
			cut = n->blocks.items[bi++].span;
		} else {
			cut = n->zones.items[zi++].span;
		}
		if (span_end(cut) > e) /* a block id or comment past the item: keep */
			break;
		strbuf_put(out, n->text + at, cut.start - at);
		strbuf_put(out, n->text + shown.start, shown.len);
		at = span_end(cut);
		/* "a %%x%% b" is "a b", as a heading's text is. */
		if (next == zs && out->len > first && is_blank(out->ptr[out->len - 1]))
			while (at < e && is_blank(n->text[at]))
				at++;
	}
	strbuf_put(out, n->text + at, e - at);
	plain_text_in_place(out, first);
}
