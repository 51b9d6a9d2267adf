/* diagnose.c — link and frontmatter diagnostics of one note. */
#include "diagnose.h"

#include "fact_index.h"
#include "fact_scope.h"
#include "facts.h"
#include "mojibake.h"
#include "name_variants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUGGESTIONS 3

static struct diagnostic *add(struct diag_list *out, struct span span, uint8_t severity,
			      const char *code)
{
	struct diagnostic d = { .span = span, .severity = severity, .code = code,
				.item = -1, .other = -1 };
	array_push(out, d);
	return &out->items[out->len - 1];
}

static void add_related(struct diagnostic *d, uint32_t note, struct span span, char *message)
{
	struct diag_related r = { note, span, message };
	array_push(&d->related, r);
}

/* The heading or block a link names, as written: "#Heading" or "#^id". */
static char *subpath_text(const struct note *n, const struct wikilink *l)
{
	struct slice s = note_slice(n, wikilink_subpath(l));
	return xstrndup(s.ptr, s.len);
}

static bool name_listed_twice(const struct cstr_list *names, uint32_t k)
{
	for (uint32_t i = 0; i < names->len; i++)
		if (i != k && strcmp(names->items[i], names->items[k]) == 0)
			return true;
	return false;
}

static void put_folder(struct strbuf *out, const struct ws_note *wn)
{
	const char *slash = strrchr(wn->rel, '/');
	strbuf_printf(out, " (%.*s)", slash ? (int)(slash - wn->rel + 1) : 1, slash ? wn->rel : "/");
}

/* name-variant: the mention at span is probably the card m names. */
static void name_variant(struct workspace *ws, struct span span, struct slice written,
			 const struct identity_match *m, struct diag_list *out)
{
	const struct ws_note *card = workspace_get(ws, m->note);
	struct strbuf msg = { 0 };
	strbuf_printf(&msg, "'%.*s' is probably %s (%s): a spelling not in its aliases",
		      (int)written.len, written.ptr, card->title, card->rel);
	struct diagnostic *d = add(out, span, DIAG_INFO, DIAG_NAME_VARIANT);
	d->message = strbuf_detach(&msg);
	struct strbuf why = { 0 };
	strbuf_printf(&why, "%s: %s", card->title, m->why);
	add_related(d, m->note, (struct span){ 0, 0 }, strbuf_detach(&why));
	str_list_push(&d->fixes, card->title);
}

static bool name_variant_link(struct workspace *ws, uint32_t from, struct span span,
			      struct slice target, struct diag_list *out)
{
	const struct config *cfg = workspace_config(ws);
	if (!cfg->identity_enabled || config_severity(cfg, DIAG_NAME_VARIANT) == CONFIG_SEVERITY_OFF)
		return false;
	struct identity_match m;
	identity_match(ws, target, &m);
	if (m.verdict != IDENTITY_VARIANT)
		return false;
	identity_told(ws, from);
	name_variant(ws, span, target, &m, out);
	return true;
}

static void diagnose_name_variants(struct workspace *ws, uint32_t id, struct diag_list *out)
{
	struct name_variant_list vs = { 0 };
	name_variants_find(ws, id, &vs);
	if (vs.len)
		identity_told(ws, id);
	for (uint32_t i = 0; i < vs.len; i++)
		name_variant(ws, vs.items[i].span, vs.items[i].text, &vs.items[i].match, out);
	array_free(&vs);
}

/* duplicate-card: another person card with this one's name (People/X
 * and Contacts/X): one person, whose facts belong in one card. */
static void diagnose_duplicate_card(struct workspace *ws, uint32_t id, struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	struct id_list others = { 0 };
	identity_same_person(ws, id, &others);
	if (others.len) {
		identity_told(ws, id);
		const struct note *n = wn->note;
		struct span at = { 0, 0 };
		if (n->name && n->name->str)
			at = n->name->span;
		else if (n->headings.len && n->headings.items[0].level == 1)
			at = n->headings.items[0].line;
		struct strbuf msg = { 0 };
		strbuf_printf(&msg, "Another card for the same person: %s",
			      workspace_get(ws, others.items[0])->rel);
		for (uint32_t i = 1; i < others.len; i++)
			strbuf_printf(&msg, ", %s", workspace_get(ws, others.items[i])->rel);
		struct diagnostic *d = add(out, at, DIAG_INFO, DIAG_DUPLICATE_CARD);
		d->message = strbuf_detach(&msg);
		for (uint32_t i = 0; i < others.len; i++) {
			const struct ws_note *o = workspace_get(ws, others.items[i]);
			struct strbuf m = { 0 };
			strbuf_printf(&m, "the other card: %s", o->rel);
			add_related(d, others.items[i], (struct span){ 0, 0 }, strbuf_detach(&m));
		}
	}
	array_free(&others);
}

