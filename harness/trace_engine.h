/*
 * Glue between traces and the exit engine (emu/): builds the VM a trace's
 * header describes and runs one recorded exit through handle_exit, giving
 * the outcome as the JSON object of issue 4 (the shape `hvexit exit
 * --json` prints). Used by record and replay.
 */
#ifndef HVEXIT_HARNESS_TRACE_ENGINE_H
#define HVEXIT_HARNESS_TRACE_ENGINE_H

#include "hvexit/trace.h"

struct trace_engine;

/* A fresh default VM sized for the header's "vcpus"; NULL with a message
 * when the engine is not available or the header is unusable. */
struct trace_engine *trace_engine_new(const json_t *header, char *err, size_t errlen);
/* Run ev through the engine (pages resolved through r when non-NULL).
 * New reference to the outcome object, or NULL with a message. */
json_t *trace_engine_run(struct trace_engine *eng, const struct trace_reader *r,
			 const struct trace_event *ev, char *err, size_t errlen);
void trace_engine_free(struct trace_engine *eng);

#endif
