/*
 * test_tags.c — the tag index: inline and frontmatter tags (with or
 * without '#', one or several a value), folded case, nested tags counted
 * under their parents, occurrences in path order, ranking; what is no tag
 * (code, links, URLs, digits); the index following set_text and remove,
 * checked against a count from scratch after random edits; and the
 * cursor on a tag.
 */
#include "cursor.h"
#include "harness.h"
#include "tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT "/vault-tags"

static uint32_t set(struct workspace *ws, const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), ROOT "/%s", rel);
	return workspace_set_text(ws, path, text, strlen(text));
}

static void drop(struct workspace *ws, const char *rel)
{
	char path[256];
	snprintf(path, sizeof(path), ROOT "/%s", rel);
	workspace_remove(ws, path);
}

/* notes/direct of a tag, or -1/-1 when the index does not know it. */
static void counts(struct workspace *ws, const char *tag, int *notes, int *direct)
{
	struct tag_info info;
	int32_t id = tags_find(ws, slice_from_cstr(tag));
	*notes = *direct = -1;
	if (id >= 0 && tags_get(ws, (uint32_t)id, &info)) {
		*notes = (int)info.notes;
		*direct = (int)info.direct;
	}
}

#define COUNTS(ws, tag, n, d)                      \
	do {                                       \
		int n_, d_;                        \
		counts(ws, tag, &n_, &d_);         \
		if (n_ != (n) || d_ != (d))        \
			fprintf(stderr, "tag %s:\n", tag); \
		INT_EQ(n_, n);                     \
		INT_EQ(d_, d);                     \
	} while (0)

/* "A.md:#project/alpha B.md:project ..." : each occurrence as its note's
 * file name and the text of its span. */
static void occurrences(struct workspace *ws, const char *tag, bool nested, struct strbuf *out)
{
	struct tag_occurrences occ = { 0 };
	tags_occurrences(ws, slice_from_cstr(tag), nested, &occ);
	out->len = 0;
	if (out->ptr)
		out->ptr[0] = '\0';
	for (uint32_t i = 0; i < occ.len; i++) {
		const struct ws_note *wn = workspace_get(ws, occ.items[i].note);
		struct slice s = note_slice(wn->note, occ.items[i].span);
		strbuf_printf(out, "%s%s:%.*s", i ? " " : "", wn->rel, (int)s.len, s.ptr);
	}
	if (!out->ptr)
		strbuf_puts(out, "");
	array_free(&occ);
}

#define OCC(ws, tag, nested, expect)                         \
	do {                                                 \
		struct strbuf got_ = { 0 };                  \
		occurrences(ws, tag, nested, &got_);         \
		STR_EQ(got_.ptr, expect);                    \
		strbuf_fini(&got_);                          \
	} while (0)

