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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "hvexit/esr.h"
#include "harness/util/infile.h"
#include "harness/util/num.h"
#include "harness/util/rng.h"
#include "harness/validate/dabt_cause.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

#define MAX_PROC_FINDINGS 3	/* stop an entry point after this many */
#define MAX_PROBE_PROC 2	/* probes that may crash or hang per run */

struct drun {
	struct plugin_status st;
	unsigned cmp, fail;
	char exp[DF_COUNT][32], act[DF_COUNT][32];
};

struct dctx {
	struct plugin_host *h;
	struct val_ep *ep;
	bool load;		/* mmio_load (else decode_dabt) */
	bool single;		/* one case from the command line: no probing */
	unsigned shrunk;	/* robustness: kinds of failure already shrunk */
	struct cause_grid grid;
	unsigned probe_proc;
};

static bool answered(const struct plugin_status *st)
{
	return st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER;
}

static int run_case(struct dctx *x, uint64_t esr, uint64_t bus, struct drun *r)
{
	int e, ref_rc, act_rc = 0;

	r->cmp = r->fail = 0;
	if (x->load) {
		uint64_t ref_val = 0, act_val = 0;

		e = plugin_call_mmio_load(x->h, esr, bus, &act_rc, &act_val, &r->st);
		if (e || !answered(&r->st))
			return e;
		check_ref_mmio_load(esr, bus, &ref_rc, &ref_val);
		r->fail = check_cmp_load(ref_rc, ref_val, act_rc, act_val, &r->cmp,
					 r->exp, r->act);
	} else {
		struct hvx_dabt ref, act;

		memset(&act, 0, sizeof(act));
		e = plugin_call_decode_dabt(x->h, esr, &act_rc, &act, &r->st);
		if (e || !answered(&r->st))
			return e;
		check_ref_decode_dabt(esr, &ref_rc, &ref);
		r->fail = check_cmp_dabt(esr, ref_rc, &ref, act_rc, &act, &r->cmp,
					 r->exp, r->act);
		/* ABI 1.1: fields the plugin says its decoder does not extract
		 * (HVX_DABT_F_x is bit DF_x - 1) are not compared */
		r->cmp &= 1u << DF_RETURN | plugin_host_dabt_fields(x->h) << 1;
		r->fail &= r->cmp;
	}
	return 0;
}

static const struct check_field *field_of(const struct dctx *x, unsigned f)
{
	return x->load ? &check_load_fields[f] : &check_dabt_fields[f];
}

static unsigned nfields(const struct dctx *x)
{
	return x->load ? LF_COUNT : DF_COUNT;
}

/* A grid probe (dabt_cause.h). A probe that crashes or hangs counts as
 * passing: the case itself reports it. */
