/* name_variants.c — a note's mentions of people, each matched against the
 * person cards: the frontmatter's people-key values and the body's
 * mentions, kept when identity calls them a probable variant. */
#include "name_variants.h"
#include "mentions.h"

#include <stdlib.h>
#include <string.h>

/* The mention at span; a frontmatter scalar is matched by its value
 * (decoded: 'O''Brien' is O'Brien), its span kept as written. */
static void consider(struct workspace *ws, const struct note *n, struct span span,
		     const char *value, struct name_variant_list *out)
{
	struct slice text = note_slice(n, span);
	struct slice t = slice_trim(value ? slice_from_cstr(value) : text);
	/* A value that is a link is the link diagnostics'. */
	if (!t.len || (t.len >= 2 && memcmp(t.ptr, "[[", 2) == 0))
		return;
	struct name_variant v = { span, t, { 0 } };
	identity_match(ws, t, &v.match);
	if (v.match.verdict != IDENTITY_VARIANT)
		return;
	if (!value) {
		/* The span of the trimmed text. */
		v.span.start += (uint32_t)(t.ptr - text.ptr);
		v.span.len = (uint32_t)t.len;
	}
	array_push(out, v);
}

static void frontmatter_values(struct workspace *ws, const struct note *n,
			       struct name_variant_list *out)
{
	const struct yaml_node *fm = n->frontmatter;
	if (!fm || !n->has_frontmatter || fm->type != YAML_MAP_NODE)
		return;
	const struct config *cfg = workspace_config(ws);
	for (uint32_t i = 0; i < fm->n; i++) {
		if (!config_is_people_key(cfg, fm->keys[i]))
			continue;
		const struct yaml_node *v = &fm->items[i];
		if (v->type == YAML_SCALAR_NODE && v->str)
			consider(ws, n, v->span, v->str, out);
		else if (v->type == YAML_SEQ_NODE)
			for (uint32_t k = 0; k < v->n; k++)
				if (v->items[k].type == YAML_SCALAR_NODE && v->items[k].str)
					consider(ws, n, v->items[k].span, v->items[k].str, out);
	}
}

void name_variants_find(struct workspace *ws, uint32_t id, struct name_variant_list *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || wn->attachment || !workspace_config(ws)->identity_enabled)
		return;
	const struct note *n = wn->note;
	frontmatter_values(ws, n, out);
	struct mention_list ms = { 0 };
	mentions_find(n, &ms);
	for (uint32_t i = 0; i < ms.len; i++)
		consider(ws, n, ms.items[i].span, NULL, out);
	array_free(&ms);
}
