/*
 * Example hvexit plugin in the style of a teaching EL2 hypervisor: the
 * syndrome is taken apart with shifts and masks right where it is used, the
 * Stage-2 walk knows only the 4K granule, and the distributor is a few byte
 * arrays. Build: make examples (build/examples/teach.so).
 *
 * Deliberate bugs for tests/cli/60_validate_broken.sh (off by default):
 *   -DBUG_IGNORE_SSE      loads never sign-extend
 *   -DBUG_SAS_SHIFT       SAS read from bit 21 instead of 22
 *   -DBUG_SRT31_AS_X31    SRT=31 treated as a real register "x31"
 *   -DBUG_SGI_TARGETS_RW  ITARGETSR0-7 accept writes
 *   -DBUG_CRASH           NULL dereference for DFSC=0x21 (alignment fault)
 *   -DBUG_HANG            endless loop for a halfword sign-extending load
 *   -DBUG_UB              signed shift overflow for a byte load with bit 7
 *                         set (build with -fsanitize=undefined to see it)
 *   -DBUG_SIGN_W64        LDRSB/LDRSH to a W register sign-extend to 64 bits
 *   -DBUG_KEEP_JUNK       zero-extending loads keep the bus bits above the
 *                         access size
 *   -DBUG_PRIO_BYTE_OWNER a byte write to IPRIORITYR checks the ownership
 *                         of the first interrupt of its word, not its own
 *   -DGUEST_ONLY          decode_dabt and mmio_load refuse what a guest's
 *                         stage-2 data abort never is: EC 0x25, S1PTW=1
 *                         with ISV=1 (as many hypervisors do; no finding)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/plugin.h"

#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25

int hvx_plugin_abi(void)
{
	return HVX_PLUGIN_ABI;
}

static int is_dabt(uint64_t esr)
{
	unsigned ec = (esr >> 26) & 0x3f;

	return ec == EC_DABT_LOW || ec == EC_DABT_CUR;
}

int hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out)
{
	uint32_t iss = esr & 0x1ffffff;

	if (!is_dabt(esr))
		return -1;
#ifdef GUEST_ONLY
	if (((esr >> 26) & 0x3f) != EC_DABT_LOW || ((iss >> 24 & 1) && (iss >> 7 & 1)))
		return -1;
#endif
#ifdef BUG_CRASH
	if ((iss & 0x3f) == 0x21) {
		volatile int *p = NULL;
		*p = 1;
	}
#endif
	out->valid = (iss >> 24) & 1;
#ifdef BUG_SAS_SHIFT
	out->len = 1u << ((iss >> 21) & 3);
#else
	out->len = 1u << ((iss >> 22) & 3);
#endif
	out->sign_extend = (iss >> 21) & 1;
	out->rt = (iss >> 16) & 0x1f;
	out->sixty_four = (iss >> 15) & 1;
	out->acq_rel = (iss >> 14) & 1;
	out->s1ptw = (iss >> 7) & 1;
	out->is_write = (iss >> 6) & 1;
	out->dfsc = iss & 0x3f;
	return 0;
}

/* The lab's register file: x0..x30, plus the slot a careless handler
 * writes for "x31". */
static uint64_t regs[32];

int hvx_plugin_mmio_load(uint64_t esr, uint64_t bus_data, uint64_t *rt_value)
{
	struct hvx_dabt d;
	uint64_t v;

	memset(&d, 0, sizeof(d));
	if (hvx_plugin_decode_dabt(esr, &d) || !d.valid || d.is_write)
		return -1;
#ifdef BUG_HANG
	while (d.len == 2 && d.sign_extend)
		;
#endif
#ifdef BUG_UB
	if (d.len == 1) {
		volatile int t = (int)(bus_data & 0xff) << 24;
		(void)t;
	}
#endif
	v = d.len == 8 ? bus_data : bus_data & ((1ull << (8 * d.len)) - 1);
#ifdef BUG_KEEP_JUNK
	if (!d.sign_extend)
		v = bus_data;
#endif
#ifndef BUG_IGNORE_SSE
	if (d.sign_extend && d.len < 8 && (v >> (8 * d.len - 1)) & 1)
		v |= ~0ull << (8 * d.len);
#endif
#ifdef BUG_SIGN_W64
	if (!d.sixty_four && !d.sign_extend)
#else
	if (!d.sixty_four)
#endif
		v &= 0xffffffffull;
#ifndef BUG_SRT31_AS_X31
	if (d.rt == 31)
		return HVX_MMIO_NO_WRITE;	/* xzr: nothing lands */
#endif
	regs[d.rt] = v;
	*rt_value = regs[d.rt];
	return 0;
}

