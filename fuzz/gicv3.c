/*
 * Fuzz the GICv3 model (Distributor, four Redistributors, the ICC_* CPU
 * interfaces) with a stream of operations (STYLE.md 4): each op is 12
 * bytes, padded with zeros if short; byte [0] modulo the op table picks
 * the op, [1] flags (bit0 write, bits1-2 width 1/2/4/8, bit3 align the
 * offset, bits4-5 vCPU, bit7 SGI_base frame), [2..3] a 16-bit field
 * (offset, register index or INTID), [4..11] a 64-bit value, both
 * little-endian. After each op the checks of that op run; after the
 * stream every register invariant below is checked through the guest's
 * view (MMIO and MRS), with a message naming the invariant that broke.
 * Expected values: Arm IHI 0069 chapter 12 (see tests/test_emu_gicv3.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/gicv3.h"
#include "hvexit/sysreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OP_LEN  12
#define MAX_OPS 340
#define NV      4

static const uint64_t mpidr[NV] = {
	UINT64_C(0x80000000), UINT64_C(0x80000001), UINT64_C(0x80000100),
	UINT64_C(0x0000000180010203),
};
static struct gicv3 G;

/* The System registers the sysreg op picks from: every ICC_*_EL1 of the
 * decoder's table, then a few that are not CPU interface registers. */
static uint32_t regs[64];
static const char *reg_names[64];
static unsigned nregs, nicc;

/* Encodings of the registers the checks name, looked up once. */
static const char *const named[] = {
	"ICC_IAR0_EL1", "ICC_IAR1_EL1", "ICC_EOIR0_EL1", "ICC_EOIR1_EL1", "ICC_HPPIR0_EL1",
	"ICC_HPPIR1_EL1", "ICC_RPR_EL1", "ICC_AP0R0_EL1", "ICC_AP1R0_EL1", "ICC_PMR_EL1",
	"ICC_BPR0_EL1", "ICC_BPR1_EL1", "ICC_CTLR_EL1", "ICC_SRE_EL1", "ICC_IGRPEN0_EL1",
	"ICC_IGRPEN1_EL1", "ICC_SGI0R_EL1", "ICC_SGI1R_EL1",
};
enum { IAR0, IAR1, EOIR0, EOIR1, HPPIR0, HPPIR1, RPR, AP0R0, AP1R0, PMR, BPR0, BPR1, CTLR,
       SRE, IGRPEN0, IGRPEN1, SGI0R, SGI1R, NNAMED };
static uint32_t named_enc[NNAMED];

