/* Shim (see linux/kvm_host.h): nothing of asm/debug-monitors.h is used by
 * the MMIO code. */
