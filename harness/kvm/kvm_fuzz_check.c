/*
 * `hvexit kvm fuzz`: one step's prediction against what KVM and the
 * guest showed, as findings (harness/report). The cluster key names the
 * cause: the checked value's role (transfer register, base writeback, an
 * untouched register, an access, the exit, the exception), the encoding
 * class and the exit path, so one bug is one cluster however many steps
 * hit it; a load whose register holds the zero-extended MMIO data where
 * SSE=1 requires sign extension is its own cluster.
 */
#include <stdio.h>
#include <string.h>

#include "harness/kvm/kvm_fuzz.h"
#include "harness/report/report.h"

#define ESR_EC(e)   ((unsigned)((e) >> 26) & 0x3f)
#define ESR_IL      (UINT64_C(1) << 25)
#define ISS_WNR     (UINT64_C(1) << 6)
#define EC_DABT_CUR 0x25u
#define DFSC_EXTABT 0x10u

static const char *path_name(const struct kf_obs *o)
{
	return o->nisv_exits ? "nisv" : o->mmio_exits ? "mmio" : "no-exit";
}

static const char *gic_name(uint32_t off)
{
	static const struct { uint32_t base; const char *name; } t[] = {
		{ 0x080, "GICD_IGROUPR" }, { 0x100, "GICD_ISENABLER" }, { 0x180, "GICD_ICENABLER" },
		{ 0x200, "GICD_ISPENDR" }, { 0x280, "GICD_ICPENDR" }, { 0x300, "GICD_ISACTIVER" },
		{ 0x380, "GICD_ICACTIVER" }, { 0x400, "GICD_IPRIORITYR" },
	};
	const char *n = "GICD";

	for (size_t i = 0; i < HVX_ARRAY_SIZE(t); i++)
		if (off >= t[i].base)
			n = t[i].name;
	return n;
}

void kf_describe(const struct kf_step *s, char *buf, size_t len)
{
	const struct insn *d = &s->d;

	switch (s->kind) {
	case KF_LDST:
		snprintf(buf, len, "%s (%s) 0x%08x at pc 0x%llx: rt %u rt2 %u rn %u rm %u rs %u, "
			 "first access 0x%llx (%s), %u bytes; x[rn] 0x%llx sp 0x%llx",
			 d->mnemonic ? d->mnemonic : "?", insn_class_name(d->cls), s->word,
			 (unsigned long long)s->in.pc, d->rt, d->rt2, d->rn, d->rm, d->rs,
			 (unsigned long long)s->ea, kf_target_name(s->target), d->nbytes,
			 (unsigned long long)(d->rn < 31 ? s->in.x[d->rn] : 0),
			 (unsigned long long)s->in.sp);
		break;
	case KF_HVC:
	case KF_SMC:
		snprintf(buf, len, "%s #0 at pc 0x%llx: x0 (function ID) 0x%llx x1 0x%llx x2 0x%llx x3 0x%llx",
			 s->kind == KF_HVC ? "HVC" : "SMC", (unsigned long long)s->in.pc,
			 (unsigned long long)s->in.x[0], (unsigned long long)s->in.x[1],
			 (unsigned long long)s->in.x[2], (unsigned long long)s->in.x[3]);
		break;
	case KF_GIC:
		snprintf(buf, len, "%s W%u, [X%u] then %s W%u, [X%u] at pc 0x%llx: %s (GICD +0x%x), "
			 "%u bytes, value written 0x%llx",
			 s->gic_size == 4 ? "STR" : "STRB", s->word & 31, (s->word >> 5) & 31,
			 s->gic_size == 4 ? "LDR" : "LDRB", s->word2 & 31, (s->word2 >> 5) & 31,
			 (unsigned long long)s->in.pc, gic_name(s->gic_off), s->gic_off, s->gic_size,
			 (unsigned long long)((s->word & 31) == 31 ? 0 : s->in.x[s->word & 31] &
					      (s->gic_size == 4 ? UINT32_MAX : 0xff)));
		break;
	default:
		snprintf(buf, len, "MRS X%u, S3_0_C0_C%u_%u (0x%08x) at pc 0x%llx", s->word & 31,
			 (s->sysenc >> 3) & 15, s->sysenc & 7, s->word, (unsigned long long)s->in.pc);
	}
}

