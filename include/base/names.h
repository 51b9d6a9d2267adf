/*
 * names.h — how note names compare, and a map from names to notes.
 *
 * Link targets match file stems and aliases case-insensitively, as
 * Obsidian does, and whatever the Unicode normal form: names compare in
 * NFD (nfd.h), so "Café" typed precomposed names the file macOS wrote
 * decomposed. Case folding covers ASCII, Latin-1, Latin Extended-A, Greek
 * and Cyrillic capitals — the scripts our users' names are written in —
 * and, through decomposition, every accented form of their letters.
 * (Accent folding for fuzzy matching is a separate concern.)
 */
#ifndef VAULT_NAMES_H
#define VAULT_NAMES_H

#include "util.h"

/* Appends the case-folded NFD of s to out. Invalid UTF-8 is copied as is. */
void names_fold(struct slice s, struct strbuf *out);

/* Appends the search key of s: case-folded and accent-folded to ASCII
 * where Latin letters have an ASCII spelling ("Zoë Ólafsdóttir" ->
 * "zoe olafsdottir"), other letters decomposed and their accents dropped,
 * precomposed or not. For fuzzy matching only. */
void names_search_key(struct slice s, struct strbuf *out);

/* A multimap from folded names to note ids. */
struct name_map;

struct name_map *name_map_new(void);
void name_map_free(struct name_map *m);
/* Room for n more keys without growing: for a caller about to add a
 * vault's worth at once, each doubling a rehash of all before. */
void name_map_reserve(struct name_map *m, uint32_t n);
/* key must already be folded. Adding the same (key, id) twice keeps one. */
void name_map_add(struct name_map *m, struct slice key, uint32_t id);
void name_map_remove(struct name_map *m, struct slice key, uint32_t id);
/* The ids under key (valid until the next change), *n = 0 if none. */
const uint32_t *name_map_get(const struct name_map *m, struct slice key, uint32_t *n);

#endif
