/*
 * The exit engine: a VM model (memory regions, vCPUs, an MMIO bus with
 * table-driven devices) and handle_exit(), which turns one exit to EL2
 * into one outcome exactly as the Arm architecture defines it.
 *
 * Depends only on decoder/ and libc: no files, processes or KVM.
 * Return convention (common.h): negative errno on error, 0 or a positive
 * count on success. emu_handle_exit() returns >0 "resume the guest",
 * 0 "hand to the caller" (mmio, shutdown, reset, cpu_on, wfi, unhandled),
 * <0 an error in the arguments (never for a guest-controlled value).
 *
 * Memory: struct emu_vm is caller-owned (stack or static is fine) and set
 * up with emu_vm_init(); RAM buffers the engine allocates are released by
 * emu_vm_destroy(). Devices are caller-owned objects registered on the bus
 * with an opaque pointer; the engine never frees them.
 */
#ifndef HVEXIT_EMU_H
#define HVEXIT_EMU_H

#include "hvexit/common.h"
#include "hvexit/s2.h"

#define EMU_MAX_VCPUS     8
#define EMU_MAX_REGIONS   16
#define EMU_MAX_DEVICES   16
#define EMU_MAX_ACCESSES  8	/* memory accesses one exit may perform */
#define EMU_MAX_WRITES    8	/* registers one exit may write */
#define EMU_MAX_FINDINGS  4
#define EMU_MAX_MMIO_DATA 8	/* VMM-supplied read data per exit */
#define EMU_PAGE_SIZE     UINT64_C(4096)

/* ---- memory regions (like arceos GuestMemoryRegion) --------------------- */
enum emu_mem_flags {
	EMU_MEM_R      = 1u << 0,
	EMU_MEM_W      = 1u << 1,
	EMU_MEM_X      = 1u << 2,
	EMU_MEM_DEVICE = 1u << 3,	/* no host buffer: accesses go to the bus */
	EMU_MEM_LAZY   = 1u << 4,	/* RAM that Stage-2 maps on demand (page by page) */
};

struct emu_region {
	uint64_t ipa;		/* guest physical base */
	uint64_t size;		/* bytes; ipa + size does not overflow */
	unsigned flags;		/* enum emu_mem_flags */
	uint8_t *host;		/* RAM backing (NULL for DEVICE) */
	bool owned;		/* host allocated by the engine */
	uint8_t *mapped;	/* LAZY: one byte per page, 1 = mapped (engine-owned) */
};

/* ---- devices and the MMIO bus (kvmtool-style explicit registration) ----- */
enum emu_reg_flags {
	EMU_REG_RO  = 1u << 0,	/* writes ignored (whole register) */
	EMU_REG_WO  = 1u << 1,	/* reads return 0 */
	EMU_REG_RAZ = 1u << 2,	/* read as zero */
	EMU_REG_WI  = 1u << 3,	/* writes ignored */
};

/*
 * One register (or a bank of identical registers: len > width) of a
 * device. widths is a bitmask of allowed access sizes in bytes (1|2|4|8).
 * ro_mask: bits a write never changes. read/write may be NULL (then the
 * register is backed by nothing: RAZ/WI).
 */
struct emu_reg {
	const char *name;
	uint32_t off;		/* offset in the device window */
	uint32_t len;		/* bytes covered (a bank: n * 4) */
	uint8_t  widths;	/* allowed access widths, bitmask of sizes */
	unsigned flags;		/* enum emu_reg_flags */
	uint32_t reset;		/* reset value (of each register in a bank) */
	uint32_t ro_mask;	/* read-only bits */
	/* off_in is the offset of the access inside the device window. */
	uint64_t (*read)(void *dev, uint32_t off_in, unsigned size);
	void (*write)(void *dev, uint32_t off_in, unsigned size, uint64_t val);
};

struct emu_dev_ops {
	const char *name;		/* "pl011", "gicd" */
	const struct emu_reg *regs;	/* sorted by off, non-overlapping */
	size_t nregs;
	bool holes_raz_wi;	/* offsets no register covers: RAZ/WI (else abort) */
	void (*reset)(void *dev);
};

/* Find the register covering [off, off+size) in a sorted table; NULL if
 * none or the access straddles its end. */
const struct emu_reg *emu_reg_find(const struct emu_reg *regs, size_t n,
				   uint32_t off, unsigned size);

struct emu_bus_dev {
	uint64_t base, len;
	const struct emu_dev_ops *ops;
	void *opaque;
};

struct emu_bus {
	struct emu_bus_dev dev[EMU_MAX_DEVICES];
	size_t n;
};

