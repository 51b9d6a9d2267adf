/*
 * lifecycle.h — the methods that start and end a session: initialize
 * (capabilities both ways, workspace folders, the index started),
 * initialized (file watching, settings pulled), shutdown and exit.
 */
#ifndef VAULT_LIFECYCLE_H
#define VAULT_LIFECYCLE_H

#include "session.h"

void lifecycle_initialize(struct server *s, const json_t *id, const json_t *params);
void lifecycle_initialized(struct server *s, const json_t *id, const json_t *params);
void lifecycle_shutdown(struct server *s, const json_t *id, const json_t *params);
void lifecycle_exit(struct server *s, const json_t *id, const json_t *params);
/* Our own watcher, when the client will not watch files for us. */
void lifecycle_watch(struct server *s);

#endif
