/*
 * fuzz_workspace.c — one note of any bytes in a small in-memory vault,
 * through everything below the protocol that reads a note: the index
 * (names, aliases, link resolution, backlinks), diagnose_note (links,
 * frontmatter, facts, mojibake), previews, cursor_at, suggestions, tags,
 * the table of headings and block ids, and the fuzzy matcher. The note's frontmatter is also applied as a
 * .vault-lsp.yaml would be, so the configuration code sees any YAML.
 *
 * This reaches the same code as fuzz_server without the JSON around it,
 * so the fuzzer mutates note text directly and runs many times faster.
 *
 * Checked: diagnostics and cursors lie inside their notes; resolutions
 * name live notes, headings and blocks.
 */
#include "cursor.h"
#include "diagnose.h"
#include "facts.h"
#include "name_variants.h"
#include "fuzz.h"
#include "fuzzy.h"
#include "names.h"
#include "preview.h"
#include "symbol_index.h"
#include "tags.h"
#include "workspace.h"

#include <string.h>

static const struct {
	const char *abs, *text;
} fixed[] = {
	{ "/v/People/Ada Lovelace.md",
	  "---\ntype: person\nname: Ada Lovelace\naliases: [Ada, Countess]\n"
	  "company: Engines\n---\n# Ada Lovelace\n\n## Key Facts\n\n"
	  "- Ada Lovelace wrote the first program for the [[Analytical Engine]].\n"
	  "- Works with [[Fuzz Note]] on [[Fuzz Note#Design]] and [[Fuzz Note#^b1]]. ^fact-1\n" },
	{ "/v/Projects/Analytical Engine.md",
	  "---\ntype: project\nowner: \"[[Ada Lovelace]]\"\n---\n# Analytical Engine\n\n"
	  "## Design\n\nThe mill. ^goal\n\n- [x] Ask [[Ada]] and [[Fuzzy]]\n" },
	{ "/v/Contacts/Ada Lovelace.md", "# Ada (contact)\n\n- Ada Lovelace wrote the first program.\n" },
};

#define FUZZ_PATH "/v/People/Fuzz Note.md"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_resolution(const struct workspace *ws, struct resolution r)
{
	CHECK(r.status <= LINK_IGNORED);
	if (r.note < 0)
		return;
	const struct ws_note *t = workspace_get(ws, (uint32_t)r.note);
	CHECK(t && t->note);
	CHECK(r.heading < (int32_t)t->note->headings.len);
	CHECK(r.block < (int32_t)t->note->blocks.len);
	if (r.via_alias)
		CHECK(r.alias >= 0 && (uint32_t)r.alias < t->note->aliases.len);
}

static void diagnose(struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = workspace_get(ws, id);
	CHECK(wn);
	struct diag_list list = { 0 };
	diagnose_note(ws, id, &list);
	for (uint32_t i = 0; i < list.len; i++) {
		const struct diagnostic *d = &list.items[i];
		CHECK(d->span.start <= wn->note->len && d->span.len <= wn->note->len - d->span.start);
		CHECK(d->code && d->message);
		CHECK(d->item < (int32_t)wn->note->items.len && d->other < (int32_t)wn->note->items.len);
		if (i)
			CHECK(list.items[i - 1].span.start <= d->span.start);
		for (uint32_t k = 0; k < d->related.len; k++) {
			const struct diag_related *rel = &d->related.items[k];
			const struct ws_note *other = workspace_get(ws, rel->note);
			CHECK(other && rel->message);
			CHECK(rel->span.start <= other->note->len &&
			      rel->span.len <= other->note->len - rel->span.start);
		}
	}
	diag_list_free(&list);
}

static void at_cursor(const struct note *n, const struct config *cfg, uint32_t offset)
{
	struct cursor c = cursor_at(n, cfg, offset);
	if (c.kind == CURSOR_NOTHING)
		return;
	CHECK(c.span.start <= n->len && c.span.len <= n->len - c.span.start);
	if (c.kind == CURSOR_LINK) {
		CHECK(c.link >= 0 && (uint32_t)c.link < n->links.len);
		/* The target as written is a slice of the text. */
		CHECK(c.target.ptr >= n->text && c.target.len <= (size_t)(n->text + n->len - c.target.ptr));
	} else if (c.kind == CURSOR_TAG) {
		/* The tag, its '#' aside: a slice of the span. */
		CHECK(c.target.ptr >= n->text + c.span.start &&
		      c.target.ptr + c.target.len == n->text + span_end(c.span));
	} else if (c.kind == CURSOR_MDLINK) {
		/* The path inside the link, in the body. */
		CHECK(c.span.start >= n->body && c.target.ptr >= n->text + c.span.start &&
		      c.target.ptr + c.target.len <= n->text + span_end(c.span));
	} else if (c.kind == CURSOR_MENTION) {
		/* A name in the body: the span itself, within the body. */
		CHECK(c.span.start >= n->body && c.target.ptr == n->text + c.span.start &&
		      c.target.len == c.span.len);
	} else {
		CHECK(c.key);
	}
}

