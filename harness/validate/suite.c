/* The validation suite: one run per plugin entry point (validate.h). */
#include <string.h>

#include "harness/validate/validate.h"

const val_run_fn val_suite[PLUGIN_EP_COUNT] = {
	val_run_dabt, val_run_load, val_run_s2, val_run_gicd,
	val_run_load_regs, val_run_emulate,
};

unsigned val_ep_failures(const struct val_ep *ep)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ep->nfields; i++)
		n += ep->f[i].failures;
	return n;
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
	}
	for (unsigned i = 0; i < PLUGIN_EP_COUNT && !e; i++)
		if (eps[i].run)
			e = val_suite[i](h, o, &eps[i]);
	for (unsigned i = 0; i < PLUGIN_EP_COUNT; i++) {
		/* "process" is checked on every case */
		for (unsigned f = 0; f < eps[i].nfields; f++)
			if (!strcmp(eps[i].f[f].name, "process"))
				eps[i].f[f].compared = eps[i].cases;
	}
	return e;
}
