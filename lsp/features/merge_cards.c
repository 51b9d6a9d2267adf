/* merge_cards.c — the quick fix of duplicate-card: two cards of one person
 * (People/X and Contacts/X) merged into the one the diagnostic is on, as
 * one WorkspaceEdit the user sees whole before anything changes. */
#include "code_action_impl.h"
#include "facts.h"
#include "note_item.h"
#include "yaml_tree.h"

#include <stdlib.h>
#include <string.h>

/* ---- edits, kept in order ------------------------------------------------ */

/* An edit waiting to be sorted: several pieces of the merge insert at one
 * place (the end of the card), and a client applies a note's edits by
 * position, inserts at one place in the order given. */
struct pending {
	uint32_t note;
	struct span span;
	uint32_t seq;
	char *text;
};
typedef ARRAY(struct pending) pending_list;

static void pend(pending_list *p, uint32_t note, struct span span, struct strbuf *text)
{
	struct pending e = { note, span, p->len, strbuf_detach(text) };
	strbuf_init(text);
	array_push(p, e);
}

static int cmp_pending(const void *pa, const void *pb)
{
	const struct pending *a = pa, *b = pb;
	if (a->note != b->note)
		return a->note < b->note ? -1 : 1;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- a card's body as blocks ------------------------------------------- */

enum { BLOCK_HEADING = -1, BLOCK_PARA, BLOCK_ITEM };

struct block {
	struct span span;   /* its lines as written, without the last line break */
	int kind;           /* BLOCK_PARA or BLOCK_ITEM */
	uint32_t item;      /* BLOCK_ITEM: index into note->items */
	bool blank_before;  /* a blank line separates it from what precedes */
};

/* A "## Heading" and what follows it up to the next heading; the first
 * section (heading -1) is what comes before any: the H1 and an intro. */
struct section {
	int32_t heading;
	uint32_t first, n;  /* its blocks */
	uint32_t end;       /* after its last line that is not blank */
};

struct body {
	ARRAY(struct block) blocks;
	ARRAY(struct section) sections;
};

static uint32_t line_end(const struct note *n, uint32_t at)
{
	const char *nl = memchr(n->text + at, '\n', n->len - at);
	return nl ? (uint32_t)(nl - n->text) : n->len;
}

static bool is_blank(const struct note *n, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (!strchr(" \t\r", n->text[i]))
			return false;
	return true;
}

/* Cuts the body into sections of paragraphs and list items (the note's
 * own headings and items say which line is which). Code blocks are not
 * told apart from paragraphs: a card's sections are lists and prose. */
static void body_read(const struct note *n, struct body *b)
{
	struct section intro = { -1, 0, 0, n->body };
	array_push(&b->sections, intro);
	uint32_t h = 0, it = 0;
	bool blank = true;
	for (uint32_t at = n->body; at < n->len;) {
		uint32_t le = line_end(n, at), next = le < n->len ? le + 1 : le;
		struct section *cur = &b->sections.items[b->sections.len - 1];
		while (h < n->headings.len && n->headings.items[h].line.start < at)
			h++;
		while (it < n->items.len && n->items.items[it].line_start < at)
			it++;
		if (is_blank(n, at, le)) {
			blank = true;
			at = next;
			continue;
		}
		if (h < n->headings.len && n->headings.items[h].line.start == at) {
			const struct heading *hd = &n->headings.items[h];
			le = line_end(n, span_end(hd->line));
			next = le < n->len ? le + 1 : le;
			if (hd->level >= 2) {
				struct section s = { (int32_t)h, b->blocks.len, 0, next };
				array_push(&b->sections, s);
			} else {
				cur->end = next;
			}
			blank = true; /* a heading ends a paragraph as a blank does */
			at = next;
			continue;
		}
		if (it < n->items.len && n->items.items[it].line_start == at) {
			struct span l = note_item_line(n, it);
			le = line_end(n, span_end(l));
			next = le < n->len ? le + 1 : le;
			struct block bl = { l, BLOCK_ITEM, it, blank };
			array_push(&b->blocks, bl);
		} else {
			uint32_t e = le;
			if (e > at && n->text[e - 1] == '\r')
				e--;
			struct block *last = cur->n ? &b->blocks.items[b->blocks.len - 1] : NULL;
			if (!blank && last && last->kind == BLOCK_PARA) {
				last->span.len = e - last->span.start;
			} else {
				struct block bl = { { at, e - at }, BLOCK_PARA, 0, blank };
				array_push(&b->blocks, bl);
				cur->n++;
			}
			cur->end = next;
			blank = false;
			at = next;
			continue;
		}
		cur->n++;
		cur->end = next;
		blank = false;
		at = next;
	}
}

/* Are the section's list items loose (a blank line between two)? -1 when
 * it has fewer than two items next to each other: it does not say. */
static int section_loose(const struct body *b, const struct section *s)
{
	for (uint32_t i = 1; i < s->n; i++) {
		const struct block *p = &b->blocks.items[s->first + i - 1];
		const struct block *q = &b->blocks.items[s->first + i];
		if (p->kind == BLOCK_ITEM && q->kind == BLOCK_ITEM)
			return q->blank_before;
	}
	return -1;
}

/* The section of b whose heading reads like title, or NULL. */
static const struct section *section_named(const struct note *n, const struct body *b,
					   const char *title)
{
	for (uint32_t i = 1; i < b->sections.len; i++) {
		const char *t = n->headings.items[b->sections.items[i].heading].text;
		if (slice_eq_nocase(slice_from_cstr(t), slice_from_cstr(title)))
			return &b->sections.items[i];
	}
	return NULL;
}

/* ---- what the kept card already says ----------------------------------- */

/* Words of prose for comparing paragraphs: ASCII folded, punctuation a
 * space, other bytes kept; with a space at both ends. */
static void prose_key(const char *s, size_t len, struct strbuf *out)
{
	strbuf_putc(out, ' ');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			strbuf_putc(out, (char)c);
		else if (c >= 'A' && c <= 'Z')
			strbuf_putc(out, (char)(c - 'A' + 'a'));
		else if (out->ptr[out->len - 1] != ' ')
			strbuf_putc(out, ' ');
	}
	if (out->ptr[out->len - 1] != ' ')
		strbuf_putc(out, ' ');
}