static void add_at(struct kf_check_ctx *c, const struct kf_step *s, const char *kind,
		   const char *field, const char *rule, const char *cluster,
		   const char *expected, const char *observed, const char *at)
{
	struct finding f;

	finding_init(&f, kind, field, expected, observed);
	finding_set(&f, source, "kvm");
	finding_set(&f, rule, "%s", rule);
	finding_set(&f, cluster, "%s", cluster);
	finding_set(&f, where, "kvm fuzz seed %llu step %llu%s%s", (unsigned long long)c->seed,
		    (unsigned long long)s->k, at[0] ? " " : "", at);
	kf_describe(s, f.context, sizeof(f.context));
	finding_set(&f, reproduce, "hvexit kvm fuzz --seed %llu --steps %llu --step %llu",
		    (unsigned long long)c->seed, (unsigned long long)s->k + 1,
		    (unsigned long long)s->k);
	report_add(c->rep, &f);
	c->findings++;
}

static void add(struct kf_check_ctx *c, const struct kf_step *s, const char *kind,
		const char *field, const char *rule, const char *cluster,
		const char *expected, const char *observed)
{
	add_at(c, s, kind, field, rule, cluster, expected, observed, "");
}

static void hex(char *b, size_t n, uint64_t v)
{
	snprintf(b, n, "0x%llx", (unsigned long long)v);
}

/* ---- registers ------------------------------------------------------------ */
static const char *role(const struct kf_step *s, unsigned x)
{
	const struct insn *d = &s->d;

	if (s->kind == KF_GIC || s->kind == KF_SYSREG)
		return x == (s->kind == KF_GIC ? s->word2 : s->word) % 32 ? "result" : "untouched";
	if (s->kind != KF_LDST)
		return x == 0 ? "result" : "preserved";
	if (d->load && !d->simd && (x == d->rt || (d->pair && x == d->rt2)))
		return "transfer";
	if (d->writeback && x == d->rn)
		return "writeback";
	if ((d->exclusive || d->cls == INSN_C_CAS || d->cls == INSN_C_CASP || d->atomic) &&
	    (x == d->rs || x == d->rs + 1u))
		return "status";
	return "untouched";
}

/* The MMIO load result with SSE=1 left zero-extended (the cause the
 * baseline of Linux 6.1 names). */
static bool zero_extended_load(const struct kf_step *s, const struct kf_obs *o, unsigned x,
			       uint64_t observed)
{
	const struct insn *d = &s->d;
	uint64_t data;

	if (!d->sign_extend || !d->load || d->pair || x != d->rt || o->mmio_exits != 1 || !o->acc.n)
		return false;
	data = o->acc.a[0].data;
	if (o->acc.a[0].size < 8)
		data &= (UINT64_C(1) << (8 * o->acc.a[0].size)) - 1;
	return observed == data && observed != s->out.x[x];
}

