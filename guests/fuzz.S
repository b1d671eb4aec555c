/*
 * fuzz: the guest of `hvexit kvm fuzz`. The host writes a batch of
 * generated steps to FZ_CODE_BASE; each step loads its input registers,
 * runs one instruction under test (a load/store to the fuzz device or
 * plain RAM, a trapped MRS, HVC or SMC) and stores every register to its
 * report slot. The batch ends by branching to batch_end, which tells the
 * host (a write to FZ_CTL_BASE) and then runs the next batch.
 *
 * Every exception taken to EL1 is recorded (ESR_EL1, FAR_EL1, ELR_EL1
 * and the vector offset at FZ_EXC_REC), reported with a write to
 * FZ_CTL_BASE + 8, and the guest continues at the address the host then
 * leaves in the record (the next step).
 */
#include "common/fuzz_map.h"

	.section .text.start, "ax"
	.global _start
_start:
	mov	x0, #FZ_VECTORS
	msr	vbar_el1, x0
	mrs	x0, cpacr_el1
	orr	x0, x0, #(3 << 20)	/* CPACR_EL1.FPEN: SIMD&FP not trapped */
	msr	cpacr_el1, x0
	isb
	b	batch_end

	.org	FZ_BATCH_END
	.global batch_end
batch_end:
	movz	x30, #(FZ_CTL_BASE >> 16), lsl #16
	str	wzr, [x30]		/* exit: the host writes the next batch */
	ic	iallu
	dsb	ish
	isb
	movz	x30, #(FZ_CODE_BASE >> 16), lsl #16
	br	x30

/* x29 = vector offset */
exc_common:
	movz	x30, #(FZ_EXC_REC >> 16), lsl #16
	movk	x30, #(FZ_EXC_REC & 0xffff)
	str	x29, [x30, #24]
	mrs	x29, esr_el1
	str	x29, [x30, #0]
	mrs	x29, far_el1
	str	x29, [x30, #8]
	mrs	x29, elr_el1
	str	x29, [x30, #16]
	movz	x29, #(FZ_CTL_BASE >> 16), lsl #16
	str	wzr, [x29, #8]		/* exit: the host reads the record */
	ldr	x30, [x30, #32]		/* resume address the host wrote */
	br	x30

	.org	FZ_VECTORS
vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	128
	mov	x29, #(\n * 0x80)
	b	exc_common
	.endr
