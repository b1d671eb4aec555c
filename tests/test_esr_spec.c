/*
 * One test per ESR_EL2 decoding rule that an earlier version of this
 * decoder got wrong, each with the Arm ARM text it follows (DDI 0487
 * M.a.a, D24.2.46 ESR_EL2). The layout test (test_esr_layout.c) checks
 * the same tables exhaustively against the extracted Arm ARM; these keep
 * the individual cases readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include "hvexit/esr.h"

static struct esr_decoded dec(uint64_t esr)
{
	struct esr_decoded d;

	assert_int_equal(esr_decode(esr, &d), 0);
	return d;
}

/* Value of the applicable field name, or -1 if none applies. */
static long field(const struct esr_decoded *d, const char *name)
{
	int i = esr_field_find(d, name);

	return i < 0 ? -1 : (long)esr_field_value(d, (unsigned)i);
}

static void text(const struct esr_decoded *d, char *buf, size_t n)
{
	assert_true(esr_format_text(d, buf, n) > 0);
}

/* DFSC/IFSC "0b100010 Granule Protection Fault on translation table walk
 * or hardware update of translation table, level -2. (FEAT_D128 is
 * implemented and FEAT_RME is implemented)". */
static void test_fsc_0x22(void **state)
{
	struct esr_decoded d = dec(0x92000022);

	(void)state;
	assert_true(d.has_fsc);
	assert_int_equal(d.fsc.type, FSC_GRANULE_PROTECTION_WALK);
	assert_int_equal(d.fsc.level, -2);
	d = dec(0x82000022);
	assert_int_equal(d.fsc.type, FSC_GRANULE_PROTECTION_WALK);
	assert_int_equal(d.fsc.level, -2);
	/* In the debug ISS encodings 0b100010 is "Debug exception". */
	d = dec(0xcb000022);
	assert_int_equal(d.fsc.type, FSC_DEBUG);
}

/* The IFSC table of "ISS encoding for an exception from an Instruction
 * Abort" lists no 0b010001 (Tag Check), 0b100001 (Alignment), 0b110100 or
 * 0b110101 (IMPLEMENTATION DEFINED): "All other values are reserved."
 * The DFSC table has them. */
static void test_ifsc_table(void **state)
{
	static const unsigned dabt_only[] = { 0x11, 0x21, 0x34, 0x35 };

	(void)state;
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(dabt_only); k++) {
		unsigned c = dabt_only[k];
		struct esr_decoded i = dec(0x82000000 | c), i2 = dec(0x86000000 | c);
		struct esr_decoded a = dec(0x92000000 | c);

		assert_int_equal(i.fsc.type, FSC_RESERVED);
		assert_int_equal(i2.fsc.type, FSC_RESERVED);
		assert_int_not_equal(a.fsc.type, FSC_RESERVED);
	}
	assert_int_equal(dec(0x92000011).fsc.type, FSC_TAG_CHECK);
	assert_int_equal(dec(0x92000034).fsc.type, FSC_IMPLEMENTATION_DEFINED);
}

/* "ISS2 encoding for an exception from an Instruction Abort": HDBSSF, bit
 * [11] (ESR bit 43) "When FEAT_HDBSS is implemented", DirtyBit, bit [5]
 * (ESR bit 37) "When FEAT_S2PIE is implemented". */
static void test_iabt_iss2(void **state)
{
	struct esr_decoded d = dec(UINT64_C(0x8008200000e));
	char buf[2048];

	(void)state;
	assert_int_equal(d.ec, ESR_EC_IABT_LOW);
	assert_int_equal(field(&d, "hdbssf"), 1);
	assert_int_equal(d.res0_bits, 0);
	d = dec(UINT64_C(0x200000000) << 4 | 0x8200000e);	/* bit 37 */
	assert_int_equal(field(&d, "dirtybit"), 1);
	assert_int_equal(d.res0_bits, 0);
	/* Bits [10:8] and [4:0] of the ISS2 are RES0. */
	d = dec(UINT64_C(0x71f) << 32 | 0x8200000e);
	assert_int_equal(d.res0_bits, UINT64_C(0x71f) << 32);
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "RES0 bits set 0x0000071f00000000"));
}

