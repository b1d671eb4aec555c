/*
 * hvexit replay TRACE... [--baseline FILE] [--update-baseline] [--json]
 *                        [--junit FILE] [--quiet]
 *
 * Re-executes every recorded exit through the exit engine and compares the
 * engine's outcome with the recorded one field by field; for events that
 * carry what KVM reported (imported ftrace), checks it against the decoded
 * syndrome; cross-checks every ISV=1 data abort whose instruction word is
 * known against that instruction (issue 6, kind "xcheck"). Exit status: 0
 * all match (or every difference is baselined), 1 differences, 2
 * unreadable input or usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/trace/trace_engine.h"
#include "hvexit/trace.h"

#define MAX_PRINT_PER_TRACE 100
#define MAX_JSON_DIFFS 10000
#define PROGRESS_EVERY 250000

struct replay {
	bool json, quiet, update;
	json_t *baseline;	/* fingerprint -> entry (NULL: none) */
	json_t *new_baseline;	/* --update-baseline: what we saw */
	json_t *jdiffs;		/* --json / --junit: the differences */
	struct trace_xcheck_stats xc;	/* all traces */
	/* the current event */
	const char *file;
	const struct trace_event *ev;
	unsigned long printed;
	unsigned long diffs, baselined, ev_diffs;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvexit replay TRACE... [--baseline FILE] [--update-baseline]\n"
		"                     [--json] [--junit FILE] [--quiet]\n"
		"  Replays each exit through the engine and compares with the recorded\n"
		"  outcome; checks KVM-reported events of imported traces against the\n"
		"  decoded ESR; cross-checks ISV=1 data aborts against the instruction word\n"
		"  at PC. Exit 0 all match or baselined, 1 differences, 2 bad input.\n"
		"  --baseline FILE      known differences (kind, field, fingerprint)\n"
		"  --update-baseline    write every difference seen to the baseline FILE\n"
		"  --json               machine-readable report on stdout\n"
		"  --junit FILE         JUnit XML report (one testcase per trace)\n");
}

static void on_diff(void *arg, const struct trace_diff *d)
{
	struct replay *rp = arg;
	char fp[17], desc[256];
	bool known;

	trace_diff_fingerprint(d, &rp->ev->exit, fp);
	known = rp->baseline && json_object_get(rp->baseline, fp);
	if (rp->new_baseline && !json_object_get(rp->new_baseline, fp)) {
		char where[300];

		snprintf(where, sizeof(where), "%s seq %llu", rp->file,
			 (unsigned long long)rp->ev->seq);
		json_object_set_new(rp->new_baseline, fp, json_pack("{s:s,s:s,s:s,s:s,s:s}",
			"kind", d->kind, "field", d->field, "fingerprint", fp,
			"expected", d->expected, "first_seen", where));
	}
	rp->ev_diffs++;
	if (known) {
		rp->baselined++;
		return;
	}
	rp->diffs++;
	trace_describe_exit(&rp->ev->exit, desc, sizeof(desc));
	if (rp->jdiffs && json_array_size(rp->jdiffs) < MAX_JSON_DIFFS) {
		json_t *j = json_pack("{s:s,s:I,s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s}",
			"file", rp->file, "line", (json_int_t)rp->ev->line,
			"seq", (json_int_t)rp->ev->seq, "vcpu", (int)rp->ev->vcpu,
			"kind", d->kind, "field", d->field, "expected", d->expected,
			"recorded", d->recorded, "exit", desc, "fingerprint", fp);

		if (j && d->xcheck) {
			json_t *dec = json_array();

			if (d->own >= 0 && d->own != d->iss)
				json_array_append_new(dec, json_string("own"));
			if (d->capstone >= 0 && d->capstone != d->iss)
				json_array_append_new(dec, json_string("capstone"));
			json_object_set_new(j, "xcheck", json_pack("{s:o,s:i,s:i,s:i,s:o}",
				"insn", trace_hex(d->insn), "iss", d->iss, "own", d->own,
				"capstone", d->capstone, "decoders", dec));
		}
		json_array_append_new(rp->jdiffs, j);
	}
	if (!rp->json && rp->printed++ < MAX_PRINT_PER_TRACE)
		printf("%s:%llu: seq %llu vcpu %u: %s: expected %s, recorded %s\n"
		       "    exit: %s\n    fingerprint %s (%s)\n",
		       rp->file, (unsigned long long)rp->ev->line,
		       (unsigned long long)rp->ev->seq, rp->ev->vcpu, d->field,
		       d->expected, d->recorded, desc, fp, d->kind);
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
	rp->printed = 0;
	unsigned long d0 = rp->diffs, b0 = rp->baselined;

	if (trace_reader_open(path, &r, err, sizeof(err)) < 0) {
		res->unreadable = true;
		snprintf(res->err, sizeof(res->err), "%s", err);
		fprintf(stderr, "hvexit replay: %s\n", err);
		return;
	}
	while ((rc = trace_next(r, &ev)) > 0) {
		rp->ev = &ev;
		rp->ev_diffs = 0;
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
		if (!rp->quiet && res->events % PROGRESS_EVERY == 0) {
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
	res->diffs = rp->diffs - d0;
	res->baselined = rp->baselined - b0;
	if (rp->printed > MAX_PRINT_PER_TRACE && !rp->json)
		printf("%s: ... %lu more differences not shown\n", path,
		       rp->printed - MAX_PRINT_PER_TRACE);
	trace_engine_free(eng);
	trace_reader_close(r);
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

static int load_baseline(const char *path, bool must_exist, json_t **out)
{
	json_error_t je;
	json_t *j, *known, *idx;
	size_t i;
	json_t *v;

	*out = json_object();
	if (access(path, F_OK) != 0 && !must_exist)
		return 0;
	j = json_load_file(path, 0, &je);
	if (!j)
		return cli_error("replay", "%s:%d: baseline is not JSON: %s", path, je.line, je.text);
	known = json_object_get(j, "known");
	if (!json_is_array(known)) {
		json_decref(j);
		return cli_error("replay", "%s: baseline has no \"known\" array", path);
	}
	idx = *out;
	json_array_foreach(known, i, v) {
		const char *fp = json_string_value(json_object_get(v, "fingerprint"));

		if (!fp) {
			json_decref(j);
			return cli_error("replay", "%s: known[%zu] has no \"fingerprint\"", path, i);
		}
		json_object_set(idx, fp, v);
	}
	json_decref(j);
	return 0;
}

static int save_baseline(const char *path, json_t *seen)
{
	json_t *o = json_object(), *arr = json_array();
	const char *k;
	json_t *v;

	json_object_foreach(seen, k, v)
		json_array_append(arr, v);
	json_object_set_new(o, "hvexit_baseline", json_integer(1));
	json_object_set_new(o, "known", arr);
	if (json_dump_file(o, path, JSON_INDENT(1) | JSON_SORT_KEYS) < 0) {
		json_decref(o);
		return cli_error("replay", "%s: cannot write baseline", path);
	}
	json_decref(o);
	return 0;
}

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, f);
		}
	}
}

