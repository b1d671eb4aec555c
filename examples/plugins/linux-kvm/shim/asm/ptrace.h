/* Shim (see linux/kvm_host.h): the register file (Linux's struct
 * user_pt_regs layout) and the PSTATE/SPSR bits kvm_emulate.h tests
 * (Arm ARM C5.2.21 SPSR_EL2: M[4] = 1 for AArch32, M[3:0] the mode;
 * for AArch32 state T bit 5, E bit 9; Linux keeps the AArch32 DIT bit
 * at bit 24 of its AArch64 view). */
#ifndef HVX_SHIM_ASM_PTRACE_H
#define HVX_SHIM_ASM_PTRACE_H
#include <asm/types.h>
struct user_pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
};
#define PSR_MODE32_BIT		0x00000010
#define PSR_MODE_MASK		0x0000000f
#define PSR_MODE_EL0t		0x00000000
#define PSR_AA32_MODE_MASK	0x0000001f
#define PSR_AA32_MODE_USR	0x00000010
#define PSR_AA32_T_BIT		0x00000020
#define PSR_AA32_E_BIT		0x00000200
#define PSR_AA32_DIT_BIT	0x01000000
#endif
