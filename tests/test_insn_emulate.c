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

/* ---- hand-worked cases as data ------------------------------------------
 * A case sets registers and memory on the fresh machine of setup_mem(),
 * emulates one instruction (which must succeed) and checks values after.
 * A value is named by where it lives: x[n], SP, PC, the low or high half
 * of v[n], the memory byte or little-endian 64-bit word at offset n, the
 * number of bus accesses, or the address, size or direction of access n. */
enum where {
	W_NONE, W_X, W_SP, W_PC, W_VLO, W_VHI, W_MEM8, W_MEM64,
	W_NACC, W_ACC_ADDR, W_ACC_SIZE, W_ACC_WRITE
};

/* What a wanted value is: the number itself, or computed from the memory
 * word at offset v as it is when checked (64 bits, the low 32 bits, or
 * the low 32 bits sign-extended). */
enum from { LIT, MEM64, MEM32, MEM32S };

struct val {
	enum where w;
	unsigned n;
	enum from f;	/* wanted values only */
	uint64_t v;
};

struct emu_case {
	uint32_t insn;
	struct val set[4];
	struct val want[6];
};

static uint64_t get(const struct insn_regs *r, enum where w, unsigned n)
{
	switch (w) {
	case W_X: return r->x[n];
	case W_SP: return r->sp;
	case W_PC: return r->pc;
	case W_VLO: return r->v[n][0];
	case W_VHI: return r->v[n][1];
	case W_MEM8: return F.mem[n];
	case W_MEM64: return le64(n);
	case W_NACC: return F.n;
	case W_ACC_ADDR: return F.log[n].addr;
	case W_ACC_SIZE: return F.log[n].size;
	case W_ACC_WRITE: return F.log[n].write;
	case W_NONE: break;
	}
	fail_msg("no value at %d", (int)w);
	return 0;
}

static void put_val(struct insn_regs *r, const struct val *s)
{
	switch (s->w) {
	case W_X: r->x[s->n] = s->v; break;
	case W_SP: r->sp = s->v; break;
	case W_PC: r->pc = s->v; break;
	case W_VLO: r->v[s->n][0] = s->v; break;
	case W_VHI: r->v[s->n][1] = s->v; break;
	case W_MEM8: F.mem[s->n] = (uint8_t)s->v; break;
	default: fail_msg("cannot set %d", (int)s->w);
	}
}

static uint64_t wanted(const struct val *w)
{
	switch (w->f) {
	case MEM64: return le64((unsigned)w->v);
	case MEM32: return (uint32_t)le64((unsigned)w->v);
	case MEM32S: return (uint64_t)(int64_t)(int32_t)(uint32_t)le64((unsigned)w->v);
	case LIT: break;
	}
	return w->v;
}

/* One case (the test's state). */
static void test_case(void **st)
{
	const struct emu_case *c = *st;
	struct insn_regs r;

	setup_mem(&r);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(c->set) && c->set[i].w; i++)
		put_val(&r, &c->set[i]);
	assert_int_equal(insn_emulate(c->insn, &r, &BUS), 0);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(c->want) && c->want[i].w; i++)
		assert_int_equal(get(&r, c->want[i].w, c->want[i].n), wanted(&c->want[i]));
}

/* LDR X1, [X2, #8]: X1 = Mem[X2+8, 8]. */
static const struct emu_case LDR_UIMM = { 0xf9400441,
	{ { W_X, 2, LIT, MEM_BASE + 0x10 } },
	{ { W_X, 1, MEM64, 0x18 }, { W_PC, 0, LIT, 0x4004 }, { W_NACC, 0, LIT, 1 },
	  { W_ACC_ADDR, 0, LIT, MEM_BASE + 0x18 }, { W_ACC_SIZE, 0, LIT, 8 } } };

/* LDRSB W3, [X4, #-1]!: W3 = SignExtend(byte), X3[63:32] = 0, X4 -= 1;
 * mem[0x20] = 0xa0 -> sign-extended to 32 bits, upper zero. */
static const struct emu_case LDRSB_PRE = { 0x38dffc83,
	{ { W_X, 4, LIT, MEM_BASE + 0x21 }, { W_X, 3, LIT, ~UINT64_C(0) } },
	{ { W_X, 3, LIT, 0xffffffa0u }, { W_X, 4, LIT, MEM_BASE + 0x20 } } };

