/* The directory of hvexit's bundled data, relative to the binary (datadir.h). */
#include "harness/util/datadir.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Roots relative to the binary's directory, tried in this order. */
static const char *const roots[] = {
	"../share/hvexit",	/* installed: PREFIX/bin -> PREFIX/share/hvexit */
	"../..",		/* source tree: build/rel or build/san */
};

int datadir_resolve(const char *exe, const char *rel, char *out, size_t outlen)
{
	const char *slash = strrchr(exe, '/');
	int dirlen;

	if (!slash || !rel || !*rel)
		return -ENOENT;
	dirlen = (int)(slash - exe);
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		struct stat st;
		int n = snprintf(out, outlen, "%.*s/%s/%s", dirlen, exe, roots[i], rel);

		if (n < 0 || (size_t)n >= outlen)
			return -ENAMETOOLONG;
		if (!stat(out, &st))
			return n;
	}
	return -ENOENT;
}

int datadir_path(const char *rel, char *out, size_t outlen)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(exe) - 1)
		return -ENAMETOOLONG;	/* may have been cut */
	exe[n] = 0;
	return datadir_resolve(exe, rel, out, outlen);
}