static void diagnose_link(struct workspace *ws, uint32_t id, uint32_t i,
			  struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	const struct note *n = wn->note;
	const struct wikilink *l = &n->links.items[i];
	const struct resolution *r = &wn->res[i];
	struct strbuf msg = { 0 };
	struct slice target = slice_trim(note_slice(n, wikilink_target(l)));

	switch (r->status) {
	case LINK_IGNORED:
		return;
	case LINK_UNRESOLVED: {
		/* A person's name in another spelling: what it probably means,
		 * and the alias that would make the link resolve. */
		if (name_variant_link(ws, id, l->span, target, out))
			return;
		/* "missing.png" names a file; "v1.2 notes" a note. */
		char *t = xstrndup(target.ptr, target.len);
		bool file = strcmp(workspace_attachment_type(t), "file") != 0;
		free(t);
		strbuf_printf(&msg, "Unresolved link: no %s named '%.*s'", file ? "file" : "note",
			      (int)target.len, target.ptr);
		struct diagnostic *d = add(out, l->span, DIAG_WARNING, DIAG_UNRESOLVED_LINK);
		struct id_list ids = { 0 };
		struct cstr_list names = { 0 };
		workspace_suggest(ws, target, MAX_SUGGESTIONS, &ids, &names);
		for (uint32_t k = 0; k < names.len; k++) {
			strbuf_printf(&msg, "%s'%s'", k ? ", " : ". Did you mean ", names.items[k]);
			/* Two cards of one name: their folders tell them apart. */
			if (name_listed_twice(&names, k))
				put_folder(&msg, workspace_get(ws, ids.items[k]));
			str_list_push(&d->fixes, names.items[k]);
			const struct ws_note *cn = workspace_get(ws, ids.items[k]);
			struct strbuf m = { 0 };
			strbuf_printf(&m, "did you mean '%s'? (%s)", names.items[k], cn->rel);
			add_related(d, ids.items[k], (struct span){ 0, 0 }, strbuf_detach(&m));
		}
		if (names.len)
			strbuf_putc(&msg, '?');
		d->message = strbuf_detach(&msg);
		array_free(&ids);
		array_free(&names);
		return;
	}
	case LINK_HEADING_MISSING:
	case LINK_BLOCK_MISSING: {
		const struct ws_note *t = workspace_get(ws, (uint32_t)r->note);
		char *sub = subpath_text(n, l);
		bool block = r->status == LINK_BLOCK_MISSING;
		/* "^id" as written: the block's name without the '^' (a cached
		 * resolution may come with any subpath, even none). */
		strbuf_printf(&msg, "%s '%s' not found in '%s'", block ? "Block" : "Heading",
			      block && sub[0] ? sub + 1 : sub, t->rel);
		free(sub);
		add(out, l->span, DIAG_WARNING, block ? DIAG_UNRESOLVED_BLOCK : DIAG_UNRESOLVED_HEADING)
			->message = strbuf_detach(&msg);
		break;
	}
	case LINK_RESOLVED:
		break;
	}

	if (r->ambiguous) {
		struct id_list c = { 0 };
		bool via_alias;
		workspace_candidates(ws, (int32_t)id, note_slice(n, wikilink_target(l)), &c, &via_alias);
		const struct ws_note *pick = workspace_get(ws, (uint32_t)r->note);
		strbuf_printf(&msg, "Ambiguous link: %u %s are named '%.*s'; it opens '%s'",
			      c.len, pick->attachment ? "files" : "notes", (int)target.len, target.ptr,
			      pick->rel);
		struct diagnostic *d = add(out, l->span, DIAG_INFO, DIAG_AMBIGUOUS_LINK);
		d->message = strbuf_detach(&msg);
		for (uint32_t k = 0; k < c.len; k++) {
			const struct ws_note *cn = workspace_get(ws, c.items[k]);
			struct strbuf m = { 0 };
			strbuf_printf(&m, "%s%s", cn->rel, k == 0 ? " (opened by this link)" : "");
			add_related(d, c.items[k], (struct span){ 0, 0 }, strbuf_detach(&m));
		}
		array_free(&c);
	}
}

