/*
 * GIC distributor checks for hvexit validate (validate.h): scenarios and
 * invariants derived by hand from the specification (Arm IHI 0048B, GICv2
 * 4.3: read-only SGI/PPI target and SGI configuration registers, set/clear
 * register pairs, byte access to IPRIORITYR, TYPER.ITLinesNumber), then
 * random read/write streams compared with emu/gicd.c, after which every
 * hypervisor-owned interrupt must be unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/rng.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"
#include "hvexit/common.h"
#include "hvexit/s2.h"
#include "hvexit/gicd.h"

/* ---- GIC distributor ------------------------------------------------------ */


/* Per-IRQ field registers read back for the owned-IRQ invariant
 * (IHI 0048B 4.3: bits per interrupt of each). */
static const struct { uint32_t base; unsigned bits; const char *name; } per_irq[] = {
	{ GICD_IGROUPR, 1, "IGROUPR" }, { GICD_ISENABLER, 1, "ISENABLER" },
	{ GICD_ISPENDR, 1, "ISPENDR" }, { GICD_ISACTIVER, 1, "ISACTIVER" },
	{ GICD_IPRIORITYR, 8, "IPRIORITYR" }, { GICD_ITARGETSR, 8, "ITARGETSR" },
	{ GICD_ICFGR, 2, "ICFGR" },
};
/* Registers guest writes go to in the random streams. */
static const uint32_t wr_bases[] = {
	GICD_IGROUPR, GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR, GICD_ICPENDR,
	GICD_ISACTIVER, GICD_ISACTIVER + 0x80, GICD_IPRIORITYR, GICD_ITARGETSR,
	GICD_ICFGR,
};

struct gstream {
	unsigned nr;
	uint8_t owned[128];
	struct plugin_gicd_op ops[1024];
	unsigned nops;
};

static void op(struct gstream *g, int write, unsigned len, uint32_t off, uint32_t val)
{
	if (g->nops < HVX_ARRAY_SIZE(g->ops))
		g->ops[g->nops++] = (struct plugin_gicd_op){ .write = (uint8_t)write,
			.len = (uint8_t)len, .offset = off, .val = val };
}

/* Read every word of the per-IRQ registers; returns the first op index. */
static unsigned snapshot(struct gstream *g)
{
	unsigned first = g->nops;

	for (unsigned r = 0; r < HVX_ARRAY_SIZE(per_irq); r++)
		for (uint32_t w = 0; w < g->nr * per_irq[r].bits / 32; w++)
			op(g, 0, 4, per_irq[r].base + 4 * w, 0);
	return first;
}

static unsigned field_at(const struct plugin_gicd_res *res, unsigned snap,
			 unsigned nr, unsigned reg, unsigned irq)
{
	unsigned idx = snap, bits = per_irq[reg].bits;

	for (unsigned r = 0; r < reg; r++)
		idx += nr * per_irq[r].bits / 32;
	idx += irq * bits / 32;
	return (res[idx].val >> (irq * bits % 32)) & ((1u << bits) - 1);
}

/* Outcome of one stream: which invariant broke first (NULL = none). */
struct gfail {
	const char *field, *rule;
	char expected[96], actual[200];
};

static const char *const RULE_OWNED =
	"seed 003 / IHI 0048B 4.3: guest writes never change any per-IRQ field "
	"of a hypervisor-owned interrupt";
static const char *const RULE_TARGETS =
	"IHI 0048B 4.3.12: GICD_ITARGETSR0-7 (SGI and PPI targets) are read-only";
static const char *const RULE_ICFGR0 =
	"IHI 0048B 4.3.13: GICD_ICFGR0 (SGI configuration) is read-only";
static const char *const RULE_ACCESS =
	"IHI 0048B 4.3: word accesses to every register and byte accesses to "
	"IPRIORITYR/ITARGETSR are permitted and must not fault";

