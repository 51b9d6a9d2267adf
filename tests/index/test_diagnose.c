/*
 * test_diagnose.c — diagnose_note on a small workspace: every code where
 * it belongs (and nowhere else), with its severity, range and message,
 * sorted by position; then the settings applied over them: a code turned
 * off, a severity changed, cross-note facts turned on, diagnosticsIgnore;
 * and nothing for an attachment.
 */
#include "diagnose.h"
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/vault-diagnose-XXXXXX";

static char *abs_path(const char *rel)
{
	struct strbuf p;
	strbuf_init(&p);
	strbuf_printf(&p, "%s/%s", root, rel);
	return strbuf_detach(&p);
}

static uint32_t put(struct workspace *ws, const char *rel, const char *text)
{
	char *p = abs_path(rel);
	uint32_t id = workspace_set_text(ws, p, text, strlen(text));
	free(p);
	return id;
}

/* Applies key over cfg: a list, or a map (keys and values alternating),
 * of the NULL-terminated strings given. */
static void set(struct config *cfg, const char *key, enum config_value_type type, ...)
{
	struct config_value v = { .type = type };
	va_list ap;
	va_start(ap, type);
	for (const char *s; (s = va_arg(ap, const char *));)
		array_push(&v.items, s);
	va_end(ap);
	struct strbuf problems;
	strbuf_init(&problems);
	config_apply_value(cfg, key, &v, &problems);
	if (problems.len)
		fprintf(stderr, "%s: %s", key, problems.ptr);
	INT_EQ(problems.len, 0);
	strbuf_fini(&problems);
	config_value_fini(&v);
}

static const char links[] =
	"# Links\n"
	"A typo: [[Priya Natarajn]].\n"
	"[[Priya Natarajan#Nope]] [[Priya Natarajan#^nope]]\n"
	"[[Ann]] and ![[missing.png]]\n"
	"Fine: [[Priya Natarajan#Role]] [[Pri]] [[Priya Natarajan#^blk]] [[]] `[[In code]]`\n"
	"Caf\xc3\xa9 M\xc3\xbcller, S\xc3\xa3o Paulo, Zo\xc3\xab\xe2\x80\x99s na\xc3\xafve fa\xc3\xa7" "ade\n"
	"Meeting üìÖ today\n";

/* What diagnose_note gives for links[], in order: code, severity, the text
 * its range covers, and its message. */
static const struct {
	const char *code;
	int severity;
	const char *covers, *message;
} expected_links[] = {
	/* A person's name one letter off: a probable variant (identity.h),
	 * not merely a link to nobody. */
	{ DIAG_NAME_VARIANT, DIAG_INFO, "[[Priya Natarajn]]",
	  "'Priya Natarajn' is probably Priya Natarajan (People/Priya Natarajan.md): a spelling not in its aliases" },
	{ DIAG_UNRESOLVED_HEADING, DIAG_WARNING, "[[Priya Natarajan#Nope]]",
	  "Heading 'Nope' not found in 'People/Priya Natarajan.md'" },
	{ DIAG_UNRESOLVED_BLOCK, DIAG_WARNING, "[[Priya Natarajan#^nope]]",
	  "Block 'nope' not found in 'People/Priya Natarajan.md'" },
	{ DIAG_AMBIGUOUS_LINK, DIAG_INFO, "[[Ann]]",
	  "Ambiguous link: 2 notes are named 'Ann'; it opens 'People/Ann.md'" },
	{ DIAG_UNRESOLVED_LINK, DIAG_WARNING, "![[missing.png]]",
	  "Unresolved link: no file named 'missing.png'" },
	{ DIAG_MOJIBAKE, DIAG_INFO, "üìÖ", "Mis-decoded text: 'üìÖ' is probably '\xf0\x9f\x93\x85'" },
};

/* Describes a finding that differs from what was expected. */
static bool same(const struct workspace *ws, uint32_t id, const struct diagnostic *d,
		 const char *code, int severity, const char *covers, const char *message)
{
	const struct note *n = workspace_get(ws, id)->note;
	struct slice s = note_slice(n, d->span);
	bool ok = strcmp(d->code, code) == 0 && d->severity == severity &&
		  slice_eq_cstr(s, covers) && d->message && strcmp(d->message, message) == 0;
	if (!ok)
		fprintf(stderr, "got %s %d \"%.*s\" \"%s\"\n want %s %d \"%s\" \"%s\"\n", d->code,
			d->severity, (int)s.len, s.ptr, d->message ? d->message : "(null)", code,
			severity, covers, message);
	return ok;
}

