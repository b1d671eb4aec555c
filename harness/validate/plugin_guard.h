/*
 * Limits and output checks for the plugin child (plugin_host.c): the
 * resource limits the child sets on itself, the parent's view of the
 * child's memory, and the recogniser for sanitizer reports.
 *
 * Limits: the child's address space may grow by PLUGIN_AS_HEADROOM_MB
 * over what it had when it started (a safety net against one huge
 * allocation), each case may use the CPU time plugin_guard_case_cpu was
 * given, and files it writes (its captured stderr) are capped at
 * PLUGIN_FSIZE_MB. The parent additionally ends a child whose resident
 * memory grew by more than PLUGIN_RSS_LIMIT_MB since it started (a leak
 * across cases), since a sanitized child's heap is reserved up front and
 * never shows in its address-space size.
 */
#ifndef HVEXIT_HARNESS_PLUGIN_GUARD_H
#define HVEXIT_HARNESS_PLUGIN_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PLUGIN_RSS_LIMIT_MB 1024
#define PLUGIN_AS_HEADROOM_MB 2048
#define PLUGIN_FSIZE_MB 64

/* In the child, once after fork: the address-space and file-size limits.
 * Returns 0 or a negative errno. */
int plugin_guard_child_limits(void);
/* In the child, before each case: allow cpu_s more seconds of CPU time
 * from now (SIGXCPU ends the child past it). */
void plugin_guard_case_cpu(unsigned cpu_s);
/* Resident memory of process pid in KiB, or -1 if it cannot be read. */
long plugin_guard_rss_kb(pid_t pid);

/*
 * True when line (one line of the child's stderr, without its newline) is
 * the first line of a sanitizer report, in the sanitizers' own formats:
 * "==PID==ERROR: AddressSanitizer: ..." (also LeakSanitizer,
 * MemorySanitizer, ThreadSanitizer, and "WARNING:" for the latter two),
 * "WARNING: ThreadSanitizer: ...", or UBSan's
 * "FILE:LINE:COL: runtime error: ...". Any other text, such as a plugin's
 * own "ERROR: ..." log line, is not a sanitizer report.
 */
bool plugin_guard_sanitizer_line(const char *line, size_t len);

/*
 * The child's stderr: fd is a file the child appends to. Reads what it
 * holds, checks every line with plugin_guard_sanitizer_line, then empties
 * it. diag (may be NULL) receives, "; "-separated after what it holds,
 * the first report line and the last bytes written. Returns 1 if a
 * sanitizer reported, else 0.
 */
int plugin_guard_scan(int fd, char *diag, size_t dlen);

#endif
