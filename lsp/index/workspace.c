/* workspace.c — the vault index: notes, names, links and backlinks. */
#include "fact_scope.h"
#include "facts.h"
#include "fuzzy.h"
#include "walk.h"
#include "workspace_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- names ---------------------------------------------------------- */

static struct slice fold(struct slice s, struct strbuf *tmp)
{
	tmp->len = 0;
	if (tmp->ptr)
		tmp->ptr[0] = '\0';
	names_fold(s, tmp);
	return (struct slice){ tmp->ptr ? tmp->ptr : "", tmp->len };
}

static struct slice alias_text(const struct note *n, uint32_t i)
{
	return slice_trim(slice_from_cstr(n->aliases.items[i]->str));
}

static void name_changed(struct workspace *ws, struct slice folded)
{
	if (ws->bulk)
		return;
	char *k = xstrndup(folded.ptr, folded.len);
	str_list_push(&ws->changed_names, k);
	free(k);
}

/* Adds (or with add == false removes) a note's stem and aliases. */
static void index_names(struct workspace *ws, uint32_t id, bool add)
{
	struct ws_note *wn = ws->notes.items[id];
	struct strbuf tmp = { 0 };
	struct slice k = fold(slice_from_cstr(wn->stem), &tmp);
	if (add)
		name_map_add(ws->by_stem, k, id);
	else
		name_map_remove(ws->by_stem, k, id);
	name_changed(ws, k);
	for (uint32_t i = 0; i < wn->note->aliases.len; i++) {
		struct slice a = alias_text(wn->note, i);
		if (!a.len)
			continue;
		k = fold(a, &tmp);
		if (add)
			name_map_add(ws->by_alias, k, id);
		else
			name_map_remove(ws->by_alias, k, id);
		name_changed(ws, k);
	}
	strbuf_fini(&tmp);
}

/* Adds or removes a note's search keys (computed by describe). */
static void index_keys(struct workspace *ws, uint32_t id, bool add)
{
	struct ws_note *wn = ws->notes.items[id];
	for (uint32_t k = 0; k < wn->n_keys; k++) {
		if (k == 1 || !wn->keys[k].len)
			continue; /* titles are not names text uses */
		struct name_map *m = k == 0 ? ws->by_stem_key : ws->by_alias_key;
		struct slice key = { wn->keys[k].key, wn->keys[k].len };
		if (add)
			name_map_add(m, key, id);
		else
			name_map_remove(m, key, id);
		if (add) {
			uint32_t words = 1;
			size_t first = key.len;
			for (size_t c = 0; c < key.len; c++) {
				if (key.ptr[c] == ' ') {
					if (first == key.len)
						first = c;
					words++;
				}
			}
			name_map_add(ws->by_first_word, (struct slice){ key.ptr, first }, words);
		}
		ws->names_gen++;
	}
}

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

/* Adds or removes a note's facts in the cross-note index, if built. */
static void index_facts(struct workspace *ws, uint32_t id, bool add)
{
	if (!ws->by_fact)
		return;
	const struct ws_note *wn = ws->notes.items[id];
	struct strbuf key = { 0 };
	struct fact_scope sc;
	fact_scope_init(&sc, ws, id);
	for (uint32_t i = 0; i < wn->note->items.len; i++) {
		if (!sc.fact[i])
			continue;
		key.len = 0;
		facts_normalise(ws, wn->note, i, &key);
		uint32_t words = key.len ? 1 : 0;
		for (size_t k = 0; k < key.len; k++)
			words += key.ptr[k] == ' ';
		if (words < FACT_MIN_WORDS)
			continue;
		if (add)
			name_map_add(ws->by_fact, (struct slice){ key.ptr, key.len }, id);
		else
			name_map_remove(ws->by_fact, (struct slice){ key.ptr, key.len }, id);
	}
	fact_scope_fini(&sc);
	strbuf_fini(&key);
}

const uint32_t *workspace_fact_notes(struct workspace *ws, struct slice fact, uint32_t *n)
{
	if (!ws->by_fact) {
		ws->by_fact = name_map_new();
		for (uint32_t id = 0; id < ws->notes.len; id++)
			if (ws->notes.items[id])
				index_facts(ws, id, true);
	}
	return name_map_get(ws->by_fact, fact, n);
}

/*
 * What describe() works out, in one block: the keys, then the kind, the
 * title and the keys' strings. Recomputed whenever the note is parsed
 * again; separately, each string was a 64-byte strbuf or more, for every
 * note of the vault. wn->keys is the block. True when the kind or the
 * title changed.
 */
static bool describe(struct workspace *ws, struct ws_note *wn)
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
					   : alias_text(wn->note, k - 2);
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

/* The file name without ".md". */
static struct slice stem_of(const char *rel)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	size_t n = strlen(base);
	if (n >= 3 && (strcmp(base + n - 3, ".md") == 0 || strcmp(base + n - 3, ".MD") == 0))
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
	struct slice stem = stem_of(rel);
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

