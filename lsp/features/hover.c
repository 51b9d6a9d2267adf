/* hover.c — textDocument/hover: who or what a link, a frontmatter value or
 * a name really is; how many notes a tag is on. */
#include "cursor.h"
#include "identity.h"
#include "feature.h"
#include "preview.h"
#include "rpc.h"
#include "tags.h"

#include <stdlib.h>
#include <string.h>

#define SECTION_LINES 8
#define SUGGESTIONS 3
#define NESTED_TAGS 8

static bool wants_markdown(const struct feature_ctx *ctx)
{
	const json_t *fmt = json_object_get(json_object_get(json_object_get(ctx->caps,
						"textDocument"), "hover"), "contentFormat");
	if (!json_is_array(fmt) || !json_array_size(fmt))
		return true;
	size_t i;
	json_t *f;
	json_array_foreach(fmt, i, f)
		if (json_is_string(f))
			return strcmp(json_string_value(f), "markdown") == 0;
	return true;
}

static void emph(struct strbuf *out, const char *mark, struct slice s, bool md)
{
	if (md)
		strbuf_puts(out, mark);
	strbuf_put(out, s.ptr, s.len);
	if (md)
		strbuf_puts(out, mark);
}

static void code(struct strbuf *out, const char *s, bool md)
{
	strbuf_printf(out, md ? "`%s`" : "%s", s);
}

static void put_folder(struct strbuf *out, const struct ws_note *wn, bool md)
{
	const char *slash = strrchr(wn->rel, '/');
	struct strbuf f = { 0 };
	strbuf_put(&f, slash ? wn->rel : "/", slash ? (size_t)(slash - wn->rel + 1) : 1);
	strbuf_puts(out, " (");
	code(out, f.ptr, md);
	strbuf_puts(out, ")");
	strbuf_fini(&f);
}

/* A person's name in a spelling the vault does not declare: who it
 * probably is, and why; or the two it could be. False when it is nobody's. */
static bool describe_variant(struct workspace *ws, struct slice written, bool md,
			     struct strbuf *out)
{
	struct identity_match m;
	identity_match(ws, written, &m);
	if (m.verdict == IDENTITY_NONE)
		return false;
	const struct ws_note *p = workspace_get(ws, m.note);
	emph(out, "*", slice_trim(written), md);
	if (m.verdict == IDENTITY_VARIANT) {
		strbuf_puts(out, " is probably ");
		emph(out, "**", slice_from_cstr(p->title), md);
		put_folder(out, p, md);
		strbuf_printf(out, ": %s; a spelling not in its aliases.\n\n", m.why);
		if (md)
			strbuf_puts(out, "---\n\n");
		preview_note(ws, m.note, md, out);
		return true;
	}
	const struct ws_note *q = workspace_get(ws, m.other);
	strbuf_puts(out, " could be ");
	emph(out, "**", slice_from_cstr(p->title), md);
	put_folder(out, p, md);
	strbuf_puts(out, " or ");
	emph(out, "**", slice_from_cstr(q->title), md);
	put_folder(out, q, md);
	strbuf_puts(out, ": too close to both to say which.\n");
	return true;
}

static void describe_unresolved(struct workspace *ws, struct slice target, bool md,
				struct strbuf *out)
{
	if (describe_variant(ws, target, md, out))
		return;
	char *t = xstrndup(target.ptr, target.len);
	bool file = strcmp(workspace_attachment_type(t), "file") != 0;
	free(t);
	strbuf_puts(out, file ? "No file named " : "No note named ");
	emph(out, "**", target, md);
	strbuf_puts(out, ".");
	struct id_list ids = { 0 };
	struct cstr_list names = { 0 };
	workspace_suggest(ws, target, SUGGESTIONS, &ids, &names);
	for (uint32_t i = 0; i < ids.len; i++) {
		const struct ws_note *wn = workspace_get(ws, ids.items[i]);
		strbuf_puts(out, i ? ", " : " Did you mean ");
		emph(out, "**", slice_from_cstr(names.items[i]), md);
		bool twice = false;
		for (uint32_t k = 0; k < names.len; k++)
			twice |= k != i && strcmp(names.items[k], names.items[i]) == 0;
		if (twice) {
			/* Two cards of one name: their folders tell them apart. */
			put_folder(out, wn, md);
		} else if (strcmp(names.items[i], wn->stem) != 0) {
			strbuf_puts(out, " (");
			emph(out, "", slice_from_cstr(wn->stem), md);
			strbuf_puts(out, ")");
		}
	}
	if (ids.len)
		strbuf_puts(out, "?");
	strbuf_putc(out, '\n');
	array_free(&ids);
	array_free(&names);
}

