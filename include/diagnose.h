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

/* The codes, for code actions and tests. */
#define DIAG_UNRESOLVED_LINK "unresolved-link"
#define DIAG_AMBIGUOUS_LINK "ambiguous-link"
#define DIAG_UNRESOLVED_HEADING "unresolved-heading"
#define DIAG_UNRESOLVED_BLOCK "unresolved-block"
#define DIAG_INVALID_FRONTMATTER "invalid-frontmatter"
#define DIAG_DUPLICATE_FACT "duplicate-fact"
#define DIAG_NEAR_DUPLICATE_FACT "near-duplicate-fact"
#define DIAG_SUBSUMED_FACT "subsumed-fact"
#define DIAG_MOJIBAKE "mojibake"
#define DIAG_CROSS_NOTE_FACT "cross-note-fact"

/* Is code one of the codes above? */
bool diag_code_known(const char *code);

/* Appends note id's diagnostics to out, sorted by position. The settings
 * are applied here, for the server and `check` alike: nothing for a note
 * diagnosticsIgnore matches, no code `diagnostics:` turns off, and the
 * severity it sets for the others. */
void diagnose_note(struct workspace *ws, uint32_t id, struct diag_list *out);
void diag_list_free(struct diag_list *list);

#endif