/* Stage-2, 4K granule only: start level from SL0, up to 16 concatenated
 * root tables. */
int hvx_plugin_s2_translate(uint64_t vtcr, uint64_t vttbr, uint64_t ipa, int access,
			    hvx_read64_fn read, void *ctx, struct hvx_s2_result *out)
{
	unsigned t0sz = vtcr & 0x3f, sl0 = (vtcr >> 6) & 3, tg0 = (vtcr >> 14) & 3;
	unsigned ps = (vtcr >> 16) & 7;
	static const unsigned pa_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 48 };
	unsigned ia = 64 - t0sz, level = 2 - sl0;
	uint64_t table = vttbr & 0x0000fffffffffffeull;
	uint64_t desc = 0;

	if (tg0 != 0 || sl0 == 3 || ia > 48 || ia < 25)
		return -1;
	if (ipa >> ia) {			/* IPA outside T0SZ: level 0 */
		out->fault = HVX_S2_TRANSLATION;
		out->level = 0;
		return 0;
	}
	if (table >> pa_bits[ps]) {		/* base beyond PS: level 0 */
		out->fault = HVX_S2_ADDRESS_SIZE;
		out->level = 0;
		return 0;
	}
	for (;; level++) {
		unsigned shift = 12 + 9 * (3 - level);
		uint64_t index = ipa >> shift;

		if (level == 2 - sl0)
			index &= (1ull << (ia - shift)) - 1;	/* concatenated roots */
		else
			index &= 0x1ff;
		if (read(ctx, table + index * 8, &desc)) {
			out->fault = HVX_S2_EXTERNAL;
			out->level = (int)level;
			return 0;
		}
		if (!(desc & 1) || (level == 3 && !(desc & 2))) {
			out->fault = HVX_S2_TRANSLATION;
			out->level = (int)level;
			return 0;
		}
		if (level == 3 || !(desc & 2)) {
			uint64_t oa = desc & 0x0000fffffffff000ull & (~0ull << shift);

			out->level = (int)level;
			if (level == 0 && !(desc & 2)) {
				out->fault = HVX_S2_TRANSLATION;
				return 0;
			}
			if (oa >> pa_bits[ps]) {
				out->fault = HVX_S2_ADDRESS_SIZE;
				return 0;
			}
			if (!(desc & (1 << 10))) {
				out->fault = HVX_S2_ACCESS_FLAG;
				return 0;
			}
			out->s2ap = (desc >> 6) & 3;
			out->xn = (desc >> 53) & 3;
			if ((access == HVX_ACC_READ && !(out->s2ap & 1)) ||
			    (access == HVX_ACC_WRITE && !(out->s2ap & 2)) ||
			    (access == HVX_ACC_EXEC && (out->xn == 1 || out->xn == 2))) {
				out->fault = HVX_S2_PERMISSION;
				out->s2ap = out->xn = 0;
				return 0;
			}
			out->fault = HVX_S2_OK;
			out->pa = oa | (ipa & ((1ull << shift) - 1));
			return 0;
		}
		table = desc & 0x0000fffffffff000ull;
		if (table >> pa_bits[ps]) {
			out->fault = HVX_S2_ADDRESS_SIZE;
			out->level = (int)level;
			return 0;
		}
	}
}

/* Distributor as byte arrays, one byte per IRQ for each per-IRQ field. */
struct dist {
	unsigned nr;
	uint8_t ctlr;
	uint8_t owned[1024], enabled[1024], pending[1024], active[1024];
	uint8_t group[1024], prio[1024], target[1024], cfg[1024];
};

