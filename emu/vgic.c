/*
 * GICv2 virtual interface control (Arm IHI0048B 5.3). GICH_ELRSR, EISR
 * and MISR are computed from the list registers and GICH_HCR, as the
 * hardware does (5.3.4-5.3.6).
 */
#include <string.h>

#include "hvexit/vgic.h"

#define LR_STATE(lr)  (((lr) >> VGIC_LR_STATE_SHIFT) & 3u)
#define LR_PRIO(lr)   (((lr) >> VGIC_LR_PRIO_SHIFT) & 0x1fu)
#define HCR_EOICOUNT_SHIFT 27	/* GICH_HCR.EOICount [31:27] */

void vgic_reset(struct vgic *g)
{
	memset(g, 0, sizeof(*g));
}

uint32_t vgic_lr_make(unsigned vintid, unsigned pintid, bool hw, bool eoi_maint,
		      unsigned prio5, enum vgic_state st, bool grp1)
{
	uint32_t lr = (vintid & VGIC_LR_VID_MASK) | (prio5 & 0x1fu) << VGIC_LR_PRIO_SHIFT |
		      ((uint32_t)st & 3u) << VGIC_LR_STATE_SHIFT;

	if (grp1)
		lr |= VGIC_LR_GRP1;
	if (hw)
		lr |= VGIC_LR_HW | (pintid & 0x3ffu) << VGIC_LR_PID_SHIFT;
	else if (eoi_maint)
		lr |= VGIC_LR_EOI;
	return lr;
}

/* GICH_VTR (5.3.2): PRIbits [31:29], PREbits [28:26], ListRegs [5:0],
 * each "number minus one": 5 priority bits, 5 preemption bits. */
uint32_t vgic_read_vtr(void)
{
	return 4u << 29 | 4u << 26 | (VGIC_NR_LR - 1);
}

/* GICH_ELRSR (5.3.6): LR n free = state invalid and not awaiting an EOI
 * maintenance interrupt (HW=1 or EOI=0). */
uint32_t vgic_read_elrsr0(const struct vgic *g)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < VGIC_NR_LR; i++)
		if (LR_STATE(g->lr[i]) == VGIC_INVALID &&
		    ((g->lr[i] & VGIC_LR_HW) || !(g->lr[i] & VGIC_LR_EOI)))
			v |= 1u << i;
	return v;
}

/* GICH_EISR (5.3.5): state invalid, HW=0, EOI=1. */
uint32_t vgic_read_eisr0(const struct vgic *g)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < VGIC_NR_LR; i++)
		if (LR_STATE(g->lr[i]) == VGIC_INVALID && !(g->lr[i] & VGIC_LR_HW) &&
		    (g->lr[i] & VGIC_LR_EOI))
			v |= 1u << i;
	return v;
}

/* GICH_MISR (5.3.4). */
uint32_t vgic_read_misr(const struct vgic *g)
{
	uint32_t m = 0;
	unsigned valid = 0, pending = 0;

	for (unsigned i = 0; i < VGIC_NR_LR; i++) {
		unsigned st = LR_STATE(g->lr[i]);
		valid += st != VGIC_INVALID;
		pending += st == VGIC_PENDING;
	}
	if (vgic_read_eisr0(g))
		m |= VGIC_MISR_EOI;
	if ((g->hcr & VGIC_HCR_UIE) && valid <= 1)
		m |= VGIC_MISR_U;	/* underflow: zero or one valid LR */
	if ((g->hcr & VGIC_HCR_LRENPIE) && (g->hcr >> HCR_EOICOUNT_SHIFT))
		m |= VGIC_MISR_LRENP;
	if ((g->hcr & VGIC_HCR_NPIE) && !pending)
		m |= VGIC_MISR_NP;
	return m;
}

