/*
 * The case loop of the differential entry points (case_driver.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/util/infile.h"
#include "harness/validate/case_driver.h"

#define MAX_PROC_FINDINGS 3	/* stop an entry point after this many */
#define MAX_PROBE_PROC 2	/* probes that may crash or hang per run */
#define GRID_RULE_LEN 400	/* a data-abort cause's rule is cut here */

bool cd_answered(const struct plugin_status *st)
{
	return st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER;
}

int cd_probe(struct cd_ctx *x, struct cd_in in, uint32_t *fail)
{
	struct cd_run *r = x->r[CD_PROBE];
	int e;

	if (x->probe_proc >= MAX_PROBE_PROC)
		return 0;
	e = x->ops->run(x, in, r);
	if (e)
		return e;
	if (!cd_answered(&r->st))
		x->probe_proc++;
	else
		*fail |= r->fail;
	return 0;
}

/* The expected (or actual) value of field f as the run printed it. */
static const char *value(const struct cd_ops *ops, const struct cd_run *r, unsigned f,
			 bool actual)
{
	return (const char *)r + (actual ? ops->act_at : ops->exp_at) + f * ops->text_len;
}

/* A crash, a hang or a sanitizer report as a finding of "process". */
static void report_process(struct cd_ctx *x, struct cd_in in, const struct plugin_status *st,
			   const char *vec, const char *what)
{
	char desc[400], rep[400];

	x->ops->describe(x, in, NULL, vec, desc, sizeof(desc));
	x->ops->reproduce(x, in, rep, sizeof(rep));
	val_process_as(x->ep, st, what, desc, rep);
}

/* The cause's representative in place of the case when it fails the
 * same field (tried with each of ops->rep_seeds as its b). */
static int representative(struct cd_ctx *x, unsigned f, struct cd_in *in,
			  const struct cd_run **shown, struct cd_in rep)
{
	unsigned n = x->ops->nrep_seeds ? x->ops->nrep_seeds : 1;
	struct cd_run *mr = x->r[CD_REP];

	for (unsigned i = 0; i < n; i++) {
		int e;

		if (x->ops->nrep_seeds)
			rep.b = x->ops->rep_seeds[i];
		e = x->ops->run(x, rep, mr);
		if (e)
			return e;
		if (cd_answered(&mr->st) && (mr->fail >> f & 1)) {
			*in = rep;
			*shown = mr;
			break;
		}
	}
	return 0;
}

/* One failing field of a conformance case: find its cause, show the
 * cause's representative the first time. */
static int report_field(struct cd_ctx *x, unsigned f, struct cd_in in,
			const struct cd_run *r, const char *vec)
{
	const struct check_field *cf = &x->ops->fields[f];
	unsigned fi = val_field(x->ep, cf->name, cf->rule);
	char key[160] = "", desc[400], rule[600], rep[400];
	struct cd_in min = in;
	int k = x->ops->cause(x, f, in, key, sizeof(key), &min);

	if (k < 0)
		return k;
	if (k && !vec && !val_seen(x->ep, fi, key) && (min.a != in.a || min.b != in.b)) {
		int e = representative(x, f, &in, &r, min);

		if (e)
			return e;
	}
	x->ops->describe(x, in, r, vec, desc, sizeof(desc));
	x->ops->rule(x, f, key, rule, sizeof(rule));
	x->ops->reproduce(x, in, rep, sizeof(rep));
	val_fail(x->ep, fi, key, desc, value(x->ops, r, f, false), value(x->ops, r, f, true),
		 rule, rep);
	return 0;
}

static int conformance_case(struct cd_ctx *x, struct cd_in in, const char *vec, const void *v)
{
	const struct cd_ops *ops = x->ops;
	struct cd_run *r = x->r[CD_CASE];
	int e = ops->run(x, in, r);

	if (e)
		return e;
	x->ep->cases++;
	if (r->st.kind != PLUGIN_CALL_OK) {
		/* the cause: the failure (and the entry point's class of input) */
		report_process(x, in, &r->st, vec,
			       ops->process_cause ? ops->process_cause(in) : NULL);
		if (r->st.kind != PLUGIN_CALL_SANITIZER)
			return 0;
	}
	x->refused += r->rc < 0;
	if (v && ops->apply_vector)
		ops->apply_vector(x, v, r);
	for (unsigned f = 0; f < ops->nfields && !e; f++) {
		bool compared = r->cmp >> f & 1;
		unsigned fi;

		if (!compared && !ops->list_all)
			continue;
		fi = val_field(x->ep, ops->fields[f].name, ops->fields[f].rule);
		if (!compared)
			continue;
		if (r->fail >> f & 1)
			e = report_field(x, f, in, r, vec);
		else
			x->ep->f[fi].compared++;
	}
	return e;
}

