/*
 * Monotonic seconds (CLOCK_MONOTONIC) for elapsed times, rates and
 * deadlines: the one clock the commands, the report and the progress
 * meter time themselves with.
 */
#ifndef HVEXIT_UTIL_CLOCK_H
#define HVEXIT_UTIL_CLOCK_H

#include <time.h>

static inline double util_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
