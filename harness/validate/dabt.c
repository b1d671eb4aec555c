/*
 * decode_dabt and mmio_load.
 *
 * Conformance: the vectors of corpus/vectors/plugin_*.tsv that a PE can
 * report for a guest (dabt_space.h), then random syndromes from the same
 * space, compared field by field with the reference (plugin_check.c).
 * Each failure is keyed by its cause (dabt_cause.h); the first instance of
 * a cause is shown as the cause's representative syndrome, which is
 * architecturally possible by construction, with a command that re-runs
 * it alone.
 *
 * Robustness (--hostile): EC 0x25, other ECs, IL=0, S1PTW with ISV=1,
 * reserved fault codes, RES0 bits: any answer is fine, including a
 * refusal; a crash, a hang or a sanitizer report is a finding, shrunk bit
 * by bit.
 *
 * The case loop is the case driver's (case_driver.h); this file holds its
 * two rows: the calls, descriptions, causes and vector rows of each.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "hvexit/esr.h"
#include "harness/util/num.h"
#include "harness/util/rng.h"
#include "harness/validate/case_driver.h"

struct drun {
	struct cd_run c;
	char exp[DF_COUNT][32], act[DF_COUNT][32];
};

struct dstate {
	bool load;		/* mmio_load (else decode_dabt) */
	struct cause_grid grid;
};

static bool is_load(const struct cd_ctx *x)
{
	return ((const struct dstate *)x->priv)->load;
}

static int run_case(struct cd_ctx *x, struct cd_in in, struct cd_run *c)
{
	struct drun *r = (struct drun *)c;
	uint64_t esr = in.a, bus = in.b;
	int e, ref_rc, act_rc = 0;

	c->cmp = c->fail = 0;
	if (is_load(x)) {
		uint64_t ref_val = 0, act_val = 0;

		e = plugin_call_mmio_load(x->h, esr, bus, &act_rc, &act_val, &c->st);
		c->rc = act_rc;
		if (e || !cd_answered(&c->st))
			return e;
		check_ref_mmio_load(esr, bus, &ref_rc, &ref_val);
		c->fail = check_cmp_load(ref_rc, ref_val, act_rc, act_val, &c->cmp,
					 r->exp, r->act);
	} else {
		struct hvx_dabt ref, act;

		memset(&act, 0, sizeof(act));
		e = plugin_call_decode_dabt(x->h, esr, &act_rc, &act, &c->st);
		c->rc = act_rc;
		if (e || !cd_answered(&c->st))
			return e;
		check_ref_decode_dabt(esr, &ref_rc, &ref);
		c->fail = check_cmp_dabt(esr, ref_rc, &ref, act_rc, &act, &c->cmp,
					 r->exp, r->act);
		/* ABI 1.1: fields the plugin says its decoder does not extract
		 * (HVX_DABT_F_x is bit DF_x - 1) are not compared */
		c->cmp &= 1u << DF_RETURN | plugin_host_dabt_fields(x->h) << 1;
		c->fail &= c->cmp;
	}
	return 0;
}

/* "LDRSB w1" / "STR xzr" / "ISV=0 read" for a syndrome. */
static void insn_name(uint64_t esr, char *buf, size_t len)
{
	struct dabt_point p;
	unsigned srt;
	char name[32];

	if (!dabt_point_of(esr, 0, &p, &srt)) {
		snprintf(buf, len, "outside a guest's stage-2 data abort");
		return;
	}
	if (!dabt_classes[p.v[AX_CLS]].isv) {
		snprintf(buf, len, "%s", dabt_point_name(&p));
		return;
	}
	snprintf(name, sizeof(name), "%s", dabt_point_name(&p));
	name[strcspn(name, "-")] = 0;
	if (srt == 31)
		snprintf(buf, len, "%s %czr", name, dabt_classes[p.v[AX_CLS]].sf ? 'x' : 'w');
	else
		snprintf(buf, len, "%s %c%u", name, dabt_classes[p.v[AX_CLS]].sf ? 'x' : 'w', srt);
}

