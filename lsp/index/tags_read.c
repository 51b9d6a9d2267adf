/* tags_read.c — the tags a note writes, as the tag index reads them:
 * inline #tags and the values of frontmatter tags:, their folded keys,
 * and whether one is a given tag or nested under it. */
#include "names.h"
#include "tags_impl.h"

#include <string.h>

static bool is_tag_char(unsigned char c)
{
	/* As the parser reads inline tags (parser/inline.c). */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '/' || c >= 0x80;
}

/* A tag as written, '#' and trailing '/' dropped: "" when nothing is left
 * (or it is too long). */
struct slice tags_read_bare(struct slice t)
{
	if (t.len && t.ptr[0] == '#') {
		t.ptr++;
		t.len--;
	}
	while (t.len && t.ptr[t.len - 1] == '/')
		t.len--;
	if (t.len > TAG_MAX_BYTES)
		t.len = 0;
	return t;
}

struct slice tags_read_fold(struct slice t, struct strbuf *tmp)
{
	tmp->len = 0;
	names_fold(t, tmp);
	return (struct slice){ tmp->ptr ? tmp->ptr : "", tmp->len };
}

bool tags_fm_next(const struct note *n, const struct yaml_node *v, uint32_t *at, struct span *tok)
{
	if (v->type != YAML_SCALAR_NODE || span_end(v->span) > n->len)
		return false;
	const char *t = n->text;
	uint32_t i = v->span.start + *at, end = span_end(v->span);
	while (i < end) {
		while (i < end && (t[i] == ' ' || t[i] == ',' || t[i] == '\t' || t[i] == '\n' ||
				   t[i] == '\r'))
			i++;
		uint32_t s = i;
		bool ok = true, word = false;
		while (i < end && !(t[i] == ' ' || t[i] == ',' || t[i] == '\t' || t[i] == '\n' ||
				    t[i] == '\r')) {
			unsigned char c = (unsigned char)t[i];
			if (!(i == s && c == '#') && !is_tag_char(c))
				ok = false;
			word |= c != '#' && c != '/' && (c < '0' || c > '9');
			i++;
		}
		if (i > s && ok && word && tags_read_bare((struct slice){ t + s, i - s }).len) {
			*tok = (struct span){ s, i - s };
			*at = i - v->span.start;
			return true;
		}
	}
	*at = v->span.len;
	return false;
}

bool tags_fm_at(const struct note *n, uint32_t offset, struct span *tok)
{
	for (uint32_t k = 0; k < n->fm_tags.len; k++) {
		const struct yaml_node *v = n->fm_tags.items[k];
		if (offset < v->span.start || offset > span_end(v->span))
			continue;
		for (uint32_t at = 0; tags_fm_next(n, v, &at, tok);)
			if (offset >= tok->start && offset <= span_end(*tok))
				return true;
	}
	return false;
}

/* Calls fn on every tag the note writes, as written ('#' included). */
void tags_read_each(const struct note *n, void (*fn)(void *ctx, struct span s), void *ctx)
{
	for (uint32_t i = 0; i < n->tags.len; i++)
		fn(ctx, n->tags.items[i].span);
	struct span tok;
	for (uint32_t k = 0; k < n->fm_tags.len; k++)
		for (uint32_t at = 0; tags_fm_next(n, n->fm_tags.items[k], &at, &tok);)
			fn(ctx, tok);
}

/* Is key nested under parent ("a/b" under "a"; not "ab")? */
bool tags_read_nested_under(struct slice key, struct slice parent)
{
	return key.len > parent.len + 1 && memcmp(key.ptr, parent.ptr, parent.len) == 0 &&
	       key.ptr[parent.len] == '/';
}

/* Is the tag written w (bare) the key, or with nested, under it? An ASCII
 * tag's fold is its lower case: compared as it is, which saves most of
 * the time of a tag written in every note. */
bool tags_read_matches(struct slice w, struct slice key, bool nested, struct strbuf *tmp)
{
	size_t i = 0;
	while (i < w.len && !((unsigned char)w.ptr[i] & 0x80))
		i++;
	if (i < w.len) {
		struct slice k = tags_read_fold(w, tmp);
		return slice_eq(k, key) || (nested && tags_read_nested_under(k, key));
	}
	if (w.len < key.len || (w.len > key.len && (!nested || w.ptr[key.len] != '/')))
		return false;
	for (i = 0; i < key.len; i++) {
		char c = w.ptr[i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != key.ptr[i])
			return false;
	}
	return true;
}
