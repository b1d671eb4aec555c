/* harness/util: the strict number parser, atomic locked output files and
 * input checks (num.h, outfile.h, infile.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/util/infile.h"
#include "harness/util/num.h"
#include "harness/util/outfile.h"

static void test_num_0x(void **state)
{
	static const struct { const char *s; int rc; uint64_t v; } rows[] = {
		{ "0x0", 0, 0 }, { "0x93c08046", 0, 0x93c08046 },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "0x10000000000000000", -ERANGE, 0 },	/* 65 bits */
		{ "10000046", -EINVAL, 0 },		/* decimal-looking: no 0x */
		{ "0X12", -EINVAL, 0 }, { "0x", -EINVAL, 0 }, { "0x_", -EINVAL, 0 },
		{ "0x1_0", -EINVAL, 0 }, { "0x1 ", -EINVAL, 0 }, { "-0x1", -EINVAL, 0 },
		{ "0x+1", -EINVAL, 0 }, { "", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 0;
		int rc = num_parse_0x(rows[i].s, &v);

		assert_int_equal(rc, rows[i].rc);
		if (!rc)
			assert_true(v == rows[i].v);
	}
}

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hvx-util-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* The target keeps its old content until commit; abort keeps it for good;
 * a second writer while the first holds the file gets -EBUSY. */
static void test_outfile_atomic_locked(void **state)
{
	struct outfile a, b;
	char path[128], buf[64];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/out", dir);
	f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	assert_int_equal(outfile_open(&a, path), 0);
	fputs("new\n", a.f);
	fflush(a.f);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "old\n");
	assert_int_equal(outfile_open(&b, path), -EBUSY);
	assert_non_null(strstr(b.err, "another process is writing"));
	assert_int_equal(outfile_commit(&a), 0);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "new\n");
	assert_int_not_equal(access(a.tmp, F_OK), 0);	/* .part renamed away */

	assert_int_equal(outfile_open(&b, path), 0);	/* free again */
	fputs("dropped\n", b.f);
	outfile_abort(&b);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "new\n");
}

/* Through a symbolic link: the file it names is replaced, the link stays;
 * a directory is refused. */
static void test_outfile_link_and_dir(void **state)
{
	struct outfile o;
	char target[128], link[128], buf[64];
	struct stat st;

	(void)state;
	snprintf(target, sizeof(target), "%s/t", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	assert_int_equal(symlink("t", link), 0);
	assert_int_equal(outfile_open(&o, link), -ENOENT);	/* dangling */
	fclose(fopen(target, "w"));
	assert_int_equal(outfile_open(&o, link), 0);
	fputs("via link\n", o.f);
	assert_int_equal(outfile_commit(&o), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	slurp(target, buf, sizeof(buf));
	assert_string_equal(buf, "via link\n");
	assert_int_equal(outfile_open(&o, dir), -EISDIR);
	assert_true(outfile_same_file(link, target));
}

static void test_infile_kinds(void **state)
{
	char fifo[128], err[256], file[128];

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(file, sizeof(file), "%s/f", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fclose(fopen(file, "w"));
	assert_int_equal(infile_check(file, err, sizeof(err)), 0);
	assert_int_equal(infile_check("-", err, sizeof(err)), 1);
	assert_true(infile_check(fifo, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "FIFO"));
	assert_int_equal(infile_check(dir, err, sizeof(err)), -EISDIR);
	assert_true(infile_check("/dev/zero", err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "character device"));
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_num_0x),
	HVX_TEST_FIXTURE(test_outfile_atomic_locked),
	HVX_TEST_FIXTURE(test_outfile_link_and_dir),
	HVX_TEST_FIXTURE(test_infile_kinds))
