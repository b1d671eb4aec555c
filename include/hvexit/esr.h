/*
 * ESR_EL2 decoding and building. Pure functions: no allocation, no I/O, no
 * global mutable state.
 *
 * Reference: Arm ARM (DDI 0487 M.a.a) D24.2.46 ESR_EL2, Exception Syndrome
 * Register (EL2) -- numbered D24.2.46 in some earlier releases. Layout:
 *   ISS2 [55:32]  EC [31:26]  IL [25]  ISS [24:0]; bits [63:56] RES0.
 * Each EC names an "ISS encoding for ..." (and an "ISS2 encoding for ...")
 * subsection; the field names below are those subsections' names.
 *
 * Used by emu/ (data aborts), the harness (decode, traces, cross-checks)
 * and the fuzz targets.
 */
#ifndef HVEXIT_ESR_H
#define HVEXIT_ESR_H

#include "hvexit/common.h"

#define ESR_REF        "D24.2.46 ESR_EL2"
#define ESR_ISS_MASK   UINT64_C(0x1ffffff)
#define ESR_IL         (UINT64_C(1) << 25)
#define ESR_EC_SHIFT   26

static inline unsigned esr_ec(uint64_t esr) { return (unsigned)hvx_bits(esr, 31, 26); }
static inline uint32_t esr_iss(uint64_t esr) { return (uint32_t)hvx_bits(esr, 24, 0); }
static inline uint32_t esr_iss2(uint64_t esr) { return (uint32_t)hvx_bits(esr, 55, 32); }
static inline bool esr_il(uint64_t esr) { return hvx_bit(esr, 25); }

/* Exception classes ESR_EL2 can report (D24.2.46, EC field). Every other
 * value is reserved; 0x1B, 0x1E and 0x1F are not ESR_EL2 classes (0x1E
 * and 0x1F exist in ESR_EL3 only). The short names are the ones the text
 * and JSON output print. */
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
	ESR_EC_OTHER      = 0x0A,	/* LD64B/ST64B*, TSB/PSB CSYNC */
	ESR_EC_CP14_64    = 0x0C,
	ESR_EC_BTI        = 0x0D,
	ESR_EC_ILL        = 0x0E,
	ESR_EC_SVC32      = 0x11,
	ESR_EC_HVC32      = 0x12,
	ESR_EC_SMC32      = 0x13,
	ESR_EC_SYS128     = 0x14,	/* MSRR/MRRS/SYSP */
	ESR_EC_SVC64      = 0x15,
	ESR_EC_HVC64      = 0x16,
	ESR_EC_SMC64      = 0x17,
	ESR_EC_SYS64      = 0x18,
	ESR_EC_SVE        = 0x19,
	ESR_EC_ERET       = 0x1A,
	ESR_EC_FPAC       = 0x1C,
	ESR_EC_SME        = 0x1D,
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
	ESR_EC_PROFILING  = 0x3D,
	ESR_EC_MAX        = 0x3F,
};

/* ---- Data Abort fast path (decoder/esr_dabt.c) ------------------------ */

/*
 * Data Abort syndrome ("ISS encoding for an exception from a Data Abort"
 * and "ISS2 encoding for an exception from a Data Abort"). Each member is a
 * bit-field at its own ESR bit position inside one of three 32-bit words,
 * so a decode is a few masked word copies and reading a member is one
 * shift and mask (the bit-field order is LSB first on every little-endian
 * ABI this builds for; tests/test_esr_dabt.c checks every member's place).
 *
 * A member whose field does not apply to the value reads 0, as the Arm
 * ARM makes such bits RES0:
 *  - sas, sse, srt, sf, ar: ISV == 1;  toplevel, fnp: ISV == 0;
 *  - wu, pfv: ISV == 0 and DFSC a synchronous External abort (0b010000,
 *    0b01001x, 0b0101xx);
 *  - set: DFSC a synchronous External abort; lst: DFSC a Translation,
 *    Access flag or Permission fault (0b00xxxx but not 0b0000xx, and
 *    0b10101x): bits [12:11] are one or the other;
 *  - fnv: DFSC == 0b010000 ("valid only if the DFSC code is 0b010000. It
 *    is RES0 for all other aborts").
 * esr_build_dabt drops members that do not apply in the same way.
 */
