/*
 * test_cursor.c — what a position in a note points at: links and embeds
 * in the body, frontmatter values naming notes (people keys, lists,
 * quoted "[[X]]"), the note's own names, the edges of each span, and
 * nothing; and how a reference splits into target and subpath.
 */
#include "cursor.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

/* The cursor in a case's text: "¦" (U+00A6), taken out before parsing. */
#define MARK "\xc2\xa6"

/* "LINK [[A]] t=A" plus " s=Sub" when a subpath was written, " k=key" for
 * frontmatter, " #n" for a link's index; or "NOTHING". */
static void describe(const struct note *n, const struct cursor *c, struct strbuf *out)
{
	static const char *const kinds[] = { "NOTHING", "LINK", "FM_REF", "FM_SELF", "MENTION", "TAG",
					     "MDLINK" };
	strbuf_puts(out, kinds[c->kind]);
	if (c->kind == CURSOR_NOTHING) {
		if (c->link != -1)
			strbuf_printf(out, " #%d", c->link);
		return;
	}
	struct slice s = note_slice(n, c->span);
	strbuf_printf(out, " %.*s t=%.*s", (int)s.len, s.ptr, (int)c->target.len, c->target.ptr);
	if (c->has_subpath)
		strbuf_printf(out, " s=%.*s", (int)c->subpath.len, c->subpath.ptr);
	if (c->kind == CURSOR_LINK)
		strbuf_printf(out, " #%d", c->link);
	else if (c->key)
		strbuf_printf(out, " k=%s", c->key);
}

/* Parses text with its mark taken out and describes what lies under it. */
static void cursor_case(const struct config *cfg, const char *marked, struct strbuf *out)
{
	const char *m = strstr(marked, MARK);
	if (!m) {
		strbuf_puts(out, "(no mark)");
		return;
	}
	struct strbuf text;
	strbuf_init(&text);
	strbuf_put(&text, marked, (size_t)(m - marked));
	strbuf_puts(&text, m + strlen(MARK));
	struct note *n = note_parse(text.ptr, text.len);
	struct cursor c = cursor_at(n, cfg, (uint32_t)(m - marked));
	describe(n, &c, out);
	note_free(n);
	strbuf_fini(&text);
}

static const struct {
	const char *text, *expect;
} body[] = {
	{ "See [[Pri" MARK "ya Natarajan]] today", "LINK [[Priya Natarajan]] t=Priya Natarajan #0" },
	/* A Markdown link to a note: its path and subpath as written. */
	{ "See [her](../People/Pri" MARK "ya%20N.md#Key%20Facts) today",
	  "MDLINK [her](../People/Priya%20N.md#Key%20Facts) t=../People/Priya%20N.md s=Key%20Facts" },
	{ "See [he" MARK "r](<People/Priya N.md>)", "MDLINK [her](<People/Priya N.md>) t=People/Priya N.md" },
	/* Not to a note, or in code: nothing. */
	{ "See [we" MARK "b](https://x.org/a.md)", "NOTHING" },
	{ "See `[he" MARK "r](People/P.md)`", "NOTHING" },
	/* Both ends of a link count: the cursor after its last character. */
	{ MARK "[[A]] x", "LINK [[A]] t=A #0" },
	{ "x [[A]]" MARK " y", "LINK [[A]] t=A #0" },
	{ "x [[A]] " MARK "y", "NOTHING" },
	{ "x" MARK " [[A]]", "NOTHING" },
	{ "[[A]] an" MARK "d [[B]]", "NOTHING" },
	/* Where two links touch, the later one. */
	{ "[[A]]" MARK "[[B]]", "LINK [[B]] t=B #1" },
	{ "[[A]][[B]][[C" MARK "]]", "LINK [[C]] t=C #2" },
	/* Embeds, with their '!'. */
	{ MARK "![[img.png|200]]", "LINK ![[img.png|200]] t=img.png #0" },
	{ "![[Note#Sec" MARK "tion]]", "LINK ![[Note#Section]] t=Note s=Section #0" },
	/* Subpaths, display text, a link to a heading of this note. */
	{ "[[Note#Head|sho" MARK "wn]]", "LINK [[Note#Head|shown]] t=Note s=Head #0" },
	{ "[[#Lo" MARK "cal]]", "LINK [[#Local]] t= s=Local #0" },
	{ "[[A#^bl" MARK "k]]", "LINK [[A#^blk]] t=A s=^blk #0" },
	{ "[[A#]" MARK "]", "LINK [[A#]] t=A s= #0" },
	/* Beyond ASCII, before and inside the link. */
	{ "\xf0\x9f\xa7\x8a \xe6\xbc\xa2 [[Zo\xc3\xab" MARK "]]",
	  "LINK [[Zo\xc3\xab]] t=Zo\xc3\xab #0" },
	/* An unclosed link runs to the end of its line. */
	{ "[[Op" MARK "en link\nnext", "LINK [[Open link t=Open link #0" },
	{ "[[Open link\nne" MARK "xt", "NOTHING" },
	/* A link in code is no link. */
	{ "`[[A" MARK "]]`", "NOTHING" },
	{ "```\n[[A" MARK "]]\n```\n", "NOTHING" },
	/* Nothing at all. */
	{ MARK, "NOTHING" },
	{ "plain " MARK "text\n", "NOTHING" },
	/* A note without frontmatter: a name: line in the body is text. */
	{ "name: Pri" MARK "ya\n", "NOTHING" },
};

