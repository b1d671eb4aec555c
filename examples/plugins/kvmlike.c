/*
 * Example hvexit plugin written the way a KVM-like hypervisor is: named
 * syndrome masks and small accessor helpers (vcpu_dabt_*), a load
 * completion that mirrors "host data to guest register", a granule-
 * parametrised Stage-2 walker (4K/16K/64K), and a distributor described by
 * a table of register regions with bitmap storage. Independent of
 * teach.c. Build: make examples (build/examples/kvmlike.so).
 *
 * Deliberate bug for tests/cli/60_validate_broken.sh (off by default):
 *   -DBUG_64K_INDEX   64K granule: level index taken one bit too low
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/plugin.h"

#define ESR_EC_SHIFT	26
#define ESR_EC_MASK	(0x3full << ESR_EC_SHIFT)
#define ESR_ISV		(1ull << 24)
#define ESR_SAS_SHIFT	22
#define ESR_SAS		(3ull << ESR_SAS_SHIFT)
#define ESR_SSE		(1ull << 21)
#define ESR_SRT_SHIFT	16
#define ESR_SRT		(0x1full << ESR_SRT_SHIFT)
#define ESR_SF		(1ull << 15)
#define ESR_AR		(1ull << 14)
#define ESR_S1PTW	(1ull << 7)
#define ESR_WNR		(1ull << 6)
#define ESR_FSC		0x3full

static unsigned esr_class(uint64_t esr) { return (unsigned)((esr & ESR_EC_MASK) >> ESR_EC_SHIFT); }
static bool vcpu_dabt_isvalid(uint64_t esr) { return esr & ESR_ISV; }
static bool vcpu_dabt_iswrite(uint64_t esr) { return esr & ESR_WNR; }
static bool vcpu_dabt_issext(uint64_t esr) { return esr & ESR_SSE; }
static bool vcpu_dabt_issf(uint64_t esr) { return esr & ESR_SF; }
static bool vcpu_dabt_isacqrel(uint64_t esr) { return esr & ESR_AR; }
static bool vcpu_dabt_iss1tw(uint64_t esr) { return esr & ESR_S1PTW; }
static unsigned vcpu_dabt_get_rd(uint64_t esr) { return (unsigned)((esr & ESR_SRT) >> ESR_SRT_SHIFT); }
static unsigned vcpu_dabt_get_as(uint64_t esr) { return 1u << ((esr & ESR_SAS) >> ESR_SAS_SHIFT); }
static unsigned vcpu_fault_status(uint64_t esr) { return (unsigned)(esr & ESR_FSC); }

int hvx_plugin_abi(void) { return HVX_PLUGIN_ABI; }

int hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out)
{
	switch (esr_class(esr)) {
	case 0x24: case 0x25: break;
	default: return -22;
	}
	*out = (struct hvx_dabt){
		.valid = vcpu_dabt_isvalid(esr), .len = vcpu_dabt_get_as(esr),
		.is_write = vcpu_dabt_iswrite(esr), .sign_extend = vcpu_dabt_issext(esr),
		.rt = vcpu_dabt_get_rd(esr), .sixty_four = vcpu_dabt_issf(esr),
		.acq_rel = vcpu_dabt_isacqrel(esr), .s1ptw = vcpu_dabt_iss1tw(esr),
		.dfsc = vcpu_fault_status(esr),
	};
	return 0;
}

/* Host data (len bytes) to the guest register value. */
static uint64_t data_host_to_guest(uint64_t data, unsigned len, bool sext, bool sf)
{
	unsigned shift = 64 - 8 * len;

	if (len < 8)
		data &= (1ull << (8 * len)) - 1;
	if (sext && len < 8)
		data = (uint64_t)((int64_t)(data << shift) >> shift);
	return sf ? data : (uint32_t)data;
}

int hvx_plugin_mmio_load(uint64_t esr, uint64_t bus, uint64_t *rt_value)
{
	if ((esr_class(esr) != 0x24 && esr_class(esr) != 0x25) ||
	    !vcpu_dabt_isvalid(esr) || vcpu_dabt_iswrite(esr))
		return -22;
	if (vcpu_dabt_get_rd(esr) == 31)
		return HVX_MMIO_NO_WRITE;
	*rt_value = data_host_to_guest(bus, vcpu_dabt_get_as(esr),
				       vcpu_dabt_issext(esr), vcpu_dabt_issf(esr));
	return 0;
}

/* ---- Stage-2: granule described by a table ---- */
struct granule {
	unsigned page_shift;	/* 12, 14, 16 */
	unsigned bits;		/* index bits per level */
	int sl0_start[4];	/* start level for SL0 (-1 reserved) */
	int min_block_level;	/* first level a block is allowed at */
};
static const struct granule granules[4] = {
	[0] = { 12, 9, { 2, 1, 0, -1 }, 1 },	/* TG0=00 4K */
	[1] = { 16, 13, { 3, 2, 1, -1 }, 2 },	/* TG0=01 64K */
	[2] = { 14, 11, { 3, 2, 1, 0 }, 2 },	/* TG0=10 16K */
};
static const unsigned ps_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };

