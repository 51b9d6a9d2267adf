/*
 * test_parser_item_text.c — note_item_text, the plain text of a fact:
 * lines that are their own text (no cmark parse), and every kind of
 * line that must still go through cmark, side by side.
 */
#include "harness.h"
#include "note.h"

#include <string.h>

struct item_case {
	const char *markdown;  /* one list item (or a task) */
	const char *text;      /* its note_item_text */
};

static const struct item_case cases[] = {
	/* Plain lines: their own text, trailing blanks and block ids off. */
	{ "- Hugo owns the pilot for the reduction design.", "Hugo owns the pilot for the reduction design." },
	{ "- Zoë Ólafsdóttir — GPUs, (maybe) 391k USD; \"quoted\" 'too' 50% #tag", "Zoë Ólafsdóttir — GPUs, (maybe) 391k USD; \"quoted\" 'too' 50% #tag" },
	{ "- spaces   inside  kept   ", "spaces   inside  kept" },
	{ "- ends with a block id ^d7dd67", "ends with a block id" },
	{ "- [ ] an open task", "an open task" },
	{ "- [x]   done, blanks after the marker", "done, blanks after the marker" },
	{ "- a 2x-3.3x range a-b c+d e=f g|h i~j k#l m>n o.p", "a 2x-3.3x range a-b c+d e=f g|h i~j k#l m>n o.p" },
	{ "- Meet [[Hugo Fischer]] and [[Halden Labs|Halden]] at [[Inbox/Note#Top]].", "Meet Hugo Fischer and Halden at Inbox/Note." },
	/* Markup: cmark renders it. */
	{ "- *Priya* joined `Halden` **in 2025**!", "Priya joined Halden in 2025!" },
	{ "- see [the deck](http://x.example/a_b) now", "see the deck now" },
	{ "- an ![image](i.png) here", "an image here" },
	{ "- AT&amp;T &copy; &#65;", "AT&T © A" },
	{ "- a \\*starred\\* word", "a *starred* word" },
	{ "- <b>bold</b> html", "bold html" },
	{ "- <http://auto.example> link", "http://auto.example link" },
	{ "- snake_case_name", "snake_case_name" },
	{ "- two\n  lines", "two lines" },
	{ "- tab\tinside", "tab\tinside" },
	/* First characters that could open a block inside the item. */
	{ "- 2023 was a good year", "2023 was a good year" },
	/* (After a task marker: an item that starts with a block has no
	 * paragraph, hence no text.) */
	{ "- [ ] 1. nested ordered", "nested ordered" },
	{ "- [ ] # a heading", "a heading" },
	{ "- [ ] > quoted", "quoted" },
	{ "- [ ] + plus item", "plus item" },
	{ "- [ ] ``` fence", "" },
	{ "- [ ] <div>", "" },
	{ "- [ ] = equals", "= equals" },
	{ "- [ ] | pipe", "| pipe" },
	{ "- [ ] ~ tilde", "~ tilde" },
	{ "- # a heading", "" },
	{ "- [ref]: /url", "" },
	{ "- [bracketed] text", "[bracketed] text" },
	/* Invalid UTF-8 goes through cmark, which keeps it. */
	{ "- bad \xff byte", "bad \xff byte" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct note *n = note_parse(cases[i].markdown, strlen(cases[i].markdown));
		struct strbuf out = { 0 };
		strbuf_init(&out);
		strbuf_puts(&out, "kept: "); /* appends, and trims only its own part */
		OK(n->items.len >= 1);
		if (n->items.len)
			note_item_text(n, 0, &out);
		STR_EQ(out.ptr + 6, cases[i].text);
		OK(strncmp(out.ptr, "kept: ", 6) == 0);
		strbuf_fini(&out);
		note_free(n);
	}
	return harness_done("test_parser_item_text");
}
