/*
 * GICv3 model (Arm IHI 0069, GIC architecture version 3 and version 4,
 * chapter 12 "Programmers' model"): the Distributor (emu/gicv3_dist.c,
 * register map 12.8, descriptions 12.9), one Redistributor per vCPU
 * (emu/gicv3_redist.c, map 12.10, descriptions 12.11) and the CPU
 * interface as a guest at EL1 sees it through the ICC_* encodings
 * (emu/gicv3_cpuif.c, 12.2 for the ICC_* registers and the virtual
 * ICV_* registers they reach when HCR_EL2.{IMO,FMO} = 1).
 *
 * The GIC is what KVM exposes to a guest:
 *   - a single Security state: GICD_CTLR.DS = 1 (RAO/WI), so IGRPMODR,
 *     NSACR and the GICR_CTLR.DPG* bits are RAZ/WI (12.9 GICD_IGRPMODR<n>:
 *     "When GICD_CTLR.ARE_S==0 or GICD_CTLR.DS==1 ... RES0. An
 *     implementation can make these registers RAZ/WI");
 *   - affinity routing only: GICD_CTLR.ARE RAO/WI, so the GICv2 legacy
 *     registers (ITARGETSR, SGIR, C/SPENDSGIR) and the Distributor's
 *     registers for INTIDs 0-31 are RES0 (RAZ/WI here); SGIs and PPIs
 *     live in the Redistributors;
 *   - no LPIs, no ITS, no extended SPI/PPI ranges, no NMIs, no GICv4
 *     (GICD_TYPER.LPIS/MBIS/ESPI/NMI = 0, GICR_TYPER.PLPIS/VLPIS = 0);
 *   - 5 priority bits, 5 preemption bits (ICV_CTLR_EL1.PRIbits = 4), so
 *     one active-priorities register per group (ICC_AP0R0/AP1R0);
 *     AP<g>R1..3 are UNDEFINED;
 *   - 16 INTID bits at the CPU interface (IDbits 0), range selector
 *     supported (GICD_TYPER.RSS = ICC_CTLR_EL1.RSS = 1), Aff3 supported
 *     (A3V = 1), 1 of N SPI distribution supported (No1N = 0);
 *   - only the System register interface (ICC_SRE_EL1 reads 0x7, RAO/WI).
 *
 * Where the specification leaves a choice (UNKNOWN reset values,
 * CONSTRAINED UNPREDICTABLE and UNPREDICTABLE cases) the model's pick is
 * written next to the code and in the list below, so a cross-check can
 * leave those cases out:
 *   - GICD_IROUTER<n> resets to 0 (architecturally UNKNOWN); an affinity
 *     naming no PE keeps the written value and the SPI goes nowhere;
 *   - ICV_PMR_EL1 resets to 0 (UNKNOWN); GICR_IPRIORITYR/GICD_IPRIORITYR,
 *     IGROUPR, ICFGR reset to 0;
 *   - ICC_EOIR<g>_EL1 with no active priority, or whose highest active
 *     priority belongs to the other group: ignored; ICC_DIR_EL1 while
 *     EOImode is 0: ignored;
 *   - GICR_WAKER.ChildrenAsleep follows ProcessorSleep at once.
 * SGI forwarding with DS = 1: ICC_SGI0R_EL1 makes an SGI pending only
 * where the target configures it as Group 0; ICC_SGI1R_EL1 for either
 * group (DS = 1 lets Non-secure accesses control Group 0, and the
 * register "can generate Group 0 interrupts" under that condition, 12.2);
 * ICC_ASGI1R_EL1 (Group 1 of the other Security state, which a DS = 1 GIC
 * does not have) only for Group 0 targets.
 *
 * Return convention (common.h): 0 or a count on success, negative errno.
 * The struct is caller-owned (about 20 KiB: put it on the heap or in a
 * static); it holds no pointers to free.
 */
#ifndef HVEXIT_GICV3_H
#define HVEXIT_GICV3_H

#include "hvexit/emu.h"
#include "hvexit/gic.h"

#define GICV3_DIST_SIZE    UINT64_C(0x10000)	/* Dist_base frame, 64 KiB */
#define GICV3_REDIST_SIZE  UINT64_C(0x20000)	/* RD_base + SGI_base, 64 KiB each */
#define GICV3_SGI_BASE     0x10000u		/* SGI_base inside a Redistributor */
#define GICV3_MAX_VCPUS    EMU_MAX_VCPUS
#define GICV3_MAX_IRQS     1020		/* INTIDs 0-1019: SGIs, PPIs, SPIs */
#define GICV3_SPURIOUS     1023u	/* special INTID: nothing to acknowledge */

