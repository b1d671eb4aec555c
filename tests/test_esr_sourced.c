/*
 * corpus/vectors/esr_sourced.tsv: ESR_EL2 values whose expected fields come
 * from a source independent of our tables (real KVM captures with KVM's own
 * len/write decode, Linux oops dumps and asm/esr.h constants, QEMU
 * target/arm/syndrome.h constructors). Each row names a subset of fields;
 * every named field must decode to the stated value, and the FSC and
 * system-register name when given. Also: those real/constructed values
 * leave no RES0 bit set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hvexit/esr.h"
#include "hvexit/sysreg.h"

#define VEC_PATH "corpus/vectors/esr_sourced.tsv"

static const struct esr_field *find_field(const struct esr_decoded *d,
					  const char *name)
{
	for (unsigned i = 0; i < d->nfields; i++)
		if (!strcmp(d->fields[i].name, name))
			return &d->fields[i];
	return NULL;
}

static void check_row(char **col, int line)
{
	struct esr_decoded d;
	char type[64], lvl[8];
	unsigned code;

	assert_int_equal(esr_decode(strtoull(col[0], NULL, 0), &d), 0);
	if (strcmp(d.ec_name, col[1]))
		fail_msg("line %d: ec_name %s want %s", line, d.ec_name, col[1]);
	if (strcmp(col[2], "-")) {
		char *sv = NULL;
		for (char *t = strtok_r(col[2], ",", &sv); t; t = strtok_r(NULL, ",", &sv)) {
			char *eq = strchr(t, '=');
			const struct esr_field *f;

			assert_non_null(eq);
			*eq = '\0';
			f = find_field(&d, t);
			if (!f)
				fail_msg("line %d: field %s missing", line, t);
			if (f->value != strtoul(eq + 1, NULL, 0))
				fail_msg("line %d: %s=%u want %s", line, t, f->value, eq + 1);
		}
	}
	if (strcmp(col[3], "*")) {
		assert_int_equal(sscanf(col[3], "%u:%63[^:]:%7s", &code, type, lvl), 3);
		if (!d.has_fsc || d.fsc_code != code)
			fail_msg("line %d: fsc code", line);
		if (strcmp(fsc_type_name(d.fsc.type), type))
			fail_msg("line %d: fsc %s want %s", line, fsc_type_name(d.fsc.type), type);
		if (strcmp(lvl, "-") ? d.fsc.level != atoi(lvl) : d.fsc.level != FSC_NO_LEVEL)
			fail_msg("line %d: fsc level %d want %s", line, d.fsc.level, lvl);
	}
	if (strcmp(col[4], "*")) {
		const char *n = d.has_sysreg ? sysreg_name(d.sysreg_enc) : NULL;
		if (!n || strcmp(n, col[4]))
			fail_msg("line %d: sysreg %s want %s", line, n ? n : "(none)", col[4]);
	}
	if (d.res0_bits)
		fail_msg("line %d: RES0 bits 0x%llx reported for a real value", line,
			 (unsigned long long)d.res0_bits);
}

static void test_sourced(void **state)
{
	FILE *f = fopen(VEC_PATH, "r");
	char line[1024];
	int lineno = 0, rows = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *col[6], *sv = NULL;
		int nc = 0;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (char *t = strtok_r(line, "\t", &sv); t && nc < 6; t = strtok_r(NULL, "\t", &sv))
			col[nc++] = t;
		assert_int_equal(nc, 6);
		check_row(col, lineno);
		rows++;
	}
	fclose(f);
	assert_true(rows >= 40);
	print_message("esr sourced vectors: %d rows checked\n", rows);
}

/* RES0 reporting (D24.2.40: bits [63:56] RES0; SYS64 ISS [24:22] RES0 --
 * Linux ESR_ELx_SYS64_ISS_RES0_MASK; ISS2 RES0 outside a Data Abort). */
static void test_res0_reported(void **state)
{
	struct esr_decoded d;

	(void)state;
	esr_decode(UINT64_C(0xff00000093c08046), &d);
	assert_int_equal(d.res0_bits, UINT64_C(0xff00000000000000));
	assert_int_equal(d.fields[0].value, 1);		/* still decodes */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sourced),
		cmocka_unit_test(test_res0_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