static void test_reading(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	set(ws, "B.md", "---\ntags:\n  - project\n  - '#todo'\n---\nSome #TODO here, #project/alpha/x.\n");
	set(ws, "A.md", "---\ntags: [Type/Person, \"#urgent\"]\n---\n# A\n"
			"Text #project/alpha and #Project/Beta.\n#todo\n");
	set(ws, "C.md", "`#notatag`\n```\n#code\n```\n[[Link#heading]] http://x/#frag #123 #a-b "
			"x#glued [t](#anchor) (#paren) #trail/\n%% #commented %%\n");
	set(ws, "D.md", "---\ntag: \"one, #two three [[x]] 1984 #\"\n---\n");

	/* Nested tags count under their parents, a note once. */
	COUNTS(ws, "project", 2, 1);
	COUNTS(ws, "#project", 2, 1);
	COUNTS(ws, "project/alpha", 2, 1);
	COUNTS(ws, "PROJECT/ALPHA/X", 1, 1);
	COUNTS(ws, "project/beta", 1, 1);
	/* Case folded; frontmatter with or without '#'. */
	COUNTS(ws, "todo", 2, 2);
	COUNTS(ws, "type/person", 1, 1);
	COUNTS(ws, "type", 1, 0);
	COUNTS(ws, "urgent", 1, 1);
	/* One scalar, several tags; what is no tag is left out. */
	COUNTS(ws, "one", 1, 1);
	COUNTS(ws, "two", 1, 1);
	COUNTS(ws, "three", 1, 1);
	COUNTS(ws, "1984", -1, -1);
	COUNTS(ws, "x", -1, -1);
	/* Code, links, URLs, glued '#', digits, comments: no tags. */
	COUNTS(ws, "notatag", -1, -1);
	COUNTS(ws, "code", -1, -1);
	COUNTS(ws, "heading", -1, -1);
	COUNTS(ws, "frag", -1, -1);
	COUNTS(ws, "123", -1, -1);
	COUNTS(ws, "glued", -1, -1);
	COUNTS(ws, "anchor", -1, -1);
	COUNTS(ws, "commented", -1, -1);
	COUNTS(ws, "a-b", 1, 1);
	COUNTS(ws, "paren", 1, 1);
	COUNTS(ws, "trail", 1, 1);
	COUNTS(ws, "trail/", 1, 1);
	COUNTS(ws, "", -1, -1);
	COUNTS(ws, "#", -1, -1);

	/* Every place, by path then position; the frontmatter's first. */
	OCC(ws, "project", true,
	    "A.md:#project/alpha A.md:#Project/Beta B.md:project B.md:#project/alpha/x");
	OCC(ws, "project", false, "B.md:project");
	OCC(ws, "#Project/Alpha", true, "A.md:#project/alpha B.md:#project/alpha/x");
	OCC(ws, "todo", true, "A.md:#todo B.md:#todo B.md:#TODO");
	OCC(ws, "type", false, "");
	OCC(ws, "type", true, "A.md:Type/Person");
	OCC(ws, "nothing", true, "");

	/* The tag's name is its first spelling. */
	struct tag_info info;
	int32_t id = tags_find(ws, SLICE_LIT("TYPE/PERSON"));
	OK(id >= 0 && tags_get(ws, (uint32_t)id, &info));
	OK(slice_eq_cstr(info.name, "Type/Person"));
	OK(slice_eq_cstr(info.key, "type/person"));

	/* Nested tags: most notes first, then by key. */
	struct id_list nested = { 0 };
	tags_nested(ws, (uint32_t)tags_find(ws, SLICE_LIT("project")), &nested);
	INT_EQ(nested.len, 3);
	const char *order[] = { "project/alpha", "project/alpha/x", "project/beta" };
	for (uint32_t i = 0; i < nested.len && i < 3; i++) {
		tags_get(ws, nested.items[i], &info);
		OK(slice_eq_cstr(info.key, order[i]));
	}
	array_free(&nested);

	/* One place a tag is written: the first, in the note of least id. */
	struct tag_occurrence at;
	OK(tags_place(ws, (uint32_t)tags_find(ws, SLICE_LIT("todo")), &at));
	OK(slice_eq_cstr(note_slice(workspace_get(ws, at.note)->note, at.span), "#todo"));
	STR_EQ(workspace_get(ws, at.note)->rel, "B.md");
	OK(!tags_place(ws, (uint32_t)tags_find(ws, SLICE_LIT("type")), &at)); /* only nested */

	/* Ranking: tags held only through a nested one are not offered; by
	 * count, the tags of most notes first among equal scores. */
	struct rank_top top = { .len = 0 };
	tags_rank(ws, SLICE_LIT("#pro"), 0, true, &top);
	rank_sort(&top);
	INT_EQ(top.len, 5); /* and "Type/Person", p-r-o scattered */
	STR_EQ(top.items[0].label, "project");
	STR_EQ(top.items[1].label, "project/alpha");
	STR_EQ(top.items[4].label, "Type/Person");
	INT_EQ(top.items[0].key, 1);
	top.len = 0;
	tags_rank(ws, SLICE_LIT("typ"), 0, false, &top);
	INT_EQ(top.len, 1); /* "type" is only implied */
	STR_EQ(top.len ? top.items[0].label : "", "Type/Person");

	/* Kept up to date: a note loses its tags... */
	set(ws, "B.md", "No tags now.\n");
	COUNTS(ws, "project", 1, 0);
	COUNTS(ws, "project/alpha/x", -1, -1);
	COUNTS(ws, "todo", 1, 1);
	OCC(ws, "todo", true, "A.md:#todo");
	/* ...another goes... */
	drop(ws, "A.md");
	COUNTS(ws, "project", -1, -1);
	COUNTS(ws, "todo", -1, -1);
	COUNTS(ws, "type", -1, -1);
	/* ...one comes, another gains one. */
	set(ws, "E.md", "#Project and #project/gamma\n");
	set(ws, "C.md", "#code now\n");
	COUNTS(ws, "project", 1, 1);
	COUNTS(ws, "code", 1, 1);
	COUNTS(ws, "a-b", -1, -1);
	id = tags_find(ws, SLICE_LIT("project"));
	tags_get(ws, (uint32_t)id, &info);
	OK(slice_eq_cstr(info.name, "project")); /* the name it was first given */
	OCC(ws, "project", true, "E.md:#Project E.md:#project/gamma");

	/* A pasted blob is no tag; deep nesting counts 16 levels up. Either
	 * costs its length, not its length squared. */
	struct strbuf big = { 0 };
	strbuf_puts(&big, "#");
	for (int i = 0; i < 100000; i++)
		strbuf_puts(&big, "a/");
	strbuf_puts(&big, "\n#d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18\n");
	set(ws, "P.md", big.ptr);
	strbuf_fini(&big);
	COUNTS(ws, "a", -1, -1);
	COUNTS(ws, "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16", 1, 0);
	COUNTS(ws, "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17", -1, -1);
	COUNTS(ws, "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18", 1, 1);
	workspace_free(ws);
	config_fini(&cfg);
}

