/*
 * GICv3 Redistributor, one per vCPU (Arm IHI 0069 12.10 "The GIC
 * Redistributor register map", 12.11 "The GIC Redistributor register
 * descriptions"): the RD_base frame (control) and the SGI_base frame
 * (SGIs and PPIs), 64 KiB each, one 128 KiB bus window per vCPU. No
 * LPIs (GICR_TYPER.PLPIS = 0): the LPI registers (SETLPIR, PROPBASER,
 * PENDBASER, INVLPIR, ...) are reserved, RAZ/WI, as every unlisted
 * offset. Access widths come from the table (12.1).
 */
#include "hvexit/gicv3.h"

#define W4   4u
#define W14  (1u | 4u)
#define W48  (4u | 8u)
#define RAZWI (EMU_REG_RAZ | EMU_REG_WI)
#define SGI(off) (GICV3_SGI_BASE + (off))

static struct gicv3_redist *R(void *d) { return d; }

static struct gicd_irq *ppi_at(void *dev, unsigned intid, bool write)
{
	(void)write;
	return intid < 32 ? &R(dev)->irq[intid] : NULL;
}

/* ---- RD_base ---- */
static uint64_t rd_iidr(void *d, uint32_t o, unsigned s)
{
	(void)d; (void)o; (void)s;
	return GICV3_IIDR;
}

/* GICR_TYPER (12.11): Affinity_Value [63:32] = Aff3.Aff2.Aff1.Aff0 of the
 * vCPU's MPIDR_EL1; Processor_Number [23:8] = vCPU index; Last [4] on the
 * last Redistributor of the region; PLPIS [0], VLPIS [1], Dirty [2],
 * DirectLPI [3], DPGS [5], MPAM [6], RVPEID [7], CommonLPIAff [25:24],
 * VSGI [26], PPInum [31:27] (max PPI INTID 31) all 0. 64-bit, or either
 * 32-bit half. */
static uint64_t typer(const struct gicv3_redist *r)
{
	uint64_t aff = (r->mpidr & 0xffffff) | (r->mpidr >> 32 & 0xff) << 24;

	return aff << 32 | (uint64_t)r->idx << 8 |
	       (uint64_t)(r->idx + 1 == r->gic->nvcpus) << 4;
}
static uint64_t rd_typer(void *d, uint32_t o, unsigned s)
{
	(void)s;
	return typer(d) >> (8 * (o & 4));
}

/* GICR_WAKER (12.11): ProcessorSleep [1] RW, ChildrenAsleep [2] RO; bits
 * [0] and [31] IMPLEMENTATION DEFINED, RAZ/WI here. The model is
 * quiescent as soon as asked: ChildrenAsleep follows ProcessorSleep. */
static uint64_t rd_waker(void *d, uint32_t o, unsigned s)
{
	(void)o; (void)s;
	return R(d)->waker;
}
static void wr_waker(void *d, uint32_t o, unsigned s, uint64_t v)
{
	(void)o; (void)s;
	R(d)->waker = (v & GICV3_WAKER_PS) ? GICV3_WAKER_PS | GICV3_WAKER_CA : 0;
}

/* ---- SGI_base: the gic.h families at SGI_base + the GICD offsets ---- */
static uint64_t rd_bits(void *d, uint32_t o, unsigned s) { (void)s; return gic_bits_read(ppi_at, d, o - SGI(0)); }
static void wr_bits(void *d, uint32_t o, unsigned s, uint64_t v) { (void)s; gic_bits_write(ppi_at, d, o - SGI(0), (uint32_t)v); }
static uint64_t rd_prio(void *d, uint32_t o, unsigned s) { return gic_prio_read(ppi_at, d, o - SGI(GIC_IPRIORITYR), s); }
static void wr_prio(void *d, uint32_t o, unsigned s, uint64_t v) { gic_prio_write(ppi_at, d, o - SGI(GIC_IPRIORITYR), s, v); }
static uint64_t rd_cfg(void *d, uint32_t o, unsigned s) { (void)s; return gic_cfg_read(ppi_at, d, o - SGI(0)); }
static void wr_cfg(void *d, uint32_t o, unsigned s, uint64_t v) { (void)s; gic_cfg_write(ppi_at, d, o - SGI(0), (uint32_t)v); }

