/*
 * GICv3 Distributor (Arm IHI 0069 12.8 "The GIC Distributor register
 * map", 12.9 "The GIC Distributor register descriptions"), single
 * Security state (DS = 1) with affinity routing (ARE = 1): see
 * hvexit/gicv3.h for the configuration. A sorted register table searched
 * by emu_reg_find(); access widths come from the table (12.1, GIC memory-mapped register access: 32-bit
 * registers word access, IPRIORITYR and the GICv2 byte registers also
 * byte access, 64-bit registers 64-bit or either 32-bit half).
 * Also the model's init/reset and bus registration.
 */
#include <string.h>

#include "hvexit/gicv3.h"

#define W4   4u
#define W14  (1u | 4u)
#define W48  (4u | 8u)
#define RAZWI (EMU_REG_RAZ | EMU_REG_WI)

static struct gicv3 *G(void *d) { return d; }

/* With ARE = 1 the Distributor's fields for INTIDs 0-31 are RES0 (12.9,
 * e.g. GICD_ISENABLER<n>: "When affinity routing is enabled ...
 * GICD_ISENABLER0 is RES0"): only SPIs have state here. */
static struct gicd_irq *spi_at(void *dev, unsigned intid, bool write)
{
	struct gicv3 *g = dev;

	(void)write;
	return intid >= 32 && intid < g->nirqs ? &g->spi[intid] : NULL;
}

/* ---- CTLR, TYPER, IIDR, TYPER2 (12.9) ---- */
static uint64_t rd_ctlr(void *d, uint32_t o, unsigned s)
{
	(void)o; (void)s;
	return G(d)->ctlr | GICV3_CTLR_ARE | GICV3_CTLR_DS;	/* ARE, DS RAO/WI */
}
static void wr_ctlr(void *d, uint32_t o, unsigned s, uint64_t v)
{
	(void)o; (void)s;
	G(d)->ctlr = (uint32_t)v & (GICV3_CTLR_GRP0 | GICV3_CTLR_GRP1);
}

/* GICD_TYPER: ITLinesNumber [4:0]; CPUNumber [7:5] 0 (ARE cannot be 0);
 * ESPI [8], NMI [9], SecurityExtn [10] (0 with DS = 1), num_LPIs [15:11],
 * MBIS [16], LPIS [17], DVIS [18] all 0; IDbits [23:19] 9 (10 INTID bits,
 * INTIDs < 1024 without LPIs); A3V [24] 1; No1N [25] 0; RSS [26] 1. */
static uint64_t rd_typer(void *d, uint32_t o, unsigned s)
{
	(void)o; (void)s;
	return G(d)->it_lines | 9u << 19 | 1u << 24 | 1u << 26;
}
static uint64_t rd_iidr(void *d, uint32_t o, unsigned s)
{
	(void)d; (void)o; (void)s;
	return GICV3_IIDR;
}

/* ---- per-INTID families (12.9 GICD_IGROUPR<n> ... GICD_ICFGR<n>) ---- */
static uint64_t rd_bits(void *d, uint32_t o, unsigned s) { (void)s; return gic_bits_read(spi_at, d, o); }
static void wr_bits(void *d, uint32_t o, unsigned s, uint64_t v) { (void)s; gic_bits_write(spi_at, d, o, (uint32_t)v); }
static uint64_t rd_prio(void *d, uint32_t o, unsigned s) { return gic_prio_read(spi_at, d, o - GIC_IPRIORITYR, s); }
static void wr_prio(void *d, uint32_t o, unsigned s, uint64_t v) { gic_prio_write(spi_at, d, o - GIC_IPRIORITYR, s, v); }
static uint64_t rd_cfg(void *d, uint32_t o, unsigned s) { (void)s; return gic_cfg_read(spi_at, d, o); }
static void wr_cfg(void *d, uint32_t o, unsigned s, uint64_t v) { (void)s; gic_cfg_write(spi_at, d, o, (uint32_t)v); }

/* ---- IROUTER<n> (12.9 GICD_IROUTER<n>): n = 32..1019 at 0x6000 + 8n,
 * 64-bit, or 32-bit to either half. Unimplemented SPIs: RAZ/WI. ---- */
