/*
 * Data abort ISS build/decode (Arm ARM D24.2.46 ESR_EL2, "ISS encoding for
 * an exception from a Data Abort" and its ISS2 encoding): known values,
 * where every member of struct esr_dabt sits, which members apply to which
 * values, and the round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/esr.h"
#include "tests/esr_dabt_members.h"

/* From the KVM-under-QEMU note: a 64-bit store of x0 to MMIO,
 * kvm_guest_fault hsr 0x93c08046 -> EC 0x24, IL, ISV, SAS 3, SRT 0, SF,
 * WnR, DFSC 0x06 (translation fault, level 2). */
static void test_known_value(void **state)
{
	struct esr_dabt d;

	(void)state;
	assert_int_equal(esr_decode_dabt(0x93c08046, &d), 0);
	assert_int_equal(d.ec, ESR_EC_DABT_LOW);
	assert_true(d.il);
	assert_true(d.isv);
	assert_int_equal(d.sas, 3);
	assert_false(d.sse);
	assert_int_equal(d.srt, 0);
	assert_true(d.sf);
	assert_false(d.ar);
	assert_true(d.wnr);
	assert_int_equal(d.dfsc, 0x06);
	assert_int_equal(esr_build_dabt(&d), 0x93c08046);
}

static void test_not_dabt(void **state)
{
	struct esr_dabt d;

	(void)state;
	assert_int_equal(esr_decode_dabt(0x5a00000a, &d), -EINVAL);
}

/* Every member reads exactly its own ESR bits: members are bit-fields
 * laid out at their ESR positions (esr.h). A value with one field's bits
 * set (and the selector values that make it apply) reads all-ones in that
 * member and zero in every member whose bits are clear. */
#define ISV (UINT64_C(1) << 24)
static uint64_t selectors_for(const char *name)
{
	static const struct { const char *name; uint64_t with; } sel[] = {
		{ "sas", ISV }, { "sse", ISV }, { "srt", ISV }, { "sf", ISV },
		{ "ar", ISV }, { "wu", 0x10 }, { "pfv", 0x10 }, { "set", 0x10 },
		{ "fnv", 0x10 }, { "lst", 0x07 },
	};

	for (unsigned k = 0; k < HVX_ARRAY_SIZE(sel); k++)
		if (!strcmp(sel[k].name, name))
			return sel[k].with;
	return 0;
}

static void test_member_positions(void **state)
{
	const uint64_t base = (uint64_t)ESR_EC_DABT_CUR << 26 | ESR_IL;

	(void)state;
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(dabt_members); k++) {
		const struct dabt_member *m = &dabt_members[k];
		uint64_t esr = base | selectors_for(m->name) | hvx_mask(m->hi, m->lo);
		struct esr_dabt d;

		assert_int_equal(esr_decode_dabt(esr, &d), 0);
		if (m->get(&d) != hvx_mask(m->hi - m->lo, 0))
			fail_msg("%s: read %u from bits [%u:%u]", m->name, m->get(&d),
				 m->hi, m->lo);
		for (unsigned o = 0; o < HVX_ARRAY_SIZE(dabt_members); o++) {
			const struct dabt_member *n = &dabt_members[o];

			if (!(hvx_mask(n->hi, n->lo) & esr) && n->get(&d))
				fail_msg("%s set: %s reads %u", m->name, n->name, n->get(&d));
		}
		assert_int_equal(esr_build_dabt(&d), esr);
	}
	/* The header members. */
	struct esr_dabt h;
	assert_int_equal(esr_decode_dabt(base, &h), 0);
	assert_int_equal(h.il, 1);
	assert_int_equal(h.ec, ESR_EC_DABT_CUR);
}

/* Members that do not apply read 0 (D24.2.46 Data Abort ISS). */
static void test_conditional_members(void **state)
{
	struct esr_dabt d;

	(void)state;
	/* "Bits [12:11]: When (DFSC IN {0b00xxxx} || DFSC IN {0b10101x}) &&
	 * !(DFSC IN {0b0000xx}): LST" -- 0x92000806: ISV=0, [12:11] = 0b01,
	 * DFSC 0x06: LST 0b01 "An ST64BV instruction generated the Data
	 * Abort", not SET. */
	assert_int_equal(esr_decode_dabt(0x92000806, &d), 0);
	assert_int_equal(d.lst, 1);
	assert_int_equal(d.set, 0);
	/* "When IsFeatureImplemented(FEAT_RAS) && ((DFSC == 0b010000 || DFSC
	 * IN {0b01001x}) || DFSC IN {0b0101xx}): SET" */
	for (unsigned c = 0x12; c <= 0x17; c++) {
		assert_int_equal(esr_decode_dabt(0x92001000 | c, &d), 0);
		assert_int_equal(d.set, 2);
		assert_int_equal(d.lst, 0);
	}
	/* Neither for an alignment fault (0x21) or address size fault (0x00):
	 * "Otherwise: Reserved, RES0". */
	assert_int_equal(esr_decode_dabt(0x92001821, &d), 0);
	assert_int_equal(d.set | d.lst, 0);
	assert_int_equal(esr_decode_dabt(0x92001800, &d), 0);
	assert_int_equal(d.set | d.lst, 0);
	/* 0x2A/0x2B (level -2/-1 translation faults) are LST codes. */
	assert_int_equal(esr_decode_dabt(0x9200182b, &d), 0);
	assert_int_equal(d.lst, 3);
	/* FnV: "This field is valid only if the DFSC code is 0b010000. It is
	 * RES0 for all other aborts." */
	assert_int_equal(esr_decode_dabt(0x92000410, &d), 0);
	assert_int_equal(d.fnv, 1);
	assert_int_equal(esr_decode_dabt(0x92000414, &d), 0);
	assert_int_equal(d.fnv, 0);
	/* WU and PFV: "When ((ISV == '0') && ...) && ((DFSC == 0b010000 ||
	 * DFSC IN {0b01001x}) || DFSC IN {0b0101xx})". */
	assert_int_equal(esr_decode_dabt(0x92034010, &d), 0);
	assert_int_equal(d.wu, 3);
	assert_int_equal(d.pfv, 1);
	assert_int_equal(esr_decode_dabt(0x92034006, &d), 0);
	assert_int_equal(d.wu, 0);
	assert_int_equal(d.pfv, 0);
	/* ISV=1: bits [20:16] are SRT, bit 14 AR, whatever the DFSC. */
	assert_int_equal(esr_decode_dabt(0x93034010, &d), 0);
	assert_int_equal(d.srt, 3);
	assert_int_equal(d.ar, 1);
	assert_int_equal(d.wu | d.pfv | d.fnp | d.toplevel, 0);
}

static void test_roundtrip(void **state)
{
	uint64_t x = 0x243f6a8885a308d3;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		struct esr_dabt d, e;

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		uint64_t esr = (x & UINT64_C(0x00ffffff03ffffff)) |
			       hvx_field(x & 1 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR, 31, 26);
		struct esr_decoded g;

		assert_int_equal(esr_decode_dabt(esr, &d), 0);
		/* The builder keeps exactly the bits the generic decoder says
		 * an applicable field covers. */
		esr_decode(esr, &g);
		uint64_t back = esr_build_dabt(&d);
		assert_int_equal(back, esr & ~g.res0_bits);
		assert_int_equal(esr_decode_dabt(back, &e), 0);
		assert_memory_equal(&d, &e, sizeof(d));
	}
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_known_value),
	cmocka_unit_test(test_not_dabt),
	cmocka_unit_test(test_member_positions),
	cmocka_unit_test(test_conditional_members),
	cmocka_unit_test(test_roundtrip))
