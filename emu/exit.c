/*
 * handle_exit(): one exit to EL2 -> one outcome, dispatched by ESR_EL2.EC
 * through a table (STYLE.md 1). ESR layout: Arm ARM D24.2.46 ESR_EL2.
 */
#include <string.h>

#include "hvexit/esr.h"
#include "hvexit/emu_sysreg.h"
#include "hvexit/esr_load.h"
#include "hvexit/insn.h"
#include "hvexit/psci.h"
#include "hvexit/sysreg.h"
#include "hvexit/timer.h"

struct ctx {
	struct emu_vm *vm;
	struct emu_vcpu *v;
	const struct emu_exit *e;
	struct emu_outcome *out;
	uint64_t fault_ipa;
	unsigned next_data;	/* next exit->mmio_data to consume */
	bool pending;		/* a read needs the VMM */
	bool abort;		/* an access must be aborted */
	bool dev_abort;		/* ... because a device's register table rejected it */
};

typedef int (*exit_fn)(struct ctx *c);

/* ---- injection (D1.3 "Exceptions", D1.3.x "Exception vectors") --------- */
#define PSTATE_M_MASK    UINT64_C(0xf)
#define PSTATE_NRW       (UINT64_C(1) << 4)
#define PSTATE_EL1H_DAIF UINT64_C(0x3c5)

uint64_t emu_sync_vector_offset(uint64_t pstate)
{
	unsigned m = (unsigned)(pstate & PSTATE_M_MASK);

	if (pstate & PSTATE_NRW)
		return 0x600;		/* lower EL using AArch32 */
	if (m == 0x0)
		return 0x400;		/* lower EL (EL0) using AArch64 */
	if (m == 0x4)
		return 0x000;		/* current EL with SP_EL0 (EL1t) */
	return 0x200;			/* current EL with SP_ELx (EL1h) */
}

void emu_inject_sync(struct emu_vcpu *v, uint64_t esr_el1, uint64_t far_el1,
		     bool far_valid, struct emu_outcome *out)
{
	v->spsr_el1 = v->pstate;
	v->elr_el1 = v->pc;	/* preferred return: the faulting instruction */
	v->esr_el1 = esr_el1;
	if (far_valid)
		v->far_el1 = far_el1;
	v->pc = (v->vbar_el1 & ~UINT64_C(0x7ff)) + emu_sync_vector_offset(v->pstate);
	/* Entry to EL1h with D, A, I, F masked; SS, IL, nRW cleared. PAN,
	 * UAO, SSBS, TCO are not modelled. */
	v->pstate = PSTATE_EL1H_DAIF;
	out->action = EMU_ACT_INJECT;
	out->has_inject = true;
	out->inject = (struct emu_inject){ v->esr_el1, v->far_el1, v->elr_el1,
					   v->spsr_el1, v->pc };
	out->pc = v->pc;
}

static bool from_el0(const struct emu_vcpu *v)
{
	return (v->pstate & PSTATE_NRW) || (v->pstate & PSTATE_M_MASK) == 0;
}

/* EC 0x00 Unknown reason, IL=1 (D24.2.46). FAR_EL1 is UNKNOWN: unchanged. */
static void inject_undef(struct ctx *c)
{
	emu_inject_sync(c->v, ESR_IL, 0, false, c->out);
}

/* Synchronous external abort on a data access: EC 0x24/0x25 by source EL,
 * IL=1, ISV=0, WnR as the access, DFSC 0b010000 (D24.2.46). */
static void inject_dabt(struct ctx *c, bool wnr)
{
	uint64_t ec = from_el0(c->v) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	uint64_t esr = ec << ESR_EC_SHIFT | ESR_IL | (wnr ? UINT64_C(1) << 6 : 0) | 0x10;

	/* EA [9] is an IMPLEMENTATION DEFINED classification of External
	 * aborts (D24.2.46): the engine sets it when a device rejected the
	 * access (bad width or offset), so the guest can tell the two apart. */
	if (c->dev_abort)
		esr |= UINT64_C(1) << 9;

	emu_inject_sync(c->v, esr, c->e->far, true, c->out);
}

/* Instruction abort, external, EC 0x20/0x21, IFSC 0b010000. */
static void inject_iabt(struct ctx *c)
{
	uint64_t ec = from_el0(c->v) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;

	emu_inject_sync(c->v, ec << ESR_EC_SHIFT | ESR_IL | 0x10, c->e->far, true, c->out);
}

