/*
 * test_fuzzy.c — completion's fuzzy matching on search keys: scores of
 * chosen pairs (prefix, exact, word starts, runs, gaps), the masks that
 * rule candidates out, and the bound that lets completion skip the text
 * of non-prefix candidates, checked against the score itself over every
 * short string of a small alphabet.
 */
#include "fuzzy.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static struct slice S(const char *s)
{
	return slice_from_cstr(s);
}

/* Query, candidate, score. The parts: 1 a matched letter, +8 at a word
 * start, +6 at the candidate's very start, +5 continuing a run, -1 per
 * skipped byte (at most -3), +40 a prefix, +80 instead for all of it. */
static const struct {
	const char *q, *c;
	int score;
} scores[] = {
	{ "", "", 0 },
	{ "", "anything", 0 },
	{ "a", "", -1 },
	{ "abcd", "abc", -1 },   /* longer than the candidate */
	{ "xyz", "abc", -1 },
	{ "ba", "ab", -1 },      /* not a subsequence: order counts */
	{ "a", "a", 95 },        /* 1 + 8 + 6 + 80 */
	{ "a", "ab", 55 },       /* 1 + 8 + 6 + 40 */
	{ "abc", "abc", 107 },   /* 15 + 6 + 6 + 80 */
	{ "abc", "abcd", 67 },
	{ "abc", "ABC", -1 },    /* keys are folded already: bytes compare */
	/* Word starts after every separator. */
	{ "b", "a b", 9 },
	{ "b", "a-b", 9 },
	{ "b", "a_b", 9 },
	{ "b", "a/b", 9 },
	{ "b", "a(b", 9 },
	{ "b", "a.b", 9 },
	{ "b", "a,b", 9 },
	{ "b", "a:b", 9 },
	{ "b", "a[b", 9 },
	{ "b", "aab", 1 },       /* no word start anywhere: the first occurrence */
	{ "b", "a)b", 1 },       /* ')' is no separator */
	/* p at the start, n at the next word: 15 + 9 - gap 3. */
	{ "pn", "priya natarajan", 21 },
	/* From the word start of "natarajan", a run: 9 + 6 + 6. */
	{ "nat", "priya natarajan", 21 },
	{ "nat", "natalie", 67 },
	/* A letter at a word start beats its first occurrence. */
	{ "ms", "mark smith", 21 },
	{ "ms", "mass", 15 },
	/* A run beats a word start for the first letter. */
	{ "ab", "xab", 7 },
	{ "ab", "axb", 15 },
	{ "ab", "axxxxxxb", 13 }, /* the gap costs 3 at most */
	/* Bytes beyond ASCII compare as bytes. */
	{ "\xc3\xa9", "caf\xc3\xa9", 7 },
	{ "\xc3\xa9", "\xc3\xa9t\xc3\xa9", 61 },
	{ "\xe6\xbc\xa2", "\xe6\xbc\xa2\xe5\xad\x97", 67 },
};

static void test_scores(void)
{
	for (size_t i = 0; i < sizeof(scores) / sizeof(scores[0]); i++) {
		int got = fuzzy_score(S(scores[i].q), S(scores[i].c));
		if (got != scores[i].score)
			fprintf(stderr, "\"%s\" in \"%s\": %d, expected %d\n", scores[i].q, scores[i].c,
				got, scores[i].score);
		INT_EQ(got, scores[i].score);
	}
	/* Ranking as completion sees it: exact, then prefix, then a word
	 * start, then a match inside a word. */
	int exact = fuzzy_score(S("ann"), S("ann"));
	int prefix = fuzzy_score(S("ann"), S("anna"));
	int word = fuzzy_score(S("ann"), S("lee ann"));
	int inside = fuzzy_score(S("ann"), S("joanne"));
	OK(exact > prefix);
	OK(prefix > word);
	OK(word > inside);
	OK(inside >= 0);
}

static void test_prefix_score(void)
{
	INT_EQ(fuzzy_prefix_score(S(""), false), 0);
	INT_EQ(fuzzy_prefix_score(S(""), true), 0);
	INT_EQ(fuzzy_prefix_score(S("abc"), false), 67);
	INT_EQ(fuzzy_prefix_score(S("abc"), true), 107);
	/* "a b": the b follows a separator in the query itself. */
	INT_EQ(fuzzy_prefix_score(S("a b"), false), fuzzy_score(S("a b"), S("a bc")));
	/* It is what fuzzy_score gives any candidate starting with the query. */
	static const char *const qs[] = { "p", "pri", "priya n", "a-b", "\xc3\xa9t" };
	static const char *const tails[] = { "", "x", " natarajan", "-zz" };
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		for (size_t k = 0; k < sizeof(tails) / sizeof(tails[0]); k++) {
			char c[64];
			snprintf(c, sizeof(c), "%s%s", qs[i], tails[k]);
			INT_EQ(fuzzy_score(S(qs[i]), S(c)), fuzzy_prefix_score(S(qs[i]), k == 0));
		}
}

