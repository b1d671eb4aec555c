/*
 * Running untrusted parsing code (a third-party library reading a hostile
 * file) in a forked child with resource limits, so that a crash, a
 * runaway allocation or an endless loop in it becomes an error of the
 * command instead of taking hvexit down.
 *
 * Return convention (hvexit/common.h): a non-negative result, or a
 * negative errno.
 */
#ifndef HVEXIT_UTIL_SANDBOX_H
#define HVEXIT_UTIL_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

struct sandbox_limits {
	unsigned mem_mb;	/* address space growth over the parent's */
	unsigned cpu_s;		/* CPU seconds */
	unsigned wall_s;	/* wall-clock seconds before SIGKILL */
	bool keep_stderr;	/* else the child's stderr goes to /dev/null */
};

/*
 * Limit the calling process: its address space to what it maps now plus
 * as_headroom_mb (0: no limit), CPU time to cpu_s seconds from now (0: no
 * limit), files it writes to fsize_mb (0: no limit). Growth is counted
 * from the current size because a sanitizer build maps terabytes of
 * shadow at start. 0 or a negative errno.
 */
int sandbox_set_limits(unsigned as_headroom_mb, unsigned cpu_s, unsigned fsize_mb);

/*
 * Run fn(arg) in a child process (its own process group, limits as
 * above). fn returns 0..63, which sandbox_run returns. A child that died
 * from a signal (*sig set: SIGSEGV, SIGXCPU, SIGKILL after wall_s) or
 * exited other than through fn (a sanitizer's exit after its report) gives
 * -ECHILD; -ETIMEDOUT when wall_s passed (the child's group is killed).
 * Files fn writes are the way to pass results back.
 */
int sandbox_run(int (*fn)(void *arg), void *arg, const struct sandbox_limits *lim,
		int *sig);

#endif
