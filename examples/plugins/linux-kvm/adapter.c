/*
 * hvexit plugin adapter for Linux KVM (arm64, Linux 6.1): validates KVM's
 * own data-abort decoding and MMIO load completion, compiled unchanged
 * from Debian's linux-source-6.1 -- arch/arm64/kvm/mmio.c and
 * arch/arm64/include/asm/kvm_emulate.h, with asm/esr.h and asm/kvm_arm.h
 * for the syndrome masks. The build extracts them into build/linux-kvm/
 * (mk/linux-kvm.mk); they are never part of this repository. Everything
 * else KVM's code needs is the small shim beside this file.
 *
 * Entry points (plugin ABI 1.1):
 *   decode_dabt     the kvm_vcpu_dabt_* / kvm_vcpu_trap_* helpers of
 *                   kvm_emulate.h on a vCPU whose exit syndrome is esr.
 *                   Only EC 0x24 reaches KVM's abort handler (handle_exit.c
 *                   maps ESR_ELx_EC_DABT_LOW to kvm_handle_guest_abort);
 *                   every other EC is refused. KVM has no helper for AR, so
 *                   acq_rel is declared not extracted.
 *   mmio_load_regs  the whole MMIO read path of a guest load: io_mem_abort()
 *                   (no in-kernel device claims the address, so the exit
 *                   goes to user space with run->mmio filled), the VMM's
 *                   part (the device's len bytes into run->mmio.data, as
 *                   KVM's API asks), then kvm_handle_mmio_return() on the
 *                   next KVM_RUN, which writes the guest register file.
 *                   An abort KVM does not emulate (ISV=0: io_mem_abort
 *                   returns -ENOSYS) is refused.
 * The guest is little-endian AArch64 at EL1 (SCTLR_EL1.EE = 0). KVM
 * advances the PC on the next guest entry (kvm_incr_pc only sets
 * INCREMENT_PC), so the register file comes back with the PC unchanged.
 */
#include <linux/kvm_host.h>
#include <asm/kvm_emulate.h>

#include "hvexit/plugin.h"

int hvx_plugin_abi(void)
{
	return HVX_PLUGIN_ABI;
}

int hvx_plugin_abi_minor(void)
{
	return HVX_PLUGIN_ABI_MINOR;
}

uint32_t hvx_plugin_dabt_fields(void)
{
	return HVX_DABT_F_ALL & ~HVX_DABT_F_ACQ_REL;
}

/* What the VMM would have set up: one AArch64 vCPU of a VM without
 * user-space NISV exits. */
struct adapter_vm {
	struct kvm kvm;
	struct kvm_run run;
	struct kvm_vcpu vcpu;
};

static void vm_init(struct adapter_vm *vm, uint64_t esr)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm.arch.flags = 1UL << KVM_ARCH_FLAG_REG_WIDTH_CONFIGURED;
	vm->vcpu.kvm = &vm->kvm;
	vm->vcpu.run = &vm->run;
	vm->vcpu.arch.fault.esr_el2 = esr;
	vm->vcpu.arch.ctxt.regs.pstate = 0x3c5;	/* EL1h */
}

int hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out)
{
	struct adapter_vm vm;
	const struct kvm_vcpu *v = &vm.vcpu;

	vm_init(&vm, esr);
	if (kvm_vcpu_trap_get_class(v) != ESR_ELx_EC_DABT_LOW)
		return -1;
	out->valid = kvm_vcpu_dabt_isvalid(v);
	out->len = kvm_vcpu_dabt_get_as(v);
	out->is_write = kvm_vcpu_dabt_iswrite(v);
	out->sign_extend = kvm_vcpu_dabt_issext(v);
	out->rt = (unsigned)kvm_vcpu_dabt_get_rd(v);
	out->sixty_four = kvm_vcpu_dabt_issf(v);
	out->s1ptw = kvm_vcpu_abt_iss1tw(v);
	out->dfsc = kvm_vcpu_trap_get_fault(v);
	return 0;
}

/* No in-kernel device: the access exits to user space (KVM's
 * kvm_io_bus_* return -EOPNOTSUPP when no device claims the address). */
int kvm_io_bus_write(struct kvm_vcpu *vcpu, enum kvm_bus bus_idx, gpa_t addr,
		     int len, const void *val)
{
	(void)vcpu; (void)bus_idx; (void)addr; (void)len; (void)val;
	return -EOPNOTSUPP;
}

int kvm_io_bus_read(struct kvm_vcpu *vcpu, enum kvm_bus bus_idx, gpa_t addr,
		    int len, void *val)
{
	(void)vcpu; (void)bus_idx; (void)addr; (void)len; (void)val;
	return -EOPNOTSUPP;
}

#define DEVICE_IPA 0x09000000ULL	/* where the emulated device sits */

int hvx_plugin_mmio_load_regs(uint64_t esr, uint64_t bus_data, struct hvx_regs *regs)
{
	struct adapter_vm vm;
	struct kvm_vcpu *v = &vm.vcpu;
	int ret;

	vm_init(&vm, esr);
	if (kvm_vcpu_trap_get_class(v) != ESR_ELx_EC_DABT_LOW)
		return -1;
	memcpy(vcpu_gp_regs(v)->regs, regs->x, sizeof(regs->x));
	vcpu_gp_regs(v)->sp = regs->sp;
	vcpu_gp_regs(v)->pc = regs->pc;
	vcpu_gp_regs(v)->pstate = regs->pstate;
	ret = io_mem_abort(v, DEVICE_IPA);
	if (ret != 0 || vm.run.exit_reason != KVM_EXIT_MMIO || vm.run.mmio.is_write)
		return -1;	/* not a load KVM hands to user space */
	/* the VMM: the device's data, run->mmio.len bytes, little-endian */
	for (unsigned i = 0; i < vm.run.mmio.len && i < 8; i++)
		vm.run.mmio.data[i] = (uint8_t)(bus_data >> (8 * i));
	kvm_handle_mmio_return(v);
	memcpy(regs->x, vcpu_gp_regs(v)->regs, sizeof(regs->x));
	regs->sp = vcpu_gp_regs(v)->sp;
	regs->pc = vcpu_gp_regs(v)->pc;
	regs->pstate = vcpu_gp_regs(v)->pstate;
	return 0;
}