static uint32_t line_of(const struct ws_note *wn, uint32_t offset)
{
	return position_from_offset(wn->note->text, wn->note->len, &wn->lines, offset, POS_UTF8).line + 1;
}

static void diagnose_facts(const struct workspace *ws, uint32_t id, struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	const struct note *n = wn->note;
	struct fact_findings found = { 0 };
	facts_find(ws, id, workspace_config(ws)->dup_threshold, &found);
	for (uint32_t i = 0; i < found.len; i++) {
		const struct fact_finding *f = &found.items[i];
		struct span here = n->items.items[f->item].span;
		struct span there = n->items.items[f->other].span;
		uint32_t line = line_of(wn, there.start);
		struct strbuf msg = { 0 };
		struct diagnostic *d;
		const char *rel;
		if (f->kind == FACT_DUPLICATE) {
			d = add(out, here, DIAG_WARNING, DIAG_DUPLICATE_FACT);
			d->tags = DIAG_TAG_UNNECESSARY;
			strbuf_printf(&msg, "Duplicate fact: the same as line %u", line);
			rel = "first written here";
		} else if (f->kind == FACT_NEAR_DUPLICATE) {
			d = add(out, here, DIAG_INFO, DIAG_NEAR_DUPLICATE_FACT);
			strbuf_printf(&msg, "Near-duplicate fact: %.0f%% like line %u",
				      f->similarity * 100.0, line);
			rel = "the fact it nearly repeats";
		} else {
			d = add(out, here, DIAG_INFO, DIAG_SUBSUMED_FACT);
			strbuf_printf(&msg, "Fact already said by the longer fact on line %u", line);
			rel = "the longer fact that contains it";
		}
		d->message = strbuf_detach(&msg);
		d->item = (int32_t)f->item;
		d->other = (int32_t)f->other;
		add_related(d, id, there, xstrdup(rel));
	}
	array_free(&found);
}

/* The same fact in other notes (opt-in: duplicates.crossNote). */
static void diagnose_cross_note(struct workspace *ws, uint32_t id, struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	const struct note *n = wn->note;
	struct strbuf key = { 0 }, other = { 0 };
	struct fact_scope sc, osc = { 0 };
	int64_t osc_id = -1; /* whose scope osc holds: the same few notes
				 hold most repeats, and a scope costs a note */
	fact_scope_init(&sc, ws, id);
	for (uint32_t i = 0; i < n->items.len; i++) {
		if (!sc.fact[i])
			continue;
		key.len = 0;
		facts_normalise(ws, n, i, &key);
		uint32_t count;
		const uint32_t *ids = fact_index_notes(ws, (struct slice){ key.ptr ? key.ptr : "", key.len }, &count);
		struct diagnostic *d = NULL;
		for (uint32_t k = 0; k < count && (!d || d->related.len < MAX_SUGGESTIONS); k++) {
			if (ids[k] == id)
				continue;
			const struct ws_note *on = workspace_get(ws, ids[k]);
			if (!on)
				continue;
			if (osc_id != (int64_t)ids[k]) {
				fact_scope_fini(&osc);
				fact_scope_init(&osc, ws, ids[k]);
				osc_id = ids[k];
			}
			for (uint32_t j = 0; j < on->note->items.len; j++) {
				if (!osc.fact[j])
					continue;
				other.len = 0;
				facts_normalise(ws, on->note, j, &other);
				if (other.len != key.len || memcmp(other.ptr, key.ptr, key.len) != 0)
					continue;
				struct span there = on->note->items.items[j].span;
				if (!d) {
					d = add(out, n->items.items[i].span, DIAG_HINT, DIAG_CROSS_NOTE_FACT);
					struct strbuf msg = { 0 };
					strbuf_printf(&msg, "The same fact is in %s (line %u)", on->rel,
						      line_of(on, there.start));
					d->message = strbuf_detach(&msg);
					d->item = (int32_t)i;
				}
				add_related(d, ids[k], there, xstrdup("the same fact"));
				break;
			}
		}
	}
	fact_scope_fini(&osc);
	fact_scope_fini(&sc);
	strbuf_fini(&key);
	strbuf_fini(&other);
}

