/*
 * hvexit replay TRACE... [options] (the option table is in cmd_replay()).
 *
 * Re-executes every recorded exit through the exit engine and compares the
 * engine's outcome with the recorded one field by field; for events that
 * carry what KVM reported (imported ftrace), checks it against the decoded
 * syndrome; cross-checks every ISV=1 data abort whose instruction word is
 * known against that instruction (kind "xcheck"). Every difference is a
 * finding of the report (harness/report/); exit status: 0 all match (or
 * every difference is baselined), 1 differences, 2 unreadable input or
 * usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/util/outfile.h"
#include "harness/cli/opts.h"
#include "harness/cli/cmds.h"
#include "harness/cli/replay_explain.h"
#include "harness/report/report.h"
#include "harness/trace/trace_engine.h"
#include "harness/trace/trace_vm.h"
#include "hvexit/esr.h"
#include "hvexit/trace.h"

#define PROGRESS_EVERY 250000

struct replay {
	bool json, quiet, update, progress;
	struct report *rep;
	struct trace_xcheck_stats xc;	/* all traces */
	/* the current event */
	const char *file;
	const struct trace_event *ev;
	const struct trace_reader *r;
	struct trace_engine *eng;	/* NULL until an outcome was replayed */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The fault IPA of an abort (HPFAR_EL2.FIPA << 12 | FAR_EL2[11:0],
 * D24.2.76), for naming the device it hit. */
static bool fault_ipa(const struct trace_exit *e, uint64_t *ipa)
{
	if (!e->has_hpfar || !e->has_far || (e->ec & ~0x05u) != 0x20)
		return false;
	*ipa = ((e->hpfar >> 4) & ((UINT64_C(1) << 40) - 1)) << 12 | (e->far & 0xfff);
	return true;
}

static void on_diff(void *arg, const struct trace_diff *d)
{
	struct replay *rp = arg;
	const struct trace_event *ev = rp->ev;
	struct finding f;
	char insn[160], dev[200] = "";
	uint64_t ipa;

	memset(&f, 0, sizeof(f));
	finding_set(&f, kind, "%s", d->kind);
	explain_field(d->field, ev, rp->r, f.field, sizeof(f.field));
	finding_set(&f, expected, "%s", d->expected);
	finding_set(&f, observed, "%s", d->recorded);
	explain_cluster(ev, rp->r, f.cluster, sizeof(f.cluster));
	explain_rule(d->kind, d->field, &ev->exit, f.rule, sizeof(f.rule));
	/* where names the exact field when the group names its role */
	finding_set(&f, where, "%s:%llu: seq %llu vcpu %u%s%s", rp->file,
		    (unsigned long long)ev->line, (unsigned long long)ev->seq, ev->vcpu,
		    strcmp(f.field, d->field) ? ": " : "", strcmp(f.field, d->field) ? d->field : "");
	trace_describe_exit(&ev->exit, f.context, sizeof(f.context));
	explain_insn(ev, rp->r, insn, sizeof(insn));
	if (rp->eng && fault_ipa(&ev->exit, &ipa)) {
		const char *ref = trace_engine_device_ref(rp->eng, ipa);

		trace_engine_device_at(rp->eng, ipa, dev, sizeof(dev));
		/* what a device register reads as is the device's rule */
		if (ref && !strcmp(d->kind, "outcome") &&
		    (strstr(d->field, ".data") || strstr(d->field, ".writes."))) {
			char r[sizeof(f.rule)];

			snprintf(r, sizeof(r), "%s", f.rule);
			finding_set(&f, rule, "%s; the register's value: %s", r, ref);
		}
	}
	if (*insn || *dev) {
		char ctx[sizeof(f.context)];

		snprintf(ctx, sizeof(ctx), "%s", f.context);
		finding_set(&f, context, "%s%s%s%s%s", ctx, *insn ? "; instruction: " : "", insn,
			    *dev ? "; device: " : "", dev);
	}
	if (!strcmp(d->kind, "outcome"))
		explain_reproducer(ev, rp->r, rp->eng, rp->file, f.reproduce, sizeof(f.reproduce));
	/* the identity baselines of the first format were written with */
	trace_diff_fingerprint(d, &ev->exit, f.fingerprint);
	report_add(rp->rep, &f);
}

/* Device regions of the map no hvexit model claims: said once per trace
 * (the VMM's accesses to them are replayed as MMIO, not guessed). */