struct esr_dabt {
	union {				/* ESR bits [31:0] */
		uint32_t w_lo;
		struct {
			unsigned dfsc:6;	/* [5:0] */
			unsigned wnr:1;		/* [6] write not read */
			unsigned s1ptw:1;	/* [7] stage 2 fault on stage 1 walk */
			unsigned cm:1;		/* [8] cache maintenance */
			unsigned ea:1;		/* [9] external abort type */
			unsigned fnv:1;		/* [10] FAR not valid */
			unsigned set:2;		/* [12:11] synchronous error type */
			unsigned vncr:1;	/* [13] */
			unsigned ar:1;		/* [14] acquire/release */
			unsigned sf:1;		/* [15] 64-bit register */
			unsigned srt:5;		/* [20:16] register, 31 = XZR/WZR */
			unsigned sse:1;		/* [21] sign extend */
			unsigned sas:2;		/* [23:22] size log2: byte..doubleword */
			unsigned isv:1;		/* [24] */
			unsigned il:1;		/* [25] 32-bit instruction */
			unsigned ec:6;		/* [31:26] DABT_LOW or DABT_CUR */
		};
	};
	union {				/* ESR bits [31:0]: the other fields */
		uint32_t w_alt;
		struct {
			unsigned :11;
			unsigned lst:2;		/* [12:11] load/store type */
			unsigned :1;
			unsigned pfv:1;		/* [14] PFAR_EL2 valid */
			unsigned fnp:1;		/* [15] FAR not precise */
			unsigned wu:2;		/* [17:16] write update */
			unsigned :3;
			unsigned toplevel:1;	/* [21] */
			unsigned :10;
		};
	};
	union {				/* ISS2, ESR bits [55:32] */
		uint32_t w_iss2;
		struct {
			unsigned xs:5;		/* [4:0] Rs of ST64BV/ST64BV0 */
			unsigned dirtybit:1;	/* [5] */
			unsigned overlay:1;	/* [6] */
			unsigned assuringonly:1; /* [7] AssuredOnly */
			unsigned gcs:1;		/* [8] */
			unsigned tagaccess:1;	/* [9] */
			unsigned tnd:1;		/* [10] */
			unsigned hdbssf:1;	/* [11] */
			unsigned :20;
		};
	};
};

/* Build an ESR_EL2 value from the members; decode one back. esr_decode_dabt
 * returns 0, or -EINVAL if EC is not a data abort. */
uint64_t esr_build_dabt(const struct esr_dabt *d);
int esr_decode_dabt(uint64_t esr, struct esr_dabt *out);

/* ---- Fault status codes (decoder/esr_fsc.c) --------------------------- */

enum fsc_type {
	FSC_RESERVED,		/* not a code of this table */
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
	FSC_TAG_CHECK,		/* DFSC 0x11 synchronous Tag Check Fault */
	FSC_DEBUG,		/* 0x22 in a breakpoint/step/watchpoint ISS only */
	FSC_UNCATEGORIZED,	/* SError DFSC 0x00 */
	FSC_ASYNC_SERROR,	/* SError DFSC 0x11 */
};
#define FSC_NO_LEVEL 0x7f	/* the code carries no lookup level */
struct fsc_info {
	enum fsc_type type;
	int level;		/* -2..3 (-1/-2 with LPA2/D128), or FSC_NO_LEVEL */
};

/* Which table a 6-bit status code is read with: each ISS encoding lists
 * its own codes (D24.2.46: the DFSC of a Data Abort, the IFSC of an
 * Instruction Abort, the IFSC/DFSC of the debug exceptions, the DFSC of an
 * SError exception). */
enum fsc_kind {
	FSC_KIND_NONE,		/* no status code: every code is reserved */
	FSC_KIND_DABT,
	FSC_KIND_IABT,
	FSC_KIND_DEBUG,
	FSC_KIND_SERROR,
	FSC_KIND_COUNT,
};
/* Decode a code with the table of one kind; every code decodes (unlisted
 * codes as FSC_RESERVED). 0, or -EINVAL if code > 0x3f or kind is out of
 * range. fsc_decode is the Data Abort DFSC table. */
int fsc_decode_kind(enum fsc_kind kind, unsigned code, struct fsc_info *out);
int fsc_decode(unsigned code, struct fsc_info *out);
/* Encode a fault type and level as a Data Abort DFSC (FSC_DEBUG,
 * FSC_UNCATEGORIZED and FSC_ASYNC_SERROR as the code their own ISS uses);
 * the code, or -EINVAL if the combination does not exist. */
int fsc_encode(enum fsc_type type, int level);
/* Lower-case snake_case name used in JSON: "translation", "access_flag"... */
const char *fsc_type_name(enum fsc_type type);

/* ---- Generic decode (decoder/esr.c) ----------------------------------- */