/* Data Abort bits [12:11]: "When (DFSC IN {0b00xxxx} || DFSC IN {0b10101x})
 * && !(DFSC IN {0b0000xx}): LST", "When IsFeatureImplemented(FEAT_RAS) &&
 * ((DFSC == 0b010000 || DFSC IN {0b01001x}) || DFSC IN {0b0101xx}): SET",
 * "Otherwise: Reserved, RES0". Instruction Abort: "SET, bits [12:11] When
 * FEAT_RAS is implemented and IFSC == 0b010000". */
static void test_set_lst(void **state)
{
	struct esr_decoded d = dec(0x92000806);
	char buf[2048];

	(void)state;
	assert_int_equal(field(&d, "lst"), 1);		/* 0b01: ST64BV */
	assert_int_equal(field(&d, "set"), -1);
	assert_int_equal(d.res0_bits, 0);
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "ST64BV"));
	assert_null(strstr(buf, "\n  set "));
	d = dec(0x92001010);
	assert_int_equal(field(&d, "set"), 2);		/* 0b10: UC */
	assert_int_equal(field(&d, "lst"), -1);
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "uncontainable (UC)"));
	for (unsigned c = 0; c < 64; c++) {
		d = dec(0x92001800 | c);
		bool lst = (c >= 0x04 && c <= 0x0f) || c == 0x2a || c == 0x2b;
		bool set = c == 0x10 || (c >= 0x12 && c <= 0x17);

		assert_int_equal(field(&d, "lst") >= 0, lst);
		assert_int_equal(field(&d, "set") >= 0, set);
		assert_int_equal(d.res0_bits != 0, !lst && !set);
		d = dec(0x82001800 | c);
		assert_int_equal(field(&d, "set") >= 0, c == 0x10);
	}
}

/* Fields that exist only under a condition are RES0 otherwise: one row
 * per check, the field's value (-1: it does not apply) and, where given,
 * the RES0 bits the decode reports. */
#define ANY_RES0 UINT64_MAX
static const struct cond_row {
	uint64_t esr;
	const char *field;	/* NULL: only the RES0 bits are checked */
	long value;
	uint64_t res0;		/* ANY_RES0: not checked */
} cond_rows[] = {
	/* SError: "IESB, bit [13] When FEAT_IESB is implemented and DFSC ==
	 * 0b010001", likewise ELS, WU, VFV, PFV, AET, EA, WnRV, WnR. */
	{ 0xbe002000, "iesb", -1, UINT64_C(1) << 13 },
	{ 0xbe002011, "iesb", 1, 0 },
	/* "WnR ... This bit is RES0 if ESR_EL2.WnRV== 0b0." */
	{ 0xbe000051, "wnr", -1, UINT64_C(1) << 6 },
	{ 0xbe0000d1, "wnr", 1, ANY_RES0 },
	/* IDS == 1: "Bits [23:0] of the ISS field holds IMPLEMENTATION DEFINED
	 * syndrome information" (and no DFSC, below). */
	{ 0xbf123456, "impdef", 0x123456, ANY_RES0 },
	{ 0xbf123456, "dfsc", -1, ANY_RES0 },
	/* Software Step: "If the ISV bit is set to 0, this bit [EX] is RES0". */
	{ 0xca000062, "ex", -1, UINT64_C(1) << 6 },
	{ 0xcb000062, "ex", 1, ANY_RES0 },
	/* Data Abort WU and PFV: "When ((ISV == '0') && ...) && ((DFSC ==
	 * 0b010000 || DFSC IN {0b01001x}) || DFSC IN {0b0101xx})". */
	{ 0x92034006, "wu", -1, UINT64_C(0x34000) },
	{ 0x92034006, "pfv", -1, ANY_RES0 },
	{ 0x92034015, "wu", 3, ANY_RES0 },
	{ 0x92034015, "pfv", 1, ANY_RES0 },
	/* Data Abort FnV: "valid only if the DFSC code is 0b010000. It is RES0
	 * for all other aborts." */
	{ 0x92000406, "fnv", -1, ANY_RES0 },
	{ 0x92000410, "fnv", 1, ANY_RES0 },
	/* ERET: "When the ERET field is 0, this bit [ERETA] is RES0."; WF*:
	 * "If TI[1] == 0, then this field [RV] is RES0." */
	{ 0x6a000001, NULL, 0, 1 },
	{ 0x6a000003, "ereta", 1, ANY_RES0 },
	{ 0x06000004, NULL, 0, 4 },
	{ 0x06000006, "rv", 1, ANY_RES0 },
};

