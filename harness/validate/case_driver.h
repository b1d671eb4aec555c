/*
 * The case loop of the differential entry points (decode_dabt, mmio_load,
 * mmio_load_regs, emulate): draw an input, run the plugin on it, compare
 * field by field with the reference, key every failing field by its cause
 * and show the cause's simplest instance; in the robustness class only a
 * crash, a hang or a sanitizer report counts (shrunk where the entry point
 * asks for it). An entry point is one row of callbacks (struct cd_ops);
 * the driver owns the loop, the vectors, the limits and the notes.
 */
#ifndef HVEXIT_VALIDATE_CASE_DRIVER_H
#define HVEXIT_VALIDATE_CASE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/validate/dabt_cause.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

/* An input: (esr, bus data) for the data-abort entry points,
 * (instruction, seed) for emulate. */
struct cd_in {
	uint64_t a, b;
};

/* The start of every entry point's result of one call. */
struct cd_run {
	struct plugin_status st;
	int rc;			/* the plugin's return value */
	unsigned cmp, fail;	/* bit per field: compared, differs */
};

enum { CD_CASE, CD_REP, CD_PROBE, CD_NRUN };	/* result buffers in use at once */

struct cd_ops;

struct cd_ctx {
	struct plugin_host *h;
	struct val_ep *ep;
	const struct cd_ops *ops;
	bool single;		/* one case from the command line: no probing */
	unsigned shrunk;	/* robustness: kinds of failure already shrunk */
	unsigned probe_proc;	/* probes that crashed or hung */
	unsigned refused;	/* conformance cases the plugin refused */
	void *priv;		/* the entry point's own state (ops->init) */
	struct cd_run *r[CD_NRUN];
};

enum cd_single_in { CD_SINGLE_ESR_BUS, CD_SINGLE_INSN_SEED };

struct cd_ops {
	const struct check_field *fields;
	unsigned nfields;
	bool list_all;		/* every field listed from the first answered case
				 * (else only the ones compared) */
	bool note_refusals;	/* the conformance note counts refusals */
	bool single_by_class;	/* --entry runs in the class given (else the
				 * input's class decides) */
	unsigned shrink;	/* robustness: bits cleared in 0, 1 (a) or 2 (a, b) words */
	enum cd_single_in single_in;
	size_t run_size;	/* the entry point's result, struct cd_run first */
	/* where in it the expected and actual values of the fields are
	 * printed: nfields strings of text_len bytes each */
	size_t exp_at, act_at, text_len;
	uint64_t seed_conformance, seed_robustness;	/* xor --seed */
	const uint64_t *rep_seeds;	/* the representative re-run with each b */
	unsigned nrep_seeds;
	const char *vectors;	/* file under --vectors, or NULL */
	/* a non-comment line of the file; cd_vector_case runs it */
	int (*vector_row)(struct cd_ctx *x, char *line, const char *path, unsigned lineno);
	void (*gen)(uint64_t *s, struct cd_in *in);
	/* false: the input is in the conformance class (not run) */
	bool (*gen_hostile)(uint64_t *s, struct cd_in *in);
	bool (*possible)(struct cd_in in);	/* the conformance class */
	int (*init)(struct cd_ctx *x);		/* may be NULL */
	void (*fini)(struct cd_ctx *x);		/* may be NULL */
	int (*run)(struct cd_ctx *x, struct cd_in in, struct cd_run *r);
	/* r: the result shown (NULL for a crash, a hang, a robustness case) */
	void (*describe)(const struct cd_ctx *x, struct cd_in in, const struct cd_run *r,
			 const char *vec, char *buf, size_t len);
	void (*reproduce)(const struct cd_ctx *x, struct cd_in in, char *buf, size_t len);
	/* The cause key of failing field f: 1 with the cause's representative
	 * in *rep, 0 keyed by the instance, <0 host error. */
	int (*cause)(struct cd_ctx *x, unsigned f, struct cd_in in, char *key, size_t len,
		     struct cd_in *rep);
	void (*rule)(const struct cd_ctx *x, unsigned f, const char *key, char *buf, size_t len);
	/* may be NULL: the cause of a crash or hang in conformance */
	const char *(*process_cause)(struct cd_in in);
	/* may be NULL: a vector's expectation (cd_vector_case) replaces the reference's */
	void (*apply_vector)(const struct cd_ctx *x, const void *v, struct cd_run *r);
};

/* The rows (dabt.c, load_regs.c, emulate.c), in the suite table (suite.c). */
extern const struct cd_ops cd_dabt_ops, cd_load_ops, cd_load_regs_ops, cd_emulate_ops;

/* The runs of validate.h for one entry point. */
int cd_conformance(const struct cd_ops *ops, struct plugin_host *h, const struct val_opts *o,
		   struct val_ep *ep);
int cd_robustness(const struct cd_ops *ops, struct plugin_host *h, const struct val_opts *o,
		  struct val_ep *ep);
int cd_single(const struct cd_ops *ops, struct plugin_host *h, const struct val_opts *o,
	      struct val_ep *ep);

/* Did the plugin answer (returned, maybe with a sanitizer report)? */
bool cd_answered(const struct plugin_status *st);
/* A probe for a cause: or the fields failing on in into *fail. A probe
 * that crashes or hangs counts as passing (the case itself reports it);
 * after a few of them probes are not run. <0: host error. */
int cd_probe(struct cd_ctx *x, struct cd_in in, uint32_t *fail);

/* Vector rows: split a TSV line in place (the number of columns), say a
 * row is malformed, and run one input of a row in the class being run
 * (v: the row's expectation for ops->apply_vector, or NULL). */
int cd_split_tabs(char *line, char **col, int max);
void cd_malformed_vector(const char *path, unsigned lineno);
int cd_vector_case(struct cd_ctx *x, struct cd_in in, const char *ref, const void *v);

/* The data-abort entry points' causes: the feature grid of dabt_cause.h
 * probed through cd_probe. cd_grid_cause keys a failure at the case's grid
 * point; when the point does not fail (or for a single case) by the
 * instance's class (with its register when name_srt). cd_grid_rule: the
 * field's rule with the notes of the key's features. */
int cd_grid_new(struct cd_ctx *x, struct cause_grid *g, bool loads_only);
void cd_grid_free(struct cause_grid *g);
int cd_grid_cause(struct cd_ctx *x, struct cause_grid *g, unsigned f, struct cd_in in,
		  bool name_srt, char *key, size_t len, struct cd_in *rep);
void cd_grid_rule(const char *base, const char *key, char *buf, size_t len);

#endif
