/*
 * test_preview.c — what hover and completion show of a note: a person card
 * with its fields, aliases, facts and backlinks, a note shown by its first
 * paragraph, an attachment with its size on disk, in Markdown and plain
 * text; sizes in their units; sections and blocks without their comments.
 */
#include "harness.h"
#include "preview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/vault-preview-XXXXXX";

static char *abs_path(const char *rel)
{
	struct strbuf p;
	strbuf_init(&p);
	strbuf_printf(&p, "%s/%s", root, rel);
	return strbuf_detach(&p);
}

/* Sets a note's text (nothing is written to disk) and returns its id. */
static uint32_t put(struct workspace *ws, const char *rel, const char *text)
{
	char *p = abs_path(rel);
	uint32_t id = workspace_set_text(ws, p, text, strlen(text));
	free(p);
	return id;
}

static char *preview(const struct workspace *ws, uint32_t id, bool markdown)
{
	struct strbuf b;
	strbuf_init(&b);
	preview_note(ws, id, markdown, &b);
	return strbuf_detach(&b);
}

static const char priya[] =
	"---\n"
	"title: Staff Engineer\n"
	"company: Acme_Corp\n"
	"status: active\n"
	"last_contact: 2026-01-02\n"
	"aliases: [Pri, \"P*N\"]\n"
	"---\n"
	"# Priya Natarajan\n"
	"\n"
	"- Works on [[Search]] *fast*\n"
	"- \n"
	"- Likes `tea` <!-- not shown? -->\n"
	"- Third fact\n"
	"- Fourth fact\n";

static const char search[] =
	"---\n"
	"type: project\n"
	"title: Search <v2>\n"
	"role: Lead\n"
	"last-contact: 2026-02-03\n"
	"---\n"
	"# Ignored H1\n"
	"\n"
	"```\n"
	"code first\n"
	"```\n"
	"> a quote\n"
	"\n"
	"Visible %%hidden%% text\n"
	"continues [[Priya Natarajan]].\n"
	"\n"
	"Second paragraph.\n";

static void test_person(struct workspace *ws, uint32_t id)
{
	const struct ws_note *wn = workspace_get(ws, id);
	STR_EQ(preview_kind(wn), "person");
	char *md = preview(ws, id, true);
	/* title: is the job on a person card; the facts are Markdown already,
	 * so they are shown as written, the empty one skipped, three at most;
	 * the fields are escaped. Backlinks count links: two from the
	 * meeting (one by an alias), one from Search. */
	STR_EQ(md, "**Priya Natarajan** (person)\n\n"
		   "Staff Engineer at Acme\\_Corp\n\n"
		   "status: active · last contact: 2026-01-02\n\n"
		   "Also known as: Pri, P\\*N\n\n"
		   "- Works on [[Search]] *fast*\n"
		   "- Likes `tea`\n"
		   "- Third fact\n"
		   "\n3 backlinks · `People/Priya Natarajan.md`\n");
	free(md);
	char *plain = preview(ws, id, false);
	STR_EQ(plain, "Priya Natarajan (person)\n\n"
		      "Staff Engineer at Acme_Corp\n\n"
		      "status: active · last contact: 2026-01-02\n\n"
		      "Also known as: Pri, P*N\n\n"
		      "- Works on [[Search]] *fast*\n"
		      "- Likes `tea`\n"
		      "- Third fact\n"
		      "\n3 backlinks · People/Priya Natarajan.md\n");
	free(plain);
}

static void test_paragraph(struct workspace *ws, uint32_t id)
{
	/* No facts: the first paragraph that is no heading, code or quote,
	 * without its comment; title: is the title on a project. */
	STR_EQ(preview_kind(workspace_get(ws, id)), "project");
	char *md = preview(ws, id, true);
	STR_EQ(md, "**Search \\<v2\\>** (project)\n\n"
		   "Lead\n\n"
		   "last contact: 2026-02-03\n\n"
		   "Visible  text\ncontinues [[Priya Natarajan]].\n"
		   "\n1 backlink · `Projects/Search.md`\n");
	free(md);
}

