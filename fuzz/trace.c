/*
 * Fuzz target over the trace readers: the first byte picks the input
 * format (QEMU-fuzzer style: op = byte % table size):
 *   0  hvexit trace, JSON Lines or binary (detected by the reader) ->
 *      every event through the KVM consistency checks and the ISV=1
 *      instruction cross-check, the exit description and a JSON round trip;
 *   1  ftrace text -> the importer (count-only mode, nothing written).
 * Invariants: no crash, no leak, an event that was read converts back to
 * JSON that reads as the same event.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/ftrace.h"
#include "hvexit/trace.h"

#define TRACE_FUZZ_MAX (256u << 10)

static void count_diff(void *arg, const struct trace_diff *d)
{
	(void)d;
	(*(unsigned long *)arg)++;
}

static void fuzz_jsonl(const uint8_t *data, size_t size)
{
	struct trace_reader *r;
	struct trace_event ev, back;
	char err[256], desc[256];
	struct trace_xcheck_stats xc = { 0 };
	unsigned long n = 0;

	if (trace_reader_open_mem(data, size, "fuzz", &r, err, sizeof(err)) < 0)
		return;
	while (trace_next(r, &ev) > 0) {
		json_t *j;

		if (trace_event_load_outcome(r, &ev) < 0)
			break;
		trace_check_kvm(&ev, count_diff, &n);
		trace_check_xcheck(r, &ev, &xc, count_diff, &n);
		trace_describe_exit(&ev.exit, desc, sizeof(desc));
		j = trace_event_to_json(&ev);
		if (trace_event_from_json(j, &back, err, sizeof(err)) < 0 ||
		    back.seq != ev.seq || back.vcpu != ev.vcpu ||
		    back.exit.ec != ev.exit.ec || back.exit.esr != ev.exit.esr ||
		    back.exit.regs_mask != ev.exit.regs_mask || back.n_mmio != ev.n_mmio) {
			fprintf(stderr, "trace fuzz: event did not survive a JSON round trip: %s\n", err);
			abort();
		}
		if (ev.outcome)
			trace_json_diff(ev.outcome, ev.outcome, "outcome", "outcome", count_diff, &n);
		json_decref(j);
	}
	trace_reader_close(r);
}

static void fuzz_ftrace(const uint8_t *data, size_t size)
{
	struct ftrace_import *im = ftrace_import_new(NULL);
	char *buf = malloc(size + 1);
	char *p, *nl;

	if (!im || !buf) {
		ftrace_import_free(im);
		free(buf);
		return;
	}
	memcpy(buf, data, size);
	buf[size] = 0;
	for (p = buf; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		ftrace_import_line(im, p);
	}
	ftrace_import_finish(im);
	ftrace_import_free(im);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > TRACE_FUZZ_MAX)
		return 0;
	if (data[0] % 2 == 0)
		fuzz_jsonl(data + 1, size - 1);
	else
		fuzz_ftrace(data + 1, size - 1);
	return 0;
}
