/*
 * A64 load/store instruction decoder and emulator (Arm ARM C4.1.x
 * "Loads and Stores" encoding group, C6 instruction descriptions).
 * Pure: no allocation, no I/O, no global state.
 *
 * Used by the exit engine for ISV=0 data aborts, by the KVM backend and
 * by the cross-check: insn_decode() describes a word, insn_emulate()
 * performs it against a register file and a memory bus.
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
 *
 * Notes: exclusives are emulated as if the exclusive monitor always
 * passes (store-exclusive status register := 0); atomics and CAS perform
 * a read then (if the operation stores) a write; DC ZVA writes
 * INSN_DCZVA_BYTES zero bytes at the aligned block (DCZID_EL0.BS = 4).
 */
int insn_emulate(uint32_t word, struct insn_regs *regs, const struct insn_bus *bus);

/* ---- full decode API --------------------------------------------------- */

#define INSN_DCZVA_BYTES 64u	/* DC ZVA block size assumed by the emulator */

/* Encoding classes (one per Arm ARM C4.1.x "Loads and Stores" table). */
enum insn_class {
	INSN_C_NONE = 0,	/* not a load/store this decoder knows */
	INSN_C_LIT,		/* Load register (literal) */
	INSN_C_UIMM,		/* Load/store register (unsigned immediate) */
	INSN_C_UNSCALED,	/* ... (unscaled immediate) LDUR/STUR */
	INSN_C_POST,		/* ... (immediate post-indexed) */
	INSN_C_PRE,		/* ... (immediate pre-indexed) */
	INSN_C_REGOFF,		/* ... (register offset) */
	INSN_C_UNPRIV,		/* ... (unprivileged) LDTR/STTR */
	INSN_C_PAIR_NA,		/* Load/store no-allocate pair (offset) */
	INSN_C_PAIR_OFF,	/* Load/store register pair (offset) */
	INSN_C_PAIR_POST,	/* ... (post-indexed) */
	INSN_C_PAIR_PRE,	/* ... (pre-indexed) */
	INSN_C_ORDERED,		/* Load/store ordered LDAR/STLR/LDLAR/STLLR */
	INSN_C_EXCL,		/* Load/store exclusive register */
	INSN_C_EXCL_PAIR,	/* Load/store exclusive pair */
	INSN_C_CAS,		/* Compare and swap */
	INSN_C_CASP,		/* Compare and swap pair */
	INSN_C_ATOMIC,		/* Atomic memory operations (LD<op>, SWP) */
	INSN_C_LDAPR,		/* LDAPR (RCpc, in the atomic table) */
	INSN_C_RCPC_UNSCALED,	/* LDAPUR/STLUR (LDAPR/STLR unscaled imm) */
	INSN_C_PAC,		/* Load register (pac) LDRAA/LDRAB */
	INSN_C_LS64,		/* LD64B/ST64B/ST64BV/ST64BV0 */
	INSN_C_SIMD_MULT,	/* AdvSIMD load/store multiple structures */
	INSN_C_SIMD_MULT_POST,	/* ... (post-indexed) */
	INSN_C_SIMD_SINGLE,	/* AdvSIMD load/store single structure */
	INSN_C_SIMD_SINGLE_POST,/* ... (post-indexed) */
	INSN_C_DC,		/* DC ZVA and DC by-VA maintenance */
	INSN_C_COUNT
};

/* Operation performed on the loaded value (atomics). */
enum insn_op {
	INSN_OP_LOAD = 0, INSN_OP_STORE, INSN_OP_ADD, INSN_OP_CLR, INSN_OP_EOR,
	INSN_OP_SET, INSN_OP_SMAX, INSN_OP_SMIN, INSN_OP_UMAX, INSN_OP_UMIN,
	INSN_OP_SWP, INSN_OP_CAS, INSN_OP_PRFM, INSN_OP_ZVA, INSN_OP_DCMAINT,
};

/* Index register extension (register offset). Values = option field. */
enum insn_extend {
	INSN_EXT_UXTW = 2, INSN_EXT_LSL = 3, INSN_EXT_SXTW = 6, INSN_EXT_SXTX = 7,
};

#define INSN_REG_SP 31	/* rn == 31 means SP as a base register */

