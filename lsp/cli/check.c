/* check.c — the `vault-lsp check` command. */
#include "check.h"
#include "diagnose.h"
#include "progress.h"
#include "protocol.h"
#include "sarif.h"
#include "vault.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>

/* The exit status is documented in three places that say the same: this
 * text, the man page (lsp/cli/vault-lsp.1) and the README; the CTest test
 * man_page_sync holds them together. */
static const char usage[] =
	"usage: vault-lsp check [--format text|json|sarif] [--code CODE[,CODE...]]\n"
	"                       [--severity LEVEL] [--fail-on LEVEL] PATH\n"
	"\n"
	"Prints every diagnostic the server would publish for the notes under PATH,\n"
	"sorted by path and position, after the settings of PATH/.vault-lsp.yaml.\n"
	"\n"
	"  --format FORMAT        text (default): path:line:column: severity: message\n"
	"                         [code], then a summary line; json: one object a line,\n"
	"                         the summary on stderr; sarif: one SARIF 2.1.0 log,\n"
	"                         the summary on stderr\n"
	"  --code CODE[,CODE...]  only these diagnostic codes (repeatable)\n"
	"  --severity LEVEL       only LEVEL and above: error, warning, info or hint\n"
	"                         (default hint: everything)\n"
	"  --fail-on LEVEL        the level that fails the check (default error)\n"
	"  -h, --help             print this help\n"
	"\n"
	"Lines and columns are 1-based; columns count Unicode code points. On a\n"
	"terminal, a vault of 1000 files or more shows its progress on stderr.\n"
	"\n"
	"Exit status: 0 when no diagnostic reported is at the --fail-on level or\n"
	"above, 1 when one is, 2 for bad usage or a folder that cannot be read.\n";

static const char *const severity_names[] = {
	[DIAG_ERROR] = "error", [DIAG_WARNING] = "warning",
	[DIAG_INFO] = "info", [DIAG_HINT] = "hint",
};

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };

struct check_opts {
	enum format format;
	bool *codes;        /* by diag_code_name index; NULL: every code */
	int min_severity;   /* report severities <= this (DIAG_ERROR is 1) */
	int fail_on;        /* exit 1 for a reported severity <= this */
	const char *path;
};

static bool parse_severity(const char *s, int *out)
{
	static const struct { const char *name; int severity; } names[] = {
		{ "error", DIAG_ERROR }, { "warning", DIAG_WARNING }, { "info", DIAG_INFO },
		{ "information", DIAG_INFO }, { "hint", DIAG_HINT },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, s) == 0) {
			*out = names[i].severity;
			return true;
		}
	return false;
}

static void list_codes(FILE *err)
{
	for (unsigned i = 0; i < diag_code_count(); i++)
		fprintf(err, "%s%s", i ? ", " : "", diag_code_name(i));
}

/* "a,b" (one --code value) into opts->codes; false after saying why. */
static bool add_codes(struct check_opts *o, const char *list, FILE *err)
{
	if (!o->codes)
		o->codes = xcalloc(diag_code_count(), sizeof(bool));
	const char *p = list;
	do {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		unsigned i = 0;
		while (i < diag_code_count() &&
		       !(strlen(diag_code_name(i)) == len && strncmp(diag_code_name(i), p, len) == 0))
			i++;
		if (i == diag_code_count()) {
			fprintf(err, "vault-lsp check: unknown diagnostic code '%.*s' (the codes: ", (int)len, p);
			list_codes(err);
			fprintf(err, ")\n");
			return false;
		}
		o->codes[i] = true;
		p = comma ? comma + 1 : NULL;
	} while (p);
	return true;
}

/* Returns -1 to go on, or the exit code (0 after --help, 2 after a usage
 * error, said on err). */
