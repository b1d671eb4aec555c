/*
 * The exit engine with a real Stage-2 table (emu/stage2.c): map on demand
 * through the table, permission faults, faults outside every region, and
 * device register width/offset violations. Expected ESR values are built
 * from the Arm ARM D24.2.46 ESR_EL2/ESR_EL1 field layout (EC [31:26], IL
 * [25], EA [9], WnR [6], DFSC/IFSC [5:0]; DFSC 0b000111 translation fault
 * level 3, 0b001111 permission fault level 3, 0b010000 synchronous
 * external abort), vector offsets from D1.3 (0x200 current EL SPx,
 * 0x400 lower EL AArch64).
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
#include "hvexit/esr.h"

#define EC(x)     ((uint64_t)(x) << 26)
#define IL        (UINT64_C(1) << 25)
#define EA        (UINT64_C(1) << 9)
#define WNR       (UINT64_C(1) << 6)
#define FSC_TRANS_L3 0x07
#define FSC_PERM_L3  0x0f
#define FSC_EXT      0x10

#define teardown emu_fixture_teardown

static int setup(void **s)
{
	if (emu_fixture_setup(s))
		return -1;
	D->vm.vcpu[0].vbar_el1 = 0x40080000;
	return emu_vm_s2_enable(&D->vm);
}

/* Data abort exit, ISV=1, 64-bit access by x1 at ipa (VA == IPA). */
static struct emu_exit dabt(uint64_t ipa, bool wnr, unsigned dfsc)
{
	struct esr_dabt d = { .ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = 3,
			      .srt = 1, .sf = true, .wnr = wnr, .dfsc = (uint8_t)dfsc };
	struct emu_exit e = { 0 };

	e.esr = esr_build_dabt(&d);
	e.far = ipa;
	e.hpfar = (ipa >> 12) << 4;	/* HPFAR_EL2.FIPA [43:4] = IPA[51:12] */
	return e;
}

static enum s2_fault walk(uint64_t ipa, enum s2_access acc)
{
	struct s2_result r;

	assert_int_equal(emu_vm_s2_walk(&D->vm, ipa, acc, &r), 0);
	if (r.fault == S2_OK)
		assert_int_equal(r.pa, ipa);	/* identity map */
	return r.fault;
}

/* The table describes the region list: RAM mapped RWX, devices not. */
static void test_table_from_regions(void **s)
{
	struct s2_result r;

	(void)s;
	assert_true(D->vm.s2.on);
	assert_int_equal(walk(EMU_DEFAULT_RAM_BASE + 0x123458, S2_ACC_WRITE), S2_OK);
	assert_int_equal(walk(EMU_DEFAULT_RAM_BASE + EMU_DEFAULT_RAM_SIZE - 8, S2_ACC_EXEC), S2_OK);
	assert_int_equal(emu_vm_s2_walk(&D->vm, EMU_DEFAULT_RAM_BASE, S2_ACC_READ, &r), 0);
	assert_int_equal(r.s2ap, 3);		/* S2AP: read and write */
	assert_int_equal(r.xn, 0);
	assert_int_equal(r.memattr, 0xf);	/* Normal WB */
	assert_int_equal(walk(EMU_DEFAULT_UART0, S2_ACC_READ), S2_FAULT_TRANSLATION);
	assert_int_equal(walk(EMU_DEFAULT_GICD, S2_ACC_READ), S2_FAULT_TRANSLATION);
	assert_int_equal(walk(EMU_DEFAULT_RAM_BASE + EMU_DEFAULT_RAM_SIZE, S2_ACC_READ),
			 S2_FAULT_TRANSLATION);
}

/* Seed 003 lab 3: a translation fault on LAZY RAM maps the page in the
 * table and resumes at the same PC; the next walk succeeds. */
