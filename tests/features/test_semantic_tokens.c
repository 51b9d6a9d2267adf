/*
 * test_semantic_tokens.c — textDocument/semanticTokens/full, /full/delta
 * and /range on the fixture vault, decoded as an editor decodes them.
 */
#include "lsp_client.h"
#include "lsp_proc.h"

#define INBOX "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Ragnar Priya 1-1.md"
#define ZOE "People/Zoë Ólafsdóttir.md"
#define LIGHTHOUSE "Projects/Project Lighthouse.md"
#define SCRATCH "Scratch/Tokens.md"

/* One token, decoded to absolute positions; type and modifiers by name. */
struct tok {
	int line, ch, len;
	const char *type;
	char mods[128]; /* "resolved,person": the legend's order */
};

struct toks {
	struct tok items[256];
	int n;
};

static json_t *caps_with_tokens(bool utf8)
{
	json_t *caps = json_pack("{s:{s:{s:{s:{s:b}, s:b}, s:[], s:[], s:[s]}}}", "textDocument",
		"semanticTokens", "requests", "full", "delta", 1, "range", 1, "tokenTypes",
		"tokenModifiers", "formats", "relative");
	if (utf8)
		json_object_set_new(caps, "general", json_pack("{s:[s]}", "positionEncodings", "utf-8"));
	return caps;
}

static const json_t *legend(const struct client *c)
{
	const json_t *caps = json_object_get(client_result(c, 1), "capabilities");
	return json_object_get(json_object_get(caps, "semanticTokensProvider"), "legend");
}

/* Decodes a data array with the legend the server advertised. */
static void decode(const struct client *c, const json_t *data, struct toks *out)
{
	const json_t *types = json_object_get(legend(c), "tokenTypes");
	const json_t *mods = json_object_get(legend(c), "tokenModifiers");
	out->n = 0;
	int line = 0, ch = 0;
	size_t n = json_array_size(data);
	OK(n % 5 == 0);
	for (size_t i = 0; i + 5 <= n && out->n < 256; i += 5) {
		int v[5];
		for (int k = 0; k < 5; k++)
			v[k] = (int)json_integer_value(json_array_get(data, i + (size_t)k));
		line += v[0];
		ch = v[0] ? v[1] : ch + v[1];
		struct tok *t = &out->items[out->n++];
		t->line = line;
		t->ch = ch;
		t->len = v[2];
		t->type = json_string_value(json_array_get(types, (size_t)v[3]));
		t->mods[0] = '\0';
		for (size_t b = 0; b < json_array_size(mods); b++) {
			if (!(v[4] & (1 << b)))
				continue;
			if (t->mods[0])
				strcat(t->mods, ",");
			strcat(t->mods, json_string_value(json_array_get(mods, b)));
		}
		OK(t->type != NULL);
		OK(v[2] > 0);
	}
}

static const struct tok *tok_at(const struct toks *ts, int line, int ch)
{
	for (int i = 0; i < ts->n; i++)
		if (ts->items[i].line == line && ts->items[i].ch == ch)
			return &ts->items[i];
	return NULL;
}

/* Asserts the token at line:ch is len units long, of type, with mods. */
#define TOKEN(ts, line, ch, len_, type_, mods_)                            \
	do {                                                               \
		const struct tok *t_ = tok_at(ts, line, ch);               \
		if (!t_)                                                   \
			fprintf(stderr, "no token at %d:%d\n", line, ch); \
		OK(t_ != NULL);                                            \
		if (t_) {                                                  \
			INT_EQ(t_->len, len_);                             \
			STR_EQ(t_->type, type_);                           \
			STR_EQ(t_->mods, mods_);                           \
		}                                                          \
	} while (0)

static int tokens_request(struct client *c, const char *method, const char *rel, json_t *extra)
{
	char *uri = client_uri(rel);
	json_t *params = json_pack("{s:{s:s}}", "textDocument", "uri", uri);
	if (extra) {
		json_object_update(params, extra);
		json_decref(extra);
	}
	int id = client_request(c, method, params);
	free(uri);
	return id;
}

static void open_text(struct client *c, const char *rel, const char *text)
{
	char *uri = client_uri(rel);
	client_notify(c, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
		"uri", uri, "languageId", "markdown", "version", 1, "text", text));
	free(uri);
}

