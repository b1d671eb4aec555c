/*
 * GICv2 distributor (Arm IHI0048B 4.3 "Distributor register
 * descriptions", Table 4-1 "Distributor register map"). No Security
 * Extensions. Guest writes never change a hypervisor-owned IRQ's fields
 * (the hypervisor keeps its own interrupts, e.g. its timer, out of the
 * guest's reach): each per-IRQ field of a shared register is written only
 * when its IRQ is guest-owned.
 */
#include <string.h>

#include "hvexit/gicd.h"

#define W4  4u
#define W14 (1u | 4u)

static struct gicd *G(void *d) { return d; }

struct gicd_irq *gicd_irq_state(struct gicd *d, unsigned cpu, unsigned irq)
{
	if (irq >= d->nirqs || cpu >= d->ncpus)
		return NULL;
	return irq < 32 ? &d->banked[cpu][irq] : &d->spi[irq];
}

static struct gicd_irq *st(struct gicd *d, unsigned irq)
{
	return gicd_irq_state(d, d->cur_cpu, irq);
}

static bool guest_irq(struct gicd *d, unsigned irq)
{
	return irq < d->nirqs && !d->owned[irq];
}

/* ---- CTLR/TYPER/IIDR (4.3.1-4.3.3) ---- */
static uint64_t rd_ctlr(void *d, uint32_t o, unsigned s) { (void)o; (void)s; return G(d)->ctlr; }
static void wr_ctlr(void *d, uint32_t o, unsigned s, uint64_t v) { (void)o; (void)s; G(d)->ctlr = (uint32_t)v & 3u; }
static uint64_t rd_typer(void *d, uint32_t o, unsigned s)
{
	(void)o; (void)s;
	return G(d)->it_lines | (uint32_t)(G(d)->ncpus - 1) << 5;
}
static uint64_t rd_iidr(void *d, uint32_t o, unsigned s) { (void)d; (void)o; (void)s; return 0x0200143b; }

/* The state a guest access to irq reads or may write (gic_irq_at). */
static struct gicd_irq *guest_at(void *dev, unsigned irq, bool write)
{
	struct gicd *d = dev;

	if (write && !guest_irq(d, irq))
		return NULL;
	return st(d, irq);
}

/* ---- 1-bit-per-IRQ families (4.3.4-4.3.10) ---- */
static bool sgi_pending(struct gicd *d, unsigned irq)
{
	return irq < 16 && d->sgi_src[d->cur_cpu][irq];
}

static uint64_t rd_bits(void *dev, uint32_t off, unsigned s)
{
	struct gicd *d = dev;
	enum gic_bitreg r = gic_bitreg_of(off);
	unsigned first = gic_bitreg_first(off);
	uint64_t v = 0;

	(void)s;
	for (unsigned i = 0; i < 32; i++) {
		struct gicd_irq *q = st(d, first + i);
		if (!q)
			continue;
		bool b = *gic_irq_field(q, r);
		if ((r == GIC_B_SENABLE || r == GIC_B_CENABLE) && first + i < 16)
			b = true;	/* SGIs permanently enabled (4.3.5, IMP DEF) */
		if ((r == GIC_B_SPEND || r == GIC_B_CPEND) && first + i < 16)
			b = sgi_pending(d, first + i);
		v |= (uint64_t)b << i;
	}
	return v;
}

static void wr_bits(void *dev, uint32_t off, unsigned s, uint64_t v)
{
	struct gicd *d = dev;
	enum gic_bitreg r = gic_bitreg_of(off);
	unsigned first = gic_bitreg_first(off);

	(void)s;
	for (unsigned i = 0; i < 32; i++) {
		unsigned irq = first + i;
		struct gicd_irq *q = guest_at(d, irq, true);
		if (!q)
			continue;
		if (irq < 16 && r != GIC_B_GROUP && r != GIC_B_SACTIVE && r != GIC_B_CACTIVE)
			continue;	/* SGI enable RAO/WI; SGI pend via S/CPENDSGIR (4.3.7) */
		gic_irq_bit_write(q, r, (v >> i) & 1);
	}
}

/* ---- byte-per-IRQ: IPRIORITYR (4.3.11), ITARGETSR (4.3.12) ---- */
static uint8_t tgt_read(struct gicd *d, unsigned irq, struct gicd_irq *q)
{
	if (irq < 32)	/* RO: the bit of the reading CPU (4.3.12) */
		return d->ncpus > 1 ? (uint8_t)(1u << d->cur_cpu) : 0;
	return q->targets;
}

