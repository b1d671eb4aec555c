/*
 * Property tests for the generic ESR decoder (Arm ARM D24.2.46 ESR_EL2):
 *  - decode(build(x)) == x for every encoding's builder over random field
 *    values, for every field that applies to the value built, and for the
 *    typed builders (WFx, SYS64, imm16, data abort);
 *  - every EC x sampled ISS/ISS2/top bits decodes to a well-formed result:
 *    applicable fields inside bits [55:0], outside EC/IL, not overlapping,
 *    values equal to the raw bits; RES0 exactly the set bits no applicable
 *    field covers; the text sheet bounded;
 *  - the generic decoder and the data-abort fast path agree;
 *  - fault status codes decode and encode back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include "hvexit/esr.h"
#include "tests/esr_dabt_members.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13; x ^= x >> 7; x ^= x << 17;
	return rng_state = x;
}

#define MAXF 32

static void roundtrip_one(unsigned ec, enum esr_fmt fmt)
{
	unsigned n;
	const struct esr_fdesc *f = esr_fmt_fields(fmt, &n);

	assert_true(n <= MAXF);
	for (int it = 0; it < 2000; it++) {
		uint32_t v[MAXF];
		struct esr_decoded d;
		bool il = rnd() & 1;
		int err;

		for (unsigned i = 0; i < n; i++)
			v[i] = (uint32_t)(rnd() & hvx_mask(f[i].hi - f[i].lo, 0));
		uint64_t esr = esr_build(fmt, ec, il, v, n, &err);
		assert_int_equal(err, 0);
		esr_decode(esr, &d);
		assert_int_equal(d.ec, ec);
		assert_int_equal(d.il, il);
		assert_int_equal(d.fmt, fmt);
		assert_int_equal(d.nfields, n);
		assert_int_equal(d.res0_bits, 0);
		for (unsigned i = 0; i < n; i++)
			if (esr_field_applies(&d, i))
				assert_int_equal(esr_field_value(&d, i), v[i]);
	}
}

static void test_roundtrip_every_format(void **state)
{
	(void)state;
	for (unsigned ec = 0; ec < 64; ec++)
		if (esr_ec_fmt(ec) != ESR_FMT_RESERVED)
			roundtrip_one(ec, esr_ec_fmt(ec));
}

static void test_build_count_mismatch(void **state)
{
	uint32_t v[2] = { 1, 2 };
	int err = 0;

	(void)state;
	esr_build(ESR_FMT_SYS64, ESR_EC_SYS64, true, v, 2, &err);
	assert_int_equal(err, -EINVAL);
	esr_build(ESR_FMT_COUNT, 0, true, v, 0, &err);
	assert_int_equal(err, -EINVAL);
}

static void test_typed_builders(void **state)
{
	(void)state;
	for (int it = 0; it < 2000; it++) {
		struct esr_wfx w = { rnd() & 1, rnd() & 15, rnd() & 31, rnd() & 1, rnd() & 3 }, w2;
		struct esr_sys64 s = { rnd() & 3, rnd() & 7, rnd() & 7, rnd() & 15,
				       rnd() & 31, rnd() & 15, rnd() & 1 }, s2;
		uint16_t imm = (uint16_t)rnd(), imm2;
		struct esr_dabt a = { .ec = ESR_EC_DABT_LOW, .isv = 1, .sas = rnd() & 3,
				      .srt = rnd() & 31, .wnr = rnd() & 1, .dfsc = rnd() & 63 }, a2;
		struct esr_decoded d;

		/* RV is RES0 unless TI[1] == 1 (WFIT/WFET). */
		if (!(w.ti & 2))
			w.rv = false;
		assert_int_equal(esr_decode_wfx(esr_build_wfx(&w), &w2), 0);
		assert_memory_equal(&w, &w2, sizeof(w));
		assert_int_equal(esr_decode_sys64(esr_build_sys64(&s), &s2), 0);
		assert_memory_equal(&s, &s2, sizeof(s));
		assert_int_equal(esr_decode_imm16(esr_build_imm16(ESR_EC_HVC64, imm), &imm2), 0);
		assert_int_equal(imm, imm2);
		/* The generic decoder agrees with the data abort fast path. */
		esr_decode(esr_build_dabt(&a), &d);
		assert_int_equal(esr_decode_dabt(d.esr, &a2), 0);
		assert_int_equal(esr_field_value(&d, (unsigned)esr_field_find(&d, "sas")), a2.sas);
		assert_int_equal(esr_field_value(&d, (unsigned)esr_field_find(&d, "srt")), a2.srt);
		assert_int_equal(d.fsc_code, a2.dfsc);
	}
	/* Wrong class: typed decoders refuse. */
	struct esr_wfx w;
	uint16_t imm;
	assert_int_equal(esr_decode_wfx(UINT64_C(0x5a000000), &w), -EINVAL);
	assert_int_equal(esr_decode_imm16(UINT64_C(0x92000000), &imm), -EINVAL);
}

/* The data abort fast path reads, for every member, what the generic
 * decoder reads for the field of that name when it applies, and 0 when it
 * does not. */
static void check_dabt_agrees(const struct esr_decoded *d)
{
	struct esr_dabt a;

	assert_int_equal(esr_decode_dabt(d->esr, &a), 0);
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(dabt_members); k++) {
		const struct dabt_member *m = &dabt_members[k];
		int i = esr_field_find(d, m->name);
		unsigned want = i < 0 ? 0 : esr_field_value(d, (unsigned)i);

		if (m->get(&a) != want)
			fail_msg("0x%llx: %s fast %u generic %u", (unsigned long long)d->esr,
				 m->name, m->get(&a), want);
	}
}

