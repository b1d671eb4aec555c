/*
 * Generic ESR_EL2 decoder: the EC table and one field map per ISS
 * encoding. Arm ARM D24.2.46 ESR_EL2: the EC field table and the "ISS
 * encoding for ..." / "ISS2 encoding for ..." subsections. Pure and
 * table-driven; tests/test_esr_layout.c checks every map against the
 * Markdown Arm ARM (tests/vectors/armarm_esr_layout.tsv).
 *
 * A decode works out the class, the encoding, which conditions hold, the
 * RES0 report and the status code. Field values, names and meanings are
 * read from the static maps when asked for (esr.h accessors).
 */
#include <string.h>

#include "decoder/esr_layout.h"
#include "decoder/esr_tab.h"
#include "hvexit/sysreg.h"

/* Mask of bits h..l as a constant expression (for static tables). */
#define MASK_C(h, l) ((~UINT64_C(0) >> (63 - (h))) & (~UINT64_C(0) << (l)))

/*
 * Conditions are functions of a few "atoms" of the value: bit 24 (ISV or
 * IDS), the class of the status code in [5:0] (esr_tab.h), bit 7 (WnRV),
 * bit 1 (ERET, TI[1]) and ExType [23:20]. atoms_of() packs them into one
 * word in which the atoms of each encoding are adjacent (bit 24 appears
 * twice for that), so an encoding reads its atoms as a small index into
 * two tables of its variants -- the bits its applicable fields cover and
 * the conditions that hold -- which the macros below work out from the
 * field list at compile time.
 */
enum { A_B24, A_LST, A_SEA, A_X10, A_X11, A_B7, A_B24S, A_B1, A_EXT0, A_EXT2 };
_Static_assert(ESR_FSCC_LST == 1 && ESR_FSCC_SEA == 2 && ESR_FSCC_X10 == 4 &&
	       ESR_FSCC_X11 == 8, "atoms_of places the class at A_LST..A_X11");
#define VARIANTS 16	/* at most four atoms per encoding */

#define AT(A, b) (((A) >> (b)) & 1)
/* Whether condition c holds for atom word A. */
#define CV(c, A) ( \
	(c) == ESR_COND_ALWAYS ? 1 : \
	(c) == ESR_COND_ISV1 ? AT(A, A_B24) : \
	(c) == ESR_COND_ISV0 ? !AT(A, A_B24) : \
	(c) == ESR_COND_ISV0_SEA ? !AT(A, A_B24) && AT(A, A_SEA) : \
	(c) == ESR_COND_DFSC_LST ? AT(A, A_LST) : \
	(c) == ESR_COND_DFSC_SEA ? AT(A, A_SEA) : \
	(c) == ESR_COND_XFSC_10 ? AT(A, A_X10) : \
	(c) == ESR_COND_IDS0 ? !AT(A, A_B24S) : \
	(c) == ESR_COND_IDS1 ? AT(A, A_B24S) : \
	(c) == ESR_COND_IDS0_DFSC11 ? !AT(A, A_B24S) && AT(A, A_X11) : \
	(c) == ESR_COND_IDS0_DFSC11_WNRV ? \
		!AT(A, A_B24S) && AT(A, A_X11) && AT(A, A_B7) : \
	(c) == ESR_COND_ERET1 || (c) == ESR_COND_TI1 ? AT(A, A_B1) : \
	(c) == ESR_COND_EXTYPE0 ? AT(A, A_EXT0) : \
	(c) == ESR_COND_EXTYPE2 ? AT(A, A_EXT2) : 0)
/* The atoms condition c reads. */
#define CA(c) ( \
	(c) == ESR_COND_ISV1 || (c) == ESR_COND_ISV0 ? 1u << A_B24 : \
	(c) == ESR_COND_ISV0_SEA ? 1u << A_B24 | 1u << A_SEA : \
	(c) == ESR_COND_DFSC_LST ? 1u << A_LST : \
	(c) == ESR_COND_DFSC_SEA ? 1u << A_SEA : \
	(c) == ESR_COND_XFSC_10 ? 1u << A_X10 : \
	(c) == ESR_COND_IDS0 || (c) == ESR_COND_IDS1 ? 1u << A_B24S : \
	(c) == ESR_COND_IDS0_DFSC11 ? 1u << A_B24S | 1u << A_X11 : \
	(c) == ESR_COND_IDS0_DFSC11_WNRV ? \
		1u << A_B24S | 1u << A_X11 | 1u << A_B7 : \
	(c) == ESR_COND_ERET1 || (c) == ESR_COND_TI1 ? 1u << A_B1 : \
	(c) == ESR_COND_EXTYPE0 ? 1u << A_EXT0 : \
	(c) == ESR_COND_EXTYPE2 ? 1u << A_EXT2 : 0u)
