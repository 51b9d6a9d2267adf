/*
 * yaml_tree.h — a YAML document as a small tree with exact byte ranges.
 *
 * The only module that uses libyaml (parser/yaml_tree.c). Used for note
 * frontmatter and for the .vault-lsp.yaml configuration file.
 *
 * Aliases (*ref) are never expanded (they become YAML_NULL nodes), so a
 * "billion laughs" document costs its own size, not its expansion.
 */
#ifndef VAULT_YAML_TREE_H
#define VAULT_YAML_TREE_H

#include "util.h"

enum yaml_node_type { YAML_NULL_NODE, YAML_SCALAR_NODE, YAML_SEQ_NODE, YAML_MAP_NODE };

struct yaml_node {
	uint8_t type;           /* enum yaml_node_type */
	bool quoted;            /* scalar was written with quotes */
	struct span span;       /* byte range in the parsed text: for a scalar its
				   value without quotes, for a sequence or map the
				   whole collection */
	uint32_t n;             /* number of children (here, not after str: 48
				   bytes a node, not 56, kept for every note) */
	char *str;              /* scalar: decoded value (escapes resolved); else NULL */
	struct yaml_node *items;/* children: sequence items or map values */
	char **keys;            /* map only: keys, parallel to items */
	struct span *key_spans; /* map only */
};

/*
 * Parses the YAML text[0..len) whose first byte has offset `base` in the
 * file the spans should refer to (spans are base + byte offset in text).
 * Only the first document is read. On success returns the root node (a
 * mapping, sequence or scalar) and sets *error_offset = UINT32_MAX. On
 * invalid YAML returns NULL and sets *error_offset (absolute, like spans)
 * and *error_message (owned by the caller, free()).
 * An empty document returns a YAML_NULL_NODE. The tree is one allocation:
 * yaml_tree_free() frees it all; never free or change a node of it.
 */
struct yaml_node *yaml_tree_parse(const char *text, size_t len, uint32_t base,
				  uint32_t *error_offset, char **error_message);
void yaml_tree_free(struct yaml_node *node);

/* Map lookup by exact key; NULL when absent or node is not a map. */
const struct yaml_node *yaml_tree_get(const struct yaml_node *map, const char *key);

#endif
