/* Stage-2 oracle scenarios (s2gen.c) and their expected results (s2run.c). */
#ifndef HVEXIT_ORACLE_S2CASE_H
#define HVEXIT_ORACLE_S2CASE_H

#include "harness/oracle/oracle.h"
#include "hvexit/s2.h"

#define ORACLE_S2_MAX_TARGETS 3
#define ORACLE_S2_MAX_ACC (2 * ORACLE_S2_MAX_TARGETS + 2)
#define ORACLE_S2_BUF (UINT64_C(2) << 20)

/* What was changed in a region's tables after s2_build(). */
enum oracle_s2_mut {
	ORC_MUT_NONE, ORC_MUT_AF, ORC_MUT_XN, ORC_MUT_S2AP, ORC_MUT_INVALID,
	ORC_MUT_RESERVED, ORC_MUT_OA_SIZE, ORC_MUT_TABLE_INVALID,
	ORC_MUT_TABLE_UNBACKED, ORC_MUT_TABLE_OA_SIZE, ORC_MUT_COUNT
};
const char *oracle_s2_mut_name(enum oracle_s2_mut m);

struct oracle_s2_env {
	unsigned features;	/* s2 feature set of the probed PE */
	unsigned parange;	/* its PA size in bits */
};

struct oracle_s2_access {
	uint64_t ipa;
	enum s2_access acc;
};

struct oracle_s2_case {
	uint64_t index;
	uint64_t vtcr, vttbr;
	struct s2_config cfg;
	struct s2_region reg[ORACLE_S2_MAX_TARGETS + 1];	/* [0]: the stub page */
	enum oracle_s2_mut mut[ORACLE_S2_MAX_TARGETS + 1];
	unsigned nreg;
	struct oracle_s2_access acc[ORACLE_S2_MAX_ACC];
	unsigned nacc;
	size_t used;			/* bytes of buf the tables use */
	uint8_t buf[ORACLE_S2_BUF];	/* the tables at ORACLE_TABLE_PA */
};

/* Draw case `index` of `seed` (deterministic). 0, or -EAGAIN when no
 * usable configuration was found. */
int oracle_s2_case_gen(const struct oracle_s2_env *e, uint64_t seed, uint64_t index,
		       struct oracle_s2_case *c);

#endif
