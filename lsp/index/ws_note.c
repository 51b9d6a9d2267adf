/* ws_note.c — one entry of the vault index: its paths, kind, title and
 * search keys, worked out from its parsed note (or, for an attachment,
 * from its file name alone). */
#include "fuzzy.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- kinds and titles ----------------------------------------------- */

static bool has_folder_prefix(const char *rel, const char *folder)
{
	size_t n = strlen(folder);
	return n && strncmp(rel, folder, n) == 0 && rel[n] == '/';
}

static char *lower_copy(const char *s)
{
	struct strbuf b = { 0 };
	names_fold(slice_trim(slice_from_cstr(s)), &b);
	return strbuf_detach(&b);
}

/* A "type/X" tag in the frontmatter names the kind X. Tags may be written
 * "#type/person", and one scalar may hold several, space or comma separated. */
static char *kind_from_tags(const struct note *n)
{
	for (uint32_t i = 0; i < n->fm_tags.len; i++) {
		const char *s = n->fm_tags.items[i]->str;
		while (s && *s) {
			while (*s == ' ' || *s == ',' || *s == '#')
				s++;
			const char *e = s;
			while (*e && *e != ' ' && *e != ',')
				e++;
			if (e - s > 5 && strncmp(s, "type/", 5) == 0) {
				char *k = xstrndup(s + 5, (size_t)(e - s - 5));
				char *lower = lower_copy(k);
				free(k);
				return lower;
			}
			s = e;
		}
	}
	return NULL;
}

static char *compute_kind(const struct config *cfg, const char *rel, const struct note *n)
{
	/* A template is full of placeholders: never a person, whatever it says. */
	if (has_folder_prefix(rel, "Templates"))
		return xstrdup("template");
	if (n->type && n->type->str && slice_trim(slice_from_cstr(n->type->str)).len)
		return lower_copy(n->type->str);
	char *k = kind_from_tags(n);
	if (k)
		return k;
	const char *best = NULL;
	size_t best_len = 0;
	for (uint32_t i = 0; i < cfg->folders.len; i++) {
		const struct folder_kind *fk = &cfg->folders.items[i];
		size_t len = strlen(fk->folder);
		if (has_folder_prefix(rel, fk->folder) && len > best_len) {
			best = fk->kind;
			best_len = len;
		}
	}
	return xstrdup(best ? best : "");
}

static bool scalar_present(const struct yaml_node *y)
{
	return y && y->type == YAML_SCALAR_NODE && y->str &&
	       slice_trim(slice_from_cstr(y->str)).len;
}

/* Borrowed from the note (or its stem). */
static const char *compute_title(const struct ws_note *wn, const char *kind)
{
	const struct note *n = wn->note;
	if (scalar_present(n->name))
		return n->name->str;
	/* On a person card "title:" is a job title, not the note's. */
	if (strcmp(kind, "person") != 0 && scalar_present(n->title))
		return n->title->str;
	for (uint32_t i = 0; i < n->headings.len; i++)
		if (n->headings.items[i].level == 1 && n->headings.items[i].text[0])
			return n->headings.items[i].text;
	return wn->stem;
}

/*
 * What ws_note_describe() works out, in one block: the keys, then the
 * kind, the title and the keys' strings. Recomputed whenever the note is parsed
 * again; separately, each string was a 64-byte strbuf or more, for every
 * note of the vault. wn->keys is the block. True when the kind or the
 * title changed.
 */
bool ws_note_describe(struct workspace *ws, struct ws_note *wn)
{
	char *kind = compute_kind(&ws->cfg, wn->rel, wn->note);
	const char *title = compute_title(wn, kind);
	uint32_t n_keys = 2 + wn->note->aliases.len;
	/* The keys' texts, each followed by a NUL, and where each starts. */
	struct strbuf texts = { 0 };
	strbuf_init(&texts);
	ARRAY(uint32_t) at = { 0 };
	for (uint32_t k = 0; k < n_keys; k++) {
		struct slice name = k == 0 ? slice_from_cstr(wn->stem)
				  : k == 1 ? slice_from_cstr(title)
					   : name_maps_alias(wn->note, k - 2);
		array_push(&at, (uint32_t)texts.len);
		names_search_key(name, &texts);
		strbuf_putc(&texts, '\0');
	}
	size_t kind_len = strlen(kind) + 1, title_len = strlen(title) + 1;
	size_t head = (n_keys * sizeof(struct search_key) + 7) & ~(size_t)7;
	char *block = xmalloc(head + kind_len + title_len + texts.len);
	struct search_key *keys = (struct search_key *)block;
	char *p = block + head;
	char *new_kind = memcpy(p, kind, kind_len);
	char *new_title = memcpy(p + kind_len, title, title_len);
	char *key_texts = memcpy(p + kind_len + title_len, texts.ptr, texts.len);
	for (uint32_t k = 0; k < n_keys; k++) {
		keys[k].key = key_texts + at.items[k];
		keys[k].len = (uint32_t)strlen(keys[k].key);
		keys[k].mask = fuzzy_mask((struct slice){ keys[k].key, keys[k].len });
	}
	/* Has what completion shows of it changed? */
	bool changed = !wn->title || strcmp(wn->title, new_title) != 0 ||
		       strcmp(wn->kind, new_kind) != 0;
	free(wn->keys); /* the old kind, title and keys */
	wn->keys = keys;
	wn->n_keys = n_keys;
	wn->kind = new_kind;
	wn->title = new_title;
	free(kind);
	strbuf_fini(&texts);
	array_free(&at);
	return changed;
}