static uint32_t words(const char *key)
{
	uint32_t n = 0;
	for (const char *p = key; *p; p++)
		n += *p != ' ' && (p == key || p[-1] == ' ');
	return n;
}

/* Is a fact with normalised words `key` already said by one of `facts`:
 * the same words, or (a fact, not a label) all of them in a row inside a
 * longer one, as the subsumed-fact rule sees it. */
static bool fact_said(const struct str_list *facts, const char *key)
{
	bool long_enough = words(key) >= FACT_MIN_WORDS;
	struct strbuf padded;
	strbuf_init(&padded);
	strbuf_printf(&padded, " %s ", key);
	bool said = false;
	for (uint32_t i = 0; i < facts->len && !said; i++) {
		if (strcmp(facts->items[i], key) == 0) {
			said = true;
		} else if (long_enough) {
			struct strbuf f;
			strbuf_init(&f);
			strbuf_printf(&f, " %s ", facts->items[i]);
			said = strstr(f.ptr, padded.ptr) != NULL;
			strbuf_fini(&f);
		}
	}
	strbuf_fini(&padded);
	return said;
}

struct merge {
	const struct action_ctx *a;
	const struct ws_note *keep, *drop;
	uint32_t keep_id, drop_id;
	struct body kb, db;
	struct str_list facts;  /* normalised facts of the kept card, and those added */
	struct strbuf prose;    /* prose_key of the kept card's body, and what is added */
	const char *nl;
	pending_list edits;
};

/* Should block b of the other card be added to the kept card? Records it
 * as said when it is. */
