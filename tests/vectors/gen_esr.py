#!/usr/bin/env python3
"""Compose ESR_EL2 test vectors from named field values.

Independent of the C decoder: the layouts below were written from the Arm
ARM (DDI 0487 M.a.a) D24.2.46 ESR_EL2 "ISS encoding for an exception from
..." subsections: field name -> (hi, lo) in ESR bit numbering (ISS2 bit n
is ESR bit 32 + n), and the condition under which the field exists (its
"When ...:" clause, or the RES0 rule its text states). Each vector is built
by placing chosen field values; a field whose condition does not hold for
the value is left out (its bits stay 0), and the expected columns are the
chosen values of the fields that exist. Not run by `make check`; run it by
hand:
    python3 tests/vectors/gen_esr.py > corpus/vectors/esr.tsv
Columns: esr, ec, ec_name, fields (name=value,...), fsc
(code:type:level, '-' if none), Arm ARM reference.
"""
import random

REF = "D24.2.46 ESR_EL2"


def F(name, hi, lo, when=None):
    """A field; when(v) tells, from the values placed so far, whether the
    field exists (None: always)."""
    return (name, hi, lo, when)


def sea(code):   # "DFSC == 0b010000 || DFSC IN {0b01001x} || DFSC IN {0b0101xx}"
    return code == 0x10 or code in (0x12, 0x13) or 0x14 <= code <= 0x17


def lst(code):   # "(DFSC IN {0b00xxxx} || DFSC IN {0b10101x}) && !(DFSC IN {0b0000xx})"
    return (code < 0x10 or code in (0x2A, 0x2B)) and not code < 0x04


CV_COND = [F("cv", 24, 24), F("cond", 23, 20)]
MCR = CV_COND + [F("opc2", 19, 17), F("opc1", 16, 14), F("crn", 13, 10),
                 F("rt", 9, 5), F("crm", 4, 1), F("direction", 0, 0)]
MCRR = CV_COND + [F("opc1", 19, 16), F("rt2", 14, 10), F("rt", 9, 5),
                  F("crm", 4, 1), F("direction", 0, 0)]
SYS = [F("op0", 21, 20), F("op2", 19, 17), F("op1", 16, 14), F("crn", 13, 10),
       F("rt", 9, 5), F("crm", 4, 1), F("direction", 0, 0)]
# "Rt, bits [9:6] ... register pair of X[Rt:0], X[Rt:1]"; bit 5 RES0
SYS128 = [F("op0", 21, 20), F("op2", 19, 17), F("op1", 16, 14), F("crn", 13, 10),
          F("rt", 9, 6), F("crm", 4, 1), F("direction", 0, 0)]
# WF*: "If TI[1] == 0, then this field [RV] is RES0."
WFX = CV_COND + [F("rn", 9, 5), F("rv", 2, 2, lambda v: v.get("ti", 0) & 2),
                 F("ti", 1, 0)]
LDC = CV_COND + [F("imm8", 19, 12), F("rn", 9, 5), F("offset", 4, 4),
                 F("am", 3, 1), F("direction", 0, 0)]
ISV1 = lambda v: v.get("isv", 0) == 1
ISV0 = lambda v: v.get("isv", 0) == 0
DABT = [F("isv", 24, 24),
        F("sas", 23, 22, ISV1), F("sse", 21, 21, ISV1),
        F("toplevel", 21, 21, ISV0),
        F("srt", 20, 16, ISV1),
        F("wu", 17, 16, lambda v: ISV0(v) and sea(v.get("dfsc", 0))),
        F("sf", 15, 15, ISV1), F("fnp", 15, 15, ISV0),
        F("ar", 14, 14, ISV1),
        F("pfv", 14, 14, lambda v: ISV0(v) and sea(v.get("dfsc", 0))),
        F("vncr", 13, 13),
        F("lst", 12, 11, lambda v: lst(v.get("dfsc", 0))),
        F("set", 12, 11, lambda v: sea(v.get("dfsc", 0))),
        # "valid only if the DFSC code is 0b010000. It is RES0 for all other aborts."
        F("fnv", 10, 10, lambda v: v.get("dfsc", 0) == 0x10),
        F("ea", 9, 9), F("cm", 8, 8), F("s1ptw", 7, 7), F("wnr", 6, 6),
        F("dfsc", 5, 0),
        # ISS2 encoding for an exception from a Data Abort
        F("hdbssf", 43, 43), F("tnd", 42, 42), F("tagaccess", 41, 41),
        F("gcs", 40, 40), F("assuredonly", 39, 39), F("overlay", 38, 38),
        F("dirtybit", 37, 37), F("xs", 36, 32)]