static int check_stream(const struct gstream *g, unsigned s0, unsigned s1,
			const struct plugin_gicd_res *res, struct gfail *f)
{
	for (unsigned i = 0; i < g->nops; i++)
		if (res[i].rc < 0) {
			f->field = "access";
			f->rule = RULE_ACCESS;
			snprintf(f->expected, sizeof(f->expected), "0");
			snprintf(f->actual, sizeof(f->actual), "%d for %s of %u bytes at 0x%03x",
				 res[i].rc, g->ops[i].write ? "write" : "read", g->ops[i].len,
				 g->ops[i].offset);
			return 1;
		}
	for (unsigned r = 0; r < HVX_ARRAY_SIZE(per_irq); r++)
		for (unsigned irq = 0; irq < g->nr; irq++) {
			unsigned a = field_at(res, s0, g->nr, r, irq);
			unsigned b = field_at(res, s1, g->nr, r, irq);
			int own = g->owned[irq / 8] >> (irq % 8) & 1;

			if (a == b)
				continue;
			if (own) {
				f->field = "owned_irq";
				f->rule = RULE_OWNED;
			} else if (per_irq[r].base == GICD_ITARGETSR && irq < 32) {
				f->field = "ITARGETSR0-7";
				f->rule = RULE_TARGETS;
			} else if (per_irq[r].base == GICD_ICFGR && irq < 16) {
				f->field = "ICFGR0";
				f->rule = RULE_ICFGR0;
			} else {
				continue;
			}
			snprintf(f->expected, sizeof(f->expected), "%s field of IRQ %u stays 0x%x",
				 per_irq[r].name, irq, a);
			snprintf(f->actual, sizeof(f->actual), "0x%x", b);
			return 1;
		}
	return 0;
}

/* Run a stream bracketed by two snapshots. 1 = failed (f set), 0 = ok,
 * 2 = process finding (st set), <0 host error. */
static int run_stream(struct plugin_host *h, const struct gstream *writes,
		      struct gfail *f, struct plugin_status *st)
{
	static struct gstream g;
	static struct plugin_gicd_res res[1024];
	unsigned s0, s1;
	int new_ok = 0, e;

	g = *writes;
	g.nops = 0;
	s0 = snapshot(&g);
	for (unsigned i = 0; i < writes->nops; i++)
		op(&g, 1, writes->ops[i].len, writes->ops[i].offset, writes->ops[i].val);
	s1 = snapshot(&g);
	e = plugin_call_gicd(h, g.nr, g.owned, g.ops, g.nops, &new_ok, res, st);
	if (e)
		return e;
	if (st->kind != PLUGIN_CALL_OK)
		return 2;
	if (!new_ok) {
		f->field = "new";
		f->rule = "IHI 0048B 4.3.2: any nr_irqs that is a multiple of 32 up to 1020 is a valid distributor";
		snprintf(f->expected, sizeof(f->expected), "a distributor");
		snprintf(f->actual, sizeof(f->actual), "NULL");
		return 1;
	}
	return check_stream(&g, s0, s1, res, f);
}

/* "nr_irqs=N owned={a,b} write4(0x100, 0x4);read4(0x104)" for a report. */
static void describe_ops(const struct gstream *g, char *buf, size_t len)
{
	size_t n = 0;

	n += (size_t)snprintf(buf, len, "nr_irqs=%u owned={", g->nr);
	for (unsigned i = 0; i < g->nr && n < len; i++)
		if (g->owned[i / 8] >> (i % 8) & 1)
			n += (size_t)snprintf(buf + n, len - n, "%s%u",
					      buf[n - 1] == '{' ? "" : ",", i);
	for (unsigned i = 0; i < g->nops && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, g->ops[i].write ?
				      "%s write%u(0x%03x, 0x%x)" : "%s read%u(0x%03x)",
				      i ? ";" : "}", g->ops[i].len, g->ops[i].offset,
				      g->ops[i].val);
	if (!g->nops && n < len)
		snprintf(buf + n, len - n, "}");
}

static void shrink_stream(struct plugin_host *h, struct gstream *g, const char *field)
{
	for (unsigned i = g->nops; i-- > 0;) {
		struct gstream t = *g;
		struct gfail f = { 0 };
		struct plugin_status st;

		memmove(&t.ops[i], &t.ops[i + 1], (t.nops - i - 1) * sizeof(t.ops[0]));
		t.nops--;
		if (run_stream(h, &t, &f, &st) == 1 && f.field && !strcmp(f.field, field))
			*g = t;
	}
}

