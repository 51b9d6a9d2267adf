/* tag_completion.c — the vault's tags offered after '#' in the body and in
 * a frontmatter tags: value, most used first among equal matches, each
 * with the number of notes holding it. */
#include "names.h"
#include "tag_completion.h"
#include "tags.h"

#include <string.h>

/* CompletionItemKind.EnumMember: one of the vault's set of tags (as
 * workspace/symbol shows them). */
#define KIND_TAG 20

static bool is_tag_char(unsigned char c)
{
	/* As the parser reads tags (parser/inline.c). */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '/' || c >= 0x80;
}

static uint32_t line_start(const char *text, uint32_t offset)
{
	while (offset > 0 && text[offset - 1] != '\n' && text[offset - 1] != '\r')
		offset--;
	return offset;
}

/* Is there a "[[" before `at` on its line that no "]]" closes? */
static bool in_wikilink(const char *text, uint32_t ls, uint32_t at)
{
	bool open = false;
	for (uint32_t i = ls; i + 1 < at; i++) {
		if (text[i] == '[' && text[i + 1] == '[')
			open = true, i++;
		else if (text[i] == ']' && text[i + 1] == ']')
			open = false, i++;
	}
	return open;
}

/* The '#' of a tag being typed in the body, at hash: where the parser
 * would start a tag (after a blank, at a line's start, or after a '(' that
 * opens no Markdown link's destination), and not a heading's marker. */
static bool body_tag(const struct note *n, uint32_t hash, uint32_t cursor)
{
	const char *t = n->text;
	uint32_t ls = line_start(t, hash);
	if (note_in_zone(n, hash) || in_wikilink(t, ls, hash))
		return false;
	if (hash > ls) {
		char c = t[hash - 1];
		if (c != ' ' && c != '\t' && !(c == '(' && !(hash - 1 > ls && t[hash - 2] == ']')))
			return false;
	}
	/* "#" alone at a line's start (up to three spaces in) may become a
	 * heading, "# Title": a tag only once a letter follows. */
	bool leading = true;
	for (uint32_t i = ls; i < hash; i++)
		leading &= t[i] == ' ';
	return !(leading && hash - ls <= 3 && cursor == hash + 1);
}

/* The frontmatter key of the line holding offset, looking up past list
 * items ("  - x") to "tags:"; raw text, as YAML being typed is often
 * invalid. */
static struct slice fm_key(const char *text, uint32_t offset)
{
	for (uint32_t l = line_start(text, offset);;) {
		uint32_t e = l;
		while (text[e] && text[e] != '\n' && text[e] != ':')
			e++;
		bool indented = text[l] == ' ' || text[l] == '\t' || text[l] == '-';
		if (!indented)
			return text[e] == ':' ? slice_trim((struct slice){ text + l, e - l })
					      : (struct slice){ "", 0 };
		if (l == 0)
			return (struct slice){ "", 0 };
		l = line_start(text, l - 1);
	}
}

/* Is this tag only what is being typed: what was typed, and held by this
 * note alone? The index holds the buffer, half-typed tag and all. */
static bool only_typed(struct workspace *ws, const struct ws_note *wn, uint32_t tag,
		       const struct tag_info *info, struct slice typed)
{
	struct tag_occurrence at;
	struct strbuf key = { 0 };
	names_fold(typed, &key);
	bool same = slice_eq((struct slice){ key.ptr ? key.ptr : "", key.len }, info->key);
	strbuf_fini(&key);
	if (!same || info->direct != 1 || !tags_place(ws, tag, &at))
		return false;
	return workspace_get(ws, at.note) == wn;
}

json_t *tag_completion_list(struct feature_ctx *ctx, const struct ws_note *wn, uint32_t cursor)
{
	const struct note *n = wn->note;
	const char *t = n->text;
	uint32_t ls = line_start(t, cursor), start = cursor;
	while (start > ls && is_tag_char((unsigned char)t[start - 1]))
		start--;
	bool hash = start > ls && t[start - 1] == '#';
	start -= hash;
	bool keep_hash = hash;
	if (n->has_frontmatter && cursor < n->body) {
		struct slice key = fm_key(t, cursor);
		if (!slice_eq_cstr(key, "tags") && !slice_eq_cstr(key, "tag"))
			return NULL;
		char before = start > ls ? t[start - 1] : ' ';
		if (!strchr(" \t,[\"'", before))
			return NULL;
		/* Unquoted, "#x" starts a YAML comment: Obsidian reads the tag
		 * without its '#'. */
		keep_hash = hash && (before == '"' || before == '\'');
	} else if (!hash || !body_tag(n, start, cursor)) {
		return NULL;
	}
	struct slice typed = { t + start + hash, cursor - start - hash };
	struct rank_top *top = xcalloc(1, sizeof(*top));
	tags_rank(ctx->ws, typed, 0, true, top);
	rank_sort(top);
	struct text_view v = feature_view(wn);
	struct span range = { start, cursor - start };
	json_t *items = json_array();
	struct strbuf text = { 0 }, detail = { 0 };
	for (uint32_t i = 0; i < top->len; i++) {
		struct tag_info info;
		if (!tags_get(ctx->ws, top->items[i].note, &info) ||
		    only_typed(ctx->ws, wn, top->items[i].note, &info, typed))
			continue;
		text.len = detail.len = 0;
		if (keep_hash)
			strbuf_putc(&text, '#');
		strbuf_put(&text, info.name.ptr, info.name.len);
		strbuf_printf(&detail, "%u note%s", info.notes, info.notes == 1 ? "" : "s");
		char sort[16];
		snprintf(sort, sizeof(sort), "%05u", i);
		json_array_append_new(items, json_pack("{s:o, s:i, s:o, s:s, s:o, s:{s:o, s:o}}",
			"label", json_text(text.ptr, text.len), "kind", KIND_TAG,
			"detail", json_text(detail.ptr, detail.len), "sortText", sort,
			"filterText", json_text(text.ptr, text.len), "textEdit",
			"range", json_range(&v, range, ctx->enc), "newText", json_text(text.ptr, text.len)));
	}
	strbuf_fini(&text);
	strbuf_fini(&detail);
	/* Incomplete when more tags matched than fit: asked again as the
	 * user types, the ranking over all of them decides. */
	bool incomplete = top->len == RANK_MAX;
	free(top);
	return json_pack("{s:b, s:o}", "isIncomplete", incomplete, "items", items);
}