static void test_conditional_fields(void **state)
{
	struct esr_decoded d;
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < HVX_ARRAY_SIZE(cond_rows); i++) {
		const struct cond_row *c = &cond_rows[i];

		d = dec(c->esr);
		if (c->field)
			assert_int_equal(field(&d, c->field), c->value);
		if (c->res0 != ANY_RES0)
			assert_int_equal(d.res0_bits, c->res0);
	}
	/* ... and say so. */
	d = dec(0xbe002000);
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "(iesb)"));
	assert_non_null(strstr(buf, "only when IDS == 0 and DFSC == 0b010001"));
	assert_false(dec(0xbf123456).has_fsc);
}

/* "FormatOption, bits [17:16] ... This field was previously presented as
 * two separate bits, WrongOption, bit[17] and OptionA, bit [16]";
 * 0b01/0b10 "Option A", 0b00/0b11 "Option B". */
static void test_mops_formatoption(void **state)
{
	struct esr_decoded d = dec(0x9e020000);
	char buf[2048];

	(void)state;
	assert_int_equal(field(&d, "formatoption"), 2);
	assert_int_equal(field(&d, "wrongoption"), -1);
	assert_int_equal(field(&d, "optiona"), -1);
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "Option A"));
}

/* The EC table of D24.2.46 has no 0x1B, 0x1E or 0x1F ("All other EC
 * values are reserved by Arm"): TSTART went with TME, the GPC exception
 * and the IMPLEMENTATION DEFINED exception to EL3 are ESR_EL3 classes. */
static void test_removed_classes(void **state)
{
	(void)state;
	for (unsigned ec = 0x1b; ec <= 0x1f; ec += ec == 0x1b ? 3 : 1) {
		struct esr_decoded d = dec((uint64_t)ec << 26 | 0x1ffffff);

		assert_true(d.reserved);
		assert_string_equal(esr_ec_name(ec), "RESERVED");
		assert_int_equal(d.nfields, 0);
		assert_int_equal(d.res0_bits, 0);	/* ISS of a reserved EC */
	}
}

/* SRT names the register: "The register number of the Wt/Xt/Rt operand of
 * the faulting instruction"; 0b11111 is the zero register. Register fields
 * read as x0..x30 and xzr|wzr. */
static void test_register_meaning(void **state)
{
	struct esr_decoded d = dec(0x93830046);	/* SRT 3 */
	char buf[2048];

	(void)state;
	assert_string_equal(esr_field_meaning(&d, (unsigned)esr_field_find(&d, "srt")), "x3");
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, " x3\n"));
	d = dec(0x939f0046);
	assert_string_equal(esr_field_meaning(&d, (unsigned)esr_field_find(&d, "srt")),
			    "xzr|wzr");
	d = dec(0x623a0021);		/* MRS X1, MPIDR_EL1 */
	assert_string_equal(esr_field_meaning(&d, (unsigned)esr_field_find(&d, "rt")), "x1");
}

/* Text output lists ISS2 fields only when set (JSON and the field API
 * keep them all). */
static void test_text_iss2(void **state)
{
	struct esr_decoded d = dec(0x93c08046);
	char buf[2048];

	(void)state;
	text(&d, buf, sizeof(buf));
	assert_null(strstr(buf, "hdbssf"));
	assert_null(strstr(buf, "xs "));
	assert_true(esr_field_find(&d, "hdbssf") >= 0);
	d = dec(UINT64_C(0x23) << 32 | 0x93c08046);	/* DirtyBit, Xs 3 */
	text(&d, buf, sizeof(buf));
	assert_non_null(strstr(buf, "dirtybit"));
	assert_non_null(strstr(buf, "\n  xs "));
	assert_null(strstr(buf, "hdbssf"));
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_fsc_0x22),
	cmocka_unit_test(test_ifsc_table),
	cmocka_unit_test(test_iabt_iss2),
	cmocka_unit_test(test_set_lst),
	cmocka_unit_test(test_conditional_fields),
	cmocka_unit_test(test_mops_formatoption),
	cmocka_unit_test(test_removed_classes),
	cmocka_unit_test(test_register_meaning),
	cmocka_unit_test(test_text_iss2))
