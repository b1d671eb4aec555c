/*
 * Cross-check library: the hand-written vectors (corpus/vectors/insn.tsv)
 * through xcheck_dabt() with both decoders, and the fixed-sample sweep
 * (200000 words, seed 1) with its per-class table printed by make check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/esr.h"
#include "hvexit/xcheck.h"

/* ESR from the vector's ISS column (D24.2.46 field layout via the builder). */
static uint64_t esr_from(const char *iss, bool isv)
{
	struct esr_dabt e = { .ec = ESR_EC_DABT_LOW, .il = true, .dfsc = 0x06, .isv = isv };
	unsigned sas = 0, sse = 0, srt = 0, sf = 0, ar = 0, wnr = 0;

	if (isv && sscanf(iss, "%u/%u/%u/%u/%u/%u", &sas, &sse, &srt, &sf, &ar, &wnr) != 6)
		return 0;
	e.sas = (uint8_t)sas; e.sse = sse; e.srt = (uint8_t)srt;
	e.sf = sf; e.ar = ar; e.wnr = wnr;
	return esr_build_dabt(&e);
}

static void test_vectors_xcheck(void **state)
{
	FILE *f = fopen("corpus/vectors/insn.tsv", "r");
	char line[512];
	unsigned rows = 0, bad = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *col[16], *save = NULL, *p;
		unsigned n = 0;
		struct xcheck_result r;
		uint32_t w;
		bool isv;

		if (line[0] == '#')
			continue;
		for (p = strtok_r(line, "\t\n", &save); p && n < 16; p = strtok_r(NULL, "\t\n", &save))
			col[n++] = p;
		assert_int_equal(n, 15);
		w = (uint32_t)strtoul(col[0], NULL, 16);
		isv = atoi(col[12]) != 0;
		rows++;
		if (isv) {
			/* the ISS the Arm ARM says hardware reports: consistent */
			assert_int_equal(xcheck_dabt(w, esr_from(col[13], true), &r), 0);
			if (r.status != XCHECK_CONSISTENT) {
				fprintf(stderr, "%s (%s): %u diffs, first %s\n", col[0], col[1], r.ndiff,
					r.ndiff ? xcheck_field_name(r.diff[0].field) : "-");
				bad++;
			}
		} else {
			/* ISV=0 instruction with an ESR claiming ISV=1: ISV finding */
			struct esr_dabt e = { .ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = 3 };

			assert_int_equal(xcheck_dabt(w, esr_build_dabt(&e), &r), 0);
			if (r.status != XCHECK_MISMATCH || r.diff[0].field != XF_ISV || r.diff[0].own != 0) {
				fprintf(stderr, "%s (%s): ISV=1 not flagged\n", col[0], col[1]);
				bad++;
			}
			/* and with ISV=0 nothing to check */
			assert_int_equal(xcheck_dabt(w, esr_from("", false), &r), 0);
			assert_int_equal(r.status, XCHECK_ISV0);
		}
	}
	fclose(f);
	assert_true(rows >= 60);
	assert_int_equal(bad, 0);
}

/* Notes (KVM under QEMU): STR X0 to MMIO gave hsr 0x93c08046. */
static void test_known_store(void **state)
{
	struct xcheck_result r;

	(void)state;
	assert_int_equal(xcheck_dabt(0xf9000020, 0x93c08046, &r), 0);
	assert_int_equal(r.status, XCHECK_CONSISTENT);
	/* SRT=1 instead of 0: one diff, both decoders imply 0 */
	assert_int_equal(xcheck_dabt(0xf9000020, 0x93c18046, &r), 0);
	assert_int_equal(r.status, XCHECK_MISMATCH);
	assert_int_equal(r.ndiff, 1);
	assert_int_equal(r.diff[0].field, XF_SRT);
	assert_int_equal(r.diff[0].iss, 1);
	assert_int_equal(r.diff[0].own, 0);
	assert_int_equal(r.diff[0].cs, 0);
	assert_int_equal(xcheck_dabt(0xf9000020, 0x5a000000, &r), -EINVAL);
}

static void test_sweep_fixed_sample(void **state)
{
	static struct xcheck_sweep_stats st;
	unsigned c, k;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(xcheck_sweep(200000, 1, false, &st, NULL, NULL), 0);
	printf("xcheck sweep (200000 random ld/st words, seed 1, + 224 DC words):\n");
	printf("  %-18s %8s %8s %8s %12s\n", "class", "words", "agree", "explained", "unexplained");
	for (c = 0; c < INSN_C_COUNT; c++)
		if (st.total[c])
			printf("  %-18s %8llu %8llu %8llu %12llu\n", insn_class_name((enum insn_class)c),
			       (unsigned long long)st.total[c], (unsigned long long)st.agree[c],
			       (unsigned long long)st.explained[c], (unsigned long long)st.unexplained[c]);
	for (k = 0; k < st.nexample; k++)
		printf("  UNEXPLAINED 0x%08x (%s)\n", st.example[k], st.example_field[k]);
	assert_int_equal(st.words, 200224);
	assert_int_equal(st.unexplained_total, 0);
}

static int teardown(void **state)
{
	(void)state;
	xcheck_close();
	return 0;
}

HVX_TEST_MAIN(NULL, teardown,
	cmocka_unit_test(test_known_store),
	cmocka_unit_test(test_vectors_xcheck),
	cmocka_unit_test(test_sweep_fixed_sample))
