/*
 * Shim for building Linux's arch/arm64/kvm/mmio.c and
 * arch/arm64/include/asm/kvm_emulate.h (extracted unchanged from Debian's
 * linux-source-6.1) as user-space code in the hvexit plugin adapter.
 *
 * Written for the adapter, not copied from Linux: it declares only what
 * those two files use -- the kernel's integer types and helpers, and the
 * vCPU state KVM's data-abort and MMIO code reads and writes -- with the
 * member names Linux 6.1 uses (struct kvm_vcpu, vcpu->arch.ctxt.regs,
 * vcpu->arch.fault.esr_el2, vcpu->run->mmio, the iflags vCPU flags).
 * Members those files never touch are left out.
 */
#ifndef HVX_SHIM_LINUX_KVM_HOST_H
#define HVX_SHIM_LINUX_KVM_HOST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/types.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <asm/ptrace.h>

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* A kernel WARN in the adapter means KVM's own invariant broke (or the
 * adapter set the vCPU up wrongly): end the process so that hvexit
 * reports it with the input, rather than carrying on silently. */
#define WARN_ON(c) ({ int __w = !!(c); if (__w) { \
	fprintf(stderr, "kvm adapter: WARN_ON(%s) at %s:%d\n", #c, __FILE__, __LINE__); \
	abort(); } __w; })
#define WARN_ON_ONCE(c) WARN_ON(c)

#define kvm_pr_unimpl(...)	do { } while (0)

static inline bool test_bit(long nr, const unsigned long *addr)
{
	return (addr[nr / 64] >> (nr % 64)) & 1;
}

typedef struct { int counter; } atomic_t;
#define atomic_read(v)	((v)->counter)

/* The host's byte order is little-endian (x86-64 and arm64 Linux hosts). */
#define cpu_to_le16(x)	((u16)(x))
#define cpu_to_le32(x)	((u32)(x))
#define cpu_to_le64(x)	((u64)(x))
#define le16_to_cpu(x)	((u16)(x))
#define le32_to_cpu(x)	((u32)(x))
#define le64_to_cpu(x)	((u64)(x))
#define cpu_to_be16(x)	__builtin_bswap16((u16)(x))
#define cpu_to_be32(x)	__builtin_bswap32((u32)(x))
#define cpu_to_be64(x)	__builtin_bswap64((u64)(x))
#define be16_to_cpu(x)	__builtin_bswap16((u16)(x))
#define be32_to_cpu(x)	__builtin_bswap32((u32)(x))
#define be64_to_cpu(x)	__builtin_bswap64((u64)(x))

/* CPU capabilities: the adapter models a CPU without the optional ones. */
enum { ARM64_HAS_RAS_EXTN, ARM64_HAS_STAGE2_FWB, ARM64_MISMATCHED_CACHE_TYPE };
#define cpus_have_const_cap(c)	((void)(c), false)

/* vCPU system registers (vcpu_read_sys_reg). */
enum vcpu_sysreg { MPIDR_EL1, SCTLR_EL1, NR_SYS_REGS };

struct kvm_cpu_context {
	struct user_pt_regs regs;	/* x0-x30, sp, pc, pstate */
	u64 sys_regs[NR_SYS_REGS];
};

struct kvm_vcpu_fault_info {
	u64 esr_el2;		/* ESR_EL2 of the exit */
	u64 far_el2;		/* FAR_EL2 */
	u64 hpfar_el2;		/* HPFAR_EL2 */
	u64 disr_el1;
};

struct its_vpe { atomic_t vlpi_count; };
struct vgic_v3_cpu_if { struct its_vpe its_vpe; };
struct vgic_cpu { struct vgic_v3_cpu_if vgic_v3; };

#define KVM_VCPU_MAX_FEATURES 7

struct kvm_vcpu_arch {
	struct kvm_cpu_context ctxt;
	u64 hcr_el2;
	u64 vsesr_el2;
	struct kvm_vcpu_fault_info fault;
	struct vgic_cpu vgic_cpu;
	u8 iflags;		/* flags for the next guest entry */
	unsigned long features[1];
};

/* kvm->arch.flags bits (test_bit numbers). */
enum {
	KVM_ARCH_FLAG_RETURN_NISV_IO_ABORT_TO_USER,
	KVM_ARCH_FLAG_REG_WIDTH_CONFIGURED,
	KVM_ARCH_FLAG_EL1_32BIT,
};