# Instruction Abort: SET and FnV "When IFSC == 0b010000"; ISS2 HDBSSF [11],
# AssuredOnly [7], Overlay [6], DirtyBit [5]
IABT = [F("toplevel", 21, 21), F("pfv", 14, 14),
        F("set", 12, 11, lambda v: v.get("ifsc", 0) == 0x10),
        F("fnv", 10, 10, lambda v: v.get("ifsc", 0) == 0x10),
        F("ea", 9, 9), F("s1ptw", 7, 7), F("ifsc", 5, 0),
        F("hdbssf", 43, 43), F("assuredonly", 39, 39), F("overlay", 38, 38),
        F("dirtybit", 37, 37)]
# GCS: Raddr/Rvalue "When ExType == 0b0010", Rn/IT "When ExType == 0b0000"
GCS = [F("extype", 23, 20),
       F("raddr", 14, 10, lambda v: v.get("extype", 0) == 2),
       F("rn", 9, 5, lambda v: v.get("extype", 0) == 0),
       F("rvalue", 9, 5, lambda v: v.get("extype", 0) == 2),
       F("it", 4, 0, lambda v: v.get("extype", 0) == 0)]
# SError: IDS=1 "Bits [23:0] ... IMPLEMENTATION DEFINED syndrome"; with
# IDS=0 the RAS fields "When ... DFSC == 0b010001"; WnR "RES0 if WnRV == 0"
RAS = lambda v: v.get("ids", 0) == 0 and v.get("dfsc", 0) == 0x11
SERROR = [F("ids", 24, 24),
          F("impdef", 23, 0, lambda v: v.get("ids", 0) == 1),
          F("els", 18, 18, RAS), F("wu", 17, 16, RAS), F("vfv", 15, 15, RAS),
          F("pfv", 14, 14, RAS), F("iesb", 13, 13, RAS), F("aet", 12, 10, RAS),
          F("ea", 9, 9, RAS), F("wnrv", 7, 7, RAS),
          F("wnr", 6, 6, lambda v: RAS(v) and v.get("wnrv", 0) == 1),
          F("dfsc", 5, 0, lambda v: v.get("ids", 0) == 0)]
FPEXC = [F("tfv", 23, 23), F("vecitr", 10, 8), F("idf", 7, 7), F("ixf", 4, 4),
         F("uff", 3, 3), F("off", 2, 2), F("dzf", 1, 1), F("iof", 0, 0)]
WATCH = [F("wpt", 23, 18), F("wptv", 17, 17), F("wpf", 16, 16), F("fnp", 15, 15),
         F("vncr", 13, 13), F("fnv", 10, 10), F("cm", 8, 8), F("wnr", 6, 6),
         F("dfsc", 5, 0), F("gcs", 40, 40)]
# Memory Copy and Memory Set: FormatOption [17:16] (formerly WrongOption
# and OptionA), bit 15 RES0
MOPS = [F("meminst", 24, 24), F("issetg", 23, 23), F("options", 22, 19),
        F("fromepilogue", 18, 18), F("formatoption", 17, 16),
        F("destreg", 14, 10), F("srcreg", 9, 5), F("sizereg", 4, 0)]
