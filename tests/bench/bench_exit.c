/*
 * exits/s through emu_handle_exit for three exits on the default VM:
 * an ISV=1 MMIO read (LDR w1 from UART0 FR), an ISV=0 LDP served by the
 * VMM (two 8-byte reads), and a PSCI_VERSION call over HVC.
 * Writes {"isv1_mmio_read": N, "isv0_ldp": N, "psci_version": N} (exits/s)
 * to $BENCH_OUT/exit.json. Timed in thread CPU time, so time the process
 * spends descheduled on a shared machine does not count (the same measure
 * as the trace benchmark's per-CPU-second rates), in the best of
 * BENCH_PROCESSES processes (best_of.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hvexit/emu_default.h"
#include "tests/emu_exits.h"
#include "tests/bench/best_of.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double run(struct emu_default *d, const struct emu_exit *e, unsigned long n)
{
	struct emu_outcome o;
	volatile unsigned sink = 0;
	double t0 = now();

	for (unsigned long i = 0; i < n; i++) {
		d->vm.vcpu[0].pc = EMU_DEFAULT_RAM_BASE;
		if (emu_handle_exit(&d->vm, 0, e, &o) < 0)
			abort();
		sink += o.action;
	}
	(void)sink;
	return (double)n / (now() - t0);
}

struct exits {
	struct emu_default *d;
	const struct emu_exit *e[3];
	unsigned long n;
};

static void measure(void *arg, double *rate)
{
	struct exits *x = arg;

	for (int i = 0; i < 3; i++)
		rate[i] = run(x->d, x->e[i], x->n);
}

int main(void)
{
	static const uint64_t ldp_data[] = { 1, 2 };
	struct emu_default *d = malloc(sizeof(*d));
	/* LDR w1, [UART0+0x18]: ESR 0x93810007, EC 0x24 IL ISV SAS=2 SRT=1 DFSC 7. */
	const struct emu_exit isv1 = emu_exit_dabt(EMU_DEFAULT_UART0 + 0x18, 2, false, 1,
						   false, false);
	/* LDP x1, x2, [x0] to VMM-served MMIO at 0x09000000: ESR 0x92000007. */
	const struct emu_exit ldp = emu_exit_isv0(0x09000000, 0xa9400801, ldp_data, 2);
	/* PSCI_VERSION: ESR 0x5a000000. */
	const struct emu_exit psci = emu_exit_hvc(0x84000000);
	const unsigned long n = 2000000;
	double r[3] = { 0, 0, 0 };

	if (!d || emu_default_init(d))
		return 1;
	if (isv1.esr != 0x93810007 || ldp.esr != 0x92000007 || psci.esr != 0x5a000000)
		abort();
	struct exits x = { d, { &isv1, &ldp, &psci }, n };

	if (bench_best_of(measure, &x, r, 3) < 0)
		return 1;
	printf("%-18s %14s   (best of %d processes)\n", "exit", "exits/s", BENCH_PROCESSES);
	printf("%-18s %14.0f\n%-18s %14.0f\n%-18s %14.0f\n", "isv1_mmio_read", r[0],
	       "isv0_ldp", r[1], "psci_version", r[2]);
	const char *dir = getenv("BENCH_OUT");
	if (dir) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/exit.json", dir);
		FILE *f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "bench_exit: cannot write %s\n", path);
			return 1;
		}
		fprintf(f, "{\"isv1_mmio_read\": %.0f, \"isv0_ldp\": %.0f, \"psci_version\": %.0f,"
			   " \"unit\": \"exits/s\"}\n", r[0], r[1], r[2]);
		fclose(f);
	}
	emu_default_destroy(d);
	free(d);
	return 0;
}
