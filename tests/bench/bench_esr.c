/*
 * ESR decode throughput: the full generic decode (esr_decode: class,
 * encoding, which fields apply, RES0 report, FSC), the same followed by
 * reading every applicable field's value, the data-abort fast path
 * (esr_decode_dabt), and a kernel-style inline bit-extraction loop (EC,
 * ISV, SAS, SRT, WnR, DFSC by shifts and masks, as a hypervisor's MMIO
 * path does) over the same values.
 *
 * The machine this runs on is shared: each path is timed in thread CPU
 * time (CLOCK_THREAD_CPUTIME_ID, so time spent descheduled does not count)
 * and the best of REPS interleaved repetitions is kept for every path, in
 * the best of BENCH_PROCESSES processes (best_of.h).
 * Prints a table; writes $BENCH_OUT/esr.json with decodes/s and ratios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "hvexit/esr.h"
#include "tests/bench/best_of.h"

#define NVALS 4096
#define ROUNDS 400
#define REPS 15

static uint64_t vals[NVALS];
static volatile uint64_t sink;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What each path reads out of one value, summed so nothing is optimised
 * away. */
static inline uint64_t one_full(uint64_t e)
{
	struct esr_decoded d;

	esr_decode(e, &d);
	return d.nfields + d.fsc_code;
}

static inline uint64_t one_fields(uint64_t e)
{
	struct esr_decoded d;
	uint64_t acc = 0;

	esr_decode(e, &d);
	for (unsigned f = 0; f < d.nfields; f++)
		if (esr_field_applies(&d, f))
			acc += esr_field_value(&d, f);
	return acc;
}

static inline uint64_t one_dabt(uint64_t e)
{
	struct esr_dabt a;

	esr_decode_dabt(e, &a);
	return a.srt + a.dfsc + a.sas + a.wnr;
}

static inline uint64_t one_inline(uint64_t e)
{
	unsigned ec = (unsigned)(e >> 26) & 0x3f;

	if (ec != 0x24 && ec != 0x25)
		return 0;
	return ((e >> 16) & 0x1f) + (e & 0x3f) + ((e >> 22) & 3) + ((e >> 6) & 1) +
	       ((e >> 24) & 1);
}

/* Seconds for ROUNDS passes of one path over vals. Always inlined, so
 * each call site compiles one() into its loop as a direct loop did. */
static inline __attribute__((always_inline)) double run(uint64_t (*one)(uint64_t))
{
	uint64_t acc = 0;
	double t = now();

	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < NVALS; i++)
			acc += one(vals[i]);
	sink = acc;
	return now() - t;
}

static void keep_min(double *best, double t)
{
	if (t < *best)
		*best = t;
}

/* Decodes/s of the four paths, each its best of REPS interleaved
 * repetitions: full, full + fields, dabt, inline. */
static void measure(void *arg, double *rate)
{
	double t_full = 1e9, t_fields = 1e9, t_dabt = 1e9, t_inl = 1e9;
	double n = (double)ROUNDS * NVALS;

	(void)arg;
	for (int rep = 0; rep < REPS; rep++) {
		keep_min(&t_inl, run(one_inline));
		keep_min(&t_dabt, run(one_dabt));
		keep_min(&t_full, run(one_full));
		keep_min(&t_fields, run(one_fields));
	}
	rate[0] = n / t_full;
	rate[1] = n / t_fields;
	rate[2] = n / t_dabt;
	rate[3] = n / t_inl;
}

int main(void)
{
	uint64_t x = 0x243f6a8885a308d3ull;
	const char *dir = getenv("BENCH_OUT");
	double rate[4], full, fields, dabt, inl;
	char path[512];
	FILE *f;

	for (int i = 0; i < NVALS; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		/* data aborts from a lower EL with random ISS/ISS2 */
		vals[i] = (x & ~hvx_mask(31, 26)) | (uint64_t)ESR_EC_DABT_LOW << 26;
	}
	if (bench_best_of(measure, NULL, rate, 4) < 0)
		return 1;
	full = rate[0];
	fields = rate[1];
	dabt = rate[2];
	inl = rate[3];

	printf("%-36s %14s %10s\n", "path (best of 15 x 3 processes)", "decodes/s", "vs inline");
	printf("%-36s %14.0f %9.3fx\n", "esr_decode (full)", full, full / inl);
	printf("%-36s %14.0f %9.3fx\n", "esr_decode + every field value", fields, fields / inl);
	printf("%-36s %14.0f %9.3fx\n", "esr_decode_dabt (fast)", dabt, dabt / inl);
	printf("%-36s %14.0f %9.3fx\n", "inline bit extraction", inl, 1.0);
	snprintf(path, sizeof(path), "%s/esr.json", dir ? dir : ".");
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	fprintf(f, "{\"values\": %d, \"rounds\": %d, \"reps\": %d, "
		"\"full_decodes_per_s\": %.0f, \"full_fields_decodes_per_s\": %.0f, "
		"\"dabt_decodes_per_s\": %.0f, \"inline_decodes_per_s\": %.0f, "
		"\"full_vs_inline\": %.4f, \"full_fields_vs_inline\": %.4f, "
		"\"dabt_vs_inline\": %.4f}\n",
		NVALS, ROUNDS, REPS, full, fields, dabt, inl, full / inl,
		fields / inl, dabt / inl);
	fclose(f);
	return 0;
}
