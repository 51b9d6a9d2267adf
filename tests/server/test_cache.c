/*
 * test_cache.c — the index cache as an editor meets it: the real binary
 * over pipes, on a copy of tests/vault, its cache in a folder of the
 * test's own (XDG_CACHE_HOME). Each session's answers and the
 * diagnostics it publishes must be those of a server that keeps no cache
 * (--no-cache) on the vault as it is then: after a warm start with
 * nothing changed; after a note was edited to the same size with its
 * mtime set back, one deleted, one added and one renamed; after a setting
 * changed; with a cache another binary wrote, one cut short, one with a
 * byte changed; with two servers on the vault at once (the file they
 * leave is whole); with a cache folder that cannot be written; and with
 * the cache off (--no-cache, cache: false: none written).
 */
#include "lsp_proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

static char vault[] = "/tmp/vault-cache-XXXXXX";
static char scratch[] = "/tmp/vault-cache-state-XXXXXX";
static char xdg[600], log_path[600];

/* The binary, with this test's log and cache folder. */
static bool start(struct proc *p, const char *binary, const char *cache_home, bool no_cache)
{
	const char *argv[] = { binary, "--log", log_path, "--log-level", "info",
			       no_cache ? "--no-cache" : "--stdio", NULL };
	return spawn_argv(p, argv, cache_home);
}

/* The position of the first "[[" of a note, inside the link (UTF-16). */
static bool first_link(const char *rel, int *line, int *character)
{
	char path[900];
	snprintf(path, sizeof(path), "%s/%s", vault, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *at = strstr(buf, "[[");
	if (!at)
		return false;
	*line = 0;
	const char *ls = buf;
	for (const char *c = buf; c < at; c++)
		if (*c == '\n') {
			(*line)++;
			ls = c + 1;
		}
	int units = 0;
	for (const unsigned char *c = (const unsigned char *)ls; c < (const unsigned char *)at + 3; c++)
		if ((*c & 0xC0) != 0x80)
			units += *c >= 0xF0 ? 2 : 1;
	*character = units - 1;
	return true;
}

static const char *probes[] = {
	"Contacts/Ragnar Eiriksson.md", "People/Priya Natarajan.md", "People/Marek Nowak.md",
	"Projects/Project Lighthouse.md", "_Open Topics.md",
};

static int by_dump(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An array's items in a fixed order: ties in a ranking may fall either
 * way when notes came in another order. */
static json_t *sorted(const json_t *arr)
{
	size_t n = json_array_size(arr);
	char **dumps = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		dumps[i] = json_dumps(json_array_get(arr, i), JSON_SORT_KEYS | JSON_COMPACT);
	qsort(dumps, n, sizeof(char *), by_dump);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(out, json_string(dumps[i]));
		free(dumps[i]);
	}
	free(dumps);
	return out;
}

static json_t *ask(struct proc *p, const char *method, json_t *params)
{
	int id = request(p, method, params);
	const json_t *m = wait_for(p, is_response, &id, 60);
	OK(m != NULL);
	return json_deep_copy(m ? json_object_get(m, "result") : NULL);
}

/* Until the server has said nothing for a while. */
static void settle(struct proc *p)
{
	size_t seen = json_array_size(p->seen);
	double quiet = now(), start = quiet;
	while (now() - quiet < 0.8 && now() - start < 60) {
		pump(p, 0.1);
		if (json_array_size(p->seen) != seen) {
			seen = json_array_size(p->seen);
			quiet = now();
		}
	}
}

/* What a session shows: answers to requests that need the whole index,
 * then every note's last published diagnostics (a note with none, or
 * whose last list was empty, left out). */
static json_t *observe(struct proc *p)
{
	json_t *out = json_object();
	json_t *answers = json_array();
	json_t *symbols = ask(p, "workspace/symbol", json_pack("{s:s}", "query", "a"));
	json_array_append_new(answers, sorted(symbols));
	json_decref(symbols);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		int line, character;
		if (!first_link(probes[i], &line, &character))
			continue;
		char path[900];
		snprintf(path, sizeof(path), "%s/%s", vault, probes[i]);
		char *uri = uri_from_path(path);
		const char *methods[] = { "textDocument/definition", "textDocument/hover",
					  "textDocument/references" };
		for (size_t m = 0; m < 3; m++) {
			json_t *params = json_pack("{s:{s:s}, s:{s:i, s:i}, s:{s:b}}", "textDocument", "uri",
						   uri, "position", "line", line, "character", character,
						   "context", "includeDeclaration", 0);
			json_t *r = ask(p, methods[m], params);
			json_array_append_new(answers, json_is_array(r) ? sorted(r) : json_incref(r));
			json_decref(r);
		}
		free(uri);
	}
	json_object_set_new(out, "answers", answers);
	settle(p);
	json_t *diags = json_object();
	size_t i;
	json_t *m;
	json_array_foreach(p->seen, i, m) {
		const char *meth = json_string_value(json_object_get(m, "method"));
		if (!meth || strcmp(meth, "textDocument/publishDiagnostics") != 0)
			continue;
		json_t *params = json_object_get(m, "params");
		const char *uri = json_string_value(json_object_get(params, "uri"));
		json_t *list = json_object_get(params, "diagnostics");
		if (json_array_size(list))
			json_object_set(diags, uri, list);
		else
			json_object_del(diags, uri);
	}
	json_object_set_new(out, "diagnostics", diags);
	return out;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf b;
	strbuf_init(&b);
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&b, buf, n);
	if (f)
		fclose(f);
	return strbuf_detach(&b);
}

