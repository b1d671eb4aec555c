/*
 * Stage-2 checks for hvexit validate (validate.h): the hand-written
 * scenarios of corpus/s2/NAME.scn (expected values from the Arm ARM D8,
 * VMSAv8-64 Stage 2: descriptors, start levels, concatenated roots, every
 * fault type at its level), then random differential cases against
 * hvexit's walker (decoder/s2_walk.c) on tables from its builder
 * (decoder/s2_build.c), some of them mutated.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stage2/s2scn.h"
#include "harness/util/datadir.h"
#include "harness/util/rng.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"
#include "hvexit/common.h"
#include "hvexit/s2.h"
#include "hvexit/gicd.h"

/* ---- Stage-2 ---------------------------------------------------------- */

#define VTCR(t0sz, sl0, tg0, ps) ((uint64_t)(t0sz) | (uint64_t)(sl0) << 6 | \
	(uint64_t)(tg0) << 14 | (uint64_t)(ps) << 16)

enum { R = HVX_ACC_READ, W = HVX_ACC_WRITE, X = HVX_ACC_EXEC };

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

static const char *const acc_name[] = { "read", "write", "exec" };

/* "vtcr=0x.. (4K granule, T0SZ=.., SL0=.., PS=..) vttbr=0x.. ipa=0x.. access=.." */
static int s2_input_text(char *buf, size_t len, uint64_t vtcr, uint64_t vttbr, uint64_t ipa,
			 int acc)
{
	static const char *const g[] = { "4K", "64K", "16K", "?" };

	return snprintf(buf, len, "vtcr=0x%llx (%s granule, T0SZ=%u, SL0=%u, PS=%u) "
			"vttbr=0x%llx ipa=0x%llx access=%s", (unsigned long long)vtcr,
			g[hvx_bits(vtcr, 15, 14)], (unsigned)hvx_bits(vtcr, 5, 0),
			(unsigned)hvx_bits(vtcr, 7, 6), (unsigned)hvx_bits(vtcr, 18, 16),
			(unsigned long long)vttbr, (unsigned long long)ipa, acc_name[acc]);
}

static void s2_describe(const struct s2_rcase *c, char *buf, size_t len)
{
	int n = s2_input_text(buf, len, c->vtcr, S2_BASE, c->ipa, c->acc);

	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "; tables from the builder, %zu bytes at 0x%llx",
			 c->used, (unsigned long long)S2_BASE);
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
	snprintf(ep->note, sizeof(ep->note), "random differential vs decoder/s2_walk.c on "
		 "builder tables (half mutated); %u refused", refused + rref);
	return e;
}

/* ---- hand-written scenarios (corpus/s2/NAME.scn) ---- */

/* The plugin ABI describes a PE with FEAT_XNX, a 48-bit PA range, no
 * hardware updates and no other Stage-2 feature (include/hvexit/plugin.h),
 * and hands the plugin one flat memory buffer. */
#define S2_ABI_FEATURES S2_FEAT_XNX
#define S2_ABI_PARANGE 48

struct s2_fixed {
	struct plugin_host *h;
	struct val_ep *ep;
	unsigned sent, not_sent, refused;
	int err;
	uint8_t *flat;
};

/* The scenario's memory as one buffer [*base, *base + *len), if it fits. */
static int s2_flatten(const struct s2_memimg *m, uint8_t *flat, uint64_t *base, size_t *len)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < m->n; i++) {
		lo = m->seg[i].pa < lo ? m->seg[i].pa : lo;
		hi = m->seg[i].pa + m->seg[i].len > hi ? m->seg[i].pa + m->seg[i].len : hi;
	}
	if (!m->n || hi - lo > PLUGIN_S2_MAX_MEM)
		return -1;
	memset(flat, 0, (size_t)(hi - lo));
	for (unsigned i = 0; i < m->n; i++)
		memcpy(flat + (m->seg[i].pa - lo), m->seg[i].buf, m->seg[i].len);
	*base = lo;
	*len = (size_t)(hi - lo);
	return 0;
}

