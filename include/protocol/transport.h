/*
 * transport.h — LSP base protocol framing: "Content-Length: N\r\n\r\n" then
 * exactly N bytes of body. No JSON here.
 *
 * Reading is tolerant: other headers are ignored, header lines may end in
 * "\n" alone, and a malformed header block is reported and skipped so the
 * stream can resynchronise on the next one. A body larger than
 * TRANSPORT_MAX_BODY is read and discarded in small chunks (memory stays
 * bounded) and reported.
 */
#ifndef VAULT_TRANSPORT_H
#define VAULT_TRANSPORT_H

#include "util.h"

#include <stdio.h>

#define TRANSPORT_MAX_BODY (64u << 20)

enum transport_status {
	TRANSPORT_OK,    /* body holds one message */
	TRANSPORT_EOF,   /* input ended (possibly in the middle of a message: see error) */
	TRANSPORT_ERROR, /* a malformed frame was skipped; error says why; read again */
};

struct transport;

/* Neither stream is closed by transport_free. */
struct transport *transport_new(FILE *in, FILE *out);
void transport_free(struct transport *t);

/* Reads the next message into body (reset first). *error is set to a
 * static description on TRANSPORT_ERROR, and on TRANSPORT_EOF when the input
 * ended mid-message (else NULL). Only one thread may read. */
enum transport_status transport_read(struct transport *t, struct strbuf *body,
				     const char **error);

/* Frames and writes one body and flushes. Safe to call from any thread;
 * returns false when the output is closed. */
bool transport_write(struct transport *t, const char *body, size_t len);

#endif