/* Settings the client sends at once after initialized (NULL: none), as
 * a client's answer to workspace/configuration comes: while the index,
 * or the cache, is still being read. */
static const char *early_settings;

/* One session from initialize to exit: what it showed (a JSON dump) and
 * its log. */
static char *session_with(const char *binary, const char *cache_home, bool no_cache, char **log)
{
	unlink(log_path);
	struct proc p;
	OK(start(&p, binary, cache_home, no_cache));
	initialize(&p, vault);
	if (early_settings)
		notify(&p, "workspace/didChangeConfiguration",
		       json_pack("{s:o}", "settings", json_loads(early_settings, 0, NULL)));
	json_t *seen = observe(&p);
	int id = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &id, 30) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 30), 0);
	char *dump = json_dumps(seen, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(seen);
	*log = read_text(log_path);
	return dump;
}

static char *session(bool no_cache, char **log)
{
	return session_with(VAULT_BINARY, xdg, no_cache, log);
}

/* The log of the last session with the cache same_as_cold ran. */
static char *last_warm_log;

/* A session with the cache against one without, on the vault as it is;
 * want: a line its log must have. */
static void same_as_cold(const char *what, const char *want)
{
	char *cold_log, *warm_log;
	char *cold = session(true, &cold_log);
	char *warm = session(false, &warm_log);
	bool same = strcmp(cold, warm) == 0;
	if (!same)
		fprintf(stderr, "%s: the sessions differ\n--- without the cache\n%s\n--- with it\n%s\n",
			what, cold, warm);
	OK(same);
	bool said = strstr(warm_log, want) != NULL;
	if (!said)
		fprintf(stderr, "%s: the log does not say '%s':\n%s", what, want, warm_log);
	OK(said);
	/* Something was seen at all: the comparison is not of two nothings. */
	OK(strstr(cold, "unresolved-link") != NULL);
	free(cold);
	free(warm);
	free(cold_log);
	free(last_warm_log);
	last_warm_log = warm_log;
}

/* What the last warm session's publishing took, from its log line
 * "diagnostics: N kept lists published, N notes diagnosed, N checked
 * again" (the one once its queue was first empty): false when none. */
static bool publishing(unsigned *kept, unsigned *diagnosed, unsigned *checked)
{
	const char *at = last_warm_log ? strstr(last_warm_log, "diagnostics: ") : NULL;
	return at && sscanf(at, "diagnostics: %u kept lists published, %u notes diagnosed, "
			    "%u checked again", kept, diagnosed, checked) == 3;
}