static void note_unmodelled(struct replay *rp, const char *path)
{
	json_t *a = json_array();
	char d[200];

	for (size_t i = 0; trace_engine_unmodelled(rp->eng, i, d, sizeof(d)); i++) {
		if (!rp->quiet)
			fprintf(stderr, "replay: %s: unmodelled device: %s (hvexit's models: %s)\n",
				path, d, trace_vm_model_list());
		json_array_append_new(a, json_string(d));
	}
	report_case_prop(rp->rep, "unmodelled_devices", a);
}

/* Finding details are prose that may be reworded between versions; the
 * finding kinds are what a replay compares (as emu_outcome_equal does). */
static void strip_details(json_t *outcome)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(outcome, "findings"), i, f)
		json_object_del(f, "detail");
}

static void xc_add(struct trace_xcheck_stats *a, const struct trace_xcheck_stats *b)
{
	a->isv1 += b->isv1;
	a->checked += b->checked;
	a->consistent += b->consistent;
	a->inconsistent += b->inconsistent;
	a->unknown_insn += b->unknown_insn;
	a->no_insn += b->no_insn;
}

static json_t *xc_json(const struct trace_xcheck_stats *x)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "isv1", (json_int_t)x->isv1,
			 "checked", (json_int_t)x->checked,
			 "consistent", (json_int_t)x->consistent,
			 "inconsistent", (json_int_t)x->inconsistent,
			 "unknown_insn", (json_int_t)x->unknown_insn,
			 "no_insn", (json_int_t)x->no_insn);
}

static void xc_text(const struct trace_xcheck_stats *x, char *buf, size_t len)
{
	snprintf(buf, len, "xcheck: %lu ISV=1 data aborts, %lu cross-checked: %lu consistent, "
		 "%lu inconsistent, %lu unknown instruction; %lu without instruction word",
		 x->isv1, x->checked, x->consistent, x->inconsistent, x->unknown_insn, x->no_insn);
}

struct trace_result {
	unsigned long events, diffs, baselined, engine_runs, kvm_checked;
	struct trace_xcheck_stats xc;
	bool truncated, unreadable;
	char err[1100];
};

static void replay_one(struct replay *rp, const char *path, struct trace_result *res)
{
	struct trace_reader *r = NULL;
	struct trace_engine *eng = NULL;
	struct trace_event ev;
	char err[1100], eerr[256];
	double t0 = now_s();
	int rc;

	memset(res, 0, sizeof(*res));
	rp->file = path;
	report_case_begin(rp->rep, "hvexit.replay", path);
	unsigned long d0 = rp->rep->new_total, b0 = rp->rep->known_total;

	if (trace_reader_open(path, &r, err, sizeof(err)) < 0) {
		res->unreadable = true;
		snprintf(res->err, sizeof(res->err), "%s", err);
		fprintf(stderr, "hvexit replay: %s\n", err);
		report_case_end(rp->rep, REPORT_ERROR, "%s", res->err);
		return;
	}
	rp->r = r;
	rp->eng = NULL;
	while ((rc = trace_next(r, &ev)) > 0) {
		rp->ev = &ev;
		res->events++;
		if (ev.outcome || ev.outcome_text) {
			if (!eng) {
				eng = trace_engine_new(trace_reader_header(r), eerr, sizeof(eerr));
				if (!eng) {
					snprintf(res->err, sizeof(res->err),
						 "%s:%llu: cannot replay outcomes: %s", path,
						 (unsigned long long)ev.line, eerr);
					res->unreadable = true;
					break;
				}
				rp->eng = eng;
				note_unmodelled(rp, path);
			}
			json_t *got = trace_engine_run(eng, r, &ev, eerr, sizeof(eerr));
			if (!got) {
				snprintf(res->err, sizeof(res->err), "%s:%llu: seq %llu: %s", path,
					 (unsigned long long)ev.line,
					 (unsigned long long)ev.seq, eerr);
				res->unreadable = true;
				break;
			}
			res->engine_runs++;
			strip_details(got);
			if (ev.outcome_text && !ev.outcome) {
				/* Binary trace: equal canonical text means equal
				 * outcomes; only a mismatch needs the field diff. */
				char *t = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
				bool same = t && strlen(t) == ev.outcome_len &&
					    !memcmp(t, ev.outcome_text, ev.outcome_len);

				free(t);
				if (!same && trace_event_load_outcome(r, &ev) < 0) {
					json_decref(got);
					rc = -EINVAL;
					break;
				}
				if (same) {
					json_decref(got);
					goto kvm;
				}
			}
			if (json_array_size(json_object_get(ev.outcome, "findings"))) {
				json_t *rec = json_deep_copy(ev.outcome);

				strip_details(rec);
				trace_json_diff(got, rec, "outcome", "outcome", on_diff, rp);
				json_decref(rec);
			} else {
				trace_json_diff(got, ev.outcome, "outcome", "outcome", on_diff, rp);
			}
			json_decref(got);
		}
kvm:
		if (ev.kvm) {
			res->kvm_checked++;
			trace_check_kvm(&ev, on_diff, rp);
		}
		if (trace_check_xcheck(r, &ev, &res->xc, on_diff, rp) < 0) {
			snprintf(res->err, sizeof(res->err),
				 "%s:%llu: cannot cross-check: Capstone is unavailable", path,
				 (unsigned long long)ev.line);
			res->unreadable = true;
			break;
		}
		if (rp->progress && res->events % PROGRESS_EVERY == 0) {
			double dt = now_s() - t0;

			fprintf(stderr, "replay: %s: %lu events, %.0f events/s\n", path,
				res->events, dt > 0 ? (double)res->events / dt : 0.0);
		}
	}
	if (rc < 0) {
		res->unreadable = true;
		snprintf(res->err, sizeof(res->err), "%s", trace_reader_error(r));
	}
	if (res->unreadable)
		fprintf(stderr, "hvexit replay: %s\n", res->err);
	res->truncated = trace_reader_truncated(r);
	if (res->truncated)
		fprintf(stderr, "hvexit replay: warning: %s (the %lu complete events before it were replayed)\n",
			trace_reader_error(r), res->events);
	res->diffs = rp->rep->new_total - d0;
	res->baselined = rp->rep->known_total - b0;
	if (res->truncated)
		report_case_partial(rp->rep);
	report_case_prop(rp->rep, "events", json_integer((json_int_t)res->events));
	report_case_prop(rp->rep, "xcheck", xc_json(&res->xc));
	if (res->unreadable)
		report_case_end(rp->rep, REPORT_ERROR, "%s", res->err);
	else
		report_case_end(rp->rep, REPORT_PASS, "%lu events%s", res->events,
				res->truncated ? ", truncated last record ignored" : "");
	trace_engine_free(eng);
	trace_reader_close(r);
	rp->eng = NULL;
	rp->r = NULL;
}

