/* MMIO load completion (esr_dabt_load_value) and the plugin comparison,
 * against values worked out by hand from Arm ARM D24.2.46 and C6.2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "harness/validate/dabt_space.h"
#include "harness/validate/plugin_check.h"
#include "hvexit/esr_load.h"

/* EC=0x24 IL=1 ISV=1 with SAS/SSE/SRT/SF placed per D24.2.46. */
static uint64_t ld(unsigned sas, unsigned sse, unsigned srt, unsigned sf)
{
	return (UINT64_C(0x24) << 26) | (1u << 25) | (1u << 24) | (sas << 22) |
	       (sse << 21) | (srt << 16) | (sf << 15) | 0x06;
}

static void test_load_values(void **state)
{
	static const struct { uint64_t esr, bus, want; } v[] = {
		{ 0x0, 0xffffffffffffff80, 0x80 },			/* LDRB w1 */
		{ 0x0, 0x80, 0xffffff80 },				/* LDRSB w1 */
		{ 0x0, 0x80, 0xffffffffffffff80 },			/* LDRSB x1 */
		{ 0x0, 0x7fff, 0x7fff },					/* LDRSH w2 */
		{ 0x0, 0x80000000, 0xffffffff80000000 },			/* LDRSW x3 */
		{ 0x0, 0xdeadbeefcafef00d, 0xcafef00d },			/* LDR w4 */
		{ 0x0, 0x8000000000000000, 0x8000000000000000 },		/* LDR x5 */
	};
	const uint64_t esrs[] = { ld(0, 0, 1, 0), ld(0, 1, 1, 0), ld(0, 1, 1, 1),
				  ld(1, 1, 2, 0), ld(2, 1, 3, 1), ld(2, 0, 4, 0),
				  ld(3, 0, 5, 1) };
	uint64_t val;

	(void)state;
	for (unsigned i = 0; i < sizeof(esrs) / sizeof(esrs[0]); i++) {
		val = 0x5a5a;
		assert_int_equal(esr_dabt_load_value(esrs[i], v[i].bus, &val), 1);
		assert_true(val == v[i].want);
	}
}

static void test_load_xzr_and_errors(void **state)
{
	uint64_t val = 0x1234;

	(void)state;
	assert_int_equal(esr_dabt_load_value(ld(2, 0, 31, 0), 0xff, &val), 0);
	assert_true(val == 0x1234);		/* untouched */
	assert_int_equal(esr_dabt_load_value(ld(2, 0, 1, 0) | (1u << 6), 0, &val), -EINVAL);
	assert_int_equal(esr_dabt_load_value(ld(2, 0, 1, 0) & ~(UINT64_C(1) << 24), 0, &val),
			 -EINVAL);
	assert_int_equal(esr_dabt_load_value(0x5a000000, 0, &val), -EINVAL);
}

static void test_cmp_dabt(void **state)
{
	struct hvx_dabt ref, act;
	unsigned cmp, fail;
	int rc;

	(void)state;
	check_ref_decode_dabt(0x93c08046, &rc, &ref);	/* STR x0, the notes */
	assert_int_equal(rc, 0);
	assert_int_equal(ref.len, 8);
	act = ref;
	assert_int_equal(check_cmp_dabt(0x93c08046, rc, &ref, 0, &act, &cmp, NULL, NULL), 0);
	act.len = 4;
	act.is_write = 7;			/* non-zero counts as 1 */
	fail = check_cmp_dabt(0x93c08046, rc, &ref, 0, &act, &cmp, NULL, NULL);
	assert_int_equal(fail, 1u << DF_LEN);
	/* ISV=0: refusal is allowed, and len is not compared. */
	check_ref_decode_dabt(0x92000007, &rc, &ref);
	assert_int_equal(check_cmp_dabt(0x92000007, rc, &ref, -1, &act, &cmp, NULL, NULL), 0);
	/* Not a data abort: decoding it is a failure of "return". */
	check_ref_decode_dabt(0x5a000000, &rc, &ref);
	memset(&act, 0, sizeof(act));
	assert_int_equal(check_cmp_dabt(0x5a000000, rc, &ref, 0, &act, &cmp, NULL, NULL),
			 1u << DF_RETURN);
}

static void test_gen_domain(void **state)
{
	uint64_t s = 42, esr, bus;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		check_gen_load(&s, &esr, &bus);
		assert_true(check_load_domain(esr));
		assert_true(dabt_possible(esr));
	}
	/* LDRSW into a W register does not exist (C6.2 LDRSW: Xt only). */
	assert_false(check_load_domain(ld(2, 1, 3, 0)));
	assert_false(check_load_domain(ld(3, 0, 5, 0)));
}

/* The hand-derived vector files and the reference agree (tests run from
 * the repository root). A disagreement means one of them is wrong. */
static void test_vectors_match_reference(void **state)
{
	FILE *f = fopen("corpus/vectors/plugin_dabt.tsv", "r");
	char line[1024];
	unsigned n = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long esr;
		char res[32], c[9][16];
		struct hvx_dabt ref;
		int rc;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%llx %31s %15s %15s %15s %15s %15s %15s %15s %15s %15s",
					&esr, res, c[0], c[1], c[2], c[3], c[4], c[5], c[6],
					c[7], c[8]), 11);
		check_ref_decode_dabt(esr, &rc, &ref);
		assert_int_equal(rc < 0, strcmp(res, "refuse") == 0);
		if (rc < 0)
			continue;
		{
			const unsigned got[9] = { !!ref.valid, ref.len, !!ref.is_write,
				!!ref.sign_extend, ref.rt, !!ref.sixty_four, !!ref.acq_rel,
				!!ref.s1ptw, ref.dfsc };

			for (unsigned i = 0; i < 9; i++)
				if (strcmp(c[i], "-"))
					assert_int_equal(strtoul(c[i], NULL, 0), got[i]);
		}
		n++;
	}
	fclose(f);
	assert_true(n >= 10);

	f = fopen("corpus/vectors/plugin_load.tsv", "r");
	assert_non_null(f);
	n = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long esr, bus;
		char res[32], val[32];
		uint64_t got = 0;
		int rc;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%llx %llx %31s %31s", &esr, &bus, res, val), 4);
		assert_true(check_load_domain(esr));
		check_ref_mmio_load(esr, bus, &rc, &got);
		if (!strcmp(res, "nowrite")) {
			assert_int_equal(rc, HVX_MMIO_NO_WRITE);
		} else {
			assert_int_equal(rc, 0);
			assert_true(got == strtoull(val, NULL, 16));
		}
		n++;
	}
	fclose(f);
	assert_true(n >= 10);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_load_values),
	cmocka_unit_test(test_load_xzr_and_errors),
	cmocka_unit_test(test_cmp_dabt),
	cmocka_unit_test(test_gen_domain),
	cmocka_unit_test(test_vectors_match_reference))
