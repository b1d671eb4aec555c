/*
 * Generic ESR_EL2 decoder: EC descriptor table and per-format field maps.
 * Arm ARM D24.2.40 ESR_EL2 (EC field table and the "ISS encoding for an
 * exception from ..." subsections). Pure, table-driven.
 */
#include "hvexit/esr.h"
#include "hvexit/sysreg.h"

struct ec_desc {
	const char *name;	/* Linux ESR_ELx_EC_ suffix */
	const char *desc;
	enum esr_fmt fmt;
	const char *ref;
};

#define R "D24.2.40 ESR_EL2"
/* D24.2.40 ESR_EL2, EC field. NULL slot = unallocated (reserved). */
static const struct ec_desc ec_table[64] = {
	[0x00] = { "UNKNOWN", "Unknown reason", ESR_FMT_NONE, R " (EC 0x00)" },
	[0x01] = { "WFx", "Trapped WFI/WFE/WFIT/WFET", ESR_FMT_WFX, R " ISS WF*" },
	[0x03] = { "CP15_32", "Trapped AArch32 MCR/MRC (coproc 0b1111)", ESR_FMT_MCR, R " ISS MCR/MRC" },
	[0x04] = { "CP15_64", "Trapped AArch32 MCRR/MRRC (coproc 0b1111)", ESR_FMT_MCRR, R " ISS MCRR/MRRC" },
	[0x05] = { "CP14_MR", "Trapped AArch32 MCR/MRC (coproc 0b1110)", ESR_FMT_MCR, R " ISS MCR/MRC" },
	[0x06] = { "CP14_LS", "Trapped AArch32 LDC/STC", ESR_FMT_LDC, R " ISS LDC/STC" },
	[0x07] = { "FP_ASIMD", "Trapped SVE/SIMD/FP access (CPACR/CPTR)", ESR_FMT_CV_COND, R " ISS SIMD/FP" },
	[0x08] = { "CP10_ID", "Trapped AArch32 VMRS (ID group)", ESR_FMT_MCR, R " ISS VMRS" },
	[0x09] = { "PAC", "Trapped pointer authentication instruction", ESR_FMT_NONE, R " ISS PAuth trap" },
	/* 0x0A: Linux ESR_ELx_EC_OTHER; ISS = subtype (ESR_ELx_ISS_OTHER_*). */
	[0x0A] = { "OTHER", "Trapped LD64B/ST64B*, TSBCSYNC or PSBCSYNC", ESR_FMT_LS64, R " ISS LD64B/ST64B*" },
	[0x0C] = { "CP14_64", "Trapped AArch32 MRRC (coproc 0b1110)", ESR_FMT_MCRR, R " ISS MCRR/MRRC" },
	[0x0D] = { "BTI", "Branch target exception", ESR_FMT_BTI, R " ISS BTI" },
	[0x0E] = { "ILL", "Illegal execution state", ESR_FMT_NONE, R " ISS illegal state" },
	[0x11] = { "SVC32", "SVC in AArch32", ESR_FMT_IMM16, R " ISS SVC/HVC" },
	[0x12] = { "HVC32", "HVC in AArch32", ESR_FMT_IMM16, R " ISS SVC/HVC" },
	[0x13] = { "SMC32", "Trapped SMC in AArch32", ESR_FMT_SMC32, R " ISS SMC32" },
	[0x14] = { "SYS128", "Trapped MSRR/MRRS/SYSP (128-bit)", ESR_FMT_SYS128, R " ISS MSRR/MRRS" },
	[0x15] = { "SVC64", "SVC in AArch64", ESR_FMT_IMM16, R " ISS SVC/HVC" },
	[0x16] = { "HVC64", "HVC in AArch64", ESR_FMT_IMM16, R " ISS SVC/HVC" },
	[0x17] = { "SMC64", "Trapped SMC in AArch64", ESR_FMT_IMM16, R " ISS SMC64" },
	[0x18] = { "SYS64", "Trapped MSR/MRS/SYS", ESR_FMT_SYS64, R " ISS MSR/MRS/SYS" },
	[0x19] = { "SVE", "Trapped SVE access", ESR_FMT_NONE, R " ISS SVE" },
	[0x1A] = { "ERET", "Trapped ERET/ERETAA/ERETAB", ESR_FMT_ERET, R " ISS ERET" },
	[0x1B] = { "TSTART", "Trapped TSTART (TME)", ESR_FMT_TSTART, R " ISS TSTART" },
	[0x1C] = { "FPAC", "Pointer authentication failure", ESR_FMT_FPAC, R " ISS FPAC" },
	[0x1D] = { "SME", "Trapped SME access", ESR_FMT_SME, R " ISS SME" },
	[0x1E] = { "GPC", "Granule protection check (EL3)", ESR_FMT_GPC, R " ISS GPC" },
	[0x1F] = { "IMP_DEF", "IMPLEMENTATION DEFINED exception to EL3", ESR_FMT_IMPDEF, R " (EC 0x1F)" },
	[0x20] = { "IABT_LOW", "Instruction abort from a lower EL", ESR_FMT_IABT, R " ISS instruction abort" },
	[0x21] = { "IABT_CUR", "Instruction abort, same EL", ESR_FMT_IABT, R " ISS instruction abort" },
	[0x22] = { "PC_ALIGN", "PC alignment fault", ESR_FMT_NONE, R " ISS PC alignment" },
	[0x24] = { "DABT_LOW", "Data abort from a lower EL", ESR_FMT_DABT_ISV, R " ISS data abort" },
	[0x25] = { "DABT_CUR", "Data abort, same EL", ESR_FMT_DABT_ISV, R " ISS data abort" },
	[0x26] = { "SP_ALIGN", "SP alignment fault", ESR_FMT_NONE, R " ISS SP alignment" },
	[0x27] = { "MOPS", "Memory copy/set (CPY*/SET*) exception", ESR_FMT_MOPS, R " ISS MOPS" },
	[0x28] = { "FP_EXC32", "Trapped FP exception (AArch32)", ESR_FMT_FPEXC, R " ISS FP exception" },
	[0x2C] = { "FP_EXC64", "Trapped FP exception (AArch64)", ESR_FMT_FPEXC, R " ISS FP exception" },
	[0x2D] = { "GCS", "Guarded control stack exception", ESR_FMT_GCS, R " ISS GCS" },
	[0x2F] = { "SERROR", "SError exception", ESR_FMT_SERROR, R " ISS SError" },
	[0x30] = { "BREAKPT_LOW", "Breakpoint from a lower EL", ESR_FMT_BREAKPT, R " ISS breakpoint" },
	[0x31] = { "BREAKPT_CUR", "Breakpoint, same EL", ESR_FMT_BREAKPT, R " ISS breakpoint" },
	[0x32] = { "SOFTSTP_LOW", "Software step from a lower EL", ESR_FMT_SOFTSTP, R " ISS software step" },
	[0x33] = { "SOFTSTP_CUR", "Software step, same EL", ESR_FMT_SOFTSTP, R " ISS software step" },
	[0x34] = { "WATCHPT_LOW", "Watchpoint from a lower EL", ESR_FMT_WATCHPT, R " ISS watchpoint" },
	[0x35] = { "WATCHPT_CUR", "Watchpoint, same EL", ESR_FMT_WATCHPT, R " ISS watchpoint" },
	[0x38] = { "BKPT32", "BKPT in AArch32", ESR_FMT_COMMENT, R " ISS BKPT/BRK" },
	/* Vector catch shares the Breakpoint ISS (IFSC [5:0]): D24.2.40 EC
	 * table, "ISS encoding for an exception from a Breakpoint or Vector
	 * Catch debug exception". */
	[0x3A] = { "VECTOR32", "Vector catch (AArch32)", ESR_FMT_BREAKPT, R " ISS breakpoint/vector catch" },
	[0x3C] = { "BRK64", "BRK in AArch64", ESR_FMT_COMMENT, R " ISS BKPT/BRK" },
	/* 0x3D: "PMU exception" (FEAT_EBEP), later "Profiling exception";
	 * not named by Linux. Fields per the Arm register XML as extracted in
	 * lelegard/arm-cpusysregs docs/registers-fields.md (FSC [5:1],
	 * SYNC [0]). */
	[0x3D] = { "PROFILING", "Profiling (PMU) exception", ESR_FMT_PROF, R " ISS profiling exception" },
};
#undef R