static void reg_rule(const struct kf_step *s, const char *r, char *buf, size_t len)
{
	if (s->kind == KF_LDST)
		snprintf(buf, len, "Arm ARM C6.2 %s: %s", s->d.mnemonic ? s->d.mnemonic : "?",
			 !strcmp(r, "transfer") ? "the loaded value, zero- or sign-extended to the register "
			 "(a W destination zeroes bits [63:32]); for an MMIO exit ESR_EL2 ISS SAS/SSE/SF "
			 "(D24.2.46) say the same" :
			 !strcmp(r, "writeback") ? "the base register is written back (pre/post-index)" :
			 !strcmp(r, "status") ? "the status/compare register per the instruction" :
			 "no other register changes");
	else if (s->kind == KF_GIC)
		snprintf(buf, len, "GICv3 (IHI 0069) 12.9 %s: %s", gic_name(s->gic_off),
			 !strcmp(r, "result") ? "the value read back after the write (set/clear-enable, "
			 "-pending, -active: write 1 to set/clear, reads the state; IGROUPR read/write; "
			 "IPRIORITYR byte-accessible, 5 priority bits as the engine's KVM-shaped model)" :
			 "the accesses write no other register");
	else if (s->kind == KF_SYSREG)
		snprintf(buf, len, "HCR_EL2.TID3 (D24.2.62) traps the read; the guest reads the value "
			 "KVM_GET_ONE_REG reports (KVM api.rst, ARM64 system registers)");
	else
		snprintf(buf, len, "SMCCC (DEN0028) 1.1+: an unknown function ID returns NOT_SUPPORTED "
			 "(-1) in W0/X0; X4-X17 and X18-X30, SP are preserved");
}

/* The register's part in the step (the finding's field; the register
 * number goes to where, so one cause is one group). */
static void reg_field(const struct kf_step *s, unsigned x, const char *r, char *buf, size_t len)
{
	if (x == 31)
		snprintf(buf, len, "SP");
	else if (s->kind == KF_SYSREG || s->kind == KF_GIC)
		snprintf(buf, len, !strcmp(r, "result") ? "Rt" : "other X");
	else if (s->kind != KF_LDST)
		snprintf(buf, len, x == 0 ? "X0" : "X4-X30");
	else if (!strcmp(r, "transfer"))
		snprintf(buf, len, x == s->d.rt ? "Rt" : "Rt2");
	else if (!strcmp(r, "writeback"))
		snprintf(buf, len, "Rn (writeback)");
	else if (!strcmp(r, "status"))
		snprintf(buf, len, "Rs");
	else
		snprintf(buf, len, "other X");
}

static void check_regs(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o)
{
	char field[24], at[8], ex[40], ob[40], rule[384], cl[160];

	for (unsigned x = 0; x <= 31; x++) {
		uint64_t e = x < 31 ? s->out.x[x] : s->out.sp, v = x < 31 ? o->rep.x[x] : o->rep.sp;
		const char *r = x < 31 ? role(s, x) : "sp";

		if (x < 31 && (s->skip_x >> x & 1))
			continue;
		if (x == 0 && s->x0_low32) {
			e &= UINT32_MAX;
			v &= UINT32_MAX;
		}
		if (e == v)
			continue;
		reg_field(s, x, r, field, sizeof(field));
		snprintf(at, sizeof(at), x < 31 ? "x%u" : "sp", x);
		hex(ex, sizeof(ex), e);
		hex(ob, sizeof(ob), v);
		reg_rule(s, r, rule, sizeof(rule));
		if (s->kind == KF_LDST && zero_extended_load(s, o, x, v))
			snprintf(cl, sizeof(cl), "mmio-load-sign-extension");
		else if (s->kind == KF_LDST)
			snprintf(cl, sizeof(cl), "%s:%s:%s:%s", r, insn_class_name(s->d.cls),
				 s->d.load ? "load" : "store", path_name(o));
		else if (s->kind == KF_SYSREG)
			snprintf(cl, sizeof(cl), "sysreg:S3_0_C0_C%u_%u", (s->sysenc >> 3) & 15, s->sysenc & 7);
		else if (s->kind == KF_GIC)
			snprintf(cl, sizeof(cl), "gicd:%s:%s", gic_name(s->gic_off), r);
		else
			snprintf(cl, sizeof(cl), "smccc:%s:%s", kf_kind_name(s->kind), r);
		add_at(c, s, "fuzz-register", field, rule, cl, ex, ob, at);
	}
	for (unsigned i = 0; s->simd && i < 32; i++) {
		if (s->out.v[i][0] == o->rep.v[i][0] && s->out.v[i][1] == o->rep.v[i][1])
			continue;
		snprintf(field, sizeof(field), "v%u", i);
		snprintf(ex, sizeof(ex), "0x%016llx%016llx", (unsigned long long)s->out.v[i][1],
			 (unsigned long long)s->out.v[i][0]);
		snprintf(ob, sizeof(ob), "0x%016llx%016llx", (unsigned long long)o->rep.v[i][1],
			 (unsigned long long)o->rep.v[i][0]);
		snprintf(rule, sizeof(rule), "Arm ARM C7.2 %s: SIMD&FP transfer registers",
			 s->d.mnemonic ? s->d.mnemonic : "?");
		snprintf(cl, sizeof(cl), "simd:%s:%s:%s", insn_class_name(s->d.cls),
			 s->d.load ? "load" : "store", path_name(o));
		add(c, s, "fuzz-register", field, rule, cl, ex, ob);
	}
}

