/*
 * Stage-2 checks for hvexit validate (validate.h): hand-built scenarios, then
 * random differential cases against hvexit's walker (decoder/s2_walk.c) on
 * tables from its builder (decoder/s2_build.c), some of them mutated.
 * Translation tables are written descriptor by descriptor (Arm ARM D8:
 * VMSAv8-64 stage 2 descriptors, table/block/page, S2AP [7:6], AF [10],
 * XN [54:53]; start level from VTCR_EL2.SL0 and TG0; concatenated root
 * tables), every fault type at its level.
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

/* ---- Stage-2 ---------------------------------------------------------- */

#define MEMSZ 0x20000u

struct s2_scn {
	const char *name;
	uint64_t vtcr, vttbr, base;
	uint8_t mem[MEMSZ];
	size_t len;
};

static void put64(struct s2_scn *s, uint64_t pa, uint64_t v)
{
	uint64_t off = pa - s->base;

	for (unsigned i = 0; i < 8 && off + i < MEMSZ; i++)
		s->mem[off + i] = (uint8_t)(v >> (8 * i));
}

/* Stage 2 descriptors (D8, VMSAv8-64 descriptor formats). */
#define D_TABLE(pa)	((uint64_t)(pa) | 3)
#define D_LEAF(pa, ap, af, xn, type) ((uint64_t)(pa) | (type) | \
	((uint64_t)(ap) << 6) | ((uint64_t)(af) << 10) | ((uint64_t)(xn) << 53))
#define D_PAGE(pa, ap, af, xn)	D_LEAF(pa, ap, af, xn, 3)
#define D_BLOCK(pa, ap, af, xn)	D_LEAF(pa, ap, af, xn, 1)
#define VTCR(t0sz, sl0, tg0, ps) ((uint64_t)(t0sz) | (uint64_t)(sl0) << 6 | \
	(uint64_t)(tg0) << 14 | (uint64_t)(ps) << 16)

struct s2_case {
	unsigned scn;
	uint64_t ipa;
	int access;
	int fault, level;
	uint64_t pa;
	unsigned s2ap, xn;
	const char *why;
};

/* Scenario 0: 4K granule, 39-bit IPA (T0SZ=25), SL0=1 -> start level 1,
 * PS=40 bits. L1 at 0x10000, L2 at 0x11000, L3 at 0x12000. */
static void build_4k(struct s2_scn *s)
{
	s->name = "4K granule, T0SZ=25, SL0=1 (start level 1), PS=40-bit";
	s->vtcr = VTCR(25, 1, 0, 2);
	s->base = 0x10000;
	s->vttbr = 0x10000;
	s->len = 0x3000;
	put64(s, 0x10000 + 8 * 1, D_TABLE(0x11000));
	put64(s, 0x10000 + 8 * 2, D_TABLE(0x70000000));	/* outside memory */
	put64(s, 0x11000 + 8 * 1, D_TABLE(0x12000));
	put64(s, 0x11000 + 8 * 2, D_BLOCK(0x90000000, 1, 1, 2));
	put64(s, 0x12000 + 8 * 1, D_PAGE(UINT64_C(0x800005000), 3, 1, 0));
	put64(s, 0x12000 + 8 * 2, D_PAGE(UINT64_C(0x800006000), 3, 0, 0));
	put64(s, 0x12000 + 8 * 3, D_PAGE(UINT64_C(0x10000007000), 3, 1, 0));
	put64(s, 0x12000 + 8 * 4, D_PAGE(0x7000, 2, 1, 0));
}

/* Scenario 1: 64K granule, 42-bit IPA (T0SZ=22), SL0=1 -> start level 2
 * (IPA[41:29]), level 3 resolves IPA[28:16]. L2 at 0x20000, L3 0x30000. */
