/*
 * Property tests for the generic ESR decoder (Arm ARM D24.2.40):
 *  - decode(build(x)) == x for every format's builder over random fields,
 *    and for the typed builders (WFx, SYS64, imm16);
 *  - every EC x sampled ISS/ISS2/top bits decodes to a well-formed result:
 *    fields within their widths, inside bits [55:0], non-overlapping,
 *    names non-NULL, values equal to the raw bits, text sheet bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hvexit/esr.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13; x ^= x >> 7; x ^= x << 17;
	return rng_state = x;
}

/* Variant formats and the selector (field index 0) value that picks each
 * (D24.2.40: Data Abort ISV, GCS ExType, SError IDS). */
static const struct { enum esr_fmt base, fmt; uint32_t sel; } variants[] = {
	{ ESR_FMT_DABT_ISV, ESR_FMT_DABT_ISV, 1 },
	{ ESR_FMT_DABT_ISV, ESR_FMT_DABT_NOISV, 0 },
	{ ESR_FMT_GCS, ESR_FMT_GCS, 0 },
	{ ESR_FMT_GCS, ESR_FMT_GCS_STR, 2 },
	{ ESR_FMT_GCS, ESR_FMT_GCS_OTHER, 1 },
	{ ESR_FMT_SERROR, ESR_FMT_SERROR, 0 },
	{ ESR_FMT_SERROR, ESR_FMT_SERROR_IMPDEF, 1 },
};

static void roundtrip_one(unsigned ec, enum esr_fmt fmt, bool force,
			  uint32_t sel)
{
	for (int it = 0; it < 300; it++) {
		uint32_t v[ESR_MAX_FIELDS];
		unsigned n = esr_fmt_nfields(fmt);
		struct esr_decoded d;
		bool il = rnd() & 1;
		int err;

		for (unsigned i = 0; i < n; i++) {
			const char *name; unsigned hi, lo;
			assert_int_equal(esr_fmt_field(fmt, i, &name, &hi, &lo), 0);
			v[i] = (uint32_t)(rnd() & hvx_mask(hi - lo, 0));
		}
		if (force)
			v[0] = sel;
		uint64_t esr = esr_build(fmt, ec, il, v, n, &err);
		assert_int_equal(err, 0);
		esr_decode(esr, &d);
		assert_int_equal(d.ec, ec);
		assert_int_equal(d.il, il);
		assert_int_equal(d.fmt, fmt);
		assert_int_equal(d.nfields, n);
		assert_int_equal(d.res0_bits, 0);
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(d.fields[i].value, v[i]);
	}
}

static void test_roundtrip_every_format(void **state)
{
	(void)state;
	for (unsigned ec = 0; ec < 64; ec++) {
		enum esr_fmt fmt = esr_ec_fmt(ec);
		bool variant = false;

		for (unsigned k = 0; k < HVX_ARRAY_SIZE(variants); k++)
			if (variants[k].base == fmt) {
				variant = true;
				roundtrip_one(ec, variants[k].fmt, true,
					      variants[k].sel);
			}
		if (!variant && strcmp(esr_ec_name(ec), "RESERVED"))
			roundtrip_one(ec, fmt, false, 0);
	}
}

static void test_build_count_mismatch(void **state)
{
	uint32_t v[2] = { 1, 2 };
	int err = 0;

	(void)state;
	esr_build(ESR_FMT_SYS64, ESR_EC_SYS64, true, v, 2, &err);
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

		assert_int_equal(esr_decode_wfx(esr_build_wfx(&w), &w2), 0);
		assert_memory_equal(&w, &w2, sizeof(w));
		assert_int_equal(esr_decode_sys64(esr_build_sys64(&s), &s2), 0);
		assert_memory_equal(&s, &s2, sizeof(s));
		assert_int_equal(esr_decode_imm16(esr_build_imm16(ESR_EC_HVC64, imm), &imm2), 0);
		assert_int_equal(imm, imm2);
		/* The generic decoder agrees with the contract dabt decoder. */
		esr_decode(esr_build_dabt(&a), &d);
		assert_int_equal(esr_decode_dabt(d.esr, &a2), 0);
		assert_int_equal(d.fields[1].value, a2.sas);
		assert_int_equal(d.fields[3].value, a2.srt);
		assert_int_equal(d.fsc_code, a2.dfsc);
	}
	/* Wrong class: typed decoders refuse. */
	struct esr_wfx w;
	assert_int_equal(esr_decode_wfx(UINT64_C(0x5a000000), &w), -EINVAL);
}

static void check_wellformed(uint64_t esr)
{
	struct esr_decoded d;
	uint64_t seen = 0;
	char buf[4096];

	assert_int_equal(esr_decode(esr, &d), 0);
	assert_non_null(d.ec_name);
	assert_non_null(d.ec_desc);
	assert_non_null(d.ref);
	assert_true(d.nfields <= ESR_MAX_FIELDS);
	assert_int_equal(d.res0_top, esr >> 56);
	for (unsigned i = 0; i < d.nfields; i++) {
		const struct esr_field *f = &d.fields[i];
		uint64_t m;

		assert_non_null(f->name);
		assert_non_null(f->meaning);
		assert_true(f->hi >= f->lo && f->hi <= 55);
		assert_false(f->hi >= 25 && f->lo <= 31); /* not in EC/IL */
		m = hvx_mask(f->hi, f->lo);
		assert_int_equal(seen & m, 0);
		seen |= m;
		assert_int_equal(f->value, hvx_bits(esr, f->hi, f->lo));
	}
	if (d.has_fsc)
		assert_true(d.fsc_code <= 63);
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
	}
	struct fsc_info fi;
	assert_int_equal(fsc_decode(64, &fi), -EINVAL);
	assert_int_equal(fsc_encode(FSC_TRANSLATION, 7), -EINVAL);
	/* D24.2.40 DFSC: LPA2 level -1 codes. */
	assert_int_equal(fsc_encode(FSC_ADDRESS_SIZE, -1), 0x29);
	assert_int_equal(fsc_encode(FSC_TRANSLATION, -1), 0x2B);
	assert_int_equal(fsc_encode(FSC_SYNC_EXTERNAL_WALK, -1), 0x13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_every_format),
		cmocka_unit_test(test_build_count_mismatch),
		cmocka_unit_test(test_typed_builders),
		cmocka_unit_test(test_every_ec_sampled),
		cmocka_unit_test(test_fsc_encode_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
