/*
 * diag_code.h — what a diagnostic is called and how severe it can be: the
 * codes the server publishes and that `diagnostics:` settings may name,
 * and LSP's severities.
 */
#ifndef VAULT_DIAG_CODE_H
#define VAULT_DIAG_CODE_H

#include <stdbool.h>

enum diag_severity { DIAG_ERROR = 1, DIAG_WARNING = 2, DIAG_INFO = 3, DIAG_HINT = 4 };

/* The codes. */
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
#define DIAG_NAME_VARIANT "name-variant"
#define DIAG_DUPLICATE_CARD "duplicate-card"

/* Is code one of the codes above? */
bool diag_code_known(const char *code);
/* The codes in a fixed order, for what stores a code as a number: the
 * i-th (NULL past the last, its static string otherwise), and the
 * position of code (-1 for none). */
const char *diag_code_at(unsigned i);
int diag_code_index(const char *code);

#endif