static void build_64k(struct s2_scn *s)
{
	s->name = "64K granule, T0SZ=22, SL0=1 (start level 2), PS=40-bit";
	s->vtcr = VTCR(22, 1, 1, 2);
	s->base = 0x20000;
	s->vttbr = 0x20000;
	s->len = 0x20000;
	put64(s, 0x20000 + 8 * 5, D_TABLE(0x30000));
	put64(s, 0x20000 + 8 * 6, D_BLOCK(UINT64_C(0x200000000), 3, 1, 0));
	put64(s, 0x30000 + 8 * 7, D_PAGE(UINT64_C(0x400070000), 3, 1, 0));
	put64(s, 0x30000 + 8 * 8, D_PAGE(UINT64_C(0x500000000), 1, 1, 0));
}

/* Scenario 2 (seed 003's 40-bit layout): 4K granule, T0SZ=24, SL0=1 ->
 * start level 1 with two concatenated level-1 tables (1024 entries, IPA
 * bit 39 selects the second table), 8K-aligned at 0x40000. */
static void build_concat(struct s2_scn *s)
{
	s->name = "4K granule, T0SZ=24, SL0=1, 2 concatenated level-1 tables";
	s->vtcr = VTCR(24, 1, 0, 2);
	s->base = 0x40000;
	s->vttbr = 0x40000;
	s->len = 0x2000;
	put64(s, 0x40000 + 8 * 513, D_BLOCK(UINT64_C(0x140000000), 3, 1, 0));
	put64(s, 0x40000 + 8 * 2, D_BLOCK(UINT64_C(0x80000000), 3, 1, 0));
}

enum { R = HVX_ACC_READ, W = HVX_ACC_WRITE, X = HVX_ACC_EXEC };
#define OK(scn, ipa, acc, lvl, pa, ap, xn, why) \
	{ scn, ipa, acc, HVX_S2_OK, lvl, pa, ap, xn, why }
#define FLT(scn, ipa, acc, f, lvl, why) { scn, ipa, acc, f, lvl, 0, 0, 0, why }

static const struct s2_case s2_cases[] = {
	OK(0, 0x40201abc, R, 3, UINT64_C(0x800005abc), 3, 0, "D8 level 3 page, S2AP=RW"),
	OK(0, 0x40201000, W, 3, UINT64_C(0x800005000), 3, 0, "D8 write to S2AP=RW page"),
	OK(0, 0x40412345, R, 2, 0x90012345, 1, 2, "D8 level 2 2MB block, S2AP=RO, XN=2"),
	FLT(0, 0x40400000, W, HVX_S2_PERMISSION, 2, "D8 S2AP=01 read-only: write faults"),
	FLT(0, 0x40400000, X, HVX_S2_PERMISSION, 2, "D8 XN[1]=1: execute faults"),
	FLT(0, 0x40600000, R, HVX_S2_TRANSLATION, 2, "D8 invalid level 2 descriptor"),
	FLT(0, 0x00001000, R, HVX_S2_TRANSLATION, 1, "D8 invalid level 1 descriptor"),
	FLT(0, 0x40202000, R, HVX_S2_ACCESS_FLAG, 3, "D8 AF=0: Access flag fault"),
	FLT(0, 0x40203000, R, HVX_S2_ADDRESS_SIZE, 3, "D8 output address above PS: Address size fault"),
	FLT(0, 0x40204000, R, HVX_S2_PERMISSION, 3, "D8 S2AP=10 write-only: read faults"),
	FLT(0, 0x80000000, R, HVX_S2_EXTERNAL, 2, "D8 external abort reading the level 2 descriptor"),
	FLT(0, UINT64_C(1) << 39, R, HVX_S2_TRANSLATION, 0,
	    "AArch64.IPAIsOutOfRange: IPA above 64-T0SZ bits, Translation fault level 0"),
	OK(1, (UINT64_C(5) << 29) | (7u << 16) | 0x1234, R, 3, UINT64_C(0x400071234), 3, 0,
	   "D8 64K granule level 3 page (index IPA[28:16])"),
	OK(1, (UINT64_C(5) << 29) | (8u << 16), R, 3, UINT64_C(0x500000000), 1, 0,
	   "D8 64K granule neighbouring page"),
	OK(1, (UINT64_C(6) << 29) | 0x123456, R, 2, UINT64_C(0x200123456), 3, 0,
	   "D8 64K granule level 2 512MB block (index IPA[41:29])"),
	FLT(1, (UINT64_C(5) << 29) | (6u << 16), R, HVX_S2_TRANSLATION, 3, "D8 invalid level 3 entry"),
	FLT(1, UINT64_C(4) << 29, R, HVX_S2_TRANSLATION, 2, "D8 invalid level 2 entry"),
	OK(2, UINT64_C(0x8040001234), R, 1, UINT64_C(0x140001234), 3, 0,
	   "D8 concatenated root: IPA bit 39 selects the second level-1 table"),
	OK(2, UINT64_C(0x80000010), R, 1, UINT64_C(0x80000010), 3, 0, "D8 level 1 1GB block"),
	FLT(2, 0x40000000, R, HVX_S2_TRANSLATION, 1, "D8 invalid level 1 entry"),
};

