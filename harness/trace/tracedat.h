/*
 * trace-cmd trace.dat input for `hvexit import --trace-dat` (libtracecmd,
 * loaded at run time). Feeds every event, printed as `trace-cmd report`
 * text, to the ftrace importer.
 */
#ifndef HVEXIT_HARNESS_TRACEDAT_H
#define HVEXIT_HARNESS_TRACEDAT_H

#include "hvexit/ftrace.h"

/* 0, -ENOENT (library missing), -EINVAL (not a trace.dat), -EIO (writing
 * failed); a one-line message in err. */
int tracedat_feed(const char *path, struct ftrace_import *im, char *err, size_t errlen);

#endif
