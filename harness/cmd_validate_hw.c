/*
 * Stage-2 and GIC distributor checks for hvexit validate (validate.h).
 *
 * Stage-2: hand-built scenarios, then random differential cases against
 * hvexit's walker (decoder/s2_walk.c) on tables from its builder
 * (decoder/s2_build.c), some of them mutated. The distributor: scenarios
 * and invariants derived by hand from the specification, then random
 * read/write streams compared with emu/gicd.c:
 *   - Stage-2: translation tables written here descriptor by descriptor
 *     (Arm ARM D8: VMSAv8-64 stage 2 descriptors, table/block/page,
 *     S2AP [7:6], AF [10], XN [54:53]; start level from VTCR_EL2.SL0 and
 *     TG0; concatenated root tables), every fault type at its level.
 *   - Distributor (Arm IHI 0048B, GICv2 4.3): read-only SGI/PPI target
 *     and SGI configuration registers, set/clear register pairs, byte
 *     access to IPRIORITYR, TYPER.ITLinesNumber, and random write streams
 *     after which every hypervisor-owned interrupt must be unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plugin_check.h"
#include "harness/validate.h"
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
		unsigned tg = (unsigned)(check_rand(s) % 3);
		unsigned ia = 32 + (unsigned)(check_rand(s) % 17);
		unsigned sl0 = (unsigned)(check_rand(s) % 3);
		unsigned ps = 1 + (unsigned)(check_rand(s) % 5);
		unsigned gb = gbits[tg];
		uint64_t iamax = UINT64_C(1) << ia;
		struct s2_build_out bo;
		const char *why = NULL;

		c->vtcr = VTCR(64 - ia, sl0, tg, ps);
		if (s2_config_init(c->vtcr, S2_BASE, S2_FEAT_XNX, 48, false, &c->cfg, &why))
			continue;
		*nreg = 1 + (size_t)(check_rand(s) % 3);
		for (size_t i = 0; i < *nreg; i++) {
			uint64_t blk = UINT64_C(1) << (gb + (check_rand(s) % 2 ? gb - 3 : 0));
			uint64_t pages = 1 + check_rand(s) % 4;
			static const unsigned fl[] = { S2_R, S2_R | S2_W, S2_R | S2_X,
				S2_R | S2_W | S2_X, S2_W, S2_R | S2_DEV, S2_R | S2_W | S2_DEV };

			reg[i].size = pages * blk;
			reg[i].ipa = (check_rand(s) % iamax) & ~(blk - 1);
			reg[i].pa = (check_rand(s) % (UINT64_C(1) << c->cfg.oa_bits)) & ~(blk - 1);
			reg[i].flags = fl[check_rand(s) % HVX_ARRAY_SIZE(fl)];
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
	unsigned n = (unsigned)(check_rand(s) % 3);

	for (unsigned i = 0; i < n && c->used >= 8; i++) {
		size_t w = (size_t)(check_rand(s) % (c->used / 8));
		unsigned b = check_rand(s) % 4 ? bits[check_rand(s) % HVX_ARRAY_SIZE(bits)]
					       : 12 + (unsigned)(check_rand(s) % 36);

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
		if (check_rand(&s) % 2)
			s2_mutate(&s, &c);
		if (check_rand(&s) % 8) {
			const struct s2_region *r = &reg[check_rand(&s) % nreg];

			c.ipa = r->ipa + check_rand(&s) % r->size;
		} else {
			c.ipa = check_rand(&s) >> (check_rand(&s) % 64);
		}
		c.acc = (int)(check_rand(&s) % 3);
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
		g.nr = 32 * (1 + (unsigned)(check_rand(&s) % 4));
		for (unsigned q = 0; q < g.nr; q++)
			if (check_rand(&s) % 4 == 0)
				g.owned[q / 8] |= (uint8_t)(1u << (q % 8));
		for (unsigned k = 0; k < 24; k++) {
			uint32_t base = bases[check_rand(&s) % HVX_ARRAY_SIZE(bases)];
			unsigned bits = base >= GICD_IPRIORITYR && base < GICD_ICFGR ? 8 :
					base == GICD_ICFGR ? 2 : base < GICD_IGROUPR ? 32 : 1;
			uint32_t span = bits == 32 ? 4 : g.nr * bits / 8;
			uint32_t off = (uint32_t)(check_rand(&s) % span);
			int byte = bits == 8 && check_rand(&s) % 2;

			op(&g, (int)(check_rand(&s) % 2), byte ? 1 : 4,
			   base + (byte ? off : off & ~3u),
			   (uint32_t)check_rand(&s) & (byte ? 0xffu : 0xffffffffu));
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
		g.nr = 32 * (1 + (unsigned)(check_rand(&s) % 4));
		for (unsigned q = 0; q < g.nr; q++)
			if (check_rand(&s) % 4 == 0)
				g.owned[q / 8] |= (uint8_t)(1u << (q % 8));
		for (unsigned k = 0; k < 16; k++) {
			uint32_t base = wr_bases[check_rand(&s) % HVX_ARRAY_SIZE(wr_bases)];
			unsigned bits = base >= GICD_IPRIORITYR && base < GICD_ICFGR ? 8 :
					base == GICD_ICFGR ? 2 : 1;
			uint32_t span = g.nr * bits / 8;
			uint32_t off = (uint32_t)(check_rand(&s) % span);
			int byte = bits == 8 && check_rand(&s) % 2;

			op(&g, 1, byte ? 1 : 4, base + (byte ? off : off & ~3u),
			   (uint32_t)check_rand(&s) & (byte ? 0xffu : 0xffffffffu));
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
