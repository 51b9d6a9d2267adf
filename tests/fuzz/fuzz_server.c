/*
 * fuzz_server.c — the whole server, in process, on a tiny vault.
 *
 * The input is a list of JSON-RPC message bodies, one per line (JSON needs
 * no raw newline inside a body, so '\n' is the separator, as in JSON Lines
 * and readable seeds). Each line is framed with Content-Length after a
 * fixed initialize + initialized for the vault, and followed by shutdown +
 * exit so that the open notes' diagnostics are computed too. The server
 * runs in batch mode with one indexing thread, as the transcript tests do,
 * so that an input always does the same thing.
 *
 * Two conveniences keep seeds portable and let the fuzzer reach options:
 *  - "%V%" anywhere is replaced by the vault's URI (file:///tmp/...),
 *    e.g. "uri":"%V%/People/Ada%20Lovelace.md";
 *  - a first line starting with '#' picks client capabilities, one letter
 *    each: u utf-8 positions, l definition linkSupport, p plain-text hover,
 *    r completion resolveSupport, h hierarchical symbols, d documentChanges
 *    with create, w workDoneProgress, c workspace/configuration pull,
 *    o initializationOptions (cross-note duplicates, trace log level),
 *    i no dynamic registration of didChangeWatchedFiles (so the server
 *    starts its own inotify watcher; by default it asks the client to
 *    watch, as request 1).
 *
 * Checked: no crash, leak or hang, everything the server writes is framed
 * JSON, and every request (up to exit) and every undecodable message is
 * answered exactly once, notifications never.
 *
 * Environment: VAULT_FUZZ_DUMP prints what the server wrote (to see what a
 * seed or a reproducer reaches); VAULT_FUZZ_LAX skips counting answers (to
 * hunt crashes while a protocol bug is open).
 */
#include "fuzz.h"
#include "protocol.h"
#include "rpc.h"
#include "server.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct vault_file {
	const char *rel, *text;
} vault_files[] = {
	{ ".vault-lsp.yaml",
	  "folders:\n  People: person\n  Projects: project\n  Meetings: meeting\n"
	  "peopleKeys: [participants, owner, attendees]\n"
	  "ignore: [\"Archive/\"]\n"
	  "duplicates:\n  threshold: 0.7\n  crossNote: true\n" },
	{ "People/Ada Lovelace.md",
	  "---\ntype: person\nname: Ada Lovelace\naliases:\n  - Ada\n  - Countess of Lovelace\n"
	  "company: Analytical Engines\nrole: Mathematician\ntags: [person, math]\n---\n"
	  "# Ada Lovelace\n\n## Key Facts\n\n"
	  "- Ada Lovelace wrote the first program for the [[Analytical Engine]].\n"
	  "- Ada Lovelace wrote the first program for the Analytical Engine.\n"
	  "- Works with [[Zoe|Zoë]] on [[Analytical Engine#Design]]. ^fact-1\n"
	  "- [ ] Call [[Charles Babbage]] about [[Analytical Engine#^goal]]\n\n"
	  "## Notes\n\nSee [[#Key Facts]], [[#Nowhere]] and `[[not a link]]`.\n" },
	{ "People/Zoë Ólafsdóttir.md",
	  "---\ntype: person\nname: Zoë Ólafsdóttir\naliases: [Zoe, \"Zoë Olafsdottir\"]\n"
	  "role: Engineer\ncompany: Northwind\nlast_contact: 2024-02-01\n---\n"
	  "# Zoë Ólafsdóttir\n\n"
	  "- Zoë Ólafsdóttir leads the storage team at [[Northwind]].\n"
	  "- Zoe leads the storage team at Northwind. ^lead\n"
	  "- Met [[Ada]] at the kickoff: [[Meetings/2024-01-05 Kickoff#Decisions|decisions]].\n" },
	{ "Projects/Analytical Engine.md",
	  "---\ntype: project\nowner: \"[[Ada Lovelace]]\"\nstatus: active\ntags: [project]\n---\n"
	  "# Analytical Engine\n\n## Design\n\nThe mill and the store. ^goal\n\n"
	  "## Milestones\n\n1. Build the mill ^m1\n2. [x] Write the program for [[Ada Lovelace]]\n\n"
	  "```js\n[[not a link]]\n```\n\n#engine #project/design\n\n"
	  "Setext title\n============\n\n<div>[[html]]</div>\n" },
	{ "Meetings/2024-01-05 Kickoff.md",
	  "---\nparticipants: [\"Ada Lovelace\", \"Zoe\", Nobody Known]\ndate: 2024-01-05\n---\n"
	  "# Kickoff\n\n## Decisions\n\n"
	  "- Ada Lovelace wrote the first program for the Analytical Engine.\n"
	  "- Use ![[Analytical Engine#Design]] and [[Charles]].\n\n"
	  "| who | what |\n|---|---|\n| [[Ada Lovelace\\|Ada]] | x |\n" },
	{ "Contacts/Ada Lovelace.md",
	  "# Ada Lovelace (contact)\n\n- Email: ada@example.com\n" },
	{ "Archive/Old.md", "# Old\n\n[[Ada]]\n" },
};