/* ISS encodings, one per "ISS encoding for ..." subsection of D24.2.46
 * (esr_fmt_title gives its exact title). */
enum esr_fmt {
	ESR_FMT_RESERVED,	/* unallocated EC: no encoding */
	ESR_FMT_UNKNOWN, ESR_FMT_WFX, ESR_FMT_MCR, ESR_FMT_MCRR, ESR_FMT_LDC,
	ESR_FMT_FPEN, ESR_FMT_PAUTH, ESR_FMT_OTHER, ESR_FMT_BTI,
	ESR_FMT_ILLEGAL, ESR_FMT_HVC_SVC, ESR_FMT_SMC32, ESR_FMT_SMC64,
	ESR_FMT_SYS128, ESR_FMT_SYS64, ESR_FMT_SVE, ESR_FMT_ERET,
	ESR_FMT_PACFAIL, ESR_FMT_SME, ESR_FMT_IABT, ESR_FMT_DABT, ESR_FMT_MOPS,
	ESR_FMT_FPEXC, ESR_FMT_GCS, ESR_FMT_SERROR, ESR_FMT_BREAKPT,
	ESR_FMT_SOFTSTP, ESR_FMT_WATCHPT, ESR_FMT_BKPT, ESR_FMT_PROF,
	ESR_FMT_COUNT,
};

/*
 * When a field applies (the Arm ARM's "When ...:" clauses, with feature
 * terms taken as true, and the RES0 rules stated in a field's text). A
 * field that does not apply has RES0 bits for that value.
 */
enum esr_cond {
	ESR_COND_ALWAYS,
	ESR_COND_ISV1,		/* ISV == 1 (Data Abort, Software Step) */
	ESR_COND_ISV0,		/* ISV == 0 */
	ESR_COND_ISV0_SEA,	/* ISV == 0, DFSC a synchronous External abort */
	ESR_COND_DFSC_LST,	/* DFSC a Translation/Access flag/Permission fault */
	ESR_COND_DFSC_SEA,	/* DFSC 0b010000, 0b01001x or 0b0101xx */
	ESR_COND_XFSC_10,	/* DFSC/IFSC == 0b010000 */
	ESR_COND_IDS0,		/* SError IDS == 0 */
	ESR_COND_IDS1,		/* SError IDS == 1 */
	ESR_COND_IDS0_DFSC11,	/* IDS == 0 and DFSC == 0b010001 */
	ESR_COND_IDS0_DFSC11_WNRV, /* the same and WnRV == 1 */
	ESR_COND_ERET1,		/* ERET == 1 */
	ESR_COND_TI1,		/* TI[1] == 1 (WFIT/WFET) */
	ESR_COND_EXTYPE0,	/* GCS ExType == 0b0000 */
	ESR_COND_EXTYPE2,	/* GCS ExType == 0b0010 */
	ESR_COND_NEVER,
	ESR_COND_COUNT,
};
/* The condition in the Arm ARM's words, e.g. "ISV == 1". */
const char *esr_cond_text(enum esr_cond c);

/* How a field's value reads (esr_field_meaning). */
enum esr_fkind {
	ESR_FK_NUM, ESR_FK_BOOL, ESR_FK_FSC, ESR_FK_DIR, ESR_FK_SAS, ESR_FK_TI,
	ESR_FK_BTYPE, ESR_FK_SET, ESR_FK_LST, ESR_FK_REG, ESR_FK_COND,
	ESR_FK_AET, ESR_FK_OTHER, ESR_FK_SMTC, ESR_FK_GCSEX, ESR_FK_GCSIT,
	ESR_FK_WU, ESR_FK_FMTOPT, ESR_FK_PROFFSC, ESR_FK_COUNT,
};

/* One field of an encoding. Tables are static. */
struct esr_fdesc {
	const char *name;	/* Arm ARM field name in lower case */
	uint8_t hi, lo;		/* ESR bit numbers; ISS2 fields: 32 + ISS2 bit */
	uint8_t kind;		/* enum esr_fkind */
	uint8_t cond;		/* enum esr_cond */
	uint32_t vmask;		/* value mask: hi - lo + 1 ones */
};

/*
 * Everything esr_decode works out for one value: the class and its
 * encoding, which conditions hold (so which fields apply), the RES0
 * report and the fault status code. Field values, names and meanings are
 * read through the accessors below from the static field map; nothing is
 * copied or formatted per decode.
 */