static int parse_args(int argc, char **argv, struct check_opts *o, FILE *out, FILE *err)
{
	memset(o, 0, sizeof(*o));
	o->min_severity = DIAG_HINT;
	o->fail_on = DIAG_ERROR;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, out);
			return 0;
		}
		bool takes = strcmp(a, "--format") == 0 || strcmp(a, "--code") == 0 ||
			     strcmp(a, "--severity") == 0 || strcmp(a, "--fail-on") == 0;
		if (takes && i + 1 >= argc) {
			fprintf(err, "vault-lsp check: %s needs a value\n%s", a, usage);
			return 2;
		}
		const char *val = takes ? argv[++i] : NULL;
		if (strcmp(a, "--format") == 0) {
			if (strcmp(val, "text") == 0)
				o->format = FORMAT_TEXT;
			else if (strcmp(val, "json") == 0)
				o->format = FORMAT_JSON;
			else if (strcmp(val, "sarif") == 0)
				o->format = FORMAT_SARIF;
			else {
				fprintf(err, "vault-lsp check: unknown format '%s' (text, json or sarif)\n", val);
				return 2;
			}
		} else if (strcmp(a, "--code") == 0) {
			if (!add_codes(o, val, err))
				return 2;
		} else if (strcmp(a, "--severity") == 0 || strcmp(a, "--fail-on") == 0) {
			if (!parse_severity(val, a[2] == 's' ? &o->min_severity : &o->fail_on)) {
				fprintf(err, "vault-lsp check: unknown level '%s' for %s (error, warning, info or hint)\n",
					val, a);
				return 2;
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(err, "vault-lsp check: unknown option '%s'\n%s", a, usage);
			return 2;
		} else if (o->path) {
			fprintf(err, "vault-lsp check: one folder only, got '%s' and '%s'\n", o->path, a);
			return 2;
		} else {
			o->path = a;
		}
	}
	if (!o->path) {
		fprintf(err, "vault-lsp check: no folder given\n%s", usage);
		return 2;
	}
	return -1;
}

static void print_text(FILE *out, const char *shown_root, const struct ws_note *wn,
		       const struct diagnostic *d)
{
	uint32_t line, col;
	vault_line_col(wn, d->span.start, &line, &col);
	fprintf(out, "%s/%s:%u:%u: %s: %s [%s]\n", shown_root, wn->rel, line, col,
		severity_names[d->severity], d->message, d->code);
}

/* "path":..., "line":..., "column":..., "endLine":..., "endColumn":... */
static void write_location(struct strbuf *out, const char *shown_root, const struct ws_note *wn,
			   struct span span)
{
	uint32_t line, col, end_line, end_col;
	vault_line_col(wn, span.start, &line, &col);
	vault_line_col(wn, span_end(span), &end_line, &end_col);
	struct strbuf path = { 0 };
	strbuf_printf(&path, "%s/%s", shown_root, wn->rel);
	strbuf_puts(out, "\"path\":");
	json_write_text(out, path.ptr, path.len);
	strbuf_printf(out, ",\"line\":%u,\"column\":%u,\"endLine\":%u,\"endColumn\":%u", line, col,
		      end_line, end_col);
	strbuf_fini(&path);
}

/*
 * One JSON object a line: for scripts (jq, CI annotations). Written as
 * text, as jansson's compact form of the same object would be (keys in
 * this order): building, dumping and freeing objects cost as much as
 * diagnosing the note did.
 */
