/*
 * GIC distributor checks for hvexit validate (validate.h), judged by
 * gicd_stream.c against emu/gicd.c with the same owned interrupts:
 *   1. a fixed scenario of spec points (IHI 0048B 4.3: TYPER, set/clear
 *      pairs, a priority byte read back);
 *   2. systematic: every per-IRQ register x every access width it allows x
 *      every byte offset inside the word, at boundaries between owned and
 *      guest interrupts, each write followed by a read of the same bytes;
 *   3. random read/write streams, shrunk to the accesses that matter.
 * --hostile adds streams of accesses no guest driver makes (any offset,
 * widths 2/3/8, unaligned words): only a crash or a hang counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/rng.h"
#include "harness/validate/gicd_stream.h"
#include "harness/validate/validate.h"
#include "hvexit/common.h"
#include "hvexit/gicd.h"

#define MAX_PROC_FINDINGS 3

static const char *const judged[] = { "access", "owned_irq", "ITARGETSR0-7", "ICFGR0",
				      "vs_reference" };

/* Fixed scenario: timer PPI 27 and SPI 40 owned, set/clear pairs and a
 * priority byte read back. */
static int gicd_fixed(struct plugin_host *h, struct val_ep *ep)
{
	static struct gstream g;
	static struct plugin_gicd_res res[64];
	struct plugin_status st;
	int new_ok = 0, e;
	char in[320];

	memset(&g, 0, sizeof(g));
	g.nr = 64;
	g.owned[27 / 8] |= 1u << (27 % 8);
	g.owned[40 / 8] |= 1u << (40 % 8);
	/* 0 TYPER; 1-3 enable set/clear of SPI 34; 4-6 pending set/clear;
	 * 7-8 byte priority write/read; 9-10 ICENABLER, ISENABLER after clear */
	gstream_op(&g, 0, 4, GICD_TYPER, 0);
	gstream_op(&g, 1, 4, GICD_ISENABLER + 4, 1u << 2);
	gstream_op(&g, 0, 4, GICD_ISENABLER + 4, 0);
	gstream_op(&g, 0, 4, GICD_ICENABLER + 4, 0);
	gstream_op(&g, 1, 4, GICD_ISPENDR + 4, 1u << 5);
	gstream_op(&g, 0, 4, GICD_ICPENDR + 4, 0);
	gstream_op(&g, 1, 4, GICD_ICPENDR + 4, 1u << 5);
	gstream_op(&g, 1, 1, GICD_IPRIORITYR + 36, 0xa0);
	gstream_op(&g, 0, 1, GICD_IPRIORITYR + 36, 0);
	gstream_op(&g, 1, 4, GICD_ICENABLER + 4, 1u << 2);
	gstream_op(&g, 0, 4, GICD_ISENABLER + 4, 0);
	gstream_op(&g, 0, 4, GICD_ISPENDR + 4, 0);
	e = plugin_call_gicd(h, g.nr, g.owned, g.ops, g.nops, &new_ok, res, &st);
	if (e)
		return e;
	ep->cases++;
	ep->vectors++;
	snprintf(in, sizeof(in), "nr_irqs=64 owned={27,40}: fixed sequence (TYPER; "
		 "ISENABLER1/ICENABLER1 bit 2; ISPENDR1/ICPENDR1 bit 5; IPRIORITYR byte 36)");
	if (st.kind != PLUGIN_CALL_OK) {
		val_process(ep, &st, in);
		return 0;
	}
	if (!new_ok) {
		val_count(ep, val_field(ep, "new", "IHI 0048B 4.3.2"), 1, in, "a distributor", "NULL");
		return 0;
	}
	{
		struct { const char *f, *rule; unsigned idx; uint32_t mask, want; } chk[] = {
			{ "TYPER", "IHI 0048B 4.3.2 GICD_TYPER.ITLinesNumber [4:0] = nr_irqs/32 - 1",
			  0, 0x1f, 1 },
			{ "ISENABLER/ICENABLER", "IHI 0048B 4.3.5: writing 1 to ISENABLER sets the enable; ISENABLER reads it",
			  2, 1u << 2, 1u << 2 },
			{ "ISENABLER/ICENABLER", "IHI 0048B 4.3.6: ICENABLER reads the same enable state",
			  3, 1u << 2, 1u << 2 },
			{ "ISPENDR/ICPENDR", "IHI 0048B 4.3.7/4.3.8: ISPENDR write sets pending, ICPENDR reads it",
			  5, 1u << 5, 1u << 5 },
			{ "IPRIORITYR", "IHI 0048B 4.3.11: IPRIORITYR is byte-accessible; 0xa0 reads back (>= 16 levels)",
			  8, 0xff, 0xa0 },
			{ "ISENABLER/ICENABLER", "IHI 0048B 4.3.6: writing 1 to ICENABLER clears the enable",
			  10, 1u << 2, 0 },
			{ "ISPENDR/ICPENDR", "IHI 0048B 4.3.8: writing 1 to ICPENDR clears pending",
			  11, 1u << 5, 0 },
		};
		for (unsigned i = 0; i < HVX_ARRAY_SIZE(chk); i++) {
			char ex[96], ac[96], in2[340];
			uint32_t got = res[chk[i].idx].val & chk[i].mask;

			snprintf(ex, sizeof(ex), "0x%x (mask 0x%x)", chk[i].want, chk[i].mask);
			snprintf(ac, sizeof(ac), "0x%x (rc %d)", got, res[chk[i].idx].rc);
			snprintf(in2, sizeof(in2), "%.300s, op %u", in, chk[i].idx);
			val_count(ep, val_field(ep, chk[i].f, chk[i].rule),
				  got != chk[i].want || res[chk[i].idx].rc < 0, in2, ex, ac);
		}
	}
	return 0;
}