struct esr_decoded {
	uint64_t esr;
	uint64_t res0_bits;	/* set bits outside every applicable field:
				 * bits [63:56], unused ISS/ISS2 bits, bits of
				 * fields that do not apply. The ISS of an
				 * unallocated EC is not judged. */
	const struct esr_fdesc *fields;	/* the encoding's fields */
	uint32_t conds;		/* bit c set: condition c (one the fields use)
				 * holds */
	uint32_t sysreg_enc;	/* SYS64/SYS128: as sysreg_enc() packs it */
	struct fsc_info fsc;	/* type/level of fsc_code */
	enum esr_fmt fmt;
	uint8_t ec, nfields, fsc_code;
	bool il, reserved, has_fsc, has_sysreg;
};
/* EC name ("RESERVED" if unallocated), ISS, ISS2 and bits [63:56] of a
 * decoded value: esr_ec_name(d->ec), esr_iss(d->esr), esr_iss2(d->esr),
 * d->esr >> 56. */

/* Decode any 64-bit value; always returns 0 (reserved ECs included). */
int esr_decode(uint64_t esr, struct esr_decoded *out);

/* Field i (< d->nfields) of a decoded value. */
static inline bool esr_field_applies(const struct esr_decoded *d, unsigned i)
{
	return (d->conds >> d->fields[i].cond) & 1u;
}
static inline uint32_t esr_field_value(const struct esr_decoded *d, unsigned i)
{
	return (uint32_t)(d->esr >> d->fields[i].lo) & d->fields[i].vmask;
}
static inline const char *esr_field_name(const struct esr_decoded *d, unsigned i)
{
	return d->fields[i].name;
}
/* What the value of field i means ("translation", "x3", "ST64BV", "1"),
 * static, "" if nothing more than the number. */
const char *esr_field_meaning(const struct esr_decoded *d, unsigned i);
/* Index of the applicable field called name, or -ENOENT. */
int esr_field_find(const struct esr_decoded *d, const char *name);

/* Class lookups; an unallocated EC gives "RESERVED" and ESR_FMT_RESERVED. */
const char *esr_ec_name(unsigned ec);
const char *esr_ec_desc(unsigned ec);
enum esr_fmt esr_ec_fmt(unsigned ec);

/* An encoding's field map (*n fields, NULL if none), its D24.2.46
 * subsection titles (ISS and ISS2), and the kind of its status code. */
const struct esr_fdesc *esr_fmt_fields(enum esr_fmt fmt, unsigned *n);
const char *esr_fmt_title(enum esr_fmt fmt);
const char *esr_fmt_iss2_title(enum esr_fmt fmt);
enum fsc_kind esr_fmt_fsc_kind(enum esr_fmt fmt);

/*
 * Builder for every encoding: vals[] holds the field values in the map's
 * order, n of them (must be the map's count). Values are truncated to
 * their widths. A field is placed only if it applies to the value being
 * built (its condition is judged on the fields placed before it and the
 * unconditional ones), so alternatives sharing bits never collide.
 * Returns the ESR, or 0 with *err = -EINVAL on a bad format or count (err
 * may be NULL). decode(build(x)) gives back every field that applies.
 */
uint64_t esr_build(enum esr_fmt fmt, unsigned ec, bool il,
		   const uint32_t *vals, unsigned n, int *err);

/* Typed builders and decoders (member order = ISS order). rv is RES0
 * unless TI[1] == 1 (D24.2.46, WF* ISS: "If TI[1] == 0, then this field
 * is RES0"). */
struct esr_wfx { bool cv; uint8_t cond; uint8_t rn; bool rv; uint8_t ti; };
uint64_t esr_build_wfx(const struct esr_wfx *w);
int esr_decode_wfx(uint64_t esr, struct esr_wfx *out);
struct esr_sys64 { uint8_t op0, op2, op1, crn, rt, crm; bool dir_read; };
uint64_t esr_build_sys64(const struct esr_sys64 *s);
int esr_decode_sys64(uint64_t esr, struct esr_sys64 *out);
/* imm16 of HVC/SVC/SMC64, or the comment of BKPT/BRK. */
uint64_t esr_build_imm16(unsigned ec, uint16_t imm16);
int esr_decode_imm16(uint64_t esr, uint16_t *imm16);

/* ---- Formatting (decoder/esr_fmt.c) ----------------------------------- */
/* Text sheet of a decoded value into buf (size bytes, NUL-terminated if
 * size > 0): the applicable fields (ISS2 fields only when non-zero), set
 * bits of fields that do not apply with the condition they need, and the
 * status code. Returns the length written, or -ENOSPC if it did not fit. */
int esr_format_text(const struct esr_decoded *d, char *buf, size_t size);

#endif
