/*
 * The validation suite behind `hvexit validate`: per plugin entry point a
 * run (vectors, random differential cases, shrinking) that fills, per
 * field, the cases compared, failures and the first (minimal)
 * counterexample.
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

/* One run per plugin entry point (dabt.c, s2.c, gicd.c). Return 0, or <0
 * on a host-side error. */
typedef int (*val_run_fn)(struct plugin_host *h, const struct val_opts *o,
			  struct val_ep *ep);
int val_run_dabt(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_load(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_s2(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
/* ABI 1.1 entry points (load_regs.c, emulate.c). */
int val_run_load_regs(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_emulate(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);

/* The suite: one row per entry point, in plugin_host order (suite.c). */
extern const val_run_fn val_suite[PLUGIN_EP_COUNT];

/* Fill eps[] for the plugin behind h (exported, selected by the mask
 * `only`) and run every selected entry point in order. 0 or the first
 * host-side error (<0). */
int val_run_all(struct plugin_host *h, const struct val_opts *o, unsigned only,
		struct val_ep eps[PLUGIN_EP_COUNT]);
/* Failures over every field of ep. */
unsigned val_ep_failures(const struct val_ep *ep);

#endif
