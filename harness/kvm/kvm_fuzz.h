/*
 * Differential fuzzing of real KVM (`hvexit kvm fuzz`): steps generated
 * from a seed run in guests/fuzz.S on /dev/kvm; after each step the guest
 * reports its registers, the host records every exit, and the exit
 * engine (emu/, decoder/ insn emulation) predicts what the architecture
 * requires. Every disagreement is a finding (harness/report).
 *
 *   kvm_fuzz_dev.c    the fuzz device (an emu device) and the memory bus
 *                     the instruction emulator uses on both sides
 *   kvm_fuzz_gen.c    steps from the seed, and their A64 code blocks
 *   kvm_fuzz_pred.c   the prediction of one step
 *   kvm_fuzz_run.c    the KVM side: one batch of steps, its exits
 *   kvm_fuzz_check.c  prediction against observation -> findings
 *   kvm_fuzz_cmd.c    the command
 */
#ifndef HVEXIT_KVM_FUZZ_H
#define HVEXIT_KVM_FUZZ_H

#include "guests/common/fuzz_map.h"
#include "harness/kvm/kvmb.h"
#include "hvexit/emu.h"
#include "hvexit/gicv3.h"
#include "hvexit/insn.h"

#define KF_MAX_ACC   64	/* accesses recorded per step (LD4: one per element) */
#define KF_MAX_BATCH 1024	/* steps per batch (fits FZ_CODE_SIZE) */

/* What a step does. */
enum kf_kind { KF_LDST, KF_HVC, KF_SMC, KF_SYSREG, KF_GIC, KF_KIND_COUNT };
/* Where a load/store goes. */
enum kf_target { KF_T_RAM, KF_T_DEV, KF_T_SEQ, KF_T_NONE, KF_T_COUNT };
/* What the step must end with. */
enum kf_expect {
	KF_X_RESUME,	/* the registers, accesses and memory of the prediction */
	KF_X_EXTABT,	/* ISV=0 exit, then the external abort the VMM injects */
};

/* One memory access: the exits' (or the emulator's) view. */
struct kf_access {
	uint64_t addr;
	uint8_t size;		/* 1, 2, 4 or 8 */
	bool write;
	uint64_t data;		/* written, or returned for a read */
};

struct kf_accesses {
	unsigned n;
	bool overflow;
	struct kf_access a[KF_MAX_ACC];
};

/* The fuzz device: FZ_DEV_BASE, [0, FZ_DEV_SEQ) byte-addressed scratch,
 * [FZ_DEV_SEQ, FZ_DEV_SIZE) returns the next value of a sequence on each
 * read (writes ignored), so a repeated or lost access changes the data. */
struct kf_dev {
	uint8_t mem[FZ_DEV_SEQ];
	uint64_t seq;
};
extern const struct emu_dev_ops kf_dev_ops;
void kf_dev_reset(struct kf_dev *d, uint64_t seed);

/* Memory behind the instruction emulator: the RAM window and the device;
 * accesses are split into power-of-two pieces of at most 8 bytes (as the
 * engine does) and recorded in acc. */
struct kf_bus {
	uint8_t *ram;		/* FZ_WIN_SIZE bytes at FZ_RAM_BASE */
	struct kf_dev *dev;
	struct kf_accesses *acc;	/* may be NULL */
};
struct insn_bus kf_insn_bus(struct kf_bus *b);

/* One generated step and its prediction. */
struct kf_step {
	uint64_t k;		/* step index in the run */
	enum kf_kind kind;
	enum kf_target target;
	uint32_t word;		/* instruction under test */
	uint32_t word2;		/* KF_GIC: the read-back after the write (else 0) */
	uint32_t gic_off;	/* KF_GIC: GICD register offset */
	uint8_t gic_size;	/* KF_GIC: access size (1 or 4) */
	struct insn d;		/* KF_LDST: decoded */
	uint64_t ea;		/* KF_LDST: address of the first access */
	uint32_t sysenc;	/* KF_SYSREG: encoding (sysreg_enc packing) */
	bool smc32;		/* KF_HVC/KF_SMC: SMC32/HVC32 function ID */
	struct insn_regs in;	/* registers before (pc = the instruction) */
	/* prediction */
	enum kf_expect expect;
	bool via_engine;	/* predicted by emu_handle_exit (else insn_emulate) */
	bool simd;		/* V registers are compared */
	struct insn_regs out;	/* registers after */
	uint32_t skip_x;	/* X registers with UNKNOWN results (not compared) */
	bool x0_low32;		/* compare only W0 */
	struct kf_accesses acc;	/* accesses the step makes, in order */
	char note[96];		/* why the prediction could not be made, "" if made */
	/* code placement */
	uint64_t blk, in_gpa, rep_gpa;
};