/* Text that was UTF-8, read as Mac Roman or Windows-1252, and written
 * back as UTF-8 ("üìÖ" for 📅): what it was. Not in code (a hex dump, a
 * binary pasted as text) nor in comments: note_mojibake skips them. */
static void diagnose_mojibake(const struct ws_note *wn, struct diag_list *out)
{
	struct mojibake_list found = { 0 };
	note_mojibake(wn->note, &found);
	for (uint32_t i = 0; i < found.len; i++) {
		struct slice bad = note_slice(wn->note, found.items[i].span);
		struct diagnostic *d = add(out, found.items[i].span, DIAG_INFO, DIAG_MOJIBAKE);
		struct strbuf msg = { 0 };
		strbuf_printf(&msg, "Mis-decoded text: '%.*s' is probably '%s'", (int)bad.len, bad.ptr,
			      found.items[i].fixed);
		d->message = strbuf_detach(&msg);
		str_list_push(&d->fixes, found.items[i].fixed);
	}
	mojibake_list_free(&found);
}

static int by_position(const void *a, const void *b)
{
	const struct diagnostic *x = a, *y = b;
	if (x->span.start != y->span.start)
		return x->span.start < y->span.start ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void diagnostic_fini(struct diagnostic *d)
{
	free(d->message);
	for (uint32_t k = 0; k < d->related.len; k++)
		free(d->related.items[k].message);
	array_free(&d->related);
	str_list_free(&d->fixes);
}

/* The `diagnostics:` setting over out[first..]: codes turned off go, the
 * others take the severity it sets. The one place it is applied, so that
 * what the server publishes, what `check` prints and counts, and what
 * code actions are offered for all agree. */
static void apply_severities(const struct config *cfg, struct diag_list *out, uint32_t first)
{
	if (!cfg->severities.len)
		return;
	uint32_t kept = first;
	for (uint32_t i = first; i < out->len; i++) {
		struct diagnostic *d = &out->items[i];
		int severity = config_severity(cfg, d->code);
		if (severity == CONFIG_SEVERITY_OFF) {
			diagnostic_fini(d);
			continue;
		}
		if (severity > 0)
			d->severity = (uint8_t)severity;
		out->items[kept++] = *d;
	}
	out->len = kept;
}

void diagnose_note(struct workspace *ws, uint32_t id, struct diag_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || !workspace_diagnosed(ws, wn))
		return;
	const struct config *cfg = workspace_config(ws);
	const struct note *n = wn->note;
	uint32_t first = out->len;
	if (n->fm_error.present) {
		struct strbuf msg = { 0 };
		strbuf_printf(&msg, "Invalid frontmatter: %s", n->fm_error.message ? n->fm_error.message : "YAML error");
		uint32_t at = n->fm_error.offset < n->len ? n->fm_error.offset : n->len;
		/* Underline to the end of the line: a zero-width range is easy to miss. */
		uint32_t end = at;
		while (end < n->len && n->text[end] != '\n' && n->text[end] != '\r')
			end++;
		add(out, (struct span){ at, end - at }, DIAG_ERROR, DIAG_INVALID_FRONTMATTER)->message =
			strbuf_detach(&msg);
	}
	for (uint32_t i = 0; i < n->links.len; i++)
		diagnose_link(ws, id, i, out);
	diagnose_facts(ws, id, out);
	diagnose_mojibake(wn, out);
	if (cfg->identity_enabled && config_severity(cfg, DIAG_NAME_VARIANT) != CONFIG_SEVERITY_OFF)
		diagnose_name_variants(ws, id, out);
	if (cfg->identity_enabled && config_severity(cfg, DIAG_DUPLICATE_CARD) != CONFIG_SEVERITY_OFF)
		diagnose_duplicate_card(ws, id, out);
	/* duplicates.crossNote alone turns the costly search on; a severity
	 * only changes how its findings are shown, and off skips it. */
	if (cfg->dup_cross_note && config_severity(cfg, DIAG_CROSS_NOTE_FACT) != CONFIG_SEVERITY_OFF)
		diagnose_cross_note(ws, id, out);
	apply_severities(cfg, out, first);
	if (out->len > first)
		qsort(out->items + first, out->len - first, sizeof(*out->items), by_position);
}

void diag_list_free(struct diag_list *list)
{
	for (uint32_t i = 0; i < list->len; i++)
		diagnostic_fini(&list->items[i]);
	array_free(list);
}
