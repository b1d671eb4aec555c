/*
 * insn_emulate: hand-worked cases. Encodings from aarch64-linux-gnu-as;
 * expected results worked out from the Arm ARM C6.2 pseudocode of each
 * instruction (addressing, extension, writeback), not from our decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/insn.h"

#define MEM_BASE 0x10000u
#define MEM_SIZE 0x1000u

struct fake {
	uint8_t mem[MEM_SIZE];
	struct insn_access log[80];
	unsigned n;
	int fail;
};

static int fk_read(void *ctx, uint64_t a, unsigned size, uint8_t *buf)
{
	struct fake *f = ctx;

	if (f->fail)
		return f->fail;
	assert_true(a >= MEM_BASE && a + size <= MEM_BASE + MEM_SIZE);
	memcpy(buf, f->mem + (a - MEM_BASE), size);
	if (f->n < 80)
		f->log[f->n++] = (struct insn_access){ a, (uint8_t)size, false };
	return 0;
}

static int fk_write(void *ctx, uint64_t a, unsigned size, const uint8_t *buf)
{
	struct fake *f = ctx;

	if (f->fail)
		return f->fail;
	assert_true(a >= MEM_BASE && a + size <= MEM_BASE + MEM_SIZE);
	memcpy(f->mem + (a - MEM_BASE), buf, size);
	if (f->n < 80)
		f->log[f->n++] = (struct insn_access){ a, (uint8_t)size, true };
	return 0;
}

static struct fake F;
static struct insn_bus BUS = { fk_read, fk_write, &F };

static void setup_mem(struct insn_regs *r)
{
	unsigned i;

	memset(&F, 0, sizeof(F));
	for (i = 0; i < MEM_SIZE; i++)
		F.mem[i] = (uint8_t)(0x80 + i);
	memset(r, 0, sizeof(*r));
	r->pc = 0x4000;
}

static uint64_t le64(unsigned off)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | F.mem[off + (unsigned)i];
	return v;
}

/* LDR X1, [X2, #8]: X1 = Mem[X2+8, 8]. */
static void test_ldr_uimm(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[2] = MEM_BASE + 0x10;
	assert_int_equal(insn_emulate(0xf9400441, &r, &BUS), 0);
	assert_int_equal(r.x[1], le64(0x18));
	assert_int_equal(r.pc, 0x4004);
	assert_int_equal(F.n, 1);
	assert_int_equal(F.log[0].addr, MEM_BASE + 0x18);
	assert_int_equal(F.log[0].size, 8);
}

/* LDRSB W3, [X4, #-1]!: W3 = SignExtend(byte), X3[63:32] = 0, X4 -= 1. */
static void test_ldrsb_pre(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[4] = MEM_BASE + 0x21;
	r.x[3] = ~UINT64_C(0);
	assert_int_equal(insn_emulate(0x38dffc83, &r, &BUS), 0);
	/* mem[0x20] = 0xa0 -> sign-extended to 32 bits, upper zero */
	assert_int_equal(r.x[3], 0xffffffa0u);
	assert_int_equal(r.x[4], MEM_BASE + 0x20);
}

/* LDRSH X5, [X6], #2: address X6, then X6 += 2; X5 = SExt64(half). */
static void test_ldrsh_post(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[6] = MEM_BASE + 0x2;
	assert_int_equal(insn_emulate(0x788024c5, &r, &BUS), 0);
	/* bytes 0x82 0x83 -> 0x8382 -> negative */
	assert_int_equal(r.x[5], UINT64_C(0xffffffffffff8382));
	assert_int_equal(r.x[6], MEM_BASE + 0x4);
	assert_int_equal(F.log[0].addr, MEM_BASE + 0x2);
}