static bool block_new(struct merge *m, const struct block *b)
{
	const struct note *d = m->drop->note;
	struct strbuf key;
	strbuf_init(&key);
	bool fresh;
	if (b->kind == BLOCK_ITEM) {
		facts_normalise(m->a->ws, d, b->item, &key);
		fresh = key.len ? !fact_said(&m->facts, key.ptr) : d->items.items[b->item].span.len > 0;
		if (fresh && key.len)
			str_list_push(&m->facts, key.ptr);
	} else {
		prose_key(d->text + b->span.start, b->span.len, &key);
		fresh = words(key.ptr) < FACT_MIN_WORDS || !strstr(m->prose.ptr, key.ptr);
		if (fresh)
			strbuf_put(&m->prose, key.ptr + 1, key.len - 1);
	}
	strbuf_fini(&key);
	return fresh;
}

/* Writes block b of the other card after what `prev` was (a block kind,
 * or BLOCK_HEADING): a blank line between them unless both are items of
 * a tight list. */
static void put_block(const struct merge *m, const struct block *b, int *prev, bool loose,
		      struct strbuf *out)
{
	if (!(*prev == BLOCK_ITEM && b->kind == BLOCK_ITEM && !loose))
		strbuf_puts(out, m->nl);
	strbuf_put(out, m->drop->note->text + b->span.start, b->span.len);
	strbuf_puts(out, m->nl);
	*prev = b->kind;
}

/* Where text goes at offset at of the kept card: after a line break. */
static void pend_at(struct merge *m, uint32_t at, struct strbuf *text)
{
	const struct note *k = m->keep->note;
	if (at == k->len && at > 0 && k->text[at - 1] != '\n') {
		struct strbuf t;
		strbuf_init(&t);
		strbuf_puts(&t, m->nl);
		strbuf_put(&t, text->ptr, text->len);
		strbuf_fini(text);
		*text = t;
	}
	pend(&m->edits, m->keep_id, (struct span){ at, 0 }, text);
}

/* The other card's body: the blocks of a section the kept card also has
 * (the intro with the intro) at the end of that section, a section it
 * lacks at its end. */
static void merge_body(struct merge *m)
{
	const struct note *k = m->keep->note, *d = m->drop->note;
	const struct section *klast = &m->kb.sections.items[m->kb.sections.len - 1];
	struct strbuf text, added;
	strbuf_init(&text);
	strbuf_init(&added);
	for (uint32_t s = 0; s < m->db.sections.len; s++) {
		const struct section *ds = &m->db.sections.items[s];
		const struct section *ks = ds->heading < 0 ? &m->kb.sections.items[0]
			: section_named(k, &m->kb, d->headings.items[ds->heading].text);
		int loose = ks ? section_loose(&m->kb, ks) : -1;
		if (loose < 0)
			loose = section_loose(&m->db, ds);
		int prev = ks && ks->n ? m->kb.blocks.items[ks->first + ks->n - 1].kind : BLOCK_HEADING;
		bool any = false;
		for (uint32_t i = 0; i < ds->n; i++) {
			const struct block *b = &m->db.blocks.items[ds->first + i];
			if (!block_new(m, b))
				continue;
			put_block(m, b, &prev, loose > 0, &text);
			any = true;
		}
		if (!any)
			continue;
		if (ks) {
			pend_at(m, ks->end, &text);
		} else {
			/* A section the kept card lacks: after all of it. */
			strbuf_puts(&added, m->nl);
			strbuf_put(&added, d->text + d->headings.items[ds->heading].line.start,
				   d->headings.items[ds->heading].line.len);
			strbuf_puts(&added, m->nl);
			strbuf_put(&added, text.ptr, text.len);
			strbuf_fini(&text);
			strbuf_init(&text);
		}
	}
	if (added.len)
		pend_at(m, klast->end, &added);
	strbuf_fini(&added);
	strbuf_fini(&text);
}

