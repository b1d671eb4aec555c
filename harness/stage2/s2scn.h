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

#include <stdio.h>

/* Run one scenario file; failures are described on log. Returns the
 * number of failed checks (0 = pass) or a negative errno if the file is
 * unreadable/malformed; *cases gets the number of expect lines run. */
int s2_scenario_run(const char *path, FILE *log, unsigned *cases);

#endif
