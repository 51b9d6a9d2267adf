/*
 * test_note_pack.c — a note's model to bytes and back: every input of the
 * parser's data files and every note of the fixture vault comes back
 * field for field the note it was, every prefix of its bytes is refused,
 * and flipped bytes either are refused or give a note that reads within
 * its bounds (the sanitizer builds watch that); a frontmatter tree that is
 * not a mapping, or links, block ids or zones out of order, are refused.
 */
#include "cases.h"
#include "note.h"
#include "note_pack.h"

#include <dirent.h>
#include <sys/stat.h>

static int notes_checked;

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_span(struct span a, struct span b)
{
	return a.start == b.start && a.len == b.len;
}

static bool same_node(const struct yaml_node *a, const struct yaml_node *b)
{
	if (!a || !b)
		return a == b;
	if (a->type != b->type || a->quoted != b->quoted || !same_span(a->span, b->span) ||
	    a->n != b->n || !same_str(a->str, b->str) || (a->keys == NULL) != (b->keys == NULL))
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		if (a->keys && (!same_str(a->keys[i], b->keys[i]) ||
				!same_span(a->key_spans[i], b->key_spans[i])))
			return false;
		if (!same_node(&a->items[i], &b->items[i]))
			return false;
	}
	return true;
}

/* The node of tree b at the place node x has in tree a (NULL for NULL). */
static const struct yaml_node *counterpart(const struct yaml_node *a, const struct yaml_node *b,
					   const struct yaml_node *x)
{
	if (!x || !a || !b)
		return NULL;
	if (a == x)
		return b;
	for (uint32_t i = 0; i < a->n && i < b->n; i++) {
		const struct yaml_node *found = counterpart(&a->items[i], &b->items[i], x);
		if (found)
			return found;
	}
	return NULL;
}

/* Field for field, pointers compared by what they point at. */
static bool same_note(const struct note *a, const struct note *b)
{
	bool ok = a->len == b->len && memcmp(a->text, b->text, a->len + 1) == 0 &&
		  a->has_frontmatter == b->has_frontmatter && same_span(a->fm_span, b->fm_span) &&
		  a->body == b->body && a->fm_error.present == b->fm_error.present &&
		  a->fm_error.offset == b->fm_error.offset &&
		  same_str(a->fm_error.message, b->fm_error.message) &&
		  same_node(a->frontmatter, b->frontmatter) && a->aliases.len == b->aliases.len &&
		  a->fm_tags.len == b->fm_tags.len && a->headings.len == b->headings.len &&
		  a->items.len == b->items.len && a->links.len == b->links.len &&
		  a->blocks.len == b->blocks.len && a->tags.len == b->tags.len &&
		  a->zones.len == b->zones.len;
	if (!ok)
		return false;
	const struct yaml_node *fa = a->frontmatter, *fb = b->frontmatter;
	ok = counterpart(fa, fb, a->type) == b->type && counterpart(fa, fb, a->name) == b->name &&
	     counterpart(fa, fb, a->title) == b->title;
	for (uint32_t i = 0; i < a->aliases.len; i++)
		ok = ok && counterpart(fa, fb, a->aliases.items[i]) == b->aliases.items[i];
	for (uint32_t i = 0; i < a->fm_tags.len; i++)
		ok = ok && counterpart(fa, fb, a->fm_tags.items[i]) == b->fm_tags.items[i];
	for (uint32_t i = 0; i < a->headings.len; i++) {
		const struct heading *x = &a->headings.items[i], *y = &b->headings.items[i];
		ok = ok && x->level == y->level && same_span(x->line, y->line) &&
		     same_span(x->title, y->title) && strcmp(x->text, y->text) == 0;
	}
	for (uint32_t i = 0; i < a->items.len; i++)
		ok = ok && same_span(a->items.items[i].span, b->items.items[i].span) &&
		     a->items.items[i].line_start == b->items.items[i].line_start;
	for (uint32_t i = 0; i < a->links.len; i++) {
		const struct wikilink *x = &a->links.items[i], *y = &b->links.items[i];
		ok = ok && same_span(x->span, y->span) && x->target_len == y->target_len &&
		     x->subpath_len == y->subpath_len && x->flags == y->flags &&
		     x->has_subpath == y->has_subpath && x->has_display == y->has_display &&
		     x->escaped_bar == y->escaped_bar;
	}
	for (uint32_t i = 0; i < a->blocks.len; i++)
		ok = ok && same_span(a->blocks.items[i].span, b->blocks.items[i].span) &&
		     same_span(a->blocks.items[i].id, b->blocks.items[i].id) &&
		     same_span(a->blocks.items[i].block, b->blocks.items[i].block);
	for (uint32_t i = 0; i < a->tags.len; i++)
		ok = ok && same_span(a->tags.items[i].span, b->tags.items[i].span);
	for (uint32_t i = 0; i < a->zones.len; i++)
		ok = ok && same_span(a->zones.items[i].span, b->zones.items[i].span) &&
		     a->zones.items[i].kind == b->zones.items[i].kind;
	return ok;
}

