/*
 * harness.h — the tiny test harness: OK, INT_EQ, STR_EQ, a summary line
 * "N passed, N failed" that CI reads, and harness_put for fixture files.
 */
#ifndef VAULT_TEST_HARNESS_H
#define VAULT_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_passed, harness_failed;

#define OK(cond)                                                              \
	do {                                                                  \
		if (cond) {                                                   \
			harness_passed++;                                     \
		} else {                                                      \
			harness_failed++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__,      \
				__LINE__, #cond);                             \
		}                                                             \
	} while (0)

#define INT_EQ(a, b)                                                          \
	do {                                                                  \
		long long a_ = (long long)(a), b_ = (long long)(b);           \
		if (a_ == b_) {                                               \
			harness_passed++;                                     \
		} else {                                                      \
			harness_failed++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s == %s (%lld != %lld)\n", \
				__FILE__, __LINE__, #a, #b, a_, b_);          \
		}                                                             \
	} while (0)

#define STR_EQ(a, b)                                                          \
	do {                                                                  \
		const char *a_ = (a), *b_ = (b);                              \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                        \
			harness_passed++;                                     \
		} else {                                                      \
			harness_failed++;                                     \
			fprintf(stderr, "%s:%d: FAILED: %s == %s (\"%s\" != \"%s\")\n", \
				__FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", \
				b_ ? b_ : "(null)");                          \
		}                                                             \
	} while (0)

/* Writes text to the file rel under dir (a vault the test made); a test
 * that cannot write its fixtures stops. */
static inline void harness_put(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/* Prints the summary and gives main's exit code. */
static inline int harness_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif
