/*
 * GICv3 CPU interface as a guest at EL1 reaches it: the ICC_* System
 * register encodings (Arm IHI 0069 12.2), which with HCR_EL2.{IMO,FMO}
 * = 1 access the virtual ICV_* registers; a hypervisor takes them as
 * EC 0x18 traps when it sets ICH_HCR_EL2.TALL0/TALL1/TC/TDIR, and always
 * for the SGI generation registers and (with ICC_SRE_EL2.Enable = 0)
 * ICC_SRE_EL1. The expected result of each access is the architectural
 * one, computed from the Distributor and Redistributor state.
 *
 * Registers are found by the name the decoder's System register table
 * gives the trapped encoding (sysreg_name()), so the encodings live in
 * one place; the rows below are sorted by name for bsearch().
 */
#include <stdlib.h>
#include <string.h>

#include "hvexit/gicv3.h"
#include "hvexit/sysreg.h"

#define CTLR_CBPR    1u		/* ICV_CTLR_EL1.CBPR [0] */
#define CTLR_EOIMODE 2u		/* ICV_CTLR_EL1.EOImode [1] */
/* ICV_CTLR_EL1 read-only fields (12.2): PRIbits [10:8] = 5 - 1, IDbits
 * [13:11] 0 (16 bits), SEIS [14] 0, A3V [15] 1, RSS [18] 1, ExtRange
 * [19] 0. */
#define CTLR_RO      (4u << 8 | 1u << 15 | 1u << 18)
#define PRIO_SHIFT   3u		/* 5 priority bits: [7:3] */
#define IDLE_PRIO    0xffu	/* running priority with nothing active */
/* ICC_SRE_EL1 (12.2): SRE [0], DFB [1], DIB [2]; only the System
 * register interface exists, so all three are RAO/WI. */
#define SRE_RAO      7u

static unsigned bpr_min(unsigned grp)
{
	/* ICV_BPR0_EL1 minimum 7 - (5 preemption bits) = 2; ICV_BPR1_EL1
	 * minimum is that plus one (12.2 ICV_BPR1_EL1). */
	return grp ? 3 : 2;
}

/* ---- which interrupt the CPU interface would signal ---- */

/* An SPI reaches vCPU r if GICD_IROUTER<n> names its affinity (Aff3
 * [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0], the same bit positions
 * as MPIDR_EL1), or with Interrupt_Routing_Mode 1 any participating PE
 * (12.9 GICD_IROUTER<n>): awake and the group enabled, checked below. */
static bool routed_here(const struct gicv3 *g, unsigned intid, const struct gicv3_redist *r)
{
	uint64_t rt = g->irouter[intid];

	return (rt & GICV3_IROUTER_IRM) ||
	       (rt & UINT64_C(0xff00ffffff)) == (r->mpidr & UINT64_C(0xff00ffffff));
}

/* Pending, enabled, not active, group enabled in GICD_CTLR and in the CPU
 * interface (ICC_IGRPEN<g>_EL1). */
static bool candidate(const struct gicv3 *g, const struct gicv3_redist *r,
		      const struct gicd_irq *q)
{
	return q->pending && q->enabled && !q->active && (g->ctlr >> q->group & 1) &&
	       r->cpu.igrpen[q->group & 1];
}

/* The highest priority pending interrupt for r (lowest priority value,
 * then lowest INTID); GICV3_SPURIOUS and *out NULL if none. While
 * GICR_WAKER.ProcessorSleep is 1 interrupts are held at the
 * Redistributor and not communicated to the CPU interface (12.11). */
static unsigned hppi(struct gicv3 *g, struct gicv3_redist *r, struct gicd_irq **out)
{
	unsigned best = GICV3_SPURIOUS, prio = 0x100;

	*out = NULL;
	if (r->waker & GICV3_WAKER_PS)
		return GICV3_SPURIOUS;
	for (unsigned id = 0; id < g->nirqs; id++) {
		struct gicd_irq *q = id < 32 ? &r->irq[id] : &g->spi[id];
		if ((id < 32 || routed_here(g, id, r)) && candidate(g, r, q) &&
		    q->priority < prio) {
			best = id;
			prio = q->priority;
			*out = q;
		}
	}
	return best;
}

/* Group priority of prio for group grp: BPR0 = N keeps [7:N+1], BPR1 = N
 * keeps [7:N]; with CBPR = 1 Group 1 uses BPR0 (12.2 ICV_BPR0_EL1,
 * ICV_BPR1_EL1, ICV_CTLR_EL1.CBPR). */
static unsigned group_prio(const struct gicv3_cpuif *c, unsigned grp, unsigned prio)
{
	unsigned shift = (grp == 0 || (c->ctlr & CTLR_CBPR)) ? c->bpr[0] + 1u : c->bpr[1];

	return prio & (0xffu << shift) & 0xffu;
}

/* Index of the highest active priority (lowest set bit of AP0R0|AP1R0),
 * or 32 if none. Bit n of ICV_AP<g>R0_EL1 stands for group priority
 * n << 3 with 5 preemption bits. */
static unsigned top_active(const struct gicv3_cpuif *c)
{
	uint32_t a = c->apr[0] | c->apr[1];
	unsigned n = 0;

	while (n < 32 && !(a >> n & 1))
		n++;
	return n;
}

/* ICV_RPR_EL1 (12.2): the group priority of the highest active priority,
 * or the idle priority 0xFF. */
static unsigned running_prio(const struct gicv3_cpuif *c)
{
	unsigned n = top_active(c);

	return n < 32 ? n << PRIO_SHIFT : IDLE_PRIO;
}

/* ---- register accessors: (g, r, group) ---- */
typedef uint64_t (*icc_read_fn)(struct gicv3 *g, struct gicv3_redist *r, unsigned grp);
typedef void (*icc_write_fn)(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v);

/* ICC_IAR<g>_EL1: acknowledge the highest priority pending interrupt if
 * it is in group grp, its priority is higher than PMR and its group
 * priority higher than the running priority; else 1023 (12.2
 * ICV_IAR1_EL1). Acknowledge: pending -> active, and the group priority
 * becomes an active priority. */
static uint64_t rd_iar(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	struct gicv3_cpuif *c = &r->cpu;
	struct gicd_irq *q;
	unsigned id = hppi(g, r, &q), gp;

	if (!q || q->group != grp || q->priority >= c->pmr)
		return GICV3_SPURIOUS;
	gp = group_prio(c, grp, q->priority);
	if (gp >= running_prio(c))
		return GICV3_SPURIOUS;
	q->pending = 0;
	q->active = 1;
	c->apr[grp] |= UINT32_C(1) << (gp >> PRIO_SHIFT);
	return id;
}

/* ICC_HPPIR<g>_EL1: the highest priority pending interrupt if it is in
 * group grp, regardless of PMR and running priority; else 1023. */
static uint64_t rd_hppir(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	struct gicd_irq *q;
	unsigned id = hppi(g, r, &q);

	return q && q->group == grp ? id : GICV3_SPURIOUS;
}

static struct gicd_irq *intid_state(struct gicv3 *g, struct gicv3_redist *r, uint64_t v)
{
	uint64_t id = v & 0xffffff;	/* INTID [23:0] */

	if (id >= g->nirqs)
		return NULL;	/* special (1020-1023) or unimplemented: ignored */
	return id < 32 ? &r->irq[id] : &g->spi[id];
}

/* ICC_EOIR<g>_EL1: priority drop of the highest active priority, and with
 * EOImode 0 deactivation of INTID too (12.2 ICV_EOIR1_EL1). The model
 * ignores the UNPREDICTABLE cases: no active priority, the highest one
 * in the other group, a special or unimplemented INTID. */
static void wr_eoir(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	struct gicv3_cpuif *c = &r->cpu;
	struct gicd_irq *q = intid_state(g, r, v);
	unsigned top = top_active(c);

	if (!q || top == 32 || !(c->apr[grp] >> top & 1))
		return;
	c->apr[grp] &= ~(UINT32_C(1) << top);
	if (!(c->ctlr & CTLR_EOIMODE) && q->group == grp)
		q->active = 0;
}

/* ICC_DIR_EL1: deactivate INTID when EOImode is 1 (with EOImode 0 the
 * write is UNPREDICTABLE; ignored). */
static void wr_dir(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	struct gicd_irq *q = intid_state(g, r, v);

	(void)grp;
	if (q && (r->cpu.ctlr & CTLR_EOIMODE))
		q->active = 0;
}

static uint64_t rd_rpr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	(void)g; (void)grp;
	return running_prio(&r->cpu);
}

/* ICC_PMR_EL1.Priority [7:0]; unimplemented low bits RAZ/WI. */
static uint64_t rd_pmr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	(void)g; (void)grp;
	return r->cpu.pmr;
}
static void wr_pmr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)g; (void)grp;
	r->cpu.pmr = (uint8_t)(v & GIC_PRIO_MASK);
}

/* ICC_BPR<g>_EL1.BinaryPoint [2:0]: below the minimum writes the minimum;
 * with CBPR = 1 BPR1 reads BPR0 + 1 saturated to 7 and ignores writes. */
static uint64_t rd_bpr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	const struct gicv3_cpuif *c = &r->cpu;

	(void)g;
	if (grp && (c->ctlr & CTLR_CBPR))
		return c->bpr[0] < 7 ? c->bpr[0] + 1u : 7u;
	return c->bpr[grp];
}
static void wr_bpr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	unsigned bp = (unsigned)(v & 7);

	(void)g;
	if (grp && (r->cpu.ctlr & CTLR_CBPR))
		return;
	r->cpu.bpr[grp] = (uint8_t)(bp < bpr_min(grp) ? bpr_min(grp) : bp);
}

static uint64_t rd_ctlr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	(void)g; (void)grp;
	return r->cpu.ctlr | CTLR_RO;
}
static void wr_ctlr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)g; (void)grp;
	r->cpu.ctlr = (uint8_t)(v & (CTLR_CBPR | CTLR_EOIMODE));
}

static uint64_t rd_sre(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	(void)g; (void)r; (void)grp;
	return SRE_RAO;
}
static void wr_sre(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)g; (void)r; (void)grp; (void)v;	/* RAO/WI */
}

/* ICC_IGRPEN<g>_EL1.Enable [0]. */
static uint64_t rd_igrpen(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	(void)g;
	return r->cpu.igrpen[grp];
}
static void wr_igrpen(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)g;
	r->cpu.igrpen[grp] = (uint8_t)(v & 1);
}

/* ICC_AP<g>R0_EL1: 32 bits, one per group priority (bit n: n << 3). */
static uint64_t rd_apr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp)
{
	(void)g;
	return r->cpu.apr[grp];
}
static void wr_apr(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)g;
	r->cpu.apr[grp] = (uint32_t)v;
}

/* ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 / ICC_SGI0R_EL1 (12.2): make SGI INTID
 * pending in each target Redistributor whose SGI group is in the mask
 * grps (bit 0 Group 0, bit 1 Group 1; hvexit/gicv3.h on DS = 1). */
static void send_sgi(struct gicv3 *g, struct gicv3_redist *r, unsigned grps, uint64_t v)
{
	uint64_t mpidr[GICV3_MAX_VCPUS];
	unsigned id = gic_sgir_intid(v), sent = 0;
	uint32_t t;

	for (unsigned i = 0; i < g->nvcpus; i++)
		mpidr[i] = g->rd[i].mpidr;
	t = gic_sgir_targets(v, mpidr, g->nvcpus, r->idx);
	for (unsigned i = 0; i < g->nvcpus; i++) {
		struct gicd_irq *q = &g->rd[i].irq[id];
		if ((t >> i & 1) && (grps >> (q->group & 1) & 1)) {
			q->pending = 1;
			sent = 1;
		}
	}
	g->sgis_sent += sent;
}
static void wr_sgi0r(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)grp;
	send_sgi(g, r, 1u, v);
}
static void wr_sgi1r(struct gicv3 *g, struct gicv3_redist *r, unsigned grp, uint64_t v)
{
	(void)grp;
	send_sgi(g, r, 3u, v);
}

struct icc_reg {
	const char *name;	/* as sysreg_name() spells it */
	unsigned grp;		/* interrupt group of the G0/G1 pairs */
	icc_read_fn read;	/* NULL: write-only */
	icc_write_fn write;	/* NULL: read-only */
};

static const struct icc_reg icc_regs[] = {
	{ "ICC_AP0R0_EL1", 0, rd_apr, wr_apr },
	{ "ICC_AP1R0_EL1", 1, rd_apr, wr_apr },
	{ "ICC_ASGI1R_EL1", 0, NULL, wr_sgi0r },
	{ "ICC_BPR0_EL1", 0, rd_bpr, wr_bpr },
	{ "ICC_BPR1_EL1", 1, rd_bpr, wr_bpr },
	{ "ICC_CTLR_EL1", 0, rd_ctlr, wr_ctlr },
	{ "ICC_DIR_EL1", 0, NULL, wr_dir },
	{ "ICC_EOIR0_EL1", 0, NULL, wr_eoir },
	{ "ICC_EOIR1_EL1", 1, NULL, wr_eoir },
	{ "ICC_HPPIR0_EL1", 0, rd_hppir, NULL },
	{ "ICC_HPPIR1_EL1", 1, rd_hppir, NULL },
	{ "ICC_IAR0_EL1", 0, rd_iar, NULL },
	{ "ICC_IAR1_EL1", 1, rd_iar, NULL },
	{ "ICC_IGRPEN0_EL1", 0, rd_igrpen, wr_igrpen },
	{ "ICC_IGRPEN1_EL1", 1, rd_igrpen, wr_igrpen },
	{ "ICC_PMR_EL1", 0, rd_pmr, wr_pmr },
	{ "ICC_RPR_EL1", 0, rd_rpr, NULL },
	{ "ICC_SGI0R_EL1", 0, NULL, wr_sgi0r },
	{ "ICC_SGI1R_EL1", 1, NULL, wr_sgi1r },
	{ "ICC_SRE_EL1", 0, rd_sre, wr_sre },
};

static int cmp_name(const void *k, const void *e)
{
	return strcmp(k, ((const struct icc_reg *)e)->name);
}

static bool el1_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, "_EL1") == 0;
}

int gicv3_sysreg_access(struct gicv3 *g, unsigned vcpu, uint32_t enc, bool read,
			uint64_t *val, const char **why)
{
	const char *name = sysreg_name(enc), *dummy;
	const struct icc_reg *row;
	struct gicv3_redist *r;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (!name || strncmp(name, "ICC_", 4) != 0 || !el1_name(name))
		return -ENOENT;
	row = bsearch(name, icc_regs, HVX_ARRAY_SIZE(icc_regs), sizeof(icc_regs[0]), cmp_name);
	if (!row || vcpu >= g->nvcpus) {
		/* ICC_AP<g>R1..3_EL1 (6+ preemption bits), ICC_NMIAR1_EL1
		 * (GICv3.3 NMIs): not in this GIC, UNDEFINED. */
		*why = row ? "no redistributor for this vCPU" : "not implemented";
		return -EPERM;
	}
	r = &g->rd[vcpu];
	if (read && !row->read) {
		*why = "write-only";
		return -EPERM;
	}
	if (!read && !row->write) {
		*why = "read-only";
		return -EPERM;
	}
	if (read)
		*val = row->read(g, r, row->grp);
	else
		row->write(g, r, row->grp, *val);
	return 0;
}