static unsigned level_shift(const struct granule *g, int level)
{
	return g->page_shift + g->bits * (unsigned)(3 - level);
}

static uint64_t level_index(const struct granule *g, uint64_t ipa, int level, unsigned nbits)
{
	unsigned sh = level_shift(g, level);

#ifdef BUG_64K_INDEX
	if (g->page_shift == 16)
		sh -= 1;
#endif
	return (ipa >> sh) & ((1ull << nbits) - 1);
}

static int s2_fault(struct hvx_s2_result *r, int type, int level)
{
	r->fault = type;
	r->level = level;
	return 0;
}

int hvx_plugin_s2_translate(uint64_t vtcr, uint64_t vttbr, uint64_t ipa, int access,
			    hvx_read64_fn read, void *ctx, struct hvx_s2_result *r)
{
	unsigned tg0 = (vtcr >> 14) & 3, t0sz = vtcr & 0x3f;
	const struct granule *g = &granules[tg0];
	unsigned ia = 64 - t0sz, oa = ps_bits[(vtcr >> 16) & 7];
	uint64_t oamask = ((1ull << 48) - 1) & ~((1ull << g->page_shift) - 1);
	uint64_t base = vttbr & ((1ull << 48) - 2), desc;
	int level, start;

	if (tg0 == 3 || ia > 48)
		return -22;
	start = g->sl0_start[(vtcr >> 6) & 3];
	if (start < 0)
		return -22;
	if (ipa >> ia)
		return s2_fault(r, HVX_S2_TRANSLATION, 0);	/* beyond T0SZ */
	if (base >> oa)		/* table base beyond PS: Address size fault, level 0 */
		return s2_fault(r, HVX_S2_ADDRESS_SIZE, 0);
	for (level = start; level <= 3; level++) {
		unsigned sh = level_shift(g, level);
		unsigned nbits = level == start ? ia - sh : g->bits;

		if (read(ctx, base + 8 * level_index(g, ipa, level, nbits), &desc))
			return s2_fault(r, HVX_S2_EXTERNAL, level);
		if (!(desc & 1))
			return s2_fault(r, HVX_S2_TRANSLATION, level);
		if (level < 3 && (desc & 2)) {
			base = desc & oamask;
			if (base >> oa)
				return s2_fault(r, HVX_S2_ADDRESS_SIZE, level);
			continue;
		}
		if (level < 3 && level < g->min_block_level)
			return s2_fault(r, HVX_S2_TRANSLATION, level);
		if (level == 3 && !(desc & 2))
			return s2_fault(r, HVX_S2_TRANSLATION, level);
		{
			uint64_t out = desc & oamask & ~((1ull << sh) - 1);
			unsigned ap = (desc >> 6) & 3, xn = (desc >> 53) & 3;

			if (out >> oa)
				return s2_fault(r, HVX_S2_ADDRESS_SIZE, level);
			if (!(desc & (1u << 10)))
				return s2_fault(r, HVX_S2_ACCESS_FLAG, level);
			if ((access == HVX_ACC_READ && !(ap & 1)) ||
			    (access == HVX_ACC_WRITE && !(ap & 2)) ||
			    (access == HVX_ACC_EXEC && (xn == 1 || xn == 2)))	/* EL1 fetch, FEAT_XNX */
				return s2_fault(r, HVX_S2_PERMISSION, level);
			*r = (struct hvx_s2_result){ .fault = HVX_S2_OK, .level = level,
				.pa = out | (ipa & ((1ull << sh) - 1)), .s2ap = ap, .xn = xn };
			return 0;
		}
	}
	return s2_fault(r, HVX_S2_TRANSLATION, 3);
}

/* ---- GICv2 distributor: region table, bitmap storage ---- */
enum acc { ACC_RO, ACC_RW, ACC_SET, ACC_CLEAR };
struct vgic_dist {
	unsigned nr_irqs;
	uint32_t ctlr;
	uint32_t owned[32], group[32], enable[32], pend[32], active[32], cfg[64];
	uint8_t prio[1024], targets[1024];
};
struct region {
	uint32_t base;
	unsigned bits_per_irq;
	enum acc acc;
	bool byte_ok;
	size_t field;		/* offsetof storage */
};
#define R(b, bpi, a, by, f) { b, bpi, a, by, offsetof(struct vgic_dist, f) }
static const struct region regions[] = {
	R(0x080, 1, ACC_RW, false, group), R(0x100, 1, ACC_SET, false, enable),
	R(0x180, 1, ACC_CLEAR, false, enable), R(0x200, 1, ACC_SET, false, pend),
	R(0x280, 1, ACC_CLEAR, false, pend), R(0x300, 1, ACC_SET, false, active),
	R(0x380, 1, ACC_CLEAR, false, active), R(0x400, 8, ACC_RW, true, prio),
	R(0x800, 8, ACC_RW, true, targets), R(0xc00, 2, ACC_RW, false, cfg),
};

