/* The conformance input space of the data-abort entry points
 * (harness/validate/dabt_space.h) against Arm ARM D24.2.46 rules worked
 * out by hand, the causes found by probing its grid (dabt_cause.h) with
 * plugins written as functions, and the GIC stream text form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "harness/validate/dabt_cause.h"
#include "harness/validate/dabt_space.h"
#include "harness/validate/gicd_stream.h"
#include "hvexit/esr.h"
#include "hvexit/esr_load.h"

/* EC, IL, ISV, SAS, SSE, SRT, SF, AR, S1PTW, WnR, DFSC placed per D24.2.46. */
static uint64_t esr(unsigned ec, unsigned il, unsigned isv, unsigned sas, unsigned sse,
		    unsigned srt, unsigned sf, unsigned ar, unsigned s1ptw, unsigned wnr,
		    unsigned dfsc)
{
	return ((uint64_t)ec << 26) | (il << 25) | (isv << 24) | (sas << 22) | (sse << 21) |
	       (srt << 16) | (sf << 15) | (ar << 14) | (s1ptw << 7) | (wnr << 6) | dfsc;
}

static void test_possible_by_hand(void **state)
{
	(void)state;
	/* LDRSB w1, translation fault level 2; STR x0 (the KVM capture) */
	assert_true(dabt_possible(esr(0x24, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0x06)));
	assert_true(dabt_possible(0x93c08046));
	/* LDAR x3, permission fault level 3 with ISS2 Overlay */
	assert_true(dabt_possible(esr(0x24, 1, 1, 3, 0, 3, 1, 1, 0, 0, 0x0f) |
				  (UINT64_C(1) << 38)));
	/* ISV=0 with S1PTW: a stage 2 fault on a stage 1 walk */
	assert_true(dabt_possible(esr(0x24, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0x07)));
	/* translation fault level -1 (FEAT_LPA2) */
	assert_true(dabt_possible(esr(0x24, 1, 1, 2, 0, 5, 0, 0, 0, 1, 0x2b)));

	/* EC 0x25: an abort of EL2 itself */
	assert_false(dabt_possible(esr(0x25, 1, 1, 1, 0, 4, 0, 0, 0, 0, 0x05)));
	/* IL=0: no A64 instruction */
	assert_false(dabt_possible(esr(0x24, 0, 1, 0, 1, 17, 0, 0, 0, 0, 0x0b)));
	/* S1PTW=1 has no instruction syndrome */
	assert_false(dabt_possible(esr(0x24, 1, 1, 2, 0, 1, 0, 0, 1, 0, 0x07)));
	/* alignment, synchronous External abort, TLB conflict, reserved */
	assert_false(dabt_possible(esr(0x24, 1, 1, 2, 0, 1, 0, 0, 0, 0, 0x21)));
	assert_false(dabt_possible(esr(0x24, 1, 1, 2, 0, 1, 0, 0, 0, 0, 0x10)));
	assert_false(dabt_possible(esr(0x24, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x30)));
	assert_false(dabt_possible(esr(0x24, 1, 1, 2, 0, 1, 0, 0, 0, 0, 0x3f)));
	/* LDRSW to a W register, SSE with SAS=3, a sign-extending store,
	 * LDRB to an X register */
	assert_false(dabt_possible(esr(0x24, 1, 1, 2, 1, 1, 0, 0, 0, 0, 0x06)));
	assert_false(dabt_possible(esr(0x24, 1, 1, 3, 1, 1, 1, 0, 0, 0, 0x06)));
	assert_false(dabt_possible(esr(0x24, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0x06)));
	assert_false(dabt_possible(esr(0x24, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0x06)));
	/* ISV=0 with ISS[23:14] set (RES0); Overlay without a permission
	 * fault; RES0 bits [63:56] */
	assert_false(dabt_possible(esr(0x24, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0x06)));
	assert_false(dabt_possible(esr(0x24, 1, 1, 3, 0, 3, 1, 0, 0, 0, 0x06) |
				   (UINT64_C(1) << 38)));
	assert_false(dabt_possible(0x93c08046 | (UINT64_C(1) << 60)));
}

/* Every grid point is possible or not by the rules; a possible one gives a
 * syndrome that maps back to it. */
