/*
 * Register families the GICv2 and GICv3 models share (hvexit/gic.h):
 * one field per INTID at the same frame offsets (IHI0048B Table 4-1,
 * IHI 0069 12.8 and 12.10), and the SGI target decode of ICC_SGI*R_EL1.
 */
#include "hvexit/gic.h"

enum gic_bitreg gic_bitreg_of(uint32_t off)
{
	return (enum gic_bitreg)((off - GIC_IGROUPR) / 0x80);
}

unsigned gic_bitreg_first(uint32_t off)
{
	return (unsigned)((off - GIC_IGROUPR) % 0x80) * 8;
}

uint8_t *gic_irq_field(struct gicd_irq *q, enum gic_bitreg r)
{
	switch (r) {
	case GIC_B_GROUP: return &q->group;
	case GIC_B_SENABLE: case GIC_B_CENABLE: return &q->enabled;
	case GIC_B_SPEND: case GIC_B_CPEND: return &q->pending;
	default: return &q->active;
	}
}

void gic_irq_bit_write(struct gicd_irq *q, enum gic_bitreg r, bool one)
{
	if (r == GIC_B_GROUP)
		q->group = one;
	else if (one)
		*gic_irq_field(q, r) = (r == GIC_B_SENABLE || r == GIC_B_SPEND ||
					r == GIC_B_SACTIVE);
}

uint32_t gic_bits_read(gic_irq_at at, void *ctx, uint32_t off)
{
	enum gic_bitreg r = gic_bitreg_of(off);
	unsigned first = gic_bitreg_first(off);
	uint32_t v = 0;

	for (unsigned i = 0; i < 32; i++) {
		struct gicd_irq *q = at(ctx, first + i, false);
		if (q)
			v |= (uint32_t)(*gic_irq_field(q, r) & 1u) << i;
	}
	return v;
}

void gic_bits_write(gic_irq_at at, void *ctx, uint32_t off, uint32_t val)
{
	enum gic_bitreg r = gic_bitreg_of(off);
	unsigned first = gic_bitreg_first(off);

	for (unsigned i = 0; i < 32; i++) {
		struct gicd_irq *q = at(ctx, first + i, true);
		if (q)
			gic_irq_bit_write(q, r, (val >> i) & 1);
	}
}

uint64_t gic_prio_read(gic_irq_at at, void *ctx, unsigned first, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		struct gicd_irq *q = at(ctx, first + i, false);
		if (q)
			v |= (uint64_t)q->priority << (8 * i);
	}
	return v;
}

void gic_prio_write(gic_irq_at at, void *ctx, unsigned first, unsigned size, uint64_t val)
{
	for (unsigned i = 0; i < size; i++) {
		struct gicd_irq *q = at(ctx, first + i, true);
		if (q)
			q->priority = (uint8_t)(val >> (8 * i)) & GIC_PRIO_MASK;
	}
}

uint32_t gic_cfg_read(gic_irq_at at, void *ctx, uint32_t off)
{
	unsigned first = (off - GIC_ICFGR) * 4;
	uint32_t v = 0;

	for (unsigned i = 0; i < 16; i++) {
		struct gicd_irq *q = at(ctx, first + i, false);
		if (q)
			v |= (uint32_t)(first + i < 16 ? 2u : q->cfg) << (2 * i);
	}
	return v;
}

void gic_cfg_write(gic_irq_at at, void *ctx, uint32_t off, uint32_t val)
{
	unsigned first = (off - GIC_ICFGR) * 4;

	for (unsigned i = 16 > first ? 16 - first : 0; i < 16; i++) {
		struct gicd_irq *q = at(ctx, first + i, true);
		if (q)
			q->cfg = (uint8_t)((val >> (2 * i)) & 2u);
	}
}

uint32_t gic_sgir_targets(uint64_t val, const uint64_t *mpidr, unsigned n, unsigned self)
{
	unsigned rs = (unsigned)hvx_bits(val, 47, 44);
	uint64_t aff321 = hvx_bits(val, 55, 48) << 32 | hvx_bits(val, 39, 32) << 16 |
			  hvx_bits(val, 23, 16) << 8;
	bool irm = hvx_bit(val, 40);
	uint32_t mask = 0;

	for (unsigned i = 0; i < n && i < 32; i++) {
		/* MPIDR_EL1: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], Aff3 [39:32] */
		uint64_t aff = mpidr[i] & UINT64_C(0xff00ffff00);
		unsigned aff0 = (unsigned)(mpidr[i] & 0xff);

		if (irm) {	/* all PEs except the sender */
			if (i != self)
				mask |= UINT32_C(1) << i;
			continue;
		}
		if (aff == aff321 && aff0 / 16 == rs && hvx_bit(val, aff0 % 16))
			mask |= UINT32_C(1) << i;
	}
	return mask;
}