static bool sorted(const struct diag_list *l, uint32_t from)
{
	for (uint32_t i = from + 1; i < l->len; i++) {
		const struct diagnostic *a = &l->items[i - 1], *b = &l->items[i];
		if (a->span.start > b->span.start ||
		    (a->span.start == b->span.start && strcmp(a->code, b->code) > 0))
			return false;
	}
	return true;
}

/* How many of l's diagnostics have this code. */
static uint32_t count(const struct diag_list *l, const char *code)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < l->len; i++)
		k += strcmp(l->items[i].code, code) == 0;
	return k;
}

static const struct diagnostic *find(const struct diag_list *l, const char *code)
{
	for (uint32_t i = 0; i < l->len; i++)
		if (strcmp(l->items[i].code, code) == 0)
			return &l->items[i];
	return NULL;
}

static void test_links(struct workspace *ws, uint32_t id)
{
	struct diag_list out = { 0 };
	diagnose_note(ws, id, &out);
	size_t n = sizeof(expected_links) / sizeof(expected_links[0]);
	INT_EQ(out.len, n);
	for (uint32_t i = 0; i < out.len && i < n; i++)
		OK(same(ws, id, &out.items[i], expected_links[i].code, expected_links[i].severity,
			expected_links[i].covers, expected_links[i].message));
	OK(sorted(&out, 0));
	if (out.len != n) {
		diag_list_free(&out);
		return;
	}

	/* The card's name is a fix, and the diagnostic points at the card with
	 * how the words matched. */
	const struct diagnostic *typo = &out.items[0];
	INT_EQ(typo->fixes.len, 1);
	if (typo->fixes.len)
		STR_EQ(typo->fixes.items[0], "Priya Natarajan");
	INT_EQ(typo->related.len, 1);
	if (typo->related.len) {
		STR_EQ(workspace_get(ws, typo->related.items[0].note)->rel, "People/Priya Natarajan.md");
		STR_EQ(typo->related.items[0].message,
		       "Priya Natarajan: first name the same, surname 'natarajn' one letter from 'natarajan'");
	}
	/* A missing file suggests nothing. */
	INT_EQ(out.items[4].fixes.len, 0);
	INT_EQ(out.items[4].related.len, 0);
	/* The ambiguous link lists both notes, the one it opens first. */
	const struct diagnostic *amb = &out.items[3];
	INT_EQ(amb->related.len, 2);
	if (amb->related.len == 2) {
		STR_EQ(amb->related.items[0].message, "People/Ann.md (opened by this link)");
		STR_EQ(amb->related.items[1].message, "Archive/Ann.md");
	}
	/* The repaired text is the mojibake's fix. */
	INT_EQ(out.items[5].fixes.len, 1);
	if (out.items[5].fixes.len)
		STR_EQ(out.items[5].fixes.items[0], "\xf0\x9f\x93\x85");
	for (uint32_t i = 0; i < out.len; i++) {
		INT_EQ(out.items[i].tags, 0);
		INT_EQ(out.items[i].item, -1);
	}
	diag_list_free(&out);
}

static void test_frontmatter(struct workspace *ws)
{
	/* Invalid YAML: an error underlined to the end of its line. */
	static const char bad[] = "---\ntitle: ok\nlist: [unclosed\n---\nbody [[Nowhere]]\n";
	uint32_t id = put(ws, "Inbox/Bad.md", bad);
	struct diag_list out = { 0 };
	diagnose_note(ws, id, &out);
	INT_EQ(out.len, 2);
	const struct diagnostic *d = find(&out, DIAG_INVALID_FRONTMATTER);
	OK(d != NULL);
	if (d) {
		INT_EQ(d->severity, DIAG_ERROR);
		/* libyaml finds the flow sequence unclosed where the YAML ends:
		 * at the closing delimiter, line 4 of the file. */
		OK(strncmp(d->message, "Invalid frontmatter: line 4: ", 29) == 0);
		INT_EQ(d->span.start, (uint32_t)(strstr(bad, "\n---") - bad) + 1);
		INT_EQ(d->span.len, 3);
	}
	/* The body's links are still diagnosed, after it. */
	OK(find(&out, DIAG_UNRESOLVED_LINK) != NULL);
	OK(sorted(&out, 0));
	diag_list_free(&out);

	/* A frontmatter that never closes, at the end of a file without a
	 * final newline: the range stays inside the text. */
	static const char open[] = "---\ntitle: x";
	id = put(ws, "Inbox/Open.md", open);
	diagnose_note(ws, id, &out);
	INT_EQ(out.len, 1);
	if (out.len == 1) {
		STR_EQ(out.items[0].code, DIAG_INVALID_FRONTMATTER);
		OK(span_end(out.items[0].span) <= sizeof(open) - 1);
	}
	diag_list_free(&out);

	/* Valid frontmatter, nothing to say. */
	id = put(ws, "Inbox/Clean.md", "---\ntitle: x\n---\n[[Ann|the other one]] is [[Pri]]\n");
	diagnose_note(ws, id, &out);
	INT_EQ(out.len, 1); /* only the ambiguous [[Ann]] */
	if (out.len == 1)
		STR_EQ(out.items[0].code, DIAG_AMBIGUOUS_LINK);
	diag_list_free(&out);
}

