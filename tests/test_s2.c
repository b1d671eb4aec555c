/* Stage-2 model: data-driven scenarios (corpus/s2/NAME.scn), VTCR validation,
 * builder round trip. Expected values live in the scenario files, each
 * derived by hand from the Arm ARM. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "harness/stage2/s2scn.h"
#include "hvexit/s2.h"

static void test_scenarios(void **state)
{
	(void)state;
	DIR *d = opendir("corpus/s2");
	unsigned files = 0, total = 0, bad = 0;
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".scn"))
			continue;
		char p[512];
		unsigned cases = 0;
		snprintf(p, sizeof(p), "corpus/s2/%s", e->d_name);
		int rc = s2_scenario_run(p, stderr, &cases);
		if (rc || !cases) {
			fprintf(stderr, "scenario %s: %d failures, %u cases\n", p, rc, cases);
			bad++;
		}
		files++;
		total += cases;
	}
	closedir(d);
	assert_int_equal(bad, 0);
	fprintf(stderr, "s2 scenarios: %u files, %u cases\n", files, total);
	assert_true(files >= 6);
}

/* Level 0 Translation fault on every access for T0SZ/SL0 the PE cannot
 * use (D8.1.9, D8.1.10, D8.2.8.2; AArch64.S2Translate), -EINVAL for
 * encodings the model does not represent. */
static void expect_cfg_fault(uint64_t vtcr, unsigned feat, unsigned pa, const char *rule_part)
{
	struct s2_config c;
	struct s2_result r;
	const char *rule = NULL;
	static const uint8_t none[8];
	struct s2_flatmem m = { none, sizeof(none), 0 };

	assert_int_equal(s2_config_init(vtcr, 0, feat, pa, false, &c, &rule), 1);
	assert_non_null(strstr(rule, rule_part));
	assert_ptr_equal(c.fault_rule, rule);
	assert_int_equal(s2_walk(&c, 0, S2_ACC_READ, false, s2_flat_read64, &m, &r), 0);
	assert_int_equal(r.fault, S2_FAULT_TRANSLATION);
	assert_int_equal(r.level, 0);
	assert_int_equal(r.fsc, 0x04);
	assert_int_equal(r.steps, 0);	/* no descriptor is read */
}

static void test_vtcr_invalid(void **state)
{
	struct s2_config c;
	const char *rule = NULL;
	(void)state;
	/* 4K, IPA 48 bits (T0SZ 16), SL0=1 (level 1): 18 root bits > 9+4. */
	expect_cfg_fault(0x50050, S2_FEAT_ALL, 48, "S2InconsistentSL");
	/* 4K, IPA 32 (T0SZ 32), SL0=2 (level 0): root would resolve none. */
	expect_cfg_fault(0x50a0, S2_FEAT_ALL, 48, "S2InconsistentSL");
	/* 64K SL0=3 reserved. */
	expect_cfg_fault(0x550d8, S2_FEAT_ALL, 48, "S2InvalidSL");
	/* T0SZ 10 (54-bit IPA) below the minimum T0SZ 16 (Table D8-8). */
	expect_cfg_fault(0x5004a, S2_FEAT_ALL, 48, "S2TxSZFaults");
	/* T0SZ 16 (48-bit IPA) with a 40-bit PA: minimum T0SZ is 24 (Table
	 * D8-8), so even a consistent SL0=2 faults. */
	expect_cfg_fault(0x20090, S2_FEAT_ALL, 40, "S2TxSZFaults");
	/* T0SZ 40 above the maximum 39 without FEAT_TTST (Table D8-7). */
	expect_cfg_fault(0x40068, S2_FEAT_ALL & ~S2_FEAT_TTST, 48, "maximum");
	/* SL2=1 with DS=1, 4K but a 48-bit PA: level -1 needs PAMax 52. */
	expect_cfg_fault(0x30005000c, S2_FEAT_ALL, 48, "S2TxSZFaults");
	expect_cfg_fault(0x300050010, S2_FEAT_ALL, 48, "S2InvalidSL");
	/* TG0=0b11 reserved (IMPLEMENTATION DEFINED granule): not modelled. */
	assert_int_equal(s2_config_init(0xc058, 0, S2_FEAT_ALL, 48, false, &c, &rule), -EINVAL);
	/* Without FEAT_LPA2, DS and SL2 are RES0 (AArch64.NSS2TTWParams): SL0=1
	 * alone picks start level 1. */
	assert_int_equal(s2_config_init(0x300050058, 0x2000, S2_FEAT_ALL & ~S2_FEAT_LPA2, 48,
					false, &c, &rule), 0);
	assert_false(c.ds);
	assert_int_equal(c.start_level, 1);
	/* Lab 4: 43-bit IPA, 4K, SL0=1: 16 concatenated level-1 tables, root
	 * must be 64KiB aligned (16 x 4KiB). */
	assert_int_equal(s2_config_init(0x40055, 0x1000, S2_FEAT_ALL, 48, false, &c, &rule), -EINVAL);
	assert_non_null(strstr(rule, "BADDR"));
	assert_int_equal(s2_config_init(0x40055, 0x10000, S2_FEAT_ALL, 48, false, &c, &rule), 0);
	assert_int_equal(c.root_tables, 16);
	assert_int_equal(c.start_level, 1);
	/* Lab 5: 40-bit IPA SL0=1: 2 concatenated tables. */
	assert_int_equal(s2_config_init(0x20058, 0x2000, S2_FEAT_ALL, 48, false, &c, &rule), 0);
	assert_int_equal(c.root_tables, 2);
	/* VTCR round trip through the field table. */
	struct s2_vtcr v;
	uint64_t x = 0x337f7e6fffffULL;	/* every defined VTCR_EL2 field bit */
	assert_int_equal(s2_vtcr_decode(x, &v), 0);
	assert_int_equal(s2_vtcr_encode(&v), x);
}

