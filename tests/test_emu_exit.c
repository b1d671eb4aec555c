/*
 * Exit engine: per-EC handlers and the seed scenarios. Expected values
 * come from the Arm ARM (D24.2.46 ESR_EL2 ISS fields, D1.3 exception entry
 * and vector offsets) and DEN0022 (PSCI), not from the engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "emu_exits.h"
#include "emu_fixture.h"
#include "hvexit/emu_default.h"
#include "hvexit/esr.h"
#include "hvexit/psci.h"

#define setup    emu_fixture_setup
#define teardown emu_fixture_teardown

static void test_isv_store_uart(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(0x10000000, 2, false, 1, false, true);

	(void)s;
	D->vm.vcpu[0].x[1] = 0xffffffff00000041;
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.n_accesses, 1);
	assert_int_equal(o.accesses[0].len, 4);
	assert_true(o.accesses[0].write);
	assert_int_equal(o.accesses[0].data, 0x41);	/* only the low 4 bytes */
	assert_int_equal(o.pc, 0x40001004);		/* PC += 4 */
	assert_int_equal(D->uart[0].out_len, 1);
	assert_int_equal(D->uart[0].out[0], 'A');
}

/* Load byte 0x80 (served by the VMM) with SSE: sign-extension to 64 bits
 * (SF=1) or to 32 bits with 63:32 zeroed (SF=0) (D24.2.46 SSE, SF). */
static uint64_t load_byte(bool sse, bool sf, uint64_t data)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(0x09000000, 0, sse, 5, sf, false);

	e.n_mmio_data = 1;
	e.mmio_data[0] = data;
	D->vm.vcpu[0].x[5] = 0x1111111111111111;
	emu_handle_exit(&D->vm, 0, &e, &o);
	return D->vm.vcpu[0].x[5];
}

static void test_isv_load_extension(void **s)
{
	(void)s;
	assert_int_equal(load_byte(true, true, 0x80), 0xffffffffffffff80);
	assert_int_equal(load_byte(true, false, 0x80), 0x00000000ffffff80);
	assert_int_equal(load_byte(false, true, 0x80), 0x80);
	assert_int_equal(load_byte(false, false, 0x7f), 0x7f);
	/* Data wider than the access is truncated to the access size. */
	assert_int_equal(load_byte(false, true, 0x1ff), 0xff);
}

/* A translation fault on mapped RAM is spurious: retried, no access. */
static void test_spurious_ram_fault(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(0x40100000, 0, true, 5, true, false);

	(void)s;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_RESUME);
	assert_int_equal(o.pc, 0x40001000);
	assert_int_equal(o.n_accesses, 0);
}

static void test_isv_load_xzr(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(0x10000018, 2, false, 31, false, false);	/* LDR wzr, UARTFR */
	uint64_t before[31];

	(void)s;
	memcpy(before, D->vm.vcpu[0].x, sizeof(before));
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(o.n_writes, 0);
	assert_memory_equal(before, D->vm.vcpu[0].x, sizeof(before));
	assert_int_equal(o.accesses[0].data, 0x90);	/* FR: TXFE|RXFE (DDI0183 3.3.3) */
}

static void test_unclaimed_mmio(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(0x09000000, 3, false, 3, true, false);

	(void)s;
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 0);
	assert_int_equal(o.action, EMU_ACT_MMIO);
	assert_true(o.accesses[0].pending);
	assert_int_equal(o.pc, 0x40001000);	/* not retired yet */
	e.n_mmio_data = 1;
	e.mmio_data[0] = 0xdeadbeefcafe;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(D->vm.vcpu[0].x[3], 0xdeadbeefcafe);
	assert_int_equal(o.pc, 0x40001004);
	D->vm.cfg.unclaimed = EMU_UNCLAIMED_ABORT;
	D->vm.vcpu[0].vbar_el1 = 0x40080000;
	emu_handle_exit(&D->vm, 0, &e, &o);
	/* EC 0x25 (from EL1), IL, DFSC 0b010000 sync external abort (D24.2.46);
	 * from EL1h: vector offset 0x200 (D1.3.x, "current EL with SP_ELx"). */
	emu_expect_inject(&o, 0x96000010, 0x40001004, 0x40080200);
	assert_int_equal(o.inject.far_el1, 0x09000000);
	assert_int_equal(o.inject.spsr_el1, 0x3c5);
}