/* LDRSH X5, [X6], #2: address X6, then X6 += 2; X5 = SExt64(half):
 * bytes 0x82 0x83 -> 0x8382 -> negative. */
static const struct emu_case LDRSH_POST = { 0x788024c5,
	{ { W_X, 6, LIT, MEM_BASE + 0x2 } },
	{ { W_X, 5, LIT, UINT64_C(0xffffffffffff8382) }, { W_X, 6, LIT, MEM_BASE + 0x4 },
	  { W_ACC_ADDR, 0, LIT, MEM_BASE + 0x2 } } };

/* STR W7, [SP, #4]: Rn = 31 is SP; 4 bytes of W7. */
static const struct emu_case STR_SP = { 0xb90007e7,
	{ { W_SP, 0, LIT, MEM_BASE + 0x100 }, { W_X, 7, LIT, UINT64_C(0x1122334455667788) } },
	{ { W_ACC_ADDR, 0, LIT, MEM_BASE + 0x104 }, { W_ACC_SIZE, 0, LIT, 4 },
	  { W_ACC_WRITE, 0, LIT, true }, { W_MEM8, 0x104, LIT, 0x88 }, { W_MEM8, 0x107, LIT, 0x55 },
	  { W_MEM8, 0x108, LIT, (uint8_t)(0x80 + 0x108) } } };

/* LDR W8, [X9, W10, SXTW #2]: offset = SExt(W10) << 2, W10 = -2. */
static const struct emu_case LDR_REGOFF = { 0xb86ad928,
	{ { W_X, 9, LIT, MEM_BASE + 0x40 }, { W_X, 10, LIT, UINT64_C(0xdeadbeeffffffffe) } },
	{ { W_ACC_ADDR, 0, LIT, MEM_BASE + 0x38 }, { W_X, 8, MEM32, 0x38 } } };

/* LDP X1, X2, [X3, #16]!: two 8-byte loads, X3 += 16. */
static const struct emu_case LDP_PRE = { 0xa9c10861,
	{ { W_X, 3, LIT, MEM_BASE } },
	{ { W_X, 1, MEM64, 0x10 }, { W_X, 2, MEM64, 0x18 }, { W_X, 3, LIT, MEM_BASE + 0x10 } } };

/* LDPSW X4, X5, [X6], #-8: two sign-extended words, X6 -= 8. */
static const struct emu_case LDPSW_POST = { 0x68ff14c4,
	{ { W_X, 6, LIT, MEM_BASE + 0x40 } },
	{ { W_X, 4, MEM32S, 0x40 }, { W_X, 5, MEM32S, 0x44 }, { W_X, 6, LIT, MEM_BASE + 0x38 } } };

/* STLXR W3, X4, [X5]: store 8 bytes, status W3 = 0 (monitor passes). */
static const struct emu_case STLXR = { 0xc803fca4,
	{ { W_X, 5, LIT, MEM_BASE + 0x80 }, { W_X, 4, LIT, UINT64_C(0x0102030405060708) },
	  { W_X, 3, LIT, 77 } },
	{ { W_MEM64, 0x80, LIT, UINT64_C(0x0102030405060708) }, { W_X, 3, LIT, 0 } } };

/* LDUMAXB W1, W2, [X3] (0x38216062): compares X[s, 8] = 0x01 with the
 * byte, not the whole X1 (Arm ARM C6.2 LDUMAXB: value = X[s, datasize]);
 * the memory byte is 0x90 > 0x01: max(0x90, 0x01) stays. */
static const struct emu_case LDUMAXB_TRUNCATES = { 0x38216062,
	{ { W_X, 3, LIT, MEM_BASE + 0x10 }, { W_X, 1, LIT, UINT64_C(0xffffffffffffff01) } },
	{ { W_MEM8, 0x10, LIT, 0x90 }, { W_X, 2, LIT, 0x90 } } };

/* LDSMAXH W1, W2, [X3] (0x78214062): signed 16-bit compare of two
 * negative values; -7137 (0xe41f) > -15489 (0xc37f); X2 = the old value,
 * zero-extended. */
