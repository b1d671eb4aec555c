/*
 * Trapped MSR/MRS (EC 0x18) through emu_handle_exit, per register class.
 * ISS layout (D24.2.46, ISS for EC 0x18): Op0 [21:20] Op2 [19:17] Op1
 * [16:14] CRn [13:10] Rt [9:5] CRm [4:1] Direction [0] (1 = MRS).
 * UNDEFINED -> ESR_EL1 EC 0x00 with IL (0x02000000), ELR_EL1 = the MSR/MRS,
 * vector VBAR_EL1 + 0x200 (EL1h, D1.3). ID fields: Arm ARM D23.2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "emu_fixture.h"
#include "hvexit/emu_default.h"
#include "hvexit/emu_sysreg.h"
#include "hvexit/esr.h"
#include "hvexit/timer.h"

#define teardown emu_fixture_teardown

static int setup(void **s)
{
	if (emu_fixture_setup(s))
		return -1;
	D->vm.vcpu[0].vbar_el1 = D->vm.vcpu[1].vbar_el1 = 0x40080000;
	return 0;
}

static uint64_t sys_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
			unsigned rt, bool mrs)
{
	return (uint64_t)ESR_EC_SYS64 << 26 | ESR_IL | (uint64_t)op0 << 20 | (uint64_t)op2 << 17 |
	       (uint64_t)op1 << 14 | (uint64_t)crn << 10 | (uint64_t)rt << 5 | (uint64_t)crm << 1 |
	       (mrs ? 1u : 0u);
}

/* MRS x3, <reg> on vcpu; returns x3 and checks the exit completed. */
static uint64_t mrs(unsigned vcpu, unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		    unsigned op2)
{
	struct emu_outcome o;
	struct emu_exit e = { .esr = sys_esr(op0, op1, crn, crm, op2, 3, true) };
	uint64_t pc = D->vm.vcpu[vcpu].pc;

	D->vm.vcpu[vcpu].x[3] = 0xdeadbeef;
	assert_int_equal(emu_handle_exit(&D->vm, vcpu, &e, &o), 1);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.pc, pc + 4);
	assert_int_equal(o.n_findings, 0);
	return D->vm.vcpu[vcpu].x[3];
}

static void msr_ok(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
		   uint64_t val)
{
	struct emu_outcome o;
	struct emu_exit e = { .esr = sys_esr(op0, op1, crn, crm, op2, 4, false),
			      .regs_mask = 1u << 4 };

	e.regs[4] = val;
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.n_writes, 0);
}

/* The access must be UNDEFINED: EC 0 injected, nothing written, finding. */
static void expect_undef(uint64_t esr, const char *detail)
{
	struct emu_outcome o;
	struct emu_exit e = { .esr = esr, .has_pc = true, .pc = 0x40003000 };

	D->vm.vcpu[0].pstate = 0x3c5;
	emu_handle_exit(&D->vm, 0, &e, &o);
	emu_expect_inject(&o, 0x02000000, 0x40003000, 0x40080200);
	assert_int_equal(o.n_writes, 0);
	assert_int_equal(o.n_findings, 1);
	assert_string_equal(o.findings[0].kind, "sysreg_undef");
	assert_string_equal(o.findings[0].detail, detail);
}