static void test_legend(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps_with_tokens(false), NULL);
	client_run(&c, true);
	const json_t *p = json_object_get(json_object_get(client_result(&c, 1), "capabilities"),
					  "semanticTokensProvider");
	OK(json_is_true(json_object_get(json_object_get(p, "full"), "delta")));
	OK(json_is_true(json_object_get(p, "range")));
	const json_t *types = json_object_get(legend(&c), "tokenTypes");
	const json_t *mods = json_object_get(legend(&c), "tokenModifiers");
	INT_EQ(json_array_size(types), 5);
	STR_EQ(json_string_value(json_array_get(types, 0)), "namespace");
	STR_EQ(json_string_value(json_array_get(types, 4)), "property");
	INT_EQ(json_array_size(mods), 6);
	STR_EQ(json_string_value(json_array_get(mods, 0)), "declaration");
	client_fini(&c);

	/* A client without semantic tokens is not told of them, and loses
	 * nothing: the rest of its capabilities are there. */
	client_init(&c);
	client_start(&c, NULL, NULL);
	client_open(&c, INBOX);
	int full = tokens_request(&c, "textDocument/semanticTokens/full", INBOX, NULL);
	client_run(&c, true);
	const json_t *caps = json_object_get(client_result(&c, 1), "capabilities");
	OK(json_object_get(caps, "semanticTokensProvider") == NULL);
	OK(json_object_get(caps, "hoverProvider") != NULL);
	OK(json_object_get(caps, "definitionProvider") != NULL);
	/* Asked anyway, it answers. */
	OK(json_array_size(json_object_get(client_result(&c, full), "data")) > 0);
	client_fini(&c);

	/* Nor is a client that would colour with our tokens alone, dropping
	 * its own Markdown colours. */
	client_init(&c);
	json_t *caps_alone = caps_with_tokens(false);
	json_object_set_new(json_object_get(json_object_get(caps_alone, "textDocument"), "semanticTokens"),
			    "augmentsSyntaxTokens", json_false());
	client_start(&c, caps_alone, NULL);
	client_run(&c, true);
	caps = json_object_get(client_result(&c, 1), "capabilities");
	OK(json_object_get(caps, "semanticTokensProvider") == NULL);
	OK(json_object_get(caps, "hoverProvider") != NULL);
	client_fini(&c);
}

static void test_links_tags_blocks(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps_with_tokens(false), NULL);
	client_open(&c, INBOX);
	client_open(&c, LIGHTHOUSE);
	int inbox = tokens_request(&c, "textDocument/semanticTokens/full", INBOX, NULL);
	int light = tokens_request(&c, "textDocument/semanticTokens/full", LIGHTHOUSE, NULL);
	client_run(&c, true);

	struct toks ts;
	decode(&c, json_object_get(client_result(&c, inbox), "data"), &ts);
	OK(json_is_string(json_object_get(client_result(&c, inbox), "resultId")));
	/* Frontmatter: keys; people values, resolved as links are. */
	TOKEN(&ts, 5, 0, 12, "property", "");                       /* participants: */
	TOKEN(&ts, 4, 8, 16, "namespace", "resolved,ambiguous,person"); /* person: Ragnar Eiriksson */
	TOKEN(&ts, 6, 2, 15, "namespace", "resolved,viaAlias,person");  /* - Ragnar Eriksson */
	TOKEN(&ts, 7, 2, 15, "namespace", "resolved,person");           /* - Priya Natarajan */
	TOKEN(&ts, 10, 2, 11, "decorator", "");                      /* tags: - type/people */
	/* title: is no people key: a key, its value nothing. */
	TOKEN(&ts, 2, 0, 5, "property", "");
	OK(tok_at(&ts, 2, 7) == NULL);
	/* Inline tags. */
	TOKEN(&ts, 25, 79, 5, "decorator", "");                      /* #task */
	TOKEN(&ts, 25, 85, 9, "decorator", "");                      /* #proposed */
	/* Links: an alias, ambiguous, resolved, unresolved, an embed. */
	TOKEN(&ts, 26, 45, 16, "namespace", "resolved,viaAlias,person"); /* [[Tomas Wierzbicki]] */
	TOKEN(&ts, 41, 4, 16, "namespace", "resolved,ambiguous,person"); /* [[Ragnar Eiriksson]] */
	TOKEN(&ts, 43, 4, 11, "namespace", "resolved,person");           /* [[Marek Nowak]] */
	TOKEN(&ts, 44, 4, 12, "namespace", "unresolved");                /* [[Mareck Nowak]] */
	TOKEN(&ts, 47, 5, 14, "namespace", "unresolved");                /* ![[Halden Storage]] */
	/* A heading and a block named by a subpath; a customer is no person. */
	TOKEN(&ts, 45, 4, 9, "namespace", "resolved");                   /* [[Northwind */
	TOKEN(&ts, 45, 14, 8, "class", "resolved");                      /* #Contacts]] */
	TOKEN(&ts, 46, 4, 18, "namespace", "resolved");                  /* [[Project Lighthouse */
	TOKEN(&ts, 46, 23, 7, "enumMember", "resolved");                 /* #^goal-1]] */
	/* Code holds no links. */
	for (int i = 0; i < ts.n; i++)
		OK(ts.items[i].line < 33 || ts.items[i].line > 37);
	/* Sorted, never overlapping. */
	for (int i = 1; i < ts.n; i++)
		OK(ts.items[i].line > ts.items[i - 1].line ||
		   ts.items[i].ch >= ts.items[i - 1].ch + ts.items[i - 1].len);

	decode(&c, json_object_get(client_result(&c, light), "data"), &ts);
	TOKEN(&ts, 3, 10, 15, "namespace", "resolved,person");   /* owner: "[[Priya Natarajan]]" */
	TOKEN(&ts, 14, 43, 7, "enumMember", "declaration");      /* ^goal-1 */
	TOKEN(&ts, 14, 23, 17, "namespace", "resolved,person");  /* [[Tomasz Wierzbicki]] */
	TOKEN(&ts, 5, 7, 12, "decorator", "");                   /* tags: [type/project] */
	client_fini(&c);
}

