/* fact_scope.c — which list items are facts, and their contexts. */
#include "fact_scope.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static uint32_t fnv_u32(uint32_t h, uint32_t v)
{
	return hash_fnv1a(h, &v, sizeof(v));
}

/* Bytes of s with ASCII case folded and runs of blanks as one space:
 * "Key Facts" and "key  facts" are one heading. */
static uint32_t fnv_folded(uint32_t h, const char *s, size_t len)
{
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_blank((char)c) || is_eol((char)c)) {
			space = true;
			continue;
		}
		if (space)
			h = hash_fnv1a_step(h, ' ');
		space = false;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = hash_fnv1a_step(h, c);
	}
	return h;
}

static const char *const subject_kinds[] = {
	"company", "customer", "meeting", "people", "person", "project",
};

/* Frontmatter keys of a card about one person or organisation, for cards
 * that say no type: (a contact exported with name, role and company). */
static const char *const card_keys[] = {
	"company", "email", "organization", "phone", "role",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool fact_scope_is_subject(const struct workspace *ws, const struct ws_note *wn)
{
	if (in_list(wn->kind, subject_kinds, sizeof(subject_kinds) / sizeof(subject_kinds[0])))
		return true;
	const struct yaml_node *fm = wn->note->frontmatter;
	if (!fm || fm->type != YAML_MAP_NODE)
		return false;
	const struct config *cfg = workspace_config(ws);
	for (uint32_t i = 0; i < fm->n; i++) {
		const struct yaml_node *v = &fm->items[i];
		bool value = (v->type == YAML_SCALAR_NODE && v->str[0]) ||
			     (v->type == YAML_SEQ_NODE && v->n);
		if (value && (config_is_people_key(cfg, fm->keys[i]) ||
			      in_list(fm->keys[i], card_keys, sizeof(card_keys) / sizeof(card_keys[0]))))
			return true;
	}
	return false;
}

/* ---- the shape of an item's line ------------------------------------- */

/* Where the item's marker starts: after the indentation and any '>'. */
static uint32_t marker_at(const struct note *n, uint32_t line_start)
{
	uint32_t p = line_start;
	while (p < n->len && (is_blank(n->text[p]) || n->text[p] == '>'))
		p++;
	return p;
}

static bool is_ordered_marker(const struct note *n, uint32_t p)
{
	return p < n->len && n->text[p] >= '0' && n->text[p] <= '9';
}

/* Is [s, e) a list item's marker line ("- x", "* x", "1. x", "2) x")? */
static bool is_list_line(const char *t, uint32_t s, uint32_t e)
{
	uint32_t p = s;
	while (p < e && is_blank(t[p]))
		p++;
	if (p < e && (t[p] == '-' || t[p] == '*' || t[p] == '+'))
		return p + 1 == e || is_blank(t[p + 1]);
	uint32_t d = p;
	while (p < e && t[p] >= '0' && t[p] <= '9')
		p++;
	return p > d && p < e && (t[p] == '.' || t[p] == ')') && (p + 1 == e || is_blank(t[p + 1]));
}

/* The line before the one starting at ls: [*s, *e), its end before its
 * line break. False at the body's start. */
static bool prev_line(const struct note *n, uint32_t ls, uint32_t *s, uint32_t *e)
{
	const char *t = n->text;
	if (ls <= n->body)
		return false;
	uint32_t end = ls - 1; /* a '\n', or a lone '\r' */
	if (t[end] == '\n' && end > n->body && t[end - 1] == '\r')
		end--;
	uint32_t start = end;
	while (start > n->body && !is_eol(t[start - 1]))
		start--;
	*s = start;
	*e = end;
	return true;
}

static bool blank_line(const char *t, uint32_t s, uint32_t e)
{
	while (s < e && is_blank(t[s]))
		s++;
	return s == e;
}

/*
 * The paragraph that introduces the list an item starts: the paragraph
 * ending on the last non-blank line before it, when that line is plain
 * text at the margin (not a list line, not indented, not a heading). Its
 * folded text's hash, 0 when there is none, or 1 when the line before
 * belongs to the list itself (the item continues it).
 */
static uint32_t intro_of(const struct note *n, uint32_t line_start)
{
	const char *t = n->text;
	uint32_t s, e;
	do {
		if (!prev_line(n, line_start, &s, &e))
			return 0;
		line_start = s;
	} while (blank_line(t, s, e));
	if (is_blank(t[s]) || is_list_line(t, s, e))
		return 1;
	if (t[s] == '#')
		return 0;
	/* The whole paragraph: "If a() is called before X, the following\n
	 * events are emitted:" and "... before Y, ..." share a last line. */
	uint32_t ps, pe, first = s;
	while (prev_line(n, first, &ps, &pe) && !blank_line(t, ps, pe) && t[ps] != '#' &&
	       !is_list_line(t, ps, pe))
		first = ps;
	return fnv_folded(HASH_FNV1A_SEED, t + first, e - first) | 2;
}

/* ---- what an item holds ----------------------------------------------- */

/* Is c part of a word (as facts split them)? */
static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Folds the symbols of t[s, e) — what is neither a word nor a blank —
 * into h. Their words are the fact's words already. */
static uint32_t fnv_symbols(uint32_t h, const char *t, uint32_t s, uint32_t e)
{
	for (uint32_t i = s; i < e; i++)
		if (!word_char((unsigned char)t[i]) && !is_blank(t[i]) && !is_eol(t[i]))
			h = hash_fnv1a_step(h, (unsigned char)t[i]);
	return h;
}

/*
 * Hash of the symbols in the code spans and $math$ of [s, e), in order,
 * or 0 when there are none. Their words are words of the fact like any
 * other ("`Northwind`" is "Northwind"), but there the symbols say what
 * is meant: "`a != b`" and "`a = b`", "$x \to a^-$" and "$x \to a^+$"
 * are different facts. Math per Pandoc: "$" opens before a non-blank and
 * closes after one, "$$" pairs with "$$"; "$5 and $10" holds no math.
 */
static uint32_t code_hash(const struct note *n, uint32_t s, uint32_t e)
{
	uint32_t h = HASH_FNV1A_SEED, none = h;
	for (uint32_t z = note_first_zone_at(n, s); z < n->zones.len; z++) {
		const struct zone *zn = &n->zones.items[z];
		if (zn->span.start >= e)
			break;
		if (zn->kind != ZONE_CODE_SPAN || zn->span.start < s || span_end(zn->span) > e)
			continue;
		/* Without the backticks that delimit it. */
		uint32_t a = zn->span.start, b = span_end(zn->span);
		while (a < b && n->text[a] == '`')
			a++;
		while (b > a && n->text[b - 1] == '`')
			b--;
		h = fnv_symbols(h, n->text, a, b);
	}
	const char *t = n->text;
	/* Whether a closer follows does not depend on the opener: once one
	 * has none, no later one of that width has ("$a $b $c ..." stays
	 * linear). */
	bool closers[3] = { false, true, true };
	for (uint32_t i = s; i < e; i++) {
		/* Most items have no '$': found by memchr, not byte by byte. */
		const char *dollar = memchr(t + i, '$', e - i);
		if (!dollar)
			break;
		i = (uint32_t)(dollar - t);
		if ((i > s && t[i - 1] == '\\') || note_in_zone(n, i))
			continue;
		uint32_t w = i + 1 < e && t[i + 1] == '$' ? 2 : 1;
		uint32_t a = i + w;
		if (!closers[w] || a >= e || is_blank(t[a]))
			continue;
		uint32_t j = a;
		for (; j + w <= e; j++) {
			if (t[j] != '$' || t[j - 1] == '\\')
				continue;
			if (w == 2 ? t[j + 1] == '$' : !is_blank(t[j - 1]))
				break;
		}
		if (j + w > e) {
			closers[w] = false;
			continue;
		}
		h = fnv_symbols(h, t, a, j);
		i = j + w - 1;
	}
	return h == none ? 0 : h ? h : 1;
}

/* The longest item looked at as a link list, in bytes. */
#define MAX_LINK_LIST_ITEM 4096

/* The index of the closing bracket matching t[i] (one of "[(<"), or e. */
static uint32_t closing(const char *t, uint32_t i, uint32_t e)
{
	char open = t[i], close = open == '[' ? ']' : open == '(' ? ')' : '>';
	uint32_t depth = 0;
	for (uint32_t j = i; j < e; j++) {
		if (t[j] == '\\') {
			j++;
			continue;
		}
		if (t[j] == open && open != '<')
			depth++;
		else if (t[j] == open)
			depth = 1;
		else if (t[j] == close && --depth == 0)
			return j;
	}
	return e;
}

/* Is the UTF-8 character at p punctuation or a symbol (Latin-1's, and
 * U+2000..U+2BFF: dashes, bullets, arrows, operators, shapes), not a
 * letter? *len gets its length. */
static bool is_symbol(const char *p, uint32_t avail, uint32_t *len)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t cp;
	if (avail >= 2 && (u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
		cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		*len = 2;
	} else if (avail >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 &&
		   (u[2] & 0xC0) == 0x80) {
		cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		*len = 3;
	} else {
		*len = 1;
		return false;
	}
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F);
}

