/* Shim (see linux/kvm_host.h): the SCTLR_EL1 endianness bits KVM's
 * kvm_vcpu_is_be() reads (Arm ARM D24.2.175 SCTLR_EL1: EE bit 25, E0E
 * bit 24). */
#ifndef HVX_SHIM_ASM_SYSREG_H
#define HVX_SHIM_ASM_SYSREG_H
#include <asm/memory.h>
#define SCTLR_ELx_EE	BIT(25)
#define SCTLR_EL1_E0E	BIT(24)
#endif
