/* Opening inputs (see infile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/util/infile.h"

bool infile_is_stream_name(const char *path)
{
	static const char *const prefixes[] = { "/dev/fd/", "/proc/self/fd/" };

	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdin"))
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(path, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static const char *kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO (named pipe)" :
	       S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" :
	       S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int infile_check(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return 1;
	if (stat(path, &st) < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	if (infile_is_stream_name(path) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return 1;
	snprintf(err, errlen, "%s: is %s, not a regular file", path, kind_of(st.st_mode));
	return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
}

/* Copy f (a stream) to an unlinked temporary file, rewound. */
static int spool(const char *path, FILE *f, FILE **out, char *err, size_t errlen)
{
	FILE *t = tmpfile();
	char buf[65536];
	unsigned long long total = 0;
	size_t n;

	if (!t) {
		snprintf(err, errlen, "%s: cannot create a temporary copy: %s", path, strerror(errno));
		return -EIO;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		total += n;
		if (total > INFILE_SPOOL_MAX) {
			snprintf(err, errlen, "%s: more than %llu GiB on a stream", path,
				 INFILE_SPOOL_MAX >> 30);
			fclose(t);
			return -EFBIG;
		}
		if (fwrite(buf, 1, n, t) != n) {
			snprintf(err, errlen, "%s: cannot write a temporary copy: %s", path,
				 strerror(errno));
			fclose(t);
			return -EIO;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		fclose(t);
		return -EIO;
	}
	if (fflush(t) == EOF || fseek(t, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "%s: cannot write a temporary copy: %s", path, strerror(errno));
		fclose(t);
		return -EIO;
	}
	*out = t;
	return 0;
}

int infile_open(const char *path, unsigned flags, FILE **out, char *err, size_t errlen)
{
	int kind = infile_check(path, err, errlen);
	FILE *f;
	int rc;

	*out = NULL;
	if (kind < 0)
		return kind;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (kind == 0 || !(flags & INFILE_REWIND)) {
		*out = f;
		return 0;
	}
	rc = spool(path, f, out, err, errlen);
	fclose(f);
	return rc;
}
