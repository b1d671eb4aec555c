/*
 * The validation suite behind `hvexit validate`: per plugin entry point a
 * conformance run (vectors, systematic and random differential cases on
 * inputs the architecture can produce) and, on request, a robustness run
 * (inputs no PE produces for a guest: refusing them is always right, only
 * a crash, a hang or a sanitizer report counts). Every failing case
 * becomes a struct finding in the caller's report (harness/report), with
 * a cluster key naming its cause; the suite keeps, per field, how many
 * cases were compared and how many failed.
 */
#ifndef HVEXIT_HARNESS_VALIDATE_H
#define HVEXIT_HARNESS_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/report/report.h"
#include "hvexit/plugin_host.h"

#define VAL_MAX_FIELDS 24

struct val_field {
	const char *name;
	const char *rule;
	unsigned compared, failures;
	bool have_cx;		/* a finding of this field was reported */
};

/* One input given on the command line (--entry): run just that case. */
struct val_single {
	bool set;
	unsigned ep;		/* index in plugin_host order */
	uint64_t esr, bus;
	const char *gicd;	/* a GIC stream (gicd_parse_stream syntax) */
	uint32_t insn;		/* emulate: the instruction (its seed: --seed) */
};

struct val_opts {
	unsigned cases;
	uint64_t seed;
	const char *vectors;	/* directory, or NULL */
	const char *plugin;	/* the library as given: for reproduce lines */
	bool hostile;		/* also run the robustness class */
	struct val_single single;
	struct report *rep;	/* every finding goes here */
	/* called every few hundred cases: entry point, cases done, planned */
	void (*progress)(void *ctx, const char *ep, unsigned done, unsigned total);
	void *progress_ctx;
};

enum val_class { VAL_CONFORMANCE, VAL_ROBUSTNESS };

struct val_ep {
	const char *name;
	int exported, selected, run;
	unsigned vectors, random, cases;
	unsigned systematic;	/* enumerated cases (gicd) */
	unsigned outside;	/* vectors outside the conformance class */
	unsigned hostile;	/* robustness cases run */
	unsigned nfields;
	struct val_field f[VAL_MAX_FIELDS];
	unsigned proc_findings;	/* crashes + hangs + sanitizer reports */
	char note[200];
	enum val_class cls;	/* the class being run */
	const struct val_opts *o;
};

/* Index of field name in ep (added if new, with its rule). */
unsigned val_field(struct val_ep *ep, const char *name, const char *rule);
/* Count one comparison of field fi; a failure becomes a finding of the
 * field (no cause key) with the input and the values. */
void val_count(struct val_ep *ep, unsigned fi, int failed, const char *input,
	       const char *expected, const char *actual);
/* Report one failing case of field fi as a finding of the cause
 * `cluster` (counted as compared and failed). rule and reproduce may be
 * NULL (the field's rule; no command). */
void val_fail(struct val_ep *ep, unsigned fi, const char *cluster, const char *input,
	      const char *expected, const char *actual, const char *rule,
	      const char *reproduce);
/* Has a finding of field fi with this cause been reported already? */
bool val_seen(const struct val_ep *ep, unsigned fi, const char *cluster);
/* Record a crash/hang/sanitizer status as a finding of field "process",
 * its cause the kind of failure plus `what` (may be NULL). */
void val_process(struct val_ep *ep, const struct plugin_status *st,
		 const char *input);
void val_process_as(struct val_ep *ep, const struct plugin_status *st,
		    const char *what, const char *input, const char *reproduce);
/* Progress hook (no-op without o->progress). */
void val_tick(struct val_ep *ep, unsigned total);
/* "hvexit validate --plugin LIB --entry EP" plus printf-style arguments. */
void val_reproduce(const struct val_ep *ep, char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One run per plugin entry point and class (s2.c, gicd.c; the
 * differential entry points run through case_driver.h). Return 0, or <0
 * on a host-side error. */
typedef int (*val_run_fn)(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_s2(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_run_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
int val_hostile_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);
/* The one case of o->single (gicd.c). */
int val_single_gicd(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep);

/* The suite: one row per entry point, in plugin_host order (suite.c). */
struct cd_ops;
struct val_suite_row {
	val_run_fn conformance, robustness, single;
	const struct cd_ops *driven;	/* instead: the case driver's row */
	const char *vector_file;	/* corpus/vectors/NAME, or NULL */
};
extern const struct val_suite_row val_suite[PLUGIN_EP_COUNT];

/* Fill eps[] for the plugin behind h (exported, selected by the mask
 * `only`) and run every selected entry point in order, each as a case of
 * o->rep (class validate.conformance, and validate.robustness with
 * o->hostile). 0 or the first host-side error (<0). */
int val_run_all(struct plugin_host *h, const struct val_opts *o, unsigned only,
		struct val_ep eps[PLUGIN_EP_COUNT]);
/* Failures over every field of ep. */
unsigned val_ep_failures(const struct val_ep *ep);

#endif