static void test_plain_notes(struct workspace *ws)
{
	/* Nothing but a title: its stem, escaped; kind unknown. */
	uint32_t id = put(ws, "Inbox/a_b*c.md", "");
	STR_EQ(preview_kind(workspace_get(ws, id)), "note");
	char *md = preview(ws, id, true);
	STR_EQ(md, "**a\\_b\\*c** (note)\n\n\n0 backlinks · `Inbox/a_b*c.md`\n");
	free(md);
	char *plain = preview(ws, id, false);
	STR_EQ(plain, "a_b*c (note)\n\n\n0 backlinks · Inbox/a_b*c.md\n");
	free(plain);

	/* A type: of its own; name: over the H1; blank fields left out. */
	id = put(ws, "Meetings/m.md",
		 "---\ntype: meeting\nname: Kick-off\nstatus: \"  \"\nrole: \"\"\n---\n"
		 "# H1\n\n\xf0\x9f\xa7\x8a \xe6\xbc\xa2\xe5\xad\x97 ok\n");
	STR_EQ(preview_kind(workspace_get(ws, id)), "meeting");
	md = preview(ws, id, true);
	STR_EQ(md, "**Kick-off** (meeting)\n\n\xf0\x9f\xa7\x8a \xe6\xbc\xa2\xe5\xad\x97 ok\n"
		   "\n0 backlinks · `Meetings/m.md`\n");
	free(md);

	/* A paragraph longer than 300 bytes is cut. */
	struct strbuf text;
	strbuf_init(&text);
	for (int i = 0; i < 100; i++)
		strbuf_puts(&text, "word ");
	id = put(ws, "Long.md", text.ptr);
	md = preview(ws, id, false);
	const char *para = strstr(md, "\n\nword");
	OK(para != NULL);
	if (para)
		INT_EQ(strcspn(para + 2, "\n"), 299); /* 300, then trimmed */
	free(md);
	strbuf_fini(&text);

	/* An id that is no note: nothing. */
	struct strbuf none;
	strbuf_init(&none);
	preview_note(ws, 99999, true, &none);
	INT_EQ(none.len, 0);
	strbuf_fini(&none);
}

static void test_attachment(struct workspace *ws)
{
	char *pic = abs_path("assets/pic.png");
	char *dir = abs_path("assets");
	OK(mkdir(dir, 0700) == 0);
	FILE *f = fopen(pic, "wb");
	OK(f != NULL);
	if (f) {
		for (int i = 0; i < 2500; i++)
			fputc('x', f);
		fclose(f);
	}
	int32_t id = workspace_reload(ws, pic);
	OK(id >= 0);
	if (id < 0)
		return;
	put(ws, "Uses pic.md", "![[pic.png]]\n");
	const struct ws_note *wn = workspace_get(ws, (uint32_t)id);
	OK(wn->attachment);
	STR_EQ(preview_kind(wn), "image");
	char *md = preview(ws, (uint32_t)id, true);
	STR_EQ(md, "**pic.png** (image, 2.4 KB)\n\n1 backlink · `assets/pic.png`\n");
	free(md);
	char *plain = preview(ws, (uint32_t)id, false);
	STR_EQ(plain, "pic.png (image, 2.4 KB)\n\n1 backlink · assets/pic.png\n");
	free(plain);

	/* Gone from the disk but still indexed: no size. */
	unlink(pic);
	md = preview(ws, (uint32_t)id, true);
	STR_EQ(md, "**pic.png** (image)\n\n1 backlink · `assets/pic.png`\n");
	free(md);
	rmdir(dir);
	free(pic);
	free(dir);
}

static const struct {
	uint64_t bytes;
	const char *text;
} sizes[] = {
	{ 0, "0 bytes" },
	{ 1, "1 byte" },
	{ 2, "2 bytes" },
	{ 812, "812 bytes" },
	{ 1023, "1023 bytes" },
	{ 1024, "1.0 KB" },
	{ 1536, "1.5 KB" },
	{ 2458, "2.4 KB" },
	{ 10240, "10 KB" },
	{ 1023 * 1024, "1023 KB" },
	{ 1024 * 1024, "1.0 MB" },
	{ 31ull * 1024 * 1024, "31 MB" },
	{ 5ull << 30, "5.0 GB" },
	{ 1ull << 40, "1.0 TB" },
	{ 2000ull << 40, "2000 TB" },   /* no unit above TB */
};

