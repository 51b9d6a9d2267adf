/*
 * test_ranking.c — completion's shortcuts (the first-byte groups, the
 * word-start lists, the bounds that dismiss a key unread) must give exactly
 * the list that scoring every key gives. A generated vault of a few
 * thousand notes, large enough that most queries fill the list and the
 * shortcuts decide, is asked the same 300 completions both ways, half of
 * them after names have changed under the server.
 */
#include "lsp_client.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t seed = 12345;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

static const char *first_names[] = {
	"Tomasz", "Ragnar", "Zoë", "Aarav", "Kaisa", "Haruto", "Peter", "Olivia", "Noah", "Ingrid",
	"Mateo", "Amara", "Liam", "Sofía", "Yusuf", "Chloé", "Wei", "Astrid", "Diego", "Hana",
};
static const char *last_names[] = {
	"Wierzbicki", "Eriksson", "Ólafsdóttir", "Bianchi", "Kowalski", "Souza", "Lindqvist",
	"Harris", "Jones", "Kaya", "Tanaka", "Novak", "García", "Müller", "Okafor", "Rossi",
	"Dubois", "Nguyen", "Schmidt", "Virtanen", "Ivanova", "Hughes", "Moreau", "Park",
};
static const char *words[] = {
	"review", "roadmap", "failover", "migration", "security", "hiring", "budget", "pricing",
	"renewal", "onboarding", "capacity", "incident", "quarterly", "sync", "kickoff", "retro",
	"apollo", "quasar", "crimson", "orbital", "juniper", "talks", "options", "data",
};
#define N(a) (sizeof(a) / sizeof(a[0]))

static void write_note(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* People (some sharing a name in two folders), projects, and meetings
 * with long dated titles, as the summarising pipeline writes them. */
static void make_vault(const char *dir, struct str_list *stems, struct str_list *lasts,
		       struct str_list *rels)
{
	struct strbuf rel, text;
	strbuf_init(&rel);
	strbuf_init(&text);
	for (uint32_t i = 0; i < 2000; i++) {
		rel.len = 0;
		text.len = 0;
		const char *fn = first_names[rnd(N(first_names))], *ln = last_names[rnd(N(last_names))];
		const char *w1 = words[rnd(N(words))], *w2 = words[rnd(N(words))];
		uint32_t kind = rnd(10);
		if (kind < 3) {
			strbuf_printf(&rel, "%s/%s %s %u.md", rnd(4) ? "People" : "Contacts", fn, ln, rnd(40));
			strbuf_printf(&text, "---\ntype: person\naliases: [%s, \"%c. %s\"]\n---\n# %s %s\n\n- Works on %s.\n",
				      fn, fn[0], ln, fn, ln, w1);
		} else if (kind < 4) {
			strbuf_printf(&rel, "Projects/%c%s %s.md", w1[0] - 32, w1 + 1, w2);
			strbuf_printf(&text, "---\ntype: project\naliases: [%s]\n---\n# %s %s\n", w2, w1, w2);
		} else {
			strbuf_printf(&rel, "Meetings/%s %s/20%02u-%02u-%02u - %s with %s, the %s %s.md", fn,
				      ln, 20 + rnd(7), 1 + rnd(12), 1 + rnd(28), w1, fn, w2, words[rnd(N(words))]);
			strbuf_printf(&text, "# %s and %s on %s\n\n- [[%s %s]] asked about %s.\n", fn, ln, w2,
				      fn, ln, w1);
		}
		write_note(dir, rel.ptr, text.ptr);
		const char *base = strrchr(rel.ptr, '/') + 1;
		char *stem = xstrndup(base, strlen(base) - 3);
		str_list_push(stems, stem);
		free(stem);
		str_list_push(lasts, ln);
		str_list_push(rels, rel.ptr);
	}
	strbuf_fini(&rel);
	strbuf_fini(&text);
}

/* Names change while the server runs: notes opened with other aliases, a
 * title and a kind of their own, edited again, closed (back to the disk's
 * text), and new notes opened. The shortcuts' table must follow. */
static void edit_names(struct client *c, const char *dir, const struct str_list *rels)
{
	uint32_t s = 99;
	struct strbuf path, text;
	strbuf_init(&path);
	strbuf_init(&text);
	for (uint32_t i = 0; i < 60; i++) {
		s = s * 1103515245u + 12345u;
		path.len = 0;
		if (i % 3 == 2)
			strbuf_printf(&path, "%s/New/Fresh %s %u.md", dir, words[(s >> 8) % N(words)], i);
		else
			strbuf_printf(&path, "%s/%s", dir, rels->items[(s >> 8) % rels->len]);
		char *uri = uri_from_path(path.ptr);
		for (uint32_t v = 1; v <= 2; v++) {
			const char *w = words[(s >> (8 + v)) % N(words)];
			text.len = 0;
			strbuf_printf(&text, "---\ntype: %s\naliases: [%s %s, Kay %u]\n---\n# %s retitled %u\n",
				      (s >> 12) % 2 ? "person" : "project", w, last_names[(s >> 16) % N(last_names)],
				      i * v, w, i);
			if (v == 1)
				client_notify(c, "textDocument/didOpen",
					      json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument", "uri", uri,
							"languageId", "markdown", "version", 1, "text", text.ptr));
			else
				client_notify(c, "textDocument/didChange",
					      json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument", "uri", uri,
							"version", 2, "contentChanges", "text", text.ptr));
		}
		if (i % 4 == 0)
			client_notify(c, "textDocument/didClose",
				      json_pack("{s:{s:s}}", "textDocument", "uri", uri));
		free(uri);
	}
	strbuf_fini(&path);
	strbuf_fini(&text);
}