static void test_inject_vectors(void **s)
{
	(void)s;
	assert_int_equal(emu_sync_vector_offset(0x3c4), 0x000);	/* EL1t */
	assert_int_equal(emu_sync_vector_offset(0x3c5), 0x200);	/* EL1h */
	assert_int_equal(emu_sync_vector_offset(0x000), 0x400);	/* EL0 AArch64 */
	assert_int_equal(emu_sync_vector_offset(0x010), 0x600);	/* AArch32 */
}

static void test_unknown_ec_undef(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = { .esr = (uint64_t)0x3b << 26 | ESR_IL };	/* no such EC */

	(void)s;
	D->vm.vcpu[0].vbar_el1 = 0x40080000;
	D->vm.vcpu[0].pstate = 0x3c4;	/* EL1t */
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, 0x02000000);	/* EC 0 Unknown, IL */
	assert_int_equal(o.inject.vector, 0x40080000);
	assert_int_equal(o.inject.spsr_el1, 0x3c4);
	assert_int_equal(o.n_findings, 1);
}

static void test_sysreg(void **s)
{
	struct emu_outcome o;
	/* MRS x2, MPIDR_EL1: Op0 3 Op2 5 Op1 0 CRn 0 Rt 2 CRm 0 dir 1. */
	struct emu_exit e = { .esr = (uint64_t)ESR_EC_SYS64 << 26 | ESR_IL |
				     3u << 20 | 5u << 17 | 2u << 5 | 1u };

	(void)s;
	emu_handle_exit(&D->vm, 1, &e, &o);
	assert_int_equal(D->vm.vcpu[1].x[2], 0x80000001);
	assert_int_equal(o.pc, 0x40002004);
	e.esr &= ~UINT64_C(1);	/* MSR MPIDR_EL1: read-only -> UNDEF */
	emu_handle_exit(&D->vm, 1, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, 0x02000000);
}

static void test_wfx(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = { .esr = (uint64_t)ESR_EC_WFx << 26 | ESR_IL };

	(void)s;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_WFI);
	assert_int_equal(o.pc, 0x40001004);
	e.esr |= 1;	/* WFE */
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_RESUME);
}

/* Seed 000: vCPU n writes "Cn!\n" to UARTn with 32-bit stores; then
 * PSCI SYSTEM_OFF 0x84000008 over HVC. */
static void test_seed000_two_vcpus(void **s)
{
	const char *msg[2] = { "C0!\n", "C1!\n" };
	const uint64_t base[2] = { EMU_DEFAULT_UART0, EMU_DEFAULT_UART1 };
	struct emu_outcome o;

	(void)s;
	for (unsigned i = 0; i < 4; i++)
		for (unsigned c = 0; c < 2; c++) {
			struct emu_exit e = emu_exit_dabt(base[c], 2, false, 1, false, true);
			e.regs_mask = 2;
			e.regs[1] = (uint8_t)msg[c][i];
			assert_int_equal(emu_handle_exit(&D->vm, c, &e, &o), 1);
		}
	assert_int_equal(D->uart[0].out_len, 4);
	assert_memory_equal(D->uart[0].out, "C0!\n", 4);
	assert_int_equal(D->uart[1].out_len, 4);
	assert_memory_equal(D->uart[1].out, "C1!\n", 4);
	struct emu_exit off = emu_exit_hvc(PSCI_0_2_FN_SYSTEM_OFF);
	assert_int_equal(emu_handle_exit(&D->vm, 0, &off, &o), 0);
	assert_int_equal(o.action, EMU_ACT_SHUTDOWN);
}

