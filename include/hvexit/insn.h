/*
 * A64 load/store instruction decoder and emulator (Arm ARM C4.1.x
 * "Loads and Stores" encoding group, C6 instruction descriptions).
 * Pure: no allocation, no I/O, no global state.
 *
 * CONTRACT (used by the exit engine for ISV=0 data aborts and by the
 * KVM backend): insn_emulate() and the structures below keep these names
 * and meanings; the decoder issue adds the full decode API beside them.
 */
#ifndef HVEXIT_INSN_H
#define HVEXIT_INSN_H

#include "hvexit/common.h"

/* Architectural register state the emulator reads and updates. */
struct insn_regs {
	uint64_t x[31];		/* X0..X30 */
	uint64_t sp;		/* the SP selected by the exception level */
	uint64_t pc;		/* address of the instruction */
	uint64_t v[32][2];	/* SIMD&FP V0..V31, [0] = low 64 bits */
};

/*
 * Memory access callbacks. addr is the address the instruction computes
 * (the virtual address; the engine maps it to the faulting IPA). size is
 * 1..64 bytes, buf little-endian. Return 0, or a negative errno to make
 * the emulation stop with that error (no register is updated then).
 */
struct insn_bus {
	int (*read)(void *ctx, uint64_t addr, unsigned size, uint8_t *buf);
	int (*write)(void *ctx, uint64_t addr, unsigned size, const uint8_t *buf);
	void *ctx;
};

/*
 * Emulate one load/store instruction: performs its memory accesses in
 * architectural order through bus, writes the destination registers
 * (sign/zero extension, W-register zeroing, XZR discarded), writeback of
 * the base register, and advances pc by 4.
 * Returns 0 on success; -ENOTSUP for an encoding that is not a load/store
 * this emulator handles (the engine injects an abort and reports it);
 * -EINVAL for an unallocated or CONSTRAINED UNPREDICTABLE encoding; the
 * bus callback's error otherwise. On error *regs is unchanged.
 */
int insn_emulate(uint32_t word, struct insn_regs *regs, const struct insn_bus *bus);

#endif
