/* EL1 virtual timer (Arm ARM D12 "The Generic Timer in AArch64 state",
 * D12.x "Operation of the CompareValue views": ISTATUS = CNTVCT >= CVAL). */
#include "hvexit/timer.h"

uint64_t timer_cntvct(const struct emu_vm *vm, const struct emu_vcpu *v)
{
	return vm->cntpct - v->cntvoff;		/* CNTVCT = CNTPCT - CNTVOFF_EL2 */
}

uint64_t timer_read_ctl(const struct emu_vm *vm, const struct emu_vcpu *v)
{
	uint64_t ctl = v->cntv_ctl & (TIMER_CTL_ENABLE | TIMER_CTL_IMASK);

	if ((ctl & TIMER_CTL_ENABLE) && timer_cntvct(vm, v) >= v->cntv_cval)
		ctl |= TIMER_CTL_ISTATUS;
	return ctl;
}

void timer_write_ctl(struct emu_vcpu *v, uint64_t val)
{
	v->cntv_ctl = val & (TIMER_CTL_ENABLE | TIMER_CTL_IMASK);	/* ISTATUS RO */
}

uint64_t timer_read_tval(const struct emu_vm *vm, const struct emu_vcpu *v)
{
	return (v->cntv_cval - timer_cntvct(vm, v)) & UINT32_MAX;
}

void timer_write_tval(const struct emu_vm *vm, struct emu_vcpu *v, uint64_t val)
{
	v->cntv_cval = timer_cntvct(vm, v) + (uint64_t)hvx_sext(val, 32);
}

bool timer_irq_asserted(const struct emu_vm *vm, const struct emu_vcpu *v)
{
	uint64_t ctl = timer_read_ctl(vm, v);

	return (ctl & TIMER_CTL_ISTATUS) && !(ctl & TIMER_CTL_IMASK);
}

void timer_sched_out(struct emu_vm *vm, struct emu_vcpu *v, uint64_t now, uint64_t *saved_out)
{
	(void)vm;
	*saved_out = now;
	if (vm->cfg.cntvoff == EMU_CNTVOFF_FIXED_MASKED)
		v->cntv_ctl |= TIMER_CTL_IMASK;	/* strategy 2: mask while out */
}

void timer_sched_in(struct emu_vm *vm, struct emu_vcpu *v, uint64_t now, uint64_t saved_out)
{
	if (vm->cfg.cntvoff == EMU_CNTVOFF_SCHED_IN)
		v->cntvoff += now - saved_out;	/* strategy 1: hide time away */
	else
		v->cntv_ctl &= ~TIMER_CTL_IMASK;
	vm->cntpct = now;
}