/* The feature-list parser behind `hvexit walk --features`. */
static void test_features_parse(void **state)
{
	unsigned set = 0;
	size_t off = 99;
	char buf[128];
	(void)state;
	assert_int_equal(s2_features_parse("hafdbs,lpa2", &set, &off), 0);
	assert_int_equal(set, S2_FEAT_HAFDBS | S2_FEAT_LPA2);
	assert_int_equal(s2_features_parse("all", &set, NULL), 0);
	assert_int_equal(set, S2_FEAT_ALL);
	assert_int_equal(s2_features_parse("none", &set, NULL), 0);
	assert_int_equal(set, 0);
	assert_int_equal(s2_features_parse("xnx,ttst,lpa,lpa2,hafdbs,s2pie,s2poe,pan,wxn", &set, NULL), 0);
	assert_int_equal(set, S2_FEAT_ALL);
	set = 7;
	assert_int_equal(s2_features_parse("pan,bogus", &set, &off), -EINVAL);
	assert_int_equal(off, 4);
	assert_int_equal(set, 7);	/* untouched on error */
	assert_int_equal(s2_features_parse("pan,", &set, &off), -EINVAL);
	assert_int_equal(off, 4);
	assert_int_equal(s2_features_parse("", &set, &off), -EINVAL);
	assert_int_equal(s2_features_parse("PAN", &set, &off), -EINVAL);
	/* format is the inverse */
	assert_int_equal(s2_features_format(S2_FEAT_PAN | S2_FEAT_XNX, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "xnx,pan");
	assert_int_equal(s2_features_format(0, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "none");
	assert_int_equal(s2_features_format(S2_FEAT_ALL, buf, 8), 44);
	assert_string_equal(buf, "xnx");	/* truncated at a name */
	assert_int_equal(s2_features_format(S2_FEAT_ALL, buf, sizeof(buf)), 44);
	assert_int_equal(s2_features_parse(buf, &set, NULL), 0);
	assert_int_equal(set, S2_FEAT_ALL);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
	return *s;
}

/* Builder round trip: every region walks back to its PA and attributes;
 * random IPAs outside all regions fault (translation) at the level where
 * the tables end. */
static void roundtrip(uint64_t vtcr, const struct s2_region *reg, size_t n)
{
	struct s2_config c;
	const char *why = NULL;
	size_t len = 4u << 20;
	uint8_t *buf = malloc(len);
	struct s2_build_out bo;
	uint64_t base = 0x40000000;

	assert_int_equal(s2_config_init(vtcr, base, S2_FEAT_ALL, 48, false, &c, &why), 0);
	assert_int_equal(s2_build(&c, reg, n, buf, len, base, &bo, &why), 0);
	struct s2_flatmem m = { .buf = buf, .len = bo.used, .base = base };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < 64; k++) {
			uint64_t off = k == 0 ? 0 : k == 1 ? reg[i].size - 8 : rnd(&seed) % reg[i].size;
			struct s2_result r;
			assert_int_equal(s2_walk(&c, reg[i].ipa + off, S2_ACC_READ, false,
						 s2_flat_read64, &m, &r), 0);
			if (!(reg[i].flags & S2_R)) {
				assert_int_equal(r.fault, S2_FAULT_PERMISSION);
				continue;
			}
			assert_int_equal(r.fault, S2_OK);
			assert_int_equal(r.pa, reg[i].pa + off);
			assert_int_equal(r.s2ap, (reg[i].flags & S2_R ? 1 : 0) | (reg[i].flags & S2_W ? 2 : 0));
			assert_int_equal(r.xn, reg[i].flags & S2_X ? 0 : 2);
			assert_int_equal(r.memattr, reg[i].flags & S2_DEV ? 1 : 15);
			assert_true(r.af);
		}
	}
	for (int k = 0; k < 2000; k++) {
		uint64_t ipa = rnd(&seed) & hvx_mask(c.ia_bits - 1, 3);
		bool inside = false;
		for (size_t i = 0; i < n; i++)
			inside |= ipa >= reg[i].ipa && ipa - reg[i].ipa < reg[i].size;
		if (inside)
			continue;
		struct s2_result r;
		const struct s2_mem traced = { .read64 = s2_flat_read64, .ctx = &m, .trace = true };
		assert_int_equal(s2_walk_mem(&c, ipa, S2_ACC_READ, false, &traced, &r), 0);
		assert_int_equal(r.fault, S2_FAULT_TRANSLATION);
		/* The fault is at the level of the last descriptor read, which
		 * must be the invalid (zero) one. */
		assert_true(r.steps >= 1);
		assert_int_equal(r.trace[r.steps - 1].desc, 0);
		assert_int_equal(r.level, r.trace[r.steps - 1].level);
		assert_int_equal(r.fsc, 0x04 + r.level);
	}
	free(buf);
}

