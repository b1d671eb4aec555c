#!/usr/bin/env python3
"""Emit the sorted system register tables for decoder/sysreg_table.h.

The register list below was written from Arm ARM (DDI 0487) D23 "AArch64
System Register Descriptions" (encodings given in each register's
"Accessing" subsection), the GIC v3/v4 architecture specification (IHI 0069)
chapter 12 for ICC_/ICH_ registers, and C5.3/C6.2 for the SYS instruction
aliases (DC, IC, AT, TLBI). Entries are (name, op0, op1, CRn, CRm, op2);
n-indexed families are expanded here. Run:
    python3 tools/gen-sysreg-table.py > decoder/sysreg_table.h
"""
R = []
def r(name, op0, op1, crn, crm, op2):
    R.append((name, op0, op1, crn, crm, op2))

# --- op0 = 2: debug and trace (D23.3 debug registers, ETE/TRBE) ----------
r("OSDTRRX_EL1", 2,0,0,0,2)
for n in range(16):
    r(f"DBGBVR{n}_EL1", 2,0,0,n,4); r(f"DBGBCR{n}_EL1", 2,0,0,n,5)
    r(f"DBGWVR{n}_EL1", 2,0,0,n,6); r(f"DBGWCR{n}_EL1", 2,0,0,n,7)
r("MDCCINT_EL1", 2,0,0,2,0); r("MDSCR_EL1", 2,0,0,2,2)
r("OSDTRTX_EL1", 2,0,0,3,2); r("OSECCR_EL1", 2,0,0,6,2)
r("MDRAR_EL1", 2,0,1,0,0); r("OSLAR_EL1", 2,0,1,0,4); r("OSLSR_EL1", 2,0,1,1,4)
r("OSDLR_EL1", 2,0,1,3,4); r("DBGPRCR_EL1", 2,0,1,4,4)
r("DBGCLAIMSET_EL1", 2,0,7,8,6); r("DBGCLAIMCLR_EL1", 2,0,7,9,6)
r("DBGAUTHSTATUS_EL1", 2,0,7,14,6)
r("MDCCSR_EL0", 2,3,0,1,0); r("DBGDTR_EL0", 2,3,0,4,0)
r("DBGDTRRX_EL0", 2,3,0,5,0)       # DBGDTRTX_EL0 on writes (same encoding)
r("DBGVCR32_EL2", 2,4,0,7,0)
# ETE trace unit (op0 2, op1 1)
for i, nm in enumerate([None, "TRCPRGCTLR", None, "TRCSTATR", "TRCCONFIGR", None,
                        "TRCAUXCTLR", None, "TRCEVENTCTL0R", "TRCEVENTCTL1R", None,
                        "TRCSTALLCTLR", "TRCTSCTLR", "TRCSYNCPR", "TRCCCCTLR", "TRCBBCTLR"]):
    if nm: r(nm, 2,1,0,i,0)
r("TRCTRACEIDR", 2,1,0,0,1); r("TRCQCTLR", 2,1,0,1,1)
r("TRCVICTLR", 2,1,0,0,2); r("TRCVIIECTLR", 2,1,0,1,2)
r("TRCVISSCTLR", 2,1,0,2,2); r("TRCVIPCSSCTLR", 2,1,0,3,2)
for n in range(8, 14): r(f"TRCIDR{n}", 2,1,0,n-8,6)
for n in range(8): r(f"TRCIDR{n}", 2,1,0,8+n,7)
r("TRCOSLAR", 2,1,1,0,4); r("TRCOSLSR", 2,1,1,1,4)
r("TRCPDCR", 2,1,1,4,4); r("TRCPDSR", 2,1,1,5,4)
r("TRCCLAIMSET", 2,1,7,8,6); r("TRCCLAIMCLR", 2,1,7,9,6)
r("TRCAUTHSTATUS", 2,1,7,14,6); r("TRCDEVARCH", 2,1,7,15,6)

