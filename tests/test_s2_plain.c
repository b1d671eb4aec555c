/* The plain Stage-2 walk (decoder/s2_walk.c walk_plain: flat memory, no
 * trace, a regime without the 52-bit formats, DS, HA or S2PIE) against the
 * full walk over the same memory (flat with a trace, and through a read
 * callback): tables from the builder with one descriptor of the walk
 * changed at a time, at every level of every configuration, for every
 * access. Regimes with hardware updates or S2PIE must not take the plain
 * walk and are compared the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/s2.h"

#define BASE UINT64_C(0x400000)	/* aligned to the largest root (16 x 64KB) */
#define LEN (1u << 20)

static uint8_t mem[LEN];

struct cfg_row {
	const char *name;
	struct s2_vtcr v;
	unsigned features;
	unsigned pa_range;
	bool plain;		/* expected struct s2_config plain */
};

static const struct cfg_row rows[] = {
	{ "4k-l0", { .t0sz = 16, .sl0 = 2, .tg0 = 0, .ps = 5 }, S2_FEAT_ALL, 48, true },
	{ "4k-l1-concat", { .t0sz = 24, .sl0 = 1, .tg0 = 0, .ps = 5 }, S2_FEAT_ALL, 48, true },
	{ "4k-l2-ps40", { .t0sz = 34, .sl0 = 0, .tg0 = 0, .ps = 2 }, S2_FEAT_ALL, 48, true },
	{ "4k-l1-noxnx", { .t0sz = 24, .sl0 = 1, .tg0 = 0, .ps = 5 },
	  S2_FEAT_ALL & ~S2_FEAT_XNX, 48, true },
	{ "16k-l1", { .t0sz = 17, .sl0 = 2, .tg0 = 2, .ps = 5 }, S2_FEAT_ALL, 48, true },
	{ "16k-l2", { .t0sz = 28, .sl0 = 1, .tg0 = 2, .ps = 5 }, S2_FEAT_ALL, 48, true },
	{ "64k-l2-ps42", { .t0sz = 22, .sl0 = 1, .tg0 = 1, .ps = 3 }, S2_FEAT_ALL, 48, true },
	{ "64k-l1", { .t0sz = 16, .sl0 = 2, .tg0 = 1, .ps = 5 }, S2_FEAT_ALL, 48, true },
	{ "4k-l1-ha", { .t0sz = 24, .sl0 = 1, .tg0 = 0, .ps = 5, .ha = true },
	  S2_FEAT_ALL, 48, false },
	{ "64k-l2-ha-hd", { .t0sz = 22, .sl0 = 1, .tg0 = 1, .ps = 3, .ha = true, .hd = true },
	  S2_FEAT_ALL, 48, false },
	{ "16k-l2-s2pie", { .t0sz = 28, .sl0 = 1, .tg0 = 2, .ps = 5, .s2pie = true },
	  S2_FEAT_ALL, 48, false },
	{ "64k-l2-pa52", { .t0sz = 22, .sl0 = 1, .tg0 = 1, .ps = 3 }, S2_FEAT_ALL, 52, false },
};

/* One change to a descriptor of the walk: a fault of each kind the walk
 * reports, or an attribute the result carries. */
struct mutation {
	uint64_t clear, flip, set;
};
static const struct mutation mutations[] = {
	{ 0, 0, 0 },				/* unchanged */
	{ 1, 0, 0 },				/* invalid: Translation */
	{ 0, 2, 0 },				/* table <-> block, page -> reserved */
	{ UINT64_C(1) << 10, 0, 0 },		/* AF clear: Access flag */
	{ 0, UINT64_C(1) << 6, 0 },		/* S2AP[0]: read */
	{ 0, UINT64_C(1) << 7, 0 },		/* S2AP[1]: write */
	{ 0, UINT64_C(1) << 53, 0 },		/* XN[0] (RES0 without FEAT_XNX) */
	{ 0, UINT64_C(1) << 54, 0 },		/* XN[1] */
	{ 0, UINT64_C(1) << 51, 0 },		/* DBM */
	{ 0, UINT64_C(1) << 52, 0 },		/* Contiguous */
	{ 0, UINT64_C(3) << 8, 0 },		/* SH */
	{ 0, UINT64_C(0xf) << 2, 0 },		/* MemAttr */
	{ 0, 0, UINT64_C(1) << 47 },		/* OA beyond PS 40/42: Address size */
	{ 0, 0, UINT64_C(1) << 41 },		/* OA beyond PS 40 only */
	{ 0, UINT64_C(1) << 20, 0 },		/* next table outside the memory */
};