/* Distributor register offsets (12.8 Table "Distributor register map"). */
enum {
	GICV3_GICD_CTLR = 0x0000, GICV3_GICD_TYPER = 0x0004, GICV3_GICD_IIDR = 0x0008,
	GICV3_GICD_TYPER2 = 0x000C, GICV3_GICD_ITARGETSR = 0x0800,
	GICV3_GICD_IGRPMODR = 0x0D00, GICV3_GICD_NSACR = 0x0E00, GICV3_GICD_SGIR = 0x0F00,
	GICV3_GICD_CPENDSGIR = 0x0F10, GICV3_GICD_SPENDSGIR = 0x0F20,
	GICV3_GICD_IROUTER = 0x6000, GICV3_GICD_PIDR4 = 0xFFD0, GICV3_GICD_PIDR2 = 0xFFE8,
};
/* Redistributor offsets from RD_base (12.10); SGI_base ones add
 * GICV3_SGI_BASE to the gic.h family offsets (GIC_IGROUPR ...). */
enum {
	GICV3_GICR_CTLR = 0x0000, GICV3_GICR_IIDR = 0x0004, GICV3_GICR_TYPER = 0x0008,
	GICV3_GICR_WAKER = 0x0014, GICV3_GICR_PIDR4 = 0xFFD0, GICV3_GICR_PIDR2 = 0xFFE8,
	GICV3_GICR_IGRPMODR0 = GICV3_SGI_BASE + 0x0D00,
	GICV3_GICR_NSACR = GICV3_SGI_BASE + 0x0E00,
};

/* GICD_CTLR with DS = 1 (12.9 GICD_CTLR): EnableGrp0 [0], EnableGrp1
 * [1], ARE [4], DS [6]; RWP [31] reads 0 (writes take effect at once). */
#define GICV3_CTLR_GRP0   (1u << 0)
#define GICV3_CTLR_GRP1   (1u << 1)
#define GICV3_CTLR_ARE    (1u << 4)
#define GICV3_CTLR_DS     (1u << 6)
/* GICR_WAKER (12.11 GICR_WAKER): ProcessorSleep [1], ChildrenAsleep [2],
 * both reset to 1. */
#define GICV3_WAKER_PS    (1u << 1)
#define GICV3_WAKER_CA    (1u << 2)
/* GICD_IROUTER<n> (12.9): Aff0 [7:0], Aff1 [15:8], Aff2 [23:16],
 * Interrupt_Routing_Mode [31], Aff3 [39:32]; the rest RES0. */
#define GICV3_IROUTER_IRM   (UINT64_C(1) << 31)
#define GICV3_IROUTER_MASK  UINT64_C(0x000000ff80ffffff)
/* GICD_IIDR / GICR_IIDR: Implementer [11:0] 0x43B (JEP106 Arm),
 * ProductID [31:24] 0x02 (IMPLEMENTATION DEFINED values). */
#define GICV3_IIDR        UINT32_C(0x0200043B)

/* The CPU interface of one vCPU: the ICV_* state KVM keeps in
 * ICH_VMCR_EL2 and ICH_AP<g>R<n>_EL2 (12.2, ICV_* descriptions). */
struct gicv3_cpuif {
	uint8_t pmr;		/* ICC_PMR_EL1.Priority [7:0] */
	uint8_t bpr[2];		/* ICC_BPR0_EL1 / ICC_BPR1_EL1 BinaryPoint [2:0] */
	uint8_t ctlr;		/* ICC_CTLR_EL1 CBPR [0], EOImode [1] */
	uint8_t igrpen[2];	/* ICC_IGRPEN0/1_EL1.Enable [0] */
	uint32_t apr[2];	/* ICC_AP0R0_EL1 / ICC_AP1R0_EL1 */
};

struct gicv3;
struct gicv3_redist {
	struct gicv3 *gic;
	unsigned idx;		/* vCPU index = GICR_TYPER.Processor_Number */
	uint64_t mpidr;		/* the vCPU's MPIDR_EL1 */
	uint32_t waker;		/* GICV3_WAKER_PS | GICV3_WAKER_CA */
	struct gicd_irq irq[32];	/* SGIs 0-15, PPIs 16-31 */
	struct gicv3_cpuif cpu;
};