static struct ws_note *ws_note_new(const char *abs, const char *rel, uint32_t root,
				   struct note *note)
{
	struct ws_note *wn = xcalloc(1, sizeof(*wn));
	set_paths(wn, abs, rel);
	wn->root = root;
	wn->note = note;
	line_map_init_compact(&wn->lines, note->text, note->len);
	wn->res = xcalloc(note->links.len ? note->links.len : 1, sizeof(*wn->res));
	return wn;
}

/*
 * An attachment: its names, and nothing read. One block holds the struct,
 * abs, and rel after it unless rel is abs's tail; the stem is the file
 * name, rel's tail. It shares the workspace's empty note and has no keys;
 * its title is its file name and its kind the "" ending it. Across
 * 100,000 images every allocation and copy of a name adds up.
 */
static struct ws_note *attachment_new(struct workspace *ws, const char *abs, const char *rel,
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

bool workspace_is_attachment_path(const char *path)
{
	size_t n = strlen(path);
	return !(n > 3 && path[n - 3] == '.' && (path[n - 2] == 'm' || path[n - 2] == 'M') &&
		 (path[n - 1] == 'd' || path[n - 1] == 'D'));
}

const char *workspace_attachment_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ "png", "image" },  { "jpg", "image" },   { "jpeg", "image" }, { "gif", "image" },
		{ "webp", "image" }, { "svg", "image" },   { "bmp", "image" },  { "avif", "image" },
		{ "tif", "image" },  { "tiff", "image" },  { "ico", "image" },  { "heic", "image" },
		{ "pdf", "PDF" },    { "mp3", "audio" },   { "wav", "audio" },  { "m4a", "audio" },
		{ "ogg", "audio" },  { "flac", "audio" },  { "3gp", "audio" },  { "webm", "video" },
		{ "mp4", "video" },  { "mov", "video" },   { "mkv", "video" },  { "ogv", "video" },
		{ "canvas", "canvas" }, { "base", "base" }, { "excalidraw", "Excalidraw drawing" },
	};
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');
	if (dot && dot != base)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (slice_eq_nocase(slice_from_cstr(dot + 1), slice_from_cstr(types[i].ext)))
				return types[i].type;
	return "file";
}

static void ws_note_free(struct ws_note *wn)
{
	if (!wn)
		return;
	if (!wn->attachment) {
		free(wn->abs); /* and rel and stem: see set_paths */
		note_free(wn->note);
	} /* else all in wn's block, see attachment_new */
	free(wn->keys); /* and kind and title: see describe */
	line_map_fini(&wn->lines);
	free(wn->res);
	array_free(&wn->backlinks);
	free(wn);
}

static struct ignore *compile_globs(const struct str_list *globs)
{
	if (!globs->len)
		return NULL;
	struct ignore *ig = ignore_new();
	for (uint32_t i = 0; i < globs->len; i++)
		ignore_add(ig, globs->items[i], strlen(globs->items[i]));
	return ig;
}

struct workspace *workspace_new(const struct config *cfg, struct log *log)
{
	struct workspace *ws = xcalloc(1, sizeof(*ws));
	config_copy(&ws->cfg, cfg);
	ws->diag_ignore = compile_globs(&ws->cfg.diag_ignore);
	ws->log = log;
	ws->by_path = name_map_new();
	ws->by_stem = name_map_new();
	ws->by_alias = name_map_new();
	ws->by_stem_key = name_map_new();
	ws->by_alias_key = name_map_new();
	ws->by_first_word = name_map_new();
	ws->dangling = name_map_new();
	ws->empty_note = note_parse("", 0);
	return ws;
}

void workspace_free(struct workspace *ws)
{
	if (!ws)
		return;
	for (uint32_t i = 0; i < ws->notes.len; i++)
		ws_note_free(ws->notes.items[i]);
	array_free(&ws->notes);
	name_map_free(ws->by_path);
	name_map_free(ws->by_stem);
	name_map_free(ws->by_alias);
	name_map_free(ws->by_stem_key);
	name_map_free(ws->by_alias_key);
	name_map_free(ws->by_first_word);
	suggester_free(ws->suggester);
	array_free(&ws->name_table);
	array_free(&ws->name_extra);
	free(ws->name_by_first);
	free(ws->name_by_word);
	strbuf_fini(&ws->name_keys);
	name_map_free(ws->by_fact);
	name_map_free(ws->dangling);
	note_free(ws->empty_note);
	str_list_free(&ws->changed_names);
	array_free(&ws->changed_sources);
	array_free(&ws->affected);
	str_list_free(&ws->roots);
	ignore_free(ws->diag_ignore);
	config_fini(&ws->cfg);
	free(ws);
}

uint32_t workspace_add_root(struct workspace *ws, const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	char *p = xstrndup(path, n);
	array_push(&ws->roots, p);
	return ws->roots.len - 1;
}

uint32_t workspace_root_count(const struct workspace *ws) { return ws->roots.len; }
const char *workspace_root(const struct workspace *ws, uint32_t i) { return ws->roots.items[i]; }
uint32_t workspace_id_bound(const struct workspace *ws) { return ws->notes.len; }
uint32_t workspace_count(const struct workspace *ws) { return ws->alive - ws->attachments; }
uint32_t workspace_attachment_count(const struct workspace *ws) { return ws->attachments; }
const struct config *workspace_config(const struct workspace *ws) { return &ws->cfg; }

