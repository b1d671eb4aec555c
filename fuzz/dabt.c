/*
 * Fuzz target for xcheck_dabt(): 8 bytes ESR + 4 bytes instruction word
 * (little-endian, zero-padded). Byte 12 (optional) bit 0 forces EC to a
 * data abort from a lower EL and bit 1 rebuilds the ISS from our own
 * decoder's claim. Invariants:
 *   - non-data-abort ESR -> -EINVAL; otherwise 0;
 *   - ISV=0 -> XCHECK_ISV0 with no diff;
 *   - CONSISTENT <-> ndiff == 0 (for ISV=1 with a known instruction);
 *   - every diff really differs from at least one decoder's value;
 *   - an ESR built from our own ISS claim never disagrees with our own
 *     decoder (a diff may only come from Capstone).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/esr.h"
#include "hvexit/insn.h"
#include "hvexit/xcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[13] = { 0 };
	uint64_t esr;
	uint32_t w;
	struct xcheck_result r;
	struct esr_dabt e;
	struct insn d;
	unsigned i;
	bool own_claim = false;
	int rc;

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	esr = hvx_get_le(in, 8);
	w = (uint32_t)hvx_get_le(in + 8, 4);
	if (in[12] & 1)
		esr = (esr & ~(UINT64_C(0x3f) << 26)) | ((uint64_t)ESR_EC_DABT_LOW << 26);
	if ((in[12] & 2) && esr_decode_dabt(esr, &e) == 0 && insn_decode(w, &d) == 0 &&
	    d.isv_possible) {
		e.isv = true;
		e.sas = d.iss.sas;
		e.sse = d.iss.sse;
		e.srt = d.iss.srt;
		e.sf = d.iss.sf;
		e.ar = d.iss.ar;
		e.wnr = d.iss.wnr;
		e.lst = d.iss.lst;
		/* LST is reported only with a Translation, Access flag or
		 * Permission fault (D24.2.46, Data Abort ISS [12:11]). */
		if (e.lst)
			e.dfsc = 0x07;
		esr = esr_build_dabt(&e);
		own_claim = true;
	}
	rc = xcheck_dabt(w, esr, &r);
	if (rc == -ENODEV)
		return 0;
	if (esr_decode_dabt(esr, &e) != 0) {
		if (rc != -EINVAL)
			abort();
		return 0;
	}
	if (rc != 0)
		abort();
	if (!e.isv && (r.status != XCHECK_ISV0 || r.ndiff))
		abort();
	if (r.status == XCHECK_CONSISTENT && r.ndiff)
		abort();
	if (r.status == XCHECK_MISMATCH && !r.ndiff)
		abort();
	if (r.ndiff > XF_COUNT)
		abort();
	for (i = 0; i < r.ndiff; i++) {
		const struct xcheck_diff *x = &r.diff[i];

		if ((x->own < 0 || x->own == x->iss) && (x->cs < 0 || x->cs == x->iss))
			abort();
		if (own_claim && x->own >= 0 && x->own != x->iss)
			abort();
	}
	return 0;
}
