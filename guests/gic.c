/*
 * gic: GICv2 distributor accesses to KVM's in-kernel vGICv2 (one vCPU,
 * GICD at 0x08000000). Expected values from the GICv2 architecture
 * specification (Arm IHI 0048B):
 *  4.3.2  GICD_TYPER.CPUNumber = number of CPU interfaces - 1 (0 here);
 *         ITLinesNumber N gives 32*(N+1) interrupt IDs, at least SGIs+PPIs.
 *  4.3.1  GICD_CTLR.Enable is read/write.
 *  4.3.5/4.3.6 GICD_ISENABLERn sets, GICD_ICENABLERn clears an SPI's enable
 *         bit; both read back the current enables.
 *  4.3.11 GICD_IPRIORITYRn is byte accessible; at least 16 priority levels,
 *         so bits [7:4] of a field written with 0xff read back as 1.
 *  4.3.12 in a uniprocessor implementation GICD_ITARGETSRn are RAZ/WI.
 */
#include "common/guest.h"

#define GICD 0x08000000UL
static inline u32 r32(u64 a) { return *(volatile u32 *)a; }
static inline u8 r8(u64 a) { return *(volatile u8 *)a; }
static inline void w8(u64 a, u8 v) { *(volatile u8 *)a = v; }

void guest_main(u64 cpu)
{
	u32 typer;

	if (cpu != 0)
		return;
	typer = r32(GICD + 0x004);
	CHECK_EQ(1, 0, (typer >> 5) & 7);	/* CPUNumber */
	CHECK_GE(2, 1, typer & 0x1f);		/* ITLinesNumber: >= 64 IDs */
	w32(GICD + 0x000, 1);
	CHECK_EQ(3, 1, r32(GICD + 0x000) & 1);
	w32(GICD + 0x104, 1u << 2);		/* enable SPI 34 */
	CHECK_EQ(4, 1u << 2, r32(GICD + 0x104) & (1u << 2));
	CHECK_EQ(5, 1u << 2, r32(GICD + 0x184) & (1u << 2));
	w32(GICD + 0x184, 1u << 2);		/* disable it */
	CHECK_EQ(6, 0, r32(GICD + 0x104) & (1u << 2));
	w8(GICD + 0x400 + 34, 0xff);
	CHECK_EQ(7, 0xf0, r8(GICD + 0x400 + 34) & 0xf0);
	w8(GICD + 0x400 + 34, 0x00);
	CHECK_EQ(8, 0, r8(GICD + 0x400 + 34));
	CHECK_EQ(9, 0, r32(GICD + 0x800));	/* ITARGETSR0, uniprocessor */
	w32(GICD + 0x000, 0);
	guest_done();
}