static struct note *unpack(const struct strbuf *bytes, size_t len, const struct note *like,
			   bool *all_read)
{
	struct binio_reader r = binio_over(bytes->ptr, len);
	char *text;
	struct note *m = note_pack_read(&r, like->len, &text);
	if (m)
		memcpy(text, like->text, like->len);
	*all_read = !r.bad && r.at == len;
	return m;
}

/* Reads what the model of n reads, so that the sanitizers see a note
 * that points out of its bounds. */
static size_t touch(const struct note *n)
{
	size_t sum = 0;
	for (uint32_t i = 0; i < n->headings.len; i++)
		sum += strlen(n->headings.items[i].text);
	for (uint32_t i = 0; i < n->aliases.len; i++)
		sum += strlen(n->aliases.items[i]->str);
	for (uint32_t i = 0; i < n->links.len; i++) {
		struct slice d = note_slice(n, wikilink_display(&n->links.items[i]));
		for (size_t k = 0; k < d.len; k++)
			sum += (unsigned char)d.ptr[k];
	}
	for (uint32_t i = 0; i < n->zones.len; i++)
		sum += note_slice(n, n->zones.items[i].span).len;
	return sum;
}

static void check(const char *what, const char *text, size_t len)
{
	struct note *n = note_parse(text, len);
	struct strbuf a = { 0 }, b = { 0 };
	strbuf_init(&a);
	strbuf_init(&b);
	note_pack(n, &a);
	bool all;
	struct note *m = unpack(&a, a.len, n, &all);
	if (!m || !all || !same_note(n, m)) {
		fprintf(stderr, "round trip of %s differs\n", what);
		OK(false);
	} else {
		note_pack(m, &b);
		OK(b.len == a.len && memcmp(a.ptr, b.ptr, a.len) == 0);
		touch(m);
	}
	note_free(m);
	notes_checked++;

	/* Every prefix is refused: nothing reads past what it was given. */
	bool refused = true;
	for (size_t cut = 0; cut < a.len; cut++) {
		struct note *p = unpack(&a, cut, n, &all);
		if (p || all)
			refused = false;
		note_free(p);
	}
	if (!refused)
		fprintf(stderr, "a prefix of %s was taken\n", what);
	OK(refused);

	/* Each byte flipped: refused, or a note that stays in its bounds. */
	for (size_t at = 0; at < a.len; at += 1 + at / 64) {
		a.ptr[at] ^= 0x5a;
		struct note *p = unpack(&a, a.len, n, &all);
		if (p)
			touch(p);
		note_free(p);
		a.ptr[at] ^= 0x5a;
	}
	strbuf_fini(&a);
	strbuf_fini(&b);
	note_free(n);
}

/* A frontmatter tree is a mapping, as the parser keeps one (cursor_at
 * reads a root's keys without asking its type): a sequence or a scalar
 * at the root, or a tree without frontmatter, is refused. */
static void check_root_refused(void)
{
	const char *text = "---\nk: [a, b]\nm: x\n---\nbody\n";
	struct note *n = note_parse(text, strlen(text));
	struct yaml_node *fm = n->frontmatter;
	OK(fm && fm->type == YAML_MAP_NODE && fm->n == 2 && fm->items[0].type == YAML_SEQ_NODE &&
	   fm->items[1].type == YAML_SCALAR_NODE);
	if (!fm || fm->n != 2)
		return;
	struct strbuf a = { 0 };
	bool all;
	for (int k = 0; k < 3; k++) {
		n->frontmatter = k < 2 ? &fm->items[k] : fm;
		n->has_frontmatter = k < 2;
		a.len = 0;
		note_pack(n, &a);
		struct note *m = unpack(&a, a.len, n, &all);
		OK(m == NULL);
		note_free(m);
	}
	n->frontmatter = fm;
	n->has_frontmatter = true;
	a.len = 0;
	note_pack(n, &a);
	struct note *m = unpack(&a, a.len, n, &all);
	OK(m && all && same_note(n, m));
	note_free(m);
	strbuf_fini(&a);
	note_free(n);
}

