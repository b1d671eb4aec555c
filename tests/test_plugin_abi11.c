/* Plugin ABI 1.1 checks (harness/validate/plugin_check*.c): the load-value
 * causes, the register-file comparison of mmio_load_regs and the ISV=0
 * emulation reference, against values worked out by hand from Arm ARM
 * D24.2.46 (ESR_EL2 data abort ISS) and C6.2 (LDP, LDRSW, STR). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "harness/validate/plugin_check.h"

/* EC=0x24 IL=1 ISV=1 with SAS/SSE/SRT/SF placed per D24.2.46, DFSC 0x06. */
static uint64_t ld(unsigned sas, unsigned sse, unsigned srt, unsigned sf)
{
	return (UINT64_C(0x24) << 26) | (1u << 25) | (1u << 24) | (sas << 22) |
	       (sse << 21) | (srt << 16) | (sf << 15) | 0x06;
}

static void test_load_cause(void **state)
{
	char b[48];

	(void)state;
	/* LDRSB w1 of 0x80: 0xffffff80 wanted; 0x80 is the lost sign */
	assert_string_equal(check_load_cause(ld(0, 1, 1, 0), 0x80, 0, 0xffffff80,
					     0x80, b, sizeof(b)), "sign-extension-lost");
	/* LDRSW x3 of 0x80000000 read back zero-extended: the same cause */
	assert_string_equal(check_load_cause(ld(2, 1, 3, 1), 0x80000000, 0,
					     0xffffffff80000000, 0x80000000, b,
					     sizeof(b)), "sign-extension-lost");
	/* LDRSH w2 (SF=0) extended to 64 bits */
	assert_string_equal(check_load_cause(ld(1, 1, 2, 0), 0x8000, 0, 0xffff8000,
					     0xffffffffffff8000, b, sizeof(b)),
			    "sign-extended-to-64");
	/* LDRB w1 keeping the bus bits above the byte */
	assert_string_equal(check_load_cause(ld(0, 0, 1, 0), 0x1234, 0, 0x34,
					     0x1234, b, sizeof(b)), "bus-bits-above-size");
	/* LDR w4 leaving the old upper half of x4 */
	assert_string_equal(check_load_cause(ld(2, 0, 4, 0), 0x11223344,
					     0xaabbccdd00000000, 0x11223344,
					     0xaabbccdd11223344, b, sizeof(b)),
			    "w-upper-kept");
}

static void test_cmp_load_regs(void **state)
{
	struct hvx_regs in, out;
	unsigned cmp, fail;
	char e[RF_COUNT][32], a[RF_COUNT][32];

	(void)state;
	memset(&in, 0, sizeof(in));
	for (unsigned i = 0; i < 31; i++)
		in.x[i] = 0x1000 + i;
	in.sp = 0x8000;
	in.pc = 0x40000000;
	/* LDRSH x7 of 0x8001: x7 = 0xffffffffffff8001, PC may advance */
	out = in;
	out.x[7] = 0xffffffffffff8001;
	out.pc += 4;
	fail = check_cmp_load_regs(ld(1, 1, 7, 1), 0x8001, &in, 0, &out, &cmp, e, a);
	assert_int_equal(fail, 0);
	assert_true(cmp >> RF_XT & 1);
	/* ... zero-extended instead, and x8 clobbered */
	out.x[7] = 0x8001;
	out.x[8] = 0;
	fail = check_cmp_load_regs(ld(1, 1, 7, 1), 0x8001, &in, 0, &out, &cmp, e, a);
	assert_int_equal(fail, 1u << RF_XT | 1u << RF_OTHER);
	assert_string_equal(a[RF_OTHER], "x8=0x0");
	/* LDR wzr (SRT=31): nothing may change; writing SP is a finding */
	out = in;
	out.sp = 0x12345678;
	fail = check_cmp_load_regs(ld(2, 0, 31, 0), 0x12345678, &in, 0, &out, &cmp,
				   e, a);
	assert_int_equal(fail, 1u << RF_SP);
	/* a refusal of a load is a finding of return only */
	fail = check_cmp_load_regs(ld(2, 0, 1, 0), 0, &in, -1, &in, &cmp, e, a);
	assert_int_equal(fail, 1u << RF_RETURN);
	assert_int_equal(cmp, 1u << RF_RETURN);
}