static bool s2_same(const struct s2_result *a, const struct s2_result *b)
{
	return a->fault == b->fault && a->level == b->level &&
	       (a->fault != S2_OK || (a->pa == b->pa && a->s2ap == b->s2ap && a->xn == b->xn));
}

/* A case goes to the plugin only when the model gives the same answer
 * under the ABI's conditions (its features, PA range, flat memory) as
 * under the scenario's own: otherwise the expected values written in the
 * file do not apply to what the plugin is told (its exec access is an EL1
 * fetch, so EL0 fetches are not sent either). A VTCR_EL2 that makes
 * every access fault at level 0 (s2_config_init() returns 1) is no
 * configuration a hypervisor programs for its own walks: not sent, as
 * the random part does not generate one. */
static bool s2_abi_applies(const struct s2_scn_case *c, uint64_t base, const uint8_t *flat,
			   size_t len)
{
	struct s2_config abi;
	struct s2_result own, mine;
	struct s2_flatmem fm = { .buf = flat, .len = len, .base = base };
	const struct s2_mem mem = { .read64 = s2_memimg_read64, .ctx = (void *)c->mem };
	const char *why = NULL;

	if (c->extra_state || c->el0 || c->parange != S2_ABI_PARANGE ||
	    s2_config_init(c->vtcr, c->vttbr, S2_ABI_FEATURES, S2_ABI_PARANGE, false, &abi, &why))
		return false;
	if (s2_walk_mem(c->cfg, c->ipa, c->acc, false, &mem, &own) ||
	    s2_walk(&abi, c->ipa, c->acc, false, s2_flat_read64, &fm, &mine))
		return false;
	return s2_same(&own, &mine);
}

static void s2_check(struct s2_fixed *x, const struct s2_scn_case *c, uint64_t base,
		     size_t len, const struct hvx_s2_result *r)
{
	const char *file = strrchr(c->path, '/');
	char in[400], e[96], a[96];
	bool ok_both = c->fault == S2_OK && r->fault == HVX_S2_OK;
	int n = snprintf(in, sizeof(in), "corpus/s2/%s:%u: ", file ? file + 1 : c->path, c->line);

	n += s2_input_text(in + n, sizeof(in) - (size_t)n, c->vtcr, c->vttbr, c->ipa, (int)c->acc);
	if ((size_t)n < sizeof(in))
		snprintf(in + n, sizeof(in) - (size_t)n, "; memory 0x%llx+0x%zx",
			 (unsigned long long)base, len);
	if (c->have & S2SCN_HAVE_FAULT) {
		snprintf(e, sizeof(e), "%s", fault_name((int)s2_map_fault(c->fault)));
		snprintf(a, sizeof(a), "%s", fault_name(r->fault));
		s2_count(x->ep, "fault", s2_rfields[0].rule, in,
			 (unsigned)r->fault != s2_map_fault(c->fault), e, a);
	}
	if (c->have & S2SCN_HAVE_LEVEL) {
		snprintf(e, sizeof(e), "%d", c->level);
		snprintf(a, sizeof(a), "%d", r->level);
		s2_count(x->ep, "level", s2_rfields[1].rule, in, c->level != r->level, e, a);
	}
	if (!ok_both)
		return;
	if (c->have & S2SCN_HAVE_PA) {
		snprintf(e, sizeof(e), "0x%llx", (unsigned long long)c->pa);
		snprintf(a, sizeof(a), "0x%llx", (unsigned long long)r->pa);
		s2_count(x->ep, "pa", s2_rfields[2].rule, in, c->pa != r->pa, e, a);
	}
	if (c->have & S2SCN_HAVE_S2AP) {
		snprintf(e, sizeof(e), "%u", c->s2ap);
		snprintf(a, sizeof(a), "%u", r->s2ap);
		s2_count(x->ep, "s2ap", s2_rfields[3].rule, in, c->s2ap != r->s2ap, e, a);
	}
	if (c->have & S2SCN_HAVE_XN) {
		snprintf(e, sizeof(e), "%u", c->xn);
		snprintf(a, sizeof(a), "%u", r->xn);
		s2_count(x->ep, "xn", s2_rfields[4].rule, in, c->xn != r->xn, e, a);
	}
}

