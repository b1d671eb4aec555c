/*
 * Where the data hvexit ships with lives (corpus/vectors, corpus/s2,
 * corpus/baselines), found from the running binary's own location,
 * never from the working directory:
 *   PREFIX/bin/hvexit      -> PREFIX/share/hvexit/<rel>   (make install)
 *   TREE/build/rel/hvexit  -> TREE/<rel>                  (a build in the
 *                                                          source tree)
 */
#ifndef HVEXIT_UTIL_DATADIR_H
#define HVEXIT_UTIL_DATADIR_H

#include <stddef.h>

/*
 * Write to out the first existing path <root>/<rel>, root taken in the
 * order above relative to the directory of exe (an absolute path of the
 * binary). Returns the length written, -ENOENT when no root holds rel,
 * -ENAMETOOLONG when out is too small.
 */
int datadir_resolve(const char *exe, const char *rel, char *out, size_t outlen);

/* datadir_resolve() for this process's binary (/proc/self/exe); also
 * -errno when that link cannot be read. */
int datadir_path(const char *rel, char *out, size_t outlen);

#endif