/* Register [base, base+len): -EINVAL if len == 0 or base + len overflows
 * (base + len <= base), -EEXIST if it overlaps a registered device,
 * -ENOSPC if full. */
int emu_bus_register(struct emu_bus *bus, uint64_t base, uint64_t len,
		     const struct emu_dev_ops *ops, void *opaque);
/* The device claiming [addr, addr+size), or NULL. */
const struct emu_bus_dev *emu_bus_find(const struct emu_bus *bus, uint64_t addr,
				       unsigned size);
/*
 * One access through the bus, width-checked against the device's register
 * table. *val holds the write data / receives the read data (zero-extended).
 * 0 on success; -ENODEV no device claims it; -EINVAL width not allowed or
 * no register at that offset (the engine turns this into an external
 * abort, D24.2.46 DFSC 0b010000).
 */
int emu_bus_access(const struct emu_bus *bus, uint64_t addr, unsigned size,
		   bool write, uint64_t *val);
/* The device half of emu_bus_access: one access at offset off inside the
 * device window of (ops, opaque), checked against its register table.
 * The caller has checked that [off, off+size) lies inside the window.
 * 0 or -EINVAL as emu_bus_access. */
int emu_dev_access(const struct emu_dev_ops *ops, void *opaque, uint32_t off,
		   unsigned size, bool write, uint64_t *val);

/* ---- vCPUs ---------------------------------------------------------------- */
enum emu_power { EMU_PWR_OFF = 0, EMU_PWR_ON, EMU_PWR_ON_PENDING };

struct emu_vcpu {
	unsigned id;
	uint64_t x[31];
	uint64_t sp_el0, sp_el1;
	uint64_t pc;
	uint64_t pstate;	/* SPSR_EL2 layout: M[3:0], nRW, DAIF, NZCV... */
	/* EL1 registers the engine writes when it injects an exception to EL1
	 * (ESR_EL1, FAR_EL1, ELR_EL1, SPSR_EL1; VBAR_EL1 gives the vector) */
	uint64_t esr_el1, far_el1, elr_el1, spsr_el1, vbar_el1;
	uint64_t sctlr_el1;
	uint64_t mpidr;		/* MPIDR_EL1 as the guest reads it */
	enum emu_power power;
	uint64_t entry, context_id;	/* CPU_ON arguments while ON_PENDING */
	/* virtual timer (emu/timer.c) */
	uint64_t cntv_ctl, cntv_cval, cntvoff;
};

struct gicd;
struct gicv3;

/* ---- configuration, the VM ---------------------------------------------- */
enum emu_unclaimed { EMU_UNCLAIMED_MMIO = 0, EMU_UNCLAIMED_ABORT };
enum emu_s2fault { EMU_S2F_MAP_ON_DEMAND = 0, EMU_S2F_INJECT };
enum emu_cntvoff { EMU_CNTVOFF_SCHED_IN = 0, EMU_CNTVOFF_FIXED_MASKED };

struct emu_config {
	enum emu_unclaimed unclaimed;	/* MMIO no device claims */
	enum emu_s2fault s2fault;	/* translation fault on LAZY RAM */
	enum emu_cntvoff cntvoff;	/* how CNTVOFF_EL2 follows scheduling (timer.h) */
	uint64_t hvc_custom_fn;		/* x0 of the custom hypercall (HVC #0): resume, count */
};

/*
 * Optional real Stage-2 translation (emu/stage2.c): tables emitted by
 * s2_build() from the region list and walked with s2_walk(). Identity
 * map (PA = IPA); the host buffers stay the backing store. Engine-owned
 * buffer, freed by emu_vm_destroy().
 */
struct emu_stage2 {
	bool on;
	struct s2_config cfg;
	uint8_t *tables;	/* table memory, PA EMU_S2_TABLE_PA.. */
	size_t len;		/* allocated bytes */
	size_t used;		/* bytes s2_build used */
	unsigned builds;	/* (re)builds done */
};
/* VTCR_EL2 of the engine's Stage-2 (D24.2.224): T0SZ 16 (48-bit IPA),
 * SL0 2 (start level 0 with 4K), IRGN0/ORGN0 WB, SH0 Inner Shareable,
 * TG0 4K, PS 0b101 (48-bit PA). */
#define EMU_S2_VTCR      UINT64_C(0x53590)
#define EMU_S2_TABLE_PA  UINT64_C(0xF00000000000)	/* above any region */

