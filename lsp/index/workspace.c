/* workspace.c — the vault index itself: made, configured, freed; its
 * roots, and its notes by id or by path. */
#include "walk.h"
#include "workspace_impl.h"

#include <stdlib.h>
#include <string.h>

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
	if (ws->suggester)
		ws->suggester_free(ws->suggester);
	if (ws->identity)
		ws->identity_free(ws->identity);
	array_free(&ws->told_cached);
	array_free(&ws->name_table);
	array_free(&ws->name_extra);
	free(ws->name_by_first);
	free(ws->name_by_word);
	strbuf_fini(&ws->name_keys);
	for (int i = 0; i < WS_EXT_COUNT; i++)
		if (ws->ext[i].state)
			ws->ext[i].free(ws->ext[i].state);
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
	struct slice key = name_maps_fold(slice_from_cstr(base ? base + 1 : abs), &tmp);
	ids = name_map_get(ws->by_stem, key, &n);
	int32_t found = -1;
	for (uint32_t i = 0; i < n && found < 0; i++)
		if (ws->notes.items[ids[i]]->attachment && strcmp(ws->notes.items[ids[i]]->abs, abs) == 0)
			found = (int32_t)ids[i];
	strbuf_fini(&tmp);
	return found;
}

uint64_t workspace_generation(const struct workspace *ws)
{
	return ws->gen;
}

uint64_t workspace_names_generation(const struct workspace *ws)
{
	return (uint64_t)ws->names_gen + ws->people_gen + ws->titles_gen;
}

void workspace_set_config(struct workspace *ws, const struct config *cfg)
{
	ws->gen++;
	config_fini(&ws->cfg);
	config_copy(&ws->cfg, cfg);
	ignore_free(ws->diag_ignore);
	ws->diag_ignore = compile_globs(&ws->cfg.diag_ignore);
	for (uint32_t i = 0; i < ws->notes.len; i++)
		if (ws->notes.items[i] && !ws->notes.items[i]->attachment)
			ws_note_describe(ws, ws->notes.items[i]);
	ws->titles_gen++; /* kinds follow folders: the name table starts afresh */
}

