/*
 * test_settings.c — the client's JSON settings over the configuration
 * (initializationOptions, didChangeConfiguration, workspace/configuration):
 * with or without the "vault-lsp" section, flat keys as VS Code writes
 * them, Lua's empty tables, wrong types reported and never fatal. (The
 * keys themselves and .vault-lsp.yaml: tests/index/test_config.c.)
 */
#include "harness.h"
#include "settings.h"

#include <string.h>

static void apply(struct config *cfg, const char *json, struct strbuf *problems)
{
	json_error_t err;
	json_t *j = json_loads(json, JSON_DECODE_ANY, &err);
	OK(j != NULL);
	problems->len = 0;
	if (problems->ptr)
		problems->ptr[0] = '\0';
	settings_apply_json(cfg, j, problems);
	json_decref(j);
}

static bool has_problem(const struct strbuf *problems, const char *want)
{
	return problems->ptr && strstr(problems->ptr, want) != NULL;
}

int main(void)
{
	struct config cfg;
	config_init(&cfg);
	struct strbuf problems = { 0 };

	/* The section or the keys themselves; a wrong type is reported and
	 * leaves the value as it was. */
	apply(&cfg, "{\"vault-lsp\": {\"peopleKeys\": [\"attendees\"], \"logLevel\": 3,"
		    " \"folders\": {\"Contacts\": \"person\"}}}", &problems);
	OK(config_is_people_key(&cfg, "attendees"));
	OK(!config_is_people_key(&cfg, "participants"));
	INT_EQ(cfg.folders.len, 1);
	STR_EQ(cfg.folders.items[0].folder, "Contacts");
	OK(!cfg.log_level_set);
	OK(has_problem(&problems, "'logLevel' must be"));
	apply(&cfg, "{\"logLevel\": \"debug\", \"colour\": \"blue\"}", &problems);
	OK(cfg.log_level_set && cfg.log_level == LOG_DEBUG);
	STR_EQ(problems.ptr, "unknown key 'colour'\n");

	/* Flat keys as VS Code writes them, and an empty section as Lua
	 * encodes it. */
	apply(&cfg, "{\"duplicates.threshold\": 0.9, \"duplicates.crossNote\": true}", &problems);
	OK(cfg.dup_threshold == 0.9);
	OK(cfg.dup_cross_note);
	INT_EQ(problems.len, 0);
	apply(&cfg, "{\"vault-lsp\": []}", &problems);
	INT_EQ(problems.len, 0);
	apply(&cfg, "{\"duplicates\": {\"threshold\": 2, \"colour\": 1}}", &problems);
	OK(cfg.dup_threshold == 0.9);
	OK(has_problem(&problems, "'duplicates.threshold' must be"));
	OK(has_problem(&problems, "unknown key 'duplicates.colour'"));

	/* diagnostics: merged code by code, flat keys too; numbers and
	 * booleans are not severities. */
	apply(&cfg, "{\"diagnostics\": {\"invalid-frontmatter\": \"warning\"}}", &problems);
	INT_EQ(problems.len, 0);
	struct config before;
	config_copy(&before, &cfg);
	apply(&cfg, "{\"vault-lsp\": {\"diagnostics\": {\"unresolved-link\": \"hint\","
		    " \"mojibake\": \"information\"}, \"diagnostics.duplicate-fact\": \"error\"}}",
	      &problems);
	INT_EQ(problems.len, 0);
	INT_EQ(config_severity(&cfg, "unresolved-link"), 4);
	INT_EQ(config_severity(&cfg, "invalid-frontmatter"), 2); /* kept */
	INT_EQ(config_severity(&cfg, "mojibake"), 3);
	INT_EQ(config_severity(&cfg, "duplicate-fact"), 1);
	OK(!config_same_diagnostics(&before, &cfg));
	config_fini(&before);
	apply(&cfg, "{\"diagnostics\": [\"off\"], \"diagnosticsIgnore\": \"Inbox/\","
		    " \"diagnostics.mojibake\": false}", &problems);
	OK(has_problem(&problems, "'diagnostics' must map codes"));
	OK(has_problem(&problems, "'diagnosticsIgnore' must be a list of strings"));
	OK(has_problem(&problems, "'diagnostics.mojibake' must be off"));
	INT_EQ(config_severity(&cfg, "mojibake"), 3);
	INT_EQ(cfg.diag_ignore.len, 0);
	apply(&cfg, "{\"diagnostics\": []}", &problems); /* Lua's empty table */
	INT_EQ(problems.len, 0);
	INT_EQ(config_severity(&cfg, "mojibake"), 3);

	/* Not an object: nothing happens. */
	apply(&cfg, "[1, 2]", &problems);
	apply(&cfg, "null", &problems);
	INT_EQ(problems.len, 0);
	OK(config_is_people_key(&cfg, "attendees"));

	config_fini(&cfg);
	strbuf_fini(&problems);
	return harness_done("test_settings");
}
