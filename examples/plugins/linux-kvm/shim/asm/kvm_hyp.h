/* Shim (see linux/kvm_host.h): nothing of asm/kvm_hyp.h is used by
 * the MMIO code. */
