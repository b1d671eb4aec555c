/*
 * Where hvexit's data lives (conformance vectors, Stage-2 scenarios,
 * baselines): the folder layout of corpus/ in the checkout, installed as
 * PREFIX/share/hvexit/. Found, in order, at
 *   $HVEXIT_DATA
 *   <directory of the running binary>/../share/hvexit   (make install)
 *   <directory of the running binary>/../../corpus      (build/rel/hvexit)
 *   ./corpus                                            (the checkout)
 * so the defaults work from any working directory.
 */
#ifndef HVEXIT_UTIL_DATADIR_H
#define HVEXIT_UTIL_DATADIR_H

#include <stddef.h>

/* The path of rel (e.g. "vectors", "baselines/xcheck-capstone4.json")
 * under the first data folder that has it, in out. 0, or -ENOENT (out
 * then holds the ./corpus candidate, for the error message). */
int datadir_path(const char *rel, char *out, size_t len);

#endif
