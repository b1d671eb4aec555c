/*
 * Baselines: known findings that must not fail a CI run, in one file
 * format for every tool (docs/findings.md):
 *
 *   {"hvexit_baseline": 2, "known": [ENTRY, ...]}
 *
 * An entry names a finding instance by "fingerprint", or a whole cause by
 * "cluster" (every instance of that bug); "source", "kind", "field",
 * "case" (trace file, guest, entry point) and "kernel" (a shell pattern
 * for `uname -r`) narrow where it applies. "note", "expected", "observed"
 * and "first_seen" are for the reader of the file. Version 1 files (replay
 * only, fingerprints) are read as version 2 entries of source "replay".
 *
 * A baseline knows which entries matched during a run, so entries that
 * matched nothing although their case ran are reported as stale ("known
 * finding not reproduced: fixed?"), and --update-baseline adds the new
 * findings and removes stale entries, but only for cases that were read
 * in full.
 */
#ifndef HVEXIT_REPORT_BASELINE_H
#define HVEXIT_REPORT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/report/finding.h"

#define BASELINE_VERSION 2

struct baseline_entry {
	char source[16], kind[32], field[96], fingerprint[17];
	char cluster[160], case_name[256], kernel[64];
	char expected[192], observed[192], first_seen[256], note[1024];
	unsigned long hits;	/* findings matched in this run */
	bool removed;		/* dropped by baseline_update */
};

struct baseline {
	char path[4096];
	struct baseline_entry *e;
	size_t n, cap;
	unsigned long added, dropped;	/* by baseline_update */
};

/* Read PATH. A missing file is an empty baseline when !must_exist (the
 * first --update-baseline), else an error. 0 or -errno with err set. */
int baseline_load(const char *path, bool must_exist, struct baseline **out,
		  char *err, size_t errlen);
/* An empty baseline that will be saved to path. */
struct baseline *baseline_new(const char *path);
void baseline_free(struct baseline *b);

/* Index of the first entry that covers f seen in case case_name on
 * kernel (either may be NULL: not known), counting the hit; -1 if none. */
long baseline_match(struct baseline *b, const struct finding *f,
		    const char *case_name, const char *kernel);

/* Does entry e apply to a run of `source` that covered case_name (NULL:
 * every case of the source) on kernel? Stale entries are those in scope
 * with no hit. */
bool baseline_in_scope(const struct baseline_entry *e, const char *source,
		       const char *case_name, const char *kernel);

/* Add an entry for f (seen in case_name) unless one covers it already.
 * 1 added, 0 present, -ENOMEM. */
int baseline_add(struct baseline *b, const struct finding *f, const char *case_name,
		 bool whole_cluster);
/* Mark entry i removed (saved files leave it out). */
void baseline_drop(struct baseline *b, size_t i);

/* Write the baseline atomically (harness/util/outfile.h). */
int baseline_save(const struct baseline *b, char *err, size_t errlen);

/* One line naming an entry for people: its case, field and cluster or
 * fingerprint. */
void baseline_entry_describe(const struct baseline_entry *e, char *buf, size_t len);

#endif
