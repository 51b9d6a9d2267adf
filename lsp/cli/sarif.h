/*
 * sarif.h — `vault-lsp check --format sarif`: the diagnostics as one SARIF
 * 2.1.0 log (OASIS Static Analysis Results Interchange Format), for
 * code-scanning tools. One run; a rule per diagnostic code; a result per
 * diagnostic, its file given relative to the base VAULTROOT (the checked
 * folder, whose file:// URI originalUriBaseIds gives); regions in Unicode
 * code points (columnKind unicodeCodePoints), as check's text columns are;
 * the diagnostic's suggestions as fixes where they are replacements of
 * text in the note (a "did you mean" link target, a card's name, repaired
 * mojibake).
 */
#ifndef VAULT_SARIF_H
#define VAULT_SARIF_H

#include "diagnose.h"

#include <stdio.h>

struct sarif;

/* A log for the vault at root (its real, absolute path). */
struct sarif *sarif_new(const char *root);
void sarif_add(struct sarif *s, struct workspace *ws, const struct ws_note *wn,
	       const struct diagnostic *d);
/* Writes the log to out (indented JSON and a newline) and frees s. */
void sarif_finish(struct sarif *s, FILE *out);

/* The SARIF level of a diagnostic severity: error, warning or note. */
const char *sarif_level(int severity);

#endif