struct gicv3 {
	unsigned it_lines;	/* GICD_TYPER.ITLinesNumber */
	unsigned nirqs;		/* min(32 * (it_lines + 1), 1020) */
	unsigned nvcpus;
	uint32_t ctlr;		/* GICV3_CTLR_GRP0 | GICV3_CTLR_GRP1 */
	struct gicd_irq spi[GICV3_MAX_IRQS];	/* index = INTID (>= 32 used) */
	uint64_t irouter[GICV3_MAX_IRQS];	/* index = INTID (>= 32 used) */
	struct gicv3_redist rd[GICV3_MAX_VCPUS];
	unsigned sgis_sent;	/* ICC_SGI*R_EL1 writes that made >= 1 SGI pending */
};

/* Initialise: it_lines 1..31 (at least one register of SPIs), nvcpus
 * 1..GICV3_MAX_VCPUS, mpidr[i] the MPIDR_EL1 of vCPU i; all reset
 * values. 0 or -EINVAL. */
int gicv3_init(struct gicv3 *g, unsigned it_lines, unsigned nvcpus, const uint64_t *mpidr);
/* GIC reset: every register to its reset value (keeps the shape). */
void gicv3_reset(struct gicv3 *g);
/* The state of intid as vCPU vcpu sees it (SGI/PPI: its Redistributor);
 * NULL if intid >= nirqs or vcpu >= nvcpus. */
struct gicd_irq *gicv3_irq_state(struct gicv3 *g, unsigned vcpu, unsigned intid);
/* An interrupt source asserts intid (edge: the pending latch is set), as
 * a device or the hypervisor does; vcpu selects the Redistributor for
 * SGIs and PPIs. 0 or -EINVAL. */
int gicv3_set_pending(struct gicv3 *g, unsigned vcpu, unsigned intid);
/* Register the Distributor at dist_base and Redistributor i at
 * redist_base + i * GICV3_REDIST_SIZE on bus. 0 or emu_bus_register()'s
 * error. */
int gicv3_register(struct gicv3 *g, struct emu_bus *bus, uint64_t dist_base,
		   uint64_t redist_base);

/* One guest access to the Distributor / to vCPU vcpu's Redistributor
 * frame (for tests and fuzzing without a bus): 0, or -EINVAL for an
 * offset/width the register table rejects (the bus turns that into an
 * external abort). */
int gicv3_dist_access(struct gicv3 *g, uint32_t off, unsigned size, bool write,
		      uint64_t *val);
int gicv3_redist_access(struct gicv3 *g, unsigned vcpu, uint32_t off, unsigned size,
			bool write, uint64_t *val);

/*
 * One trapped MRS (read) or MSR of vCPU vcpu to the System register with
 * sysreg_enc() encoding enc (ESR_EL2 EC 0x18, D24.2.46), if enc names a
 * GIC CPU interface register in the decoder's table (ICC_*_EL1).
 * 0 done; -EPERM the access is UNDEFINED for the guest (*why, if not
 * NULL: "read-only", "write-only", "not implemented", "no redistributor
 * for this vCPU"); -ENOENT enc is not an EL1 CPU interface register (the
 * caller looks elsewhere).
 */
int gicv3_sysreg_access(struct gicv3 *g, unsigned vcpu, uint32_t enc, bool read,
			uint64_t *val, const char **why);

extern const struct emu_dev_ops gicv3_dist_ops;	/* opaque: struct gicv3 */
extern const struct emu_reg gicv3_dist_regs[];
extern const size_t gicv3_dist_nregs;
extern const struct emu_dev_ops gicv3_redist_ops;	/* opaque: struct gicv3_redist */
extern const struct emu_reg gicv3_redist_regs[];
extern const size_t gicv3_redist_nregs;

/* ID registers (12.9 GICD_PIDR2, 12.11 GICR_PIDR2): PIDR2.ArchRev [7:4]
 * = 3 for GICv3; the other ID bytes are IMPLEMENTATION DEFINED. Offset
 * off in PIDR4..CIDR3 (0xFFD0-0xFFFC). Shared by both frames. */
uint64_t gicv3_read_id(void *dev, uint32_t off, unsigned size);

#endif
