/* sarif.c — check's diagnostics as a SARIF 2.1.0 log: see sarif.h. */
#include "sarif.h"
#include "protocol.h"
#include "uri.h"
#include "vault.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

/* What code-scanning tools show beside a result: the rule's descriptions
 * (the README's table of codes, as sentences) and its default severity. */
static const struct rule_text {
	const char *code;
	int severity;
	const char *brief, *full;
} rule_texts[] = {
	{ DIAG_UNRESOLVED_LINK, DIAG_WARNING, "Link to a note or file that does not exist",
	  "No note (or, for a name with an extension, no file) has the linked name. "
	  "Names within a small edit distance are suggested as fixes." },
	{ DIAG_AMBIGUOUS_LINK, DIAG_INFO, "Link that several notes or files match",
	  "Several notes share the linked stem, or several files the linked name; the link "
	  "opens one of them. Related locations list the candidates." },
	{ DIAG_UNRESOLVED_HEADING, DIAG_WARNING, "Link to a heading the note does not have",
	  "The linked note exists, the #heading does not." },
	{ DIAG_UNRESOLVED_BLOCK, DIAG_WARNING, "Link to a block id the note does not have",
	  "The linked note exists, the #^block id does not." },
	{ DIAG_INVALID_FRONTMATTER, DIAG_ERROR, "Frontmatter that is not valid YAML",
	  "The YAML frontmatter does not parse; the result points at the YAML error. The note "
	  "is still indexed from its name and body." },
	{ DIAG_DUPLICATE_FACT, DIAG_WARNING, "Fact repeated with the same words",
	  "A list item with the same words as an earlier fact of its context." },
	{ DIAG_NEAR_DUPLICATE_FACT, DIAG_INFO, "Fact that repeats an earlier one in other words",
	  "A later fact whose content words overlap an earlier fact's enough "
	  "(duplicates.threshold) to say the same thing." },
	{ DIAG_SUBSUMED_FACT, DIAG_INFO, "Fact already said by a longer fact of the note",
	  "In a note about one subject, a fact whose words all appear, in order, in a longer "
	  "fact of the note." },
	{ DIAG_MOJIBAKE, DIAG_INFO, "UTF-8 text mis-decoded and saved again",
	  "UTF-8 text that was read as Mac Roman or Windows-1252 and written back; the "
	  "repaired text is suggested as a fix." },
	{ DIAG_CROSS_NOTE_FACT, DIAG_HINT, "The same fact in another note",
	  "A fact whose normalised words appear in another note (only with "
	  "duplicates.crossNote)." },
	{ DIAG_NAME_VARIANT, DIAG_INFO, "A person's name in a spelling the vault never declared",
	  "A mention that is probably a person card's name spelled another way; add the "
	  "spelling to the card's aliases: or write the card's name." },
	{ DIAG_DUPLICATE_CARD, DIAG_INFO, "Another person card with the same name",
	  "Two person cards of one person (People/X and Contacts/X); related locations point "
	  "at the other card." },
};

const char *sarif_level(int severity)
{
	return severity == DIAG_ERROR ? "error" : severity == DIAG_WARNING ? "warning" : "note";
}

struct sarif {
	json_t *log, *results;
	char *root_uri;       /* file:///…/ of the checked folder */
	size_t root_len;
};

static const struct rule_text *rule_text(const char *code)
{
	for (size_t i = 0; i < sizeof(rule_texts) / sizeof(rule_texts[0]); i++)
		if (strcmp(rule_texts[i].code, code) == 0)
			return &rule_texts[i];
	return NULL;
}

static json_t *message(const char *text)
{
	return json_pack("{s:o}", "text", json_text(text, strlen(text)));
}

