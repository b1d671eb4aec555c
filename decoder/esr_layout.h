/*
 * The ISS field layouts of ESR_EL2, one X-macro list per encoding, as Arm
 * ARM D24.2.46 lists them (data for decoder/esr.c only; not a public
 * header). tests/test_esr_layout.c checks them against the Markdown Arm
 * ARM (tests/vectors/armarm_esr_layout.tsv).
 */
#ifndef HVEXIT_DECODER_ESR_LAYOUT_H
#define HVEXIT_DECODER_ESR_LAYOUT_H

/*
 * Field maps, one X-macro list per encoding: X(a, name, hi, lo, kind,
 * cond), ISS from bit 24 down, then ISS2 (ESR bit 32 + ISS2 bit). The
 * names and bits are those of D24.2.46; cond is the field's "When ...:"
 * clause (esr.h, enum esr_cond). Fields whose conditions exclude each
 * other may share bits (Data Abort SAS/SSE/SRT/SF/AR vs TopLevel/WU/FnP/
 * PFV, LST vs SET; GCS Rn vs Rvalue; SError IMPLEMENTATION DEFINED
 * syndrome vs the RAS fields).
 */
#define CV_COND(X, a) \
	X(a, cv,          24, 24, BOOL,   ALWAYS) \
	X(a, cond,        23, 20, COND,   ALWAYS)
/* WF*: "If TI[1] == 0, then this field [RV] is RES0". */
#define F_WFX(X, a) CV_COND(X, a) \
	X(a, rn,           9,  5, REG,    ALWAYS) \
	X(a, rv,           2,  2, BOOL,   TI1) \
	X(a, ti,           1,  0, TI,     ALWAYS)
#define F_MCR(X, a) CV_COND(X, a) \
	X(a, opc2,        19, 17, NUM,    ALWAYS) \
	X(a, opc1,        16, 14, NUM,    ALWAYS) \
	X(a, crn,         13, 10, NUM,    ALWAYS) \
	X(a, rt,           9,  5, REG,    ALWAYS) \
	X(a, crm,          4,  1, NUM,    ALWAYS) \
	X(a, direction,    0,  0, DIR,    ALWAYS)
#define F_MCRR(X, a) CV_COND(X, a) \
	X(a, opc1,        19, 16, NUM,    ALWAYS) \
	X(a, rt2,         14, 10, REG,    ALWAYS) \
	X(a, rt,           9,  5, REG,    ALWAYS) \
	X(a, crm,          4,  1, NUM,    ALWAYS) \
	X(a, direction,    0,  0, DIR,    ALWAYS)
#define F_LDC(X, a) CV_COND(X, a) \
	X(a, imm8,        19, 12, NUM,    ALWAYS) \
	X(a, rn,           9,  5, REG,    ALWAYS) \
	X(a, offset,       4,  4, NUM,    ALWAYS) \
	X(a, am,           3,  1, NUM,    ALWAYS) \
	X(a, direction,    0,  0, DIR,    ALWAYS)
#define F_FPEN(X, a) CV_COND(X, a)
#define F_OTHER(X, a) \
	X(a, iss,         24,  0, OTHER,  ALWAYS)
#define F_BTI(X, a) \
	X(a, btype,        1,  0, BTYPE,  ALWAYS)
#define F_IMM16(X, a) \
	X(a, imm16,       15,  0, NUM,    ALWAYS)
#define F_SMC32(X, a) CV_COND(X, a) \
	X(a, ccknownpass, 19, 19, BOOL,   ALWAYS)
/* MSRR/MRRS/SYSP: Rt [9:6] names the pair X[Rt:0], X[Rt:1]; bit 5 RES0. */
#define F_SYS128(X, a) \
	X(a, op0,         21, 20, NUM,    ALWAYS) \
	X(a, op2,         19, 17, NUM,    ALWAYS) \
	X(a, op1,         16, 14, NUM,    ALWAYS) \
	X(a, crn,         13, 10, NUM,    ALWAYS) \
	X(a, rt,           9,  6, NUM,    ALWAYS) \
	X(a, crm,          4,  1, NUM,    ALWAYS) \
	X(a, direction,    0,  0, DIR,    ALWAYS)
#define F_SYS64(X, a) \
	X(a, op0,         21, 20, NUM,    ALWAYS) \
	X(a, op2,         19, 17, NUM,    ALWAYS) \
	X(a, op1,         16, 14, NUM,    ALWAYS) \
	X(a, crn,         13, 10, NUM,    ALWAYS) \
	X(a, rt,           9,  5, REG,    ALWAYS) \
	X(a, crm,          4,  1, NUM,    ALWAYS) \
	X(a, direction,    0,  0, DIR,    ALWAYS)
