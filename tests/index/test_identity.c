/*
 * test_identity.c — who a name means on tests/identity/vault (a copy of
 * ../shared/identity-vault, extended): every row of tests/identity/
 * cases.txt, the names that must not be matched as strictly as those that
 * must; then the index following the vault (an alias declared, a card
 * gone) and identity turned off.
 */
#include "harness.h"
#include "identity.h"

#include <stdlib.h>
#include <string.h>

#define VAULT VAULT_TEST_DIR "/identity/vault"

static struct workspace *load_vault(const struct config *cfg)
{
	struct workspace *ws = workspace_new(cfg, NULL);
	const char *root = VAULT;
	workspace_add_root(ws, root);
	workspace_install(ws, workspace_scan(&root, 1, cfg, 2, NULL, NULL, NULL, NULL));
	return ws;
}

static const char *rel_of(const struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = workspace_get(ws, id);
	return wn ? wn->rel : "(none)";
}

static const char *const verdicts[] = { "none", "variant", "ambiguous" };

static void check_cases(struct workspace *ws)
{
	FILE *f = fopen(VAULT_TEST_DIR "/identity/cases.txt", "r");
	OK(f != NULL);
	if (!f)
		return;
	char line[512];
	int cases = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *text = line, *verdict = strchr(line, '\t'), *card = NULL;
		OK(verdict != NULL);
		if (!verdict)
			continue;
		*verdict++ = '\0';
		if ((card = strchr(verdict, '\t')))
			*card++ = '\0';
		struct identity_match m;
		identity_match(ws, slice_from_cstr(text), &m);
		cases++;
		if (strcmp(verdicts[m.verdict], verdict) != 0) {
			fprintf(stderr, "'%s': %s (%s, %.3f: %s), expected %s\n", text,
				verdicts[m.verdict], rel_of(ws, m.note), m.score, m.why, verdict);
			OK(false);
			continue;
		}
		if (card) {
			if (strcmp(rel_of(ws, m.note), card) != 0)
				fprintf(stderr, "'%s': %s, expected %s\n", text, rel_of(ws, m.note), card);
			STR_EQ(rel_of(ws, m.note), card);
			OK(m.why[0] != '\0');
		}
	}
	fclose(f);
	OK(cases >= 25);
}

int main(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = load_vault(&cfg);
	check_cases(ws);
	OK(identity_people(ws) >= 10);

	/* Why, in words a user reads in a hover. */
	struct identity_match m;
	identity_match(ws, slice_from_cstr("Ragnhild Sohlberg"), &m);
	OK(strstr(m.why, "'sohlberg'") && strstr(m.why, "one letter from") && strstr(m.why, "'solberg'"));
	identity_match(ws, slice_from_cstr("Jonn Berg"), &m);
	OK(m.verdict == IDENTITY_AMBIGUOUS);
	OK(strstr(rel_of(ws, m.note), "Berg") && strstr(rel_of(ws, m.other), "Berg") &&
	   m.note != m.other);

	/* Declared: once the spelling is an alias, it is a name, nobody's
	 * variant (and links resolve to it). */
	const char *card = VAULT "/People/Kasimir Dahl.md";
	const char *with_alias = "---\ntype: person\nname: Kasimir Dahl\naliases: [Kasimirdahl]\n---\n\n# Kasimir Dahl\n";
	workspace_set_text(ws, card, with_alias, strlen(with_alias));
	identity_match(ws, slice_from_cstr("Kasimirdahl"), &m);
	INT_EQ(m.verdict, IDENTITY_NONE);
	/* A card gone: its variants mean nobody. */
	workspace_remove(ws, VAULT "/People/Katarina Lund.md");
	identity_match(ws, slice_from_cstr("Catharina Lund"), &m);
	INT_EQ(m.verdict, IDENTITY_NONE);
	workspace_free(ws);

	/* identity.enabled: false */
	cfg.identity_enabled = false;
	ws = load_vault(&cfg);
	identity_match(ws, slice_from_cstr("Ragnhild Sohlberg"), &m);
	INT_EQ(m.verdict, IDENTITY_NONE);
	workspace_free(ws);
	config_fini(&cfg);
	return harness_done("test_identity");
}
