/*
 * The report options the reporting commands share (--baseline, --json,
 * --junit, --tap, --findings, --update-baseline, --quiet) as option-table
 * rows, and the one way a command loads its baseline, streams findings,
 * prints the report in the chosen format and turns it into an exit status
 * (0 consistent, 1 findings, 2 usage or an output that could not be
 * written; docs/architecture.md).
 *
 * Use: the rows in the command's table, report_out_load() after parsing,
 * report_out_attach() once the report exists, report_out_print() and
 * report_out_finish() at the end, report_out_free() on every path.
 */
#ifndef HVEXIT_CLI_REPORT_OUT_H
#define HVEXIT_CLI_REPORT_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "harness/cli/opts.h"
#include "harness/report/report.h"
#include "harness/util/outfile.h"

struct report_out {
	const char *cmd;	/* "replay": for error messages */
	const char *baseline, *junit, *findings;
	bool json, tap, quiet, update;
	struct baseline *bl;	/* owned, loaded by report_out_load() */
	struct outfile fo;	/* --findings, written atomically */
	bool streaming;
};

/* Table rows; PER says what a JUnit testcase or TAP test point is ("trace"). */
#define OPT_REPORT_BASELINE(ro) \
	OPT_STR("--baseline", &(ro)->baseline, "FILE", "known findings (docs/findings.md)")
#define OPT_REPORT_UPDATE(ro) \
	OPT_FLAG("--update-baseline", &(ro)->update, \
		 "add new findings to the baseline, drop entries not reproduced")
#define OPT_REPORT_JSON(ro) OPT_FLAG("--json", &(ro)->json, "machine-readable report on stdout")
#define OPT_REPORT_JUNIT(ro, per) \
	OPT_STR("--junit", &(ro)->junit, "FILE", "JUnit XML report, one testcase per " per)
#define OPT_REPORT_TAP(ro, per) \
	OPT_FLAG("--tap", &(ro)->tap, "TAP 13 on stdout, one test point per " per)
#define OPT_REPORT_FINDINGS(ro) \
	OPT_STR("--findings", &(ro)->findings, "FILE", "every finding instance as JSON Lines")
#define OPT_REPORT_QUIET(ro) OPT_FLAG("--quiet", &(ro)->quiet, "print only the summary lines")
/* The output formats: --json, --junit, --tap, --quiet. */
#define OPT_REPORT_FORMATS(ro, per) \
	OPT_REPORT_JSON(ro), OPT_REPORT_JUNIT(ro, per), OPT_REPORT_TAP(ro, per), OPT_REPORT_QUIET(ro)

/* Checks the options against each other and the inputs (an output file
 * that is one of the n inputs, called `what`: "trace"), loads --baseline.
 * 0, or 2 after a one-line error. */
int report_out_load(struct report_out *ro, char **inputs, int n, const char *what);
/* The baseline applies to rep, --findings streams into it. 0 or 2. */
int report_out_attach(struct report_out *ro, struct report *rep);
/* The format --json/--tap/--quiet chose. */
enum report_format report_out_format(const struct report_out *ro);
/* Where the human-readable lines go: stderr when stdout carries JSON or TAP. */
FILE *report_out_log(const struct report_out *ro);
/* --update-baseline (when given): status 1 becomes 0, a failed save 2. */
int report_out_update(const struct report_out *ro, struct report *rep, int status);
/* The report on stdout: JSON with extra's keys added (extra is taken, may
 * be NULL), TAP, text with at most max clusters (0: all), or nothing. */
void report_out_print(const struct report_out *ro, const struct report *rep, json_t *extra,
		      size_t max);
/* The summary line on `summary` (NULL: none), the JUnit file, the findings
 * file committed: status, or 2 when a file could not be written (a failed
 * write to stdout is main.c's to report). */
int report_out_finish(struct report_out *ro, const struct report *rep, FILE *summary, int status);
/* Releases the baseline; an uncommitted findings file is discarded. */
void report_out_free(struct report_out *ro);

#endif
