/* rpc.c — JSON-RPC 2.0 envelopes. */
#include "rpc.h"

#include "util.h"

#include <string.h>

static bool valid_id(const json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

bool rpc_decode(const char *body, size_t len, struct rpc_message *msg,
		int *code, const char **message, json_t **id)
{
	memset(msg, 0, sizeof(*msg));
	*id = json_null();

	json_error_t err;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!root) {
		*code = RPC_PARSE_ERROR;
		*message = "Parse error: the message is not valid JSON";
		return false;
	}
	if (!json_is_object(root)) {
		*code = RPC_INVALID_REQUEST;
		*message = json_is_array(root) ? "Invalid Request: batches are not supported"
					       : "Invalid Request: not a JSON object";
		json_decref(root);
		return false;
	}

	json_t *jid = json_object_get(root, "id");
	json_t *method = json_object_get(root, "method");
	if (jid && valid_id(jid)) {
		json_decref(*id);
		*id = json_incref(jid);
	}
	const char *why = NULL;
	json_t *version = json_object_get(root, "jsonrpc");
	if (!json_is_string(version) || strcmp(json_string_value(version), "2.0") != 0)
		why = "Invalid Request: \"jsonrpc\" must be \"2.0\"";
	else if (jid && !valid_id(jid) && !json_is_null(jid))
		why = "Invalid Request: \"id\" must be a string or an integer";

	json_t *params = json_object_get(root, "params");
	/* "params": null is what some clients (Eglot) send for none. */
	if (json_is_null(params))
		params = NULL;
	if (!why && method) {
		if (!json_is_string(method))
			why = "Invalid Request: \"method\" must be a string";
		else if (params && !json_is_object(params) && !json_is_array(params))
			why = "Invalid Request: \"params\" must be an object or an array";
		else if (jid && json_is_null(jid))
			why = "Invalid Request: \"id\" must not be null";
	} else if (!why) {
		json_t *result = json_object_get(root, "result");
		json_t *error = json_object_get(root, "error");
		if (!jid)
			why = "Invalid Request: no \"method\" and no \"id\"";
		else if (!result && !error)
			why = "Invalid Request: a response needs \"result\" or \"error\"";
		else {
			msg->kind = RPC_RESPONSE;
			msg->root = root;
			msg->id = jid;
			msg->result = result;
			msg->error = error;
			json_decref(*id);
			*id = NULL;
			return true;
		}
	}
	if (why) {
		json_decref(root);
		*code = RPC_INVALID_REQUEST;
		*message = why;
		return false;
	}
	json_decref(*id); /* only failures hand an id back */
	*id = NULL;
	msg->kind = jid ? RPC_REQUEST : RPC_NOTIFICATION;
	msg->root = root;
	msg->id = jid;
	msg->method = json_string_value(method);
	msg->params = params;
	return true;
}

void rpc_message_fini(struct rpc_message *msg)
{
	json_decref(msg->root);
	memset(msg, 0, sizeof(*msg));
}

json_t *rpc_response_new(json_t *id, json_t *result)
{
	return json_pack("{s:s, s:o, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(),
			 "result", result ? result : json_null());
}

json_t *rpc_error_new(json_t *id, int code, const char *message)
{
	return json_pack("{s:s, s:o, s:{s:i, s:s}}", "jsonrpc", "2.0", "id",
			 id ? id : json_null(), "error", "code", code, "message", message);
}

json_t *rpc_notification_new(const char *method, json_t *params)
{
	json_t *msg = json_pack("{s:s, s:s}", "jsonrpc", "2.0", "method", method);
	if (params)
		json_object_set_new(msg, "params", params);
	return msg;
}

json_t *rpc_request_new(json_t *id, const char *method, json_t *params)
{
	json_t *msg = rpc_notification_new(method, params);
	json_object_set_new(msg, "id", id);
	return msg;
}

static int dump_to(const char *buf, size_t size, void *data)
{
	strbuf_put(data, buf, size);
	return 0;
}

char *rpc_dump(const json_t *msg, size_t *len)
{
	/* One pass into a growing buffer: json_dumpb would need two (one to
	 * learn the size), and a completion list is ~80 KB of JSON. Not
	 * json_dumps: strings may hold NUL characters. */
	struct strbuf b;
	strbuf_init(&b);
	json_dump_callback(msg, dump_to, &b, JSON_COMPACT);
	*len = b.len;
	return strbuf_detach(&b);
}
