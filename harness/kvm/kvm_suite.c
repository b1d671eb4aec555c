/*
 * hvexit kvm suite: every guest of the suite (kvm_cmd.c) on the real KVM,
 * one report case per guest, with a baseline of known findings scoped by
 * kernel (docs/findings.md). Output: a line per guest and the grouped
 * findings (text), JSON Lines for the console of ci/kvm-qemu (--json), or
 * TAP 13 as the KVM selftests print it (--tap); on a terminal a progress
 * line on stderr says which guest runs.
 *
 * Exit status: 0 every guest passed, was skipped or has only known
 * findings; 1 a guest failed, had new findings or an error; 2 usage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/report_out.h"
#include "harness/kvm/kvm_cmd.h"
#include "harness/util/clock.h"

struct suite_run {
	const char *dir, *out;
	uint64_t timeout, vgic;
	bool progress;
	struct report_out ro;
	struct report *rep;
	double t0;
};

static void json_quoted(FILE *f, const char *s)
{
	json_t *j = json_string(s);

	json_dumpf(j, f, JSON_ENCODE_ANY);
	json_decref(j);
}

/* --json: a line per stale baseline entry, for the console protocol. */
static void stale_json(const struct baseline_entry *e, void *arg)
{
	char d[700];

	baseline_entry_describe(e, d, sizeof(d));
	fputs("{\"stale\":", arg);
	json_quoted(arg, d);
	fputs("}\n", arg);
}

/* The progress line (stderr, a terminal): guests done by status, the
 * one running now and the time so far. */
static void progress(const struct suite_run *s, size_t i, size_t n, const char *name)
{
	const struct report *r = s->rep;

	fprintf(stderr, "\r\033[Kkvm suite [%zu/%zu] %zu pass, %zu known, %zu fail, %zu skip; "
		"running %s (%.0f s)", i + 1, n, report_count_cases(r, REPORT_PASS),
		report_count_cases(r, REPORT_KNOWN),
		report_count_cases(r, REPORT_FAIL) + report_count_cases(r, REPORT_ERROR),
		report_count_cases(r, REPORT_SKIP), name, util_now_s() - s->t0);
	fflush(stderr);
}

static void skip_case(struct suite_run *s, const char *name, const char *why)
{
	report_case_begin(s->rep, "kvm.guest", name);
	report_case_end(s->rep, REPORT_SKIP, "%s", why);
	if (s->ro.json) {
		printf("{\"guest\":");
		json_quoted(stdout, name);
		printf(",\"status\":\"SKIP\",\"reason\":");
		json_quoted(stdout, why);
		printf(",\"findings\":[]}\n");
	} else if (!s->ro.tap && !s->ro.quiet) {
		printf("%-12s SKIP  (%s)\n", name, why);
	}
}

static size_t suite_size(void)
{
	size_t n = 0;

	while (kvm_suite_guest(n))
		n++;
	return n;
}

static bool selected(const struct suite_run *s, const struct guest_spec *g)
{
	return !s->vgic || g->vgic == s->vgic;
}

static void run_all(struct suite_run *s)
{
	size_t n = suite_size(), nsel = 0, k = 0;
	enum kvm_out out = s->ro.json ? KVM_OUT_JSON : s->ro.tap || s->ro.quiet ? KVM_OUT_NONE : KVM_OUT_TEXT;

	for (size_t i = 0; i < n; i++)
		nsel += selected(s, kvm_suite_guest(i));
	for (size_t i = 0; i < n; i++) {
		const struct guest_spec *g = kvm_suite_guest(i);
		struct kvmb_opts opt = { .vcpus = g->vcpus,
			.timeout_s = g->timeout_s ? g->timeout_s : (unsigned)s->timeout,
			.secondaries_off = g->secondaries_off, .want_end = g->want_end,
			.vgic = g->vgic, .json = s->ro.json, .quiet = s->ro.json || s->ro.tap,
			.progress_line = s->progress };
		char path[512], tr[512], ft[512], why[600];

		if (!selected(s, g))
			continue;
		snprintf(path, sizeof(path), "%s/%s.elf", s->dir, g->name);
		if (s->progress)
			progress(s, k++, nsel, g->name);
		if (access(path, R_OK) != 0) {
			if (s->progress)
				fputs("\r\033[K", stderr);
			snprintf(why, sizeof(why), "%s not found", path);
			skip_case(s, g->name, why);
			continue;
		}
		if (s->out) {
			snprintf(tr, sizeof(tr), "%s/%s.jsonl", s->out, g->name);
			snprintf(ft, sizeof(ft), "%s/%s.ftrace", s->out, g->name);
			opt.trace_out = tr;
		}
		kvm_run_guest(path, g->name, &opt, NULL, s->out ? ft : NULL, g, s->rep, out);
	}
	if (s->progress)
		fputs("\r\033[K", stderr);
}

