/*
 * Fuzz target over the replay VM of a trace header: an hvexit trace (JSON
 * Lines or binary) whose header's memory map builds the VM
 * (harness/trace/trace_vm.c) and whose exits then run through the exit
 * engine in it, each fault IPA named by its device (trace_engine.c).
 * Invariants: no crash, no leak, no hang; a map the VM cannot be built
 * from is refused with a message, never half-built.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_engine.h"
#include "hvexit/trace.h"

#define TRACEVM_FUZZ_MAX (64u << 10)
#define TRACEVM_MAX_EVENTS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_reader *r;
	struct trace_engine *eng;
	struct trace_event ev;
	char err[300], dev[256];
	unsigned n = 0;

	if (size > TRACEVM_FUZZ_MAX ||
	    trace_reader_open_mem(data, size, "fuzz", &r, err, sizeof(err)) < 0)
		return 0;
	eng = trace_engine_new(trace_reader_header(r), err, sizeof(err));
	if (!eng) {
		if (!err[0]) {
			fprintf(stderr, "tracevm fuzz: engine refused without a message\n");
			abort();
		}
		trace_reader_close(r);
		return 0;
	}
	for (size_t i = 0; trace_engine_unmodelled(eng, i, dev, sizeof(dev)); i++)
		;
	while (n++ < TRACEVM_MAX_EVENTS && trace_next(r, &ev) > 0) {
		json_t *out = trace_engine_run(eng, r, &ev, err, sizeof(err));
		uint64_t ipa = (ev.exit.hpfar >> 4 << 12) | (ev.exit.far & 0xfff);

		trace_engine_device_at(eng, ipa, dev, sizeof(dev));
		(void)trace_engine_device_ref(eng, ipa);
		json_decref(out);
	}
	trace_engine_free(eng);
	trace_reader_close(r);
	return 0;
}