static void expect(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void expect(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "gicv3 fuzz: invariant broken: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

static void pick_regs(void)
{
	static const char *other[] = { "MPIDR_EL1", "ICC_SRE_EL2", "ICH_HCR_EL2", "ICC_CTLR_EL3" };
	uint32_t enc;
	const char *name;

	for (size_t i = 0; i < sysreg_count() && nregs < 60; i++) {
		size_t n;
		if (sysreg_at(i, &enc, &name) || strncmp(name, "ICC_", 4))
			continue;
		n = strlen(name);
		if (strcmp(name + n - 4, "_EL1"))
			continue;
		reg_names[nregs] = name;
		regs[nregs++] = enc;
	}
	nicc = nregs;
	for (unsigned i = 0; i < NNAMED; i++)
		expect(!sysreg_lookup(named[i], &named_enc[i]), "%s missing from the decoder table",
		       named[i]);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(other); i++)
		if (!sysreg_lookup(other[i], &enc)) {
			reg_names[nregs] = other[i];
			regs[nregs++] = enc;
		}
}

struct op {
	uint8_t code, flags;
	uint16_t field;
	uint64_t val;
};

static unsigned op_width(const struct op *o) { return 1u << ((o->flags >> 1) & 3); }
static unsigned op_vcpu(const struct op *o) { return (o->flags >> 4) & 3; }

static uint64_t mrs(unsigned vcpu, unsigned r)
{
	uint64_t v = 0;

	expect(gicv3_sysreg_access(&G, vcpu, named_enc[r], true, &v, NULL) == 0, "MRS %s failed",
	       named[r]);
	return v;
}

static void msr(unsigned vcpu, unsigned r, uint64_t v)
{
	expect(gicv3_sysreg_access(&G, vcpu, named_enc[r], false, &v, NULL) == 0, "MSR %s failed",
	       named[r]);
}

static uint32_t dist_rd(uint32_t off)
{
	uint64_t v = 0;

	expect(gicv3_dist_access(&G, off, 4, false, &v) == 0, "GICD 0x%04x not readable", off);
	return (uint32_t)v;
}

static uint32_t redist_rd(unsigned c, uint32_t off)
{
	uint64_t v = 0;

	expect(gicv3_redist_access(&G, c, off, 4, false, &v) == 0, "GICR%u 0x%05x not readable",
	       c, off);
	return (uint32_t)v;
}

/* ---- ops ---- */
static void op_mmio(const struct op *o, bool redist)
{
	unsigned w = op_width(o), c = op_vcpu(o);
	uint32_t off = o->field | (redist && (o->flags & 0x80) ? GICV3_SGI_BASE : 0);
	uint64_t v = o->val;
	int rc;

	if (o->flags & 8)
		off &= ~(w - 1);
	rc = redist ? gicv3_redist_access(&G, c, off, w, o->flags & 1, &v)
		    : gicv3_dist_access(&G, off, w, o->flags & 1, &v);
	expect(rc == 0 || rc == -EINVAL, "%s access returned %d", redist ? "GICR" : "GICD", rc);
	/* 12.1: accesses are naturally aligned; no register takes halfwords. */
	expect(!(off & (w - 1)) || rc == -EINVAL, "unaligned %u-byte access at 0x%x accepted", w,
	       off);
	if (!rc && !(o->flags & 1))
		expect(w == 8 || v >> (8 * w) == 0, "%u-byte read returned 0x%llx", w,
		       (unsigned long long)v);
}

static void op_sysreg(const struct op *o)
{
	unsigned i = o->field % nregs, c = op_vcpu(o);
	uint64_t v = o->val;
	const char *why = NULL;
	int rc = gicv3_sysreg_access(&G, c, regs[i], !(o->flags & 1), &v, &why);

	if (i >= nicc)
		expect(rc == -ENOENT, "%s is no EL1 CPU interface register, got %d", reg_names[i], rc);
	else
		expect(rc == 0 || (rc == -EPERM && why), "%s returned %d", reg_names[i], rc);
}

/* IAR<g> then EOIR<g> of what it returned: what a guest's handler does. */
static void op_ack(const struct op *o)
{
	unsigned c = op_vcpu(o), g = o->flags & 1;
	uint64_t id = mrs(c, g ? IAR1 : IAR0);
	struct gicd_irq *q;

	if (id == GICV3_SPURIOUS)
		return;
	q = gicv3_irq_state(&G, c, (unsigned)id);
	expect(q && q->active && !q->pending && q->group == g,
	       "IAR%u acknowledged INTID %llu that is not now active in group %u", g,
	       (unsigned long long)id, g);
	expect(mrs(c, RPR) <= q->priority,
	       "running priority above the acknowledged priority 0x%x", q->priority);
	if (o->field & 1)
		msr(c, g ? EOIR1 : EOIR0, id);
}

static void op_assert(const struct op *o)
{
	unsigned id = o->field % 1024;
	int rc = gicv3_set_pending(&G, op_vcpu(o), id);

	expect(rc == (id < G.nirqs ? 0 : -EINVAL), "set_pending(%u) returned %d", id, rc);
}

static void op_sgi(const struct op *o)
{
	msr(op_vcpu(o), (o->flags & 1) ? SGI0R : SGI1R, o->val);
}

static void op_dist(const struct op *o) { op_mmio(o, false); }
static void op_redist(const struct op *o) { op_mmio(o, true); }

static void (*const ops[])(const struct op *) = {
	op_dist, op_redist, op_sysreg, op_ack, op_assert, op_sgi,
};

/* ---- the invariants checked after the stream ---- */
static void check_dist(void)
{
	uint32_t ctlr = dist_rd(GICV3_GICD_CTLR);

	expect((ctlr & (GICV3_CTLR_ARE | GICV3_CTLR_DS)) == (GICV3_CTLR_ARE | GICV3_CTLR_DS) &&
	       !(ctlr & ~UINT32_C(0x53)), "GICD_CTLR 0x%x: ARE and DS RAO, only [1:0] RW", ctlr);
	expect(dist_rd(GICV3_GICD_TYPER) == 0x05480002, "GICD_TYPER changed");
	expect((dist_rd(GICV3_GICD_PIDR2) >> 4 & 15) == 3, "GICD_PIDR2.ArchRev is not 3");
	for (uint32_t n = 0; n < 4; n++)
		for (uint32_t f = 0; f < 3; f++) {
			uint32_t set = GIC_ISENABLER + 0x100 * f + 4 * n;
			expect(dist_rd(set) == dist_rd(set + 0x80),
			       "GICD set/clear pair at 0x%x reads differently", set);
			if (n == 0)
				expect(dist_rd(set) == 0, "GICD 0x%x (INTIDs 0-31) not RES0", set);
		}
	/* Implemented INTIDs (0-95) and the register after them. */
	for (uint32_t off = 0; off < G.nirqs + 4; off += 4) {
		uint32_t p = dist_rd(GIC_IPRIORITYR + off);
		expect(!(p & 0x07070707), "GICD_IPRIORITYR 0x%x keeps bits [2:0]", off);
		expect((off >= 32 && off < G.nirqs) || p == 0, "GICD_IPRIORITYR%u not RES0", off / 4);
		expect(dist_rd(GICV3_GICD_ITARGETSR + off) == 0, "GICD_ITARGETSR not RES0");
	}
	for (uint32_t off = 0; off < G.nirqs / 4 + 4; off += 4) {
		expect(!(dist_rd(GIC_ICFGR + off) & 0x55555555), "GICD_ICFGR [2F] not RES0");
		expect(!dist_rd(GICV3_GICD_NSACR + off), "GICD_NSACR not RAZ");
		expect(!dist_rd(GICV3_GICD_IGRPMODR + off), "GICD_IGRPMODR not RAZ");
	}
	for (uint32_t n = 32; n < G.nirqs; n++) {
		uint64_t v = 0;
		expect(!gicv3_dist_access(&G, GICV3_GICD_IROUTER + 8 * n, 8, false, &v) &&
		       !(v & ~GICV3_IROUTER_MASK), "GICD_IROUTER%u 0x%llx: RES0 bits set", n,
		       (unsigned long long)v);
	}
}

/* GICR_TYPER from the vCPU's MPIDR_EL1, written out again here rather
 * than taken from the model: Aff3 [39:32] -> [63:56], Aff2..Aff0 ->
 * [55:32], Processor_Number [23:8], Last [4]. */
static uint64_t typer_of(unsigned c)
{
	uint64_t m = mpidr[c];
	uint64_t aff = (m >> 32 & 0xff) << 24 | (m >> 16 & 0xff) << 16 | (m >> 8 & 0xff) << 8 |
		       (m & 0xff);

	return aff << 32 | (uint64_t)c << 8 | (c == NV - 1 ? 0x10u : 0);
}

static void check_redist(unsigned c)
{
	uint64_t t = 0;
	uint32_t w = redist_rd(c, GICV3_GICR_WAKER);

	expect(!gicv3_redist_access(&G, c, GICV3_GICR_TYPER, 8, false, &t) && t == typer_of(c),
	       "GICR_TYPER of vCPU %u is 0x%llx", c, (unsigned long long)t);
	expect(w == 0 || w == 6, "GICR_WAKER of vCPU %u is 0x%x: ChildrenAsleep must follow "
	       "ProcessorSleep, other bits 0", c, w);
	expect(redist_rd(c, GICV3_GICR_CTLR) == 0, "GICR_CTLR not 0");
	expect(redist_rd(c, GICV3_SGI_BASE + GIC_ICFGR) == 0xAAAAAAAA, "GICR_ICFGR0 not 0xAAAAAAAA");
	expect(!(redist_rd(c, GICV3_SGI_BASE + GIC_ICFGR + 4) & 0x55555555), "GICR_ICFGR1 [2F]");
	for (uint32_t f = 0; f < 3; f++) {
		uint32_t set = GICV3_SGI_BASE + GIC_ISENABLER + 0x100 * f;
		expect(redist_rd(c, set) == redist_rd(c, set + 0x80),
		       "GICR%u set/clear pair at 0x%x reads differently", c, set);
	}
	for (uint32_t off = 0; off < 0x20; off += 4)
		expect(!(redist_rd(c, GICV3_SGI_BASE + GIC_IPRIORITYR + off) & 0x07070707),
		       "GICR_IPRIORITYR keeps bits [2:0]");
	expect(!redist_rd(c, GICV3_GICR_IGRPMODR0) && !redist_rd(c, GICV3_GICR_NSACR),
	       "GICR_IGRPMODR0/NSACR not RAZ");
}

static void check_cpuif(unsigned c)
{
	uint64_t apr = mrs(c, AP0R0) | mrs(c, AP1R0);
	uint64_t rpr = mrs(c, RPR), bpr1 = mrs(c, BPR1);
	unsigned low = 0;

	while (apr && !(apr >> low & 1))
		low++;
	expect(rpr == (apr ? (uint64_t)low << 3 : 0xff),
	       "vCPU %u ICC_RPR_EL1 0x%llx does not match the active priorities 0x%llx", c,
	       (unsigned long long)rpr, (unsigned long long)apr);
	expect(!(mrs(c, PMR) & ~UINT64_C(0xf8)), "ICC_PMR_EL1 keeps bits [2:0]");
	expect(mrs(c, BPR0) >= 2 && mrs(c, BPR0) <= 7, "ICC_BPR0_EL1 range");
	expect(bpr1 >= 3 && bpr1 <= 7, "ICC_BPR1_EL1 below its minimum: %llu",
	       (unsigned long long)bpr1);
	expect((mrs(c, CTLR) & ~UINT64_C(3)) == 0x48400, "ICC_CTLR_EL1 RO fields");
	expect(mrs(c, SRE) == 7, "ICC_SRE_EL1 not 0x7");
	expect(mrs(c, IGRPEN0) <= 1 && mrs(c, IGRPEN1) <= 1, "IGRPEN > 1");
	for (unsigned g = 0; g < 2; g++) {
		uint64_t id = mrs(c, g ? HPPIR1 : HPPIR0);
		struct gicd_irq *q = id == GICV3_SPURIOUS ? NULL : gicv3_irq_state(&G, c, (unsigned)id);
		expect(id == GICV3_SPURIOUS || (q && q->pending && q->enabled && !q->active &&
						q->group == g),
		       "ICC_HPPIR%u_EL1 names INTID %llu, not a pending enabled inactive one", g,
		       (unsigned long long)id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!nregs)
		pick_regs();
	if (size > OP_LEN * MAX_OPS)
		size = OP_LEN * MAX_OPS;
	gicv3_init(&G, 2, NV, mpidr);
	for (size_t i = 0; i < size; i += OP_LEN) {
		uint8_t b[OP_LEN] = { 0 };
		struct op o;

		memcpy(b, data + i, size - i < OP_LEN ? size - i : OP_LEN);
		o = (struct op){ b[0], b[1], (uint16_t)hvx_get_le(b + 2, 2), hvx_get_le(b + 4, 8) };
		ops[o.code % HVX_ARRAY_SIZE(ops)](&o);
	}
	check_dist();
	for (unsigned c = 0; c < NV; c++) {
		check_redist(c);
		check_cpuif(c);
	}
	return 0;
}