static void test_id_registers(void **s)
{
	(void)s;
	uint64_t midr = mrs(0, 3, 0, 0, 0, 0);
	assert_int_equal(midr, EMU_VCPU_MIDR);
	assert_int_equal(hvx_bits(midr, 31, 24), 0x41);	/* Implementer: Arm */
	assert_int_equal(hvx_bits(midr, 19, 16), 0xf);	/* Architecture: ID regs */
	assert_int_equal(mrs(0, 3, 0, 0, 0, 6), EMU_VCPU_REVIDR);
	/* MPIDR_EL1 per vCPU: bit 31 RES1, Aff0 = vCPU. */
	assert_int_equal(mrs(0, 3, 0, 0, 0, 5), 0x80000000);
	assert_int_equal(mrs(1, 3, 0, 0, 0, 5), 0x80000001);
	uint64_t pfr0 = mrs(0, 3, 0, 0, 4, 0);
	assert_int_equal(pfr0, EMU_VCPU_PFR0);
	assert_int_equal(hvx_bits(pfr0, 3, 0), 1);	/* EL0: AArch64 only */
	assert_int_equal(hvx_bits(pfr0, 7, 4), 1);	/* EL1: AArch64 only */
	assert_int_equal(hvx_bits(pfr0, 11, 8), 0);	/* EL2 not implemented */
	assert_int_equal(mrs(0, 3, 0, 0, 4, 1), EMU_VCPU_PFR1);
	assert_int_equal(mrs(0, 3, 0, 0, 5, 0), EMU_VCPU_DFR0);
	assert_int_equal(mrs(0, 3, 0, 0, 6, 0), EMU_VCPU_ISAR0);
	assert_int_equal(mrs(0, 3, 0, 0, 6, 1), EMU_VCPU_ISAR1);
	uint64_t mmfr0 = mrs(0, 3, 0, 0, 7, 0);
	assert_int_equal(hvx_bits(mmfr0, 3, 0), 5);	/* PARange 0b0101: 48 bits */
	assert_int_equal(mrs(0, 3, 0, 0, 7, 1), EMU_VCPU_MMFR1);
	assert_int_equal(mrs(0, 3, 0, 0, 7, 2), EMU_VCPU_MMFR2);
	uint64_t ctr = mrs(0, 3, 3, 0, 0, 1);
	assert_int_equal(hvx_bits(ctr, 31, 31), 1);	/* CTR_EL0 bit 31 RES1 */
	assert_int_equal(4u << hvx_bits(ctr, 19, 16), 64);	/* DminLine: 64 bytes */
	assert_int_equal(4u << hvx_bits(mrs(0, 3, 3, 0, 0, 7), 3, 0), 64);	/* DCZID BS */
	/* Unallocated ID space (ID_AA64PFR2_EL1, op0 3 op1 0 CRn 0 CRm 4 op2 2): RAZ. */
	assert_int_equal(mrs(0, 3, 0, 0, 4, 2), 0);
	assert_int_equal(mrs(0, 3, 0, 0, 1, 7), 0);
}

static void test_readonly_writes_undef(void **s)
{
	(void)s;
	expect_undef(sys_esr(3, 0, 0, 0, 0, 1, false), "MSR MIDR_EL1: read-only");
	expect_undef(sys_esr(3, 0, 0, 0, 5, 1, false), "MSR MPIDR_EL1: read-only");
	expect_undef(sys_esr(3, 0, 0, 7, 0, 1, false), "MSR ID_AA64MMFR0_EL1: read-only");
	expect_undef(sys_esr(3, 0, 0, 4, 2, 1, false), "MSR ID_AA64PFR2_EL1: read-only");
	expect_undef(sys_esr(3, 3, 0, 0, 1, 1, false), "MSR CTR_EL0: read-only");
	expect_undef(sys_esr(3, 3, 14, 0, 0, 1, false), "MSR CNTFRQ_EL0: read-only");
	expect_undef(sys_esr(3, 3, 14, 0, 2, 1, false), "MSR CNTVCT_EL0: read-only");
	assert_int_equal(D->vm.vcpu[0].mpidr, 0x80000000);
}

static void test_not_modelled_undef(void **s)
{
	(void)s;
	/* TTBR0_EL1 (3,0,2,0,0): not in the trap table. */
	expect_undef(sys_esr(3, 0, 2, 0, 0, 1, false), "MSR TTBR0_EL1: not modelled");
	expect_undef(sys_esr(3, 0, 2, 0, 0, 1, true), "MRS TTBR0_EL1: not modelled");
}

/* D12: CNTVCT = CNTPCT - CNTVOFF; ISTATUS when CNTVCT >= CVAL; TVAL =
 * (CVAL - CNTVCT)[31:0], written as CVAL = CNTVCT + SignExtend(TVAL). */
