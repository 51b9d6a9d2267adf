/*
 * test_note_item.c — note_item_text, the plain text of a fact:
 * lines that are their own text (no cmark parse), and every kind of
 * line that must still go through cmark, side by side. Then, on random
 * notes: links and block ids come sorted and disjoint, and the ones
 * note_item_text finds by binary search are those a linear scan finds.
 */
#include "harness.h"
#include "note.h"
#include "note_item.h"

#include <stdlib.h>
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
	/* Comments are not part of the fact; a glued block id ends it too. */
	{ "- fact <!-- A -->", "fact" },
	{ "- a %%x%% b %%y%%", "a b" },
	{ "- a <!-- x [[L]] --> [[M]] ^id", "a M" },
	{ "- %%lead%% text", "text" },
	{ "- see [[Note|the note]]^g1", "see the note" },
	{ "- done.^g2", "done." },
	{ "- x^2", "x^2" },
	/* Invalid UTF-8 goes through cmark, which keeps it. */
	{ "- bad \xff byte", "bad \xff byte" },
};

/* ---- random notes ------------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: the same notes on every machine. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

static const char *pick(const char *const *list, size_t n)
{
	return list[rnd((uint32_t)n)];
}

#define PICK(list) pick(list, sizeof(list) / sizeof(list[0]))

/* Words, and every form of link and block id, with the odd ones that
 * trip a scanner: unclosed, nested, in code, empty parts. */
static const char *const tokens[] = {
	"word", "fact", "Zoë", "2025", "a-b", "tab\there", "#tag", "*em*", "`code`",
	"[md](http://x.example)", "&amp;", "\\*", "<b>x</b>", "]]", "[[", "^mid", "!",
	"[[Target]]", "[[Target|Shown]]", "[[Target#Heading]]", "[[Target#^blk1]]",
	"[[#Heading]]", "![[embed.png]]", "![[Note|shown]]", "[[t|]]", "[[|d]]", "[[]]",
	"[[unclosed", "[[a [[b]]", "[[[c]]]", "`[[in code]]`", "[[x\\|y]]", "[[] x]]",
	"[[Priya Natarajan]]", "![[Marek#^id-2]]",
};

static const char *const markers[] = { "- ", "* ", "+ ", "1. ", "2) ", "-\t" };
static const char *const tasks[] = { "", "", "", "[ ] ", "[x] ", "[?]", "[[] ", "[ ]" };
static const char *const indents[] = { "", "", "", "  ", "    ", "\t", "> ", "> - " };

static void put_inline(struct strbuf *b)
{
	uint32_t n = 1 + rnd(8);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(b, rnd(10) ? ' ' : '\t');
		strbuf_puts(b, PICK(tokens));
	}
	static const char *const ids[] = { "a", "7", "id3", "x-1", "a-longer-block-id" };
	if (!rnd(4))
		strbuf_printf(b, " ^%s", PICK(ids));
	if (!rnd(10))
		strbuf_puts(b, "  ");
}

/* One block and its line ending(s). */
static void put_block(struct strbuf *b, const char *eol)
{
	switch (rnd(12)) {
	case 0:
		strbuf_printf(b, "%.*s ", 1 + (int)rnd(6), "######");
		put_inline(b);
		break;
	case 1:
		put_inline(b);
		strbuf_printf(b, "%s%s", eol, rnd(2) ? "===" : "---");
		break;
	case 2:
		put_inline(b);
		break;
	case 3:
		strbuf_printf(b, "```%s", eol);
		put_inline(b);
		strbuf_printf(b, "%s```", eol);
		break;
	case 4:
		strbuf_puts(b, "| a | ");
		put_inline(b);
		strbuf_puts(b, " |");
		break;
	case 5:
		strbuf_printf(b, "<div>%s", eol);
		put_inline(b);
		strbuf_printf(b, "%s</div>", eol);
		break;
	default:
		strbuf_printf(b, "%s%s%s", PICK(indents), PICK(markers), PICK(tasks));
		put_inline(b);
		if (!rnd(4)) {
			strbuf_printf(b, "%s%s", eol, rnd(2) ? "  " : "");
			put_inline(b);
		}
		break;
	}
	strbuf_puts(b, eol);
	if (!rnd(3))
		strbuf_puts(b, eol);
}