/* Kinds of result seen: successes, and per fault the levels (bit level+1). */
struct tally {
	unsigned ok;
	unsigned levels[S2_FAULT_SYNC_EXT_WALK + 1];
};

static int flat_cb(void *ctx, uint64_t pa, uint64_t *v)
{
	return s2_flat_read64(ctx, pa, v);
}

/* A success's attributes read off its final descriptor (D8.3), field by
 * field: both walks fill them the same way, so agreeing is not enough. */
static void check_attrs(const struct s2_config *c, const struct s2_result *r)
{
	uint64_t d = r->trace[r->steps - 1].desc;

	assert_int_equal(r->s2ap, hvx_bits(d, 7, 6));
	assert_int_equal(r->xn, hvx_bits(d, 54, 53) & (c->features & S2_FEAT_XNX ? 3 : 2));
	assert_int_equal(r->memattr, hvx_bits(d, 5, 2));
	assert_int_equal(r->sh, c->ds ? c->vtcr.sh0 : hvx_bits(d, 9, 8));
	assert_int_equal(r->af, hvx_bit(d, 10));
	assert_int_equal(r->dbm, hvx_bit(d, 51));
	assert_int_equal(r->contig, hvx_bit(d, 52));
	if (!c->hd && !c->s2pie)
		assert_int_equal(r->writable, hvx_bit(d, 7));
}

/* The plain walk (s2_walk) and the full walks agree for every access. */
static void agree(const struct s2_config *c, const struct s2_flatmem *m, uint64_t ipa,
		  struct tally *t)
{
	const struct s2_mem flat = { .read64 = s2_flat_read64, .ctx = (void *)m, .trace = true };
	const struct s2_mem cb = { .read64 = flat_cb, .ctx = (void *)m, .trace = true };

	for (unsigned a = 0; a < 4; a++) {
		enum s2_access acc = a < 3 ? (enum s2_access)a : S2_ACC_EXEC;
		bool el0 = a == 3;
		struct s2_result plain, full, viacb;

		memset(&plain, 0x5a, sizeof(plain));	/* a field left unset differs */
		assert_int_equal(s2_walk(c, ipa, acc, el0, s2_flat_read64, (void *)m, &plain), 0);
		assert_int_equal(s2_walk_mem(c, ipa, acc, el0, &flat, &full), 0);
		assert_int_equal(s2_walk_mem(c, ipa, acc, el0, &cb, &viacb), 0);
		assert_true(s2_result_same(&full, &viacb, true));
		assert_true(s2_result_same(&plain, &full, false));
		if (full.fault == S2_OK) {
			check_attrs(c, &full);
			t->ok++;
		}
		else
			t->levels[full.fault] |= 1u << (full.level + 1);
	}
}

static uint64_t get64(uint64_t pa)
{
	uint64_t v;
	memcpy(&v, mem + (pa - BASE), 8);
	return v;
}

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(mem + (pa - BASE), &v, 8);
}

/* Every mutation of every descriptor on the walk of ipa. */
static void mutate_walk(const struct s2_config *c, const struct s2_flatmem *m, uint64_t ipa,
			struct tally *t)
{
	const struct s2_mem flat = { .read64 = s2_flat_read64, .ctx = (void *)m, .trace = true };
	struct s2_result ref;

