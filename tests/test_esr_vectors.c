/*
 * Data-driven checks of the ESR_EL2 vector files:
 *  - corpus/vectors/esr.tsv: every row's EC, EC name, exact set of
 *    applicable fields and their values, and FSC type/level. The rows are
 *    composed by tests/vectors/gen_esr.py from the Arm ARM D24.2.46
 *    layouts, not by this decoder.
 *  - corpus/vectors/esr_sourced.tsv: ESR_EL2 values whose expected fields
 *    come from a source independent of our tables (real KVM captures with
 *    KVM's own len/write decode, Linux oops dumps and asm/esr.h constants,
 *    QEMU target/arm/syndrome.h constructors). Each row names a subset of
 *    fields; every named field must decode to the stated value, and the FSC
 *    and system-register name when given. Those real/constructed values
 *    leave no RES0 bit set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include "tests/tsv.h"
#include "hvexit/esr.h"
#include "hvexit/sysreg.h"

#define VEC_PATH     "corpus/vectors/esr.tsv"
#define SOURCED_PATH "corpus/vectors/esr_sourced.tsv"
#define NCOLS 6

static unsigned applicable_fields(const struct esr_decoded *d)
{
	unsigned n = 0;

	for (unsigned i = 0; i < d->nfields; i++)
		n += esr_field_applies(d, i);
	return n;
}

/* fields: "name=value,..." or "-" for none. exact: the list must name
 * every applicable field (esr.tsv); otherwise it is a subset (sourced). */
static void check_fields(const struct esr_decoded *d, char *fields, bool exact,
			 int line)
{
	unsigned n = 0;

	if (strcmp(fields, "-")) {
		for (char *sv, *tok = strtok_r(fields, ",", &sv); tok;
		     tok = strtok_r(NULL, ",", &sv)) {
			char *eq = strchr(tok, '=');
			int f;

			assert_non_null(eq);
			*eq = '\0';
			f = esr_field_find(d, tok);
			if (f < 0)
				fail_msg("line %d: field %s missing", line, tok);
			if (esr_field_value(d, (unsigned)f) != strtoul(eq + 1, NULL, 0))
				fail_msg("line %d: %s=%u want %s", line, tok,
					 esr_field_value(d, (unsigned)f), eq + 1);
			n++;
		}
	}
	if (exact && n != applicable_fields(d))
		fail_msg("line %d: %u fields decoded, %u expected", line,
			 applicable_fields(d), n);
}

/* fsc: "code:type:level" (level "-" = none), "-" = no FSC, "*" = not checked. */
static void check_fsc(const struct esr_decoded *d, const char *fsc, int line)
{
	char type[64], lvl[8];
	unsigned code;

	if (!strcmp(fsc, "*"))
		return;
	if (!strcmp(fsc, "-")) {
		assert_false(d->has_fsc);
		return;
	}
	assert_int_equal(sscanf(fsc, "%u:%63[^:]:%7s", &code, type, lvl), 3);
	if (!d->has_fsc || d->fsc_code != code)
		fail_msg("line %d: fsc code", line);
	if (strcmp(fsc_type_name(d->fsc.type), type))
		fail_msg("line %d: fsc type %s want %s", line,
			 fsc_type_name(d->fsc.type), type);
	if (!strcmp(lvl, "-"))
		assert_int_equal(d->fsc.level, FSC_NO_LEVEL);
	else if (d->fsc.level != atoi(lvl))
		fail_msg("line %d: fsc level %d want %s", line, d->fsc.level, lvl);
}

/* esr.tsv: esr, ec, ec_name, fields (exact), fsc, reference */
static void check_vector_row(char **col, int line, void *arg)
{
	struct esr_decoded d;

	(void)arg;
	assert_int_equal(esr_decode(strtoull(col[0], NULL, 0), &d), 0);
	if (d.ec != strtoul(col[1], NULL, 0))
		fail_msg("line %d: ec", line);
	if (strcmp(esr_ec_name(d.ec), col[2]))
		fail_msg("line %d: ec_name %s want %s", line, esr_ec_name(d.ec), col[2]);
	assert_int_equal(d.reserved, !strcmp(col[2], "RESERVED"));
	check_fields(&d, col[3], true, line);
	check_fsc(&d, col[4], line);
}