/* Seed 003: hvc_call(10) reaches the hypervisor, x0 untouched. */
static void test_seed003_hvc10(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_hvc(10);

	(void)s;
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(D->vm.hvc_custom_calls, 1);
	assert_int_equal(o.n_writes, 0);
}

static void test_psci(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_hvc(PSCI_0_2_FN_VERSION);

	(void)s;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(D->vm.vcpu[0].x[0], 0x10001);
	e = emu_exit_hvc(0x8400ffff);	/* unknown: NOT_SUPPORTED (-1) */
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(D->vm.vcpu[0].x[0], UINT64_MAX);
	/* CPU_ON of vCPU 1 (already on): ALREADY_ON (-4). */
	e = emu_exit_hvc(PSCI_0_2_FN64_CPU_ON);
	e.regs_mask = 0xf;
	e.regs[1] = 0x80000001;
	e.regs[2] = 0x40000000;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal((int64_t)D->vm.vcpu[0].x[0], PSCI_RET_ALREADY_ON);
	e.regs[1] = 0x7;	/* no such MPIDR: INVALID_PARAMETERS (-2) */
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal((int64_t)D->vm.vcpu[0].x[0], PSCI_RET_INVALID_PARAMS);
	/* vCPU 1 CPU_OFF, then CPU_ON: cpu_on, then ON_PENDING. */
	struct emu_exit off = emu_exit_hvc(PSCI_0_2_FN_CPU_OFF);
	emu_handle_exit(&D->vm, 1, &off, &o);
	assert_int_equal(o.action, EMU_ACT_WFI);
	assert_int_equal(D->vm.vcpu[1].power, EMU_PWR_OFF);
	e.regs[1] = 0x80000001;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_CPU_ON);
	assert_int_equal(D->vm.vcpu[0].x[0], 0);
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal((int64_t)D->vm.vcpu[0].x[0], PSCI_RET_ON_PENDING);
	struct emu_exit ai = emu_exit_hvc(PSCI_0_2_FN64_AFFINITY_INFO);
	ai.regs_mask = 7;
	ai.regs[1] = 1;
	emu_handle_exit(&D->vm, 0, &ai, &o);
	assert_int_equal(D->vm.vcpu[0].x[0], PSCI_AFF_ON_PENDING);
	assert_int_equal(psci_cpu_start(&D->vm, 1), 0);
	assert_int_equal(D->vm.vcpu[1].pc, 0x40000000);
	struct emu_exit rs = emu_exit_hvc(PSCI_0_2_FN_SYSTEM_RESET);
	emu_handle_exit(&D->vm, 0, &rs, &o);
	assert_int_equal(o.action, EMU_ACT_RESET);
}

static void test_map_on_demand(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(0x80003000, 3, false, 1, true, false);

	(void)s;
	assert_int_equal(emu_vm_add_region(&D->vm, 0x80000000, 0x10000,
					   EMU_MEM_R | EMU_MEM_W | EMU_MEM_LAZY, NULL), 0);
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 1);
	assert_int_equal(o.pc, 0x40001000);	/* retried, not skipped */
	assert_int_equal(D->vm.region[1].mapped[3], 1);
	D->vm.cfg.s2fault = EMU_S2F_INJECT;
	e = emu_exit_dabt(0x80004000, 3, false, 1, true, false);
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
}

static void test_isv0_not_emulated(void **s)
{
	/* NOP: not a load/store */
	struct emu_exit e = emu_exit_isv0(0x10000000, 0xd503201f, NULL, 0);
	struct emu_outcome o;

	(void)s;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);	/* never skipped */
	assert_true(o.n_findings >= 1);
	assert_int_equal(o.inject.elr_el1, 0x40001000);
}

/* ISV=0: LDP x1, x2, [x0], #16 (0xa8c10801, C6.2 LDP post-index) to
 * VMM-served MMIO: two 8-byte reads in order, x0 written back. */
