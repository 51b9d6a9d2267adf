/*
 * test_check.c — `vault-lsp check`: its output on the fixture vault is
 * exactly tests/check/vault.expected (the vault's unresolved and ambiguous
 * links and its one invalid frontmatter, nothing else), its exit codes, and
 * the same through the real binary.
 */
#include "check.h"
#include "harness.h"
#include "util.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return xstrdup("");
	struct strbuf b;
	strbuf_init(&b);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&b, buf, n);
	fclose(f);
	return strbuf_detach(&b);
}

static int run_check(char **args, int n, char **out, char **err)
{
	size_t ol, el;
	FILE *o = open_memstream(out, &ol), *e = open_memstream(err, &el);
	int code = check_main(n, args, o, e);
	fclose(o);
	fclose(e);
	return code;
}

int main(void)
{
	/* Paths are printed as the root was given: run from tests/. */
	OK(chdir(VAULT_TEST_DIR) == 0);
	char *out, *err;
	char *args[] = { "vault" };
	INT_EQ(run_check(args, 1, &out, &err), 1); /* Broken Frontmatter is an error */
	char *expected = read_file("check/vault.expected");
	STR_EQ(out, expected);
	if (strcmp(out, expected) != 0)
		fprintf(stderr, "--- got:\n%s", out);
	STR_EQ(err, "");
	free(out);
	free(err);

	/* JSON: one object a line, as many as text lines less the summary;
	 * the summary on stderr. */
	char *jargs[] = { "--format", "json", "vault" };
	INT_EQ(run_check(jargs, 3, &out, &err), 1);
	int objects = 0, text_lines = 0;
	for (char *p = expected; *p; p++)
		text_lines += *p == '\n';
	bool found_dup = false;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		json_t *j = json_loads(line, 0, NULL);
		OK(json_is_object(j));
		objects++;
		const char *code = json_string_value(json_object_get(j, "code"));
		const char *path = json_string_value(json_object_get(j, "path"));
		if (code && path && strcmp(code, "duplicate-fact") == 0 &&
		    strcmp(path, "vault/People/Priya Natarajan.md") == 0) {
			found_dup = true;
			INT_EQ(json_integer_value(json_object_get(j, "line")), 16);
			INT_EQ(json_integer_value(json_object_get(j, "column")), 3);
			json_t *rel = json_array_get(json_object_get(j, "related"), 0);
			INT_EQ(json_integer_value(json_object_get(rel, "line")), 14);
		}
		json_decref(j);
	}
	INT_EQ(objects, text_lines - 1);
	OK(found_dup);
	OK(strstr(err, "14 notes: 1 errors") != NULL);
	free(out);
	free(err);

	/* Bad usage and a missing folder: exit 2 with a message. */
	char *none[] = { "no/such/folder" };
	INT_EQ(run_check(none, 1, &out, &err), 2);
	OK(strstr(err, "cannot open") != NULL);
	free(out);
	free(err);
	char *two[] = { "vault", "vault" };
	INT_EQ(run_check(two, 2, &out, &err), 2);
	free(out);
	free(err);
	INT_EQ(run_check(NULL, 0, &out, &err), 2);
	free(out);
	free(err);

	/* A vault without errors exits 0: the vault's People folder alone
	 * still has Broken Frontmatter, Projects has none. */
	char *projects[] = { "vault/Projects" };
	INT_EQ(run_check(projects, 1, &out, &err), 0);
	OK(strstr(out, "2 notes: 0 errors") != NULL);
	free(out);
	free(err);

	/* The real binary prints the same. */
	FILE *p = popen(VAULT_BINARY " check vault", "r");
	OK(p != NULL);
	if (p) {
		struct strbuf b;
		strbuf_init(&b);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
			strbuf_put(&b, buf, n);
		int status = pclose(p);
		STR_EQ(b.ptr, expected);
		INT_EQ(WEXITSTATUS(status), 1);
		strbuf_fini(&b);
	}
	free(expected);
	return harness_done("test_check");
}
