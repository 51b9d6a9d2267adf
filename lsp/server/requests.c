/* requests.c — server-to-client requests and the answers awaited. */
#include "requests.h"

void requests_send(struct server *s, const char *method, json_t *params, enum pending kind)
{
	json_int_t id = ++s->next_id;
	array_push(&s->pending_ids, id);
	array_push(&s->pending_kinds, (uint8_t)kind);
	channel_send(s->ch, rpc_request_new(json_integer(id), method, params));
}

enum pending requests_take(struct server *s, const json_t *id)
{
	if (!json_is_integer(id))
		return 0;
	json_int_t n = json_integer_value(id);
	for (uint32_t i = 0; i < s->pending_ids.len; i++) {
		if (s->pending_ids.items[i] != n)
			continue;
		enum pending kind = s->pending_kinds.items[i];
		s->pending_ids.items[i] = s->pending_ids.items[s->pending_ids.len - 1];
		s->pending_kinds.items[i] = s->pending_kinds.items[s->pending_kinds.len - 1];
		s->pending_ids.len--;
		s->pending_kinds.len--;
		return kind;
	}
	return 0;
}