static void print_json(FILE *out, const char *shown_root, const struct workspace *ws,
		       const struct ws_note *wn, const struct diagnostic *d, struct strbuf *line)
{
	line->len = 0;
	strbuf_putc(line, '{');
	write_location(line, shown_root, wn, d->span);
	strbuf_printf(line, ",\"severity\":\"%s\",\"code\":", severity_names[d->severity]);
	json_write_text(line, d->code, strlen(d->code));
	strbuf_puts(line, ",\"message\":");
	json_write_text(line, d->message, strlen(d->message));
	strbuf_puts(line, ",\"related\":[");
	bool first = true;
	for (uint32_t i = 0; i < d->related.len; i++) {
		const struct ws_note *rn = workspace_get(ws, d->related.items[i].note);
		if (!rn)
			continue;
		strbuf_puts(line, first ? "{" : ",{");
		first = false;
		write_location(line, shown_root, rn, d->related.items[i].span);
		strbuf_puts(line, ",\"message\":");
		json_write_text(line, d->related.items[i].message, strlen(d->related.items[i].message));
		strbuf_putc(line, '}');
	}
	strbuf_putc(line, ']');
	if (d->fixes.len) {
		strbuf_puts(line, ",\"fixes\":[");
		for (uint32_t i = 0; i < d->fixes.len; i++) {
			if (i)
				strbuf_putc(line, ',');
			json_write_text(line, d->fixes.items[i], strlen(d->fixes.items[i]));
		}
		strbuf_putc(line, ']');
	}
	strbuf_puts(line, "}\n");
	fwrite(line->ptr, 1, line->len, out);
}

static bool wanted(const struct check_opts *o, const struct diagnostic *d)
{
	if (d->severity > o->min_severity)
		return false;
	if (!o->codes)
		return true;
	for (unsigned i = 0; i < diag_code_count(); i++)
		if (o->codes[i] && strcmp(diag_code_name(i), d->code) == 0)
			return true;
	return false;
}

int check_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct check_opts o;
	int code = parse_args(argc, argv, &o, out, err);
	if (code >= 0) {
		free(o.codes);
		return code;
	}
	struct progress *progress = progress_new(err, "check");
	struct vault v;
	if (!vault_open(&v, o.path, "check", err, progress_scanned, progress)) {
		progress_free(progress);
		free(o.codes);
		return 2;
	}
	struct workspace *ws = v.ws;
	struct sarif *sarif = o.format == FORMAT_SARIF ? sarif_new(v.abs) : NULL;

	unsigned counts[5] = { 0 }, hidden = 0;
	struct strbuf line = { 0 };
	bool failed = false;
	for (uint32_t k = 0; k < v.n_notes; k++) {
		progress_step(progress, "diagnosing", k, v.n_notes, "notes");
		const struct ws_note *wn = workspace_get(ws, v.notes[k]);
		struct diag_list list = { 0 };
		diagnose_note(ws, v.notes[k], &list);
		for (uint32_t i = 0; i < list.len; i++) {
			const struct diagnostic *d = &list.items[i];
			if (!wanted(&o, d)) {
				hidden++;
				continue;
			}
			/* stdout may be the same terminal as the progress line. */
			if (!sarif)
				progress_clear(progress);
			if (sarif)
				sarif_add(sarif, ws, wn, d);
			else if (o.format == FORMAT_JSON)
				print_json(out, v.shown, ws, wn, d, &line);
			else
				print_text(out, v.shown, wn, d);
			counts[d->severity]++;
			failed |= d->severity <= o.fail_on;
		}
		if (!sarif && list.len)
			fflush(out);
		diag_list_free(&list);
	}
	strbuf_fini(&line);
	progress_free(progress);
	if (sarif)
		sarif_finish(sarif, out);
	/* Once, next to the summary, where the user looks for what the
	 * counts mean. */
	char *logseq = walk_logseq_notice(v.abs, v.shown);
	if (logseq) {
		fflush(out);
		fprintf(err, "vault-lsp check: %s\n", logseq);
		free(logseq);
	}
	/* In JSON and SARIF stdout is the document alone: the summary goes to
	 * stderr. */
	FILE *summary = o.format == FORMAT_TEXT ? out : err;
	fflush(out);
	fprintf(summary, "%u notes: %u errors, %u warnings, %u info, %u hints", v.n_notes,
		counts[DIAG_ERROR], counts[DIAG_WARNING], counts[DIAG_INFO], counts[DIAG_HINT]);
	if (hidden)
		fprintf(summary, " (%u more not shown)", hidden);
	fputc('\n', summary);

	vault_close(&v);
	free(o.codes);
	return failed ? 1 : 0;
}
