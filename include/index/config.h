/*
 * config.h — the server's settings. One set of keys, read from three places,
 * later wins: .vault-lsp.yaml at the vault root, initializationOptions, and
 * workspace/didChangeConfiguration or workspace/configuration (section
 * "vault-lsp"). The same keys are documented in README.md.
 *
 *   folders:    { "People": "person", ... }   folder -> kind of its notes
 *   peopleKeys: [ "participants", ... ]       frontmatter keys naming notes
 *   ignore:     [ "Archive/", "*.excalidraw.md" ]         globs of vault-relative paths
 *   logLevel:   "error" | "warn" | "info" | "debug" | "trace"
 *   duplicates: { threshold: 0.75, crossNote: false }
 *   identity:   { enabled: true, minScore: 0.9 }   name variants without aliases
 *   diagnostics: { "unresolved-link": "off" | "hint" | "info" | "warning" | "error", ... }
 *   diagnosticsIgnore: [ "Inbox/", "*.excalidraw.md" ] globs of notes indexed but not diagnosed
 *   cache:      true | false                the index kept between sessions (index_cache.h)
 */
#ifndef VAULT_CONFIG_H
#define VAULT_CONFIG_H

#include "log.h"
#include "util.h"
#include "yaml_tree.h"

struct folder_kind {
	char *folder; /* vault-relative, no trailing '/' */
	char *kind;
};

/* A diagnostic code's severity as set by `diagnostics:`: LSP's numbers
 * (1 error, 2 warning, 3 information, 4 hint), or CONFIG_SEVERITY_OFF. */
#define CONFIG_SEVERITY_OFF 0
struct code_severity {
	char *code;            /* one of diagnose.h's codes */
	uint8_t severity;
};

struct config {
	ARRAY(struct folder_kind) folders;
	struct str_list people_keys;
	struct str_list ignore;
	bool log_level_set;
	enum log_level log_level;
	double dup_threshold;  /* near-duplicate facts: Dice coefficient, (0, 1] */
	bool dup_cross_note;   /* also report a fact repeated in another note */
	bool identity_enabled; /* find people's names written in other spellings */
	double identity_min_score; /* how alike a variant must be, (0, 1] */
	ARRAY(struct code_severity) severities; /* diagnostics: at most one per code */
	struct str_list diag_ignore;            /* diagnosticsIgnore: gitignore-style globs */
	bool cache;            /* keep the index between sessions (default true) */
};

/* The default score a name variant needs (identity.h). */
#define IDENTITY_DEFAULT_MIN_SCORE 0.9

/* The default near-duplicate threshold (see README for how it was chosen). */
#define FACT_DEFAULT_THRESHOLD 0.75

void config_init(struct config *cfg);   /* the defaults */
void config_fini(struct config *cfg);
void config_copy(struct config *dst, const struct config *src); /* dst uninitialised */

/*
 * Both sources of settings (YAML here, the client's JSON in the server's
 * settings.c) are first reduced to this small shape, so that the meaning
 * of each key is written once: a string, a list of strings, or a map of
 * strings.
 */
enum config_value_type { CONFIG_STRING, CONFIG_LIST, CONFIG_MAP, CONFIG_OTHER };
struct config_value {
	enum config_value_type type;
	const char *str;
	ARRAY(const char *) items; /* list items, or map keys and values interleaved */
	struct str_list owned;     /* numbers and booleans written as strings */
};
void config_value_fini(struct config_value *v);

/* Applies one key over cfg. A key that is unknown or of the wrong type is
 * appended to *problems (one line, e.g. "unknown key 'foo'") and otherwise
 * ignored; never fatal. */
void config_apply_value(struct config *cfg, const char *key, const struct config_value *v,
			struct strbuf *problems);

/* The keys of a parsed .vault-lsp.yaml document (or of its "vault-lsp"
 * section). */
void config_apply_yaml(struct config *cfg, const struct yaml_node *root, struct strbuf *problems);

/* Reads path (absent is fine: returns true with no change). false with a
 * message in problems if it cannot be read or parsed. */
bool config_load_file(struct config *cfg, const char *path, struct strbuf *problems);

bool config_is_people_key(const struct config *cfg, const char *key);

/* The severity `diagnostics:` sets for code (CONFIG_SEVERITY_OFF when
 * off), or -1 when it leaves the code's own. */
int config_severity(const struct config *cfg, const char *code);

/* Do a and b publish the same diagnostics for the same index? (The
 * settings that decide what is reported: duplicates, diagnostics,
 * diagnosticsIgnore.) */
bool config_same_diagnostics(const struct config *a, const struct config *b);

#endif