/* What KVM and the guest showed for one step. */
struct kf_obs {
	struct kf_accesses acc;
	unsigned mmio_exits, nisv_exits;
	uint64_t nisv_iss, nisv_ipa;	/* first ISV=0 exit */
	bool injected;			/* the VMM injected an external abort */
	bool exc;			/* an exception was taken to EL1 */
	uint64_t esr, far, elr, vec;
	bool mmio_pc_bad;		/* an exit with PC != the instruction */
	uint64_t bad_pc;
	struct insn_regs rep;		/* the guest's register report */
	bool has_rep;
};

struct kf_caps {
	bool nisv;		/* KVM_CAP_ARM_NISV_TO_USER enabled */
	bool ext_dabt;		/* KVM_CAP_ARM_INJECT_EXT_DABT */
	/* ID registers (op0 3, op1 0, CRn 0, CRm 1..7) as KVM_GET_ONE_REG
	 * reads them; have[i] false: not readable, not generated */
	bool id_have[56];
	uint64_t id_val[56];
	/* the in-kernel vGICv3 distributor at KVMB_GICD_BASE, if any */
	bool gic;
	unsigned gic_it_lines;	/* its GICD_TYPER.ITLinesNumber */
};

/* The prediction's copies of the state the steps change. */
struct kf_pred {
	struct kf_dev dev;
	uint8_t ram[FZ_WIN_SIZE];
	struct gicv3 gic;	/* the engine's GICv3 Distributor model */
};

/* kvm_fuzz_gen.c */
void kf_gen_step(uint64_t seed, uint64_t k, const struct kf_caps *caps, struct kf_step *s);
/* Code for steps s[0..n) at FZ_CODE_BASE, inputs and report slots;
 * sets s[i].blk/in_gpa/rep_gpa/in.pc. Returns the address of the tail
 * that leaves the batch (the resume address after the last step), 0
 * when n is too large. */
uint64_t kf_emit_batch(uint8_t *code_region, struct kf_step *s, unsigned n);
const char *kf_kind_name(enum kf_kind k);
const char *kf_target_name(enum kf_target t);

/* kvm_fuzz_pred.c: predict s (s->in set) against the prediction copies of
 * the state (p), which it updates. */
void kf_predict(struct kf_step *s, struct kf_pred *p, const struct kf_caps *caps);

/* kvm_fuzz_run.c */
struct kf_vm {
	struct kvmb_vm *vm;
	struct kvmb_vcpu *v;
	struct kf_dev dev;	/* the real device state behind the exits */
	struct kf_caps caps;
	uint8_t *code, *ram;	/* host mappings of FZ_CODE_BASE, FZ_RAM_BASE */
	uint64_t exits;		/* KVM_RUN returns */
	char err[256];
};
int kf_vm_open(struct kf_vm *f, const char *guest, uint64_t seed);
void kf_vm_close(struct kf_vm *f);
/* Run the batch whose code is in place: obs[i] for step s[i]. 0, or <0
 * with f->err (timeout, unexpected exit). */
int kf_run_batch(struct kf_vm *f, const struct kf_step *s, unsigned n, uint64_t tail,
		 struct kf_obs *obs);

/* kvm_fuzz_check.c */
struct report;
struct kf_check_ctx {
	struct report *rep;
	uint64_t seed, steps;
	unsigned long findings;	/* instances added */
	unsigned long undef;	/* steps UNDEFINED on this CPU (not checked) */
	unsigned long stx_failed;	/* Store-Exclusives that failed without an abort */
	bool gic_diverged;	/* the vGIC left the model: later GIC steps unchecked */
	unsigned long gic_unchecked;
};
/* Compare one step; returns true when later steps of the batch can still
 * be trusted (no divergence in memory or device state). */
bool kf_check_step(struct kf_check_ctx *c, const struct kf_step *s, const struct kf_obs *o);
/* The RAM window after the batch against the prediction. */
bool kf_check_ram(struct kf_check_ctx *c, const struct kf_step *s, unsigned n,
		  const uint8_t *pred, const uint8_t *real);
/* A step in words (the decoded instruction, its inputs). */
void kf_describe(const struct kf_step *s, char *buf, size_t len);

int cmd_kvm_fuzz(int argc, char **argv);

#endif