static int grid_eval(void *ctx, uint64_t esr, uint64_t bus, uint32_t *fail)
{
	struct dctx *x = ctx;
	struct drun r;
	int e;

	*fail = 0;
	if (x->probe_proc >= MAX_PROBE_PROC)
		return 0;
	e = run_case(x, esr, bus, &r);
	if (e)
		return e;
	if (!answered(&r.st))
		x->probe_proc++;
	else
		*fail = r.fail;
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

static void describe(const struct dctx *x, uint64_t esr, uint64_t bus, const char *vec,
		     char *buf, size_t len)
{
	char d[200], insn[64];
	int n;

	check_describe_esr(esr, d, sizeof(d));
	insn_name(esr, insn, sizeof(insn));
	n = snprintf(buf, len, "esr=0x%016llx %s (%s)", (unsigned long long)esr, insn, d);
	if (x->load && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " bus_data=0x%016llx",
			      (unsigned long long)bus);
	if (vec && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [vector: %s]", vec);
}

static void reproduce(const struct dctx *x, uint64_t esr, uint64_t bus, char *buf, size_t len)
{
	if (x->load)
		val_reproduce(x->ep, buf, len, "--esr 0x%llx --bus 0x%llx",
			      (unsigned long long)esr, (unsigned long long)bus);
	else
		val_reproduce(x->ep, buf, len, "--esr 0x%llx", (unsigned long long)esr);
}

/* The rule of a cause of field f: for mmio_load's return value the XZR
 * rule only when SRT=31 decides, else the rule that a load with a valid
 * syndrome writes Xt. */
static const char *load_return_rule(const struct dctx *x, unsigned f, const char *key)
{
	if (!x->load || f != LF_RETURN)
		return field_of(x, f)->rule;
	if (strstr(key, "SRT=31") && !strstr(key, "SRT!=31"))
		return "C6.2 LDR* with Rt=31: the destination is XZR/WZR, the load result is "
		       "discarded: return 1 (HVX_MMIO_NO_WRITE), no register written";
	return "D24.2.46 ISV=1 WnR=0: the PE reports the load's size, sign and register, "
	       "so the hypervisor completes it: return 0 with the value of Xt (C6.2 LDR*)";
}

/* One failing field of a conformance case: find its cause, show the
 * cause's representative the first time. */
static int report_field(struct dctx *x, unsigned f, uint64_t esr, uint64_t bus,
			const struct drun *r, const char *vec)
{
	unsigned fi = val_field(x->ep, field_of(x, f)->name, field_of(x, f)->rule);
	char key[160] = "", in[400], rule[400], rep[400];
	const char *exp = r->exp[f], *act = r->act[f];
	uint64_t min_esr = esr, min_bus = bus;
	struct dabt_point p;
	struct drun mr;
	unsigned srt;
	int k = 0;

	if (dabt_point_of(esr, bus, &p, &srt)) {
		if (!x->load)
			p.v[AX_BUS] = 0;	/* no data in a decode */
		if (!x->single)
			k = cause_key(&x->grid, &p, f, key, sizeof(key), &min_esr, &min_bus);
		if (k < 0)
			return k;
		if (k == 0)	/* not reproduced at the grid point: the class alone */
			snprintf(key, sizeof(key), "%s %s", x->single ? "single case" :
				 "data-specific", dabt_point_name(&p));
	}
	if (!val_seen(x->ep, fi, key) && (min_esr != esr || min_bus != bus) && !vec) {
		int e = run_case(x, min_esr, min_bus, &mr);

		if (e)
			return e;
		if (answered(&mr.st) && (mr.fail >> f & 1)) {
			esr = min_esr;
			bus = min_bus;
			exp = mr.exp[f];
			act = mr.act[f];
		}
	}
	describe(x, esr, bus, vec, in, sizeof(in));
	cause_rule(load_return_rule(x, f, key), key, rule, sizeof(rule));
	reproduce(x, esr, bus, rep, sizeof(rep));
	val_fail(x->ep, fi, key, in, exp, act, rule, rep);
	return 0;
}

/* Vector expectation (decode_dabt): the file's values replace the
 * reference's; "ok-or-refuse" accepts a refusal. */
struct dvec {
	unsigned cmp;
	bool may_refuse;
	char exp[DF_COUNT][32];
};

static void apply_vector(const struct dctx *x, const struct dvec *v, struct drun *r)
{
	r->fail = 0;
	for (unsigned f = 0; f < nfields(x); f++) {
		bool is_ret = f == 0;	/* DF_RETURN and LF_RETURN */

		if (!(v->cmp >> f & 1))
			continue;
		snprintf(r->exp[f], sizeof(r->exp[f]), "%s", v->exp[f]);
		if (!(r->cmp >> f & 1) && !is_ret)
			continue;
		if (is_ret) {	/* compare the word before the value: ok, refused... */
			size_t n = strcspn(r->exp[f], " ");

			if (x->load ? strncmp(r->exp[f], r->act[f], 1) != 0 :
			    (strncmp(r->exp[f], r->act[f], n) || r->act[f][n] != ' ') &&
			    !(v->may_refuse && !strncmp(r->act[f], "refused", 7)))
				r->fail |= 1u;
		} else if (strcmp(r->exp[f], r->act[f])) {
			r->fail |= 1u << f;
		}
	}
}

static int conformance_case(struct dctx *x, uint64_t esr, uint64_t bus, const char *vec,
			    const struct dvec *v)
{
	struct drun r;
	char in[400], rep[400];
	struct dabt_point p;
	unsigned srt;
	int e = run_case(x, esr, bus, &r);

	if (e)
		return e;
	x->ep->cases++;
	if (!answered(&r.st) || r.st.kind == PLUGIN_CALL_SANITIZER) {
		describe(x, esr, bus, vec, in, sizeof(in));
		reproduce(x, esr, bus, rep, sizeof(rep));
		/* the cause: the failure and the instruction class */
		val_process_as(x->ep, &r.st, dabt_point_of(esr, bus, &p, &srt) ?
			       dabt_point_name(&p) : NULL, in, rep);
		if (!answered(&r.st))
			return 0;
	}
	if (v)
		apply_vector(x, v, &r);
	for (unsigned f = 0; f < nfields(x); f++) {
		if (!(r.cmp >> f & 1))
			continue;
		if (r.fail >> f & 1) {
			e = report_field(x, f, esr, bus, &r, vec);
			if (e)
				return e;
		} else {
			x->ep->f[val_field(x->ep, field_of(x, f)->name,
					   field_of(x, f)->rule)].compared++;
		}
	}
	return 0;
}

/* ---- robustness ------------------------------------------------------- */

struct shrink { struct dctx *x; enum plugin_call_kind kind; uint64_t other; int which; };

static int still(struct shrink *s, uint64_t v)
{
	struct drun r;
	uint64_t esr = s->which ? s->other : v, bus = s->which ? v : s->other;

	return !run_case(s->x, esr, bus, &r) && r.st.kind == s->kind;
}

/* Clear bits (high to low) while the plugin keeps failing the same way.
 * Hangs cost a timeout per try, so they get a small budget. */
static uint64_t shrink_bits(struct shrink *s, uint64_t v, unsigned budget)
{
	int changed = 1;

	while (changed && budget) {
		changed = 0;
		for (int b = 63; b >= 0 && budget; b--) {
			uint64_t t = v & ~(UINT64_C(1) << b);

			if (t == v)
				continue;
			budget--;
			if (still(s, t)) {
				v = t;
				changed = 1;
			}
		}
	}
	return v;
}

static int hostile_case(struct dctx *x, uint64_t esr, uint64_t bus, const char *vec)
{
	struct drun r;
	char in[400], rep[400];
	int e = run_case(x, esr, bus, &r);

	if (e)
		return e;
	x->ep->hostile++;
	if (r.st.kind == PLUGIN_CALL_OK)
		return 0;
	if (!vec && !x->single && !(x->shrunk >> r.st.kind & 1)) {
		struct shrink s = { x, r.st.kind, bus, 0 };
		unsigned budget = r.st.kind == PLUGIN_CALL_HANG ? 4 : 256;

		esr = shrink_bits(&s, esr, budget);
		if (x->load) {
			s.which = 1;
			s.other = esr;
			bus = shrink_bits(&s, bus, budget / 2);
		}
		run_case(x, esr, bus, &r);	/* the status of the shrunk input */
		x->shrunk |= 1u << s.kind;
	}
	describe(x, esr, bus, vec, in, sizeof(in));
	reproduce(x, esr, bus, rep, sizeof(rep));
	val_process_as(x->ep, &r.st, NULL, in, rep);
	return 0;
}

/* ---- vectors ---------------------------------------------------------- */

/* Split a TSV line in place; returns the number of columns. */
static int split_tabs(char *line, char **col, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		col[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static void malformed_vector(const char *path, unsigned lineno)
{
	fprintf(stderr, "hvexit validate: %s:%u: malformed vector, skipped\n", path, lineno);
}

static bool proc_limit_reached(struct val_ep *ep)
{
	if (ep->proc_findings < MAX_PROC_FINDINGS)
		return false;
	snprintf(ep->note, sizeof(ep->note), "stopped after %u crashes/hangs",
		 ep->proc_findings);
	return true;
}

/* A vector row in the class being run: conformance rows are syndromes a
 * PE reports for a guest; the others run in the robustness class. */
static int vector_case(struct dctx *x, uint64_t esr, uint64_t bus, const char *ref,
		       const struct dvec *v)
{
	bool possible = dabt_possible(esr);

	if (x->ep->cls == VAL_ROBUSTNESS)
		return possible ? 0 : hostile_case(x, esr, bus, ref);
	if (!possible) {
		x->ep->outside++;
		return 0;
	}
	x->ep->vectors++;
	return conformance_case(x, esr, bus, ref, v);
}

static int dabt_vector_row(struct dctx *x, char *line, const char *path, unsigned lineno)
{
	static const unsigned colf[] = { DF_VALID, DF_LEN, DF_IS_WRITE, DF_SSE,
					 DF_RT, DF_SF, DF_AR, DF_S1PTW, DF_DFSC };
	char *c[13];
	struct dvec v;
	uint64_t esr, n;

	if (split_tabs(line, c, 13) != 12 || num_parse_hex(c[0], &esr)) {
		malformed_vector(path, lineno);
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
	return vector_case(x, esr, 0, c[11], &v);
}

static int load_vector_row(struct dctx *x, char *line, const char *path, unsigned lineno)
{
	char *c[6];
	struct dvec v;
	uint64_t esr, bus, val = 0;
	int nowrite;

	if (split_tabs(line, c, 6) != 5 || num_parse_hex(c[0], &esr) ||
	    num_parse_hex(c[1], &bus) || (strcmp(c[2], "write") && strcmp(c[2], "nowrite")) ||
	    (!strcmp(c[2], "write") && num_parse_hex(c[3], &val)) || !check_load_domain(esr)) {
		malformed_vector(path, lineno);
		return 0;
	}
	nowrite = !strcmp(c[2], "nowrite");
	memset(&v, 0, sizeof(v));
	v.cmp = 1u << LF_RETURN | (nowrite ? 0 : 1u << LF_VALUE);
	snprintf(v.exp[LF_RETURN], 32, "%d (%s)", nowrite, nowrite ? "no write" : "Xt written");
	snprintf(v.exp[LF_VALUE], 32, "0x%016llx", (unsigned long long)val);
	return vector_case(x, esr, bus, c[4], &v);
}

static int for_each_vector(struct dctx *x, const struct val_opts *o, const char *name,
			   int (*row)(struct dctx *, char *, const char *, unsigned))
{
	char path[4200], line[1024], why[512];
	unsigned lineno = 0;
	int e = 0;
	FILE *f;

	if (!o->vectors) {
		snprintf(x->ep->note, sizeof(x->ep->note), "random cases only (--no-vectors)");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", o->vectors, name);
	/* a regular file (not a FIFO that would block the open) */
	e = infile_check(path, why, sizeof(why));
	f = e == 0 ? fopen(path, "r") : NULL;
	if (!f)
		return e < 0 ? e : -errno;	/* cmd_validate checked the files up front */
	while (!e && fgets(line, sizeof(line), f) && !proc_limit_reached(x->ep)) {
		lineno++;
		if (line[0] != '#' && line[0] != '\n')
			e = row(x, line, path, lineno);
	}
	fclose(f);
	if (x->ep->outside && x->ep->cls == VAL_CONFORMANCE)
		snprintf(x->ep->note, sizeof(x->ep->note), "%u vectors outside a guest's "
			 "stage-2 data abort run with --hostile", x->ep->outside);
	return e;
}

/* ---- the runs ----------------------------------------------------------- */

static int ctx_init(struct dctx *x, struct plugin_host *h, struct val_ep *ep, bool load)
{
	memset(x, 0, sizeof(*x));
	x->h = h;
	x->ep = ep;
	x->load = load;
	x->single = ep->o && ep->o->single.set;
	x->grid = (struct cause_grid){ .loads_only = load, .eval = grid_eval, .ctx = x };
	x->grid.cell = calloc(dabt_grid_size(), sizeof(*x->grid.cell));
	/* the fields in table order; one the decoder does not extract (ABI
	 * 1.1) is listed, compared 0 times */
	for (unsigned f = 0; !load && f < DF_COUNT; f++)
		val_field(ep, check_dabt_fields[f].name, check_dabt_fields[f].rule);
	return x->grid.cell ? 0 : -ENOMEM;
}

static int conformance(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep,
		       bool load)
{
	uint64_t s = o->seed ^ (load ? UINT64_C(0x10ad) : UINT64_C(0xdab7));
	struct dctx x;
	int e = ctx_init(&x, h, ep, load);

	if (!e)
		e = for_each_vector(&x, o, load ? "plugin_load.tsv" : "plugin_dabt.tsv",
				    load ? load_vector_row : dabt_vector_row);
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint64_t esr, bus = 0;

		if (load)
			check_gen_load(&s, &esr, &bus);
		else
			esr = dabt_gen_possible(&s, false);
		e = conformance_case(&x, esr, bus, NULL, NULL);
		ep->random++;
		val_tick(ep, o->cases);
	}
	free(x.grid.cell);
	return e;
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

static int robustness(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep,
		      bool load)
{
	uint64_t s = o->seed ^ (load ? UINT64_C(0x4057) : UINT64_C(0x4d5e));
	struct dctx x;
	int e = ctx_init(&x, h, ep, load);
	unsigned before = ep->proc_findings;

	ep->proc_findings = 0;
	if (!e)
		e = for_each_vector(&x, o, load ? "plugin_load.tsv" : "plugin_dabt.tsv",
				    load ? load_vector_row : dabt_vector_row);
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint64_t esr = load ? hostile_load_esr(&s) : dabt_gen_hostile(&s);
		uint64_t bus = load ? dabt_gen_bus(&s, (unsigned)hvx_bits(esr, 23, 22)) : 0;

		if (dabt_possible(esr))
			continue;	/* the conformance run covers it */
		e = hostile_case(&x, esr, bus, NULL);
		val_tick(ep, o->cases);
	}
	ep->proc_findings += before;
	free(x.grid.cell);
	return e;
}

int val_run_dabt(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	return conformance(h, o, ep, false);
}

int val_run_load(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	return conformance(h, o, ep, true);
}

int val_hostile_dabt(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	return robustness(h, o, ep, false);
}

int val_hostile_load(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	return robustness(h, o, ep, true);
}

static int single(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep, bool load)
{
	struct dctx x;
	int e = ctx_init(&x, h, ep, load);

	if (!e)
		e = ep->cls == VAL_ROBUSTNESS ?
		    hostile_case(&x, o->single.esr, o->single.bus, NULL) :
		    conformance_case(&x, o->single.esr, o->single.bus, NULL, NULL);
	free(x.grid.cell);
	return e;
}

int val_single_dabt(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	return single(h, o, ep, false);
}

int val_single_load(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	return single(h, o, ep, true);
}