/* STR W7, [SP, #4]: Rn = 31 is SP; 4 bytes of W7. */
static void test_str_sp(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.sp = MEM_BASE + 0x100;
	r.x[7] = UINT64_C(0x1122334455667788);
	assert_int_equal(insn_emulate(0xb90007e7, &r, &BUS), 0);
	assert_int_equal(F.log[0].addr, MEM_BASE + 0x104);
	assert_int_equal(F.log[0].size, 4);
	assert_true(F.log[0].write);
	assert_int_equal(F.mem[0x104], 0x88);
	assert_int_equal(F.mem[0x107], 0x55);
	assert_int_equal(F.mem[0x108], (uint8_t)(0x80 + 0x108));
}

/* LDR W8, [X9, W10, SXTW #2]: offset = SExt(W10) << 2. */
static void test_ldr_regoff(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[9] = MEM_BASE + 0x40;
	r.x[10] = UINT64_C(0xdeadbeeffffffffe);	/* W10 = -2 */
	assert_int_equal(insn_emulate(0xb86ad928, &r, &BUS), 0);
	assert_int_equal(F.log[0].addr, MEM_BASE + 0x38);
	assert_int_equal(r.x[8], (uint32_t)le64(0x38));
}

/* LDP X1, X2, [X3, #16]!: two 8-byte loads, X3 += 16. */
static void test_ldp_pre(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE;
	assert_int_equal(insn_emulate(0xa9c10861, &r, &BUS), 0);
	assert_int_equal(r.x[1], le64(0x10));
	assert_int_equal(r.x[2], le64(0x18));
	assert_int_equal(r.x[3], MEM_BASE + 0x10);
}

/* LDPSW X4, X5, [X6], #-8: two sign-extended words, X6 -= 8. */
static void test_ldpsw_post(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[6] = MEM_BASE + 0x40;
	assert_int_equal(insn_emulate(0x68ff14c4, &r, &BUS), 0);
	assert_int_equal(r.x[4], (uint64_t)(int64_t)(int32_t)(uint32_t)le64(0x40));
	assert_int_equal(r.x[5], (uint64_t)(int64_t)(int32_t)(uint32_t)le64(0x44));
	assert_int_equal(r.x[6], MEM_BASE + 0x38);
}

/* STLXR W3, X4, [X5]: store 8 bytes, status W3 = 0 (monitor passes). */
static void test_stlxr(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[5] = MEM_BASE + 0x80;
	r.x[4] = UINT64_C(0x0102030405060708);
	r.x[3] = 77;
	assert_int_equal(insn_emulate(0xc803fca4, &r, &BUS), 0);
	assert_int_equal(le64(0x80), UINT64_C(0x0102030405060708));
	assert_int_equal(r.x[3], 0);
}

/* LDADD W1, W2, [X3]: W2 = old, mem = old + W1. */
static void test_ldadd(void **st)
{
	struct insn_regs r;
	uint32_t old;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE + 0x20;
	r.x[1] = 0x100000001u;	/* W1 = 1 */
	old = (uint32_t)le64(0x20);
	assert_int_equal(insn_emulate(0xb8210062, &r, &BUS), 0);
	assert_int_equal(r.x[2], old);
	assert_int_equal((uint32_t)le64(0x20), old + 1);
	assert_int_equal(F.n, 2);
	assert_false(F.log[0].write);
	assert_true(F.log[1].write);
}

/* LDUMAXB W1, W2, [X3] (0x38216062): compares X[s, 8] = 0x01 with the
 * byte, not the whole X1 (Arm ARM C6.2 LDUMAXB: value = X[s, datasize]). */
static void test_ldumaxb_truncates(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE + 0x10;		/* mem byte = 0x90 */
	r.x[1] = UINT64_C(0xffffffffffffff01);	/* byte 0x01 < 0x90 */
	assert_int_equal(insn_emulate(0x38216062, &r, &BUS), 0);
	assert_int_equal(F.mem[0x10], 0x90);	/* max(0x90, 0x01) */
	assert_int_equal(r.x[2], 0x90);
}

/* LDSMAXH W1, W2, [X3] (0x78214062): signed 16-bit compare of two
 * negative values; -7137 (0xe41f) > -15489 (0xc37f). */