/* "- 🧊 Zoë Ólafsdóttir runs GPU capacity planning at [[Orbital Compute]]":
 * the emoji is two UTF-16 units and four bytes, each accent one unit and
 * two bytes. */
static void test_encodings(void)
{
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		struct client c;
		client_init(&c);
		client_start(&c, caps_with_tokens(utf8), NULL);
		client_open(&c, ZOE);
		int id = tokens_request(&c, "textDocument/semanticTokens/full", ZOE, NULL);
		client_run(&c, true);
		struct toks ts;
		decode(&c, json_object_get(client_result(&c, id), "data"), &ts);
		TOKEN(&ts, 12, utf8 ? 58 : 53, 15, "namespace", "unresolved");
		TOKEN(&ts, 13, utf8 ? 64 : 60, 15, "namespace", "resolved,viaAlias,person");
		client_fini(&c);
	}
	/* CRLF line ends, an emoji's surrogate pair inside a token, a people
	 * value folded over two lines (one token a line, both resolved). */
	struct client c;
	client_init(&c);
	client_start(&c, caps_with_tokens(false), NULL);
	open_text(&c, SCRATCH, "---\r\nparticipants: Priya\r\n  Natarajan\r\n---\r\n\r\n"
			       "🧊 [[Northwind]] [[🧊 Cold]] #tag\r\n");
	int id = tokens_request(&c, "textDocument/semanticTokens/full", SCRATCH, NULL);
	client_run(&c, true);
	struct toks ts;
	decode(&c, json_object_get(client_result(&c, id), "data"), &ts);
	INT_EQ(ts.n, 6);
	TOKEN(&ts, 1, 0, 12, "property", "");
	TOKEN(&ts, 1, 14, 5, "namespace", "resolved,person");
	TOKEN(&ts, 2, 2, 9, "namespace", "resolved,person");
	TOKEN(&ts, 5, 5, 9, "namespace", "resolved");
	TOKEN(&ts, 5, 19, 7, "namespace", "unresolved");
	TOKEN(&ts, 5, 29, 4, "decorator", "");
	client_fini(&c);
}

/* The bytes of line `line` of text from character ch, len characters
 * long, counted in UTF-16 units or bytes: what the token covers. */
