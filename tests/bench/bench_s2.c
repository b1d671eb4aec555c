/*
 * Stage-2 walk throughput: hvexit's s2_walk (full fault/attribute model,
 * reads through a callback) against a minimal kernel-style walk loop
 * (index, load, check valid, descend; no attributes or fault syndrome) over
 * the same tables. Two configurations: 4-level 4K (seed lab 3, 44-bit IPA)
 * and 2-level 64K (42-bit IPA, start level 2).
 *
 * The two loops alternate in ROUNDS rounds of CHUNK walks over the same
 * addresses and each side keeps its fastest round, so load from other
 * processes on a shared machine hits both sides alike instead of skewing
 * the ratio; in the best of BENCH_PROCESSES processes (best_of.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hvexit/s2.h"
#include "tests/bench/best_of.h"

#define BASE UINT64_C(0x100000)
#define LEN (1u << 20)
#define CHUNK 100000
#define ROUNDS 20

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Kernel-style loop: direct loads from the buffer, no callback. */
static uint64_t mini_walk(const uint8_t *buf, uint64_t root, int start, unsigned g,
			  unsigned rootbits, uint64_t ipa)
{
	uint64_t table = root;
	unsigned stride = g - 3;
	for (int l = start; l <= 3; l++) {
		unsigned shift = g + (unsigned)(3 - l) * stride;
		unsigned nb = l == start ? rootbits : stride;
		uint64_t idx = (ipa >> shift) & ((UINT64_C(1) << nb) - 1);
		uint64_t d;
		memcpy(&d, buf + (table - BASE) + idx * 8, 8);
		if (!(d & 1))
			return ~UINT64_C(0);
		if (l == 3 || !(d & 2))
			return (d & hvx_mask(47, shift)) | (ipa & ((UINT64_C(1) << shift) - 1));
		table = d & hvx_mask(47, g);
	}
	return ~UINT64_C(0);
}

struct row { const char *name; double model, mini; };

static struct row run(const char *name, uint64_t vtcr, uint64_t ipa0, uint64_t span,
		      uint8_t *buf)
{
	struct s2_config c;
	const char *why = NULL;
	struct s2_build_out bo;
	/* Page-granular mapping so every walk goes to level 3. */
	struct s2_region r = { ipa0, 0x80000000, span, S2_R | S2_W };
	struct row out = { name, 0, 0 };

	if (s2_config_init(vtcr, BASE, S2_FEAT_ALL, 48, false, &c, &why) ||
	    s2_build(&c, &r, 1, buf, LEN, BASE, &bo, &why)) {
		fprintf(stderr, "bench_s2: %s: %s\n", name, why ? why : "?");
		exit(1);
	}
	/* Force pages: rebuild with a PA offset by one granule so no block
	 * alignment is possible. */
	r.pa += UINT64_C(1) << c.granule_bits;
	s2_build(&c, &r, 1, buf, LEN, BASE, &bo, &why);
	struct s2_flatmem m = { buf, bo.used, BASE };
	uint64_t pages = span >> c.granule_bits, sum = 0;
	double best_model = 1e30, best_mini = 1e30;
	for (unsigned round = 0; round < ROUNDS; round++) {
		unsigned i0 = round * CHUNK;
		double t0 = now();
		for (unsigned i = i0; i < i0 + CHUNK; i++) {
			struct s2_result res;
			s2_walk(&c, ipa0 + ((i * UINT64_C(2654435761)) % pages << c.granule_bits),
				S2_ACC_READ, false, s2_flat_read64, &m, &res);
			sum += res.pa;
		}
		double t1 = now();
		for (unsigned i = i0; i < i0 + CHUNK; i++)
			sum += mini_walk(buf, BASE, c.start_level, c.granule_bits, c.root_index_bits,
					 ipa0 + ((i * UINT64_C(2654435761)) % pages << c.granule_bits));
		double t2 = now();
		if (t1 - t0 < best_model)
			best_model = t1 - t0;
		if (t2 - t1 < best_mini)
			best_mini = t2 - t1;
	}
	if (sum == 42)
		puts("");
	out.model = CHUNK / best_model;
	out.mini = CHUNK / best_mini;
	return out;
}
/* Walks/s of the model and of the minimal loop, 4K then 64K. */
static void measure(void *arg, double *rate)
{
	struct row a = run("4k_4level", 0x40094, 0x40000000, 64u << 20, arg);
	struct row b = run("64k_2level", 0x34056, 0x40000000, 256u << 20, arg);

	rate[0] = a.model;
	rate[1] = a.mini;
	rate[2] = b.model;
	rate[3] = b.mini;
}

int main(void)
{
	uint8_t *buf = malloc(LEN);
	if (!buf)
		return 1;
	struct row rows[2] = { { "4k_4level", 0, 0 }, { "64k_2level", 0, 0 } };
	double rate[4];

	if (bench_best_of(measure, buf, rate, 4) < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		rows[i].model = rate[2 * i];
		rows[i].mini = rate[2 * i + 1];
	}
	printf("%-12s %14s %14s %8s\n", "walk", "s2_walk/s", "mini_loop/s", "ratio");
	for (int i = 0; i < 2; i++)
		printf("%-12s %14.0f %14.0f %8.2f\n", rows[i].name, rows[i].model,
		       rows[i].mini, rows[i].mini / rows[i].model);
	/* JSON only for make bench (tests/bench/run.sh sets BENCH_OUT under
	 * build/): a run by hand leaves no file in the working directory. */
	const char *dir = getenv("BENCH_OUT");
	char path[4096];
	FILE *f = NULL;
	if (dir) {
		snprintf(path, sizeof(path), "%s/s2.json", dir);
		f = fopen(path, "w");
	}
	if (f) {
		fprintf(f, "{");
		for (int i = 0; i < 2; i++)
			fprintf(f, "%s\"%s\": {\"walks_per_s\": %.0f, \"mini_walks_per_s\": %.0f, "
				"\"mini_over_model\": %.2f}", i ? ", " : "", rows[i].name,
				rows[i].model, rows[i].mini, rows[i].mini / rows[i].model);
		fprintf(f, "}\n");
		fclose(f);
	}
	free(buf);
	return 0;
}
