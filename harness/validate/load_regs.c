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
 * The case loop is the case driver's (case_driver.h); this is its row.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/util/num.h"
#include "harness/validate/case_driver.h"

struct lr_run {
	struct cd_run c;
	struct hvx_regs in, out;
	char exp[RF_COUNT][32], act[RF_COUNT][32];
};

static void load_regs_of(uint64_t esr, uint64_t bus, struct hvx_regs *r)
{
	uint64_t s = esr * UINT64_C(0x9e3779b97f4a7c15) ^ bus;

	check_gen_regs(&s, esr, bus, r);
}

static int run_case(struct cd_ctx *x, struct cd_in in, struct cd_run *c)
{
	struct lr_run *r = (struct lr_run *)c;
	int e;

	memset(r, 0, sizeof(*r));
	load_regs_of(in.a, in.b, &r->in);
	r->out = r->in;
	e = plugin_call_mmio_load_regs(x->h, in.a, in.b, &r->out, &c->rc, &c->st);
	if (e || !cd_answered(&c->st) || !check_load_domain(in.a))
		return e;
	c->fail = check_cmp_load_regs(in.a, in.b, &r->in, c->rc, &r->out, &c->cmp,
				      r->exp, r->act);
	return 0;
}

static void describe(const struct cd_ctx *x, struct cd_in in, const struct cd_run *c,
		     const char *vec, char *buf, size_t len)
{
	const struct lr_run *r = (const struct lr_run *)c;
	uint64_t esr = in.a, bus = in.b;
	char d[200], cause[48] = "";
	unsigned srt = (unsigned)hvx_bits(esr, 20, 16);
	int n;

	(void)x;
	check_describe_esr(esr, d, sizeof(d));
	if (r && srt < 31 && (c->fail >> RF_XT & 1)) {
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

static void reproduce(const struct cd_ctx *x, struct cd_in in, char *buf, size_t len)
{
	val_reproduce(x->ep, buf, len, "--esr 0x%llx --bus 0x%llx", (unsigned long long)in.a,
		      (unsigned long long)in.b);
}

static int cause(struct cd_ctx *x, unsigned f, struct cd_in in, char *key, size_t len,
		 struct cd_in *rep)
{
	return cd_grid_cause(x, x->priv, f, in, true, key, len, rep);
}

static void rule(const struct cd_ctx *x, unsigned f, const char *key, char *buf, size_t len)
{
	cd_grid_rule(x->ops->fields[f].rule, key, buf, len);
}

/* plugin_load.tsv (esr, bus_data, write|nowrite, rt_value, reference): a
 * row's value must be the reference's (else the row is wrong and is
 * skipped with a message); rows outside the conformance class run with
 * --hostile. */
static int vector_row(struct cd_ctx *x, char *line, const char *path, unsigned lineno)
{
	char *c[5];
	uint64_t esr, bus, val = 0, ref = 0;
	int rc;

	if (cd_split_tabs(line, c, 5) != 5 || num_parse_hex(c[0], &esr) ||
	    num_parse_hex(c[1], &bus) || !check_load_domain(esr)) {
		cd_malformed_vector(path, lineno);
		return 0;
	}
	check_ref_mmio_load(esr, bus, &rc, &ref);
	if (strcmp(c[2], rc ? "nowrite" : "write") ||
	    (!rc && (num_parse_hex(c[3], &val) || val != ref))) {
		fprintf(stderr, "hvexit validate: %s:%u: vector disagrees with the "
			"reference, skipped\n", path, lineno);
		return 0;
	}
	return cd_vector_case(x, (struct cd_in){ esr, bus }, c[4], NULL);
}

static bool possible(struct cd_in in)
{
	return dabt_possible(in.a);
}

static void gen(uint64_t *s, struct cd_in *in)
{
	check_gen_load(s, &in->a, &in->b);
}

static bool gen_hostile(uint64_t *s, struct cd_in *in)
{
	in->a = dabt_gen_hostile(s);
	in->b = dabt_gen_bus(s, (unsigned)hvx_bits(in->a, 23, 22));
	return !dabt_possible(in->a);
}

static int init(struct cd_ctx *x)
{
	struct cause_grid *g = calloc(1, sizeof(*g));

	x->priv = g;
	return g ? cd_grid_new(x, g, true) : -ENOMEM;
}

static void fini(struct cd_ctx *x)
{
	if (x->priv)
		cd_grid_free(x->priv);
	free(x->priv);
}

const struct cd_ops cd_load_regs_ops = {
	.fields = check_load_regs_fields, .nfields = RF_COUNT, .list_all = true,
	.run_size = sizeof(struct lr_run), .exp_at = offsetof(struct lr_run, exp),
	.act_at = offsetof(struct lr_run, act), .text_len = sizeof(((struct lr_run *)0)->exp[0]),
	.seed_conformance = 0x10ad7e95, .seed_robustness = 0x4e95,
	.vectors = "plugin_load.tsv", .vector_row = vector_row,
	.gen = gen, .gen_hostile = gen_hostile, .possible = possible,
	.init = init, .fini = fini, .run = run_case, 
	.describe = describe, .reproduce = reproduce, .cause = cause, .rule = rule,
};