static char *cache_path(void)
{
	char dir[700];
	snprintf(dir, sizeof(dir), "%s/vault-lsp", xdg);
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".idx") && !strstr(e->d_name, ".tmp.")) {
			struct strbuf b;
			strbuf_init(&b);
			strbuf_printf(&b, "%s/%s", dir, e->d_name);
			free(found);
			found = strbuf_detach(&b);
		}
	if (d)
		closedir(d);
	return found;
}

static void put(const char *rel, const char *text)
{
	char path[900];
	snprintf(path, sizeof(path), "%s/%s", vault, rel);
	FILE *f = fopen(path, "wb");
	fputs(text, f);
	fclose(f);
}

static char *vault_listing(void)
{
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . | sort", vault);
	FILE *f = popen(cmd, "r");
	struct strbuf b;
	strbuf_init(&b);
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_put(&b, buf, n);
	if (f)
		pclose(f);
	return strbuf_detach(&b);
}

/* A note edited to the same size, its mtime set back: a link's target
 * loses a letter to another ("[[Ragnar" becomes "[[Xagnar"). */
static void edit_keeping_size_and_mtime(const char *rel)
{
	char path[900];
	snprintf(path, sizeof(path), "%s/%s", vault, rel);
	struct stat st;
	OK(stat(path, &st) == 0);
	char *text = read_text(path);
	char *at = strstr(text, "[[");
	OK(at != NULL);
	if (at)
		at[2] = at[2] == 'X' ? 'Y' : 'X';
	put(rel, text);
	free(text);
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	OK(utimensat(AT_FDCWD, path, times, 0) == 0);
	struct stat after;
	OK(stat(path, &after) == 0 && after.st_size == st.st_size &&
	   after.st_mtim.tv_sec == st.st_mtim.tv_sec && after.st_mtim.tv_nsec == st.st_mtim.tv_nsec);
}

static void two_at_once(void)
{
	char *path = cache_path();
	if (path)
		unlink(path);
	free(path);
	char *cold_log;
	char *cold = session(true, &cold_log);
	struct proc a, b;
	OK(start(&a, VAULT_BINARY, xdg, false));
	OK(start(&b, VAULT_BINARY, xdg, false));
	initialize(&a, vault);
	initialize(&b, vault);
	json_t *seen_a = observe(&a), *seen_b = observe(&b);
	for (int k = 0; k < 2; k++) {
		struct proc *p = k ? &b : &a;
		int id = request(p, "shutdown", NULL);
		OK(wait_for(p, is_response, &id, 30) != NULL);
		notify(p, "exit", NULL);
		INT_EQ(finish(p, 30), 0);
	}
	char *da = json_dumps(seen_a, JSON_SORT_KEYS | JSON_COMPACT);
	char *db = json_dumps(seen_b, JSON_SORT_KEYS | JSON_COMPACT);
	OK(strcmp(da, cold) == 0);
	OK(strcmp(db, cold) == 0);
	json_decref(seen_a);
	json_decref(seen_b);
	free(da);
	free(db);
	free(cold);
	free(cold_log);
	/* The file they left is whole: the next start takes it. */
	same_as_cold("after two servers at once", "diagnostics lists kept");
	char *log = read_text(log_path);
	OK(strstr(log, "not used") == NULL);
	free(log);
}

/* A warm start holds requests back until the index from the cache is
 * in: a definition asked at once, on a line only the open buffer has,
 * finds its person (answered early from the empty index meanwhile, or
 * with the buffer applied to that index and lost with it, it would not). */