static const char *fault_name(int f)
{
	static const char *const n[] = { "ok", "translation", "access_flag",
					 "permission", "address_size", "external" };
	return f >= 0 && f < (int)HVX_ARRAY_SIZE(n) ? n[f] : "invalid";
}

static void s2_count(struct val_ep *ep, const char *field, const char *rule,
		     const char *in, int failed, const char *fmt_e, const char *fmt_a)
{
	val_count(ep, val_field(ep, field, rule), failed, in, fmt_e, fmt_a);
}

/* ---- Stage-2 random differential ---- */

#define S2_BUF (256u << 10)
#define S2_BASE UINT64_C(0x1000000)	/* 16M: aligned for any root */

static unsigned s2_map_fault(enum s2_fault f)
{
	switch (f) {
	case S2_OK: return HVX_S2_OK;
	case S2_FAULT_TRANSLATION: return HVX_S2_TRANSLATION;
	case S2_FAULT_ACCESS_FLAG: return HVX_S2_ACCESS_FLAG;
	case S2_FAULT_PERMISSION: return HVX_S2_PERMISSION;
	case S2_FAULT_ADDRESS_SIZE: return HVX_S2_ADDRESS_SIZE;
	default: return HVX_S2_EXTERNAL;
	}
}

struct s2_rcase {
	uint64_t vtcr, ipa;
	int acc;
	struct s2_config cfg;
	size_t used;
	uint8_t *buf;
};

/* Compare plugin and reference on one case: fail mask over
 * fault(1) level(2) pa(4) s2ap(8) xn(16); 0x100 = refused, 0x200 =
 * process finding (st), <0 host error. */
static int s2_rrun(struct plugin_host *h, const struct s2_rcase *c,
		   struct s2_result *ref, struct hvx_s2_result *act,
		   struct plugin_status *st)
{
	struct s2_flatmem fm = { .buf = c->buf, .len = c->used, .base = S2_BASE };
	unsigned fail = 0;
	int rc = 0, e;

	if (s2_walk(&c->cfg, c->ipa, (enum s2_access)c->acc, false, s2_flat_read64,
		    &fm, ref))
		return 0x100;
	memset(act, 0, sizeof(*act));
	e = plugin_call_s2(h, c->vtcr, S2_BASE, c->ipa, c->acc, S2_BASE, c->buf,
			   c->used, &rc, act, st);
	if (e)
		return e;
	if (st->kind != PLUGIN_CALL_OK)
		return 0x200;
	if (rc < 0)
		return 0x100;
	if ((unsigned)act->fault != s2_map_fault(ref->fault))
		fail |= 1;
	if (act->level != ref->level)
		fail |= 2;
	if (ref->fault == S2_OK && act->fault == HVX_S2_OK) {
		fail |= (act->pa != ref->pa) << 2;
		fail |= (act->s2ap != ref->s2ap) << 3;
		fail |= (act->xn != ref->xn) << 4;
	}
	return (int)fail;
}