#define N_FILES (sizeof(vault_files) / sizeof(vault_files[0]))

static char *vault_dir;  /* the temporary directory holding vault/ */
static char *vault_root; /* .../vault */
static char *vault_uri;  /* file:///.../vault */
static FILE *devnull;
static bool dump; /* VAULT_FUZZ_DUMP set: print what the server wrote */
static bool lax;  /* VAULT_FUZZ_LAX set: do not count the answers */

static void write_file(const char *rel, const char *text)
{
	struct strbuf path = { 0 };
	strbuf_init(&path);
	strbuf_printf(&path, "%s/%s", vault_root, rel);
	/* Make the folders on the way. */
	for (char *p = path.ptr + strlen(vault_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path.ptr, 0700);
		*p = '/';
	}
	FILE *f = fopen(path.ptr, "wb");
	CHECK(f);
	CHECK(fwrite(text, 1, strlen(text), f) == strlen(text));
	CHECK(fclose(f) == 0);
	strbuf_fini(&path);
}

static void remove_vault(void)
{
	struct strbuf path = { 0 };
	strbuf_init(&path);
	for (size_t i = 0; i < N_FILES; i++) {
		path.len = 0;
		strbuf_printf(&path, "%s/%s", vault_root, vault_files[i].rel);
		unlink(path.ptr);
		/* Then its folders, innermost first; non-empty ones stay. */
		char *slash;
		while ((slash = strrchr(path.ptr, '/')) && (size_t)(slash - path.ptr) > strlen(vault_root)) {
			*slash = '\0';
			rmdir(path.ptr);
		}
	}
	rmdir(vault_root);
	rmdir(vault_dir);
	strbuf_fini(&path);
	free(vault_dir);
	free(vault_root);
	free(vault_uri);
	if (devnull)
		fclose(devnull);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	struct strbuf dir = { 0 };
	strbuf_init(&dir);
	strbuf_printf(&dir, "%s/vault-lsp-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	CHECK(mkdtemp(dir.ptr));
	vault_dir = strbuf_detach(&dir);
	strbuf_init(&dir);
	strbuf_printf(&dir, "%s/vault", vault_dir);
	vault_root = strbuf_detach(&dir);
	CHECK(mkdir(vault_root, 0700) == 0);
	for (size_t i = 0; i < N_FILES; i++)
		write_file(vault_files[i].rel, vault_files[i].text);
	vault_uri = uri_from_path(vault_root);
	devnull = fopen("/dev/null", "w");
	CHECK(devnull);
	atexit(remove_vault);
	dump = getenv("VAULT_FUZZ_DUMP") != NULL;
	lax = getenv("VAULT_FUZZ_LAX") != NULL;
	return 0;
}

/*
 * The transcript, and how many responses each id is owed: every message
 * the server cannot decode gets one error (the reader thread sends it,
 * even after exit), every request up to `exit` one response. Ids are keyed
 * by their JSON text; "null" for errors without one.
 */
struct transcript {
	struct strbuf in;
	json_t *owed;   /* id text -> count */
	json_t *maybe;  /* id text -> count of answers allowed, not owed */
	bool exited;
};

static void count(json_t *counts, const json_t *id)
{
	char *key = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
	json_t *n = json_object_get(counts, key);
	json_object_set_new(counts, key, json_integer(n ? json_integer_value(n) + 1 : 1));
	free(key);
}

/* Frames one body, and notes the answer it is owed (rpc_decode decides,
 * as in the server). */
static void frame(struct transcript *t, const char *body, size_t len)
{
	strbuf_printf(&t->in, "Content-Length: %zu\r\n\r\n", len);
	strbuf_put(&t->in, body, len);

	struct rpc_message msg;
	int code;
	const char *why;
	json_t *id;
	if (!rpc_decode(body, len, &msg, &code, &why, &id)) {
		count(t->owed, id);
		json_decref(id);
		return;
	}
	if (msg.kind != RPC_RESPONSE && strcmp(msg.method, "exit") == 0) {
		/* exit sent as a request may or may not be answered. */
		if (msg.kind == RPC_REQUEST && !t->exited)
			count(t->maybe, msg.id);
		t->exited = true;
	} else if (msg.kind == RPC_REQUEST && !t->exited) {
		count(t->owed, msg.id);
	}
	rpc_message_fini(&msg);
}

static void frame_json(struct transcript *t, json_t *msg)
{
	size_t len;
	char *body = rpc_dump(msg, &len);
	frame(t, body, len);
	free(body);
	json_decref(msg);
}

/* parent[key], made an object if it is not one yet (borrowed). */
static json_t *object_in(json_t *parent, const char *key)
{
	json_t *o = json_object_get(parent, key);
	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(parent, key, o);
	}
	return o;
}

