/*
 * test_precision.c — fact diagnostics on notes that are not our users'
 * kind (documentation, step lists, link lists, parallel sections, math,
 * code, templates): `vault-lsp check` on tests/precision/vault gives
 * exactly the fact diagnostics listed in tests/precision/expected.txt,
 * no more, no fewer. A new case is a new note and, if it is a true
 * finding, a new line.
 */
#include "check.h"
#include "harness.h"
#include "util.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of text, without blank and '#' lines. */
static void lines_of(char *text, struct str_list *out)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (line[0] && line[0] != '#')
			str_list_push(out, line);
	qsort(out->items, out->len, sizeof(char *), cmp_str);
}

int main(void)
{
	OK(chdir(VAULT_TEST_DIR "/precision") == 0);
	char *out = NULL, *err = NULL;
	size_t ol, el;
	FILE *o = open_memstream(&out, &ol), *e = open_memstream(&err, &el);
	char *args[] = { "--format", "json", "vault" };
	INT_EQ(check_main(3, args, o, e), 0);
	fclose(o);
	fclose(e);

	struct strbuf got = { 0 };
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		json_t *j = json_loads(line, 0, NULL);
		OK(json_is_object(j));
		const char *code = json_string_value(json_object_get(j, "code"));
		const char *path = json_string_value(json_object_get(j, "path"));
		json_t *rel = json_array_get(json_object_get(j, "related"), 0);
		if (code && path && strstr(code, "fact") && strncmp(path, "vault/", 6) == 0)
			strbuf_printf(&got, "%s:%d %s %d\n", path + 6,
				      (int)json_integer_value(json_object_get(j, "line")), code,
				      (int)json_integer_value(json_object_get(rel, "line")));
		json_decref(j);
	}

	FILE *f = fopen("expected.txt", "rb");
	OK(f != NULL);
	struct strbuf want = { 0 };
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&want, buf, n);
	if (f)
		fclose(f);

	struct str_list g = { 0 }, w = { 0 };
	lines_of(got.ptr ? got.ptr : "", &g);
	lines_of(want.ptr ? want.ptr : "", &w);
	/* Both sorted: walk them together and name every difference. */
	uint32_t i = 0, k = 0;
	while (i < g.len || k < w.len) {
		int c = i == g.len ? 1 : k == w.len ? -1 : strcmp(g.items[i], w.items[k]);
		if (c < 0)
			fprintf(stderr, "unexpected: %s\n", g.items[i++]);
		else if (c > 0)
			fprintf(stderr, "missing:    %s\n", w.items[k++]);
		else
			i++, k++;
		OK(c == 0);
	}
	INT_EQ(g.len, w.len);
	fprintf(stderr, "%u fact diagnostics, as expected.txt lists\n", g.len);

	str_list_free(&g);
	str_list_free(&w);
	strbuf_fini(&got);
	strbuf_fini(&want);
	free(out);
	free(err);
	return harness_done("test_precision");
}
