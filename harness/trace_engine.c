/* Placeholder until the exit engine (branch emu) is merged. */
#include <stdio.h>

#include "harness/trace_engine.h"

struct trace_engine *trace_engine_new(const json_t *header, char *err, size_t errlen)
{
	(void)header;
	snprintf(err, errlen, "the exit engine is not in this build");
	return NULL;
}

json_t *trace_engine_run(struct trace_engine *eng, const struct trace_reader *r,
			 const struct trace_event *ev, char *err, size_t errlen)
{
	(void)eng; (void)r; (void)ev;
	snprintf(err, errlen, "the exit engine is not in this build");
	return NULL;
}

void trace_engine_free(struct trace_engine *eng)
{
	(void)eng;
}