	assert_int_equal(s2_walk_mem(c, ipa, S2_ACC_READ, false, &flat, &ref), 0);
	assert_true(ref.steps >= 1 && ref.steps <= S2_MAX_LEVELS);
	for (unsigned s = 0; s < ref.steps; s++) {
		uint64_t pa = ref.trace[s].desc_pa, d = get64(pa);
		for (size_t k = 0; k < HVX_ARRAY_SIZE(mutations); k++) {
			const struct mutation *mu = &mutations[k];
			put64(pa, ((d & ~mu->clear) ^ mu->flip) | mu->set);
			agree(c, m, ipa, t);
		}
		put64(pa, d);
	}
}

static void run_row(const struct cfg_row *row)
{
	struct s2_config c;
	struct s2_build_out bo;
	const char *why = NULL;

	assert_int_equal(s2_config_init(s2_vtcr_encode(&row->v), BASE, row->features,
					row->pa_range, false, &c, &why), 0);
	assert_int_equal(c.plain, row->plain);
	c.s2pir = UINT64_C(0xfedcba9876543210);	/* every S2PIE permission */
	uint64_t g = UINT64_C(1) << c.granule_bits, blk = UINT64_C(1) << c.shift[2 + 1];
	/* Pages (normal RWX, device read-only) and a level 2 block. */
	const struct s2_region reg[] = {
		{ 0, blk, g, S2_R | S2_W | S2_X },
		{ 4 * g, blk + 4 * g, g, S2_R | S2_DEV },
		{ blk, 2 * blk, blk, S2_R | S2_W },
	};
	assert_int_equal(s2_build(&c, reg, HVX_ARRAY_SIZE(reg), mem, LEN, BASE, &bo, &why), 0);
	struct s2_flatmem m = { .buf = mem, .len = bo.used, .base = BASE };
	struct tally t = { 0 };
	for (size_t i = 0; i < HVX_ARRAY_SIZE(reg); i++)
		mutate_walk(&c, &m, reg[i].ipa + 8, &t);
	/* Outside the IA size, and memories that hold too little. */
	agree(&c, &m, UINT64_C(1) << c.ia_bits, &t);
	agree(&c, &m, UINT64_C(1) << 63, &t);
	struct s2_flatmem none = { .buf = mem, .len = 4, .base = BASE };
	agree(&c, &none, 8, &t);
	struct s2_flatmem root_word = { .buf = mem, .len = 8, .base = BASE };
	agree(&c, &root_word, 8, &t);

	fprintf(stderr, "%-14s plain %d: %u ok, translation levels %#x, access flag %#x, "
		"permission %#x, address size %#x, external %#x\n", row->name, c.plain, t.ok,
		t.levels[S2_FAULT_TRANSLATION], t.levels[S2_FAULT_ACCESS_FLAG],
		t.levels[S2_FAULT_PERMISSION], t.levels[S2_FAULT_ADDRESS_SIZE],
		t.levels[S2_FAULT_SYNC_EXT_WALK]);
	/* Translation faults at every level of the walk, and each other kind. */
	unsigned every = (1u << (3 + 2)) - (1u << (c.start_level + 1));
	assert_int_equal(t.levels[S2_FAULT_TRANSLATION] & every, every);
	assert_true(t.ok > 0);
	assert_true(t.levels[S2_FAULT_PERMISSION] && t.levels[S2_FAULT_SYNC_EXT_WALK]);
	if (!row->v.ha)
		assert_true(t.levels[S2_FAULT_ACCESS_FLAG]);
	if (c.oa_bits < 47)
		assert_true(t.levels[S2_FAULT_ADDRESS_SIZE]);
}

static void test_plain_agrees(void **state)
{
	(void)state;
	for (size_t i = 0; i < HVX_ARRAY_SIZE(rows); i++)
		run_row(&rows[i]);
}

HVX_TEST_MAIN(NULL, NULL, cmocka_unit_test(test_plain_agrees))