enum meaning { M_NONE, M_BOOL, M_FSC, M_DIR, M_SAS, M_TI, M_BTYPE, M_SET,
	       M_REG, M_COND, M_AET, M_LS64, M_SMTC, M_GCSEX, M_DBGFSC,
	       M_SERRFSC, M_WU };

struct fdesc {
	const char *name;
	uint8_t hi, lo;
	uint8_t m;		/* enum meaning */
};

/* Field maps, ISS order from bit 24 down, then ISS2 (bits 55:32). All from
 * the matching "ISS encoding for an exception from ..." of D24.2.40. */
static const struct fdesc f_wfx[] = {
	{ "cv", 24, 24, M_BOOL }, { "cond", 23, 20, M_COND },
	{ "rn", 9, 5, M_REG }, { "rv", 2, 2, M_BOOL }, { "ti", 1, 0, M_TI },
};
static const struct fdesc f_mcr[] = {
	{ "cv", 24, 24, M_BOOL }, { "cond", 23, 20, M_COND },
	{ "opc2", 19, 17, M_NONE }, { "opc1", 16, 14, M_NONE },
	{ "crn", 13, 10, M_NONE }, { "rt", 9, 5, M_REG },
	{ "crm", 4, 1, M_NONE }, { "direction", 0, 0, M_DIR },
};
static const struct fdesc f_mcrr[] = {
	{ "cv", 24, 24, M_BOOL }, { "cond", 23, 20, M_COND },
	{ "opc1", 19, 16, M_NONE }, { "rt2", 14, 10, M_REG },
	{ "rt", 9, 5, M_REG }, { "crm", 4, 1, M_NONE },
	{ "direction", 0, 0, M_DIR },
};
static const struct fdesc f_ldc[] = {
	{ "cv", 24, 24, M_BOOL }, { "cond", 23, 20, M_COND },
	{ "imm8", 19, 12, M_NONE }, { "rn", 9, 5, M_REG },
	{ "offset", 4, 4, M_NONE }, { "am", 3, 1, M_NONE },
	{ "direction", 0, 0, M_DIR },
};
static const struct fdesc f_cv_cond[] = {
	{ "cv", 24, 24, M_BOOL }, { "cond", 23, 20, M_COND },
};
static const struct fdesc f_ls64[] = { { "iss", 24, 0, M_LS64 } };
static const struct fdesc f_bti[] = { { "btype", 1, 0, M_BTYPE } };
static const struct fdesc f_imm16[] = { { "imm16", 15, 0, M_NONE } };
static const struct fdesc f_smc32[] = {
	{ "cv", 24, 24, M_BOOL }, { "cond", 23, 20, M_COND },
	{ "ccknownpass", 19, 19, M_BOOL },
};
/* MSRR/MRRS/SYSP: Rt is bits [9:6] (4 bits, the pair X[2Rt], X[2Rt+1]),
 * bit 5 RES0 -- Arm register XML ESR_EL2 "Rt 9:6 ... register pair of
 * X[Rt:0], X[Rt:1]" (lelegard/arm-cpusysregs docs/registers-fields.md).
 * The first reading had [9:5]. */