/* ---- accesses --------------------------------------------------------------- */
static void acc_text(const struct kf_accesses *a, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < a->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s%u@0x%llx=0x%llx", i ? " " : "",
				      a->a[i].write ? "W" : "R", a->a[i].size,
				      (unsigned long long)a->a[i].addr, (unsigned long long)a->a[i].data);
	if (!a->n)
		snprintf(buf, len, "none");
	if (a->overflow && o < len)
		snprintf(buf + o, len - o, " ...");
}

static bool same_accesses(const struct kf_accesses *a, const struct kf_accesses *b)
{
	if (a->n != b->n || a->overflow != b->overflow)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (a->a[i].addr != b->a[i].addr || a->a[i].size != b->a[i].size ||
		    a->a[i].write != b->a[i].write || a->a[i].data != b->a[i].data)
			return false;
	return true;
}

static bool check_accesses(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o)
{
	char ex[192], ob[192], rule[384], cl[160];

	if (s->target == KF_T_RAM || same_accesses(&s->acc, &o->acc))
		return true;
	acc_text(&s->acc, ex, sizeof(ex));
	acc_text(&o->acc, ob, sizeof(ob));
	snprintf(rule, sizeof(rule), "Arm ARM C6.2 %s: each access of the instruction exactly once, "
		 "with its address, size and data (an MMIO exit: KVM api.rst KVM_EXIT_MMIO "
		 "phys_addr/len/is_write/data)", s->d.mnemonic ? s->d.mnemonic : "?");
	snprintf(cl, sizeof(cl), "access:%s:%s:%s", insn_class_name(s->d.cls),
		 s->d.load ? "load" : "store", path_name(o));
	add(c, s, "fuzz-access", "accesses", rule, cl, ex, ob);
	return false;
}

/* ---- the ISV=0 exit --------------------------------------------------------- */
static void check_nisv(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o)
{
	char ex[64], ob[64], cl[160];
	unsigned fsc = (unsigned)(o->nisv_iss & 0x3f);
	bool rmw = s->d.atomic || s->d.cls == INSN_C_CAS || s->d.cls == INSN_C_CASP;

	if (!o->nisv_exits)
		return;
	if (o->nisv_ipa < s->ea || o->nisv_ipa >= s->ea + s->d.nbytes) {
		snprintf(ex, sizeof(ex), "in [0x%llx, 0x%llx)", (unsigned long long)s->ea,
			 (unsigned long long)(s->ea + s->d.nbytes));
		hex(ob, sizeof(ob), o->nisv_ipa);
		snprintf(cl, sizeof(cl), "nisv-ipa:%s", insn_class_name(s->d.cls));
		add(c, s, "fuzz-exit", "arm_nisv.fault_ipa",
		    "KVM api.rst KVM_EXIT_ARM_NISV: fault_ipa is the IPA of the faulting access "
		    "(MMU off: the address the instruction accesses)", cl, ex, ob);
	}
	if ((fsc & 0x3c) != 0x04) {
		snprintf(ex, sizeof(ex), "0b0001LL (translation fault)");
		hex(ob, sizeof(ob), fsc);
		add(c, s, "fuzz-syndrome", "arm_nisv.esr_iss.DFSC",
		    "ESR_EL2 D24.2.46 DFSC: an IPA outside every memslot has no Stage-2 mapping: "
		    "translation fault (the CPU's syndrome, passed on by KVM)", "nisv-dfsc", ex, ob);
	}
	/* D24.2.46 WnR: 0 for an atomic whose read would fault first */
	if (((o->nisv_iss & ISS_WNR) != 0) != (rmw ? false : (s->d.store && !s->d.load))) {
		snprintf(ex, sizeof(ex), "%u", rmw ? 0 : (s->d.store && !s->d.load));
		snprintf(ob, sizeof(ob), "%u", (o->nisv_iss & ISS_WNR) != 0);
		snprintf(cl, sizeof(cl), rmw ? "nisv-wnr-atomic" : "nisv-wnr:%s",
			 insn_class_name(s->d.cls));
		add(c, s, "fuzz-syndrome", "arm_nisv.esr_iss.WnR",
		    "ESR_EL2 D24.2.46 WnR: 1 for a write, 0 for a read and for an atomic whose read "
		    "faults (the CPU's syndrome, passed on by KVM)", cl, ex, ob);
	}
}

