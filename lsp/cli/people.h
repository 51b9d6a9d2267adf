/*
 * people.h — `vault-lsp people PATH`: who is who in a vault, for the owner
 * of a pipeline cleaning it in bulk. Prints; never writes.
 */
#ifndef VAULT_PEOPLE_H
#define VAULT_PEOPLE_H

#include <stdio.h>

/* argv holds the arguments after "people". Returns the exit code: 0, or
 * 2 on bad usage or a vault that cannot be read. */
int people_main(int argc, char **argv, FILE *out, FILE *err);

#endif
