/* Cause, rule, instruction and reproducer of a replay difference (see
 * replay_explain.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/replay_explain.h"
#include "harness/trace/trace_engine.h"
#include "hvexit/emu.h"
#include "hvexit/esr.h"
#include "hvexit/insn.h"
#include "hvexit/sysreg.h"
#include "hvexit/xcheck.h"

#define EC_WFX   0x01
#define EC_HVC   0x16
#define EC_SMC   0x17
#define EC_SYS64 0x18
#define EC_IABT  0x20
#define EC_DABT  0x24

/* ---- the rule ------------------------------------------------------------ */

/* Phrases several rules share. */
#define ISS_FROM "D24.2.46 ESR_EL2, ISS encoding for an exception from "
#define R_DABT ISS_FROM "a Data Abort"
#define R_EC "D24.2.46 ESR_EL2: EC (bits [31:26])"
#define ELR "ELR_EL2 (C5.2.6)"
#define TSC "HCR_EL2.TSC (D24.2.62)"
#define NEXT "resumes at ELR_EL2 + 4"
#define SMCCC_X0 "the SMCCC/PSCI function ID is x0 and its result x0 (Arm DEN0028"
#define DOC_OUTCOME "docs/trace-format.md, "
#define R_ENTRY "D1.4.2.1 Synchronous exception entry: ELR_EL1 (C5.2.5) = the " \
	"instruction that faulted, SPSR_EL1 (C5.2.20) = PSTATE, ESR_EL1 (D24.2.45) and " \
	"FAR_EL1 (D24.2.48) describe the fault, PC = VBAR_EL1 (D24.2.214) + the vector " \
	"offset of D1.4.1.6 Exception vectors"

struct rule {
	const char *kind;	/* finding kind */
	const char *field;	/* prefix of the field; "" any */
	const char *suffix;	/* end of the field; "" any */
	int ec;			/* exception class, -1 any */
	const char *text;
};

