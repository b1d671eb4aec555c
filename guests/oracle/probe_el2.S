/*
 * The oracle probe's assembly: entry at EL2, the EL2 vector table, the
 * switch to EL1 and back, and the EL1 stub page.
 *
 * run_el1(ctx) loads X0..X30 and SP_EL1 from ctx, enters EL1h at
 * ctx->entry (ERET, interrupts masked) and returns to its caller when EL1
 * takes any exception to EL2: the lower-EL vectors record the vector
 * offset, ESR_EL2, FAR_EL2, HPFAR_EL2, ELR_EL2 and the guest's X0/X1 in
 * ctx and unwind to run_el1's frame (Arm ARM D1.3 "Exception entry",
 * D24.2.46 ESR_EL2, D24.2.76 HPFAR_EL2).
 */
	.equ CTX_X,      0	/* x[31] */
	.equ CTX_SP,     248
	.equ CTX_ENTRY,  256
	.equ CTX_VEC,    264
	.equ CTX_ESR,    272
	.equ CTX_FAR,    280
	.equ CTX_HPFAR,  288
	.equ CTX_ELR,    296
	.equ CTX_X0,     304
	.equ CTX_X1,     312

	.section .text.start, "ax"
	.global _start
_start:
	/* EL2 stage 1 off (SCTLR_EL2.M, C = 0), as after reset on QEMU; a
	 * loader that ran with its MMU on (U-Boot) must have cleaned its
	 * data cache first ('dcache off'), docs/oracle.md. */
	mrs	x0, sctlr_el2
	bic	x0, x0, #1
	bic	x0, x0, #4
	msr	sctlr_el2, x0
	isb
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =el2_vectors
	msr	vbar_el2, x0
	isb
	bl	probe_main
	.global probe_off
probe_off:
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF (SMC conduit at EL2) */
	smc	#0
1:	wfi
	b	1b

/* run_el1's frame: x29/x30 at sp, the callee-saved x19..x28 stored (op
 * stp) or loaded (op ldp) at sp+16..sp+95, the context pointer at sp+96. */
	.macro	callee_saved op
	\op	x19, x20, [sp, #16]
	\op	x21, x22, [sp, #32]
	\op	x23, x24, [sp, #48]
	\op	x25, x26, [sp, #64]
	\op	x27, x28, [sp, #80]
	.endm

	.text
	.global run_el1
run_el1:
	stp	x29, x30, [sp, #-112]!
	callee_saved stp
	str	x0, [sp, #96]
	ldr	x1, [x0, #CTX_SP]
	msr	sp_el1, x1
	ldr	x1, [x0, #CTX_ENTRY]
	msr	elr_el2, x1
	mov	x1, #0x3c5		/* EL1h, D, A, I, F masked */
	msr	spsr_el2, x1
	mov	x30, x0
	ldp	x0, x1, [x30, #0]
	ldp	x2, x3, [x30, #16]
	ldp	x4, x5, [x30, #32]
	ldp	x6, x7, [x30, #48]
	ldp	x8, x9, [x30, #64]
	ldp	x10, x11, [x30, #80]
	ldp	x12, x13, [x30, #96]
	ldp	x14, x15, [x30, #112]
	ldp	x16, x17, [x30, #128]
	ldp	x18, x19, [x30, #144]
	ldp	x20, x21, [x30, #160]
	ldp	x22, x23, [x30, #176]
	ldp	x24, x25, [x30, #192]
	ldp	x26, x27, [x30, #208]
	ldp	x28, x29, [x30, #224]
	ldr	x30, [x30, #240]
	isb
	eret

/* x0 = vector offset; the guest's X0/X1 are at [sp], run_el1's frame at sp+16 */
el2_catch:
	ldr	x1, [sp, #16 + 96]
	str	x0, [x1, #CTX_VEC]
	mrs	x0, esr_el2
	str	x0, [x1, #CTX_ESR]
	mrs	x0, far_el2
	str	x0, [x1, #CTX_FAR]
	mrs	x0, hpfar_el2
	str	x0, [x1, #CTX_HPFAR]
	mrs	x0, elr_el2
	str	x0, [x1, #CTX_ELR]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x1, #CTX_X0]
	callee_saved ldp
	ldp	x29, x30, [sp], #112
	ret

/* An exception taken from EL2 itself. An AT instruction armed by at()
 * may take a Data Abort (a synchronous External abort on the Stage-2
 * walk, Arm ARM D8.15 R_YWCRL): record ESR_EL2/FAR_EL2 and skip it.
 * Anything else: the probe cannot go on. */
el2_self:
	stp	x0, x1, [sp, #-16]!
	ldr	x0, =at_armed
	ldr	x1, [x0]
	cbz	x1, 1f
	str	xzr, [x0]
	mrs	x1, esr_el2
	str	x1, [x0, #8]
	mrs	x1, far_el2
	str	x1, [x0, #16]
	mrs	x1, elr_el2
	add	x1, x1, #4
	msr	elr_el2, x1
	ldp	x0, x1, [sp], #16
	eret
1:	ldp	x0, x1, [sp], #16
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	bl	probe_el2_fault
	b	probe_off

	.macro	vec_self
	.balign	0x80
	b	el2_self
	.endm
	.macro	vec_lower off
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\off
	b	el2_catch
	.endm

	.balign	0x800
el2_vectors:
	vec_self
	vec_self
	vec_self
	vec_self
	vec_self
	vec_self
	vec_self
	vec_self
	vec_lower 0x400
	vec_lower 0x480
	vec_lower 0x500
	vec_lower 0x580
	vec_lower 0x600
	vec_lower 0x680
	vec_lower 0x700
	vec_lower 0x780
	.ltorg

/*
 * The EL1 stub page, at IPA 0 for every case (VBAR_EL1 = 0). An exception
 * taken to EL1 (an alignment fault, an UNDEFINED instruction, a Stage-1
 * fault) is reported to EL2 as HVC #0xE1 with ESR_EL1 in X0 and FAR_EL1 in
 * X1. The instruction under test is written at STUB_SLOT (0x800); HVC #1
 * after it says it completed; a branch target holds HVC #2.
 */
	.macro	vec_el1
	.balign	0x80
	mrs	x0, esr_el1
	mrs	x1, far_el1
	hvc	#0xe1
	.endm

	.section .stub, "ax"
	.global stub_page
stub_page:
	.rept	16
	vec_el1
	.endr
	.balign	0x800
	.global	stub_slot
stub_slot:
	nop
	hvc	#1
	hvc	#1
	.balign	0x1000