static void set_reg(struct ctx *c, unsigned r, uint64_t val)
{
	if (r >= 31)
		return;		/* XZR: nothing written */
	c->v->x[r] = val;
	if (c->out->n_writes < EMU_MAX_WRITES)
		c->out->writes[c->out->n_writes++] = (struct emu_regwrite){ (uint8_t)r, val };
}

static void advance(struct ctx *c)
{
	c->v->pc += 4;
	c->out->pc = c->v->pc;
}

/* ---- memory / MMIO ---------------------------------------------------- */
static int do_access(struct ctx *c, uint64_t ipa, unsigned size, bool write, uint64_t *val)
{
	struct emu_outcome *o = c->out;
	struct emu_access *a = o->n_accesses < EMU_MAX_ACCESSES ? &o->accesses[o->n_accesses] : NULL;
	int rc;

	if (!a) {
		c->abort = true;
		return -E2BIG;
	}
	if (!write)
		*val = 0;
	rc = emu_bus_access(&c->vm->bus, ipa, size, write, val);
	if (rc == -EINVAL) {
		/* Width or offset the device's register table does not allow:
		 * a synchronous external abort for the guest, and a finding. */
		const struct emu_bus_dev *d = emu_bus_find(&c->vm->bus, ipa, size);
		emu_outcome_finding(o, "bad_device_access", "%s +0x%llx: %u-byte %s not allowed",
				    d && d->ops && d->ops->name ? d->ops->name : "device",
				    (unsigned long long)(d ? ipa - d->base : ipa), size,
				    write ? "write" : "read");
		c->dev_abort = true;
	}
	if (rc == -ENODEV) {
		struct emu_region *r = emu_vm_region(c->vm, ipa, size);
		if (r && r->host && (write ? (r->flags & EMU_MEM_W) : (r->flags & EMU_MEM_R))) {
			uint8_t b[8] = { 0 };
			if (write) {
				hvx_put_le(b, *val, size);
				rc = emu_mem_write(c->vm, ipa, b, size);
			} else {
				rc = emu_mem_read(c->vm, ipa, b, size);
				*val |= hvx_get_le(b, size);
			}
		} else if (r || c->vm->cfg.unclaimed == EMU_UNCLAIMED_ABORT) {
			rc = -EFAULT;
		} else if (write) {
			rc = 0;
			o->action = EMU_ACT_MMIO;
		} else if (c->next_data < c->e->n_mmio_data && c->next_data < EMU_MAX_MMIO_DATA) {
			*val = c->e->mmio_data[c->next_data++];
			if (size < 8)
				*val &= (UINT64_C(1) << (8 * size)) - 1;
			rc = 0;
			o->action = EMU_ACT_MMIO;
		} else {
			*a = (struct emu_access){ ipa, size, write, 0, true };
			o->n_accesses++;
			c->pending = true;
			return -EAGAIN;
		}
	}
	if (rc) {
		c->abort = true;
		return -EFAULT;
	}
	*a = (struct emu_access){ ipa, size, write, *val, false };
	o->n_accesses++;
	return 0;
}

/* HPFAR_EL2.FIPA [43:4] = IPA[51:12] (D24.2.76 HPFAR_EL2). */
static uint64_t fault_ipa(const struct emu_exit *e)
{
	return hvx_bits(e->hpfar, 43, 4) << 12 | (e->far & 0xfff);
}

/* DFSC/IFSC of a Stage-2 translation, access flag or permission fault. */
static bool s2_fault_code(unsigned fsc)
{
	return (fsc >= 0x04 && fsc <= 0x0f) || fsc == 0x2b;
}

static bool is_translation(unsigned fsc)
{
	return (fsc >= 0x04 && fsc <= 0x07) || fsc == 0x2b;
}

/* Map-on-demand / inject for LAZY RAM (guest RAM the hypervisor maps on
 * its first Stage-2 translation fault). Returns true if
 * the exit was a translation fault on such RAM and has been handled. */