# --- op0 = 3, CRn = 0: identification (D23.2) ------------------------------
r("MIDR_EL1", 3,0,0,0,0); r("MPIDR_EL1", 3,0,0,0,5); r("REVIDR_EL1", 3,0,0,0,6)
for i, nm in enumerate(["ID_PFR0", "ID_PFR1", "ID_DFR0", "ID_AFR0",
                        "ID_MMFR0", "ID_MMFR1", "ID_MMFR2", "ID_MMFR3"]):
    r(nm + "_EL1", 3,0,0,1,i)
for i, nm in enumerate(["ID_ISAR0", "ID_ISAR1", "ID_ISAR2", "ID_ISAR3",
                        "ID_ISAR4", "ID_ISAR5", "ID_MMFR4", "ID_ISAR6"]):
    r(nm + "_EL1", 3,0,0,2,i)
r("MVFR0_EL1", 3,0,0,3,0); r("MVFR1_EL1", 3,0,0,3,1); r("MVFR2_EL1", 3,0,0,3,2)
r("ID_PFR2_EL1", 3,0,0,3,4); r("ID_DFR1_EL1", 3,0,0,3,5); r("ID_MMFR5_EL1", 3,0,0,3,6)
r("ID_AA64PFR0_EL1", 3,0,0,4,0); r("ID_AA64PFR1_EL1", 3,0,0,4,1)
r("ID_AA64PFR2_EL1", 3,0,0,4,2); r("ID_AA64ZFR0_EL1", 3,0,0,4,4)
r("ID_AA64SMFR0_EL1", 3,0,0,4,5); r("ID_AA64FPFR0_EL1", 3,0,0,4,7)
r("ID_AA64DFR0_EL1", 3,0,0,5,0); r("ID_AA64DFR1_EL1", 3,0,0,5,1)
r("ID_AA64DFR2_EL1", 3,0,0,5,2)
r("ID_AA64AFR0_EL1", 3,0,0,5,4); r("ID_AA64AFR1_EL1", 3,0,0,5,5)
for i in range(4): r(f"ID_AA64ISAR{i}_EL1", 3,0,0,6,i)
for i in range(5): r(f"ID_AA64MMFR{i}_EL1", 3,0,0,7,i)
r("CCSIDR_EL1", 3,1,0,0,0); r("CLIDR_EL1", 3,1,0,0,1); r("CCSIDR2_EL1", 3,1,0,0,2)
r("GMID_EL1", 3,1,0,0,4); r("SMIDR_EL1", 3,1,0,0,6); r("AIDR_EL1", 3,1,0,0,7)
r("CSSELR_EL1", 3,2,0,0,0)
r("CTR_EL0", 3,3,0,0,1); r("DCZID_EL0", 3,3,0,0,7)
r("VPIDR_EL2", 3,4,0,0,0); r("VMPIDR_EL2", 3,4,0,0,5)

# --- CRn = 1: system control, traps, SVE/SME control -----------------------
r("SCTLR_EL1", 3,0,1,0,0); r("ACTLR_EL1", 3,0,1,0,1); r("CPACR_EL1", 3,0,1,0,2)
r("SCTLR2_EL1", 3,0,1,0,3); r("RGSR_EL1", 3,0,1,0,5); r("GCR_EL1", 3,0,1,0,6)
r("ZCR_EL1", 3,0,1,2,0); r("TRFCR_EL1", 3,0,1,2,1)
r("SMPRI_EL1", 3,0,1,2,4); r("SMCR_EL1", 3,0,1,2,6)
r("SCTLR_EL2", 3,4,1,0,0); r("ACTLR_EL2", 3,4,1,0,1); r("SCTLR2_EL2", 3,4,1,0,3)
for i, nm in enumerate(["HCR", "MDCR", "CPTR", "HSTR", "HFGRTR", "HFGWTR",
                        "HFGITR", "HACR"]):
    r(nm + "_EL2", 3,4,1,1,i)
