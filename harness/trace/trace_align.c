/* Streaming alignment of two exit sequences per vCPU (see trace_align.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_align.h"

struct entry {
	uint64_t sig;
	void *item;
};

/* Pending exits of one side of one vCPU: entries [head, n) of e. */
struct queue {
	struct entry *e;
	size_t head, n, cap;
	size_t searched;	/* A's queue: meeting sums below this have no match */
};

struct trace_align {
	size_t window;
	const struct trace_align_ops *ops;
	void *arg;
	bool done[2];
	struct queue *q[TRACE_ALIGN_MAX_VCPUS][2];	/* allocated on first use */
};

struct trace_align *trace_align_new(size_t window, const struct trace_align_ops *ops, void *arg)
{
	struct trace_align *al;

	if (window < 1)
		return NULL;
	al = calloc(1, sizeof(*al));
	if (!al)
		return NULL;
	al->window = window;
	al->ops = ops;
	al->arg = arg;
	return al;
}

static size_t qlen(const struct queue *q)
{
	return q ? q->n - q->head : 0;
}

static struct entry *qat(struct queue *q, size_t i)
{
	return &q->e[q->head + i];
}

static void *qpop(struct queue *q)
{
	void *it = q->e[q->head++].item;

	q->searched = 0;

	if (q->head == q->n)
		q->head = q->n = 0;
	return it;
}

static int qpush(struct queue *q, uint64_t sig, void *item)
{
	if (q->head && q->n == q->cap) {	/* slide the live part down */
		memmove(q->e, q->e + q->head, (q->n - q->head) * sizeof(*q->e));
		q->n -= q->head;
		q->head = 0;
	}
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		struct entry *e = realloc(q->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		q->e = e;
		q->cap = cap;
	}
	q->e[q->n++] = (struct entry){ sig, item };
	return 0;
}

/* Can every candidate (i, j) with i + j == s be checked yet? Needs
 * i < the final length of A for every i <= s: A has more than s pending
 * exits or no more will come; the same for B. */
static bool checkable(const struct trace_align *al, size_t la, size_t lb, size_t s)
{
	return (la > s || al->done[ALIGN_A]) && (lb > s || al->done[ALIGN_B]);
}

/* Waiting for more input is bounded by the window. */
static int window_check(const struct trace_align *al, unsigned vcpu, size_t la, size_t lb,
			char *err, size_t errlen)
{
	if (la <= al->window && lb <= al->window)
		return 0;
	snprintf(err, errlen, "vCPU %u: more than the window of %zu exits pending without a "
		 "common exit (A %zu, B %zu)", vcpu, al->window, la, lb);
	return -E2BIG;
}

/* Resolve the pending exits of vcpu as far as the input allows. */
static int settle(struct trace_align *al, unsigned vcpu, char *err, size_t errlen)
{
	struct queue *qa = al->q[vcpu][ALIGN_A], *qb = al->q[vcpu][ALIGN_B];

	for (;;) {
		size_t la = qlen(qa), lb = qlen(qb), s, i = 0, j = 0;
		bool found = false;

		if (!la || !lb) {
			/* One side has nothing pending: if it is finished, what the
			 * other holds is only there. */
			enum trace_align_side side = la ? ALIGN_A : ALIGN_B;
			struct queue *q = la ? qa : qb;

			if (!al->done[!side])
				return window_check(al, vcpu, la, lb, err, errlen);
			while (qlen(q))
				al->ops->only(al->arg, vcpu, side, qpop(q));
			return 0;
		}
		if (qat(qa, 0)->sig == qat(qb, 0)->sig) {
			void *a = qpop(qa);

			al->ops->pair(al->arg, vcpu, a, qpop(qb), true);
			continue;
		}
		/* Nearest meeting point: smallest i + j, then i == j first.
		 * Sums checked before (the heads unchanged) are not again. */
		for (s = qa->searched > 1 ? qa->searched : 1; !found && s <= (la - 1) + (lb - 1) && checkable(al, la, lb, s); s++) {
			for (size_t d = 0; !found && d <= s; d++) {
				/* d = 0, 1, 2...: i = s/2 +- d/2 keeps i and j close */
				size_t ii = d % 2 ? s / 2 + (d + 1) / 2 : s / 2 - d / 2;

				if (ii > s || ii >= la || s - ii >= lb)
					continue;
				if (qat(qa, ii)->sig == qat(qb, s - ii)->sig) {
					i = ii;
					j = s - ii;
					found = true;
				}
			}
		}
		if (!found) {
			if (!al->done[ALIGN_A] || !al->done[ALIGN_B]) {
				qa->searched = s;
				return window_check(al, vcpu, la, lb, err, errlen);
			}
			/* Both ended without meeting again: pair what lines up,
			 * the longer side's rest is only there. */
			i = la;
			j = lb;
		}
		size_t k = i < j ? i : j;

		for (size_t n = 0; n < k; n++) {
			void *a = qpop(qa);

			al->ops->pair(al->arg, vcpu, a, qpop(qb), false);
		}
		for (size_t n = k; n < i; n++)
			al->ops->only(al->arg, vcpu, ALIGN_A, qpop(qa));
		for (size_t n = k; n < j; n++)
			al->ops->only(al->arg, vcpu, ALIGN_B, qpop(qb));
	}
}

int trace_align_push(struct trace_align *al, enum trace_align_side side, unsigned vcpu,
		     uint64_t sig, void *item, char *err, size_t errlen)
{
	struct queue **q;
	int rc;

	if (vcpu >= TRACE_ALIGN_MAX_VCPUS || (side != ALIGN_A && side != ALIGN_B)) {
		al->ops->free_item(item);
		snprintf(err, errlen, "vCPU %u out of range", vcpu);
		return -EINVAL;
	}
	for (int s = 0; s < 2; s++)
		if (!al->q[vcpu][s] && !(al->q[vcpu][s] = calloc(1, sizeof(struct queue)))) {
			al->ops->free_item(item);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	q = &al->q[vcpu][side];
	rc = qpush(*q, sig, item);
	if (rc < 0) {
		al->ops->free_item(item);
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	return settle(al, vcpu, err, errlen);
}

int trace_align_end(struct trace_align *al, enum trace_align_side side, char *err,
		    size_t errlen)
{
	al->done[side] = true;
	for (unsigned v = 0; v < TRACE_ALIGN_MAX_VCPUS; v++) {
		int rc;

		if (!al->q[v][0])
			continue;
		rc = settle(al, v, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void trace_align_free(struct trace_align *al)
{
	if (!al)
		return;
	for (unsigned v = 0; v < TRACE_ALIGN_MAX_VCPUS; v++)
		for (int s = 0; s < 2; s++) {
			struct queue *q = al->q[v][s];

			while (q && qlen(q))
				al->ops->free_item(qpop(q));
			if (q)
				free(q->e);
			free(q);
		}
	free(al);
}