/* ---- notes ---------------------------------------------------------- */

struct slice ws_note_stem(const char *rel, bool attachment)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	size_t n = strlen(base);
	if (!attachment && n >= 3 &&
	    (strcmp(base + n - 3, ".md") == 0 || strcmp(base + n - 3, ".MD") == 0))
		n -= 3;
	return (struct slice){ base, n };
}

/* The three names of a note's file in one block, "abs\0stem\0": rel is
 * the tail of abs (or, for a path outside every root that is not, a third
 * string after them). Only abs is freed. */
static void set_paths(struct ws_note *wn, const char *abs, const char *rel)
{
	size_t a = strlen(abs), r = strlen(rel);
	bool tail = r <= a && strcmp(abs + a - r, rel) == 0;
	struct slice stem = ws_note_stem(rel, false);
	char *block = xmalloc(a + 1 + stem.len + 1 + (tail ? 0 : r + 1));
	memcpy(block, abs, a + 1);
	memcpy(block + a + 1, stem.ptr, stem.len);
	block[a + 1 + stem.len] = '\0';
	if (!tail)
		memcpy(block + a + 1 + stem.len + 1, rel, r + 1);
	wn->abs = block;
	wn->stem = block + a + 1;
	wn->rel = tail ? block + a - r : block + a + 1 + stem.len + 1;
}

struct ws_note *ws_note_adopt(const char *abs, const char *rel, uint32_t root,
			      struct note *note, struct line_map *lines, struct resolution *res)
{
	struct ws_note *wn = xcalloc(1, sizeof(*wn));
	set_paths(wn, abs, rel);
	wn->root = root;
	wn->note = note;
	wn->disk.size = FILE_SIG_NONE;
	wn->lines = *lines;
	wn->res = res;
	return wn;
}

struct ws_note *ws_note_new(const char *abs, const char *rel, uint32_t root,
			    struct note *note)
{
	struct line_map lines;
	line_map_init_compact(&lines, note->text, note->len);
	return ws_note_adopt(abs, rel, root, note, &lines,
			     xcalloc(note->links.len ? note->links.len : 1, sizeof(struct resolution)));
}

/*
 * An attachment: its names, and nothing read. One block holds the struct,
 * abs, and rel after it unless rel is abs's tail; the stem is the file
 * name, rel's tail. It shares the workspace's empty note and has no keys;
 * its title is its file name and its kind the "" ending it. Across
 * 100,000 images every allocation and copy of a name adds up.
 */
struct ws_note *ws_note_attachment(struct workspace *ws, const char *abs, const char *rel,
				   uint32_t root)
{
	size_t a = strlen(abs), r = strlen(rel);
	bool tail = r <= a && strcmp(abs + a - r, rel) == 0;
	struct ws_note *wn = xcalloc(1, sizeof(*wn) + a + 1 + (tail ? 0 : r + 1));
	char *block = (char *)(wn + 1);
	memcpy(block, abs, a + 1);
	if (!tail)
		memcpy(block + a + 1, rel, r + 1);
	wn->abs = block;
	wn->rel = tail ? block + a - r : block + a + 1;
	const char *slash = strrchr(wn->rel, '/');
	wn->stem = slash ? (char *)slash + 1 : wn->rel;
	wn->root = root;
	wn->note = ws->empty_note;
	wn->title = wn->stem;
	wn->kind = wn->stem + strlen(wn->stem);
	wn->attachment = true;
	line_map_init_compact(&wn->lines, "", 0);
	return wn;
}


void ws_note_free(struct ws_note *wn)
{
	if (!wn)
		return;
	if (!wn->attachment) {
		free(wn->abs); /* and rel and stem: see set_paths */
		note_free(wn->note);
	} /* else all in wn's block, see ws_note_attachment */
	free(wn->keys); /* and kind and title: see describe */
	line_map_fini(&wn->lines);
	free(wn->res);
	array_free(&wn->backlinks);
	free(wn);
}

