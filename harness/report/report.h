/*
 * A report: the findings of one run of one tool, grouped by cause, and
 * the test cases the run consisted of (a trace, a guest, an entry point,
 * a fuzz target), with a baseline of known findings applied. The same
 * report is written as text, JSON, JUnit XML or TAP 13 (report_*.c), so
 * every tool reports the same way (docs/findings.md).
 *
 * Findings are grouped by finding_group_key(): each cluster keeps its
 * first instance and a count, so memory stays bounded however many
 * instances a long run produces (REPORT_MAX_CLUSTERS distinct causes;
 * beyond that only counts).
 *
 * Ownership: the report owns its cases and clusters; a baseline given to
 * report_use_baseline stays the caller's.
 */
#ifndef HVEXIT_REPORT_REPORT_H
#define HVEXIT_REPORT_REPORT_H

#include <stdio.h>

#include "harness/report/baseline.h"
#include "harness/report/finding.h"

#define REPORT_MAX_CLUSTERS 10000
#define REPORT_MAX_FINGERPRINTS 256	/* per cluster, for --update-baseline */

enum report_status { REPORT_PASS, REPORT_FAIL, REPORT_KNOWN, REPORT_SKIP, REPORT_ERROR };

struct report_case {
	char name[256];
	char classname[64];
	enum report_status status;
	char note[512];		/* skip reason, error, or a one-line summary */
	unsigned long new_findings, known_findings;
	double secs;
	bool partial;		/* not read in full: its baseline entries are kept */
	json_t *props;		/* extra counters of the tool (owned) */
};

struct report_cluster {
	char key[512];
	struct finding first;	/* the first (or smallest) instance */
	size_t case_idx;	/* case of the first instance */
	unsigned long count;
	bool known;
	char (*fps)[17];	/* distinct fingerprints seen (for the baseline) */
	unsigned nfps;
	bool fps_overflow;
};

struct report {
	char source[16];	/* "replay", "validate", ... */
	char title[64];		/* "hvexit replay" */
	char label_expected[24], label_observed[24];
	char kernel[128];	/* for baselines scoped to a kernel ("" none) */
	struct baseline *bl;
	struct report_case *cases;
	size_t ncases, capcases;
	size_t cur;		/* open case, or SIZE_MAX */
	struct report_cluster *cl;
	size_t ncl, capcl;
	size_t *hidx;		/* open addressing: cluster index + 1 */
	size_t hcap;
	unsigned long new_total, known_total, unlisted;
	FILE *stream;		/* every instance as JSON Lines, or NULL */
	json_t *props;		/* run-level properties (owned): run id, kernel... */
	double t0;
};

struct report *report_new(const char *source, const char *title);
void report_free(struct report *r);
/* How the two values are called in text output ("expected"/"observed"
 * unless set: replay says "replayed"/"recorded"). */
void report_set_labels(struct report *r, const char *expected, const char *observed);
void report_set_kernel(struct report *r, const char *kernel);
/* Apply b (may be NULL) to every finding added from now on. */
void report_use_baseline(struct report *r, struct baseline *b);
/* Also write every instance, as it is added, to f as JSON Lines
 * ({"type":"finding", ..., "case": NAME, "known": BOOL}). */
void report_stream_to(struct report *r, FILE *f);

/* A run-level property (takes the reference): JUnit <testsuite>
 * properties, "props" in JSON. */
void report_prop(struct report *r, const char *key, json_t *value);
/* Open a test case; findings added until report_case_end belong to it.
 * Returns its index. */
size_t report_case_begin(struct report *r, const char *classname, const char *name);
/* Attach a counter or string to the open case (takes the reference). */
void report_case_prop(struct report *r, const char *key, json_t *value);
/* The open case was not read to its end (a truncated trace): its
 * baseline entries are neither stale nor removed by an update. */
void report_case_partial(struct report *r);
/* Close the open case. st is REPORT_PASS, REPORT_SKIP or REPORT_ERROR; the
 * case is FAIL instead when it has new findings, KNOWN when it has only
 * known ones (an ERROR stays an ERROR). note: printf-style, may be NULL. */
void report_case_end(struct report *r, enum report_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add one instance (fills f->fingerprint and f->source when empty).
 * Returns 1 when it is new, 0 when the baseline knows it. */
int report_add(struct report *r, struct finding *f);

/* Has a new (not baselined) finding with f's group key been added? A tool
 * that shrinks its first instance of a cause asks this before shrinking. */
bool report_has_cluster(const struct report *r, const struct finding *f);

/* Stale baseline entries: in scope for this run (source, a case that ran
 * without error, kernel) but matched by nothing. Calls fn for each;
 * returns how many. */
size_t report_stale(const struct report *r,
		    void (*fn)(const struct baseline_entry *e, void *arg), void *arg);
/* --update-baseline: add every new finding, drop stale entries of cases
 * that ran without error, save the baseline file atomically; say what was
 * added and removed on `log` (may be NULL). 0 or -errno with err. */
int report_update_baseline(struct report *r, FILE *log, char *err, size_t errlen);

/* Counts over the cases with status st. */
size_t report_count_cases(const struct report *r, enum report_status st);
const char *report_status_name(enum report_status st);
/* 1 when there are new findings or failed cases, else 0. */
int report_exit_status(const struct report *r);
double report_elapsed(const struct report *r);

/* Writers (report_text.c, report_json.c, report_junit.c, report_tap.c). */
/* Clusters (new ones first, each with its first instance), at most
 * max_clusters of them (0: all), then stale baseline entries. */
void report_write_text(const struct report *r, FILE *f, size_t max_clusters);
/* One line: cases by status, new and known findings, clusters, stale. */
void report_write_summary(const struct report *r, FILE *f);
/* The whole report as a JSON object (new reference). */
json_t *report_to_json(const struct report *r);
/* JUnit XML, one <testcase> per case, written atomically to path. */
int report_write_junit(const struct report *r, const char *path, char *err, size_t errlen);
/* TAP version 13, one test point per case and per stale entry, as the
 * KVM selftests print it. */
void report_write_tap(const struct report *r, FILE *f);
/* The report on f as JSON (indented, with the keys of extra added: extra
 * is taken, may be NULL), TAP 13, text with at most max clusters (0: all),
 * or nothing; report_format_of() picks one from a command's
 * --json/--tap/--quiet. */
enum report_format { REPORT_FMT_TEXT, REPORT_FMT_JSON, REPORT_FMT_TAP, REPORT_FMT_NONE };
void report_print(const struct report *r, FILE *f, enum report_format fmt, json_t *extra,
		  size_t max);
enum report_format report_format_of(bool json, bool tap, bool quiet);

#endif