static void gen_note(struct strbuf *b)
{
	static const char *const eols[] = { "\n", "\n", "\n", "\r\n", "\r" };
	const char *eol = PICK(eols);
	b->len = 0;
	b->ptr[0] = '\0';
	if (!rnd(4))
		strbuf_printf(b, "---%saliases: [A]%s---%s", eol, eol, eol);
	uint32_t blocks = 1 + rnd(30);
	for (uint32_t i = 0; i < blocks; i++)
		put_block(b, eol);
}

/* ---- the reference ------------------------------------------------------- */

/* Sorted and disjoint, pair by pair. */
static bool before(struct span a, struct span b)
{
	return span_end(a) <= b.start;
}

/*
 * The reference: what note_item_text did before it searched. Every link,
 * then every block id, of the note is looked at; those inside the item
 * are replaced by their text (links) or dropped (block ids). The source
 * that leaves is then rendered as the item of a note of its own, with no
 * links and block ids at all, so the search is not used to check itself.
 * Returns how many links and block ids it replaced.
 */
static uint32_t reference_text(const struct note *n, uint32_t item, struct strbuf *src,
			       struct strbuf *out)
{
	const struct list_item *it = &n->items.items[item];
	uint32_t s = it->span.start, e = span_end(it->span), picked = 0;
	src->len = 0;
	src->ptr[0] = '\0';
	if (!it->span.len)
		return 0;
	if (note_item_task(n, item)) {
		s += 3;
		while (s < e && (n->text[s] == ' ' || n->text[s] == '\t'))
			s++;
	}
	uint32_t at = s;
	for (uint32_t i = 0; i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		if (l->span.start < at || span_end(l->span) > e)
			continue;
		strbuf_put(src, n->text + at, l->span.start - at);
		struct span shown = l->has_display && wikilink_display(l).len ? wikilink_display(l)
									      : wikilink_target(l);
		strbuf_put(src, n->text + shown.start, shown.len);
		at = span_end(l->span);
		picked++;
	}
	for (uint32_t i = 0; i < n->blocks.len; i++) {
		const struct block_id *b = &n->blocks.items[i];
		if (b->span.start >= at && span_end(b->span) <= e) {
			strbuf_put(src, n->text + at, b->span.start - at);
			at = span_end(b->span);
			picked++;
		}
	}
	strbuf_put(src, n->text + at, e - at);

	note_plain_text(src->ptr, src->len, out);
	return picked;
}

static void check_random_notes(void)
{
	struct strbuf md, src, got, want;
	strbuf_init(&md);
	strbuf_init(&src);
	strbuf_init(&got);
	strbuf_init(&want);
	uint32_t unsorted = 0, differ = 0, items = 0, picked = 0;
	rng_state = 0x9E3779B97F4A7C15ull;
	for (int k = 0; k < 2000; k++) {
		gen_note(&md);
		struct note *n = note_parse(md.ptr, md.len);
		for (uint32_t i = 1; i < n->links.len; i++)
			unsorted += !before(n->links.items[i - 1].span, n->links.items[i].span);
		for (uint32_t i = 1; i < n->blocks.len; i++)
			unsorted += !before(n->blocks.items[i - 1].span, n->blocks.items[i].span);

		for (uint32_t i = 0; i < n->items.len; i++) {
			got.len = want.len = 0;
			note_item_text(n, i, &got);
			picked += reference_text(n, i, &src, &want);
			items++;
			if (got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0) {
				if (!differ++)
					fprintf(stderr, "note %d item %u: \"%s\", want \"%s\" in:\n%s\n",
						k, i, got.ptr, want.ptr, md.ptr);
			}
		}
		note_free(n);
	}
	printf("random notes: %u items, %u links and block ids inside them\n", items, picked);
	INT_EQ(unsorted, 0);
	INT_EQ(differ, 0);
	/* The notes must exercise what they test. */
	OK(items > 10000 && picked > 20000);
	strbuf_fini(&md);
	strbuf_fini(&src);
	strbuf_fini(&got);
	strbuf_fini(&want);
}

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
	check_random_notes();
	return harness_done("test_note_item");
}