static void test_ties(struct workspace *ws)
{
	/* One link, two findings at the same place: ordered by code. */
	uint32_t id = put(ws, "Inbox/Tie.md", "x [[Ann#Nope]]\n");
	struct diag_list out = { 0 };
	diagnose_note(ws, id, &out);
	INT_EQ(out.len, 2);
	if (out.len == 2) {
		OK(same(ws, id, &out.items[0], DIAG_AMBIGUOUS_LINK, DIAG_INFO, "[[Ann#Nope]]",
			"Ambiguous link: 2 notes are named 'Ann'; it opens 'People/Ann.md'"));
		OK(same(ws, id, &out.items[1], DIAG_UNRESOLVED_HEADING, DIAG_WARNING, "[[Ann#Nope]]",
			"Heading 'Nope' not found in 'People/Ann.md'"));
	}
	diag_list_free(&out);
	char *p = abs_path("Inbox/Tie.md");
	workspace_remove(ws, p);
	free(p);
}

static const char marek[] =
	"---\n"
	"company: Northwind\n"
	"---\n"
	"# Marek Nowak\n"
	"\n"
	"- Marek Nowak is the Partner Architect at Northwind.\n"
	"- Marek Nowak is Partner Architect at Northwind.\n"
	"- Ragnar Eiriksson is the VP of Cloud at Halden Storage and previously ran cloud "
	"storage at Brightwave, where he helped build Brightwave Files.\n"
	"- Ragnar Eiriksson is the VP of Cloud at Halden Storage.\n"
	"- Prefers a short written agenda before every partner call.\n"
	"- Prefers a short written agenda before every partner call.\n";

static void test_facts(struct workspace *ws, uint32_t id)
{
	struct diag_list out = { 0 };
	diagnose_note(ws, id, &out);
	INT_EQ(out.len, 3);
	OK(sorted(&out, 0));
	const struct diagnostic *near = find(&out, DIAG_NEAR_DUPLICATE_FACT);
	const struct diagnostic *sub = find(&out, DIAG_SUBSUMED_FACT);
	const struct diagnostic *dup = find(&out, DIAG_DUPLICATE_FACT);
	OK(near && sub && dup);
	if (!near || !sub || !dup) {
		diag_list_free(&out);
		return;
	}
	INT_EQ(near->severity, DIAG_INFO);
	INT_EQ(near->item, 1);
	INT_EQ(near->other, 0);
	OK(strncmp(near->message, "Near-duplicate fact: ", 21) == 0 && strstr(near->message, "like line 6"));
	INT_EQ(near->tags, 0);

	INT_EQ(sub->severity, DIAG_INFO);
	INT_EQ(sub->item, 3);
	INT_EQ(sub->other, 2);
	STR_EQ(sub->message, "Fact already said by the longer fact on line 8");

	INT_EQ(dup->severity, DIAG_WARNING);
	INT_EQ(dup->item, 5);
	INT_EQ(dup->other, 4);
	INT_EQ(dup->tags, DIAG_TAG_UNNECESSARY);
	STR_EQ(dup->message, "Duplicate fact: the same as line 10");
	/* Each points at the fact it repeats, in this note. */
	INT_EQ(dup->related.len, 1);
	if (dup->related.len) {
		INT_EQ(dup->related.items[0].note, id);
		const struct note *n = workspace_get(ws, id)->note;
		INT_EQ(dup->related.items[0].span.start, n->items.items[4].span.start);
		STR_EQ(dup->related.items[0].message, "first written here");
	}
	/* The range is the item's. */
	const struct note *n = workspace_get(ws, id)->note;
	INT_EQ(dup->span.start, n->items.items[5].span.start);
	INT_EQ(dup->span.len, n->items.items[5].span.len);
	/* No cross-note facts unless asked for. */
	INT_EQ(count(&out, DIAG_CROSS_NOTE_FACT), 0);
	diag_list_free(&out);
}

