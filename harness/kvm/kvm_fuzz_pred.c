/*
 * `hvexit kvm fuzz`: what the architecture requires of one step.
 *
 *  - load/store to the fuzz device: the exit engine (emu_handle_exit)
 *    handles the Stage-2 data abort the access raises, with the syndrome
 *    ESR_EL2 D24.2.46 requires: ISV=1 with SAS/SSE/SRT/SF/AR for a single
 *    general-purpose register without writeback, ISV=0 otherwise (then
 *    the engine emulates the instruction). SIMD&FP registers are not in
 *    the engine's vCPU, so those steps use the instruction emulator the
 *    engine uses (insn_emulate) directly. Exclusives and atomics (ISV=0,
 *    not emulated by the VMM, which injects a synchronous external abort:
 *    KVM api.rst KVM_SET_VCPU_EVENTS ext_dabt_pending) expect that abort.
 *  - load/store to plain RAM: no exit; insn_emulate on the RAM copy.
 *  - HVC/SMC: the engine's SMCCC/PSCI handling (DEN0028).
 *  - MRS of an ID register: trapped by HCR_EL2.TID3 (D24.2.62); the
 *    guest must read what KVM_GET_ONE_REG reports for it.
 *  - a write and read-back of a GICv3 Distributor register (the in-kernel
 *    vGICv3): the engine's GICv3 model (emu/gicv3_dist.c, IHI 0069 12.9).
 */
#include <stdio.h>
#include <string.h>

#include "harness/kvm/kvm_fuzz.h"

#define EC_DABT_LOW 0x24u
#define EC_HVC64    0x16u
#define EC_SMC64    0x17u
#define ESR_IL      (UINT64_C(1) << 25)
#define DFSC_TRANS3 0x07u	/* translation fault, level 3 */

/* ESR_EL2 of the Stage-2 data abort d raises (D24.2.46, ISS for EC 0x24). */
static uint64_t dabt_esr(const struct insn *d)
{
	uint64_t esr = (uint64_t)EC_DABT_LOW << 26 | ESR_IL | DFSC_TRANS3;

	if (d->store && !d->load)
		esr |= 1u << 6;				/* WnR */
	if (d->isv_possible)
		esr |= 1u << 24 | (uint64_t)d->iss.sas << 22 | (uint64_t)d->iss.sse << 21 |
		       (uint64_t)d->iss.srt << 16 | (uint64_t)d->iss.sf << 15 |
		       (uint64_t)d->iss.ar << 14;
	return esr;
}

static void engine_vm(struct emu_vm *vm, struct kf_dev *dev, const struct insn_regs *in)
{
	emu_vm_init(vm, 1);
	emu_bus_register(&vm->bus, FZ_DEV_BASE, FZ_DEV_SIZE, &kf_dev_ops, dev);
	memcpy(vm->vcpu[0].x, in->x, sizeof(in->x));
	vm->vcpu[0].sp_el1 = in->sp;
	vm->vcpu[0].pc = in->pc;
}

static void engine_result(struct kf_step *s, struct emu_vm *vm, const struct emu_outcome *o)
{
	memcpy(s->out.x, vm->vcpu[0].x, sizeof(s->out.x));
	s->out.sp = vm->vcpu[0].sp_el1;
	s->out.pc = vm->vcpu[0].pc;
	for (unsigned i = 0; i < o->n_accesses && i < KF_MAX_ACC; i++)
		s->acc.a[s->acc.n++] = (struct kf_access){ o->accesses[i].ipa,
			(uint8_t)o->accesses[i].len, o->accesses[i].write, o->accesses[i].data };
}

static bool is_rmw(const struct insn *d)
{
	return d->exclusive || d->atomic || d->cls == INSN_C_CAS || d->cls == INSN_C_CASP;
}

