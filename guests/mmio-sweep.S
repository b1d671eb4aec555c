/*
 * mmio-sweep: every single-register MMIO load and store form with an
 * instruction syndrome (ISV=1, Arm ARM D24.2.46): LDRB/LDRH/LDR (W, X),
 * LDRSB/LDRSH (W and X destination), LDRSW, LDAR{B,H} W and X, the
 * matching stores and STLR forms, with every destination/source register
 * X0..X30 and the zero register.
 *
 * For each access the guest first writes a descriptor to TD_CTRL
 *   [1:0] log2(size)  [2] signed  [3] W destination  [4] acquire/release
 *   [5] store  [10:6] register (31 = zero register)  [11] always 1
 * then performs the access on TD_SCRATCH (offset 0) and, for a load,
 * stores the full X register to TD_ECHO. The host checks the exit's
 * length/direction/address and the echoed register against the value
 * the architecture requires for the bytes it supplied (C6.2 LDRB etc.:
 * zero- or sign-extension to 32 or 64 bits, W writes zero bits 63:32).
 * Store data: register n holds K(n) = 0x8877665544332211 ^ n*0x0101..01.
 */
#define TD 0x10010000

	.macro SEL n, what, args:vararg
	.if \n == 28
	\what \n, 27, 26, \args
	.elseif \n == 26
	\what \n, 28, 25, \args
	.else
	\what \n, 28, 26, \args
	.endif
	.endm

	.macro DESC b, d, val
	ldr	x\b, =TD
	mov	x\d, #(\val)
	str	x\d, [x\b, #0x100]
	.endm

	/* op on register r (a number, or zr) as W (w=1) or X, at [x<b>] */
	.macro ACC op, w, r, b
	.if \w
	\op	w\r, [x\b]
	.else
	\op	x\r, [x\b]
	.endif
	.endm

	/* the access on register n, 31 being the zero register */
	.macro ACCN op, w, n, b
	.if \n == 31
	ACC	\op, \w, zr, \b
	.else
	ACC	\op, \w, \n, \b
	.endif
	.endm

	/* one load: n, base, desc-reg, op, size, sgn, w, acq */
	.macro LDB n, b, d, op, size, sgn, w, acq
	DESC	\b, \d, (0x800 | (\n << 6) | (\acq << 4) | (\w << 3) | (\sgn << 2) | \size)
	ACCN	\op, \w, \n, \b
	.if \n == 31
	str	xzr, [x\b, #0x108]
	.else
	str	x\n, [x\b, #0x108]
	.endif
	.endm

	/* one store: n, base, desc-reg, op, size, w, rel */
	.macro STB n, b, d, op, size, w, rel
	.if \n != 31
	ldr	x\n, =(0x8877665544332211 ^ (\n * 0x0101010101010101))
	.endif
	DESC	\b, \d, (0x800 | (\n << 6) | 0x20 | (\rel << 4) | (\w << 3) | \size)
	ACCN	\op, \w, \n, \b
	.endm

	.macro ALL n
	/* one line an instruction: its W form, then its X form if any */
	SEL \n, LDB, ldrb, 0, 0, 1, 0
	SEL \n, LDB, ldrh, 1, 0, 1, 0
	SEL \n, LDB, ldr, 2, 0, 1, 0;		SEL \n, LDB, ldr, 3, 0, 0, 0
	SEL \n, LDB, ldrsb, 0, 1, 1, 0;	SEL \n, LDB, ldrsb, 0, 1, 0, 0
	SEL \n, LDB, ldrsh, 1, 1, 1, 0;	SEL \n, LDB, ldrsh, 1, 1, 0, 0
	SEL \n, LDB, ldrsw, 2, 1, 0, 0
	SEL \n, LDB, ldarb, 0, 0, 1, 1
	SEL \n, LDB, ldarh, 1, 0, 1, 1
	SEL \n, LDB, ldar, 2, 0, 1, 1;		SEL \n, LDB, ldar, 3, 0, 0, 1
	SEL \n, STB, strb, 0, 1, 0
	SEL \n, STB, strh, 1, 1, 0
	SEL \n, STB, str, 2, 1, 0;		SEL \n, STB, str, 3, 0, 0
	SEL \n, STB, stlrb, 0, 1, 1
	SEL \n, STB, stlrh, 1, 1, 1
	SEL \n, STB, stlr, 2, 1, 1;		SEL \n, STB, stlr, 3, 0, 1
	b	1f
	.ltorg
1:
	.endm

	.section .text.start, "ax"
	.global _start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	cbnz	x0, park
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ALL \n
	.endr
	ldr	x1, =TD
	mov	x0, #0xd0e
	str	x0, [x1, #0x130]
park:
	ldr	x0, =0x84000008
	hvc	#0
2:	wfi
	b	2b
	.ltorg