static void asked_at_once(void)
{
	unlink(log_path);
	struct proc p;
	OK(start(&p, VAULT_BINARY, xdg, false));
	initialize(&p, vault);
	char path[900];
	snprintf(path, sizeof(path), "%s/_Open Topics.md", vault);
	char *disk = read_text(path);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "%s%s- Ask [[Marek Nowak]] about it.\n", disk,
		      *disk && disk[strlen(disk) - 1] != '\n' ? "\n" : "");
	int line = 0;
	for (const char *c = b.ptr; c < b.ptr + b.len - 1; c++)
		line += *c == '\n';
	char *uri = uri_from_path(path);
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri",
		uri, "languageId", "markdown", "version", 1, "text", b.ptr));
	json_t *def = ask(&p, "textDocument/definition", json_pack("{s:{s:s}, s:{s:i, s:i}}",
		"textDocument", "uri", uri, "position", "line", line, "character", 10));
	char *dump = json_dumps(def, JSON_COMPACT);
	bool found = dump && strstr(dump, "Marek%20Nowak.md") != NULL;
	if (!found)
		fprintf(stderr, "asked at once: definition %s\n", dump ? dump : "(none)");
	OK(found);
	/* Closed: the cache keeps the file's text, as the next sessions
	 * expect. */
	notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	int id = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &id, 30) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 30), 0);
	char *log = read_text(log_path);
	OK(strstr(log, "0 changed, 0 added, 0 gone") != NULL);
	free(log);
	free(dump);
	json_decref(def);
	free(uri);
	strbuf_fini(&b);
	free(disk);
}

/* A note opened, edited and saved, the editor gone with it still open:
 * the cache holds the buffer's text, the file's now, and the next start
 * publishes for it what that text gives, not what the note's text before
 * the edit gave. */
static void saved_while_open(void)
{
	unlink(log_path);
	struct proc p;
	OK(start(&p, VAULT_BINARY, xdg, false));
	initialize(&p, vault);
	/* Its diagnostics published (and kept) while it is closed. */
	settle(&p);
	char path[900];
	snprintf(path, sizeof(path), "%s/_Open Topics.md", vault);
	char *disk = read_text(path), *uri = uri_from_path(path);
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
		"uri", uri, "languageId", "markdown", "version", 1, "text", disk));
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "%s%s- Ask [[Nobody Here Yet]] about it.\n", disk,
		      *disk && disk[strlen(disk) - 1] != '\n' ? "\n" : "");
	notify(&p, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument",
		"uri", uri, "version", 2, "contentChanges", "text", b.ptr));
	put("_Open Topics.md", b.ptr);
	notify(&p, "textDocument/didSave", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	settle(&p);
	int id = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &id, 30) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 30), 0);
	char *log = read_text(log_path);
	OK(strstr(log, "index cache: wrote") != NULL);
	free(log);
	same_as_cold("a note saved while open", "0 changed, 0 added, 0 gone");
	put("_Open Topics.md", disk);
	same_as_cold("and as it was", "1 changed, 0 added, 0 gone");
	strbuf_fini(&b);
	free(uri);
	free(disk);
}

/* A note opened and closed is diagnosed again as a closed note: one
 * record kept, with nothing else changed. That is not worth writing the
 * whole cache again for (1.1 GB at 100,000 notes, after every start
 * that diagnoses a note); the next start diagnoses it again if need be. */
static void opened_and_closed(void)
{
	/* Enough notes that one is a small share of them. */
	char dir[900];
	snprintf(dir, sizeof(dir), "%s/Filler", vault);
	OK(mkdir(dir, 0755) == 0);
	for (int i = 0; i < 70; i++) {
		char rel[64], text[160];
		snprintf(rel, sizeof(rel), "Filler/Filler %02d.md", i);
		snprintf(text, sizeof(text), "# Filler %02d\n\n- Filler %02d was reviewed in week %d.\n",
			 i, i, i);
		put(rel, text);
	}
	same_as_cold("70 notes added", "0 changed, 70 added, 0 gone");
	unlink(log_path);
	struct proc p;
	OK(start(&p, VAULT_BINARY, xdg, false));
	initialize(&p, vault);
	settle(&p);
	char path[900];
	snprintf(path, sizeof(path), "%s/Filler/Filler 07.md", vault);
	char *text = read_text(path), *uri = uri_from_path(path);
	notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
		"uri", uri, "languageId", "markdown", "version", 1, "text", text));
	settle(&p);
	notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	settle(&p);
	int id = request(&p, "shutdown", NULL);
	OK(wait_for(&p, is_response, &id, 30) != NULL);
	notify(&p, "exit", NULL);
	INT_EQ(finish(&p, 30), 0);
	free(text);
	free(uri);
	char *log = read_text(log_path);
	OK(strstr(log, "0 changed, 0 added, 0 gone; 85 diagnostics lists kept") != NULL);
	bool wrote = strstr(log, "index cache: wrote") != NULL;
	if (wrote)
		fprintf(stderr, "a note opened and closed: the cache was written again:\n%s", log);
	OK(!wrote);
	free(log);
	same_as_cold("after a note opened and closed", "0 changed, 0 added, 0 gone");
}

