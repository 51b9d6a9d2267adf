/* settings.c — the configuration merged from its three sources, and the
 * client's JSON settings reduced to config's keys. */
#include "settings.h"
#include "cache_sync.h"
#include "requests.h"
#include "vault_sync.h"

#include <stdlib.h>
#include <string.h>

static void report_problems(struct server *s, struct strbuf *problems, const char *where)
{
	char *line = problems->ptr;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		struct strbuf msg = { 0 };
		strbuf_printf(&msg, "%s: %.*s", where, (int)n, line);
		bool seen = false;
		for (uint32_t i = 0; i < s->reported.len && !seen; i++)
			seen = strcmp(s->reported.items[i], msg.ptr) == 0;
		if (!seen) {
			log_msg(s->log, LOG_WARN, "configuration %s", msg.ptr);
			array_push(&s->reported, strbuf_detach(&msg));
		}
		strbuf_fini(&msg);
		line = nl ? nl + 1 : NULL;
	}
	problems->len = 0;
	if (problems->ptr)
		problems->ptr[0] = '\0';
}

void settings_reconfigure(struct server *s)
{
	struct strbuf problems = { 0 };
	struct config old;
	config_copy(&old, &s->cfg);
	config_fini(&s->cfg);
	config_init(&s->cfg);
	if (s->roots.len) {
		struct strbuf path = { 0 };
		strbuf_printf(&path, "%s/.vault-lsp.yaml", s->roots.items[0]);
		config_load_file(&s->cfg, path.ptr, &problems);
		report_problems(s, &problems, ".vault-lsp.yaml");
		strbuf_fini(&path);
	}
	settings_apply_json(&s->cfg, s->init_options, &problems);
	report_problems(s, &problems, "initializationOptions");
	settings_apply_json(&s->cfg, s->settings, &problems);
	report_problems(s, &problems, "settings");
	strbuf_fini(&problems);
	if (s->cfg.log_level_set)
		log_set_level(s->log, s->cfg.log_level);
	struct workspace *ws = s->fx.ws;
	if (ws)
		workspace_set_config(ws, &s->cfg);
	if (ws && s->indexed && index_cache_config_hash(&old) != index_cache_config_hash(&s->cfg))
		cache_sync_touch(s);
	/* What is reported changed: every note is diagnosed again, so that a
	 * note which had diagnostics and now has none is cleared in the
	 * client, and one which had none gets its new ones. (Before the index
	 * is built there is nothing to redo: every note will be diagnosed.) */
	if (ws && s->indexed && !config_same_diagnostics(&old, &s->cfg))
		diag_queue_every_note(&s->diags, &s->fx);
	/* Other ignore rules make other files notes. Before the index is
	 * built, the scan reads the rules it started with: rescan after. */
	if (ws && !str_list_eq(&old.ignore, &s->cfg.ignore)) {
		if (s->indexed)
			vault_sync_rescan(&s->fx);
		else
			s->rescan_after_index = true;
	}
	config_fini(&old);
}

void settings_reload(struct server *s)
{
	settings_reconfigure(s);
	diag_queue_open(&s->fx);
}

void settings_set(struct server *s, const json_t *settings)
{
	json_decref(s->settings);
	s->settings = settings ? json_deep_copy(settings) : NULL;
	settings_reconfigure(s);
	if (s->indexed)
		diag_queue_open(&s->fx);
}

void settings_pull(struct server *s)
{
	requests_send(s, "workspace/configuration",
		      json_pack("{s:[{s:s}]}", "items", "section", "vault-lsp"), PENDING_CONFIGURATION);
}

void settings_did_change(struct server *s, const json_t *id, const json_t *params)
{
	(void)id;
	const json_t *settings = json_object_get(params, "settings");
	if (json_is_object(settings) && json_object_size(settings))
		settings_set(s, settings);
	else if (s->caps_config_pull)
		settings_pull(s);
}

/* A JSON scalar as the string YAML would have given; NULL if not a scalar. */
static const char *json_scalar(const json_t *j, struct config_value *v)
{
	char buf[64];
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
	else if (json_is_real(j))
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(j));
	else if (json_is_boolean(j))
		snprintf(buf, sizeof(buf), "%s", json_is_true(j) ? "true" : "false");
	else
		return NULL;
	str_list_push(&v->owned, buf);
	return v->owned.items[v->owned.len - 1];
}

static void json_to_value(const json_t *j, struct config_value *v)
{
	memset(v, 0, sizeof(*v));
	if (json_is_number(j) || json_is_boolean(j)) {
		v->type = CONFIG_STRING;
		v->str = json_scalar(j, v);
	} else if (json_is_string(j)) {
		v->type = CONFIG_STRING;
		v->str = json_string_value(j);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *item;
		v->type = CONFIG_LIST;
		json_array_foreach(j, i, item) {
			if (!json_is_string(item)) {
				v->type = CONFIG_OTHER;
				return;
			}
			array_push(&v->items, json_string_value(item));
		}
	} else if (json_is_object(j)) {
		const char *k;
		json_t *item;
		v->type = CONFIG_MAP;
		json_object_foreach((json_t *)j, k, item) {
			const char *str = json_scalar(item, v);
			if (!str) {
				v->type = CONFIG_OTHER;
				return;
			}
			array_push(&v->items, k);
			array_push(&v->items, str);
		}
	} else {
		v->type = CONFIG_OTHER;
	}
}

void settings_apply_json(struct config *cfg, const json_t *settings, struct strbuf *problems)
{
	if (!json_is_object(settings))
		return;
	const json_t *section = json_object_get(settings, "vault-lsp");
	/* An empty section may come as [] (Lua's {} encodes so). */
	if (json_is_array(section) && json_array_size(section) == 0)
		return;
	if (json_is_object(section))
		settings = section;
	const char *key;
	json_t *j;
	json_object_foreach((json_t *)settings, key, j) {
		struct config_value v;
		/* Flat settings, as VS Code's are written: "duplicates.threshold"
		 * is "duplicates": { "threshold": ... }. */
		const char *dot = strchr(key, '.');
		if (dot && !json_is_object(j)) {
			char *outer = xstrndup(key, (size_t)(dot - key));
			json_t *wrapped = json_pack("{s:O}", dot + 1, j);
			json_to_value(wrapped, &v);
			config_apply_value(cfg, outer, &v, problems);
			config_value_fini(&v);
			json_decref(wrapped);
			free(outer);
			continue;
		}
		json_to_value(j, &v);
		config_apply_value(cfg, key, &v, problems);
		config_value_fini(&v);
	}
}

