/*
 * test_config.c — one set of keys from YAML and JSON, later wins, problems
 * reported and never fatal.
 */
#include "config.h"
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
	config_apply_json(&cfg, j, &problems);
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
	config_apply_json(&cfg, j, &problems);
	json_decref(j);
	OK(cfg.dup_threshold == 0.9);
	OK(cfg.dup_cross_note);
	INT_EQ(problems.len, 0);
	j = json_loads("{\"vault-lsp\": []}", 0, NULL);
	config_apply_json(&cfg, j, &problems);
	json_decref(j);
	INT_EQ(problems.len, 0);
	j = json_loads("{\"duplicates\": {\"threshold\": 2, \"colour\": 1}}", 0, NULL);
	config_apply_json(&cfg, j, &problems);
	json_decref(j);
	OK(cfg.dup_threshold == 0.9);
	OK(strstr(problems.ptr, "'duplicates.threshold' must be") != NULL);
	OK(strstr(problems.ptr, "unknown key 'duplicates.colour'") != NULL);

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
	config_fini(&copy);
	strbuf_fini(&problems);
	return harness_done("test_config");
}
