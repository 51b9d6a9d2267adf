/*
 * uri.h — file URIs (what the client names documents by) and local paths.
 */
#ifndef VAULT_URI_H
#define VAULT_URI_H

/* "file:///a/b%20c.md" -> "/a/b c.md" (caller frees); NULL if uri is not a
 * local file URI. */
char *uri_to_path(const char *uri);
/* "/a/b c.md" -> "file:///a/b%20c.md" (caller frees). */
char *uri_from_path(const char *path);

#endif
