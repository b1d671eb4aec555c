/*
 * mmio_load_regs (plugin ABI 1.1): MMIO load completion on the whole
 * register file. The inputs are mmio_load's -- plugin_load.tsv rows, then
 * random syndromes a PE reports for a guest's load (dabt_space.h) with
 * bus data -- and a register file that is a function of the syndrome and
 * the data (load_regs_of), so `--entry mmio_load_regs --esr --bus` re-runs
 * a case alone. Every register is compared (plugin_check.c).
 *
 * A failing field is clustered as mmio_load's are: by its decisive
 * features on the data-abort feature grid (dabt_cause.h). A wrong X[SRT]
 * also names what happened to the value (check_load_cause: e.g.
 * "sign-extension-lost") in the finding's input.
 *
 * Robustness (--hostile): syndromes outside the conformance class;
 * refusing is right, only a crash, a hang or a sanitizer report counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/util/infile.h"
#include "harness/util/num.h"
#include "harness/util/rng.h"
#include "harness/validate/dabt_cause.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

#define MAX_PROC_FINDINGS 3
#define MAX_PROBE_PROC 2

struct lr_run {
	struct plugin_status st;
	struct hvx_regs in, out;
	int rc;
	unsigned cmp, fail;
	char exp[RF_COUNT][32], act[RF_COUNT][32];
};

struct lctx {
	struct plugin_host *h;
	struct val_ep *ep;
	bool single;
	struct cause_grid grid;
	unsigned probe_proc;
};

static bool answered(const struct plugin_status *st)
{
	return st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER;
}

static void load_regs_of(uint64_t esr, uint64_t bus, struct hvx_regs *r)
{
	uint64_t s = esr * UINT64_C(0x9e3779b97f4a7c15) ^ bus;

	check_gen_regs(&s, esr, bus, r);
}

static int run_case(struct lctx *x, uint64_t esr, uint64_t bus, struct lr_run *r)
{
	int e;

	memset(r, 0, sizeof(*r));
	load_regs_of(esr, bus, &r->in);
	r->out = r->in;
	e = plugin_call_mmio_load_regs(x->h, esr, bus, &r->out, &r->rc, &r->st);
	if (e || !answered(&r->st) || !check_load_domain(esr))
		return e;
	r->fail = check_cmp_load_regs(esr, bus, &r->in, r->rc, &r->out, &r->cmp,
				      r->exp, r->act);
	return 0;
}

static int grid_eval(void *ctx, uint64_t esr, uint64_t bus, uint32_t *fail)
{
	struct lctx *x = ctx;
	struct lr_run r;
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

static void describe(uint64_t esr, uint64_t bus, const struct lr_run *r, const char *vec,
		     char *buf, size_t len)
{
	char d[200], cause[48] = "";
	unsigned srt = (unsigned)hvx_bits(esr, 20, 16);
	int n;

	check_describe_esr(esr, d, sizeof(d));
	if (r && srt < 31 && (r->fail >> RF_XT & 1)) {
		uint64_t want = 0;
		int rc;

		check_ref_mmio_load(esr, bus, &rc, &want);
		check_load_cause(esr, bus, r->in.x[srt], want, r->out.x[srt], cause,
				 sizeof(cause));
	}
	n = snprintf(buf, len, "esr=0x%016llx (%s) bus_data=0x%016llx", (unsigned long long)esr,
		     d, (unsigned long long)bus);
	if (r && srt < 31 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " x%u=0x%llx", srt,
			      (unsigned long long)r->in.x[srt]);
	if (cause[0] && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " cause: %s", cause);
	if (vec && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [vector: %s]", vec);
}

static void reproduce(const struct lctx *x, uint64_t esr, uint64_t bus, char *buf, size_t len)
{
	val_reproduce(x->ep, buf, len, "--esr 0x%llx --bus 0x%llx", (unsigned long long)esr,
		      (unsigned long long)bus);
}

static int report_field(struct lctx *x, unsigned f, uint64_t esr, uint64_t bus,
			const struct lr_run *r, const char *vec)
{
	unsigned fi = val_field(x->ep, check_load_regs_fields[f].name,
				check_load_regs_fields[f].rule);
	char key[160] = "", in[400], rule[400], rep[400];
	uint64_t min_esr = esr, min_bus = bus;
	const struct lr_run *shown = r;
	struct dabt_point p;
	struct lr_run mr;
	unsigned srt;
	int k = 0;

	if (dabt_point_of(esr, bus, &p, &srt)) {
		if (!x->single)
			k = cause_key(&x->grid, &p, f, key, sizeof(key), &min_esr, &min_bus);
		if (k < 0)
			return k;
		if (k == 0)
			snprintf(key, sizeof(key), "%s %s SRT=%u", x->single ? "single case" :
				 "data-specific", dabt_point_name(&p), srt);
	}
	if (!val_seen(x->ep, fi, key) && (min_esr != esr || min_bus != bus) && !vec) {
		int e = run_case(x, min_esr, min_bus, &mr);

		if (e)
			return e;
		if (answered(&mr.st) && (mr.fail >> f & 1)) {
			esr = min_esr;
			bus = min_bus;
			shown = &mr;
		}
	}
	describe(esr, bus, shown, vec, in, sizeof(in));
	cause_rule(check_load_regs_fields[f].rule, key, rule, sizeof(rule));
	reproduce(x, esr, bus, rep, sizeof(rep));
	val_fail(x->ep, fi, key, in, shown->exp[f], shown->act[f], rule, rep);
	return 0;
}

static int conformance_case(struct lctx *x, uint64_t esr, uint64_t bus, const char *vec)
{
	struct lr_run r;
	char in[400], rep[400];
	int e = run_case(x, esr, bus, &r);

	if (e)
		return e;
	x->ep->cases++;
	if (r.st.kind != PLUGIN_CALL_OK) {
		describe(esr, bus, NULL, vec, in, sizeof(in));
		reproduce(x, esr, bus, rep, sizeof(rep));
		val_process_as(x->ep, &r.st, NULL, in, rep);
		if (r.st.kind != PLUGIN_CALL_SANITIZER)
			return 0;
	}
	for (unsigned f = 0; f < RF_COUNT && !e; f++) {
		unsigned fi = val_field(x->ep, check_load_regs_fields[f].name,
					check_load_regs_fields[f].rule);

		if (!(r.cmp >> f & 1))
			continue;
		if (r.fail >> f & 1)
			e = report_field(x, f, esr, bus, &r, vec);
		else
			val_count(x->ep, fi, 0, "", "", "");
	}
	return e;
}

static int hostile_case(struct lctx *x, uint64_t esr, uint64_t bus, const char *vec)
{
	struct lr_run r;
	char in[400], rep[400];
	int e = run_case(x, esr, bus, &r);

	if (e)
		return e;
	x->ep->hostile++;
	if (r.st.kind == PLUGIN_CALL_OK)
		return 0;
	describe(esr, bus, NULL, vec, in, sizeof(in));
	reproduce(x, esr, bus, rep, sizeof(rep));
	val_process_as(x->ep, &r.st, NULL, in, rep);
	return 0;
}

static bool proc_limit_reached(struct val_ep *ep)
{
	if (ep->proc_findings < MAX_PROC_FINDINGS)
		return false;
	snprintf(ep->note, sizeof(ep->note), "stopped after %u crashes/hangs",
		 ep->proc_findings);
	return true;
}

/* plugin_load.tsv (esr, bus_data, write|nowrite, rt_value, reference): a
 * row's value must be the reference's (else the row is wrong and is
 * skipped with a message); rows outside the conformance class run with
 * --hostile. */
