/* The validation suite: per plugin entry point a conformance run and a
 * robustness run, each a case of the report (validate.h). */
#include <string.h>

#include "harness/validate/case_driver.h"
#include "harness/validate/validate.h"

const struct val_suite_row val_suite[PLUGIN_EP_COUNT] = {
	{ .driven = &cd_dabt_ops, .vector_file = "plugin_dabt.tsv" },
	{ .driven = &cd_load_ops, .vector_file = "plugin_load.tsv" },
	{ val_run_s2, NULL, NULL, NULL, NULL },
	{ val_run_gicd, val_hostile_gicd, val_single_gicd, NULL, NULL },
	{ .driven = &cd_load_regs_ops, .vector_file = "plugin_load.tsv" },
	{ .driven = &cd_emulate_ops },
};

enum run_kind { RUN_CONFORMANCE, RUN_ROBUSTNESS, RUN_SINGLE };

/* The row's own run of kind k (NULL: none, or the case driver's). */
static val_run_fn own_run(const struct val_suite_row *row, enum run_kind k)
{
	return k == RUN_CONFORMANCE ? row->conformance :
	       k == RUN_ROBUSTNESS ? row->robustness : row->single;
}

static bool has_run(const struct val_suite_row *row, enum run_kind k)
{
	return row->driven || own_run(row, k);
}

static int call_run(const struct val_suite_row *row, enum run_kind k, struct plugin_host *h,
		    const struct val_opts *o, struct val_ep *ep)
{
	static int (*const driver[])(const struct cd_ops *, struct plugin_host *,
				     const struct val_opts *, struct val_ep *) = {
		[RUN_CONFORMANCE] = cd_conformance, [RUN_ROBUSTNESS] = cd_robustness,
		[RUN_SINGLE] = cd_single,
	};

	return row->driven ? driver[k](row->driven, h, o, ep) : own_run(row, k)(h, o, ep);
}

static const char *const class_case[] = {
	[VAL_CONFORMANCE] = "validate.conformance",
	[VAL_ROBUSTNESS] = "validate.robustness",
};

unsigned val_ep_failures(const struct val_ep *ep)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ep->nfields; i++)
		n += ep->f[i].failures;
	return n;
}

/* One class of one entry point as a case of the report. */
static int run_case(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep,
		    enum val_class cls, const struct val_suite_row *row, enum run_kind k)
{
	unsigned before = val_ep_failures(ep);
	int e;

	ep->cls = cls;
	report_case_begin(o->rep, class_case[cls], ep->name);
	e = call_run(row, k, h, o, ep);
	if (e) {
		report_case_end(o->rep, REPORT_ERROR, "host error");
		return e;
	}
	if (cls == VAL_ROBUSTNESS)
		report_case_end(o->rep, REPORT_PASS, "%u robustness cases, %u failures",
				ep->hostile, val_ep_failures(ep) - before);
	else
		report_case_end(o->rep, REPORT_PASS, "%u cases (%u vectors, %u systematic, "
				"%u random), %u failures%s%s", ep->cases, ep->vectors,
				ep->systematic, ep->random, val_ep_failures(ep) - before,
				ep->note[0] ? "; " : "", ep->note);
	return 0;
}

int val_run_all(struct plugin_host *h, const struct val_opts *o, unsigned only,
		struct val_ep eps[PLUGIN_EP_COUNT])
{
	int e = 0;

	memset(eps, 0, sizeof(*eps) * PLUGIN_EP_COUNT);
	for (unsigned i = 0; i < PLUGIN_EP_COUNT; i++) {
		eps[i].name = plugin_ep_name(i);
		eps[i].exported = plugin_host_entry_points(h) >> i & 1;
		eps[i].selected = only >> i & 1;
		eps[i].run = eps[i].exported && eps[i].selected;
		eps[i].o = o;
	}
	for (unsigned i = 0; i < PLUGIN_EP_COUNT && !e; i++) {
		const struct val_suite_row *row = &val_suite[i];

		if (!eps[i].selected)
			continue;
		if (!eps[i].exported) {
			report_case_begin(o->rep, class_case[VAL_CONFORMANCE], eps[i].name);
			report_case_end(o->rep, REPORT_SKIP, "not exported by the plugin");
			continue;
		}
		if (o->single.set) {
			if (i == o->single.ep && has_run(row, RUN_SINGLE))
				e = run_case(h, o, &eps[i], o->hostile ? VAL_ROBUSTNESS :
					     VAL_CONFORMANCE, row, RUN_SINGLE);
			continue;
		}
		e = run_case(h, o, &eps[i], VAL_CONFORMANCE, row, RUN_CONFORMANCE);
		if (!e && o->hostile && has_run(row, RUN_ROBUSTNESS))
			e = run_case(h, o, &eps[i], VAL_ROBUSTNESS, row, RUN_ROBUSTNESS);
	}
	for (unsigned i = 0; i < PLUGIN_EP_COUNT; i++) {
		/* "process" is checked on every case */
		for (unsigned f = 0; f < eps[i].nfields; f++)
			if (!strcmp(eps[i].f[f].name, "process"))
				eps[i].f[f].compared = eps[i].cases + eps[i].hostile;
	}
	return e;
}
