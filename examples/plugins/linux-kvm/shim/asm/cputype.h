/* Shim (see linux/kvm_host.h): MPIDR affinity fields (Arm ARM D24.2.138
 * MPIDR_EL1: Aff3 [39:32], Aff2..Aff0 [23:0]). */
#ifndef HVX_SHIM_ASM_CPUTYPE_H
#define HVX_SHIM_ASM_CPUTYPE_H
#define MPIDR_HWID_BITMASK	0xff00ffffffUL
#endif
