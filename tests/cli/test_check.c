/*
 * test_check.c — `vault-lsp check`: its output on the fixture vault is
 * exactly tests/check/vault.expected (the vault's unresolved and ambiguous
 * links and its one invalid frontmatter, nothing else), its exit codes, and
 * the same through the real binary; then the cases of
 * tests/check/settings.cases: the same vault under settings.
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

static int count_of(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static bool contains(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	return p != NULL;
}

static void sh(const char *cmd)
{
	if (system(cmd) != 0)
		fprintf(stderr, "failed: %s\n", cmd);
}

/* Runs one case on a fresh copy of the vault in dir; *what (stolen) is its
 * expectations, one "key: value" a line. */
struct settings_case {
	char *name;
	struct strbuf setup, expect, args;
};

static void run_settings_case(const char *dir, struct settings_case *c)
{
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/vault' && cp -r '%s/vault' '%s/vault'", dir,
		 VAULT_TEST_DIR, dir);
	sh(cmd);
	OK(chdir(dir) == 0);
	for (char *line = strtok(c->setup.ptr ? c->setup.ptr : (char[]){ 0 }, "\n"); line;
	     line = strtok(NULL, "\n")) {
		if (strncmp(line, "yaml: ", 6) == 0) {
			FILE *f = fopen("vault/.vault-lsp.yaml", "a");
			fprintf(f, "%s\n", line + 6);
			fclose(f);
		} else if (strncmp(line, "touch: ", 7) == 0) {
			snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname 'vault/%s')\" && touch 'vault/%s'",
				 line + 7, line + 7);
			sh(cmd);
		}
	}
	/* The command line: "args:" words (one a word, no quoting), then the
	 * folder. */
	char *args[32];
	int n_args = 0;
	for (char *p = c->args.ptr ? c->args.ptr : (char[]){ 0 }; (p = strtok(p, " \n")) && n_args < 31;
	     p = NULL)
		args[n_args++] = p;
	args[n_args++] = "vault";
	char *out, *err;
	int code = run_check(args, n_args, &out, &err);
	int failed_before = harness_failed;
	for (char *line = strtok(c->expect.ptr ? c->expect.ptr : (char[]){ 0 }, "\n"); line;
	     line = strtok(NULL, "\n")) {
		if (strncmp(line, "exit: ", 6) == 0)
			INT_EQ(code, atoi(line + 6));
		else if (strncmp(line, "out: ", 5) == 0)
			OK(contains(out, line + 5));
		else if (strncmp(line, "no-out: ", 8) == 0)
			OK(!contains(out, line + 8));
		else if (strncmp(line, "err-once: ", 10) == 0)
			INT_EQ(count_of(err, line + 10), 1);
		else if (strncmp(line, "no-err: ", 8) == 0)
			OK(!contains(err, line + 8));
		else if (strncmp(line, "err: ", 5) == 0)
			OK(contains(err, line + 5));
		else if (strncmp(line, "lines: ", 7) == 0)
			INT_EQ(count_of(out, "\n"), atoi(line + 7));
		else
			OK(!"unknown directive in settings.cases");
		if (harness_failed != failed_before) {
			fprintf(stderr, "settings.cases: '%s': failed at '%s'\n--- stdout:\n%s--- stderr:\n%s",
				c->name, line, out, err);
			break;
		}
	}
	free(out);
	free(err);
}

static void run_settings_cases(void)
{
	char *text = read_file(VAULT_TEST_DIR "/check/settings.cases");
	char dir[] = "/tmp/vault-check-settings-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	struct settings_case c = { 0 };
	int cases = 0;
	char *save = NULL;
	for (char *line = text; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		bool last = !save;
		if (strncmp(line, "=== ", 4) == 0 || last) {
			if (c.name) {
				run_settings_case(dir, &c);
				cases++;
			}
			free(c.name);
			strbuf_fini(&c.setup);
			strbuf_fini(&c.expect);
			strbuf_fini(&c.args);
			memset(&c, 0, sizeof(c));
			if (!last)
				c.name = xstrdup(line + 4);
		} else if (line[0] == '#' || !line[0]) {
			continue;
		} else if (strncmp(line, "args: ", 6) == 0) {
			strbuf_printf(&c.args, "%s ", line + 6);
		} else if (strncmp(line, "yaml: ", 6) == 0 || strncmp(line, "touch: ", 7) == 0) {
			strbuf_printf(&c.setup, "%s\n", line);
		} else {
			strbuf_printf(&c.expect, "%s\n", line);
		}
	}
	OK(cases >= 10);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	sh(cmd);
	free(text);
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
	int with_fixes = 0, bad_fixes = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		json_t *j = json_loads(line, 0, NULL);
		OK(json_is_object(j));
		objects++;
		const char *code = json_string_value(json_object_get(j, "code"));
		const char *path = json_string_value(json_object_get(j, "path"));
		if (code && path && strcmp(code, "duplicate-fact") == 0 &&
		    strcmp(path, "vault/People/Priya Natarajan.md") == 0) {
			found_dup = true;
			/* Every member, as written (check.c writes the text). */
			INT_EQ(json_object_size(j), 9);
			INT_EQ(json_integer_value(json_object_get(j, "line")), 16);
			INT_EQ(json_integer_value(json_object_get(j, "column")), 3);
			INT_EQ(json_integer_value(json_object_get(j, "endLine")), 16);
			OK(json_integer_value(json_object_get(j, "endColumn")) > 3);
			STR_EQ(json_string_value(json_object_get(j, "severity")), "warning");
			OK(strncmp(json_string_value(json_object_get(j, "message")), "Duplicate fact", 14) == 0);
			json_t *rel = json_array_get(json_object_get(j, "related"), 0);
			INT_EQ(json_object_size(rel), 6);
			STR_EQ(json_string_value(json_object_get(rel, "path")), "vault/People/Priya Natarajan.md");
			INT_EQ(json_integer_value(json_object_get(rel, "line")), 14);
			STR_EQ(json_string_value(json_object_get(rel, "message")), "first written here");
		}
		json_t *fixes = json_object_get(j, "fixes");
		if (fixes) {
			with_fixes++;
			bad_fixes += !json_array_size(fixes) || !json_is_string(json_array_get(fixes, 0));
		}
		json_decref(j);
	}
	INT_EQ(objects, text_lines - 1);
	OK(found_dup);
	OK(with_fixes > 0);
	INT_EQ(bad_fixes, 0);
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
	/* A file is not a vault (it would look like an empty one). */
	char *file[] = { "check/vault.expected" };
	INT_EQ(run_check(file, 1, &out, &err), 2);
	OK(strstr(err, "cannot open check/vault.expected: not a folder") != NULL);
	free(out);
	free(err);
	char *no_value[] = { "vault", "--code" };
	INT_EQ(run_check(no_value, 2, &out, &err), 2);
	OK(strstr(err, "--code needs a value") != NULL);
	free(out);
	free(err);
	/* --help on stdout, exit 0, with the exit status documented. */
	char *help[] = { "--help" };
	INT_EQ(run_check(help, 1, &out, &err), 0);
	OK(strstr(out, "usage: vault-lsp check") != NULL);
	OK(strstr(out, "Exit status: 0 when") != NULL);
	STR_EQ(err, "");
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
	run_settings_cases();
	return harness_done("test_check");
}
