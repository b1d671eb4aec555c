/*
 * PSCI 0.2 / 1.x over HVC or SMC (Arm DEN0022, PSCI; SMCCC DEN0028).
 * Function IDs (DEN0022 5.1 "Function prototypes") and return codes
 * (DEN0022 5.2.2 "Return error codes").
 */
#ifndef HVEXIT_PSCI_H
#define HVEXIT_PSCI_H

#include "hvexit/emu.h"

#define PSCI_0_2_FN_VERSION            UINT32_C(0x84000000)
#define PSCI_0_2_FN_CPU_SUSPEND        UINT32_C(0x84000001)
#define PSCI_0_2_FN_CPU_OFF            UINT32_C(0x84000002)
#define PSCI_0_2_FN_CPU_ON             UINT32_C(0x84000003)
#define PSCI_0_2_FN_AFFINITY_INFO      UINT32_C(0x84000004)
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE  UINT32_C(0x84000006)
#define PSCI_0_2_FN_SYSTEM_OFF         UINT32_C(0x84000008)
#define PSCI_0_2_FN_SYSTEM_RESET       UINT32_C(0x84000009)
#define PSCI_1_0_FN_FEATURES           UINT32_C(0x8400000A)
#define PSCI_0_2_FN64_CPU_ON           UINT32_C(0xC4000003)
#define PSCI_0_2_FN64_AFFINITY_INFO    UINT32_C(0xC4000004)

#define PSCI_RET_SUCCESS             0
#define PSCI_RET_NOT_SUPPORTED      (-1)
#define PSCI_RET_INVALID_PARAMS     (-2)
#define PSCI_RET_DENIED             (-3)
#define PSCI_RET_ALREADY_ON         (-4)
#define PSCI_RET_ON_PENDING         (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT        (-7)
#define PSCI_RET_DISABLED           (-8)
#define PSCI_RET_INVALID_ADDRESS    (-9)

/* AFFINITY_INFO results (DEN0022 5.7). */
#define PSCI_AFF_ON          0
#define PSCI_AFF_OFF         1
#define PSCI_AFF_ON_PENDING  2

/* MIGRATE_INFO_TYPE: 2 = Trusted OS not present / no migration needed. */
#define PSCI_MIGRATE_NOT_PRESENT 2

/* The version reported: 1.1 (major << 16 | minor). */
#define PSCI_VERSION_1_1 UINT32_C(0x00010001)

/*
 * Handle an SMCCC call in v->x[0..3] (HVC or SMC). Sets the return value
 * in x0 (a register write in out) and the action: resume; shutdown
 * (SYSTEM_OFF); reset (SYSTEM_RESET); cpu_on (the target vCPU moves to
 * ON_PENDING with entry/context in out, the caller starts it with
 * psci_cpu_start); wfi for CPU_OFF (the calling vCPU is now OFF and must
 * not run until a CPU_ON). Unknown function IDs: NOT_SUPPORTED (-1) in x0
 * (SMCCC DEN0028 section 5.2). PC is not changed (the preferred return
 * address of HVC/SMC is already the next instruction; for a trapped SMC
 * the caller adds 4). Returns true if fid is a PSCI function.
 */
bool psci_call(struct emu_vm *vm, struct emu_vcpu *v, struct emu_outcome *out);

/* Start a vCPU left ON_PENDING by CPU_ON: PC = entry, x0 = context,
 * PSTATE EL1h with DAIF masked (DEN0022 6.4.3). 0 or -EINVAL. */
int psci_cpu_start(struct emu_vm *vm, unsigned vcpu);

#endif