static void test_masks(void)
{
	INT_EQ(fuzzy_mask(S("")), 0);
	INT_EQ(fuzzy_mask(S("abc")), 7);
	INT_EQ(fuzzy_mask(S("cab cab")), 7);      /* a space has no bit */
	INT_EQ(fuzzy_mask(S("a1")), 1 | (1ull << 27));
	INT_EQ(fuzzy_mask(S("z9")), (1ull << 25) | (1ull << 35));
	INT_EQ(fuzzy_mask(S("-")), 1ull << 37);    /* punctuation: a bit each */
	INT_EQ(fuzzy_mask(S("(")), 1ull << 40);
	OK(fuzzy_mask(S("(")) != fuzzy_mask(S("-")));
	/* Other scripts' bytes: 8 classes. */
	INT_EQ(fuzzy_mask(S("\xc3\xa9")), (1ull << (56 + 3)) | (1ull << (56 + 1)));
	INT_EQ(fuzzy_mask(S("A")), 1ull << 36);    /* anything else: one bit (keys are lower case) */
	INT_EQ(fuzzy_mask(S("~")), 1ull << 36);
	INT_EQ(fuzzy_mask(S(" ")), 0);

	INT_EQ(fuzzy_word_mask(S("")), 0);
	INT_EQ(fuzzy_word_mask(S("priya natarajan")), (1ull << ('p' - 'a')) | (1ull << ('n' - 'a')));
	INT_EQ(fuzzy_word_mask(S("a-b_c/d(e.f,g:h[i")), 0x1ff);
	INT_EQ(fuzzy_word_mask(S("a)b")), 1);
	INT_EQ(fuzzy_word_mask(S("  x")), 1ull << ('x' - 'a'));
	INT_EQ(fuzzy_word_mask(S("2024 q3")), (1ull << 28) | (1ull << ('q' - 'a')));
}

static void test_bound_values(void)
{
	INT_EQ(fuzzy_bound(S(""), ~0ull, true), 0);
	/* No word start for either letter: a run, as in "xab". */
	INT_EQ(fuzzy_bound(S("ab"), 0, false), 7);
	INT_EQ(fuzzy_bound(S("ab"), 0, false), fuzzy_score(S("ab"), S("xab")));
	/* Both may start words, the first at the start: 15 + 1 + 8 - 1. */
	INT_EQ(fuzzy_bound(S("ms"), fuzzy_word_mask(S("mark smith")), true), 23);
	/* The space may start a word after a gap; the b after it is a word
	 * start and a run. */
	INT_EQ(fuzzy_bound(S("a b"), ~0ull, true), 15 + 8 + 14);
	/* With nothing known, below every prefix match of a short query. */
	static const char *const qs[] = { "a", "ab", "abc", "abcd", "abcde", "a b", "a bc",
					  "a b c", "x-y", "\xc3\xa9" };
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		OK(fuzzy_bound(S(qs[i]), ~0ull, true) < fuzzy_prefix_score(S(qs[i]), false));
}

static int plan_bound(const char *q, const char *c)
{
	struct fuzzy_plan plan;
	fuzzy_plan_init(&plan, S(q));
	return fuzzy_plan_bound(&plan, fuzzy_word_mask(S(c)), fuzzy_pair_mask(S(c)), fuzzy_jump_mask(S(c)),
				c[0] == q[0]);
}