static bool lazy_ram(struct ctx *c, unsigned fsc, bool data, bool wnr)
{
	struct emu_region *r = emu_vm_region(c->vm, c->fault_ipa, 1);

	if (!r || !r->host || !is_translation(fsc))
		return false;
	if (!(r->flags & EMU_MEM_LAZY)) {
		emu_outcome_finding(c->out, "spurious_s2_fault",
				    "translation fault on mapped RAM 0x%llx",
				    (unsigned long long)c->fault_ipa);
		c->out->action = EMU_ACT_RESUME;
		return true;
	}
	if (c->vm->cfg.s2fault == EMU_S2F_INJECT) {
		if (data)
			inject_dabt(c, wnr);
		else
			inject_iabt(c);
		return true;
	}
	emu_vm_map_page(c->vm, c->fault_ipa);	/* flat map: cannot fail here */
	c->out->action = EMU_ACT_RESUME;	/* retry the instruction */
	return true;
}

static void inject_abort(struct ctx *c, enum s2_access acc, bool wnr)
{
	if (acc == S2_ACC_EXEC)
		inject_iabt(c);
	else
		inject_dabt(c, wnr);
}

/*
 * Stage-2 on: the engine's own tables (emu/stage2.c) decide what a
 * Stage-2 fault at fault_ipa is. Returns true when the exit is handled
 * here, false to continue with device emulation (MMIO). A Stage-2 fault
 * cannot be reflected to EL1 as such, so faults the VM cannot satisfy
 * become a synchronous external abort (D24.2.46 DFSC/IFSC 0b010000).
 */
static bool s2_decide(struct ctx *c, enum s2_access acc, bool wnr)
{
	struct emu_region *reg = emu_vm_region(c->vm, c->fault_ipa, 1);
	struct s2_result r;
	int rc;

	if (emu_vm_s2_walk(c->vm, c->fault_ipa, acc, &r))
		return false;
	switch (r.fault) {
	case S2_OK:	/* mapped and allowed: stale fault, retry */
		emu_outcome_finding(c->out, "spurious_s2_fault",
				    "IPA 0x%llx is mapped at level %d",
				    (unsigned long long)c->fault_ipa, r.level);
		c->out->action = EMU_ACT_RESUME;
		return true;
	case S2_FAULT_TRANSLATION:
		if (reg && (reg->flags & EMU_MEM_LAZY)) {
			if (c->vm->cfg.s2fault == EMU_S2F_INJECT) {
				inject_abort(c, acc, wnr);
				return true;
			}
			rc = emu_vm_map_page(c->vm, c->fault_ipa);
			if (rc) {
				emu_outcome_finding(c->out, "s2_map_failed",
						    "IPA 0x%llx: error %d",
						    (unsigned long long)c->fault_ipa, rc);
				inject_abort(c, acc, wnr);
				return true;
			}
			c->out->action = EMU_ACT_RESUME;	/* PC unchanged: re-execute */
			return true;
		}
		if ((reg && (reg->flags & EMU_MEM_DEVICE)) ||
		    emu_bus_find(&c->vm->bus, c->fault_ipa, 1) ||
		    c->vm->cfg.unclaimed == EMU_UNCLAIMED_MMIO)
			return false;	/* emulate (or hand to the VMM) */
		emu_outcome_finding(c->out, "s2_unmapped",
				    "translation fault at IPA 0x%llx outside every region",
				    (unsigned long long)c->fault_ipa);
		inject_abort(c, acc, wnr);
		return true;
	case S2_FAULT_PERMISSION:
		emu_outcome_finding(c->out, "s2_permission", "%s at IPA 0x%llx denied by S2AP/XN",
				    acc == S2_ACC_EXEC ? "fetch" : acc == S2_ACC_WRITE ? "write" : "read",
				    (unsigned long long)c->fault_ipa);
		inject_abort(c, acc, wnr);
		return true;
	default:
		emu_outcome_finding(c->out, "s2_walk_fault", "%s fault at IPA 0x%llx level %d",
				    s2_fault_name(r.fault), (unsigned long long)c->fault_ipa,
				    r.level);
		inject_abort(c, acc, wnr);
		return true;
	}
}

