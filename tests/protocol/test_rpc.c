/*
 * test_rpc.c — the JSON-RPC envelope: what rpc_decode accepts as a
 * request, notification or response, the error code and id it gives back
 * for every malformed shape, and the builders through rpc_dump and back.
 */
#include "harness.h"
#include "rpc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The id handed back on failure, compact JSON ("null", "7", "\"a\""). */
static char *id_text(const json_t *id)
{
	if (!id)
		return xstrdup("(none)");
	return json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Bodies rpc_decode refuses: the code, the id it recovers (as JSON), and a
 * piece of the message that says why. */
static const struct {
	const char *body;
	int code;
	const char *id;
	const char *why;
} refused[] = {
	/* Not JSON at all. */
	{ "", RPC_PARSE_ERROR, "null", "not valid JSON" },
	{ "not json", RPC_PARSE_ERROR, "null", "not valid JSON" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"", RPC_PARSE_ERROR, "null", "not valid JSON" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,} ", RPC_PARSE_ERROR, "null", "not valid JSON" },
	{ "{} {}", RPC_PARSE_ERROR, "null", "not valid JSON" },
	/* A key twice: which one would count is anyone's guess. */
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"x\"}", RPC_PARSE_ERROR, "null",
	  "not valid JSON" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\"}", RPC_PARSE_ERROR, "null",
	  "not valid JSON" },
	/* JSON, but no object. */
	{ "[]", RPC_INVALID_REQUEST, "null", "batches are not supported" },
	{ "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}]", RPC_INVALID_REQUEST, "null",
	  "batches are not supported" },
	/* The envelope. The id is recovered whenever it is a valid one, so
	 * that the error response can name the request. */
	{ "{\"id\":1,\"method\":\"x\"}", RPC_INVALID_REQUEST, "1", "\"jsonrpc\" must be \"2.0\"" },
	{ "{\"jsonrpc\":\"1.0\",\"id\":\"a\",\"method\":\"x\"}", RPC_INVALID_REQUEST, "\"a\"",
	  "\"jsonrpc\" must be \"2.0\"" },
	{ "{\"jsonrpc\":2.0,\"id\":3,\"method\":\"x\"}", RPC_INVALID_REQUEST, "3",
	  "\"jsonrpc\" must be \"2.0\"" },
	{ "{\"jsonrpc\":\"2.0 \",\"method\":\"x\"}", RPC_INVALID_REQUEST, "null",
	  "\"jsonrpc\" must be \"2.0\"" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"x\"}", RPC_INVALID_REQUEST, "null",
	  "\"id\" must be a string or an integer" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"x\"}", RPC_INVALID_REQUEST, "null",
	  "\"id\" must be a string or an integer" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}", RPC_INVALID_REQUEST, "null",
	  "\"id\" must be a string or an integer" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":{},\"result\":1}", RPC_INVALID_REQUEST, "null",
	  "\"id\" must be a string or an integer" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"x\"}", RPC_INVALID_REQUEST, "null",
	  "\"id\" must not be null" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":5}", RPC_INVALID_REQUEST, "4",
	  "\"method\" must be a string" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"m\",\"method\":null}", RPC_INVALID_REQUEST, "\"m\"",
	  "\"method\" must be a string" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":[\"x\"]}", RPC_INVALID_REQUEST, "null",
	  "\"method\" must be a string" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":5}", RPC_INVALID_REQUEST, "5",
	  "\"params\" must be an object or an array" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":-6,\"method\":\"x\",\"params\":\"p\"}", RPC_INVALID_REQUEST,
	  "-6", "\"params\" must be an object or an array" },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":false}", RPC_INVALID_REQUEST, "null",
	  "\"params\" must be an object or an array" },
	{ "{\"jsonrpc\":\"2.0\"}", RPC_INVALID_REQUEST, "null", "no \"method\" and no \"id\"" },
	{ "{\"jsonrpc\":\"2.0\",\"result\":1}", RPC_INVALID_REQUEST, "null",
	  "no \"method\" and no \"id\"" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":7}", RPC_INVALID_REQUEST, "7",
	  "a response needs \"result\" or \"error\"" },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"\xc3\xa9\xf0\x9f\xa7\x8a\",\"params\":{}}",
	  RPC_INVALID_REQUEST, "\"\xc3\xa9\xf0\x9f\xa7\x8a\"",
	  "a response needs \"result\" or \"error\"" },
};

