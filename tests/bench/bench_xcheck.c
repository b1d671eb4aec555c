/*
 * Cross-check throughput: xcheck_dabt() per second with and without the
 * instruction-word cache, beside raw Capstone disassembly per second.
 * Workloads: "hot" = 64 distinct MMIO accessor words repeated (what a
 * guest's exits look like), "cold" = fresh random load/store words.
 * Prints a table and writes $BENCH_OUT/xcheck.json.
 */
#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hvexit/esr.h"
#include "hvexit/insn.h"
#include "hvexit/xcheck.h"

#define N_COLD 200000u
#define N_HOT  1000000u
#define HOT    64u

static uint64_t rng = 42;

static uint32_t rnd32(void)
{
	rng = rng * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (uint32_t)(rng >> 32);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A valid ISV=1 ESR for word when it has one, else an ISV=0 abort. */
static uint64_t esr_for(uint32_t w)
{
	struct insn d;
	struct esr_dabt e = { .ec = ESR_EC_DABT_LOW, .il = true, .dfsc = 0x06 };

	if (insn_decode(w, &d) == 0 && d.isv_possible) {
		e.isv = true;
		e.sas = d.iss.sas; e.sse = d.iss.sse; e.srt = d.iss.srt;
		e.sf = d.iss.sf; e.ar = d.iss.ar; e.wnr = d.iss.wnr;
	}
	return esr_build_dabt(&e);
}

static uint32_t ldst(void)
{
	return (rnd32() & ~0x0a000000u) | 0x08000000u;
}

static double run_xcheck(const uint32_t *w, const uint64_t *esr, unsigned n, unsigned period)
{
	struct xcheck_result r;
	double t0 = now();
	unsigned i, sink = 0;

	for (i = 0; i < n; i++) {
		unsigned k = period ? i % period : i;

		if (xcheck_dabt(w[k], esr[k], &r) == 0)
			sink += r.status;
	}
	if (sink == 0xffffffffu)
		printf("#");
	return n / (now() - t0);
}

int main(void)
{
	static uint32_t cold[N_COLD], hot[HOT];
	static uint64_t cold_esr[N_COLD], hot_esr[HOT];
	csh h;
	cs_insn *in;
	double cs_rate, t0, cold_nc, cold_c, hot_nc, hot_c;
	unsigned i, hot_n = 0;
	const char *dir = getenv("BENCH_OUT");
	char path[512];
	FILE *f;

	for (i = 0; i < N_COLD; i++) {
		cold[i] = ldst();
		cold_esr[i] = esr_for(cold[i]);
	}
	while (hot_n < HOT) {
		struct insn d;
		uint32_t w = ldst();

		if (insn_decode(w, &d) == 0 && d.isv_possible) {
			hot[hot_n] = w;
			hot_esr[hot_n++] = esr_for(w);
		}
	}
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK)
		return 1;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	in = cs_malloc(h);
	t0 = now();
	for (i = 0; i < N_COLD; i++) {
		const uint8_t *p = (const uint8_t *)&cold[i];
		size_t sz = 4;
		uint64_t a = 0x1000;

		cs_disasm_iter(h, &p, &sz, &a, in);
	}
	cs_rate = N_COLD / (now() - t0);
	cs_free(in, 1);
	cs_close(&h);

	xcheck_cache_enable(false);
	cold_nc = run_xcheck(cold, cold_esr, N_COLD, 0);
	hot_nc = run_xcheck(hot, hot_esr, N_HOT, HOT);
	xcheck_cache_enable(true);
	cold_c = run_xcheck(cold, cold_esr, N_COLD, 0);
	hot_c = run_xcheck(hot, hot_esr, N_HOT, HOT);

	printf("%-44s %14s\n", "measurement", "per second");
	printf("%-44s %14.0f\n", "capstone cs_disasm_iter (detail on)", cs_rate);
	printf("%-44s %14.0f\n", "xcheck_dabt cold words, no cache", cold_nc);
	printf("%-44s %14.0f\n", "xcheck_dabt cold words, cache", cold_c);
	printf("%-44s %14.0f\n", "xcheck_dabt 64 hot words, no cache", hot_nc);
	printf("%-44s %14.0f\n", "xcheck_dabt 64 hot words, cache", hot_c);
	if (!dir)
		dir = ".";
	snprintf(path, sizeof(path), "%s/xcheck.json", dir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "bench_xcheck: cannot write %s\n", path);
		return 1;
	}
	fprintf(f, "{\"capstone_disasm_per_s\":%.0f,\"xcheck_cold_nocache_per_s\":%.0f,"
		"\"xcheck_cold_cache_per_s\":%.0f,\"xcheck_hot_nocache_per_s\":%.0f,"
		"\"xcheck_hot_cache_per_s\":%.0f,\"cold_words\":%u,\"hot_calls\":%u,\"hot_words\":%u}\n",
		cs_rate, cold_nc, cold_c, hot_nc, hot_c, N_COLD, N_HOT, HOT);
	fclose(f);
	xcheck_close();
	return 0;
}
