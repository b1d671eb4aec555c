/*
 * The GICv3 accesses of the gicv3 guest as data, shared by the guest
 * (guests/gicv3.c runs them on KVM's in-kernel vGICv3) and the host test
 * tests/test_gicv3_script.c (runs them on hvexit's GICv3 model,
 * emu/gicv3_*.c), so both are held to the same expected values.
 *
 * Each read is checked as (value & mask) == expected (or >= for GE);
 * every expected value is an architectural fact of the GIC architecture
 * specification, Arm IHI 0069 (GIC architecture version 3 and version 4),
 * cited by section and register; IMPLEMENTATION DEFINED values (IIDR,
 * the number of SPIs, which optional features exist) are not checked.
 *
 * PEs: 0 is the PE running the script (vCPU 0), 1 the other PE of the
 * two-vCPU VM; a Redistributor frame is the one whose GICR_TYPER
 * Affinity_Value names that PE (12.11 GICR_TYPER), not a fixed index.
 * Self-contained (no libc, no fixed-width types) so the freestanding
 * guest and the hosted test can both include it.
 */
#ifndef HVEXIT_GUESTS_GICV3_SCRIPT_H
#define HVEXIT_GUESTS_GICV3_SCRIPT_H

enum g3_frame { G3_DIST, G3_RD, G3_SGI, G3_SYS };
enum g3_op {
	G3_R,		/* read, check (v & mask) against val */
	G3_RGE,		/* read, check (v & mask) >= val */
	G3_W,		/* write val */
	G3_WAFF,	/* write the IROUTER affinity of PE pe (12.9 GICD_IROUTER<n>) */
	G3_RAFF,	/* read, check (v & mask) == IROUTER affinity of PE pe */
	G3_SEND,	/* ICC_SGI1R_EL1: Group 1 SGI val to PE pe (12.2) */
};
/* CPU interface registers (frame G3_SYS, in off). */
enum g3_sys {
	G3_ICC_PMR, G3_ICC_SRE, G3_ICC_CTLR, G3_ICC_IGRPEN1, G3_ICC_IAR1,
	G3_ICC_EOIR1, G3_ICC_RPR,
};

struct g3_step {
	unsigned char op, frame, width;	/* width: bytes (MMIO); 8 for G3_SYS */
	unsigned char pe;		/* G3_RD/G3_SGI frame, WAFF/RAFF/SEND target */
	unsigned id;			/* check id (reads), reported with a mismatch */
	unsigned off;			/* offset in the frame, or enum g3_sys */
	unsigned long long val, mask;
};

#define G3_SPI      34u		/* an SPI: bit 2 of the second 32-interrupt register */
#define G3_PPI      20u		/* a PPI no device of the VM uses */
#define G3_SGI_OUT  5u		/* SGI sent to the other PE */
#define G3_SGI_SELF 3u		/* SGI sent to itself and acknowledged */

