/*
 * ESR_EL2 decoding and building. Pure functions: no allocation, no I/O, no
 * global mutable state.
 *
 * Layout (Arm ARM D24.2.40 ESR_EL2, Exception Syndrome Register (EL2)):
 *   ISS2 [55:32]  EC [31:26]  IL [25]  ISS [24:0]; bits [63:56] RES0.
 *
 * This header is the contract other modules build on (emu/, s2, insn,
 * harness). The decoder issue extends it; the declarations marked
 * CONTRACT keep their names and meaning.
 */
#ifndef HVEXIT_ESR_H
#define HVEXIT_ESR_H

#include "hvexit/common.h"

#define ESR_ISS_MASK   UINT64_C(0x1ffffff)
#define ESR_IL         (UINT64_C(1) << 25)
#define ESR_EC_SHIFT   26

static inline unsigned esr_ec(uint64_t esr) { return (unsigned)hvx_bits(esr, 31, 26); }
static inline uint32_t esr_iss(uint64_t esr) { return (uint32_t)hvx_bits(esr, 24, 0); }
static inline uint32_t esr_iss2(uint64_t esr) { return (uint32_t)hvx_bits(esr, 55, 32); }
static inline bool esr_il(uint64_t esr) { return hvx_bit(esr, 25); }

/* CONTRACT: exception class values (D24.2.40, EC field). Names follow
 * Linux's ESR_ELx_EC_* suffixes. */
enum esr_ec {
	ESR_EC_UNKNOWN    = 0x00,
	ESR_EC_WFx        = 0x01,
	ESR_EC_CP15_32    = 0x03,
	ESR_EC_CP15_64    = 0x04,
	ESR_EC_CP14_MR    = 0x05,
	ESR_EC_CP14_LS    = 0x06,
	ESR_EC_FP_ASIMD   = 0x07,
	ESR_EC_CP10_ID    = 0x08,
	ESR_EC_PAC        = 0x09,
	ESR_EC_OTHER      = 0x0A,	/* LS64 / other */
	ESR_EC_CP14_64    = 0x0C,
	ESR_EC_BTI        = 0x0D,
	ESR_EC_ILL        = 0x0E,
	ESR_EC_SVC32      = 0x11,
	ESR_EC_HVC32      = 0x12,
	ESR_EC_SMC32      = 0x13,
	ESR_EC_SYS128     = 0x14,	/* MSRR/MRRS */
	ESR_EC_SVC64      = 0x15,
	ESR_EC_HVC64      = 0x16,
	ESR_EC_SMC64      = 0x17,
	ESR_EC_SYS64      = 0x18,
	ESR_EC_SVE        = 0x19,
	ESR_EC_ERET       = 0x1A,
	ESR_EC_TSTART     = 0x1B,	/* Linux: not named; TME */
	ESR_EC_FPAC       = 0x1C,
	ESR_EC_SME        = 0x1D,
	ESR_EC_GPC        = 0x1E,	/* granule protection check (EL3) */
	ESR_EC_IMP_DEF    = 0x1F,
	ESR_EC_IABT_LOW   = 0x20,
	ESR_EC_IABT_CUR   = 0x21,
	ESR_EC_PC_ALIGN   = 0x22,
	ESR_EC_DABT_LOW   = 0x24,
	ESR_EC_DABT_CUR   = 0x25,
	ESR_EC_SP_ALIGN   = 0x26,
	ESR_EC_MOPS       = 0x27,
	ESR_EC_FP_EXC32   = 0x28,
	ESR_EC_FP_EXC64   = 0x2C,
	ESR_EC_GCS        = 0x2D,
	ESR_EC_SERROR     = 0x2F,
	ESR_EC_BREAKPT_LOW = 0x30,
	ESR_EC_BREAKPT_CUR = 0x31,
	ESR_EC_SOFTSTP_LOW = 0x32,
	ESR_EC_SOFTSTP_CUR = 0x33,
	ESR_EC_WATCHPT_LOW = 0x34,
	ESR_EC_WATCHPT_CUR = 0x35,
	ESR_EC_BKPT32     = 0x38,
	ESR_EC_VECTOR32   = 0x3A,
	ESR_EC_BRK64      = 0x3C,
	ESR_EC_MAX        = 0x3F,
};

/*
 * CONTRACT: Data Abort ISS and ISS2 fields (D24.2.40, "ISS encoding for an
 * exception from a Data Abort"). Field order follows the ISS from bit 24
 * down, then ISS2. Every field holds exactly its bit width.
 */