/* First match wins: specific rows before general ones. */
static const struct rule rules[] = {
	{ "outcome", "outcome.accesses", ".ipa", EC_DABT,
	  "HPFAR_EL2.FIPA (D24.2.76) holds IPA[51:12] of the access and FAR_EL2 (D24.2.49) its "
	  "VA, whose bits [11:0] are the IPA's: IPA = FIPA << 12 | FAR[11:0]" },
	{ "outcome", "outcome.accesses", ".len", EC_DABT,
	  R_DABT ": with ISV=1 the access is 1 << SAS bytes (SAS, bits [23:22])" },
	{ "outcome", "outcome.accesses", ".write", EC_DABT,
	  R_DABT ": WnR (bit [6]) 1 = the abort came from a write, 0 = a read" },
	{ "outcome", "outcome.accesses", ".data", EC_DABT, R_DABT ": a store writes the low "
	  "1 << SAS bytes of the register SRT (bits [20:16]; 31 = XZR); a read returns what the "
	  "device or memory holds" },
	{ "outcome", "outcome.accesses", ".pending", EC_DABT, "a read no device model claims "
	  "goes to the VMM; its data comes from the event's mmio_data (" DOC_OUTCOME "outcome)" },
	{ "outcome", "outcome.writes", "", EC_DABT, R_DABT ": a load writes the register SRT "
	  "with the 1 << SAS bytes read, sign-extended when SSE=1 (bit [21]) to 64 bits if SF=1 "
	  "(bit [15]), else to 32 bits; SF=0 leaves bits [63:32] of Xt zero" },
	{ "outcome", "outcome.pc", "", EC_DABT, ELR " holds the address of the instruction that "
	  "took a Data Abort; an access the hypervisor completes resumes after it, at ELR_EL2 + 4 "
	  "(IL=1: a 32-bit instruction, D24.2.46 IL, bit [25])" },
	{ "outcome", "outcome.action", "", EC_DABT,
	  "the memory map decides: a device model completes the access (resume), an address no "
	  "model claims goes to the VMM (mmio), a fault the VM cannot satisfy is injected "
	  "(" DOC_OUTCOME "memory map)" },
	{ "outcome", "outcome.inject", "", -1, R_ENTRY },
	{ "outcome", "outcome.pc", "", EC_HVC, "for HVC, " ELR " is the preferred return "
	  "address, the instruction after the HVC (D1.4.2.1): the guest resumes there" },
	{ "outcome", "", "", EC_HVC, ISS_FROM "HVC or SVC instruction execution: imm16; "
	  SMCCC_X0 " SMCCC, Arm DEN0022 PSCI)" },
	{ "outcome", "outcome.pc", "", EC_SMC, "an SMC trapped by " TSC " is reported with "
	  ELR " = the SMC itself: the hypervisor completes it and " NEXT },
	{ "outcome", "", "", EC_SMC, "SMC trapped by " TSC ", ISS imm16 (D24.2.46); " SMCCC_X0
	  ", DEN0022)" },
	{ "outcome", "", "", EC_SYS64,
	  ISS_FROM "MSR, MRS, or System instruction execution in AArch64 state: "
	  "Op0/Op1/CRn/CRm/Op2 name the register, Rt (bits [9:5]) the general register, "
	  "Direction (bit [0]) 1 = MRS (a read into Rt); an emulated access " NEXT },
	{ "outcome", "", "", EC_WFX, "WFI/WFE trapped by HCR_EL2.TWI/TWE (D24.2.62); " ISS_FROM
	  "a WF* instruction: TI (bits [1:0]) 00 WFI, 01 WFE; a completed wait " NEXT },
	{ "outcome", "", "", EC_IABT,
	  ISS_FROM "an Instruction Abort: IFSC; HPFAR_EL2 (D24.2.76) gives the faulting IPA" },
	{ "outcome", "outcome.vcpu", "", -1,
	  "the outcome belongs to the vCPU that took the exit (the event's vcpu)" },
	{ "outcome", "outcome.findings", "", -1,
	  "a finding is the hypervisor saying the exit is not one it can handle architecturally "
	  "(" DOC_OUTCOME "the outcome object); " R_EC " and the ISS of its class say what the "
	  "exit is" },
	{ "outcome", "", "", -1, R_EC " selects the exception class and the ISS encoding that "
	  "decide how the exit is handled" },
	{ "xcheck", "", "", -1,
	  R_DABT ": with ISV=1, SAS/SSE/SRT/SF/AR/WnR describe the instruction that trapped "
	  "(its Arm ARM encoding, C6 A64 Base Instruction Descriptions)" },
	{ "kvm", "kvm.mmio", "", -1,
	  "KVM's MMIO must be the access the syndrome describes: length 1 << SAS, direction "
	  "WnR (" R_DABT "), address HPFAR_EL2.FIPA << 12 | FAR_EL2[11:0] (D24.2.76, D24.2.49)" },
	{ "kvm", "", "", -1, R_EC " and the ISS of its class decide what KVM may report for the "
	  "exit" },
};

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

/* Data aborts from a lower EL and from the same EL share one ISS
 * encoding, as do the two instruction abort classes. */
static int ec_class(unsigned ec)
{
	return ec == 0x25 ? EC_DABT : ec == 0x21 ? EC_IABT : (int)ec;
}

void explain_rule(const char *kind, const char *field, const struct trace_exit *e,
		  char *buf, size_t len)
{
	int ec = ec_class(e->ec);

	buf[0] = '\0';
	for (size_t i = 0; i < HVX_ARRAY_SIZE(rules); i++) {
		const struct rule *r = &rules[i];

		if (strcmp(r->kind, kind) || strncmp(field, r->field, strlen(r->field)) ||
		    !ends_with(field, r->suffix) || (r->ec >= 0 && r->ec != ec))
			continue;
		snprintf(buf, len, "%s", r->text);
		return;
	}
}

/* ---- the instruction ----------------------------------------------------- */

