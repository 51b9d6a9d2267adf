/*
 * diagnose.h — what is wrong in a note, as byte ranges and messages. Shared
 * by the server (textDocument/publishDiagnostics) and `vault-lsp check`, so
 * both always report the same thing. No JSON here.
 */
#ifndef VAULT_DIAGNOSE_H
#define VAULT_DIAGNOSE_H

#include "workspace.h"

enum diag_severity { DIAG_ERROR = 1, DIAG_WARNING = 2, DIAG_INFO = 3, DIAG_HINT = 4 };

struct diag_related {
	uint32_t note;      /* workspace id of the note it points into */
	struct span span;
	char *message;
};

struct diagnostic {
	struct span span;   /* in the diagnosed note's text */
	uint8_t severity;   /* enum diag_severity */
	const char *code;   /* "unresolved-link", ... (static) */
	char *message;
	ARRAY(struct diag_related) related;
};

struct diag_list { struct diagnostic *items; uint32_t len, cap; };

/* Appends note id's diagnostics to out, sorted by position. */
void diagnose_note(const struct workspace *ws, uint32_t id, struct diag_list *out);
void diag_list_free(struct diag_list *list);

#endif