static const struct fdesc f_sys128[] = {
	{ "op0", 21, 20, M_NONE }, { "op2", 19, 17, M_NONE },
	{ "op1", 16, 14, M_NONE }, { "crn", 13, 10, M_NONE },
	{ "rt", 9, 6, M_NONE }, { "crm", 4, 1, M_NONE },
	{ "direction", 0, 0, M_DIR },
};
static const struct fdesc f_sys64[] = {
	{ "op0", 21, 20, M_NONE }, { "op2", 19, 17, M_NONE },
	{ "op1", 16, 14, M_NONE }, { "crn", 13, 10, M_NONE },
	{ "rt", 9, 5, M_REG }, { "crm", 4, 1, M_NONE },
	{ "direction", 0, 0, M_DIR },
};
static const struct fdesc f_eret[] = {
	{ "eret", 1, 1, M_BOOL }, { "ereta", 0, 0, M_BOOL },
};
static const struct fdesc f_tstart[] = { { "rd", 9, 5, M_REG } };
/* PAC Fail: DnI [1] (0 instruction key, 1 data key), BnA [0] (0 A key,
 * 1 B key). Names from the Arm register XML (lelegard/arm-cpusysregs
 * registers-fields.md) and QEMU syndrome.h PACFAIL_ISS; the first reading
 * called them data_key/b_key. */