SOFTSTP = [F("isv", 24, 24), F("ex", 6, 6, ISV1), F("ifsc", 5, 0)]

# EC -> (name, layout, status code table, ISS subsection); the EC table of
# D24.2.46 (0x1B, 0x1E and 0x1F are not ESR_EL2 classes)
EC = {
    0x00: ("UNKNOWN", [], None, "unknown reason"),
    0x01: ("WFx", WFX, None, "WF* instruction"),
    0x03: ("CP15_32", MCR, None, "MCR or MRC access"),
    0x04: ("CP15_64", MCRR, None, "MCRR or MRRC access"),
    0x05: ("CP14_MR", MCR, None, "MCR or MRC access"),
    0x06: ("CP14_LS", LDC, None, "LDC or STC instruction"),
    0x07: ("FP_ASIMD", CV_COND, None, "FPEN and TFP traps"),
    0x08: ("CP10_ID", MCR, None, "MCR or MRC access"),
    0x09: ("PAC", [], None, "trapped Pointer Authentication instruction"),
    0x0A: ("OTHER", [F("iss", 24, 0)], None, "any other instruction"),
    0x0C: ("CP14_64", MCRR, None, "MCRR or MRRC access"),
    0x0D: ("BTI", [F("btype", 1, 0)], None, "Branch Target Identification"),
    0x0E: ("ILL", [], None, "Illegal Execution state"),
    0x11: ("SVC32", [F("imm16", 15, 0)], None, "HVC or SVC"),
    0x12: ("HVC32", [F("imm16", 15, 0)], None, "HVC or SVC"),
    0x13: ("SMC32", CV_COND + [F("ccknownpass", 19, 19)], None, "SMC in AArch32"),
    0x14: ("SYS128", SYS128, None, "MSRR, MRRS, or 128-bit System instruction"),
    0x15: ("SVC64", [F("imm16", 15, 0)], None, "HVC or SVC"),
    0x16: ("HVC64", [F("imm16", 15, 0)], None, "HVC or SVC"),
    0x17: ("SMC64", [F("imm16", 15, 0)], None, "SMC in AArch64"),
    0x18: ("SYS64", SYS, None, "MSR, MRS, or System instruction"),
    0x19: ("SVE", [], None, "SVE functionality"),
    0x1A: ("ERET", [F("eret", 1, 1), F("ereta", 0, 0, lambda v: v.get("eret", 0))],
           None, "ERET, ERETAA, or ERETAB"),
    0x1C: ("FPAC", [F("dni", 1, 1), F("bna", 0, 0)], None, "PAC Fail"),
    0x1D: ("SME", [F("smtc", 2, 0)], None, "SME functionality"),
    0x20: ("IABT_LOW", IABT, "iabt", "Instruction Abort"),
    0x21: ("IABT_CUR", IABT, "iabt", "Instruction Abort"),
    0x22: ("PC_ALIGN", [], None, "PC alignment fault"),
    0x24: ("DABT_LOW", DABT, "dabt", "Data Abort"),
    0x25: ("DABT_CUR", DABT, "dabt", "Data Abort"),
    0x26: ("SP_ALIGN", [], None, "SP alignment fault"),
    0x27: ("MOPS", MOPS, None, "Memory Copy and Memory Set"),
    0x28: ("FP_EXC32", FPEXC, None, "trapped floating-point exception"),
    0x2C: ("FP_EXC64", FPEXC, None, "trapped floating-point exception"),
    0x2D: ("GCS", GCS, None, "GCS exception"),
    0x2F: ("SERROR", SERROR, "serror", "SError exception"),
    0x30: ("BREAKPT_LOW", [F("ifsc", 5, 0)], "debug", "Breakpoint or Vector Catch"),
    0x31: ("BREAKPT_CUR", [F("ifsc", 5, 0)], "debug", "Breakpoint or Vector Catch"),
    0x32: ("SOFTSTP_LOW", SOFTSTP, "debug", "Software Step"),
    0x33: ("SOFTSTP_CUR", SOFTSTP, "debug", "Software Step"),
    0x34: ("WATCHPT_LOW", WATCH, "debug", "Watchpoint"),
    0x35: ("WATCHPT_CUR", WATCH, "debug", "Watchpoint"),
    0x38: ("BKPT32", [F("comment", 15, 0)], None, "Breakpoint instruction"),
    0x3A: ("VECTOR32", [F("ifsc", 5, 0)], "debug", "Breakpoint or Vector Catch"),
    0x3C: ("BRK64", [F("comment", 15, 0)], None, "Breakpoint instruction"),
    0x3D: ("PROFILING", [F("fsc", 5, 1), F("sync", 0, 0)], None, "Profiling exception"),
}
FSC_FIELDS = {"dfsc", "ifsc"}