/* Sets one setting over the defaults. */
static void with(struct workspace *ws, void (*tweak)(struct config *))
{
	struct config cfg;
	config_init(&cfg);
	if (tweak)
		tweak(&cfg);
	workspace_set_config(ws, &cfg);
	config_fini(&cfg);
}

static void off_and_error(struct config *cfg)
{
	set(cfg, "diagnostics", CONFIG_MAP, "unresolved-link", "off", "ambiguous-link", "error",
	    "duplicate-fact", "hint", NULL);
}

static void ignore_inbox(struct config *cfg)
{
	set(cfg, "diagnosticsIgnore", CONFIG_LIST, "Inbox/", NULL);
}

static void ignore_name(struct config *cfg)
{
	set(cfg, "diagnosticsIgnore", CONFIG_LIST, "Links.md", "People/*.md", NULL);
}

static void cross_note(struct config *cfg)
{
	set(cfg, "duplicates", CONFIG_MAP, "crossNote", "true", NULL);
}

static void cross_note_off(struct config *cfg)
{
	set(cfg, "duplicates", CONFIG_MAP, "crossNote", "true", NULL);
	set(cfg, "diagnostics", CONFIG_MAP, "cross-note-fact", "off", NULL);
}

static void cross_note_severity_only(struct config *cfg)
{
	set(cfg, "diagnostics", CONFIG_MAP, "cross-note-fact", "warning", NULL);
}

static void cross_note_warning(struct config *cfg)
{
	cross_note(cfg);
	cross_note_severity_only(cfg);
}

static void test_settings(struct workspace *ws, uint32_t links_id, uint32_t marek_id)
{
	struct diag_list out = { 0 };

	/* A code turned off goes; a severity set replaces the code's own. */
	with(ws, off_and_error);
	diagnose_note(ws, links_id, &out);
	INT_EQ(out.len, 5);
	INT_EQ(count(&out, DIAG_UNRESOLVED_LINK), 0);
	INT_EQ(count(&out, DIAG_NAME_VARIANT), 1); /* its own code, not turned off */
	const struct diagnostic *amb = find(&out, DIAG_AMBIGUOUS_LINK);
	OK(amb && amb->severity == DIAG_ERROR);
	const struct diagnostic *moj = find(&out, DIAG_MOJIBAKE);
	OK(moj && moj->severity == DIAG_INFO); /* untouched */
	OK(sorted(&out, 0));
	diag_list_free(&out);
	diagnose_note(ws, marek_id, &out);
	const struct diagnostic *dup = find(&out, DIAG_DUPLICATE_FACT);
	OK(dup && dup->severity == DIAG_HINT && dup->tags == DIAG_TAG_UNNECESSARY);
	diag_list_free(&out);

	/* diagnosticsIgnore: a folder. The note stays indexed (links to it
	 * resolve) but is not diagnosed. */
	with(ws, ignore_inbox);
	OK(!workspace_diagnosed(ws, workspace_get(ws, links_id)));
	OK(workspace_diagnosed(ws, workspace_get(ws, marek_id)));
	diagnose_note(ws, links_id, &out);
	INT_EQ(out.len, 0);
	diagnose_note(ws, marek_id, &out);
	INT_EQ(out.len, 3);
	diag_list_free(&out);

	/* ... a file name anywhere, a glob in a folder. */
	with(ws, ignore_name);
	diagnose_note(ws, links_id, &out);
	diagnose_note(ws, marek_id, &out);
	INT_EQ(out.len, 0);
	int32_t bad = workspace_find(ws, root);
	OK(bad < 0); /* the root is no note */
	char *p = abs_path("Inbox/Bad.md");
	bad = workspace_find(ws, p);
	free(p);
	OK(bad >= 0);
	if (bad >= 0) {
		diagnose_note(ws, (uint32_t)bad, &out);
		INT_EQ(out.len, 2);
	}
	diag_list_free(&out);

	/* Cross-note facts: only with duplicates.crossNote; a severity for
	 * the code alone does not turn the search on, and off wins. */
	with(ws, cross_note);
	diagnose_note(ws, marek_id, &out);
	INT_EQ(count(&out, DIAG_CROSS_NOTE_FACT), 2);
	const struct diagnostic *cross = find(&out, DIAG_CROSS_NOTE_FACT);
	if (cross) {
		INT_EQ(cross->severity, DIAG_HINT);
		INT_EQ(cross->item, 4);
		STR_EQ(cross->message, "The same fact is in People/Ann.md (line 6)");
		INT_EQ(cross->related.len, 1);
		if (cross->related.len)
			STR_EQ(workspace_get(ws, cross->related.items[0].note)->rel, "People/Ann.md");
	}
	OK(sorted(&out, 0));
	diag_list_free(&out);
	with(ws, cross_note_warning);
	diagnose_note(ws, marek_id, &out);
	INT_EQ(count(&out, DIAG_CROSS_NOTE_FACT), 2);
	cross = find(&out, DIAG_CROSS_NOTE_FACT);
	OK(cross && cross->severity == DIAG_WARNING);
	diag_list_free(&out);
	with(ws, cross_note_severity_only);
	diagnose_note(ws, marek_id, &out);
	INT_EQ(count(&out, DIAG_CROSS_NOTE_FACT), 0);
	diag_list_free(&out);
	with(ws, cross_note_off);
	diagnose_note(ws, marek_id, &out);
	INT_EQ(count(&out, DIAG_CROSS_NOTE_FACT), 0);
	INT_EQ(out.len, 3);
	diag_list_free(&out);
	with(ws, NULL);
}

