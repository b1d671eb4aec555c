/*
 * nisv: accesses to MMIO whose syndrome carries no instruction syndrome
 * (ISV=0, Arm ARM D24.2.46: ISV is 0 for load/store pair and for any
 * access with base-register writeback), so KVM exits with
 * KVM_EXIT_ARM_NISV and the VMM emulates the instruction. The test
 * device's scratch window behaves as byte-addressed memory, so each
 * result is checked against the bytes stored before it, including the
 * written-back base register (C6.2 LDP/STP, LDR (immediate) pre/post,
 * LDR/STR (register), which may or may not carry a syndrome).
 */
#include "common/guest.h"

#define SCR (TESTDEV_BASE + TD_SCRATCH)

void guest_main(u64 cpu)
{
	u64 a, b, base;

	if (cpu != 0)
		return;
	/* plain stores (ISV=1) seed the window */
	w64(SCR + 0x40, 0x1111222233334444UL);
	w64(SCR + 0x48, 0x5555666677778888UL);

	/* LDP X, X */
	base = SCR + 0x40;
	__asm__ volatile("ldp %0, %1, [%2]" : "=&r"(a), "=&r"(b) : "r"(base) : "memory");
	CHECK_EQ(1, 0x1111222233334444UL, a);
	CHECK_EQ(2, 0x5555666677778888UL, b);

	/* STP X, X then plain loads */
	a = 0xa1a2a3a4a5a6a7a8UL; b = 0xb1b2b3b4b5b6b7b8UL;
	base = SCR + 0x50;
	__asm__ volatile("stp %0, %1, [%2]" :: "r"(a), "r"(b), "r"(base) : "memory");
	CHECK_EQ(3, a, r64(SCR + 0x50));
	CHECK_EQ(4, b, r64(SCR + 0x58));

	/* LDR pre-index: base += 8, load from the new base */
	base = SCR + 0x40;
	__asm__ volatile("ldr %0, [%1, #8]!" : "=&r"(a), "+r"(base) :: "memory");
	CHECK_EQ(5, 0x5555666677778888UL, a);
	CHECK_EQ(6, SCR + 0x48, base);

	/* LDR post-index: load from base, then base += 16 */
	base = SCR + 0x40;
	__asm__ volatile("ldr %0, [%1], #16" : "=&r"(a), "+r"(base) :: "memory");
	CHECK_EQ(7, 0x1111222233334444UL, a);
	CHECK_EQ(8, SCR + 0x50, base);

	/* STR post-index */
	base = SCR + 0x60;
	a = 0x0123456789abcdefUL;
	__asm__ volatile("str %1, [%0], #-8" : "+r"(base) : "r"(a) : "memory");
	CHECK_EQ(9, SCR + 0x58, base);
	CHECK_EQ(10, a, r64(SCR + 0x60));

	/* LDP W, W with writeback */
	base = SCR + 0x38;
	{
		u32 wa, wb;
		__asm__ volatile("ldp %w0, %w1, [%2, #8]!" : "=&r"(wa), "=&r"(wb), "+r"(base) :: "memory");
		CHECK_EQ(11, 0x33334444UL, wa);
		CHECK_EQ(12, 0x11112222UL, wb);
		CHECK_EQ(13, SCR + 0x40, base);
	}
	/* LDR (register offset) and STR (register, LSL #3) to MMIO */
	{
		u64 idx = 1;

		base = SCR + 0x40;
		__asm__ volatile("ldr %0, [%1, %2]" : "=&r"(a) : "r"(base), "r"((u64)8) : "memory");
		CHECK_EQ(14, 0x5555666677778888UL, a);
		a = 0x7766554433221100UL;
		__asm__ volatile("str %0, [%1, %2, lsl #3]" :: "r"(a), "r"(base), "r"(idx) : "memory");
		CHECK_EQ(15, a, r64(SCR + 0x48));
		CHECK_EQ(16, SCR + 0x40, base);
	}
	guest_done();
}
