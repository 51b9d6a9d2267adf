/*
 * ignore.h — gitignore-style ignore rules and the globs they are made of.
 *
 * Matching is byte-exact and case-sensitive (as git on Linux). Paths are not
 * normalised: an NFD name only matches an NFD pattern.
 */
#ifndef VAULT_IGNORE_H
#define VAULT_IGNORE_H

#include "util.h"

/* A compiled set of gitignore-style patterns. */
struct ignore;

struct ignore *ignore_new(void);
/* Accepts NULL. */
void ignore_free(struct ignore *ig);
/* Adds one gitignore line: blank lines and "#" comments are skipped;
 * trailing spaces are dropped unless escaped ("a\ "); "!" negates (the last
 * matching line wins); a trailing "/" matches folders only; a pattern with
 * a "/" other than a trailing one is anchored at the root, any other
 * pattern matches a name at any depth; "*", "?", "[...]" and "**" as in
 * ignore_glob_match. A trailing "\r" (CRLF files) is dropped. */
void ignore_add(struct ignore *ig, const char *pattern, size_t len);
/* Adds every line of a .gitignore file's text (a leading UTF-8 BOM is
 * skipped). */
void ignore_add_lines(struct ignore *ig, const char *text, size_t len);
/* rel: a root-relative path with '/' separators, no leading '/'. True when
 * rel or one of its parent folders is ignored: as in git, a file inside an
 * ignored folder cannot be re-included by a "!" line. ig may be NULL (then
 * nothing is ignored). */
bool ignore_match(const struct ignore *ig, const char *rel, bool is_dir);
/* rel[0..len) itself, ignoring its parents; the last matching rule wins.
 * For the walk: it never enters an ignored folder, so the parents are
 * already known to be kept. ig may be NULL. */
bool ignore_match_self(const struct ignore *ig, const char *rel, size_t len, bool is_dir);

/*
 * One glob against a whole root-relative path. "*" and "?" never match '/';
 * "?" matches one UTF-8 character (or one byte of invalid UTF-8); "[abc]",
 * "[a-z]" (by code point), "[!x]" and "[^x]" match one character other
 * than '/'; "\" escapes the next character; "**" as a whole segment
 * ("**" + "/x", "a/" + "**" + "/b", "a/" + "**") matches zero or more whole
 * segments, elsewhere it is a "*". An unclosed "[" is a literal; a
 * pattern ending in a lone "\" matches nothing.
 * Time O(len(pattern) * len(path)), whatever the pattern.
 */
bool ignore_glob_match(const char *pattern, const char *path);

#endif
