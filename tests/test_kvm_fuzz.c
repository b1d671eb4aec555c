/*
 * Unit tests for the host half of `hvexit kvm fuzz` (harness/kvm/
 * kvm_fuzz_{gen,pred,dev,check}.c; the KVM half runs in make
 * kvm-fuzz-check): generated steps are valid and land where they must,
 * the code layout puts each instruction where the step says, the
 * prediction follows the architecture, and the checks classify what KVM
 * could show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "harness/kvm/kvm_fuzz.h"
#include "harness/report/report.h"

static struct kf_caps caps(void)
{
	struct kf_caps c;

	memset(&c, 0, sizeof(c));
	c.nisv = c.ext_dabt = true;
	for (unsigned i = 0; i < 56; i += 3) {
		c.id_have[i] = true;
		c.id_val[i] = 0x1111 * i;
	}
	c.gic = true;
	c.gic_it_lines = 7;
	return c;
}

static void window(enum kf_target t, uint64_t *lo, uint64_t *hi)
{
	*lo = t == KF_T_RAM ? FZ_RAM_BASE : t == KF_T_SEQ ? FZ_DEV_BASE + FZ_DEV_SEQ : FZ_DEV_BASE;
	*hi = t == KF_T_RAM ? FZ_RAM_BASE + FZ_WIN_SIZE : t == KF_T_SEQ ? FZ_DEV_BASE + FZ_DEV_SIZE :
	      FZ_DEV_BASE + FZ_DEV_SEQ;
}

/* Every load/store step decodes, is not CONSTRAINED UNPREDICTABLE, and
 * its accesses are aligned and inside its target; the other kinds are
 * what they claim; a step depends only on (seed, index). */
static void test_gen_valid(void **state)
{
	struct kf_caps c = caps();
	unsigned kinds[KF_KIND_COUNT] = { 0 }, rt31 = 0, simd = 0, wb = 0, pair = 0;

	(void)state;
	for (uint64_t k = 0; k < 6000; k++) {
		struct kf_step s, again;
		struct insn d;
		struct insn_access acc[64];
		uint64_t lo, hi;
		int n;

		kf_gen_step(42, k, &c, &s);
		kf_gen_step(42, k, &c, &again);
		assert_int_equal(s.word, again.word);
		assert_memory_equal(s.in.x, again.in.x, sizeof(s.in.x));
		kinds[s.kind]++;
		if (s.kind == KF_HVC || s.kind == KF_SMC) {
			unsigned owner = (unsigned)(s.in.x[0] >> 24) & 0x3f;

			assert_true(s.in.x[0] >> 31 & 1);	/* fast call */
			assert_true(owner == 2 || owner == 3 || owner >= 50);
			continue;
		}
		if (s.kind == KF_SYSREG) {
			assert_int_equal(s.word & 0xFFFFF000u, 0xD5380000u);	/* MRS S3_0_C0_* */
			assert_true(((s.word >> 8) & 15) >= 1 && ((s.word >> 8) & 15) <= 7);
			assert_true(c.id_have[((s.word >> 8) & 15) * 8 - 8 + ((s.word >> 5) & 7)]);
			continue;
		}
		if (s.kind == KF_GIC) {
			assert_true(s.gic_off >= 0x084 && s.gic_off < 0x800);
			assert_int_equal(s.gic_off % s.gic_size, 0);
			assert_int_equal(s.in.x[(s.word >> 5) & 31], 0x08000000u + s.gic_off);
			continue;
		}
		assert_int_equal(insn_decode(s.word, &d), 0);
		assert_false(d.unpredictable);
		window(s.target, &lo, &hi);
		n = insn_accesses(&d, &s.in, acc, 64);
		assert_true(n >= 1);
		assert_int_equal(acc[0].addr, s.ea);
		for (int i = 0; i < n; i++) {
			assert_true(acc[i].addr >= lo && acc[i].addr + acc[i].size <= hi);
			assert_int_equal(acc[i].addr % (acc[i].size > 8 ? 8 : acc[i].size), 0);
		}
		if (d.rn == INSN_REG_SP)
			assert_int_equal(s.in.sp % 16, 0);
		if (s.target == KF_T_RAM)
			assert_false(d.exclusive || d.atomic || d.cls == INSN_C_CAS ||
				     d.cls == INSN_C_CASP);
		rt31 += d.rt == 31;
		simd += d.simd;
		wb += d.writeback;
		pair += d.pair;
	}
	/* the mix reaches every kind and the forms the issue names */
	for (unsigned i = 0; i < KF_KIND_COUNT; i++)
		assert_true(kinds[i] > 100);
	assert_true(rt31 > 100 && simd > 100 && wb > 100 && pair > 100);
}

/* The instruction under test sits where the step says, the inputs are
 * in its slot, and the batch ends by branching to batch_end. */
