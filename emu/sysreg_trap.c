/*
 * Trapped MSR/MRS (EC 0x18) for the engine's virtual CPU: one table row
 * per register, sorted by encoding (STYLE.md 1). Values and the register
 * list: hvexit/emu_sysreg.h. Encodings: Arm ARM D23 (sysreg_enc packing);
 * ICC_SGI1R_EL1: GIC IHI0069 12.2 (TargetList [15:0], Aff1 [23:16],
 * INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]).
 * With vm->gicv3 set, the GICv3 CPU interface (emu/gicv3_cpuif.c) takes
 * every ICC_*_EL1 register first.
 */
#include <stdlib.h>

#include "hvexit/emu_sysreg.h"
#include "hvexit/gicd.h"
#include "hvexit/gicv3.h"
#include "hvexit/sysreg.h"
#include "hvexit/timer.h"

enum { RO = 1, WO = 2, RW = 3 };

struct trap_reg {
	uint32_t enc;
	unsigned acc;		/* RO, WO or RW */
	uint64_t value;		/* constant read value (read == NULL) */
	uint64_t (*read)(struct emu_vm *vm, struct emu_vcpu *v);
	int (*write)(struct emu_vm *vm, struct emu_vcpu *v, uint64_t val);
};

static uint64_t rd_mpidr(struct emu_vm *vm, struct emu_vcpu *v)
{
	(void)vm;
	return v->mpidr;
}
static uint64_t rd_cntpct(struct emu_vm *vm, struct emu_vcpu *v)
{
	(void)v;
	return vm->cntpct;
}
static uint64_t rd_cntvct(struct emu_vm *vm, struct emu_vcpu *v)
{
	return timer_cntvct(vm, v);
}
static uint64_t rd_tval(struct emu_vm *vm, struct emu_vcpu *v)
{
	return timer_read_tval(vm, v);
}
static int wr_tval(struct emu_vm *vm, struct emu_vcpu *v, uint64_t val)
{
	timer_write_tval(vm, v, val);
	return 0;
}
static uint64_t rd_ctl(struct emu_vm *vm, struct emu_vcpu *v)
{
	return timer_read_ctl(vm, v);
}
static int wr_ctl(struct emu_vm *vm, struct emu_vcpu *v, uint64_t val)
{
	(void)vm;
	timer_write_ctl(v, val);
	return 0;
}
static uint64_t rd_cval(struct emu_vm *vm, struct emu_vcpu *v)
{
	(void)vm;
	return v->cntv_cval;
}
static int wr_cval(struct emu_vm *vm, struct emu_vcpu *v, uint64_t val)
{
	(void)vm;
	v->cntv_cval = val;
	return 0;
}

/* GICv2 engine path: ICC_SGI1R_EL1 raises SGIs on vm->gic (CPU
 * interface n = vCPU index n); targets decoded by gic_sgir_targets(). */
static int wr_sgi1r(struct emu_vm *vm, struct emu_vcpu *v, uint64_t val)
{
	uint64_t mpidr[EMU_MAX_VCPUS];

	if (!vm->gic)
		return -EPERM;	/* no GIC system register interface */
	for (unsigned i = 0; i < vm->nvcpus; i++)
		mpidr[i] = vm->vcpu[i].mpidr;
	gicd_send_sgi(vm->gic, v->id, gic_sgir_intid(val),
		      gic_sgir_targets(val, mpidr, vm->nvcpus, (unsigned)(v - vm->vcpu)));
	return 0;
}

#define E(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