/* ERET: "When the ERET field is 0, this bit [ERETA] is RES0". */
#define F_ERET(X, a) \
	X(a, eret,         1,  1, BOOL,   ALWAYS) \
	X(a, ereta,        0,  0, BOOL,   ERET1)
#define F_PACFAIL(X, a) \
	X(a, dni,          1,  1, BOOL,   ALWAYS) \
	X(a, bna,          0,  0, BOOL,   ALWAYS)
#define F_SME(X, a) \
	X(a, smtc,         2,  0, SMTC,   ALWAYS)
/* Instruction Abort: SET and FnV "When IFSC == 0b010000"; ISS2 HDBSSF
 * [11], AssuredOnly [7], Overlay [6], DirtyBit [5]. */
#define F_IABT(X, a) \
	X(a, toplevel,    21, 21, BOOL,   ALWAYS) \
	X(a, pfv,         14, 14, BOOL,   ALWAYS) \
	X(a, set,         12, 11, SET,    XFSC_10) \
	X(a, fnv,         10, 10, BOOL,   XFSC_10) \
	X(a, ea,           9,  9, BOOL,   ALWAYS) \
	X(a, s1ptw,        7,  7, BOOL,   ALWAYS) \
	X(a, ifsc,         5,  0, FSC,    ALWAYS) \
	X(a, hdbssf,      43, 43, BOOL,   ALWAYS) \
	X(a, assuredonly, 39, 39, BOOL,   ALWAYS) \
	X(a, overlay,     38, 38, BOOL,   ALWAYS) \
	X(a, dirtybit,    37, 37, BOOL,   ALWAYS)
/* Data Abort: SAS..AR "When ISV == '1'", TopLevel/FnP with ISV == 0, WU
 * and PFV with ISV == 0 and a synchronous External abort, LST and SET by
 * DFSC; FnV "is valid only if the DFSC code is 0b010000. It is RES0 for
 * all other aborts". ISS2 HDBSSF [11] .. Xs [4:0]. */
#define F_DABT(X, a) \
	X(a, isv,         24, 24, BOOL,   ALWAYS) \
	X(a, sas,         23, 22, SAS,    ISV1) \
	X(a, sse,         21, 21, BOOL,   ISV1) \
	X(a, toplevel,    21, 21, BOOL,   ISV0) \
	X(a, srt,         20, 16, REG,    ISV1) \
	X(a, wu,          17, 16, WU,     ISV0_SEA) \
	X(a, sf,          15, 15, BOOL,   ISV1) \
	X(a, fnp,         15, 15, BOOL,   ISV0) \
	X(a, ar,          14, 14, BOOL,   ISV1) \
	X(a, pfv,         14, 14, BOOL,   ISV0_SEA) \
	X(a, vncr,        13, 13, BOOL,   ALWAYS) \
	X(a, lst,         12, 11, LST,    DFSC_LST) \
	X(a, set,         12, 11, SET,    DFSC_SEA) \
	X(a, fnv,         10, 10, BOOL,   XFSC_10) \
	X(a, ea,           9,  9, BOOL,   ALWAYS) \
	X(a, cm,           8,  8, BOOL,   ALWAYS) \
	X(a, s1ptw,        7,  7, BOOL,   ALWAYS) \
	X(a, wnr,          6,  6, BOOL,   ALWAYS) \
	X(a, dfsc,         5,  0, FSC,    ALWAYS) \
	X(a, hdbssf,      43, 43, BOOL,   ALWAYS) \
	X(a, tnd,         42, 42, BOOL,   ALWAYS) \
	X(a, tagaccess,   41, 41, BOOL,   ALWAYS) \
	X(a, gcs,         40, 40, BOOL,   ALWAYS) \
	X(a, assuredonly, 39, 39, BOOL,   ALWAYS) \
	X(a, overlay,     38, 38, BOOL,   ALWAYS) \
	X(a, dirtybit,    37, 37, BOOL,   ALWAYS) \
	X(a, xs,          36, 32, REG,    ALWAYS)
/* Memory Copy and Memory Set: FormatOption [17:16] (once two bits,
 * WrongOption and OptionA); bit 15 RES0. */