static const char fm[] =
	"---\n"
	"name: Priya Natarajan\n"
	"aliases: [Priya, \"P. N.\"]\n"
	"participants:\n"
	"  - Ravi Kumar\n"
	"  - \"[[L\xc3\xa9" "a Dubois#Role]]\"\n"
	"owner: \"[[Sam]]\"\n"
	"company: Acme\n"
	"related: '[[Project X|the project]]'\n"
	"status: active\n"
	"with: \"\"\n"
	"host: Ravi\n"
	"meta:\n"
	"  owner: Nested\n"
	"---\n"
	"Body [[B]]\n";

/* In the frontmatter above: where the cursor is (a needle, and how far
 * into it), and what it points at. */
static const struct {
	const char *needle;
	int into;
	const char *expect;
} in_fm[] = {
	{ "Priya Natarajan", 3, "FM_SELF Priya Natarajan t=Priya Natarajan k=name" },
	{ "Priya Natarajan", 0, "FM_SELF Priya Natarajan t=Priya Natarajan k=name" },
	{ "Priya Natarajan", 15, "FM_SELF Priya Natarajan t=Priya Natarajan k=name" },
	{ "name:", 2, "NOTHING" },
	{ "Priya,", 1, "FM_SELF Priya t=Priya k=aliases" },
	{ "P. N.", 4, "FM_SELF P. N. t=P. N. k=aliases" },
	{ "Ravi Kumar", 10, "FM_REF Ravi Kumar t=Ravi Kumar k=participants" },
	{ "[[L\xc3\xa9", 5,
	  "FM_REF [[L\xc3\xa9" "a Dubois#Role]] t=L\xc3\xa9" "a Dubois s=Role k=participants" },
	{ "[[Sam]]", 2, "FM_REF [[Sam]] t=Sam k=owner" },
	/* Inside the quotes but outside the value. */
	{ "\"[[Sam]]\"", 0, "NOTHING" },
	/* Not a people key, not a link. */
	{ "Acme", 1, "NOTHING" },
	{ "active", 0, "NOTHING" },
	/* A link under any key names a note. */
	{ "[[Project", 4, "FM_REF [[Project X|the project]] t=Project X k=related" },
	/* An empty value, a key, a nested map: nothing. */
	{ "\"\"", 1, "NOTHING" },
	{ "participants", 3, "NOTHING" },
	{ "Nested", 2, "NOTHING" },
	{ "Ravi\n", 2, "NOTHING" },     /* host: is no people key by default */
	{ "---\n", 1, "NOTHING" },
	/* The body after the frontmatter. */
	{ "[[B]]", 3, "LINK [[B]] t=B #0" },
};

static void test_body(const struct config *cfg)
{
	for (size_t i = 0; i < sizeof(body) / sizeof(body[0]); i++) {
		struct strbuf got;
		strbuf_init(&got);
		cursor_case(cfg, body[i].text, &got);
		if (strcmp(got.ptr, body[i].expect) != 0)
			fprintf(stderr, "body[%zu] %s:\n", i, body[i].text);
		STR_EQ(got.ptr, body[i].expect);
		strbuf_fini(&got);
	}
}

