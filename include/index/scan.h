/*
 * scan.h — reading files for the index. (workspace_scan, which reads and
 * parses a whole vault with it, is declared in workspace.h.)
 */
#ifndef VAULT_SCAN_H
#define VAULT_SCAN_H

#include "util.h"

/* Reads a file into out (reset first), at most max bytes: *truncated
 * says a larger file was cut there. False when it cannot be read. */
bool scan_read_file(const char *abs, size_t max, struct strbuf *out, bool *truncated);

#endif