#define F_MOPS(X, a) \
	X(a, meminst,     24, 24, BOOL,   ALWAYS) \
	X(a, issetg,      23, 23, BOOL,   ALWAYS) \
	X(a, options,     22, 19, NUM,    ALWAYS) \
	X(a, fromepilogue, 18, 18, BOOL,  ALWAYS) \
	X(a, formatoption, 17, 16, FMTOPT, ALWAYS) \
	X(a, destreg,     14, 10, REG,    ALWAYS) \
	X(a, srcreg,       9,  5, REG,    ALWAYS) \
	X(a, sizereg,      4,  0, REG,    ALWAYS)
#define F_FPEXC(X, a) \
	X(a, tfv,         23, 23, BOOL,   ALWAYS) \
	X(a, vecitr,      10,  8, NUM,    ALWAYS) \
	X(a, idf,          7,  7, BOOL,   ALWAYS) \
	X(a, ixf,          4,  4, BOOL,   ALWAYS) \
	X(a, uff,          3,  3, BOOL,   ALWAYS) \
	X(a, off,          2,  2, BOOL,   ALWAYS) \
	X(a, dzf,          1,  1, BOOL,   ALWAYS) \
	X(a, iof,          0,  0, BOOL,   ALWAYS)
/* GCS: Raddr and Rvalue "When ExType == 0b0010", Rn and IT "When ExType
 * == 0b0000". */
#define F_GCS(X, a) \
	X(a, extype,      23, 20, GCSEX,  ALWAYS) \
	X(a, raddr,       14, 10, REG,    EXTYPE2) \
	X(a, rn,           9,  5, REG,    EXTYPE0) \
	X(a, rvalue,       9,  5, REG,    EXTYPE2) \
	X(a, it,           4,  0, GCSIT,  EXTYPE0)
/* SError: IDS=1 means "Bits [23:0] of the ISS field holds IMPLEMENTATION
 * DEFINED syndrome information" (field impdef here); with IDS=0 the RAS
 * fields apply "When ... DFSC == 0b010001", and WnR "is RES0 if
 * ESR_EL2.WnRV == 0b0". */
#define F_SERROR(X, a) \
	X(a, ids,         24, 24, BOOL,   ALWAYS) \
	X(a, impdef,      23,  0, NUM,    IDS1) \
	X(a, els,         18, 18, BOOL,   IDS0_DFSC11) \
	X(a, wu,          17, 16, WU,     IDS0_DFSC11) \
	X(a, vfv,         15, 15, BOOL,   IDS0_DFSC11) \
	X(a, pfv,         14, 14, BOOL,   IDS0_DFSC11) \
	X(a, iesb,        13, 13, BOOL,   IDS0_DFSC11) \
	X(a, aet,         12, 10, AET,    IDS0_DFSC11) \
	X(a, ea,           9,  9, BOOL,   IDS0_DFSC11) \
	X(a, wnrv,         7,  7, BOOL,   IDS0_DFSC11) \
	X(a, wnr,          6,  6, BOOL,   IDS0_DFSC11_WNRV) \
	X(a, dfsc,         5,  0, FSC,    IDS0)
#define F_BREAKPT(X, a) \
	X(a, ifsc,         5,  0, FSC,    ALWAYS)
/* Software Step: "If the ISV bit is set to 0, this bit [EX] is RES0". */
#define F_SOFTSTP(X, a) \
	X(a, isv,         24, 24, BOOL,   ALWAYS) \
	X(a, ex,           6,  6, BOOL,   ISV1) \
	X(a, ifsc,         5,  0, FSC,    ALWAYS)
#define F_WATCHPT(X, a) \
	X(a, wpt,         23, 18, NUM,    ALWAYS) \
	X(a, wptv,        17, 17, BOOL,   ALWAYS) \
	X(a, wpf,         16, 16, BOOL,   ALWAYS) \
	X(a, fnp,         15, 15, BOOL,   ALWAYS) \
	X(a, vncr,        13, 13, BOOL,   ALWAYS) \
	X(a, fnv,         10, 10, BOOL,   ALWAYS) \
	X(a, cm,           8,  8, BOOL,   ALWAYS) \
	X(a, wnr,          6,  6, BOOL,   ALWAYS) \
	X(a, dfsc,         5,  0, FSC,    ALWAYS) \
	X(a, gcs,         40, 40, BOOL,   ALWAYS)
#define F_BKPT(X, a) \
	X(a, comment,     15,  0, NUM,    ALWAYS)
#define F_PROF(X, a) \
	X(a, fsc,          5,  1, PROFFSC, ALWAYS) \
	X(a, sync,         0,  0, BOOL,   ALWAYS)

#endif