static void test_appends(struct workspace *ws, uint32_t links_id, uint32_t marek_id)
{
	/* diagnose_note appends, sorting only what it added. */
	struct diag_list out = { 0 };
	diagnose_note(ws, links_id, &out);
	uint32_t first = out.len;
	diagnose_note(ws, marek_id, &out);
	INT_EQ(first, 6);
	INT_EQ(out.len, 9);
	STR_EQ(out.items[0].code, DIAG_NAME_VARIANT);
	OK(sorted(&out, first));
	OK(out.items[first].span.start < out.items[first - 1].span.start);
	diag_list_free(&out);
	INT_EQ(out.len, 0);

	/* An id that is no note, or was removed: nothing. */
	diagnose_note(ws, 99999, &out);
	INT_EQ(out.len, 0);
	uint32_t gone = put(ws, "Gone.md", "[[Nowhere]]\n");
	char *p = abs_path("Gone.md");
	workspace_remove(ws, p);
	free(p);
	diagnose_note(ws, gone, &out);
	INT_EQ(out.len, 0);
	diag_list_free(&out);
}

static void test_attachment(struct workspace *ws)
{
	/* An attachment is never diagnosed, whatever its bytes. */
	char *pic = abs_path("pic.png");
	FILE *f = fopen(pic, "wb");
	OK(f != NULL);
	if (f) {
		fputs("[[Nowhere]] \xc3\xbc\xc3\xac\xc3\x85\n---\nx: [\n", f);
		fclose(f);
	}
	int32_t id = workspace_reload(ws, pic);
	OK(id >= 0);
	if (id >= 0) {
		OK(workspace_get(ws, (uint32_t)id)->attachment);
		struct diag_list out = { 0 };
		diagnose_note(ws, (uint32_t)id, &out);
		INT_EQ(out.len, 0);
		diag_list_free(&out);
	}
	unlink(pic);
	free(pic);
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

	put(ws, "People/Priya Natarajan.md",
	    "---\naliases: [Pri]\n---\n# Priya Natarajan\n\n## Role\n\nEngineer ^blk\n");
	put(ws, "People/Ann.md",
	    "---\nrole: Lead\n---\n# Ann\n\n"
	    "- Prefers a short written agenda before every partner call.\n");
	put(ws, "Archive/Ann.md", "# Ann (old)\n");
	uint32_t marek_id = put(ws, "People/Marek Nowak.md", marek);
	uint32_t links_id = put(ws, "Inbox/Links.md", links);

	test_links(ws, links_id);
	test_frontmatter(ws);
	test_ties(ws);
	test_facts(ws, marek_id);
	test_settings(ws, links_id, marek_id);
	test_appends(ws, links_id, marek_id);
	test_attachment(ws);
	workspace_free(ws);
	rmdir(root);
	return harness_done("test_diagnose");
}