/* esr_sourced.tsv: esr, ec_name, fields (subset), fsc, sysreg, source */
static void check_sourced_row(char **col, int line, void *arg)
{
	struct esr_decoded d;

	(void)arg;
	assert_int_equal(esr_decode(strtoull(col[0], NULL, 0), &d), 0);
	if (strcmp(esr_ec_name(d.ec), col[1]))
		fail_msg("line %d: ec_name %s want %s", line, esr_ec_name(d.ec), col[1]);
	check_fields(&d, col[2], false, line);
	if (!strcmp(col[3], "-"))
		fail_msg("line %d: sourced rows give an FSC or '*'", line);
	check_fsc(&d, col[3], line);
	if (strcmp(col[4], "*")) {
		const char *n = d.has_sysreg ? sysreg_name(d.sysreg_enc) : NULL;
		if (!n || strcmp(n, col[4]))
			fail_msg("line %d: sysreg %s want %s", line, n ? n : "(none)", col[4]);
	}
	if (d.res0_bits)
		fail_msg("line %d: RES0 bits 0x%llx reported for a real value", line,
			 (unsigned long long)d.res0_bits);
}

/* A vector file, its row check and the fewest rows it may have. */
struct vec_file {
	const char *path, *what;
	tsv_row_fn *check;
	int min_rows;
};

static const struct vec_file VECTORS = { VEC_PATH, "esr vectors", check_vector_row, 400 };
static const struct vec_file SOURCED = { SOURCED_PATH, "esr sourced vectors", check_sourced_row,
					 40 };

/* One test per vector file (its struct vec_file is the test's state). */
static void test_vec_file(void **state)
{
	const struct vec_file *v = *state;
	unsigned rows = tsv_for_each(v->path, NCOLS, v->check, NULL);

	assert_true(rows >= (unsigned)v->min_rows);
	print_message("%s: %u rows checked\n", v->what, rows);
}

/* RES0 reporting (D24.2.46: bits [63:56] RES0; MSR/MRS ISS "Bits [24:22]
 * Reserved, RES0"; ISS2 RES0 outside the aborts and watchpoints). */
static void test_res0_reported(void **state)
{
	struct esr_decoded d;

	(void)state;
	esr_decode(UINT64_C(0xff00000093c08046), &d);
	assert_int_equal(d.res0_bits, UINT64_C(0xff00000000000000));
	assert_int_equal(esr_field_value(&d, (unsigned)esr_field_find(&d, "isv")), 1);
	esr_decode(UINT64_C(0x6232c001) | (UINT64_C(7) << 22), &d);
	assert_int_equal(d.res0_bits, UINT64_C(7) << 22);
	esr_decode(UINT64_C(0x5a000000) | (UINT64_C(1) << 40), &d);
	assert_int_equal(d.res0_bits, UINT64_C(1) << 40);
	/* SYS128: bit 5 is RES0 (Rt is [9:6]) */
	esr_decode((UINT64_C(0x14) << 26) | ESR_IL | (1u << 5), &d);
	assert_int_equal(d.res0_bits, UINT64_C(1) << 5);
	/* unallocated EC: the ISS is not judged, ISS2 is */
	esr_decode((UINT64_C(0x02) << 26) | 0x1ffffff | (UINT64_C(1) << 33), &d);
	assert_true(d.reserved);
	assert_int_equal(d.res0_bits, UINT64_C(1) << 33);
}

HVX_TEST_MAIN(NULL, NULL,
	HVX_TEST_STATE("test_vectors", test_vec_file, &VECTORS),
	HVX_TEST_STATE("test_sourced", test_vec_file, &SOURCED),
	cmocka_unit_test(test_res0_reported))
