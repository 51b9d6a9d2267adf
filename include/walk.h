/*
 * walk.h — finding the notes of a vault on disk, and ignore rules.
 *
 * walk_vault lists every *.md file below a root, skipping .git, .obsidian,
 * node_modules, hidden files and folders, paths matched by the root's
 * .gitignore and by the configured ignore globs. Symbolic links are never
 * followed (so no loop, and nothing outside the root). Unreadable folders
 * are skipped and reported through the callback's error path.
 */
#ifndef VAULT_WALK_H
#define VAULT_WALK_H

#include "util.h"

/* A compiled set of gitignore-style patterns. */
struct ignore;

struct ignore *ignore_new(void);
void ignore_free(struct ignore *ig);
/* Adds one gitignore line: blank lines and "#" comments are skipped; "!"
 * negates; a trailing "/" matches folders only; a pattern with a "/" other
 * than a trailing one is anchored at the root; "*", "?", "[...]" and "**"
 * as in git. */
void ignore_add(struct ignore *ig, const char *pattern, size_t len);
/* Adds every line of a .gitignore file's text. */
void ignore_add_lines(struct ignore *ig, const char *text, size_t len);
/* rel: a root-relative path with '/' separators, no leading '/'. */
bool ignore_match(const struct ignore *ig, const char *rel, bool is_dir);

/* One glob against a whole root-relative path ("**" crosses folders). */
bool glob_match(const char *pattern, const char *path);

struct walk_file {
	const char *rel;   /* root-relative path, '/' separators */
	const char *abs;   /* absolute path */
	uint64_t size;
	int64_t mtime_ns;
};

/* Called for each note found; return false to stop the walk. */
typedef bool (*walk_fn)(void *ctx, const struct walk_file *file);
/* Called for each folder or file that could not be read. */
typedef void (*walk_error_fn)(void *ctx, const char *abs, const char *what);

/*
 * Walks root (an absolute path). extra may be NULL; the root's .gitignore is
 * read by the walk itself. Returns false if root itself cannot be opened.
 */
bool walk_vault(const char *root, const struct ignore *extra, walk_fn fn,
		walk_error_fn on_error, void *ctx);

#endif