static uint64_t rd_bytes(void *dev, uint32_t off, unsigned s)
{
	struct gicd *d = dev;
	unsigned first = off - GICD_ITARGETSR;
	uint64_t v = 0;

	if (off < GICD_ITARGETSR)
		return gic_prio_read(guest_at, d, off - GICD_IPRIORITYR, s);
	for (unsigned i = 0; i < s; i++) {
		struct gicd_irq *q = st(d, first + i);
		if (q)
			v |= (uint64_t)tgt_read(d, first + i, q) << (8 * i);
	}
	return v;
}

static void wr_bytes(void *dev, uint32_t off, unsigned s, uint64_t v)
{
	struct gicd *d = dev;
	unsigned first = off - GICD_ITARGETSR;

	if (off < GICD_ITARGETSR) {
		gic_prio_write(guest_at, d, off - GICD_IPRIORITYR, s, v);
		return;
	}
	for (unsigned i = 0; i < s; i++) {
		struct gicd_irq *q = guest_at(d, first + i, true);
		if (q && first + i >= 32)
			q->targets = (uint8_t)(v >> (8 * i)) & (uint8_t)((1u << d->ncpus) - 1);
	}
}

/* ---- ICFGR (4.3.13): Int_config bit [2F+1]; SGIs RO edge (0b10) ---- */
static uint64_t rd_cfg(void *dev, uint32_t off, unsigned s)
{
	(void)s;
	return gic_cfg_read(guest_at, dev, off);
}

static void wr_cfg(void *dev, uint32_t off, unsigned s, uint64_t v)
{
	(void)s;
	gic_cfg_write(guest_at, dev, off, (uint32_t)v);
}

/* ---- SGIR (4.3.15): filter [25:24], targets [23:16], SGIINTID [3:0] ---- */
static void wr_sgir(void *dev, uint32_t off, unsigned s, uint64_t v)
{
	struct gicd *d = dev;
	unsigned filter = (unsigned)hvx_bits(v, 25, 24), id = (unsigned)(v & 15);
	unsigned targets = (unsigned)hvx_bits(v, 23, 16);

	(void)off; (void)s;
	if (filter == 3 || !guest_irq(d, id))
		return;		/* reserved filter; owned SGI */
	if (filter == 1)
		targets = ((1u << d->ncpus) - 1) & ~(1u << d->cur_cpu);
	else if (filter == 2)
		targets = 1u << d->cur_cpu;
	gicd_send_sgi(d, d->cur_cpu, id, targets);
	d->last_sgir = (uint32_t)v;
}

int gicd_send_sgi(struct gicd *d, unsigned src, unsigned intid, unsigned targets)
{
	if (!d || src >= d->ncpus || intid > 15)
		return -EINVAL;
	if (!guest_irq(d, intid))
		return 0;	/* hypervisor-owned SGI: the guest cannot raise it */
	for (unsigned c = 0; c < d->ncpus; c++)
		if (targets & (1u << c))
			d->sgi_src[c][intid] |= (uint8_t)(1u << src);
	d->sgis_sent++;
	return 1;
}

/* ---- CPENDSGIR/SPENDSGIR (4.3.16-17): byte per SGI, bit per source ---- */
static uint64_t rd_sgipend(void *dev, uint32_t off, unsigned s)
{
	struct gicd *d = dev;
	unsigned first = (off - GICD_CPENDSGIR) % 16;
	uint64_t v = 0;

	for (unsigned i = 0; i < s; i++)
		v |= (uint64_t)d->sgi_src[d->cur_cpu][first + i] << (8 * i);
	return v;
}

static void wr_sgipend(void *dev, uint32_t off, unsigned s, uint64_t v)
{
	struct gicd *d = dev;
	bool set = off >= GICD_SPENDSGIR;
	unsigned first = (off - GICD_CPENDSGIR) % 16;
	uint8_t cpus = (uint8_t)((1u << d->ncpus) - 1);

	for (unsigned i = 0; i < s; i++) {
		unsigned id = first + i;
		uint8_t b = (uint8_t)(v >> (8 * i)) & cpus;
		if (!guest_irq(d, id))
			continue;
		if (set)
			d->sgi_src[d->cur_cpu][id] |= b;
		else
			d->sgi_src[d->cur_cpu][id] &= (uint8_t)~b;
	}
}

/* ---- ID registers (4.3.18 "Identification registers"): ICPIDR2.ArchRev
 * [7:4] = 2 for GICv2; the rest as the GIC-400 TRM; CIDR the standard
 * component ID 0xB105F00D. ---- */