int main(void)
{
	OK(mkdtemp(vault) != NULL && mkdtemp(scratch) != NULL);
	snprintf(xdg, sizeof(xdg), "%s/xdg", scratch);
	snprintf(log_path, sizeof(log_path), "%s/server.log", scratch);
	char cmd[2400];
	snprintf(cmd, sizeof(cmd), "cp -r '%s/vault/.' '%s/'", VAULT_TEST_DIR, vault);
	OK(system(cmd) == 0);
	/* A prose mention of a spelling of Marek Nowak's name the vault does
	 * not declare (a name-variant, found through who is who, not through
	 * a link, so that only the people changing can change it). */
	put("Meetings/Standup.md", "---\ntype: meeting\n---\n# Standup\n\n"
				   "- Talked with Mareck Nowak about the plan.\n");
	char *listing = vault_listing();

	/* --no-cache: nothing written. */
	char *log0;
	free(session(true, &log0));
	OK(strstr(log0, "index cache: off (--no-cache)") != NULL);
	free(log0);
	char *none = cache_path();
	OK(none == NULL);
	free(none);

	/* The first start writes the cache, outside the vault, without being
	 * asked to stop first. */
	same_as_cold("a first start", "index cache: wrote");
	char *path = cache_path();
	OK(path != NULL);
	free(path);
	/* Nothing changed: everything from the cache, every note's
	 * diagnostics published as kept. */
	same_as_cold("nothing changed", "0 changed, 0 added, 0 gone");
	/* ... and no note diagnosed, no kept list checked again. */
	unsigned kept = 0, diagnosed = 1, checked = 1;
	OK(publishing(&kept, &diagnosed, &checked));
	OK(kept >= 10);
	INT_EQ(diagnosed, 0);
	INT_EQ(checked, 0);
	asked_at_once();
	saved_while_open();

	/* Stale, deleted, added and renamed notes. */
	edit_keeping_size_and_mtime("Contacts/Ragnar Eiriksson.md");
	char from[900], to[900];
	snprintf(from, sizeof(from), "%s/People/Priya Natarajan.md", vault);
	OK(unlink(from) == 0);
	put("Customers/Halden Storage.md", "---\ntype: customer\n---\n# Halden Storage\n");
	snprintf(from, sizeof(from), "%s/Projects/Project Lighthouse.md", vault);
	snprintf(to, sizeof(to), "%s/Projects/Lighthouse.md", vault);
	OK(rename(from, to) == 0);
	same_as_cold("notes changed, gone, added and renamed", "1 changed, 2 added, 2 gone");
	/* Names went and came: the changed notes diagnosed, the kept lists
	 * no longer current checked. */
	OK(publishing(&kept, &diagnosed, &checked));
	OK(diagnosed >= 1);
	OK(checked >= 1);
	same_as_cold("and then nothing", "0 changed, 0 added, 0 gone");

	/* Who is who changes on disk: a card gains as an alias the spelling
	 * Standup.md was told is probably its person (a name-variant kept in
	 * the cache for a note that did not change). */
	{
		char p[900];
		snprintf(p, sizeof(p), "%s/People/Marek Nowak.md", vault);
		char *text = read_text(p);
		OK(strncmp(text, "---\ntype: person\n", 17) == 0);
		struct strbuf b;
		strbuf_init(&b);
		strbuf_printf(&b, "---\naliases: [Mareck Nowak]\n%s", text + 4);
		put("People/Marek Nowak.md", b.ptr);
		strbuf_fini(&b);
		free(text);
	}
	same_as_cold("an alias added to a card", "1 changed, 0 added, 0 gone");

	/* A setting that changes what is reported. */
	put(".vault-lsp.yaml", "diagnostics:\n  ambiguous-link: hint\n");
	same_as_cold("a setting changed", "(none used: other settings)");
	same_as_cold("and then nothing", "0 changed, 0 added, 0 gone");
	/* The client's settings, arriving while the cache is read: what it
	 * kept was made under others. */
	early_settings = "{\"vault-lsp\": {\"diagnostics\": {\"unresolved-link\": \"hint\"}}}";
	same_as_cold("the client's settings", "0 changed, 0 added, 0 gone");
	same_as_cold("and then nothing", "0 changed, 0 added, 0 gone");
	early_settings = NULL;

	/* A cache another binary wrote (a rebuilt one: one byte more). */
	char other[700];
	snprintf(other, sizeof(other), "%s/vault-lsp-other", scratch);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && printf x >> '%s'", VAULT_BINARY, other, other);
	OK(system(cmd) == 0);
	char *log;
	free(session_with(other, xdg, false, &log));
	OK(strstr(log, "index cache: wrote") != NULL);
	free(log);
	same_as_cold("another binary's cache", "not used (written by another version)");

	/* Cut short, or a byte changed. */
	path = cache_path();
	struct stat st;
	OK(path && stat(path, &st) == 0);
	OK(path && truncate(path, st.st_size / 2) == 0);
	same_as_cold("a cache cut short", "not used (");
	int fd = open(path, O_RDWR);
	OK(fd >= 0 && fstat(fd, &st) == 0);
	char byte;
	OK(pread(fd, &byte, 1, st.st_size / 3) == 1);
	byte ^= 0x10;
	OK(pwrite(fd, &byte, 1, st.st_size / 3) == 1);
	close(fd);
	same_as_cold("a byte changed", "not used (");
	free(path);

	two_at_once();
	opened_and_closed();

	/* cache: false in the vault's settings: the cache is neither read
	 * (a start as cold as without one) nor written. */
	path = cache_path();
	OK(path != NULL);
	if (path)
		unlink(path);
	free(path);
	put(".vault-lsp.yaml", "diagnostics:\n  ambiguous-link: hint\ncache: false\n");
	same_as_cold("cache: false", "index cache: off (cache: false)");
	path = cache_path();
	OK(path == NULL);
	free(path);
	put(".vault-lsp.yaml", "diagnostics:\n  ambiguous-link: hint\n");

	/* No cache folder to be had: a file where it should be, a place
	 * nobody may write. The server works as without a cache. */
	char file[700];
	snprintf(file, sizeof(file), "%s/a-file", scratch);
	fclose(fopen(file, "w"));
	const char *nowhere[] = { file, "/proc/vault-lsp-test" };
	for (int k = 0; k < 2; k++) {
		char *cold_log, *warm_log;
		char *cold = session(true, &cold_log);
		char *warm = session_with(VAULT_BINARY, nowhere[k], false, &warm_log);
		OK(strcmp(cold, warm) == 0);
		OK(strstr(warm_log, "index cache: none (") != NULL);
		free(cold);
		free(warm);
		free(cold_log);
		free(warm_log);
	}

	/* Nothing was written into the vault but what this test wrote. */
	char *after = vault_listing();
	OK(strstr(after, "./.cache") == NULL && strstr(after, ".idx") == NULL);
	OK(strstr(listing, "./Projects/Project Lighthouse.md") && strstr(after, "./Projects/Lighthouse.md"));
	free(after);
	free(listing);
	free(last_warm_log);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", vault, scratch);
	OK(system(cmd) == 0);
	return harness_done("test_cache");
}
