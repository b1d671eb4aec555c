/* Atomic output files (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/util/outfile.h"

static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* of->real: path with a symbolic link resolved (the link's target). */
static int resolve(struct outfile *of, const char *path)
{
	struct stat st;
	char *r;

	snprintf(of->real, sizeof(of->real), "%s", path);
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	r = realpath(path, NULL);
	if (!r) {
		snprintf(of->err, sizeof(of->err), "%s: a symbolic link to a missing file", path);
		return -ENOENT;
	}
	if (strlen(r) >= sizeof(of->real) - 8) {
		free(r);
		snprintf(of->err, sizeof(of->err), "%.64s...: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(of->real, sizeof(of->real), "%s", r);
	free(r);
	return 0;
}

/* An existing device or FIFO: written in place (rename would replace it). */
static int open_in_place(struct outfile *of)
{
	int fd = open(of->real, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	int e;

	if (fd < 0) {
		e = errno;
		snprintf(of->err, sizeof(of->err), "%s: %s", of->path,
			 e == ENXIO ? "a FIFO that nothing reads" : strerror(e));
		return -e;
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	of->f = fdopen(fd, "w");
	if (!of->f) {
		e = errno;
		close(fd);
		snprintf(of->err, sizeof(of->err), "%s: %s", of->path, strerror(e));
		return -e;
	}
	return 0;
}

/* Create or take over TARGET.part and lock it; -EBUSY if another writer
 * holds it. The inode check retries when the name moved between open and
 * lock (a writer renamed it into place meanwhile). */
static int open_locked_tmp(struct outfile *of, const struct stat *target, bool exists)
{
	for (int tries = 0; tries < 4; tries++) {
		struct stat a, b;
		int fd = open(of->tmp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
		int e;

		if (fd < 0) {
			char dir[4096];

			e = errno;
			dir_of(of->real, dir, sizeof(dir));
			snprintf(of->err, sizeof(of->err), "%s: cannot create a file in %s: %s",
				 of->path, dir, strerror(e));
			return -e;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			e = errno;
			close(fd);
			if (e == EWOULDBLOCK) {
				snprintf(of->err, sizeof(of->err),
					 "%s: another process is writing it (%s is locked)",
					 of->path, of->tmp);
				return -EBUSY;
			}
			snprintf(of->err, sizeof(of->err), "%s: cannot lock %s: %s", of->path,
				 of->tmp, strerror(e));
			return -e;
		}
		if (fstat(fd, &a) < 0 || stat(of->tmp, &b) < 0 || a.st_dev != b.st_dev ||
		    a.st_ino != b.st_ino || !S_ISREG(a.st_mode)) {
			close(fd);
			continue;
		}
		if (ftruncate(fd, 0) < 0) {
			e = errno;
			close(fd);
			snprintf(of->err, sizeof(of->err), "%s: %s: %s", of->path, of->tmp, strerror(e));
			return -e;
		}
		if (exists)
			(void)fchmod(fd, target->st_mode & 07777);
		of->f = fdopen(fd, "w");
		if (!of->f) {
			e = errno;
			unlink(of->tmp);
			close(fd);
			snprintf(of->err, sizeof(of->err), "%s: %s", of->path, strerror(e));
			return -e;
		}
		return 0;
	}
	snprintf(of->err, sizeof(of->err), "%s: %s keeps changing (another writer?)", of->path,
		 of->tmp);
	return -EBUSY;
}

int outfile_open(struct outfile *of, const char *path)
{
	struct stat st;
	bool exists;
	int rc;

	memset(of, 0, sizeof(*of));
	if (strlen(path) >= sizeof(of->path) - 8) {
		snprintf(of->err, sizeof(of->err), "%.64s...: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(of->path, sizeof(of->path), "%s", path);
	if (!strcmp(path, "-")) {
		of->f = stdout;
		return 0;
	}
	rc = resolve(of, path);
	if (rc < 0)
		return rc;
	exists = stat(of->real, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		snprintf(of->err, sizeof(of->err), "%s: is a directory", path);
		return -EISDIR;
	}
	if (exists && !S_ISREG(st.st_mode))
		return open_in_place(of);
	snprintf(of->tmp, sizeof(of->tmp), "%s.part", of->real);
	rc = open_locked_tmp(of, &st, exists);
	if (rc < 0)
		of->tmp[0] = '\0';
	return rc;
}

static void sync_dir(const char *path)
{
	char dir[4096];
	int fd;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int outfile_commit(struct outfile *of)
{
	int e = 0;

	if (!of->f)
		return -EBADF;
	if (of->f == stdout) {
		of->f = NULL;
		if (fflush(stdout) == EOF || ferror(stdout)) {
			snprintf(of->err, sizeof(of->err), "standard output: write failed: %s",
				 strerror(errno ? errno : EIO));
			return -EIO;
		}
		return 0;
	}
	errno = 0;
	if (fflush(of->f) == EOF || ferror(of->f))
		e = errno ? errno : EIO;
	else if (of->tmp[0] && fsync(fileno(of->f)) < 0 && errno != EINVAL)
		e = errno;
	/* Rename before fclose: the lock is held until the name is in place. */
	if (!e && of->tmp[0] && rename(of->tmp, of->real) < 0)
		e = errno;
	if (e && of->tmp[0])
		unlink(of->tmp);
	if (fclose(of->f) == EOF && !e)
		e = errno ? errno : EIO;
	of->f = NULL;
	if (e) {
		snprintf(of->err, sizeof(of->err), "%s: write failed: %s%s", of->path, strerror(e),
			 of->tmp[0] ? " (previous content kept)" : "");
		return -e;
	}
	if (of->tmp[0])
		sync_dir(of->real);
	return 0;
}

void outfile_abort(struct outfile *of)
{
	if (of->tmp[0] && of->f)
		unlink(of->tmp);	/* while the lock is held */
	if (of->f && of->f != stdout)
		fclose(of->f);
	of->f = NULL;
	of->tmp[0] = '\0';
}

bool outfile_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!a || !b || !strcmp(a, "-") || !strcmp(b, "-"))
		return false;
	if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
