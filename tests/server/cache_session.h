/*
 * cache_session.h — sessions of the real binary over pipes on a copy of
 * tests/vault, with its index cache in a folder of the test's own
 * (XDG_CACHE_HOME), and what they showed: the helpers of test_cache.c and
 * test_cache_edits.c.
 */
#ifndef VAULT_TEST_CACHE_SESSION_H
#define VAULT_TEST_CACHE_SESSION_H

#include "lsp_proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

static char vault[] = "/tmp/vault-cache-XXXXXX";
static char scratch[] = "/tmp/vault-cache-state-XXXXXX";
static char xdg[600], log_path[600];

/* The binary, with this test's log and cache folder. */
static inline bool start(struct proc *p, const char *binary, const char *cache_home, bool no_cache)
{
	const char *argv[] = { binary, "--log", log_path, "--log-level", "info",
			       no_cache ? "--no-cache" : "--stdio", NULL };
	return spawn_argv(p, argv, cache_home);
}

/* The position of the first "[[" of a note, inside the link (UTF-16). */
static inline bool first_link(const char *rel, int *line, int *character)
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

static inline int by_dump(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An array's items in a fixed order: ties in a ranking may fall either
 * way when notes came in another order. */
static inline json_t *sorted(const json_t *arr)
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

static inline json_t *ask(struct proc *p, const char *method, json_t *params)
{
	int id = request(p, method, params);
	const json_t *m = wait_for(p, is_response, &id, 60);
	OK(m != NULL);
	return json_deep_copy(m ? json_object_get(m, "result") : NULL);
}

/* Until the server has said nothing for a while. */
static inline void settle(struct proc *p)
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
static inline json_t *observe(struct proc *p)
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

/* shutdown, exit, and the server gone with status 0. */
static inline void quit(struct proc *p)
{
	int id = request(p, "shutdown", NULL);
	OK(wait_for(p, is_response, &id, 30) != NULL);
	notify(p, "exit", NULL);
	INT_EQ(finish(p, 30), 0);
}

/* A session with the cache, begun and gone quiet; its log from the start. */
static inline void begin_quiet(struct proc *p)
{
	unlink(log_path);
	OK(start(p, VAULT_BINARY, xdg, false));
	initialize(p, vault);
	settle(p);
}

/* Note rel opened as an editor opens it: its text, and its uri in *uri
 * (both for the caller to free). */
static inline char *open_note(struct proc *p, const char *rel, char **uri)
{
	char path[900];
	snprintf(path, sizeof(path), "%s/%s", vault, rel);
	char *text = read_text(path);
	*uri = uri_from_path(path);
	notify(p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
		"uri", *uri, "languageId", "markdown", "version", 1, "text", text));
	return text;
}

/* Settings the client sends at once after initialized (NULL: none), as
 * a client's answer to workspace/configuration comes: while the index,
 * or the cache, is still being read. */
static const char *early_settings;

/* One session from initialize to exit: what it showed (a JSON dump) and
 * its log. */
static inline char *session_with(const char *binary, const char *cache_home, bool no_cache, char **log)
{
	unlink(log_path);
	struct proc p;
	OK(start(&p, binary, cache_home, no_cache));
	initialize(&p, vault);
	if (early_settings)
		notify(&p, "workspace/didChangeConfiguration",
		       json_pack("{s:o}", "settings", json_loads(early_settings, 0, NULL)));
	json_t *seen = observe(&p);
	quit(&p);
	char *dump = json_dumps(seen, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(seen);
	*log = read_text(log_path);
	return dump;
}

static inline char *session(bool no_cache, char **log)
{
	return session_with(VAULT_BINARY, xdg, no_cache, log);
}

/* The log of the last session with the cache same_as_cold ran. */
static char *last_warm_log;

/* A session with the cache against one without, on the vault as it is;
 * want: a line its log must have. */
static inline void same_as_cold(const char *what, const char *want)
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
static inline bool publishing(unsigned *kept, unsigned *diagnosed, unsigned *checked)
{
	const char *at = last_warm_log ? strstr(last_warm_log, "diagnostics: ") : NULL;
	return at && sscanf(at, "diagnostics: %u kept lists published, %u notes diagnosed, "
			    "%u checked again", kept, diagnosed, checked) == 3;
}

static inline char *cache_path(void)
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

static inline void put(const char *rel, const char *text)
{
	harness_put(vault, rel, text);
}

static inline char *vault_listing(void)
{
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . | sort", vault);
	return command_output(cmd);
}

/* A note edited to the same size, its mtime set back: a link's target
 * loses a letter to another ("[[Ragnar" becomes "[[Xagnar"). */
static inline void edit_keeping_size_and_mtime(const char *rel)
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

/* The copy of tests/vault, with a prose mention of a spelling of Marek
 * Nowak's name the vault does not declare (a name-variant, found through
 * who is who, not through a link, so that only the people changing can
 * change it). */
static inline void cache_test_setup(void)
{
	OK(mkdtemp(vault) != NULL && mkdtemp(scratch) != NULL);
	snprintf(xdg, sizeof(xdg), "%s/xdg", scratch);
	snprintf(log_path, sizeof(log_path), "%s/server.log", scratch);
	char cmd[2400];
	snprintf(cmd, sizeof(cmd), "cp -r '%s/vault/.' '%s/'", VAULT_TEST_DIR, vault);
	OK(system(cmd) == 0);
	put("Meetings/Standup.md", "---\ntype: meeting\n---\n# Standup\n\n"
				   "- Talked with Mareck Nowak about the plan.\n");
}

static inline void cache_test_cleanup(void)
{
	free(last_warm_log);
	last_warm_log = NULL;
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", vault, scratch);
	OK(system(cmd) == 0);
}

#endif