static const struct fdesc f_fpac[] = {
	{ "dni", 1, 1, M_BOOL }, { "bna", 0, 0, M_BOOL },
};
static const struct fdesc f_sme[] = { { "smtc", 2, 0, M_SMTC } };
static const struct fdesc f_gpc[] = {
	{ "s2ptw", 21, 21, M_BOOL }, { "ind", 20, 20, M_BOOL },
	{ "gpcsc", 19, 14, M_NONE }, { "vncr", 13, 13, M_BOOL },
	{ "cm", 8, 8, M_BOOL }, { "s1ptw", 7, 7, M_BOOL },
	{ "wnr", 6, 6, M_BOOL }, { "xfsc", 5, 0, M_FSC },
};
static const struct fdesc f_impdef[] = { { "impdef", 24, 0, M_NONE } };
/* Instruction Abort: TopLevel [21] (FEAT_THE), PFV [14], SET [12:11],
 * FnV, EA, S1PTW, IFSC (QEMU syndrome.h IABORT_ISS); ISS2 AssuredOnly
 * [7] and Overlay [6] ("ISS2 encoding for an exception from an
 * Instruction Abort", Arm ESR_ELx table transcribed in the code corpus). */
static const struct fdesc f_iabt[] = {
	{ "toplevel", 21, 21, M_BOOL }, { "pfv", 14, 14, M_BOOL },
	{ "set", 12, 11, M_SET }, { "fnv", 10, 10, M_BOOL },
	{ "ea", 9, 9, M_BOOL }, { "s1ptw", 7, 7, M_BOOL },
	{ "ifsc", 5, 0, M_FSC },
	{ "assuredonly", 39, 39, M_BOOL }, { "overlay", 38, 38, M_BOOL },
};
/* Data Abort ISS2 (bits [55:32]): HDBSSF [11] (FEAT_HDBSS), TnD [10],
 * TagAccess [9], GCS [8], AssuredOnly [7], Overlay [6], DirtyBit [5],
 * Xs [4:0] -- Arm register XML (lelegard/arm-cpusysregs) and Linux
 * esr.h ESR_ELx_TnD..Xs. The Arm name is AssuredOnly (first reading:
 * "assuringonly"). Bits [12:11] are SET for a synchronous External abort
 * and LST for LD64B/ST64B* faults. */
#define DABT_TAIL \
	{ "vncr", 13, 13, M_BOOL }, { "set", 12, 11, M_SET }, \
	{ "fnv", 10, 10, M_BOOL }, { "ea", 9, 9, M_BOOL }, \
	{ "cm", 8, 8, M_BOOL }, { "s1ptw", 7, 7, M_BOOL }, \
	{ "wnr", 6, 6, M_BOOL }, { "dfsc", 5, 0, M_FSC }, \
	{ "hdbssf", 43, 43, M_BOOL }, \
	{ "tnd", 42, 42, M_BOOL }, { "tagaccess", 41, 41, M_BOOL }, \
	{ "gcs", 40, 40, M_BOOL }, { "assuredonly", 39, 39, M_BOOL }, \
	{ "overlay", 38, 38, M_BOOL }, { "dirtybit", 37, 37, M_BOOL }, \
	{ "xs", 36, 32, M_REG }
static const struct fdesc f_dabt_isv[] = {
	{ "isv", 24, 24, M_BOOL }, { "sas", 23, 22, M_SAS },
	{ "sse", 21, 21, M_BOOL }, { "srt", 20, 16, M_REG },
	{ "sf", 15, 15, M_BOOL }, { "ar", 14, 14, M_BOOL }, DABT_TAIL,
};
/* ISV=0: TopLevel [21] (FEAT_THE), WU [17:16] (FEAT_RASv2, External
 * aborts), FnP [15], PFV [14] (FEAT_PFAR); [23:22] and [20:18] RES0.
 * google/aarch64-esr-decoder abort.rs decode_iss_data_abort; Arm XML
 * field list (TopLevel 21, WU, FnP 15, PFV 14). */
static const struct fdesc f_dabt_noisv[] = {
	{ "isv", 24, 24, M_BOOL }, { "toplevel", 21, 21, M_BOOL },
	{ "wu", 17, 16, M_WU }, { "fnp", 15, 15, M_BOOL },
	{ "pfv", 14, 14, M_BOOL }, DABT_TAIL,
};
static const struct fdesc f_mops[] = {
	{ "meminst", 24, 24, M_BOOL }, { "issetg", 23, 23, M_BOOL },
	{ "options", 22, 19, M_NONE }, { "fromepilogue", 18, 18, M_BOOL },
	{ "wrongoption", 17, 17, M_BOOL }, { "optiona", 16, 16, M_BOOL },
	{ "destreg", 14, 10, M_REG }, { "srcreg", 9, 5, M_REG },
	{ "sizereg", 4, 0, M_REG },
};
static const struct fdesc f_fpexc[] = {
	{ "tfv", 23, 23, M_BOOL }, { "vecitr", 10, 8, M_NONE },
	{ "idf", 7, 7, M_BOOL }, { "ixf", 4, 4, M_BOOL },
	{ "uff", 3, 3, M_BOOL }, { "off", 2, 2, M_BOOL },
	{ "dzf", 1, 1, M_BOOL }, { "iof", 0, 0, M_BOOL },
};
/* GCS: ExType [23:20] (0 data check, 1 EXLOCK, 2 trapped GCSSTR/GCSSTTR:
 * Linux ESR_ELx_ExType_*). Data check: Rn [9:5], IT [4:0]. GCSSTR trap:
 * Raddr [14:10], Rvalue [9:5]. EXLOCK: no other field. Sources: Linux
 * esr.h ESR_ELx_Raddr/Rn/Rvalue/IT, QEMU syndrome.h GCS_ISS ("RADDR only
 * for GCSSTR/GCSSTTR traps", "RN only for non EXLOCK"), Arm XML names. */