static void test_map_on_demand(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = dabt(0x80003010, false, FSC_TRANS_L3);

	(void)s;
	assert_int_equal(emu_vm_add_region(&D->vm, 0x80000000, 0x10000,
					   EMU_MEM_R | EMU_MEM_W | EMU_MEM_LAZY, NULL), 0);
	assert_int_equal(walk(0x80003010, S2_ACC_READ), S2_FAULT_TRANSLATION);
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.pc, 0x40001000);	/* re-executes the access */
	assert_int_equal(o.n_accesses, 0);
	assert_int_equal(o.n_findings, 0);
	assert_int_equal(walk(0x80003010, S2_ACC_WRITE), S2_OK);
	assert_int_equal(walk(0x80003ff8, S2_ACC_READ), S2_OK);
	assert_int_equal(walk(0x80004000, S2_ACC_READ), S2_FAULT_TRANSLATION);
	assert_int_equal(walk(0x80002ff8, S2_ACC_READ), S2_FAULT_TRANSLATION);
	assert_int_equal(walk(0x80003000, S2_ACC_EXEC), S2_FAULT_PERMISSION);	/* no X */
	/* The same fault again: the page is mapped, so it is spurious. */
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.pc, 0x40001000);
	assert_int_equal(o.n_findings, 1);
	assert_string_equal(o.findings[0].kind, "spurious_s2_fault");
	/* Inject policy: a synchronous external abort, FAR = the VA. */
	D->vm.cfg.s2fault = EMU_S2F_INJECT;
	e = dabt(0x80005008, true, FSC_TRANS_L3);
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, EC(ESR_EC_DABT_CUR) | IL | WNR | FSC_EXT);
	assert_int_equal(o.inject.far_el1, 0x80005008);
	assert_int_equal(o.inject.elr_el1, 0x40001000);
	assert_int_equal(o.inject.vector, 0x40080200);
	assert_int_equal(walk(0x80005008, S2_ACC_READ), S2_FAULT_TRANSLATION);
}

/* A write to a read-only region: Stage-2 permission fault; the VM cannot
 * satisfy it, so the guest gets a synchronous external abort. */
static void test_permission_write_ro(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = dabt(0x90000100, true, FSC_PERM_L3);

	(void)s;
	assert_int_equal(emu_vm_add_region(&D->vm, 0x90000000, 0x1000, EMU_MEM_R, NULL), 0);
	assert_int_equal(walk(0x90000100, S2_ACC_READ), S2_OK);
	assert_int_equal(walk(0x90000100, S2_ACC_WRITE), S2_FAULT_PERMISSION);
	e.regs_mask = 2;
	e.regs[1] = 0x1122334455667788;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, EC(ESR_EC_DABT_CUR) | IL | WNR | FSC_EXT);
	assert_int_equal(o.inject.far_el1, 0x90000100);
	assert_int_equal(o.n_accesses, 0);
	assert_int_equal(o.n_findings, 1);
	assert_string_equal(o.findings[0].kind, "s2_permission");
	uint64_t word = 1;
	assert_int_equal(emu_mem_read(&D->vm, 0x90000100, &word, 8), 0);
	assert_int_equal(word, 0);	/* memory unchanged */
}

/* Instruction fetch from a non-executable region: instruction abort
 * (EC 0x21 from EL1, IFSC 0b010000). */
static void test_permission_exec_nx(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = { 0 };

	(void)s;
	assert_int_equal(emu_vm_add_region(&D->vm, 0xa0000000, 0x2000,
					   EMU_MEM_R | EMU_MEM_W, NULL), 0);
	e.esr = EC(ESR_EC_IABT_LOW) | IL | FSC_PERM_L3;
	e.far = 0xa0001000;
	e.hpfar = (UINT64_C(0xa0001000) >> 12) << 4;
	e.has_pc = true;
	e.pc = 0xa0001000;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, EC(ESR_EC_IABT_CUR) | IL | FSC_EXT);
	assert_int_equal(o.inject.elr_el1, 0xa0001000);
	assert_string_equal(o.findings[0].kind, "s2_permission");
}

/* Outside every region and device: abort + finding, or the VMM's, per
 * the unclaimed configuration. */
