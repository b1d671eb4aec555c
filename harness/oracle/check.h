/* One expected probe record and its comparison (check.c), shared by the
 * Stage-2 and syndrome runs. */
#ifndef HVEXIT_ORACLE_CHECK_H
#define HVEXIT_ORACLE_CHECK_H

#include "harness/oracle/oracle.h"

/* What an EL1 run should end with. */
struct oracle_expect_run {
	uint64_t esr, far, hpfar, elr;
	bool abort;		/* a Stage-2 abort: FAR and HPFAR are compared */
	bool hpfar_valid;	/* HPFAR_EL2 holds the faulting IPA */
	bool far_valid;
};

/* What an AT S12E1R/W should leave in PAR_EL1 (D24.2.149). */
struct oracle_expect_at {
	/* A synchronous External abort on the Stage-2 walk is not reported in
	 * PAR_EL1 but taken as a Data Abort to EL2 (D8.15 R_YWCRL): esr/far. */
	bool exception;
	uint64_t esr, far;
	bool fault;
	uint8_t fst;		/* PAR_EL1.FST [6:1] */
	uint64_t pa;		/* PA[51:12] on success */
};

/* A disagreement before classification. */
struct oracle_diff {
	const char *field;	/* "run.esr.fsc" ... */
	uint64_t expected, observed;
	int obs_fsc;		/* the probe's DFSC/IFSC or PAR_EL1.FST, -1 if none */
};

/* Compare a record with its expectation; the first field that differs
 * goes to *d. Returns true when they agree. A record that never came is a
 * difference in field "record". */
bool oracle_cmp_run(const struct oracle_expect_run *e, const struct oracle_rec *o,
		    struct oracle_diff *d);
bool oracle_cmp_at(const struct oracle_expect_at *e, const struct oracle_rec *o,
		   struct oracle_diff *d);

/* ESR_EL2 of an HVC #imm from EL1 (EC 0x16, IL 1; D24.2.46). */
uint64_t oracle_esr_hvc(unsigned imm);

/* A short text of an observed run: "HVC #1", "EL1 exception ESR_EL1
 * 0x...", "ESR_EL2 0x... FAR ... HPFAR ..." into buf. */
void oracle_rec_text(const struct oracle_rec *o, char *buf, size_t len);

#endif