# Data Abort DFSC table: code -> (type, level or None)
DFSC = {}
for lvl in range(4):
    DFSC[0x00 + lvl] = ("address_size", lvl)
    DFSC[0x04 + lvl] = ("translation", lvl)
    DFSC[0x08 + lvl] = ("access_flag", lvl)
    DFSC[0x0C + lvl] = ("permission", lvl)
    DFSC[0x14 + lvl] = ("sync_external_walk", lvl)
    DFSC[0x1C + lvl] = ("sync_parity_walk", lvl)
    DFSC[0x24 + lvl] = ("granule_protection_walk", lvl)
DFSC.update({0x10: ("sync_external", None), 0x11: ("tag_check", None),
             0x12: ("sync_external_walk", -2), 0x13: ("sync_external_walk", -1),
             0x18: ("sync_parity", None), 0x1B: ("sync_parity_walk", -1),
             0x21: ("alignment", None),
             0x22: ("granule_protection_walk", -2), 0x23: ("granule_protection_walk", -1),
             0x28: ("granule_protection", None),
             0x29: ("address_size", -1), 0x2A: ("translation", -2),
             0x2B: ("translation", -1), 0x2C: ("address_size", -2),
             0x30: ("tlb_conflict", None), 0x31: ("unsupported_atomic", None),
             0x34: ("implementation_defined", None), 0x35: ("implementation_defined", None)})
# The IFSC table of an Instruction Abort lists neither Tag Check, Alignment
# nor the IMPLEMENTATION DEFINED codes.
IFSC = {c: t for c, t in DFSC.items() if c not in (0x11, 0x21, 0x34, 0x35)}
TABLES = {"dabt": DFSC, "iabt": IFSC, "debug": {0x22: ("debug", None)},
          "serror": {0x00: ("uncategorized", None), 0x11: ("async_serror", None)}}


def fsc_col(code, table):
    t, lvl = TABLES[table].get(code, ("reserved", None))
    return "%d:%s:%s" % (code, t, "-" if lvl is None else lvl)


def place(layout, vals):
    """The fields that exist for vals, in layout order: the unconditional
    ones, then, until nothing changes, those whose condition holds on the
    values placed so far."""
    placed = {}
    for f, hi, lo, when in layout:
        if when is None:
            placed[f] = vals.get(f, 0) & ((1 << (hi - lo + 1)) - 1)
    more = True
    while more:
        more = False
        for f, hi, lo, when in layout:
            if f not in placed and when is not None and when(placed):
                placed[f] = vals.get(f, 0) & ((1 << (hi - lo + 1)) - 1)
                more = True
    return [(f, hi, lo, placed[f]) for f, hi, lo, _ in layout if f in placed]