/* The cursor on a tag: inline, or a frontmatter tags: value. */
static void test_cursor(void)
{
	struct config cfg;
	config_init(&cfg);
	static const char text[] = "---\ntags: [alpha, \"#beta\"]\nname: x\n---\n# Title\n"
				   "see #gamma/delta and [[A#b]]\n";
	struct note *n = note_parse(text, sizeof(text) - 1);
	struct {
		const char *needle;
		int into;
		int kind;
		const char *span, *target;
	} cases[] = {
		{ "alpha", 0, CURSOR_TAG, "alpha", "alpha" },
		{ "alpha", 5, CURSOR_TAG, "alpha", "alpha" },
		{ "#beta", 3, CURSOR_TAG, "#beta", "beta" },
		{ "#gamma", 0, CURSOR_TAG, "#gamma/delta", "gamma/delta" },
		{ "delta", 5, CURSOR_TAG, "#gamma/delta", "gamma/delta" },
		{ "x\n", 0, CURSOR_FM_SELF, "x", "x" },
		{ "# Title", 0, CURSOR_NOTHING, NULL, NULL },
		{ "[[A#b]]", 4, CURSOR_LINK, "[[A#b]]", "A" },
		{ " and", 2, CURSOR_NOTHING, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t at = (uint32_t)(strstr(text, cases[i].needle) - text) + (uint32_t)cases[i].into;
		struct cursor c = cursor_at(n, &cfg, at);
		if ((int)c.kind != cases[i].kind)
			fprintf(stderr, "cursor case %zu (%s)\n", i, cases[i].needle);
		INT_EQ(c.kind, cases[i].kind);
		if (cases[i].span && (int)c.kind == cases[i].kind) {
			OK(slice_eq_cstr(note_slice(n, c.span), cases[i].span));
			OK(slice_eq_cstr(c.target, cases[i].target));
		}
	}
	struct span tok;
	OK(!tags_fm_at(n, (uint32_t)(strstr(text, "tags") - text), &tok));
	note_free(n);
	config_fini(&cfg);
}

/* Random notes, random edits: after each, every tag's counts equal a
 * count from what was written. */
#define NOTES 40
#define WORDS 6
static const char *const words[WORDS] = { "a", "b", "Work", "work/x", "a/B/c", "zz" };

static void test_random(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	/* What each note holds: a bit per word, directly. */
	unsigned held[NOTES] = { 0 };
	bool present[NOTES] = { false };
	unsigned seed = 12345;
	const char *keys[] = { "a", "b", "work", "work/x", "a/b/c", "zz", "a/b" };
	bool all = true;
	for (int step = 0; step < 600; step++) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)((seed >> 8) % NOTES);
		char rel[32];
		snprintf(rel, sizeof(rel), "n%02d.md", i);
		if ((seed >> 20) % 7 == 0) {
			drop(ws, rel);
			present[i] = false;
			held[i] = 0;
		} else {
			unsigned bits = (seed >> 12) & 63;
			struct strbuf t = { 0 };
			strbuf_puts(&t, "---\ntags: [");
			const char *sep = "";
			for (int w = 0; w < WORDS; w++) {
				if (bits & (1u << w) && (w & 1)) {
					strbuf_printf(&t, "%s%s", sep, words[w]);
					sep = ", ";
				}
			}
			strbuf_puts(&t, "]\n---\ntext");
			for (int w = 0; w < WORDS; w++)
				if (bits & (1u << w) && !(w & 1))
					strbuf_printf(&t, " #%s", words[w]);
			strbuf_puts(&t, "\n");
			set(ws, rel, t.ptr);
			strbuf_fini(&t);
			present[i] = true;
			held[i] = bits;
		}
		if (step % 5)
			continue;
		/* From scratch: key k is held directly by words[k] (k < WORDS),
		 * and under it by the words nested below it. */
		for (int k = 0; k < 7; k++) {
			int notes = 0, direct = 0;
			for (int n = 0; n < NOTES; n++) {
				if (!present[n])
					continue;
				bool d = false, u = false;
				for (int w = 0; w < WORDS; w++) {
					if (!(held[n] & (1u << w)))
						continue;
					char lw[16];
					size_t len = strlen(words[w]);
					for (size_t c = 0; c <= len; c++)
						lw[c] = (char)(words[w][c] >= 'A' && words[w][c] <= 'Z'
							       ? words[w][c] + 32 : words[w][c]);
					size_t kl = strlen(keys[k]);
					d |= strcmp(lw, keys[k]) == 0;
					u |= strcmp(lw, keys[k]) == 0 ||
					     (strncmp(lw, keys[k], kl) == 0 && lw[kl] == '/');
				}
				notes += u;
				direct += d;
			}
			int gn, gd;
			counts(ws, keys[k], &gn, &gd);
			if (!notes)
				all &= gn == -1;
			else
				all &= gn == notes && gd == direct;
			/* The notes the occurrences are in: the same, each live. */
			struct tag_occurrences occ = { 0 };
			tags_occurrences(ws, slice_from_cstr(keys[k]), true, &occ);
			int in = 0;
			for (uint32_t o = 0; o < occ.len; o++) {
				const struct ws_note *wn = workspace_get(ws, occ.items[o].note);
				all &= wn != NULL;
				in += wn && (o == 0 || occ.items[o - 1].note != occ.items[o].note);
			}
			all &= in == notes;
			array_free(&occ);
		}
	}
	OK(all);
	workspace_free(ws);
	config_fini(&cfg);
}

