/* preview.c — what a note, section or block says, in a few lines. */
#include "preview.h"

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FACTS 3
#define MAX_PARAGRAPH 300

const char *preview_kind(const struct ws_note *wn)
{
	if (wn->attachment)
		return workspace_attachment_type(wn->stem);
	return wn->kind[0] ? wn->kind : "note";
}

void preview_size(uint64_t bytes, struct strbuf *out)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	if (bytes < 1024) {
		strbuf_printf(out, "%u byte%s", (unsigned)bytes, bytes == 1 ? "" : "s");
		return;
	}
	double v = (double)bytes / 1024;
	int u = 0;
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	strbuf_printf(out, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static const char *scalar(const struct note *n, const char *key)
{
	const struct yaml_node *v = yaml_tree_get(n->frontmatter, key);
	if (!v || v->type != YAML_SCALAR_NODE || !v->str)
		return NULL;
	return slice_trim(slice_from_cstr(v->str)).len ? v->str : NULL;
}

/* Appends s, escaping what Markdown would read as markup. */
static void put_text(struct strbuf *out, const char *s, size_t len, bool markdown)
{
	for (size_t i = 0; i < len; i++) {
		if (markdown && strchr("\\`*_[]<>#|", s[i]))
			strbuf_putc(out, '\\');
		strbuf_putc(out, s[i]);
	}
}

static void put_cstr(struct strbuf *out, const char *s, bool markdown)
{
	put_text(out, s, strlen(s), markdown);
}

/* Appends text[s, e) of the note without what its comments hold: a
 * preview shows the note as a reader sees it. */
static void put_visible(const struct note *n, uint32_t s, uint32_t e, struct strbuf *out)
{
	uint32_t z = note_first_zone_at(n, s);
	if (z > 0 && span_end(n->zones.items[z - 1].span) > s)
		z--; /* a comment that starts before s */
	for (; z < n->zones.len && s < e; z++) {
		const struct zone *zn = &n->zones.items[z];
		if (zn->span.start >= e)
			break;
		if (zn->kind != ZONE_COMMENT)
			continue;
		if (zn->span.start > s)
			strbuf_put(out, n->text + s, zn->span.start - s);
		if (span_end(zn->span) > s)
			s = span_end(zn->span);
	}
	if (s < e)
		strbuf_put(out, n->text + s, e - s);
}

/* The body's first paragraph that is not a heading, list or code. */
static struct slice first_paragraph(const struct note *n)
{
	const char *p = n->text + n->body, *end = n->text + n->len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		struct slice line = slice_trim((struct slice){ p, (size_t)(eol - p) });
		uint32_t off = (uint32_t)(p - n->text);
		if (line.len && line.ptr[0] != '#' && line.ptr[0] != '-' && line.ptr[0] != '*' &&
		    line.ptr[0] != '>' && line.ptr[0] != '|' && !note_in_zone(n, off) &&
		    !(line.len >= 3 && memcmp(line.ptr, "```", 3) == 0)) {
			/* Up to the next blank line. */
			const char *q = eol;
			while (q < end) {
				const char *next = memchr(q + 1, '\n', (size_t)(end - q - 1));
				if (!next)
					next = end;
				if (!slice_trim((struct slice){ q + 1, (size_t)(next - q - 1) }).len)
					break;
				q = next;
			}
			size_t len = (size_t)(q - line.ptr);
			if (len > MAX_PARAGRAPH)
				len = MAX_PARAGRAPH;
			return slice_trim((struct slice){ line.ptr, len });
		}
		p = eol + 1;
	}
	return (struct slice){ "", 0 };
}

/* "3 backlinks · `People/Priya.md`"; only the path while the index is
 * partial, when links are not counted yet. */
static void put_footer(const struct workspace *ws, const struct ws_note *wn, bool markdown,
		       struct strbuf *out)
{
	strbuf_putc(out, '\n');
	if (!workspace_partial(ws))
		strbuf_printf(out, "%u backlink%s · ", wn->backlinks.len,
			      wn->backlinks.len == 1 ? "" : "s");
	if (markdown)
		strbuf_putc(out, '`');
	strbuf_puts(out, wn->rel);
	if (markdown)
		strbuf_putc(out, '`');
	strbuf_putc(out, '\n');
}