static void test_grid_roundtrip(void **state)
{
	unsigned n = dabt_grid_size(), possible = 0;

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		struct dabt_point p, q;
		unsigned srt, r = i;
		uint64_t e, bus;

		for (int a = AX_COUNT - 1; a >= 0; a--) {
			p.v[a] = (uint8_t)(r % dabt_axis_len[a]);
			r /= dabt_axis_len[a];
		}
		assert_int_equal(dabt_point_index(&p), i);
		if (!dabt_point_possible(&p))
			continue;
		possible++;
		e = dabt_point_esr(&p, dabt_srt_rep[p.v[AX_SRT]]);
		bus = dabt_point_bus(&p);
		assert_true(dabt_point_of(e, bus, &q, &srt));
		if (p.v[AX_CLS] >= DCLS_NLOADS)
			q.v[AX_BUS] = p.v[AX_BUS];	/* no data for a store */
		assert_memory_equal(&p, &q, sizeof(p));
		assert_int_equal(esr_ec(e), 0x24);
		assert_int_equal(esr_il(e), 1);
	}
	assert_true(possible > 1000);
}

static void test_generators(void **state)
{
	uint64_t s = 7;
	unsigned outside = 0, isv0 = 0;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		uint64_t e = dabt_gen_possible(&s, false);

		assert_true(dabt_possible(e));
		isv0 += !((e >> 24) & 1);
		outside += !dabt_possible(dabt_gen_hostile(&s));
	}
	assert_true(isv0 > 100);
	assert_true(outside > 4000);
}

/* Plugins as functions of (esr, bus): which fields fail. */
struct fake { uint32_t (*fn)(uint64_t esr, uint64_t bus); unsigned calls; };

static int fake_eval(void *ctx, uint64_t e, uint64_t bus, uint32_t *fail)
{
	struct fake *f = ctx;

	f->calls++;
	*fail = f->fn(e, bus);
	return 0;
}

/* Field 1 wrong: LDRSB/LDRSH to W keep 64 sign bits (sign bit set), and
 * LDRB/LDRH keep junk above the access size. */
static uint32_t two_bugs(uint64_t e, uint64_t bus)
{
	unsigned sas = (e >> 22) & 3, sse = (e >> 21) & 1, sf = (e >> 15) & 1;
	unsigned srt = (e >> 16) & 31, bits = 8u << sas;
	int sign = bus >> (bits - 1) & 1, junk = bits < 64 && bus >> bits;

	if (srt == 31 || (e >> 6 & 1))
		return 0;
	if (sse && !sf && sign)
		return 1u << 1;
	if (!sse && sas < 2 && junk)
		return 1u << 1;
	return 0;
}

static int key_of(struct cause_grid *g, uint64_t e, uint64_t bus, char *key, size_t len)
{
	struct dabt_point p;
	uint64_t me, mb;
	unsigned srt;

	assert_true(dabt_point_of(e, bus, &p, &srt));
	return cause_key(g, &p, 1, key, len, &me, &mb);
}

static void test_two_causes(void **state)
{
	struct fake f = { two_bugs, 0 };
	struct cause_grid g = { .loads_only = true, .eval = fake_eval, .ctx = &f };
	char k1[160], k2[160], k3[160], k4[160];

	(void)state;
	g.cell = calloc(dabt_grid_size(), sizeof(*g.cell));
	assert_non_null(g.cell);
	/* LDRSB w1 of 0x80; LDRSH w20 of all ones, acquire, permission fault */
	assert_int_equal(key_of(&g, esr(0x24, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0x06), 0x80, k1,
				sizeof(k1)), 1);
	assert_int_equal(key_of(&g, esr(0x24, 1, 1, 1, 1, 20, 0, 1, 0, 0, 0x0f),
				~UINT64_C(0), k2, sizeof(k2)), 1);
	/* LDRB w2 with junk; LDRH w17 of all ones */
	assert_int_equal(key_of(&g, esr(0x24, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0x07),
				0x1234567f, k3, sizeof(k3)), 1);
	assert_int_equal(key_of(&g, esr(0x24, 1, 1, 1, 0, 17, 0, 0, 0, 0, 0x0a),
				~UINT64_C(0), k4, sizeof(k4)), 1);
	assert_string_equal(k1, k2);
	assert_string_equal(k3, k4);
	assert_true(strcmp(k1, k3) != 0);
	assert_non_null(strstr(k1, "LDRSB-W,LDRSH-W "));
	assert_null(strstr(k1, "LDRB"));
	assert_non_null(strstr(k3, "LDRB,LDRH "));
	assert_null(strstr(k3, "LDRS"));
	/* probes are cached: a third instance costs nothing new */
	{
		unsigned before = f.calls;

		assert_int_equal(key_of(&g, esr(0x24, 1, 1, 0, 1, 9, 0, 0, 0, 0, 0x05), 0xff,
					k2, sizeof(k2)), 1);
		assert_string_equal(k1, k2);
		assert_true(f.calls - before < 50);
	}
	free(g.cell);
}

