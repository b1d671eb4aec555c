/*
 * Per entry point, per field: cases compared, failures and the first
 * (minimal) counterexample (validate.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

unsigned val_field(struct val_ep *ep, const char *name, const char *rule)
{
	for (unsigned i = 0; i < ep->nfields; i++)
		if (!strcmp(ep->f[i].name, name))
			return i;
	if (ep->nfields == VAL_MAX_FIELDS)
		return VAL_MAX_FIELDS - 1;
	ep->f[ep->nfields] = (struct val_field){ .name = name, .rule = rule };
	return ep->nfields++;
}

void val_count(struct val_ep *ep, unsigned fi, int failed, const char *input,
	       const char *expected, const char *actual)
{
	struct val_field *f = &ep->f[fi];

	f->compared++;
	if (!failed)
		return;
	f->failures++;
	if (f->have_cx)
		return;
	f->have_cx = 1;
	snprintf(f->input, sizeof(f->input), "%s", input);
	snprintf(f->expected, sizeof(f->expected), "%s", expected);
	snprintf(f->actual, sizeof(f->actual), "%s", actual);
}

void val_process(struct val_ep *ep, const struct plugin_status *st,
		 const char *input)
{
	unsigned fi = val_field(ep, "process",
		"the plugin must return within the timeout, without a signal "
		"or a sanitizer report, for every input");
	char act[600];

	snprintf(act, sizeof(act), "%s%s%s: %s", plugin_call_kind_name(st->kind),
		 st->signal ? " " : "", st->signal ? strsignal(st->signal) : "",
		 st->diag);
	val_count(ep, fi, 1, input, "return normally", act);
	ep->proc_findings++;
}
