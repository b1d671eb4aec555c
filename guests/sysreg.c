/*
 * sysreg: reads of ID, affinity and timer registers. Architectural facts
 * checked (Arm ARM D19): MPIDR_EL1 bit 31 is RES1; ID_AA64PFR0_EL1.EL1
 * (bits 7:4) is 1 or 2 (EL1 implemented); CNTVCT_EL0 does not go
 * backwards; CNTFRQ_EL0 is non-zero once firmware/hypervisor set it.
 */
#include "common/guest.h"

#define MRS(r) ({ u64 _v; __asm__ volatile("mrs %0, " #r : "=r"(_v)); _v; })

void guest_main(u64 cpu)
{
	u64 mpidr = MRS(mpidr_el1);
	u64 pfr0 = MRS(id_aa64pfr0_el1);
	u64 t0 = MRS(cntvct_el0);
	u64 t1 = MRS(cntvct_el0);

	if (cpu != 0)
		return;
	CHECK_EQ(1, 1, (mpidr >> 31) & 1);
	CHECK_GE(2, 1, (pfr0 >> 4) & 0xf);
	CHECK_GE(3, t0, t1);
	CHECK_GE(4, 1, MRS(cntfrq_el0));
	CHECK_EQ(5, 0, mpidr & 0xff);	/* vCPU 0 runs this code */
	guest_done();
}
