/*
 * One progress meter for the long-running commands (replay, validate,
 * xcheck --sweep): how much is done, the rate, the time left and, at the
 * end, one final line, all on stderr.
 *
 * On a terminal the line is redrawn in place (\r) at most four times a
 * second. Elsewhere (a CI log) the meter prints nothing unless the caller
 * turned it on (--progress); then it writes plain lines: one at the first
 * update and one every PROGRESS_LOG_EVERY seconds. The caller passes
 * progress_update() what is done now; the meter reads the clock and
 * decides whether to print, so calling it every few thousand items is
 * cheap enough for a hot loop.
 *
 * Work and total are in any unit the caller likes (items, bytes, bytes
 * weighted by events): they give the fraction done and the ETA. The count
 * is what the line shows ("events", "cases", "words").
 */
#ifndef HVEXIT_UTIL_PROGRESS_H
#define HVEXIT_UTIL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_TTY_EVERY 0.25	/* seconds between redraws on a terminal */
#define PROGRESS_LOG_EVERY 5.0	/* seconds between plain lines */

struct progress {
	FILE *out;
	bool on;		/* print at all */
	bool tty;		/* redraw with \r (out is a terminal) */
	bool drawn;		/* a line was printed since progress_start */
	const char *cmd;	/* "replay": the line's prefix */
	const char *unit;	/* "events" */
	char label[64];		/* optional, after the prefix ("mmio_load") */
	char note[96];		/* optional, at the end of the line */
	double t0, last;	/* monotonic seconds: start, last line */
	double total;		/* work in all; 0: unknown (no ETA) */
	uint64_t count0;	/* count and work when the clock started (0 unless */
	double work0;		/* the caller sets them after progress_start) */
	uint64_t count_total;	/* shown as "done/total unit" when not 0 */
};

/* On when forced (--progress) or, unless quiet, when stderr is a terminal. */
bool progress_wanted(bool forced, bool quiet);

/* A meter for cmd counting unit, printing to stderr when on. */
void progress_init(struct progress *p, const char *cmd, const char *unit, bool on);

/* Start (or restart) the clock for a run of total work units (0 unknown);
 * label may be NULL; count_total 0 when the number of items is unknown. */
void progress_start(struct progress *p, const char *label, double total,
		    uint64_t count_total);

/* count items and work units done so far: a line when one is due. */
void progress_update(struct progress *p, uint64_t count, double work);

/* The final line (count items in the time since progress_start), if the
 * meter is on. */
void progress_end(struct progress *p, uint64_t count);

#endif
