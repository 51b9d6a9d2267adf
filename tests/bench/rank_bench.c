/*
 * rank_bench.c — how long completion's ranking (rank_names) takes on a
 * vault, for what people type after "[[", and what it answers.
 *
 * The vault is indexed once; then --queries queries are drawn (seeded)
 * from its note names, of each --kind: "w3" the first 3 letters of a
 * name's last word (a surname), "f3" of its first word, "f1" its first
 * letter (1 to 9 letters either way). Each is ranked
 * --reps times; the per-query best is kept (CPU time of the process,
 * both threads of a split pass, which holds up while others share the
 * cores), and p50/p99/max printed.
 *
 * With --dump, each query's ranked list goes to stdout, one line per
 * query: "query TAB note:key:score ...". When only the speed of ranking
 * changed, two builds' dumps of the same vault are identical.
 *
 *   build/tests/rank_bench [--queries N] [--reps N] [--seed N] [--kind w3|f3|f1...]
 *                          [--exhaustive] [--dump] DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rank.h"
#include "workspace.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 7;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng >> 33) % n);
}

/* The first n UTF-8 characters of s (as a person types them). */
static size_t chars(const char *s, size_t len, size_t n)
{
	size_t i = 0;
	while (i < len && n > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

/* What is typed for this stem: its first k characters, of its first or
 * last word; false when that word is shorter. */
static bool typed(const char *stem, bool last, size_t k, struct strbuf *out)
{
	const char *w = stem, *sp = strrchr(stem, ' ');
	if (last) {
		if (!sp)
			return false;
		w = sp + 1;
	}
	size_t len = last ? strlen(w) : strcspn(w, " ");
	size_t n = chars(w, len, k);
	if (n == len && chars(w, len, k - 1) == len)
		return false; /* shorter than k letters */
	out->len = 0;
	strbuf_put(out, w, n);
	return true;
}

struct timed {
	double t;
	char q[16];
};

static int cmp_timed(const void *a, const void *b)
{
	double x = ((const struct timed *)a)->t, y = ((const struct timed *)b)->t;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	uint32_t queries = 300, reps = 5;
	bool last = true, dump = false, exhaustive = false;
	size_t k = 3;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
			queries = (uint32_t)atoi(argv[++i]);
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = (uint32_t)atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			rng = (uint64_t)atoll(argv[++i]);
		else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
			const char *kind = argv[++i];
			last = kind[0] != 'f';
			k = kind[0] && kind[1] >= '1' && kind[1] <= '9' ? (size_t)(kind[1] - '0') : 3;
		}
		else if (strcmp(argv[i], "--dump") == 0)
			dump = true;
		else if (strcmp(argv[i], "--exhaustive") == 0)
			exhaustive = true;
		else
			dir = argv[i];
	}
	if (!dir || !reps) {
		fprintf(stderr, "usage: rank_bench [--queries N] [--reps N] [--seed N] [--kind w1..w9|f1..f9] "
				"[--exhaustive] [--dump] DIR\n");
		return 2;
	}
	struct config cfg;
	config_init(&cfg);
	struct workspace *ws = workspace_new(&cfg, NULL);
	workspace_add_root(ws, dir);
	const char *roots[] = { dir };
	double t0 = cpu_now();
	workspace_install(ws, workspace_scan(roots, 1, &cfg, 2, NULL, NULL, NULL, NULL));
	uint32_t bound = workspace_id_bound(ws);
	ARRAY(const char *) stems = { 0 };
	for (uint32_t id = 0; id < bound; id++) {
		const struct ws_note *wn = workspace_get(ws, id);
		if (wn && !wn->attachment)
			array_push(&stems, wn->stem);
	}
	fprintf(stderr, "%u notes indexed (%.1f s CPU)\n", stems.len, cpu_now() - t0);
	if (!stems.len)
		return 1;

	struct rank_options opts = { .exhaustive = exhaustive };
	struct rank_top *top = xcalloc(1, sizeof(*top));
	struct timed *best = xcalloc(queries ? queries : 1, sizeof(*best));
	struct strbuf q = { 0 };
	uint32_t n = 0;
	for (uint32_t tries = 0; n < queries && tries < 100 * queries; tries++) {
		if (!typed(stems.items[rnd(stems.len)], last, k, &q))
			continue;
		best[n].t = 1e9;
		snprintf(best[n].q, sizeof(best[n].q), "%s", q.ptr);
		for (uint32_t r = 0; r < reps; r++) {
			top->len = 0;
			double t = cpu_now();
			rank_names(ws, (struct slice){ q.ptr, q.len }, false, &opts, top);
			t = cpu_now() - t;
			if (t < best[n].t)
				best[n].t = t;
		}
		if (dump) {
			rank_sort(top);
			printf("%s\t", q.ptr);
			for (uint32_t i = 0; i < top->len; i++)
				printf("%s%u:%d:%d", i ? " " : "", top->items[i].note, top->items[i].key,
				       top->items[i].score);
			printf("\n");
		}
		n++;
	}
	qsort(best, n, sizeof(*best), cmp_timed);
	double sum = 0;
	for (uint32_t i = 0; i < n; i++)
		sum += best[i].t;
	if (n) {
		fprintf(stderr, "%u %c%zu queries: mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms (CPU)\n",
			n, last ? 'w' : 'f', k, sum / n * 1e3, best[n / 2].t * 1e3, best[n * 99 / 100].t * 1e3,
			best[n - 1].t * 1e3);
		fprintf(stderr, "slowest:");
		for (uint32_t i = n > 8 ? n - 8 : 0; i < n; i++)
			fprintf(stderr, " \"%s\" %.3f", best[i].q, best[i].t * 1e3);
		fprintf(stderr, "\n");
	}
	free(best);
	free(top);
	strbuf_fini(&q);
	array_free(&stems);
	workspace_free(ws);
	config_fini(&cfg);
	return 0;
}
