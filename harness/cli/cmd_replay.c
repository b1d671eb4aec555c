/*
 * hvexit replay TRACE... [options] (the option table is in cmd_replay()).
 *
 * Re-executes every recorded exit through the exit engine and compares the
 * engine's outcome with the recorded one field by field; for events that
 * carry what KVM reported (imported ftrace), checks it against the decoded
 * syndrome; cross-checks every ISV=1 data abort whose instruction word is
 * known against that instruction (kind "xcheck"). Every difference is a
 * finding of the report (harness/report/); exit status: 0 all match (or
 * every difference is baselined), 1 differences, 2 unreadable or
 * truncated input (1 with --allow-truncated) or usage.
 *
 * Speed: recorded outcomes are compared as the engine's structs; the JSON
 * field diff runs only for an outcome that differs (or one outside the
 * documented schema). --jobs N replays the traces in N processes; each
 * writes its results (findings, counts) to a temporary file, and the
 * parent reports them in the order of the command line, so the output is
 * the same for any N.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/util/outfile.h"
#include "harness/util/progress.h"
#include "harness/cli/report_out.h"
#include "harness/cli/cmds.h"
#include "harness/cli/replay_explain.h"
#include "harness/report/report.h"
#include "harness/trace/trace_engine.h"
#include "harness/trace/trace_vm.h"
#include "hvexit/esr.h"
#include "hvexit/outcome_json.h"
#include "hvexit/trace.h"
#include "harness/util/clock.h"

#define PROGRESS_EVERY 4096	/* events between looks at the clock */

/* What one worker has done, shared with the parent that shows progress:
 * events, and work in bytes of input (a binary format 2 file's bytes in
 * proportion to its events, as its index footer counts them). */
struct replay_slot {
	_Atomic uint64_t events, work;
};

struct replay {
	bool quiet, progress, allow_trunc;
	struct progress pg;
	struct replay_slot *slot;	/* this worker's, in memory shared with the parent */
	uint64_t done_events, done_work;	/* this worker's finished traces */
	bool inproc;		/* one worker, the parent itself: it draws the meter */
	bool single;		/* one trace: the meter shows its event count */
	struct report *rep;
	struct trace_xcheck_stats xc;	/* all traces */
	/* the current trace: findings go to sink, counted in nfind */
	FILE *sink;
	unsigned long nfind;
	bool sink_failed;
	const char *file;
	const struct trace_event *ev;
	const struct trace_reader *r;
	struct trace_engine *eng;	/* NULL until an outcome was replayed */
};

struct trace_result {
	unsigned long events, diffs, baselined, engine_runs, kvm_checked, nfind;
	struct trace_xcheck_stats xc;
	bool truncated, unreadable, legacy, engine;
	char err[1100];
	char warn[1100];
	char unmodelled[1024];	/* device regions no model claims, one per line */
};

static uint64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

/* The current trace has replayed events of its total (0 unknown): this
 * worker's slot, and the meter when the worker is the parent. */
static void note_progress(struct replay *rp, const struct trace_reader *r, uint64_t events,
			  uint64_t total, uint64_t size)
{
	uint64_t w = total ? (uint64_t)((double)size * (double)events / (double)total)
			   : trace_reader_offset(r);

	w = w < size ? w : size;
	atomic_store_explicit(&rp->slot->events, rp->done_events + events, memory_order_relaxed);
	atomic_store_explicit(&rp->slot->work, rp->done_work + w, memory_order_relaxed);
	if (rp->inproc)
		progress_update(&rp->pg, rp->done_events + events, (double)(rp->done_work + w));
}

static void on_diff(void *arg, const struct trace_diff *d)
{
	struct replay *rp = arg;
	struct finding f;

	explain_finding(&f, d, rp->ev, rp->r, rp->eng, rp->file);
	/* the identity baselines of the first format were written with */
	trace_diff_fingerprint(d, &rp->ev->exit, f.fingerprint);
	if (fwrite(&f, sizeof(f), 1, rp->sink) != 1)
		rp->sink_failed = true;
	rp->nfind++;
}

/* Device regions of the map no hvexit model claims: said once per trace
 * (the VMM's accesses to them are replayed as MMIO, not guessed). */