static void test_plan_values(void)
{
	/* t, o and r may each start a word, but no word starts "to" or "or":
	 * the o cannot go on from the t's word start, nor the r from the
	 * o's. At best t and o at word starts, the r after a gap: 9 + 8 + 0. */
	const char *c = "sakura and mehmet on latency targets";
	INT_EQ(fuzzy_bound(S("tor"), fuzzy_word_mask(S(c)), false), 23);
	INT_EQ(plan_bound("tor", c), 17);
	OK(fuzzy_score(S("tor"), S(c)) <= 17);
	/* A word starting "to": a run from there, then r at a word start,
	 * after a gap of 3 or more: no o one or two bytes before it. */
	INT_EQ(plan_bound("tor", "tomasz rossi"), 15 + 6 + 6);
	INT_EQ(fuzzy_score(S("tor"), S("tomasz rossi")), 15 + 6 + 6);
	INT_EQ(plan_bound("tor", "to rossi"), 15 + 6 + 8);
	INT_EQ(fuzzy_score(S("tor"), S("to rossi")), 15 + 6 + 8);
	/* After a separator a word start may go on the run, but only from a
	 * word start that the two begin. */
	INT_EQ(plan_bound("(no", "2024-01-02 - (draft) 1-1 with noah, the options"), 9 + 8 + 6);
	INT_EQ(plan_bound("(no", "acme (north)"), 9 + 14 + 6);
	INT_EQ(fuzzy_score(S("(no"), S("acme (north)")), 9 + 14 + 6);
	/* Longer than a plan: fuzzy_bound. */
	char longq[FUZZY_PLAN_MAX + 2];
	memset(longq, 'a', sizeof(longq) - 1);
	longq[sizeof(longq) - 1] = '\0';
	INT_EQ(plan_bound(longq, "b a"), fuzzy_bound(S(longq), fuzzy_word_mask(S("b a")), false));
}

/* All strings over alphabet of length 1..max, in order, into out
 * (NUL-separated, fixed width). */
static uint32_t all_strings(const char *alphabet, uint32_t max, char (*out)[8])
{
	uint32_t n = 0, k = (uint32_t)strlen(alphabet);
	for (uint32_t len = 1; len <= max; len++) {
		uint32_t total = 1;
		for (uint32_t i = 0; i < len; i++)
			total *= k;
		for (uint32_t v = 0; v < total; v++, n++) {
			uint32_t x = v;
			for (uint32_t i = 0; i < len; i++, x /= k)
				out[n][i] = alphabet[x % k];
			out[n][len] = '\0';
		}
	}
	return n;
}

static void test_bound_and_mask_hold(void)
{
	/* Every query up to 3 bytes against every candidate up to 6, over
	 * letters, a repeated letter and two separators: the score never
	 * exceeds the bound completion prunes by (for candidates that do not
	 * start with the query), and never matches when the mask rules the
	 * candidate out. */
	static char qs[4 * 4 * 4 + 4 * 4 + 4][8];
	static char cs[5 + 25 + 125 + 625 + 3125 + 15625][8];
	uint32_t nq = all_strings("ab -", 3, qs);
	uint32_t nc = all_strings("abc -", 6, cs);
	uint32_t over = 0, mask_wrong = 0, matched = 0, tighter = 0;
	for (uint32_t i = 0; i < nq; i++) {
		struct slice q = S(qs[i]);
		uint64_t qm = fuzzy_mask(q);
		struct fuzzy_plan plan;
		fuzzy_plan_init(&plan, q);
		for (uint32_t k = 0; k < nc; k++) {
			struct slice c = S(cs[k]);
			int score = fuzzy_score(q, c);
			if (score < 0)
				continue;
			matched++;
			if (qm & ~fuzzy_mask(c))
				mask_wrong++;
			if (c.len >= q.len && memcmp(c.ptr, q.ptr, q.len) == 0)
				continue;
			bool first = c.ptr[0] == q.ptr[0];
			int bound = fuzzy_bound(q, fuzzy_word_mask(c), first);
			int loose = fuzzy_bound(q, ~0ull, first);
			int tight = fuzzy_plan_bound(&plan, fuzzy_word_mask(c), fuzzy_pair_mask(c),
						     fuzzy_jump_mask(c), first);
			if (score > bound || score > loose || score > tight || tight > bound) {
				if (over++ < 5)
					fprintf(stderr, "\"%s\" in \"%s\": score %d, bound %d, ~0 bound %d, "
						"pair bound %d\n", qs[i], cs[k], score, bound, loose, tight);
			}
			tighter += tight < bound;
		}
	}
	OK(matched > 100000);
	INT_EQ(mask_wrong, 0);
	INT_EQ(over, 0);
	/* The pairs rule out what the word starts alone allowed, often. */
	OK(tighter > matched / 10);
	printf("%u matches, the pair bound below the word bound for %u\n", matched, tighter);
}

int main(void)
{
	test_scores();
	test_prefix_score();
	test_masks();
	test_bound_values();
	test_plan_values();
	test_bound_and_mask_hold();
	return harness_done("test_fuzzy");
}