/* Occurrences in path order for a tag of many notes (sorted by a rank of
 * every path, made again after notes come and go), and of few. */
static bool in_path_order(struct workspace *ws, const char *tag, uint32_t *count)
{
	struct tag_occurrences occ = { 0 };
	tags_occurrences(ws, slice_from_cstr(tag), true, &occ);
	bool ordered = true;
	for (uint32_t i = 1; i < occ.len; i++) {
		int c = strcmp(workspace_get(ws, occ.items[i - 1].note)->abs,
			       workspace_get(ws, occ.items[i].note)->abs);
		ordered &= c < 0 || (c == 0 && occ.items[i - 1].span.start < occ.items[i].span.start);
	}
	*count = occ.len;
	array_free(&occ);
	return ordered;
}

static void test_many(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	char rel[32];
	/* Ids in another order than paths. */
	for (int i = 0; i < 3000; i++) {
		snprintf(rel, sizeof(rel), "d%d/n%04d.md", (i * 7) % 13, (i * 2654435761u) % 10000);
		set(ws, rel, i % 2 ? "#big and #Big/x\n" : "---\ntags: big\n---\n#few? no: #big\n");
	}
	uint32_t n;
	OK(in_path_order(ws, "big", &n));
	INT_EQ(n, 6000); /* two a note */
	for (int i = 0; i < 500; i++) {
		snprintf(rel, sizeof(rel), "d%d/n%04d.md", (i * 7) % 13, (i * 2654435761u) % 10000);
		drop(ws, rel);
		snprintf(rel, sizeof(rel), "a%d.md", i);
		set(ws, rel, "#big\n");
	}
	OK(in_path_order(ws, "big", &n));
	OK(in_path_order(ws, "big/x", &n));
	INT_EQ(n, 1250);
	workspace_free(ws);
	config_fini(&cfg);
}

int main(void)
{
	test_reading();
	test_many();
	test_cursor();
	test_random();
	return harness_done("test_tags");
}