/* Links and block ids in source order, none overlapping, and zones
 * sorted by start, as note_types.h promises (note_item_text cuts the
 * text between them by their starts): out of order, refused. */
static void check_order_refused(void)
{
	const char *text = "- [[a]] `x` and [[b]] `y` ^one\n- two ^two\n";
	struct note *n = note_parse(text, strlen(text));
	OK(n->links.len == 2 && n->blocks.len == 2 && n->zones.len == 2);
	if (n->links.len != 2 || n->blocks.len != 2 || n->zones.len != 2)
		return;
	struct strbuf a = { 0 };
	bool all;
	for (int k = 0; k < 4; k++) {
		struct wikilink l = n->links.items[0];
		struct block_id b = n->blocks.items[0];
		struct zone z = n->zones.items[0];
		if (k == 0) {
			n->links.items[0] = n->links.items[1];
			n->links.items[1] = l;
		} else if (k == 1) {
			n->blocks.items[0] = n->blocks.items[1];
			n->blocks.items[1] = b;
		} else if (k == 2) {
			n->zones.items[0] = n->zones.items[1];
			n->zones.items[1] = z;
		} else {
			n->links.items[1] = l; /* the same link twice: overlapping */
		}
		a.len = 0;
		note_pack(n, &a);
		struct note *m = unpack(&a, a.len, n, &all);
		OK(m == NULL);
		note_free(m);
		note_free(n);
		n = note_parse(text, strlen(text));
	}
	strbuf_fini(&a);
	note_free(n);
}

static void check_folder(const char *dir)
{
	DIR *d = opendir(dir);
	OK(d != NULL);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[2048];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			check_folder(path);
		} else if (strstr(e->d_name, ".md")) {
			size_t len;
			char *text = read_file(path, &len);
			if (text)
				check(path, text, len);
			free(text);
		}
	}
	if (d)
		closedir(d);
}

/* Every input of a parser data file ("<<< name" to ">>>"). */
static void check_data_file(const char *file)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/parser/%s", VAULT_TEST_DIR, file);
	size_t len;
	char *data = read_file(path, &len);
	OK(data != NULL);
	const char *p = data, *end = data ? data + len : NULL;
	struct strbuf input = { 0 };
	bool in_case = false;
	while (p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t n = (size_t)(eol - p);
		if (n >= 4 && memcmp(p, "<<< ", 4) == 0) {
			if (in_case)
				strbuf_fini(&input);
			strbuf_init(&input);
			in_case = true;
		} else if (in_case && n >= 3 && memcmp(p, ">>>", 3) == 0) {
			check(file, input.ptr, input.len);
			strbuf_fini(&input);
			in_case = false;
		} else if (in_case) {
			put_input_line(&input, p, n);
		}
		p = eol + 1;
	}
	if (in_case)
		strbuf_fini(&input);
	free(data);
}

int main(void)
{
	/* What the data files may not hold: every view of the frontmatter,
	 * an error with its message, each kind of link and zone. */
	static const char *const notes[] = {
		"",
		"no newline",
		"---\nname: Ana\ntitle: CTO\ntype: person\naliases: [A, \"B\", '']\nalias: C\n"
		"tags:\n  - x\n  - type/person\ntag: y\nnested: {a: [1, {b: ~}], c: null}\n---\n"
		"# Ana\n\n- fact [[B#h|shown]] and ![[img.png]] ^id1\n",
		"---\nname: [unclosed\n---\nbody [[x]]\n",
		"---\nname: never closed\n",
		"| a | [[t\\|d]] |\n|---|---|\n\n`[[code]]` %% [[hidden]] %% <!-- c -->\n"
		"```\n[[fenced]]\n```\n[[open link\n#tag #a/b\n\nSetext\n===\n",
		"---\n&a x: *a\n? [k]\n: v\n---\n",
	};
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		check("a note of this test", notes[i], strlen(notes[i]));
	check_root_refused();
	check_order_refused();
	const char *files[] = { "blocks.txt", "comments.txt", "frontmatter.txt", "inline.txt",
				"links.txt", "robust.txt", "yaml.txt" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_data_file(files[i]);
	char vault[1024];
	snprintf(vault, sizeof(vault), "%s/vault", VAULT_TEST_DIR);
	check_folder(vault);
	/* The cases above all ran. */
	OK(notes_checked > 100);
	printf("%d notes\n", notes_checked);
	return harness_done("test_note_pack");
}
