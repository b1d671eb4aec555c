/*
 * What the GICv2 and GICv3 models share: the per-interrupt state and the
 * register families that keep one field per INTID at the same offsets in
 * the GICv2 Distributor (Arm IHI0048B 4.3, Table 4-1), the GICv3
 * Distributor (Arm IHI 0069 12.8 "The GIC Distributor register map") and
 * the GICv3 Redistributor SGI_base frame (IHI 0069 12.10): IGROUPR 0x080,
 * ISENABLER 0x100, ICENABLER 0x180, ISPENDR 0x200, ICPENDR 0x280,
 * ISACTIVER 0x300, ICACTIVER 0x380 (one bit per INTID), IPRIORITYR 0x400
 * (one byte), ICFGR 0xC00 (two bits). Offsets passed here are relative to
 * the frame that holds the family (Dist_base or SGI_base).
 *
 * Also the SGI target decode of ICC_SGI1R_EL1/ICC_ASGI1R_EL1/ICC_SGI0R_EL1
 * (IHI 0069 12.2), used by the GICv2 engine path and the GICv3 model.
 */
#ifndef HVEXIT_GIC_H
#define HVEXIT_GIC_H

#include "hvexit/common.h"

/* Per-interrupt state, one field per per-INTID register family. */
struct gicd_irq {
	uint8_t group;		/* IGROUPR bit */
	uint8_t enabled;	/* ISENABLER/ICENABLER bit */
	uint8_t pending;	/* ISPENDR/ICPENDR bit */
	uint8_t active;		/* ISACTIVER/ICACTIVER bit */
	uint8_t priority;	/* IPRIORITYR byte */
	uint8_t targets;	/* ITARGETSR byte (GICv2 SPIs) */
	uint8_t cfg;		/* ICFGR 2-bit field */
};

enum {
	GIC_IGROUPR = 0x080, GIC_ISENABLER = 0x100, GIC_ICENABLER = 0x180,
	GIC_ISPENDR = 0x200, GIC_ICPENDR = 0x280, GIC_ISACTIVER = 0x300,
	GIC_ICACTIVER = 0x380, GIC_IPRIORITYR = 0x400, GIC_ICFGR = 0xC00,
};

/* Both models implement 5 priority bits: IPRIORITYR keeps [7:3] and the
 * low bits are RAZ/WI (IHI0048B 3.3; IHI 0069 12.9 GICD_IPRIORITYR<n>). */
#define GIC_PRIO_MASK 0xf8u

/* The bit-per-INTID families, in offset order from IGROUPR. */
enum gic_bitreg { GIC_B_GROUP, GIC_B_SENABLE, GIC_B_CENABLE, GIC_B_SPEND, GIC_B_CPEND,
		  GIC_B_SACTIVE, GIC_B_CACTIVE };

/* The family of frame offset off (GIC_IGROUPR <= off < GIC_IPRIORITYR). */
enum gic_bitreg gic_bitreg_of(uint32_t off);
/* The INTID bit 0 of the register at frame offset off stands for. */
unsigned gic_bitreg_first(uint32_t off);
/* The state field a family reads (set and clear registers read the same). */
uint8_t *gic_irq_field(struct gicd_irq *q, enum gic_bitreg r);
/* A write of bit value one to q's bit of family r: IGROUPR stores it,
 * IS* registers set on 1, IC* registers clear on 1, 0 does nothing. */
void gic_irq_bit_write(struct gicd_irq *q, enum gic_bitreg r, bool one);

/*
 * The state behind INTID intid as the access sees it, or NULL when the
 * field is RAZ (read) or WI (write) for this access: an unimplemented
 * INTID, a RES0 range, an INTID the guest may not change.
 */
typedef struct gicd_irq *(*gic_irq_at)(void *ctx, unsigned intid, bool write);

/* One 32-bit register of a bit-per-INTID family at frame offset off. */
uint32_t gic_bits_read(gic_irq_at at, void *ctx, uint32_t off);
void gic_bits_write(gic_irq_at at, void *ctx, uint32_t off, uint32_t val);
/* size (1 or 4) IPRIORITYR bytes from INTID first; writes keep
 * GIC_PRIO_MASK. */
uint64_t gic_prio_read(gic_irq_at at, void *ctx, unsigned first, unsigned size);
void gic_prio_write(gic_irq_at at, void *ctx, unsigned first, unsigned size, uint64_t val);
/* One ICFGR register at frame offset off: Int_config [2F+1] (1 edge,
 * 0 level), [2F] RES0; SGIs (INTID 0-15) read 0b10 and are read-only
 * (IHI0048B 4.3.13; IHI 0069 12.11 GICR_ICFGR0). */
uint32_t gic_cfg_read(gic_irq_at at, void *ctx, uint32_t off);
void gic_cfg_write(gic_irq_at at, void *ctx, uint32_t off, uint32_t val);

/*
 * PEs targeted by a write of val to ICC_SGI1R_EL1, ICC_ASGI1R_EL1 or
 * ICC_SGI0R_EL1 (IHI 0069 12.2, same layout for the three): TargetList
 * [15:0], Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40], RS
 * [47:44], Aff3 [55:48]. IRM 0: the PEs whose MPIDR_EL1 affinity is
 * Aff3.Aff2.Aff1.(RS * 16 + n) for each TargetList bit n (range selector
 * supported, RSS = 1); bits naming no PE are ignored. IRM 1: every PE but
 * the sender. mpidr[i] is PE i's MPIDR_EL1 (Aff0 [7:0], Aff1 [15:8], Aff2
 * [23:16], Aff3 [39:32], Arm ARM D23.2 MPIDR_EL1); self the sender's
 * index. Returns a bitmask of indices (n <= 32).
 */
uint32_t gic_sgir_targets(uint64_t val, const uint64_t *mpidr, unsigned n, unsigned self);
/* ICC_SGI*R_EL1.INTID [27:24]. */
static inline unsigned gic_sgir_intid(uint64_t val)
{
	return (unsigned)hvx_bits(val, 27, 24);
}

#endif
