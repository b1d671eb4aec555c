/*
 * GICv2 distributor model (Arm IHI0048B, GIC Architecture Specification
 * v2, chapter 4.3 "Distributor register descriptions", table 4-1
 * "Distributor register map"). The map is sized by ITLinesNumber:
 * 32 * (ITLinesNumber + 1) interrupt IDs (max 1020). A set of interrupts
 * is owned by the hypervisor (e.g. its own timer interrupt): guest writes never change any
 * per-IRQ field of an owned IRQ, even in a register shared with
 * guest-owned IRQs.
 */
#ifndef HVEXIT_GICD_H
#define HVEXIT_GICD_H

#include "hvexit/emu.h"
#include "hvexit/gic.h"

#define GICD_SIZE       UINT64_C(0x1000)
#define GICD_MAX_IRQS   1020
#define GICD_NCPUS      8

/* Register offsets (IHI0048B table 4-1). */
enum {
	GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008,
	GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180,
	GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
	GICD_ICACTIVER = 0x380, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800,
	GICD_ICFGR = 0xC00, GICD_NSACR = 0xE00, GICD_SGIR = 0xF00,
	GICD_CPENDSGIR = 0xF10, GICD_SPENDSGIR = 0xF20, GICD_PIDR4 = 0xFD0,
	GICD_CIDR0 = 0xFF0,
};

struct gicd {
	unsigned it_lines;	/* ITLinesNumber: IRQs = 32 * (it_lines + 1) */
	unsigned nirqs;		/* min(32 * (it_lines + 1), 1020) */
	unsigned ncpus;		/* CPUNumber + 1, 1..8 */
	unsigned cur_cpu;	/* CPU interface making the access (banked regs) */
	uint32_t ctlr;
	uint8_t owned[GICD_MAX_IRQS];		/* 1 = hypervisor-owned */
	struct gicd_irq banked[GICD_NCPUS][32];	/* SGIs and PPIs per CPU */
	struct gicd_irq spi[GICD_MAX_IRQS];	/* index = INTID (>= 32 used) */
	uint8_t sgi_src[GICD_NCPUS][16];	/* pending SGI source-CPU bitmap */
	unsigned sgis_sent;	/* GICD_SGIR writes accepted */
	uint32_t last_sgir;
};

/* The state of irq as seen by cpu (banked for irq < 32); NULL if irq >=
 * nirqs or cpu >= ncpus. */
struct gicd_irq *gicd_irq_state(struct gicd *d, unsigned cpu, unsigned irq);

extern const struct emu_dev_ops gicd_ops;
extern const struct emu_reg gicd_regs[];
extern const size_t gicd_nregs;

/* Initialise: it_lines 0..31, ncpus 1..8; all reset values. 0/-EINVAL. */
int gicd_init(struct gicd *d, unsigned it_lines, unsigned ncpus);
void gicd_reset(void *dev);
/* Mark irq owned by the hypervisor (or not). -EINVAL if irq >= nirqs. */
int gicd_set_owned(struct gicd *d, unsigned irq, bool owned);
/* Make SGI intid (0..15) pending from CPU src on every CPU whose bit is
 * set in targets (bit n = CPU interface n), as a GICD_SGIR write does
 * (IHI0048B 4.3.15). 1 sent, 0 ignored (the SGI is hypervisor-owned),
 * -EINVAL bad src/intid. */
int gicd_send_sgi(struct gicd *d, unsigned src, unsigned intid, unsigned targets);
/* One 32-bit-or-smaller access as vCPU cpu (for tests/fuzz without a bus).
 * 0, or -EINVAL for a width/offset the register table rejects. */
int gicd_access(struct gicd *d, unsigned cpu, uint32_t off, unsigned size,
		bool write, uint64_t *val);

#endif