static void explore(struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = workspace_get(ws, id);
	const struct note *n = wn->note;
	const struct config *cfg = workspace_config(ws);
	struct strbuf out = { 0 };
	strbuf_init(&out);

	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		CHECK(wn->res);
		check_resolution(ws, wn->res[i]);
		struct slice target = note_slice(n, wikilink_target(l));
		check_resolution(ws, workspace_resolve(ws, (int32_t)id, target,
						       note_slice(n, wikilink_subpath(l)), l->has_subpath));
		struct id_list ids = { 0 };
		bool via_alias;
		workspace_candidates(ws, (int32_t)id, target, &ids, &via_alias);
		for (uint32_t k = 0; k < ids.len; k++)
			CHECK(workspace_get(ws, ids.items[k]));
		ids.len = 0;
		struct cstr_list names = { 0 };
		workspace_suggest(ws, target, 3, &ids, &names);
		CHECK(ids.len <= 3 && names.len == ids.len);
		free(ids.items);
		free(names.items);
		/* Who a name means: a note, or nobody. */
		struct identity_match m;
		identity_match(ws, target, &m);
		CHECK(m.verdict == IDENTITY_NONE || workspace_get(ws, m.note));
		CHECK(m.verdict != IDENTITY_AMBIGUOUS || (workspace_get(ws, m.other) && m.other != m.note));
		at_cursor(n, cfg, l->span.start);
		at_cursor(n, cfg, span_end(l->span));
		at_cursor(n, cfg, wikilink_target(l).start + wikilink_target(l).len / 2);
		if (i >= 64)
			break;
	}
	struct name_variant_list vs = { 0 };
	name_variants_find(ws, id, &vs);
	for (uint32_t i = 0; i < vs.len; i++)
		CHECK(vs.items[i].span.len <= n->len && vs.items[i].span.start <= n->len - vs.items[i].span.len &&
		      vs.items[i].match.verdict == IDENTITY_VARIANT && workspace_get(ws, vs.items[i].match.note));
	free(vs.items);
	uint32_t stride = n->len / 256 + 1;
	for (uint32_t o = 0; o <= n->len; o += stride)
		at_cursor(n, cfg, o);

	for (int md = 0; md < 2; md++) {
		out.len = 0;
		preview_note(ws, id, md, &out);
	}
	for (uint32_t i = 0; i < n->headings.len && i < 32; i++) {
		out.len = 0;
		preview_section(n, i, 5, &out);
	}
	for (uint32_t i = 0; i < n->blocks.len && i < 32; i++) {
		out.len = 0;
		preview_block(n, i, &out);
	}
	for (uint32_t i = 0; i < n->items.len && i < 64; i++) {
		out.len = 0;
		facts_normalise(ws, n, i, &out);
		uint32_t n_notes;
		(void)fact_index_notes(ws, (struct slice){ out.ptr, out.len }, &n_notes);
		if (i)
			(void)facts_similarity(ws, n, i - 1, i);
	}

	/* Its tags: every place each is written lies in a live note; and the
	 * vault's headings, block ids and tags ranked for its first tag. */
	for (uint32_t i = 0; i < n->tags.len && i < 16; i++) {
		struct tag_occurrences occ = { 0 };
		tags_occurrences(ws, note_slice(n, n->tags.items[i].span), true, &occ);
		for (uint32_t k = 0; k < occ.len; k++) {
			const struct ws_note *o = workspace_get(ws, occ.items[k].note);
			CHECK(o && span_end(occ.items[k].span) <= o->note->len);
		}
		free(occ.items);
	}
	if (n->tags.len) {
		struct rank_top top = { .len = 0 };
		struct slice q = note_slice(n, n->tags.items[0].span);
		tags_rank(ws, q, 0, true, &top);
		symbol_index_rank(ws, q, &top);
		CHECK(top.len <= RANK_MAX);
	}

	/* The fuzzy matcher: the start of the note typed against all of it. */
	struct strbuf query = { 0 }, cand = { 0 };
	strbuf_init(&query);
	strbuf_init(&cand);
	names_search_key((struct slice){ n->text, n->len < 24 ? n->len : 24 }, &query);
	names_search_key((struct slice){ n->text, n->len }, &cand);
	int score = fuzzy_score((struct slice){ query.ptr, query.len }, (struct slice){ cand.ptr, cand.len });
	CHECK(score >= -1);
	(void)fuzzy_mask((struct slice){ cand.ptr, cand.len });
	uint32_t who;
	(void)workspace_phrase(ws, (struct slice){ query.ptr, query.len }, &who);
	out.len = 0;
	names_fold((struct slice){ n->text, n->len }, &out);
	strbuf_fini(&query);
	strbuf_fini(&cand);
	strbuf_fini(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	const char *text = (const char *)data;

	/* The note's frontmatter as the vault's configuration. */
	struct config cfg;
	config_init(&cfg);
	struct note *probe = note_parse(text, size);
	if (probe->frontmatter) {
		struct strbuf problems = { 0 };
		strbuf_init(&problems);
		config_apply_yaml(&cfg, probe->frontmatter, &problems);
		strbuf_fini(&problems);
	}
	note_free(probe);
	cfg.dup_cross_note = true;

	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, "/v");
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		workspace_set_text(ws, fixed[i].abs, fixed[i].text, strlen(fixed[i].text));
	uint32_t id = workspace_set_text(ws, FUZZ_PATH, text, size);

	for (uint32_t i = 0; i < workspace_id_bound(ws); i++)
		if (workspace_get(ws, i))
			diagnose(ws, i);
	explore(ws, id);

	/* Edited: only its first half is left, then it is gone. */
	CHECK(workspace_set_text(ws, FUZZ_PATH, text, size / 2) == id);
	diagnose(ws, id);
	diagnose(ws, 0);
	struct id_list affected = { 0 };
	workspace_take_affected(ws, &affected);
	for (uint32_t i = 0; i < affected.len; i++)
		CHECK(workspace_get(ws, affected.items[i]));
	free(affected.items);
	workspace_remove(ws, FUZZ_PATH);
	CHECK(workspace_find(ws, FUZZ_PATH) < 0);
	diagnose(ws, 0);

	workspace_free(ws);
	config_fini(&cfg);
	return 0;
}