bool workspace_diagnosed(const struct workspace *ws, const struct ws_note *wn)
{
	return !ignore_match(ws->diag_ignore, wn->rel, false);
}

const struct ws_note *workspace_get(const struct workspace *ws, uint32_t id)
{
	return id < ws->notes.len ? ws->notes.items[id] : NULL;
}

int32_t workspace_find(const struct workspace *ws, const char *abs)
{
	uint32_t n;
	const uint32_t *ids = name_map_get(ws->by_path, slice_from_cstr(abs), &n);
	if (n)
		return (int32_t)ids[0];
	/* Attachments are not in by_path (a second copy of every path): they
	 * are found by their file name, which resolution needs anyway. */
	if (!workspace_is_attachment_path(abs))
		return -1;
	const char *base = strrchr(abs, '/');
	struct strbuf tmp = { 0 };
	struct slice key = fold(slice_from_cstr(base ? base + 1 : abs), &tmp);
	ids = name_map_get(ws->by_stem, key, &n);
	int32_t found = -1;
	for (uint32_t i = 0; i < n && found < 0; i++)
		if (ws->notes.items[ids[i]]->attachment && strcmp(ws->notes.items[ids[i]]->abs, abs) == 0)
			found = (int32_t)ids[i];
	strbuf_fini(&tmp);
	return found;
}

void workspace_set_config(struct workspace *ws, const struct config *cfg)
{
	config_fini(&ws->cfg);
	config_copy(&ws->cfg, cfg);
	ignore_free(ws->diag_ignore);
	ws->diag_ignore = compile_globs(&ws->cfg.diag_ignore);
	for (uint32_t i = 0; i < ws->notes.len; i++)
		if (ws->notes.items[i] && !ws->notes.items[i]->attachment)
			describe(ws, ws->notes.items[i]);
	ws->titles_gen++; /* kinds follow folders: the name table starts afresh */
}

/* ---- resolution ----------------------------------------------------- */

struct slice workspace_clean_target(struct slice t)
{
	t = slice_trim(t);
	if (t.len >= 3 && slice_eq_nocase((struct slice){ t.ptr + t.len - 3, 3 }, SLICE_LIT(".md")))
		t.len -= 3;
	while (t.len && t.ptr[0] == '/') {
		t.ptr++;
		t.len--;
	}
	return t;
}

static size_t dir_len(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? (size_t)(slash - rel) : 0;
}

/* Does the note's path without ".md" (an attachment's whole path) end
 * with the folded target, at a folder boundary — or, when whole, equal it? */
static bool path_suffix_matches(const struct ws_note *wn, struct slice folded_target, bool whole)
{
	struct strbuf b = { 0 };
	size_t n = strlen(wn->rel);
	if (!wn->attachment && n >= 3 &&
	    (strcmp(wn->rel + n - 3, ".md") == 0 || strcmp(wn->rel + n - 3, ".MD") == 0))
		n -= 3;
	names_fold((struct slice){ wn->rel, n }, &b);
	bool ok = b.len >= folded_target.len &&
		  memcmp(b.ptr + b.len - folded_target.len, folded_target.ptr, folded_target.len) == 0 &&
		  (b.len == folded_target.len || (!whole && b.ptr[b.len - folded_target.len - 1] == '/'));
	strbuf_fini(&b);
	return ok;
}

static bool is_relative(struct slice t)
{
	return (t.len >= 2 && memcmp(t.ptr, "./", 2) == 0) ||
	       (t.len >= 3 && memcmp(t.ptr, "../", 3) == 0) || slice_eq(t, SLICE_LIT(".")) ||
	       slice_eq(t, SLICE_LIT(".."));
}

/* A relative target ("./x", "../a/x", folded) taken from the folder of
 * the note at rel, as a vault-relative path ("a/b/../c" is "a/c"), folded,
 * into out. False when it climbs above the root. */
static bool relative_path(const char *rel, struct slice target, struct strbuf *out)
{
	struct strbuf joined = { 0 };
	names_fold((struct slice){ rel, dir_len(rel) }, &joined);
	strbuf_putc(&joined, '/');
	strbuf_put(&joined, target.ptr, target.len);
	out->len = 0;
	strbuf_putc(out, '\0');
	out->len = 0;
	bool ok = true;
	for (size_t at = 0; at < joined.len && ok;) {
		const char *seg = joined.ptr + at;
		const char *end = memchr(seg, '/', joined.len - at);
		size_t n = end ? (size_t)(end - seg) : joined.len - at;
		at += n + 1;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (!out->len) {
				ok = false; /* above the vault */
				break;
			}
			while (out->len && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len)
				out->len--;
			out->ptr[out->len] = '\0';
			continue;
		}
		if (out->len)
			strbuf_putc(out, '/');
		strbuf_put(out, seg, n);
	}
	strbuf_fini(&joined);
	return ok && out->len;
}

/* Preference among candidates: the linking note's folder, then the shortest
 * path, then the path's order (so the choice is stable). */
