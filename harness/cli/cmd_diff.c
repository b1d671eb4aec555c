/*
 * hvexit diff A B [options] (the option table is in cmd_diff()).
 *
 * Aligns two traces of the same guest run per vCPU and by exit: the
 * exits of each vCPU are matched by signature (what the guest did: the
 * syndrome, addresses, PC, instruction and registers) with the
 * streaming aligner of harness/trace/trace_align.c, so two runs whose
 * vCPUs interleaved differently still line up, and an exit one trace
 * lacks is one dropped (or inserted) exit, not a shift of every later
 * one. Paired exits are compared field by field (the exit, the VMM's data,
 * the outcome, the KVM observations; not seq or kvm.pid). Every
 * difference is a finding of the report (harness/report/); memory is
 * bounded by --window. Exit 0 same, 1 divergent, 2 unreadable input,
 * window exceeded or usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/report_out.h"
#include "harness/cli/replay_explain.h"
#include "harness/report/report.h"
#include "harness/trace/trace_align.h"
#include "hvexit/trace.h"

/* One exit waiting in the aligner. */
struct dexit {
	struct trace_event ev;	/* the exit (JSON pointers cleared) */
	unsigned long nth;	/* 1-based index among its vCPU's exits on its side */
	json_t *cmp;		/* the event as compared (no seq, no kvm.pid) */
};

struct side {
	const char *path;
	struct trace_reader *r;
	bool done;
	unsigned long events;
	unsigned long *count;	/* exits per vCPU */
};

struct diffrun {
	struct report *rep;
	struct side s[2];
	unsigned long paired, same, changed, only[2];
	/* the pair being compared */
	const struct dexit *a, *b;
};

static void dexit_free(void *p)
{
	struct dexit *x = p;

	if (x)
		json_decref(x->cmp);
	free(x);
}

/* The event as compared: its JSON without seq and host-specific keys. */
static json_t *comparable(const struct trace_event *ev)
{
	json_t *j = trace_event_to_json(ev);
	json_t *k = json_object_get(j, "kvm");

	json_object_del(j, "seq");
	if (k) {
		k = json_deep_copy(k);
		json_object_del(k, "pid");
		json_object_set_new(j, "kvm", k);
	}
	return j;
}

/* The exit's signature: FNV-1a over the canonical text of what the guest
 * did ("exit": syndrome, addresses, PC, instruction, registers), not of
 * what the hypervisor answered, so a hypervisor that answers every exit
 * differently still lines up exit by exit. */
static uint64_t signature(const json_t *cmp)
{
	char *t = json_dumps(json_object_get(cmp, "exit"), JSON_COMPACT | JSON_SORT_KEYS);
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (const char *p = t ? t : ""; *p; p++)
		h = (h ^ (uint8_t)*p) * UINT64_C(0x100000001b3);
	free(t);
	return h;
}

static void where_of(const struct diffrun *d, int side, const struct dexit *x, char *buf,
		     size_t len)
{
	snprintf(buf, len, "%s %s:%llu: seq %llu vcpu %u exit #%lu", side ? "B" : "A",
		 d->s[side].path, (unsigned long long)x->ev.line,
		 (unsigned long long)x->ev.seq, x->ev.vcpu, x->nth);
}

static void on_field(void *arg, const struct trace_diff *td)
{
	struct diffrun *d = arg;
	struct finding f;
	char wa[300], wb[300];

	memset(&f, 0, sizeof(f));
	finding_set(&f, kind, "changed");
	/* a written register by its role, as replay groups it */
	if (!strncmp(td->field, "event.", 6)) {
		char role[96];

		explain_field(td->field + 6, &d->a->ev, NULL, role, sizeof(role));
		finding_set(&f, field, "event.%s", role);
	} else {
		finding_set(&f, field, "%s", td->field);
	}
	finding_set(&f, expected, "%s", td->expected);
	finding_set(&f, observed, "%s", td->recorded);
	explain_cluster(&d->a->ev, NULL, f.cluster, sizeof(f.cluster));
	where_of(d, 0, d->a, wa, sizeof(wa));
	where_of(d, 1, d->b, wb, sizeof(wb));
	finding_set(&f, where, "%s; %s; %s", wa, wb, td->field);
	trace_describe_exit(&d->a->ev.exit, f.context, sizeof(f.context));
	report_add(d->rep, &f);
}

static void on_pair(void *arg, unsigned vcpu, void *pa, void *pb, bool same)
{
	struct diffrun *d = arg;
	struct dexit *a = pa, *b = pb;

	(void)vcpu;
	d->paired++;
	if (same && json_equal(a->cmp, b->cmp)) {
		d->same++;
	} else {
		d->changed++;
		d->a = a;
		d->b = b;
		trace_json_diff(a->cmp, b->cmp, "event", "changed", on_field, d);
	}
	dexit_free(a);
	dexit_free(b);
}

/* An exit only one trace has: dropped (only in A) or inserted (only in B). */
static void on_only(void *arg, unsigned vcpu, enum trace_align_side side, void *p)
{
	struct diffrun *d = arg;
	struct dexit *x = p;
	struct finding f;
	char desc[192];

	(void)vcpu;
	d->only[side]++;
	memset(&f, 0, sizeof(f));
	finding_set(&f, kind, "%s", side == ALIGN_A ? "dropped" : "inserted");
	finding_set(&f, field, "exit");
	snprintf(desc, sizeof(desc), "exit seq %llu", (unsigned long long)x->ev.seq);
	finding_set(&f, expected, "%s", side == ALIGN_A ? desc : "(none)");
	finding_set(&f, observed, "%s", side == ALIGN_A ? "(none)" : desc);
	explain_cluster(&x->ev, NULL, f.cluster, sizeof(f.cluster));
	where_of(d, side, x, f.where, sizeof(f.where));
	trace_describe_exit(&x->ev.exit, f.context, sizeof(f.context));
	report_add(d->rep, &f);
	dexit_free(x);
}

