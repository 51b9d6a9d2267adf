/*
 * dispatch.h — the method table: each client message to its handler, in
 * the order the client sent them, with the protocol's rules (state,
 * request or notification, cancellation). What needs the index waits
 * for it, and so does everything after it.
 */
#ifndef VAULT_DISPATCH_H
#define VAULT_DISPATCH_H

#include "session.h"

/* Handles msg now, or keeps it (taking it over) until the index is built.
 * Frees msg either way. */
void dispatch_message(struct server *s, struct rpc_message *msg);
/* Handles what waited for the index. */
void dispatch_deferred(struct server *s);
/* Handles the messages at the head of the queue that need not wait (the
 * EARLY ones): once a warm start has given way to a cold one, whose
 * partial index may answer them. */
void dispatch_early_deferred(struct server *s);

#endif