static void describe(const struct cd_ctx *x, struct cd_in in, const struct cd_run *r,
		     const char *vec, char *buf, size_t len)
{
	char d[200], insn[64];
	int n;

	(void)r;
	check_describe_esr(in.a, d, sizeof(d));
	insn_name(in.a, insn, sizeof(insn));
	n = snprintf(buf, len, "esr=0x%016llx %s (%s)", (unsigned long long)in.a, insn, d);
	if (is_load(x) && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " bus_data=0x%016llx",
			      (unsigned long long)in.b);
	if (vec && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [vector: %s]", vec);
}

static void reproduce(const struct cd_ctx *x, struct cd_in in, char *buf, size_t len)
{
	if (is_load(x))
		val_reproduce(x->ep, buf, len, "--esr 0x%llx --bus 0x%llx",
			      (unsigned long long)in.a, (unsigned long long)in.b);
	else
		val_reproduce(x->ep, buf, len, "--esr 0x%llx", (unsigned long long)in.a);
}

static int cause(struct cd_ctx *x, unsigned f, struct cd_in in, char *key, size_t len,
		 struct cd_in *rep)
{
	return cd_grid_cause(x, &((struct dstate *)x->priv)->grid, f, in, false, key, len, rep);
}

/* The rule of a cause of field f: for mmio_load's return value the XZR
 * rule only when SRT=31 decides, else the rule that a load with a valid
 * syndrome writes Xt. */
static void rule(const struct cd_ctx *x, unsigned f, const char *key, char *buf, size_t len)
{
	const char *base = x->ops->fields[f].rule;

	if (is_load(x) && f == LF_RETURN)
		base = strstr(key, "SRT=31") && !strstr(key, "SRT!=31") ?
		       "C6.2 LDR* with Rt=31: the destination is XZR/WZR, the load result is "
		       "discarded: return 1 (HVX_MMIO_NO_WRITE), no register written" :
		       "D24.2.46 ISV=1 WnR=0: the PE reports the load's size, sign and register, "
		       "so the hypervisor completes it: return 0 with the value of Xt (C6.2 LDR*)";
	cd_grid_rule(base, key, buf, len);
}

/* A crash or hang is keyed by the instruction class. */
static const char *process_cause(struct cd_in in)
{
	struct dabt_point p;
	unsigned srt;

	return dabt_point_of(in.a, in.b, &p, &srt) ? dabt_point_name(&p) : NULL;
}

/* Vector expectation: the file's values replace the reference's;
 * "ok-or-refuse" accepts a refusal. */
struct dvec {
	unsigned cmp;
	bool may_refuse;
	char exp[DF_COUNT][32];
};

static void apply_vector(const struct cd_ctx *x, const void *vp, struct cd_run *c)
{
	const struct dvec *v = vp;
	struct drun *r = (struct drun *)c;

	c->fail = 0;
	for (unsigned f = 0; f < x->ops->nfields; f++) {
		bool is_ret = f == 0;	/* DF_RETURN and LF_RETURN */

		if (!(v->cmp >> f & 1))
			continue;
		snprintf(r->exp[f], sizeof(r->exp[f]), "%s", v->exp[f]);
		if (!(c->cmp >> f & 1) && !is_ret)
			continue;
		if (is_ret) {	/* compare the word before the value: ok, refused... */
			size_t n = strcspn(r->exp[f], " ");

			if (is_load(x) ? strncmp(r->exp[f], r->act[f], 1) != 0 :
			    (strncmp(r->exp[f], r->act[f], n) || r->act[f][n] != ' ') &&
			    !(v->may_refuse && !strncmp(r->act[f], "refused", 7)))
				c->fail |= 1u;
		} else if (strcmp(r->exp[f], r->act[f])) {
			c->fail |= 1u << f;
		}
	}
}

/* ---- vectors ---------------------------------------------------------- */

static int dabt_vector_row(struct cd_ctx *x, char *line, const char *path, unsigned lineno)
{
	static const unsigned colf[] = { DF_VALID, DF_LEN, DF_IS_WRITE, DF_SSE,
					 DF_RT, DF_SF, DF_AR, DF_S1PTW, DF_DFSC };
	char *c[13];
	struct dvec v;
	uint64_t esr, n;

	if (cd_split_tabs(line, c, 13) != 12 || num_parse_hex(c[0], &esr)) {
		cd_malformed_vector(path, lineno);
		return 0;
	}
	memset(&v, 0, sizeof(v));
	v.cmp = 1u << DF_RETURN;
	snprintf(v.exp[DF_RETURN], 32, strcmp(c[1], "refuse") ? "ok (0)" : "refused (%d)",
		 -EINVAL);
	v.may_refuse = !strcmp(c[1], "ok-or-refuse");
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(colf); k++) {
		if (!strcmp(c[2 + k], "-") || num_parse_u64(c[2 + k], &n))
			continue;
		v.cmp |= 1u << colf[k];
		snprintf(v.exp[colf[k]], 32, colf[k] == DF_DFSC ? "0x%02x" : "%u", (unsigned)n);
	}
	return cd_vector_case(x, (struct cd_in){ esr, 0 }, c[11], &v);
}

