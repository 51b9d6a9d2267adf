/*
 * check.h — `vault-lsp check [OPTIONS] PATH`: index a vault and print every
 * diagnostic the server would publish, as text lines
 *   path:line:column: severity: message [code]
 * (line and column 1-based; the column counts Unicode code points) and a
 * summary, as JSON lines, or as a SARIF 2.1.0 log (sarif.h); filtered by
 * code and severity, with a progress line on a terminal (progress.h).
 */
#ifndef VAULT_CHECK_H
#define VAULT_CHECK_H

#include <stdio.h>

/* argv holds the arguments after "check". Returns the exit code: 0 when no
 * diagnostic reported is at the --fail-on level (error by default) or
 * above, 1 when one is, 2 on bad usage or a folder that cannot be read. */
int check_main(int argc, char **argv, FILE *out, FILE *err);

#endif
