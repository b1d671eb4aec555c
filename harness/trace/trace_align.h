/*
 * Streaming alignment of two exit sequences (hvexit diff): per vCPU, the
 * exits of trace A and of trace B are matched by signature (a hash of
 * what the exit is; equal signatures are equal exits). Where they part,
 * the aligner looks ahead for the nearest point where they meet again
 * (the smallest i + j with A[i] == B[j]): the first min(i, j) exits on
 * both sides are paired as changed, the rest of A's are dropped (in A,
 * not in B) and the rest of B's inserted. A common run of exits hides
 * no shifted pairs, so one exit removed from a trace is exactly one
 * dropped exit.
 *
 * Memory is bounded: at most `window` exits per vCPU and side wait for a
 * decision; an alignment that needs more fails with -E2BIG and a
 * message (the caller says which window to raise). Items are the
 * caller's; the aligner hands each back exactly once through the
 * callbacks (which take ownership) or through free_item when it is
 * destroyed before the end.
 */
#ifndef HVEXIT_HARNESS_TRACE_ALIGN_H
#define HVEXIT_HARNESS_TRACE_ALIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_ALIGN_MAX_VCPUS 4096

enum trace_align_side { ALIGN_A = 0, ALIGN_B = 1 };

struct trace_align_ops {
	/* a (from A) and b (from B) paired; same: their signatures are equal
	 * (an identical exit), else a changed one. */
	void (*pair)(void *arg, unsigned vcpu, void *a, void *b, bool same);
	/* An exit only one side has: ALIGN_A dropped, ALIGN_B inserted. */
	void (*only)(void *arg, unsigned vcpu, enum trace_align_side side, void *item);
	void (*free_item)(void *item);
};

struct trace_align;

/* NULL on allocation failure. window >= 1. */
struct trace_align *trace_align_new(size_t window, const struct trace_align_ops *ops, void *arg);
/* Give the next exit of vcpu (< TRACE_ALIGN_MAX_VCPUS) from side. 0, or
 * -E2BIG (window exceeded) / -EINVAL / -ENOMEM with a message in err;
 * item is the aligner's either way. */
int trace_align_push(struct trace_align *al, enum trace_align_side side, unsigned vcpu,
		     uint64_t sig, void *item, char *err, size_t errlen);
/* Side has no more exits: decide everything that waited for it. 0 or as
 * trace_align_push. */
int trace_align_end(struct trace_align *al, enum trace_align_side side, char *err,
		    size_t errlen);
void trace_align_free(struct trace_align *al);

#endif
