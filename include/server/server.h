/*
 * server.h — the language server: lifecycle, dispatch, and the services
 * feature files use to answer (replies, notifications, the workspace and
 * the open documents).
 *
 * Threads: one reader thread turns the input stream into messages (and
 * notes cancellations as they arrive); one indexing thread (with workers)
 * parses the vault after `initialize`; every handler runs on the thread
 * that called server_run, which alone owns the workspace and documents.
 * Messages that need the index and arrive while it is being built wait,
 * in order, until it is complete.
 */
#ifndef VAULT_SERVER_H
#define VAULT_SERVER_H

#include "document.h"
#include "log.h"
#include "workspace.h"

#include <jansson.h>
#include <stdio.h>

struct server_options {
	unsigned threads;    /* indexing threads; 0 = number of processors */
	/* Handle nothing until the input has ended, as if the client had sent
	 * everything at once. Transcript tests use it so that what a burst
	 * does (cancellations, ordering) does not depend on thread timing. */
	bool batch;
};

struct server;

/* Streams are not closed by the server. log may be NULL. */
struct server *server_new(FILE *in, FILE *out, struct log *log,
			  const struct server_options *opts);
/* Waits for the reader thread, so call it only once the input has ended
 * (server_input_ended), or when the input is finite. */
void server_free(struct server *s);
bool server_input_ended(struct server *s);

/* Serves until `exit` or the end of input. Returns the process exit code:
 * 0 after shutdown, 1 otherwise. */
int server_run(struct server *s);

/* For feature handlers (main thread only). */
struct workspace *server_workspace(struct server *s);
struct documents *server_documents(struct server *s);
enum pos_encoding server_encoding(const struct server *s);
struct log *server_log(struct server *s);
/* The client's capabilities object from initialize (never NULL). */
const json_t *server_client_caps(const struct server *s);

/* Steal result. */
void server_reply(struct server *s, const json_t *id, json_t *result);
void server_reply_error(struct server *s, const json_t *id, int code, const char *message);
/* Steals params. */
void server_notify(struct server *s, const char *method, json_t *params);

/* Republishes the diagnostics of every open document. */
void server_publish_open(struct server *s);
/* Reads .vault-lsp.yaml again and applies the configuration. */
void server_reload_config(struct server *s);

#endif
