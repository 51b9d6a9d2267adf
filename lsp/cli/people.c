/* people.c — the `vault-lsp people` command: every person card, the other
 * spellings the vault uses for each (with counts and places), and the
 * duplicate cards; or, with --aliases, the aliases: lines to add. It
 * never writes to the vault. */
#include "people.h"
#include "identity.h"
#include "name_variants.h"
#include "names.h"
#include "protocol.h"
#include "vault.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: vault-lsp people [--format text|json] [--aliases] PATH\n"
	"  every person card, the spellings of its name the vault uses without\n"
	"  declaring them (how often, and where), and the other cards of the same\n"
	"  person; --aliases prints the aliases: line each card would need\n"
	"  (nothing is written)\n";

struct place { uint32_t note, line, col; };

/* One spelling of one person. */
struct spelling {
	uint32_t person;
	char *text;
	ARRAY(struct place) places;
};

struct census {
	struct vault *v;
	ARRAY(struct spelling) spellings;
	struct name_map *index;   /* "person\0text" -> spelling */
	struct strbuf key;
};

static void found(struct census *c, uint32_t note, struct span span, struct slice text,
		  uint32_t person)
{
	c->key.len = 0;
	strbuf_put(&c->key, (const char *)&person, sizeof(person));
	strbuf_put(&c->key, text.ptr, text.len);
	struct slice k = { c->key.ptr, c->key.len };
	uint32_t n;
	const uint32_t *at = name_map_get(c->index, k, &n);
	uint32_t i = n ? at[0] : c->spellings.len;
	if (!n) {
		struct spelling s = { person, xstrndup(text.ptr, text.len), { 0 } };
		array_push(&c->spellings, s);
		name_map_add(c->index, k, i);
	}
	const struct ws_note *wn = workspace_get(c->v->ws, note);
	struct place p = { note, 0, 0 };
	vault_line_col(wn, span.start, &p.line, &p.col);
	array_push(&c->spellings.items[i].places, p);
}

/* Every probable variant in every note: mentions, and unresolved links. */
static void take_census(struct census *c)
{
	struct workspace *ws = c->v->ws;
	for (uint32_t k = 0; k < c->v->n_notes; k++) {
		uint32_t id = c->v->notes[k];
		const struct ws_note *wn = workspace_get(ws, id);
		struct name_variant_list vs = { 0 };
		name_variants_find(ws, id, &vs);
		uint32_t next = 0;
		const struct note *n = wn->note;
		/* Links and mentions, merged in text order. */
		for (uint32_t i = 0; i <= n->links.len; i++) {
			uint32_t at = i < n->links.len ? n->links.items[i].span.start : UINT32_MAX;
			for (; next < vs.len && vs.items[next].span.start < at; next++)
				found(c, id, vs.items[next].span, vs.items[next].text,
				      vs.items[next].match.note);
			if (i == n->links.len)
				break;
			if (wn->res[i].status != LINK_UNRESOLVED)
				continue;
			const struct wikilink *l = &n->links.items[i];
			struct slice target = slice_trim(note_slice(n, wikilink_target(l)));
			struct identity_match m;
			identity_match(ws, target, &m);
			if (m.verdict == IDENTITY_VARIANT)
				found(c, id, l->span, target, m.note);
		}
		array_free(&vs);
	}
}