static const struct trace_align_ops align_ops = { on_pair, on_only, dexit_free };

/* Next exit of side s into the aligner: 1, 0 at its end, -1 on error. */
static int take(struct diffrun *d, int side, struct trace_align *al)
{
	struct side *s = &d->s[side];
	struct trace_event ev;
	struct dexit *x;
	char err[300];
	int rc;

	if (s->done)
		return 0;
	rc = trace_next(s->r, &ev);
	if (rc <= 0) {
		s->done = true;
		if (rc < 0) {
			fprintf(stderr, "hvexit diff: %s\n", trace_reader_error(s->r));
			return -1;
		}
		if (trace_reader_truncated(s->r))
			fprintf(stderr, "hvexit diff: warning: %s\n", trace_reader_error(s->r));
		if (trace_align_end(al, (enum trace_align_side)side, err, sizeof(err)) < 0) {
			fprintf(stderr, "hvexit diff: %s; raise --window\n", err);
			return -1;
		}
		return 0;
	}
	if (trace_event_load_outcome(s->r, &ev) < 0) {
		fprintf(stderr, "hvexit diff: %s\n", trace_reader_error(s->r));
		return -1;
	}
	x = calloc(1, sizeof(*x));
	if (!x || !(x->cmp = comparable(&ev))) {
		dexit_free(x);
		fprintf(stderr, "hvexit diff: out of memory\n");
		return -1;
	}
	x->ev = ev;
	x->ev.outcome = x->ev.kvm = NULL;
	x->ev.outcome_text = NULL;
	x->nth = ++s->count[ev.vcpu < TRACE_ALIGN_MAX_VCPUS ? ev.vcpu : 0];
	s->events++;
	if (trace_align_push(al, (enum trace_align_side)side, ev.vcpu, signature(x->cmp), x, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "hvexit diff: %s:%llu: %s; raise --window\n", s->path,
			(unsigned long long)ev.line, err);
		return -1;
	}
	return 1;
}

static int open_side(struct side *s, const char *path)
{
	char err[1100];

	s->path = path;
	s->count = calloc(TRACE_ALIGN_MAX_VCPUS, sizeof(*s->count));
	if (!s->count)
		return -1;
	if (trace_reader_open(path, &s->r, err, sizeof(err)) < 0) {
		fprintf(stderr, "hvexit diff: %s\n", err);
		return -1;
	}
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	struct diffrun d = { 0 };
	uint64_t max = 10, window = 4096;
	struct report_out ro = { .cmd = "diff" };
	bool bad = false;
	const struct cli_opt opts[] = {
		OPT_U64("--max", &max, "N", 0, 0, "show the first N causes (default 10, 0: all)"),
		OPT_U64("--window", &window, "N", 1, UINT64_C(1) << 20,
			"exits per vCPU and trace that may wait for a match (default 4096)"),
		OPT_REPORT_FORMATS(&ro, "pair of traces"),
	};
	const struct cli_cmd cmd = {
		.name = "diff", .synopsis = "A B [options]", .min_operands = 2, .max_operands = 2,
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Aligns the exits of two traces per vCPU by exit signature (a window of\n"
			 "look-ahead finds where they meet again) and reports changed exits field\n"
			 "by field, and dropped (only in A) and inserted (only in B) exits as such.\n"
			 "Exit 0 same, 1 divergent, 2 bad input or window exceeded.",
	};
	struct trace_align *al = NULL;
	char **ops = NULL;
	int nops, st;

	if (!cli_parse_new(&cmd, argc, argv, &ops, &nops, &st))
		goto out;
	d.rep = report_new("diff", "hvexit diff");
	al = trace_align_new((size_t)window, &align_ops, &d);
	if (!d.rep || !al || open_side(&d.s[0], ops[0]) < 0 || open_side(&d.s[1], ops[1]) < 0)
		goto out;
	report_set_labels(d.rep, "A", "B");
	report_case_begin(d.rep, "hvexit.diff", ops[1]);
	while (!bad && (!d.s[0].done || !d.s[1].done))
		bad = take(&d, 0, al) < 0 || take(&d, 1, al) < 0;
	report_case_end(d.rep, bad ? REPORT_ERROR : REPORT_PASS, "%lu exits against %lu",
			d.s[1].events, d.s[0].events);
	report_out_print(&ro, d.rep, ro.json ? json_pack("{s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I}}",
		"diff", "a_exits", (json_int_t)d.s[0].events, "b_exits", (json_int_t)d.s[1].events,
		"paired", (json_int_t)d.paired, "identical", (json_int_t)d.same,
		"changed", (json_int_t)d.changed, "dropped", (json_int_t)d.only[0],
		"inserted", (json_int_t)d.only[1]) : NULL, (size_t)max);
	fprintf(stderr, "diff: A %s: %lu exits, B %s: %lu exits; %lu paired (%lu identical, "
		"%lu changed), %lu dropped (only in A), %lu inserted (only in B)\n", ops[0],
		d.s[0].events, ops[1], d.s[1].events, d.paired, d.same, d.changed, d.only[0],
		d.only[1]);
	st = report_out_finish(&ro, d.rep, stderr, bad ? 2 : report_exit_status(d.rep));
out:
	trace_align_free(al);
	for (int i = 0; i < 2; i++) {
		trace_reader_close(d.s[i].r);
		free(d.s[i].count);
	}
	report_free(d.rep);
	free(ops);
	return st;
}