static void test_roundtrip(void **state)
{
	(void)state;
	static const struct s2_region lab3[] = {
		{ 0x40000000, 0x40000000, 0x200000, S2_R | S2_W | S2_X },
		{ 0x09000000, 0x09000000, 0x1000, S2_R | S2_W | S2_DEV },
		{ 0x80000000, 0x1000000000, 0x40000000, S2_R },
		{ 0x40200000, 0x50001000, 0x203000, S2_R | S2_X },
		{ 0x7f0000000, 0x20000, 0x3000, S2_W },
	};
	roundtrip(0x40094, lab3, HVX_ARRAY_SIZE(lab3));	/* lab 3: 44-bit 4-level */
	roundtrip(0x40055, lab3, HVX_ARRAY_SIZE(lab3));	/* lab 4: 43-bit 16 x L1 */
	roundtrip(0x20058, lab3, HVX_ARRAY_SIZE(lab3));	/* lab 5: 40-bit 2 x L1 */
	static const struct s2_region g64[] = {
		{ 0x40000000, 0x40000000, 0x20000000, S2_R | S2_W | S2_X },
		{ 0x09000000, 0x09000000, 0x10000, S2_R | S2_W | S2_DEV },
		{ 0x100000000, 0x60010000, 0x30000, S2_R },
	};
	roundtrip(0x44058 | (1u << 14), g64, HVX_ARRAY_SIZE(g64)); /* 64K, 40-bit, SL0=1 */
	static const struct s2_region g16[] = {
		{ 0x40000000, 0x40000000, 0x2000000, S2_R | S2_W | S2_X },
		{ 0x09000000, 0x09000000, 0x4000, S2_R | S2_W | S2_DEV },
		{ 0x100000000, 0x60004000, 0xc000, S2_R },
	};
	roundtrip(0x48058 | (2u << 14), g16, HVX_ARRAY_SIZE(g16)); /* 16K, 40-bit, SL0=1 */
}

/* With VTCR_EL2.DS = 1 (FEAT_LPA2) descriptor bits [9:8] are OA[51:50]
 * (D8.3.1): the builder must not put shareability there, or every region
 * maps 0xC000... above its PA. */