static char *token_text(const char *text, int line, int ch, int len, bool utf8)
{
	const char *p = text;
	for (int l = 0; l < line && p; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return NULL;
	const char *start = NULL;
	int units = 0;
	while (*p && *p != '\n' && *p != '\r') {
		if (units == ch && !start)
			start = p;
		if (units == ch + len)
			break;
		unsigned char c = (unsigned char)*p;
		int bytes = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		units += utf8 ? bytes : bytes == 4 ? 2 : 1;
		p += bytes;
	}
	if (!start || units != ch + len)
		return NULL;
	return xstrndup(start, (size_t)(p - start));
}

/* Many tokens to a line, between characters of every width, with CRLF:
 * each token covers exactly its text, in both encodings. */
static void test_token_texts(void)
{
	const char *text = "---\r\ntags: [é, 🧊x]\r\nwith: Zoë Ólafsdóttir\r\n---\r\n"
			   "é [[Northwind]] 🧊🧊 [[Nowhere]] 中文 #tag [[Zoë Ólafsdóttir#Key Facts]] ^b1\r\n"
			   "\r\n"
			   "👩‍👩‍👧 [[中文 名前]]|[[Priya Natarajan|🧊]] #🧊 x\r\n";
	const char *want[] = { "tags", "é", "🧊x", "with", "Zoë Ólafsdóttir", "Northwind", "Nowhere",
			       "#tag", "Zoë Ólafsdóttir", "Key Facts", "^b1", "中文 名前",
			       "Priya Natarajan", "#🧊" };
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		struct client c;
		client_init(&c);
		client_start(&c, caps_with_tokens(utf8), NULL);
		open_text(&c, SCRATCH, text);
		int id = tokens_request(&c, "textDocument/semanticTokens/full", SCRATCH, NULL);
		client_run(&c, true);
		struct toks ts;
		decode(&c, json_object_get(client_result(&c, id), "data"), &ts);
		int n = (int)(sizeof(want) / sizeof(want[0]));
		INT_EQ(ts.n, n);
		for (int i = 0; i < ts.n && i < n; i++) {
			char *got = token_text(text, ts.items[i].line, ts.items[i].ch, ts.items[i].len, utf8);
			STR_EQ(got, want[i]);
			free(got);
		}
		client_fini(&c);
	}
}

/* Applies SemanticTokensEdits to an int array, as a client does (edits
 * are given in order and refer to the old array). */
static json_t *apply_edits(const json_t *old, const json_t *edits)
{
	json_t *out = json_array();
	size_t at = 0, i;
	json_t *e;
	json_array_foreach(edits, i, e) {
		size_t start = (size_t)json_integer_value(json_object_get(e, "start"));
		size_t del = (size_t)json_integer_value(json_object_get(e, "deleteCount"));
		for (; at < start; at++)
			json_array_append(out, json_array_get(old, at));
		json_array_extend(out, json_object_get(e, "data"));
		at += del;
	}
	for (; at < json_array_size(old); at++)
		json_array_append(out, json_array_get(old, at));
	return out;
}