static int gicd_stream_case(struct plugin_host *h, struct val_ep *ep, struct gstream *g,
			    const char *label)
{
	struct gfail f = { 0 };
	struct plugin_status st;
	char in[320];
	int r = run_stream(h, g, &f, &st);
	static const char *const fields[] = { "access", "owned_irq", "ITARGETSR0-7", "ICFGR0" };
	if (r < 0)
		return r;
	ep->cases++;
	if (r == 2) {
		describe_ops(g, in, sizeof(in));
		val_process(ep, &st, in);
		return 0;
	}
	if (r == 1) {
		unsigned fi = val_field(ep, f.field, f.rule);

		if (!ep->f[fi].have_cx && !label) {
			shrink_stream(h, g, f.field);
			r = run_stream(h, g, &f, &st);
		}
		describe_ops(g, in, sizeof(in));
		if (label) {
			size_t n = strlen(in);

			snprintf(in + n, sizeof(in) - n, " [%s]", label);
		}
		val_count(ep, fi, 1, in, f.expected, f.actual);
	}
	/* Every invariant was compared on this case. */
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(fields); i++) {
		unsigned fi = val_field(ep, fields[i],
			i == 0 ? RULE_ACCESS : i == 1 ? RULE_OWNED : i == 2 ? RULE_TARGETS : RULE_ICFGR0);

		if (!(r == 1 && !strcmp(f.field, fields[i])))
			val_count(ep, fi, 0, "", "", "");
	}
	return 0;
}

/* Fixed scenario: the seed 003 shape (timer PPI 27 and SPI 40 owned). */
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
	op(&g, 0, 4, GICD_TYPER, 0);
	op(&g, 1, 4, GICD_ISENABLER + 4, 1u << 2);
	op(&g, 0, 4, GICD_ISENABLER + 4, 0);
	op(&g, 0, 4, GICD_ICENABLER + 4, 0);
	op(&g, 1, 4, GICD_ISPENDR + 4, 1u << 5);
	op(&g, 0, 4, GICD_ICPENDR + 4, 0);
	op(&g, 1, 4, GICD_ICPENDR + 4, 1u << 5);
	op(&g, 1, 1, GICD_IPRIORITYR + 36, 0xa0);
	op(&g, 0, 1, GICD_IPRIORITYR + 36, 0);
	op(&g, 1, 4, GICD_ICENABLER + 4, 1u << 2);
	op(&g, 0, 4, GICD_ISENABLER + 4, 0);
	op(&g, 0, 4, GICD_ISPENDR + 4, 0);
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

/* Differential part of the gicd checks: the plugin vs emu/gicd.c on the
 * same random read/write stream (drop-in once branch emu is merged). */

static const char *gicd_reg_name(uint32_t off)
{
	static const struct { uint32_t lo, hi; const char *name; } map[] = {
		{ 0x000, 0x004, "CTLR" }, { 0x004, 0x008, "TYPER" }, { 0x008, 0x00c, "IIDR" },
		{ 0x080, 0x100, "IGROUPR" }, { 0x100, 0x180, "ISENABLER" },
		{ 0x180, 0x200, "ICENABLER" }, { 0x200, 0x280, "ISPENDR" },
		{ 0x280, 0x300, "ICPENDR" }, { 0x300, 0x380, "ISACTIVER" },
		{ 0x380, 0x400, "ICACTIVER" }, { 0x400, 0x800, "IPRIORITYR" },
		{ 0x800, 0xc00, "ITARGETSR" }, { 0xc00, 0xd00, "ICFGR" },
	};
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(map); i++)
		if (off >= map[i].lo && off < map[i].hi)
			return map[i].name;
	return "other";
}

/*
 * Bits of a read compared with the reference: SGI/PPI (INTID < 32) state,
 * CTLR and the other TYPER fields are IMPLEMENTATION DEFINED or banked per
 * CPU in IHI 0048B (e.g. whether SGIs are permanently enabled, 4.3.5), so
 * only SPI fields and TYPER.ITLinesNumber are compared.
 */
static uint32_t spi_mask(const struct plugin_gicd_op *op)
{
	uint32_t off = op->offset, m = 0;
	unsigned bits, base;

	if (off >= GICD_TYPER && off < GICD_TYPER + 4)
		return 0x1f;
	if (off < GICD_IGROUPR || off >= GICD_ICFGR + 0x100 ||
	    (off >= GICD_ITARGETSR && off < GICD_ICFGR))
		return 0;	/* targets: RAZ/WI or IMP DEF with one CPU (4.3.12) */
	bits = off >= GICD_ICFGR ? 2 : off >= GICD_IPRIORITYR ? 8 : 1;
	base = off >= GICD_ICFGR ? GICD_ICFGR : off >= GICD_IPRIORITYR ?
	       (off >= GICD_ITARGETSR ? GICD_ITARGETSR : GICD_IPRIORITYR) :
	       off & ~0x7fu;
	for (unsigned i = 0; i < op->len * 8u / bits; i++)
		if ((off - base) * 8 / bits + i >= 32)
			m |= ((1u << bits) - 1) << (i * bits);
	/* 4.3.11: at least 4 priority bits, how many more is IMP DEF */
	return bits == 8 ? m & 0xf0f0f0f0u : m;
}