static void test_build_ds(void **state)
{
	(void)state;
	static const struct s2_region reg[] = {
		{ 0x0, 0x40200000, 0x1000, S2_R | S2_X },
		{ 0x40000000, 0x60000000, 0x200000, S2_R | S2_W },
	};
	struct s2_config c;
	const char *why = NULL;
	static uint8_t buf[1u << 20];
	struct s2_build_out bo;
	/* 4K granule, T0SZ 24, SL0 1 (level 1), PS 52-bit, DS 1 */
	assert_int_equal(s2_config_init(0x100060058ull, 0x100000, S2_FEAT_ALL, 52, false, &c, &why), 0);
	assert_true(c.ds);
	assert_int_equal(s2_build(&c, reg, 2, buf, sizeof(buf), 0x100000, &bo, &why), 0);
	struct s2_flatmem m = { .buf = buf, .len = bo.used, .base = 0x100000 };
	for (size_t i = 0; i < 2; i++) {
		struct s2_result r;
		assert_int_equal(s2_walk(&c, reg[i].ipa + 0x800, S2_ACC_READ, false,
					 s2_flat_read64, &m, &r), 0);
		assert_int_equal(r.fault, S2_OK);
		assert_int_equal(r.pa, reg[i].pa + 0x800);
	}
}

static void test_build_errors(void **state)
{
	(void)state;
	struct s2_config c;
	const char *why = NULL;
	uint8_t buf[0x4000];
	struct s2_build_out bo;
	assert_int_equal(s2_config_init(0x40094, 0x100000, S2_FEAT_ALL, 48, false, &c, &why), 0);
	struct s2_region ov[] = { { 0x1000, 0, 0x2000, S2_R }, { 0x2000, 0x5000, 0x1000, S2_R } };
	assert_int_equal(s2_build(&c, ov, 2, buf, sizeof(buf), 0x100000, &bo, &why), -EEXIST);
	struct s2_region mis[] = { { 0x1800, 0, 0x1000, S2_R } };
	assert_int_equal(s2_build(&c, mis, 1, buf, sizeof(buf), 0x100000, &bo, &why), -EINVAL);
	struct s2_region big[] = { { 0, 0, 0x1000, S2_R } };
	/* needs 4 tables (L0..L3), buffer holds 4 granules: ok; 3: no. */
	assert_int_equal(s2_build(&c, big, 1, buf, 0x4000, 0x100000, &bo, &why), 0);
	assert_int_equal(s2_build(&c, big, 1, buf, 0x3000, 0x100000, &bo, &why), -ENOSPC);
}

/* ESR_EL2 with a valid instruction syndrome (D24.2.46): a 32-bit STR
 * w3 (SAS=2, SRT=3, SF=0) hitting a read-only Stage-2 page: EC 0x24,
 * IL, ISV, SAS 0b10, SRT 3, WnR, DFSC 0x0f (permission, level 3). */
static void test_esr_isv(void **state)
{
	(void)state;
	struct s2_result r = { .fault = S2_FAULT_PERMISSION, .level = 3, .fsc = 0x0f,
			       .ipa = 0x9000abc };
	struct esr_dabt iss = { .isv = true, .il = true, .sas = 2, .srt = 3 };
	struct s2_access_info ai = { .acc = S2_ACC_WRITE, .iss = &iss };
	assert_int_equal(s2_fault_esr(&r, &ai), 0x9383004f);
	assert_int_equal(s2_fault_hpfar(r.ipa), 0x90000);
	/* S1PTW forces ISV=0, WnR=0, IL=1. */
	ai.s1ptw = true;
	assert_int_equal(s2_fault_esr(&r, &ai), 0x9200008f);
	/* Instruction fetch: EC 0x20, IL, IFSC. */
	ai = (struct s2_access_info){ .acc = S2_ACC_EXEC };
	assert_int_equal(s2_fault_esr(&r, &ai), 0x8200000f);
	/* DFSC table spot checks (D24.2.46). */
	assert_int_equal(s2_fsc_code(S2_FAULT_SYNC_EXT_WALK, -1), 0x13);
	assert_int_equal(s2_fsc_code(S2_FAULT_ADDRESS_SIZE, -1), 0x29);
	assert_int_equal(s2_fsc_code(S2_FAULT_TRANSLATION, -1), 0x2b);
	assert_int_equal(s2_fsc_code(S2_FAULT_ACCESS_FLAG, -1), -EINVAL);
}