static void test_outside_regions(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = dabt(0x70000040, false, FSC_TRANS_L3);

	(void)s;
	D->vm.cfg.unclaimed = EMU_UNCLAIMED_ABORT;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, EC(ESR_EC_DABT_CUR) | IL | FSC_EXT);
	assert_int_equal(o.inject.far_el1, 0x70000040);
	assert_int_equal(o.n_findings, 1);
	assert_string_equal(o.findings[0].kind, "s2_unmapped");
	D->vm.vcpu[0].pc = 0x40001000;
	D->vm.cfg.unclaimed = EMU_UNCLAIMED_MMIO;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_MMIO);
	assert_int_equal(o.n_accesses, 1);
	assert_true(o.accesses[0].pending);
	assert_int_equal(o.accesses[0].ipa, 0x70000040);
}

/* Devices stay unmapped in the table, so MMIO emulation still works. */
static void test_mmio_with_s2(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = dabt(EMU_DEFAULT_UART0, true, FSC_TRANS_L3);

	(void)s;
	/* STRB w1, [UART0 DR]: SAS 0, SF 0. */
	struct esr_dabt d = { .ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = 0,
			      .srt = 1, .wnr = true, .dfsc = FSC_TRANS_L3 };
	e.esr = esr_build_dabt(&d);
	e.regs_mask = 2;
	e.regs[1] = 'A';
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.pc, 0x40001004);
	assert_int_equal(D->uart[0].out_len, 1);
	assert_int_equal(D->uart[0].out[0], 'A');
}

/* A device register access of a width its table forbids, from EL0:
 * synchronous external abort EC 0x24 with EA, DFSC 0x10, FAR, finding. */
static void test_device_width_violation(void **s)
{
	struct emu_outcome o;
	/* LDRB w1, [GICD_TYPER]: GICD registers are word-accessed. */
	struct esr_dabt d = { .ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = 0,
			      .srt = 1, .dfsc = FSC_TRANS_L3 };
	struct emu_exit e = dabt(EMU_DEFAULT_GICD + 4, false, FSC_TRANS_L3);

	(void)s;
	e.esr = esr_build_dabt(&d);
	D->vm.vcpu[0].pstate = 0;	/* EL0t, AArch64 */
	D->vm.vcpu[0].x[1] = 0x55;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, EC(ESR_EC_DABT_LOW) | IL | EA | FSC_EXT);
	assert_int_equal(o.inject.far_el1, EMU_DEFAULT_GICD + 4);
	assert_int_equal(o.inject.vector, 0x40080400);
	assert_int_equal(o.inject.spsr_el1, 0);
	assert_int_equal(D->vm.vcpu[0].x[1], 0x55);	/* nothing loaded */
	assert_int_equal(o.n_findings, 1);
	assert_string_equal(o.findings[0].kind, "bad_device_access");
	assert_non_null(strstr(o.findings[0].detail, "gicd"));
}

/* Rebuilds grow the table buffer: map every page of a 4 MiB LAZY region
 * with a gap pattern that defeats block mappings. */
static void test_many_pages(void **s)
{
	(void)s;
	assert_int_equal(emu_vm_add_region(&D->vm, 0x100000000, 0x400000,
					   EMU_MEM_R | EMU_MEM_W | EMU_MEM_LAZY, NULL), 0);
	for (uint64_t p = 0; p < 0x400; p += 2)
		assert_int_equal(emu_vm_map_page(&D->vm, 0x100000000 + p * 0x1000), 0);
	assert_int_equal(walk(0x100000000 + 0x3fe000, S2_ACC_READ), S2_OK);
	assert_int_equal(walk(0x100000000 + 0x3ff000, S2_ACC_READ), S2_FAULT_TRANSLATION);
	assert_int_equal(emu_vm_map_page(&D->vm, EMU_DEFAULT_RAM_BASE), -EINVAL);	/* not LAZY */
}

HVX_TEST_MAIN(NULL, NULL,
	HVX_TEST_FIXTURE(test_table_from_regions),
	HVX_TEST_FIXTURE(test_map_on_demand),
	HVX_TEST_FIXTURE(test_permission_write_ro),
	HVX_TEST_FIXTURE(test_permission_exec_nx),
	HVX_TEST_FIXTURE(test_outside_regions),
	HVX_TEST_FIXTURE(test_mmio_with_s2),
	HVX_TEST_FIXTURE(test_device_width_violation),
	HVX_TEST_FIXTURE(test_many_pages))
