/*
 * Data-driven decode test: corpus/vectors/insn.tsv (encodings from the
 * GNU assembler, expected decode and ISS written by hand from the Arm ARM;
 * see tools/gen_insn_vectors.sh). Every row is checked column by column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/insn.h"

#define VEC_FILE "corpus/vectors/insn.tsv"

static int check_row(char *line, unsigned lineno)
{
	char *col[16];
	unsigned n = 0, sas, sse, srt, sf, ar, wnr;
	struct insn d;
	uint32_t w;
	int bad = 0;
	char *save = NULL, *p;

	for (p = strtok_r(line, "\t\n", &save); p && n < 16; p = strtok_r(NULL, "\t\n", &save))
		col[n++] = p;
	if (n != 15) {
		fprintf(stderr, "%s:%u: %u columns, want 15\n", VEC_FILE, lineno, n);
		return 1;
	}
	w = (uint32_t)strtoul(col[0], NULL, 16);
#define EXPECT(cond, what) do { if (!(cond)) { bad = 1; \
	fprintf(stderr, "%s:%u %s (%s): %s wrong\n", VEC_FILE, lineno, col[0], col[1], what); } } while (0)
	EXPECT(insn_decode(w, &d) == 0, "decodes");
	EXPECT(strcmp(insn_class_name(d.cls), col[2]) == 0, "class");
	EXPECT(d.mnemonic && strcmp(d.mnemonic, col[3]) == 0, "mnemonic");
	switch (col[4][0]) {
	case 'L': EXPECT(d.load && !d.store, "direction"); break;
	case 'S': EXPECT(d.store && !d.load, "direction"); break;
	case 'A': EXPECT(d.load && d.store && d.atomic, "direction"); break;
	default: EXPECT(d.no_access && !d.load && !d.store, "no access"); break;
	}
	if (col[4][0] != 'N') {
		EXPECT(d.size_log2 == atoi(col[5]), "size");
		EXPECT(d.sign_extend == (atoi(col[6]) != 0), "sign extension");
		if (!d.simd)
			EXPECT(d.reg64 == (atoi(col[7]) != 0), "register width");
	}
	EXPECT(d.rt == atoi(col[8]), "Rt");
	if (d.cls != INSN_C_LIT)
		EXPECT(d.rn == atoi(col[9]), "Rn");
	EXPECT(d.writeback == (strcmp(col[10], "none") != 0), "writeback");
	EXPECT(d.postindex == (strcmp(col[10], "post") == 0), "post-index");
	if (!d.index_reg && d.cls != INSN_C_DC)
		EXPECT(d.imm == strtoll(col[11], NULL, 10), "offset");
	EXPECT(d.isv_possible == (atoi(col[12]) != 0), "ISV");
	if (d.isv_possible) {
		EXPECT(sscanf(col[13], "%u/%u/%u/%u/%u/%u", &sas, &sse, &srt, &sf, &ar, &wnr) == 6,
		       "iss column");
		EXPECT(d.iss.sas == sas, "ISS.SAS");
		EXPECT(d.iss.sse == (sse != 0), "ISS.SSE");
		EXPECT(d.iss.srt == srt, "ISS.SRT");
		EXPECT(d.iss.sf == (sf != 0), "ISS.SF");
		EXPECT(d.iss.ar == (ar != 0), "ISS.AR");
		EXPECT(d.iss.wnr == (wnr != 0), "ISS.WnR");
	}
#undef EXPECT
	return bad;
}

static void test_vectors(void **state)
{
	FILE *f = fopen(VEC_FILE, "r");
	char line[512];
	unsigned lineno = 0, rows = 0, bad = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		rows++;
		bad += (unsigned)check_row(line, lineno);
	}
	fclose(f);
	assert_true(rows >= 60);
	assert_int_equal(bad, 0);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_vectors))
