/*
 * test_identity_check.c — who is who, as `vault-lsp check` and `vault-lsp
 * people` print it for tests/identity/vault: every name-variant and
 * duplicate-card finding, and every finding that must not be there (a
 * name close to two people, a first name alone, a customer sharing a
 * surname), byte for byte against tests/identity/check.expected and
 * people.expected. A new case is a new line in a note and in the file.
 */
#include "check.h"
#include "harness.h"
#include "people.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	OK(f != NULL);
	struct strbuf t = { 0 };
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&t, buf, n);
	if (f)
		fclose(f);
	return t.ptr ? strbuf_detach(&t) : xstrdup("");
}

/* Runs a command's main on the vault and compares its output with a file;
 * prints the output when they differ, to make a new expected file from. */
static void expect(int (*main_fn)(int, char **, FILE *, FILE *), int argc, char **argv,
		   int code, const char *expected)
{
	char *out = NULL, *err = NULL;
	size_t ol, el;
	FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
	INT_EQ(main_fn(argc, argv, o, e), code);
	fclose(o);
	fclose(e);
	char *want = slurp(expected);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "--- %s differs; got:\n%s--- stderr:\n%s", expected, out, err);
	STR_EQ(out, want);
	free(want);
	free(out);
	free(err);
}

int main(void)
{
	OK(chdir(VAULT_TEST_DIR "/identity") == 0);
	char *check_args[] = { "vault" };
	expect(check_main, 1, check_args, 0, "check.expected");
	char *people_args[] = { "vault" };
	expect(people_main, 1, people_args, 0, "people.expected");
	char *alias_args[] = { "--aliases", "vault" };
	expect(people_main, 2, alias_args, 0, "aliases.expected");
	return harness_done("test_identity_check");
}
