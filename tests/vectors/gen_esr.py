#!/usr/bin/env python3
"""Compose ESR_EL2 test vectors from named field values.

Independent of the C decoder: the layouts below were written from the Arm
ARM D24.2.40 ESR_EL2 "ISS encoding for an exception from ..." subsections
(field name -> (hi, lo) in ESR bit numbering) and the DFSC table. Each
vector is built by placing chosen field values; the expected columns are
the chosen values themselves. Not run by `make check`; run it by hand:
    python3 tests/vectors/gen_esr.py > corpus/vectors/esr.tsv
Columns: esr, ec, ec_name, fields (name=value,...), fsc
(code:type:level, '-' if none), Arm ARM reference.
"""
import random

REF = "D24.2.40 ESR_EL2"
MCR = [("cv", 24, 24), ("cond", 23, 20), ("opc2", 19, 17), ("opc1", 16, 14),
       ("crn", 13, 10), ("rt", 9, 5), ("crm", 4, 1), ("direction", 0, 0)]
MCRR = [("cv", 24, 24), ("cond", 23, 20), ("opc1", 19, 16), ("rt2", 14, 10),
        ("rt", 9, 5), ("crm", 4, 1), ("direction", 0, 0)]
SYS = [("op0", 21, 20), ("op2", 19, 17), ("op1", 16, 14), ("crn", 13, 10),
       ("rt", 9, 5), ("crm", 4, 1), ("direction", 0, 0)]
# Layouts revised in the issue-#2 review against Linux asm/esr.h, QEMU
# target/arm/syndrome.h, google/aarch64-esr-decoder and the Arm register
# XML field list (lelegard/arm-cpusysregs docs/registers-fields.md).
ISS2_DABT = [("hdbssf", 43, 43), ("tnd", 42, 42), ("tagaccess", 41, 41),
             ("gcs", 40, 40), ("assuredonly", 39, 39), ("overlay", 38, 38),
             ("dirtybit", 37, 37), ("xs", 36, 32)]
DABT_TAIL = [("vncr", 13, 13), ("set", 12, 11), ("fnv", 10, 10), ("ea", 9, 9),
             ("cm", 8, 8), ("s1ptw", 7, 7), ("wnr", 6, 6), ("dfsc", 5, 0)] + ISS2_DABT
DABT = [("isv", 24, 24), ("sas", 23, 22), ("sse", 21, 21), ("srt", 20, 16),
        ("sf", 15, 15), ("ar", 14, 14)] + DABT_TAIL
DABT0 = [("isv", 24, 24), ("toplevel", 21, 21), ("wu", 17, 16), ("fnp", 15, 15),
         ("pfv", 14, 14)] + DABT_TAIL

# Instruction abort: TopLevel [21] (FEAT_THE), PFV [14], SET, FnV, EA, S1PTW, IFSC
IABT = [("toplevel", 21, 21), ("pfv", 14, 14), ("set", 12, 11), ("fnv", 10, 10),
        ("ea", 9, 9), ("s1ptw", 7, 7), ("ifsc", 5, 0),
        ("assuredonly", 39, 39), ("overlay", 38, 38)]
SYS128 = [("op0", 21, 20), ("op2", 19, 17), ("op1", 16, 14), ("crn", 13, 10),
          ("rt", 9, 6), ("crm", 4, 1), ("direction", 0, 0)]
GCS_CHECK = [("extype", 23, 20), ("rn", 9, 5), ("it", 4, 0)]
GCS_STR = [("extype", 23, 20), ("raddr", 14, 10), ("rvalue", 9, 5)]
GCS_OTHER = [("extype", 23, 20)]
SERROR = [("ids", 24, 24), ("els", 18, 18), ("wu", 17, 16), ("vfv", 15, 15),
          ("pfv", 14, 14), ("iesb", 13, 13), ("aet", 12, 10), ("ea", 9, 9),
          ("wnrv", 7, 7), ("wnr", 6, 6), ("dfsc", 5, 0)]
SERROR_IMPDEF = [("ids", 24, 24), ("impdef", 23, 0)]