static json_t *capabilities(const char *flags, size_t n)
{
	json_t *caps = json_object();
	json_t *td = json_object();
	json_object_set_new(caps, "textDocument", td);
	if (!memchr(flags, 'i', n))
		json_object_set_new(object_in(caps, "workspace"), "didChangeWatchedFiles",
				    json_pack("{s:b}", "dynamicRegistration", 1));
	for (size_t i = 0; i < n; i++) {
		switch (flags[i]) {
		case 'u':
			json_object_set_new(caps, "general",
				json_pack("{s:[s,s]}", "positionEncodings", "utf-8", "utf-16"));
			break;
		case 'l':
			json_object_set_new(td, "definition", json_pack("{s:b}", "linkSupport", 1));
			break;
		case 'p':
			json_object_set_new(td, "hover",
				json_pack("{s:[s,s]}", "contentFormat", "plaintext", "markdown"));
			break;
		case 'r':
			json_object_set_new(td, "completion",
				json_pack("{s:{s:b, s:{s:[s,s]}}}", "completionItem",
					  "snippetSupport", 1, "resolveSupport", "properties",
					  "documentation", "detail"));
			break;
		case 'h':
			json_object_set_new(td, "documentSymbol",
				json_pack("{s:b}", "hierarchicalDocumentSymbolSupport", 1));
			break;
		case 'd':
			json_object_set_new(object_in(caps, "workspace"), "workspaceEdit",
				json_pack("{s:b, s:[s,s]}", "documentChanges", 1,
					  "resourceOperations", "create", "rename"));
			break;
		case 'w':
			json_object_set_new(caps, "window", json_pack("{s:b}", "workDoneProgress", 1));
			break;
		case 'c':
			json_object_set_new(object_in(caps, "workspace"), "configuration", json_true());
			break;
		default:
			break;
		}
	}
	return caps;
}

/* Appends line[0..len) with every "%V%" replaced by the vault's URI. */
static void substitute(struct strbuf *out, const char *line, size_t len)
{
	out->len = 0;
	out->ptr[0] = '\0';
	for (size_t i = 0; i < len;) {
		if (len - i >= 3 && memcmp(line + i, "%V%", 3) == 0) {
			strbuf_puts(out, vault_uri);
			i += 3;
		} else {
			strbuf_putc(out, line[i++]);
		}
	}
}

