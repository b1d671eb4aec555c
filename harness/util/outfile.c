/* Atomic output files (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int outfile_open(struct outfile *of, const char *path)
{
	int fd;

	memset(of, 0, sizeof(*of));
	if (strlen(path) >= sizeof(of->path)) {
		snprintf(of->err, sizeof(of->err), "%.64s...: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(of->path, sizeof(of->path), "%s", path);
	if (!strcmp(path, "-")) {
		of->f = stdout;
		return 0;
	}
	snprintf(of->tmp, sizeof(of->tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(of->tmp);
	if (fd < 0) {
		int e = errno;
		char dir[4096];

		dir_of(path, dir, sizeof(dir));
		snprintf(of->err, sizeof(of->err), "%s: cannot create a file in %s: %s", path,
			 dir, strerror(e));
		of->tmp[0] = '\0';
		return -e;
	}
	/* mkstemp makes 0600; outputs are ordinary files (0666 & ~umask). */
	{
		mode_t um = umask(0);

		umask(um);
		(void)fchmod(fd, 0666 & ~um);
	}
	of->f = fdopen(fd, "w");
	if (!of->f) {
		int e = errno;

		close(fd);
		unlink(of->tmp);
		snprintf(of->err, sizeof(of->err), "%s: %s", path, strerror(e));
		return -e;
	}
	return 0;
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
	if (fflush(of->f) == EOF || ferror(of->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(of->f)) < 0 && errno != EINVAL)
		e = errno;
	if (fclose(of->f) == EOF && !e)
		e = errno ? errno : EIO;
	of->f = NULL;
	if (!e && rename(of->tmp, of->path) < 0)
		e = errno;
	if (e) {
		unlink(of->tmp);
		snprintf(of->err, sizeof(of->err), "%s: write failed: %s (previous content kept)",
			 of->path, strerror(e));
		return -e;
	}
	return 0;
}

void outfile_abort(struct outfile *of)
{
	if (of->f && of->f != stdout)
		fclose(of->f);
	if (of->tmp[0])
		unlink(of->tmp);
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
