/*
 * server.h — the language server: a session over two streams, from
 * initialize to exit. The methods themselves are answered by the feature
 * files (feature.h), each handed what it needs; nothing calls back up.
 *
 * Threads: one reader thread turns the input stream into messages (and
 * notes cancellations as they arrive); one indexing thread (with workers)
 * parses the vault after `initialize`; every handler runs on the thread
 * that called server_run, which alone owns the workspace and documents.
 * While the vault is indexed, text synchronisation, completion, hover,
 * definition, folding ranges and document symbols are answered from the
 * notes indexed so far; other messages that need the index wait, in
 * order, until it is complete.
 */
#ifndef VAULT_SERVER_H
#define VAULT_SERVER_H

#include "log.h"
#include "rank.h"

#include <stdbool.h>
#include <stdio.h>

struct server_options {
	unsigned threads;    /* indexing threads; 0 = number of processors */
	/* Handle nothing until the input has ended, as if the client had sent
	 * everything at once. Transcript tests use it so that what a burst
	 * does (cancellations, ordering) does not depend on thread timing. */
	bool batch;
	/* How completion ranks (rank.h): tests compare the fast passes with
	 * the exhaustive one, and split passes as a large vault has them. */
	struct rank_options rank;
	/* Every message that needs the index waits for all of it, none is
	 * answered from a partial one: transcript tests, sent in one go,
	 * ask of the whole vault. */
	bool index_first;
	/* No index cache (index_cache.h), whatever the settings say. */
	bool no_cache;
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

#endif
