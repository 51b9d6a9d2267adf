/*
 * test_facts.c — duplicate, near-duplicate and subsumed facts: the cases
 * in tests/facts/cases.md, annotated inline, on top of tests/vault (for
 * aliases). Also prints the similarities that set the default threshold,
 * and checks the candidate cap at its edge.
 */
#include "facts.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static struct workspace *load_vault(void)
{
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	const char *root = VAULT_TEST_DIR "/vault";
	workspace_add_root(ws, root);
	workspace_install(ws, workspace_scan(&root, 1, &cfg, 2, NULL, NULL, NULL, NULL));
	config_fini(&cfg);
	return ws;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf b;
	strbuf_init(&b);
	if (f) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_put(&b, buf, n);
		fclose(f);
	}
	return strbuf_detach(&b);
}

struct mark {
	char label[16];  /* "A" */
	char kind[16];   /* "dup", "near", "subsumed", or "" */
	char target[16]; /* the label it refers to */
	uint32_t section;
};

static void read_mark(const struct note *n, uint32_t i, struct mark *m)
{
	memset(m, 0, sizeof(*m));
	/* The mark is an HTML comment, hence not part of the item's span
	 * (note.h): read the item's line to its end. */
	struct span line = n->items.items[i].span;
	while (span_end(line) < n->len && n->text[span_end(line)] != '\n' &&
	       n->text[span_end(line)] != '\r')
		line.len++;
	struct slice s = note_slice(n, line);
	const char *c = NULL;
	for (size_t k = 0; k + 4 <= s.len; k++)
		if (memcmp(s.ptr + k, "<!--", 4) == 0)
			c = s.ptr + k + 4;
	if (!c)
		return;
	char a[16] = "", b[16] = "";
	if (sscanf(c, " %15s %15s", a, b) >= 1) {
		if (strcmp(b, "-->") == 0 || !b[0]) {
			snprintf(m->label, sizeof(m->label), "%s", a);
		} else {
			snprintf(m->kind, sizeof(m->kind), "%s", a);
			snprintf(m->target, sizeof(m->target), "%s", b);
		}
	}
}

static const char *kind_word(uint8_t k)
{
	return k == FACT_DUPLICATE ? "dup" : k == FACT_NEAR_DUPLICATE ? "near" : "subsumed";
}

/*
 * The candidate cap, at its edge. Two sections of fillers that share all
 * their words but a number of their own (no two of them comparable, but
 * each a candidate for what follows), then two facts without numbers that
 * are near duplicates of each other on a person card (one own word in
 * the first, two in the second) and share only the fillers' words.
 * The first of the pair is the cap's last candidate for the second after
 * FACT_MAX_CANDIDATES - 1 fillers, and one past it after
 * FACT_MAX_CANDIDATES: found in the first section, not in the second.
 * Every distinct candidate counts toward the cap, comparable or not:
 * counting only those that can match would find both.
 */
static void check_cap(struct workspace *ws)
{
	/* No word in common between the sections, numbers included. */
	static const struct {
		const char *words, *pair[2];
		uint32_t fillers;
	} sections[2] = {
		{ "found alpha beta gamma delta epsilon", { "zeta", "eta iota" }, FACT_MAX_CANDIDATES - 1 },
		{ "missed kappa lambda mu nu xi", { "theta", "omicron rho" }, FACT_MAX_CANDIDATES },
	};
	uint32_t pair_at[2];
	struct strbuf b;
	strbuf_init(&b);
	/* A person card: there a reworded fact (one word here, two there)
	 * is a near duplicate. */
	strbuf_puts(&b, "---\ntype: person\n---\n# Cap\n");
	uint32_t items = 0;
	for (int s = 0; s < 2; s++) {
		strbuf_printf(&b, "\n## %s\n\n", sections[s].words);
		for (uint32_t i = 0; i < sections[s].fillers; i++, items++)
			strbuf_printf(&b, "- %s %u\n", sections[s].words, 100000 * (s + 1) + i);
		pair_at[s] = items;
		for (int k = 0; k < 2; k++)
			strbuf_printf(&b, "- %s %s\n", sections[s].words, sections[s].pair[k]);
		items += 2;
	}
	const char *path = VAULT_TEST_DIR "/vault/Fixtures/Fact cap.md";
	uint32_t id = workspace_set_text(ws, path, b.ptr, b.len);
	const struct note *n = workspace_get(ws, id)->note;
	INT_EQ(n->items.len, items);

	struct fact_findings found = { 0 };
	facts_find(ws, id, FACT_DEFAULT_THRESHOLD, &found);
	INT_EQ(found.len, 1);
	if (found.len) {
		INT_EQ(found.items[0].item, pair_at[0] + 1);
		INT_EQ(found.items[0].other, pair_at[0]);
		INT_EQ(found.items[0].kind, FACT_NEAR_DUPLICATE);
	}
	/* The pair is a near duplicate: only the cap keeps the second apart. */
	OK(facts_similarity(ws, n, pair_at[1], pair_at[1] + 1) >= FACT_DEFAULT_THRESHOLD);
	array_free(&found);
	strbuf_fini(&b);
}

