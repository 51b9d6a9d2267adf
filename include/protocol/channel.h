/*
 * channel.h — the way out to the client: JSON-RPC messages serialised,
 * framed (transport.h) and traced to the log. Safe to use from any thread:
 * the reader answers malformed input itself, and indexing threads report
 * progress.
 *
 * Ownership follows jansson's "_new" convention where a function steals.
 */
#ifndef VAULT_CHANNEL_H
#define VAULT_CHANNEL_H

#include "log.h"
#include "transport.h"

#include <jansson.h>

struct channel;

/* Neither tr nor log is owned; log may be NULL. */
struct channel *channel_new(struct transport *tr, struct log *log);
void channel_free(struct channel *ch);

/* Steals msg: a whole JSON-RPC message. */
void channel_send(struct channel *ch, json_t *msg);
/* Steals result (NULL means null); id is copied. */
void channel_reply(struct channel *ch, const json_t *id, json_t *result);
/* The result as JSON text the caller wrote (protocol.h's json_write_range),
 * for answers too large to build as jansson values: a thousand Locations
 * cost more as objects than finding them. id is copied. */
void channel_reply_text(struct channel *ch, const json_t *id, const char *result, size_t len);
/* id may be NULL (sent as null). */
void channel_reply_error(struct channel *ch, const json_t *id, int code, const char *message);
/* Steals params (may be NULL). */
void channel_notify(struct channel *ch, const char *method, json_t *params);
/* The params as JSON text the caller wrote, as channel_reply_text: every
 * note's diagnostics are published once the vault is indexed. method is
 * written as it is (a JSON string without escapes). */
void channel_notify_text(struct channel *ch, const char *method, const char *params, size_t len);

#endif
