/*
 * Output files that appear whole or not at all: the data goes to a
 * temporary file beside the target (same directory, so the final rename is
 * atomic on one file system), which is flushed, fsync'd and renamed over
 * the target on commit. A crash, a full disk or an error before commit
 * leaves the previous content of the target untouched. "-" is stdout
 * (written directly; commit flushes it and checks for write errors).
 *
 * Return convention (hvexit/common.h): 0 or a negative errno; on error a
 * one-line message naming the file is in of->err.
 */
#ifndef HVEXIT_UTIL_OUTFILE_H
#define HVEXIT_UTIL_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *f;		/* write here between open and commit/abort */
	char path[4096];	/* the target */
	char tmp[4112];		/* the temporary file ("" for stdout) */
	char err[4200];
};

/* Start writing PATH ("-": stdout). */
int outfile_open(struct outfile *of, const char *path);
/* Flush, fsync and rename into place; closes of->f in every case. */
int outfile_commit(struct outfile *of);
/* Drop what was written (the target keeps its old content). */
void outfile_abort(struct outfile *of);
/* True when a and b name the same existing file (device and inode, through
 * links); false when either does not exist. */
bool outfile_same_file(const char *a, const char *b);

#endif