static void s2_describe(const struct s2_rcase *c, char *buf, size_t len)
{
	static const char *const g[] = { "4K", "64K", "16K", "?" };

	snprintf(buf, len, "vtcr=0x%llx (%s granule, T0SZ=%u, SL0=%u, PS=%u) vttbr=0x%llx "
		 "ipa=0x%llx access=%s; tables from the builder, %zu bytes at 0x%llx",
		 (unsigned long long)c->vtcr, g[hvx_bits(c->vtcr, 15, 14)],
		 (unsigned)hvx_bits(c->vtcr, 5, 0), (unsigned)hvx_bits(c->vtcr, 7, 6),
		 (unsigned)hvx_bits(c->vtcr, 18, 16), (unsigned long long)S2_BASE,
		 (unsigned long long)c->ipa,
		 c->acc == R ? "read" : c->acc == W ? "write" : "exec", c->used,
		 (unsigned long long)S2_BASE);
}

/* Pick a configuration s2_config_init accepts and build tables. */
static int s2_gen(uint64_t *s, struct s2_rcase *c, struct s2_region *reg, size_t *nreg)
{
	static const unsigned gbits[3] = { 12, 16, 14 };

	for (int tries = 0; tries < 64; tries++) {
		unsigned tg = (unsigned)(util_rng_next(s) % 3);
		unsigned ia = 32 + (unsigned)(util_rng_next(s) % 17);
		unsigned sl0 = (unsigned)(util_rng_next(s) % 3);
		unsigned ps = 1 + (unsigned)(util_rng_next(s) % 5);
		unsigned gb = gbits[tg];
		uint64_t iamax = UINT64_C(1) << ia;
		struct s2_build_out bo;
		const char *why = NULL;

		c->vtcr = VTCR(64 - ia, sl0, tg, ps);
		if (s2_config_init(c->vtcr, S2_BASE, S2_FEAT_XNX, 48, false, &c->cfg, &why))
			continue;
		*nreg = 1 + (size_t)(util_rng_next(s) % 3);
		for (size_t i = 0; i < *nreg; i++) {
			uint64_t blk = UINT64_C(1) << (gb + (util_rng_next(s) % 2 ? gb - 3 : 0));
			uint64_t pages = 1 + util_rng_next(s) % 4;
			static const unsigned fl[] = { S2_R, S2_R | S2_W, S2_R | S2_X,
				S2_R | S2_W | S2_X, S2_W, S2_R | S2_DEV, S2_R | S2_W | S2_DEV };

			reg[i].size = pages * blk;
			reg[i].ipa = (util_rng_next(s) % iamax) & ~(blk - 1);
			reg[i].pa = (util_rng_next(s) % (UINT64_C(1) << c->cfg.oa_bits)) & ~(blk - 1);
			reg[i].flags = fl[util_rng_next(s) % HVX_ARRAY_SIZE(fl)];
			if (reg[i].ipa + reg[i].size > iamax || reg[i].ipa + reg[i].size < reg[i].ipa)
				reg[i].ipa = iamax - reg[i].size;
		}
		if (s2_build(&c->cfg, reg, *nreg, c->buf, S2_BUF, S2_BASE, &bo, &why))
			continue;
		c->used = bo.used;
		return 0;
	}
	return -1;
}

static void s2_mutate(uint64_t *s, struct s2_rcase *c)
{
	static const unsigned bits[] = { 0, 1, 6, 7, 10, 53, 54 };
	unsigned n = (unsigned)(util_rng_next(s) % 3);

	for (unsigned i = 0; i < n && c->used >= 8; i++) {
		size_t w = (size_t)(util_rng_next(s) % (c->used / 8));
		unsigned b = util_rng_next(s) % 4 ? bits[util_rng_next(s) % HVX_ARRAY_SIZE(bits)]
					       : 12 + (unsigned)(util_rng_next(s) % 36);

		c->buf[w * 8 + b / 8] ^= (uint8_t)(1u << (b % 8));
	}
}

