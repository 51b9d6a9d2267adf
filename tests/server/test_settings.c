/*
 * test_settings.c — one set of keys from YAML and JSON, later wins, problems
 * reported and never fatal.
 */
#include "settings.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *kind_of(const struct config *cfg, const char *folder)
{
	for (uint32_t i = 0; i < cfg->folders.len; i++)
		if (strcmp(cfg->folders.items[i].folder, folder) == 0)
			return cfg->folders.items[i].kind;
	return NULL;
}

int main(void)
{
	struct config cfg;
	config_init(&cfg);
	STR_EQ(kind_of(&cfg, "People"), "person");
	STR_EQ(kind_of(&cfg, "Customers"), "customer");
	OK(config_is_people_key(&cfg, "participants"));
	OK(config_is_people_key(&cfg, "owner"));
	OK(!config_is_people_key(&cfg, "company"));

	/* The vault's file: its own folder map, and an unknown key. */
	char dir[] = "/tmp/vault-config-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	char path[64];
	snprintf(path, sizeof(path), "%s/.vault-lsp.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("folders:\n  Contacts/: person\n  Clients: customer\npeopleKeys: [participants, host]\n"
	      "ignore:\n  - Archive/\nlogLevel: debug\ncolour: blue\n", f);
	fclose(f);
	struct strbuf problems = { 0 };
	OK(config_load_file(&cfg, path, &problems));
	STR_EQ(kind_of(&cfg, "Contacts"), "person");
	STR_EQ(kind_of(&cfg, "Clients"), "customer");
	OK(kind_of(&cfg, "People") == NULL); /* a map replaces the defaults */
	OK(config_is_people_key(&cfg, "host"));
	OK(!config_is_people_key(&cfg, "owner"));
	INT_EQ(cfg.ignore.len, 1);
	OK(cfg.log_level_set && cfg.log_level == LOG_DEBUG);
	STR_EQ(problems.ptr, "unknown key 'colour'\n");

	/* Then JSON over it (initializationOptions or settings, with or
	 * without the "vault-lsp" section); wrong types are reported and
	 * leave the value as it was. */
	problems.len = 0;
	json_t *j = json_loads("{\"vault-lsp\": {\"peopleKeys\": [\"attendees\"], \"logLevel\": 3,"
			       " \"folders\": {\"People\": \"person\"}}}", 0, NULL);
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	OK(config_is_people_key(&cfg, "attendees"));
	OK(!config_is_people_key(&cfg, "host"));
	STR_EQ(kind_of(&cfg, "People"), "person");
	OK(cfg.log_level == LOG_DEBUG);
	OK(strstr(problems.ptr, "'logLevel' must be") != NULL);

	/* Flat keys as VS Code writes them, and an empty section as Lua
	 * encodes it. */
	problems.len = 0;
	j = json_loads("{\"duplicates.threshold\": 0.9, \"duplicates.crossNote\": true}", 0, NULL);
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	OK(cfg.dup_threshold == 0.9);
	OK(cfg.dup_cross_note);
	INT_EQ(problems.len, 0);
	j = json_loads("{\"vault-lsp\": []}", 0, NULL);
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	INT_EQ(problems.len, 0);
	j = json_loads("{\"duplicates\": {\"threshold\": 2, \"colour\": 1}}", 0, NULL);
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	OK(cfg.dup_threshold == 0.9);
	OK(strstr(problems.ptr, "'duplicates.threshold' must be") != NULL);
	OK(strstr(problems.ptr, "unknown key 'duplicates.colour'") != NULL);

	/* diagnostics: severities by code from YAML, merged code by code with
	 * JSON's (flat keys too); diagnosticsIgnore a list like ignore. Bad
	 * codes and values are problems and change nothing. */
	f = fopen(path, "w");
	fputs("diagnostics:\n  unresolved-link: off\n  invalid-frontmatter: warning\n"
	      "  ambiguous-link: loud\n  no-such-code: hint\n"
	      "diagnosticsIgnore:\n  - Inbox/\n  - \"*.draft.md\"\n", f);
	fclose(f);
	problems.len = 0;
	OK(config_load_file(&cfg, path, &problems));
	INT_EQ(config_severity(&cfg, "unresolved-link"), CONFIG_SEVERITY_OFF);
	INT_EQ(config_severity(&cfg, "invalid-frontmatter"), 2);
	INT_EQ(config_severity(&cfg, "ambiguous-link"), -1);
	INT_EQ(config_severity(&cfg, "no-such-code"), -1);
	INT_EQ(cfg.diag_ignore.len, 2);
	STR_EQ(cfg.diag_ignore.items[1], "*.draft.md");
	STR_EQ(problems.ptr, "'diagnostics.ambiguous-link' must be off, hint, info, warning or error\n"
			     "unknown diagnostic code 'diagnostics.no-such-code'\n");
	struct config before;
	config_copy(&before, &cfg);
	OK(config_same_diagnostics(&before, &cfg));
	problems.len = 0;
	j = json_loads("{\"vault-lsp\": {\"diagnostics\": {\"unresolved-link\": \"hint\","
		       " \"mojibake\": \"information\"}, \"diagnostics.duplicate-fact\": \"error\"}}", 0, NULL);
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	INT_EQ(problems.len, 0);
	INT_EQ(config_severity(&cfg, "unresolved-link"), 4);
	INT_EQ(config_severity(&cfg, "invalid-frontmatter"), 2); /* kept from YAML */
	INT_EQ(config_severity(&cfg, "mojibake"), 3);
	INT_EQ(config_severity(&cfg, "duplicate-fact"), 1);
	OK(!config_same_diagnostics(&before, &cfg));
	j = json_loads("{\"diagnostics\": [\"off\"], \"diagnosticsIgnore\": \"Inbox/\","
		       " \"diagnostics.mojibake\": false}", 0, NULL);
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	OK(strstr(problems.ptr, "'diagnostics' must map codes") != NULL);
	OK(strstr(problems.ptr, "'diagnosticsIgnore' must be a list of strings") != NULL);
	OK(strstr(problems.ptr, "'diagnostics.mojibake' must be off") != NULL);
	INT_EQ(config_severity(&cfg, "mojibake"), 3);
	INT_EQ(cfg.diag_ignore.len, 2);
	problems.len = 0;
	j = json_loads("{\"diagnostics\": []}", 0, NULL); /* Lua's empty table */
	settings_apply_json(&cfg, j, &problems);
	json_decref(j);
	INT_EQ(problems.len, 0);
	INT_EQ(config_severity(&cfg, "mojibake"), 3);
	config_fini(&before);

	/* A broken file is reported and changes nothing; a missing one is fine. */
	f = fopen(path, "w");
	fputs("folders: [unclosed\n", f);
	fclose(f);
	problems.len = 0;
	OK(!config_load_file(&cfg, path, &problems));
	OK(strstr(problems.ptr, "invalid YAML") != NULL);
	STR_EQ(kind_of(&cfg, "People"), "person");
	unlink(path);
	problems.len = 0;
	OK(config_load_file(&cfg, path, &problems));
	INT_EQ(problems.len, 0);
	rmdir(dir);

	/* Copies are deep. */
	struct config copy;
	config_copy(&copy, &cfg);
	config_fini(&cfg);
	STR_EQ(kind_of(&copy, "People"), "person");
	INT_EQ(config_severity(&copy, "duplicate-fact"), 1);
	STR_EQ(copy.diag_ignore.items[0], "Inbox/");
	config_fini(&copy);
	strbuf_fini(&problems);
	return harness_done("test_settings");
}
