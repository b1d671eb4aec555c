/* Shim (see linux/kvm_host.h): the adapter models a non-VHE host. */
#ifndef HVX_SHIM_ASM_VIRT_H
#define HVX_SHIM_ASM_VIRT_H
#include <stdbool.h>
static inline bool is_kernel_in_hyp_mode(void) { return false; }
#endif