/* ---- robustness ------------------------------------------------------- */

/* Does the plugin still fail the same way on in? */
static bool still(struct cd_ctx *x, struct cd_in in, enum plugin_call_kind kind)
{
	struct cd_run *r = x->r[CD_PROBE];

	return !x->ops->run(x, in, r) && r->st.kind == kind;
}

/* Clear bits of word w (0: a, 1: b), high to low, while the plugin keeps
 * failing the same way. Hangs cost a timeout per try, so they get a small
 * budget. */
static void shrink_bits(struct cd_ctx *x, struct cd_in *in, int w, enum plugin_call_kind kind,
			unsigned budget)
{
	uint64_t *v = w ? &in->b : &in->a;
	int changed = 1;

	while (changed && budget) {
		changed = 0;
		for (int b = 63; b >= 0 && budget; b--) {
			struct cd_in t = *in;
			uint64_t *tv = w ? &t.b : &t.a;

			*tv = *v & ~(UINT64_C(1) << b);
			if (*tv == *v)
				continue;
			budget--;
			if (still(x, t, kind)) {
				*v = *tv;
				changed = 1;
			}
		}
	}
}

static int hostile_case(struct cd_ctx *x, struct cd_in in, const char *vec)
{
	struct cd_run *r = x->r[CD_CASE];
	int e = x->ops->run(x, in, r);

	if (e)
		return e;
	x->ep->hostile++;
	if (r->st.kind == PLUGIN_CALL_OK)
		return 0;
	if (x->ops->shrink && !vec && !x->single && !(x->shrunk >> r->st.kind & 1)) {
		enum plugin_call_kind kind = r->st.kind;
		unsigned budget = kind == PLUGIN_CALL_HANG ? 4 : 256;

		shrink_bits(x, &in, 0, kind, budget);
		if (x->ops->shrink > 1)
			shrink_bits(x, &in, 1, kind, budget / 2);
		x->ops->run(x, in, r);	/* the status of the shrunk input */
		x->shrunk |= 1u << kind;
	}
	report_process(x, in, &r->st, vec, NULL);
	return 0;
}

/* ---- vectors ---------------------------------------------------------- */

int cd_split_tabs(char *line, char **col, int max)
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

void cd_malformed_vector(const char *path, unsigned lineno)
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

/* A vector row in the class being run: conformance rows are inputs the
 * architecture produces; the others run in the robustness class. */
int cd_vector_case(struct cd_ctx *x, struct cd_in in, const char *ref, const void *v)
{
	bool possible = x->ops->possible(in);

	if (x->ep->cls == VAL_ROBUSTNESS)
		return possible ? 0 : hostile_case(x, in, ref);
	if (!possible) {
		x->ep->outside++;
		return 0;
	}
	x->ep->vectors++;
	return conformance_case(x, in, ref, v);
}

static int for_each_vector(struct cd_ctx *x, const struct val_opts *o)
{
	char path[4200], line[1024], why[512];
	unsigned lineno = 0;
	int e = 0;
	FILE *f;

	if (!x->ops->vectors)
		return 0;
	if (!o->vectors) {
		snprintf(x->ep->note, sizeof(x->ep->note), "random cases only (--no-vectors)");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", o->vectors, x->ops->vectors);
	/* a regular file only: a FIFO or device would block or never end */
	e = infile_check(path, why, sizeof(why));
	f = e == 0 ? fopen(path, "r") : NULL;
	if (!f)
		return e < 0 ? e : -errno;	/* cmd_validate checked the files up front */
	while (!e && fgets(line, sizeof(line), f) && !proc_limit_reached(x->ep)) {
		lineno++;
		if (line[0] != '#' && line[0] != '\n')
			e = x->ops->vector_row(x, line, path, lineno);
	}
	fclose(f);
	return e;
}

/* ---- the runs ----------------------------------------------------------- */

static void ctx_fini(struct cd_ctx *x)
{
	if (x->ops->fini)
		x->ops->fini(x);
	free(x->r[0]);
}

static int ctx_init(struct cd_ctx *x, const struct cd_ops *ops, struct plugin_host *h,
		    struct val_ep *ep)
{
	unsigned char *buf = calloc(CD_NRUN, ops->run_size);

	memset(x, 0, sizeof(*x));
	x->h = h;
	x->ep = ep;
	x->ops = ops;
	x->single = ep->o && ep->o->single.set;
	for (unsigned i = 0; buf && i < CD_NRUN; i++)
		x->r[i] = (struct cd_run *)(void *)(buf + i * ops->run_size);
	if (!buf)
		return -ENOMEM;
	return ops->init ? ops->init(x) : 0;
}

int cd_conformance(const struct cd_ops *ops, struct plugin_host *h, const struct val_opts *o,
		   struct val_ep *ep)
{
	uint64_t s = o->seed ^ ops->seed_conformance;
	struct cd_ctx x;
	int e = ctx_init(&x, ops, h, ep);

	if (!e)
		e = for_each_vector(&x, o);
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		struct cd_in in = { 0, 0 };

		ops->gen(&s, &in);
		e = conformance_case(&x, in, NULL, NULL);
		ep->random++;
		val_tick(ep, o->cases);
	}
	if (!ep->note[0] && ep->outside)
		snprintf(ep->note, sizeof(ep->note), "%u vectors outside a guest's stage-2 "
			 "data abort run with --hostile", ep->outside);
	else if (!ep->note[0] && ops->note_refusals && x.refused)
		snprintf(ep->note, sizeof(ep->note), "%u of %u instructions refused",
			 x.refused, ep->cases);
	ctx_fini(&x);
	return e;
}