int main(void)
{
	struct workspace *ws = load_vault();
	char *text = read_file(VAULT_TEST_DIR "/facts/cases.md");
	const char *path = VAULT_TEST_DIR "/vault/Fixtures/Fact cases.md";
	uint32_t id = workspace_set_text(ws, path, text, strlen(text));
	const struct note *n = workspace_get(ws, id)->note;
	OK(n->items.len > 40);

	struct mark *marks = xcalloc(n->items.len, sizeof(*marks));
	for (uint32_t i = 0; i < n->items.len; i++) {
		read_mark(n, i, &marks[i]);
		for (uint32_t h = 0; h < n->headings.len; h++)
			if (n->headings.items[h].line.start < n->items.items[i].span.start)
				marks[i].section = h;
	}

	struct fact_findings found = { 0 };
	facts_find(ws, id, FACT_DEFAULT_THRESHOLD, &found);
	bool *reported = xcalloc(n->items.len, sizeof(bool));
	for (uint32_t f = 0; f < found.len; f++) {
		const struct fact_finding *ff = &found.items[f];
		reported[ff->item] = true;
		const struct mark *m = &marks[ff->item];
		bool ok = strcmp(m->kind, kind_word(ff->kind)) == 0 &&
			  strcmp(marks[ff->other].label, m->target) == 0;
		if (!ok) {
			struct slice s = note_slice(n, n->items.items[ff->item].span);
			fprintf(stderr, "unexpected: %s of item %u (label '%s') on: %.*s\n",
				kind_word(ff->kind), ff->other, marks[ff->other].label, (int)s.len, s.ptr);
		}
		OK(ok);
	}
	for (uint32_t i = 0; i < n->items.len; i++) {
		if (marks[i].kind[0] && !reported[i]) {
			struct slice s = note_slice(n, n->items.items[i].span);
			fprintf(stderr, "missed: %s %s on: %.*s\n", marks[i].kind, marks[i].target,
				(int)s.len, s.ptr);
			OK(false);
		}
	}

	/* The measurement behind FACT_DEFAULT_THRESHOLD: the similarity of
	 * every expected near duplicate, and of every other pair of facts in
	 * the same section. */
	double min_pos = 2, max_neg = -1;
	for (uint32_t i = 0; i < n->items.len; i++) {
		for (uint32_t j = i + 1; j < n->items.len; j++) {
			if (marks[i].section != marks[j].section)
				continue;
			double d = facts_similarity(ws, n, i, j);
			bool pos = strcmp(marks[j].kind, "near") == 0 && marks[i].label[0] &&
				   strcmp(marks[j].target, marks[i].label) == 0;
			bool related = marks[j].kind[0] && marks[i].label[0] &&
				       strcmp(marks[j].target, marks[i].label) == 0;
			if (pos && d < min_pos)
				min_pos = d;
			else if (!related && !marks[j].kind[0] && d > max_neg && d < 1.0)
				max_neg = d;
		}
	}
	printf("near-duplicate similarity on tests/facts/cases.md: lowest true pair %.2f, "
	       "highest other pair %.2f, threshold %.2f\n", min_pos, max_neg, FACT_DEFAULT_THRESHOLD);
	OK(min_pos >= FACT_DEFAULT_THRESHOLD);
	OK(max_neg < FACT_DEFAULT_THRESHOLD);

	/* Alias normalisation, word for word. */
	struct strbuf norm = { 0 };
	for (uint32_t i = 0; i < n->items.len; i++) {
		struct slice s = note_slice(n, n->items.items[i].span);
		if (s.len > 5 && memcmp(s.ptr, "Tomek", 5) == 0) {
			facts_normalise(ws, n, i, &norm);
			STR_EQ(norm.ptr, "tomasz wierzbicki reviews every integration design before it goes to a customer");
		}
	}
	strbuf_fini(&norm);

	check_cap(ws);

	array_free(&found);
	free(reported);
	free(marks);
	free(text);
	workspace_free(ws);
	return harness_done("test_facts");
}