/*
 * Is the item [s, e) only links: wikilinks, Markdown links ("[t](url)",
 * "[t][ref]", "[ref]"), autolinks and bare URLs, with nothing but
 * punctuation between them? Such a bullet is a link list, not a fact.
 */
static bool only_links(const struct note *n, uint32_t s, uint32_t e)
{
	/* Bounds the bracket matching below (a line of 100,000 "[" would
	 * be quadratic); such an item is no link list anyway. */
	if (e - s > MAX_LINK_LIST_ITEM)
		return false;
	const char *t = n->text;
	uint32_t li = note_first_link_at(n, s);
	bool links = false;
	for (uint32_t i = s; i < e;) {
		if (li < n->links.len && n->links.items[li].span.start == i) {
			i = span_end(n->links.items[li++].span);
			links = true;
			continue;
		}
		unsigned char c = (unsigned char)t[i];
		if (c == '[') {
			uint32_t j = closing(t, i, e);
			if (j < e && j + 1 < e && (t[j + 1] == '(' || t[j + 1] == '['))
				j = closing(t, j + 1, e);
			if (j >= e)
				return false;
			while (li < n->links.len && n->links.items[li].span.start <= j)
				li++;
			i = j + 1;
			links = true;
			continue;
		}
		if (c == '<') {
			uint32_t j = closing(t, i, e);
			if (j < e && memchr(t + i, ':', j - i)) {
				i = j + 1;
				links = true;
				continue;
			}
			return false;
		}
		if ((e - i > 7 && memcmp(t + i, "http://", 7) == 0) ||
		    (e - i > 8 && memcmp(t + i, "https://", 8) == 0)) {
			while (i < e && !is_blank(t[i]) && !is_eol(t[i]))
				i++;
			links = true;
			continue;
		}
		uint32_t len = 1;
		if (c >= 0x80 ? !is_symbol(t + i, e - i, &len) : word_char(c))
			return false;
		i += len;
	}
	return links;
}

