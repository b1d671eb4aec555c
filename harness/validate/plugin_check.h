/*
 * What `hvexit validate` and fuzz/plugin/plugin_diff.c compare: the
 * reference for each plugin entry point (include/hvexit/plugin.h), the
 * per-field comparison with the Arm ARM rule of each field, and the
 * random case generators. Harness library code (no CLI, no I/O).
 */
#ifndef HVEXIT_HARNESS_PLUGIN_CHECK_H
#define HVEXIT_HARNESS_PLUGIN_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "hvexit/plugin.h"
#include "hvexit/plugin_host.h"

struct check_field {
	const char *name;
	const char *rule;	/* Arm ARM reference and the rule */
};

/* Print into string i of a table of strings of width bytes each (the
 * exp_s/act_s below); s may be NULL: nothing printed. */
void check_put(char *s, size_t width, unsigned i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- decode_dabt -------------------------------------------------- */
enum { DF_RETURN, DF_VALID, DF_LEN, DF_IS_WRITE, DF_SSE, DF_RT, DF_SF,
       DF_AR, DF_S1PTW, DF_DFSC, DF_COUNT };
extern const struct check_field check_dabt_fields[DF_COUNT];

/* Reference: *rc = 0 and *out for a data abort EC, -EINVAL otherwise. */
void check_ref_decode_dabt(uint64_t esr, int *rc, struct hvx_dabt *out);

/*
 * Compare the plugin's answer (act_rc, act) with the expected one for esr
 * (ref_rc, ref). Sets bit DF_x in *compared for every field compared and
 * in the return value for every field that differs. exp_s/act_s (may be
 * NULL) receive printable expected/actual values per field
 * (DF_COUNT strings of 32 bytes each).
 */
unsigned check_cmp_dabt(uint64_t esr, int ref_rc, const struct hvx_dabt *ref,
			int act_rc, const struct hvx_dabt *act,
			unsigned *compared, char (*exp_s)[32], char (*act_s)[32]);

/* ---- mmio_load ---------------------------------------------------- */
enum { LF_RETURN, LF_VALUE, LF_COUNT };
extern const struct check_field check_load_fields[LF_COUNT];

/* Reference in plugin terms: *rc 0 (Xt written, *val) or
 * HVX_MMIO_NO_WRITE; -EINVAL outside the domain. */
void check_ref_mmio_load(uint64_t esr, uint64_t bus, int *rc, uint64_t *val);
unsigned check_cmp_load(int ref_rc, uint64_t ref_val, int act_rc,
			uint64_t act_val, unsigned *compared,
			char (*exp_s)[32], char (*act_s)[32]);
/* Is esr a load syndrome hvexit passes to mmio_load (data abort, ISV=1,
 * WnR=0, an SSE/SF/SAS combination some A64 load produces)? */
int check_load_domain(uint64_t esr);

/*
 * The cause of a wrong load value, from the input and the two values: a
 * short stable name that groups failing cases by bug rather than by
 * instruction ("sign-extension-lost": the zero-extended data where C6.2
 * LDRS* sign-extends; "sign-extended-to-64": SF=0 yet sign-extended past
 * bit 31; "bus-bits-above-size": data above the access size kept;
 * "extended-unsigned-load": a zero-extending load sign-extended;
 * "w-upper-kept": a Wt write that left bits [63:32]; otherwise "value
 * SAS=n SSE=n SF=n"). old is Xt before the load (0 when unknown). Writes
 * at most len bytes to buf and returns buf.
 */
const char *check_load_cause(uint64_t esr, uint64_t bus, uint64_t old,
			     uint64_t expected, uint64_t actual, char *buf,
			     unsigned len);

/* ---- mmio_load_regs (ABI 1.1) --------------------------------------- */
/* return, X[SRT], any other X register, SP, PC, PSTATE. */
enum { RF_RETURN, RF_XT, RF_OTHER, RF_SP, RF_PC, RF_PSTATE, RF_COUNT };
extern const struct check_field check_load_regs_fields[RF_COUNT];

/*
 * Compare the register file the plugin left (act_rc, out) with the
 * reference for (esr, bus, in): X[SRT] written with the mmio_load value
 * unless SRT = 31, nothing else changed but PC, which may stay or advance
 * by 4. Sets bit RF_x in *compared / the return value as check_cmp_dabt.
 * exp_s/act_s: RF_COUNT strings of 32 bytes (may be NULL). For RF_OTHER
 * the strings name the first register that changed.
 */
unsigned check_cmp_load_regs(uint64_t esr, uint64_t bus, const struct hvx_regs *in,
			     int act_rc, const struct hvx_regs *out,
			     unsigned *compared, char (*exp_s)[32], char (*act_s)[32]);
/* A register file for a load case: random values, 16-byte aligned SP,
 * and X[SRT] different from the value the load must leave there. */
void check_gen_regs(uint64_t *state, uint64_t esr, uint64_t bus, struct hvx_regs *r);

/* ---- emulate (ABI 1.1, plugin_check_emu.c) ------------------------------ */
/* return, the accesses (address, size, direction, order), the data of
 * stores, the transfer registers, base writeback, other registers, PC. */
enum { EF_RETURN, EF_ACCESSES, EF_STORE_DATA, EF_TRANSFER, EF_WRITEBACK,
       EF_OTHER, EF_PC, EF_COUNT };
extern const struct check_field check_emu_fields[EF_COUNT];

/* The reference: insn_emulate of insn on in with the memory of mem_seed;
 * 0 and *ref (accesses and registers), or <0 when the instruction is not
 * one hvexit passes to emulate. */
struct plugin_emu_result;
int check_ref_emulate(uint32_t insn, uint64_t mem_seed, const struct hvx_regs *in,
		      struct plugin_emu_result *ref);
/*
 * Compare the plugin's answer with the reference. A refusal (act_rc < 0)
 * compares nothing (*compared = EF_RETURN only, no failure). exp_s/act_s:
 * EF_COUNT strings of 48 bytes (may be NULL).
 */
unsigned check_cmp_emulate(uint32_t insn, const struct hvx_regs *in,
			   const struct plugin_emu_result *ref, int act_rc,
			   const struct plugin_emu_result *act, unsigned *compared,
			   char (*exp_s)[48], char (*act_s)[48]);
/* Little-endian value of the len (<= 8) bytes at addr of the emulate
 * memory of seed (each byte a hash of seed and its address). */
uint64_t check_emu_mem(uint64_t seed, uint64_t addr, unsigned len);
/* Is insn a load/store hvexit passes to emulate (plugin.h)? */
int check_emu_domain(uint32_t insn);
/* A random instruction in check_emu_domain. */
uint32_t check_gen_emulate(uint64_t *state);
/* The register file of the emulate case (insn, seed), a function of both
 * so that the pair re-runs the case: random values, the base register
 * near a device address, a small index, SP 16-byte aligned. The case's
 * memory is check_emu_mem(seed, ...). */
void check_emulate_regs(uint64_t seed, uint32_t insn, struct hvx_regs *r);

/*
 * The feature grid of emulate findings: a load/store of the domain as a
 * point on six axes (addressing mode, single or pair, load/signed
 * load/store, element size, a transfer register 31, Rn = SP). Failing cases are clustered
 * by the axes whose values decide the failure (emulate.c probes them).
 */
enum { EX_MODE, EX_SHAPE, EX_OP, EX_SIZE, EX_RT, EX_RN, EX_COUNT };
struct emu_point { uint8_t v[EX_COUNT]; };
extern const uint8_t check_emu_axis_len[EX_COUNT];
#define CHECK_EMU_GRID (8 * 2 * 4 * 4 * 2 * 2)
/* The point of insn: 0, or -1 when insn is not in check_emu_domain. */
int check_emu_point_of(uint32_t insn, struct emu_point *p);
/* The instruction of a point (Rt x1, Rt2 x2, the single Rt or a pair's
 * Rt2 xzr on the Rt=31 axis, Rn x3 or sp, Rm x4, small offsets): 0, or -1 when no instruction of the domain has it. */
int check_emu_encode(const struct emu_point *p, uint32_t *insn);
unsigned check_emu_point_index(const struct emu_point *p);
/* Name of value v of an axis ("post-index", "pair", "signed-load-X"...). */
const char *check_emu_axis_value(unsigned axis, unsigned v);
/* "LDP x1, x2 [pair_post]"-style name of insn for reports and clusters. */
void check_describe_insn(uint32_t insn, char *buf, unsigned len);

/* ---- random cases --------------------------------------------------- */
/* A load syndrome a guest's MMIO load can produce (dabt_gen_possible,
 * harness/validate/dabt_space.h) and bus data with sign-bit patterns and
 * junk above the access size. */
void check_gen_load(uint64_t *state, uint64_t *esr, uint64_t *bus);

/* One-line decoded view of a data abort ESR ("EC=0x24 IL=1 ISV=1 ..."). */
void check_describe_esr(uint64_t esr, char *buf, unsigned len);

#endif