static void test_sizes(void)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct strbuf b;
		strbuf_init(&b);
		preview_size(sizes[i].bytes, &b);
		STR_EQ(b.ptr, sizes[i].text);
		strbuf_fini(&b);
	}
	/* Appends. */
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "size: ");
	preview_size(3, &b);
	STR_EQ(b.ptr, "size: 3 bytes");
	strbuf_fini(&b);
}

static const char sections[] =
	"# Top\n"
	"intro\n"
	"## A\n"
	"line a1\n"
	"<!-- a comment, the whole line -->\n"
	"line <!-- part --> a2\n"
	"\n"
	"### A.1\n"
	"deep ^blk1\n"
	"\n"
	"\n"
	"## B\n"
	"- item one\n"
	"- item %%two%% here ^item-b\n"
	"\n";

static int32_t heading(const struct note *n, const char *text)
{
	for (uint32_t i = 0; i < n->headings.len; i++)
		if (strcmp(n->headings.items[i].text, text) == 0)
			return (int32_t)i;
	return -1;
}

static char *section(const struct note *n, const char *h, uint32_t max_lines)
{
	struct strbuf b;
	strbuf_init(&b);
	int32_t i = heading(n, h);
	if (i >= 0)
		preview_section(n, (uint32_t)i, max_lines, &b);
	return strbuf_detach(&b);
}

static void test_sections_and_blocks(void)
{
	struct note *n = note_parse(sections, sizeof(sections) - 1);
	INT_EQ(n->headings.len, 4);
	/* To the next heading of its level or above; a line wholly in a
	 * comment is no line; the blank lines at the end go. */
	char *s = section(n, "A", 10);
	STR_EQ(s, "## A\nline a1\nline  a2\n\n### A.1\ndeep ^blk1\n");
	free(s);
	/* The heading and max_lines more. */
	s = section(n, "A", 2);
	STR_EQ(s, "## A\nline a1\nline  a2\n");
	free(s);
	s = section(n, "A", 0);
	STR_EQ(s, "## A\n");
	free(s);
	/* A subsection ends at its parent's sibling. */
	s = section(n, "A.1", 10);
	STR_EQ(s, "### A.1\ndeep ^blk1\n");
	free(s);
	/* The last runs to the end of the note. */
	s = section(n, "B", 10);
	STR_EQ(s, "## B\n- item one\n- item  here ^item-b\n");
	free(s);
	/* The top one holds everything. */
	s = section(n, "Top", 100);
	OK(strncmp(s, "# Top\nintro\n## A\n", 17) == 0);
	OK(strstr(s, "## B\n- item one\n") != NULL);
	free(s);

	/* Blocks: the text the id names, comments left out. */
	INT_EQ(n->blocks.len, 2);
	struct strbuf b;
	strbuf_init(&b);
	if (n->blocks.len == 2) {
		preview_block(n, 0, &b);
		STR_EQ(b.ptr, "deep ^blk1\n");
		b.len = 0;
		preview_block(n, 1, &b);
		STR_EQ(b.ptr, "item  here ^item-b\n"); /* a list item's, without its marker */
	}
	strbuf_fini(&b);
	note_free(n);

	/* A paragraph block over several lines, and text beyond ASCII. */
	static const char para[] = "Zo\xc3\xab says\n\xe6\xbc\xa2\xe5\xad\x97 here ^p1\n\nafter\n";
	n = note_parse(para, sizeof(para) - 1);
	INT_EQ(n->blocks.len, 1);
	strbuf_init(&b);
	if (n->blocks.len == 1)
		preview_block(n, 0, &b);
	STR_EQ(b.ptr, "Zo\xc3\xab says\n\xe6\xbc\xa2\xe5\xad\x97 here ^p1\n");
	strbuf_fini(&b);
	note_free(n);
}

int main(void)
{
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	config_fini(&cfg);
	workspace_add_root(ws, root);

	uint32_t p = put(ws, "People/Priya Natarajan.md", priya);
	uint32_t s = put(ws, "Projects/Search.md", search);
	put(ws, "Meetings/1-1.md", "Met [[Priya Natarajan]] and [[Pri]].\n");

	test_person(ws, p);
	test_paragraph(ws, s);
	test_plain_notes(ws);
	test_attachment(ws);
	test_sizes();
	test_sections_and_blocks();
	workspace_free(ws);
	rmdir(root);
	return harness_done("test_preview");
}