static const struct { const char *name, *rule; } s2_rfields[5] = {
	{ "fault", "D8 stage 2 walk: the fault type hardware reports (or none)" },
	{ "level", "D8 lookup level of the final descriptor / of the fault (DFSC level)" },
	{ "pa", "D8 output address = block/page base | IPA offset within it" },
	{ "s2ap", "D8 stage 2 descriptor S2AP bits [7:6]" },
	{ "xn", "D8 stage 2 descriptor XN[1:0] bits [54:53] (FEAT_XNX)" },
};

static int s2_random(struct plugin_host *h, const struct val_opts *o,
		     struct val_ep *ep, unsigned refused)
{
	uint64_t s = o->seed ^ UINT64_C(0x52);
	unsigned n = o->cases / 4 + 1, rref = 0;
	struct s2_region reg[4];
	struct s2_rcase c;
	int e = 0;

	memset(&c, 0, sizeof(c));
	c.buf = malloc(S2_BUF);
	if (!c.buf)
		return -ENOMEM;
	for (unsigned i = 0; i < n && ep->proc_findings < 3; i++) {
		struct s2_result ref;
		struct hvx_s2_result act;
		struct plugin_status st;
		size_t nreg;
		char in[320], ex[96], ac[96];
		int f;

		if (s2_gen(&s, &c, reg, &nreg))
			continue;
		if (util_rng_next(&s) % 2)
			s2_mutate(&s, &c);
		if (util_rng_next(&s) % 8) {
			const struct s2_region *r = &reg[util_rng_next(&s) % nreg];

			c.ipa = r->ipa + util_rng_next(&s) % r->size;
		} else {
			c.ipa = util_rng_next(&s) >> (util_rng_next(&s) % 64);
		}
		c.acc = (int)(util_rng_next(&s) % 3);
		f = s2_rrun(h, &c, &ref, &act, &st);
		if (f < 0) {
			e = f;
			break;
		}
		ep->cases++;
		ep->random++;
		s2_describe(&c, in, sizeof(in));
		if (f == 0x200) {
			val_process(ep, &st, in);
			continue;
		}
		if (f == 0x100) {
			rref++;
			continue;
		}
		for (unsigned k = 0; k < 5; k++) {
			unsigned fi = val_field(ep, s2_rfields[k].name, s2_rfields[k].rule);
			int both_ok;

			if ((f >> k & 1) && !ep->f[fi].have_cx) {
				/* shrink: clear IPA bits while field k still fails */
				for (int b = 63; b >= 0; b--) {
					struct s2_rcase t = c;
					struct s2_result r2;
					struct hvx_s2_result a2;
					int f2;

					t.ipa &= ~(UINT64_C(1) << b);
					if (t.ipa == c.ipa)
						continue;
					f2 = s2_rrun(h, &t, &r2, &a2, &st);
					if (f2 >= 0 && f2 < 0x100 && (f2 >> k & 1)) {
						c.ipa = t.ipa;
						ref = r2;
						act = a2;
						f = f2;
					}
				}
				s2_describe(&c, in, sizeof(in));
			}
			both_ok = ref.fault == S2_OK && act.fault == HVX_S2_OK;

			if (k >= 2 && !both_ok)
				continue;
			switch (k) {
			case 0:
				snprintf(ex, sizeof(ex), "%s", fault_name((int)s2_map_fault(ref.fault)));
				snprintf(ac, sizeof(ac), "%s", fault_name(act.fault));
				break;
			case 1:
				snprintf(ex, sizeof(ex), "%d", ref.level);
				snprintf(ac, sizeof(ac), "%d", act.level);
				break;
			case 2:
				snprintf(ex, sizeof(ex), "0x%llx", (unsigned long long)ref.pa);
				snprintf(ac, sizeof(ac), "0x%llx", (unsigned long long)act.pa);
				break;
			case 3:
				snprintf(ex, sizeof(ex), "%u", ref.s2ap);
				snprintf(ac, sizeof(ac), "%u", act.s2ap);
				break;
			default:
				snprintf(ex, sizeof(ex), "%u", ref.xn);
				snprintf(ac, sizeof(ac), "%u", act.xn);
				break;
			}
			val_count(ep, fi, f >> k & 1, in, ex, ac);
		}
	}
	free(c.buf);
	snprintf(ep->note, sizeof(ep->note), "%u hand-built scenarios + random differential "
		 "vs decoder/s2_walk.c on builder tables (half mutated); %u refused",
		 (unsigned)HVX_ARRAY_SIZE(s2_cases), refused + rref);
	return e;
}

