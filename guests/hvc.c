/*
 * hvc: the teaching hypervisor's custom hypercall (HVC #0 with x0 = 10) and SMCCC calls.
 * Arm DEN0028 (SMCCC) 7.1: an unknown function ID returns
 * NOT_SUPPORTED (-1) in x0. SMCCC_VERSION (0x80000000) returns >= 1.1
 * (0x10001) when implemented; SMCCC_ARCH_FEATURES (0x80000001) of an
 * unknown ID returns NOT_SUPPORTED. HVC from EL1 must return to the next
 * instruction (preferred return address of an HVC, D1.10).
 */
#include "common/guest.h"

#define NEG1 ((u64)-1L)

void guest_main(u64 cpu)
{
	if (cpu != 0)
		return;
	CHECK_EQ(1, NEG1, hvc_call(10, 0, 0, 0));
	CHECK_GE(2, 0x10000, hvc_call(0x80000000UL, 0, 0, 0));
	CHECK_EQ(3, NEG1, hvc_call(0x80000001UL, 0x8000ff00UL, 0, 0));
	CHECK_EQ(4, NEG1, hvc_call(0xc2001234UL, 0, 0, 0));	/* SiP, unknown */
	CHECK_EQ(5, NEG1, hvc_call(0x86000000UL | 0x4000UL, 0, 0, 0));	/* OEM */
	guest_done();
}