static int cmp_spellings(const void *pa, const void *pb)
{
	const struct spelling *a = pa, *b = pb;
	if (a->places.len != b->places.len)
		return a->places.len > b->places.len ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* An alias as YAML flow would need it: quoted when plain would not read
 * back as the same string. */
static void put_yaml(FILE *out, const char *s)
{
	bool plain = s[0] && !strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) &&
		     !strpbrk(s, ",[]{}:#\"\\");
	if (plain) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

static void print_person(FILE *out, struct census *c, uint32_t person, struct spelling *s,
			 uint32_t n, const struct id_list *others, bool json, bool aliases)
{
	struct workspace *ws = c->v->ws;
	const struct ws_note *p = workspace_get(ws, person);
	const char *root = c->v->shown;
	if (aliases) {
		if (!n)
			return;
		fprintf(out, "%s/%s: aliases: [", root, p->rel);
		for (uint32_t i = 0; i < p->note->aliases.len; i++) {
			put_yaml(out, p->note->aliases.items[i]->str ? p->note->aliases.items[i]->str : "");
			fputs(", ", out);
		}
		for (uint32_t i = 0; i < n; i++) {
			put_yaml(out, s[i].text);
			fputs(i + 1 < n ? ", " : "", out);
		}
		fputs("]\n", out);
		return;
	}
	if (json) {
		json_t *j = json_pack("{s:o, s:o}", "person", json_text(p->title, strlen(p->title)),
				      "path", json_text(p->rel, strlen(p->rel)));
		json_t *cards = json_array();
		for (uint32_t i = 0; i < others->len; i++) {
			const char *rel = workspace_get(ws, others->items[i])->rel;
			json_array_append_new(cards, json_text(rel, strlen(rel)));
		}
		json_object_set_new(j, "otherCards", cards);
		json_t *vs = json_array();
		for (uint32_t i = 0; i < n; i++) {
			json_t *places = json_array();
			for (uint32_t k = 0; k < s[i].places.len; k++) {
				const struct place *pl = &s[i].places.items[k];
				const char *rel = workspace_get(ws, pl->note)->rel;
				json_array_append_new(places, json_pack("{s:o, s:i, s:i}", "path",
					json_text(rel, strlen(rel)), "line", pl->line, "column", pl->col));
			}
			json_array_append_new(vs, json_pack("{s:o, s:i, s:o}", "text",
				json_text(s[i].text, strlen(s[i].text)), "count", (int)s[i].places.len,
				"places", places));
		}
		json_object_set_new(j, "variants", vs);
		char *line = json_dumps(j, JSON_COMPACT);
		fprintf(out, "%s\n", line);
		free(line);
		json_decref(j);
		return;
	}
	fprintf(out, "%s  %s/%s\n", p->title, root, p->rel);
	for (uint32_t i = 0; i < others->len; i++)
		fprintf(out, "  another card: %s/%s\n", root, workspace_get(ws, others->items[i])->rel);
	for (uint32_t i = 0; i < n; i++) {
		fprintf(out, "  '%s' x%u:", s[i].text, s[i].places.len);
		for (uint32_t k = 0; k < s[i].places.len; k++) {
			const struct place *pl = &s[i].places.items[k];
			fprintf(out, "%s %s/%s:%u:%u", k ? "," : "", root,
				workspace_get(ws, pl->note)->rel, pl->line, pl->col);
		}
		fputc('\n', out);
	}
}

int people_main(int argc, char **argv, FILE *out, FILE *err)
{
	const char *path;
	bool json, aliases;
	int code = vault_args(argc, argv, "people", usage, out, err, &json, "--aliases", &aliases, &path);
	if (code >= 0)
		return code;
	struct vault v;
	if (!vault_open(&v, path, "people", err, NULL, NULL))
		return 2;
	if (!v.cfg.identity_enabled)
		fprintf(err, "vault-lsp people: identity.enabled is false in .vault-lsp.yaml: "
			     "no variants are looked for\n");
	struct census c = { &v, { 0 }, name_map_new(), { 0 } };
	take_census(&c);
	/* Spellings grouped by person, most frequent first. */
	uint32_t bound = workspace_id_bound(v.ws);
	uint32_t *first = xcalloc(bound + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < c.spellings.len; i++)
		first[c.spellings.items[i].person + 1]++;
	for (uint32_t id = 0; id < bound; id++)
		first[id + 1] += first[id];
	struct spelling *by_person = xmalloc(sizeof(*by_person) * (c.spellings.len + 1));
	uint32_t *fill = xmalloc(sizeof(uint32_t) * (bound + 1));
	memcpy(fill, first, sizeof(uint32_t) * (bound + 1));
	for (uint32_t i = 0; i < c.spellings.len; i++)
		by_person[fill[c.spellings.items[i].person]++] = c.spellings.items[i];
	uint32_t people = 0, variants = 0, places = 0, duplicates = 0;
	for (uint32_t k = 0; k < v.n_notes; k++) {
		uint32_t id = v.notes[k];
		if (!identity_is_person(v.ws, id))
			continue;
		people++;
		uint32_t n = first[id + 1] - first[id];
		qsort(by_person + first[id], n, sizeof(*by_person), cmp_spellings);
		struct id_list others = { 0 };
		identity_same_person(v.ws, id, &others);
		duplicates += others.len ? 1 : 0;
		variants += n;
		for (uint32_t i = 0; i < n; i++)
			places += by_person[first[id] + i].places.len;
		print_person(out, &c, id, by_person + first[id], n, &others, json, aliases);
		array_free(&others);
	}
	fprintf(json || aliases ? err : out,
		"%u people: %u spellings not declared, in %u places; %u cards with another card "
		"of the same person\n", people, variants, places, duplicates);
	for (uint32_t i = 0; i < c.spellings.len; i++) {
		free(c.spellings.items[i].text);
		array_free(&c.spellings.items[i].places);
	}
	array_free(&c.spellings);
	name_map_free(c.index);
	strbuf_fini(&c.key);
	free(first);
	free(fill);
	free(by_person);
	vault_close(&v);
	return 0;
}