static void reproduce(const struct val_ep *ep, const struct gstream *g, char *buf, size_t len)
{
	char d[3000];

	gstream_describe(g, d, sizeof(d));
	val_reproduce(ep, buf, len, "--gicd %s", d);
}

/* Drop accesses while the stream fails the same way (same invariant and
 * cause). */
static void shrink(struct plugin_host *h, struct gstream *g, const struct gverdict *want)
{
	static struct gstream t;

	for (unsigned i = g->nops; i-- > 0;) {
		struct gverdict v;
		struct plugin_status st;

		t = *g;
		memmove(&t.ops[i], &t.ops[i + 1], (t.nops - i - 1) * sizeof(t.ops[0]));
		t.nops--;
		if (gstream_judge(h, &t, &v, &st) == 1 && !strcmp(v.field, want->field) &&
		    !strcmp(v.cluster, want->cluster))
			*g = t;
	}
}

/* One judged case; label names a systematic case in the input text. */
static int judge_case(struct plugin_host *h, struct val_ep *ep, struct gstream *g,
		      bool may_shrink)
{
	struct gverdict v;
	struct plugin_status st;
	char in[3100], rep[3300];
	int r = gstream_judge(h, g, &v, &st);

	if (r < 0)
		return r;
	ep->cases++;
	val_tick(ep, 0);
	if (r == 2) {
		gstream_describe(g, in, sizeof(in));
		reproduce(ep, g, rep, sizeof(rep));
		val_process_as(ep, &st, NULL, in, rep);
		return 0;
	}
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(judged); i++)
		if (!(r == 1 && !strcmp(v.field, judged[i])))
			ep->f[val_field(ep, judged[i], gstream_rule(judged[i]))].compared++;
	if (r != 1)
		return 0;
	if (may_shrink && !val_seen(ep, val_field(ep, v.field, v.rule), v.cluster)) {
		struct gverdict w = v;

		shrink(h, g, &w);
		if (gstream_judge(h, g, &v, &st) != 1)
			v = w;
	}
	gstream_describe(g, in, sizeof(in));
	reproduce(ep, g, rep, sizeof(rep));
	val_fail(ep, val_field(ep, v.field, v.rule), v.cluster, in, v.expected, v.actual,
		 v.rule, rep);
	return 0;
}

/* Owned interrupts at every byte position of a word and on both sides of
 * word boundaries, plus the timer PPI. */
static void boundary_owned(struct gstream *g)
{
	static const unsigned own[] = { 27, 32, 37, 42, 47, 48, 52, 57, 62, 63 };

	for (unsigned i = 0; i < HVX_ARRAY_SIZE(own); i++)
		if (own[i] < g->nr)
			gstream_own(g, own[i]);
}

/* The registers guest writes go to: bits per IRQ, access widths allowed
 * (IHI 0048B 4.3: all word-accessible; IPRIORITYR and ITARGETSR also
 * byte-accessible, 4.3.11/4.3.12). */
static const struct { uint32_t base; unsigned bits, widths; } sys_regs[] = {
	{ GICD_IGROUPR, 1, 4 }, { GICD_ISENABLER, 1, 4 }, { GICD_ICENABLER, 1, 4 },
	{ GICD_ISPENDR, 1, 4 }, { GICD_ICPENDR, 1, 4 }, { GICD_ISACTIVER, 1, 4 },
	{ GICD_ICACTIVER, 1, 4 }, { GICD_IPRIORITYR, 8, 4 | 1 }, { GICD_ITARGETSR, 8, 4 | 1 },
	{ GICD_ICFGR, 2, 4 },
};