/* SRT=31 is the zero register: a bug only there names it. */
static uint32_t xzr_bug(uint64_t e, uint64_t bus)
{
	(void)bus;
	return ((e >> 16) & 31) == 31 ? 1u << 1 : 0;
}

static void test_srt31_cause(void **state)
{
	struct fake f = { xzr_bug, 0 };
	struct cause_grid g = { .loads_only = false, .eval = fake_eval, .ctx = &f };
	char k[160];

	(void)state;
	g.cell = calloc(dabt_grid_size(), sizeof(*g.cell));
	assert_non_null(g.cell);
	assert_int_equal(key_of(&g, esr(0x24, 1, 1, 2, 0, 31, 0, 0, 0, 1, 0x06), 0, k,
				sizeof(k)), 1);
	/* every ISV=1 class fails with SRT=31, the ISV=0 ones (no SRT) not */
	assert_non_null(strstr(k, "SRT=31"));
	assert_null(strstr(k, "DFSC"));
	/* an instance that does not fail at its grid point: keyed by itself */
	assert_int_equal(key_of(&g, esr(0x24, 1, 1, 2, 0, 5, 0, 0, 0, 1, 0x06), 0, k,
				sizeof(k)), 0);
	free(g.cell);
}

static void test_gstream_text(void **state)
{
	static struct gstream g, h;
	char err[200], d[400], d2[400];

	(void)state;
	assert_int_equal(gstream_parse("nr=64,owned=27+37,w1@0x425=0xff,r4@0x424", &g, err,
				       sizeof(err)), 0);
	assert_int_equal(g.nr, 64);
	assert_int_equal(g.nops, 2);
	assert_int_equal(g.ops[0].write, 1);
	assert_int_equal(g.ops[0].len, 1);
	assert_int_equal(g.ops[0].offset, 0x425);
	assert_int_equal(g.ops[0].val, 0xff);
	gstream_describe(&g, d, sizeof(d));
	assert_int_equal(gstream_parse(d, &h, err, sizeof(err)), 0);
	gstream_describe(&h, d2, sizeof(d2));
	assert_string_equal(d, d2);
	assert_string_equal(d, "nr=64,owned=27+37,w1@0x425=0xff,r4@0x424");
	/* not a multiple of 32, a width of 3, an offset past the frame, an
	 * owned IRQ past nr, a read with a value, no nr */
	assert_int_not_equal(gstream_parse("nr=63", &g, err, sizeof(err)), 0);
	assert_int_not_equal(gstream_parse("nr=64,w3@0x400=1", &g, err, sizeof(err)), 0);
	assert_int_not_equal(gstream_parse("nr=64,w4@0x1000=1", &g, err, sizeof(err)), 0);
	assert_int_not_equal(gstream_parse("nr=32,owned=40", &g, err, sizeof(err)), 0);
	assert_int_not_equal(gstream_parse("nr=32,r4@0x400=1", &g, err, sizeof(err)), 0);
	assert_int_not_equal(gstream_parse("w4@0x400=1", &g, err, sizeof(err)), 0);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_possible_by_hand),
	cmocka_unit_test(test_grid_roundtrip),
	cmocka_unit_test(test_generators),
	cmocka_unit_test(test_two_causes),
	cmocka_unit_test(test_srt31_cause),
	cmocka_unit_test(test_gstream_text))