static void test_refused(void)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct rpc_message msg;
		int code = 0;
		const char *message = NULL;
		json_t *id = NULL;
		bool ok = rpc_decode(refused[i].body, strlen(refused[i].body), &msg, &code,
				     &message, &id);
		char *got_id = id_text(id);
		bool right = !ok && code == refused[i].code && message &&
			     strstr(message, refused[i].why) && strcmp(got_id, refused[i].id) == 0 &&
			     msg.root == NULL;
		if (!right)
			fprintf(stderr, "refused[%zu] %s: ok %d, code %d, id %s, message \"%s\"\n", i,
				refused[i].body, ok, code, got_id, message ? message : "(null)");
		OK(right);
		free(got_id);
		json_decref(id);
	}
}

static void test_scalar_bodies(void)
{
	/* A body that is a bare JSON value ("1", "null") is refused with the
	 * id null. (JSON-RPC 2.0's own example answers "1" with Invalid
	 * Request; jansson does not decode a bare value without
	 * JSON_DECODE_ANY, so it is reported as a parse error here.) */
	static const char *const bodies[] = { "1", "null", "\"x\"", "true" };
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct rpc_message msg;
		int code = 0;
		const char *message = NULL;
		json_t *id = NULL;
		OK(!rpc_decode(bodies[i], strlen(bodies[i]), &msg, &code, &message, &id));
		OK(code == RPC_PARSE_ERROR || code == RPC_INVALID_REQUEST);
		OK(json_is_null(id));
		OK(message != NULL);
	}
}

/* Decodes body, which must succeed, into msg. */
static bool decode_ok(const char *body, size_t len, struct rpc_message *msg)
{
	int code = 0;
	const char *message = NULL;
	json_t *id = json_string("sentinel");
	json_t *before = id;
	bool ok = rpc_decode(body, len, msg, &code, &message, &id);
	if (!ok)
		fprintf(stderr, "decode failed: %s: %s\n", body, message);
	OK(ok);
	OK(id == NULL); /* on success no id is handed back */
	json_decref(before);
	return ok;
}

