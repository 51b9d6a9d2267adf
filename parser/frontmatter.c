/*
 * frontmatter.c — the YAML between a note's opening "---" lines, parsed
 * (yaml_tree.c), and the well-known keys the index reads from it.
 */
#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "note_types.h"

/* True when [s, e) is `word` followed only by blanks and CRs. */
static bool is_delimiter(const char *t, uint32_t s, uint32_t e, const char *word)
{
	size_t n = strlen(word);
	if (e - s < n || memcmp(t + s, word, n) != 0)
		return false;
	for (uint32_t i = s + (uint32_t)n; i < e; i++)
		if (!is_blank(t[i]) && t[i] != '\r')
			return false;
	return true;
}

static uint32_t line_end_nl(const char *t, uint32_t len, uint32_t from)
{
	const char *p = from < len ? memchr(t + from, '\n', len - from) : NULL;
	return p ? (uint32_t)(p - t) : len;
}

/* 1-based line of offset, counting "\n", "\r\n" and a lone "\r" as editors do. */
static uint32_t line_number(const char *t, uint32_t offset)
{
	uint32_t line = 1;
	for (uint32_t i = 0; i < offset; i++)
		if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
			line++;
	return line;
}

static void set_error(struct note *n, uint32_t offset, char *message)
{
	n->fm_error.present = true;
	n->fm_error.offset = offset < n->len ? offset : n->len;
	n->fm_error.message = message;
}

/* Scalars of a list or a single scalar, skipping nulls and empty strings.
 * A macro because each ARRAY() is its own anonymous type. */
#define COLLECT_SCALARS(v, out)                                                 \
	do {                                                                    \
		const struct yaml_node *v_ = (v);                               \
		if (v_ && v_->type == YAML_SCALAR_NODE && v_->str[0])           \
			array_push((out), v_);                                  \
		for (uint32_t i_ = 0; v_ && v_->type == YAML_SEQ_NODE && i_ < v_->n; i_++) \
			if (v_->items[i_].type == YAML_SCALAR_NODE && v_->items[i_].str[0]) \
				array_push((out), &v_->items[i_]);              \
	} while (0)

static const struct yaml_node *nonempty_scalar(const struct yaml_node *map, const char *key)
{
	const struct yaml_node *v = yaml_tree_get(map, key);
	return v && v->type == YAML_SCALAR_NODE && v->str[0] ? v : NULL;
}

/*
 * A frontmatter opens with a first line (after an optional BOM) that is
 * exactly "---" and closes at the next line that is "---" or "...";
 * trailing blanks and a CR are allowed on both. One that never closes is not
 * a frontmatter at all (the text is all body), but earns an error so that
 * the user learns why their keys are ignored.
 */
void frontmatter_parse(struct note *n)
{
	const char *t = n->text;
	uint32_t p = has_bom(t, n->len, 0) ? 3 : 0;
	n->body = p;
	uint32_t e = line_end_nl(t, n->len, p);
	if (!is_delimiter(t, p, e, "---"))
		return;
	uint32_t yaml = e < n->len ? e + 1 : n->len;
	uint32_t close = UINT32_MAX, after = n->len;
	for (uint32_t ls = yaml; ls < n->len;) {
		uint32_t le = line_end_nl(t, n->len, ls);
		if (is_delimiter(t, ls, le, "---") || is_delimiter(t, ls, le, "...")) {
			close = ls;
			after = le < n->len ? le + 1 : n->len;
			break;
		}
		ls = le + 1;
	}
	if (close == UINT32_MAX) {
		set_error(n, p, xstrdup("frontmatter never closes"));
		return;
	}
	n->has_frontmatter = true;
	n->fm_span = (struct span){ p, after - p };
	n->body = after;

	uint32_t err_offset;
	char *err;
	struct yaml_node *root = yaml_tree_parse(t + yaml, close - yaml, yaml, &err_offset, &err);
	if (!root) {
		/* yaml_tree_parse numbers lines within the YAML text;
		 * the user wants the file's line. */
		const char *rest = strstr(err, ": ");
		rest = rest ? rest + 2 : err;
		struct strbuf b;
		strbuf_init(&b);
		strbuf_printf(&b, "line %u: %s", line_number(t, err_offset < n->len ? err_offset : n->len), rest);
		free(err);
		set_error(n, err_offset, strbuf_detach(&b));
		return;
	}
	if (root->type != YAML_MAP_NODE) {
		/* Empty YAML or a lone scalar: nothing to look up, and
		 * not worth an error. */
		yaml_tree_free(root);
		return;
	}
	n->frontmatter = root;
	COLLECT_SCALARS(yaml_tree_get(root, "aliases"), &n->aliases);
	COLLECT_SCALARS(yaml_tree_get(root, "alias"), &n->aliases);
	COLLECT_SCALARS(yaml_tree_get(root, "tags"), &n->fm_tags);
	COLLECT_SCALARS(yaml_tree_get(root, "tag"), &n->fm_tags);
	n->type = nonempty_scalar(root, "type");
	n->name = nonempty_scalar(root, "name");
	n->title = nonempty_scalar(root, "title");
}