static void check_wellformed(uint64_t esr)
{
	struct esr_decoded d;
	uint64_t seen = 0, defined = hvx_mask(31, 25);
	char buf[4096];

	assert_int_equal(esr_decode(esr, &d), 0);
	assert_non_null(esr_ec_name(d.ec));
	assert_non_null(esr_ec_desc(d.ec));
	assert_non_null(esr_fmt_title(d.fmt));
	assert_int_equal(d.ec, esr_ec(esr));
	assert_int_equal(d.reserved, d.fmt == ESR_FMT_RESERVED);
	for (unsigned i = 0; i < d.nfields; i++) {
		const struct esr_fdesc *f = &d.fields[i];
		uint64_t m;

		assert_non_null(f->name);
		assert_non_null(esr_field_meaning(&d, i));
		assert_true(f->hi >= f->lo && f->hi <= 55);
		assert_false(f->hi >= 25 && f->lo <= 31); /* not in EC/IL */
		if (!esr_field_applies(&d, i))
			continue;
		m = hvx_mask(f->hi, f->lo);
		assert_int_equal(seen & m, 0);
		seen |= m;
		assert_int_equal(esr_field_value(&d, i), hvx_bits(esr, f->hi, f->lo));
	}
	defined |= seen;
	if (d.reserved)		/* the ISS of an unallocated EC is not judged */
		defined |= hvx_mask(24, 0);
	assert_int_equal(d.res0_bits, esr & ~defined);
	if (d.has_fsc) {
		struct fsc_info fi;

		assert_true(d.fsc_code <= 63);
		assert_int_equal(d.fsc_code, esr & 0x3f);
		assert_int_equal(fsc_decode_kind(esr_fmt_fsc_kind(d.fmt), d.fsc_code, &fi), 0);
		assert_int_equal(fi.type, d.fsc.type);
		assert_int_equal(fi.level, d.fsc.level);
	} else {
		assert_int_equal(d.fsc.type, FSC_RESERVED);
	}
	if (d.ec == ESR_EC_DABT_LOW || d.ec == ESR_EC_DABT_CUR)
		check_dabt_agrees(&d);
	assert_true(esr_format_text(&d, buf, sizeof(buf)) > 0);
	assert_true(strlen(buf) < sizeof(buf));
	assert_int_equal(esr_format_text(&d, buf, 8), -ENOSPC);
	assert_true(strlen(buf) < 8);
}

static void test_every_ec_sampled(void **state)
{
	(void)state;
	for (unsigned ec = 0; ec < 64; ec++) {
		check_wellformed((uint64_t)ec << 26);
		check_wellformed((uint64_t)ec << 26 | ESR_ISS_MASK | ~UINT64_C(0) << 32);
		for (int it = 0; it < 4000; it++)
			check_wellformed((rnd() & ~hvx_mask(31, 26)) | (uint64_t)ec << 26);
	}
}

static void test_fsc_encode_decode(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 64; c++) {
		struct fsc_info fi;
		assert_int_equal(fsc_decode(c, &fi), 0);
		assert_non_null(fsc_type_name(fi.type));
		if (fi.type != FSC_RESERVED && fi.type != FSC_IMPLEMENTATION_DEFINED)
			assert_int_equal(fsc_encode(fi.type, fi.level), (int)c);
		/* Every Instruction Abort code is a Data Abort code too. */
		struct fsc_info ii;
		assert_int_equal(fsc_decode_kind(FSC_KIND_IABT, c, &ii), 0);
		if (ii.type != FSC_RESERVED) {
			assert_int_equal(ii.type, fi.type);
			assert_int_equal(ii.level, fi.level);
		}
		assert_int_equal(fsc_decode_kind(FSC_KIND_NONE, c, &ii), 0);
		assert_int_equal(ii.type, FSC_RESERVED);
		assert_int_equal(ii.level, FSC_NO_LEVEL);
	}
	struct fsc_info fi;
	assert_int_equal(fsc_decode(64, &fi), -EINVAL);
	assert_int_equal(fsc_decode_kind(FSC_KIND_COUNT, 0, &fi), -EINVAL);
	assert_int_equal(fsc_encode(FSC_TRANSLATION, 7), -EINVAL);
	assert_int_equal(fsc_encode(FSC_RESERVED, FSC_NO_LEVEL), -EINVAL);
	/* D24.2.46 DFSC: LPA2 level -1 and D128 level -2 codes. */
	assert_int_equal(fsc_encode(FSC_ADDRESS_SIZE, -1), 0x29);
	assert_int_equal(fsc_encode(FSC_TRANSLATION, -1), 0x2B);
	assert_int_equal(fsc_encode(FSC_SYNC_EXTERNAL_WALK, -1), 0x13);
	assert_int_equal(fsc_encode(FSC_GRANULE_PROTECTION_WALK, -2), 0x22);
	assert_int_equal(fsc_encode(FSC_DEBUG, FSC_NO_LEVEL), 0x22);
	assert_int_equal(fsc_encode(FSC_ASYNC_SERROR, FSC_NO_LEVEL), 0x11);
	assert_int_equal(fsc_encode(FSC_UNCATEGORIZED, FSC_NO_LEVEL), 0x00);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_roundtrip_every_format),
	cmocka_unit_test(test_build_count_mismatch),
	cmocka_unit_test(test_typed_builders),
	cmocka_unit_test(test_every_ec_sampled),
	cmocka_unit_test(test_fsc_encode_decode))