/* LDP x1, x2, [x3], #16 (C6.2 LDP, post-index, 64-bit):
 * opc=10 101 0 001 L=1 imm7=2 Rt2=2 Rn=3 Rt=1 */
#define LDP_POST 0xa8c10861u
/* LDRSW x0, [x1, x2, lsl #2] (register offset, option=011 S=1) */
#define LDRSW_REG 0xb8a27820u
/* STR w5, [x6, #4]! (pre-index, imm9=4) */
#define STR_PRE 0xb8004cc5u

static void test_emulate_reference(void **state)
{
	struct hvx_regs in;
	struct plugin_emu_result r;
	const uint64_t seed = 0x5eed;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.x[3] = 0x9000000;
	in.pc = 0x40080000;
	assert_int_equal(check_ref_emulate(LDP_POST, seed, &in, &r), 0);
	assert_int_equal(r.nacc, 2);
	assert_true(r.acc[0].addr == 0x9000000 && r.acc[0].len == 8 && !r.acc[0].write);
	assert_true(r.acc[1].addr == 0x9000008 && r.acc[1].len == 8 && !r.acc[1].write);
	assert_true(r.regs.x[1] == check_emu_mem(seed, 0x9000000, 8));
	assert_true(r.regs.x[2] == check_emu_mem(seed, 0x9000008, 8));
	assert_true(r.regs.x[3] == 0x9000010);		/* writeback: base + 16 */
	assert_true(r.regs.pc == 0x40080004);

	memset(&in, 0, sizeof(in));
	in.x[1] = 0x9000100;
	in.x[2] = 3;
	assert_int_equal(check_ref_emulate(LDRSW_REG, seed, &in, &r), 0);
	assert_int_equal(r.nacc, 1);
	assert_true(r.acc[0].addr == 0x900010c && r.acc[0].len == 4);
	{
		uint64_t w = check_emu_mem(seed, 0x900010c, 4);
		uint64_t want = w & 0x80000000 ? w | 0xffffffff00000000 : w;

		assert_true(r.regs.x[0] == want);
	}

	memset(&in, 0, sizeof(in));
	in.x[5] = 0xaabbccdd11223344;
	in.x[6] = 0x9000200;
	assert_int_equal(check_ref_emulate(STR_PRE, seed, &in, &r), 0);
	assert_int_equal(r.nacc, 1);
	assert_true(r.acc[0].write && r.acc[0].addr == 0x9000204 &&
		    r.acc[0].len == 4 && r.acc[0].data == 0x11223344);
	assert_true(r.regs.x[6] == 0x9000204);
}

static void test_cmp_emulate(void **state)
{
	struct hvx_regs in;
	struct plugin_emu_result ref, act;
	unsigned cmp, fail;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.x[3] = 0x9000000;
	assert_int_equal(check_ref_emulate(LDP_POST, 1, &in, &ref), 0);
	act = ref;
	assert_int_equal(check_cmp_emulate(LDP_POST, &in, &ref, 0, &act, &cmp, NULL, NULL), 0);
	/* a refusal compares nothing and is no finding */
	assert_int_equal(check_cmp_emulate(LDP_POST, &in, &ref, -1, &act, &cmp, NULL, NULL), 0);
	assert_int_equal(cmp, 1u << EF_RETURN);
	/* post-index done as pre-index: accesses differ; the loaded values
	 * then differ too, but are not a second finding */
	act.acc[0].addr += 16;
	act.acc[1].addr += 16;
	act.regs.x[1] ^= 1;
	fail = check_cmp_emulate(LDP_POST, &in, &ref, 0, &act, &cmp, NULL, NULL);
	assert_int_equal(fail, 1u << EF_ACCESSES);
	/* no writeback */
	act = ref;
	act.regs.x[3] = 0x9000000;
	fail = check_cmp_emulate(LDP_POST, &in, &ref, 0, &act, &cmp, NULL, NULL);
	assert_int_equal(fail, 1u << EF_WRITEBACK);
	/* PC not advanced */
	act = ref;
	act.regs.pc -= 4;
	fail = check_cmp_emulate(LDP_POST, &in, &ref, 0, &act, &cmp, NULL, NULL);
	assert_int_equal(fail, 1u << EF_PC);
}