def compose(ec, il, vals):
    name, layout, table, sub = EC[ec]
    esr = ec << 26 | il << 25
    fields = place(layout, vals)
    for f, hi, lo, v in fields:
        esr |= v << lo
    fsc = "-"
    for f, _, _, v in fields:
        if f in FSC_FIELDS and table:
            fsc = fsc_col(v, table)
    return "0x%x\t%d\t%s\t%s\t%s\t%s %s" % (
        esr, ec, name, ",".join("%s=%d" % (f, v) for f, _, _, v in fields) or "-",
        fsc, REF, sub)


def rand_fields(rng, ec):
    vals = {f: rng.getrandbits(hi - lo + 1) for f, hi, lo, _ in EC[ec][1]}
    # make the selectors' interesting values likely
    if "dfsc" in vals and rng.random() < 0.5:
        vals["dfsc"] = rng.choice([0x06, 0x07, 0x0F, 0x10, 0x11, 0x15, 0x2B])
    if "ifsc" in vals and rng.random() < 0.5:
        vals["ifsc"] = rng.choice([0x07, 0x0E, 0x10, 0x22])
    if ec == 0x2D:
        vals["extype"] = rng.choice([0, 0, 2, 2, 1, 3, 15])
    return vals


def main():
    rng = random.Random(20261123)
    rows = []
    # Hand-picked real values (KVM note: MMIO store hsr 0x93c08046; HVC #0
    # 0x5a000000 as PSCI calls; BRK #0x800 0xf2000800).
    rows.append(compose(0x24, 1, {"isv": 1, "sas": 3, "srt": 0, "sf": 1, "wnr": 1, "dfsc": 6}))
    rows.append(compose(0x16, 1, {"imm16": 0}))
    rows.append(compose(0x3C, 1, {"comment": 0x800}))
    # translation faults with ISV=0 (0x92000006 / 0x92000005), instruction
    # abort level 3 translation (0x82000007), SVC #0 (0x56000000)
    rows.append(compose(0x24, 1, {"isv": 0, "dfsc": 6}))
    rows.append(compose(0x24, 1, {"isv": 0, "dfsc": 5}))
    rows.append(compose(0x20, 1, {"ifsc": 7}))
    rows.append(compose(0x15, 1, {"imm16": 0}))
    # bits [63:56] are RES0: a set top byte still decodes the same fields
    for ec in (0x24, 0x16, 0x18, 0x01, 0x3C, 0x2F):
        r = compose(ec, 1, rand_fields(rng, ec)).split("\t")
        r[0] = "0x%x" % (int(r[0], 16) | rng.getrandbits(8) << 56 | 1 << 63)
        rows.append("\t".join(r))
    # every allocated EC: all-zero ISS and several random ISS values
    for ec in sorted(EC):
        rows.append(compose(ec, 1, {}))
        for _ in range(8):
            rows.append(compose(ec, rng.getrandbits(1), rand_fields(rng, ec)))
    # every status code on data and instruction aborts, with bits [12:11]
    # and FnV set so that LST/SET/FnV show where they exist
    for code in range(64):
        rows.append(compose(0x24, 1, {"isv": 1, "sas": 2, "srt": code % 31, "dfsc": code,
                                      "lst": 2, "set": 3, "fnv": 1}))
        rows.append(compose(0x24, 1, {"isv": 0, "dfsc": code, "wu": 2, "pfv": 1,
                                      "lst": 1, "set": 2}))
        rows.append(compose(0x20, 1, {"ifsc": code, "set": 3, "fnv": 1}))
    # reserved ECs decode as reserved, no fields
    for ec in range(64):
        if ec not in EC:
            for iss in (0, 0x1ffffff, rng.getrandbits(25)):
                rows.append("0x%x\t%d\tRESERVED\t-\t-\t%s EC unallocated"
                            % (ec << 26 | 1 << 25 | iss, ec, REF))
    print("# esr\tec\tec_name\tfields\tfsc(code:type:level)\tref")
    print("# generated by tests/vectors/gen_esr.py from Arm ARM D24.2.46 layouts")
    for r in rows:
        print(r)


main()