/* One random stream against both; 0 same, 1 differs (*bad = op index),
 * 2 process finding, <0 host error. */
static int gicd_diff_run(struct plugin_host *h, const struct gstream *g,
			 struct gicd *ref, unsigned *bad, uint32_t *rv, int *rrc,
			 struct plugin_gicd_res *res, struct plugin_status *st)
{
	int new_ok = 0, e;

	if (gicd_init(ref, g->nr / 32 - 1, 1))
		return -EINVAL;
	for (unsigned i = 0; i < g->nr; i++)
		if (g->owned[i / 8] >> (i % 8) & 1)
			gicd_set_owned(ref, i, true);
	e = plugin_call_gicd(h, g->nr, g->owned, g->ops, g->nops, &new_ok, res, st);
	if (e)
		return e;
	if (st->kind != PLUGIN_CALL_OK)
		return 2;
	for (unsigned i = 0; i < g->nops; i++) {
		uint64_t v = g->ops[i].val;

		rrc[i] = gicd_access(ref, 0, g->ops[i].offset, g->ops[i].len,
				     g->ops[i].write, &v);
		rv[i] = (uint32_t)v;
		if (!new_ok || (rrc[i] < 0) != (res[i].rc < 0) ||
		    (!g->ops[i].write && rrc[i] == 0 &&
		     ((rv[i] ^ res[i].val) & spi_mask(&g->ops[i])))) {
			*bad = i;
			return 1;
		}
	}
	return 0;
}

/* Random read/write streams, plugin vs emu/gicd.c (one CPU interface). */
static int gicd_differential(struct plugin_host *h, const struct val_opts *o,
			     struct val_ep *ep, unsigned n)
{
	static const uint32_t bases[] = { GICD_TYPER, GICD_IGROUPR,
		GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR, GICD_ICPENDR,
		GICD_ISACTIVER, GICD_ICACTIVER, GICD_IPRIORITYR, GICD_ITARGETSR, GICD_ICFGR };
	static struct gstream g, t;
	static struct plugin_gicd_res res[1024];
	static uint32_t rv[1024];
	static int rrc[1024];
	struct gicd *ref = calloc(1, sizeof(*ref));
	uint64_t s = o->seed ^ UINT64_C(0x61cdd1ff);
	int e = 0;

