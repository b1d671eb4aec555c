/*
 * Trapped MSR/MRS (ESR_EL2 EC 0x18) for the engine's virtual CPU: a table
 * of the system registers the engine defines (emu/sysreg_trap.c). Every
 * other register, a write to a read-only one and a read of a write-only
 * one is UNDEFINED for the guest: the engine injects EC 0x00 (Unknown
 * reason, D24.2.46 ESR_EL1) with IL=1.
 *
 * The virtual CPU (values of the ID registers, Arm ARM D23.2):
 *   MIDR_EL1   0x410FD083  Implementer 0x41 Arm, Architecture 0xF (ID
 *                          registers), PartNum 0xD08, Revision 3
 *   REVIDR_EL1 0
 *   MPIDR_EL1  per vCPU (emu_vcpu.mpidr)
 *   ID_AA64PFR0_EL1  0x01000011  EL0 and EL1 AArch64 only, no EL2/EL3
 *                    for the guest, FP and AdvSIMD implemented (0b0000),
 *                    GIC [27:24] 0b0001 system register interface
 *   ID_AA64PFR1_EL1  0
 *   ID_AA64ISAR0_EL1 0x00211120  AES+PMULL, SHA1, SHA256, CRC32, LSE atomics
 *   ID_AA64ISAR1_EL1 0
 *   ID_AA64MMFR0_EL1 0x00000025  PARange 48 bits, 16-bit ASID, 4K and 64K
 *                    granules (TGran16 0b0000 = not supported)
 *   ID_AA64MMFR1_EL1 0, ID_AA64MMFR2_EL1 0
 *   ID_AA64DFR0_EL1  0x10305006  Debug v8.0, no PMU, 6 breakpoints,
 *                    4 watchpoints, 2 context-aware breakpoints
 *   CTR_EL0    0x8444C004  RES1 [31], CWG/ERG/DminLine/IminLine 64 bytes,
 *              L1Ip PIPT
 *   DCZID_EL0  0x00000004  DC ZVA allowed, 64-byte blocks
 *   CNTFRQ_EL0 62500000 (62.5 MHz), read-only at EL1
 * Other encodings of the ID space (op0 3, op1 0, CRn 0, CRm 1..7) read as
 * zero (Arm ARM: unallocated encodings in the ID register space are RAZ
 * for reads at EL1), writes UNDEF.
 * Timer: CNTVCT_EL0/CNTPCT_EL0 read-only, CNTV_CTL/CVAL/TVAL_EL0 through
 * emu/timer.c. ICC_SGI1R_EL1 (write-only) sends SGIs through vm->gic.
 * With vm->gicv3 set, every ICC_*_EL1 register is the GICv3 CPU
 * interface's (hvexit/gicv3.h, gicv3_sysreg_access()) instead.
 */
#ifndef HVEXIT_EMU_SYSREG_H
#define HVEXIT_EMU_SYSREG_H

#include "hvexit/emu.h"

#define EMU_VCPU_MIDR         UINT64_C(0x410FD083)
#define EMU_VCPU_REVIDR       UINT64_C(0)
#define EMU_VCPU_PFR0         UINT64_C(0x01000011)
#define EMU_VCPU_PFR1         UINT64_C(0)
#define EMU_VCPU_ISAR0        UINT64_C(0x00211120)
#define EMU_VCPU_ISAR1        UINT64_C(0)
#define EMU_VCPU_MMFR0        UINT64_C(0x00000025)
#define EMU_VCPU_MMFR1        UINT64_C(0)
#define EMU_VCPU_MMFR2        UINT64_C(0)
#define EMU_VCPU_DFR0         UINT64_C(0x10305006)
#define EMU_VCPU_CTR          UINT64_C(0x8444C004)
#define EMU_VCPU_DCZID        UINT64_C(0x00000004)
#define EMU_VCPU_CNTFRQ       UINT64_C(62500000)

/*
 * One trapped access of vCPU v to the register with sysreg_enc() encoding
 * enc. read: MRS (the value goes to *val); else MSR of *val.
 * Returns 0 done, -EPERM UNDEFINED for the guest (*why, if non-NULL, is a
 * static reason: "not modelled", "read-only", "write-only").
 */
int emu_sysreg_access(struct emu_vm *vm, struct emu_vcpu *v, uint32_t enc, bool read,
		      uint64_t *val, const char **why);

#endif