/* ---- frontmatter and names --------------------------------------------- */

/* The start of the line of a frontmatter's closing "---". */
static uint32_t fm_close(const struct note *n)
{
	uint32_t close = n->body;
	do
		close--;
	while (close > 0 && n->text[close - 1] != '\n');
	return close;
}

static uint32_t line_start(const struct note *n, uint32_t at)
{
	while (at > 0 && n->text[at - 1] != '\n')
		at--;
	return at;
}

/* The other card's fields the kept card lacks, their lines as written.
 * Its names are not fields to copy: they become aliases. */
static void missing_fields(const struct merge *m, struct strbuf *out)
{
	const struct note *k = m->keep->note, *d = m->drop->note;
	const struct yaml_node *fm = d->frontmatter;
	if (!fm || fm->type != YAML_MAP_NODE || d->text[fm->span.start] == '{')
		return;
	for (uint32_t i = 0; i < fm->n; i++) {
		const char *key = fm->keys[i];
		if (strcmp(key, "aliases") == 0 || strcmp(key, "alias") == 0 ||
		    strcmp(key, "name") == 0 || (k->frontmatter && yaml_tree_get(k->frontmatter, key)))
			continue;
		uint32_t from = line_start(d, fm->key_spans[i].start);
		uint32_t to = i + 1 < fm->n ? line_start(d, fm->key_spans[i + 1].start) : fm_close(d);
		while (to > from && strchr(" \t\r\n", d->text[to - 1]))
			to--;
		strbuf_put(out, d->text + from, to - from);
		strbuf_puts(out, m->nl);
	}
}

static bool has_name(const struct ws_note *wn, const char *s)
{
	struct slice n = slice_from_cstr(s);
	if (slice_eq_nocase(n, slice_from_cstr(wn->stem)) ||
	    slice_eq_nocase(n, slice_from_cstr(wn->title)))
		return true;
	if (wn->note->name && wn->note->name->str &&
	    slice_eq_nocase(n, slice_from_cstr(wn->note->name->str)))
		return true;
	for (uint32_t i = 0; i < wn->note->aliases.len; i++)
		if (wn->note->aliases.items[i]->str &&
		    slice_eq_nocase(n, slice_from_cstr(wn->note->aliases.items[i]->str)))
			return true;
	return false;
}

static void add_name(const struct ws_note *keep, struct str_list *out, const char *s)
{
	if (!s || !*s || has_name(keep, s))
		return;
	for (uint32_t i = 0; i < out->len; i++)
		if (slice_eq_nocase(slice_from_cstr(out->items[i]), slice_from_cstr(s)))
			return;
	str_list_push(out, s);
}

/* The kept card's frontmatter: the other's fields it lacks, and the
 * other's names as aliases, in one edit each (a card without frontmatter
 * gets one). Appends to edits (the alias edit is first: it is inside the
 * frontmatter, the fields go at its end). */
static void merge_frontmatter(struct merge *m, json_t *edits)
{
	const struct ws_note *d = m->drop;
	const struct note *k = m->keep->note;
	struct str_list names = { 0 };
	add_name(m->keep, &names, d->stem);
	add_name(m->keep, &names, d->title);
	if (d->note->name)
		add_name(m->keep, &names, d->note->name->str);
	for (uint32_t i = 0; i < d->note->aliases.len; i++)
		add_name(m->keep, &names, d->note->aliases.items[i]->str);
	struct strbuf fields;
	strbuf_init(&fields);
	missing_fields(m, &fields);
	if (!k->has_frontmatter) {
		if (fields.len || names.len) {
			struct strbuf fm;
			strbuf_init(&fm);
			strbuf_printf(&fm, "---%s%s", m->nl, fields.ptr);
			if (names.len) {
				strbuf_puts(&fm, "aliases: [");
				for (uint32_t i = 0; i < names.len; i++) {
					if (i)
						strbuf_puts(&fm, ", ");
					yaml_scalar(names.items[i], &fm);
				}
				strbuf_printf(&fm, "]%s", m->nl);
			}
			strbuf_printf(&fm, "---%s", m->nl);
			pend(&m->edits, m->keep_id, (struct span){ k->body, 0 }, &fm);
			strbuf_fini(&fm);
		}
	} else {
		if (names.len)
			json_array_append_new(edits, alias_edit(m->a, m->keep,
				(const char *const *)names.items, names.len));
		/* An invalid frontmatter says nothing of which keys it has. */
		if (fields.len && k->frontmatter)
			pend(&m->edits, m->keep_id, (struct span){ fm_close(k), 0 }, &fields);
	}
	strbuf_fini(&fields);
	str_list_free(&names);
}