r("ZCR_EL2", 3,4,1,2,0); r("TRFCR_EL2", 3,4,1,2,1); r("HCRX_EL2", 3,4,1,2,2)
r("SMPRIMAP_EL2", 3,4,1,2,5); r("SMCR_EL2", 3,4,1,2,6)
r("SDER32_EL2", 3,4,1,3,1)
r("SCTLR_EL12", 3,5,1,0,0); r("CPACR_EL12", 3,5,1,0,2); r("SCTLR2_EL12", 3,5,1,0,3)
r("ZCR_EL12", 3,5,1,2,0); r("TRFCR_EL12", 3,5,1,2,1); r("SMCR_EL12", 3,5,1,2,6)
r("SCTLR_EL3", 3,6,1,0,0); r("ACTLR_EL3", 3,6,1,0,1)
r("SCR_EL3", 3,6,1,1,0); r("SDER32_EL3", 3,6,1,1,1); r("CPTR_EL3", 3,6,1,1,2)
r("ZCR_EL3", 3,6,1,2,0); r("SMCR_EL3", 3,6,1,2,6); r("MDCR_EL3", 3,6,1,3,1)

# --- CRn = 2: translation, pointer auth keys, GCS, RNG ----------------------
r("TTBR0_EL1", 3,0,2,0,0); r("TTBR1_EL1", 3,0,2,0,1); r("TCR_EL1", 3,0,2,0,2); r("TCR2_EL1", 3,0,2,0,3)
# D24.2: the Arm ARM spells these APIAKeyLo_EL1 ... APGAKeyHi_EL1.
for crm, pair in ((1, ("APIA", "APIB")), (2, ("APDA", "APDB")), (3, ("APGA",))):
    for j, k in enumerate(pair):
        r(f"{k}KeyLo_EL1", 3,0,2,crm,2*j); r(f"{k}KeyHi_EL1", 3,0,2,crm,2*j+1)
r("GCSCR_EL1", 3,0,2,5,0); r("GCSPR_EL1", 3,0,2,5,1); r("GCSCRE0_EL1", 3,0,2,5,2)
r("RNDR", 3,3,2,4,0); r("RNDRRS", 3,3,2,4,1); r("GCSPR_EL0", 3,3,2,5,1)
r("TTBR0_EL2", 3,4,2,0,0); r("TTBR1_EL2", 3,4,2,0,1); r("TCR_EL2", 3,4,2,0,2); r("TCR2_EL2", 3,4,2,0,3)
r("VTTBR_EL2", 3,4,2,1,0); r("VTCR_EL2", 3,4,2,1,2); r("VNCR_EL2", 3,4,2,2,0)
r("GCSCR_EL2", 3,4,2,5,0); r("GCSPR_EL2", 3,4,2,5,1)
r("VSTTBR_EL2", 3,4,2,6,0); r("VSTCR_EL2", 3,4,2,6,2)
r("TTBR0_EL12", 3,5,2,0,0); r("TTBR1_EL12", 3,5,2,0,1); r("TCR_EL12", 3,5,2,0,2)
r("TCR2_EL12", 3,5,2,0,3)
r("GCSCR_EL12", 3,5,2,5,0); r("GCSPR_EL12", 3,5,2,5,1)
r("TTBR0_EL3", 3,6,2,0,0); r("TCR_EL3", 3,6,2,0,2)
r("GCSCR_EL3", 3,6,2,5,0); r("GCSPR_EL3", 3,6,2,5,1)

# --- CRn = 3: AArch32 DACR, fine-grained trap registers (FEAT_FGT/FGT2) -----
r("HDFGRTR2_EL2", 3,4,3,1,0); r("HDFGWTR2_EL2", 3,4,3,1,1)
r("HFGRTR2_EL2", 3,4,3,1,2); r("HFGWTR2_EL2", 3,4,3,1,3)
r("HDFGRTR_EL2", 3,4,3,1,4); r("HDFGWTR_EL2", 3,4,3,1,5)
r("HAFGRTR_EL2", 3,4,3,1,6); r("HFGITR2_EL2", 3,4,3,1,7)
r("DACR32_EL2", 3,4,3,0,0)