/*
 * A Store-Exclusive whose monitor check fails (no Load-Exclusive before
 * it) need not raise the abort its address would (C6.2 STXR: "it is
 * IMPLEMENTATION DEFINED whether the exception is generated"); then it
 * stores nothing and writes status 1 to Ws.
 */
static void check_failed_stx(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o)
{
	struct kf_step alt = *s;

	c->stx_failed++;
	alt.out = s->in;
	alt.out.pc = s->in.pc + 4;
	if (s->d.rs != 31)
		alt.out.x[s->d.rs] = 1;
	alt.acc.n = 0;
	alt.acc.overflow = false;
	alt.simd = false;
	check_regs(c, &alt, o);
	check_accesses(c, &alt, o);
}

/* The external abort the VMM injected after an ISV=0 exclusive/atomic. */
static void check_extabt(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o)
{
	const char *rule = "KVM api.rst KVM_SET_VCPU_EVENTS ext_dabt_pending: a synchronous external "
			   "data abort; ESR_EL1 (D24.2.45) EC 0x25 (same EL), IL 1, DFSC 0b010000; "
			   "FAR_EL1 the faulting address, ELR_EL1 the instruction, vector +0x200";
	char ex[96], ob[96], cl[160];
	uint64_t want = (uint64_t)EC_DABT_CUR << 26 | ESR_IL | DFSC_EXTABT;
	uint64_t mask = UINT64_C(0x3f) << 26 | ESR_IL | 0x3f;

	if (!o->nisv_exits && !o->mmio_exits && !o->exc && s->d.exclusive && s->d.store &&
	    !s->d.load) {
		check_failed_stx(c, s, o);
		return;
	}
	if (!o->nisv_exits) {
		snprintf(ex, sizeof(ex), "KVM_EXIT_ARM_NISV (ISV=0, D24.2.46 ISV)");
		snprintf(ob, sizeof(ob), "%u MMIO exits, no ISV=0 exit", o->mmio_exits);
		snprintf(cl, sizeof(cl), "exit-kind:%s", insn_class_name(s->d.cls));
		add(c, s, "fuzz-exit", "exit_reason",
		    "ESR_EL2 D24.2.46 ISV: 0 for Load/Store Exclusive and atomics; KVM then exits "
		    "with KVM_EXIT_ARM_NISV (api.rst, KVM_CAP_ARM_NISV_TO_USER)", cl, ex, ob);
		return;
	}
	check_nisv(c, s, o);
	snprintf(cl, sizeof(cl), "injected-abort:%s", insn_class_name(s->d.cls));
	if (!o->exc) {
		add(c, s, "fuzz-exception", "esr_el1", rule, cl, "synchronous external abort",
		    "no exception: the instruction completed");
		return;
	}
	if ((o->esr & mask) != want || o->far != o->nisv_ipa || o->elr != s->in.pc || o->vec != 0x200) {
		snprintf(ex, sizeof(ex), "ESR 0x%llx/mask 0x%llx FAR 0x%llx ELR 0x%llx vec 0x200",
			 (unsigned long long)want, (unsigned long long)mask,
			 (unsigned long long)o->nisv_ipa, (unsigned long long)s->in.pc);
		snprintf(ob, sizeof(ob), "ESR 0x%llx FAR 0x%llx ELR 0x%llx vec 0x%llx",
			 (unsigned long long)o->esr, (unsigned long long)o->far,
			 (unsigned long long)o->elr, (unsigned long long)o->vec);
		add(c, s, "fuzz-exception", "esr_el1", rule, cl, ex, ob);
	}
}

