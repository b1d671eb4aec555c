/*
 * Why our decoder and Capstone 4.0.2 disagree on a word: a named cause for
 * each documented limitation of Capstone 4 (the oracle), or NULL when no
 * cause explains the disagreement (then it is a bug, in our decoder or a
 * new limitation to document). Whether a named cause is accepted is not
 * decided here: the sweep reports every disagreement as a finding with
 * its cause as the cluster, and corpus/baselines/xcheck-capstone4.json
 * lists the accepted causes with the reason and the Arm ARM reference.
 */
#include <string.h>

#include "hvexit/xcheck.h"

/* Armv8.1 and later load/store classes that Capstone 4's AArch64 tables
 * predate (FEAT_LSE, FEAT_LRCPC/LRCPC2, FEAT_LOR, FEAT_PAuth, FEAT_LS64). */
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

const char *xcheck_disagreement_cause(const struct insn *own, int own_rc,
				      const struct xcheck_csview *cs, const char *field)
{
	if (own_rc != 0 || strcmp(field, "decodable") || cs->decoded)
		return NULL;
	if (is_v81(own))
		return "cs4-no-v8.1+";
	/* register overlaps the Arm ARM makes CONSTRAINED UNPREDICTABLE
	 * (K1.2, C6.2 pseudocode); we flag insn.unpredictable */
	if (own->unpredictable)
		return "cs4-rejects-constrained-unpredictable";
	/* LDTR/STTR with Rt == Rn: no writeback (C6.2 LDTR: wback = FALSE),
	 * which LLVM's tables mark SoftFail and Capstone 4 drops */
	if (own->unpriv && own->rt == own->rn)
		return "cs4-ldtr-rt-eq-rn";
	return NULL;
}