# --- CRn = 4: special-purpose registers (C5.2), GIC PMR ---------------------
r("SPSR_EL1", 3,0,4,0,0); r("ELR_EL1", 3,0,4,0,1); r("SP_EL0", 3,0,4,1,0)
r("SPSEL", 3,0,4,2,0); r("CURRENTEL", 3,0,4,2,2); r("PAN", 3,0,4,2,3)
r("UAO", 3,0,4,2,4); r("ALLINT", 3,0,4,3,0)
r("ICC_PMR_EL1", 3,0,4,6,0)
r("NZCV", 3,3,4,2,0); r("DAIF", 3,3,4,2,1); r("SVCR", 3,3,4,2,2)
r("DIT", 3,3,4,2,5); r("SSBS", 3,3,4,2,6); r("TCO", 3,3,4,2,7)
r("FPCR", 3,3,4,4,0); r("FPSR", 3,3,4,4,1); r("FPMR", 3,3,4,4,2)
r("DSPSR_EL0", 3,3,4,5,0); r("DLR_EL0", 3,3,4,5,1)
r("SPSR_EL2", 3,4,4,0,0); r("ELR_EL2", 3,4,4,0,1); r("SP_EL1", 3,4,4,1,0)
r("SPSR_IRQ", 3,4,4,3,0); r("SPSR_ABT", 3,4,4,3,1)
r("SPSR_UND", 3,4,4,3,2); r("SPSR_FIQ", 3,4,4,3,3)
r("SPSR_EL12", 3,5,4,0,0); r("ELR_EL12", 3,5,4,0,1)
r("SPSR_EL3", 3,6,4,0,0); r("ELR_EL3", 3,6,4,0,1); r("SP_EL2", 3,6,4,1,0)

# --- CRn = 5: fault status, RAS error records (FEAT_RAS), MTE TFSR ----------
r("AFSR0_EL1", 3,0,5,1,0); r("AFSR1_EL1", 3,0,5,1,1); r("ESR_EL1", 3,0,5,2,0)
r("ERRIDR_EL1", 3,0,5,3,0); r("ERRSELR_EL1", 3,0,5,3,1)
for i, nm in enumerate(["ERXFR", "ERXCTLR", "ERXSTATUS", "ERXADDR",
                        "ERXPFGF", "ERXPFGCTL", "ERXPFGCDN"]):
    r(nm + "_EL1", 3,0,5,4,i)
for i in range(4): r(f"ERXMISC{i}_EL1", 3,0,5,5,i)
r("TFSR_EL1", 3,0,5,6,0); r("TFSRE0_EL1", 3,0,5,6,1)
r("IFSR32_EL2", 3,4,5,0,1); r("AFSR0_EL2", 3,4,5,1,0); r("AFSR1_EL2", 3,4,5,1,1)
r("ESR_EL2", 3,4,5,2,0); r("VSESR_EL2", 3,4,5,2,3); r("FPEXC32_EL2", 3,4,5,3,0)
r("TFSR_EL2", 3,4,5,6,0)
r("AFSR0_EL12", 3,5,5,1,0); r("AFSR1_EL12", 3,5,5,1,1); r("ESR_EL12", 3,5,5,2,0)
r("TFSR_EL12", 3,5,5,6,0)
r("AFSR0_EL3", 3,6,5,1,0); r("AFSR1_EL3", 3,6,5,1,1); r("ESR_EL3", 3,6,5,2,0)
r("TFSR_EL3", 3,6,5,6,0)

# --- CRn = 6/7: fault addresses, PAR -----------------------------------------
r("FAR_EL1", 3,0,6,0,0); r("PFAR_EL1", 3,0,6,0,5)
r("FAR_EL2", 3,4,6,0,0); r("HPFAR_EL2", 3,4,6,0,4); r("PFAR_EL2", 3,4,6,0,5)
r("FAR_EL12", 3,5,6,0,0); r("PFAR_EL12", 3,5,6,0,5)
r("FAR_EL3", 3,6,6,0,0)
r("PAR_EL1", 3,0,7,4,0)

