/*
 * fuzz.h — what every fuzz target shares: the libFuzzer entry points and
 * CHECK, an assertion that survives NDEBUG (RelWithDebInfo defines it) and
 * says what broke before it aborts, so libFuzzer and replay.c both report
 * it as a crash with the input that caused it.
 *
 * Each fuzz_<target>.c defines both entry points; replay.c links one of
 * them and runs it on files, without libFuzzer.
 */
#ifndef VAULT_FUZZ_H
#define VAULT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",      \
				__FILE__, __LINE__, #cond);                   \
			abort();                                              \
		}                                                             \
	} while (0)

#endif
