/*
 * ignore.c — gitignore-style rules and the glob matching under them: which
 * root-relative paths a set of patterns leaves out.
 */
#include "ignore.h"

#include <stdlib.h>
#include <string.h>

/* ---- glob ------------------------------------------------------------- */

/* One character for '?' and bracket classes: a valid UTF-8 sequence is one
 * character (so "?.md" matches "é.md"); any other byte stands for itself.
 * len > 0. */
static size_t glob_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n = utf8_seq_len(s, len);
	if (n <= 1) {
		*cp = s[0];
		return 1;
	}
	uint32_t c = s[0] & (0xFFu >> (n + 1));
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3Fu);
	*cp = c;
	return n;
}

/* The byte just past the ']' closing the class that opens at p[0] == '[',
 * or NULL when it is never closed: then '[' is a literal, as POSIX says
 * (git's wildmatch instead fails the whole pattern; a literal is kinder to
 * a file name such as "[draft.md"). */
static const char *class_end(const char *p)
{
	const char *q = p + 1;
	if (*q == '!' || *q == '^')
		q++;
	if (*q == ']') /* "[]a]": a ']' right after the opening is a member */
		q++;
	while (*q && *q != ']') {
		if (*q == '\\' && q[1])
			q++;
		q++;
	}
	return *q == ']' ? q + 1 : NULL;
}

/* Whether code point c is in the class [p, end). */
static bool class_match(const char *p, const char *end, uint32_t c)
{
	const unsigned char *q = (const unsigned char *)p + 1;
	const unsigned char *stop = (const unsigned char *)end - 1;
	bool negate = false, hit = false;
	if (*q == '!' || *q == '^') {
		negate = true;
		q++;
	}
	while (q < stop) {
		uint32_t lo, hi;
		if (*q == '\\' && q + 1 < stop)
			q++;
		q += glob_char(q, (size_t)(stop - q), &lo);
		hi = lo;
		/* "a-" at the end of a class is 'a' and '-'. */
		if (q + 1 < stop && *q == '-') {
			q++;
			if (*q == '\\' && q + 1 < stop)
				q++;
			q += glob_char(q, (size_t)(stop - q), &hi);
		}
		if (lo <= c && c <= hi)
			hit = true;
	}
	return hit != negate;
}

/*
 * A set-of-states simulation instead of backtracking: cur[j] says the
 * pattern read so far can match s[0..j). Each pattern element turns cur
 * into nxt in one pass over the path, so the cost is O(|pattern| * n) even
 * for "*a*a*a*a*b", where naive recursion is exponential.
 */
static bool glob_match_n(const char *pattern, const char *s, size_t n)
{
	unsigned char small[2 * 256];
	unsigned char *heap = NULL, *cur = small, *nxt = small + 256;
	if (n + 1 > 256) {
		heap = xmalloc(2 * (n + 1));
		cur = heap;
		nxt = heap + n + 1;
	}
	memset(cur, 0, n + 1);
	cur[0] = 1;

	const char *p = pattern;
	bool alive = true;
	while (*p && alive) {
		memset(nxt, 0, n + 1);
		if (*p == '*') {
			const char *q = p;
			while (*q == '*')
				q++;
			bool whole_segment = q - p >= 2 &&
					     (p == pattern || p[-1] == '/') &&
					     (*q == '/' || *q == '\0');
			if (whole_segment && *q == '/') {
				/* "**" + "/": "" or any run of segments, each
				 * ending in '/'. */
				bool seen = false;
				for (size_t j = 0; j <= n; j++) {
					if (j > 0 && s[j - 1] == '/' && seen)
						nxt[j] = 1;
					if (cur[j]) {
						nxt[j] = 1;
						seen = true;
					}
				}
				p = q + 1;
			} else if (whole_segment) {
				/* A final "**": everything that is left. */
				bool seen = false;
				for (size_t j = 0; j <= n; j++) {
					seen = seen || cur[j];
					nxt[j] = seen;
				}
				p = q;
			} else {
				nxt[0] = cur[0];
				for (size_t j = 1; j <= n; j++)
					nxt[j] = cur[j] ||
						 (nxt[j - 1] && s[j - 1] != '/');
				p = q;
			}
		} else if (*p == '?' || (*p == '[' && class_end(p))) {
			const char *end = *p == '?' ? p + 1 : class_end(p);
			for (size_t j = 0; j < n; j++) {
				if (!cur[j] || s[j] == '/')
					continue;
				uint32_t c;
				size_t len = glob_char((const unsigned char *)s + j,
						       n - j, &c);
				if (*p == '?' || class_match(p, end, c))
					nxt[j + len] = 1;
			}
			p = end;
		} else {
			char c = *p++;
			if (c == '\\') {
				if (!*p) {
					/* git: a trailing backslash is a
					 * malformed pattern, matching nothing. */
					alive = false;
					break;
				}
				c = *p++;
			}
			for (size_t j = 0; j < n; j++)
				if (cur[j] && s[j] == c)
					nxt[j + 1] = 1;
		}
		unsigned char *t = cur;
		cur = nxt;
		nxt = t;
		alive = memchr(cur, 1, n + 1) != NULL;
	}
	bool matched = alive && cur[n];
	free(heap);
	return matched;
}