static void test_requests_and_notifications(void)
{
	struct rpc_message msg;
	static const char req[] =
		" \r\n{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"textDocument/hover\","
		"\"params\":{\"position\":{\"line\":1}}}\n";
	if (decode_ok(req, sizeof(req) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_REQUEST);
		INT_EQ(json_integer_value(msg.id), 12);
		STR_EQ(msg.method, "textDocument/hover");
		OK(json_is_object(msg.params));
		INT_EQ(json_integer_value(json_object_get(json_object_get(msg.params, "position"), "line")), 1);
		OK(msg.result == NULL && msg.error == NULL);
		OK(!msg.cancelled);
		rpc_message_fini(&msg);
		OK(msg.root == NULL && msg.method == NULL && msg.id == NULL);
	}

	/* A string id, params an array, a method name beyond ASCII. */
	static const char req2[] = "{\"method\":\"x/\xc3\xa9\xf0\x9f\xa7\x8a\",\"params\":[1,2],"
				   "\"id\":\"\",\"jsonrpc\":\"2.0\"}";
	if (decode_ok(req2, sizeof(req2) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_REQUEST);
		STR_EQ(json_string_value(msg.id), "");
		STR_EQ(msg.method, "x/\xc3\xa9\xf0\x9f\xa7\x8a");
		INT_EQ(json_array_size(msg.params), 2);
		rpc_message_fini(&msg);
	}

	/* "params": null is no params (Eglot sends it); so is none at all. */
	static const char notif[] = "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":null}";
	if (decode_ok(notif, sizeof(notif) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_NOTIFICATION);
		OK(msg.id == NULL);
		STR_EQ(msg.method, "initialized");
		OK(msg.params == NULL);
		rpc_message_fini(&msg);
	}
	static const char notif2[] = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}";
	if (decode_ok(notif2, sizeof(notif2) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_NOTIFICATION);
		OK(msg.params == NULL);
		rpc_message_fini(&msg);
	}

	/* Ids at the edges of an integer. */
	static const char big[] = "{\"jsonrpc\":\"2.0\",\"id\":-9223372036854775808,\"method\":\"m\"}";
	if (decode_ok(big, sizeof(big) - 1, &msg)) {
		OK(json_integer_value(msg.id) == INT64_MIN);
		rpc_message_fini(&msg);
	}

	/* A NUL inside a string is allowed (JSON_ALLOW_NUL): the text a
	 * didChange carries may hold one. The length decides, not a NUL. */
	static const char nul[] =
		"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"text\":\"a\\u0000b\"}}";
	if (decode_ok(nul, sizeof(nul) - 1, &msg)) {
		json_t *t = json_object_get(msg.params, "text");
		INT_EQ(json_string_length(t), 3);
		OK(memcmp(json_string_value(t), "a\0b", 3) == 0);
		rpc_message_fini(&msg);
	}
	/* Only the first len bytes are read: what follows is not looked at. */
	static const char cut[] = "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}garbage";
	if (decode_ok(cut, sizeof(cut) - 1 - 7, &msg)) {
		STR_EQ(msg.method, "m");
		rpc_message_fini(&msg);
	}
	/* A raw NUL byte in the body is no JSON. */
	struct rpc_message m2;
	int code = 0;
	const char *message = NULL;
	json_t *id = NULL;
	static const char raw_nul[] = "{\"jsonrpc\":\"2.0\",\"method\":\"a\0b\"}";
	OK(!rpc_decode(raw_nul, sizeof(raw_nul) - 1, &m2, &code, &message, &id));
	INT_EQ(code, RPC_PARSE_ERROR);
	json_decref(id);
}

static void test_responses(void)
{
	struct rpc_message msg;
	/* "result": null is a result. */
	static const char res[] = "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}";
	if (decode_ok(res, sizeof(res) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_RESPONSE);
		INT_EQ(json_integer_value(msg.id), 3);
		OK(json_is_null(msg.result));
		OK(msg.error == NULL && msg.method == NULL);
		rpc_message_fini(&msg);
	}
	static const char err[] = "{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"error\":{\"code\":-32601,"
				  "\"message\":\"no\"}}";
	if (decode_ok(err, sizeof(err) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_RESPONSE);
		STR_EQ(json_string_value(msg.id), "r1");
		OK(msg.result == NULL);
		INT_EQ(json_integer_value(json_object_get(msg.error, "code")), RPC_METHOD_NOT_FOUND);
		rpc_message_fini(&msg);
	}
	/* An error response to a message whose id could not be read has id
	 * null: still a response. */
	static const char null_id[] = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
				      "\"message\":\"x\"}}";
	if (decode_ok(null_id, sizeof(null_id) - 1, &msg)) {
		INT_EQ(msg.kind, RPC_RESPONSE);
		OK(json_is_null(msg.id));
		OK(json_is_object(msg.error));
		rpc_message_fini(&msg);
	}
}

/* Dumps msg (consumed) and returns the text. */
static char *dump(json_t *msg, size_t *len)
{
	char *s = rpc_dump(msg, len);
	json_decref(msg);
	return s;
}