void preview_note(const struct workspace *ws, uint32_t id, bool markdown, struct strbuf *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn)
		return;
	const struct note *n = wn->note;
	if (wn->attachment) {
		/* What it is, how big (asked of the disk now: the index never
		 * reads attachments), where. */
		if (markdown)
			strbuf_puts(out, "**");
		put_cstr(out, wn->stem, markdown);
		if (markdown)
			strbuf_puts(out, "**");
		strbuf_printf(out, " (%s", preview_kind(wn));
		struct stat st;
		if (stat(wn->abs, &st) == 0) {
			strbuf_puts(out, ", ");
			preview_size((uint64_t)st.st_size, out);
		}
		strbuf_puts(out, ")\n");
		put_footer(ws, wn, markdown, out);
		return;
	}
	if (markdown)
		strbuf_puts(out, "**");
	put_cstr(out, wn->title, markdown);
	if (markdown)
		strbuf_puts(out, "**");
	strbuf_printf(out, " (%s)\n\n", preview_kind(wn));

	/* On a person card "title:" is the job; elsewhere "role:". */
	const char *role = scalar(n, "role");
	if (!role && strcmp(wn->kind, "person") == 0)
		role = scalar(n, "title");
	const char *company = scalar(n, "company");
	if (role || company) {
		if (role)
			put_cstr(out, role, markdown);
		if (role && company)
			strbuf_puts(out, " at ");
		if (company)
			put_cstr(out, company, markdown);
		strbuf_puts(out, "\n\n");
	}
	const char *status = scalar(n, "status");
	const char *last = scalar(n, "last_contact");
	if (!last)
		last = scalar(n, "last-contact");
	if (status || last) {
		if (status) {
			strbuf_puts(out, "status: ");
			put_cstr(out, status, markdown);
		}
		if (status && last)
			strbuf_puts(out, " · ");
		if (last) {
			strbuf_puts(out, "last contact: ");
			put_cstr(out, last, markdown);
		}
		strbuf_puts(out, "\n\n");
	}
	if (n->aliases.len) {
		strbuf_puts(out, "Also known as: ");
		for (uint32_t i = 0; i < n->aliases.len; i++) {
			if (i)
				strbuf_puts(out, ", ");
			put_cstr(out, n->aliases.items[i]->str, markdown);
		}
		strbuf_puts(out, "\n\n");
	}
	uint32_t facts = 0;
	for (uint32_t i = 0; i < n->items.len && facts < MAX_FACTS; i++) {
		struct slice t = slice_trim(note_slice(n, n->items.items[i].span));
		if (!t.len)
			continue;
		/* Facts are shown as written: they are Markdown already. */
		strbuf_puts(out, "- ");
		if (markdown)
			strbuf_put(out, t.ptr, t.len);
		else
			put_text(out, t.ptr, t.len, false);
		strbuf_putc(out, '\n');
		facts++;
	}
	if (!facts) {
		struct slice p = first_paragraph(n);
		if (p.len) {
			uint32_t at = (uint32_t)(p.ptr - n->text);
			put_visible(n, at, at + (uint32_t)p.len, out);
			strbuf_putc(out, '\n');
		}
	}
	put_footer(ws, wn, markdown, out);
}

/* Appends at most max bytes of s, cut after a whole word (or, with no
 * space to cut at, a whole character), marked "…" when cut. */
static void put_cut(struct strbuf *out, struct slice s, size_t max)
{
	if (s.len <= max) {
		strbuf_put(out, s.ptr, s.len);
		return;
	}
	size_t n = max;
	while (n > max / 2 && s.ptr[n] != ' ')
		n--;
	if (s.ptr[n] != ' ')
		for (n = max; n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80;)
			n--; /* not inside a character */
	/* Nor inside a link: "[[Rowan…" would show its brackets. */
	for (size_t i = n; i >= 2; i--) {
		if (s.ptr[i - 1] == ']' && s.ptr[i - 2] == ']')
			break;
		if (s.ptr[i - 1] == '[' && s.ptr[i - 2] == '[') {
			n = i - 2;
			break;
		}
	}
	while (n && s.ptr[n - 1] == ' ')
		n--;
	strbuf_put(out, s.ptr, n);
	strbuf_puts(out, "…");
}

