/*
 * Import of Linux ftrace output (arm64 KVM events) into hvexit traces.
 *
 * Text lines come from /sys/kernel/tracing/trace, trace_pipe or
 * `trace-cmd report`:
 *     <task>-<pid> [<cpu>] <flags> <secs>.<usecs>: <event>: <args>
 * (trace-cmd omits the flags column). The argument text follows the
 * TP_printk formats of Linux 6.1 arch/arm64/kvm/trace_arm.h,
 * trace_handle_exit.h and include/trace/events/kvm.h.
 *
 * The importer groups events per task (one vCPU thread = one vCPU, numbered
 * in order of first kvm_exit): a TRAP kvm_exit opens an exit, and the
 * events after it on the same task until the next kvm_exit (guest fault,
 * MMIO, HVC, sysreg, WFx, userspace exit, the MMIO read completion on the
 * next KVM_RUN) are attached to it as a "kvm" object.
 */
#ifndef HVEXIT_FTRACE_H
#define HVEXIT_FTRACE_H

#include "hvexit/trace.h"

struct ftrace_import;

/* Events to write go to w. Returns NULL on allocation failure. */
struct ftrace_import *ftrace_import_new(struct trace_writer *w);
/* vCPU threads an import follows: KVM's limit on arm64 (KVM_MAX_VCPUS). */
#define FTRACE_MAX_VCPUS 512

/* Feed one text line (without or with its newline). 0, -EIO when writing
 * failed, -E2BIG for a kvm_exit of a vCPU thread beyond FTRACE_MAX_VCPUS,
 * -ENOMEM. Unparseable and unknown lines are counted, never fatal. */
int ftrace_import_line(struct ftrace_import *im, const char *line);
/* Emit the open exits; return how many events were written in total. */
long ftrace_import_finish(struct ftrace_import *im);
/* Counters: lines seen, exits written, events used, lines that were not
 * events (comments, headers), unknown events, malformed KVM events. */
struct ftrace_stats {
	unsigned long lines, exits, used, other, unknown, malformed, non_trap;
};
void ftrace_import_stats(const struct ftrace_import *im, struct ftrace_stats *st);
/* Names and counts of skipped unknown events, for the summary:
 * calls fn for each. */
void ftrace_import_unknown(const struct ftrace_import *im,
			   void (*fn)(const char *name, unsigned long n, void *arg),
			   void *arg);
unsigned ftrace_import_vcpus(const struct ftrace_import *im);
void ftrace_import_free(struct ftrace_import *im);

#endif