# --- CRn = 9: PMU (D23.6), SPE (PMS*/PMB*), TRBE (TRB*) ----------------------
for i, nm in enumerate(["PMSCR", "PMSNEVFR", "PMSICR", "PMSIRR", "PMSFCR",
                        "PMSEVFR", "PMSLATFR", "PMSIDR"]):
    r(nm + "_EL1", 3,0,9,9,i)
r("PMBLIMITR_EL1", 3,0,9,10,0); r("PMBPTR_EL1", 3,0,9,10,1)
r("PMBSR_EL1", 3,0,9,10,3); r("PMBIDR_EL1", 3,0,9,10,7)
r("TRBLIMITR_EL1", 3,0,9,11,0); r("TRBPTR_EL1", 3,0,9,11,1)
r("TRBBASER_EL1", 3,0,9,11,2); r("TRBSR_EL1", 3,0,9,11,3)
r("TRBMAR_EL1", 3,0,9,11,4); r("TRBTRG_EL1", 3,0,9,11,6); r("TRBIDR_EL1", 3,0,9,11,7)
r("PMINTENSET_EL1", 3,0,9,14,1); r("PMINTENCLR_EL1", 3,0,9,14,2)
r("PMMIR_EL1", 3,0,9,14,6)
for i, nm in enumerate(["PMCR", "PMCNTENSET", "PMCNTENCLR", "PMOVSCLR",
                        "PMSWINC", "PMSELR", "PMCEID0", "PMCEID1"]):
    r(nm + "_EL0", 3,3,9,12,i)
r("PMCCNTR_EL0", 3,3,9,13,0); r("PMXEVTYPER_EL0", 3,3,9,13,1)
r("PMXEVCNTR_EL0", 3,3,9,13,2)
r("PMUSERENR_EL0", 3,3,9,14,0); r("PMOVSSET_EL0", 3,3,9,14,3)
r("PMSCR_EL2", 3,4,9,9,0); r("PMSCR_EL12", 3,5,9,9,0)

# --- CRn = 10: memory attributes, permission indirection, LOR, MPAM ----------
r("MAIR_EL1", 3,0,10,2,0); r("PIRE0_EL1", 3,0,10,2,2); r("PIR_EL1", 3,0,10,2,3)
r("POR_EL1", 3,0,10,2,4); r("AMAIR_EL1", 3,0,10,3,0)
r("LORSA_EL1", 3,0,10,4,0); r("LOREA_EL1", 3,0,10,4,1); r("LORN_EL1", 3,0,10,4,2)
r("LORC_EL1", 3,0,10,4,3); r("MPAMIDR_EL1", 3,0,10,4,4); r("LORID_EL1", 3,0,10,4,7)
r("MPAM1_EL1", 3,0,10,5,0); r("MPAM0_EL1", 3,0,10,5,1); r("MPAMSM_EL1", 3,0,10,5,3)
r("POR_EL0", 3,3,10,2,4)
r("MAIR_EL2", 3,4,10,2,0); r("PIRE0_EL2", 3,4,10,2,2); r("PIR_EL2", 3,4,10,2,3)
r("POR_EL2", 3,4,10,2,4); r("AMAIR_EL2", 3,4,10,3,0)
r("MPAMHCR_EL2", 3,4,10,4,0); r("MPAMVPMV_EL2", 3,4,10,4,1); r("MPAM2_EL2", 3,4,10,5,0)
for n in range(8): r(f"MPAMVPM{n}_EL2", 3,4,10,6,n)
r("MAIR_EL12", 3,5,10,2,0); r("PIRE0_EL12", 3,5,10,2,2); r("PIR_EL12", 3,5,10,2,3)
r("POR_EL12", 3,5,10,2,4); r("AMAIR_EL12", 3,5,10,3,0); r("MPAM1_EL12", 3,5,10,5,0)
r("MAIR_EL3", 3,6,10,2,0); r("AMAIR_EL3", 3,6,10,3,0); r("MPAM3_EL3", 3,6,10,5,0)