static int dabt_isv(struct ctx *c, const struct esr_dabt *d)
{
	unsigned size = 1u << d->sas;
	uint64_t val = 0;

	if (d->wnr) {
		val = d->srt == 31 ? 0 : c->v->x[d->srt];
		if (size < 8)
			val &= (UINT64_C(1) << (8 * size)) - 1;
	}
	if (do_access(c, c->fault_ipa, size, d->wnr, &val)) {
		if (c->pending) {
			c->out->action = EMU_ACT_MMIO;
			return 0;
		}
		inject_dabt(c, d->wnr);
		return 1;
	}
	if (!d->wnr) {
		/* The one load-completion rule (D24.2.46 SAS/SSE/SRT/SF), shared
		 * with the plugin validator: decoder/dabt_load.c. */
		uint64_t xt;
		if (esr_dabt_load_value(c->e->esr, val, &xt) > 0)
			set_reg(c, d->srt, xt);
	}
	if (c->out->action != EMU_ACT_MMIO)
		c->out->action = EMU_ACT_RESUME;
	advance(c);
	return 1;
}

/* ISV=0: emulate the instruction; its VA maps to the IPA by the offset
 * from FAR (same page). */
static int bus_rw(struct ctx *c, uint64_t addr, unsigned size, uint8_t *buf, bool write)
{
	uint64_t ipa = c->fault_ipa + (addr - c->e->far);

	if ((ipa & ~(EMU_PAGE_SIZE - 1)) != (c->fault_ipa & ~(EMU_PAGE_SIZE - 1)) ||
	    ((ipa + size - 1) & ~(EMU_PAGE_SIZE - 1)) != (c->fault_ipa & ~(EMU_PAGE_SIZE - 1))) {
		c->abort = true;
		return -EFAULT;
	}
	for (unsigned off = 0; off < size;) {
		unsigned n = size - off < 8 ? size - off : 8;
		uint64_t v = 0;
		/* Split into power-of-two pieces of at most 8 bytes. */
		while (n & (n - 1))
			n &= n - 1;
		if (write)
			v = hvx_get_le(buf + off, n);
		int rc = do_access(c, ipa + off, n, write, &v);
		if (rc)
			return rc;
		if (!write)
			hvx_put_le(buf + off, v, n);
		off += n;
	}
	return 0;
}
static int bus_read(void *ctx, uint64_t addr, unsigned size, uint8_t *buf)
{
	return bus_rw(ctx, addr, size, buf, false);
}
static int bus_write(void *ctx, uint64_t addr, unsigned size, const uint8_t *buf)
{
	return bus_rw(ctx, addr, size, (uint8_t *)buf, true);
}

static uint64_t *cur_sp(struct emu_vcpu *v)
{
	return (v->pstate & 1) ? &v->sp_el1 : &v->sp_el0;
}