static const struct fdesc f_gcs[] = {
	{ "extype", 23, 20, M_GCSEX }, { "rn", 9, 5, M_REG },
	{ "it", 4, 0, M_NONE },
};
static const struct fdesc f_gcs_str[] = {
	{ "extype", 23, 20, M_GCSEX }, { "raddr", 14, 10, M_REG },
	{ "rvalue", 9, 5, M_REG },
};
static const struct fdesc f_gcs_other[] = { { "extype", 23, 20, M_GCSEX } };
/* SError, IDS=0: ELS [18], WU [17:16], VFV [15], PFV [14] (FEAT_RASv2 /
 * FEAT_PFAR, meaningful when DFSC = 0x11), IESB [13], AET [12:10], EA [9],
 * WnRV [7], WnR [6], DFSC [5:0] with its own code list (0x00, 0x11).
 * IDS=1: ISS[23:0] IMPLEMENTATION DEFINED. google/aarch64-esr-decoder
 * serror.rs; Linux ESR_ELx_IDS/AET; Arm XML field list. The first
 * reading decoded the SError DFSC with the abort table. */
static const struct fdesc f_serror[] = {
	{ "ids", 24, 24, M_BOOL }, { "els", 18, 18, M_BOOL },
	{ "wu", 17, 16, M_WU }, { "vfv", 15, 15, M_BOOL },
	{ "pfv", 14, 14, M_BOOL }, { "iesb", 13, 13, M_BOOL },
	{ "aet", 12, 10, M_AET }, { "ea", 9, 9, M_BOOL },
	{ "wnrv", 7, 7, M_BOOL }, { "wnr", 6, 6, M_BOOL },
	{ "dfsc", 5, 0, M_SERRFSC },
};
static const struct fdesc f_serror_impdef[] = {
	{ "ids", 24, 24, M_BOOL }, { "impdef", 23, 0, M_NONE },
};
/* Debug exceptions: IFSC/DFSC is 0b100010 (QEMU syn_breakpoint,
 * syn_swstep, syn_watchpoint). */
static const struct fdesc f_breakpt[] = { { "ifsc", 5, 0, M_DBGFSC } };
static const struct fdesc f_softstp[] = {
	{ "isv", 24, 24, M_BOOL }, { "ex", 6, 6, M_BOOL },
	{ "ifsc", 5, 0, M_DBGFSC },
};
/* Watchpoint: WPT [23:18], WPTV [17], WPF [16], FnP [15], VNCR [13],
 * FnV [10], CM [8], WnR [6], DFSC (QEMU WATCHPOINT_ISS); ISS2 GCS [8]
 * ("ISS2 encoding for an exception from a Watchpoint exception"). */
static const struct fdesc f_watchpt[] = {
	{ "wpt", 23, 18, M_NONE }, { "wptv", 17, 17, M_BOOL },
	{ "wpf", 16, 16, M_BOOL }, { "fnp", 15, 15, M_BOOL },
	{ "vncr", 13, 13, M_BOOL }, { "fnv", 10, 10, M_BOOL },
	{ "cm", 8, 8, M_BOOL }, { "wnr", 6, 6, M_BOOL },
	{ "dfsc", 5, 0, M_DBGFSC }, { "gcs", 40, 40, M_BOOL },
};
static const struct fdesc f_prof[] = {
	{ "fsc", 5, 1, M_NONE }, { "sync", 0, 0, M_BOOL },
};
static const struct fdesc f_comment[] = { { "comment", 15, 0, M_NONE } };