static bool preferred(const struct workspace *ws, const struct ws_note *from,
		      uint32_t a, uint32_t b)
{
	const struct ws_note *na = ws->notes.items[a], *nb = ws->notes.items[b];
	if (from) {
		size_t fd = dir_len(from->rel);
		bool sa = dir_len(na->rel) == fd && strncmp(na->rel, from->rel, fd) == 0;
		bool sb = dir_len(nb->rel) == fd && strncmp(nb->rel, from->rel, fd) == 0;
		if (sa != sb)
			return sa;
	}
	size_t la = strlen(na->rel), lb = strlen(nb->rel);
	if (la != lb)
		return la < lb;
	return strcmp(na->rel, nb->rel) < 0;
}

void workspace_candidates(const struct workspace *ws, int32_t from,
			  struct slice target, struct id_list *out, bool *via_alias)
{
	out->len = 0;
	*via_alias = false;
	struct slice t = workspace_clean_target(target);
	if (!t.len)
		return;
	/* An explicit ".md" names a note, never an attachment. */
	struct slice written = slice_trim(target);
	bool md = written.len >= 3 &&
		  slice_eq_nocase((struct slice){ written.ptr + written.len - 3, 3 }, SLICE_LIT(".md"));
	struct strbuf tmp = { 0 }, path = { 0 };
	struct slice key = fold(t, &tmp);
	const char *slash = memchr(key.ptr, '/', key.len);
	const struct ws_note *from_note = from >= 0 ? workspace_get(ws, (uint32_t)from) : NULL;
	uint32_t n;
	const uint32_t *ids;

	if (is_relative(key)) {
		/* From the linking note's folder, in its root; from no note,
		 * from the root. */
		if (relative_path(from_note ? from_note->rel : "", key, &path)) {
			const char *last = path.ptr + path.len;
			while (last > path.ptr && last[-1] != '/')
				last--;
			ids = name_map_get(ws->by_stem,
					   (struct slice){ last, (size_t)(path.ptr + path.len - last) }, &n);
			for (uint32_t i = 0; i < n; i++) {
				const struct ws_note *wn = ws->notes.items[ids[i]];
				if ((!from_note || wn->root == from_note->root) &&
				    path_suffix_matches(wn, (struct slice){ path.ptr, path.len }, true))
					array_push(out, ids[i]);
			}
		}
	} else if (slash) {
		const char *last = key.ptr + key.len;
		while (last > key.ptr && last[-1] != '/')
			last--;
		ids = name_map_get(ws->by_stem, (struct slice){ last, (size_t)(key.ptr + key.len - last) }, &n);
		for (uint32_t i = 0; i < n; i++)
			if (path_suffix_matches(ws->notes.items[ids[i]], key, false))
				array_push(out, ids[i]);
	} else {
		ids = name_map_get(ws->by_stem, key, &n);
		for (uint32_t i = 0; i < n; i++)
			array_push(out, ids[i]);
		if (!out->len) {
			ids = name_map_get(ws->by_alias, key, &n);
			for (uint32_t i = 0; i < n; i++)
				array_push(out, ids[i]);
			*via_alias = out->len > 0;
		}
	}
	strbuf_fini(&tmp);
	strbuf_fini(&path);

	/* Notes first: attachments only when no note answers, and never for
	 * ".md" ("Note.png.md" is a note, so is "[[Note.png]]" if it exists). */
	bool any_note = false;
	for (uint32_t i = 0; i < out->len && !any_note; i++)
		any_note = !ws->notes.items[out->items[i]]->attachment;
	if (any_note || md) {
		uint32_t k = 0;
		for (uint32_t i = 0; i < out->len; i++)
			if (!ws->notes.items[out->items[i]]->attachment)
				out->items[k++] = out->items[i];
		out->len = k;
	}

	/* Insertion sort: candidate lists are short. */
	for (uint32_t i = 1; i < out->len; i++) {
		uint32_t v = out->items[i], j = i;
		for (; j > 0 && preferred(ws, from_note, v, out->items[j - 1]); j--)
			out->items[j] = out->items[j - 1];
		out->items[j] = v;
	}
}

static int32_t find_heading(const struct note *n, struct slice sub)
{
	/* "H1#H2": Obsidian matches the last heading of the chain. */
	const char *last = sub.ptr + sub.len;
	while (last > sub.ptr && last[-1] != '#')
		last--;
	struct slice want = slice_trim((struct slice){ last, (size_t)(sub.ptr + sub.len - last) });
	struct strbuf a = { 0 }, b = { 0 }, slug = { 0 }, hslug = { 0 };
	names_fold(want, &a);
	note_slugify(want, &slug);
	int32_t found = -1;
	for (uint32_t i = 0; i < n->headings.len && found < 0; i++) {
		const struct heading *h = &n->headings.items[i];
		b.len = 0;
		names_fold(slice_from_cstr(h->text), &b);
		if (b.len == a.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0)) {
			found = (int32_t)i;
		} else if (slug.len) {
			/* Slugs are made here, not kept: most links name no heading. */
			note_slugify(slice_from_cstr(h->text), &hslug);
			if (hslug.len == slug.len && memcmp(hslug.ptr, slug.ptr, slug.len) == 0)
				found = (int32_t)i;
		}
	}
	strbuf_fini(&a);
	strbuf_fini(&b);
	strbuf_fini(&slug);
	strbuf_fini(&hslug);
	return found;
}