/* MemAttr decode with and without FWB (D8.6 Stage 2 memory type). */
static void test_memattr(void **state)
{
	(void)state;
	assert_string_equal(s2_memattr_name(0x0, false), "device-nGnRnE");
	assert_string_equal(s2_memattr_name(0x1, false), "device-nGnRE");
	assert_string_equal(s2_memattr_name(0xf, false), "normal-oWB-iWB");
	assert_string_equal(s2_memattr_name(0x5, false), "normal-oNC-iNC");
	assert_string_equal(s2_memattr_name(0x4, false), "reserved");
	assert_string_equal(s2_memattr_name(0x6, true), "fwb-normal-WB");
	assert_string_equal(s2_memattr_name(0x7, true), "fwb-stage1");
	assert_string_equal(s2_memattr_name(0x5, true), "fwb-normal-NC");
	assert_string_equal(s2_memattr_name(0x1, true), "device-nGnRE");
}

/* The s2 module's own DFSC table agrees with the esr module's
 * fsc_encode/fsc_decode (written independently from D24.2.46). */
static void test_fsc_agrees(void **state)
{
	(void)state;
	for (int f = S2_FAULT_TRANSLATION; f <= S2_FAULT_SYNC_EXT_WALK; f++)
		for (int l = -1; l <= 3; l++) {
			int mine = s2_fsc_code((enum s2_fault)f, l);
			if (mine < 0)
				continue;
			assert_int_equal(fsc_encode(s2_fault_fsc_type((enum s2_fault)f), l), mine);
			struct fsc_info fi;
			assert_int_equal(fsc_decode((unsigned)mine, &fi), 0);
			assert_int_equal(fi.type, s2_fault_fsc_type((enum s2_fault)f));
			assert_int_equal(fi.level, l);
		}
}

/* Hardware update write-back (D8.5; AArch64.S2Translate MemSwapTableDesc):
 * the compare-and-swap sees another value -> the walk restarts; a word
 * that keeps changing gives -EAGAIN; a failed write is a synchronous
 * external abort on the walk or hardware update (DFSC 0x15 at level 1). */
struct casmem {
	uint64_t desc;		/* the one level-1 descriptor, at 0x2010 */
	unsigned cas_calls, races, reads;
	int cas_rc;
};

static int cas_read(void *ctx, uint64_t pa, uint64_t *v)
{
	struct casmem *m = ctx;
	m->reads++;
	*v = pa == 0x2010 ? m->desc : 0;
	return 0;
}

static int cas_swap(void *ctx, uint64_t pa, uint64_t expect, uint64_t desired, uint64_t *found)
{
	struct casmem *m = ctx;
	m->cas_calls++;
	if (m->cas_rc)
		return m->cas_rc;
	assert_int_equal(pa, 0x2010);
	if (m->races) {		/* software changed bit [55] (ignored) first */
		m->races--;
		m->desc ^= UINT64_C(1) << 55;
		*found = m->desc;
		return 0;
	}
	*found = m->desc;
	if (m->desc == expect)
		m->desc = desired;
	return 0;
}

