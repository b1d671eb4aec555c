/*
 * Causes of data-abort findings: a failing case is placed on the feature
 * grid (dabt_space.h) and every axis through its point is probed against
 * the plugin. The values for which the field still fails are the cause's
 * decisive features: an axis that fails for every value is left out of
 * the key, one that fails for some values names them. Two bugs in one
 * field fail on different sets and so get different keys; all instances
 * of one bug get the same key. Grid results are cached, so a run probes
 * each point at most once.
 */
#ifndef HVEXIT_VALIDATE_DABT_CAUSE_H
#define HVEXIT_VALIDATE_DABT_CAUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/validate/dabt_space.h"

/* One probe: run the plugin on a grid point's syndrome and bus data and
 * say which fields failed. <0: host error. */
typedef int (*cause_eval_fn)(void *ctx, uint64_t esr, uint64_t bus, uint32_t *fail);

struct cause_cell {
	uint8_t done;
	uint32_t fail;
};

struct cause_grid {
	struct cause_cell *cell;	/* dabt_grid_size() cells */
	bool loads_only;		/* mmio_load: the 9 load classes */
	cause_eval_fn eval;
	void *ctx;
};

/* The decisive features of a failure of field at point p, written to
 * key ("LDRSB-W,LDRSH-W SRT!=31"; "any" when no axis is decisive). The
 * point is first made as simple as it can be while it still fails (each
 * axis but the instruction class moved to its simplest failing value),
 * so that the same bug gives the same key from any instance, and two bugs
 * that meet only on complicated inputs stay apart. Returns 1 with the
 * representative (*min_esr, *min_bus) when the point fails, 0 when it
 * does not (the failure depends on more than the grid: the caller keys it
 * by the instance), <0 host error. */
int cause_key(struct cause_grid *g, const struct dabt_point *p, unsigned field,
	      char *key, size_t len, uint64_t *min_esr, uint64_t *min_bus);

/* Explanation of the decisive features in key for a person, appended to
 * a field's rule (Arm ARM references). */
void cause_rule(const char *base, const char *key, char *buf, size_t len);

#endif
