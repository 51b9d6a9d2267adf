/*
 * diagnose.h — what is wrong in a note, as byte ranges and messages. Shared
 * by the server (textDocument/publishDiagnostics) and `vault-lsp check`, so
 * both always report the same thing. No JSON here.
 */
#ifndef VAULT_DIAGNOSE_H
#define VAULT_DIAGNOSE_H

#include "diag_code.h"
#include "workspace.h"

struct diag_related {
	uint32_t note;      /* workspace id of the note it points into */
	struct span span;
	char *message;
};

enum diag_tag { DIAG_TAG_UNNECESSARY = 1 };

struct diagnostic {
	struct span span;   /* in the diagnosed note's text */
	uint8_t severity;   /* enum diag_severity */
	uint8_t tags;       /* enum diag_tag bits */
	const char *code;   /* "unresolved-link", ... (static) */
	char *message;
	ARRAY(struct diag_related) related;
	/* For quick fixes: the list items a fact finding concerns (-1: none;
	 * other is -1 for a fact repeated in another note),
	 * and replacement texts (link targets that were meant, the repaired
	 * text of mojibake). */
	int32_t item, other;
	struct str_list fixes;
};

struct diag_list { struct diagnostic *items; uint32_t len, cap; };

/* Appends note id's diagnostics to out, sorted by position. The settings
 * are applied here, for the server and `check` alike: nothing for a note
 * diagnosticsIgnore matches, no code `diagnostics:` turns off, and the
 * severity it sets for the others. */
void diagnose_note(struct workspace *ws, uint32_t id, struct diag_list *out);
void diag_list_free(struct diag_list *list);

#endif
