/*
 * walk.h — finding the notes of a vault on disk.
 *
 * walk_vault lists every *.md file below a root, skipping .git, .obsidian,
 * node_modules, hidden files and folders, paths matched by the root's
 * .gitignore and by the configured ignore globs (ignore.h). Symbolic links
 * are never followed (so no loop, and nothing outside the root). Unreadable
 * folders are skipped and reported through the callback's error path.
 *
 * Matching is byte-exact and case-sensitive (as git on Linux), except the
 * ".md" extension, which matches in any case. Paths are not normalised: an
 * NFD name only matches an NFD pattern.
 */
#ifndef VAULT_WALK_H
#define VAULT_WALK_H

#include "ignore.h"
#include "util.h"

struct walk_file {
	const char *rel;   /* root-relative path, '/' separators */
	const char *abs;   /* absolute path */
	uint64_t size;     /* notes only: an attachment is not stat'ed */
	int64_t mtime_ns;  /* notes only */
	int64_t ctime_ns;  /* notes only */
	uint64_t ino;      /* notes only */
	bool attachment;   /* any file but a note (walk_vault_files only) */
};

/* Called for each note found; return false to stop the walk. file and its
 * strings are valid only during the call. */
typedef bool (*walk_fn)(void *ctx, const struct walk_file *file);
/* Called for each folder or file that could not be read; what is a short
 * English message ("cannot open folder: Permission denied"). */
typedef void (*walk_error_fn)(void *ctx, const char *abs, const char *what);

/*
 * Walks root (an absolute path; the root itself may be a symbolic link, the
 * links below it are not followed). extra may be NULL; the root's
 * .gitignore is read by the walk itself. on_error may be NULL.
 *
 * Order is deterministic: depth first, and within a folder by the byte
 * order (strcmp) of the names, folders and notes interleaved. So "a/x.md"
 * comes before "a b/x.md", which comes before "a.md".
 *
 * Notes are regular files named *.md (any case) that are readable; FIFOs,
 * devices and symbolic links named *.md are skipped silently. Folders nested
 * deeper than 100 levels, or seen twice (bind mounts), are reported through
 * on_error and skipped.
 *
 * Returns false (after calling on_error) if root itself cannot be opened;
 * true otherwise, including when fn stopped the walk.
 */
bool walk_vault(const char *root, const struct ignore *extra, walk_fn fn,
		walk_error_fn on_error, void *ctx);

/* The same walk, also reporting every other regular file under the same
 * rules (hidden names, node_modules, ignore rules, no symbolic links) with
 * file->attachment set: images, PDFs, canvases... Attachments are named,
 * never opened or stat'ed. */
bool walk_vault_files(const char *root, const struct ignore *extra, walk_fn fn,
		      walk_error_fn on_error, void *ctx);

/*
 * Would walk_vault(root, extra) report the note at rel (root-relative)?
 * The same rules for one path: a ".md" name, no hidden or node_modules
 * component, not matched by the root's .gitignore (read anew) or extra.
 * For file events, which name one path at a time.
 */
bool walk_accepts(const char *root, const struct ignore *extra, const char *rel);
/* Would walk_vault_files report the file (note or attachment) at rel? */
bool walk_accepts_file(const char *root, const struct ignore *extra, const char *rel);

/*
 * A root holding logseq/config.edn is a Logseq graph, whose pages name
 * each other in ways we do not read (alias:: and title:: properties,
 * "a___b.md" namespace files). Returns the one-line warning to give the
 * user about it, naming the root as `shown`, or NULL for any other
 * folder. Caller frees. The server and `check` say the same.
 */
char *walk_logseq_notice(const char *root, const char *shown);

#endif
