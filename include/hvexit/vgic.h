/*
 * GICv2 virtual interface control (GICH_*) model, Arm IHI0048B chapter
 * 5.3 "GIC virtual interface control registers": GICH_HCR (5.3.1),
 * GICH_VTR (5.3.2), GICH_VMCR (5.3.3), GICH_MISR (5.3.4), GICH_EISR0/1
 * (5.3.5), GICH_ELRSR0/1 (5.3.6), GICH_APR (5.3.7), GICH_LRn (5.3.8).
 */
#ifndef HVEXIT_VGIC_H
#define HVEXIT_VGIC_H

#include "hvexit/emu.h"

#define VGIC_NR_LR 4

/* GICH_LR fields (IHI0048B 5.3.8 Table 5-10). */
#define VGIC_LR_VID_MASK   UINT32_C(0x3ff)		/* [9:0] VirtualID */
#define VGIC_LR_PID_SHIFT  10				/* [19:10] PhysicalID */
#define VGIC_LR_EOI        (UINT32_C(1) << 19)		/* HW=0: EOI maintenance */
#define VGIC_LR_PRIO_SHIFT 23				/* [27:23] Priority */
#define VGIC_LR_STATE_SHIFT 28				/* [29:28] State */
#define VGIC_LR_GRP1       (UINT32_C(1) << 30)
#define VGIC_LR_HW         (UINT32_C(1) << 31)

enum vgic_state { VGIC_INVALID = 0, VGIC_PENDING = 1, VGIC_ACTIVE = 2,
		  VGIC_PENDING_ACTIVE = 3 };

/* GICH_HCR (5.3.1) and GICH_MISR (5.3.4) bits. */
#define VGIC_HCR_EN     (UINT32_C(1) << 0)
#define VGIC_HCR_UIE    (UINT32_C(1) << 1)
#define VGIC_HCR_LRENPIE (UINT32_C(1) << 2)
#define VGIC_HCR_NPIE   (UINT32_C(1) << 3)
#define VGIC_MISR_EOI   (UINT32_C(1) << 0)
#define VGIC_MISR_U     (UINT32_C(1) << 1)
#define VGIC_MISR_LRENP (UINT32_C(1) << 2)
#define VGIC_MISR_NP    (UINT32_C(1) << 3)

struct vgic {
	uint32_t hcr, vmcr, apr;
	uint32_t lr[VGIC_NR_LR];
	/* Physical INTIDs deactivated by EOIs of HW=1 LRs, oldest first
	 * (at most 16 kept; n_phys_deact counts all). */
	uint32_t phys_deactivated[16];
	unsigned n_phys_deact;
};

void vgic_reset(struct vgic *g);
/* Build a list register value. */
uint32_t vgic_lr_make(unsigned vintid, unsigned pintid, bool hw, bool eoi_maint,
		      unsigned prio5, enum vgic_state st, bool grp1);
/* Inject vINTID (prio 0..255, only bits [7:3] kept) into a free LR
 * (ELRSR); HW forwarding with pintid if hw. Returns the LR index, -EBUSY
 * if no LR is free, -EEXIST if vintid already in an LR, -EINVAL bad id. */
int vgic_inject(struct vgic *g, unsigned vintid, unsigned pintid, bool hw,
		unsigned prio, bool grp1, bool eoi_maint);
/* The guest acknowledges (GICV_IAR): the highest-priority pending LR goes
 * active; returns vINTID or 1023 if none. */
unsigned vgic_ack(struct vgic *g);
/* The guest deactivates vINTID (GICV_EOIR with EOImode 0): the LR leaves
 * active; with HW=1 the physical pINTID is deactivated too; with HW=0 and
 * the EOI bit set the EISR bit is set. No LR holds it: GICH_HCR.EOICount
 * is incremented and -ENOENT returned. */
int vgic_eoi(struct vgic *g, unsigned vintid);

uint32_t vgic_read_vtr(void);
uint32_t vgic_read_elrsr0(const struct vgic *g);
uint32_t vgic_read_eisr0(const struct vgic *g);
uint32_t vgic_read_misr(const struct vgic *g);
/* MMIO view of GICH (offsets per IHI0048B table 5-1), 32-bit only. */
int vgic_access(struct vgic *g, uint32_t off, unsigned size, bool write,
		uint64_t *val);

#endif