static const struct g3_step gicv3_script[] = {
	/* ---- Distributor (12.8 map, 12.9 descriptions) ---- */
	/* 12.9 GICD_PIDR2: ArchRev [7:4] = 0x3 for GICv3 */
	{ G3_R, G3_DIST, 4, 0, 1, 0xFFE8, 0x30, 0xF0 },
	/* 12.9 GICD_CTLR: ARE [4] (RW, or RAO/WI with affinity routing only)
	 * and EnableGrp1 [1] (RW) read back as written */
	{ G3_W, G3_DIST, 4, 0, 0, 0x0000, 0x12, 0 },
	{ G3_R, G3_DIST, 4, 0, 2, 0x0000, 0x12, 0x12 },
	{ G3_W, G3_DIST, 4, 0, 0, 0x0000, 0x10, 0 },
	{ G3_R, G3_DIST, 4, 0, 3, 0x0000, 0x00, 0x02 },
	{ G3_W, G3_DIST, 4, 0, 0, 0x0000, 0x12, 0 },
	/* 12.9 GICD_TYPER: ITLinesNumber [4:0] = N gives 32(N+1) INTIDs;
	 * the script's SPI needs N >= 1 */
	{ G3_RGE, G3_DIST, 4, 0, 4, 0x0004, 1, 0x1F },
	/* 12.9 GICD_ISENABLER<n> sets, GICD_ICENABLER<n> clears an SPI's
	 * enable; both read the current enables */
	{ G3_W, G3_DIST, 4, 0, 0, 0x0104, 1u << (G3_SPI % 32), 0 },
	{ G3_R, G3_DIST, 4, 0, 5, 0x0104, 1u << (G3_SPI % 32), 1u << (G3_SPI % 32) },
	{ G3_R, G3_DIST, 4, 0, 6, 0x0184, 1u << (G3_SPI % 32), 1u << (G3_SPI % 32) },
	{ G3_W, G3_DIST, 4, 0, 0, 0x0184, 1u << (G3_SPI % 32), 0 },
	{ G3_R, G3_DIST, 4, 0, 7, 0x0104, 0, 1u << (G3_SPI % 32) },
	/* 12.9 GICD_IPRIORITYR<n>: byte-accessible; at least 16 priority
	 * levels (4.8 "Interrupt prioritization": bits [7:4] implemented) */
	{ G3_W, G3_DIST, 1, 0, 0, 0x0400 + G3_SPI, 0xFF, 0 },
	{ G3_R, G3_DIST, 1, 0, 8, 0x0400 + G3_SPI, 0xF0, 0xF0 },
	{ G3_W, G3_DIST, 1, 0, 0, 0x0400 + G3_SPI, 0x00, 0 },
	{ G3_R, G3_DIST, 1, 0, 9, 0x0400 + G3_SPI, 0x00, 0xFF },
	/* 12.9 GICD_IROUTER<n> (64-bit): Aff3 [39:32], Aff2 [23:16], Aff1
	 * [15:8], Aff0 [7:0] naming an implemented PE read back */
	{ G3_WAFF, G3_DIST, 8, 1, 0, 0x6000 + 8 * G3_SPI, 0, 0 },
	{ G3_RAFF, G3_DIST, 8, 1, 10, 0x6000 + 8 * G3_SPI, 0, 0xFF00FFFFFFull },
	{ G3_WAFF, G3_DIST, 8, 0, 0, 0x6000 + 8 * G3_SPI, 0, 0 },

	/* ---- Redistributor of PE 0 (12.10 map, 12.11 descriptions) ---- */
	/* 12.11 GICR_PIDR2: ArchRev [7:4] = 0x3 */
	{ G3_R, G3_RD, 4, 0, 11, 0xFFE8, 0x30, 0xF0 },
	/* 12.11 GICR_WAKER: ProcessorSleep [1] = 0 lets the Redistributor
	 * communicate interrupts to the CPU interface, as software must set
	 * it before taking interrupts */
	{ G3_W, G3_RD, 4, 0, 0, 0x0014, 0x0, 0 },
	/* 12.11 GICR_ISENABLER0 / GICR_ICENABLER0 for a PPI */
	{ G3_W, G3_SGI, 4, 0, 0, 0x0100, 1u << G3_PPI, 0 },
	{ G3_R, G3_SGI, 4, 0, 12, 0x0100, 1u << G3_PPI, 1u << G3_PPI },
	{ G3_W, G3_SGI, 4, 0, 0, 0x0180, 1u << G3_PPI, 0 },
	{ G3_R, G3_SGI, 4, 0, 13, 0x0100, 0, 1u << G3_PPI },
	/* 12.11 GICR_IPRIORITYR<n>: byte-accessible, bits [7:4] implemented */
	{ G3_W, G3_SGI, 1, 0, 0, 0x0400 + G3_PPI, 0xFF, 0 },
	{ G3_R, G3_SGI, 1, 0, 14, 0x0400 + G3_PPI, 0xF0, 0xF0 },
	{ G3_W, G3_SGI, 1, 0, 0, 0x0400 + G3_PPI, 0x00, 0 },
	{ G3_R, G3_SGI, 1, 0, 15, 0x0400 + G3_PPI, 0x00, 0xFF },
	/* 12.11 GICR_ICFGR0: SGIs are edge-triggered, Int_config[1] of each
	 * SGI field reads 1 */
	{ G3_R, G3_SGI, 4, 0, 16, 0x0C00, 0xAAAAAAAAu, 0xAAAAAAAAu },

	/* ---- CPU interface, System registers (12.2) ---- */
	/* ICC_SRE_EL1.SRE [0]: set, it reads 1 (RW or RAO/WI) */
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_SRE, 0x7, 0 },
	{ G3_R, G3_SYS, 8, 0, 20, G3_ICC_SRE, 0x1, 0x1 },
	/* ICC_PMR_EL1.Priority [7:0]: at least bits [7:4] implemented,
	 * unimplemented low bits RAZ/WI */
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_PMR, 0xFF, 0 },
	{ G3_R, G3_SYS, 8, 0, 21, G3_ICC_PMR, 0xF0, 0xF0 },
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_PMR, 0x80, 0 },
	{ G3_R, G3_SYS, 8, 0, 22, G3_ICC_PMR, 0x80, 0xFF },
	/* ICC_CTLR_EL1.PRIbits [10:8]: priority bits - 1, at least 3;
	 * EOImode [1] RW */
	{ G3_RGE, G3_SYS, 8, 0, 23, G3_ICC_CTLR, 0x300, 0x700 },
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_CTLR, 0x2, 0 },
	{ G3_R, G3_SYS, 8, 0, 24, G3_ICC_CTLR, 0x2, 0x2 },
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_CTLR, 0x0, 0 },
	{ G3_R, G3_SYS, 8, 0, 25, G3_ICC_CTLR, 0x0, 0x2 },
	/* ICC_IGRPEN1_EL1.Enable [0] RW */
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_IGRPEN1, 0x1, 0 },
	{ G3_R, G3_SYS, 8, 0, 26, G3_ICC_IGRPEN1, 0x1, 0x1 },
	/* ICC_RPR_EL1: no active interrupt -> the idle priority 0xFF */
	{ G3_R, G3_SYS, 8, 0, 27, G3_ICC_RPR, 0xFF, 0xFF },

	/* ---- SGIs (12.2 ICC_SGI1R_EL1) ---- */
	/* to PE 1 (powered off: the SGI stays pending in its Redistributor,
	 * 12.11 GICR_ISPENDR0 / GICR_ICPENDR0) */
	{ G3_W, G3_SGI, 4, 1, 0, 0x0080, 0xFFFFFFFFu, 0 },	/* GICR_IGROUPR0: Group 1 */
	{ G3_SEND, G3_SYS, 8, 1, 0, 0, G3_SGI_OUT, 0 },
	{ G3_R, G3_SGI, 4, 1, 28, 0x0200, 1u << G3_SGI_OUT, 1u << G3_SGI_OUT },
	{ G3_W, G3_SGI, 4, 1, 0, 0x0280, 1u << G3_SGI_OUT, 0 },
	{ G3_R, G3_SGI, 4, 1, 29, 0x0200, 0, 1u << G3_SGI_OUT },
	/* to itself, Group 1, priority 0x80 under PMR 0xF0, enabled; with
	 * PSTATE.I masked it is not taken but ICC_IAR1_EL1 acknowledges it:
	 * INTID [23:0] = the SGI, running priority = its priority (ICC_RPR_EL1),
	 * active (GICR_ISACTIVER0); ICC_EOIR1_EL1 with EOImode 0 drops the
	 * priority and deactivates; then nothing is pending: IAR1 reads the
	 * special INTID 1023 (2.2.1 "Special INTIDs") */
	{ G3_W, G3_SGI, 4, 0, 0, 0x0080, 0xFFFFFFFFu, 0 },
	{ G3_W, G3_SGI, 1, 0, 0, 0x0400 + G3_SGI_SELF, 0x80, 0 },
	{ G3_W, G3_SGI, 4, 0, 0, 0x0100, 1u << G3_SGI_SELF, 0 },
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_PMR, 0xF0, 0 },
	{ G3_SEND, G3_SYS, 8, 0, 0, 0, G3_SGI_SELF, 0 },
	{ G3_R, G3_SYS, 8, 0, 30, G3_ICC_IAR1, G3_SGI_SELF, 0xFFFFFF },
	{ G3_R, G3_SYS, 8, 0, 31, G3_ICC_RPR, 0x80, 0xFF },
	{ G3_R, G3_SGI, 4, 0, 32, 0x0300, 1u << G3_SGI_SELF, 1u << G3_SGI_SELF },
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_EOIR1, G3_SGI_SELF, 0 },
	{ G3_R, G3_SGI, 4, 0, 33, 0x0300, 0, 1u << G3_SGI_SELF },
	{ G3_R, G3_SYS, 8, 0, 34, G3_ICC_RPR, 0xFF, 0xFF },
	{ G3_R, G3_SYS, 8, 0, 35, G3_ICC_IAR1, 1023, 0xFFFFFF },
	{ G3_W, G3_SYS, 8, 0, 0, G3_ICC_IGRPEN1, 0x0, 0 },
	{ G3_W, G3_DIST, 4, 0, 0, 0x0000, 0x10, 0 },
};

