/*
 * fuzz_transport.c — any bytes as the server's input stream: the framing
 * (transport_read until EOF) and the JSON-RPC envelope (rpc_decode) of
 * every body it yields.
 *
 * Invariants: transport_read terminates (every call consumes input or
 * reports EOF), an error always comes with a reason, a body is
 * NUL-terminated, and what transport_write frames reads back as the same
 * bodies. Memory stays bounded because libFuzzer's -rss_limit_mb and
 * -malloc_limit_mb see any allocation driven by a lying Content-Length.
 */
#include "fuzz.h"
#include "rpc.h"
#include "transport.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void decode(const struct strbuf *body)
{
	struct rpc_message msg;
	int code;
	const char *why;
	json_t *id = NULL;
	if (rpc_decode(body->ptr, body->len, &msg, &code, &why, &id)) {
		CHECK(msg.root);
		CHECK(msg.kind == RPC_RESPONSE || msg.method);
		rpc_message_fini(&msg);
	} else {
		CHECK(why && id);
		CHECK(code == RPC_PARSE_ERROR || code == RPC_INVALID_REQUEST);
		/* What the reader thread does with it: an error response. */
		json_t *err = rpc_error_new(id, code, why);
		size_t len;
		char *dumped = rpc_dump(err, &len);
		CHECK(dumped);
		free(dumped);
		json_decref(err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	FILE *in = fmemopen((void *)data, size, "rb");
	char *out_buf = NULL;
	size_t out_len = 0;
	FILE *out = open_memstream(&out_buf, &out_len);
	CHECK(in && out);
	struct transport *t = transport_new(in, out);

	struct strbuf body = { 0 }, all = { 0 };
	strbuf_init(&all);
	size_t n_ok = 0, calls = 0;
	for (;;) {
		const char *error = (const char *)1;
		enum transport_status st = transport_read(t, &body, &error);
		CHECK(++calls <= size + 1); /* every call makes progress */
		CHECK(body.ptr && body.ptr[body.len] == '\0');
		if (st == TRANSPORT_EOF)
			break;
		if (st == TRANSPORT_ERROR) {
			CHECK(error && error != (const char *)1);
			continue;
		}
		CHECK(st == TRANSPORT_OK && error == NULL);
		CHECK(body.len <= size);
		n_ok++;
		strbuf_put(&all, body.ptr, body.len);
		CHECK(transport_write(t, body.ptr, body.len));
		decode(&body);
	}
	transport_free(t);
	fclose(in);
	fclose(out);

	/* Round trip: what we framed reads back as the same bodies. */
	if (n_ok) {
		in = fmemopen(out_buf, out_len, "rb");
		CHECK(in);
		t = transport_new(in, NULL);
		size_t pos = 0, n_back = 0;
		const char *error;
		while (transport_read(t, &body, &error) == TRANSPORT_OK) {
			CHECK(pos + body.len <= all.len);
			CHECK(memcmp(all.ptr + pos, body.ptr, body.len) == 0);
			pos += body.len;
			n_back++;
		}
		CHECK(error == NULL);
		CHECK(n_back == n_ok && pos == all.len);
		transport_free(t);
		fclose(in);
	}
	free(out_buf);
	strbuf_fini(&body);
	strbuf_fini(&all);
	return 0;
}