static int write_junit(const char *path, char **files, int nfiles,
		       const struct trace_result *res, const json_t *diffs, double secs)
{
	FILE *f = fopen(path, "w");
	unsigned long failures = 0;

	if (!f)
		return cli_error("replay", "%s: %s", path, strerror(errno));
	for (int i = 0; i < nfiles; i++)
		failures += res[i].diffs || res[i].unreadable;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites><testsuite name=\"hvexit replay\" tests=\"%d\" failures=\"%lu\" time=\"%.3f\">\n",
		nfiles, failures, secs);
	for (int i = 0; i < nfiles; i++) {
		size_t j;
		json_t *d;
		char xc[300];

		fputs("  <testcase classname=\"hvexit.replay\" name=\"", f);
		xml_escape(f, files[i]);
		fprintf(f, "\">\n");
		fprintf(f, "    <properties><property name=\"xcheck.checked\" value=\"%lu\"/>"
			"<property name=\"xcheck.consistent\" value=\"%lu\"/>"
			"<property name=\"xcheck.inconsistent\" value=\"%lu\"/></properties>\n",
			res[i].xc.checked, res[i].xc.consistent, res[i].xc.inconsistent);
		if (res[i].unreadable) {
			fputs("    <error message=\"", f);
			xml_escape(f, res[i].err);
			fputs("\"/>\n", f);
		} else if (res[i].diffs) {
			fprintf(f, "    <failure message=\"%lu differences\">", res[i].diffs);
			json_array_foreach(diffs, j, d) {
				char line[700];

				if (strcmp(json_string_value(json_object_get(d, "file")), files[i]))
					continue;
				snprintf(line, sizeof(line), "seq %lld vcpu %lld: %s: expected %s, recorded %s (%s)\n",
					 (long long)json_integer_value(json_object_get(d, "seq")),
					 (long long)json_integer_value(json_object_get(d, "vcpu")),
					 json_string_value(json_object_get(d, "field")),
					 json_string_value(json_object_get(d, "expected")),
					 json_string_value(json_object_get(d, "recorded")),
					 json_string_value(json_object_get(d, "exit")));
				xml_escape(f, line);
			}
			fputs("</failure>\n", f);
		}
		xc_text(&res[i].xc, xc, sizeof(xc));
		fprintf(f, "    <system-out>%lu events, %lu baselined differences%s; %s</system-out>\n",
			res[i].events, res[i].baselined, res[i].truncated ? ", truncated last line" : "",
			xc);
		fputs("  </testcase>\n", f);
	}
	fputs("</testsuite></testsuites>\n", f);
	return fclose(f) == 0 ? 0 : cli_error("replay", "%s: write failed", path);
}