# EC -> (Linux name, layout, ISS subsection)
EC = {
    0x00: ("UNKNOWN", [], "EC 0x00"),
    0x01: ("WFx", [("cv", 24, 24), ("cond", 23, 20), ("rn", 9, 5), ("rv", 2, 2), ("ti", 1, 0)], "ISS WF*"),
    0x03: ("CP15_32", MCR, "ISS MCR/MRC"),
    0x04: ("CP15_64", MCRR, "ISS MCRR/MRRC"),
    0x05: ("CP14_MR", MCR, "ISS MCR/MRC"),
    0x06: ("CP14_LS", [("cv", 24, 24), ("cond", 23, 20), ("imm8", 19, 12), ("rn", 9, 5),
                       ("offset", 4, 4), ("am", 3, 1), ("direction", 0, 0)], "ISS LDC/STC"),
    0x07: ("FP_ASIMD", [("cv", 24, 24), ("cond", 23, 20)], "ISS SIMD/FP"),
    0x08: ("CP10_ID", MCR, "ISS VMRS"),
    0x09: ("PAC", [], "ISS PAuth"),
    0x0A: ("OTHER", [("iss", 24, 0)], "ISS LS64"),
    0x0C: ("CP14_64", MCRR, "ISS MCRR/MRRC"),
    0x0D: ("BTI", [("btype", 1, 0)], "ISS BTI"),
    0x0E: ("ILL", [], "ISS illegal state"),
    0x11: ("SVC32", [("imm16", 15, 0)], "ISS SVC"),
    0x12: ("HVC32", [("imm16", 15, 0)], "ISS HVC"),
    0x13: ("SMC32", [("cv", 24, 24), ("cond", 23, 20), ("ccknownpass", 19, 19)], "ISS SMC32"),
    0x14: ("SYS128", SYS128, "ISS MSRR/MRRS"),
    0x15: ("SVC64", [("imm16", 15, 0)], "ISS SVC"),
    0x16: ("HVC64", [("imm16", 15, 0)], "ISS HVC"),
    0x17: ("SMC64", [("imm16", 15, 0)], "ISS SMC64"),
    0x18: ("SYS64", SYS, "ISS MSR/MRS"),
    0x19: ("SVE", [], "ISS SVE"),
    0x1A: ("ERET", [("eret", 1, 1), ("ereta", 0, 0)], "ISS ERET"),
    0x1B: ("TSTART", [("rd", 9, 5)], "ISS TSTART"),
    0x1C: ("FPAC", [("dni", 1, 1), ("bna", 0, 0)], "ISS FPAC"),
    0x1D: ("SME", [("smtc", 2, 0)], "ISS SME"),
    0x1E: ("GPC", [("s2ptw", 21, 21), ("ind", 20, 20), ("gpcsc", 19, 14), ("vncr", 13, 13),
                   ("cm", 8, 8), ("s1ptw", 7, 7), ("wnr", 6, 6), ("xfsc", 5, 0)], "ISS GPC"),
    0x1F: ("IMP_DEF", [("impdef", 24, 0)], "EC 0x1F"),
    0x20: ("IABT_LOW", IABT, "ISS instruction abort"),
    0x21: ("IABT_CUR", IABT, "ISS instruction abort"),
    0x22: ("PC_ALIGN", [], "ISS PC alignment"),
    0x24: ("DABT_LOW", DABT, "ISS data abort"),
    0x25: ("DABT_CUR", DABT, "ISS data abort"),
    0x26: ("SP_ALIGN", [], "ISS SP alignment"),
    0x27: ("MOPS", [("meminst", 24, 24), ("issetg", 23, 23), ("options", 22, 19),
                    ("fromepilogue", 18, 18), ("wrongoption", 17, 17), ("optiona", 16, 16),
                    ("destreg", 14, 10), ("srcreg", 9, 5), ("sizereg", 4, 0)], "ISS MOPS"),
    0x28: ("FP_EXC32", None, "ISS FP exception"),
    0x2C: ("FP_EXC64", None, "ISS FP exception"),
    0x2D: ("GCS", GCS_CHECK, "ISS GCS"),
    0x2F: ("SERROR", SERROR, "ISS SError"),
    0x30: ("BREAKPT_LOW", [("ifsc", 5, 0)], "ISS breakpoint"),
    0x31: ("BREAKPT_CUR", [("ifsc", 5, 0)], "ISS breakpoint"),
    0x32: ("SOFTSTP_LOW", [("isv", 24, 24), ("ex", 6, 6), ("ifsc", 5, 0)], "ISS software step"),
    0x33: ("SOFTSTP_CUR", [("isv", 24, 24), ("ex", 6, 6), ("ifsc", 5, 0)], "ISS software step"),
    0x34: ("WATCHPT_LOW", None, "ISS watchpoint"),
    0x35: ("WATCHPT_CUR", None, "ISS watchpoint"),
    0x38: ("BKPT32", [("comment", 15, 0)], "ISS BKPT"),
    0x3A: ("VECTOR32", [("ifsc", 5, 0)], "ISS vector catch"),
    0x3C: ("BRK64", [("comment", 15, 0)], "ISS BRK"),
    0x3D: ("PROFILING", [("fsc", 5, 1), ("sync", 0, 0)], "ISS profiling"),
}
FPEXC = [("tfv", 23, 23), ("vecitr", 10, 8), ("idf", 7, 7), ("ixf", 4, 4), ("uff", 3, 3),
         ("off", 2, 2), ("dzf", 1, 1), ("iof", 0, 0)]