static uint64_t *route_at(struct gicv3 *g, uint32_t off)
{
	unsigned n = (off - GICV3_GICD_IROUTER) / 8;	/* >= 32: the table starts there */

	return n < g->nirqs ? &g->irouter[n] : NULL;
}
static uint64_t rd_irouter(void *d, uint32_t o, unsigned s)
{
	uint64_t *r = route_at(d, o);

	(void)s;
	return r ? *r >> (8 * (o & 4)) : 0;	/* upper half at +4 */
}
static void wr_irouter(void *d, uint32_t o, unsigned s, uint64_t v)
{
	uint64_t *r = route_at(d, o);
	uint64_t keep;

	if (!r)
		return;
	keep = s == 8 ? 0 : (o & 4) ? UINT64_C(0xffffffff) : ~UINT64_C(0xffffffff);
	*r = ((*r & keep) | (v << (8 * (o & 4)))) & GICV3_IROUTER_MASK;
}

/* ---- ID registers, shared with the Redistributor frames: PIDR2 0x3B:
 * ArchRev [7:4] 3 (GICv3), JEDEC [3] 1, JEP106 id [2:0] 3 (Arm); CIDR the
 * component ID 0xB105F00D; the rest IMPLEMENTATION DEFINED. ---- */
static const uint8_t ids[12] = { 0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
uint64_t gicv3_read_id(void *dev, uint32_t off, unsigned size)
{
	(void)dev; (void)size;
	return ids[(off - GICV3_GICD_PIDR4) / 4];
}

#define BITS(n, base) { n, base, 0x80, W4, 0, 0, 0, rd_bits, wr_bits }
const struct emu_reg gicv3_dist_regs[] = {
	{ "GICD_CTLR", GICV3_GICD_CTLR, 4, W4, 0, 0x50, 0xfffffffcu, rd_ctlr, wr_ctlr },
	{ "GICD_TYPER", GICV3_GICD_TYPER, 4, W4, EMU_REG_RO, 0, 0xffffffffu, rd_typer, NULL },
	{ "GICD_IIDR", GICV3_GICD_IIDR, 4, W4, EMU_REG_RO, GICV3_IIDR, 0xffffffffu, rd_iidr, NULL },
	{ "GICD_TYPER2", GICV3_GICD_TYPER2, 4, W4, EMU_REG_RO, 0, 0xffffffffu, NULL, NULL },
	BITS("GICD_IGROUPR", GIC_IGROUPR),
	BITS("GICD_ISENABLER", GIC_ISENABLER),
	BITS("GICD_ICENABLER", GIC_ICENABLER),
	BITS("GICD_ISPENDR", GIC_ISPENDR),
	BITS("GICD_ICPENDR", GIC_ICPENDR),
	BITS("GICD_ISACTIVER", GIC_ISACTIVER),
	BITS("GICD_ICACTIVER", GIC_ICACTIVER),
	{ "GICD_IPRIORITYR", GIC_IPRIORITYR, 0x3fc, W14, 0, 0, 0x07070707u, rd_prio, wr_prio },
	/* RES0 with ARE = 1 (12.9 GICD_ITARGETSR<n>, GICD_SGIR, GICD_CPENDSGIR<n>,
	 * GICD_SPENDSGIR<n>); RAZ/WI with DS = 1 (GICD_IGRPMODR<n>, GICD_NSACR<n>). */
	{ "GICD_ITARGETSR", GICV3_GICD_ITARGETSR, 0x400, W14, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_ICFGR", GIC_ICFGR, 0x100, W4, 0, 0, 0x55555555u, rd_cfg, wr_cfg },
	{ "GICD_IGRPMODR", GICV3_GICD_IGRPMODR, 0x80, W4, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_NSACR", GICV3_GICD_NSACR, 0x100, W4, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_SGIR", GICV3_GICD_SGIR, 4, W4, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_CPENDSGIR", GICV3_GICD_CPENDSGIR, 16, W14, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_SPENDSGIR", GICV3_GICD_SPENDSGIR, 16, W14, RAZWI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_IROUTER", GICV3_GICD_IROUTER + 32 * 8, (GICV3_MAX_IRQS - 32) * 8, W48, 0, 0,
	  0x7f000000u, rd_irouter, wr_irouter },
	{ "GICD_PIDR/CIDR", GICV3_GICD_PIDR4, 0x30, W4, EMU_REG_RO, 0, 0xffffffffu, gicv3_read_id,
	  NULL },
};
const size_t gicv3_dist_nregs = HVX_ARRAY_SIZE(gicv3_dist_regs);

static void dist_reset(void *dev)
{
	gicv3_reset(dev);
}

const struct emu_dev_ops gicv3_dist_ops = {
	.name = "gicv3-dist",
	.regs = gicv3_dist_regs,
	.nregs = HVX_ARRAY_SIZE(gicv3_dist_regs),
	.holes_raz_wi = true,	/* reserved offsets RES0: RAZ/WI (12.1) */
	.reset = dist_reset,
};

/* ---- the model as a whole ---- */
static void cpuif_reset(struct gicv3_cpuif *c)
{
	memset(c, 0, sizeof(*c));
	/* ICV_BPR0_EL1 resets to its minimum, 7 - 5 preemption bits = 2;
	 * ICV_BPR1_EL1 to that minimum plus one (12.2 ICV_BPR1_EL1). */
	c->bpr[0] = 2;
	c->bpr[1] = 3;
}

void gicv3_reset(struct gicv3 *g)
{
	g->ctlr = 0;
	g->sgis_sent = 0;
	memset(g->spi, 0, sizeof(g->spi));
	memset(g->irouter, 0, sizeof(g->irouter));
	for (unsigned i = 0; i < g->nvcpus; i++) {
		struct gicv3_redist *r = &g->rd[i];
		memset(r->irq, 0, sizeof(r->irq));
		r->waker = GICV3_WAKER_PS | GICV3_WAKER_CA;
		cpuif_reset(&r->cpu);
	}
}

int gicv3_init(struct gicv3 *g, unsigned it_lines, unsigned nvcpus, const uint64_t *mpidr)
{
	if (!g || !mpidr || it_lines > 31 || nvcpus < 1 || nvcpus > GICV3_MAX_VCPUS)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	g->it_lines = it_lines;
	g->nirqs = 32 * (it_lines + 1) > GICV3_MAX_IRQS ? GICV3_MAX_IRQS : 32 * (it_lines + 1);
	g->nvcpus = nvcpus;
	for (unsigned i = 0; i < nvcpus; i++) {
		g->rd[i].gic = g;
		g->rd[i].idx = i;
		g->rd[i].mpidr = mpidr[i];
	}
	gicv3_reset(g);
	return 0;
}

struct gicd_irq *gicv3_irq_state(struct gicv3 *g, unsigned vcpu, unsigned intid)
{
	if (vcpu >= g->nvcpus || intid >= g->nirqs)
		return NULL;
	return intid < 32 ? &g->rd[vcpu].irq[intid] : &g->spi[intid];
}

int gicv3_set_pending(struct gicv3 *g, unsigned vcpu, unsigned intid)
{
	struct gicd_irq *q = gicv3_irq_state(g, vcpu, intid);

	if (!q)
		return -EINVAL;
	q->pending = 1;
	return 0;
}

int gicv3_register(struct gicv3 *g, struct emu_bus *bus, uint64_t dist_base,
		   uint64_t redist_base)
{
	int rc = emu_bus_register(bus, dist_base, GICV3_DIST_SIZE, &gicv3_dist_ops, g);

	for (unsigned i = 0; !rc && i < g->nvcpus; i++)
		rc = emu_bus_register(bus, redist_base + i * GICV3_REDIST_SIZE,
				      GICV3_REDIST_SIZE, &gicv3_redist_ops, &g->rd[i]);
	return rc;
}

int gicv3_dist_access(struct gicv3 *g, uint32_t off, unsigned size, bool write,
		      uint64_t *val)
{
	if (size == 0 || off >= GICV3_DIST_SIZE || size > GICV3_DIST_SIZE - off)
		return -EINVAL;
	return emu_dev_access(&gicv3_dist_ops, g, off, size, write, val);
}