/* What the syndrome of a class that names its instruction says. */
static void from_syndrome(const struct trace_exit *e, char *buf, size_t len)
{
	uint32_t iss = (uint32_t)(e->esr & 0x1ffffff);
	static const char *const wfx[4] = { "wfi", "wfe", "wfit", "wfet" };

	buf[0] = '\0';
	if (!e->has_esr)
		return;
	switch (e->ec) {
	case EC_HVC:
	case EC_SMC:
		snprintf(buf, len, "%s #0x%x (from the ISS)", e->ec == EC_HVC ? "hvc" : "smc",
			 iss & 0xffff);
		break;
	case EC_WFX:
		snprintf(buf, len, "%s (from the ISS)", wfx[iss & 3]);
		break;
	case EC_SYS64: {
		unsigned op0 = iss >> 20 & 3, op2 = iss >> 17 & 7, op1 = iss >> 14 & 7,
			 crn = iss >> 10 & 15, rt = iss >> 5 & 31, crm = iss >> 1 & 15;
		const char *name = sysreg_name(sysreg_enc(op0, op1, crn, crm, op2));
		char reg[48], gpr[8];

		if (name)
			snprintf(reg, sizeof(reg), "%s", name);
		else
			snprintf(reg, sizeof(reg), "s%u_%u_c%u_c%u_%u", op0, op1, crn, crm, op2);
		if (rt == 31)
			snprintf(gpr, sizeof(gpr), "xzr");
		else
			snprintf(gpr, sizeof(gpr), "x%u", rt);
		if (iss & 1)
			snprintf(buf, len, "mrs %s, %s (from the ISS)", gpr, reg);
		else
			snprintf(buf, len, "msr %s, %s (from the ISS)", reg, gpr);
		break;
	}
	default:
		break;
	}
}

void explain_insn(const struct trace_event *ev, const struct trace_reader *r, char *buf,
		  size_t len)
{
	struct xcheck_csview v;
	struct insn d;
	uint32_t w;

	if (!trace_event_insn(r, ev, &w)) {
		from_syndrome(&ev->exit, buf, len);
		return;
	}
	if (xcheck_cs_view(w, &v) == 0 && v.decoded)
		snprintf(buf, len, "%s (0x%08x)", v.text, w);
	else if (insn_decode(w, &d) == 0)
		snprintf(buf, len, "%s (0x%08x)", d.mnemonic, w);
	else
		snprintf(buf, len, "0x%08x (not decoded)", w);
}

/* ---- the cause ----------------------------------------------------------- */

void explain_cluster(const struct trace_event *ev, const struct trace_reader *r, char *buf,
		     size_t len)
{
	const struct trace_exit *e = &ev->exit;
	struct esr_dabt a;
	struct insn d;
	uint32_t w;
	int n;

	if (e->has_esr && esr_decode_dabt(e->esr, &a) == 0 && a.isv)
		n = snprintf(buf, len, "EC 0x%02x ISV=1 SAS=%u SSE=%u SF=%u %s", e->ec, a.sas,
			     a.sse, a.sf, a.wnr ? "write" : "read");
	else if (e->has_esr && esr_decode_dabt(e->esr, &a) == 0)
		n = snprintf(buf, len, "EC 0x%02x ISV=0 %s", e->ec, a.wnr ? "write" : "read");
	else
		n = snprintf(buf, len, "EC 0x%02x", e->ec);
	if (n > 0 && (size_t)n < len && trace_event_insn(r, ev, &w) && insn_decode(w, &d) == 0)
		snprintf(buf + n, len - (size_t)n, " %s", d.mnemonic);
}

/* ---- the field ------------------------------------------------------------ */

/* The role register n plays in the exit: "Rt" (ISS SRT of an ISV=1 data
 * abort or of MSR/MRS, the transfer register of a decoded load/store),
 * "Rt2", "Rn" (base, written back); NULL when it plays none we know. */
