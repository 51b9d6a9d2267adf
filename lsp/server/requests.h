/*
 * requests.h — requests the server sends the client (a progress token, its
 * settings, a file watcher), and what each answer was for.
 */
#ifndef VAULT_REQUESTS_H
#define VAULT_REQUESTS_H

#include "session.h"

/* Steals params. */
void requests_send(struct server *s, const char *method, json_t *params, enum pending kind);
/* The request this response answers, forgotten now; 0 if none. */
enum pending requests_take(struct server *s, const json_t *id);

#endif
