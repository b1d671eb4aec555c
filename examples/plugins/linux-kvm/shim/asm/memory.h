/* Shim (see linux/kvm_host.h): the constant helpers asm/esr.h and
 * asm/kvm_arm.h use (linux/const.h, linux/bits.h). */
#ifndef HVX_SHIM_ASM_MEMORY_H
#define HVX_SHIM_ASM_MEMORY_H
#define _AC(x, y)	(x##y)
#define UL(x)		(_AC(x, UL))
#define ULL(x)		(_AC(x, ULL))
#define BIT(n)		(UL(1) << (n))
#define GENMASK(h, l)	(((~UL(0)) - (UL(1) << (l)) + 1) & (~UL(0) >> (63 - (h))))
#endif