static void test_gen_emulate_domain(void **state)
{
	uint64_t s = 42;
	unsigned pairs = 0, stores = 0, wback = 0;

	(void)state;
	for (unsigned i = 0; i < 2000; i++) {
		struct hvx_regs r;
		struct plugin_emu_result ref;
		uint32_t w = check_gen_emulate(&s);

		check_emulate_regs(i, w, &r);
		assert_true(check_emu_domain(w));
		assert_int_equal(check_ref_emulate(w, i, &r, &ref), 0);
		assert_true(ref.nacc >= 1 && ref.nacc <= 2);
		pairs += ref.nacc == 2;
		stores += ref.acc[0].write;
		wback += (w & 0x3b200c00) == 0x38000400 || (w & 0x3b200c00) == 0x38000c00 ||
			 (w & 0x3a800000) == 0x28800000;
	}
	/* every kind is drawn */
	assert_true(pairs > 100 && stores > 100 && wback > 100);
	assert_false(check_emu_domain(0xd503201f));	/* NOP */
	assert_false(check_emu_domain(0xc85f7c20));	/* LDXR: exclusive */
}

/* Every point of the emulate feature grid that encodes is an instruction
 * of the domain with that point; the grid covers every addressing mode,
 * both shapes, every kind of data and size. */
static void test_emu_grid(void **state)
{
	unsigned valid = 0, seen[EX_COUNT][8];

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < CHECK_EMU_GRID; i++) {
		struct emu_point p, q;
		unsigned k = i;
		uint32_t w;

		for (int a = EX_COUNT - 1; a >= 0; a--) {
			p.v[a] = (uint8_t)(k % check_emu_axis_len[a]);
			k /= check_emu_axis_len[a];
		}
		assert_int_equal(check_emu_point_index(&p), i);
		if (check_emu_encode(&p, &w))
			continue;
		valid++;
		assert_true(check_emu_domain(w));
		assert_int_equal(check_emu_point_of(w, &q), 0);
		assert_memory_equal(&p, &q, sizeof(p));
		for (unsigned a = 0; a < EX_COUNT; a++)
			seen[a][p.v[a]]++;
	}
	for (unsigned a = 0; a < EX_COUNT; a++)
		for (unsigned v = 0; v < check_emu_axis_len[a]; v++)
			assert_true(seen[a][v] > 0);
	assert_true(valid > 150);
	/* by hand: LDP x1, x2, [x3], #16 is post-index, pair, load, 64-bit */
	{
		struct emu_point p;

		assert_int_equal(check_emu_point_of(LDP_POST, &p), 0);
		assert_int_equal(p.v[EX_MODE], 3);
		assert_int_equal(p.v[EX_SHAPE], 1);
		assert_int_equal(p.v[EX_OP], 0);
		assert_int_equal(p.v[EX_SIZE], 3);
	}
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_load_cause),
	cmocka_unit_test(test_cmp_load_regs),
	cmocka_unit_test(test_emulate_reference),
	cmocka_unit_test(test_cmp_emulate),
	cmocka_unit_test(test_gen_emulate_domain),
	cmocka_unit_test(test_emu_grid))
