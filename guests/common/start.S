/*
 * Common entry for hvexit guests. Every vCPU that KVM starts at the ELF
 * entry picks its stack from MPIDR_EL1.Aff0 (default layout: 64 KiB per
 * vCPU from 0x04020000; the stack grows down from the end of its slot),
 * calls guest_main(cpu) and then asks PSCI for SYSTEM_OFF.
 * psci_secondary_entry is the CPU_ON entry point: x0 = context ID.
 */
	.section .text.start, "ax"
	.global _start
_start:
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff
	mov	x0, x19
	bl	set_stack
	mov	x0, x19
	bl	guest_main
	b	guest_system_off

	.global psci_secondary_entry
psci_secondary_entry:
	mov	x20, x0			/* context ID from CPU_ON */
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff
	mov	x0, x19
	bl	set_stack
	mov	x0, x19
	mov	x1, x20
	bl	guest_secondary
	b	guest_cpu_off

/* sp = 0x04020000 + (cpu + 1) * 0x10000 */
set_stack:
	add	x1, x0, #1
	lsl	x1, x1, #16
	mov	x2, #0x04020000
	add	x1, x1, x2
	mov	sp, x1
	ret

	.global guest_system_off
guest_system_off:
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	hvc	#0
1:	wfi
	b	1b

	.global guest_cpu_off
guest_cpu_off:
	ldr	x0, =0x84000002		/* PSCI CPU_OFF */
	hvc	#0
1:	wfi
	b	1b

	.global hvc_call
/* uint64_t hvc_call(x0, x1, x2, x3): SMCCC call over HVC #0, returns x0 */
hvc_call:
	hvc	#0
	ret

	.weak guest_secondary
guest_secondary:
	ret
	.ltorg
