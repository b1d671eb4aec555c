/* Finding hvexit's data folder (datadir.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/util/datadir.h"

static int exe_dir(char *dir, size_t len)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return -ENOENT;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(dir, len, "%s", buf);
	return 0;
}

/* out = the canonical form of the existing path cand (no "..") */
static int found(const char *cand, char *out, size_t len)
{
	char real[PATH_MAX];

	if (access(cand, F_OK) != 0)
		return -ENOENT;
	snprintf(out, len, "%s", realpath(cand, real) ? real : cand);
	return 0;
}

int datadir_path(const char *rel, char *out, size_t len)
{
	char cand[PATH_MAX + 64];
	char exe[PATH_MAX];
	const char *env = getenv("HVEXIT_DATA");

	if (env && *env) {
		snprintf(cand, sizeof(cand), "%s/%s", env, rel);
		if (found(cand, out, len) == 0)
			return 0;
	}
	if (exe_dir(exe, sizeof(exe)) == 0) {
		snprintf(cand, sizeof(cand), "%s/../share/hvexit/%s", exe, rel);
		if (found(cand, out, len) == 0)
			return 0;
		snprintf(cand, sizeof(cand), "%s/../../corpus/%s", exe, rel);
		if (found(cand, out, len) == 0)
			return 0;
	}
	snprintf(out, len, "corpus/%s", rel);
	return access(out, F_OK) == 0 ? 0 : -ENOENT;
}