static const struct emu_case LDSMAXH_NEGATIVE = { 0x78214062,
	{ { W_X, 3, LIT, MEM_BASE + 0x20 }, { W_MEM8, 0x20, LIT, 0x7f }, { W_MEM8, 0x21, LIT, 0xc3 },
	  { W_X, 1, LIT, 0xe41f } },
	{ { W_MEM8, 0x20, LIT, 0x1f }, { W_MEM8, 0x21, LIT, 0xe4 }, { W_X, 2, LIT, 0xc37f } } };

/* LDR Q1, [X2, #16]: 16 bytes into V1. */
static const struct emu_case LDR_Q = { 0x3dc00441,
	{ { W_X, 2, LIT, MEM_BASE } },
	{ { W_VLO, 1, MEM64, 0x10 }, { W_VHI, 1, MEM64, 0x18 } } };

/* LD1 {V0.4S, V1.4S}, [X1], #32: 8 word accesses in order, X1 += 32. */
static const struct emu_case LD1_MULT_POST = { 0x4cdfa820,
	{ { W_X, 1, LIT, MEM_BASE + 0x100 } },
	{ { W_NACC, 0, LIT, 8 }, { W_ACC_ADDR, 7, LIT, MEM_BASE + 0x11c }, { W_VLO, 0, MEM64, 0x100 },
	  { W_VHI, 1, MEM64, 0x118 }, { W_X, 1, LIT, MEM_BASE + 0x120 } } };

/* DC ZVA, X5: 64 zero bytes at X5 aligned down to 64. */
static const struct emu_case DC_ZVA = { 0xd50b7425,
	{ { W_X, 5, LIT, MEM_BASE + 0x47 } },
	{ { W_ACC_ADDR, 0, LIT, MEM_BASE + 0x40 }, { W_ACC_SIZE, 0, LIT, 64 },
	  { W_MEM64, 0x40, LIT, 0 }, { W_MEM64, 0x78, LIT, 0 }, { W_MEM8, 0x81, LIT, 0x01 } } };

/* LDR X1, <pc+8>: literal, PC-relative. */
static const struct emu_case LDR_LITERAL = { 0x58000041,
	{ { W_PC, 0, LIT, MEM_BASE + 0x200 } },
	{ { W_X, 1, MEM64, 0x208 }, { W_PC, 0, LIT, MEM_BASE + 0x204 } } };

/* LDADD W1, W2, [X3]: W2 = old, mem = old + W1. */
static void test_ldadd(void **st)
{
	struct insn_regs r;
	uint32_t old;

	(void)st;
	setup_mem(&r);
	old = (uint32_t)le64(0x20);
	r.x[1] = 0x100000001u;	/* W1 = 1 */
	r.x[3] = MEM_BASE + 0x20;
	assert_int_equal(insn_emulate(0xb8210062, &r, &BUS), 0);
	assert_int_equal(r.x[2], old);
	assert_int_equal((uint32_t)le64(0x20), old + 1);
	assert_int_equal(F.n, 2);
	assert_false(F.log[0].write);
	assert_true(F.log[1].write);
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

/* A case of the table as the test of this name. */
#define EMU_CASE(name, c) HVX_TEST_STATE(#name, test_case, &c)

HVX_TEST_MAIN(NULL, NULL,
	EMU_CASE(test_ldr_uimm, LDR_UIMM),
	EMU_CASE(test_ldrsb_pre, LDRSB_PRE),
	EMU_CASE(test_ldrsh_post, LDRSH_POST),
	EMU_CASE(test_str_sp, STR_SP),
	EMU_CASE(test_ldr_regoff, LDR_REGOFF),
	EMU_CASE(test_ldp_pre, LDP_PRE),
	EMU_CASE(test_ldpsw_post, LDPSW_POST),
	EMU_CASE(test_stlxr, STLXR),
	cmocka_unit_test(test_ldadd),
	EMU_CASE(test_ldumaxb_truncates, LDUMAXB_TRUNCATES),
	EMU_CASE(test_ldsmaxh_negative, LDSMAXH_NEGATIVE),
	cmocka_unit_test(test_casal),
	EMU_CASE(test_ldr_q, LDR_Q),
	EMU_CASE(test_ld1_mult_post, LD1_MULT_POST),
	cmocka_unit_test(test_ld1_lane),
	EMU_CASE(test_dc_zva, DC_ZVA),
	EMU_CASE(test_ldr_literal, LDR_LITERAL),
	cmocka_unit_test(test_bus_error),
	cmocka_unit_test(test_rejects),
	cmocka_unit_test(test_regs_written))
