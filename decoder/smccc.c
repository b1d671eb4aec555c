/*
 * SMC Calling Convention function identifiers (Arm DEN0028 SMCCC v1.4,
 * 2.5 "Function Identifiers", Table 2-1 bit layout, Table 6-2 owning
 * entity numbers) and PSCI function names (Arm DEN0022 PSCI 1.1, 5.1
 * "Function prototypes" / Table 5-1 function IDs). Pure table lookups.
 */
#include "hvexit/smccc.h"

void smccc_decode(uint32_t fid, struct smccc_fid *out)
{
	out->fast = hvx_bit(fid, 31);
	out->smc64 = hvx_bit(fid, 30);
	out->owner = (unsigned)hvx_bits(fid, 29, 24);
	out->hint = (unsigned)hvx_bit(fid, 16);
	out->number = (unsigned)hvx_bits(fid, 15, 0);
	out->mbz_ok = hvx_bits(fid, 23, 17) == 0;
}

/* DEN0028 Table 6-2 "Owning Entity Number" (owner 7 added in v1.5). */
static const char *const owner_names[] = {
	[0] = "Arm Architecture Calls",
	[1] = "CPU Service Calls",
	[2] = "SiP Service Calls",
	[3] = "OEM Service Calls",
	[4] = "Standard Secure Service Calls",
	[5] = "Standard Hypervisor Service Calls",
	[6] = "Vendor Specific Hypervisor Service Calls",
	[7] = "Vendor Specific EL3 Monitor Calls",
};

const char *smccc_owner_name(unsigned owner)
{
	if (owner < HVX_ARRAY_SIZE(owner_names))
		return owner_names[owner];
	if (owner <= 47)
		return "Reserved for future use";
	if (owner <= 49)
		return "Trusted Application Calls";
	if (owner <= 63)
		return "Trusted OS Calls";
	return NULL;
}

struct psci_fn {
	const char *name;
	bool has64;	/* an SMC64 variant 0xC4000000 | n exists */
};

/* DEN0022 PSCI 1.1 Table 5-1: functions 0x84000000 + n (SMC32) and,
 * where defined, 0xC4000000 + n (SMC64). */
static const struct psci_fn psci_fns[] = {
	[0x00] = { "PSCI_VERSION", false },
	[0x01] = { "CPU_SUSPEND", true },
	[0x02] = { "CPU_OFF", false },
	[0x03] = { "CPU_ON", true },
	[0x04] = { "AFFINITY_INFO", true },
	[0x05] = { "MIGRATE", true },
	[0x06] = { "MIGRATE_INFO_TYPE", false },
	[0x07] = { "MIGRATE_INFO_UP_CPU", true },
	[0x08] = { "SYSTEM_OFF", false },
	[0x09] = { "SYSTEM_RESET", false },
	[0x0a] = { "PSCI_FEATURES", false },
	[0x0b] = { "CPU_FREEZE", false },
	[0x0c] = { "CPU_DEFAULT_SUSPEND", true },
	[0x0d] = { "NODE_HW_STATE", true },
	[0x0e] = { "SYSTEM_SUSPEND", true },
	[0x0f] = { "PSCI_SET_SUSPEND_MODE", false },
	[0x10] = { "PSCI_STAT_RESIDENCY", true },
	[0x11] = { "PSCI_STAT_COUNT", true },
	[0x12] = { "SYSTEM_RESET2", true },
	[0x13] = { "MEM_PROTECT", false },
	[0x14] = { "MEM_PROTECT_CHECK_RANGE", true },
};

#define PSCI_BASE32 UINT32_C(0x84000000)
#define PSCI_BASE64 UINT32_C(0xc4000000)

const char *psci_fn_name(uint32_t fid)
{
	uint32_t n;
	bool is64;

	if ((fid & ~UINT32_C(0x1f)) == PSCI_BASE32)
		is64 = false;
	else if ((fid & ~UINT32_C(0x1f)) == PSCI_BASE64)
		is64 = true;
	else
		return NULL;
	n = fid & 0x1f;
	if (n >= HVX_ARRAY_SIZE(psci_fns) || !psci_fns[n].name)
		return NULL;
	if (is64 && !psci_fns[n].has64)
		return NULL;
	return psci_fns[n].name;
}

struct smccc_arch_fn {
	uint32_t fid;
	const char *name;
};

/* DEN0028 7 "Arm Architecture Calls" (SMC32 fast calls, owner 0). */
static const struct smccc_arch_fn arch_fns[] = {
	{ 0x80000000, "SMCCC_VERSION" },
	{ 0x80000001, "SMCCC_ARCH_FEATURES" },
	{ 0x80000002, "SMCCC_ARCH_SOC_ID" },
	{ 0x80003fff, "SMCCC_ARCH_WORKAROUND_3" },
	{ 0x80007fff, "SMCCC_ARCH_WORKAROUND_2" },
	{ 0x80008000, "SMCCC_ARCH_WORKAROUND_1" },
};

const char *smccc_arch_fn_name(uint32_t fid)
{
	size_t i;

	for (i = 0; i < HVX_ARRAY_SIZE(arch_fns); i++)
		if (arch_fns[i].fid == fid)
			return arch_fns[i].name;
	return NULL;
}