static const struct trap_reg regs[] = {
	{ E(3, 0, 0, 0, 0), RO, EMU_VCPU_MIDR, NULL, NULL },		/* MIDR_EL1 */
	{ E(3, 0, 0, 0, 5), RO, 0, rd_mpidr, NULL },			/* MPIDR_EL1 */
	{ E(3, 0, 0, 0, 6), RO, EMU_VCPU_REVIDR, NULL, NULL },		/* REVIDR_EL1 */
	{ E(3, 0, 0, 4, 0), RO, EMU_VCPU_PFR0, NULL, NULL },		/* ID_AA64PFR0_EL1 */
	{ E(3, 0, 0, 4, 1), RO, EMU_VCPU_PFR1, NULL, NULL },		/* ID_AA64PFR1_EL1 */
	{ E(3, 0, 0, 5, 0), RO, EMU_VCPU_DFR0, NULL, NULL },		/* ID_AA64DFR0_EL1 */
	{ E(3, 0, 0, 6, 0), RO, EMU_VCPU_ISAR0, NULL, NULL },		/* ID_AA64ISAR0_EL1 */
	{ E(3, 0, 0, 6, 1), RO, EMU_VCPU_ISAR1, NULL, NULL },		/* ID_AA64ISAR1_EL1 */
	{ E(3, 0, 0, 7, 0), RO, EMU_VCPU_MMFR0, NULL, NULL },		/* ID_AA64MMFR0_EL1 */
	{ E(3, 0, 0, 7, 1), RO, EMU_VCPU_MMFR1, NULL, NULL },		/* ID_AA64MMFR1_EL1 */
	{ E(3, 0, 0, 7, 2), RO, EMU_VCPU_MMFR2, NULL, NULL },		/* ID_AA64MMFR2_EL1 */
	{ E(3, 0, 12, 11, 5), WO, 0, NULL, wr_sgi1r },			/* ICC_SGI1R_EL1 */
	{ E(3, 3, 0, 0, 1), RO, EMU_VCPU_CTR, NULL, NULL },		/* CTR_EL0 */
	{ E(3, 3, 0, 0, 7), RO, EMU_VCPU_DCZID, NULL, NULL },		/* DCZID_EL0 */
	{ E(3, 3, 14, 0, 0), RO, EMU_VCPU_CNTFRQ, NULL, NULL },		/* CNTFRQ_EL0 */
	{ E(3, 3, 14, 0, 1), RO, 0, rd_cntpct, NULL },			/* CNTPCT_EL0 */
	{ E(3, 3, 14, 0, 2), RO, 0, rd_cntvct, NULL },			/* CNTVCT_EL0 */
	{ E(3, 3, 14, 3, 0), RW, 0, rd_tval, wr_tval },			/* CNTV_TVAL_EL0 */
	{ E(3, 3, 14, 3, 1), RW, 0, rd_ctl, wr_ctl },			/* CNTV_CTL_EL0 */
	{ E(3, 3, 14, 3, 2), RW, 0, rd_cval, wr_cval },			/* CNTV_CVAL_EL0 */
};

static int cmp_enc(const void *k, const void *e)
{
	uint32_t a = *(const uint32_t *)k, b = ((const struct trap_reg *)e)->enc;

	return a < b ? -1 : a > b;
}

/* op0 3, op1 0, CRn 0, CRm 1..7: the ID register space. */
static bool id_space(uint32_t enc)
{
	unsigned crm = (enc >> 3) & 15;

	return (enc >> 7) == (E(3, 0, 0, 0, 0) >> 7) && crm >= 1 && crm <= 7;
}

int emu_sysreg_access(struct emu_vm *vm, struct emu_vcpu *v, uint32_t enc, bool read,
		      uint64_t *val, const char **why)
{
	const struct trap_reg *r = bsearch(&enc, regs, sizeof(regs) / sizeof(regs[0]),
					   sizeof(regs[0]), cmp_enc);
	const char *dummy;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (vm->gicv3) {
		int rc = gicv3_sysreg_access(vm->gicv3, (unsigned)(v - vm->vcpu), enc, read, val,
					     why);
		if (rc != -ENOENT)
			return rc;
	}
	if (!r) {
		if (id_space(enc)) {
			if (!read) {
				*why = "read-only";
				return -EPERM;
			}
			*val = 0;	/* unallocated ID register: RAZ */
			return 0;
		}
		*why = "not modelled";
		return -EPERM;
	}
	if (read && !(r->acc & RO)) {
		*why = "write-only";
		return -EPERM;
	}
	if (!read && !(r->acc & WO)) {
		*why = "read-only";
		return -EPERM;
	}
	if (read) {
		*val = r->read ? r->read(vm, v) : r->value;
		return 0;
	}
	if (r->write(vm, v, *val)) {
		*why = "not modelled";
		return -EPERM;
	}
	return 0;
}
