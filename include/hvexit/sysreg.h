/*
 * System register names from their MSR/MRS encoding (op0, op1, CRn, CRm,
 * op2), as in Arm ARM D23 "AArch64 System Register Descriptions" and the
 * GIC CPU interface registers (ICC_*, ICH_*, ICV_* share ICC_ encodings).
 * Pure table lookup.
 */
#ifndef HVEXIT_SYSREG_H
#define HVEXIT_SYSREG_H

#include "hvexit/common.h"

/* Pack an encoding the way MRS/MSR and the ESR SYS64 ISS carry it. */
static inline uint32_t sysreg_enc(unsigned op0, unsigned op1, unsigned crn,
				  unsigned crm, unsigned op2)
{
	return (op0 & 3u) << 14 | (op1 & 7u) << 11 | (crn & 15u) << 7 |
	       (crm & 15u) << 3 | (op2 & 7u);
}

/* The register name ("MPIDR_EL1"), or NULL if the encoding names none. */
const char *sysreg_name(uint32_t enc);

/* Look a name up (case-insensitive); 0 and *enc set, or -ENOENT. */
int sysreg_lookup(const char *name, uint32_t *enc);

/* Number of entries and the i-th entry, for iteration in tests. */
size_t sysreg_count(void);
int sysreg_at(size_t i, uint32_t *enc, const char **name);

/*
 * SYS instruction aliases (op0 = 1, same packing): "DC CIVAC",
 * "TLBI VMALLE1IS", "AT S1E1R", "IC IVAU" ... (Arm ARM C5.3, C6.2), or NULL.
 * Iteration as above; sysreg_sys_at returns -ERANGE past the end.
 */
const char *sysreg_sys_name(uint32_t enc);
size_t sysreg_sys_count(void);
int sysreg_sys_at(size_t i, uint32_t *enc, const char **name);

#endif