/* ---- links --------------------------------------------------------------- */

/* Does a link target name the note called stem, whatever its folder
 * (".md" optional)? Then the reader sees the same name after the merge. */
static bool same_base(struct slice target, const char *stem)
{
	if (target.len > 3 && memcmp(target.ptr + target.len - 3, ".md", 3) == 0)
		target.len -= 3;
	for (size_t i = target.len; i > 0; i--) {
		if (target.ptr[i - 1] == '/') {
			target = (struct slice){ target.ptr + i, target.len - i };
			break;
		}
	}
	return slice_eq_cstr(target, stem);
}

/* Every link to the other card now names the kept one: by its stem when
 * that names it alone, else by its path. The name the reader sees stays:
 * a link by another name (an alias) gets it as display text. */
static void merge_links(struct merge *m)
{
	const struct workspace *ws = m->a->ws;
	const struct ws_note *d = m->drop, *k = m->keep;
	for (uint32_t i = 0; i < d->backlinks.len; i++) {
		const struct backlink *bl = &d->backlinks.items[i];
		const struct ws_note *f = workspace_get(ws, bl->from);
		if (bl->from == m->drop_id || !f || bl->link >= f->note->links.len ||
		    f->res[bl->link].note != (int32_t)m->drop_id)
			continue;
		struct id_list same = { 0 };
		bool via_alias = false;
		workspace_candidates(ws, (int32_t)bl->from, slice_from_cstr(k->stem), &same, &via_alias);
		bool alone = true;
		for (uint32_t j = 0; j < same.len; j++)
			alone = alone && same.items[j] == m->keep_id;
		array_free(&same);
		struct strbuf t;
		strbuf_init(&t);
		size_t rl = strlen(k->rel);
		if (alone)
			strbuf_puts(&t, k->stem);
		else
			strbuf_put(&t, k->rel, rl > 3 && strcmp(k->rel + rl - 3, ".md") == 0 ? rl - 3 : rl);
		/* The target and subpath as one edit, with the old target as the
		 * display text when none was written (an embed shows the note). */
		const struct note *fn = f->note;
		const struct wikilink *l = &fn->links.items[bl->link];
		struct span tg = wikilink_target(l), sub = wikilink_subpath(l);
		struct slice old = note_slice(fn, tg);
		if (l->has_subpath) {
			strbuf_putc(&t, '#');
			strbuf_put(&t, fn->text + sub.start, sub.len);
		}
		if (!l->has_display && !(l->flags & WIKILINK_EMBED) && !same_base(old, k->stem))
			strbuf_printf(&t, "|%.*s", (int)old.len, old.ptr);
		pend(&m->edits, bl->from, (struct span){ tg.start, span_end(sub) - tg.start }, &t);
		strbuf_fini(&t);
	}
}

/* ---- the action ---------------------------------------------------------- */