static void test_emit_layout(void **state)
{
	struct kf_caps c = caps();
	struct kf_step s[40];
	uint8_t *code = calloc(1, FZ_CODE_SIZE);
	uint64_t tail;

	(void)state;
	assert_non_null(code);
	for (unsigned i = 0; i < 40; i++)
		kf_gen_step(7, 1000 + i, &c, &s[i]);
	tail = kf_emit_batch(code, s, 40);
	assert_true(tail > FZ_CODE_BASE && tail < FZ_CODE_BASE + FZ_IN_OFF);
	for (unsigned i = 0; i < 40; i++) {
		uint64_t at = s[i].in.pc - FZ_CODE_BASE;

		assert_int_equal(hvx_get_le(code + at, 4), s[i].word);
		if (s[i].word2)
			assert_int_equal(hvx_get_le(code + at + 4, 4), s[i].word2);
		assert_int_equal(hvx_get_le(code + (s[i].in_gpa - FZ_CODE_BASE) + 8 * 7, 8), s[i].in.x[7]);
		assert_int_equal(hvx_get_le(code + (s[i].in_gpa - FZ_CODE_BASE) + 248, 8), s[i].in.sp);
		assert_true(i == 0 || s[i].blk > s[i - 1].blk);
	}
	/* MOVZ X30, #FZ_BATCH_END; BR X30 */
	assert_int_equal(hvx_get_le(code + (tail - FZ_CODE_BASE), 4), 0xD2800000u | FZ_BATCH_END << 5 | 30);
	assert_int_equal(hvx_get_le(code + (tail - FZ_CODE_BASE) + 4, 4), 0xD61F03C0u);
	assert_int_equal(kf_emit_batch(code, s, KF_MAX_BATCH + 1), 0);
	free(code);
}

/* A device load step made by hand. */
static struct kf_step load_step(uint32_t word, unsigned rn, uint64_t off)
{
	struct kf_step s;

	memset(&s, 0, sizeof(s));
	s.kind = KF_LDST;
	s.target = KF_T_DEV;
	s.word = word;
	assert_int_equal(insn_decode(word, &s.d), 0);
	for (unsigned i = 0; i < 31; i++)
		s.in.x[i] = 0x0101010101010101u * i;
	s.in.sp = FZ_RAM_BASE + 0x4000;
	s.in.pc = FZ_CODE_BASE + 0x90;
	s.ea = FZ_DEV_BASE + off;
	s.in.x[rn] = s.ea;
	return s;
}

static struct kf_pred *pred_state(void)
{
	struct kf_pred *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	kf_dev_reset(&p->dev, 3);
	return p;
}

/* LDRSB X1, [X2] with the byte 0x80 in the device: the engine (ISV=1,
 * SSE=1) sign-extends (C6.2 LDRSB); one 1-byte read. */
static void test_predict_signed_load(void **state)
{
	struct kf_caps c = caps();
	struct kf_pred *p = pred_state();
	struct kf_step s = load_step(0x39800041u, 2, 0x10);

	(void)state;
	p->dev.mem[0x10] = 0x80;
	kf_predict(&s, p, &c);
	assert_string_equal(s.note, "");
	assert_true(s.via_engine);
	assert_int_equal(s.expect, KF_X_RESUME);
	assert_int_equal(s.out.x[1], 0xffffffffffffff80u);
	assert_int_equal(s.out.pc, s.in.pc + 4);
	assert_int_equal(s.acc.n, 1);
	assert_int_equal(s.acc.a[0].addr, s.ea);
	assert_int_equal(s.acc.a[0].size, 1);
	assert_false(s.acc.a[0].write);
	assert_int_equal(s.acc.a[0].data, 0x80);
	free(p);
}

static struct kf_obs obs_from(const struct kf_step *s)
{
	struct kf_obs o;

	memset(&o, 0, sizeof(o));
	o.acc = s->acc;
	o.rep = s->out;
	o.has_rep = true;
	o.mmio_exits = s->acc.n;
	return o;
}

/* What the check tests share: the capabilities, a prediction state, a
 * report with one case open and the check context writing to it. */
struct check_fx {
	struct kf_caps c;
	struct kf_pred *p;
	struct report *r;
	struct kf_check_ctx ctx;
};

/* cmocka setup and teardown of a check_fx in *state (seed 0). */
static int check_setup(void **state)
{
	struct check_fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->c = caps();
	f->p = pred_state();
	f->r = report_new("kvm", "test");
	if (!f->r) {
		free(f->p);
		free(f);
		return -1;
	}
	f->ctx.rep = f->r;
	report_case_begin(f->r, "t", "t");
	*state = f;
	return 0;
}

/* Checks the step against o; the report then holds want findings. */
static void check_findings(struct check_fx *f, const struct kf_step *s, const struct kf_obs *o,
			   unsigned want)
{
	kf_check_step(&f->ctx, s, o);
	assert_int_equal(f->ctx.findings, want);
}