int val_run_s2(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	struct s2_scn *scn = calloc(3, sizeof(*scn));
	unsigned refused = 0;

	(void)o;
	if (!scn)
		return -ENOMEM;
	build_4k(&scn[0]);
	build_64k(&scn[1]);
	build_concat(&scn[2]);
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(s2_cases); i++) {
		const struct s2_case *c = &s2_cases[i];
		const struct s2_scn *s = &scn[c->scn];
		struct hvx_s2_result r;
		struct plugin_status st;
		char in[320], e[96], a[96];
		int rc = 0, err;

		memset(&r, 0, sizeof(r));
		err = plugin_call_s2(h, s->vtcr, s->vttbr, c->ipa, c->access, s->base,
				     s->mem, s->len, &rc, &r, &st);
		if (err) {
			free(scn);
			return err;
		}
		ep->cases++;
		ep->vectors++;
		snprintf(in, sizeof(in), "%s; vtcr=0x%llx vttbr=0x%llx ipa=0x%llx access=%s [%s]",
			 s->name, (unsigned long long)s->vtcr, (unsigned long long)s->vttbr,
			 (unsigned long long)c->ipa,
			 c->access == R ? "read" : c->access == W ? "write" : "exec", c->why);
		if (st.kind != PLUGIN_CALL_OK) {
			val_process(ep, &st, in);
			if (st.kind != PLUGIN_CALL_SANITIZER)
				continue;
		}
		if (rc < 0) {
			refused++;
			continue;
		}
		snprintf(e, sizeof(e), "%s", fault_name(c->fault));
		snprintf(a, sizeof(a), "%s", fault_name(r.fault));
		s2_count(ep, "fault", "D8 stage 2 walk: the fault type hardware reports (or none)",
			 in, c->fault != r.fault, e, a);
		snprintf(e, sizeof(e), "%d", c->level);
		snprintf(a, sizeof(a), "%d", r.level);
		s2_count(ep, "level", "D8 lookup level of the final descriptor / of the fault (DFSC level)",
			 in, c->level != r.level, e, a);
		if (c->fault != HVX_S2_OK || r.fault != HVX_S2_OK)
			continue;
		snprintf(e, sizeof(e), "0x%llx", (unsigned long long)c->pa);
		snprintf(a, sizeof(a), "0x%llx", (unsigned long long)r.pa);
		s2_count(ep, "pa", "D8 output address = block/page base | IPA offset within it",
			 in, c->pa != r.pa, e, a);
		snprintf(e, sizeof(e), "%u", c->s2ap);
		snprintf(a, sizeof(a), "%u", r.s2ap);
		s2_count(ep, "s2ap", "D8 stage 2 descriptor S2AP bits [7:6]", in, c->s2ap != r.s2ap, e, a);
		snprintf(e, sizeof(e), "%u", c->xn);
		snprintf(a, sizeof(a), "%u", r.xn);
		s2_count(ep, "xn", "D8 stage 2 descriptor XN[1:0] bits [54:53]", in, c->xn != r.xn, e, a);
	}
	free(scn);
	return s2_random(h, o, ep, refused);
}
