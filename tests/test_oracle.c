/*
 * harness/oracle: the probe's UART protocol, the record comparisons, the
 * disagreement classifier and the Stage-2 case generator (everything that
 * does not need QEMU; tests/cli/80_oracle.sh boots the probe).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "harness/oracle/check.h"
#include "harness/oracle/classify.h"
#include "harness/oracle/s2case.h"
#include "hvexit/esr.h"
#include "hvexit/insn.h"

static void test_parse(void **state)
{
	(void)state;
	static const char log[] =
		"I f0510 32310201126 11010211122 1021011010011011 1201001120110222 6\n"
		"R 1 400 93c08006 10000000 100000 800 10000000 10000000\n"
		"A 0 a0d 0 0\n"
		"R 9 400 5a000001 0 0 808 0 0\n"	/* id beyond nrec: ignored */
		"garbage line\n"
		"D\n";
	struct oracle_out o;

	assert_int_equal(oracle_parse(log, sizeof(log) - 1, 2, &o), 0);
	assert_true(o.have_id && o.done);
	assert_int_equal(o.id.mmfr0, 0x32310201126ull);
	assert_int_equal(o.rec[1].tag, 'R');
	assert_int_equal(o.rec[1].esr, 0x93c08006ull);
	assert_int_equal(o.rec[1].hpfar, 0x100000ull);
	assert_int_equal(o.rec[0].tag, 'A');
	assert_int_equal(o.rec[0].par, 0xa0dull);
	assert_int_equal(oracle_parange_bits(o.id.mmfr0), 52);
	oracle_out_free(&o);
	/* a console log: firmware lines around the probe's, CR LF ends */
	static const char con[] =
		"U-Boot 2023.01\r\nDRAM:  4 GiB\r\nIn:    serial\r\n"
		"I f0510 32310201126 11010211122 1021011010011011 1201001120110222 6\r\n"
		"Reset reason: none\r\nA 0 a0d 0 0\r\nD\r\n";
	assert_int_equal(oracle_parse(con, sizeof(con) - 1, 1, &o), 0);
	assert_true(o.have_id && o.done);
	assert_int_equal(o.rec[0].par, 0xa0dull);
	oracle_out_free(&o);
	assert_int_equal(oracle_parse(con, 40, 1, &o), -EINVAL);	/* "DRAM:" is not done */
	/* no identification line: not the probe */
	assert_int_equal(oracle_parse("R 0 400 0 0 0 0 0 0\n", 20, 1, &o), -EINVAL);
	/* a cut log: records up to the cut, not done */
	assert_int_equal(oracle_parse(log, 100, 2, &o), 0);
	assert_false(o.done);
	assert_int_equal(o.rec[1].tag, 0);
	oracle_out_free(&o);
}

/* The record o disagrees with the expectation e in this field; the diff. */
static struct oracle_diff run_differs(const struct oracle_expect_run *e,
				      const struct oracle_rec *o, const char *field)
{
	struct oracle_diff d;

	assert_false(oracle_cmp_run(e, o, &d));
	assert_string_equal(d.field, field);
	return d;
}

static void at_differs(const struct oracle_expect_at *e, const struct oracle_rec *o,
		       const char *field)
{
	struct oracle_diff d;

	assert_false(oracle_cmp_at(e, o, &d));
	assert_string_equal(d.field, field);
}

static void test_cmp_run(void **state)
{
	(void)state;
	struct oracle_expect_run e = { .esr = 0x93c08006, .far = 0x10000000, .hpfar = 0x100000,
				       .elr = 0x800, .abort = true, .far_valid = true,
				       .hpfar_valid = true };
	struct oracle_rec o = { .tag = 'R', .vec = 0x400, .esr = 0x93c08006, .far = 0x10000000,
				.hpfar = 0x100000, .elr = 0x800 };
	struct oracle_diff d;

	assert_true(oracle_cmp_run(&e, &o, &d));
	o.esr = 0x93c08007;	/* level 3 instead of level 2 */
	d = run_differs(&e, &o, "run.esr.fsc");
	assert_int_equal(d.obs_fsc, 7);
	o.esr = 0x5a000001;	/* no abort at all */
	d = run_differs(&e, &o, "run.esr.ec");
	assert_int_equal(d.obs_fsc, -1);
	o.esr = e.esr;
	o.hpfar = 0;
	run_differs(&e, &o, "run.hpfar");
	e.hpfar_valid = false;
	assert_true(oracle_cmp_run(&e, &o, &d));
	o.tag = 0;
	run_differs(&e, &o, "record");
}

