/*
 * Unit tests for harness/datadir.c: the data directory found from the
 * binary's own path, installed layout first, then the source tree; never
 * the working directory. Each case builds the layout in a temp directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/util/datadir.h"

static char root[64];	/* short, so no path below can be cut */

static void mkpath(const char *rel)	/* mkdir -p root/rel */
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (char *s = p + strlen(root) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/hvx-datadir-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_installed(void **state)
{
	char exe[PATH_MAX], want[PATH_MAX], out[PATH_MAX];
	int n;

	(void)state;
	mkpath("p/bin");
	mkpath("p/share/hvexit/corpus/vectors");
	snprintf(exe, sizeof(exe), "%s/p/bin/hvexit", root);
	snprintf(want, sizeof(want), "%s/p/bin/../share/hvexit/corpus/vectors", root);
	n = datadir_resolve(exe, "corpus/vectors", out, sizeof(out));
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_source_tree(void **state)
{
	char exe[PATH_MAX], want[PATH_MAX], out[PATH_MAX];

	(void)state;
	mkpath("tree/build/rel");
	mkpath("tree/corpus/vectors");
	snprintf(exe, sizeof(exe), "%s/tree/build/rel/hvexit", root);
	snprintf(want, sizeof(want), "%s/tree/build/rel/../../corpus/vectors", root);
	assert_true(datadir_resolve(exe, "corpus/vectors", out, sizeof(out)) > 0);
	assert_string_equal(out, want);
}

static void test_installed_wins(void **state)
{
	char exe[PATH_MAX], out[PATH_MAX];

	(void)state;
	/* both layouts present: share/hvexit is taken */
	mkpath("both/x/bin");
	mkpath("both/x/share/hvexit/corpus/s2");
	mkpath("both/corpus/s2");
	snprintf(exe, sizeof(exe), "%s/both/x/bin/hvexit", root);
	assert_true(datadir_resolve(exe, "corpus/s2", out, sizeof(out)) > 0);
	assert_non_null(strstr(out, "/share/hvexit/corpus/s2"));
}

static void test_missing(void **state)
{
	char exe[PATH_MAX], out[PATH_MAX];

	(void)state;
	mkpath("none/bin");
	snprintf(exe, sizeof(exe), "%s/none/bin/hvexit", root);
	assert_int_equal(datadir_resolve(exe, "corpus/vectors", out, sizeof(out)), -ENOENT);
	assert_int_equal(datadir_resolve("hvexit", "corpus/vectors", out, sizeof(out)), -ENOENT);
	assert_int_equal(datadir_resolve(exe, "", out, sizeof(out)), -ENOENT);
}

static void test_too_long(void **state)
{
	char exe[PATH_MAX], out[16];

	(void)state;
	snprintf(exe, sizeof(exe), "%s/p/bin/hvexit", root);
	assert_int_equal(datadir_resolve(exe, "corpus/vectors", out, sizeof(out)), -ENAMETOOLONG);
}

static void test_self(void **state)
{
	char out[PATH_MAX];
	int n;

	(void)state;
	/* this test binary is build/san/tests/<name>: no corpus/ two levels up
	 * nor share/hvexit one level up, so nothing is found from it, whatever
	 * the working directory holds */
	n = datadir_path("corpus/vectors", out, sizeof(out));
	assert_int_equal(n, -ENOENT);
}

HVX_TEST_MAIN(setup, teardown,
	cmocka_unit_test(test_installed),
	cmocka_unit_test(test_source_tree),
	cmocka_unit_test(test_installed_wins),
	cmocka_unit_test(test_missing),
	cmocka_unit_test(test_too_long),
	cmocka_unit_test(test_self))
