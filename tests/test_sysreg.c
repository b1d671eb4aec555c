/*
 * System register table: ordering, uniqueness, hand-checked encodings from
 * the Arm ARM, and Capstone 4 as an independent oracle for every entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include <capstone/capstone.h>

#include "hvexit/sysreg.h"

static void test_sorted_unique(void **state)
{
	size_t i, j, n = sysreg_count();
	uint32_t prev = 0, e;
	const char *name;

	(void)state;
	assert_true(n > 650);
	for (i = 0; i < n; i++) {
		assert_int_equal(sysreg_at(i, &e, &name), 0);
		assert_non_null(name);
		if (i)
			assert_true(e > prev);	/* sorted, hence no duplicate */
		prev = e;
		assert_ptr_equal(sysreg_name(e), name);
	}
	for (i = 0; i < n; i++) {
		const char *a;

		sysreg_at(i, NULL, &a);
		for (j = i + 1; j < n; j++) {
			const char *b;

			sysreg_at(j, NULL, &b);
			if (strcasecmp(a, b) == 0)
				fail_msg("duplicate name %s", a);
		}
	}
	assert_int_equal(sysreg_at(n, &e, &name), -ERANGE);
	/* Every name is found by lookup, in upper and lower case. */
	for (i = 0; i < n; i++) {
		char low[64];
		uint32_t back;

		sysreg_at(i, &e, &name);
		assert_int_equal(sysreg_lookup(name, &back), 0);
		assert_int_equal(back, e);
		for (j = 0; name[j] && j + 1 < sizeof(low); j++)
			low[j] = (char)(name[j] | 0x20 * (name[j] >= 'A' &&
							 name[j] <= 'Z'));
		low[j] = '\0';
		assert_int_equal(sysreg_lookup(low, &back), 0);
		assert_int_equal(back, e);
	}
	n = sysreg_sys_count();
	for (i = 1; i < n; i++) {
		uint32_t a, b;

		sysreg_sys_at(i - 1, &a, NULL);
		sysreg_sys_at(i, &b, NULL);
		assert_true(a < b);
	}
}

struct known {
	unsigned op0, op1, crn, crm, op2;
	const char *name;
};

/* Encodings as given in each register's "Accessing" section: Arm ARM
 * D23.2 (MPIDR_EL1, VBAR_EL1, ESR_EL2, HCR_EL2...), D23.8 generic timer
 * (CNTVOFF_EL2, CNTV_CTL_EL0), GIC IHI 0069 12.2/12.4 (ICC_IAR1_EL1,
 * ICH_LR0_EL2, ICH_LR15_EL2, ICC_SRE_EL2). */
static const struct known known[] = {
	{ 3, 0, 0, 0, 5, "MPIDR_EL1" },
	{ 3, 0, 12, 0, 0, "VBAR_EL1" },
	{ 3, 0, 12, 12, 0, "ICC_IAR1_EL1" },
	{ 3, 4, 12, 12, 0, "ICH_LR0_EL2" },
	{ 3, 4, 12, 13, 7, "ICH_LR15_EL2" },
	{ 3, 4, 14, 0, 3, "CNTVOFF_EL2" },
	{ 3, 3, 14, 3, 1, "CNTV_CTL_EL0" },
	{ 3, 4, 1, 1, 0, "HCR_EL2" },
	{ 3, 4, 5, 2, 0, "ESR_EL2" },
	{ 3, 4, 12, 9, 5, "ICC_SRE_EL2" },
	{ 3, 5, 1, 0, 0, "SCTLR_EL12" },
	{ 3, 5, 14, 3, 1, "CNTV_CTL_EL02" },
	{ 2, 0, 1, 0, 4, "OSLAR_EL1" },
	{ 2, 0, 0, 2, 2, "MDSCR_EL1" },
	/* ETE TRCPRGCTLR: op0 2, op1 1, CRn 0, CRm 1, op2 0 (Capstone 4 does
	 * not know it; this guards the trace register block offset). */
	{ 2, 1, 0, 1, 0, "TRCPRGCTLR" },
};