/* ISS fields hardware reports when ISV=1 (D24.2.46). */
struct insn_iss {
	uint8_t sas;	/* access size log2 */
	bool sse;	/* sign extend */
	uint8_t srt;	/* transfer register (31 = ZR) */
	bool sf;	/* 64-bit transfer register */
	bool ar;	/* acquire/release */
	bool wnr;	/* write */
	uint8_t lst;	/* ISS[12:11] LST for LS64 (0 otherwise) */
};

/* A decoded load/store. All register numbers 0..31. */
struct insn {
	uint32_t word;
	enum insn_class cls;
	enum insn_op op;
	const char *mnemonic;	/* upper-case A64 mnemonic (preferred form) */
	const char *ref;	/* Arm ARM encoding table */
	uint8_t rt, rt2, rn, rm, rs;	/* rs: status/compare register */
	bool load;		/* reads memory into registers */
	bool store;		/* writes memory */
	bool simd;		/* Rt/Rt2 are SIMD&FP registers */
	bool pair;		/* two transfer registers */
	bool exclusive, atomic;
	bool acquire, release;
	bool sign_extend;	/* loaded value is sign-extended */
	bool reg64;		/* GPR transfer register is X (else W) */
	bool unpriv;		/* LDTR/STTR */
	bool no_access;		/* PRFM / DC maintenance: no data access */
	uint8_t size_log2;	/* element access size log2 (0..4) */
	unsigned nbytes;	/* total bytes transferred */
	/* addressing: address = base (+ offset unless post-index) */
	bool literal;		/* base = PC */
	bool index_reg;		/* offset is X/W[rm] extended and shifted */
	enum insn_extend extend;
	uint8_t shift;		/* index left shift */
	int64_t imm;		/* byte offset (already scaled) */
	bool writeback, postindex;
	bool imm_from_rm;	/* SIMD post-index with Rm = 31: imm = nbytes */
	/* SIMD structures */
	uint8_t nregs;		/* registers in the list (1..4) */
	uint8_t selem;		/* elements per structure (1..4) */
	uint8_t elems;		/* elements per register (multiple) */
	uint8_t lane;		/* lane (single structure) */
	bool replicate;		/* LDnR */
	bool q;			/* 128-bit vectors */
	/* PAC */
	bool pac_key_b;
	/* ISV */
	bool isv_possible;	/* hardware may report ISV=1 (D24.2.46) */
	struct insn_iss iss;	/* valid when isv_possible */
	bool unpredictable;	/* CONSTRAINED UNPREDICTABLE register overlap */
};

/*
 * Decode one instruction word. Fills *out and returns 0; -ENOENT when the
 * word is not in the load/store group this decoder covers (out->cls =
 * INSN_C_NONE); -EINVAL when it is in a covered table but unallocated.
 */
int insn_decode(uint32_t word, struct insn *out);

/* Name of a class ("uimm", "pair_pre", ...), "?" when out of range. */
const char *insn_class_name(enum insn_class c);

/* Arm ARM table reference for a class. */
const char *insn_class_ref(enum insn_class c);

/* One memory access of a decoded instruction. */
struct insn_access {
	uint64_t addr;
	uint8_t size;		/* bytes */
	bool write;
};

/*
 * The data accesses of a decoded instruction in architectural order,
 * given the register state (addresses computed as the instruction does).
 * Atomics list their read then their write. Returns the count (<= max),
 * or -ENOSPC if max is too small. No access for PRFM/DC maintenance.
 */
int insn_accesses(const struct insn *d, const struct insn_regs *regs,
		  struct insn_access *acc, unsigned max);

/* A register an instruction writes. */
struct insn_regw {
	char kind;		/* 'x' X/W register, 'v' SIMD&FP register, 's' SP */
	uint8_t num;		/* 0..30 for 'x', 0..31 for 'v', 31 for 's' */
	bool is64;		/* 'x': written as X (else W: bits [63:32] := 0) */
	bool base;		/* base-register writeback */
};

/*
 * The registers a decoded instruction writes, in the order insn_emulate
 * writes them (transfer registers, status/compare register, then base
 * writeback). Writes to XZR/WZR are discarded and not listed. Returns the
 * count, or -ENOSPC if max is too small (at most 9: LD64B's eight X
 * registers; LD4 with writeback needs 5).
 */
int insn_regs_written(const struct insn *d, struct insn_regw *out, unsigned max);

/* The address the first access uses (before any post-index update). */
uint64_t insn_address(const struct insn *d, const struct insn_regs *regs);

#endif