static int systematic(struct plugin_host *h, struct val_ep *ep)
{
	static const uint32_t vals[] = { 0xffffffffu, 0xa5a5a5a5u };
	static struct gstream g;
	int e = 0;

	for (unsigned r = 0; r < HVX_ARRAY_SIZE(sys_regs) && !e; r++)
		for (uint32_t w = 0; w < 64 * sys_regs[r].bits / 32 && !e; w++)
			for (unsigned len = 1; len <= 4 && !e; len <<= 1)
				for (unsigned b = 0; b < 4 && (sys_regs[r].widths & len) && !e;
				     b += len)
					for (unsigned k = 0; k < HVX_ARRAY_SIZE(vals) && !e; k++) {
						uint32_t off = sys_regs[r].base + 4 * w + b;
						uint32_t v = len == 4 ? vals[k] : vals[k] & 0xff;

						if (ep->proc_findings >= MAX_PROC_FINDINGS)
							return 0;
						memset(&g, 0, sizeof(g));
						g.nr = 64;
						boundary_owned(&g);
						gstream_op(&g, 1, len, off, v);
						gstream_op(&g, 0, len, off, 0);
						e = judge_case(h, ep, &g, false);
						ep->systematic++;
					}
	return e;
}

/* A random stream of reads and writes to the per-IRQ registers. */
static void random_stream(uint64_t *s, struct gstream *g)
{
	memset(g, 0, sizeof(*g));
	g->nr = 32 * (1 + (unsigned)util_rng_below(s, 4));
	for (unsigned q = 0; q < g->nr; q++)
		if (util_rng_below(s, 4) == 0)
			gstream_own(g, q);
	for (unsigned k = 0; k < 24; k++) {
		unsigned r = (unsigned)util_rng_below(s, HVX_ARRAY_SIZE(sys_regs));
		uint32_t span = g->nr * sys_regs[r].bits / 8;
		uint32_t off = (uint32_t)util_rng_below(s, span);
		int byte = (sys_regs[r].widths & 1) && util_rng_below(s, 2);

		gstream_op(g, util_rng_below(s, 3) != 0, byte ? 1 : 4,
			   sys_regs[r].base + (byte ? off : off & ~3u),
			   (uint32_t)util_rng_next(s) & (byte ? 0xffu : 0xffffffffu));
	}
}

int val_run_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	static struct gstream g;
	uint64_t s = o->seed ^ UINT64_C(0x61cd);
	unsigned n = o->cases / 10 + 1;
	int e = gicd_fixed(h, ep);

	if (!e)
		e = systematic(h, ep);
	for (unsigned i = 0; !e && i < n && ep->proc_findings < MAX_PROC_FINDINGS; i++) {
		random_stream(&s, &g);
		e = judge_case(h, ep, &g, true);
		ep->random++;
	}
	snprintf(ep->note, sizeof(ep->note), "spec scenario, %u systematic accesses "
		 "(register x width x byte offset), %u random streams vs emu/gicd.c",
		 ep->systematic, ep->random);
	return e;
}

/* Robustness: accesses no guest driver makes; the answer does not matter. */
int val_hostile_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	static const uint8_t lens[] = { 1, 2, 3, 4, 8 };
	static struct gstream g;
	static struct plugin_gicd_res res[GSTREAM_MAX_OPS];
	uint64_t s = o->seed ^ UINT64_C(0x9057);
	unsigned n = o->cases / 10 + 1;

	ep->proc_findings = 0;
	for (unsigned i = 0; i < n && ep->proc_findings < MAX_PROC_FINDINGS; i++) {
		struct plugin_status st;
		char in[3100], rep[3300];
		int new_ok, e;

		memset(&g, 0, sizeof(g));
		g.nr = 32 * (1 + (unsigned)util_rng_below(&s, 32));
		for (unsigned k = 0; k < 32; k++)
			gstream_op(&g, (int)util_rng_below(&s, 2),
				   lens[util_rng_below(&s, HVX_ARRAY_SIZE(lens))],
				   (uint32_t)util_rng_below(&s, 0x1000), (uint32_t)util_rng_next(&s));
		e = plugin_call_gicd(h, g.nr, g.owned, g.ops, g.nops, &new_ok, res, &st);
		if (e)
			return e;
		ep->hostile++;
		val_tick(ep, n);
		if (st.kind == PLUGIN_CALL_OK)
			continue;
		gstream_describe(&g, in, sizeof(in));
		reproduce(ep, &g, rep, sizeof(rep));
		val_process_as(ep, &st, NULL, in, rep);
	}
	return 0;
}

int val_single_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	static struct gstream g;
	static struct plugin_gicd_res res[GSTREAM_MAX_OPS];
	struct plugin_status st;
	char err[200], in[3100], rep[3300];
	int new_ok, e;

	if (gstream_parse(o->single.gicd, &g, err, sizeof(err)))
		return -EINVAL;
	if (ep->cls == VAL_CONFORMANCE)
		return judge_case(h, ep, &g, false);
	e = plugin_call_gicd(h, g.nr, g.owned, g.ops, g.nops, &new_ok, res, &st);
	if (e)
		return e;
	ep->hostile++;
	if (st.kind != PLUGIN_CALL_OK) {
		gstream_describe(&g, in, sizeof(in));
		reproduce(ep, &g, rep, sizeof(rep));
		val_process_as(ep, &st, NULL, in, rep);
	}
	return 0;
}