# --- CRn = 12: vectors, RAS deferred errors, GIC CPU interface (IHI 0069 12) --
r("VBAR_EL1", 3,0,12,0,0); r("RVBAR_EL1", 3,0,12,0,1); r("RMR_EL1", 3,0,12,0,2)
r("ISR_EL1", 3,0,12,1,0); r("DISR_EL1", 3,0,12,1,1)
r("ICC_IAR0_EL1", 3,0,12,8,0); r("ICC_EOIR0_EL1", 3,0,12,8,1)
r("ICC_HPPIR0_EL1", 3,0,12,8,2); r("ICC_BPR0_EL1", 3,0,12,8,3)
for n in range(4): r(f"ICC_AP0R{n}_EL1", 3,0,12,8,4+n)
for n in range(4): r(f"ICC_AP1R{n}_EL1", 3,0,12,9,n)
r("ICC_NMIAR1_EL1", 3,0,12,9,5)
r("ICC_DIR_EL1", 3,0,12,11,1); r("ICC_RPR_EL1", 3,0,12,11,3)
r("ICC_SGI1R_EL1", 3,0,12,11,5); r("ICC_ASGI1R_EL1", 3,0,12,11,6)
r("ICC_SGI0R_EL1", 3,0,12,11,7)
for i, nm in enumerate(["ICC_IAR1", "ICC_EOIR1", "ICC_HPPIR1", "ICC_BPR1",
                        "ICC_CTLR", "ICC_SRE", "ICC_IGRPEN0", "ICC_IGRPEN1"]):
    r(nm + "_EL1", 3,0,12,12,i)
r("VBAR_EL2", 3,4,12,0,0); r("RVBAR_EL2", 3,4,12,0,1); r("RMR_EL2", 3,4,12,0,2)
r("VDISR_EL2", 3,4,12,1,1)
for n in range(4): r(f"ICH_AP0R{n}_EL2", 3,4,12,8,n)
for n in range(4): r(f"ICH_AP1R{n}_EL2", 3,4,12,9,n)
r("ICC_SRE_EL2", 3,4,12,9,5)
r("ICH_HCR_EL2", 3,4,12,11,0); r("ICH_VTR_EL2", 3,4,12,11,1)
r("ICH_MISR_EL2", 3,4,12,11,2); r("ICH_EISR_EL2", 3,4,12,11,3)
r("ICH_ELRSR_EL2", 3,4,12,11,5); r("ICH_VMCR_EL2", 3,4,12,11,7)
for n in range(16): r(f"ICH_LR{n}_EL2", 3,4,12,12+(n >> 3),n & 7)
r("VBAR_EL12", 3,5,12,0,0)
r("VBAR_EL3", 3,6,12,0,0); r("RVBAR_EL3", 3,6,12,0,1); r("RMR_EL3", 3,6,12,0,2)
r("ICC_CTLR_EL3", 3,6,12,12,4); r("ICC_SRE_EL3", 3,6,12,12,5)
r("ICC_IGRPEN1_EL3", 3,6,12,12,7)

# --- CRn = 13: context/thread IDs, activity monitors (FEAT_AMUv1) ------------
r("CONTEXTIDR_EL1", 3,0,13,0,1); r("TPIDR_EL1", 3,0,13,0,4)
r("ACCDATA_EL1", 3,0,13,0,5); r("SCXTNUM_EL1", 3,0,13,0,7)
r("TPIDR_EL0", 3,3,13,0,2); r("TPIDRRO_EL0", 3,3,13,0,3)
r("TPIDR2_EL0", 3,3,13,0,5); r("SCXTNUM_EL0", 3,3,13,0,7)
for i, nm in enumerate(["AMCR", "AMCFGR", "AMCGCR", "AMUSERENR",
                        "AMCNTENCLR0", "AMCNTENSET0", "AMCG1IDR"]):
    r(nm + "_EL0", 3,3,13,2,i)