static void test_ldsmaxh_negative(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE + 0x20;
	F.mem[0x20] = 0x7f;
	F.mem[0x21] = 0xc3;
	r.x[1] = 0xe41f;
	assert_int_equal(insn_emulate(0x78214062, &r, &BUS), 0);
	assert_int_equal(F.mem[0x20], 0x1f);
	assert_int_equal(F.mem[0x21], 0xe4);
	assert_int_equal(r.x[2], 0xc37f);	/* old value, zero-extended */
}

/* CASAL X1, X2, [X3]: equal -> store X2; X1 = old either way. */
static void test_casal(void **st)
{
	struct insn_regs r;
	uint64_t old;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE + 0x30;
	old = le64(0x30);
	r.x[1] = old;
	r.x[2] = 42;
	assert_int_equal(insn_emulate(0xc8e1fc62, &r, &BUS), 0);
	assert_int_equal(le64(0x30), 42);
	assert_int_equal(r.x[1], old);
	/* not equal: no write, X1 = current value */
	r.x[1] = 5;
	r.pc = 0;
	F.n = 0;
	assert_int_equal(insn_emulate(0xc8e1fc62, &r, &BUS), 0);
	assert_int_equal(r.x[1], 42);
	assert_int_equal(F.n, 1);
}

/* LDR Q1, [X2, #16]: 16 bytes into V1. */
static void test_ldr_q(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[2] = MEM_BASE;
	assert_int_equal(insn_emulate(0x3dc00441, &r, &BUS), 0);
	assert_int_equal(r.v[1][0], le64(0x10));
	assert_int_equal(r.v[1][1], le64(0x18));
}

/* LD1 {V0.4S, V1.4S}, [X1], #32: 8 word accesses in order, X1 += 32. */
static void test_ld1_mult_post(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[1] = MEM_BASE + 0x100;
	assert_int_equal(insn_emulate(0x4cdfa820, &r, &BUS), 0);
	assert_int_equal(F.n, 8);
	assert_int_equal(F.log[7].addr, MEM_BASE + 0x11c);
	assert_int_equal(r.v[0][0], le64(0x100));
	assert_int_equal(r.v[1][1], le64(0x118));
	assert_int_equal(r.x[1], MEM_BASE + 0x120);
}

/* LD1 {V2.S}[1], [X3]: lane 1 only; the other lanes, including the
 * upper 64 bits, are kept (C6.3 LD1 (single structure): V[t, 128]). */
static void test_ld1_lane(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE;
	r.v[2][0] = UINT64_C(0x1111111122222222);
	r.v[2][1] = UINT64_C(0x3333333344444444);
	assert_int_equal(insn_emulate(0x0d409062, &r, &BUS), 0);
	assert_int_equal(r.v[2][0], ((uint64_t)(uint32_t)le64(0) << 32) | 0x22222222u);
	assert_int_equal(r.v[2][1], UINT64_C(0x3333333344444444));
}

/* DC ZVA, X5: 64 zero bytes at X5 aligned down to 64. */
static void test_dc_zva(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.x[5] = MEM_BASE + 0x47;
	assert_int_equal(insn_emulate(0xd50b7425, &r, &BUS), 0);
	assert_int_equal(F.log[0].addr, MEM_BASE + 0x40);
	assert_int_equal(F.log[0].size, 64);
	assert_int_equal(le64(0x40), 0);
	assert_int_equal(le64(0x78), 0);
	assert_int_equal(F.mem[0x81], 0x01);
}

/* LDR X1, <pc+8>: literal, PC-relative. */
static void test_ldr_literal(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	r.pc = MEM_BASE + 0x200;
	assert_int_equal(insn_emulate(0x58000041, &r, &BUS), 0);
	assert_int_equal(r.x[1], le64(0x208));
	assert_int_equal(r.pc, MEM_BASE + 0x204);
}

