/* channel.c — JSON-RPC messages out to the client, whole and traced. */
#include "channel.h"
#include "rpc.h"

#include <stdlib.h>

struct channel {
	struct transport *tr;
	struct log *log;
};

struct channel *channel_new(struct transport *tr, struct log *log)
{
	struct channel *ch = xcalloc(1, sizeof(*ch));
	ch->tr = tr;
	ch->log = log;
	return ch;
}

void channel_free(struct channel *ch)
{
	free(ch);
}

static void send_body(struct channel *ch, const char *body, size_t len)
{
	if (log_enabled(ch->log, LOG_TRACE))
		log_msg(ch->log, LOG_TRACE, "<- %.*s", (int)(len > 2000 ? 2000 : len), body);
	if (!transport_write(ch->tr, body, len))
		log_msg(ch->log, LOG_ERROR, "cannot write to the client");
}

void channel_send(struct channel *ch, json_t *msg)
{
	size_t len;
	char *body = rpc_dump(msg, &len);
	send_body(ch, body, len);
	free(body);
	json_decref(msg);
}

void channel_reply_text(struct channel *ch, const json_t *id, const char *result, size_t len)
{
	struct strbuf b = { 0 };
	char *idtext = json_dumps(id ? id : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
	strbuf_puts(&b, "{\"jsonrpc\":\"2.0\",\"id\":");
	strbuf_puts(&b, idtext ? idtext : "null");
	strbuf_puts(&b, ",\"result\":");
	strbuf_put(&b, result, len);
	strbuf_putc(&b, '}');
	free(idtext);
	send_body(ch, b.ptr, b.len);
	strbuf_fini(&b);
}

void channel_reply(struct channel *ch, const json_t *id, json_t *result)
{
	channel_send(ch, rpc_response_new(json_deep_copy(id), result));
}

void channel_reply_error(struct channel *ch, const json_t *id, int code, const char *message)
{
	channel_send(ch, rpc_error_new(id ? json_deep_copy(id) : json_null(), code, message));
}

void channel_notify(struct channel *ch, const char *method, json_t *params)
{
	channel_send(ch, rpc_notification_new(method, params));
}

void channel_notify_text(struct channel *ch, const char *method, const char *params, size_t len)
{
	struct strbuf b = { 0 };
	strbuf_puts(&b, "{\"jsonrpc\":\"2.0\",\"method\":\"");
	strbuf_puts(&b, method);
	strbuf_puts(&b, "\",\"params\":");
	strbuf_put(&b, params, len);
	strbuf_putc(&b, '}');
	send_body(ch, b.ptr, b.len);
	strbuf_fini(&b);
}