static void test_cmp_at(void **state)
{
	(void)state;
	struct oracle_expect_at ok = { .pa = 0x57701000 };
	struct oracle_expect_at tf = { .fault = true, .fst = 0x06 };
	struct oracle_rec o = { .tag = 'A', .par = 0x57701b00 };
	struct oracle_diff d;

	assert_true(oracle_cmp_at(&ok, &o, &d));
	o.par = 0x57702b00;
	at_differs(&ok, &o, "at.par.pa");
	/* PAR_EL1: F=1, FST=0b000110 (translation level 2), S=1 */
	o.par = 0xa0d;
	assert_true(oracle_cmp_at(&tf, &o, &d));
	at_differs(&ok, &o, "at.par.f");
	o.par = 0x80d;	/* S=0: a Stage-1 fault */
	at_differs(&tf, &o, "at.par.fst");
	/* the walk's external abort is an exception, not a PAR value */
	struct oracle_expect_at ex = { .exception = true, .esr = 0x96000155, .far = 0x1000 };
	o = (struct oracle_rec){ .tag = 'A', .par = 0xa09, .esr = 0x96000155, .far = 0x1000 };
	assert_true(oracle_cmp_at(&ex, &o, &d));
	o.esr = 0;
	at_differs(&ex, &o, "at.esr");
}

/* 16KB, IA 39, PS 36, start level 2 with 8 concatenated tables: valid
 * with a 52-bit implemented PA size, invalid if PS were the limit. */
static void test_classify_s2(void **state)
{
	(void)state;
	struct s2_config c;
	struct s2_result r = { .fault = S2_OK, .pa = 0x57701000 };
	struct oracle_s2_facts f;
	struct oracle_verdict v;
	struct oracle_diff d = { "run.esr.ec", 0x5a000001, 0x82000004, 0x04 };

	assert_int_equal(s2_config_init(0x8001b559ull, 0x44000000, S2_FEAT_ALL, 52, false, &c,
					NULL), 0);
	oracle_s2_facts(&c, &r, false, &f);
	assert_true(f.faults_if_ps_were_pamax);
	oracle_classify_s2(&f, &d, &v);
	assert_int_equal(v.cls, ORC_EMULATOR);
	assert_non_null(strstr(v.rule, "D8.1.10"));
	d.obs_fsc = 0x07;	/* not a level 0 fault: not this cause */
	oracle_classify_s2(&f, &d, &v);
	assert_int_equal(v.cls, ORC_UNSETTLED);
	/* 4KB, DS, SL2 (start level -1), IA 51, PS 52: consistent
	 * (AArch64.S2InconsistentSL), a level 0 fault is the emulator's */
	assert_int_equal(s2_config_init(0x38006350dull, 0x44000000, S2_FEAT_ALL, 52, false, &c,
					NULL), 0);
	assert_int_equal(c.start_level, -1);
	oracle_s2_facts(&c, &r, false, &f);
	d.obs_fsc = 0x04;
	oracle_classify_s2(&f, &d, &v);
	assert_int_equal(v.cls, ORC_EMULATOR);
	assert_non_null(strstr(v.rule, "S2InconsistentSL"));
	/* 16KB, DS, SL0 0b11 (start level 0), IA 50, PS 52 */
	assert_int_equal(s2_config_init(0x18006b5ceull, 0x44000000, S2_FEAT_ALL, 52, false, &c,
					NULL), 0);
	assert_int_equal(c.start_level, 0);
	oracle_s2_facts(&c, &r, false, &f);
	oracle_classify_s2(&f, &d, &v);
	assert_int_equal(v.cls, ORC_EMULATOR);
	assert_non_null(strstr(v.rule, "S2InvalidSL"));
	/* 4KB, IA 32, PS 40: nothing to blame on PS */
	assert_int_equal(s2_config_init(0x80020060ull | 32, 0x44000000, S2_FEAT_ALL, 52, false,
					&c, NULL), 0);
	oracle_s2_facts(&c, &r, false, &f);
	assert_false(f.faults_if_ps_were_pamax);
}