static const char *reg_role(const struct trace_event *ev, const struct trace_reader *r,
			    unsigned n)
{
	const struct trace_exit *e = &ev->exit;
	struct esr_dabt a;
	struct insn d;
	uint32_t w;

	if (!e->has_esr)
		return NULL;
	if (ec_class(e->ec) == EC_DABT && esr_decode_dabt(e->esr, &a) == 0 && a.isv)
		return a.srt == n ? "Rt" : NULL;
	if (e->ec == EC_SYS64)
		return (e->esr >> 5 & 31) == n ? "Rt" : NULL;
	if (!trace_event_insn(r, ev, &w) || insn_decode(w, &d) != 0)
		return NULL;
	return d.rt == n ? "Rt" : d.pair && d.rt2 == n ? "Rt2" : d.writeback && d.rn == n ? "Rn" : NULL;
}

void explain_field(const char *field, const struct trace_event *ev,
		   const struct trace_reader *r, char *buf, size_t len)
{
	static const char pre[] = "outcome.writes.x";
	const char *role = NULL;
	char *end;

	if (!strncmp(field, pre, sizeof(pre) - 1)) {
		unsigned long n = strtoul(field + sizeof(pre) - 1, &end, 10);

		if (!*end && n <= 30)
			role = reg_role(ev, r, (unsigned)n);
	}
	if (role)
		snprintf(buf, len, "outcome.writes.%s", role);
	else
		snprintf(buf, len, "%s", field);
}

/* ---- the reproducer ------------------------------------------------------ */

struct out {
	char *buf;
	size_t len, n;
};

static void add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->n >= o->len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->buf + o->n, o->len - o->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k;
}