struct fmap { const struct fdesc *f; unsigned n; };
#define FM(a) { a, (unsigned)HVX_ARRAY_SIZE(a) }
static const struct fmap fmaps[ESR_FMT_COUNT] = {
	[ESR_FMT_NONE] = { NULL, 0 },
	[ESR_FMT_WFX] = FM(f_wfx), [ESR_FMT_MCR] = FM(f_mcr),
	[ESR_FMT_MCRR] = FM(f_mcrr), [ESR_FMT_LDC] = FM(f_ldc),
	[ESR_FMT_CV_COND] = FM(f_cv_cond), [ESR_FMT_LS64] = FM(f_ls64),
	[ESR_FMT_BTI] = FM(f_bti), [ESR_FMT_IMM16] = FM(f_imm16),
	[ESR_FMT_SMC32] = FM(f_smc32), [ESR_FMT_SYS128] = FM(f_sys128),
	[ESR_FMT_SYS64] = FM(f_sys64), [ESR_FMT_ERET] = FM(f_eret),
	[ESR_FMT_TSTART] = FM(f_tstart), [ESR_FMT_FPAC] = FM(f_fpac),
	[ESR_FMT_SME] = FM(f_sme), [ESR_FMT_GPC] = FM(f_gpc),
	[ESR_FMT_IMPDEF] = FM(f_impdef), [ESR_FMT_IABT] = FM(f_iabt),
	[ESR_FMT_DABT_ISV] = FM(f_dabt_isv),
	[ESR_FMT_DABT_NOISV] = FM(f_dabt_noisv), [ESR_FMT_MOPS] = FM(f_mops),
	[ESR_FMT_FPEXC] = FM(f_fpexc), [ESR_FMT_GCS] = FM(f_gcs),
	[ESR_FMT_SERROR] = FM(f_serror), [ESR_FMT_BREAKPT] = FM(f_breakpt),
	[ESR_FMT_SOFTSTP] = FM(f_softstp), [ESR_FMT_WATCHPT] = FM(f_watchpt),
	[ESR_FMT_COMMENT] = FM(f_comment),
	[ESR_FMT_GCS_STR] = FM(f_gcs_str), [ESR_FMT_GCS_OTHER] = FM(f_gcs_other),
	[ESR_FMT_SERROR_IMPDEF] = FM(f_serror_impdef), [ESR_FMT_PROF] = FM(f_prof),
};

static const char *const sas_s[4] = { "byte", "halfword", "word", "doubleword" };
static const char *const ti_s[4] = { "WFI", "WFE", "WFIT", "WFET" };
/* D24.2.40 BTI ISS: BTYPE value of PSTATE that caused the exception. */
static const char *const btype_s[4] = { "BTYPE=00", "BTYPE=01", "BTYPE=10", "BTYPE=11" };
/* SET (FEAT_RAS) synchronous error type: 0b00 UER, 0b10 UC, 0b11 UEO,
 * 0b01 reserved (google/aarch64-esr-decoder abort.rs describe_set). The
 * first reading had 01=UC, 10=UEO, 11=CE. For LD64B/ST64B* faults the
 * same bits are LST. */
static const char *const set_s[4] = { "recoverable (UER)", "reserved",
				      "uncontainable (UC)", "restartable (UEO)" };
/* WU (FEAT_RASv2): 00 not a store / might have updated, 01 reserved,
 * 10 store did not update, 11 store updated (abort.rs describe_wu). */
static const char *const wu_s[4] = { "no store, or location may be updated",
	"reserved", "store did not update the location",
	"store updated the location" };
/* AET: asynchronous error type (D24.2.40 SError ISS). */
static const char *const aet_s[8] = { "uncontainable (UC)", "unrecoverable (UEU)",
	"restartable (UEO)", "recoverable (UER)", "reserved", "reserved",
	"corrected (CE)", "reserved" };
static const char *const cond_s[16] = { "EQ", "NE", "CS", "CC", "MI", "PL",
	"VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE", "AL", "unconditional" };
/* SMTC (D24.2.40 SME ISS). */
static const char *const smtc_s[8] = { "SME/SVE/SIMD/FP trap (CPACR/CPTR)",
	"SVE/SIMD/FP in Streaming mode", "SME instruction while not in Streaming mode",
	"SME with PSTATE.ZA=0", "ZT0 access disabled", "reserved", "reserved",
	"reserved" };
static const char *const gcsex_s[4] = { "data check (GCS instruction)",
	"EXLOCK exception", "trapped GCSSTR/GCSSTTR", "reserved" };