WATCH = [("wpt", 23, 18), ("wptv", 17, 17), ("wpf", 16, 16), ("fnp", 15, 15), ("vncr", 13, 13),
         ("fnv", 10, 10), ("cm", 8, 8), ("wnr", 6, 6), ("dfsc", 5, 0), ("gcs", 40, 40)]
for k in (0x28, 0x2C):
    EC[k] = (EC[k][0], FPEXC, EC[k][2])
for k in (0x34, 0x35):
    EC[k] = (EC[k][0], WATCH, EC[k][2])
FSC_FIELDS = {"dfsc", "ifsc", "xfsc"}
DEBUG_EC = {0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3A}

# DFSC/IFSC (D24.2.40 DFSC): code -> (type, level or None)
FSC = {}
for lvl in range(4):
    FSC[0x00 + lvl] = ("address_size", lvl)
    FSC[0x04 + lvl] = ("translation", lvl)
    FSC[0x08 + lvl] = ("access_flag", lvl)
    FSC[0x0C + lvl] = ("permission", lvl)
    FSC[0x14 + lvl] = ("sync_external_walk", lvl)
    FSC[0x1C + lvl] = ("sync_parity_walk", lvl)
    FSC[0x24 + lvl] = ("granule_protection_walk", lvl)
FSC.update({0x10: ("sync_external", None), 0x11: ("tag_check", None),
            0x12: ("sync_external_walk", -2), 0x13: ("sync_external_walk", -1),
            0x18: ("sync_parity", None), 0x1B: ("sync_parity_walk", -1),
            0x21: ("alignment", None),
            0x23: ("granule_protection_walk", -1), 0x28: ("granule_protection", None),
            0x29: ("address_size", -1), 0x2A: ("translation", -2),
            0x2B: ("translation", -1), 0x2C: ("address_size", -2),
            0x30: ("tlb_conflict", None), 0x31: ("unsupported_atomic", None),
            0x34: ("implementation_defined", None), 0x35: ("implementation_defined", None)})


def fsc_col(code, ec=None):
    if ec in DEBUG_EC:      # debug ISS: only 0b100010 (QEMU syn_breakpoint)
        t, lvl = ("debug", None) if code == 0x22 else ("reserved", None)
    elif ec == 0x2F:        # SError DFSC: 0x00, 0x11 (aarch64-esr-decoder)
        t, lvl = {0: ("uncategorized", None), 0x11: ("async_serror", None)}.get(
            code, ("reserved", None))
    else:
        t, lvl = FSC.get(code, ("reserved", None))
    return "%d:%s:%s" % (code, t, "-" if lvl is None else lvl)