static void describe_target(struct workspace *ws, int32_t from, struct slice target,
			    struct slice subpath, bool has_subpath, bool md, struct strbuf *out)
{
	struct resolution r = workspace_resolve(ws, from, target, subpath, has_subpath);
	if (r.status == LINK_IGNORED)
		return;
	if (r.status == LINK_UNRESOLVED) {
		describe_unresolved(ws, target, md, out);
		return;
	}
	const struct ws_note *t = workspace_get(ws, (uint32_t)r.note);
	if (r.via_alias) {
		emph(out, "*", slice_trim(target), md);
		strbuf_puts(out, " is an alias of ");
		emph(out, "**", slice_from_cstr(t->title), md);
		strbuf_printf(out, " (%s)\n\n", preview_kind(t));
	}
	if (r.ambiguous) {
		struct id_list c = { 0 };
		bool via;
		workspace_candidates(ws, from, target, &c, &via);
		strbuf_printf(out, "%u %s are named ", c.len, t->attachment ? "files" : "notes");
		emph(out, "**", slice_trim(target), md);
		strbuf_puts(out, "; this link opens the first:\n\n");
		for (uint32_t i = 0; i < c.len; i++) {
			const struct ws_note *cn = workspace_get(ws, c.items[i]);
			strbuf_puts(out, "- ");
			code(out, cn->rel, md);
			strbuf_printf(out, " (%s)%s\n", preview_kind(cn), i == 0 ? " ← opens" : "");
		}
		strbuf_putc(out, '\n');
		array_free(&c);
	}
	if (r.heading >= 0 || r.block >= 0) {
		if (md)
			strbuf_puts(out, "```markdown\n");
		if (r.heading >= 0)
			preview_section(t->note, (uint32_t)r.heading, SECTION_LINES, out);
		else
			preview_block(t->note, (uint32_t)r.block, out);
		if (md)
			strbuf_puts(out, "```\n");
		strbuf_putc(out, '\n');
	} else if (r.status == LINK_HEADING_MISSING || r.status == LINK_BLOCK_MISSING) {
		strbuf_printf(out, "%s ", r.status == LINK_BLOCK_MISSING ? "Block" : "Heading");
		emph(out, "*", subpath, md);
		strbuf_puts(out, " is not in this note.\n\n");
	}
	if (md && out->len)
		strbuf_puts(out, "---\n\n");
	preview_note(ws, (uint32_t)r.note, md, out);
}

/* A name in the text: the note of that name, or the person it probably
 * is; nothing for words that name nobody. */
static void describe_mention(struct workspace *ws, int32_t from, struct slice text, bool md,
			     struct strbuf *out)
{
	struct resolution r = workspace_resolve(ws, from, text, (struct slice){ "", 0 }, false);
	if (r.status == LINK_RESOLVED && !r.ambiguous) {
		preview_note(ws, (uint32_t)r.note, md, out);
		return;
	}
	if (r.status == LINK_UNRESOLVED)
		describe_variant(ws, text, md, out);
}

/* The note's own name or alias: who this note is. */
static void describe_self(const struct workspace *ws, uint32_t id, const struct cursor *c,
			  bool md, struct strbuf *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (strcmp(c->key, "name") != 0) {
		emph(out, "*", c->target, md);
		strbuf_puts(out, " is an alias of ");
		emph(out, "**", slice_from_cstr(wn->title), md);
		strbuf_printf(out, " (%s)\n\n", preview_kind(wn));
		if (md)
			strbuf_puts(out, "---\n\n");
	}
	preview_note(ws, id, md, out);
}

/* A tag: how many notes hold it (nested tags included), and the nested
 * tags with theirs. */
static void describe_tag(struct workspace *ws, struct slice written, bool md, struct strbuf *out)
{
	if (workspace_partial(ws))
		return; /* counted once every note is in */
	int32_t t = tags_find(ws, written);
	struct tag_info info;
	if (t < 0 || !tags_get(ws, (uint32_t)t, &info))
		return;
	strbuf_puts(out, md ? "**#" : "#");
	strbuf_put(out, info.name.ptr, info.name.len);
	strbuf_printf(out, "%s — %u note%s", md ? "**" : "", info.notes, info.notes == 1 ? "" : "s");
	struct id_list nested = { 0 };
	tags_nested(ws, (uint32_t)t, &nested);
	if (nested.len && info.direct != info.notes)
		strbuf_printf(out, " (%u with the tag itself)", info.direct);
	strbuf_putc(out, '\n');
	for (uint32_t i = 0; i < nested.len && i < NESTED_TAGS; i++) {
		struct tag_info n;
		tags_get(ws, nested.items[i], &n);
		strbuf_puts(out, i ? ", " : "\nNested: ");
		strbuf_printf(out, "#%.*s (%u)", (int)n.name.len, n.name.ptr, n.notes);
	}
	if (nested.len > NESTED_TAGS)
		strbuf_printf(out, " and %u more", nested.len - NESTED_TAGS);
	if (nested.len)
		strbuf_putc(out, '\n');
	array_free(&nested);
}

void hover_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const struct ws_note *wn;
	uint32_t offset;
	int32_t note_id = feature_note(ctx, id, params, &wn, &offset, NULL);
	if (note_id < 0)
		return;
	struct workspace *ws = ctx->ws;
	struct text_view v = feature_view(wn);
	struct cursor c = cursor_at(wn->note, workspace_config(ws), offset);
	bool md = wants_markdown(ctx);
	struct strbuf out = { 0 };
	strbuf_init(&out);
	if (c.kind == CURSOR_LINK || c.kind == CURSOR_FM_REF)
		describe_target(ws, note_id, c.target, c.subpath, c.has_subpath, md, &out);
	else if (c.kind == CURSOR_FM_SELF)
		describe_self(ws, (uint32_t)note_id, &c, md, &out);
	else if (c.kind == CURSOR_MENTION)
		describe_mention(ws, note_id, c.target, md, &out);
	else if (c.kind == CURSOR_TAG)
		describe_tag(ws, c.target, md, &out);
	if (!out.len) {
		strbuf_fini(&out);
		channel_reply(ctx->ch, id, json_null());
		return;
	}
	json_t *result = json_pack("{s:{s:s, s:o}, s:o}", "contents", "kind",
				   md ? "markdown" : "plaintext", "value", json_text(out.ptr, out.len),
				   "range", json_range(&v, c.span, ctx->enc));
	strbuf_fini(&out);
	channel_reply(ctx->ch, id, result);
}