static void test_known_values(void **state)
{
	size_t i;
	uint32_t e;

	(void)state;
	assert_int_equal(sysreg_enc(3, 0, 0, 0, 5), 0xc005);
	assert_int_equal(sysreg_enc(3, 0, 12, 0, 0), 0xc600);
	for (i = 0; i < HVX_ARRAY_SIZE(known); i++) {
		const struct known *k = &known[i];
		uint32_t want = sysreg_enc(k->op0, k->op1, k->crn, k->crm,
					   k->op2);

		assert_string_equal(sysreg_name(want), k->name);
		assert_int_equal(sysreg_lookup(k->name, &e), 0);
		assert_int_equal(e, want);
	}
	assert_int_equal(sysreg_lookup("mpidr_el1", &e), 0);
	assert_int_equal(e, 0xc005);
	assert_int_equal(sysreg_lookup("NOT_A_REG", &e), -ENOENT);
	assert_int_equal(sysreg_lookup(NULL, &e), -EINVAL);
	assert_null(sysreg_name(0x10000));
	/* op0 0 is not a system register space (C5.1.2). */
	assert_null(sysreg_name(sysreg_enc(0, 0, 0, 0, 0)));
	/* C5.3.x DC CIVAC: op1 3, CRn 7, CRm 14, op2 1; C6.2 TLBI VMALLE1IS:
	 * op1 0, CRn 8, CRm 3, op2 0. */
	assert_string_equal(sysreg_sys_name(sysreg_enc(1, 3, 7, 14, 1)),
			    "DC CIVAC");
	assert_string_equal(sysreg_sys_name(sysreg_enc(1, 0, 8, 3, 0)),
			    "TLBI VMALLE1IS");
	assert_null(sysreg_sys_name(sysreg_enc(3, 0, 0, 0, 5)));
}

/* Register operand Capstone prints for MRS/MSR of enc, or "" on failure. */
static void cs_regname(csh h, uint32_t insn, char *out, size_t len)
{
	uint8_t b[4] = { (uint8_t)insn, (uint8_t)(insn >> 8),
			 (uint8_t)(insn >> 16), (uint8_t)(insn >> 24) };
	cs_insn *in;
	size_t c = cs_disasm(h, b, sizeof(b), 0, 1, &in);
	const char *op, *comma;

	out[0] = '\0';
	if (!c)
		return;
	op = in[0].op_str;
	/* "mrs x0, <reg>" / "msr <reg>, x0" */
	if (strcmp(in[0].mnemonic, "mrs") == 0) {
		comma = strchr(op, ',');
		op = comma ? comma + 1 : op;
		while (*op == ' ')
			op++;
		snprintf(out, len, "%s", op);
	} else if (strcmp(in[0].mnemonic, "msr") == 0) {
		comma = strchr(op, ',');
		snprintf(out, len, "%.*s", comma ? (int)(comma - op) : 0, op);
	}
	cs_free(in, c);
}

static bool generic_name(const char *s)
{
	return s[0] == 's' && s[1] >= '0' && s[1] <= '3' && s[2] == '_';
}

/* Names where we follow the Arm ARM and Capstone 4 (LLVM's old tables)
 * differs. */
static const char *const known_mismatch[][2] = {
	/* IHI 0069 12.4.8 names it ICH_ELRSR_EL2; LLVM spelled it "ELSR". */
	{ "ICH_ELRSR_EL2", "ich_elsr_el2" },
};

static bool documented(const char *ours, const char *cs)
{
	size_t i;

	for (i = 0; i < HVX_ARRAY_SIZE(known_mismatch); i++)
		if (strcasecmp(ours, known_mismatch[i][0]) == 0 &&
		    strcasecmp(cs, known_mismatch[i][1]) == 0)
			return true;
	return false;
}