static void test_hw_update_writeback(void **state)
{
	struct s2_config c;
	const char *rule = NULL;
	struct s2_result r;
	struct casmem cm = { .desc = 0x000800008000037d };	/* DBM=1, AF=0, S2AP=01 */
	const struct s2_mem mem = { .read64 = cas_read, .cas64 = cas_swap, .ctx = &cm };
	(void)state;
	/* Lab 5 with HA and HD (hafdbs_hand.scn). */
	assert_int_equal(s2_config_init(0x620058, 0x2000, S2_FEAT_ALL, 48, false, &c, &rule), 0);
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_WRITE, false, &mem, &r), 0);
	assert_int_equal(r.fault, S2_OK);
	assert_true(r.upd.valid && r.upd.written);
	assert_int_equal(r.upd.new_desc, 0x00080000800007fd);
	assert_int_equal(cm.desc, 0x00080000800007fd);
	/* Race: the first swap finds the word changed; the walk restarts,
	 * re-reads it and updates the new value. */
	cm = (struct casmem){ .desc = 0x000800008000037d, .races = 1 };
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_WRITE, false, &mem, &r), 0);
	assert_int_equal(cm.cas_calls, 2);
	assert_int_equal(r.upd.old_desc, 0x008800008000037d);
	assert_int_equal(cm.desc, 0x00880000800007fd);
	assert_true(r.upd.written);
	/* A word that changes under every swap: bounded, -EAGAIN. */
	cm = (struct casmem){ .desc = 0x000800008000037d, .races = 100 };
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_WRITE, false, &mem, &r), -EAGAIN);
	assert_int_equal(cm.cas_calls, S2_MAX_RESTARTS + 1);
	/* Failed write: synchronous external abort, level 1 (D24.2.46 DFSC
	 * 0b010101). */
	cm = (struct casmem){ .desc = 0x000800008000037d, .cas_rc = -EIO };
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_WRITE, false, &mem, &r), 0);
	assert_int_equal(r.fault, S2_FAULT_SYNC_EXT_WALK);
	assert_int_equal(r.fsc, 0x15);
	assert_false(r.upd.written);
}

/* The same bound over a flat memory (s2_flat_read64, which the walk reads
 * inline) with a compare-and-swap that always finds the word changed:
 * S2_MAX_RESTARTS + 1 attempts in all, then -EAGAIN; without the
 * compare-and-swap the update is only reported. */
struct flatcas {
	struct s2_flatmem m;	/* first: ctx is also the s2_flat_read64 context */
	unsigned cas_calls;
};

static int flat_race(void *ctx, uint64_t pa, uint64_t expect, uint64_t desired, uint64_t *found)
{
	struct flatcas *f = ctx;
	(void)pa;
	(void)desired;
	f->cas_calls++;
	*found = expect ^ UINT64_C(1) << 55;	/* software changed an ignored bit */
	return 0;
}

static void test_hw_update_flat_restarts(void **state)
{
	static uint8_t buf[64 << 10];
	struct s2_config c;
	struct s2_build_out bo;
	struct s2_result r;
	const char *why = NULL;
	const struct s2_region reg = { 0x80000000, 0x80000000, 0x1000, S2_R | S2_W };
	(void)state;
	/* Lab 5 with HA and HD, as above; the builder's page has AF=1. */
	assert_int_equal(s2_config_init(0x620058, 0x10000, S2_FEAT_ALL, 48, false, &c, &why), 0);
	assert_int_equal(s2_build(&c, &reg, 1, buf, sizeof(buf), 0x10000, &bo, &why), 0);
	struct flatcas f = { .m = { buf, bo.used, 0x10000 } };
	const struct s2_mem traced = { .read64 = s2_flat_read64, .ctx = &f.m, .trace = true };
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_READ, false, &traced, &r), 0);
	assert_int_equal(r.fault, S2_OK);
	assert_false(r.upd.valid);
	/* Clear AF (bit 10) in the page descriptor: every walk now owes an
	 * update. */
	uint64_t dpa = r.trace[r.steps - 1].desc_pa;
	buf[dpa - 0x10000 + 1] &= (uint8_t)~(1u << (10 - 8));
	const struct s2_mem ro = { .read64 = s2_flat_read64, .ctx = &f };
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_READ, false, &ro, &r), 0);
	assert_true(r.upd.valid && !r.upd.written);
	assert_int_equal(r.upd.desc_pa, dpa);
	const struct s2_mem mem = { .read64 = s2_flat_read64, .cas64 = flat_race, .ctx = &f };
	assert_int_equal(s2_walk_mem(&c, 0x80000040, S2_ACC_READ, false, &mem, &r), -EAGAIN);
	assert_int_equal(f.cas_calls, S2_MAX_RESTARTS + 1);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_scenarios),
	cmocka_unit_test(test_vtcr_invalid),
	cmocka_unit_test(test_features_parse),
	cmocka_unit_test(test_hw_update_writeback),
	cmocka_unit_test(test_hw_update_flat_restarts),
	cmocka_unit_test(test_roundtrip),
	cmocka_unit_test(test_build_errors),
	cmocka_unit_test(test_build_ds),
	cmocka_unit_test(test_esr_isv),
	cmocka_unit_test(test_memattr),
	cmocka_unit_test(test_fsc_agrees))