struct esr_dabt {
	uint8_t  ec;	/* ESR_EC_DABT_LOW or ESR_EC_DABT_CUR */
	bool     il;	/* IL: 32-bit instruction trapped */
	bool     isv;	/* [24] */
	uint8_t  sas;	/* [23:22] access size log2: 0=byte .. 3=doubleword */
	bool     sse;	/* [21] sign extend */
	uint8_t  srt;	/* [20:16] register number; 31 = XZR/WZR */
	bool     sf;	/* [15] 64-bit register */
	bool     ar;	/* [14] acquire/release */
	bool     vncr;	/* [13] */
	uint8_t  set;	/* [12:11] SET (FEAT_RAS) / LST (FEAT_LS64) */
	bool     fnv;	/* [10] FAR not valid */
	bool     ea;	/* [9] external abort type */
	bool     cm;	/* [8] cache maintenance */
	bool     s1ptw;	/* [7] stage 2 fault on stage 1 walk */
	bool     wnr;	/* [6] write not read */
	uint8_t  dfsc;	/* [5:0] */
	bool     fnp;	/* [15] when ISV=0: FAR not precise */
	/* ISV=0 only (google aarch64-esr-decoder abort.rs; Arm XML list):
	 * TopLevel [21] (FEAT_THE), WU [17:16] (FEAT_RASv2), PFV [14]. */
	bool     toplevel;
	uint8_t  wu;
	bool     pfv;
	/* ISS2 [55:32] */
	uint8_t  hdbssf;	/* ISS2[11] (FEAT_HDBSS) */
	uint8_t  tnd;		/* ISS2[10] */
	uint8_t  tagaccess;	/* ISS2[9] */
	uint8_t  gcs;		/* ISS2[8] */
	uint8_t  assuringonly;	/* ISS2[7] AssuredOnly (Arm name; the member
				 * keeps its contract spelling) */
	uint8_t  overlay;	/* ISS2[6] */
	uint8_t  dirtybit;	/* ISS2[5] */
	uint8_t  xs;		/* ISS2[4:0] (Rs of a ST64BV/ST64BV0) */
};

/* CONTRACT: build an ESR_EL2 value from the fields; decode one back.
 * esr_decode_dabt returns 0, or -EINVAL if EC is not a data abort. */
uint64_t esr_build_dabt(const struct esr_dabt *d);
int esr_decode_dabt(uint64_t esr, struct esr_dabt *out);

/* CONTRACT: fault status codes (D24.2.40 DFSC/IFSC). */
enum fsc_type {
	FSC_ADDRESS_SIZE,
	FSC_TRANSLATION,
	FSC_ACCESS_FLAG,
	FSC_PERMISSION,
	FSC_SYNC_EXTERNAL,
	FSC_SYNC_EXTERNAL_WALK,
	FSC_SYNC_PARITY,
	FSC_SYNC_PARITY_WALK,
	FSC_ALIGNMENT,
	FSC_GRANULE_PROTECTION,
	FSC_GRANULE_PROTECTION_WALK,
	FSC_TLB_CONFLICT,
	FSC_UNSUPPORTED_ATOMIC,
	FSC_IMPLEMENTATION_DEFINED,
	FSC_RESERVED,
	FSC_TAG_CHECK,		/* 0x11 synchronous tag check fault (MTE) */
	FSC_DEBUG,		/* 0x22 in a breakpoint/step/watchpoint ISS only */
	FSC_UNCATEGORIZED,	/* SError DFSC 0x00 */
	FSC_ASYNC_SERROR,	/* SError DFSC 0x11 */
};
#define FSC_NO_LEVEL 0x7f	/* the code carries no lookup level */
struct fsc_info {
	enum fsc_type type;
	int level;		/* -2..3 (-1/-2 with LPA2/D128), or FSC_NO_LEVEL */
};
/* Decode a 6-bit FSC (DFSC or IFSC of an Instruction/Data Abort, GPC
 * xFSC); every value decodes. 0 or -EINVAL if code > 0x3f. */
int fsc_decode(unsigned code, struct fsc_info *out);
/* The same for the DFSC/IFSC of a debug exception ISS (breakpoint,
 * vector catch, software step, watchpoint: only 0x22 is defined) and for
 * the DFSC of an SError ISS (0x00 uncategorized, 0x11 asynchronous
 * SError). 0 or -EINVAL if code > 0x3f. */
int fsc_decode_debug(unsigned code, struct fsc_info *out);
int fsc_decode_serror(unsigned code, struct fsc_info *out);
/* Encode a fault type and level; the code, or -EINVAL if the
 * combination does not exist in the architecture. */
int fsc_encode(enum fsc_type type, int level);
/* Lower-case snake_case name used in JSON: "translation", "access_flag"... */
const char *fsc_type_name(enum fsc_type type);


/* ---- Generic decode (decoder/esr.c) ---------------------------------- */