static void test_delta(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps_with_tokens(false), NULL);
	client_open(&c, INBOX);
	int first = tokens_request(&c, "textDocument/semanticTokens/full", INBOX, NULL);
	/* Unchanged: no edits. */
	int same = tokens_request(&c, "textDocument/semanticTokens/full/delta", INBOX,
				  json_pack("{s:s}", "previousResultId", "1"));
	/* A line with a link and a tag typed under the heading "Summary"
	 * (line 20), and a link made unresolved further down. */
	char *uri = client_uri(INBOX);
	client_notify(&c, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}, {s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s}]}",
		"textDocument", "uri", uri, "version", 2, "contentChanges",
		"range", "start", "line", 43, "character", 4, "end", "line", 43, "character", 9,
		"text", "Mark", /* [[Marek Nowak]] -> [[Mark Nowak]] */
		"range", "start", "line", 21, "character", 0, "end", "line", 21, "character", 0,
		"text", "See [[Priya Natarajan#Key Facts]] #new\n"));
	free(uri);
	int delta = tokens_request(&c, "textDocument/semanticTokens/full/delta", INBOX,
				   json_pack("{s:s}", "previousResultId", "2"));
	int fresh = tokens_request(&c, "textDocument/semanticTokens/full", INBOX, NULL);
	/* A result id never given, or not a number: the whole array. */
	int unknown = tokens_request(&c, "textDocument/semanticTokens/full/delta", INBOX,
				     json_pack("{s:s}", "previousResultId", "99"));
	int junk = tokens_request(&c, "textDocument/semanticTokens/full/delta", INBOX,
				  json_pack("{s:i}", "previousResultId", 4));
	/* Closing forgets: after reopening, the old id is unknown. */
	uri = client_uri(INBOX);
	client_notify(&c, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	free(uri);
	client_open(&c, INBOX);
	int reopened = tokens_request(&c, "textDocument/semanticTokens/full/delta", INBOX,
				      json_pack("{s:s}", "previousResultId", "6"));
	client_run(&c, true);

	const json_t *r1 = client_result(&c, first);
	STR_EQ(json_string_value(json_object_get(r1, "resultId")), "1");
	const json_t *r2 = client_result(&c, same);
	STR_EQ(json_string_value(json_object_get(r2, "resultId")), "2");
	INT_EQ(json_array_size(json_object_get(r2, "edits")), 0);
	OK(json_object_get(r2, "data") == NULL);

	const json_t *rd = client_result(&c, delta);
	const json_t *edits = json_object_get(rd, "edits");
	INT_EQ(json_array_size(edits), 1);
	STR_EQ(json_string_value(json_object_get(rd, "resultId")), "3");
	json_t *applied = apply_edits(json_object_get(r1, "data"), edits);
	const json_t *full = json_object_get(client_result(&c, fresh), "data");
	OK(json_equal(applied, full));
	/* Only what changed was sent: the edit starts on the first new token
	 * and leaves the tail alone. */
	const json_t *e0 = json_array_get(edits, 0);
	OK(json_integer_value(json_object_get(e0, "start")) > 0);
	OK(json_array_size(json_object_get(e0, "data")) < json_array_size(full));
	INT_EQ(json_integer_value(json_object_get(e0, "start")) % 5, 0);
	json_decref(applied);

	struct toks ts;
	decode(&c, full, &ts);
	TOKEN(&ts, 21, 6, 15, "namespace", "resolved,person");
	TOKEN(&ts, 21, 22, 9, "class", "resolved");
	TOKEN(&ts, 21, 34, 4, "decorator", "");
	TOKEN(&ts, 44, 4, 10, "namespace", "unresolved");         /* [[Mark Nowak]] */
	TOKEN(&ts, 45, 4, 12, "namespace", "unresolved");         /* [[Mareck Nowak]], moved */

	const json_t *ru = client_result(&c, unknown);
	OK(json_object_get(ru, "edits") == NULL);
	OK(json_equal(json_object_get(ru, "data"), full));
	OK(json_equal(json_object_get(client_result(&c, junk), "data"), full));
	const json_t *rr = client_result(&c, reopened);
	OK(json_object_get(rr, "edits") == NULL);
	OK(json_array_size(json_object_get(rr, "data")) > 0);
	client_fini(&c);
}

static bool is_refresh(const json_t *m, const void *arg)
{
	(void)arg;
	const char *meth = json_string_value(json_object_get(m, "method"));
	return meth && strcmp(meth, "workspace/semanticTokens/refresh") == 0 &&
	       json_object_get(m, "id");
}

static size_t refreshes(const struct proc *p)
{
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(p->seen, i, m)
		n += is_refresh(m, NULL);
	return n;
}

/* The decoded tokens of a response to a full request sent over pipes. */
static bool full_over_pipes(struct proc *p, const struct client *legend_of, const char *rel,
			    struct toks *ts)
{
	char *uri = client_uri(rel);
	int id = request(p, "textDocument/semanticTokens/full",
			 json_pack("{s:{s:s}}", "textDocument", "uri", uri));
	free(uri);
	const json_t *r = wait_for(p, is_response, &id, 20);
	if (r)
		decode(legend_of, json_object_get(json_object_get(r, "result"), "data"), ts);
	return r != NULL;
}

/*
 * A note created elsewhere makes a link of an open, unedited note resolve:
 * the client is asked to refresh (it would not ask by itself), once; typing
 * in the note is not such a change. Over pipes, in real time: the server
 * takes the messages one at a time, as an editor sends them.
 */
