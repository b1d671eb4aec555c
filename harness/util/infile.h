/*
 * Opening inputs. "-" is standard input. Any other path must name a
 * regular file, or a pipe the shell passed by name (/dev/stdin,
 * /dev/fd/N, /proc/self/fd/N, as `<(cmd)` gives). Named FIFOs, devices,
 * sockets and directories are refused up front with a message saying
 * what the path is: a FIFO with no writer would block the open forever
 * and /dev/zero never ends. Streams (standard input, passed pipes) are
 * read once; a reader that needs two passes asks for INFILE_REWIND and
 * gets a spooled copy in an unlinked temporary file.
 *
 * Return convention (hvexit/common.h): 0 or a negative errno with a
 * one-line message naming the file in err.
 */
#ifndef HVEXIT_UTIL_INFILE_H
#define HVEXIT_UTIL_INFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Largest stream copied to a temporary file for a second pass. */
#define INFILE_SPOOL_MAX (16ull << 30)

enum {
	INFILE_REWIND = 1u << 0,	/* the result must be seekable */
};

/* Check path without opening it: 0 for a regular file, 1 for a stream
 * ("-" or a passed pipe), or -errno (missing, a FIFO, a device, ...). */
int infile_check(const char *path, char *err, size_t errlen);
/* Open path for reading ("rb"). The caller fcloses the result (also when
 * it is stdin). */
int infile_open(const char *path, unsigned flags, FILE **out, char *err, size_t errlen);
/* Does path name a stream rather than a file? ("-", /dev/stdin, ...) */
bool infile_is_stream_name(const char *path);

#endif
