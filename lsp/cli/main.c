/* main.c — command line: the language server over stdio, `check` or `people`. */
#include "check.h"
#include "people.h"
#include "log.h"
#include "server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: vault-lsp [--log FILE] [--log-level LEVEL] [--threads N] [--no-cache]\n"
	"       vault-lsp check [--format text|json|sarif] [--code CODE[,CODE...]]\n"
	"                       [--severity LEVEL] [--fail-on LEVEL] PATH\n"
	"       vault-lsp people [--format text|json] [--aliases] PATH\n"
	"       vault-lsp --version | --help\n"
	"\n"
	"Without a command, speaks the Language Server Protocol on stdin/stdout\n"
	"for the Markdown vault(s) the client opens.\n"
	"\n"
	"  --log FILE         append the log to FILE instead of stderr\n"
	"  --log-level LEVEL  error, warn, info (default), debug or trace\n"
	"  --threads N        indexing threads (default: one per processor)\n"
	"  --no-cache         neither read nor write the index cache\n"
	"  --stdio            accepted for clients that always pass it\n"
	"  --version          print the version\n"
	"  -h, --help         print this help\n"
	"\n"
	"Commands (vault-lsp COMMAND --help for their options):\n"
	"  check PATH         print the diagnostics of every note under PATH, as\n"
	"                     text, JSON lines or SARIF; exit 1 when one is an\n"
	"                     error (or at the level --fail-on gives)\n"
	"  people PATH        every person, the spellings of their name the vault\n"
	"                     does not declare, and duplicate cards\n"
	"\n"
	"See vault-lsp(1).\n";

/* The server stays reachable from here until the process ends: after
 * `exit`, the reader thread may still be blocked on stdin using it. */
static struct server *running;

int main(int argc, char **argv)
{
	const char *log_path = NULL;
	enum log_level level = LOG_INFO;
	struct server_options opts = { 0 };

	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return check_main(argc - 2, argv + 2, stdout, stderr);
	if (argc > 1 && strcmp(argv[1], "people") == 0)
		return people_main(argc - 2, argv + 2, stdout, stderr);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("vault-lsp %s\n", VAULT_VERSION);
			return 0;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--log") == 0 && i + 1 < argc) {
			log_path = argv[++i];
		} else if (strcmp(a, "--log-level") == 0 && i + 1 < argc) {
			if (!log_parse_level(argv[++i], &level)) {
				fprintf(stderr, "vault-lsp: unknown log level '%s'\n", argv[i]);
				return 2;
			}
		} else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
			opts.threads = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(a, "--no-cache") == 0) {
			opts.no_cache = true;
		} else if (strcmp(a, "--stdio") == 0 || strncmp(a, "--clientProcessId", 17) == 0) {
			/* vscode-languageclient passes these; stdio is all we speak. */
		} else {
			fprintf(stderr, "vault-lsp: unknown argument '%s'\n%s", a, usage);
			return 2;
		}
	}

	FILE *log_out = stderr;
	if (log_path) {
		log_out = fopen(log_path, "a");
		if (!log_out) {
			perror(log_path);
			return 2;
		}
	}
	/* A client that goes away must not kill us mid-write; writes fail instead. */
	signal(SIGPIPE, SIG_IGN);

	struct log *log = log_new(log_out, log_path != NULL, level);
	struct server *s = server_new(stdin, stdout, log, &opts);
	running = s;
	int code = server_run(s);
	if (server_input_ended(s)) {
		server_free(s);
		log_free(log);
		running = NULL;
		return code;
	}
	/* After `exit` the client may keep our stdin open (Eglot does): the
	 * reader thread is then blocked in a read holding stdin's lock, and
	 * exit() may wait for that lock while it flushes streams (glibc
	 * versions differ in whether they take it).
	 * Flush what matters and end without it. */
	fflush(stdout);
	fflush(stderr);
	_exit(code);
}
