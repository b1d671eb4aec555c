/* Unit tests for the finding model, reports and baselines (harness/report/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include <errno.h>

#include "harness/report/report.h"
#include "harness/util/outfile.h"

static struct finding mk(const char *field, const char *cluster, const char *exp,
			 const char *obs)
{
	struct finding f;

	finding_init(&f, "load-result", field, exp, obs);
	finding_set(&f, cluster, "%s", cluster);
	return f;
}

static char *tmpfile_with(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/hvexit-test-report-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* Two causes in one field stay two groups; many instances of one cause are
 * one group with a count. */
static void test_grouping(void **state)
{
	struct report *r = report_new("kvm", "t");
	struct finding f;

	(void)state;
	report_case_begin(r, "c", "mmio-sweep");
	for (int i = 0; i < 5; i++) {
		char obs[16];

		snprintf(obs, sizeof(obs), "0x%x", 0xa0 + i);
		f = mk("x0", "ldrsb", "0xffffffa4", obs);
		assert_int_equal(report_add(r, &f), 1);
	}
	f = mk("x0", "ldr-mask", "0xa4", "0xffa4");
	report_add(r, &f);
	report_case_end(r, REPORT_PASS, NULL);
	assert_int_equal(r->ncl, 2);
	assert_int_equal(r->cl[0].count, 5);
	assert_string_equal(r->cl[0].first.observed, "0xa0");
	assert_string_equal(r->cl[0].key, "kvm/load-result/x0/ldrsb");
	assert_int_equal(r->cases[0].status, REPORT_FAIL);
	assert_int_equal(r->new_total, 6);
	assert_int_equal(report_exit_status(r), 1);
	assert_int_equal(strlen(r->cl[0].first.fingerprint), 16);
	report_free(r);
}

/* A kvm report using baseline b on this kernel, whose case "mmio-sweep"
 * adds the x0/ldrsb finding: report_add() returns want (0 known, 1 new). */
static struct report *sweep_on_kernel(struct baseline *b, const char *kernel, int want)
{
	struct report *r = report_new("kvm", "t");
	struct finding f = mk("x0", "ldrsb", "a", "b");

	report_use_baseline(r, b);
	report_set_kernel(r, kernel);
	report_case_begin(r, "g", "mmio-sweep");
	assert_int_equal(report_add(r, &f), want);
	report_case_end(r, REPORT_PASS, NULL);
	return r;
}

/* A cluster entry covers every instance of the cause; a kernel pattern
 * limits it; an entry that matched nothing in a clean run is stale. */
static void test_baseline_cluster_kernel_stale(void **state)
{
	const char *path = tmpfile_with(
		"{\"hvexit_baseline\": 2, \"known\": ["
		"{\"source\": \"kvm\", \"case\": \"mmio-sweep\", \"cluster\": \"ldrsb\", \"kernel\": \"6.1.*\"},"
		"{\"source\": \"kvm\", \"case\": \"gic\", \"cluster\": \"itargets\"},"
		"{\"source\": \"kvm\", \"case\": \"not-run\", \"cluster\": \"x\"}]}");
	struct baseline *b;
	struct report *r;
	char err[256];

	(void)state;
	assert_int_equal(baseline_load(path, true, &b, err, sizeof(err)), 0);
	assert_int_equal(b->n, 3);
	r = sweep_on_kernel(b, "6.1.0-57-arm64", 0);
	report_case_begin(r, "g", "gic");
	report_case_end(r, REPORT_PASS, NULL);
	report_case_begin(r, "g", "not-run");
	report_case_end(r, REPORT_SKIP, "no vGICv2 on this host");
	assert_int_equal(r->cases[0].status, REPORT_KNOWN);
	assert_int_equal(report_exit_status(r), 0);
	/* gic ran clean without its finding: stale; not-run was skipped */
	assert_int_equal(report_stale(r, NULL, NULL), 1);
	report_free(r);
	/* on another kernel the entry does not apply */
	b->e[0].hits = b->e[1].hits = 0;
	r = sweep_on_kernel(b, "7.2.13+deb14-arm64", 1);
	assert_int_equal(r->cases[0].status, REPORT_FAIL);
	report_free(r);
	baseline_free(b);
	unlink(path);
}