static bool owned(const struct vgic_dist *d, unsigned irq)
{
	return d->owned[irq / 32] >> (irq % 32) & 1;
}

static const struct region *find(const struct vgic_dist *d, uint32_t off)
{
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (off >= regions[i].base &&
		    off < regions[i].base + d->nr_irqs * regions[i].bits_per_irq / 8)
			return &regions[i];
	return NULL;
}

static unsigned get_field(const struct vgic_dist *d, const struct region *r, unsigned irq)
{
	const uint8_t *s = (const uint8_t *)d + r->field;

	if (r->bits_per_irq == 8)
		return s[irq];
	return (((const uint32_t *)s)[irq * r->bits_per_irq / 32] >>
		(irq * r->bits_per_irq % 32)) & ((1u << r->bits_per_irq) - 1);
}

static void set_field(struct vgic_dist *d, const struct region *r, unsigned irq, unsigned v)
{
	uint8_t *s = (uint8_t *)d + r->field;
	uint32_t *w, m;

	if (r->bits_per_irq == 8) {
		s[irq] = (uint8_t)v;
		return;
	}
	w = &((uint32_t *)s)[irq * r->bits_per_irq / 32];
	m = ((1u << r->bits_per_irq) - 1) << (irq * r->bits_per_irq % 32);
	*w = (*w & ~m) | ((v << (irq * r->bits_per_irq % 32)) & m);
}

void *hvx_plugin_gicd_new(unsigned nr_irqs, const uint8_t *own)
{
	struct vgic_dist *d;

	if (!nr_irqs || nr_irqs % 32 || nr_irqs > 1020)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->nr_irqs = nr_irqs;
	for (unsigned i = 0; i < nr_irqs; i++) {
		if (own && (own[i / 8] >> (i % 8) & 1))
			d->owned[i / 32] |= 1u << (i % 32);
		d->targets[i] = 1;
	}
	d->cfg[0] = 0xaaaaaaaa;		/* SGIs are edge-triggered */
	return d;
}

void hvx_plugin_gicd_free(void *d) { free(d); }

/* The region an access of len bytes at off reaches, or NULL with *rc: 0
 * where no region is (RAZ/WI), -1 for a width the register does not take. */
static const struct region *access_region(const struct vgic_dist *d, uint32_t off,
					  unsigned len, int *rc)
{
	const struct region *r = find(d, off);

	*rc = len == 4 || len == 1 ? 0 : -1;
	if (r && len != 4 && !(len == 1 && r->byte_ok))
		*rc = -1;
	return *rc ? NULL : r;
}

/* The IRQ of field i of an access at off. */
static unsigned irq_at(const struct region *r, uint32_t off, unsigned i)
{
	return (off - r->base) * 8 / r->bits_per_irq + i;
}

int hvx_plugin_gicd_read(void *p, uint32_t off, unsigned len, uint32_t *val)
{
	struct vgic_dist *d = p;
	const struct region *r;
	int rc;

	*val = 0;
	if (off == 0) { *val = d->ctlr; return len == 4 ? 0 : -1; }
	if (off == 4) { *val = d->nr_irqs / 32 - 1; return len == 4 ? 0 : -1; }
	r = access_region(d, off, len, &rc);	/* no region: RAZ */
	for (unsigned i = 0; r && i < len * 8 / r->bits_per_irq; i++)
		*val |= get_field(d, r, irq_at(r, off, i)) << (i * r->bits_per_irq);
	return rc;
}

int hvx_plugin_gicd_write(void *p, uint32_t off, unsigned len, uint32_t val)
{
	struct vgic_dist *d = p;
	const struct region *r;
	int rc;

	if (off == 0) { d->ctlr = val & 1; return len == 4 ? 0 : -1; }
	r = access_region(d, off, len, &rc);	/* no region: WI */
	for (unsigned i = 0; r && i < len * 8 / r->bits_per_irq; i++) {
		unsigned irq = irq_at(r, off, i);
		unsigned f = (val >> (i * r->bits_per_irq)) & ((1u << r->bits_per_irq) - 1);

		if (owned(d, irq))
			continue;
		if ((r->base == 0x800 && irq < 32) || (r->base == 0xc00 && irq < 16))
			continue;	/* read-only banks */
		switch (r->acc) {
		case ACC_SET: if (f) set_field(d, r, irq, 1); break;
		case ACC_CLEAR: if (f) set_field(d, r, irq, 0); break;
		case ACC_RW: set_field(d, r, irq, r->base == 0xc00 ? (f & 2) : f); break;
		default: break;
		}
	}
	return rc;
}
