/*
 * Stage-2 conformance scenarios (corpus/s2/NAME.scn). Line format, '#' comments:
 *   vtcr HEX | vttbr HEX | parange N | fwb 1 | tcr HEX | ttbr0 HEX | ttbr1 HEX
 *   features LIST               feature set (s2_features_parse; default all)
 *   s2pir HEX | s2por HEX       S2PIR_EL2 / S2POR_EL1 walk inputs
 *   sctlr HEX | pan 0|1         SCTLR_EL1 (WXN) / PSTATE.PAN for s1expect
 *   writeback 0|1               write hardware updates back (compare-and-swap)
 *   word PA VALUE               hand-assembled descriptor
 *   region IPA PA SIZE FLAGS    region for the builder
 *   build BASE BYTES            run s2_build over the regions at BASE
 *   expect  ipa=H acc=read|write|exec [el0=1] KEY=VAL...   (Stage 2 only)
 *   s1expect va=H acc=...  KEY=VAL...                      (two stages)
 * expect keys: result=ok|fault pa= level= s2ap= xn= memattr= sh= size=
 *   fault= dfsc= hpfar= esr= overlay= dirtybit= perm= operm=, and the
 *   hardware update upd=0|1 upd_pa= upd_old= upd_new= upd_written=;
 *   s1expect adds s1ptw=0|1 ipa= s1fault= s1level= s1dfsc= s2upds= (Stage-2
 *   updates on the way) and the Stage-2 keys apply to its Stage-2 result.
 * Expected values are written by hand from the Arm ARM.
 */
#ifndef HVEXIT_HARNESS_S2SCN_H
#define HVEXIT_HARNESS_S2SCN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/stage2/memimg.h"
#include "hvexit/s2.h"

/* One Stage-2 `expect` line as another walker (a plugin) can be checked
 * against it: the configuration, the memory image, the access, and the
 * values written by hand in the file (S2SCN_HAVE_* says which). */
enum {
	S2SCN_HAVE_FAULT = 1u << 0,	/* result= or fault= */
	S2SCN_HAVE_LEVEL = 1u << 1,
	S2SCN_HAVE_PA    = 1u << 2,
	S2SCN_HAVE_S2AP  = 1u << 3,
	S2SCN_HAVE_XN    = 1u << 4,
};

struct s2_scn_case {
	const char *path;
	unsigned line;
	uint64_t vtcr, vttbr;
	unsigned parange, features;
	bool extra_state;	/* s2pir/s2por/writeback/fwb lines are in force */
	const struct s2_config *cfg;
	const struct s2_memimg *mem;
	uint64_t ipa;
	enum s2_access acc;
	bool el0;		/* el0=1: an EL0 instruction fetch */
	unsigned have;		/* S2SCN_HAVE_* */
	enum s2_fault fault;	/* S2_OK for result=ok */
	int level;
	uint64_t pa;
	unsigned s2ap, xn;
};

typedef void (*s2_scn_visit_fn)(void *ctx, const struct s2_scn_case *c);

/* Run one scenario file; failures are described on log. Returns the
 * number of failed checks (0 = pass) or a negative errno if the file is
 * unreadable/malformed; *cases gets the number of expect lines run. */
int s2_scenario_run(const char *path, FILE *log, unsigned *cases);

/* The same, and call visit for every Stage-2 `expect` line after the
 * model's own check of it (visit may be NULL). */
int s2_scenario_visit(const char *path, FILE *log, unsigned *cases,
		      s2_scn_visit_fn visit, void *ctx);

#endif