/* Lowest and highest set bit of a 10-bit atom set (0 if empty). */
#define LOW10(u) ((u) & 1 ? 0 : (u) & 2 ? 1 : (u) & 4 ? 2 : (u) & 8 ? 3 : \
		  (u) & 16 ? 4 : (u) & 32 ? 5 : (u) & 64 ? 6 : (u) & 128 ? 7 : \
		  (u) & 256 ? 8 : (u) & 512 ? 9 : 0)
#define HIGH10(u) ((u) & 512 ? 9 : (u) & 256 ? 8 : (u) & 128 ? 7 : \
		   (u) & 64 ? 6 : (u) & 32 ? 5 : (u) & 16 ? 4 : (u) & 8 ? 3 : \
		   (u) & 4 ? 2 : (u) & 2 ? 1 : 0)

/* Expansions of a field list: the descriptor rows; the atoms it reads;
 * for atom word a, the bits of its applicable fields, the conditions
 * that hold and whether the status code field applies. */
#define FD(a, n, h, l, k, c) { #n, h, l, ESR_FK_##k, ESR_COND_##c, \
				     (uint32_t)MASK_C((h) - (l), 0) },
#define FA(a, n, h, l, k, c) | CA(ESR_COND_##c)
#define FV(a, n, h, l, k, c) | (CV(ESR_COND_##c, a) ? MASK_C(h, l) : 0)
#define FK(a, n, h, l, k, c) | (CV(ESR_COND_##c, a) ? 1u << ESR_COND_##c : 0)
#define FS(a, n, h, l, k, c) | (ESR_FK_##k == ESR_FK_FSC && CV(ESR_COND_##c, a))
/* Atom word of variant v of an encoding whose atoms start at bit sh. */
#define VA(v, sh) ((unsigned)(v) << (sh))
/* One variant of an encoding: the bits its applicable fields cover, the
 * conditions that hold, and the kind of its status code if that applies. */
struct variant {
	uint64_t bits;
	uint16_t conds;
	uint8_t fsc_kind;
};
#define VAR(L, v, sh, kind) { 0 L(FV, VA(v, sh)), 1 L(FK, VA(v, sh)), \
	(uint8_t)((0 L(FS, VA(v, sh))) ? (kind) : FSC_KIND_NONE) }
#define VARS(L, sh, kind) { \
	VAR(L, 0, sh, kind), VAR(L, 1, sh, kind), VAR(L, 2, sh, kind), \
	VAR(L, 3, sh, kind), VAR(L, 4, sh, kind), VAR(L, 5, sh, kind), \
	VAR(L, 6, sh, kind), VAR(L, 7, sh, kind), VAR(L, 8, sh, kind), \
	VAR(L, 9, sh, kind), VAR(L, 10, sh, kind), VAR(L, 11, sh, kind), \
	VAR(L, 12, sh, kind), VAR(L, 13, sh, kind), VAR(L, 14, sh, kind), \
	VAR(L, 15, sh, kind) }

struct fmt_desc {
	const struct esr_fdesc *f;
	const struct variant *var;	/* VARIANTS entries */
	uint8_t n;
	uint8_t ashift;		/* the encoding's atoms: (atoms >> ashift) */
	uint8_t amask;		/* & amask is the variant */
	uint8_t fsc_kind;	/* enum fsc_kind of the status code field */
	bool sys;		/* MSR/MRS-style: op0..CRm in ISS [21:1] */
	const char *title, *title2;	/* D24.2.46 subsection titles */
};

#define T2_OTHER "ISS2 encoding for all other exceptions"
#define FMT(id, is_sys, t1, t2) { \
	.f = f_##id, .var = v_##id, .n = (uint8_t)HVX_ARRAY_SIZE(f_##id), \
	.ashift = SH_##id, .amask = (uint8_t)AM_##id, .fsc_kind = KIND_##id, \
	.sys = is_sys, .title = t1, .title2 = t2 }
/* An encoding whose ISS is RES0; bits covers what is not judged. */
static const struct variant v_empty[VARIANTS] = { { 0, 1, FSC_KIND_NONE } };
static const struct variant v_unjudged[VARIANTS] = { { MASK_C(24, 0), 1, FSC_KIND_NONE } };
#define FMT_EMPTY(t1, judged) { .var = (judged) ? v_empty : v_unjudged, \
	.title = t1, .title2 = T2_OTHER }