static int vectors(struct lctx *x, const struct val_opts *o)
{
	char path[4200], line[1024], why[512];
	unsigned lineno = 0;
	FILE *f;
	int e = 0;

	if (!o->vectors) {
		snprintf(x->ep->note, sizeof(x->ep->note), "random cases only (--no-vectors)");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/plugin_load.tsv", o->vectors);
	/* a regular file only: a FIFO or device would block or never end */
	e = infile_check(path, why, sizeof(why));
	f = e == 0 ? fopen(path, "r") : NULL;
	if (!f)
		return e < 0 ? e : -errno;
	while (!e && fgets(line, sizeof(line), f) && !proc_limit_reached(x->ep)) {
		char *c[5], *p = line;
		uint64_t esr, bus, val = 0, ref = 0;
		int n = 0, rc;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\r\n")] = 0;
		while (n < 5 && p) {
			c[n++] = p;
			if ((p = strchr(p, '\t')))
				*p++ = 0;
		}
		if (n != 5 || num_parse_hex(c[0], &esr) || num_parse_hex(c[1], &bus) ||
		    !check_load_domain(esr)) {
			fprintf(stderr, "hvexit validate: %s:%u: malformed vector, skipped\n",
				path, lineno);
			continue;
		}
		check_ref_mmio_load(esr, bus, &rc, &ref);
		if (strcmp(c[2], rc ? "nowrite" : "write") ||
		    (!rc && (num_parse_hex(c[3], &val) || val != ref))) {
			fprintf(stderr, "hvexit validate: %s:%u: vector disagrees with the "
				"reference, skipped\n", path, lineno);
			continue;
		}
		if (x->ep->cls == VAL_ROBUSTNESS) {
			if (!dabt_possible(esr))
				e = hostile_case(x, esr, bus, c[4]);
		} else if (!dabt_possible(esr)) {
			x->ep->outside++;
		} else {
			x->ep->vectors++;
			e = conformance_case(x, esr, bus, c[4]);
		}
	}
	fclose(f);
	return e;
}

static int ctx_init(struct lctx *x, struct plugin_host *h, struct val_ep *ep)
{
	memset(x, 0, sizeof(*x));
	x->h = h;
	x->ep = ep;
	x->single = ep->o && ep->o->single.set;
	x->grid = (struct cause_grid){ .loads_only = true, .eval = grid_eval, .ctx = x };
	x->grid.cell = calloc(dabt_grid_size(), sizeof(*x->grid.cell));
	return x->grid.cell ? 0 : -ENOMEM;
}

int val_run_load_regs(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0x10ad7e95);
	struct lctx x;
	int e = ctx_init(&x, h, ep);

	if (!e)
		e = vectors(&x, o);
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint64_t esr = dabt_gen_possible(&s, true);
		uint64_t bus = dabt_gen_bus(&s, (unsigned)hvx_bits(esr, 23, 22));

		e = conformance_case(&x, esr, bus, NULL);
		ep->random++;
		val_tick(ep, o->cases);
	}
	if (ep->outside && !ep->note[0])
		snprintf(ep->note, sizeof(ep->note), "%u vectors outside a guest's stage-2 "
			 "data abort run with --hostile", ep->outside);
	free(x.grid.cell);
	return e;
}

int val_hostile_load_regs(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0x4e95);
	unsigned before = ep->proc_findings;
	struct lctx x;
	int e = ctx_init(&x, h, ep);

	ep->proc_findings = 0;
	if (!e)
		e = vectors(&x, o);
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint64_t esr = dabt_gen_hostile(&s);
		uint64_t bus = dabt_gen_bus(&s, (unsigned)hvx_bits(esr, 23, 22));

		if (dabt_possible(esr))
			continue;	/* the conformance run covers it */
		e = hostile_case(&x, esr, bus, NULL);
		val_tick(ep, o->cases);
	}
	ep->proc_findings += before;
	free(x.grid.cell);
	return e;
}

int val_single_load_regs(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	struct lctx x;
	int e = ctx_init(&x, h, ep);

	if (!e)
		e = dabt_possible(o->single.esr) ?
		    conformance_case(&x, o->single.esr, o->single.bus, NULL) :
		    hostile_case(&x, o->single.esr, o->single.bus, NULL);
	free(x.grid.cell);
	return e;
}