static int32_t find_block(const struct note *n, struct slice id)
{
	id = slice_trim(id);
	for (uint32_t i = 0; i < n->blocks.len; i++)
		if (slice_eq_nocase(note_slice(n, n->blocks.items[i].id), id))
			return (int32_t)i;
	return -1;
}

struct resolution workspace_resolve(const struct workspace *ws, int32_t from,
				    struct slice target, struct slice subpath,
				    bool has_subpath)
{
	struct resolution r = { .status = LINK_UNRESOLVED, .note = -1, .heading = -1,
				.block = -1, .alias = -1 };
	if (!workspace_clean_target(target).len) {
		/* [[#Heading]] points into the linking note itself. */
		if (!has_subpath || from < 0 || !workspace_get(ws, (uint32_t)from)) {
			r.status = LINK_IGNORED;
			return r;
		}
		r.note = from;
	} else {
		struct id_list c = { 0 };
		bool via_alias;
		workspace_candidates(ws, from, target, &c, &via_alias);
		if (c.len) {
			r.note = (int32_t)c.items[0];
			r.ambiguous = c.len > 1;
			r.via_alias = via_alias;
		}
		array_free(&c);
		if (r.note < 0)
			return r;
	}
	const struct note *n = ws->notes.items[r.note]->note;
	if (ws->notes.items[r.note]->attachment) {
		/* "#page=3", "#icon": for the viewer; the target is the file. */
		r.status = LINK_RESOLVED;
		return r;
	}
	if (r.via_alias) {
		struct strbuf a = { 0 }, b = { 0 };
		names_fold(workspace_clean_target(target), &a);
		for (uint32_t i = 0; i < n->aliases.len && r.alias < 0; i++) {
			b.len = 0;
			names_fold(alias_text(n, i), &b);
			if (a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0)
				r.alias = (int32_t)i;
		}
		strbuf_fini(&a);
		strbuf_fini(&b);
	}
	r.status = LINK_RESOLVED;
	if (has_subpath && subpath.len) {
		if (subpath.ptr[0] == '^') {
			r.block = find_block(n, (struct slice){ subpath.ptr + 1, subpath.len - 1 });
			if (r.block < 0)
				r.status = LINK_BLOCK_MISSING;
		} else {
			r.heading = find_heading(n, subpath);
			if (r.heading < 0)
				r.status = LINK_HEADING_MISSING;
		}
	}
	return r;
}

static struct resolution resolve_link(const struct workspace *ws, uint32_t from,
				      const struct wikilink *l)
{
	const struct note *n = ws->notes.items[from]->note;
	if (!(l->flags & WIKILINK_CLOSED)) {
		struct resolution r = { .status = LINK_IGNORED, .note = -1, .heading = -1,
					.block = -1, .alias = -1 };
		return r;
	}
	return workspace_resolve(ws, (int32_t)from, note_slice(n, wikilink_target(l)),
				 note_slice(n, wikilink_subpath(l)), l->has_subpath);
}

/* The name a link target is looked up by (see workspace_candidates). */
static struct slice lookup_key(struct slice target, struct strbuf *tmp)
{
	struct slice key = fold(workspace_clean_target(target), tmp);
	const char *last = key.ptr + key.len;
	while (last > key.ptr && last[-1] != '/')
		last--;
	return (struct slice){ last, (size_t)(key.ptr + key.len - last) };
}

static bool dangles(const struct resolution *r)
{
	return r->note < 0 && r->status != LINK_IGNORED;
}

/* Forgets what a note's links resolved to: the backlinks they gave, and
 * their entries in the dangling map. */
static void drop_backlinks_from(struct workspace *ws, uint32_t from)
{
	struct ws_note *wn = ws->notes.items[from];
	struct strbuf tmp = { 0 };
	for (uint32_t i = 0; i < wn->note->links.len; i++)
		if (dangles(&wn->res[i]))
			name_map_remove(ws->dangling,
					lookup_key(note_slice(wn->note, wikilink_target(&wn->note->links.items[i])), &tmp),
					from);
	strbuf_fini(&tmp);
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		int32_t t = wn->res[i].note;
		if (t < 0 || !ws->notes.items[t])
			continue;
		struct ws_note *tn = ws->notes.items[t];
		uint32_t k = 0;
		for (uint32_t j = 0; j < tn->backlinks.len; j++)
			if (tn->backlinks.items[j].from != from)
				tn->backlinks.items[k++] = tn->backlinks.items[j];
		tn->backlinks.len = k;
	}
}

static void mark_affected(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	if (wn && !wn->affected && !wn->attachment) {
		wn->affected = true;
		array_push(&ws->affected, id);
	}
}

/* Field by field: memcmp would read the padding, which is undefined. */
static bool same_resolution(const struct resolution *a, const struct resolution *b)
{
	return a->status == b->status && a->ambiguous == b->ambiguous &&
	       a->via_alias == b->via_alias && a->note == b->note && a->heading == b->heading &&
	       a->block == b->block && a->alias == b->alias;
}