static int check_teardown(void **state)
{
	struct check_fx *f = *state;

	report_case_end(f->r, REPORT_PASS, NULL);
	report_free(f->r);
	free(f->p);
	free(f);
	return 0;
}

/* The observation equal to the prediction passes; the register holding
 * the zero-extended data is the one sign-extension cluster; another wrong
 * value is a different cluster. */
static void test_check_sign_extension(void **state)
{
	struct check_fx *f = *state;
	struct kf_step s = load_step(0x39800041u, 2, 0x10);
	struct kf_obs o;

	f->ctx.seed = 5;
	f->p->dev.mem[0x10] = 0x80;
	kf_predict(&s, f->p, &f->c);
	o = obs_from(&s);
	assert_true(kf_check_step(&f->ctx, &s, &o));
	assert_int_equal(f->ctx.findings, 0);
	o.rep.x[1] = 0x80;
	assert_true(kf_check_step(&f->ctx, &s, &o));
	assert_int_equal(f->ctx.findings, 1);
	assert_string_equal(f->r->cl[0].first.cluster, "mmio-load-sign-extension");
	assert_string_equal(f->r->cl[0].first.field, "Rt");
	assert_non_null(strstr(f->r->cl[0].first.reproduce, "--seed 5 --steps 1 --step 0"));
	o.rep.x[1] = 0x81;
	check_findings(f, &s, &o, 2);
	assert_string_equal(f->r->cl[1].first.cluster, "transfer:uimm:load:mmio");
	/* an access KVM repeated: the batch can no longer be trusted */
	o = obs_from(&s);
	o.acc.a[o.acc.n++] = s.acc.a[0];
	assert_false(kf_check_step(&f->ctx, &s, &o));
}

/* STXR W3, X4, [X5] to the device: the external abort after an ISV=0
 * exit, or (IMPLEMENTATION DEFINED, C6.2 STXR) no abort, no store and
 * status 1. */
static void test_check_store_exclusive(void **state)
{
	struct check_fx *f = *state;
	struct kf_step s = load_step(0xC8037CA4u, 5, 0x40);
	struct kf_obs o;

	kf_predict(&s, f->p, &f->c);
	assert_int_equal(s.expect, KF_X_EXTABT);
	/* the abort path */
	memset(&o, 0, sizeof(o));
	o.nisv_exits = 1;
	o.nisv_iss = 1u << 6 | 0x07;		/* WnR, translation fault L3 */
	o.nisv_ipa = s.ea;
	o.exc = true;
	o.esr = 0x96000010u;			/* EC 0x25, IL, DFSC 0x10 */
	o.far = s.ea;
	o.elr = s.in.pc;
	o.vec = 0x200;
	check_findings(f, &s, &o, 0);
	o.vec = 0x0;				/* the wrong vector */
	check_findings(f, &s, &o, 1);
	/* the failed-monitor path */
	memset(&o, 0, sizeof(o));
	o.has_rep = true;
	o.rep = s.in;
	o.rep.x[3] = 1;
	check_findings(f, &s, &o, 1);
	assert_int_equal(f->ctx.stx_failed, 1);
	o.rep.x[3] = 0;				/* "stored" without a monitor */
	check_findings(f, &s, &o, 2);
}

/* HVC with an unknown SMCCC ID: NOT_SUPPORTED in X0, X1-X3 not compared,
 * X4 must be kept. */
static void test_smccc(void **state)
{
	struct check_fx *f = *state;
	struct kf_step s;
	struct kf_obs o;
	uint64_t k = 0;

	do
		kf_gen_step(9, k++, &f->c, &s);
	while (s.kind != KF_HVC || s.smc32);
	s.in.pc = FZ_CODE_BASE + 0x90;
	kf_predict(&s, f->p, &f->c);
	assert_string_equal(s.note, "");
	assert_int_equal(s.out.x[0], UINT64_MAX);
	assert_int_equal(s.out.x[4], s.in.x[4]);
	memset(&o, 0, sizeof(o));
	o.has_rep = true;
	o.rep = s.out;
	o.rep.x[2] = 0;
	check_findings(f, &s, &o, 0);
	o.rep.x[4] ^= 1;
	check_findings(f, &s, &o, 1);
	assert_string_equal(f->r->cl[0].first.field, "X4-X30");
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_gen_valid),
	cmocka_unit_test(test_emit_layout),
	cmocka_unit_test(test_predict_signed_load),
	cmocka_unit_test_setup_teardown(test_check_sign_extension, check_setup, check_teardown),
	cmocka_unit_test_setup_teardown(test_check_store_exclusive, check_setup, check_teardown),
	cmocka_unit_test_setup_teardown(test_smccc, check_setup, check_teardown))