bool ignore_glob_match(const char *pattern, const char *path)
{
	return glob_match_n(pattern, path, strlen(path));
}

/* ---- gitignore -------------------------------------------------------- */

struct ignore_rule {
	char *pattern; /* without its "!", leading "/" and trailing "/" */
	bool negate, dir_only, anchored;
};

struct ignore {
	ARRAY(struct ignore_rule) rules;
};

struct ignore *ignore_new(void)
{
	return xcalloc(1, sizeof(struct ignore));
}

void ignore_free(struct ignore *ig)
{
	if (!ig)
		return;
	for (uint32_t i = 0; i < ig->rules.len; i++)
		free(ig->rules.items[i].pattern);
	array_free(&ig->rules);
	free(ig);
}

/* Whether s[i] is escaped: preceded by an odd number of backslashes. */
static bool is_escaped(const char *s, size_t i)
{
	size_t n = 0;
	while (i > n && s[i - n - 1] == '\\')
		n++;
	return n % 2 == 1;
}

void ignore_add(struct ignore *ig, const char *pattern, size_t len)
{
	while (len && (pattern[len - 1] == '\n' || pattern[len - 1] == '\r'))
		len--;
	/* git drops trailing spaces (not tabs) unless backslash-escaped:
	 * they are almost always an editor accident. */
	while (len && pattern[len - 1] == ' ' && !is_escaped(pattern, len - 1))
		len--;
	if (!len || pattern[0] == '#')
		return;

	struct ignore_rule rule = { 0 };
	if (pattern[0] == '!') {
		rule.negate = true;
		pattern++;
		len--;
	}
	if (len && pattern[len - 1] == '/') {
		rule.dir_only = true;
		len--;
	}
	/* Only a leading or inner '/' anchors: "doc/" still matches any
	 * folder named doc. */
	rule.anchored = len && memchr(pattern, '/', len) != NULL;
	if (len && pattern[0] == '/') {
		pattern++;
		len--;
	}
	if (!len)
		return;
	rule.pattern = xstrndup(pattern, len);
	array_push(&ig->rules, rule);
}

void ignore_add_lines(struct ignore *ig, const char *text, size_t len)
{
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t line = nl ? (size_t)(nl - text) : len;
		ignore_add(ig, text, line);
		if (!nl)
			break;
		text += line + 1;
		len -= line + 1;
	}
}

/* rel[0..len) itself, ignoring its parents; the last matching rule wins.
 * The walk calls this directly: it never enters an ignored folder, so the
 * parents are already known to be kept. */
bool ignore_match_self(const struct ignore *ig, const char *rel, size_t len, bool is_dir)
{
	if (!ig)
		return false;
	const char *base = rel;
	for (size_t i = len; i > 0; i--) {
		if (rel[i - 1] == '/') {
			base = rel + i;
			break;
		}
	}
	size_t base_len = len - (size_t)(base - rel);
	for (uint32_t i = ig->rules.len; i > 0; i--) {
		const struct ignore_rule *r = &ig->rules.items[i - 1];
		if (r->dir_only && !is_dir)
			continue;
		bool hit = r->anchored ? glob_match_n(r->pattern, rel, len)
				       : glob_match_n(r->pattern, base, base_len);
		if (hit)
			return !r->negate;
	}
	return false;
}

bool ignore_match(const struct ignore *ig, const char *rel, bool is_dir)
{
	if (!ig)
		return false;
	while (*rel == '/')
		rel++;
	size_t len = strlen(rel);
	if (len && rel[len - 1] == '/') {
		is_dir = true;
		len--;
	}
	for (size_t i = 1; i < len; i++)
		if (rel[i] == '/' && ignore_match_self(ig, rel, i, true))
			return true;
	return len && ignore_match_self(ig, rel, len, is_dir);
}