/* Resolves a note's links again, marking it affected if any changed. */
static void resolve_links(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		struct resolution r = resolve_link(ws, id, &wn->note->links.items[i]);
		if (!same_resolution(&r, &wn->res[i]))
			mark_affected(ws, id);
		wn->res[i] = r;
	}
}

static bool links_back(const struct resolution *r)
{
	return r->note >= 0 && r->status != LINK_IGNORED;
}

/* Adds a note's links to the backlinks of the notes they resolve to. */
static void link_back(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	struct strbuf tmp = { 0 };
	for (uint32_t i = 0; i < wn->note->links.len; i++) {
		if (links_back(&wn->res[i])) {
			struct backlink b = { id, i };
			array_push(&ws->notes.items[wn->res[i].note]->backlinks, b);
		} else if (dangles(&wn->res[i])) {
			name_map_add(ws->dangling,
				     lookup_key(note_slice(wn->note, wikilink_target(&wn->note->links.items[i])), &tmp), id);
		}
	}
	strbuf_fini(&tmp);
}

static void resolve_note(struct workspace *ws, uint32_t id)
{
	resolve_links(ws, id);
	link_back(ws, id);
}

/* Every link of the vault, from scratch. The
 * backlinks are counted before they are added, so that each list is
 * allocated once at its size: grown by doubling, the lists of a whole
 * vault kept a third of their room empty. */
static void resolve_all(struct workspace *ws)
{
	name_map_free(ws->dangling);
	ws->dangling = name_map_new();
	str_list_clear(&ws->changed_names);
	ws->changed_sources.len = 0;
	uint32_t n = ws->notes.len;
	uint32_t *count = xcalloc(n ? n : 1, sizeof(uint32_t));
	for (uint32_t id = 0; id < n; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (!wn)
			continue;
		wn->backlinks.len = 0;
		resolve_links(ws, id);
		for (uint32_t i = 0; i < wn->note->links.len; i++)
			if (links_back(&wn->res[i]))
				count[wn->res[i].note]++;
	}
	for (uint32_t id = 0; id < n; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (wn && wn->backlinks.cap < count[id]) {
			wn->backlinks.items = xrealloc(wn->backlinks.items,
						       count[id] * sizeof(*wn->backlinks.items));
			wn->backlinks.cap = count[id];
		}
	}
	for (uint32_t id = 0; id < n; id++)
		if (ws->notes.items[id])
			link_back(ws, id);
	free(count);
}

static void add_sources(struct id_list *out, const struct ws_note *wn)
{
	for (uint32_t i = 0; i < wn->backlinks.len; i++)
		array_push(out, wn->backlinks.items[i].from);
}

static int cmp_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Names came or went (changed_names), and some notes' links must be looked
 * at again anyway (changed_sources): resolves again only the links that
 * may now mean another note — those into a note bearing one of the names
 * (another may now be preferred, or the name be ambiguous) and those that
 * resolved to nothing under one of them — so that a new note, a rename or
 * an alias typed costs what depends on it, not the vault. Falls back to
 * resolve_all when most of the vault is concerned anyway.
 */
static void resolve_changed(struct workspace *ws)
{
	struct id_list *src = &ws->changed_sources;
	uint32_t most = ws->alive / 4 > 64 ? ws->alive / 4 : 64;
	for (uint32_t i = 0; i < ws->changed_names.len && src->len <= most; i++) {
		struct slice k = slice_from_cstr(ws->changed_names.items[i]);
		struct name_map *maps[] = { ws->by_stem, ws->by_alias };
		for (int m = 0; m < 2; m++) {
			uint32_t n;
			const uint32_t *ids = name_map_get(maps[m], k, &n);
			for (uint32_t j = 0; j < n; j++)
				if (ws->notes.items[ids[j]])
					add_sources(src, ws->notes.items[ids[j]]);
		}
		uint32_t n;
		const uint32_t *ids = name_map_get(ws->dangling, k, &n);
		for (uint32_t j = 0; j < n; j++)
			array_push(src, ids[j]);
	}
	if (src->len > most) {
		resolve_all(ws);
		return;
	}
	if (src->len)
		qsort(src->items, src->len, sizeof(uint32_t), cmp_ids);
	for (uint32_t i = 0; i < src->len; i++) {
		uint32_t id = src->items[i];
		if ((i && id == src->items[i - 1]) || id >= ws->notes.len || !ws->notes.items[id])
			continue;
		drop_backlinks_from(ws, id);
		resolve_note(ws, id);
	}
	str_list_clear(&ws->changed_names);
	src->len = 0;
}

/* ---- adding and removing -------------------------------------------- */

static uint32_t add_note(struct workspace *ws, struct ws_note *wn)
{
	uint32_t id = ws->notes.len;
	array_push(&ws->notes, wn);
	ws->alive++;
	if (wn->attachment) {
		/* A name links resolve by (and workspace_find finds it by); no
		 * path entry, keys, facts or completion entry. */
		ws->attachments++;
		index_names(ws, id, true);
		return id;
	}
	name_map_add(ws->by_path, slice_from_cstr(wn->abs), id);
	describe(ws, wn);
	index_names(ws, id, true);
	index_keys(ws, id, true);
	index_facts(ws, id, true);
	name_table_note(ws, id);
	return id;
}