/* 0x0A subtypes: Linux ESR_ELx_ISS_OTHER_{ST64BV,ST64BV0,LDST64B,TSBCSYNC,
 * PSBCSYNC} = 0..4. */
static const char *const other_s[5] = { "ST64BV", "ST64BV0", "LD64B/ST64B",
	"TSB CSYNC", "PSB CSYNC" };

static int fsc_for(enum meaning m, unsigned code, struct fsc_info *fi)
{
	if (m == M_DBGFSC)
		return fsc_decode_debug(code, fi);
	if (m == M_SERRFSC)
		return fsc_decode_serror(code, fi);
	return fsc_decode(code, fi);
}

static const char *fsc_meaning(enum meaning m, unsigned code)
{
	struct fsc_info fi;

	if (fsc_for(m, code, &fi) < 0)
		return "";
	return fsc_type_name(fi.type);
}

static const char *meaning_of(enum meaning m, uint32_t v)
{
	switch (m) {
	case M_BOOL: return v ? "1" : "0";
	case M_FSC: case M_DBGFSC: case M_SERRFSC: return fsc_meaning(m, v);
	case M_WU: return wu_s[v & 3];
	case M_DIR: return v ? "read (MRS/MRC)" : "write (MSR/MCR)";
	case M_SAS: return sas_s[v & 3];
	case M_TI: return ti_s[v & 3];
	case M_BTYPE: return btype_s[v & 3];
	case M_SET: return set_s[v & 3];
	case M_AET: return aet_s[v & 7];
	case M_COND: return cond_s[v & 15];
	case M_REG: return v == 31 ? "register 31 (XZR/WZR)" : "register";
	case M_SMTC: return smtc_s[v & 7];
	case M_GCSEX: return v < 3 ? gcsex_s[v] : gcsex_s[3];
	case M_LS64: return v < 5 ? other_s[v] : "reserved";
	default: return "";
	}
}

const char *esr_ec_name(unsigned ec)
{
	if (ec >= HVX_ARRAY_SIZE(ec_table) || !ec_table[ec].name)
		return "RESERVED";
	return ec_table[ec].name;
}

enum esr_fmt esr_ec_fmt(unsigned ec)
{
	if (ec >= HVX_ARRAY_SIZE(ec_table) || !ec_table[ec].name)
		return ESR_FMT_NONE;
	return ec_table[ec].fmt;
}

unsigned esr_fmt_nfields(enum esr_fmt fmt)
{
	if ((unsigned)fmt >= ESR_FMT_COUNT)
		return 0;
	return fmaps[fmt].n;
}

int esr_fmt_field(enum esr_fmt fmt, unsigned i, const char **name,
		  unsigned *hi, unsigned *lo)
{
	if ((unsigned)fmt >= ESR_FMT_COUNT || i >= fmaps[fmt].n)
		return -EINVAL;
	*name = fmaps[fmt].f[i].name;
	*hi = fmaps[fmt].f[i].hi;
	*lo = fmaps[fmt].f[i].lo;
	return 0;
}

static void decode_fields(struct esr_decoded *d)
{
	const struct fmap *fm = &fmaps[d->fmt];

	for (unsigned i = 0; i < fm->n && i < ESR_MAX_FIELDS; i++) {
		const struct fdesc *f = &fm->f[i];
		uint32_t v = (uint32_t)hvx_bits(d->esr, f->hi, f->lo);

		d->fields[i] = (struct esr_field){ f->name, f->hi, f->lo, v,
						   meaning_of(f->m, v) };
		if (f->m == M_FSC || f->m == M_DBGFSC || f->m == M_SERRFSC) {
			d->has_fsc = true;
			d->fsc_code = v;
			fsc_for((enum meaning)f->m, v, &d->fsc);
		}
		d->nfields = i + 1;
	}
}

enum esr_fmt esr_fmt_select(uint64_t esr)
{
	enum esr_fmt f = esr_ec_fmt(esr_ec(esr));
	unsigned extype;

	switch (f) {
	case ESR_FMT_DABT_ISV:
		return hvx_bit(esr, 24) ? ESR_FMT_DABT_ISV : ESR_FMT_DABT_NOISV;
	case ESR_FMT_GCS:
		extype = (unsigned)hvx_bits(esr, 23, 20);
		return extype == 0 ? ESR_FMT_GCS : extype == 2 ?
		       ESR_FMT_GCS_STR : ESR_FMT_GCS_OTHER;
	case ESR_FMT_SERROR:
		return hvx_bit(esr, 24) ? ESR_FMT_SERROR_IMPDEF : ESR_FMT_SERROR;
	default:
		return f;
	}
}

