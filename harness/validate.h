/*
 * Shared state of `hvexit validate` (harness/cmd_validate.c runs decode_dabt
 * and mmio_load; harness/cmd_validate_hw.c the Stage-2 and GIC distributor
 * checks). Per entry point, per field: cases compared, failures and the
 * first (minimal) counterexample.
 */
#ifndef HVEXIT_HARNESS_VALIDATE_H
#define HVEXIT_HARNESS_VALIDATE_H

#include <stdint.h>

#include "hvexit/plugin_host.h"

#define VAL_MAX_FIELDS 24

struct val_field {
	const char *name;
	const char *rule;
	unsigned compared, failures;
	int have_cx;
	char input[320];	/* the (shrunk) input, decoded */
	char expected[96], actual[600];
};

struct val_ep {
	const char *name;
	int exported, selected, run;
	unsigned vectors, random, cases;
	unsigned nfields;
	struct val_field f[VAL_MAX_FIELDS];
	unsigned proc_findings;	/* crashes + hangs + sanitizer reports */
	char note[200];
};

struct val_opts {
	unsigned cases;
	uint64_t seed;
	const char *vectors;	/* directory */
};

/* Index of field name in ep (added if new, with its rule). */
unsigned val_field(struct val_ep *ep, const char *name, const char *rule);
/* Count one comparison of field fi; on failure keep the first
 * counterexample (input, expected, actual). */
void val_count(struct val_ep *ep, unsigned fi, int failed, const char *input,
	       const char *expected, const char *actual);
/* Record a crash/hang/sanitizer status as a finding of field "process". */
void val_process(struct val_ep *ep, const struct plugin_status *st,
		 const char *input);

/* Stage-2 and distributor checks (cmd_validate_hw.c). Return 0, or <0 on
 * a host-side error. */
int val_run_s2(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);

#endif