static void test_capstone_oracle(void **state)
{
	csh h;
	size_t i, n = sysreg_count(), agree = 0, unknown = 0, doc = 0, bad = 0;
	char cs[64];

	(void)state;
	assert_int_equal(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h), CS_ERR_OK);
	for (i = 0; i < n; i++) {
		uint32_t e;
		const char *name;

		sysreg_at(i, &e, &name);
		/* C6.2.x MRS: 1101 0101 0011 o0 op1 CRn CRm op2 Rt. */
		cs_regname(h, 0xd5300000u | e << 5, cs, sizeof(cs));
		/* Write-only registers (OSLAR_EL1, ICC_EOIR1_EL1, ...) are
		 * known to Capstone only as MSR operands. */
		if (!cs[0] || generic_name(cs))
			cs_regname(h, 0xd5100000u | e << 5, cs, sizeof(cs));
		if (!cs[0] || generic_name(cs))
			unknown++;
		else if (strcasecmp(cs, name) == 0)
			agree++;
		else if (documented(name, cs))
			doc++;
		else {
			bad++;
			print_message("MISMATCH %04x ours %s capstone %s\n", e,
				      name, cs);
		}
	}
	print_message("sysreg oracle: %zu entries, %zu agree with Capstone, "
		      "%zu unknown to Capstone, %zu documented differences, "
		      "%zu mismatches\n", n, agree, unknown, doc, bad);
	assert_int_equal(bad, 0);
	assert_true(agree > n / 2);
	cs_close(&h);
}

/* SYS aliases: "dc civac, x0" -> "DC CIVAC". */
static void test_capstone_sys_oracle(void **state)
{
	csh h;
	size_t i, n = sysreg_sys_count(), agree = 0, unknown = 0, bad = 0;

	(void)state;
	assert_int_equal(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h), CS_ERR_OK);
	for (i = 0; i < n; i++) {
		uint32_t e, insn;
		const char *name;
		uint8_t b[4];
		cs_insn *in;
		size_t c;
		char got[64];

		sysreg_sys_at(i, &e, &name);
		/* C6.2.x SYS: 1101 0101 0000 1 op1 CRn CRm op2 Rt (Rt = 0). */
		insn = 0xd5000000u | e << 5;
		memcpy(b, (uint8_t[4]){ (uint8_t)insn, (uint8_t)(insn >> 8),
					(uint8_t)(insn >> 16),
					(uint8_t)(insn >> 24) }, 4);
		c = cs_disasm(h, b, 4, 0, 1, &in);
		assert_true(c == 1);
		if (strcmp(in[0].mnemonic, "sys") == 0) {
			unknown++;
		} else {
			snprintf(got, sizeof(got), "%s %.*s", in[0].mnemonic,
				 (int)strcspn(in[0].op_str, ","),
				 in[0].op_str);
			if (strcasecmp(got, name) == 0) {
				agree++;
			} else {
				bad++;
				print_message("SYS MISMATCH %04x ours %s "
					      "capstone %s\n", e, name, got);
			}
		}
		cs_free(in, c);
	}
	print_message("sys oracle: %zu entries, %zu agree, %zu unknown to "
		      "Capstone, %zu mismatches\n", n, agree, unknown, bad);
	assert_int_equal(bad, 0);
	cs_close(&h);
}

/*
 * Second oracle: LLVM's assembler. Every name is written as "mrs x0, NAME"
 * and "msr NAME, x0"; for each line llvm-mc accepts it prints the register
 * name and the instruction encoding, which must match our table. Skipped
 * when llvm-mc is not installed.
 */
static void test_llvm_mc_oracle(void **state)
{
	char src[] = "/tmp/hvx-sysreg-XXXXXX";
	char cmd[512], line[512];
	size_t i, n = sysreg_count(), checked = 0, bad = 0;
	FILE *f, *p;
	int fd;

	(void)state;
	if (system("command -v llvm-mc >/dev/null 2>&1") != 0) {
		print_message("llvm-mc not found: oracle skipped\n");
		skip();
	}
	fd = mkstemp(src);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (i = 0; i < n; i++) {
		const char *name;

		sysreg_at(i, NULL, &name);
		fprintf(f, "mrs x0, %s\nmsr %s, x0\n", name, name);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "llvm-mc -triple=aarch64 -show-encoding -mattr=+v9.2a,+sme,"
		 "+mte,+spe,+trbe,+ete,+amvs,+fgt,+ecv,+rme,+ras,+mpam,+sve,"
		 "+ls64,+hcx,+rand,+brbe %s 2>/dev/null", src);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char mn[8], a[64], b[64];
		unsigned e0, e1, e2, e3;
		const char *reg;
		uint32_t ours, theirs;
		const char *enc = strstr(line, "encoding: [");

		if (!enc || sscanf(line, " %7s %63[^,], %63s", mn, a, b) != 3 ||
		    sscanf(enc, "encoding: [0x%x,0x%x,0x%x,0x%x]", &e0, &e1,
			   &e2, &e3) != 4)
			continue;
		reg = strcmp(mn, "mrs") == 0 ? b : a;
		if (sysreg_lookup(reg, &ours) != 0)
			continue;	/* LLVM's spelling of another name */
		/* C6.2 MRS/MSR: the system register operand is bits 20:5. */
		theirs = ((e0 | e1 << 8 | e2 << 16 | e3 << 24) >> 5) & 0xffff;
		checked++;
		if (ours != theirs) {
			bad++;
			print_message("LLVM MISMATCH %s ours %04x llvm-mc %04x\n",
				      reg, ours, theirs);
		}
	}
	pclose(p);
	unlink(src);
	print_message("llvm-mc oracle: %zu MRS/MSR forms checked, %zu "
		      "mismatches\n", checked, bad);
	assert_int_equal(bad, 0);
	assert_true(checked > n);	/* most names in both directions */
}