static void note_unmodelled(struct replay *rp, struct trace_result *res)
{
	char d[200];
	size_t n = 0;

	for (size_t i = 0; trace_engine_unmodelled(rp->eng, i, d, sizeof(d)); i++)
		if (n + strlen(d) + 2 < sizeof(res->unmodelled))
			n += (size_t)snprintf(res->unmodelled + n, sizeof(res->unmodelled) - n,
					      "%s\n", d);
}

/* Reported with the trace (replay_report), as the worker cannot. */
static void report_unmodelled(struct replay *rp, const char *path,
			      const struct trace_result *res)
{
	json_t *a = json_array();
	const char *p = res->unmodelled, *nl;

	for (; (nl = strchr(p, '\n')); p = nl + 1) {
		if (!rp->quiet)
			fprintf(stderr, "replay: %s: unmodelled device: %.*s (hvexit's models: %s)\n",
				path, (int)(nl - p), p, trace_vm_model_list());
		json_array_append_new(a, json_stringn(p, (size_t)(nl - p)));
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


/* Equal engine outcomes, as the JSON field diff would find them (finding
 * details are prose and not compared); false sends the event to that
 * diff, which decides. */
static bool outcome_same(const struct emu_outcome *a, const struct emu_outcome *b)
{
	if (a->action != b->action || a->vcpu != b->vcpu || a->pc != b->pc ||
	    a->n_accesses != b->n_accesses || a->n_writes != b->n_writes ||
	    a->has_inject != b->has_inject || a->n_findings != b->n_findings)
		return false;
	for (unsigned i = 0; i < a->n_accesses && i < EMU_MAX_ACCESSES; i++) {
		const struct emu_access *x = &a->accesses[i], *y = &b->accesses[i];

		if (x->ipa != y->ipa || x->len != y->len || x->write != y->write ||
		    x->data != y->data || x->pending != y->pending)
			return false;
	}
	for (unsigned i = 0; i < a->n_writes && i < EMU_MAX_WRITES; i++)
		if (a->writes[i].reg != b->writes[i].reg || a->writes[i].val != b->writes[i].val)
			return false;
	if (a->has_inject && memcmp(&a->inject, &b->inject, sizeof(a->inject)))
		return false;
	if (a->action == EMU_ACT_CPU_ON &&
	    (a->target_mpidr != b->target_mpidr || a->entry != b->entry ||
	     a->context_id != b->context_id))
		return false;
	for (unsigned i = 0; i < a->n_findings && i < EMU_MAX_FINDINGS; i++)
		if (strcmp(a->findings[i].kind, b->findings[i].kind))
			return false;
	return true;
}

/* Field-by-field differences of the engine's outcome and the recorded
 * one (as JSON). 0 or -EINVAL (recorded outcome unreadable). */
static int outcome_diff(struct replay *rp, struct trace_reader *r, struct trace_event *ev,
			const struct emu_outcome *got)
{
	json_t *g, *rec;

	if (trace_event_load_outcome(r, ev) < 0)
		return -EINVAL;
	g = emu_outcome_to_json(got);
	rec = json_deep_copy(ev->outcome);
	if (!g || !rec) {
		json_decref(g);
		json_decref(rec);
		return -ENOMEM;
	}
	strip_details(g);
	strip_details(rec);
	trace_json_diff(g, rec, "outcome", "outcome", on_diff, rp);
	json_decref(g);
	json_decref(rec);
	return 0;
}

/* Replay one trace: counts into *res, findings to rp->sink. */
static void replay_run(struct replay *rp, const char *path, struct trace_result *res)
{
	struct trace_reader *r = NULL;
	struct trace_engine *eng = NULL;
	struct trace_event ev;
	struct emu_outcome got;
	char err[1100], eerr[256];
	uint64_t total = 0, size = rp->pg.on ? file_size(path) : 0;
	int rc;

	memset(res, 0, sizeof(*res));
	rp->file = path;
	rp->nfind = 0;
	if (trace_reader_open(path, &r, err, sizeof(err)) < 0) {
		res->unreadable = true;
		snprintf(res->err, sizeof(res->err), "%s", err);
		return;
	}
	rp->r = r;
	rp->eng = NULL;
	if (rp->pg.on && trace_reader_total(r, &total) == 0 && rp->single)
		rp->pg.count_total = total;
	while ((rc = trace_next(r, &ev)) > 0) {
		rp->ev = &ev;
		res->events++;
		trace_check_xcheck_prefetch(&ev);
		if (ev.has_oc || ev.outcome || ev.outcome_text) {
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
				res->engine = true;
				note_unmodelled(rp, res);
			}
			if (trace_engine_exec(eng, r, &ev, &got, eerr, sizeof(eerr)) < 0) {
				snprintf(res->err, sizeof(res->err), "%s:%llu: seq %llu: %s", path,
					 (unsigned long long)ev.line,
					 (unsigned long long)ev.seq, eerr);
				res->unreadable = true;
				break;
			}
			res->engine_runs++;
			if (!(ev.has_oc && outcome_same(&got, &ev.oc)) &&
			    (rc = outcome_diff(rp, r, &ev, &got)) < 0)
				break;
		}
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
		if (rp->pg.on && res->events % PROGRESS_EVERY == 0)
			note_progress(rp, r, res->events, total, size);
	}
	if (rc < 0 && !res->unreadable) {
		res->unreadable = true;
		snprintf(res->err, sizeof(res->err), "%s", trace_reader_error(r));
	}
	res->truncated = !res->unreadable && trace_reader_truncated(r);
	res->legacy = trace_reader_legacy(r);
	if (res->truncated)
		snprintf(res->warn, sizeof(res->warn), "%s", trace_reader_error(r));
	if (rp->sink_failed && !res->unreadable) {
		res->unreadable = true;
		snprintf(res->err, sizeof(res->err), "%s: cannot keep the findings: temporary file "
			 "write failed", path);
	}
	res->nfind = rp->nfind;
	rp->done_events += res->events;
	rp->done_work += size;
	if (rp->pg.on)
		note_progress(rp, r, 0, 0, 0);
	trace_engine_free(eng);
	trace_reader_close(r);
	rp->eng = NULL;
	rp->r = NULL;
}

/* Report one trace from its results and the findings in sink. */
static void replay_report(struct replay *rp, const char *path, struct trace_result *res,
			  FILE *sink)
{
	unsigned long d0, b0;
	struct finding f;

	report_case_begin(rp->rep, "hvexit.replay", path);
	d0 = rp->rep->new_total;
	b0 = rp->rep->known_total;
	for (unsigned long i = 0; i < res->nfind; i++) {
		if (fread(&f, sizeof(f), 1, sink) != 1) {
			res->unreadable = true;
			snprintf(res->err, sizeof(res->err), "%s: findings lost (temporary file)", path);
			break;
		}
		report_add(rp->rep, &f);
	}
	if (res->unreadable)
		fprintf(stderr, "hvexit replay: %s\n", res->err);
	if (res->truncated)
		fprintf(stderr, "hvexit replay: %s: %s (replayed)\n",
			rp->allow_trunc ? "warning" : "error", res->warn);
	if (res->legacy && !res->unreadable)
		fprintf(stderr, "hvexit replay: note: %s: format 1 trace (no end record): "
			"completeness not checked\n", path);
	res->diffs = rp->rep->new_total - d0;
	res->baselined = rp->rep->known_total - b0;
	if (res->truncated)
		report_case_partial(rp->rep);
	if (res->engine)
		report_unmodelled(rp, path, res);
	if (!res->unreadable || res->events) {
		report_case_prop(rp->rep, "events", json_integer((json_int_t)res->events));
		report_case_prop(rp->rep, "xcheck", xc_json(&res->xc));
	}
	if (res->unreadable)
		report_case_end(rp->rep, REPORT_ERROR, "%s", res->err);
	else if (res->truncated && !rp->allow_trunc)
		report_case_end(rp->rep, REPORT_ERROR, "%s", res->warn);
	else
		report_case_end(rp->rep, REPORT_PASS, "%lu events%s%s", res->events,
				res->truncated ? ", incomplete trace" : "",
				res->legacy ? " (format 1: no end record, completeness not checked)" : "");
}

/* Worker k of n: traces k, k+n, ...; results then findings to out;
 * progress in slot[k]. */
static int replay_worker(struct replay *rp, char **files, int nfiles, int k, int n, FILE *out,
			 struct replay_slot *slot)
{
	rp->slot = &slot[k];
	rp->inproc = n == 1;
	for (int i = k; i < nfiles; i += n) {
		struct trace_result res;
		long at = ftell(out);

		rp->sink = out;
		if (fwrite(&res, sizeof(res), 1, out) != 1)
			return -EIO;
		replay_run(rp, files[i], &res);
		if (fseek(out, at, SEEK_SET) < 0 || fwrite(&res, sizeof(res), 1, out) != 1 ||
		    fseek(out, 0, SEEK_END) < 0)
			return -EIO;
	}
	return fflush(out) == EOF ? -EIO : 0;
}

/* Wait for the n workers, showing their progress meanwhile. 0 or -1 (a
 * worker failed). */
static int wait_workers(struct replay *rp, pid_t *pid, unsigned n, struct replay_slot *slot)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	unsigned left = n;
	int rc = 0;

	while (left) {
		uint64_t ev = 0, work = 0;

		for (unsigned k = 0; k < n; k++) {
			int st;
			pid_t w = pid[k] > 0 ? waitpid(pid[k], &st, rp->pg.on ? WNOHANG : 0) : 0;

			if (w == 0)
				continue;
			if (w < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
				rc = -1;
			pid[k] = 0;
			left--;
		}
		if (!left || !rp->pg.on)
			continue;
		for (unsigned k = 0; k < n; k++) {
			ev += atomic_load_explicit(&slot[k].events, memory_order_relaxed);
			work += atomic_load_explicit(&slot[k].work, memory_order_relaxed);
		}
		progress_update(&rp->pg, ev, (double)work);
		nanosleep(&tick, NULL);
	}
	return rc;
}

/* Replay every file with `jobs` processes; results into res[], reported
 * in file order. 0, or -1 when a worker failed. */
static int replay_all(struct replay *rp, char **files, int nfiles, unsigned jobs,
		      struct trace_result *res)
{
	unsigned n = jobs < (unsigned)nfiles ? jobs : (unsigned)nfiles;
	FILE **out = calloc(n ? n : 1, sizeof(*out));
	pid_t *pid = calloc(n ? n : 1, sizeof(*pid));
	size_t slen = (n ? n : 1) * sizeof(struct replay_slot);
	struct replay_slot *slot = mmap(NULL, slen, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int rc = 0;

	if (slot == MAP_FAILED)
		slot = NULL;
	if (!out || !pid || !slot)
		goto fail;
	for (unsigned k = 0; k < n; k++)
		if (!(out[k] = tmpfile()))
			goto fail;
	if (n == 1) {
		if (replay_worker(rp, files, nfiles, 0, 1, out[0], slot) < 0)
			goto fail;
	} else {
		fflush(NULL);
		for (unsigned k = 0; k < n; k++) {
			pid[k] = fork();
			if (pid[k] < 0)
				goto fail;
			if (pid[k] == 0)
				_exit(replay_worker(rp, files, nfiles, (int)k, (int)n, out[k],
						    slot) < 0 ? 3 : 0);
		}
		if (wait_workers(rp, pid, n, slot) < 0)
			goto fail;
	}
	for (unsigned k = 0; k < n; k++)
		rewind(out[k]);
	for (int i = 0; i < nfiles; i++) {
		FILE *f = out[(unsigned)i % n];

		if (fread(&res[i], sizeof(res[i]), 1, f) != 1)
			goto fail;
		replay_report(rp, files[i], &res[i], f);
	}
	goto done;
fail:
	rc = -1;
	cli_error("replay", "a replay worker failed (temporary files or fork)");
done:
	for (unsigned k = 0; out && k < n; k++)
		if (out[k])
			fclose(out[k]);
	free(out);
	free(pid);
	if (slot)
		munmap(slot, slen);
	return rc;
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
}

/* The meter's work: the traces' bytes (unknown when one is no regular file). */
static void start_progress(struct replay *rp, char **files, int nfiles)
{
	double total = 0;

	for (int i = 0; i < nfiles && rp->pg.on; i++) {
		uint64_t n = file_size(files[i]);

		if (!n) {
			total = 0;
			break;
		}
		total += (double)n;
	}
	rp->single = nfiles == 1;
	progress_start(&rp->pg, NULL, total, 0);
}

/* What --json adds to the report. */
static json_t *json_extra(const struct replay *rp, char **files, int nfiles,
			  const struct trace_result *res, unsigned long events, double dt)
{
	json_t *tr = json_array();

	for (int i = 0; i < nfiles; i++)
		json_array_append_new(tr, json_pack("{s:o,s:I,s:I,s:I,s:b,s:b,s:o,s:o}",
			"file", report_json_text(files[i]), "events", (json_int_t)res[i].events,
			"differences", (json_int_t)res[i].diffs,
			"baselined", (json_int_t)res[i].baselined,
			"truncated", res[i].truncated, "unreadable", res[i].unreadable,
			"error", report_json_text(res[i].err), "xcheck", xc_json(&res[i].xc)));
	return json_pack("{s:o,s:I,s:I,s:I,s:o,s:f}", "traces", tr, "events", (json_int_t)events,
			 "differences", (json_int_t)rp->rep->new_total,
			 "baselined", (json_int_t)rp->rep->known_total, "xcheck", xc_json(&rp->xc),
			 "events_per_sec", dt > 0 ? (double)events / dt : 0.0);
}

int cmd_replay(int argc, char **argv)
{
	struct replay rp = { 0 };
	struct report_out ro = { .cmd = "replay" };
	uint64_t jobs = 0;
	const struct cli_opt opts[] = {
		OPT_REPORT_BASELINE(&ro),
		OPT_REPORT_UPDATE(&ro),
		OPT_REPORT_FORMATS(&ro, "trace"),
		OPT_REPORT_FINDINGS(&ro),
		OPT_FLAG("--progress", &rp.progress,
			 "events, rate and ETA on stderr (default: when stderr is a terminal)"),
		OPT_FLAG("--allow-truncated", &rp.allow_trunc,
			 "replay the events of a trace without its end record (exit 1, not 2)"),
		OPT_U64("--jobs", &jobs, "N", 1, 256,
			"replay the traces in N processes (default: the number of cores)"),
	};
	const struct cli_cmd cmd = {
		.name = "replay", .synopsis = "TRACE... [options]", .min_operands = 1,
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Replays each exit through the engine and compares with the recorded outcome;\n"
			 "checks KVM-reported events of imported traces against the decoded ESR;\n"
			 "cross-checks ISV=1 data aborts against the instruction word at PC.\n"
			 "Differences are grouped by cause, each shown with its first instance.\n"
			 "Exit 0 all match or baselined, 1 differences, 2 bad input.",
	};
	char **files = NULL;
	struct trace_result *res = NULL;
	int nfiles = 0, status;
	unsigned long events = 0, unreadable = 0, truncated = 0;
	double t0, dt;

	if (!cli_parse_new(&cmd, argc, argv, &files, &nfiles, &status) ||
	    report_out_load(&ro, files, nfiles, "trace"))
		goto out;
	rp.quiet = ro.quiet;
	progress_init(&rp.pg, "replay", "events", progress_wanted(rp.progress, rp.quiet));
	rp.rep = report_new("replay", "hvexit replay");
	res = calloc((size_t)nfiles, sizeof(*res));
	if (!rp.rep || !res || report_out_attach(&ro, rp.rep))
		goto out;
	report_set_labels(rp.rep, "replayed", "recorded");
	if (!jobs) {
		long nc = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = nc > 0 ? (uint64_t)nc : 1;
	}
	start_progress(&rp, files, nfiles);
	t0 = util_now_s();
	if (replay_all(&rp, files, nfiles, (unsigned)jobs, res) < 0)
		goto out;
	for (int i = 0; i < nfiles; i++) {
		events += res[i].events;
		unreadable += res[i].unreadable;
		truncated += res[i].truncated;
		xc_add(&rp.xc, &res[i].xc);
	}
	progress_end(&rp.pg, events);
	dt = util_now_s() - t0;
	status = unreadable || (truncated && !rp.allow_trunc) ? 2 : report_exit_status(rp.rep);
	if (status == 0 && truncated)
		status = 1;
	status = report_out_update(&ro, rp.rep, status);
	report_out_print(&ro, rp.rep, ro.json ? json_extra(&rp, files, nfiles, res, events, dt) :
			 NULL, 0);
	print_summary(&rp, nfiles, events, unreadable, dt);
	status = report_out_finish(&ro, rp.rep, stderr, status);
out:
	report_out_free(&ro);
	report_free(rp.rep);
	free(res);
	free(files);
	return status;
}