static void test_refresh(void)
{
	/* The legend, from a transcript session with the same capabilities. */
	struct client lc;
	client_init(&lc);
	client_start(&lc, caps_with_tokens(false), NULL);
	client_run(&lc, true);

	for (int can = 0; can <= 1; can++) {
		struct proc p;
		OK(spawn(&p));
		json_t *caps = caps_with_tokens(false);
		json_object_set_new(caps, "workspace", json_pack("{s:{s:b}}", "semanticTokens",
								 "refreshSupport", can));
		char *root = client_uri("");
		int init = request(&p, "initialize", json_pack("{s:i, s:s, s:o}", "processId",
			(int)getpid(), "rootUri", root, "capabilities", caps));
		free(root);
		OK(wait_for(&p, is_response, &init, 10) != NULL);
		notify(&p, "initialized", json_object());
		char path[600];
		snprintf(path, sizeof(path), "%s/vault/%s", VAULT_TEST_DIR, ZOE);
		FILE *f = fopen(path, "rb");
		char text[8192] = "";
		size_t tl = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
		if (f)
			fclose(f);
		text[tl] = '\0';
		char *zoe = client_uri(ZOE), *orbital = client_uri("Customers/Orbital Compute.md");
		notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
			"uri", zoe, "languageId", "markdown", "version", 1, "text", text));
		struct toks ts;
		OK(full_over_pipes(&p, &lc, ZOE, &ts));
		TOKEN(&ts, 12, 53, 15, "namespace", "unresolved");

		/* [[Orbital Compute]] comes into being (a buffer, never saved). */
		notify(&p, "textDocument/didOpen", json_pack("{s:{s:s, s:s, s:i, s:s}}", "textDocument",
			"uri", orbital, "languageId", "markdown", "version", 1, "text",
			"# Orbital Compute\n"));
		/* The refresh is sent as soon as that is handled: before the
		 * answer to the next request, on the same pipe. */
		OK(full_over_pipes(&p, &lc, ZOE, &ts));
		TOKEN(&ts, 12, 53, 15, "namespace", "resolved");
		INT_EQ(refreshes(&p), can);

		/* Typing in the note itself: the client asks anyway. */
		notify(&p, "textDocument/didChange", json_pack("{s:{s:s, s:i}, s:[{s:s}]}", "textDocument",
			"uri", zoe, "version", 2, "contentChanges", "text", "- see [[Orbital Compute]]\n"));
		OK(full_over_pipes(&p, &lc, ZOE, &ts));
		TOKEN(&ts, 0, 8, 15, "namespace", "resolved");
		INT_EQ(refreshes(&p), can);

		/* And gone again: asked once more. */
		notify(&p, "textDocument/didClose", json_pack("{s:{s:s}}", "textDocument", "uri", orbital));
		OK(full_over_pipes(&p, &lc, ZOE, &ts));
		TOKEN(&ts, 0, 8, 15, "namespace", "unresolved");
		INT_EQ(refreshes(&p), 2 * can);

		int shut = request(&p, "shutdown", NULL);
		OK(wait_for(&p, is_response, &shut, 10) != NULL);
		notify(&p, "exit", NULL);
		INT_EQ(finish(&p, 10), 0);
		free(zoe);
		free(orbital);
	}
	client_fini(&lc);
}

static void test_range_and_errors(void)
{
	struct client c;
	client_init(&c);
	client_start(&c, caps_with_tokens(false), NULL);
	client_open(&c, INBOX);
	/* Lines 41 to 44, and the first 8 characters of line 45: the link
	 * there starts inside the range. */
	int range = tokens_request(&c, "textDocument/semanticTokens/range", INBOX,
		json_pack("{s:{s:{s:i, s:i}, s:{s:i, s:i}}}", "range", "start", "line", 41,
			  "character", 0, "end", "line", 45, "character", 8));
	int bad_range = tokens_request(&c, "textDocument/semanticTokens/range", INBOX,
		json_pack("{s:{s:{s:i, s:i}}}", "range", "start", "line", 41, "character", 0));
	int unknown = tokens_request(&c, "textDocument/semanticTokens/full", "Scratch/Not Open.md", NULL);
	int unknown_delta = tokens_request(&c, "textDocument/semanticTokens/full/delta",
					   "Scratch/Not Open.md", json_pack("{s:s}", "previousResultId", "1"));
	int no_params = client_request(&c, "textDocument/semanticTokens/full", NULL);
	client_run(&c, true);

	const json_t *r = client_result(&c, range);
	OK(json_object_get(r, "resultId") == NULL);
	struct toks ts;
	decode(&c, json_object_get(r, "data"), &ts);
	INT_EQ(ts.n, 5);
	TOKEN(&ts, 41, 4, 16, "namespace", "resolved,ambiguous,person");
	TOKEN(&ts, 44, 4, 12, "namespace", "unresolved");
	TOKEN(&ts, 45, 4, 9, "namespace", "resolved");
	OK(tok_at(&ts, 45, 14) == NULL); /* #Contacts begins past the range */
	INT_EQ(client_error_code(&c, bad_range), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, unknown), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, unknown_delta), RPC_INVALID_PARAMS);
	INT_EQ(client_error_code(&c, no_params), RPC_INVALID_PARAMS);
	client_fini(&c);
}

int main(void)
{
	test_legend();
	test_links_tags_blocks();
	test_encodings();
	test_token_texts();
	test_delta();
	test_range_and_errors();
	test_refresh();
	return harness_done("test_semantic_tokens");
}
