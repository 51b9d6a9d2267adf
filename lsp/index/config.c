/* config.c — the settings: their defaults, what each key means, and .vault-lsp.yaml. */
#include "config.h"
#include "diag_code.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_people_keys[] = {
	"participants", "person", "attendees", "people", "owner", "entity", "with",
};

static const struct { const char *folder, *kind; } default_folders[] = {
	{ "People", "person" }, { "Projects", "project" }, { "Customers", "customer" },
};

static void clear_folders(struct config *cfg)
{
	for (uint32_t i = 0; i < cfg->folders.len; i++) {
		free(cfg->folders.items[i].folder);
		free(cfg->folders.items[i].kind);
	}
	cfg->folders.len = 0;
}

static void add_folder(struct config *cfg, const char *folder, const char *kind)
{
	size_t n = strlen(folder);
	while (n && folder[n - 1] == '/')
		n--;
	struct folder_kind fk = { xstrndup(folder, n), xstrdup(kind) };
	array_push(&cfg->folders, fk);
}

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < sizeof(default_folders) / sizeof(default_folders[0]); i++)
		add_folder(cfg, default_folders[i].folder, default_folders[i].kind);
	for (size_t i = 0; i < sizeof(default_people_keys) / sizeof(default_people_keys[0]); i++)
		str_list_push(&cfg->people_keys, default_people_keys[i]);
	cfg->log_level = LOG_INFO;
	cfg->dup_threshold = FACT_DEFAULT_THRESHOLD;
	cfg->dup_cross_note = false;
	cfg->identity_enabled = true;
	cfg->identity_min_score = IDENTITY_DEFAULT_MIN_SCORE;
	cfg->cache = true;
}

static void set_severity(struct config *cfg, const char *code, uint8_t severity)
{
	for (uint32_t i = 0; i < cfg->severities.len; i++) {
		if (strcmp(cfg->severities.items[i].code, code) == 0) {
			cfg->severities.items[i].severity = severity;
			return;
		}
	}
	struct code_severity cs = { xstrdup(code), severity };
	array_push(&cfg->severities, cs);
}

void config_fini(struct config *cfg)
{
	clear_folders(cfg);
	array_free(&cfg->folders);
	str_list_free(&cfg->people_keys);
	str_list_free(&cfg->ignore);
	for (uint32_t i = 0; i < cfg->severities.len; i++)
		free(cfg->severities.items[i].code);
	array_free(&cfg->severities);
	str_list_free(&cfg->diag_ignore);
}

void config_copy(struct config *dst, const struct config *src)
{
	memset(dst, 0, sizeof(*dst));
	for (uint32_t i = 0; i < src->folders.len; i++)
		add_folder(dst, src->folders.items[i].folder, src->folders.items[i].kind);
	for (uint32_t i = 0; i < src->people_keys.len; i++)
		str_list_push(&dst->people_keys, src->people_keys.items[i]);
	for (uint32_t i = 0; i < src->ignore.len; i++)
		str_list_push(&dst->ignore, src->ignore.items[i]);
	dst->log_level_set = src->log_level_set;
	dst->log_level = src->log_level;
	dst->dup_threshold = src->dup_threshold;
	dst->dup_cross_note = src->dup_cross_note;
	dst->identity_enabled = src->identity_enabled;
	dst->identity_min_score = src->identity_min_score;
	dst->cache = src->cache;
	for (uint32_t i = 0; i < src->severities.len; i++)
		set_severity(dst, src->severities.items[i].code, src->severities.items[i].severity);
	for (uint32_t i = 0; i < src->diag_ignore.len; i++)
		str_list_push(&dst->diag_ignore, src->diag_ignore.items[i]);
}

bool config_is_people_key(const struct config *cfg, const char *key)
{
	for (uint32_t i = 0; i < cfg->people_keys.len; i++)
		if (strcmp(cfg->people_keys.items[i], key) == 0)
			return true;
	return false;
}

int config_severity(const struct config *cfg, const char *code)
{
	for (uint32_t i = 0; i < cfg->severities.len; i++)
		if (strcmp(cfg->severities.items[i].code, code) == 0)
			return cfg->severities.items[i].severity;
	return -1;
}