/* Everything the server wrote must be framed JSON objects, and answer
 * each request exactly once. */
static void check_output(const char *out, size_t len, json_t *owed, json_t *maybe)
{
	const char *p = out, *end = out + len;
	while (p < end) {
		unsigned long n;
		const char *body = strstr(p, "\r\n\r\n");
		CHECK(body && sscanf(p, "Content-Length: %lu", &n) == 1);
		body += 4;
		CHECK(n <= (size_t)(end - body));
		json_error_t err;
		json_t *msg = json_loadb(body, n, 0, &err);
		if (!msg)
			fprintf(stderr, "server wrote invalid JSON (%s): %.*s\n", err.text,
				(int)(n > 500 ? 500 : n), body);
		CHECK(msg && json_is_object(msg));
		const json_t *id = json_object_get(msg, "id");
		if (id && !json_object_get(msg, "method") && !lax) {
			char *key = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
			json_t *left = json_object_get(owed, key);
			if (!left || json_integer_value(left) == 0)
				left = json_object_get(maybe, key);
			if (!left || json_integer_value(left) == 0)
				fprintf(stderr, "server answered id %s more often than asked\n", key);
			CHECK(left && json_integer_value(left) > 0);
			json_integer_set(left, json_integer_value(left) - 1);
			free(key);
		}
		json_decref(msg);
		p = body + n;
	}
	const char *key;
	json_t *left;
	if (lax)
		return;
	json_object_foreach(owed, key, left) {
		if (json_integer_value(left))
			fprintf(stderr, "server did not answer id %s (%lld time(s))\n", key,
				(long long)json_integer_value(left));
		CHECK(json_integer_value(left) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	const char *text = (const char *)data, *end = text + size;
	const char *flags = "";
	size_t n_flags = 0;
	if (size && text[0] == '#') {
		const char *nl = memchr(text, '\n', size);
		flags = text + 1;
		n_flags = (size_t)((nl ? nl : end) - flags);
		text = nl ? nl + 1 : end;
	}

	struct transcript t = { .owed = json_object(), .maybe = json_object() };
	struct strbuf line = { 0 };
	strbuf_init(&t.in);
	strbuf_init(&line);
	json_t *params = json_pack("{s:i, s:s, s:o, s:[{s:s, s:s}]}", "processId", 1,
				   "rootUri", vault_uri, "capabilities", capabilities(flags, n_flags),
				   "workspaceFolders", "uri", vault_uri, "name", "vault");
	if (memchr(flags, 'o', n_flags))
		json_object_set_new(params, "initializationOptions",
			json_pack("{s:s, s:{s:b}}", "logLevel", "trace", "duplicates", "crossNote", 1));
	frame_json(&t, rpc_request_new(json_string("fuzz-init"), "initialize", params));
	frame_json(&t, rpc_notification_new("initialized", json_object()));

	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		const char *stop = nl ? nl : end;
		if (stop > text) {
			substitute(&line, text, (size_t)(stop - text));
			frame(&t, line.ptr, line.len);
		}
		text = nl ? nl + 1 : end;
	}
	frame_json(&t, rpc_request_new(json_string("fuzz-shutdown"), "shutdown", NULL));
	frame_json(&t, rpc_notification_new("exit", NULL));

	FILE *fin = fmemopen(t.in.ptr, t.in.len, "rb");
	char *out_buf = NULL;
	size_t out_len = 0;
	FILE *fout = open_memstream(&out_buf, &out_len);
	CHECK(fin && fout);
	struct log *log = log_new(devnull, false, LOG_TRACE);
	struct server_options opts = { .threads = 1, .batch = true, .no_cache = true };
	struct server *s = server_new(fin, fout, log, &opts);
	server_run(s);
	server_free(s);
	log_free(log);
	fclose(fin);
	fclose(fout);
	if (dump)
		fprintf(stderr, "%.*s\n", (int)out_len, out_buf);
	check_output(out_buf, out_len, t.owed, t.maybe);

	free(out_buf);
	json_decref(t.owed);
	json_decref(t.maybe);
	strbuf_fini(&t.in);
	strbuf_fini(&line);
	return 0;
}
