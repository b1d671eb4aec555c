/*
 * wfi: WFI trapped by KVM (ESR_EL2 EC 0x01) with the virtual timer as the
 * wake-up event, on KVM's in-kernel vGICv3 (GICD 0x08000000, GICR
 * 0x080A0000). PSTATE.I stays masked: a pending interrupt that is not
 * taken still ends WFI (Arm ARM D1.6.2 "Wait For Interrupt": the wake-up
 * events include an IRQ pending regardless of PSTATE masking); WFI may
 * also complete spuriously, so the guest loops until the timer condition
 * holds (CNTV_CTL_EL0.ISTATUS, D11.2.4) and checks that it did within a
 * bounded number of WFIs and that CNTVCT_EL0 reached the deadline.
 * GIC programming follows GICv3 (IHI 0069): ICC_SRE_EL1.SRE, GICD_CTLR
 * ARE/EnableGrp1, GICR_IGROUPR0/ISENABLER0 for PPI 27 (the virtual timer
 * interrupt KVM uses by default), ICC_PMR_EL1, ICC_IGRPEN1_EL1.
 */
#include "common/guest.h"

#define GICD 0x08000000UL
#define GICR_SGI (0x080A0000UL + 0x10000UL)
#define VTIMER_PPI 27

#define MRS(r) ({ u64 _v; __asm__ volatile("mrs %0, " r : "=r"(_v)); _v; })
#define MSR(r, v) __asm__ volatile("msr " r ", %0\n\tisb" :: "r"((u64)(v)))

static inline u32 rd32(u64 a) { return *(volatile u32 *)a; }
static inline void wr8(u64 a, u8 v) { *(volatile u8 *)a = v; }

void guest_main(u64 cpu)
{
	u64 freq, t0, deadline, ctl = 0;
	unsigned long n;

	if (cpu != 0)
		return;
	MSR("S3_0_C12_C12_5", 0x7);		/* ICC_SRE_EL1: SRE, DFB, DIB */
	w32(GICD + 0x000, (1u << 4) | (1u << 1));	/* ARE, EnableGrp1 */
	w32(GICR_SGI + 0x080, rd32(GICR_SGI + 0x080) | (1u << VTIMER_PPI));	/* group 1 */
	wr8(GICR_SGI + 0x400 + VTIMER_PPI, 0x80);
	w32(GICR_SGI + 0x100, 1u << VTIMER_PPI);	/* enable */
	MSR("S3_0_C4_C6_0", 0xff);		/* ICC_PMR_EL1 */
	MSR("S3_0_C12_C12_7", 1);		/* ICC_IGRPEN1_EL1 */

	freq = MRS("cntfrq_el0");
	t0 = MRS("cntvct_el0");
	deadline = t0 + freq / 500;		/* 2 ms */
	MSR("cntv_cval_el0", deadline);
	MSR("cntv_ctl_el0", 1);			/* ENABLE, IMASK=0 */
	for (n = 0; n < 100000; n++) {
		ctl = MRS("cntv_ctl_el0");
		if (ctl & 4)
			break;
		__asm__ volatile("wfi" ::: "memory");
	}
	CHECK_EQ(1, 4, ctl & 4);		/* ISTATUS: the timer fired */
	CHECK_GE(2, deadline, MRS("cntvct_el0"));
	CHECK_GE(3, n, 1000);			/* at most 1000 WFIs: 1000 >= n */
	MSR("cntv_ctl_el0", 0);
	guest_done();
}