/*
 * Names the Arm ARM defines, spelt as it spells them.
 *  - D24.6.9 AMEVCNTR0<n>_EL0 and D24.6.13 AMEVTYPER0<n>_EL0 have n = 0 - 3
 *    ("integer m = UInt(CRm<0>:op2<2:0>); ... elsif m >= 4 then
 *    UNDEFINED"); D24.6.10/D24.6.14 AMEVCNTR1<n>_EL0/AMEVTYPER1<n>_EL0 have
 *    n = 0 - 15. The encodings of n = 4 - 15 of group 0 name no register.
 *  - D24.2: the pointer authentication key registers are APIAKeyLo_EL1 ...
 *    APGAKeyHi_EL1, the only mixed-case names of the chapter.
 */
static void test_armarm_names(void **state)
{
	static const char *const mixed[] = {
		"APIAKeyLo_EL1", "APIAKeyHi_EL1", "APIBKeyLo_EL1", "APIBKeyHi_EL1",
		"APDAKeyLo_EL1", "APDAKeyHi_EL1", "APDBKeyLo_EL1", "APDBKeyHi_EL1",
		"APGAKeyLo_EL1", "APGAKeyHi_EL1",
	};
	static const struct { const char *stem; unsigned crm, count; } amu[] = {
		{ "AMEVCNTR0", 4, 4 }, { "AMEVTYPER0", 6, 4 },
		{ "AMEVCNTR1", 12, 16 }, { "AMEVTYPER1", 14, 16 },
	};
	size_t i, n = sysreg_count(), seen = 0;

	(void)state;
	for (i = 0; i < HVX_ARRAY_SIZE(amu); i++)
		for (unsigned m = 0; m < 16; m++) {
			const char *got = sysreg_name(sysreg_enc(3, 3, 13, amu[i].crm + (m >> 3),
								 m & 7));
			char want[32];

			snprintf(want, sizeof(want), "%s%u_EL0", amu[i].stem, m);
			if (m < amu[i].count && (!got || strcmp(got, want)))
				fail_msg("%s: got %s", want, got ? got : "(none)");
			if (m >= amu[i].count && got)
				fail_msg("%s does not exist, the table names %s", want, got);
		}
	for (i = 0; i < n; i++) {
		const char *name;
		bool lower = false;

		sysreg_at(i, NULL, &name);
		for (const char *c = name; *c; c++)
			lower |= *c >= 'a' && *c <= 'z';
		if (!lower)
			continue;
		seen++;
		bool listed = false;
		for (size_t k = 0; k < HVX_ARRAY_SIZE(mixed); k++)
			listed |= !strcmp(name, mixed[k]);
		if (!listed)
			fail_msg("%s: lower case the Arm ARM does not use", name);
	}
	assert_int_equal(seen, HVX_ARRAY_SIZE(mixed));
	for (i = 0; i < HVX_ARRAY_SIZE(mixed); i++) {
		uint32_t e;

		assert_int_equal(sysreg_lookup(mixed[i], &e), 0);
		assert_string_equal(sysreg_name(e), mixed[i]);
	}
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_sorted_unique),
	cmocka_unit_test(test_known_values),
	cmocka_unit_test(test_armarm_names),
	cmocka_unit_test(test_capstone_oracle),
	cmocka_unit_test(test_capstone_sys_oracle),
	cmocka_unit_test(test_llvm_mc_oracle))