def layout_of(ec, vals):
    name, layout, sub = EC[ec]
    if ec in (0x24, 0x25) and vals.get("isv", 0) == 0:
        layout = DABT0
    if ec == 0x2D:
        layout = {0: GCS_CHECK, 2: GCS_STR}.get(vals.get("extype", 0), GCS_OTHER)
    if ec == 0x2F and vals.get("ids", 0):
        layout = SERROR_IMPDEF
    return layout


def compose(ec, il, vals):
    name, _, sub = EC[ec]
    layout = layout_of(ec, vals)
    esr = ec << 26 | il << 25
    for f, hi, lo in layout:
        v = vals.get(f, 0) & ((1 << (hi - lo + 1)) - 1)
        vals[f] = v
        esr |= v << lo
    fields = ",".join("%s=%d" % (f, vals[f]) for f, _, _ in layout)
    fsc = "-"
    for f, _, _ in layout:
        if f in FSC_FIELDS:
            fsc = fsc_col(vals[f], ec)
    return "0x%x\t%d\t%s\t%s\t%s\t%s %s" % (esr, ec, name, fields or "-", fsc, REF, sub)


def rand_fields(rng, ec):
    layout = EC[ec][1]
    if ec in (0x24, 0x25):
        layout = DABT if rng.random() < 0.6 else DABT0
    if ec == 0x2D:
        layout = rng.choice([GCS_CHECK, GCS_STR, GCS_OTHER])
    if ec == 0x2F:
        layout = SERROR if rng.random() < 0.7 else SERROR_IMPDEF
    vals = {f: rng.getrandbits(hi - lo + 1) for f, hi, lo in layout}
    if ec in (0x24, 0x25):
        vals["isv"] = 1 if layout is DABT else 0
    if ec == 0x2D:
        vals["extype"] = {id(GCS_CHECK): 0, id(GCS_STR): 2}.get(
            id(layout), rng.choice([1, 3, 4, 15]))
    if ec == 0x2F:
        vals["ids"] = 1 if layout is SERROR_IMPDEF else 0
    return vals


def main():
    rng = random.Random(20261123)
    rows = []
    # Hand-picked real values (KVM note: MMIO store hsr 0x93c08046; HVC #0
    # 0x5a000000 as PSCI calls; Linux BRK #0x800 (BUG) 0xf2000800).
    rows.append(compose(0x24, 1, {"isv": 1, "sas": 3, "srt": 0, "sf": 1, "wnr": 1, "dfsc": 6}))
    rows.append(compose(0x16, 1, {"imm16": 0}))
    rows.append(compose(0x3C, 1, {"comment": 0x800}))
    # Linux "unhandled level 2/1 translation fault ... esr 0x92000006 / 0x92000005"
    rows.append(compose(0x24, 1, {"isv": 0, "dfsc": 6}))
    rows.append(compose(0x24, 1, {"isv": 0, "dfsc": 5}))
    # Linux instruction abort L3 translation (esr 0x82000007), SVC #0 (0x56000000)
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
        for _ in range(6):
            rows.append(compose(ec, rng.getrandbits(1), rand_fields(rng, ec)))
    # every FSC code on data and instruction aborts
    for code in range(64):
        rows.append(compose(0x24, 1, {"isv": 1, "sas": 2, "srt": code % 31, "dfsc": code}))
        rows.append(compose(0x20, 1, {"ifsc": code}))
    # reserved ECs decode as reserved, no fields
    for ec in range(64):
        if ec not in EC:
            for iss in (0, 0x1ffffff, rng.getrandbits(25)):
                rows.append("0x%x\t%d\tRESERVED\t-\t-\t%s EC unallocated"
                            % (ec << 26 | 1 << 25 | iss, ec, REF))
    print("# esr\tec\tec_name\tfields\tfsc(code:type:level)\tref")
    print("# generated by tests/vectors/gen_esr.py from Arm ARM D24.2.40 layouts")
    for r in rows:
        print(r)


main()
