/* SMCCC function ID decoding and PSCI names against DEN0028 / DEN0022. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/smccc.h"

/* DEN0028 2.5 Table 2-1: bit 31 fast, 30 SMC64, 29:24 owner, 23:17 MBZ,
 * 16 SVE live-state hint, 15:0 function number. */
static void test_decode_fields(void **state)
{
	struct smccc_fid f;

	(void)state;
	smccc_decode(0xc4000003, &f);	/* PSCI CPU_ON SMC64 */
	assert_true(f.fast);
	assert_true(f.smc64);
	assert_int_equal(f.owner, 4);
	assert_int_equal(f.number, 3);
	assert_int_equal(f.hint, 0);
	assert_true(f.mbz_ok);

	smccc_decode(0x80008000, &f);	/* SMCCC_ARCH_WORKAROUND_1 */
	assert_true(f.fast);
	assert_false(f.smc64);
	assert_int_equal(f.owner, 0);
	assert_int_equal(f.number, 0x8000);

	smccc_decode(0x86010001, &f);	/* owner 6, SVE hint set */
	assert_int_equal(f.owner, 6);
	assert_int_equal(f.hint, 1);
	assert_true(f.mbz_ok);

	smccc_decode(0x84020000, &f);	/* bit 17 set: MBZ violated */
	assert_false(f.mbz_ok);

	smccc_decode(0x3f000000, &f);	/* yielding, owner 63 */
	assert_false(f.fast);
	assert_false(f.smc64);
	assert_int_equal(f.owner, 63);
}

/* DEN0028 Table 6-2 owning entity numbers. */
static void test_owner_names(void **state)
{
	(void)state;
	assert_string_equal(smccc_owner_name(0), "Arm Architecture Calls");
	assert_string_equal(smccc_owner_name(2), "SiP Service Calls");
	assert_string_equal(smccc_owner_name(4),
			    "Standard Secure Service Calls");
	assert_string_equal(smccc_owner_name(5),
			    "Standard Hypervisor Service Calls");
	assert_string_equal(smccc_owner_name(8), "Reserved for future use");
	assert_string_equal(smccc_owner_name(47), "Reserved for future use");
	assert_string_equal(smccc_owner_name(48), "Trusted Application Calls");
	assert_string_equal(smccc_owner_name(50), "Trusted OS Calls");
	assert_string_equal(smccc_owner_name(63), "Trusted OS Calls");
	assert_null(smccc_owner_name(64));
}

/* DEN0022 PSCI 1.1 Table 5-1 function IDs: SMC32 0x84000000 + n, and
 * SMC64 0xc4000000 + n for the functions that have an SMC64 variant. */
static void test_psci_names(void **state)
{
	static const struct {
		uint32_t n;
		const char *name;
		bool smc64;
	} v[] = {
		{ 0x00, "PSCI_VERSION", false },
		{ 0x01, "CPU_SUSPEND", true },
		{ 0x02, "CPU_OFF", false },
		{ 0x03, "CPU_ON", true },
		{ 0x04, "AFFINITY_INFO", true },
		{ 0x05, "MIGRATE", true },
		{ 0x06, "MIGRATE_INFO_TYPE", false },
		{ 0x07, "MIGRATE_INFO_UP_CPU", true },
		{ 0x08, "SYSTEM_OFF", false },
		{ 0x09, "SYSTEM_RESET", false },
		{ 0x0a, "PSCI_FEATURES", false },
		{ 0x0b, "CPU_FREEZE", false },
		{ 0x0c, "CPU_DEFAULT_SUSPEND", true },
		{ 0x0d, "NODE_HW_STATE", true },
		{ 0x0e, "SYSTEM_SUSPEND", true },
		{ 0x0f, "PSCI_SET_SUSPEND_MODE", false },
		{ 0x10, "PSCI_STAT_RESIDENCY", true },
		{ 0x11, "PSCI_STAT_COUNT", true },
		{ 0x12, "SYSTEM_RESET2", true },
		{ 0x13, "MEM_PROTECT", false },
		{ 0x14, "MEM_PROTECT_CHECK_RANGE", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HVX_ARRAY_SIZE(v); i++) {
		assert_string_equal(psci_fn_name(0x84000000u + v[i].n), v[i].name);
		if (v[i].smc64)
			assert_string_equal(psci_fn_name(0xc4000000u + v[i].n), v[i].name);
	}
	/* SMC32-only functions have no SMC64 variant. */
	assert_null(psci_fn_name(0xc4000000));	/* PSCI_VERSION */
	assert_null(psci_fn_name(0xc4000002));	/* CPU_OFF */
	assert_null(psci_fn_name(0xc4000008));	/* SYSTEM_OFF */
	assert_null(psci_fn_name(0xc400000a));	/* PSCI_FEATURES */
	assert_null(psci_fn_name(0x84000015));	/* beyond PSCI 1.1 */
	assert_null(psci_fn_name(0x84000100));
	assert_null(psci_fn_name(0x04000000));	/* yielding, not PSCI */
	assert_null(psci_fn_name(0x80000000));	/* SMCCC_VERSION */
}

/* DEN0028 section 7 Arm architecture calls. */
static void test_arch_names(void **state)
{
	(void)state;
	assert_string_equal(smccc_arch_fn_name(0x80000000), "SMCCC_VERSION");
	assert_string_equal(smccc_arch_fn_name(0x80000001),
			    "SMCCC_ARCH_FEATURES");
	assert_string_equal(smccc_arch_fn_name(0x80000002),
			    "SMCCC_ARCH_SOC_ID");
	assert_string_equal(smccc_arch_fn_name(0x80008000),
			    "SMCCC_ARCH_WORKAROUND_1");
	assert_string_equal(smccc_arch_fn_name(0x80007fff),
			    "SMCCC_ARCH_WORKAROUND_2");
	assert_string_equal(smccc_arch_fn_name(0x80003fff),
			    "SMCCC_ARCH_WORKAROUND_3");
	assert_null(smccc_arch_fn_name(0x84000000));
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_decode_fields),
	cmocka_unit_test(test_owner_names),
	cmocka_unit_test(test_psci_names),
	cmocka_unit_test(test_arch_names))
