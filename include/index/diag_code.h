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
/* The codes above, in a fixed order, for what lists them or stores a code
 * as a number: i < diag_code_count() (diag_code_name is NULL past the
 * last), and the position of code (-1 for none). */
unsigned diag_code_count(void);
const char *diag_code_name(unsigned i);
int diag_code_index(const char *code);

#endif