/* One scratch note with a line per query; a completion at the end of
 * each. Returns the results, in order. */
static json_t *ask(const char *dir, const struct str_list *rels, const struct strbuf *doc,
		   uint32_t lines, struct rank_options rank)
{
	struct client c;
	client_init(&c);
	char *root = uri_from_path(dir);
	struct strbuf scratch;
	strbuf_init(&scratch);
	strbuf_printf(&scratch, "%s/scratch.md", dir);
	char *uri = uri_from_path(scratch.ptr);
	/* Documentation on resolve only: the lists are what is compared. */
	client_request(&c, "initialize",
		       json_pack("{s:i, s:s, s:{s:{s:{s:{s:{s:[s]}}}}}}", "processId", 1, "rootUri", root,
				 "capabilities", "textDocument", "completion", "completionItem",
				 "resolveSupport", "properties", "documentation"));
	client_notify(&c, "initialized", json_object());
	json_t *open = json_pack("{s:{s:s, s:s, s:i, s:s%}}", "textDocument", "uri", uri,
				 "languageId", "markdown", "version", 1, "text", doc->ptr, doc->len);
	OK(open != NULL);
	client_notify(&c, "textDocument/didOpen", open);
	/* Half the questions before the names change, half after. */
	uint32_t half = lines / 2;
	int first = 0;
	const char *line = doc->ptr;
	for (uint32_t l = 0; l < lines; l++) {
		const char *end = strchr(line, '\n');
		if (l == half)
			edit_names(&c, dir, rels);
		int id = client_request(&c, "textDocument/completion",
					json_pack("{s:{s:s}, s:{s:i, s:i}}", "textDocument", "uri", uri,
						  "position", "line", (int)l, "character",
						  (int)(end - line)));
		if (!first)
			first = id;
		line = end + 1;
	}
	c.rank = rank;
	client_run(&c, true);
	json_t *out = json_array();
	for (uint32_t l = 0; l < lines; l++) {
		json_t *r = client_result(&c, first + (int)l);
		json_array_append(out, r ? r : json_null());
	}
	client_fini(&c);
	free(root);
	free(uri);
	strbuf_fini(&scratch);
	return out;
}

static void put_query(struct strbuf *doc, const char *s, size_t n)
{
	if (n > strlen(s))
		n = strlen(s);
	while (n > 0 && (s[n] & 0xC0) == 0x80)
		n--; /* not inside a UTF-8 sequence */
	strbuf_puts(doc, "- [[");
	strbuf_put(doc, s, n);
	strbuf_putc(doc, '\n');
}

int main(void)
{
	char dir[] = "/tmp/vault-ranking-XXXXXX";
	OK(mkdtemp(dir) != NULL);
	struct str_list stems = { 0 }, lasts = { 0 }, rels = { 0 };
	make_vault(dir, &stems, &lasts, &rels);

	/* What people type: the start of a name, of a last name, of a date;
	 * initials; random letters; nothing. */
	struct strbuf doc;
	strbuf_init(&doc);
	uint32_t lines = 0;
	for (; lines < 300; lines++) {
		const char *stem = stems.items[rnd(stems.len)];
		const char *last = lasts.items[rnd(lasts.len)];
		switch (lines % 6) {
		case 0:
			put_query(&doc, stem, 1 + rnd(4));
			break;
		case 1:
			put_query(&doc, last, 1 + rnd(5));
			break;
		case 2: {
			char q[4] = { (char)('a' + rnd(26)), (char)('a' + rnd(26)), (char)('a' + rnd(26)), 0 };
			put_query(&doc, q, 1 + rnd(3));
			break;
		}
		case 3: {
			char q[3] = { stem[0], last[0] & 0x80 ? 'o' : last[0], 0 };
			put_query(&doc, q, 2);
			break;
		}
		case 4:
			put_query(&doc, rnd(2) ? "20" : "", 2);
			break;
		default:
			put_query(&doc, stem, 6);
		}
	}
	json_t *fast = ask(dir, &rels, &doc, lines, (struct rank_options){ 0 });
	json_t *slow = ask(dir, &rels, &doc, lines, (struct rank_options){ .exhaustive = true });
	/* And with every pass of 64 keys or more split between two threads,
	 * as a vault of 100,000 notes has them. */
	json_t *split = ask(dir, &rels, &doc, lines, (struct rank_options){ .split = 64 });
	uint32_t split_same = 0;
	for (uint32_t i = 0; i < lines; i++)
		split_same += json_equal(json_array_get(split, i), json_array_get(slow, i));
	INT_EQ(split_same, lines);
	json_decref(split);

	uint32_t same = 0, full = 0, answered = 0;
	for (uint32_t i = 0; i < lines; i++) {
		json_t *a = json_array_get(fast, i), *b = json_array_get(slow, i);
		if (json_is_object(a))
			answered++;
		if (json_array_size(json_object_get(a, "items")) == 100)
			full++;
		if (json_equal(a, b))
			same++;
		else
			fprintf(stderr, "query %u differs\n", i);
	}
	INT_EQ(answered, lines);
	INT_EQ(same, lines);
	/* Most lists are full, so that the shortcuts, not the size of the
	 * vault, decided them. */
	OK(full > lines / 2);
	printf("%u queries, %u with a full list of 100, %u the same both ways\n", lines, full, same);

	json_decref(fast);
	json_decref(slow);
	strbuf_fini(&doc);
	str_list_free(&stems);
	str_list_free(&lasts);
	str_list_free(&rels);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0);
	return harness_done("test_ranking");
}