static void test_builders(void)
{
	size_t len;
	char *s = dump(rpc_response_new(json_integer(7), NULL), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}");
	INT_EQ(len, strlen(s));
	free(s);

	s = dump(rpc_response_new(json_string("a"), json_pack("[i,s]", 1, "b")), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":[1,\"b\"]}");
	free(s);

	/* No id (a parse error's answer) is id null. */
	s = dump(rpc_error_new(NULL, RPC_PARSE_ERROR, "Parse error"), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
	free(s);
	s = dump(rpc_error_new(json_integer(2), RPC_CONTENT_MODIFIED, "\"quoted\"\n\xc3\xa9"), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32801,"
		  "\"message\":\"\\\"quoted\\\"\\n\xc3\xa9\"}}");
	free(s);

	s = dump(rpc_notification_new("window/logMessage", NULL), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"method\":\"window/logMessage\"}");
	free(s);
	s = dump(rpc_notification_new("$/progress", json_pack("{s:i}", "token", 1)), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":1}}");
	free(s);

	s = dump(rpc_request_new(json_integer(1), "workspace/configuration", json_array()), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"method\":\"workspace/configuration\",\"params\":[],\"id\":1}");
	free(s);

	/* A NUL in a string goes out as \u0000, and the length counts all of
	 * the output (json_dumps would have stopped at nothing here, but a
	 * C string can't carry what follows a NUL). */
	s = dump(rpc_response_new(json_integer(1), json_stringn("a\0b", 3)), &len);
	STR_EQ(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"a\\u0000b\"}");
	INT_EQ(len, strlen("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"a\\u0000b\"}"));
	free(s);

	/* An empty object dumps as "{}" with its length. */
	json_t *empty = json_object();
	s = rpc_dump(empty, &len);
	STR_EQ(s, "{}");
	INT_EQ(len, 2);
	free(s);
	json_decref(empty);
}

static void test_round_trips(void)
{
	/* What the builders make, rpc_decode reads back as the same message. */
	struct rpc_message msg;
	size_t len;
	char *s = dump(rpc_request_new(json_string("\xf0\x9f\xa7\x8a"), "m/\xe6\xbc\xa2",
				       json_pack("{s:[i,i]}", "a", 1, 2)), &len);
	if (decode_ok(s, len, &msg)) {
		INT_EQ(msg.kind, RPC_REQUEST);
		STR_EQ(json_string_value(msg.id), "\xf0\x9f\xa7\x8a");
		STR_EQ(msg.method, "m/\xe6\xbc\xa2");
		INT_EQ(json_integer_value(json_array_get(json_object_get(msg.params, "a"), 1)), 2);
		rpc_message_fini(&msg);
	}
	free(s);

	s = dump(rpc_notification_new("exit", NULL), &len);
	if (decode_ok(s, len, &msg)) {
		INT_EQ(msg.kind, RPC_NOTIFICATION);
		STR_EQ(msg.method, "exit");
		OK(msg.params == NULL);
		rpc_message_fini(&msg);
	}
	free(s);

	s = dump(rpc_response_new(json_integer(99), json_stringn("x\0y", 3)), &len);
	if (decode_ok(s, len, &msg)) {
		INT_EQ(msg.kind, RPC_RESPONSE);
		INT_EQ(json_integer_value(msg.id), 99);
		INT_EQ(json_string_length(msg.result), 3);
		rpc_message_fini(&msg);
	}
	free(s);

	s = dump(rpc_error_new(json_string("q"), RPC_REQUEST_CANCELLED, "cancelled"), &len);
	if (decode_ok(s, len, &msg)) {
		INT_EQ(msg.kind, RPC_RESPONSE);
		INT_EQ(json_integer_value(json_object_get(msg.error, "code")), -32800);
		STR_EQ(json_string_value(json_object_get(msg.error, "message")), "cancelled");
		rpc_message_fini(&msg);
	}
	free(s);
}

int main(void)
{
	test_refused();
	test_scalar_bodies();
	test_requests_and_notifications();
	test_responses();
	test_builders();
	test_round_trips();
	return harness_done("test_rpc");
}