bool kf_check_step(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o)
{
	char ex[64], ob[96], cl[160];

	if (s->note[0])
		return true;
	if (s->kind == KF_GIC && c->gic_diverged) {
		c->gic_unchecked++;	/* the vGIC's state left the model's */
		return true;
	}
	if (s->kind == KF_GIC) {
		unsigned long before = c->findings;

		if (o->exc)
			goto exception;
		check_regs(c, s, o);
		c->gic_diverged = c->findings != before;
		return true;
	}
	if (s->expect == KF_X_EXTABT) {
		check_extabt(c, s, o);
		return !o->mmio_exits;
	}
	if (o->exc) {
exception:
		if (ESR_EC(o->esr) == 0 && o->elr == s->in.pc) {
			c->undef++;	/* not implemented by this CPU: UNDEFINED */
			return !o->acc.n;
		}
		snprintf(ex, sizeof(ex), "no exception");
		snprintf(ob, sizeof(ob), "ESR_EL1 0x%llx FAR_EL1 0x%llx ELR_EL1 0x%llx",
			 (unsigned long long)o->esr, (unsigned long long)o->far, (unsigned long long)o->elr);
		snprintf(cl, sizeof(cl), "exception:ec%#x:%s:%s", ESR_EC(o->esr),
			 s->kind == KF_LDST ? insn_class_name(s->d.cls) : kf_kind_name(s->kind),
			 path_name(o));
		add(c, s, "fuzz-exception", "esr_el1",
		    "the step completes without an exception: KVM emulates the access or trap, or "
		    "(ISV=0) hands it to the VMM, which emulates it (KVM api.rst KVM_EXIT_MMIO, "
		    "KVM_EXIT_ARM_NISV)", cl, ex, ob);
		return s->target == KF_T_RAM;
	}
	if (s->kind == KF_LDST && s->target != KF_T_RAM)
		check_nisv(c, s, o);
	check_regs(c, s, o);
	return check_accesses(c, s, o);
}

bool kf_check_ram(struct kf_check_ctx *c, const struct kf_step *s, unsigned n,
		  const uint8_t *pred, const uint8_t *real)
{
	char ex[40], ob[40], field[40];
	const struct kf_step *last = NULL;
	uint64_t addr;
	unsigned off;

	for (off = 0; off < FZ_WIN_SIZE && pred[off] == real[off]; off++)
		;
	if (off == FZ_WIN_SIZE)
		return true;
	addr = FZ_RAM_BASE + (off & ~7u);
	for (unsigned i = 0; i < n; i++)	/* the last store into that doubleword */
		if (s[i].kind == KF_LDST && s[i].target == KF_T_RAM && s[i].d.store &&
		    addr + 8 > s[i].ea && addr < s[i].ea + s[i].d.nbytes)
			last = &s[i];
	if (!last)
		last = &s[n - 1];
	snprintf(field, sizeof(field), "ram[0x%llx]", (unsigned long long)addr);
	hex(ex, sizeof(ex), hvx_get_le(pred + (off & ~7u), 8));
	hex(ob, sizeof(ob), hvx_get_le(real + (off & ~7u), 8));
	add(c, last, "fuzz-memory", field,
	    "Arm ARM C6.2: the bytes the stores of the batch write (plain RAM, no exit)",
	    "ram-contents", ex, ob);
	return false;
}