int kvm_cmd_suite(int argc, char **argv)
{
	struct suite_run s = { .dir = "guests", .timeout = 10, .ro.cmd = "kvm suite" };
	const struct cli_opt opts[] = {
		OPT_STR("--out", &s.out, "DIR", "write each guest's exit trace and ftrace text here"),
		OPT_U64("--timeout", &s.timeout, "S", 1, 3600, "seconds per guest (default 10)"),
		OPT_REPORT_BASELINE(&s.ro),
		OPT_FLAG("--json", &s.ro.json, "a JSON line per guest and per stale baseline entry"),
		OPT_REPORT_TAP(&s.ro, "guest"),
		OPT_REPORT_JUNIT(&s.ro, "guest"),
		OPT_REPORT_FINDINGS(&s.ro),
		OPT_U64("--vgic", &s.vgic, "N", 2, 3,
			"only the guests that need the in-kernel vGICvN"),
		OPT_FLAG("--progress", &s.progress,
			 "progress line on stderr (default: when stderr is a terminal)"),
		OPT_FLAG("--quiet", &s.ro.quiet, "print only the findings and the summary"),
	};
	const struct cli_cmd cmd = {
		.name = "kvm suite", .synopsis = "[DIR] [options]", .max_operands = 1,
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Runs every guest of the suite (DIR/NAME.elf, default guests/) on /dev/kvm and\n"
			 "checks what KVM does against the Arm architecture. Baseline entries may\n"
			 "name a kernel (a pattern for uname -r); known findings that no longer occur\n"
			 "are reported as stale. Exit 0 all passed, skipped or known, 1 otherwise.",
	};
	char *ops[1];
	struct utsname u;
	int n = 0, rc;

	rc = cli_parse(&cmd, argc, argv, ops, &n);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (n)
		s.dir = ops[0];	/* points into argv */
	if (s.ro.json && s.ro.tap)
		return fprintf(stderr, "kvm suite: --json and --tap exclude each other\n"), 2;
	if (report_out_load(&s.ro, NULL, 0, "input"))
		return 2;
	if (!s.ro.json && !s.ro.quiet && isatty(STDERR_FILENO))
		s.progress = true;
	if (s.ro.json)
		s.progress = false;	/* the console protocol is line based */
	s.rep = report_new("kvm", "hvexit kvm suite");
	rc = 2;
	if (!s.rep || report_out_attach(&s.ro, s.rep))
		goto out;
	if (uname(&u) == 0) {
		report_set_kernel(s.rep, u.release);
		report_prop(s.rep, "kernel", json_string(u.release));
	}
	s.t0 = util_now_s();
	if (access("/dev/kvm", R_OK | W_OK) != 0) {
		char why[160];

		snprintf(why, sizeof(why), "no usable /dev/kvm: %s", strerror(errno));
		skip_case(&s, "*", why);
	} else {
		if (s.out)
			mkdir(s.out, 0755);
		run_all(&s);
	}
	if (s.ro.json)
		report_stale(s.rep, stale_json, stdout);
	else
		report_print(s.rep, stdout, s.ro.tap ? REPORT_FMT_TAP : REPORT_FMT_TEXT, NULL, 0);
	if (!s.ro.json)
		fprintf(report_out_log(&s.ro), "kernel %s, %.1f s: ", s.rep->kernel, util_now_s() - s.t0);
	rc = report_exit_status(s.rep) || report_count_cases(s.rep, REPORT_ERROR) ? 1 : 0;
	rc = report_out_finish(&s.ro, s.rep, s.ro.json ? NULL : report_out_log(&s.ro), rc);
out:
	report_out_free(&s.ro);
	report_free(s.rep);
	return rc;
}