bool config_same_diagnostics(const struct config *a, const struct config *b)
{
	if (a->dup_threshold != b->dup_threshold || a->dup_cross_note != b->dup_cross_note ||
	    a->identity_enabled != b->identity_enabled ||
	    a->identity_min_score != b->identity_min_score ||
	    !str_list_eq(&a->diag_ignore, &b->diag_ignore))
		return false;
	/* The same overrides, in whatever order they were set. */
	for (uint32_t i = 0; i < a->severities.len; i++)
		if (config_severity(b, a->severities.items[i].code) != a->severities.items[i].severity)
			return false;
	for (uint32_t i = 0; i < b->severities.len; i++)
		if (config_severity(a, b->severities.items[i].code) != b->severities.items[i].severity)
			return false;
	return true;
}

void config_value_fini(struct config_value *v)
{
	array_free(&v->items);
	str_list_free(&v->owned);
}

static bool parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "on") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 || strcmp(s, "off") == 0)
		*out = false;
	else
		return false;
	return true;
}

static bool parse_fraction(const char *s, double *out)
{
	char *end;
	double d = strtod(s, &end);
	if (end == s || *end || !(d > 0.0 && d <= 1.0))
		return false;
	*out = d;
	return true;
}

/* duplicates: { threshold: 0.75, crossNote: false } */
static void apply_duplicates(struct config *cfg, const struct config_value *v, struct strbuf *problems)
{
	if (v->type != CONFIG_MAP) {
		strbuf_printf(problems, "'duplicates' must be a map\n");
		return;
	}
	for (uint32_t i = 0; i + 1 < v->items.len; i += 2) {
		const char *k = v->items.items[i], *val = v->items.items[i + 1];
		if (strcmp(k, "threshold") == 0) {
			if (!parse_fraction(val, &cfg->dup_threshold))
				strbuf_printf(problems, "'duplicates.threshold' must be a number in (0, 1]\n");
		} else if (strcmp(k, "crossNote") == 0) {
			if (!parse_bool(val, &cfg->dup_cross_note))
				strbuf_printf(problems, "'duplicates.crossNote' must be true or false\n");
		} else {
			strbuf_printf(problems, "unknown key 'duplicates.%s'\n", k);
		}
	}
}

/* identity: { enabled: true, minScore: 0.9 } */
static void apply_identity(struct config *cfg, const struct config_value *v, struct strbuf *problems)
{
	if (v->type != CONFIG_MAP) {
		strbuf_printf(problems, "'identity' must be a map\n");
		return;
	}
	for (uint32_t i = 0; i + 1 < v->items.len; i += 2) {
		const char *k = v->items.items[i], *val = v->items.items[i + 1];
		if (strcmp(k, "enabled") == 0) {
			if (!parse_bool(val, &cfg->identity_enabled))
				strbuf_printf(problems, "'identity.enabled' must be true or false\n");
		} else if (strcmp(k, "minScore") == 0) {
			if (!parse_fraction(val, &cfg->identity_min_score))
				strbuf_printf(problems, "'identity.minScore' must be a number in (0, 1]\n");
		} else {
			strbuf_printf(problems, "unknown key 'identity.%s'\n", k);
		}
	}
}

static const struct { const char *name; uint8_t severity; } severity_names[] = {
	{ "off", CONFIG_SEVERITY_OFF }, { "error", DIAG_ERROR }, { "warning", DIAG_WARNING },
	{ "info", DIAG_INFO }, { "information", DIAG_INFO }, { "hint", DIAG_HINT },
};

/* diagnostics: { unresolved-link: off, invalid-frontmatter: warning }.
 * Each source overrides the codes it names and keeps the others, as
 * duplicates: does with its keys. */
static void apply_diagnostics(struct config *cfg, const struct config_value *v, struct strbuf *problems)
{
	/* An empty map may come as [] (Lua's {} encodes so). */
	if (v->type == CONFIG_LIST && v->items.len == 0)
		return;
	if (v->type != CONFIG_MAP) {
		strbuf_printf(problems, "'diagnostics' must map codes to off, hint, info, warning or error\n");
		return;
	}
	for (uint32_t i = 0; i + 1 < v->items.len; i += 2) {
		const char *code = v->items.items[i], *val = v->items.items[i + 1];
		if (!diag_code_known(code)) {
			strbuf_printf(problems, "unknown diagnostic code 'diagnostics.%s'\n", code);
			continue;
		}
		size_t k = 0, n = sizeof(severity_names) / sizeof(severity_names[0]);
		while (k < n && strcmp(severity_names[k].name, val) != 0)
			k++;
		if (k == n)
			strbuf_printf(problems, "'diagnostics.%s' must be off, hint, info, warning or error\n",
				      code);
		else
			set_severity(cfg, code, severity_names[k].severity);
	}
}