int vgic_inject(struct vgic *g, unsigned vintid, unsigned pintid, bool hw,
		unsigned prio, bool grp1, bool eoi_maint)
{
	uint32_t free_lrs = vgic_read_elrsr0(g);

	if (vintid > 1019 || (hw && (pintid < 16 || pintid > 1019)))
		return -EINVAL;
	for (unsigned i = 0; i < VGIC_NR_LR; i++)
		if (LR_STATE(g->lr[i]) != VGIC_INVALID && (g->lr[i] & VGIC_LR_VID_MASK) == vintid)
			return -EEXIST;
	for (unsigned i = 0; i < VGIC_NR_LR; i++)
		if (free_lrs & (1u << i)) {
			g->lr[i] = vgic_lr_make(vintid, pintid, hw, eoi_maint, (prio >> 3) & 0x1f,
						VGIC_PENDING, grp1);
			return (int)i;
		}
	return -EBUSY;
}

unsigned vgic_ack(struct vgic *g)
{
	int best = -1;

	for (unsigned i = 0; i < VGIC_NR_LR; i++)
		if (LR_STATE(g->lr[i]) == VGIC_PENDING &&
		    (best < 0 || LR_PRIO(g->lr[i]) < LR_PRIO(g->lr[best])))
			best = (int)i;
	if (best < 0)
		return 1023;	/* spurious */
	g->lr[best] = (g->lr[best] & ~(3u << VGIC_LR_STATE_SHIFT)) |
		      (uint32_t)VGIC_ACTIVE << VGIC_LR_STATE_SHIFT;
	return g->lr[best] & VGIC_LR_VID_MASK;
}

int vgic_eoi(struct vgic *g, unsigned vintid)
{
	for (unsigned i = 0; i < VGIC_NR_LR; i++) {
		uint32_t lr = g->lr[i];
		unsigned st = LR_STATE(lr);
		if ((lr & VGIC_LR_VID_MASK) != vintid || !(st & VGIC_ACTIVE))
			continue;
		st &= ~(unsigned)VGIC_ACTIVE;	/* pending+active -> pending */
		g->lr[i] = (lr & ~(3u << VGIC_LR_STATE_SHIFT)) | st << VGIC_LR_STATE_SHIFT;
		if (lr & VGIC_LR_HW) {
			/* 5.3.8 HW=1: the EOI also deactivates PhysicalID. */
			if (g->n_phys_deact < 16)
				g->phys_deactivated[g->n_phys_deact] =
					(lr >> VGIC_LR_PID_SHIFT) & 0x3ffu;
			g->n_phys_deact++;
		}
		return 0;
	}
	/* No LR: EOICount counts it (5.3.1), saturating at 31. */
	if ((g->hcr >> HCR_EOICOUNT_SHIFT) < 31)
		g->hcr += 1u << HCR_EOICOUNT_SHIFT;
	return -ENOENT;
}

int vgic_access(struct vgic *g, uint32_t off, unsigned size, bool write, uint64_t *val)
{
	if (size != 4 || (off & 3))
		return -EINVAL;
	if (off >= 0x100 && off < 0x100 + 4 * VGIC_NR_LR) {
		if (write)
			g->lr[(off - 0x100) / 4] = (uint32_t)*val;
		else
			*val = g->lr[(off - 0x100) / 4];
		return 0;
	}
	switch (off) {
	case 0x00:
		if (write)
			g->hcr = (uint32_t)*val & 0xf80000ffu;
		else
			*val = g->hcr;
		return 0;
	case 0x04: if (!write) *val = vgic_read_vtr(); return 0;
	case 0x08:
		if (write)
			g->vmcr = (uint32_t)*val;
		else
			*val = g->vmcr;
		return 0;
	case 0x10: if (!write) *val = vgic_read_misr(g); return 0;
	case 0x20: if (!write) *val = vgic_read_eisr0(g); return 0;
	case 0x30: if (!write) *val = vgic_read_elrsr0(g); return 0;
	case 0x24: case 0x34: if (!write) *val = 0; return 0;	/* LRs 32..63 absent */
	case 0xf0:
		if (write)
			g->apr = (uint32_t)*val;
		else
			*val = g->apr;
		return 0;
	default:
		if (!write)
			*val = 0;	/* reserved: RAZ/WI */
		return 0;
	}
}