static void print_summary(const struct replay *rp, int nfiles, unsigned long events,
			  unsigned long unreadable, double dt)
{
	char xc[300];

	xc_text(&rp->xc, xc, sizeof(xc));
	fprintf(stderr, "replay: %d trace%s, %lu events, %lu differences, %lu baselined, "
		"%lu unreadable, %.3f s, %.0f events/s\nreplay: %s\n", nfiles,
		nfiles == 1 ? "" : "s", events, rp->rep->new_total, rp->rep->known_total,
		unreadable, dt, dt > 0 ? (double)events / dt : 0.0, xc);
	report_write_summary(rp->rep, stderr);
}

static json_t *json_report(const struct replay *rp, char **files, int nfiles,
			   const struct trace_result *res, unsigned long events, double dt)
{
	json_t *o = report_to_json(rp->rep), *tr = json_array();

	for (int i = 0; i < nfiles; i++)
		json_array_append_new(tr, json_pack("{s:o,s:I,s:I,s:I,s:b,s:b,s:o,s:o}",
			"file", report_json_text(files[i]), "events", (json_int_t)res[i].events,
			"differences", (json_int_t)res[i].diffs,
			"baselined", (json_int_t)res[i].baselined,
			"truncated", res[i].truncated, "unreadable", res[i].unreadable,
			"error", report_json_text(res[i].err), "xcheck", xc_json(&res[i].xc)));
	json_object_set_new(o, "traces", tr);
	json_object_set_new(o, "events", json_integer((json_int_t)events));
	json_object_set_new(o, "differences", json_integer((json_int_t)rp->rep->new_total));
	json_object_set_new(o, "baselined", json_integer((json_int_t)rp->rep->known_total));
	json_object_set_new(o, "xcheck", xc_json(&rp->xc));
	json_object_set_new(o, "events_per_sec", json_real(dt > 0 ? (double)events / dt : 0));
	return o;
}