static void s2_visit(void *ctx, const struct s2_scn_case *c)
{
	struct s2_fixed *x = ctx;
	struct hvx_s2_result r;
	struct plugin_status st;
	uint64_t base;
	size_t len;
	int rc = 0, err;

	if (x->err || x->ep->proc_findings >= 3)
		return;
	if (s2_flatten(c->mem, x->flat, &base, &len) || !s2_abi_applies(c, base, x->flat, len)) {
		x->not_sent++;
		return;
	}
	memset(&r, 0, sizeof(r));
	err = plugin_call_s2(x->h, c->vtcr, c->vttbr, c->ipa, (int)c->acc, base, x->flat, len,
			     &rc, &r, &st);
	if (err) {
		x->err = err;
		return;
	}
	x->sent++;
	x->ep->cases++;
	x->ep->vectors++;
	if (st.kind != PLUGIN_CALL_OK) {
		char in[300];

		snprintf(in, sizeof(in), "%s:%u: ipa=0x%llx", c->path, c->line,
			 (unsigned long long)c->ipa);
		val_process(x->ep, &st, in);
		if (st.kind != PLUGIN_CALL_SANITIZER)
			return;
	}
	if (rc < 0) {
		x->refused++;
		return;
	}
	s2_check(x, c, base, len, &r);
}

static int s2_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every corpus/s2/NAME.scn in name order; a scenario the model itself fails
 * is an error of hvexit's data, not a finding. */
static int s2_fixed_run(struct s2_fixed *x, char *note, size_t notelen)
{
	char dir[4096], path[4400], *names[256];
	unsigned n = 0, files = 0, cases;
	struct dirent *d;
	DIR *dp;
	int e = 0;

	if (datadir_path("corpus/s2", dir, sizeof(dir)) < 0) {
		snprintf(note, notelen, "no corpus/s2 beside this binary");
		return -ENOENT;
	}
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && n < HVX_ARRAY_SIZE(names)) {
		size_t l = strlen(d->d_name);

		if (l > 4 && !strcmp(d->d_name + l - 4, ".scn") && !(names[n] = strdup(d->d_name)))
			e = -ENOMEM;
		else if (l > 4 && !strcmp(d->d_name + l - 4, ".scn"))
			n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), s2_name_cmp);
	for (unsigned i = 0; i < n; i++) {
		if (!e && !x->err) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			e = s2_scenario_visit(path, stderr, &cases, s2_visit, x);
			if (e > 0) {
				fprintf(stderr, "hvexit: %s: the reference model fails its own "
					"scenario\n", path);
				e = -EINVAL;
			}
			files++;
		}
		free(names[i]);
	}
	snprintf(note, notelen, "%u checks from %u scenario files of corpus/s2 (%u not "
		 "expressible in the plugin ABI)", x->sent, files, x->not_sent);
	return e ? e : x->err;
}

int val_run_s2(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	struct s2_fixed x = { .h = h, .ep = ep };
	char note[160];
	int e;

	x.flat = malloc(PLUGIN_S2_MAX_MEM);
	if (!x.flat)
		return -ENOMEM;
	e = s2_fixed_run(&x, note, sizeof(note));
	free(x.flat);
	if (e)
		return e;
	e = s2_random(h, o, ep, x.refused);
	if (!e) {
		size_t l = strlen(note);

		if (l + 2 < sizeof(ep->note)) {
			memmove(ep->note + l + 2, ep->note, sizeof(ep->note) - l - 2);
			ep->note[sizeof(ep->note) - 1] = 0;
			memcpy(ep->note, note, l);
			memcpy(ep->note + l, "; ", 2);
		}
	}
	return e;
}