/* Bus error: registers unchanged, error passed through. */
static void test_bus_error(void **st)
{
	struct insn_regs r, before;

	(void)st;
	setup_mem(&r);
	r.x[3] = MEM_BASE;
	F.fail = -EFAULT;
	before = r;
	assert_int_equal(insn_emulate(0xa9c10861, &r, &BUS), -EFAULT);
	assert_memory_equal(&r, &before, sizeof(r));
}

/* Not a load/store (NOP) -> -ENOTSUP; LDR with writeback Rn == Rt ->
 * CONSTRAINED UNPREDICTABLE -> -EINVAL; LDP X1, X1 -> -EINVAL. */
static void test_rejects(void **st)
{
	struct insn_regs r;

	(void)st;
	setup_mem(&r);
	assert_int_equal(insn_emulate(0xd503201f, &r, &BUS), -ENOTSUP);
	/* ldr x1, [x1, #8]! = 0xf8408c21 */
	assert_int_equal(insn_emulate(0xf8408c21, &r, &BUS), -EINVAL);
	/* ldp x1, x1, [x2] = 0xa9400441 */
	assert_int_equal(insn_emulate(0xa9400441, &r, &BUS), -EINVAL);
	assert_int_equal(r.pc, 0x4000);
}

/* Registers written: LDP X1, X2, [X3, #16]! -> X1, X2, X3 (writeback);
 * STLXR W3, X4, [X5] -> W3; CASAL X1, X2, [X3] -> X1; LDR XZR is none. */
static void test_regs_written(void **st)
{
	struct insn d;
	struct insn_regw w[9];

	(void)st;
	assert_int_equal(insn_decode(0xa9c10861, &d), 0);
	assert_int_equal(insn_regs_written(&d, w, 9), 3);
	assert_int_equal(w[0].num, 1);
	assert_int_equal(w[1].num, 2);
	assert_int_equal(w[2].num, 3);
	assert_true(w[2].base);
	assert_int_equal(insn_regs_written(&d, w, 2), -ENOSPC);
	assert_int_equal(insn_decode(0xc803fca4, &d), 0);
	assert_int_equal(insn_regs_written(&d, w, 9), 1);
	assert_int_equal(w[0].num, 3);
	assert_false(w[0].is64);
	assert_int_equal(insn_decode(0xc8e1fc62, &d), 0);
	assert_int_equal(insn_regs_written(&d, w, 9), 1);
	assert_int_equal(w[0].num, 1);
	/* ldr xzr, [x1] = 0xf940003f */
	assert_int_equal(insn_decode(0xf940003f, &d), 0);
	assert_int_equal(insn_regs_written(&d, w, 9), 0);
	/* str x1, [sp, #-16]! = 0xf81f0fe1: SP writeback */
	assert_int_equal(insn_decode(0xf81f0fe1, &d), 0);
	assert_int_equal(insn_regs_written(&d, w, 9), 1);
	assert_int_equal(w[0].kind, 's');
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_ldr_uimm), cmocka_unit_test(test_ldrsb_pre),
	cmocka_unit_test(test_ldrsh_post), cmocka_unit_test(test_str_sp),
	cmocka_unit_test(test_ldr_regoff), cmocka_unit_test(test_ldp_pre),
	cmocka_unit_test(test_ldpsw_post), cmocka_unit_test(test_stlxr),
	cmocka_unit_test(test_ldadd), cmocka_unit_test(test_ldumaxb_truncates),
	cmocka_unit_test(test_ldsmaxh_negative), cmocka_unit_test(test_casal),
	cmocka_unit_test(test_ldr_q), cmocka_unit_test(test_ld1_mult_post),
	cmocka_unit_test(test_ld1_lane), cmocka_unit_test(test_dc_zva),
	cmocka_unit_test(test_ldr_literal), cmocka_unit_test(test_bus_error),
	cmocka_unit_test(test_rejects), cmocka_unit_test(test_regs_written))