/* Version 1 (replay) files: fingerprints, case from "first_seen". */
static void test_baseline_v1(void **state)
{
	const char *path = tmpfile_with(
		"{\"hvexit_baseline\": 1, \"known\": [{\"kind\": \"outcome\", \"field\": \"outcome.pc\","
		" \"fingerprint\": \"0123456789abcdef\", \"first_seen\": \"t.jsonl seq 4\"}]}");
	struct baseline *b;
	char err[256];

	(void)state;
	assert_int_equal(baseline_load(path, true, &b, err, sizeof(err)), 0);
	assert_string_equal(b->e[0].source, "replay");
	assert_string_equal(b->e[0].case_name, "t.jsonl");
	assert_true(b->has_fingerprints);
	baseline_free(b);
	unlink(path);
	path = tmpfile_with("{\"hvexit_baseline\": 2, \"known\": [{\"source\": \"x\"}]}");
	assert_int_equal(baseline_load(path, true, &b, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "neither \"fingerprint\" nor \"cluster\""));
	unlink(path);
}

/* Every string of want (NULL-terminated) occurs in text. */
static void assert_has_all(const char *text, const char *const *want)
{
	for (; *want; want++)
		if (!strstr(text, *want))
			fail_msg("\"%s\" missing from:\n%s", *want, text);
}

/* TAP: '#' in a name cannot start a directive; YAML quotes doubled. */
static void test_tap_escaping(void **state)
{
	struct report *r = report_new("replay", "t");
	struct finding f = mk("outcome.pc", "c", "it's", "#x");
	char buf[4096] = "";
	FILE *m = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	report_case_begin(r, "c", "a#b");
	report_add(r, &f);
	report_case_end(r, REPORT_PASS, NULL);
	report_case_begin(r, "c", "skipped");
	report_case_end(r, REPORT_SKIP, "no vGICv3");
	report_write_tap(r, m);
	fclose(m);
	assert_has_all(buf, (const char *const[]){
		"TAP version 13\n1..2\n",
		"not ok 1 - a_b\n",
		"      expected: 'it''s'\n",
		"ok 2 - skipped # SKIP no vGICv3\n", NULL });
	report_free(r);
}

/* JUnit: markup and control characters in findings are escaped or
 * dropped, so the file is well-formed XML. */
static void test_junit_escaping(void **state)
{
	struct report *r = report_new("replay", "t<1>");
	struct finding f = mk("f", "c", "<a & \"b\">", "\x01\x02ok");
	char path[] = "/tmp/hvexit-test-junit-XXXXXX", err[256], buf[8192];
	FILE *in;
	size_t n;
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	report_case_begin(r, "c", "case");
	report_add(r, &f);
	report_case_end(r, REPORT_PASS, NULL);
	assert_int_equal(report_write_junit(r, path, err, sizeof(err)), 0);
	in = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, in);
	buf[n] = 0;
	fclose(in);
	assert_null(strchr(buf, '\x01'));
	assert_has_all(buf, (const char *const[]){
		"&lt;a &amp; &quot;b&quot;&gt;",
		"name=\"t&lt;1&gt;\"",
		"<failure type=\"finding\" message=\"1 new finding, 1 cause\">", NULL });
	report_free(r);
	unlink(path);
}

/* An output is replaced whole or not at all. */
static void test_outfile_atomic(void **state)
{
	const char *path = tmpfile_with("old\n");
	struct outfile of;
	char buf[16] = "";
	FILE *in;

	(void)state;
	assert_int_equal(outfile_open(&of, path), 0);
	fputs("half", of.f);
	outfile_abort(&of);
	in = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), in));
	fclose(in);
	assert_string_equal(buf, "old\n");
	assert_int_equal(outfile_open(&of, path), 0);
	fputs("new\n", of.f);
	assert_int_equal(outfile_commit(&of), 0);
	in = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), in));
	fclose(in);
	assert_string_equal(buf, "new\n");
	assert_true(outfile_same_file(path, path));
	assert_false(outfile_same_file(path, "/nonexistent"));
	assert_int_equal(outfile_open(&of, "/nonexistent-dir/x"), -ENOENT);
	unlink(path);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_grouping),
	cmocka_unit_test(test_baseline_cluster_kernel_stale),
	cmocka_unit_test(test_baseline_v1),
	cmocka_unit_test(test_tap_escaping),
	cmocka_unit_test(test_junit_escaping),
	cmocka_unit_test(test_outfile_atomic))