static void test_classify_syn(void **state)
{
	(void)state;
	struct insn d;
	struct oracle_verdict v;
	struct oracle_diff done = { "outcome", 0, 0, -1 };

	done.observed = oracle_esr_hvc(1);
	assert_int_equal(insn_decode(0xc8027c20, &d), 0);	/* STXR W2, X0, [X1] */
	oracle_classify_syn(&d, 0, &done, &v);
	assert_int_equal(v.cls, ORC_CU);
	assert_int_equal(insn_decode(0xf9400020, &d), 0);	/* LDR X0, [X1]: must abort */
	oracle_classify_syn(&d, 0, &done, &v);
	assert_int_equal(v.cls, ORC_UNSETTLED);
	struct oracle_diff ar = { "AR", 1, 0, 0x06 };
	assert_int_equal(insn_decode(0x889f7c20, &d), 0);	/* STLLR W0, [X1] */
	oracle_classify_syn(&d, 0, &ar, &v);
	assert_int_equal(v.cls, ORC_EMULATOR);
	assert_int_equal(insn_decode(0x889ffc20, &d), 0);	/* STLR W0, [X1] */
	oracle_classify_syn(&d, 0, &ar, &v);
	assert_int_equal(v.cls, ORC_UNSETTLED);
	struct oracle_diff esr = { "esr", 0, 0, -1 };
	oracle_classify_trap("MDCR_EL2.TPMCR", true, &esr, &v);
	assert_int_equal(v.cls, ORC_EMULATOR);
	oracle_classify_trap("MDCR_EL2.TPMCR", false, &esr, &v);
	assert_int_equal(v.cls, ORC_UNSETTLED);
	oracle_classify_trap("HCR_EL2.TWE", true, &esr, &v);
	assert_int_equal(v.cls, ORC_CU);
}

/* Cases are a function of (seed, index); their tables are walkable, the
 * accesses inside the IPA space or just above it. */
static void test_s2_gen(void **state)
{
	(void)state;
	struct oracle_s2_env e = { S2_FEAT_ALL & ~(S2_FEAT_S2PIE | S2_FEAT_S2POE), 52 };
	struct oracle_s2_case *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	unsigned granules = 0, bad = 0;

	assert_non_null(a);
	assert_non_null(b);
	for (uint64_t i = 0; i < 200; i++) {
		assert_int_equal(oracle_s2_case_gen(&e, 7, i, a), 0);
		assert_int_equal(oracle_s2_case_gen(&e, 7, i, b), 0);
		assert_int_equal(a->vtcr, b->vtcr);
		assert_int_equal(a->nacc, b->nacc);
		assert_int_equal(a->used, b->used);
		assert_memory_equal(a->buf, b->buf, a->used);
		assert_true(a->nacc > 0);
		granules |= 1u << (a->cfg.granule_bits - 12);
		bad += a->cfg.fault_rule != NULL;
		for (unsigned k = 0; k < a->nacc; k++)
			assert_true(a->acc[k].ipa >> a->cfg.ia_bits <= 1);
	}
	assert_int_equal(granules, 1u | 4u | 16u);	/* 4K, 16K, 64K */
	assert_true(bad > 0 && bad < 100);
	free(a);
	free(b);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_cmp_run),
	cmocka_unit_test(test_cmp_at),
	cmocka_unit_test(test_classify_s2),
	cmocka_unit_test(test_classify_syn),
	cmocka_unit_test(test_s2_gen))
