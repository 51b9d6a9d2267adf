/*
 * file.h — reading a file whole, within a limit: how the index reads a
 * note (workspace_scan, workspace_reload) and how the checker reads one.
 */
#ifndef VAULT_FILE_H
#define VAULT_FILE_H

#include "util.h"

/* Reads a file into out (reset first), at most max bytes: *truncated
 * says the file is larger, and out then holds only the part read before
 * the limit (the index drops it). False when it cannot be read. */
bool file_read(const char *abs, size_t max, struct strbuf *out, bool *truncated);

#endif