static void merge_one(const struct action_ctx *a, const struct diagnostic *d, uint32_t drop_id)
{
	const struct ws_note *drop = workspace_get(a->ws, drop_id);
	if (!drop || drop_id == a->id)
		return;
	struct merge m = { .a = a, .keep = a->wn, .drop = drop, .keep_id = a->id, .drop_id = drop_id };
	const struct note *k = m.keep->note;
	m.nl = strstr(k->text, "\r\n") ? "\r\n" : "\n";
	strbuf_init(&m.prose);
	body_read(k, &m.kb);
	body_read(drop->note, &m.db);
	struct strbuf key;
	strbuf_init(&key);
	for (uint32_t i = 0; i < k->items.len; i++) {
		key.len = 0;
		key.ptr[0] = '\0';
		facts_normalise(a->ws, k, i, &key);
		if (key.len)
			str_list_push(&m.facts, key.ptr);
	}
	strbuf_fini(&key);
	prose_key(k->text + k->body, k->len - k->body, &m.prose);

	json_t *keep_edits = json_array();
	merge_frontmatter(&m, keep_edits);
	merge_body(&m);
	merge_links(&m);

	/* The kept card's edits first, then each linking note's, in order. */
	if (m.edits.len > 1)
		qsort(m.edits.items, m.edits.len, sizeof(*m.edits.items), cmp_pending);
	json_t *wedit = json_object();
	for (uint32_t i = 0; i < m.edits.len && m.edits.items[i].note <= m.keep_id; i++)
		if (m.edits.items[i].note == m.keep_id)
			json_array_append_new(keep_edits, text_edit(a, m.keep, m.edits.items[i].span,
								    m.edits.items[i].text));
	if (json_array_size(keep_edits))
		add_edits(a, wedit, m.keep, keep_edits);
	else
		json_decref(keep_edits);
	for (uint32_t i = 0; i < m.edits.len;) {
		uint32_t note = m.edits.items[i].note, j = i;
		json_t *edits = json_array();
		const struct ws_note *wn = workspace_get(a->ws, note);
		for (; j < m.edits.len && m.edits.items[j].note == note; j++)
			json_array_append_new(edits, text_edit(a, wn, m.edits.items[j].span,
							       m.edits.items[j].text));
		if (note != m.keep_id)
			add_edits(a, wedit, wn, edits);
		else
			json_decref(edits);
		i = j;
	}

	char title[600];
	if (a->can_delete) {
		/* Deleting a note is asked about on its own: the client shows
		 * the annotation and waits for a yes. */
		const struct document *open = documents_find_path(a->ctx->docs, drop->abs);
		char *uri = open ? xstrdup(open->uri) : uri_from_path(drop->abs);
		char label[300];
		snprintf(label, sizeof(label), "Delete %s", drop->rel);
		if (!json_object_get(wedit, "documentChanges"))
			json_object_set_new(wedit, "documentChanges", json_array());
		json_array_append_new(json_object_get(wedit, "documentChanges"),
			json_pack("{s:s, s:s, s:{s:b}, s:s}", "kind", "delete", "uri", uri, "options",
				  "ignoreIfNotExists", 1, "annotationId", "delete-card"));
		json_object_set_new(wedit, "changeAnnotations",
			json_pack("{s:{s:o, s:b}}", "delete-card", "label",
				  json_text(label, strlen(label)), "needsConfirmation", 1));
		free(uri);
		snprintf(title, sizeof(title), "Merge %s into %s", drop->rel, m.keep->rel);
	} else {
		snprintf(title, sizeof(title), "Merge %s into %s (delete %s yourself)", drop->rel,
			 m.keep->rel, drop->rel);
	}
	add_action(a, title, d, wedit, false);

	for (uint32_t i = 0; i < m.edits.len; i++)
		free(m.edits.items[i].text);
	array_free(&m.edits);
	array_free(&m.kb.blocks);
	array_free(&m.kb.sections);
	array_free(&m.db.blocks);
	array_free(&m.db.sections);
	str_list_free(&m.facts);
	strbuf_fini(&m.prose);
}

void merge_cards_fixes(const struct action_ctx *a, const struct diagnostic *d)
{
	for (uint32_t i = 0; i < d->related.len; i++)
		merge_one(a, d, d->related.items[i].note);
}