static const uint8_t ids[12] = { 0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
static uint64_t rd_id(void *d, uint32_t o, unsigned s) { (void)d; (void)s; return ids[(o - GICD_PIDR4) / 4]; }

#define BITS(n, base, fl) { n, base, 0x80, W4, fl, 0, 0, rd_bits, wr_bits }
const struct emu_reg gicd_regs[] = {
	{ "GICD_CTLR", GICD_CTLR, 4, W4, 0, 0, 0xfffffffcu, rd_ctlr, wr_ctlr },
	{ "GICD_TYPER", GICD_TYPER, 4, W4, EMU_REG_RO, 0, 0xffffffffu, rd_typer, NULL },
	{ "GICD_IIDR", GICD_IIDR, 4, W4, EMU_REG_RO, 0x0200143b, 0xffffffffu, rd_iidr, NULL },
	BITS("GICD_IGROUPR", GICD_IGROUPR, 0),
	BITS("GICD_ISENABLER", GICD_ISENABLER, 0),
	BITS("GICD_ICENABLER", GICD_ICENABLER, 0),
	BITS("GICD_ISPENDR", GICD_ISPENDR, 0),
	BITS("GICD_ICPENDR", GICD_ICPENDR, 0),
	BITS("GICD_ISACTIVER", GICD_ISACTIVER, 0),
	BITS("GICD_ICACTIVER", GICD_ICACTIVER, 0),
	{ "GICD_IPRIORITYR", GICD_IPRIORITYR, 0x3fc, W14, 0, 0, 0x07070707u, rd_bytes, wr_bytes },
	{ "GICD_ITARGETSR", GICD_ITARGETSR, 0x3fc, W14, 0, 0, 0, rd_bytes, wr_bytes },
	{ "GICD_ICFGR", GICD_ICFGR, 0x100, W4, 0, 0, 0x55555555u, rd_cfg, wr_cfg },
	{ "GICD_NSACR", GICD_NSACR, 0x100, W4, EMU_REG_RAZ | EMU_REG_WI, 0, 0xffffffffu, NULL, NULL },
	{ "GICD_SGIR", GICD_SGIR, 4, W4, EMU_REG_WO, 0, 0xfc007ff0u, NULL, wr_sgir },
	{ "GICD_CPENDSGIR", GICD_CPENDSGIR, 16, W14, 0, 0, 0, rd_sgipend, wr_sgipend },
	{ "GICD_SPENDSGIR", GICD_SPENDSGIR, 16, W14, 0, 0, 0, rd_sgipend, wr_sgipend },
	{ "GICD_PIDR/CIDR", GICD_PIDR4, 0x30, W4, EMU_REG_RO, 0, 0xffffffffu, rd_id, NULL },
};
const size_t gicd_nregs = HVX_ARRAY_SIZE(gicd_regs);

void gicd_reset(void *dev)
{
	struct gicd *d = dev;
	uint8_t owned[GICD_MAX_IRQS];

	memcpy(owned, d->owned, sizeof(owned));
	unsigned it = d->it_lines, n = d->ncpus;
	memset(d, 0, sizeof(*d));
	d->it_lines = it;
	d->ncpus = n;
	d->nirqs = 32 * (it + 1) > GICD_MAX_IRQS ? GICD_MAX_IRQS : 32 * (it + 1);
	memcpy(d->owned, owned, sizeof(owned));
}

int gicd_init(struct gicd *d, unsigned it_lines, unsigned ncpus)
{
	if (!d || it_lines > 31 || ncpus < 1 || ncpus > GICD_NCPUS)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->it_lines = it_lines;
	d->ncpus = ncpus;
	gicd_reset(d);
	return 0;
}

int gicd_set_owned(struct gicd *d, unsigned irq, bool owned)
{
	if (irq >= d->nirqs)
		return -EINVAL;
	d->owned[irq] = owned;
	return 0;
}

const struct emu_dev_ops gicd_ops = {
	.name = "gicd",
	.regs = gicd_regs,
	.nregs = HVX_ARRAY_SIZE(gicd_regs),
	.holes_raz_wi = true,	/* reserved offsets RAZ/WI (IHI0048B 4.1.2) */
	.reset = gicd_reset,
};

int gicd_access(struct gicd *d, unsigned cpu, uint32_t off, unsigned size, bool write,
		uint64_t *val)
{
	if (cpu >= d->ncpus)
		return -EINVAL;
	d->cur_cpu = cpu;
	if (size == 0 || off >= GICD_SIZE || size > GICD_SIZE - off)
		return -EINVAL;
	return emu_dev_access(&gicd_ops, d, off, size, write, val);
}