struct kvm_arch {
	unsigned long flags;
	struct { bool nassgireq; } vgic;
	bool mte_enabled;
};
struct kvm { struct kvm_arch arch; };
#define kvm_has_mte(kvm)	((kvm)->arch.mte_enabled)

/* struct kvm_run as far as MMIO exits use it (uapi/linux/kvm.h). */
#define KVM_EXIT_MMIO		6
#define KVM_EXIT_ARM_NISV	28
struct kvm_run {
	u32 exit_reason;
	struct {
		u64 phys_addr;
		u8 data[8];
		u32 len;
		u8 is_write;
	} mmio;
	struct {
		u64 esr_iss;
		u64 fault_ipa;
	} arm_nisv;
};

struct kvm_vcpu_stat { u64 mmio_exit_user, mmio_exit_kernel; };

struct kvm_vcpu {
	struct kvm *kvm;
	struct kvm_run *run;
	int mmio_needed;
	struct kvm_vcpu_arch arch;
	struct kvm_vcpu_stat stat;
};

#define vcpu_gp_regs(v)		(&(v)->arch.ctxt.regs)

static inline u64 vcpu_read_sys_reg(const struct kvm_vcpu *vcpu, int reg)
{
	return vcpu->arch.ctxt.sys_regs[reg];
}

static inline void vcpu_write_sys_reg(struct kvm_vcpu *vcpu, u64 val, int reg)
{
	vcpu->arch.ctxt.sys_regs[reg] = val;
}

/*
 * vCPU flags: each names (member, mask, value); vcpu_get_flag() yields
 * the masked bits, unpack_vcpu_flag() the value, so that KVM's
 * "switch (vcpu_get_flag(vcpu, EXCEPT_MASK)) case unpack_vcpu_flag(...)"
 * works as in the kernel.
 */
#define __vflag(set, m, v)		set, (m), (v)
#define PENDING_EXCEPTION		__vflag(iflags, 0x01, 0x01)
#define INCREMENT_PC			__vflag(iflags, 0x02, 0x02)
#define EXCEPT_MASK			__vflag(iflags, 0x1c, 0x1c)
#define EXCEPT_AA32_UND			__vflag(iflags, 0x1c, 0x00)
#define EXCEPT_AA32_IABT		__vflag(iflags, 0x1c, 0x04)
#define EXCEPT_AA32_DABT		__vflag(iflags, 0x1c, 0x08)
#define EXCEPT_AA64_EL1_SYNC		__vflag(iflags, 0x1c, 0x00)
#define EXCEPT_AA64_EL2_SYNC		__vflag(iflags, 0x1c, 0x10)
#define __vcpu_get_flag(v, set, m, val)	((v)->arch.set & (m))
#define __vcpu_set_flag(v, set, m, val)	((v)->arch.set = ((v)->arch.set & ~(m)) | (val))
#define __vcpu_clear_flag(v, set, m, val) ((v)->arch.set &= ~(m))
#define __unpack_vflag(set, m, val)	(val)
#define vcpu_get_flag(v, ...)		__vcpu_get_flag((v), __VA_ARGS__)
#define vcpu_set_flag(v, ...)		__vcpu_set_flag((v), __VA_ARGS__)
#define vcpu_clear_flag(v, ...)		__vcpu_clear_flag((v), __VA_ARGS__)
#define unpack_vcpu_flag(...)		__unpack_vflag(__VA_ARGS__)

/* The in-kernel MMIO bus (virt/kvm/kvm_main.c); the adapter defines them. */
enum kvm_bus { KVM_MMIO_BUS };
int kvm_io_bus_write(struct kvm_vcpu *vcpu, enum kvm_bus bus_idx, gpa_t addr,
		     int len, const void *val);
int kvm_io_bus_read(struct kvm_vcpu *vcpu, enum kvm_bus bus_idx, gpa_t addr,
		    int len, void *val);

/* arch/arm64/kvm/mmio.c */
void kvm_mmio_write_buf(void *buf, unsigned int len, unsigned long data);
unsigned long kvm_mmio_read_buf(const void *buf, unsigned int len);
int kvm_handle_mmio_return(struct kvm_vcpu *vcpu);
int io_mem_abort(struct kvm_vcpu *vcpu, phys_addr_t fault_ipa);

#endif