r("AMCNTENCLR1_EL0", 3,3,13,3,0); r("AMCNTENSET1_EL0", 3,3,13,3,1)
# D24.6.9/D24.6.13: AMEVCNTR0<n>_EL0 and AMEVTYPER0<n>_EL0 exist for
# n = 0 - 3 only ("elsif m >= 4 then UNDEFINED"); the other groups for 0 - 15.
for n in range(4):
    r(f"AMEVCNTR0{n}_EL0", 3,3,13,4,n)
    r(f"AMEVTYPER0{n}_EL0", 3,3,13,6,n)
for n in range(16):
    r(f"AMEVCNTR1{n}_EL0", 3,3,13,12+(n >> 3),n & 7)
    r(f"AMEVTYPER1{n}_EL0", 3,3,13,14+(n >> 3),n & 7)
    r(f"AMEVCNTVOFF0{n}_EL2", 3,4,13,8+(n >> 3),n & 7)
    r(f"AMEVCNTVOFF1{n}_EL2", 3,4,13,10+(n >> 3),n & 7)
r("CONTEXTIDR_EL2", 3,4,13,0,1); r("TPIDR_EL2", 3,4,13,0,2); r("SCXTNUM_EL2", 3,4,13,0,7)
r("CONTEXTIDR_EL12", 3,5,13,0,1); r("SCXTNUM_EL12", 3,5,13,0,7)
r("TPIDR_EL3", 3,6,13,0,2); r("SCXTNUM_EL3", 3,6,13,0,7)

# --- CRn = 14: generic timer (D23.8), PMU event counters ----------------------
r("CNTKCTL_EL1", 3,0,14,1,0)
r("CNTFRQ_EL0", 3,3,14,0,0); r("CNTPCT_EL0", 3,3,14,0,1); r("CNTVCT_EL0", 3,3,14,0,2)
r("CNTPCTSS_EL0", 3,3,14,0,5); r("CNTVCTSS_EL0", 3,3,14,0,6)
def timer(pfx, suffix, op1, crm):
    r(f"{pfx}_TVAL_{suffix}", 3,op1,14,crm,0); r(f"{pfx}_CTL_{suffix}", 3,op1,14,crm,1)
    r(f"{pfx}_CVAL_{suffix}", 3,op1,14,crm,2)
timer("CNTP", "EL0", 3, 2); timer("CNTV", "EL0", 3, 3)
r("CNTVOFF_EL2", 3,4,14,0,3); r("CNTPOFF_EL2", 3,4,14,0,6); r("CNTHCTL_EL2", 3,4,14,1,0)
timer("CNTHP", "EL2", 4, 2); timer("CNTHV", "EL2", 4, 3)
timer("CNTHVS", "EL2", 4, 4); timer("CNTHPS", "EL2", 4, 5)
r("CNTKCTL_EL12", 3,5,14,1,0)
timer("CNTP", "EL02", 5, 2); timer("CNTV", "EL02", 5, 3)
timer("CNTPS", "EL1", 7, 2)
for n in range(31):
    r(f"PMEVCNTR{n}_EL0", 3,3,14,8+(n >> 3),n & 7)
    r(f"PMEVTYPER{n}_EL0", 3,3,14,12+(n >> 3),n & 7)
r("PMCCFILTR_EL0", 3,3,14,15,7)

# --- SYS instructions (op0 = 1): C5.3 DC/IC/AT, C6.2 TLBI ----------------------
S = []
def s(name, op1, crn, crm, op2):
    S.append((name, 1, op1, crn, crm, op2))