void config_apply_value(struct config *cfg, const char *key, const struct config_value *v,
			struct strbuf *problems)
{
	if (strcmp(key, "folders") == 0) {
		if (v->type != CONFIG_MAP) {
			strbuf_printf(problems, "'folders' must map folder names to kinds\n");
			return;
		}
		clear_folders(cfg);
		for (uint32_t i = 0; i + 1 < v->items.len; i += 2)
			add_folder(cfg, v->items.items[i], v->items.items[i + 1]);
	} else if (strcmp(key, "peopleKeys") == 0 || strcmp(key, "ignore") == 0 ||
		   strcmp(key, "diagnosticsIgnore") == 0) {
		if (v->type != CONFIG_LIST) {
			strbuf_printf(problems, "'%s' must be a list of strings\n", key);
			return;
		}
		struct str_list *dst = key[0] == 'p' ? &cfg->people_keys :
				       key[0] == 'i' ? &cfg->ignore : &cfg->diag_ignore;
		str_list_clear(dst);
		for (uint32_t i = 0; i < v->items.len; i++)
			str_list_push(dst, v->items.items[i]);
	} else if (strcmp(key, "duplicates") == 0) {
		apply_duplicates(cfg, v, problems);
	} else if (strcmp(key, "identity") == 0) {
		apply_identity(cfg, v, problems);
	} else if (strcmp(key, "diagnostics") == 0) {
		apply_diagnostics(cfg, v, problems);
	} else if (strcmp(key, "cache") == 0) {
		if (v->type != CONFIG_STRING || !parse_bool(v->str, &cfg->cache))
			strbuf_printf(problems, "'cache' must be true or false\n");
	} else if (strcmp(key, "logLevel") == 0) {
		enum log_level level;
		if (v->type != CONFIG_STRING || !log_parse_level(v->str, &level)) {
			strbuf_printf(problems, "'logLevel' must be one of error, warn, info, debug, trace\n");
			return;
		}
		cfg->log_level = level;
		cfg->log_level_set = true;
	} else {
		strbuf_printf(problems, "unknown key '%s'\n", key);
	}
}

static void yaml_to_value(const struct yaml_node *y, struct config_value *v)
{
	memset(v, 0, sizeof(*v));
	if (y->type == YAML_SCALAR_NODE) {
		v->type = CONFIG_STRING;
		v->str = y->str;
	} else if (y->type == YAML_SEQ_NODE) {
		v->type = CONFIG_LIST;
		for (uint32_t i = 0; i < y->n; i++) {
			if (y->items[i].type != YAML_SCALAR_NODE) {
				v->type = CONFIG_OTHER;
				return;
			}
			array_push(&v->items, y->items[i].str);
		}
	} else if (y->type == YAML_MAP_NODE) {
		v->type = CONFIG_MAP;
		for (uint32_t i = 0; i < y->n; i++) {
			if (y->items[i].type != YAML_SCALAR_NODE) {
				v->type = CONFIG_OTHER;
				return;
			}
			array_push(&v->items, y->keys[i]);
			array_push(&v->items, y->items[i].str);
		}
	} else {
		v->type = CONFIG_OTHER;
	}
}

void config_apply_yaml(struct config *cfg, const struct yaml_node *root, struct strbuf *problems)
{
	if (!root || root->type != YAML_MAP_NODE)
		return;
	const struct yaml_node *section = yaml_tree_get(root, "vault-lsp");
	if (section && section->type == YAML_MAP_NODE)
		root = section;
	for (uint32_t i = 0; i < root->n; i++) {
		struct config_value v;
		yaml_to_value(&root->items[i], &v);
		config_apply_value(cfg, root->keys[i], &v, problems);
		config_value_fini(&v);
	}
}

bool config_load_file(struct config *cfg, const char *path, struct strbuf *problems)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return true;
		strbuf_printf(problems, "%s: %s\n", path, strerror(errno));
		return false;
	}
	struct strbuf text;
	strbuf_init(&text);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && text.len < (1u << 20))
		strbuf_put(&text, chunk, got);
	fclose(f);

	uint32_t err_offset;
	char *err = NULL;
	struct yaml_node *root = yaml_tree_parse(text.ptr, text.len, 0, &err_offset, &err);
	bool ok = root != NULL;
	if (!root)
		strbuf_printf(problems, "%s: invalid YAML: %s\n", path, err ? err : "?");
	else
		config_apply_yaml(cfg, root, problems);
	free(err);
	yaml_tree_free(root);
	strbuf_fini(&text);
	return ok;
}