struct emu_vm {
	struct emu_config cfg;
	struct emu_stage2 s2;
	struct emu_region region[EMU_MAX_REGIONS];
	size_t nregions;
	struct emu_bus bus;
	struct emu_vcpu vcpu[EMU_MAX_VCPUS];
	unsigned nvcpus;
	uint64_t cntpct;	/* the physical count the timer model sees */
	uint64_t hvc_custom_calls;	/* custom hypercalls seen */
	/* Optional: called with the vCPU index before each exit is handled,
	 * so banked device registers (GICD SGI/PPI) see the right CPU. */
	void (*on_vcpu)(void *ctx, unsigned vcpu);
	void *on_vcpu_ctx;
	/* Optional GIC distributor that ICC_SGI1R_EL1 writes raise SGIs on
	 * (gicd CPU interface n = vCPU index n); NULL: ICC_* are UNDEFINED. */
	struct gicd *gic;
	/* Optional GICv3 (hvexit/gicv3.h): when set, the trapped ICC_*_EL1
	 * accesses go to its CPU interface of the vCPU (index n = its
	 * Redistributor n) instead of the gic path above. */
	struct gicv3 *gicv3;
};

/* Zero the VM, set nvcpus vCPUs (1..EMU_MAX_VCPUS) with MPIDR = 0x80000000|i,
 * vCPU 0 ON, others OFF, PSTATE = EL1h with DAIF masked. 0 or -EINVAL. */
int emu_vm_init(struct emu_vm *vm, unsigned nvcpus);
/* Free engine-owned RAM; the VM is then empty. */
void emu_vm_destroy(struct emu_vm *vm);
/* Add a region. host == NULL and !DEVICE: the engine allocates zeroed RAM.
 * -EINVAL bad size/overflow/alignment (ipa and size 4 KiB aligned),
 * -EEXIST overlap, -ENOSPC full, -ENOMEM. */
int emu_vm_add_region(struct emu_vm *vm, uint64_t ipa, uint64_t size,
		      unsigned flags, uint8_t *host);
/* Region containing [ipa, ipa+size), or NULL. */
struct emu_region *emu_vm_region(struct emu_vm *vm, uint64_t ipa, uint64_t size);
/* Bounds-checked RAM access by IPA (must be inside one RAM region; LAZY
 * pages need not be mapped). 0, or -EFAULT. */
int emu_mem_read(struct emu_vm *vm, uint64_t ipa, void *buf, size_t size);
int emu_mem_write(struct emu_vm *vm, uint64_t ipa, const void *buf, size_t size);

/*
 * Stage-2 tables (emu/stage2.c). emu_vm_s2_enable() builds them from the
 * region list: every RAM region (not DEVICE) with its R/W/X flags, LAZY
 * regions only for the pages mapped so far (DEVICE regions and bus
 * devices stay unmapped so their accesses trap for emulation); regions
 * added later are included (rebuild). 0, -ENOMEM, or s2_build()'s error.
 * While on, translation faults are decided by walking these tables:
 * a LAZY page is added (map on demand) and the walk then succeeds.
 */
int emu_vm_s2_enable(struct emu_vm *vm);
/* Rebuild from the current region list (after a change). 0 or <0. */
int emu_vm_s2_rebuild(struct emu_vm *vm);
/* Walk ipa in the engine's tables. 0 and *r, -ENODEV if Stage-2 is off. */
int emu_vm_s2_walk(const struct emu_vm *vm, uint64_t ipa, enum s2_access acc,
		   struct s2_result *r);
/* Map the page of a LAZY region holding ipa (and rebuild if Stage-2 is
 * on). 0, -EINVAL if ipa is not in LAZY RAM, or a rebuild error. */
int emu_vm_map_page(struct emu_vm *vm, uint64_t ipa);

/* The default VM of `hvexit exit` lives in hvexit/emu_default.h. */
#define EMU_DEFAULT_RAM_BASE  UINT64_C(0x40000000)
#define EMU_DEFAULT_RAM_SIZE  UINT64_C(0x01000000)
#define EMU_DEFAULT_UART0     UINT64_C(0x10000000)
#define EMU_DEFAULT_UART1     UINT64_C(0x10008000)
#define EMU_DEFAULT_GICD      UINT64_C(0x08000000)
#define EMU_DEFAULT_GICR      UINT64_C(0x080A0000)	/* GICv3 variant */