/* The rows of an encoding, where its atoms start and how many there are. */
#define ROWS(id, L, kind) \
	static const struct esr_fdesc f_##id[] = { L(FD, 0) }; \
	enum { SH_##id = LOW10(0 L(FA, 0)), KIND_##id = kind, \
	       AM_##id = (0 L(FA, 0)) ? (2u << (HIGH10(0 L(FA, 0)) - SH_##id)) - 1 : 0 }; \
	_Static_assert(AM_##id < VARIANTS, #id ": more than four atoms"); \
	static const struct variant v_##id[VARIANTS] = VARS(L, SH_##id, kind);
#define NONE FSC_KIND_NONE
ROWS(wfx, F_WFX, NONE) ROWS(mcr, F_MCR, NONE) ROWS(mcrr, F_MCRR, NONE)
ROWS(ldc, F_LDC, NONE) ROWS(fpen, F_FPEN, NONE) ROWS(other, F_OTHER, NONE)
ROWS(bti, F_BTI, NONE) ROWS(hvc_svc, F_IMM16, NONE) ROWS(smc32, F_SMC32, NONE)
ROWS(smc64, F_IMM16, NONE) ROWS(sys128, F_SYS128, NONE)
ROWS(sys64, F_SYS64, NONE) ROWS(eret, F_ERET, NONE)
ROWS(pacfail, F_PACFAIL, NONE) ROWS(sme, F_SME, NONE)
ROWS(iabt, F_IABT, FSC_KIND_IABT) ROWS(dabt, F_DABT, FSC_KIND_DABT)
ROWS(mops, F_MOPS, NONE) ROWS(fpexc, F_FPEXC, NONE) ROWS(gcs, F_GCS, NONE)
ROWS(serror, F_SERROR, FSC_KIND_SERROR) ROWS(breakpt, F_BREAKPT, FSC_KIND_DEBUG)
ROWS(softstp, F_SOFTSTP, FSC_KIND_DEBUG) ROWS(watchpt, F_WATCHPT, FSC_KIND_DEBUG)
ROWS(bkpt, F_BKPT, NONE) ROWS(prof, F_PROF, NONE)
#undef NONE

#define T "ISS encoding for "
/* The usual encoding: not MSR/MRS-style, ISS2 "for all other exceptions". */
#define ISS(id, t1) FMT(id, false, T t1, T2_OTHER)
static const struct fmt_desc fmaps[ESR_FMT_COUNT] = {
	/* An unallocated EC: no encoding, its ISS is not judged. */
	[ESR_FMT_RESERVED] = FMT_EMPTY("(unallocated EC)", false),
	[ESR_FMT_UNKNOWN] = FMT_EMPTY(T "exceptions with an unknown reason", true),
	[ESR_FMT_WFX] = ISS(wfx, "an exception from a WF* instruction"),
	[ESR_FMT_MCR] = ISS(mcr, "an exception from an MCR or MRC access"),
	[ESR_FMT_MCRR] = ISS(mcrr, "an exception from an MCRR or MRRC access"),
	[ESR_FMT_LDC] = ISS(ldc, "an exception from an LDC or STC instruction"),
	[ESR_FMT_FPEN] = ISS(fpen, "an exception from an access to a register or "
			     "instruction resulting from the FPEN and TFP traps"),
	[ESR_FMT_PAUTH] = FMT_EMPTY(T "an exception from a trapped Pointer "
				    "Authentication instruction", true),
	[ESR_FMT_OTHER] = ISS(other, "an exception from any other instruction"),
	[ESR_FMT_BTI] = ISS(bti, "an exception from Branch Target Identification instruction"),
	[ESR_FMT_ILLEGAL] = FMT_EMPTY(T "an exception from an Illegal Execution "
				      "state, or a PC or SP alignment fault", true),
	[ESR_FMT_HVC_SVC] = ISS(hvc_svc, "an exception from HVC or SVC instruction execution"),
	[ESR_FMT_SMC32] = ISS(smc32, "an exception from SMC instruction execution in AArch32 state"),
	[ESR_FMT_SMC64] = ISS(smc64, "an exception from SMC instruction execution in AArch64 state"),
	[ESR_FMT_SYS128] = FMT(sys128, true, T "an exception from MSRR, MRRS, or "
			       "128-bit System instruction execution in AArch64 "
			       "state", T2_OTHER),
	[ESR_FMT_SYS64] = FMT(sys64, true, T "an exception from MSR, MRS, or System "
			      "instruction execution in AArch64 state", T2_OTHER),
	[ESR_FMT_SVE] = FMT_EMPTY(T "an exception from an access to SVE "
				  "functionality, resulting from CPACR_EL1.ZEN, "
				  "CPTR_EL2.ZEN, CPTR_EL2.TZ, or CPTR_EL3.EZ", true),
	[ESR_FMT_ERET] = ISS(eret, "an exception from an ERET, ERETAA, or ERETAB instruction"),
	[ESR_FMT_PACFAIL] = ISS(pacfail, "a PAC Fail exception"),
	[ESR_FMT_SME] = ISS(sme, "an exception due to SME functionality"),
	[ESR_FMT_IABT] = FMT(iabt, false, T "an exception from an Instruction Abort",
			     "ISS2 encoding for an exception from an Instruction Abort"),
	[ESR_FMT_DABT] = FMT(dabt, false, T "an exception from a Data Abort",
			     "ISS2 encoding for an exception from a Data Abort"),
	[ESR_FMT_MOPS] = ISS(mops, "an exception from the Memory Copy and Memory "
			     "Set instructions"),
	[ESR_FMT_FPEXC] = ISS(fpexc, "an exception from a trapped floating-point exception"),
	[ESR_FMT_GCS] = ISS(gcs, "a GCS exception"),
	[ESR_FMT_SERROR] = ISS(serror, "an SError exception"),
	[ESR_FMT_BREAKPT] = ISS(breakpt, "an exception from a Breakpoint or Vector "
				"Catch debug exception"),
	[ESR_FMT_SOFTSTP] = ISS(softstp, "an exception from a Software Step exception"),
	[ESR_FMT_WATCHPT] = FMT(watchpt, false, T "an exception from a Watchpoint "
				"exception", "ISS2 encoding for an exception from a "
				"Watchpoint exception"),
	[ESR_FMT_BKPT] = ISS(bkpt, "an exception from execution of a Breakpoint instruction"),
	[ESR_FMT_PROF] = ISS(prof, "a Profiling exception"),
};
#undef ISS
#undef T

struct ec_desc {
	const char *name;	/* short name; NULL slot = unallocated */
	const char *desc;
	enum esr_fmt fmt;
};

/* D24.2.46 ESR_EL2, EC field: the classes and their ISS encodings. */
static const struct ec_desc ec_table[64] = {
	[0x00] = { "UNKNOWN", "Unknown reason", ESR_FMT_UNKNOWN },
	[0x01] = { "WFx", "Trapped WFI/WFE/WFIT/WFET", ESR_FMT_WFX },
	[0x03] = { "CP15_32", "Trapped AArch32 MCR/MRC (coproc 0b1111)", ESR_FMT_MCR },
	[0x04] = { "CP15_64", "Trapped AArch32 MCRR/MRRC (coproc 0b1111)", ESR_FMT_MCRR },
	[0x05] = { "CP14_MR", "Trapped AArch32 MCR/MRC (coproc 0b1110)", ESR_FMT_MCR },
	[0x06] = { "CP14_LS", "Trapped AArch32 LDC/STC", ESR_FMT_LDC },
	[0x07] = { "FP_ASIMD", "Trapped SME/SVE/SIMD/FP access (CPACR/CPTR)", ESR_FMT_FPEN },
	[0x08] = { "CP10_ID", "Trapped AArch32 VMRS (ID group)", ESR_FMT_MCR },
	[0x09] = { "PAC", "Trapped pointer authentication instruction", ESR_FMT_PAUTH },
	[0x0A] = { "OTHER", "Trapped LD64B/ST64B*, TSB CSYNC or PSB CSYNC", ESR_FMT_OTHER },
	[0x0C] = { "CP14_64", "Trapped AArch32 MRRC (coproc 0b1110)", ESR_FMT_MCRR },
	[0x0D] = { "BTI", "Branch target exception", ESR_FMT_BTI },
	[0x0E] = { "ILL", "Illegal execution state", ESR_FMT_ILLEGAL },
	[0x11] = { "SVC32", "SVC in AArch32", ESR_FMT_HVC_SVC },
	[0x12] = { "HVC32", "HVC in AArch32", ESR_FMT_HVC_SVC },
	[0x13] = { "SMC32", "Trapped SMC in AArch32", ESR_FMT_SMC32 },
	[0x14] = { "SYS128", "Trapped MSRR/MRRS/SYSP (128-bit)", ESR_FMT_SYS128 },
	[0x15] = { "SVC64", "SVC in AArch64", ESR_FMT_HVC_SVC },
	[0x16] = { "HVC64", "HVC in AArch64", ESR_FMT_HVC_SVC },
	[0x17] = { "SMC64", "Trapped SMC in AArch64", ESR_FMT_SMC64 },
	[0x18] = { "SYS64", "Trapped MSR/MRS/SYS", ESR_FMT_SYS64 },
	[0x19] = { "SVE", "Trapped SVE access", ESR_FMT_SVE },
	[0x1A] = { "ERET", "Trapped ERET/ERETAA/ERETAB", ESR_FMT_ERET },
	[0x1C] = { "FPAC", "Pointer authentication failure", ESR_FMT_PACFAIL },
	[0x1D] = { "SME", "Trapped SME access", ESR_FMT_SME },
	[0x20] = { "IABT_LOW", "Instruction abort from a lower EL", ESR_FMT_IABT },
	[0x21] = { "IABT_CUR", "Instruction abort, same EL", ESR_FMT_IABT },
	[0x22] = { "PC_ALIGN", "PC alignment fault", ESR_FMT_ILLEGAL },
	[0x24] = { "DABT_LOW", "Data abort from a lower EL", ESR_FMT_DABT },
	[0x25] = { "DABT_CUR", "Data abort, same EL", ESR_FMT_DABT },
	[0x26] = { "SP_ALIGN", "SP alignment fault", ESR_FMT_ILLEGAL },
	[0x27] = { "MOPS", "Memory copy/set (CPY*/SET*) exception", ESR_FMT_MOPS },
	[0x28] = { "FP_EXC32", "Trapped FP exception (AArch32)", ESR_FMT_FPEXC },
	[0x2C] = { "FP_EXC64", "Trapped FP exception (AArch64)", ESR_FMT_FPEXC },
	[0x2D] = { "GCS", "Guarded control stack exception", ESR_FMT_GCS },
	[0x2F] = { "SERROR", "SError exception", ESR_FMT_SERROR },
	[0x30] = { "BREAKPT_LOW", "Breakpoint from a lower EL", ESR_FMT_BREAKPT },
	[0x31] = { "BREAKPT_CUR", "Breakpoint, same EL", ESR_FMT_BREAKPT },
	[0x32] = { "SOFTSTP_LOW", "Software step from a lower EL", ESR_FMT_SOFTSTP },
	[0x33] = { "SOFTSTP_CUR", "Software step, same EL", ESR_FMT_SOFTSTP },
	[0x34] = { "WATCHPT_LOW", "Watchpoint from a lower EL", ESR_FMT_WATCHPT },
	[0x35] = { "WATCHPT_CUR", "Watchpoint, same EL", ESR_FMT_WATCHPT },
	[0x38] = { "BKPT32", "BKPT in AArch32", ESR_FMT_BKPT },
	[0x3A] = { "VECTOR32", "Vector catch (AArch32)", ESR_FMT_BREAKPT },
	[0x3C] = { "BRK64", "BRK in AArch64", ESR_FMT_BKPT },
	[0x3D] = { "PROFILING", "Profiling exception", ESR_FMT_PROF },
};

static const char *const cond_text[ESR_COND_COUNT] = {
	[ESR_COND_ALWAYS] = "always",
	[ESR_COND_ISV1] = "ISV == 1",
	[ESR_COND_ISV0] = "ISV == 0",
	[ESR_COND_ISV0_SEA] = "ISV == 0 and DFSC is a synchronous External abort "
			      "(0b010000, 0b01001x, 0b0101xx)",
	[ESR_COND_DFSC_LST] = "DFSC is a Translation, Access flag or Permission "
			      "fault (0b00xxxx but not 0b0000xx, or 0b10101x)",
	[ESR_COND_DFSC_SEA] = "DFSC is a synchronous External abort (0b010000, "
			      "0b01001x, 0b0101xx)",
	[ESR_COND_XFSC_10] = "the status code is 0b010000",
	[ESR_COND_IDS0] = "IDS == 0",
	[ESR_COND_IDS1] = "IDS == 1",
	[ESR_COND_IDS0_DFSC11] = "IDS == 0 and DFSC == 0b010001",
	[ESR_COND_IDS0_DFSC11_WNRV] = "IDS == 0, DFSC == 0b010001 and WnRV == 1",
	[ESR_COND_ERET1] = "ERET == 1",
	[ESR_COND_TI1] = "TI[1] == 1",
	[ESR_COND_EXTYPE0] = "ExType == 0b0000",
	[ESR_COND_EXTYPE2] = "ExType == 0b0010",
	[ESR_COND_NEVER] = "never",
};

/* The atoms of a value (see the atom enum above). Those of [5:0], bit 24
 * and bit 7 come from one table indexed by ESR bits 7, 24, 5..0; those of
 * bit 1 and ExType are needed by the encodings whose atoms start there. */
#define ATOMS_LO(i) (uint16_t)(((i) >> 6 & 1) << A_B24 | ESR_FSCC_OF((i) & 63) << A_LST | \
			       ((i) >> 7) << A_B7 | ((i) >> 6 & 1) << A_B24S)
static const uint16_t atoms_lo[256] = {
	ESR_REP64(ATOMS_LO, 0), ESR_REP64(ATOMS_LO, 64),
	ESR_REP64(ATOMS_LO, 128), ESR_REP64(ATOMS_LO, 192),
};
#define ATOMS_EXT(x) (uint16_t)(((x) == 0) << A_EXT0 | ((x) == 2) << A_EXT2)
static const uint16_t atoms_ext[16] = { ESR_REP16(ATOMS_EXT, 0) };

static inline uint32_t atoms_low(uint32_t lo)
{
	return atoms_lo[(lo & 0xbf) | (lo >> 18 & 0x40)];
}

static inline uint32_t atoms_of(uint64_t esr)
{
	uint32_t lo = (uint32_t)esr;

	return atoms_low(lo) | atoms_ext[lo >> 20 & 15] | (lo >> 1 & 1) << A_B1;
}

static const struct fmt_desc *fmap(enum esr_fmt fmt)
{
	return &fmaps[(unsigned)fmt < ESR_FMT_COUNT ? fmt : ESR_FMT_RESERVED];
}

const char *esr_ec_name(unsigned ec)
{
	if (ec >= HVX_ARRAY_SIZE(ec_table) || !ec_table[ec].name)
		return "RESERVED";
	return ec_table[ec].name;
}

const char *esr_ec_desc(unsigned ec)
{
	if (ec >= HVX_ARRAY_SIZE(ec_table) || !ec_table[ec].name)
		return "Unallocated exception class";
	return ec_table[ec].desc;
}

enum esr_fmt esr_ec_fmt(unsigned ec)
{
	if (ec >= HVX_ARRAY_SIZE(ec_table))
		return ESR_FMT_RESERVED;
	return ec_table[ec].fmt;
}

const struct esr_fdesc *esr_fmt_fields(enum esr_fmt fmt, unsigned *n)
{
	const struct fmt_desc *fm = fmap(fmt);

	if (n)
		*n = fm->n;
	return fm->f;
}

const char *esr_fmt_title(enum esr_fmt fmt)
{
	return fmap(fmt)->title;
}

const char *esr_fmt_iss2_title(enum esr_fmt fmt)
{
	return fmap(fmt)->title2;
}

enum fsc_kind esr_fmt_fsc_kind(enum esr_fmt fmt)
{
	return (enum fsc_kind)fmap(fmt)->fsc_kind;
}

const char *esr_cond_text(enum esr_cond c)
{
	return (unsigned)c < ESR_COND_COUNT ? cond_text[c] : "?";
}

/* Op0, Op1, CRn, CRm, Op2 of an MSR/MRS-style ISS, packed as sysreg_enc. */
static uint32_t sys_enc_of(uint64_t esr)
{
	return sysreg_enc((unsigned)hvx_bits(esr, 21, 20), (unsigned)hvx_bits(esr, 16, 14),
			  (unsigned)hvx_bits(esr, 13, 10), (unsigned)hvx_bits(esr, 4, 1),
			  (unsigned)hvx_bits(esr, 19, 17));
}

int esr_decode(uint64_t esr, struct esr_decoded *d)
{
	unsigned ec = esr_ec(esr);
	const struct ec_desc *e = &ec_table[ec];
	const struct fmt_desc *fm = &fmaps[e->fmt];
	uint32_t atoms = fm->ashift < A_B1 ? atoms_low((uint32_t)esr) : atoms_of(esr);
	unsigned v = (atoms >> fm->ashift) & fm->amask;
	const struct variant *va = &fm->var[v];
	unsigned kind = va->fsc_kind;
	unsigned code = kind != FSC_KIND_NONE ? (unsigned)esr & 0x3f : 0;
	uint64_t defined = va->bits | hvx_mask(31, 25);
	bool il = (esr >> 25) & 1, sys = fm->sys;

	d->esr = esr;
	d->res0_bits = esr & ~defined;
	d->fields = fm->f;
	d->conds = va->conds;
	d->sysreg_enc = sys ? sys_enc_of(esr) : 0;
	d->fsc = esr_fsc_info(kind, code);
	d->fmt = e->fmt;
	d->ec = (uint8_t)ec;
	d->nfields = fm->n;
	d->fsc_code = (uint8_t)code;
	d->il = il;
	d->reserved = e->fmt == ESR_FMT_RESERVED;
	d->has_fsc = kind != FSC_KIND_NONE;
	d->has_sysreg = sys;
	return 0;
}

/* Meanings (D24.2.46, the value tables of each field). */
static const char *const sas_s[4] = { "byte", "halfword", "word", "doubleword" };
static const char *const ti_s[4] = { "WFI", "WFE", "WFIT", "WFET" };
static const char *const btype_s[4] = { "BTYPE=00", "BTYPE=01", "BTYPE=10", "BTYPE=11" };
/* SET: 0b00 UER, 0b10 UC, 0b11 UEO, other values reserved. */
static const char *const set_s[4] = { "recoverable (UER)", "reserved",
				      "uncontainable (UC)", "restartable (UEO)" };
static const char *const lst_s[4] = { "not specified", "ST64BV", "LD64B/ST64B",
				      "ST64BV0" };
static const char *const wu_s[4] = {
	"not a store, or the location might have been updated", "reserved",
	"store did not update the location", "store updated the location" };
static const char *const aet_s[8] = { "uncontainable (UC)", "unrecoverable (UEU)",
	"restartable (UEO)", "recoverable (UER)", "reserved", "reserved",
	"corrected (CE)", "reserved" };
static const char *const cond_s[16] = { "EQ", "NE", "CS", "CC", "MI", "PL",
	"VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE", "AL", "unconditional" };
static const char *const smtc_s[8] = { "SME/SVE/SIMD/FP trap (CPACR/CPTR)",
	"SIMD/SVE instruction in Streaming mode", "SME instruction with PSTATE.SM=0",
	"SME instruction with PSTATE.ZA=0", "ZT0 access trapped", "reserved",
	"reserved", "reserved" };
static const char *const gcsex_s[4] = { "data check", "EXLOCK exception",
	"trapped GCSSTR/GCSSTTR", "reserved" };
static const char *const gcsit_s[16] = { "return without PAuth", "GCSPOPM",
	"return with PAuth key A", "return with PAuth key B", "GCSSS1", "GCSSS2",
	"reserved", "reserved", "GCSPOPCX", "GCSPOPX", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved" };
static const char *const other_s[5] = { "ST64BV", "ST64BV0", "LD64B/ST64B",
	"TSB CSYNC", "PSB CSYNC" };
static const char *const fmtopt_s[4] = { "Option B", "Option A", "Option A",
	"Option B" };
static const char *const proffsc_s[3] = { "PMU profiling exception",
	"profiling buffer management event", "trace buffer management event" };
static const char *const reg_s[32] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
	"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
	"x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
	"xzr|wzr",
};

const char *esr_field_meaning(const struct esr_decoded *d, unsigned i)
{
	uint32_t v = esr_field_value(d, i);

	switch (d->fields[i].kind) {
	case ESR_FK_BOOL: return v ? "1" : "0";
	case ESR_FK_FSC:
		return fsc_type_name(esr_fsc_info(fmap(d->fmt)->fsc_kind, v).type);
	case ESR_FK_DIR: return v ? "read (MRS/MRC)" : "write (MSR/MCR)";
	case ESR_FK_SAS: return sas_s[v & 3];
	case ESR_FK_TI: return ti_s[v & 3];
	case ESR_FK_BTYPE: return btype_s[v & 3];
	case ESR_FK_SET: return set_s[v & 3];
	case ESR_FK_LST: return lst_s[v & 3];
	case ESR_FK_REG: return reg_s[v & 31];
	case ESR_FK_COND: return cond_s[v & 15];
	case ESR_FK_AET: return aet_s[v & 7];
	case ESR_FK_OTHER: return v < 5 ? other_s[v] : "reserved";
	case ESR_FK_SMTC: return smtc_s[v & 7];
	case ESR_FK_GCSEX: return v < 3 ? gcsex_s[v] : gcsex_s[3];
	case ESR_FK_GCSIT: return v < 16 ? gcsit_s[v] : "reserved";
	case ESR_FK_WU: return wu_s[v & 3];
	case ESR_FK_FMTOPT: return fmtopt_s[v & 3];
	case ESR_FK_PROFFSC: return v < 3 ? proffsc_s[v] : "reserved";
	default: return "";
	}
}

int esr_field_find(const struct esr_decoded *d, const char *name)
{
	for (unsigned i = 0; i < d->nfields; i++)
		if (esr_field_applies(d, i) && !strcmp(d->fields[i].name, name))
			return (int)i;
	return -ENOENT;
}

uint64_t esr_build(enum esr_fmt fmt, unsigned ec, bool il,
		   const uint32_t *vals, unsigned n, int *err)
{
	const struct fmt_desc *fm = fmap(fmt);
	uint64_t esr, placed = 0;

	if (err)
		*err = 0;
	if ((unsigned)fmt >= ESR_FMT_COUNT || n != fm->n) {
		if (err)
			*err = -EINVAL;
		return 0;
	}
	esr = hvx_field(ec, 31, 26) | (il ? ESR_IL : 0);
	/* The unconditional fields first; then, until nothing changes, each
	 * field whose condition holds on the value built so far (SError:
	 * DFSC, then the fields that need DFSC == 0b010001, then WnR, which
	 * needs WnRV == 1). A condition that reads a field not placed yet
	 * sees 0 there, and no condition holds for a 0 it waits for. */
	for (unsigned i = 0; i < n; i++)
		if (fm->f[i].cond == ESR_COND_ALWAYS) {
			esr |= hvx_field(vals[i], fm->f[i].hi, fm->f[i].lo);
			placed |= UINT64_C(1) << i;
		}
	for (bool more = true; more;) {
		more = false;
		for (unsigned i = 0; i < n; i++) {
			const struct esr_fdesc *f = &fm->f[i];

			if (placed >> i & 1 || !CV(f->cond, atoms_of(esr)))
				continue;
			esr |= hvx_field(vals[i], f->hi, f->lo);
			placed |= UINT64_C(1) << i;
			more = true;
		}
	}
	return esr;
}

uint64_t esr_build_wfx(const struct esr_wfx *w)
{
	uint32_t v[] = { w->cv, w->cond, w->rn, w->rv, w->ti };
	return esr_build(ESR_FMT_WFX, ESR_EC_WFx, true, v, HVX_ARRAY_SIZE(v), NULL);
}

int esr_decode_wfx(uint64_t esr, struct esr_wfx *out)
{
	if (esr_ec(esr) != ESR_EC_WFx)
		return -EINVAL;
	*out = (struct esr_wfx){
		.cv = hvx_bit(esr, 24), .cond = (uint8_t)hvx_bits(esr, 23, 20),
		.rn = (uint8_t)hvx_bits(esr, 9, 5),
		.rv = hvx_bit(esr, 2) && hvx_bit(esr, 1),
		.ti = (uint8_t)hvx_bits(esr, 1, 0),
	};
	return 0;
}

uint64_t esr_build_sys64(const struct esr_sys64 *s)
{
	uint32_t v[] = { s->op0, s->op2, s->op1, s->crn, s->rt, s->crm,
			 s->dir_read };
	return esr_build(ESR_FMT_SYS64, ESR_EC_SYS64, true, v, HVX_ARRAY_SIZE(v), NULL);
}

int esr_decode_sys64(uint64_t esr, struct esr_sys64 *out)
{
	if (esr_ec(esr) != ESR_EC_SYS64)
		return -EINVAL;
	*out = (struct esr_sys64){
		.op0 = (uint8_t)hvx_bits(esr, 21, 20),
		.op2 = (uint8_t)hvx_bits(esr, 19, 17),
		.op1 = (uint8_t)hvx_bits(esr, 16, 14),
		.crn = (uint8_t)hvx_bits(esr, 13, 10),
		.rt = (uint8_t)hvx_bits(esr, 9, 5),
		.crm = (uint8_t)hvx_bits(esr, 4, 1),
		.dir_read = hvx_bit(esr, 0),
	};
	return 0;
}

uint64_t esr_build_imm16(unsigned ec, uint16_t imm16)
{
	return hvx_field(ec, 31, 26) | ESR_IL | imm16;
}

int esr_decode_imm16(uint64_t esr, uint16_t *imm16)
{
	enum esr_fmt f = esr_ec_fmt(esr_ec(esr));

	if (f != ESR_FMT_HVC_SVC && f != ESR_FMT_SMC64 && f != ESR_FMT_BKPT)
		return -EINVAL;
	*imm16 = (uint16_t)hvx_bits(esr, 15, 0);
	return 0;
}