typedef ARRAY(uint32_t) u32_array;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Appends the item's link targets: the note a link resolves to, or for a
 * link that resolves to nothing its target's folded text (tagged in the
 * top bit), sorted and unique. */
static void add_links(const struct ws_note *wn, uint32_t s, uint32_t e, u32_array *out)
{
	const struct note *n = wn->note;
	uint32_t from = out->len;
	for (uint32_t i = note_first_link_at(n, s); i < n->links.len; i++) {
		const struct wikilink *l = &n->links.items[i];
		if (l->span.start >= e)
			break;
		const struct resolution *r = &wn->res[i];
		if (r->status == LINK_IGNORED)
			continue;
		uint32_t key;
		if (r->note >= 0) {
			key = (uint32_t)r->note & 0x7FFFFFFFu;
		} else {
			struct slice tg = slice_trim(note_slice(n, wikilink_target(l)));
			key = fnv_folded(HASH_FNV1A_SEED, tg.ptr, tg.len) | 0x80000000u;
		}
		array_push(out, key);
	}
	uint32_t k = out->len - from;
	if (k > 1) {
		qsort(out->items + from, k, sizeof(uint32_t), cmp_u32);
		uint32_t w = from + 1;
		for (uint32_t i = from + 1; i < out->len; i++)
			if (out->items[i] != out->items[w - 1])
				out->items[w++] = out->items[i];
		out->len = w;
	}
}

/* ---- contexts --------------------------------------------------------- */