/* ---- one exit ------------------------------------------------------------ */
/*
 * What the hardware reported at an exit to EL2, plus optional state
 * overrides applied to the vCPU before handling (so a trace record is
 * self-contained). ESR_EL2 (D24.2.46), FAR_EL2, HPFAR_EL2 (FIPA [43:4]
 * = IPA[51:12]; the IPA is FIPA << 12 | FAR[11:0]).
 * The vCPU PC at the exit is ELR_EL2: for HVC the instruction after the
 * HVC (so the engine does not advance it); for SMC, data/instruction
 * aborts, MSR/MRS and WFx the trapping instruction (advanced by 4 when
 * the engine completes it). ISV=0 instruction fetch: exit.insn if given,
 * else the word at PC read from RAM with PC taken as an IPA (Stage-1 off).
 */
struct emu_exit {
	uint64_t esr;
	uint64_t far;
	uint64_t hpfar;
	bool has_insn;		/* insn: the word at PC (else read from RAM) */
	uint32_t insn;
	bool has_pc;		/* override vcpu->pc */
	uint64_t pc;
	uint32_t regs_mask;	/* bit n: override x[n] with regs[n] */
	uint64_t regs[31];
	unsigned n_mmio_data;	/* read data for unclaimed MMIO reads, in order */
	uint64_t mmio_data[EMU_MAX_MMIO_DATA];
};

enum emu_action {
	EMU_ACT_RESUME = 0, EMU_ACT_MMIO, EMU_ACT_INJECT, EMU_ACT_SHUTDOWN,
	EMU_ACT_RESET, EMU_ACT_WFI, EMU_ACT_CPU_ON, EMU_ACT_UNHANDLED,
	EMU_ACT_COUNT
};
/* "resume", "mmio", ...; NULL for an out-of-range value. */
const char *emu_action_name(enum emu_action a);
/* 0 and *out, or -EINVAL. */
int emu_action_parse(const char *s, enum emu_action *out);

struct emu_access {
	uint64_t ipa;
	unsigned len;		/* 1..8 */
	bool write;
	uint64_t data;		/* written value, or value read */
	bool pending;		/* read the VMM must serve (no data yet) */
};

/* Register index 31 in a write means SP (the SP of the current EL/SPSel). */
#define EMU_REG_SP 31
struct emu_regwrite {
	uint8_t reg;		/* 0..30 = Xn, 31 = SP */
	uint64_t val;
};

struct emu_inject {
	uint64_t esr_el1, far_el1, elr_el1, spsr_el1;
	uint64_t vector;	/* VBAR_EL1 + offset (D1.x "Exception vectors") */
};

struct emu_finding {
	char kind[32];		/* "unemulatable_insn", "no_handler", ... */
	char detail[96];
};

struct emu_outcome {
	enum emu_action action;
	unsigned vcpu;
	uint64_t pc;		/* PC the vCPU resumes at (unchanged if pending) */
	unsigned n_accesses;
	struct emu_access accesses[EMU_MAX_ACCESSES];
	unsigned n_writes;
	struct emu_regwrite writes[EMU_MAX_WRITES];
	bool has_inject;
	struct emu_inject inject;
	/* CPU_ON: the target and its entry (action cpu_on). */
	uint64_t target_mpidr, entry, context_id;
	unsigned n_findings;
	struct emu_finding findings[EMU_MAX_FINDINGS];
};

/*
 * Handle one exit of vCPU index vcpu: applies the exit's overrides, then
 * dispatches by ESR_EL2.EC through a table (STYLE.md 1). Updates the vCPU
 * (registers, PC, EL1 state on injection, power state) and devices, and
 * fills *out: every member, the arrays (accesses, writes, findings) up to
 * their counts; what lies past a count is not cleared. Returns >0 resume,
 * 0 hand to the caller, -EINVAL bad vcpu index or NULL pointer. Never
 * aborts on guest input: an exit no handler accepts gives action
 * "unhandled" and a finding.
 */
int emu_handle_exit(struct emu_vm *vm, unsigned vcpu, const struct emu_exit *exit,
		    struct emu_outcome *out);

/* Append a finding (truncated to fit; ignored when full). */
void emu_outcome_finding(struct emu_outcome *out, const char *kind,
			 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Inject a synchronous exception to EL1 of vcpu (D1.x): saves PC/PSTATE
 * to ELR_EL1/SPSR_EL1, sets ESR_EL1/FAR_EL1, PSTATE = EL1h, DAIF masked,
 * PC = vector; fills out->inject and out->pc. */
void emu_inject_sync(struct emu_vcpu *v, uint64_t esr_el1, uint64_t far_el1,
		     bool far_valid, struct emu_outcome *out);
/* Vector offset for a synchronous exception taken to EL1 from the
 * vCPU's current state (D1.3.x table "Vector offsets from vector table
 * base address"): 0x000/0x200/0x400/0x600. */
uint64_t emu_sync_vector_offset(uint64_t pstate);

#endif