static void predict_ldst(struct kf_step *s, struct kf_dev *dev, uint8_t *ram,
			 const struct kf_caps *caps)
{
	struct kf_bus b = { ram, dev, &s->acc };
	struct insn_bus bus = kf_insn_bus(&b);
	int rc;

	s->simd = s->d.simd;
	if (s->target != KF_T_RAM && is_rmw(&s->d) && !s->d.isv_possible) {
		if (!caps->nisv || !caps->ext_dabt)
			snprintf(s->note, sizeof(s->note), "no NISV_TO_USER/INJECT_EXT_DABT");
		s->expect = KF_X_EXTABT;
		return;
	}
	if (s->target != KF_T_RAM && !s->d.simd) {
		struct emu_vm vm;
		struct emu_outcome o;
		struct emu_exit e = { .esr = dabt_esr(&s->d), .far = s->ea,
			.hpfar = (s->ea >> 12) << 4, .has_insn = true, .insn = s->word };

		s->via_engine = true;
		engine_vm(&vm, dev, &s->in);
		rc = emu_handle_exit(&vm, 0, &e, &o);
		if (rc > 0 && o.action == EMU_ACT_RESUME && !o.has_inject)
			engine_result(s, &vm, &o);
		else
			snprintf(s->note, sizeof(s->note), "engine: %s%s",
				 emu_action_name(o.action), o.n_findings ? o.findings[0].kind : "");
		emu_vm_destroy(&vm);
		return;
	}
	if (s->target == KF_T_RAM)
		b.acc = NULL;		/* no exits: nothing to compare access by access */
	rc = insn_emulate(s->word, &s->out, &bus);
	if (rc < 0)
		snprintf(s->note, sizeof(s->note), "emulator error %d", rc);
}

static void predict_smccc(struct kf_step *s, struct kf_dev *dev)
{
	struct emu_vm vm;
	struct emu_outcome o;
	struct emu_exit e = { .esr = (uint64_t)(s->kind == KF_HVC ? EC_HVC64 : EC_SMC64) << 26 | ESR_IL };
	struct insn_regs at = s->in;

	/* ELR_EL2 of an HVC is the next instruction, of a trapped SMC the
	 * SMC itself (D1.x "Preferred exception return address") */
	if (s->kind == KF_HVC)
		at.pc += 4;
	s->via_engine = true;
	engine_vm(&vm, dev, &at);
	if (emu_handle_exit(&vm, 0, &e, &o) > 0 && o.action == EMU_ACT_RESUME)
		engine_result(s, &vm, &o);
	else
		snprintf(s->note, sizeof(s->note), "engine: %s", emu_action_name(o.action));
	emu_vm_destroy(&vm);
	/* DEN0028 (SMCCC v1.1+): X1-X3 are result registers, UNKNOWN for a
	 * call that returns only NOT_SUPPORTED; X4-X17 and the rest are kept.
	 * An SMC32/HVC32 result is W0. */
	s->skip_x = 0xe;
	s->x0_low32 = s->smc32;
}

static void predict_sysreg(struct kf_step *s, const struct kf_caps *caps)
{
	unsigned crm = (s->sysenc >> 3) & 15, op2 = s->sysenc & 7, rt = s->word & 31;
	unsigned i = (crm - 1) * 8 + op2;

	if (rt != 31)
		s->out.x[rt] = caps->id_val[i];
	s->out.pc += 4;
}

/* The engine's GICv3 Distributor: the write, then the read-back. */
static void predict_gic(struct kf_step *s, struct gicv3 *g)
{
	unsigned rv = s->word & 31, rr = s->word2 & 31;
	uint64_t v = rv == 31 ? 0 : s->in.x[rv] & (s->gic_size == 4 ? UINT32_MAX : 0xff);

	s->via_engine = true;
	if (gicv3_dist_access(g, s->gic_off, s->gic_size, true, &v) < 0 ||
	    gicv3_dist_access(g, s->gic_off, s->gic_size, false, &v) < 0) {
		snprintf(s->note, sizeof(s->note), "GICD +0x%x: the model rejects the access", s->gic_off);
		return;
	}
	if (rr != 31)
		s->out.x[rr] = v;	/* LDR Wt/LDRB Wt: zero-extended */
	s->out.pc += 8;
}

void kf_predict(struct kf_step *s, struct kf_pred *p, const struct kf_caps *caps)
{
	struct kf_dev *dev = &p->dev;
	uint8_t *ram = p->ram;

	s->out = s->in;
	s->out.pc = s->in.pc + 4;
	s->acc.n = 0;
	s->expect = KF_X_RESUME;
	s->note[0] = '\0';
	switch (s->kind) {
	case KF_LDST:
		s->out.pc = s->in.pc;	/* the emulator and engine advance it */
		predict_ldst(s, dev, ram, caps);
		break;
	case KF_HVC:
	case KF_SMC:
		s->out.pc = s->in.pc;
		predict_smccc(s, dev);
		break;
	case KF_SYSREG:
		s->out.pc = s->in.pc;
		predict_sysreg(s, caps);
		break;
	case KF_GIC:
		s->out.pc = s->in.pc;
		predict_gic(s, &p->gic);
		break;
	default:
		snprintf(s->note, sizeof(s->note), "unknown step kind");
	}
}
