/*
 * test_name_table.c — completion's table of every search key follows the
 * notes: built whole, then notes added, renamed, given other aliases or
 * removed land in extra or turn entries NAME_DEAD, and by_first groups
 * the entries by the first byte of their key.
 */
#include "harness.h"
#include "workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT "/vault-name-table"

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

static const char *key_of(const struct name_table *t, const struct name_ref *r)
{
	return t->keys + r->key;
}

/* How many live entries (table and extra) note id has with this key. */
static int live(const struct name_table *t, uint32_t id, const char *key)
{
	int n = 0;
	for (uint32_t i = 0; i < t->len; i++)
		n += t->entries[i].id == id && t->entries[i].rank != NAME_DEAD &&
		     strcmp(key_of(t, &t->entries[i]), key) == 0;
	for (uint32_t i = 0; i < t->extra_len; i++)
		n += t->extra[i].id == id && t->extra[i].rank != NAME_DEAD &&
		     strcmp(key_of(t, &t->extra[i]), key) == 0;
	return n;
}

/* Every entry under by_first[first[c]..first[c + 1]) starts with c, and
 * every entry is listed once. */
static void check_by_first(const struct name_table *t)
{
	uint32_t listed = 0;
	bool grouped = true;
	for (int c = 0; c < 256; c++) {
		for (uint32_t k = t->first[c]; k < t->first[c + 1]; k++) {
			const struct name_ref *r = &t->entries[t->by_first[k]];
			if ((unsigned char)r->head[0] != c)
				grouped = false;
			listed++;
		}
	}
	OK(grouped);
	INT_EQ(listed, t->len);
	INT_EQ(t->first[256], t->len);
}

int main(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, ROOT);
	uint32_t alice = set(ws, "People/Alice Smith.md",
			     "---\ntype: person\naliases: [Ally]\n---\n# Alice Smith\n");
	uint32_t apollo = set(ws, "Apollo.md", "---\ntype: project\n---\n# Project Apollo\n");
	uint32_t zoe = set(ws, "Zoë.md", "text\n");

	struct name_table t = workspace_name_table(ws);
	/* Stem, title, then each alias, but a title that is the stem once
	 * (it would score as the stem, for the same item): 2 + 2 + 1. */
	INT_EQ(t.len, 5);
	INT_EQ(t.extra_len, 0);
	INT_EQ(live(&t, alice, "alice smith"), 1);
	INT_EQ(live(&t, alice, "ally"), 1);
	INT_EQ(live(&t, apollo, "apollo"), 1);
	INT_EQ(live(&t, apollo, "project apollo"), 1);
	INT_EQ(live(&t, zoe, "zoe"), 1); /* accents folded; the title is the stem */
	for (uint32_t i = 0; i < t.len; i++) {
		const struct name_ref *r = &t.entries[i];
		INT_EQ(r->key_len, strlen(key_of(&t, r)));
		INT_EQ(r->rank, r->id == alice ? 0 : r->id == apollo ? 1 : 2);
		OK(strncmp(r->head, key_of(&t, r), r->key_len < 8 ? r->key_len : 8) == 0);
	}
	/* In note order, one note's keys together. */
	for (uint32_t i = 1; i < t.len; i++)
		OK(t.entries[i - 1].id <= t.entries[i].id);
	check_by_first(&t);
	/* The label: the stem for stem and title, the alias as written. */
	for (uint32_t i = 0; i < t.len; i++)
		if (t.entries[i].id == alice)
			INT_EQ(t.entries[i].label_len,
			       strlen(t.entries[i].k < 2 ? "Alice Smith" : "Ally"));

	/* A note that comes: in extra, the table as it was. */
	uint32_t bob = set(ws, "Bob.md", "---\naliases: [Robert]\n---\n");
	t = workspace_name_table(ws);
	INT_EQ(t.len, 5);
	INT_EQ(t.extra_len, 2);
	INT_EQ(live(&t, bob, "bob"), 1);
	INT_EQ(live(&t, bob, "robert"), 1);

	/* Another alias: the old entries dead, the new ones in extra. */
	set(ws, "People/Alice Smith.md", "---\ntype: person\naliases: [Al]\n---\n# Alice Smith\n");
	t = workspace_name_table(ws);
	INT_EQ(live(&t, alice, "ally"), 0);
	INT_EQ(live(&t, alice, "al"), 1);
	INT_EQ(live(&t, alice, "alice smith"), 1);
	uint32_t dead = 0;
	for (uint32_t i = 0; i < t.len; i++)
		dead += t.entries[i].id == alice && t.entries[i].rank == NAME_DEAD;
	INT_EQ(dead, 2);

	/* Text that leaves the names alone leaves the table alone. */
	uint32_t extra = t.extra_len;
	set(ws, "Zoë.md", "other text\n");
	t = workspace_name_table(ws);
	INT_EQ(t.extra_len, extra);
	INT_EQ(live(&t, zoe, "zoe"), 1);

	/* Renamed (gone from one path, come at another): the old name dead. */
	drop(ws, "Apollo.md");
	uint32_t artemis = set(ws, "Artemis.md", "---\ntype: project\n---\n# Project Apollo\n");
	t = workspace_name_table(ws);
	INT_EQ(live(&t, apollo, "apollo"), 0);
	INT_EQ(live(&t, apollo, "project apollo"), 0);
	INT_EQ(live(&t, artemis, "artemis"), 1);
	INT_EQ(live(&t, artemis, "project apollo"), 1);

	/* Removed after it came: its extra entries dead too. */
	drop(ws, "Bob.md");
	t = workspace_name_table(ws);
	INT_EQ(live(&t, bob, "bob"), 0);
	INT_EQ(live(&t, bob, "robert"), 0);
	for (uint32_t i = 0; i < t.extra_len; i++)
		if (t.extra[i].id == bob)
			INT_EQ(t.extra[i].rank, NAME_DEAD);

	/* A new configuration starts afresh: no extra, no dead entries. */
	workspace_set_config(ws, &cfg);
	t = workspace_name_table(ws);
	INT_EQ(t.extra_len, 0);
	INT_EQ(t.len, 2 + 1 + 2); /* Alice (stem, Al), Zoë, Artemis (stem, title) */
	for (uint32_t i = 0; i < t.len; i++)
		OK(t.entries[i].rank != NAME_DEAD);
	INT_EQ(live(&t, alice, "al"), 1);
	check_by_first(&t);

	workspace_free(ws);
	config_fini(&cfg);
	return harness_done("test_name_table");
}
