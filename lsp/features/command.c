/* command.c — workspace/executeCommand: the server's commands by name. */
#include "feature.h"

#include <string.h>

typedef void (*command_fn)(struct feature_ctx *ctx, const json_t *id, const json_t *args);

static const struct {
	const char *name;
	command_fn fn;
} commands[] = {
	{ "vault-lsp.unlinkedMentions", link_mentions_command },
};

json_t *command_names(void)
{
	json_t *names = json_array();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		json_array_append_new(names, json_string(commands[i].name));
	return names;
}

void command_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "command"));
	for (size_t i = 0; name && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			commands[i].fn(ctx, id, json_object_get(params, "arguments"));
			return;
		}
	}
	channel_reply_error(ctx->ch, id, RPC_INVALID_PARAMS,
			    name ? "unknown command" : "params.command is required");
}