static void test_frontmatter(const struct config *cfg, const struct config *host)
{
	struct note *n = note_parse(fm, sizeof(fm) - 1);
	OK(n->frontmatter != NULL);
	for (size_t i = 0; i < sizeof(in_fm) / sizeof(in_fm[0]); i++) {
		const char *at = strstr(fm, in_fm[i].needle);
		OK(at != NULL);
		if (!at)
			continue;
		struct cursor c = cursor_at(n, cfg, (uint32_t)(at - fm) + (uint32_t)in_fm[i].into);
		struct strbuf got;
		strbuf_init(&got);
		describe(n, &c, &got);
		if (strcmp(got.ptr, in_fm[i].expect) != 0)
			fprintf(stderr, "in_fm[%zu] at %s+%d:\n", i, in_fm[i].needle, in_fm[i].into);
		STR_EQ(got.ptr, in_fm[i].expect);
		strbuf_fini(&got);
	}
	/* With host: among the people keys, its value names a note. */
	struct cursor c = cursor_at(n, host, (uint32_t)(strstr(fm, "Ravi\n") - fm));
	INT_EQ(c.kind, CURSOR_FM_REF);
	STR_EQ(c.key, "host");
	OK(slice_eq_cstr(c.target, "Ravi"));
	/* ... and participants: no longer is one (peopleKeys replaces the
	 * defaults), but a quoted link there still names a note. */
	c = cursor_at(n, host, (uint32_t)(strstr(fm, "Ravi Kumar") - fm));
	INT_EQ(c.kind, CURSOR_NOTHING);
	c = cursor_at(n, host, (uint32_t)(strstr(fm, "[[L") - fm) + 1);
	INT_EQ(c.kind, CURSOR_FM_REF);
	note_free(n);

	/* The singular alias:, and title: (not one of the names the cursor
	 * offers: on a person card it is the job). */
	static const char single[] = "---\nalias: Pri\ntitle: Engineer\n---\n";
	n = note_parse(single, sizeof(single) - 1);
	c = cursor_at(n, cfg, (uint32_t)(strstr(single, "Pri") - single) + 1);
	INT_EQ(c.kind, CURSOR_FM_SELF);
	STR_EQ(c.key, "alias");
	OK(slice_eq_cstr(c.target, "Pri"));
	c = cursor_at(n, cfg, (uint32_t)(strstr(single, "Engineer") - single) + 1);
	INT_EQ(c.kind, CURSOR_NOTHING);
	note_free(n);

	/* Invalid frontmatter: no values to point at, and no crash. */
	static const char bad[] = "---\nowner: [[[Sam\n---\n[[C]]\n";
	n = note_parse(bad, sizeof(bad) - 1);
	c = cursor_at(n, cfg, (uint32_t)(strstr(bad, "Sam") - bad));
	INT_EQ(c.kind, CURSOR_NOTHING);
	c = cursor_at(n, cfg, (uint32_t)(strstr(bad, "[[C]]") - bad) + 2);
	INT_EQ(c.kind, CURSOR_LINK);
	OK(slice_eq_cstr(c.target, "C"));
	note_free(n);

	/* Past the end of the text. */
	static const char tail[] = "[[A]]";
	n = note_parse(tail, sizeof(tail) - 1);
	INT_EQ(cursor_at(n, cfg, 6).kind, CURSOR_NOTHING);
	INT_EQ(cursor_at(n, cfg, UINT32_MAX).kind, CURSOR_NOTHING);
	note_free(n);
}

/* A reference as written, and its target and subpath ("-": none written). */
static const struct {
	const char *ref, *target, *subpath;
} refs[] = {
	{ "", "", "-" },
	{ "Target", "Target", "-" },
	{ "  Target \t", "Target", "-" },
	{ "Target#Sub", "Target", "Sub" },
	{ "[[Target#Sub|Display]]", "Target", "Sub" },
	{ "![[img.png]]", "img.png", "-" },
	{ "![[img.png|300]]", "img.png", "-" },
	{ "[[ Spaced  # Sub ]]", "Spaced", " Sub " },    /* the subpath as written */
	{ "A#B#C", "A", "B#C" },
	{ "A#^blk", "A", "^blk" },
	{ "A|B#C", "A", "-" },                           /* a '#' in the display text */
	{ "#Local", "", "Local" },
	{ "[[]]", "", "-" },
	{ "[[#]]", "", "" },
	{ "[[T]", "T]", "-" },                           /* half-closed: kept */
	{ "[[T", "[[T", "-" },                           /* too short to strip */
	{ "[[Tx", "Tx", "-" },
	{ "!", "!", "-" },
	{ "![x", "[x", "-" },
	{ "\"[[Sam]]\"", "\"[[Sam]]\"", "-" },           /* quotes are the caller's */
	{ "[[Zo\xc3\xab#\xc3\x89tudes]]", "Zo\xc3\xab", "\xc3\x89tudes" },
};

static void test_split_ref(void)
{
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		struct slice target = { 0 }, subpath = { 0 };
		bool has = false;
		cursor_split_ref(slice_from_cstr(refs[i].ref), &target, &subpath, &has);
		bool want_sub = strcmp(refs[i].subpath, "-") != 0;
		bool right = slice_eq_cstr(target, refs[i].target) && has == want_sub &&
			     (want_sub ? slice_eq_cstr(subpath, refs[i].subpath) : subpath.len == 0);
		if (!right)
			fprintf(stderr, "refs[%zu] \"%s\": target \"%.*s\", subpath %d \"%.*s\"\n", i,
				refs[i].ref, (int)target.len, target.ptr, has, (int)subpath.len,
				subpath.ptr);
		OK(right);
	}
}

int main(void)
{
	struct config cfg, host;
	config_init(&cfg);
	config_init(&host);
	struct config_value v = { .type = CONFIG_LIST };
	array_push(&v.items, "host");
	struct strbuf problems;
	strbuf_init(&problems);
	config_apply_value(&host, "peopleKeys", &v, &problems);
	INT_EQ(problems.len, 0);
	strbuf_fini(&problems);
	config_value_fini(&v);

	test_body(&cfg);
	test_frontmatter(&cfg, &host);
	test_split_ref();
	config_fini(&cfg);
	config_fini(&host);
	return harness_done("test_cursor");
}
