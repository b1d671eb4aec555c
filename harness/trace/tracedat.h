/*
 * trace-cmd trace.dat input for `hvexit import --trace-dat` (libtracecmd,
 * loaded at run time, in a sandboxed child): every event printed as
 * `trace-cmd report` text, for the ftrace importer.
 */
#ifndef HVEXIT_HARNESS_TRACEDAT_H
#define HVEXIT_HARNESS_TRACEDAT_H

#include <stdio.h>

/* Limits of the parsing child: address-space growth, and CPU seconds plus
 * one per MiB of input (wall clock: twice that plus 10 s). */
#define TRACEDAT_MEM_MB 1024
#define TRACEDAT_CPU_S 5

/* Every event of the trace.dat at path as one `trace-cmd report` line in
 * out (a seekable temporary file), rewound. 0, -ENOENT (no such file or
 * library missing), -EINVAL (not a readable trace.dat, including a
 * parser that crashed or ran out of limits), -EIO (writing failed); a
 * one-line message naming the file in err. */
int tracedat_to_text(const char *path, FILE *out, char *err, size_t errlen);

#endif
