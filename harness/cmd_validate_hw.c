/* Stage-2 and GIC distributor checks for hvexit validate (validate.h). */
#include <stdio.h>
#include <string.h>

#include "harness/validate.h"

int val_run_s2(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	(void)h; (void)o;
	snprintf(ep->note, sizeof(ep->note), "not yet");
	return 0;
}

int val_run_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	(void)h; (void)o;
	snprintf(ep->note, sizeof(ep->note), "not yet");
	return 0;
}
