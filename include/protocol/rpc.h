/*
 * rpc.h — the JSON-RPC 2.0 envelope (jansson): decoding one message body
 * into its kind, and building responses, errors, notifications and
 * requests. jansson is used in lsp/ only.
 *
 * Ownership follows jansson's "_new" convention: functions named *_new
 * steal the references passed to them.
 */
#ifndef VAULT_RPC_H
#define VAULT_RPC_H

#include <jansson.h>
#include <stdbool.h>

enum rpc_error_code {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	RPC_SERVER_NOT_INITIALIZED = -32002,
	RPC_REQUEST_FAILED = -32803,
	RPC_REQUEST_CANCELLED = -32800,
	RPC_CONTENT_MODIFIED = -32801,
};

enum rpc_kind { RPC_REQUEST, RPC_NOTIFICATION, RPC_RESPONSE };

struct rpc_message {
	enum rpc_kind kind;
	json_t *root;       /* owned: the whole message */
	json_t *id;         /* borrowed from root (requests, responses) */
	const char *method; /* borrowed (requests, notifications) */
	json_t *params;     /* borrowed, may be NULL */
	json_t *result;     /* borrowed (responses) */
	json_t *error;      /* borrowed (error responses) */
	bool cancelled;     /* a $/cancelRequest came for it before it was handled */
};

/*
 * Decodes one body. On failure returns false and sets *code (ParseError or
 * InvalidRequest), *message (static) and *id (a new reference to the
 * request's id when it could be read, else json_null()). On success *id
 * is NULL.
 */
bool rpc_decode(const char *body, size_t len, struct rpc_message *msg,
		int *code, const char **message, json_t **id);
void rpc_message_fini(struct rpc_message *msg);

/* Steal id and result (NULL result means null). */
json_t *rpc_response_new(json_t *id, json_t *result);
/* Steals id; copies message. */
json_t *rpc_error_new(json_t *id, int code, const char *message);
/* Steals params (may be NULL). */
json_t *rpc_notification_new(const char *method, json_t *params);
json_t *rpc_request_new(json_t *id, const char *method, json_t *params);

/* Serialises compactly; the caller frees the result with free(). */
char *rpc_dump(const json_t *msg, size_t *len);

#endif
