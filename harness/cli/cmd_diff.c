/*
 * hvexit diff A B [--max N] [--quiet]
 *
 * Aligns two traces of the same scenario and prints the first divergences.
 * Alignment is per vCPU: the k-th exit of vCPU v in A is compared with the
 * k-th exit of vCPU v in B, so two runs whose vCPUs interleaved
 * differently still line up. Compared: the exit, the VMM's MMIO data, the
 * outcome and the KVM observations (without host-specific values: seq,
 * pid). Exit 0 same, 1 divergent, 2 unreadable input or usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "hvexit/trace.h"

#define MAX_VCPUS 4096

struct queue {
	json_t *items;		/* array of pending events (JSON) */
	size_t head;
	unsigned long count;	/* events of this vCPU seen so far */
};

struct side {
	const char *path;
	struct trace_reader *r;
	struct queue *q;	/* per vCPU */
	bool done;
	unsigned long events;
};

struct diffctx {
	unsigned long shown, max, total;
	const char *a, *b;
	const json_t *ea, *eb;
	unsigned vcpu;
	unsigned long nth;
};

static void on_diff(void *arg, const struct trace_diff *d)
{
	struct diffctx *c = arg;

	c->total++;
	if (c->shown >= c->max)
		return;
	c->shown++;
	printf("vcpu %u exit #%lu (A seq %lld, B seq %lld): %s: A %s, B %s\n", c->vcpu, c->nth,
	       (long long)json_integer_value(json_object_get(c->ea, "seq")),
	       (long long)json_integer_value(json_object_get(c->eb, "seq")),
	       d->field, d->expected, d->recorded);
}

/* The event as compared: its JSON without seq and host-specific keys. */
static json_t *comparable(const struct trace_event *ev)
{
	json_t *j = trace_event_to_json(ev);
	json_t *k = json_object_get(j, "kvm");

	if (k) {
		k = json_deep_copy(k);
		json_object_del(k, "pid");
		json_object_set_new(j, "kvm", k);
	}
	return j;
}

static int take(struct side *s, struct trace_event *ev)
{
	int rc;

	if (s->done)
		return 0;
	rc = trace_next(s->r, ev);
	if (rc <= 0) {
		s->done = true;
		if (rc < 0) {
			fprintf(stderr, "hvexit diff: %s\n", trace_reader_error(s->r));
			return -1;
		}
		if (trace_reader_truncated(s->r))
			fprintf(stderr, "hvexit diff: warning: %s\n", trace_reader_error(s->r));
		return 0;
	}
	if (trace_event_load_outcome(s->r, ev) < 0) {
		fprintf(stderr, "hvexit diff: %s\n", trace_reader_error(s->r));
		return -1;
	}
	s->events++;
	return 1;
}

static void compare(struct diffctx *c, json_t *ea, json_t *eb, unsigned vcpu,
		    unsigned long nth)
{
	json_t *xa = json_deep_copy(ea), *xb = json_deep_copy(eb);

	c->ea = ea;
	c->eb = eb;
	c->vcpu = vcpu;
	c->nth = nth;
	json_object_del(xa, "seq");
	json_object_del(xb, "seq");
	trace_json_diff(xa, xb, "event", "diff", on_diff, c);
	json_decref(xa);
	json_decref(xb);
}

/* Feed one event from side s; pair it with the other side's queue. */
static void feed(struct diffctx *c, struct side *s, struct side *o, bool s_is_a,
		 const struct trace_event *ev)
{
	struct queue *qs = &s->q[ev->vcpu], *qo = &o->q[ev->vcpu];
	json_t *j = comparable(ev);

	json_object_set_new(j, "seq", json_integer((json_int_t)ev->seq));
	qs->count++;
	if (qo->head < json_array_size(qo->items)) {
		json_t *other = json_array_get(qo->items, qo->head);

		json_incref(other);
		json_array_set_new(qo->items, qo->head, json_null());
		qo->head++;
		if (qo->head == json_array_size(qo->items)) {
			json_array_clear(qo->items);
			qo->head = 0;
		}
		if (s_is_a)
			compare(c, j, other, ev->vcpu, qs->count);
		else
			compare(c, other, j, ev->vcpu, qs->count);
		json_decref(other);
		json_decref(j);
		return;
	}
	json_array_append_new(qs->items, j);
}

static int open_side(struct side *s, const char *path)
{
	char err[1100];

	s->path = path;
	if (trace_reader_open(path, &s->r, err, sizeof(err)) < 0) {
		fprintf(stderr, "hvexit diff: %s\n", err);
		return -1;
	}
	s->q = calloc(MAX_VCPUS, sizeof(*s->q));
	if (!s->q)
		return -1;
	for (unsigned i = 0; i < MAX_VCPUS; i++)
		s->q[i].items = json_array();
	return 0;
}

static void close_side(struct side *s)
{
	if (s->q)
		for (unsigned i = 0; i < MAX_VCPUS; i++)
			json_decref(s->q[i].items);
	free(s->q);
	trace_reader_close(s->r);
}

int cmd_diff(int argc, char **argv)
{
	struct side a = { 0 }, b = { 0 };
	struct diffctx c = { .max = 10 };
	const char *pa = NULL, *pb = NULL;
	struct trace_event ev;
	bool quiet = false, bad = false;
	unsigned long extra = 0;

	for (int i = 1; i < argc; i++) {
		uint64_t v;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: hvexit diff A B [--max N] [--quiet]\n"
			       "  Aligns the exits of two traces per vCPU and prints the first N\n"
			       "  (default 10) divergences. Exit 0 same, 1 divergent, 2 bad input.\n");
			return 0;
		} else if (!strcmp(argv[i], "--max") && i + 1 < argc) {
			if (num_parse_u64(argv[++i], &v) < 0)
				return cli_error("diff", "--max: '%s' is not a number", argv[i]);
			c.max = (unsigned long)v;
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if (!pa && argv[i][0] != '-') {
			pa = argv[i];
		} else if (!pb && argv[i][0] != '-') {
			pb = argv[i];
		} else {
			return cli_error("diff", "unexpected argument '%s' (usage: hvexit diff A B)", argv[i]);
		}
	}
	if (!pa || !pb)
		return cli_error("diff", "need two traces (usage: hvexit diff A B)");
	if (open_side(&a, pa) < 0 || open_side(&b, pb) < 0) {
		close_side(&a);
		close_side(&b);
		return 2;
	}
	c.a = pa;
	c.b = pb;
	while (!a.done || !b.done) {
		int rc = take(&a, &ev);

		if (rc < 0)
			bad = true;
		else if (rc > 0)
			feed(&c, &a, &b, true, &ev);
		rc = take(&b, &ev);
		if (rc < 0)
			bad = true;
		else if (rc > 0)
			feed(&c, &b, &a, false, &ev);
		if (bad)
			break;
	}
	/* Unpaired events: one trace has more exits on a vCPU. */
	for (unsigned v = 0; v < MAX_VCPUS && !bad; v++) {
		if (a.q[v].count != b.q[v].count) {
			extra++;
			if (c.shown < c.max) {
				c.shown++;
				printf("vcpu %u: A has %lu exits, B has %lu\n", v, a.q[v].count,
				       b.q[v].count);
			}
		}
	}
	if (!quiet)
		fprintf(stderr, "diff: A %s %lu events, B %s %lu events, %lu field divergences, "
			"%lu vCPUs with different exit counts\n", pa, a.events, pb, b.events,
			c.total, extra);
	close_side(&a);
	close_side(&b);
	if (bad)
		return 2;
	return c.total || extra ? 1 : 0;
}