/* The headings above, by level: their folded texts hashed together. */
struct heading_path {
	uint32_t hash[7]; /* hash[l]: of the headings of level <= l */
	uint32_t next;    /* the next heading of the note to pass */
};

static uint32_t heading_context(const struct note *n, struct heading_path *hp, uint32_t offset)
{
	while (hp->next < n->headings.len && n->headings.items[hp->next].line.start < offset) {
		const struct heading *h = &n->headings.items[hp->next++];
		uint32_t base = h->level > 1 ? hp->hash[h->level - 1] : HASH_FNV1A_SEED;
		uint32_t v = fnv_folded(fnv_u32(base, h->level), h->text, strlen(h->text));
		for (uint32_t l = h->level; l <= 6; l++)
			hp->hash[l] = v;
	}
	return hp->hash[6];
}

void fact_scope_init(struct fact_scope *s, const struct workspace *ws, uint32_t id)
{
	memset(s, 0, sizeof(*s));
	const struct ws_note *wn = workspace_get(ws, id);
	if (!wn)
		return;
	const struct note *n = wn->note;
	uint32_t ni = n->items.len;
	s->subject = fact_scope_is_subject(ws, wn);
	s->n = ni;
	s->fact = xcalloc(ni ? ni : 1, sizeof(bool));
	s->context = xcalloc(ni ? ni : 1, sizeof(uint32_t));
	s->code = xcalloc(ni ? ni : 1, sizeof(uint32_t));
	s->links_at = xcalloc(ni + 1, sizeof(uint32_t));
	u32_array links = { 0 };
	bool templ = strcmp(wn->kind, "template") == 0;

	/* The items open above, outermost first. */
	struct open_item { uint32_t indent, item; };
	ARRAY(struct open_item) stack = { 0 };
	struct heading_path hp;
	for (int l = 0; l <= 6; l++)
		hp.hash[l] = HASH_FNV1A_SEED;
	hp.next = 0;
	uint32_t last_heading = UINT32_MAX, intro = 0;
	for (uint32_t i = 0; i < ni; i++) {
		const struct list_item *it = &n->items.items[i];
		uint32_t s0 = it->span.start, e0 = span_end(it->span);
		uint32_t mk = marker_at(n, it->line_start);
		uint32_t indent = mk - it->line_start;
		s->links_at[i] = links.len;
		add_links(wn, s0, e0, &links);
		s->code[i] = code_hash(n, s0, e0);
		s->fact[i] = !templ && it->span.len && !only_links(n, s0, e0) &&
			     (s->subject || !is_ordered_marker(n, mk));
		if (s->subject)
			continue;

		uint32_t hctx = heading_context(n, &hp, it->line_start);
		if (hctx != last_heading) {
			stack.len = 0;
			intro = 0;
			last_heading = hctx;
		}
		while (stack.len && indent <= stack.items[stack.len - 1].indent)
			stack.len--;
		uint32_t ctx;
		if (stack.len) {
			/* A nested item: its parent's context and text. */
			uint32_t p = stack.items[stack.len - 1].item;
			struct span ps = n->items.items[p].span;
			ctx = fnv_folded(fnv_u32(s->context[p], 0x5A5A), n->text + ps.start, ps.len);
		} else {
			uint32_t in = intro_of(n, it->line_start);
			if (in != 1)
				intro = in;
			ctx = fnv_u32(hctx, intro);
		}
		s->context[i] = ctx;
		struct open_item o = { indent, i };
		array_push(&stack, o);
	}
	s->links_at[ni] = links.len;
	s->links = links.items;
	array_free(&stack);
}

void fact_scope_fini(struct fact_scope *s)
{
	free(s->fact);
	free(s->context);
	free(s->code);
	free(s->links_at);
	free(s->links);
	memset(s, 0, sizeof(*s));
}

bool fact_scope_links_within(const struct fact_scope *s, uint32_t a, uint32_t b)
{
	/* Indexes, not pointers: links is NULL in a note without links. */
	uint32_t y = s->links_at[b], ye = s->links_at[b + 1];
	for (uint32_t x = s->links_at[a]; x < s->links_at[a + 1]; x++) {
		while (y < ye && s->links[y] < s->links[x])
			y++;
		if (y == ye || s->links[y] != s->links[x])
			return false;
	}
	return true;
}