void *hvx_plugin_gicd_new(unsigned nr_irqs, const uint8_t *owned)
{
	struct dist *d;

	if (nr_irqs < 32 || nr_irqs > 1020 || nr_irqs % 32 || !(d = calloc(1, sizeof(*d))))
		return NULL;
	d->nr = nr_irqs;
	for (unsigned i = 0; i < nr_irqs; i++) {
		d->owned[i] = owned ? (owned[i / 8] >> (i % 8)) & 1 : 0;
		d->target[i] = 1;
		d->cfg[i] = i < 16 ? 2 : 0;	/* SGIs: edge */
	}
	return d;
}

void hvx_plugin_gicd_free(void *p)
{
	free(p);
}

/* The per-IRQ field register an access reaches: the array, bits per IRQ,
 * base offset and kind (a = NULL where there is none: RAZ/WI). */
struct field {
	uint8_t *a;
	unsigned bits, kind;
	uint32_t base;
};

/* The field at off; -1 for an access width the register does not take
 * (1 and 4 bytes, bytes only for 8-bit fields). */
static int field_at(struct dist *d, uint32_t off, unsigned len, struct field *f)
{
	static const struct { uint32_t base; unsigned bits, kind; } map[] = {
		{ 0x080, 1, 0 }, { 0x100, 1, 1 }, { 0x180, 1, 2 }, { 0x200, 1, 3 },
		{ 0x280, 1, 4 }, { 0x300, 1, 5 }, { 0x380, 1, 6 }, { 0x400, 8, 7 },
		{ 0x800, 8, 8 }, { 0xc00, 2, 9 },
	};
	uint8_t *const arrays[] = {
		d->group, d->enabled, d->enabled, d->pending, d->pending, d->active,
		d->active, d->prio, d->target, d->cfg,
	};

	f->a = NULL;
	if (len != 4 && len != 1)
		return -1;
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint32_t n = d->nr * map[i].bits / 8;

		if (off >= map[i].base && off < map[i].base + n) {
			*f = (struct field){ arrays[map[i].kind], map[i].bits, map[i].kind,
					     map[i].base };
			return len == 1 && f->bits != 8 ? -1 : 0;
		}
	}
	return 0;
}

/* The IRQ of field b of an access at off. */
static unsigned irq_at(const struct field *f, uint32_t off, unsigned b)
{
	return (off - f->base) * 8 / f->bits + b;
}

int hvx_plugin_gicd_read(void *p, uint32_t off, unsigned len, uint32_t *val)
{
	struct dist *d = p;
	struct field f;

	if (field_at(d, off, len, &f) < 0)
		return -1;
	if (off == 0x000) { *val = d->ctlr; return 0; }
	if (off == 0x004) { *val = d->nr / 32 - 1; return 0; }
	if (off == 0x008) { *val = 0x0000043b; return 0; }
	*val = 0;	/* no field: RAZ */
	for (unsigned b = 0; f.a && b < len * 8 / f.bits; b++)
		*val |= (uint32_t)f.a[irq_at(&f, off, b)] << (b * f.bits);
	return 0;
}

int hvx_plugin_gicd_write(void *p, uint32_t off, unsigned len, uint32_t val)
{
	struct dist *d = p;
	struct field f;

	if (field_at(d, off, len, &f) < 0)
		return -1;
	if (off == 0x000) { d->ctlr = val & 1; return 0; }
	for (unsigned b = 0; f.a && b < len * 8 / f.bits; b++) {	/* no field: WI */
		unsigned irq = irq_at(&f, off, b);
		uint32_t v = (val >> (b * f.bits)) & ((1u << f.bits) - 1);
#ifdef BUG_PRIO_BYTE_OWNER
		unsigned who = f.kind == 7 && len == 1 ? ((off & ~3u) - f.base) + b : irq;
#else
		unsigned who = irq;
#endif

		if (d->owned[who])
			continue;
#ifndef BUG_SGI_TARGETS_RW
		if (f.kind == 8 && irq < 32)
			continue;		/* SGI/PPI targets are read-only */
#endif
		if (f.kind == 9 && irq < 16)
			continue;		/* SGI config is read-only */
		switch (f.kind) {
		case 1: case 3: case 5: if (v) f.a[irq] = 1; break;
		case 2: case 4: case 6: if (v) f.a[irq] = 0; break;
		case 9: f.a[irq] = (uint8_t)(v & 2); break;
		default: f.a[irq] = (uint8_t)v; break;
		}
	}
	return 0;
}