	if (!ref)
		return -ENOMEM;
	for (unsigned c = 0; c < n && !e && ep->proc_findings < 3; c++) {
		struct plugin_status st;
		unsigned bad = 0;
		int r;

		memset(&g, 0, sizeof(g));
		g.nr = 32 * (1 + (unsigned)(util_rng_next(&s) % 4));
		for (unsigned q = 0; q < g.nr; q++)
			if (util_rng_next(&s) % 4 == 0)
				g.owned[q / 8] |= (uint8_t)(1u << (q % 8));
		for (unsigned k = 0; k < 24; k++) {
			uint32_t base = bases[util_rng_next(&s) % HVX_ARRAY_SIZE(bases)];
			unsigned bits = base >= GICD_IPRIORITYR && base < GICD_ICFGR ? 8 :
					base == GICD_ICFGR ? 2 : base < GICD_IGROUPR ? 32 : 1;
			uint32_t span = bits == 32 ? 4 : g.nr * bits / 8;
			uint32_t off = (uint32_t)(util_rng_next(&s) % span);
			int byte = bits == 8 && util_rng_next(&s) % 2;

			op(&g, (int)(util_rng_next(&s) % 2), byte ? 1 : 4,
			   base + (byte ? off : off & ~3u),
			   (uint32_t)util_rng_next(&s) & (byte ? 0xffu : 0xffffffffu));
		}
		r = gicd_diff_run(h, &g, ref, &bad, rv, rrc, res, &st);
		if (r < 0) {
			e = r;
			break;
		}
		ep->cases++;
		ep->random++;
		if (r == 2) {
			char in[320];

			describe_ops(&g, in, sizeof(in));
			val_process(ep, &st, in);
			continue;
		}
		{
			const char *reg = r ? gicd_reg_name(g.ops[bad].offset) : NULL;
			char fname[32], in[320], ex[96], ac[96];
			unsigned fi;

			if (!r) {
				val_count(ep, val_field(ep, "vs_reference", "IHI 0048B 4.3 as modelled "
					  "by emu/gicd.c: every access result and read value"),
					  0, "", "", "");
				continue;
			}
			snprintf(fname, sizeof(fname), "%s", reg);
			fi = val_field(ep, "vs_reference", "IHI 0048B 4.3 as modelled by "
				       "emu/gicd.c: every access result and read value");
			if (!ep->f[fi].have_cx) {
				/* shrink: drop ops after bad, then earlier ones */
				g.nops = bad + 1;
				for (unsigned i = g.nops - 1; i-- > 0;) {
					unsigned b2 = 0;

					t = g;
					memmove(&t.ops[i], &t.ops[i + 1],
						(t.nops - i - 1) * sizeof(t.ops[0]));
					t.nops--;
					if (gicd_diff_run(h, &t, ref, &b2, rv, rrc, res, &st) == 1 &&
					    b2 == t.nops - 1 &&
					    !strcmp(gicd_reg_name(t.ops[b2].offset), fname))
						g = t;
				}
				gicd_diff_run(h, &g, ref, &bad, rv, rrc, res, &st);
			}
			describe_ops(&g, in, sizeof(in));
			snprintf(ex, sizeof(ex), "%s: rc %s value 0x%x", fname,
				 rrc[bad] < 0 ? "fault" : "ok", rv[bad]);
			snprintf(ac, sizeof(ac), "%s: rc %s value 0x%x", fname,
				 res[bad].rc < 0 ? "fault" : "ok", res[bad].val);
			val_count(ep, fi, 1, in, ex, ac);
		}
	}
	free(ref);
	return e;
}

int val_run_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	static struct gstream g;
	uint64_t s = o->seed ^ UINT64_C(0x61cd);
	unsigned n = o->cases / 10 + 1;
	int e = gicd_fixed(h, ep);

	/* Directed streams: all-ones to the SGI/PPI targets and SGI config. */
	if (!e) {
		memset(&g, 0, sizeof(g));
		g.nr = 64;
		op(&g, 1, 4, GICD_ITARGETSR, 0xffffffff);
		op(&g, 1, 1, GICD_ITARGETSR + 5, 0xfe);
		op(&g, 1, 4, GICD_ICFGR, 0x55555555);
		e = gicd_stream_case(h, ep, &g, "directed: writes to ITARGETSR0/1 and ICFGR0");
		ep->vectors++;
	}
	for (unsigned i = 0; !e && i < n; i++) {
		if (ep->proc_findings >= 3)
			break;
		memset(&g, 0, sizeof(g));
		g.nr = 32 * (1 + (unsigned)(util_rng_next(&s) % 4));
		for (unsigned q = 0; q < g.nr; q++)
			if (util_rng_next(&s) % 4 == 0)
				g.owned[q / 8] |= (uint8_t)(1u << (q % 8));
		for (unsigned k = 0; k < 16; k++) {
			uint32_t base = wr_bases[util_rng_next(&s) % HVX_ARRAY_SIZE(wr_bases)];
			unsigned bits = base >= GICD_IPRIORITYR && base < GICD_ICFGR ? 8 :
					base == GICD_ICFGR ? 2 : 1;
			uint32_t span = g.nr * bits / 8;
			uint32_t off = (uint32_t)(util_rng_next(&s) % span);
			int byte = bits == 8 && util_rng_next(&s) % 2;

			op(&g, 1, byte ? 1 : 4, base + (byte ? off : off & ~3u),
			   (uint32_t)util_rng_next(&s) & (byte ? 0xffu : 0xffffffffu));
		}
		e = gicd_stream_case(h, ep, &g, NULL);
		ep->random++;
	}
	if (!e)
		e = gicd_differential(h, o, ep, n);
	snprintf(ep->note, sizeof(ep->note), "spec scenarios, %u random write streams "
		 "with invariants, %u read/write streams vs emu/gicd.c", n, n);
	return e;
}