void preview_brief(const struct workspace *ws, uint32_t id, bool markdown, struct strbuf *out)
{
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn || wn->attachment)
		return; /* its type and folder are all there is, and the item says them */
	const struct note *n = wn->note;
	size_t start = out->len;
	const char *role = scalar(n, "role");
	if (!role && strcmp(wn->kind, "person") == 0)
		role = scalar(n, "title");
	const char *company = scalar(n, "company");
	struct strbuf line = { 0 };
	if (role)
		strbuf_puts(&line, role);
	if (role && company)
		strbuf_puts(&line, " at ");
	if (company)
		strbuf_puts(&line, company);
	if (line.len) {
		struct strbuf cut = { 0 };
		put_cut(&cut, (struct slice){ line.ptr, line.len }, PREVIEW_BRIEF / 2);
		put_text(out, cut.ptr, cut.len, markdown);
		strbuf_puts(out, markdown ? "\n\n" : "\n");
		strbuf_fini(&cut);
	}
	strbuf_fini(&line);
	/* The first fact, as written (Markdown already), else the first
	 * paragraph without what comments hold: what the note is about, in a
	 * line (a second would be another block). */
	struct slice what = { "", 0 };
	for (uint32_t i = 0; i < n->items.len && !what.len; i++)
		what = slice_trim(note_slice(n, n->items.items[i].span));
	bool fact = what.len > 0;
	struct strbuf para = { 0 };
	if (!fact) {
		struct slice p = first_paragraph(n);
		if (p.len) {
			uint32_t at = (uint32_t)(p.ptr - n->text);
			put_visible(n, at, at + (uint32_t)p.len, &para);
		}
		what = slice_trim((struct slice){ para.ptr ? para.ptr : "", para.len });
	}
	const char *eol = memchr(what.ptr, '\n', what.len);
	if (eol)
		what = slice_trim((struct slice){ what.ptr, (size_t)(eol - what.ptr) });
	/* A block id ending it (" ^2b4ddc") is for links, not for reading. */
	size_t end = what.len;
	while (end && (isalnum((unsigned char)what.ptr[end - 1]) || what.ptr[end - 1] == '-'))
		end--;
	if (end >= 2 && end < what.len && what.ptr[end - 1] == '^' && what.ptr[end - 2] == ' ')
		what = slice_trim((struct slice){ what.ptr, end - 2 });
	size_t used = out->len - start + 2;
	size_t left = PREVIEW_BRIEF > used ? PREVIEW_BRIEF - used : 0;
	if (what.len && left > 16) {
		struct strbuf cut = { 0 };
		put_cut(&cut, what, left);
		/* As written, as preview_note shows them: Markdown already. */
		if (fact && markdown)
			strbuf_puts(out, "- ");
		strbuf_put(out, cut.ptr, cut.len);
		strbuf_fini(&cut);
	}
	strbuf_fini(&para);
	/* No blank line after the role when nothing follows it. */
	while (out->len > start && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';
}

void preview_section(const struct note *n, uint32_t heading, uint32_t max_lines, struct strbuf *out)
{
	const struct heading *h = &n->headings.items[heading];
	uint32_t end = n->len;
	for (uint32_t i = heading + 1; i < n->headings.len; i++) {
		if (n->headings.items[i].level <= h->level) {
			end = n->headings.items[i].line.start;
			break;
		}
	}
	const char *p = n->text + h->line.start, *stop = n->text + end;
	for (uint32_t lines = 0; p < stop && lines < max_lines + 1;) {
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		if (!eol)
			eol = stop;
		uint32_t s = (uint32_t)(p - n->text), e = (uint32_t)(eol - n->text);
		size_t before = out->len;
		put_visible(n, s, e, out);
		/* A line wholly inside a comment is no line of the preview. */
		if (e == s || out->len > before) {
			strbuf_putc(out, '\n');
			lines++;
		}
		p = eol + 1;
	}
	/* Drop the trailing blank lines. */
	while (out->len >= 2 && out->ptr[out->len - 1] == '\n' &&
	       (out->ptr[out->len - 2] == '\n' || out->ptr[out->len - 2] == '\r'))
		out->ptr[--out->len] = '\0';
}

void preview_block(const struct note *n, uint32_t block, struct strbuf *out)
{
	struct span s = n->blocks.items[block].block;
	put_visible(n, s.start, span_end(s), out);
	strbuf_putc(out, '\n');
}