int cmd_replay(int argc, char **argv)
{
	struct replay rp = { 0 };
	const char *baseline = NULL, *junit = NULL, *findings = NULL;
	bool tap = false;
	struct baseline *bl = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("--baseline", &baseline, "FILE", "known findings (docs/findings.md)"),
		OPT_FLAG("--update-baseline", &rp.update,
			 "add new findings to the baseline, drop entries not reproduced"),
		OPT_FLAG("--json", &rp.json, "machine-readable report on stdout"),
		OPT_STR("--junit", &junit, "FILE", "JUnit XML report, one testcase per trace"),
		OPT_FLAG("--tap", &tap, "TAP 13 on stdout, one test point per trace"),
		OPT_STR("--findings", &findings, "FILE", "every finding instance as JSON Lines"),
		OPT_FLAG("--progress", &rp.progress,
			 "events and rate on stderr (default: when stderr is a terminal)"),
		OPT_FLAG("--quiet", &rp.quiet, "print only the summary lines"),
	};
	const struct cli_cmd cmd = {
		.name = "replay", .synopsis = "TRACE... [options]",
		.about = "Replays each exit through the engine and compares with the recorded outcome;\n"
			 "checks KVM-reported events of imported traces against the decoded ESR;\n"
			 "cross-checks ISV=1 data aborts against the instruction word at PC.\n"
			 "Differences are grouped by cause, each shown with its first instance.\n"
			 "Exit 0 all match or baselined, 1 differences, 2 bad input.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .min_operands = 1,
	};
	char **files = calloc((size_t)argc + 1, sizeof(*files));
	struct trace_result *res = NULL;
	struct outfile fo = { 0 };
	FILE *ff = NULL;
	int nfiles = 0, status = 2;
	unsigned long events = 0, unreadable = 0;
	char err[4300];
	double t0, dt;

	if (!files)
		return 2;
	status = cli_parse(&cmd, argc, argv, files, &nfiles);
	if (status) {
		status = status == 1 ? 0 : 2;
		goto out;
	}
	status = 2;
	if (rp.update && !baseline) {
		cli_error("replay", "--update-baseline needs --baseline FILE");
		goto out;
	}
	for (int i = 0; i < nfiles; i++) {
		const char *o = outfile_same_file(files[i], junit) ? junit :
				outfile_same_file(files[i], findings) ? findings :
				outfile_same_file(files[i], baseline) ? baseline : NULL;

		if (o) {
			cli_error("replay", "%s is the trace %s itself: it would be overwritten", o, files[i]);
			goto out;
		}
	}
	if (!rp.quiet && isatty(STDERR_FILENO))
		rp.progress = true;
	if (baseline && baseline_load(baseline, !rp.update, &bl, err, sizeof(err)) < 0) {
		cli_error("replay", "%s", err);
		goto out;
	}
	rp.rep = report_new("replay", "hvexit replay");
	res = calloc((size_t)nfiles, sizeof(*res));
	if (!rp.rep || !res)
		goto out;
	report_set_labels(rp.rep, "replayed", "recorded");
	report_use_baseline(rp.rep, bl);
	if (findings) {
		if (outfile_open(&fo, findings) < 0) {
			cli_error("replay", "%s", fo.err);
			goto out;
		}
		ff = fo.f;
		report_stream_to(rp.rep, ff);
	}
	t0 = now_s();
	for (int i = 0; i < nfiles; i++) {
		replay_one(&rp, files[i], &res[i]);
		events += res[i].events;
		unreadable += res[i].unreadable;
		xc_add(&rp.xc, &res[i].xc);
	}
	dt = now_s() - t0;
	status = unreadable ? 2 : report_exit_status(rp.rep);
	if (rp.update) {
		if (report_update_baseline(rp.rep, stderr, err, sizeof(err)) < 0) {
			cli_error("replay", "%s", err);
			status = 2;
		} else if (status == 1) {
			status = 0;	/* the differences are in the baseline now */
		}
	}
	if (rp.json) {
		json_t *o = json_report(&rp, files, nfiles, res, events, dt);

		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(o);
	} else if (tap) {
		report_write_tap(rp.rep, stdout);
	} else if (!rp.quiet) {
		report_write_text(rp.rep, stdout, 0);
	}
	if (junit && report_write_junit(rp.rep, junit, err, sizeof(err)) < 0) {
		cli_error("replay", "%s", err);
		status = 2;
	}
	print_summary(&rp, nfiles, events, unreadable, dt);
	if (ff && outfile_commit(&fo) < 0) {
		cli_error("replay", "%s", fo.err);
		status = 2;
	}
	ff = NULL;
out:
	if (ff)
		outfile_abort(&fo);
	report_free(rp.rep);
	baseline_free(bl);
	free(res);
	free(files);
	return status;
}
