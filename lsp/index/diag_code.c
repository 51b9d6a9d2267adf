/* diag_code.c — the diagnostic codes a user may name in settings, and
 * their order where a file keeps a code as a number. */
#include "diag_code.h"

#include <string.h>

static const char *const codes[] = {
	DIAG_UNRESOLVED_LINK, DIAG_AMBIGUOUS_LINK, DIAG_UNRESOLVED_HEADING, DIAG_UNRESOLVED_BLOCK,
	DIAG_INVALID_FRONTMATTER, DIAG_DUPLICATE_FACT, DIAG_NEAR_DUPLICATE_FACT, DIAG_SUBSUMED_FACT,
	DIAG_MOJIBAKE, DIAG_CROSS_NOTE_FACT, DIAG_NAME_VARIANT, DIAG_DUPLICATE_CARD,
};

#define N_CODES (sizeof(codes) / sizeof(codes[0]))

bool diag_code_known(const char *code)
{
	return diag_code_index(code) >= 0;
}

int diag_code_index(const char *code)
{
	for (size_t i = 0; i < N_CODES; i++)
		if (strcmp(codes[i], code) == 0)
			return (int)i;
	return -1;
}

unsigned diag_code_count(void)
{
	return (unsigned)N_CODES;
}

const char *diag_code_name(unsigned i)
{
	return i < N_CODES ? codes[i] : NULL;
}
