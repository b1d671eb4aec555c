/*
 * Output files that appear whole or not at all: the data goes to a
 * temporary file beside the target (TARGET.part, same directory, so the
 * final rename is atomic on one file system), which is flushed, fsync'd
 * and renamed over the target on commit. A crash, a full disk or an error
 * before commit leaves the previous content of the target untouched (a
 * killed writer may leave TARGET.part behind; the next writer reuses it).
 *
 * One writer at a time: the temporary file is locked (flock) while it is
 * written, so a second writer to the same target fails with -EBUSY
 * instead of both "succeeding" with interleaved or lost data.
 *
 * A target that is a symbolic link is written through the link (the file
 * it names is replaced, the link stays). A target that exists and is not
 * a regular file (/dev/null, /dev/full, a FIFO with a reader) is written in
 * place; a directory is refused. "-" is stdout (written directly; commit
 * flushes it and checks for write errors).
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
	char path[4096];	/* the target as named (for messages) */
	char real[4096];	/* the target, symbolic links resolved */
	char tmp[4112];		/* the temporary file ("" when written in place) */
	char err[8400];
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