/* ISS format ids (D24.2.40, one "ISS encoding for ..." subsection each). */
enum esr_fmt {
	ESR_FMT_NONE,		/* ISS RES0 / no fields */
	ESR_FMT_WFX, ESR_FMT_MCR, ESR_FMT_MCRR, ESR_FMT_LDC, ESR_FMT_CV_COND,
	ESR_FMT_LS64, ESR_FMT_BTI, ESR_FMT_IMM16, ESR_FMT_SMC32,
	ESR_FMT_SYS128, ESR_FMT_SYS64, ESR_FMT_ERET, ESR_FMT_TSTART,
	ESR_FMT_FPAC, ESR_FMT_SME, ESR_FMT_GPC, ESR_FMT_IMPDEF, ESR_FMT_IABT,
	ESR_FMT_DABT_ISV, ESR_FMT_DABT_NOISV, ESR_FMT_MOPS, ESR_FMT_FPEXC,
	ESR_FMT_GCS, ESR_FMT_SERROR, ESR_FMT_BREAKPT, ESR_FMT_SOFTSTP,
	ESR_FMT_WATCHPT, ESR_FMT_COMMENT,
	/* Variants chosen by a selector field (see esr_fmt_select). */
	ESR_FMT_GCS_STR,	/* GCS, ExType 0b0010: trapped GCSSTR/GCSSTTR */
	ESR_FMT_GCS_OTHER,	/* GCS, ExType 0b0001 (EXLOCK) or reserved */
	ESR_FMT_SERROR_IMPDEF,	/* SError with IDS=1 */
	ESR_FMT_PROF,		/* EC 0x3D profiling (PMU) exception */
	ESR_FMT_COUNT,
};

/* One decoded field; hi/lo are ESR bit numbers (ISS2 fields are >= 32). */
struct esr_field {
	const char *name;	/* lower-case Arm ARM field name, static */
	uint8_t hi, lo;
	uint32_t value;
	const char *meaning;	/* static string, "" if none */
};

#define ESR_MAX_FIELDS 24

/* Everything esr_decode knows about one value. Strings are static. */
struct esr_decoded {
	uint64_t esr;
	unsigned ec;
	const char *ec_name;	/* Linux ESR_ELx_EC_ suffix or "RESERVED" */
	const char *ec_desc;
	const char *ref;	/* Arm ARM reference of the ISS encoding */
	bool reserved;		/* EC unallocated */
	bool il;
	uint32_t iss, iss2;
	uint8_t res0_top;	/* bits [63:56] (RES0, reported if set) */
	uint64_t res0_bits;	/* set bits that no field of the format
				 * covers (RES0 there): bits [63:56], ISS2 and
				 * ISS bits outside every field. ISS bits of an
				 * unallocated EC are not judged. */
	enum esr_fmt fmt;
	unsigned nfields;
	struct esr_field fields[ESR_MAX_FIELDS];	/* valid up to nfields */
	bool has_fsc;		/* aborts, SError, breakpoint... */
	unsigned fsc_code;
	struct fsc_info fsc;
	bool has_sysreg;	/* SYS64/SYS128: MSR/MRS encoding */
	uint32_t sysreg_enc;	/* as sysreg_enc() packs it */
};

/* Decode any 64-bit value; always returns 0 (reserved ECs included). */
int esr_decode(uint64_t esr, struct esr_decoded *out);

/* Class descriptor lookup: name/description/format/ref; NULL-safe: a
 * reserved EC gives name "RESERVED" and ESR_FMT_NONE. */
const char *esr_ec_name(unsigned ec);
enum esr_fmt esr_ec_fmt(unsigned ec);
/* The format a value decodes with: esr_ec_fmt() refined by the selector
 * field (Data Abort ISV, GCS ExType, SError IDS). */
enum esr_fmt esr_fmt_select(uint64_t esr);

/* Number of fields of a format and the i-th field's name/bits (static). */
unsigned esr_fmt_nfields(enum esr_fmt fmt);
int esr_fmt_field(enum esr_fmt fmt, unsigned i, const char **name,
		  unsigned *hi, unsigned *lo);

/*
 * Builder for every format: vals[] holds the field values in the format's
 * field order (the ISS order, bit 24 down, then ISS2), n of them (must be
 * esr_fmt_nfields(fmt)). Values are truncated to their widths. Returns the
 * ESR, or 0 with *err = -EINVAL on a count mismatch (err may be NULL).
 * Every field of the format decodes back: decode(build(x)) == x.
 */
uint64_t esr_build(enum esr_fmt fmt, unsigned ec, bool il,
		   const uint32_t *vals, unsigned n, int *err);

/* Typed builders (field order = ISS order). */
struct esr_wfx { bool cv; uint8_t cond; uint8_t rn; bool rv; uint8_t ti; };
uint64_t esr_build_wfx(const struct esr_wfx *w);
int esr_decode_wfx(uint64_t esr, struct esr_wfx *out);
struct esr_sys64 { uint8_t op0, op2, op1, crn, rt, crm; bool dir_read; };
uint64_t esr_build_sys64(const struct esr_sys64 *s);
int esr_decode_sys64(uint64_t esr, struct esr_sys64 *out);
uint64_t esr_build_imm16(unsigned ec, uint16_t imm16);
int esr_decode_imm16(uint64_t esr, uint16_t *imm16);

/* ---- Formatting (decoder/esr_fmt.c) ------------------------------------ */
/* Text sheet of a decoded value into buf (size bytes, NUL-terminated if
 * size > 0). Returns the length written, or -ENOSPC if it did not fit. */
int esr_format_text(const struct esr_decoded *d, char *buf, size_t size);

#endif