int cd_robustness(const struct cd_ops *ops, struct plugin_host *h, const struct val_opts *o,
		  struct val_ep *ep)
{
	uint64_t s = o->seed ^ ops->seed_robustness;
	unsigned before = ep->proc_findings;
	struct cd_ctx x;
	int e = ctx_init(&x, ops, h, ep);

	ep->proc_findings = 0;
	if (!e)
		e = for_each_vector(&x, o);
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		struct cd_in in = { 0, 0 };

		if (!ops->gen_hostile(&s, &in))
			continue;	/* the conformance run covers it */
		e = hostile_case(&x, in, NULL);
		val_tick(ep, o->cases);
	}
	ep->proc_findings += before;
	ctx_fini(&x);
	return e;
}

int cd_single(const struct cd_ops *ops, struct plugin_host *h, const struct val_opts *o,
	      struct val_ep *ep)
{
	struct cd_in in = { o->single.esr, o->single.bus };
	struct cd_ctx x;
	int e = ctx_init(&x, ops, h, ep);
	bool hostile;

	if (ops->single_in == CD_SINGLE_INSN_SEED)
		in = (struct cd_in){ o->single.insn, o->seed };
	hostile = ops->single_by_class ? ep->cls == VAL_ROBUSTNESS : !ops->possible(in);
	if (!e)
		e = hostile ? hostile_case(&x, in, NULL) : conformance_case(&x, in, NULL, NULL);
	ctx_fini(&x);
	return e;
}

/* ---- the data-abort feature grid ---------------------------------------- */

static int grid_eval(void *ctx, uint64_t esr, uint64_t bus, uint32_t *fail)
{
	*fail = 0;
	return cd_probe(ctx, (struct cd_in){ esr, bus }, fail);
}

int cd_grid_new(struct cd_ctx *x, struct cause_grid *g, bool loads_only)
{
	*g = (struct cause_grid){ .loads_only = loads_only, .eval = grid_eval, .ctx = x };
	g->cell = calloc(dabt_grid_size(), sizeof(*g->cell));
	return g->cell ? 0 : -ENOMEM;
}

void cd_grid_free(struct cause_grid *g)
{
	free(g->cell);
	g->cell = NULL;
}

int cd_grid_cause(struct cd_ctx *x, struct cause_grid *g, unsigned f, struct cd_in in,
		  bool name_srt, char *key, size_t len, struct cd_in *rep)
{
	struct dabt_point p;
	unsigned srt;
	int k = 0, n;

	if (!dabt_point_of(in.a, in.b, &p, &srt))
		return 0;
	if (!g->loads_only)
		p.v[AX_BUS] = 0;	/* no data in a decode */
	if (!x->single)
		k = cause_key(g, &p, f, key, len, &rep->a, &rep->b);
	if (k != 0)
		return k;
	/* not reproduced at the grid point: the class alone */
	n = snprintf(key, len, "%s %s", x->single ? "single case" : "data-specific",
		     dabt_point_name(&p));
	if (name_srt && n > 0 && (size_t)n < len)
		snprintf(key + n, len - (size_t)n, " SRT=%u", srt);
	return 0;
}

void cd_grid_rule(const char *base, const char *key, char *buf, size_t len)
{
	cause_rule(base, key, buf, len < GRID_RULE_LEN ? len : GRID_RULE_LEN);
}