static bool same_aliases(const struct note *a, const struct note *b)
{
	if (a->aliases.len != b->aliases.len)
		return false;
	for (uint32_t i = 0; i < a->aliases.len; i++)
		if (!slice_eq(alias_text(a, i), alias_text(b, i)))
			return false;
	return true;
}

/* Which root holds abs, and its path relative to that root. */
static bool locate(const struct workspace *ws, const char *abs, uint32_t *root, const char **rel)
{
	size_t best = 0;
	bool found = false;
	for (uint32_t i = 0; i < ws->roots.len; i++) {
		size_t n = strlen(ws->roots.items[i]);
		if (n > best && strncmp(abs, ws->roots.items[i], n) == 0 && abs[n] == '/') {
			best = n;
			*root = i;
			*rel = abs + n + 1;
			found = true;
		}
	}
	return found;
}

static void forget(struct workspace *ws, uint32_t id);

uint32_t workspace_set_text(struct workspace *ws, const char *abs,
			    const char *text, size_t len)
{
	struct note *note = note_parse(text, len);
	int32_t id = workspace_find(ws, abs);
	if (id >= 0 && ws->notes.items[id]->attachment) {
		/* A file opened as text (an .svg, a .canvas): a note while it is. */
		forget(ws, (uint32_t)id);
		id = -1;
	}
	if (id < 0) {
		uint32_t root = 0;
		const char *rel;
		if (!locate(ws, abs, &root, &rel)) {
			/* A file outside every folder: still a note, named by its path. */
			rel = abs[0] == '/' ? abs + 1 : abs;
		}
		uint32_t nid = add_note(ws, ws_note_new(abs, rel, root, note));
		mark_affected(ws, nid);
		resolve_note(ws, nid);
		resolve_changed(ws);
		return nid;
	}

	struct ws_note *wn = ws->notes.items[id];
	bool names_changed = !same_aliases(wn->note, note);
	/* Links into this note may name headings or blocks it no longer has
	 * (or now has): their notes are resolved again too. */
	struct id_list sources = { 0 };
	for (uint32_t i = 0; i < wn->backlinks.len; i++) {
		uint32_t from = wn->backlinks.items[i].from;
		if (from != (uint32_t)id && (!sources.len || sources.items[sources.len - 1] != from))
			array_push(&sources, from);
	}
	drop_backlinks_from(ws, (uint32_t)id);
	index_facts(ws, (uint32_t)id, false);
	/* Typing in a note mostly leaves its names alone: then the name maps,
	 * and whatever was built from them, stay as they are. */
	if (names_changed) {
		index_names(ws, (uint32_t)id, false);
		index_keys(ws, (uint32_t)id, false);
	}
	note_free(wn->note);
	line_map_fini(&wn->lines);
	free(wn->res);
	wn->note = note;
	line_map_init_compact(&wn->lines, note->text, note->len);
	wn->res = xcalloc(note->links.len ? note->links.len : 1, sizeof(*wn->res));
	bool shown_changed = describe(ws, wn);
	if (names_changed) {
		index_names(ws, (uint32_t)id, true);
		index_keys(ws, (uint32_t)id, true);
	}
	if (names_changed || shown_changed)
		name_table_note(ws, (uint32_t)id);
	index_facts(ws, (uint32_t)id, true);
	mark_affected(ws, (uint32_t)id);
	resolve_note(ws, (uint32_t)id);
	for (uint32_t i = 0; i < sources.len; i++) {
		if (!ws->notes.items[sources.items[i]])
			continue;
		drop_backlinks_from(ws, sources.items[i]);
		resolve_note(ws, sources.items[i]);
	}
	if (names_changed)
		resolve_changed(ws);
	array_free(&sources);
	return (uint32_t)id;
}

/* Takes a note out of the index, without resolving links again. */
static void forget(struct workspace *ws, uint32_t id)
{
	struct ws_note *wn = ws->notes.items[id];
	drop_backlinks_from(ws, id);
	/* Links into it now resolve elsewhere, or to nothing. */
	add_sources(&ws->changed_sources, wn);
	index_facts(ws, id, false);
	index_names(ws, id, false);
	index_keys(ws, id, false);
	if (!wn->attachment)
		name_map_remove(ws->by_path, slice_from_cstr(wn->abs), id);
	ws->notes.items[id] = NULL;
	ws->alive--;
	bool attachment = wn->attachment;
	ws->attachments -= attachment;
	ws_note_free(wn);
	if (!attachment)
		name_table_note(ws, id);
}

void workspace_remove(struct workspace *ws, const char *abs)
{
	int32_t id = workspace_find(ws, abs);
	if (id < 0)
		return;
	forget(ws, (uint32_t)id);
	resolve_changed(ws);
}

uint32_t workspace_retain(struct workspace *ws, bool (*keep)(void *ctx, const struct ws_note *wn),
			  void *ctx)
{
	uint32_t removed = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (wn && !keep(ctx, wn)) {
			forget(ws, id);
			removed++;
		}
	}
	resolve_changed(ws);
	return removed;
}