static int dabt_no_isv(struct ctx *c, const struct esr_dabt *d)
{
	uint32_t word = c->e->insn;
	struct insn_regs r;
	struct insn_bus bus = { bus_read, bus_write, c };
	int rc;

	if (!c->e->has_insn && emu_mem_read(c->vm, c->v->pc, &word, 4)) {
		emu_outcome_finding(c->out, "insn_fetch_failed", "no RAM at PC 0x%llx",
				    (unsigned long long)c->v->pc);
		inject_dabt(c, d->wnr);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	memcpy(r.x, c->v->x, sizeof(r.x));
	r.sp = *cur_sp(c->v);
	r.pc = c->v->pc;
	rc = insn_emulate(word, &r, &bus);
	if (c->pending) {
		c->out->action = EMU_ACT_MMIO;
		return 0;
	}
	if (rc) {
		if (!c->abort)
			emu_outcome_finding(c->out, "unemulatable_insn",
					    "insn 0x%08x at 0x%llx: error %d", word,
					    (unsigned long long)c->v->pc, rc);
		inject_dabt(c, d->wnr);
		return 1;
	}
	for (unsigned i = 0; i < 31; i++)
		if (r.x[i] != c->v->x[i])
			set_reg(c, i, r.x[i]);
	if (r.sp != *cur_sp(c->v) && c->out->n_writes < EMU_MAX_WRITES) {
		*cur_sp(c->v) = r.sp;
		c->out->writes[c->out->n_writes++] = (struct emu_regwrite){ EMU_REG_SP, r.sp };
	}
	c->v->pc = r.pc;
	c->out->pc = r.pc;
	if (c->out->action != EMU_ACT_MMIO)
		c->out->action = EMU_ACT_RESUME;
	return 1;
}

static int h_dabt(struct ctx *c)
{
	struct esr_dabt d;

	if (esr_decode_dabt(c->e->esr, &d))
		return -1;
	c->fault_ipa = fault_ipa(c->e);
	if (!s2_fault_code(d.dfsc)) {
		emu_outcome_finding(c->out, "unexpected_dfsc", "DFSC 0x%02x at EL2", d.dfsc);
		return -1;
	}
	if (c->vm->s2.on) {
		if (s2_decide(c, d.s1ptw || !d.wnr ? S2_ACC_READ : S2_ACC_WRITE, d.wnr))
			return 1;
	} else if (lazy_ram(c, d.dfsc, true, d.wnr)) {
		return 1;
	}
	if (d.s1ptw) {	/* Stage-1 walk hit a non-RAM IPA: external abort */
		inject_dabt(c, d.wnr);
		return 1;
	}
	if (d.cm) {	/* cache maintenance on MMIO: no effect, skip (D7.x) */
		c->out->action = EMU_ACT_RESUME;
		advance(c);
		return 1;
	}
	return d.isv ? dabt_isv(c, &d) : dabt_no_isv(c, &d);
}

static int h_iabt(struct ctx *c)
{
	unsigned fsc = esr_iss(c->e->esr) & 0x3f;

	c->fault_ipa = fault_ipa(c->e);
	if (!s2_fault_code(fsc)) {
		emu_outcome_finding(c->out, "unexpected_ifsc", "IFSC 0x%02x at EL2", fsc);
		return -1;
	}
	if (c->vm->s2.on) {
		if (s2_decide(c, S2_ACC_EXEC, false))
			return 1;
	} else if (lazy_ram(c, fsc, false, false)) {
		return 1;
	}
	inject_iabt(c);
	return 1;
}

/* HVC: ELR_EL2 (the exit PC) is already the next instruction. */
static int h_hvc(struct ctx *c)
{
	if (c->v->x[0] == c->vm->cfg.hvc_custom_fn && !(esr_iss(c->e->esr) & 0xffff)) {
		c->vm->hvc_custom_calls++;	/* the configured custom hypercall: x0 kept */
		c->out->action = EMU_ACT_RESUME;
		return 1;
	}
	if (esr_iss(c->e->esr) & 0xffff) {	/* SMCCC uses imm16 = 0 */
		set_reg(c, 0, ~UINT64_C(0));
		c->out->action = EMU_ACT_RESUME;
		return 1;
	}
	psci_call(c->vm, c->v, c->out);
	return c->out->action == EMU_ACT_RESUME;
}

/* Trapped SMC: ELR_EL2 is the SMC itself, so the hypervisor adds 4. */
static int h_smc(struct ctx *c)
{
	advance(c);
	psci_call(c->vm, c->v, c->out);
	return c->out->action == EMU_ACT_RESUME;
}

/* EC 0x01: ISS TI [1:0] 00 WFI, 01 WFE, 10 WFIT, 11 WFET (D24.2.46). */
static int h_wfx(struct ctx *c)
{
	unsigned ti = esr_iss(c->e->esr) & 3;

	advance(c);
	c->out->action = (ti == 0 || ti == 2) ? EMU_ACT_WFI : EMU_ACT_RESUME;
	return c->out->action == EMU_ACT_RESUME;
}

/* EC 0x18: Op0 [21:20] Op2 [19:17] Op1 [16:14] CRn [13:10] Rt [9:5]
 * CRm [4:1] Direction [0] (1 = read) (D24.2.46, ISS for EC 0x18). The
 * registers are a table: emu/sysreg_trap.c; the rest is UNDEFINED. */
static int h_sys64(struct ctx *c)
{
	uint32_t iss = esr_iss(c->e->esr);
	uint32_t enc = sysreg_enc((unsigned)hvx_bits(iss, 21, 20), (unsigned)hvx_bits(iss, 16, 14),
				  (unsigned)hvx_bits(iss, 13, 10), (unsigned)hvx_bits(iss, 4, 1),
				  (unsigned)hvx_bits(iss, 19, 17));
	unsigned rt = (unsigned)hvx_bits(iss, 9, 5);
	bool rd = iss & 1;
	uint64_t val = rd ? 0 : (rt == 31 ? 0 : c->v->x[rt]);
	const char *why = NULL;

	if (emu_sysreg_access(c->vm, c->v, enc, rd, &val, &why)) {
		const char *name = sysreg_name(enc);
		if (name)
			emu_outcome_finding(c->out, "sysreg_undef", "%s %s: %s",
					    rd ? "MRS" : "MSR", name, why);
		else
			emu_outcome_finding(c->out, "sysreg_undef", "%s S%u_%u_C%u_C%u_%u: %s",
					    rd ? "MRS" : "MSR", enc >> 14, (enc >> 11) & 7,
					    (enc >> 7) & 15, (enc >> 3) & 15, enc & 7, why);
		inject_undef(c);
		return 1;
	}
	if (rd)
		set_reg(c, rt, val);
	advance(c);
	c->out->action = EMU_ACT_RESUME;
	return 1;
}

static const exit_fn handlers[ESR_EC_MAX + 1] = {
	[ESR_EC_WFx] = h_wfx,
	[ESR_EC_HVC64] = h_hvc,
	[ESR_EC_SMC64] = h_smc,
	[ESR_EC_SYS64] = h_sys64,
	[ESR_EC_IABT_LOW] = h_iabt,
	[ESR_EC_DABT_LOW] = h_dabt,
};

/* Every member of an outcome but its arrays, whose valid part the counts
 * say: the arrays are 900 of its 1000 bytes, and clearing them was a
 * quarter of the time of an MMIO exit. */
static void outcome_reset(struct emu_outcome *out)
{
	out->action = EMU_ACT_RESUME;
	out->vcpu = 0;
	out->pc = 0;
	out->n_accesses = out->n_writes = out->n_findings = 0;
	out->has_inject = false;
	memset(&out->inject, 0, sizeof(out->inject));
	out->target_mpidr = out->entry = out->context_id = 0;
}

int emu_handle_exit(struct emu_vm *vm, unsigned vcpu, const struct emu_exit *exit,
		    struct emu_outcome *out)
{
	struct ctx c = { 0 };
	struct emu_vcpu *v;
	unsigned ec;
	int rc;

	if (!vm || !exit || !out || vcpu >= vm->nvcpus)
		return -EINVAL;
	outcome_reset(out);
	v = &vm->vcpu[vcpu];
	out->vcpu = vcpu;
	if (exit->has_pc)
		v->pc = exit->pc;
	for (uint32_t m = exit->regs_mask & ((UINT32_C(1) << 31) - 1); m; m &= m - 1)
		v->x[__builtin_ctz(m)] = exit->regs[__builtin_ctz(m)];
	out->pc = v->pc;
	if (vm->on_vcpu)
		vm->on_vcpu(vm->on_vcpu_ctx, vcpu);
	c = (struct ctx){ .vm = vm, .v = v, .e = exit, .out = out };
	ec = esr_ec(exit->esr);
	/* Only EL1 (h/t) or EL0 AArch64, or AArch32 EL0, can trap here. */
	if (!(v->pstate & PSTATE_NRW) && (v->pstate & PSTATE_M_MASK) != 0 &&
	    (v->pstate & PSTATE_M_MASK) != 4 && (v->pstate & PSTATE_M_MASK) != 5) {
		emu_outcome_finding(out, "bad_pstate", "PSTATE.M 0x%llx cannot exit to EL2",
				    (unsigned long long)(v->pstate & 0x1f));
		out->action = EMU_ACT_UNHANDLED;
		return 0;
	}
	if (v->power != EMU_PWR_ON) {
		emu_outcome_finding(out, "vcpu_not_on", "vCPU %u is not powered on", vcpu);
		out->action = EMU_ACT_UNHANDLED;
		return 0;
	}
	if (exit->esr >> 56) {
		emu_outcome_finding(out, "esr_res0", "ESR_EL2[63:56] not zero");
		out->action = EMU_ACT_UNHANDLED;
		return 0;
	}
	if (!handlers[ec]) {
		/* No handler: the guest sees an undefined instruction. */
		emu_outcome_finding(out, "unhandled_ec", "EC 0x%02x", ec);
		inject_undef(&c);
		return 0;
	}
	rc = handlers[ec](&c);
	if (rc < 0) {
		if (!out->n_findings)
			emu_outcome_finding(out, "no_handler", "EC 0x%02x exit not accepted", ec);
		out->action = EMU_ACT_UNHANDLED;
		out->pc = v->pc;
		return 0;
	}
	return out->action == EMU_ACT_RESUME ? 1 : 0;
}
