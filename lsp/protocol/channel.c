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

void channel_send(struct channel *ch, json_t *msg)
{
	size_t len;
	char *body = rpc_dump(msg, &len);
	if (log_enabled(ch->log, LOG_TRACE))
		log_msg(ch->log, LOG_TRACE, "<- %.*s", (int)(len > 2000 ? 2000 : len), body);
	if (!transport_write(ch->tr, body, len))
		log_msg(ch->log, LOG_ERROR, "cannot write to the client");
	free(body);
	json_decref(msg);
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
