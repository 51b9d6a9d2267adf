/* diag_code.c — the diagnostic codes a user may name in settings. */
#include "diag_code.h"

#include <string.h>

static const char *const codes[] = {
	DIAG_UNRESOLVED_LINK, DIAG_AMBIGUOUS_LINK, DIAG_UNRESOLVED_HEADING, DIAG_UNRESOLVED_BLOCK,
	DIAG_INVALID_FRONTMATTER, DIAG_DUPLICATE_FACT, DIAG_NEAR_DUPLICATE_FACT, DIAG_SUBSUMED_FACT,
	DIAG_MOJIBAKE, DIAG_CROSS_NOTE_FACT, DIAG_NAME_VARIANT, DIAG_DUPLICATE_CARD,
};

bool diag_code_known(const char *code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i], code) == 0)
			return true;
	return false;
}

unsigned diag_code_count(void)
{
	return (unsigned)(sizeof(codes) / sizeof(codes[0]));
}

const char *diag_code_name(unsigned i)
{
	return i < diag_code_count() ? codes[i] : NULL;
}