/* A path as one shell word. */
static void add_path(struct out *o, const char *p)
{
	if (!p[strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./+-=:")]) {
		add(o, "%s", p);
		return;
	}
	add(o, "'");
	for (; *p; p++)
		*p == '\'' ? add(o, "'\\''") : add(o, "%c", *p);
	add(o, "'");
}

/* Bit n: the exit may read xn. An ISV=1 data abort reads only the
 * register of a store (SRT); MSR/MRS reads Rt; HVC/SMC the SMCCC
 * arguments x0-x17 (DEN0028); an emulated load/store the registers its
 * encoding names; anything else every register. */
static uint32_t regs_read(const struct trace_event *ev, const struct trace_reader *r)
{
	const struct trace_exit *e = &ev->exit;
	struct esr_dabt a;
	struct insn d;
	uint32_t w, m = 0;

	if (ec_class(e->ec) == EC_DABT && esr_decode_dabt(e->esr, &a) == 0 && a.isv)
		return a.wnr && a.srt < 31 ? UINT32_C(1) << a.srt : 0;
	if (e->ec == EC_SYS64)
		return (e->esr >> 5 & 31) < 31 ? UINT32_C(1) << (e->esr >> 5 & 31) : 0;
	if (e->ec == EC_HVC || e->ec == EC_SMC)
		return (UINT32_C(1) << 18) - 1;
	if (ec_class(e->ec) != EC_DABT || !trace_event_insn(r, ev, &w) || insn_decode(w, &d) != 0)
		return UINT32_MAX;
	const uint8_t regs[] = { d.rt, d.rt2, d.rn, d.rm, d.rs };
	for (size_t i = 0; i < sizeof(regs); i++)
		if (regs[i] < 31)
			m |= UINT32_C(1) << regs[i];
	return m;
}

static bool header_makes_vm(const struct trace_reader *r)
{
	const json_t *h = r ? trace_reader_header(r) : NULL;
	const json_t *m = h ? json_object_get(h, "memory") : NULL;

	return (m && json_array_size(m)) || (h && json_object_get(h, "config"));
}

void explain_reproducer(const struct trace_event *ev, const struct trace_reader *r,
			struct trace_engine *eng, const char *trace, char *buf, size_t len)
{
	const struct trace_exit *e = &ev->exit;
	const struct trace_vcpu_regs *v = eng ? trace_engine_before(eng) : NULL;
	struct out o = { buf, len, 0 };
	uint32_t w;

	buf[0] = '\0';
	if (!e->has_esr)
		return;
	add(&o, "hvexit exit");
	if (trace && header_makes_vm(r)) {
		add(&o, " --trace-vm ");
		add_path(&o, trace);
	}
	add(&o, " --esr 0x%" PRIx64, e->esr);
	if (e->has_far)
		add(&o, " --far 0x%" PRIx64, e->far);
	if (e->has_hpfar)
		add(&o, " --hpfar 0x%" PRIx64, e->hpfar);
	if (e->has_pc || v)
		add(&o, " --pc 0x%" PRIx64, e->has_pc ? e->pc : v->pc);
	if (trace_event_insn(r, ev, &w))
		add(&o, " --insn 0x%08x", w);
	if (ev->vcpu)
		add(&o, " --vcpu %u", ev->vcpu);
	/* The registers the exit reads: the event's, else the vCPU's as
	 * earlier events left them (a fresh VM starts from zero). */
	uint32_t need = regs_read(ev, r);

	for (unsigned i = 0; i < TRACE_NREGS && i < 31; i++) {
		uint64_t x = e->regs_mask >> i & 1 ? e->regs[i] : v ? v->x[i] : 0;

		if ((need >> i & 1) && (x || (e->regs_mask >> i & 1)))
			add(&o, " --reg x%u=0x%" PRIx64, i, x);
	}
	for (unsigned i = 0; i < ev->n_mmio; i++)
		add(&o, " --mmio-data 0x%" PRIx64, ev->mmio_data[i]);
	add(&o, " --json");
	if (o.n >= o.len)	/* cut: no command is better than a wrong one */
		buf[0] = '\0';
}

/* ---- the finding ---------------------------------------------------------- */

/* The fault IPA of an abort (HPFAR_EL2.FIPA << 12 | FAR_EL2[11:0],
 * D24.2.76), for naming the device it hit. */
static bool fault_ipa(const struct trace_exit *e, uint64_t *ipa)
{
	if (!e->has_hpfar || !e->has_far || (e->ec & ~0x05u) != 0x20)
		return false;
	*ipa = ((e->hpfar >> 4) & ((UINT64_C(1) << 40) - 1)) << 12 | (e->far & 0xfff);
	return true;
}

void explain_finding(struct finding *f, const struct trace_diff *d,
		     const struct trace_event *ev, const struct trace_reader *r,
		     struct trace_engine *eng, const char *trace)
{
	char insn[160], dev[200] = "", ctx[sizeof(f->context)];
	bool renamed;
	uint64_t ipa;

	memset(f, 0, sizeof(*f));
	finding_set(f, kind, "%s", d->kind);
	explain_field(d->field, ev, r, f->field, sizeof(f->field));
	finding_set(f, expected, "%s", d->expected);
	finding_set(f, observed, "%s", d->recorded);
	explain_cluster(ev, r, f->cluster, sizeof(f->cluster));
	explain_rule(d->kind, d->field, &ev->exit, f->rule, sizeof(f->rule));
	/* where names the exact field when the group names its role */
	renamed = strcmp(f->field, d->field) != 0;
	finding_set(f, where, "%s:%llu: seq %llu vcpu %u%s%s", trace,
		    (unsigned long long)ev->line, (unsigned long long)ev->seq, ev->vcpu,
		    renamed ? ": " : "", renamed ? d->field : "");
	trace_describe_exit(&ev->exit, ctx, sizeof(ctx));
	explain_insn(ev, r, insn, sizeof(insn));
	if (eng && fault_ipa(&ev->exit, &ipa)) {
		const char *ref = trace_engine_device_ref(eng, ipa);

		trace_engine_device_at(eng, ipa, dev, sizeof(dev));
		/* what a device register reads as is the device's rule */
		if (ref && !strcmp(d->kind, "outcome") &&
		    (strstr(d->field, ".data") || strstr(d->field, ".writes."))) {
			char rule[sizeof(f->rule)];

			snprintf(rule, sizeof(rule), "%s", f->rule);
			finding_set(f, rule, "%s; the register's value: %s", rule, ref);
		}
	}
	finding_set(f, context, "%s%s%s%s%s", ctx, *insn ? "; instruction: " : "", insn,
		    *dev ? "; device: " : "", dev);
	if (!strcmp(d->kind, "outcome"))
		explain_reproducer(ev, r, eng, trace, f->reproduce, sizeof(f->reproduce));
}
