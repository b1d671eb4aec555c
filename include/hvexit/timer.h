/*
 * Generic timer, EL1 virtual timer (Arm ARM D12 "The Generic Timer in
 * AArch64 state"; D24.x CNTV_CTL_EL0, CNTV_CVAL_EL0, CNTV_TVAL_EL0,
 * CNTVOFF_EL2). Virtual count = physical count - CNTVOFF_EL2.
 * Two ways a hypervisor can keep CNTVOFF_EL2 across scheduling:
 *  - EMU_CNTVOFF_SCHED_IN: on every schedule-in the hypervisor adds the
 *    time the vCPU was descheduled to CNTVOFF, so virtual time stands
 *    still while the vCPU is not running;
 *  - EMU_CNTVOFF_FIXED_MASKED: CNTVOFF is constant; on schedule-out the
 *    timer interrupt is masked (IMASK=1), on schedule-in it is unmasked.
 */
#ifndef HVEXIT_TIMER_H
#define HVEXIT_TIMER_H

#include "hvexit/emu.h"

#define TIMER_CTL_ENABLE  UINT64_C(1)	/* CNTV_CTL_EL0.ENABLE [0] */
#define TIMER_CTL_IMASK   UINT64_C(2)	/* [1] */
#define TIMER_CTL_ISTATUS UINT64_C(4)	/* [2], read-only */

uint64_t timer_cntvct(const struct emu_vm *vm, const struct emu_vcpu *v);
/* CNTV_CTL_EL0 as read: ISTATUS computed from CVAL <= CNTVCT. */
uint64_t timer_read_ctl(const struct emu_vm *vm, const struct emu_vcpu *v);
void timer_write_ctl(struct emu_vcpu *v, uint64_t val);
/* TVAL reads (CVAL - CNTVCT) truncated to 32 bits; writes set
 * CVAL = CNTVCT + SignExtend(TVAL[31:0]). */
uint64_t timer_read_tval(const struct emu_vm *vm, const struct emu_vcpu *v);
void timer_write_tval(const struct emu_vm *vm, struct emu_vcpu *v, uint64_t val);
/* Interrupt line: ENABLE && !IMASK && ISTATUS. */
bool timer_irq_asserted(const struct emu_vm *vm, const struct emu_vcpu *v);

/* Scheduling hooks for the two strategies. now = physical count. */
void timer_sched_out(struct emu_vm *vm, struct emu_vcpu *v, uint64_t now,
		     uint64_t *saved_out);
void timer_sched_in(struct emu_vm *vm, struct emu_vcpu *v, uint64_t now,
		    uint64_t saved_out);

#endif