static void test_isv0_ldp(void **s)
{
	static const uint64_t data[] = { 0x1111, 0x2222 };
	struct emu_outcome o;
	struct emu_exit e = emu_exit_isv0(0x09000000, 0xa8c10801, data, 2);

	(void)s;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.n_accesses, 2);
	assert_int_equal(o.accesses[1].ipa, 0x09000008);
	assert_int_equal(D->vm.vcpu[0].x[1], 0x1111);
	assert_int_equal(D->vm.vcpu[0].x[2], 0x2222);
	assert_int_equal(D->vm.vcpu[0].x[0], 0x09000010);
	assert_int_equal(o.pc, 0x40001004);
	/* Only one datum: the second read is pending, nothing retires. */
	e.n_mmio_data = 1;
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_MMIO);
	assert_int_equal(o.pc, 0x40001004);	/* unchanged from before */
	assert_int_equal(D->vm.vcpu[0].x[0], 0x09000000);
}

/* GICD through exits: vCPU 1 reads its own ITARGETSR0 bank (0x02 per
 * byte, IHI0048B 4.3.12). LDR w4, [GICD+0x800]: SAS=2 SRT=4. */
static void test_gicd_banked_by_vcpu(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = emu_exit_dabt(EMU_DEFAULT_GICD + 0x800, 2, false, 4, false, false);

	(void)s;
	emu_handle_exit(&D->vm, 1, &e, &o);
	assert_int_equal(D->vm.vcpu[1].x[4], 0x02020202);
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(D->vm.vcpu[0].x[4], 0x01010101);
	/* Byte store to GICD_CTLR is not an allowed width: external abort. */
	e = emu_exit_dabt(EMU_DEFAULT_GICD, 0, false, 4, false, true);
	emu_handle_exit(&D->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	/* EC 0x25 [31:26], IL [25], EA [9], WnR [6], DFSC 0b010000 (D24.2.46) */
	assert_int_equal(o.inject.esr_el1, UINT64_C(0x25) << 26 | 1u << 25 | 1u << 9 | 1u << 6 | 0x10);
	assert_int_equal(o.inject.far_el1, EMU_DEFAULT_GICD);
	assert_int_equal(o.n_findings, 1);
	assert_string_equal(o.findings[0].kind, "bad_device_access");
}

static void test_bad_args(void **s)
{
	struct emu_outcome o;
	struct emu_exit e = { 0 };

	(void)s;
	assert_int_equal(emu_handle_exit(&D->vm, 5, &e, &o), -EINVAL);
	e.esr = UINT64_C(1) << 60;
	assert_int_equal(emu_handle_exit(&D->vm, 0, &e, &o), 0);
	assert_int_equal(o.action, EMU_ACT_UNHANDLED);
}

HVX_TEST_MAIN(NULL, NULL,
	HVX_TEST_FIXTURE(test_isv_store_uart),
	HVX_TEST_FIXTURE(test_isv_load_extension),
	HVX_TEST_FIXTURE(test_isv_load_xzr),
	HVX_TEST_FIXTURE(test_spurious_ram_fault),
	HVX_TEST_FIXTURE(test_unclaimed_mmio),
	cmocka_unit_test(test_inject_vectors),
	HVX_TEST_FIXTURE(test_unknown_ec_undef),
	HVX_TEST_FIXTURE(test_sysreg),
	HVX_TEST_FIXTURE(test_wfx),
	HVX_TEST_FIXTURE(test_seed000_two_vcpus),
	HVX_TEST_FIXTURE(test_seed003_hvc10),
	HVX_TEST_FIXTURE(test_psci),
	HVX_TEST_FIXTURE(test_map_on_demand),
	HVX_TEST_FIXTURE(test_isv0_not_emulated),
	HVX_TEST_FIXTURE(test_isv0_ldp),
	HVX_TEST_FIXTURE(test_gicd_banked_by_vcpu),
	HVX_TEST_FIXTURE(test_bad_args))