#define BIT0(n, off) { n, SGI(off), 4, W4, 0, 0, 0, rd_bits, wr_bits }
const struct emu_reg gicv3_redist_regs[] = {
	/* EnableLPIs RES0 without LPIs, CES/IR/RWP/UWP read 0, DPG* RAZ/WI
	 * with DS = 1 (12.11 GICR_CTLR): nothing to write. */
	{ "GICR_CTLR", GICV3_GICR_CTLR, 4, W4, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICR_IIDR", GICV3_GICR_IIDR, 4, W4, EMU_REG_RO, GICV3_IIDR, 0xffffffffu, rd_iidr, NULL },
	{ "GICR_TYPER", GICV3_GICR_TYPER, 8, W48, EMU_REG_RO, 0, 0xffffffffu, rd_typer, NULL },
	{ "GICR_WAKER", GICV3_GICR_WAKER, 4, W4, 0, GICV3_WAKER_PS | GICV3_WAKER_CA,
	  ~GICV3_WAKER_PS, rd_waker, wr_waker },
	{ "GICR_PIDR/CIDR", GICV3_GICR_PIDR4, 0x30, W4, EMU_REG_RO, 0, 0xffffffffu, gicv3_read_id,
	  NULL },
	BIT0("GICR_IGROUPR0", GIC_IGROUPR),
	BIT0("GICR_ISENABLER0", GIC_ISENABLER),
	BIT0("GICR_ICENABLER0", GIC_ICENABLER),
	BIT0("GICR_ISPENDR0", GIC_ISPENDR),
	BIT0("GICR_ICPENDR0", GIC_ICPENDR),
	BIT0("GICR_ISACTIVER0", GIC_ISACTIVER),
	BIT0("GICR_ICACTIVER0", GIC_ICACTIVER),
	{ "GICR_IPRIORITYR", SGI(GIC_IPRIORITYR), 0x20, W14, 0, 0, 0x07070707u, rd_prio, wr_prio },
	/* ICFGR0 (SGIs) reads 0xAAAAAAAA, read-only; ICFGR1 (PPIs) programmable
	 * here (IMPLEMENTATION DEFINED, 12.11 GICR_ICFGR1). */
	{ "GICR_ICFGR0/1", SGI(GIC_ICFGR), 8, W4, 0, 0, 0x55555555u, rd_cfg, wr_cfg },
	/* RAZ/WI with DS = 1 (12.11 GICR_IGRPMODR0, GICR_NSACR). */
	{ "GICR_IGRPMODR0", GICV3_GICR_IGRPMODR0, 4, W4, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICR_NSACR", GICV3_GICR_NSACR, 4, W4, RAZWI, 0, 0xffffffffu, NULL, NULL },
};
const size_t gicv3_redist_nregs = HVX_ARRAY_SIZE(gicv3_redist_regs);

const struct emu_dev_ops gicv3_redist_ops = {
	.name = "gicv3-redist",
	.regs = gicv3_redist_regs,
	.nregs = HVX_ARRAY_SIZE(gicv3_redist_regs),
	.holes_raz_wi = true,	/* reserved offsets RES0: RAZ/WI (12.1) */
	.reset = NULL,		/* the Distributor's reset resets the whole GIC */
};

int gicv3_redist_access(struct gicv3 *g, unsigned vcpu, uint32_t off, unsigned size,
			bool write, uint64_t *val)
{
	if (vcpu >= g->nvcpus || size == 0 || off >= GICV3_REDIST_SIZE ||
	    size > GICV3_REDIST_SIZE - off)
		return -EINVAL;
	return emu_dev_access(&gicv3_redist_ops, &g->rd[vcpu], off, size, write, val);
}
