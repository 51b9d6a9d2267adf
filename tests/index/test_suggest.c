/*
 * test_suggest.c — did-you-mean names for a link target that resolves to
 * nothing: the closest stems and aliases first, accents and case ignored,
 * at most max, one per note, and remembered only until a name comes.
 */
#include "harness.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT "/vault-suggest"

static uint32_t set(struct workspace *ws, const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), ROOT "/%s", rel);
	return workspace_set_text(ws, path, text, strlen(text));
}

/* The suggestions for target, as "name" strings joined by '|'. */
static void suggest(struct workspace *ws, const char *target, uint32_t max, char *out, size_t n)
{
	struct id_list ids = { 0 };
	struct cstr_list names = { 0 };
	workspace_suggest(ws, slice_from_cstr(target), max, &ids, &names);
	INT_EQ(ids.len, names.len);
	out[0] = '\0';
	for (uint32_t i = 0; i < names.len; i++) {
		if (i)
			strncat(out, "|", n - strlen(out) - 1);
		strncat(out, names.items[i], n - strlen(out) - 1);
	}
	array_free(&ids);
	array_free(&names);
}

int main(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	set(ws, "Project Alpha.md", "# Alpha\n");
	set(ws, "Project Alps.md", "");
	set(ws, "Project Beta.md", "");
	uint32_t zoe = set(ws, "Zoë Ólafsdóttir.md", "");
	uint32_t ragnar = set(ws, "Ragnar Eiriksson.md", "---\naliases: [Ragnar Eriksson]\n---\n");
	char got[512];

	/* One letter off, then three: the closest first. Beta is too far. */
	suggest(ws, "Projekt Alpha", 8, got, sizeof(got));
	STR_EQ(got, "Project Alpha|Project Alps");
	suggest(ws, "Projekt Alpha", 1, got, sizeof(got));
	STR_EQ(got, "Project Alpha");
	/* ".md", case and surrounding blanks do not count. */
	suggest(ws, " PROJEKT ALPHA.md ", 1, got, sizeof(got));
	STR_EQ(got, "Project Alpha");

	/* Accents and case ignored; the name as the note spells it. */
	struct id_list ids = { 0 };
	workspace_suggest(ws, SLICE_LIT("zoe olafsdotir"), 8, &ids, NULL);
	INT_EQ(ids.len, 1);
	if (ids.len)
		INT_EQ(ids.items[0], zoe);
	suggest(ws, "ZOE OLAFSDOTIR", 8, got, sizeof(got));
	STR_EQ(got, "Zoë Ólafsdóttir");

	/* An alias is a name too; one suggestion per note, its closest. */
	ids.len = 0;
	workspace_suggest(ws, SLICE_LIT("Ragnar Erikson"), 8, &ids, NULL);
	INT_EQ(ids.len, 1);
	if (ids.len)
		INT_EQ(ids.items[0], ragnar);
	suggest(ws, "Ragnar Erikson", 8, got, sizeof(got));
	STR_EQ(got, "Ragnar Eriksson");

	/* Nothing close: nothing. Nothing at all: nothing. */
	suggest(ws, "Quarterly Report", 8, got, sizeof(got));
	STR_EQ(got, "");
	suggest(ws, "", 8, got, sizeof(got));
	STR_EQ(got, "");

	/* Remembered until a name comes: then asked again. */
	suggest(ws, "Project Gama", 8, got, sizeof(got));
	STR_EQ(got, "Project Beta");
	set(ws, "Project Gamma.md", "");
	suggest(ws, "Project Gama", 8, got, sizeof(got));
	STR_EQ(got, "Project Gamma|Project Beta");
	/* ...or goes. */
	char path[256];
	snprintf(path, sizeof(path), ROOT "/Project Gamma.md");
	workspace_remove(ws, path);
	suggest(ws, "Project Gama", 8, got, sizeof(got));
	STR_EQ(got, "Project Beta");
	/* A new alias is a new name. */
	set(ws, "Project Beta.md", "---\naliases: [Project Gamma]\n---\n");
	suggest(ws, "Project Gama", 8, got, sizeof(got));
	STR_EQ(got, "Project Gamma");

	array_free(&ids);
	workspace_free(ws);
	config_fini(&cfg);
	return harness_done("test_suggest");
}
