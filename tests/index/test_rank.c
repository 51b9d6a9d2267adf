/*
 * test_rank.c — rank_names' shortcuts (word-start groups in tie order,
 * bounds from word starts and their pairs, best bound first) give the
 * list that scoring every key gives, for what people type after "[[":
 * mostly the first three letters of a name's last word, on a vault shaped
 * as the generated benchmark vaults are, before and after names change.
 */
#include "harness.h"
#include "rank.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT "/vault-rank"

static uint32_t seed = 2024;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

#define N(a) (sizeof(a) / sizeof(a[0]))
#define PICK(a) a[rnd(N(a))]

static const char *firsts[] = {
	"Aarav", "Zoë", "Tomasz", "Sakura", "Thiago", "Tereza", "Niamh", "Oisín", "Rohan", "Freya",
	"Tariq", "Sean", "Olafur", "Agnieszka", "Miroslav", "Chloé", "Burak", "Ximena", "Hugo", "Ida",
};
static const char *lasts[] = {
	"Adams", "Schmidt", "Schneider", "Taylor", "Tanaka", "Torres", "O'Brien", "Ólafsdóttir",
	"Fernández", "Ferreira", "Kowalski", "Ozturk", "Rossi", "Moreau", "Novak", "Wagner",
	"Talbot", "Scholz", "Planck", "Reviere", "Wierzbicki", "Díaz", "Liu", "Yilmaz",
};
static const char *companies[] = {
	"Alder", "Horizon", "Polaris", "Keystone", "Evergreen", "Summit", "Talon", "Orbital",
	"Scholar", "Revel", "Torch", "Planet",
};
static const char *trades[] = {
	"Labs", "Analytics", "Telecom", "Motors", "Health", "Robotics", "Software", "Capital",
};
static const char *topics[] = {
	"the security review", "the migration plan", "the partner program", "latency targets",
	"the roadmap", "contract terms", "the renewal", "travel plans", "hiring", "the board meeting",
	"the object store angle", "support escalations", "talks", "planning", "review",
};

static void set(struct workspace *ws, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), ROOT "/%s", rel);
	workspace_set_text(ws, path, text, strlen(text));
}

/* People, customers with numbered twins, projects and a meeting folder
 * per person, as tests/bench/genvault.py makes them. */
static void make_vault(struct workspace *ws, uint32_t people)
{
	struct strbuf rel, text, name;
	strbuf_init(&rel);
	strbuf_init(&text);
	strbuf_init(&name);
	for (uint32_t i = 0; i < people; i++) {
		name.len = 0;
		strbuf_printf(&name, "%s %s", PICK(firsts), PICK(lasts));
		if (rnd(3) == 0)
			strbuf_printf(&name, " %u", rnd(100));
		rel.len = text.len = 0;
		strbuf_printf(&rel, "%s/%s.md", rnd(5) ? "People" : "Contacts", name.ptr);
		strbuf_printf(&text, "---\ntype: person\naliases: [\"%.*s\"]\n---\n# %s\n",
			      (int)strcspn(name.ptr, " "), name.ptr, name.ptr);
		set(ws, rel.ptr, text.ptr);
		for (uint32_t m = rnd(4); m > 0; m--) {
			const char *co = PICK(companies), *tr = PICK(trades), *topic = PICK(topics);
			uint32_t num = 1000 + rnd(9000);
			rel.len = text.len = 0;
			strbuf_printf(&rel, "Meetings/%s/20%02u-%02u-%02u - ", name.ptr, 23 + rnd(4), 1 + rnd(12),
				      1 + rnd(28));
			size_t title = rel.len;
			switch (rnd(4)) {
			case 0:
				strbuf_printf(&rel, "1-1 with %s, %s", PICK(firsts), topic);
				break;
			case 1:
				strbuf_printf(&rel, "%s %s %u sync on %s", co, tr, num, topic);
				break;
			case 2:
				strbuf_printf(&rel, "prep for %s %s talks", co, tr);
				break;
			default:
				strbuf_printf(&rel, "%s and %s on %s", PICK(firsts), PICK(firsts), topic);
			}
			strbuf_printf(&text, "---\ntype: meeting\ntitle: \"%s\"\n---\n# x\n", rel.ptr + title);
			strbuf_puts(&rel, ".md");
			set(ws, rel.ptr, text.ptr);
		}
		if (i % 4 == 0) {
			rel.len = text.len = 0;
			strbuf_printf(&rel, "Customers/%s %s %u.md", PICK(companies), PICK(trades), 1000 + rnd(9000));
			strbuf_puts(&text, "---\ntype: customer\n---\n");
			set(ws, rel.ptr, text.ptr);
		}
		if (i % 9 == 0) {
			rel.len = text.len = 0;
			strbuf_printf(&rel, "Projects/%s %s.md", PICK(companies), PICK(topics));
			strbuf_puts(&text, "---\ntype: project\n---\n");
			set(ws, rel.ptr, text.ptr);
		}
	}
	strbuf_fini(&rel);
	strbuf_fini(&text);
	strbuf_fini(&name);
}

