/*
 * libFuzzer target for the ESR_EL2 decoder (Arm ARM D24.2.40).
 *
 * Input layout (little-endian): bytes [0,8) ESR, [8,16) FAR, [16,24)
 * HPFAR_EL2. Shorter inputs are zero-padded; bytes past 24 are ignored.
 *
 * Invariants checked (abort() on violation):
 *  - esr_decode never fails, the EC name/ref are non-NULL;
 *  - fields lie inside [55:0], outside EC/IL, do not overlap, and each value
 *    equals the raw bits it covers;
 *  - rebuilding from the decoded fields (esr_build) reproduces every bit the
 *    format defines (and EC/IL), and decodes to the same field values;
 *  - the text sheet is bounded: fits 4 KiB and reports -ENOSPC when short;
 *  - the data-abort contract decoder agrees with the generic one;
 *  - res0_bits holds exactly the set bits outside every field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hvexit/esr.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[24] = { 0 };
	struct esr_decoded d, d2;
	uint32_t vals[ESR_MAX_FIELDS];
	uint64_t esr, defined, rebuilt, seen = 0;
	char buf[4096], small[16];
	int err;

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	esr = hvx_get_le(in, 8);	/* FAR/HPFAR (bytes 8-23): only the CLI uses them */
	CHECK(esr_decode(esr, &d) == 0);
	CHECK(d.ec_name && d.ref && d.ec_desc && d.nfields <= ESR_MAX_FIELDS);
	defined = hvx_mask(31, 25);
	for (unsigned i = 0; i < d.nfields; i++) {
		const struct esr_field *f = &d.fields[i];
		uint64_t m = hvx_mask(f->hi, f->lo);

		CHECK(f->name && f->meaning && f->hi >= f->lo && f->hi <= 55);
		CHECK(!(m & hvx_mask(31, 25)) && !(seen & m));
		CHECK(f->value == hvx_bits(esr, f->hi, f->lo));
		seen |= m;
		vals[i] = f->value;
	}
	defined |= seen;
	/* RES0 report: exactly the set bits no field covers (the ISS of an
	 * unallocated EC is not judged). */
	CHECK(!(d.res0_bits & defined) &&
	      (d.res0_bits | (esr & defined) | (d.reserved ? esr & hvx_mask(24, 0) : 0)) == esr);
	CHECK(d.fmt == esr_fmt_select(esr));
	rebuilt = esr_build(d.fmt, d.ec, d.il, vals, d.nfields, &err);
	CHECK(err == 0 && rebuilt == (esr & defined));
	CHECK(esr_decode(rebuilt, &d2) == 0 && d2.nfields == d.nfields);
	for (unsigned i = 0; i < d.nfields; i++)
		CHECK(d2.fields[i].value == d.fields[i].value);
	CHECK(esr_format_text(&d, buf, sizeof(buf)) > 0);
	CHECK(esr_format_text(&d, small, sizeof(small)) == -ENOSPC);
	CHECK(strlen(small) < sizeof(small));
	if (d.ec == ESR_EC_DABT_LOW || d.ec == ESR_EC_DABT_CUR) {
		struct esr_dabt a;
		CHECK(esr_decode_dabt(esr, &a) == 0);
		CHECK(a.dfsc == d.fsc_code && a.isv == d.fields[0].value);
	}
	return 0;
}