/* Adds the attachment at abs, under a root, without resolving links again;
 * returns its id or -1. */
static int32_t add_attachment(struct workspace *ws, const char *abs)
{
	uint32_t root = 0;
	const char *rel;
	if (!locate(ws, abs, &root, &rel))
		return -1;
	uint32_t id = add_note(ws, attachment_new(ws, abs, rel, root));
	return (int32_t)id;
}

void workspace_add_files(struct workspace *ws, const char *const *paths, uint32_t n)
{
	struct strbuf text = { 0 };
	for (uint32_t i = 0; i < n; i++) {
		bool truncated;
		if (workspace_find(ws, paths[i]) >= 0)
			continue;
		if (workspace_is_attachment_path(paths[i])) {
			add_attachment(ws, paths[i]);
			continue;
		}
		if (!workspace_read_file(paths[i], MAX_NOTE_BYTES, &text, &truncated))
			continue;
		if (truncated)
			text.len = 0;
		uint32_t root = 0;
		const char *rel;
		if (!locate(ws, paths[i], &root, &rel))
			continue;
		uint32_t id = add_note(ws, ws_note_new(paths[i], rel, root,
						       note_parse(text.ptr ? text.ptr : "", text.len)));
		mark_affected(ws, id);
		array_push(&ws->changed_sources, id);
	}
	strbuf_fini(&text);
	resolve_changed(ws);
}

uint32_t workspace_remove_under(struct workspace *ws, const char *folder)
{
	size_t n = strlen(folder);
	uint32_t removed = 0;
	for (uint32_t id = 0; id < ws->notes.len; id++) {
		struct ws_note *wn = ws->notes.items[id];
		if (wn && strncmp(wn->abs, folder, n) == 0 && wn->abs[n] == '/') {
			forget(ws, id);
			removed++;
		}
	}
	resolve_changed(ws);
	return removed;
}

int32_t workspace_reload(struct workspace *ws, const char *abs)
{
	if (workspace_is_attachment_path(abs)) {
		/* Named, never read: there while it is a regular file. */
		struct stat st;
		int32_t id = workspace_find(ws, abs);
		if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode)) {
			workspace_remove(ws, abs);
			return -1;
		}
		if (id >= 0 && !ws->notes.items[id]->attachment) {
			forget(ws, (uint32_t)id); /* was open as text */
			id = -1;
		}
		if (id < 0) {
			id = add_attachment(ws, abs);
			resolve_changed(ws);
		}
		return id;
	}
	struct strbuf text = { 0 };
	bool truncated;
	int32_t id = -1;
	if (workspace_read_file(abs, MAX_NOTE_BYTES, &text, &truncated)) {
		if (truncated)
			text.len = 0; /* indexed by name only, as in a scan */
		id = (int32_t)workspace_set_text(ws, abs, text.ptr, text.len);
	} else {
		workspace_remove(ws, abs);
	}
	strbuf_fini(&text);
	return id;
}

void workspace_install(struct workspace *ws, struct ws_scan *scan)
{
	ws->bulk = true;
	for (uint32_t i = 0; i < scan->files.len; i++) {
		struct scanned *s = &scan->files.items[i];
		if (s->attachment) {
			if (workspace_find(ws, s->abs) < 0)
				add_note(ws, attachment_new(ws, s->abs, s->rel, s->root));
			/* The index has its own copy: with 100,000 images, the
			 * scan's would double the peak. */
			free(s->abs);
			s->abs = s->rel = NULL;
			continue;
		}
		if (!s->note) /* unread: the scan stopped, or the file is gone */
			continue;
		if (workspace_find(ws, s->abs) >= 0) {
			/* Already there (an open buffer wins over the disk). */
			note_free(s->note);
		} else {
			add_note(ws, ws_note_new(s->abs, s->rel, s->root, s->note));
		}
		s->note = NULL;
	}
	ws_scan_free(scan);
	ws->bulk = false;
	resolve_all(ws);
	workspace_name_table(ws); /* now, rather than in the first completion */
}

uint32_t workspace_phrase_words(const struct workspace *ws, struct slice word)
{
	uint32_t n, max = 0;
	const uint32_t *lens = name_map_get(ws->by_first_word, word, &n);
	for (uint32_t i = 0; i < n; i++)
		if (lens[i] > max)
			max = lens[i];
	return max;
}

int workspace_phrase(const struct workspace *ws, struct slice phrase, uint32_t *note)
{
	uint32_t n;
	const uint32_t *ids = name_map_get(ws->by_stem_key, phrase, &n);
	if (n) {
		*note = ids[0];
		return 0;
	}
	ids = name_map_get(ws->by_alias_key, phrase, &n);
	if (n == 1) {
		*note = ids[0];
		return 1;
	}
	return -1;
}

void workspace_take_affected(struct workspace *ws, struct id_list *out)
{
	for (uint32_t i = 0; i < ws->affected.len; i++) {
		struct ws_note *wn = ws->notes.items[ws->affected.items[i]];
		if (wn) {
			wn->affected = false;
			array_push(out, ws->affected.items[i]);
		}
	}
	ws->affected.len = 0;
}
