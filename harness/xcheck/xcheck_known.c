/*
 * Documented Capstone 4.0.2 limitations: every own-vs-Capstone
 * disagreement in the sweep must match one of these, or it is a bug
 * (in our decoder, to be fixed). Each entry says why it is Capstone's
 * limitation and not ours, with the Arm ARM reference that decides it.
 */
#include "hvexit/xcheck.h"

#include <string.h>

enum {
	K_V81, K_UNPRED, K_LDTR_SOFTFAIL,
};

const struct xcheck_known xcheck_known_list[] = {
	[K_V81] = { "cs4-no-v8.1+",
		"Capstone 4.0.2 decodes Armv8.0 only: LSE atomics (LDADD..SWP, CAS, CASP; "
		"FEAT_LSE), LDAPR/LDAPUR/STLUR (FEAT_LRCPC/LRCPC2), LDLAR/STLLR (FEAT_LOR), "
		"LDRAA/LDRAB (FEAT_PAuth), LD64B/ST64B (FEAT_LS64) come back as invalid "
		"(its AArch64 tables predate these extensions; arm64.h 4.0.2 has no "
		"ARM64_INS_LDADD/CAS/LDAPR...). Capstone 5's AArch64 module decodes them; "
		"llvm-mc 14 (--llvm-mc) agrees with our decode" },
	[K_UNPRED] = { "cs4-rejects-constrained-unpredictable",
		"Capstone rejects register overlaps that the Arm ARM makes CONSTRAINED "
		"UNPREDICTABLE (LDP Rt==Rt2, writeback Rn==Rt, STXR Rs==Rt/Rn; Arm ARM K1.2 / "
		"C6.2 pseudocode); we decode them and flag insn.unpredictable (emulation refuses)" },
	[K_LDTR_SOFTFAIL] = { "cs4-ldtr-rt-eq-rn",
		"LDTR*/STTR* with Rt == Rn: no writeback, so no CONSTRAINED UNPREDICTABLE case "
		"(Arm ARM C6.2 LDTR: wback = FALSE); LLVM's tables mark it SoftFail "
		"('potentially undefined', llvm-mc 14 still decodes it) and Capstone 4 turns "
		"SoftFail into invalid" },
};
const unsigned xcheck_known_count = sizeof(xcheck_known_list) / sizeof(xcheck_known_list[0]);

static bool is_v81(const struct insn *d)
{
	switch (d->cls) {
	case INSN_C_ATOMIC: case INSN_C_CAS: case INSN_C_CASP: case INSN_C_LDAPR:
	case INSN_C_RCPC_UNSCALED: case INSN_C_PAC: case INSN_C_LS64:
		return true;
	case INSN_C_ORDERED:
		return !hvx_bit(d->word, 15);	/* LDLAR/STLLR: o0 = 0 */
	default:
		return false;
	}
}

int xcheck_known_match(const struct insn *own, int own_rc,
		       const struct xcheck_csview *cs, const char *field)
{
	bool decodable = strcmp(field, "decodable") == 0;

	if (own_rc == 0 && decodable && !cs->decoded) {
		if (is_v81(own))
			return K_V81;
		if (own->unpredictable)
			return K_UNPRED;
		if (own->unpriv && own->rt == own->rn)
			return K_LDTR_SOFTFAIL;
	}
	return -1;
}
