/*
 * settings.h — the configuration from its three sources, later wins:
 * .vault-lsp.yaml at the first root, initializationOptions, and the
 * client's settings (pushed with workspace/didChangeConfiguration or
 * pulled with workspace/configuration, section "vault-lsp"). Each problem
 * is logged once. What changes is applied: the index's configuration,
 * the diagnostics republished, the vault walked again for new ignore
 * rules.
 */
#ifndef VAULT_SETTINGS_H
#define VAULT_SETTINGS_H

#include "session.h"

/* Rebuilds the configuration from its sources and applies it. */
void settings_reconfigure(struct server *s);
/* .vault-lsp.yaml changed on disk. */
void settings_reload(struct server *s);
/* The client's settings (copied), pushed or answered to a pull. */
void settings_set(struct server *s, const json_t *settings);
/* Asks the client for its settings. */
void settings_pull(struct server *s);
/* workspace/didChangeConfiguration */
void settings_did_change(struct server *s, const json_t *id, const json_t *params);

/* A settings object's keys over cfg (its "vault-lsp" member if it has
 * one; flat "a.b" keys as VS Code writes them). Problems as
 * config_apply_value reports them; never fatal. */
void settings_apply_json(struct config *cfg, const json_t *settings, struct strbuf *problems);

#endif