/* GICD_IROUTER<n> affinity fields of an MPIDR_EL1 value (12.9:
 * Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]; MPIDR_EL1 D24.2.138:
 * Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]). */
static inline unsigned long long g3_irouter_aff(unsigned long long mpidr)
{
	return mpidr & 0xFF00FFFFFFull;
}

/* GICR_TYPER.Affinity_Value [63:32] = Aff3.Aff2.Aff1.Aff0 (12.11). */
static inline unsigned long long g3_typer_aff(unsigned long long mpidr)
{
	return (mpidr & 0xFFFFFFull) | ((mpidr >> 32) & 0xFF) << 24;
}

/* ICC_SGI1R_EL1 (12.2): TargetList [15:0] (bit Aff0), Aff1 [23:16],
 * INTID [27:24], Aff2 [39:32], IRM [40] = 0, RS [47:44] = Aff0 / 16,
 * Aff3 [55:48]. */
static inline unsigned long long g3_sgi1r(unsigned long long mpidr, unsigned intid)
{
	unsigned aff0 = mpidr & 0xFF;

	return (1ull << (aff0 % 16)) | ((mpidr >> 8) & 0xFF) << 16 |
	       (unsigned long long)(intid & 0xF) << 24 | ((mpidr >> 16) & 0xFF) << 32 |
	       (unsigned long long)(aff0 / 16) << 44 | ((mpidr >> 32) & 0xFF) << 48;
}

#define G3_NSTEPS (sizeof(gicv3_script) / sizeof(gicv3_script[0]))

#endif
