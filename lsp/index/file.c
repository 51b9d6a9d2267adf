/* file.c — reading a file whole, within a limit. */
#include "file.h"

#include <stdio.h>

bool file_read(const char *abs, size_t max, struct strbuf *out, bool *truncated)
{
	if (!out->ptr)
		strbuf_init(out);
	out->len = 0;
	out->ptr[0] = '\0';
	*truncated = false;
	FILE *f = fopen(abs, "rb");
	if (!f)
		return false;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + got > max) {
			*truncated = true;
			break;
		}
		strbuf_put(out, chunk, got);
	}
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}
