/*
 * Stage-2 conformance scenarios (corpus/s2/NAME.scn). Line format, '#' comments:
 *   vtcr HEX | vttbr HEX | parange N | fwb 1 | tcr HEX | ttbr0 HEX | ttbr1 HEX
 *   word PA VALUE               hand-assembled descriptor
 *   region IPA PA SIZE FLAGS    region for the builder
 *   build BASE BYTES            run s2_build over the regions at BASE
 *   expect  ipa=H acc=read|write|exec [el0=1] KEY=VAL...   (Stage 2 only)
 *   s1expect va=H acc=...  KEY=VAL...                      (two stages)
 * expect keys: result=ok|fault pa= level= s2ap= xn= memattr= sh= size=
 *   fault= dfsc= hpfar= esr=; s1expect adds s1ptw=0|1 ipa= s1fault=
 *   s1level= s1dfsc= and the Stage-2 keys apply to its Stage-2 result.
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
