/*
 * Data-driven check of corpus/vectors/esr.tsv: every row's EC, EC name,
 * exact field set and values, and FSC type/level. The rows are composed by
 * tests/vectors/gen_esr.py from the Arm ARM D24.2.40 layouts, not by this
 * decoder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hvexit/esr.h"

#define VEC_PATH "corpus/vectors/esr.tsv"

static const struct esr_field *find_field(const struct esr_decoded *d,
					  const char *name)
{
	for (unsigned i = 0; i < d->nfields; i++)
		if (!strcmp(d->fields[i].name, name))
			return &d->fields[i];
	return NULL;
}

static void check_fields(const struct esr_decoded *d, char *fields, int line)
{
	unsigned n = 0;

	if (strcmp(fields, "-")) {
		for (char *sv, *tok = strtok_r(fields, ",", &sv); tok;
		     tok = strtok_r(NULL, ",", &sv)) {
			char *eq = strchr(tok, '=');
			const struct esr_field *f;

			assert_non_null(eq);
			*eq = '\0';
			f = find_field(d, tok);
			if (!f)
				fail_msg("line %d: field %s missing", line, tok);
			if (f->value != strtoul(eq + 1, NULL, 0))
				fail_msg("line %d: %s=%u want %s", line, tok,
					 f->value, eq + 1);
			n++;
		}
	}
	if (n != d->nfields)
		fail_msg("line %d: %u fields decoded, %u expected", line,
			 d->nfields, n);
}

static void check_fsc(const struct esr_decoded *d, const char *fsc, int line)
{
	char type[64], lvl[8];
	unsigned code;

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

static void test_vectors(void **state)
{
	FILE *f = fopen(VEC_PATH, "r");
	char line[1024];
	int lineno = 0, rows = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *col[6], *sv = NULL;
		struct esr_decoded d;
		int nc = 0;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (char *t = strtok_r(line, "\t", &sv); t && nc < 6;
		     t = strtok_r(NULL, "\t", &sv))
			col[nc++] = t;
		assert_int_equal(nc, 6);
		assert_int_equal(esr_decode(strtoull(col[0], NULL, 0), &d), 0);
		if (d.ec != strtoul(col[1], NULL, 0))
			fail_msg("line %d: ec", lineno);
		if (strcmp(d.ec_name, col[2]))
			fail_msg("line %d: ec_name %s want %s", lineno, d.ec_name, col[2]);
		assert_int_equal(d.reserved, !strcmp(col[2], "RESERVED"));
		check_fields(&d, col[3], lineno);
		check_fsc(&d, col[4], lineno);
		rows++;
	}
	fclose(f);
	assert_true(rows >= 400);
	print_message("esr vectors: %d rows checked\n", rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_vectors) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