static void test_timer(void **s)
{
	(void)s;
	D->vm.cntpct = 1000;
	D->vm.vcpu[0].cntvoff = 100;
	assert_int_equal(mrs(0, 3, 3, 14, 0, 0), 62500000);	/* CNTFRQ_EL0 */
	assert_int_equal(mrs(0, 3, 3, 14, 0, 2), 900);		/* CNTVCT_EL0 */
	assert_int_equal(mrs(0, 3, 3, 14, 0, 1), 1000);		/* CNTPCT_EL0 */
	msr_ok(3, 3, 14, 3, 2, 950);				/* CNTV_CVAL_EL0 */
	msr_ok(3, 3, 14, 3, 1, 1);				/* CNTV_CTL_EL0: ENABLE */
	assert_int_equal(mrs(0, 3, 3, 14, 3, 1), 1);		/* not yet: ISTATUS 0 */
	assert_int_equal(mrs(0, 3, 3, 14, 3, 0), 50);		/* TVAL */
	D->vm.cntpct = 1050;
	assert_int_equal(mrs(0, 3, 3, 14, 3, 1), 5);		/* ISTATUS | ENABLE */
	msr_ok(3, 3, 14, 3, 0, 0xfffffffb);			/* TVAL = -5 */
	assert_int_equal(mrs(0, 3, 3, 14, 3, 2), 945);		/* CVAL = 950 - 5 */
	assert_int_equal(mrs(0, 3, 3, 14, 3, 0), 0xfffffffb);
	msr_ok(3, 3, 14, 3, 1, 7);	/* ISTATUS is read-only */
	assert_int_equal(D->vm.vcpu[0].cntv_ctl, 3);
}

/* ICC_SGI1R_EL1 (3,0,12,11,5), IHI0069 12.2: TargetList [15:0], Aff1
 * [23:16], INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. */
static void test_icc_sgi1r(void **s)
{
	(void)s;
	msr_ok(3, 0, 12, 11, 5, UINT64_C(3) << 24 | 0x2);	/* SGI 3 -> Aff0 1 */
	assert_int_equal(D->gicd.sgi_src[1][3], 1);		/* from CPU 0 */
	assert_int_equal(D->gicd.sgi_src[0][3], 0);
	msr_ok(3, 0, 12, 11, 5, UINT64_C(4) << 24 | UINT64_C(1) << 16 | 0x3);	/* Aff1 1: nobody */
	assert_int_equal(D->gicd.sgi_src[0][4] | D->gicd.sgi_src[1][4], 0);
	msr_ok(3, 0, 12, 11, 5, UINT64_C(5) << 24 | UINT64_C(1) << 44 | 0x3);	/* RS 1: Aff0 16,17 */
	assert_int_equal(D->gicd.sgi_src[0][5] | D->gicd.sgi_src[1][5], 0);
	msr_ok(3, 0, 12, 11, 5, UINT64_C(6) << 24 | UINT64_C(1) << 40);	/* IRM: all but self */
	assert_int_equal(D->gicd.sgi_src[1][6], 1);
	assert_int_equal(D->gicd.sgi_src[0][6], 0);
	/* Write-only: MRS is UNDEFINED. */
	expect_undef(sys_esr(3, 0, 12, 11, 5, 1, true), "MRS ICC_SGI1R_EL1: write-only");
	/* Without a GIC system register interface the register is UNDEFINED. */
	D->vm.gic = NULL;
	expect_undef(sys_esr(3, 0, 12, 11, 5, 1, false), "MSR ICC_SGI1R_EL1: not modelled");
}

HVX_TEST_MAIN(NULL, NULL,
	HVX_TEST_FIXTURE(test_id_registers),
	HVX_TEST_FIXTURE(test_readonly_writes_undef),
	HVX_TEST_FIXTURE(test_not_modelled_undef),
	HVX_TEST_FIXTURE(test_timer),
	HVX_TEST_FIXTURE(test_icc_sgi1r))
