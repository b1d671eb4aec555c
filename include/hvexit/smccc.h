/*
 * SMC Calling Convention function identifiers (Arm DEN0028, SMCCC v1.4
 * section 2.5 "Function Identifiers") and PSCI function names (Arm
 * DEN0022, PSCI 1.1 section 5.1). Pure.
 */
#ifndef HVEXIT_SMCCC_H
#define HVEXIT_SMCCC_H

#include "hvexit/common.h"

struct smccc_fid {
	bool fast;		/* bit 31: 1 = fast call, 0 = yielding */
	bool smc64;		/* bit 30: 1 = SMC64/HVC64 convention */
	unsigned owner;		/* bits 29:24 owning entity */
	unsigned hint;		/* bit 16: SVE live state hint (v1.3) */
	unsigned number;	/* bits 15:0 function number */
	bool mbz_ok;		/* bits 23:17 are zero as required */
};

void smccc_decode(uint32_t fid, struct smccc_fid *out);
/* "Arm Architecture Calls", "Standard Secure Service Calls", ... */
const char *smccc_owner_name(unsigned owner);
/* "PSCI_VERSION", "CPU_ON", "SYSTEM_OFF", ... or NULL if fid is not a PSCI
 * function (32- and 64-bit variants both named). */
const char *psci_fn_name(uint32_t fid);
/* "SMCCC_VERSION", "SMCCC_ARCH_FEATURES", "SMCCC_ARCH_SOC_ID",
 * "SMCCC_ARCH_WORKAROUND_1/2/3" (DEN0028 section 7), or NULL. */
const char *smccc_arch_fn_name(uint32_t fid);

#endif