/* The first n UTF-8 characters of word, as typed. */
static void typed(const char *word, size_t n, struct strbuf *out)
{
	size_t i = 0, len = strlen(word);
	while (i < len && n > 0) {
		i++;
		while (i < len && ((unsigned char)word[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	out->len = 0;
	strbuf_put(out, word, i);
}

/* What is typed: mostly 3 letters of a stem's last word; then its first
 * word's, 1-2 letters, and the odd one with a separator in it. */
static void draw_query(const struct workspace *ws, uint32_t i, struct strbuf *q)
{
	const struct ws_note *wn = NULL;
	while (!wn || wn->attachment)
		wn = workspace_get(ws, rnd(workspace_id_bound(ws)));
	const char *last = strrchr(wn->stem, ' ');
	switch (i % 8) {
	case 0:
		typed(wn->stem, 1 + rnd(3), q);
		break;
	case 1:
		typed("(no", 3, q);
		break;
	default:
		typed(last ? last + 1 : wn->stem, 3, q);
	}
}

static bool same(const struct rank_top *a, const struct rank_top *b)
{
	if (a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++) {
		const struct rank_candidate *x = &a->items[i], *y = &b->items[i];
		if (x->score != y->score || x->note != y->note || x->key != y->key ||
		    strcmp(x->label, y->label) != 0)
			return false;
	}
	return true;
}

static void compare(struct workspace *ws, uint32_t queries, const char *what)
{
	struct strbuf q = { 0 };
	struct rank_top *fast = xcalloc(1, sizeof(*fast)), *split = xcalloc(1, sizeof(*split)),
			*slow = xcalloc(1, sizeof(*slow));
	uint32_t agree = 0, full = 0;
	for (uint32_t i = 0; i < queries; i++) {
		draw_query(ws, i, &q);
		struct slice s = { q.ptr, q.len };
		fast->len = split->len = slow->len = 0;
		rank_names(ws, s, false, NULL, fast);
		/* Every pass of 64 keys or more on two threads, as in a vault of
		 * 100,000 notes. */
		rank_names(ws, s, false, &(struct rank_options){ .split = 64 }, split);
		rank_names(ws, s, false, &(struct rank_options){ .exhaustive = true }, slow);
		rank_sort(fast);
		rank_sort(split);
		rank_sort(slow);
		bool ok = same(fast, slow) && same(split, slow);
		agree += ok;
		full += slow->len == RANK_MAX;
		if (!ok)
			fprintf(stderr, "%s: \"%s\" ranks otherwise than every key scored\n", what, q.ptr);
	}
	INT_EQ(agree, queries);
	/* Full lists: the shortcuts, not the vault's size, decided them. */
	OK(full > queries * 3 / 4);
	printf("%s: %u queries, %u lists full, %u as scoring every key\n", what, queries, full, agree);
	free(fast);
	free(split);
	free(slow);
	strbuf_fini(&q);
}

int main(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	make_vault(ws, 2500);
	compare(ws, 240, "built");

	/* Names change: notes renamed, aliased, retyped; new ones come. The
	 * table keeps old entries dead and new ones aside until rebuilt. */
	struct strbuf rel = { 0 }, text = { 0 };
	for (uint32_t i = 0; i < 300; i++) {
		rel.len = text.len = 0;
		strbuf_printf(&rel, "People/%s %s %u.md", PICK(firsts), PICK(lasts), 100 + i);
		strbuf_printf(&text, "---\ntype: %s\naliases: [%s %s]\n---\n# %s\n", rnd(2) ? "person" : "project",
			      PICK(topics), PICK(lasts), PICK(companies));
		set(ws, rel.ptr, text.ptr);
	}
	compare(ws, 160, "changed");
	strbuf_fini(&rel);
	strbuf_fini(&text);

	workspace_free(ws);
	config_fini(&cfg);
	return harness_done("test_rank");
}