s("IC IALLUIS", 0,7,1,0); s("IC IALLU", 0,7,5,0); s("IC IVAU", 3,7,5,1)
s("DC IVAC", 0,7,6,1); s("DC ISW", 0,7,6,2); s("DC IGVAC", 0,7,6,3)
s("DC IGSW", 0,7,6,4); s("DC IGDVAC", 0,7,6,5); s("DC IGDSW", 0,7,6,6)
s("DC CSW", 0,7,10,2); s("DC CISW", 0,7,14,2)
s("DC ZVA", 3,7,4,1); s("DC GVA", 3,7,4,3); s("DC GZVA", 3,7,4,4)
s("DC CVAC", 3,7,10,1); s("DC CVAU", 3,7,11,1); s("DC CVAP", 3,7,12,1)
s("DC CVADP", 3,7,13,1); s("DC CIVAC", 3,7,14,1)
for i, nm in enumerate(["S1E1R", "S1E1W", "S1E0R", "S1E0W"]): s("AT " + nm, 0,7,8,i)
s("AT S1E1RP", 0,7,9,0); s("AT S1E1WP", 0,7,9,1)
s("AT S1E2R", 4,7,8,0); s("AT S1E2W", 4,7,8,1)
s("AT S12E1R", 4,7,8,4); s("AT S12E1W", 4,7,8,5)
s("AT S12E0R", 4,7,8,6); s("AT S12E0W", 4,7,8,7)
s("AT S1E3R", 6,7,8,0); s("AT S1E3W", 6,7,8,1)
for crm, sfx in ((1, "OS"), (3, "IS"), (7, "")):
    for op2, nm in ((0, "VMALLE1"), (1, "VAE1"), (2, "ASIDE1"), (3, "VAAE1"),
                    (5, "VALE1"), (7, "VAALE1")):
        s(f"TLBI {nm}{sfx}", 0,8,crm,op2)
    for op2, nm in ((0, "ALLE2"), (1, "VAE2"), (4, "ALLE1"), (5, "VALE2"),
                    (6, "VMALLS12E1")):
        s(f"TLBI {nm}{sfx}", 4,8,crm,op2)
    for op2, nm in ((0, "ALLE3"), (1, "VAE3"), (5, "VALE3")):
        s(f"TLBI {nm}{sfx}", 6,8,crm,op2)
s("TLBI IPAS2E1IS", 4,8,0,1); s("TLBI IPAS2LE1IS", 4,8,0,5)
s("TLBI IPAS2E1", 4,8,4,1); s("TLBI IPAS2LE1", 4,8,4,5)
s("TLBI IPAS2E1OS", 4,8,4,0); s("TLBI IPAS2LE1OS", 4,8,4,4)

def enc(e):
    _, op0, op1, crn, crm, op2 = e
    return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2

def row(e):
    return f"SR({e[1]}, {e[2]}, {e[3]:2}, {e[4]:2}, {e[5]}, \"{e[0]}\")"

def sys_row(e):
    # SYS instructions all have op0 == 1 (C5.3), so their rows omit it.
    assert e[1] == 1, e
    return f"SYS({e[2]}, {e[3]:2}, {e[4]:2}, {e[5]}, \"{e[0]}\")"

def emit(name, tab, fmt):
    tab = sorted(tab, key=enc)
    print(f"static const struct sysreg_ent {name}[] = {{")
    for e in tab:
        print(f"\t{fmt(e)},")
    print("};\n")

print("/* Generated by tools/gen-sysreg-table.py from its hand-written list")
print(" * (Arm ARM DDI 0487 D23, GIC IHI 0069 12, C5.3/C6.2). Sorted by")
print(" * encoding. Edit the script, not this file. */")
emit("sysreg_tab", R, row)
# Indices into sysreg_tab ordered by strcasecmp order (lower-case bytes),
# so sysreg_lookup is a binary search too.
byenc = sorted(R, key=enc)
order = sorted(range(len(byenc)), key=lambda i: byenc[i][0].lower().encode())
print("static const uint16_t sysreg_by_name[] = {")
for k in range(0, len(order), 10):
    print("\t" + " ".join(f"{i}," for i in order[k:k + 10]))
print("};\n")
emit("sysreg_sys_tab", S, sys_row)
