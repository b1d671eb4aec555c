/*
 * libFuzzer target for the ESR_EL2 decoder (Arm ARM D24.2.46).
 *
 * Input layout (little-endian): bytes [0,8) ESR, [8,16) FAR, [16,24)
 * HPFAR_EL2. Shorter inputs are zero-padded; bytes past 24 are ignored.
 *
 * Invariants checked (abort() on violation):
 *  - esr_decode never fails, the class name/description/encoding title are
 *    non-NULL;
 *  - every field lies inside [55:0], outside EC/IL; the fields that apply
 *    do not overlap and each value equals the raw bits it covers;
 *  - res0_bits holds exactly the set bits outside every applicable field
 *    (the ISS of an unallocated EC is not judged);
 *  - rebuilding from the decoded field values (esr_build) reproduces every
 *    bit an applicable field covers (and EC/IL), and decodes to the same
 *    applicable fields and values;
 *  - the text sheet is bounded: fits 4 KiB and reports -ENOSPC when short;
 *  - the data-abort fast path agrees with the generic decoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hvexit/esr.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define MAXF 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[24] = { 0 };
	struct esr_decoded d, d2;
	uint32_t vals[MAXF];
	uint64_t esr, defined, rebuilt, seen = 0;
	char buf[4096], small[16];
	int err;

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	esr = hvx_get_le(in, 8);	/* FAR/HPFAR (bytes 8-23): only the CLI uses them */
	CHECK(esr_decode(esr, &d) == 0);
	CHECK(esr_ec_name(d.ec) && esr_ec_desc(d.ec) && esr_fmt_title(d.fmt));
	CHECK(d.nfields <= MAXF);
	defined = hvx_mask(31, 25);
	for (unsigned i = 0; i < d.nfields; i++) {
		const struct esr_fdesc *f = &d.fields[i];
		uint64_t m = hvx_mask(f->hi, f->lo);

		CHECK(f->name && esr_field_meaning(&d, i) && f->hi >= f->lo && f->hi <= 55);
		CHECK(!(m & hvx_mask(31, 25)));
		vals[i] = esr_field_value(&d, i);
		if (!esr_field_applies(&d, i))
			continue;
		CHECK(!(seen & m));
		CHECK(vals[i] == hvx_bits(esr, f->hi, f->lo));
		seen |= m;
	}
	defined |= seen;
	if (d.reserved)
		defined |= hvx_mask(24, 0);
	CHECK(d.res0_bits == (esr & ~defined));
	rebuilt = esr_build(d.fmt, d.ec, d.il, vals, d.nfields, &err);
	CHECK(err == 0 && rebuilt == (esr & (seen | hvx_mask(31, 25))));
	CHECK(esr_decode(rebuilt, &d2) == 0 && d2.nfields == d.nfields);
	for (unsigned i = 0; i < d.nfields; i++) {
		CHECK(esr_field_applies(&d2, i) == esr_field_applies(&d, i));
		if (esr_field_applies(&d, i))
			CHECK(esr_field_value(&d2, i) == esr_field_value(&d, i));
	}
	CHECK(esr_format_text(&d, buf, sizeof(buf)) > 0);
	CHECK(esr_format_text(&d, small, sizeof(small)) == -ENOSPC);
	CHECK(strlen(small) < sizeof(small));
	if (d.ec == ESR_EC_DABT_LOW || d.ec == ESR_EC_DABT_CUR) {
		struct esr_dabt a;
		int isv = esr_field_find(&d, "isv"), srt = esr_field_find(&d, "srt");

		CHECK(esr_decode_dabt(esr, &a) == 0);
		CHECK(a.dfsc == d.fsc_code && isv >= 0 && a.isv == vals[isv]);
		CHECK(a.srt == (srt < 0 ? 0 : vals[srt]));
		CHECK(esr_build_dabt(&a) == (esr & ~d.res0_bits));
	}
	return 0;
}