/* Bits of the value that no field covers: RES0 in every format (the ISS
 * of an unallocated EC is left unjudged). */
static uint64_t res0_of(const struct esr_decoded *d)
{
	uint64_t defined = hvx_mask(31, 25);

	for (unsigned i = 0; i < d->nfields; i++)
		defined |= hvx_mask(d->fields[i].hi, d->fields[i].lo);
	if (d->reserved)
		defined |= hvx_mask(24, 0);
	return d->esr & ~defined;
}

int esr_decode(uint64_t esr, struct esr_decoded *d)
{
	unsigned ec = esr_ec(esr);
	const struct ec_desc *e = &ec_table[ec];

	/* Header fields one by one: the fields[] array is filled only up to
	 * nfields (zeroing all ESR_MAX_FIELDS entries costs more than the
	 * decode itself). */
	d->esr = esr;
	d->ec = ec;
	d->il = esr_il(esr);
	d->iss = esr_iss(esr);
	d->iss2 = esr_iss2(esr);
	d->res0_top = (uint8_t)hvx_bits(esr, 63, 56);
	d->reserved = e->name == NULL;
	d->ec_name = e->name ? e->name : "RESERVED";
	d->ec_desc = e->name ? e->desc : "Unallocated exception class";
	d->ref = e->name ? e->ref : "D24.2.40 ESR_EL2 (EC unallocated)";
	d->fmt = esr_fmt_select(esr);
	d->nfields = 0;
	d->has_fsc = false;
	d->fsc_code = 0;
	d->fsc = (struct fsc_info){ FSC_RESERVED, FSC_NO_LEVEL };
	d->has_sysreg = false;
	d->sysreg_enc = 0;
	decode_fields(d);
	d->res0_bits = res0_of(d);
	if (d->fmt == ESR_FMT_SYS64 || d->fmt == ESR_FMT_SYS128) {
		d->has_sysreg = true;
		d->sysreg_enc = sysreg_enc(d->fields[0].value, d->fields[2].value,
					   d->fields[3].value, d->fields[5].value,
					   d->fields[1].value);
	}
	return 0;
}

uint64_t esr_build(enum esr_fmt fmt, unsigned ec, bool il,
		   const uint32_t *vals, unsigned n, int *err)
{
	uint64_t esr;

	if (err)
		*err = 0;
	if ((unsigned)fmt >= ESR_FMT_COUNT || n != fmaps[fmt].n) {
		if (err)
			*err = -EINVAL;
		return 0;
	}
	esr = hvx_field(ec, 31, 26) | (il ? ESR_IL : 0);
	for (unsigned i = 0; i < n; i++)
		esr |= hvx_field(vals[i], fmaps[fmt].f[i].hi, fmaps[fmt].f[i].lo);
	/* The no-ISV data abort variant is told apart by ISV itself. */
	return esr;
}

uint64_t esr_build_wfx(const struct esr_wfx *w)
{
	uint32_t v[] = { w->cv, w->cond, w->rn, w->rv, w->ti };
	return esr_build(ESR_FMT_WFX, ESR_EC_WFx, true, v, 5, NULL);
}

int esr_decode_wfx(uint64_t esr, struct esr_wfx *out)
{
	if (esr_ec(esr) != ESR_EC_WFx)
		return -EINVAL;
	*out = (struct esr_wfx){
		.cv = hvx_bit(esr, 24), .cond = (uint8_t)hvx_bits(esr, 23, 20),
		.rn = (uint8_t)hvx_bits(esr, 9, 5), .rv = hvx_bit(esr, 2),
		.ti = (uint8_t)hvx_bits(esr, 1, 0),
	};
	return 0;
}

uint64_t esr_build_sys64(const struct esr_sys64 *s)
{
	uint32_t v[] = { s->op0, s->op2, s->op1, s->crn, s->rt, s->crm,
			 s->dir_read };
	return esr_build(ESR_FMT_SYS64, ESR_EC_SYS64, true, v, 7, NULL);
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
	if (esr_ec_fmt(esr_ec(esr)) != ESR_FMT_IMM16 &&
	    esr_ec_fmt(esr_ec(esr)) != ESR_FMT_COMMENT)
		return -EINVAL;
	*imm16 = (uint16_t)hvx_bits(esr, 15, 0);
	return 0;
}