static int load_vector_row(struct cd_ctx *x, char *line, const char *path, unsigned lineno)
{
	char *c[6];
	struct dvec v;
	uint64_t esr, bus, val = 0;
	int nowrite;

	if (cd_split_tabs(line, c, 6) != 5 || num_parse_hex(c[0], &esr) ||
	    num_parse_hex(c[1], &bus) || (strcmp(c[2], "write") && strcmp(c[2], "nowrite")) ||
	    (!strcmp(c[2], "write") && num_parse_hex(c[3], &val)) || !check_load_domain(esr)) {
		cd_malformed_vector(path, lineno);
		return 0;
	}
	nowrite = !strcmp(c[2], "nowrite");
	memset(&v, 0, sizeof(v));
	v.cmp = 1u << LF_RETURN | (nowrite ? 0 : 1u << LF_VALUE);
	snprintf(v.exp[LF_RETURN], 32, "%d (%s)", nowrite, nowrite ? "no write" : "Xt written");
	snprintf(v.exp[LF_VALUE], 32, "0x%016llx", (unsigned long long)val);
	return cd_vector_case(x, (struct cd_in){ esr, bus }, c[4], &v);
}

/* ---- inputs ------------------------------------------------------------- */

static bool possible(struct cd_in in)
{
	return dabt_possible(in.a);
}

static void gen_dabt(uint64_t *s, struct cd_in *in)
{
	in->a = dabt_gen_possible(s, false);
}

static void gen_load(uint64_t *s, struct cd_in *in)
{
	check_gen_load(s, &in->a, &in->b);
}

static bool hostile_dabt(uint64_t *s, struct cd_in *in)
{
	in->a = dabt_gen_hostile(s);
	return !dabt_possible(in->a);
}

/* A load syndrome bent out of the conformance class in one way. */
static uint64_t hostile_load_esr(uint64_t *s)
{
	static const uint64_t bend[] = {
		(uint64_t)0x01 << 26,			/* EC 0x24 -> 0x25 */
		UINT64_C(1) << 25,			/* IL = 0 */
		UINT64_C(1) << 7,			/* S1PTW with ISV = 1 */
		UINT64_C(1) << 15,			/* SF flipped: LDRSW-W, LDRB-X */
		UINT64_C(1) << 21,			/* SSE flipped: SSE with SAS = 3 */
		UINT64_C(0x3f),				/* DFSC changed */
		UINT64_C(0xff) << 56,			/* RES0 bits */
		UINT64_C(0x7ff) << 32,			/* ISS2 */
	};
	uint64_t esr = dabt_gen_possible(s, true);

	if (util_rng_below(s, 4) == 0)
		return dabt_gen_hostile(s);
	return esr ^ (bend[util_rng_below(s, HVX_ARRAY_SIZE(bend))] & util_rng_next(s));
}

static bool hostile_load(uint64_t *s, struct cd_in *in)
{
	in->a = hostile_load_esr(s);
	in->b = dabt_gen_bus(s, (unsigned)hvx_bits(in->a, 23, 22));
	return !dabt_possible(in->a);
}

/* ---- the entry points --------------------------------------------------- */

static int init(struct cd_ctx *x, bool load)
{
	struct dstate *st = calloc(1, sizeof(*st));

	x->priv = st;
	if (!st)
		return -ENOMEM;
	st->load = load;
	/* the fields in table order; one the decoder does not extract (ABI
	 * 1.1) is listed, compared 0 times */
	for (unsigned f = 0; !load && f < DF_COUNT; f++)
		val_field(x->ep, check_dabt_fields[f].name, check_dabt_fields[f].rule);
	return cd_grid_new(x, &st->grid, load);
}

static int init_dabt(struct cd_ctx *x)
{
	return init(x, false);
}

static int init_load(struct cd_ctx *x)
{
	return init(x, true);
}

static void fini(struct cd_ctx *x)
{
	struct dstate *st = x->priv;

	if (st)
		cd_grid_free(&st->grid);
	free(st);
}

/* decode_dabt and mmio_load: the same callbacks, their own fields,
 * seeds, vectors and generators. */
#define DABT_ROW(flds, n, shr, seed_c, seed_r, file, row, g, g_hostile, in) {		\
	.fields = flds, .nfields = n, .shrink = shr, .seed_conformance = seed_c,	\
	.seed_robustness = seed_r, .vectors = file, .vector_row = row, .gen = g,	\
	.gen_hostile = g_hostile, .init = in, .single_by_class = true,			\
	.run_size = sizeof(struct drun), .exp_at = offsetof(struct drun, exp),		\
	.act_at = offsetof(struct drun, act), .text_len = sizeof(((struct drun *)0)->exp[0]), \
	.possible = possible, .fini = fini, .run = run_case, .describe = describe,	\
	.reproduce = reproduce, .cause = cause, .rule = rule,				\
	.process_cause = process_cause, .apply_vector = apply_vector }

const struct cd_ops cd_dabt_ops = DABT_ROW(check_dabt_fields, DF_COUNT, 1, 0xdab7, 0x4d5e,
	"plugin_dabt.tsv", dabt_vector_row, gen_dabt, hostile_dabt, init_dabt);
const struct cd_ops cd_load_ops = DABT_ROW(check_load_fields, LF_COUNT, 2, 0x10ad, 0x4057,
	"plugin_load.tsv", load_vector_row, gen_load, hostile_load, init_load);