/* "unresolved-link" -> "UnresolvedLink": a rule's name, as SARIF has them. */
static json_t *rule_name(const char *code)
{
	struct strbuf b = { 0 };
	for (const char *p = code; *p; p++) {
		if (*p == '-')
			continue;
		char c = *p;
		if ((p == code || p[-1] == '-') && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		strbuf_putc(&b, c);
	}
	json_t *j = json_stringn(b.ptr, b.len);
	strbuf_fini(&b);
	return j;
}

static json_t *rules(void)
{
	json_t *list = json_array();
	for (unsigned i = 0; i < diag_code_count(); i++) {
		const char *code = diag_code_name(i);
		const struct rule_text *t = rule_text(code);
		const char *brief = t ? t->brief : code, *full = t ? t->full : code;
		json_array_append_new(list, json_pack(
			"{s:s, s:o, s:o, s:o, s:o, s:{s:s}}", "id", code, "name", rule_name(code),
			"shortDescription", message(brief), "fullDescription", message(full),
			"help", message(full), "defaultConfiguration", "level",
			sarif_level(t ? t->severity : DIAG_WARNING)));
	}
	return list;
}

static int rule_index(const char *code)
{
	for (unsigned i = 0; i < diag_code_count(); i++)
		if (strcmp(diag_code_name(i), code) == 0)
			return (int)i;
	return -1;
}

struct sarif *sarif_new(const char *root)
{
	struct sarif *s = xcalloc(1, sizeof(*s));
	char *uri = uri_from_path(root);
	size_t len = strlen(uri);
	s->root_uri = xmalloc(len + 2);
	memcpy(s->root_uri, uri, len + 1);
	if (!len || uri[len - 1] != '/') /* a base URI ends with '/' */
		strcpy(s->root_uri + len, "/");
	s->root_len = strlen(s->root_uri);
	free(uri);
	s->results = json_array();
	json_t *run = json_pack(
		"{s:{s:{s:s, s:s, s:s, s:o}}, s:{s:{s:s}}, s:s, s:o}",
		"tool", "driver", "name", "vault-lsp", "version", VAULT_VERSION,
		"semanticVersion", VAULT_VERSION, "rules", rules(),
		"originalUriBaseIds", "VAULTROOT", "uri", s->root_uri,
		"columnKind", "unicodeCodePoints", "results", s->results);
	s->log = json_pack("{s:s, s:s, s:[o]}", "$schema",
			   "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
			   "version", "2.1.0", "runs", run);
	return s;
}

/* The note's file, relative to VAULTROOT (an absolute URI if, against
 * expectation, it is not under the root). */
static json_t *artifact(const struct sarif *s, const struct ws_note *wn)
{
	char *uri = uri_from_path(wn->abs);
	json_t *j;
	if (strncmp(uri, s->root_uri, s->root_len) == 0 && uri[s->root_len])
		j = json_pack("{s:s, s:s}", "uri", uri + s->root_len, "uriBaseId", "VAULTROOT");
	else
		j = json_pack("{s:s}", "uri", uri);
	free(uri);
	return j;
}

static json_t *region(const struct ws_note *wn, struct span span)
{
	uint32_t line, col, end_line, end_col;
	vault_line_col(wn, span.start, &line, &col);
	vault_line_col(wn, span_end(span), &end_line, &end_col);
	return json_pack("{s:i, s:i, s:i, s:i}", "startLine", line, "startColumn", col,
			 "endLine", end_line, "endColumn", end_col);
}

static json_t *physical(const struct sarif *s, const struct ws_note *wn, struct span span)
{
	return json_pack("{s:o, s:o}", "artifactLocation", artifact(s, wn), "region",
			 region(wn, span));
}

/* One fix: replace the text at span with `with`. */
static json_t *fix(const struct sarif *s, const struct ws_note *wn, struct span span,
		   const char *with, const char *title)
{
	return json_pack("{s:o, s:[{s:o, s:[{s:o, s:o}]}]}", "description", message(title),
			 "artifactChanges", "artifactLocation", artifact(s, wn), "replacements",
			 "deletedRegion", region(wn, span), "insertedContent", message(with));
}

/* The link starting where d does, if any (-1). */
static int32_t link_at(const struct note *n, uint32_t offset)
{
	for (uint32_t i = 0; i < n->links.len; i++)
		if (n->links.items[i].span.start == offset)
			return (int32_t)i;
	return -1;
}

/* The suggestions that are text replacements in the note, as the quick
 * fixes the server offers for them: each "did you mean" name for a
 * link's target; the card's name for a variant spelling; the repaired
 * text for mojibake. Other fixes (an alias added to a card, a merge of
 * cards) edit other files and are left to the editor. */
static json_t *fixes(const struct sarif *s, const struct ws_note *wn, const struct diagnostic *d)
{
	if (!d->fixes.len)
		return NULL;
	json_t *list = json_array();
	char title[512];
	int32_t li = link_at(wn->note, d->span.start);
	struct span link_target = li >= 0 ? wikilink_target(&wn->note->links.items[li]) : d->span;
	if (strcmp(d->code, DIAG_UNRESOLVED_LINK) == 0 && li >= 0) {
		for (uint32_t k = 0; k < d->fixes.len; k++) {
			snprintf(title, sizeof(title), "Change to [[%s]]", d->fixes.items[k]);
			json_array_append_new(list, fix(s, wn, link_target, d->fixes.items[k], title));
		}
	} else if (strcmp(d->code, DIAG_NAME_VARIANT) == 0) {
		snprintf(title, sizeof(title), li >= 0 ? "Change to [[%s]]" : "Replace with '%s'",
			 d->fixes.items[0]);
		json_array_append_new(list, fix(s, wn, link_target, d->fixes.items[0], title));
	} else if (strcmp(d->code, DIAG_MOJIBAKE) == 0) {
		snprintf(title, sizeof(title), "Replace with '%s'", d->fixes.items[0]);
		json_array_append_new(list, fix(s, wn, d->span, d->fixes.items[0], title));
	}
	if (!json_array_size(list)) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static const char *const severity_names[] = {
	[DIAG_ERROR] = "error", [DIAG_WARNING] = "warning",
	[DIAG_INFO] = "info", [DIAG_HINT] = "hint",
};

void sarif_add(struct sarif *s, struct workspace *ws, const struct ws_note *wn,
	       const struct diagnostic *d)
{
	json_t *r = json_pack("{s:s, s:i, s:s, s:o, s:[{s:o}], s:{s:s}}", "ruleId", d->code,
			      "ruleIndex", rule_index(d->code), "level", sarif_level(d->severity),
			      "message", message(d->message), "locations", "physicalLocation",
			      physical(s, wn, d->span), "properties", "severity",
			      severity_names[d->severity]);
	json_t *related = json_array();
	for (uint32_t i = 0; i < d->related.len; i++) {
		const struct ws_note *rn = workspace_get(ws, d->related.items[i].note);
		if (!rn)
			continue;
		json_array_append_new(related, json_pack(
			"{s:i, s:o, s:o}", "id", (int)json_array_size(related) + 1, "message",
			message(d->related.items[i].message), "physicalLocation",
			physical(s, rn, d->related.items[i].span)));
	}
	if (json_array_size(related))
		json_object_set_new(r, "relatedLocations", related);
	else
		json_decref(related);
	json_t *f = fixes(s, wn, d);
	if (f)
		json_object_set_new(r, "fixes", f);
	json_array_append_new(s->results, r);
}

void sarif_finish(struct sarif *s, FILE *out)
{
	json_dumpf(s->log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(s->log);
	free(s->root_uri);
	free(s);
}
