/*
 * check.h — `vault-lsp check PATH`: index a vault and print every
 * diagnostic the server would publish, as
 *   path:line:column: severity: message [code]
 * (line and column 1-based; the column counts characters), then a summary.
 */
#ifndef VAULT_CHECK_H
#define VAULT_CHECK_H

#include <stdio.h>

/* argv holds the arguments after "check". Returns the exit code: 0 when no
 * error-level diagnostic was found, 1 when one was, 2 on bad usage or a
 * vault that cannot be read. */
int check_main(int argc, char **argv, FILE *out, FILE *err);

#endif