int cmd_replay(int argc, char **argv)
{
	struct replay rp = { 0 };
	const char *baseline = NULL, *junit = NULL;
	char **files = calloc((size_t)argc, sizeof(*files));
	struct trace_result *res;
	int nfiles = 0, status = 0;
	unsigned long events = 0, unreadable = 0;
	double t0, dt;

	if (!files)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			free(files);
			return 0;
		} else if (!strcmp(argv[i], "--baseline") && i + 1 < argc) {
			baseline = argv[++i];
		} else if (!strcmp(argv[i], "--update-baseline")) {
			rp.update = true;
		} else if (!strcmp(argv[i], "--json")) {
			rp.json = true;
		} else if (!strcmp(argv[i], "--quiet")) {
			rp.quiet = true;
		} else if (!strcmp(argv[i], "--junit") && i + 1 < argc) {
			junit = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage(stderr);
			free(files);
			return cli_error("replay", "unexpected argument '%s'", argv[i]);
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles || (rp.update && !baseline)) {
		usage(stderr);
		free(files);
		return cli_error("replay", nfiles ? "--update-baseline needs --baseline FILE"
					   : "no trace given");
	}
	if (baseline && load_baseline(baseline, !rp.update, &rp.baseline)) {
		json_decref(rp.baseline);
		free(files);
		return 2;
	}
	if (rp.update) {
		json_decref(rp.baseline);
		rp.baseline = NULL;
		rp.new_baseline = json_object();
	}
	if (rp.json || junit)
		rp.jdiffs = json_array();
	res = calloc((size_t)nfiles, sizeof(*res));
	t0 = now_s();
	for (int i = 0; i < nfiles && res; i++) {
		replay_one(&rp, files[i], &res[i]);
		events += res[i].events;
		unreadable += res[i].unreadable;
		xc_add(&rp.xc, &res[i].xc);
	}
	dt = now_s() - t0;
	if (rp.update && save_baseline(baseline, rp.new_baseline))
		status = 2;
	if (rp.json) {
		json_t *o = json_object(), *tr = json_array();

		for (int i = 0; i < nfiles && res; i++)
			json_array_append_new(tr, json_pack("{s:s,s:I,s:I,s:I,s:b,s:b,s:s,s:o}",
				"file", files[i], "events", (json_int_t)res[i].events,
				"differences", (json_int_t)res[i].diffs,
				"baselined", (json_int_t)res[i].baselined,
				"truncated", res[i].truncated, "unreadable", res[i].unreadable,
				"error", res[i].err, "xcheck", xc_json(&res[i].xc)));
		json_object_set_new(o, "traces", tr);
		json_object_set_new(o, "events", json_integer((json_int_t)events));
		json_object_set_new(o, "differences", json_integer((json_int_t)rp.diffs));
		json_object_set_new(o, "baselined", json_integer((json_int_t)rp.baselined));
		json_object_set_new(o, "xcheck", xc_json(&rp.xc));
		json_object_set_new(o, "events_per_sec", json_real(dt > 0 ? (double)events / dt : 0));
		json_object_set(o, "details", rp.jdiffs);
		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(o);
	}
	if (junit && res && write_junit(junit, files, nfiles, res, rp.jdiffs, dt))
		status = 2;
	if (!rp.quiet) {
		char xc[300];

		xc_text(&rp.xc, xc, sizeof(xc));
		fprintf(stderr, "replay: %d trace%s, %lu events, %lu differences, %lu baselined, "
			"%lu unreadable, %.3f s, %.0f events/s\nreplay: %s\n", nfiles,
			nfiles == 1 ? "" : "s", events, rp.diffs, rp.baselined, unreadable, dt,
			dt > 0 ? (double)events / dt : 0.0, xc);
	}
	if (!res || unreadable)
		status = 2;
	else if (!status && rp.diffs && !rp.update)
		status = 1;
	json_decref(rp.baseline);
	json_decref(rp.new_baseline);
	json_decref(rp.jdiffs);
	free(res);
	free(files);
	return status;
}
