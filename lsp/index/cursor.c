/* cursor.c — what lies under a position in a note. */
#include "cursor.h"
#include "md_links.h"
#include "mentions.h"
#include "tags.h"

#include <stdlib.h>
#include <string.h>

void cursor_split_ref(struct slice text, struct slice *target, struct slice *subpath,
		      bool *has_subpath)
{
	struct slice t = slice_trim(text);
	if (t.len >= 2 && t.ptr[0] == '!' && t.ptr[1] == '[') {
		t.ptr++;
		t.len--;
	}
	if (t.len >= 4 && memcmp(t.ptr, "[[", 2) == 0) {
		t.ptr += 2;
		t.len -= 2;
		if (t.len >= 2 && memcmp(t.ptr + t.len - 2, "]]", 2) == 0)
			t.len -= 2;
	}
	const char *bar = memchr(t.ptr, '|', t.len);
	if (bar)
		t.len = (size_t)(bar - t.ptr);
	const char *hash = memchr(t.ptr, '#', t.len);
	*has_subpath = hash != NULL;
	if (hash) {
		*subpath = (struct slice){ hash + 1, (size_t)(t.ptr + t.len - hash - 1) };
		t.len = (size_t)(hash - t.ptr);
	} else {
		*subpath = (struct slice){ t.ptr + t.len, 0 };
	}
	*target = slice_trim(t);
}

static bool within(struct span s, uint32_t offset)
{
	return offset >= s.start && offset <= span_end(s);
}

static bool is_self_key(const char *key)
{
	return strcmp(key, "name") == 0 || strcmp(key, "aliases") == 0 || strcmp(key, "alias") == 0;
}

/* A scalar names a note when its key is a people-like key, or when it is
 * written as a wikilink ("[[X]]") under any key. */
static bool fm_scalar(const struct note *n, const struct config *cfg, const char *key,
		      const struct yaml_node *v, uint32_t offset, struct cursor *out)
{
	if (v->type != YAML_SCALAR_NODE || !v->str || !within(v->span, offset))
		return false;
	struct slice text = note_slice(n, v->span);
	struct slice trimmed = slice_trim(text);
	bool wikilink = trimmed.len >= 4 && memcmp(trimmed.ptr, "[[", 2) == 0;
	if (!trimmed.len)
		return false;
	if (config_is_people_key(cfg, key) || wikilink)
		out->kind = CURSOR_FM_REF;
	else if (is_self_key(key))
		out->kind = CURSOR_FM_SELF;
	else
		return false;
	out->span = v->span;
	out->key = key;
	cursor_split_ref(text, &out->target, &out->subpath, &out->has_subpath);
	return true;
}

/* A tag written at s ('#' optional): what it points at. */
static struct cursor tag_cursor(const struct note *n, struct span s)
{
	struct cursor c = { .kind = CURSOR_TAG, .span = s, .link = -1 };
	c.target = note_slice(n, s);
	if (c.target.len && c.target.ptr[0] == '#') {
		c.target.ptr++;
		c.target.len--;
	}
	return c;
}

struct cursor cursor_at(const struct note *n, const struct config *cfg, uint32_t offset)
{
	struct cursor c = { .kind = CURSOR_NOTHING, .link = -1 };
	const struct yaml_node *fm = n->frontmatter;
	struct span tag;
	if (fm && n->has_frontmatter && offset < n->body && tags_fm_at(n, offset, &tag))
		return tag_cursor(n, tag);
	if (fm && n->has_frontmatter && offset < n->body) {
		for (uint32_t i = 0; i < fm->n; i++) {
			const struct yaml_node *v = &fm->items[i];
			if (fm_scalar(n, cfg, fm->keys[i], v, offset, &c))
				return c;
			if (v->type == YAML_SEQ_NODE)
				for (uint32_t k = 0; k < v->n; k++)
					if (fm_scalar(n, cfg, fm->keys[i], &v->items[k], offset, &c))
						return c;
		}
		return c;
	}
	/* Links are sorted by position: binary search the last one starting
	 * at or before offset. */
	uint32_t lo = 0, hi = n->links.len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (n->links.items[mid].span.start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0) {
		const struct wikilink *l = &n->links.items[lo - 1];
		if (within(l->span, offset)) {
			c.kind = CURSOR_LINK;
			c.link = (int32_t)(lo - 1);
			c.span = l->span;
			c.target = note_slice(n, wikilink_target(l));
			c.subpath = note_slice(n, wikilink_subpath(l));
			c.has_subpath = l->has_subpath;
			return c;
		}
	}
	for (uint32_t i = 0; i < n->tags.len; i++)
		if (within(n->tags.items[i].span, offset))
			return tag_cursor(n, n->tags.items[i].span);
	/* A Markdown link to a note, on the offset's line. */
	uint32_t line = offset < n->len ? offset : n->len;
	while (line > n->body && n->text[line - 1] != '\n')
		line--;
	struct md_link ml;
	for (uint32_t from = line; md_links_next(n, &from, &ml) && ml.whole.start <= offset;) {
		if (within(ml.whole, offset)) {
			c.kind = CURSOR_MDLINK;
			c.span = ml.whole;
			c.target = note_slice(n, ml.path);
			c.subpath = note_slice(n, ml.subpath);
			c.has_subpath = ml.has_subpath;
			return c;
		}
	}
	/* A name in the text (never inside a link: mentions skip them). */
	struct mention_list ms = { 0 };
	mentions_find(n, &ms);
	for (uint32_t i = 0; i < ms.len; i++) {
		if (within(ms.items[i].span, offset)) {
			c.kind = CURSOR_MENTION;
			c.span = ms.items[i].span;
			c.target = note_slice(n, c.span);
			break;
		}
	}
	array_free(&ms);
	return c;
}
